// The editor's open documents as the language service's workspace: their texts (kept in sync by the
// protocol's TextDocuments manager), their parses (DocumentStore, which also puts their resources in
// the index, where an open document wins over its file on disk) and positions in disk files.

import { readFileSync } from 'node:fs';
import type { Connection } from 'vscode-languageserver';
import { TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-types';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { ResourceIndex } from '../workspace/index';
import { DocumentStore } from '../service/documents';
import type { StoredFile } from '../service/documents';
import type { ServiceFile, ServiceWorkspace } from '../service/types';
import { ShareClaims } from '../workspace/parse-worker';
import type { ChunkParser, IndexedChunk } from '../workspace/parse-worker';
import { DEFAULT_PARSE_LIMITS, parseChunk } from '../syntax/parse';
import type { Chunk } from '../syntax/parse';
import { composeEdits, splitAfterEdit, splitFile, splitFileInSteps } from '../syntax/file';
import type { TextEdit } from '../syntax/file';
import { resourcesOf } from '../model/resource';
import { BINARY_PREFIX_CHARS, looksBinary } from '../rules/file-checks';
import { PieceTextDocument } from './open-text';
import type { TextSlices } from './open-text';
import type { ParsedDocument } from '../syntax/parse';

/** Parse chunks without holding the thread: each chunk larger than SYNC_PARSE_BYTES on the parser
 * thread (sent in groups), the others here a few at a time, giving the event loop a turn every
 * SLICE_MS (requests on other documents are answered in between). When the small ones add up to
 * SHARE_BYTES or more and the parser thread runs warm already (it is not started for them: a thread
 * started cold took a core for little and slowed this one), it takes a share of them too (see
 * ChunkParser.share): it parses them from the last one down while this thread parses from the
 * first one up, until they meet, so that both finish together however busy each core is; its
 * documents come back with their trees as numbers (syntax/tree-codec.ts), rebuilt here in a fraction
 * of a parse. Then the resources of every document are read, in turns too (entering the parse in the
 * index then only files them). Stops early (fewer documents) once `overtaken()`. */
async function parseInTurns(
  chunks: IndexedChunk[],
  offload: ChunkParser,
  overtaken: () => boolean,
): Promise<ParsedDocument[]> {
  const far = (c: IndexedChunk) => c.text.length > SYNC_PARSE_BYTES;
  const turns = new Turns(overtaken);
  const started = TRACE ? traceClock() : undefined;
  // (sent in groups, a turn between two: copying thousands of chunks to the thread takes a while)
  const groups: Promise<ParsedDocument[]>[] = [];
  let group: IndexedChunk[] = [];
  let groupBytes = 0;
  for (const c of chunks) {
    if (!far(c)) continue;
    group.push(c);
    groupBytes += c.text.length;
    if (groupBytes >= OFFLOAD_GROUP_BYTES || group.length >= OFFLOAD_GROUP_CHUNKS) {
      groups.push(offload.parseChunks(group));
      group = [];
      groupBytes = 0;
      if (await turns.maybe()) break;
    }
  }
  if (group.length > 0 && !overtaken()) groups.push(offload.parseChunks(group));
  const farDocs = Promise.all(groups).then((g) => g.flat());
  const near = chunks.filter((c) => !far(c));
  // (the text of the small chunks not parsed yet)
  let left = 0;
  for (const c of near) left += c.text.length;
  // The parser thread's share: the small chunks from `from` on, once it takes one (asked first and
  // at every turn: a thread that still ran cold code at the start may be warm by then)
  let from = 0;
  let claims: ShareClaims | undefined;
  let shared: Promise<(ParsedDocument | undefined)[]> | undefined;
  const share = (i: number) => {
    if (claims || !offload.share || left < SHARE_BYTES) return;
    const c = new ShareClaims(near.length - i);
    // (with the limits of this thread: the parser thread's own are more generous)
    shared = offload.share(near.slice(i), c, DEFAULT_PARSE_LIMITS);
    if (shared) [claims, from] = [c, i];
  };
  if (!overtaken()) share(0);
  const here: (ParsedDocument | undefined)[] = new Array(near.length);
  // (did this thread reach a chunk the parser thread claimed? Only then is its answer waited for:
  // a thread busy with something else may claim nothing at all)
  let met = false;
  for (let i = 0; i < near.length; i++) {
    if (turns.due()) {
      if (await turns.maybe()) {
        // (the parser thread stops at the next chunk it would claim)
        claims?.claimRest(i - from);
        break;
      }
      share(i);
    }
    if (claims && !claims.claim(i - from)) {
      met = true;
      break;
    }
    here[i] = parseChunk(near[i], near[i].index);
    left -= near[i].text.length;
  }
  const parsedHere = TRACE ? performance.now() : 0;
  const fromThread = await farDocs;
  const elsewhere = met ? await shared! : [];
  const out: ParsedDocument[] = [];
  let k = 0;
  let n = 0;
  for (const c of chunks) {
    let d: ParsedDocument | undefined;
    if (far(c)) d = fromThread[k++];
    else {
      d = here[n] ?? (claims && n >= from ? elsewhere[n - from] : undefined);
      // (claimed by a parser thread that ended before it answered: parsed here)
      if (!d && claims && n >= from && !overtaken()) d = parseChunk(c, c.index);
      n++;
    }
    if (!d) break;
    out.push(d);
  }
  if (started) {
    const now = traceClock();
    const count = (docs: (ParsedDocument | undefined)[]) => docs.filter((d) => d).length;
    process.stderr.write(
      `[kube-netlens] parsed ${out.length} of ${chunks.length} documents in ${(now.at - started.at).toFixed(1)} ms (CPU ${(now.threadCpu - started.threadCpu).toFixed(1)} ms on the server's thread): ${count(here)} small ones here, ${count(elsewhere)} on the parser thread (its share${claims ? ` from small document no. ${from + 1}` : ': none'}), ${fromThread.length} large ones there; then waited ${(now.at - parsedHere).toFixed(1)} ms for the thread\n`,
    );
  }
  for (const d of out) {
    if (turns.due() && (await turns.maybe())) break;
    resourcesOf(d);
  }
  return out;
}

/** Work between two turns given to the event loop by a long task of the server's thread (ms). */
export const SLICE_MS = 8;

/** Rounds of the event loop that a long task lets pass at each of its turns. A message from the
 * client goes through the protocol library in steps that are each queued with setImmediate behind
 * the task's own (the reader's lock, then the dispatch to its handler, then the writer's lock for
 * an answer), so with one round per turn an edit waited two slices of a check before it was seen
 * and a request three or four before it was answered; with these rounds every step runs before
 * the next slice. A round with nothing else to do costs a few microseconds. */
export const TURN_ROUNDS = 4;

/** Gives the event loop TURN_ROUNDS rounds (see there): what the client sent meanwhile is read,
 * dispatched and answered before the caller goes on. */
export async function giveTurn(): Promise<void> {
  for (let i = 0; i < TURN_ROUNDS; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Gives the event loop a turn once the current slice has run SLICE_MS. */
export class Turns {
  private since = performance.now();
  constructor(private readonly overtaken: () => boolean = () => false) {}

  /** Is the current slice used up? (A loop over thousands of small items asks this first: an
   * `await` per item, even of a settled promise, cost more than the items themselves.) */
  due(): boolean {
    return performance.now() - this.since >= SLICE_MS;
  }

  /** Yields when the slice is used up; true when the work was overtaken meanwhile (stop it). */
  async maybe(): Promise<boolean> {
    if (performance.now() - this.since < SLICE_MS) return false;
    await giveTurn();
    this.since = performance.now();
    return this.overtaken();
  }
}

const TRACE = !!process.env.KNL_TRACE;

/** With KNL_TRACE: wall time, the CPU time of this thread (Linux: /proc/thread-self/schedstat; the
 * process's elsewhere) and of the whole process (parser thread and GC threads included), in ms. */
export function traceClock(): { at: number; cpu: number; threadCpu: number } {
  const u = process.cpuUsage();
  const cpu = (u.user + u.system) / 1000;
  let threadCpu = cpu;
  try {
    threadCpu = Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    /* not Linux: the process's */
  }
  return { at: performance.now(), cpu, threadCpu };
}

/** Small documents (SYNC_PARSE_BYTES or less) of a new text adding up to this much are shared with
 * the parser thread (see parseInTurns); fewer are parsed here (a share costs a few messages). */
export const SHARE_BYTES = 64 * 1024;

/** Chunks sent to the parser thread in one request: at most this much text or this many chunks. */
const OFFLOAD_GROUP_BYTES = 256 * 1024;
const OFFLOAD_GROUP_CHUNKS = 1000;

/** New text (not parsed before) up to this size is parsed at once in the server's thread; more goes
 * to the parser thread. At the worst rate of the crafted shapes (about 10 ms per KB of broken YAML)
 * a parse here stays under 100 ms; an ordinary keystroke re-parses one document, well under it. */
export const SYNC_PARSE_BYTES = 8 * 1024;

/** A text at least this long, opened (never parsed before), is split into documents in turns. */
export const SPLIT_IN_TURNS_CHARS = 1 << 20;

/** Texts at least this long get their line offsets computed in turns (see lineOffsetsInTurns). */
export const LINE_OFFSETS_IN_TURNS_CHARS = 1 << 18;

/**
 * Compute the line offsets of a large document a slice at a time, giving the event loop a turn
 * every SLICE_MS, and hand them to the document (vscode-languageserver-textdocument computes them in
 * one call on the first position asked: 0.2 s for a million lines, during which no other request is
 * answered). The offsets are the library's: line starts after \n, \r and \r\n. Does nothing for a
 * short text, a document that has its offsets already or one of another implementation; stops when
 * `overtaken()` (a newer version came).
 */
export async function lineOffsetsInTurns(doc: TextDocument, overtaken: () => boolean): Promise<void> {
  const d = doc as unknown as { _lineOffsets?: number[] };
  if (!('_lineOffsets' in d) || d._lineOffsets !== undefined) return;
  const text = doc.getText();
  if (text.length < LINE_OFFSETS_IN_TURNS_CHARS) return;
  let since = performance.now();
  const turn = async (): Promise<boolean> => {
    await giveTurn();
    since = performance.now();
    return overtaken();
  };
  let offsets: number[];
  if (text.indexOf('\r') === -1) {
    // only \n: the engine's string search finds each line end, lines are counted first and the
    // offsets written into an array of that size (a million pushes cost over twice as much), and
    // the clock is read every 4,096 lines
    let lines = 0;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1))
      if ((++lines & 4095) === 0 && performance.now() - since >= SLICE_MS && (await turn())) return;
    offsets = new Array<number>(lines + 1);
    offsets[0] = 0;
    let k = 1;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) {
      offsets[k++] = at + 1;
      if ((k & 4095) === 0 && performance.now() - since >= SLICE_MS && (await turn())) return;
    }
  } else {
    offsets = [0];
    for (let i = 0; i < text.length;) {
      const stop = Math.min(text.length, i + 65536);
      for (; i < stop; i++) {
        const ch = text.charCodeAt(i);
        if (ch === 13 || ch === 10) {
          if (ch === 13 && i + 1 < text.length && text.charCodeAt(i + 1) === 10) i++;
          offsets.push(i + 1);
        }
      }
      if (performance.now() - since >= SLICE_MS && (await turn())) return;
    }
  }
  // (the same text: the document object is replaced on every change)
  if (d._lineOffsets === undefined && doc.getText() === text) d._lineOffsets = offsets;
}

export function isYamlUri(uri: string, languageId?: string): boolean {
  if (languageId) return languageId === 'yaml' || languageId === 'helm' || languageId === 'kubernetes';
  return /\.ya?ml$/i.test(uri);
}

export class OpenDocuments implements ServiceWorkspace {
  readonly texts = new TextDocuments<TextDocument>({
    create: (uri, languageId, version, content) =>
      PieceTextDocument.create(uri, languageId, version, content),
    update: (doc, changes, version) => this.applyChanges(doc, changes, version),
  });
  /** Per open document: the text it was last split at, and where the changes since then are in it
   * (undefined: none yet; null: not known, the whole text was replaced). */
  private edits = new Map<string, { base: string; edit: TextEdit | undefined | null }>();
  readonly store: DocumentStore;
  /** Called when a question arrives about a document whose parse is behind its text. */
  onStale: (uri: string) => void = () => undefined;

  /** Parses waiting for or running on the parser thread, per document. */
  private pending = new Map<string, { version: number; done: Promise<boolean> }>();

  constructor(
    readonly index: ResourceIndex,
    private maxFileBytes: () => number,
    /** Positions in files that are not open (the workspace index read them from disk). */
    private diskPositionOf: (uri: string, offset: number) => Position | undefined,
    /** Where large parses go (another thread); without it every parse runs here. */
    private offload?: ChunkParser,
  ) {
    this.store = new DocumentStore(index, maxFileBytes);
  }

  /** With KNL_TRACE: when the latest didChange of each document came (see traceClock). */
  readonly changeCame = new Map<string, ReturnType<typeof traceClock>>();

  /** When the last didChange came (performance.now(); -Infinity before the first). */
  lastChangeAt = -Infinity;

  /** Apply the protocol's changes to a document (a didChange), noting where they changed its text. */
  applyChanges(doc: TextDocument, changes: TextDocumentContentChangeEvent[], version: number): TextDocument {
    this.lastChangeAt = performance.now();
    if (TRACE) this.changeCame.set(doc.uri, traceClock());
    let noted = this.edits.get(doc.uri);
    if (!noted) this.edits.set(doc.uri, (noted = { base: doc.getText(), edit: undefined }));
    for (const change of changes) {
      if ('range' in change && noted.edit !== null) {
        const a = doc.offsetAt(change.range.start);
        const b = doc.offsetAt(change.range.end);
        noted.edit = composeEdits(noted.edit, Math.min(a, b), Math.max(a, b), change.text.length);
      } else noted.edit = null;
      if (doc instanceof PieceTextDocument) doc.update([change], version);
      else doc = TextDocument.update(doc, [change], version);
    }
    return doc;
  }

  /** Texts of open documents known to hold no `}}` (no Helm template action can be found in them). */
  private braceless = new Map<string, string>();

  /** The edits of an open document since its text was last split (see splitOf and precheckOf), if
   * they are known relative to its last parse; from now on, edits are noted relative to `text`. */
  private takeEdit(uri: string, text: string, state: StoredFile): TextEdit | undefined {
    const noted = this.edits.get(uri);
    this.edits.set(uri, { base: text, edit: undefined });
    const prev = state.parsed;
    return noted?.edit && prev && prev.text === noted.base ? noted.edit : undefined;
  }

  /** precheck() of an open document's text, from what an edit changed when the text before it
   * passed: binary data is looked for in the first 64 KB only, and a text without `}}` (so without
   * a Helm template action) has one after the edit only if the edit made one. */
  private precheckOf(
    doc: TextDocument,
    text: string,
    slices: TextSlices,
    state: StoredFile,
    edit: TextEdit | undefined,
  ) {
    const prev = state.parsed;
    const passed = !!edit && !!prev && !state.skipped;
    const braceless =
      passed &&
      this.braceless.get(doc.uri) === prev!.text &&
      edit!.every((s) => !slices.slice(Math.max(0, s.newStart - 1), s.newEnd + 1).includes('}}'));
    // (what looksBinary reads of the text: its first BINARY_PREFIX_CHARS, here without reading the
    // rest of a text held in pieces)
    const skipped = this.store.precheck(text, {
      notBinary:
        passed &&
        (edit![0].newStart >= BINARY_PREFIX_CHARS || !looksBinary(slices.slice(0, BINARY_PREFIX_CHARS))),
      noHelmTemplate: braceless,
    });
    if (!skipped && (braceless || text.lastIndexOf('}}') < 0)) this.braceless.set(doc.uri, text);
    else this.braceless.delete(doc.uri);
    return skipped;
  }

  /** The document chunks of an open document's text: after an edit, those of its last parse with the
   * edited ones split again (see splitAfterEdit); else the whole text split. */
  private splitOf(text: string, slices: TextSlices, state: StoredFile, edit: TextEdit | undefined): Chunk[] {
    const prev = state.parsed;
    if (edit && prev) {
      const chunks = splitAfterEdit(
        slices,
        prev.docs.map((d) => ({ start: d.base, text: d.text })),
        edit,
      );
      if (chunks) return chunks;
    }
    return splitFile(text);
  }

  listen(connection: Connection): void {
    this.texts.listen(connection);
  }

  get(uri: string): TextDocument | undefined {
    return this.texts.get(uri);
  }

  all(): TextDocument[] {
    return this.texts.all();
  }

  isOpen(uri: string): boolean {
    return this.texts.get(uri) !== undefined;
  }

  /** The parse state of an open document (as of its last update). */
  state(uri: string): StoredFile | undefined {
    return this.store.get(uri);
  }

  /** Is the parse of the document's current text done (not waiting for the parser thread)? */
  isCurrent(doc: TextDocument): boolean {
    return this.store.isCurrent(doc);
  }

  /** Parse an open document's current text; true when its resources in the index changed. When
   * more than SYNC_PARSE_BYTES of its text is new (not parsed before), the parse is done in turns
   * (large documents on the parser thread) and the answer is a promise; until it settles the
   * document answers no request (its previous diagnostics stay) and every other document is
   * answered as usual. */
  update(doc: TextDocument): boolean | Promise<boolean> {
    const uri = doc.uri;
    const waiting = this.pending.get(uri);
    if (waiting && waiting.version === doc.version) return waiting.done;
    if (!waiting && this.store.isCurrent(doc)) return false;
    if (!this.offload) return this.store.update(doc);
    const offload = this.offload;
    // (the whole text of a document held in pieces is a concatenation that nothing below reads
    // after an edit: the edited region is read through `slices`)
    const text = doc.getText();
    const slices: TextSlices = doc instanceof PieceTextDocument ? doc : text;
    const state = this.store.stateOf(doc);
    // (what is missing is worked out once: nothing parses this document before the parse below)
    let firstMissing: ReturnType<typeof state.parser.missing> | undefined;
    let split: Chunk[] | undefined;
    // (a large text never parsed before is prechecked and split below, each after a turn)
    const later = !waiting && state.version === -1 && text.length >= SPLIT_IN_TURNS_CHARS;
    let edit: TextEdit | undefined;
    if (!waiting) {
      edit = this.takeEdit(uri, text, state);
      if (!later) {
        const skipped = this.precheckOf(doc, text, slices, state, edit);
        if (skipped) return this.store.update(doc);
        split = this.splitOf(text, slices, state, edit);
        firstMissing = state.parser.missing(text, split);
        if (firstMissing.bytes <= SYNC_PARSE_BYTES)
          return this.store.commit(doc, undefined, state.parser.parse(text, undefined, split));
      }
    }
    // Versions are entered in order: this one waits for the parse before it, then parses only
    // what that one did not (unless a newer version has arrived meanwhile: then it does nothing).
    const entry = { version: doc.version, done: Promise.resolve(false) };
    const overtaken = () => this.pending.get(uri) !== entry;
    entry.done = (waiting?.done ?? Promise.resolve(false)).then(async () => {
      const current = () => !overtaken() && this.texts.get(uri)?.version === doc.version;
      if (!current()) return false;
      // A large text: a turn before its precheck (the protocol library has just decoded its message)
      // and another between the precheck and its split and hand-over to the parser thread (which
      // copies the text); a request on another document that came meanwhile waited for all of them,
      // some tens of ms for megabytes, more under load.
      const large = text.length >= SPLIT_IN_TURNS_CHARS;
      if (later) {
        await giveTurn();
        if (!current()) return false;
      }
      const skipped = waiting
        ? this.store.precheck(text)
        : later
          ? this.precheckOf(doc, text, slices, state, edit)
          : undefined;
      if (large && !skipped) {
        await giveTurn();
        if (!current()) return false;
      }
      if (!skipped && !split) {
        const turns = new Turns(overtaken);
        const steps = splitFileInSteps(text);
        for (let r = steps.next(); ; r = steps.next()) {
          if (r.done) {
            split = r.value;
            break;
          }
          if (await turns.maybe()) return false;
        }
      }
      const missing = skipped ? undefined : (firstMissing ?? state.parser.missing(text, split));
      const docs = missing ? await parseInTurns(missing.chunks, offload, overtaken) : [];
      const supplied = missing ? new Map(docs.map((d, i) => [missing.chunks[i].index, d])) : undefined;
      if (overtaken()) {
        // overtaken by a newer version meanwhile: the documents parsed so far still serve that
        // version's parse (the rest of this text is not parsed: it may be gone already)
        if (this.store.get(uri) === state) state.parser.remember(docs);
        return false;
      }
      this.pending.delete(uri);
      return this.store.commit(doc, skipped, skipped ? undefined : state.parser.parse(text, supplied, split));
    });
    this.pending.set(uri, entry);
    return entry.done;
  }

  close(uri: string): void {
    this.pending.delete(uri);
    this.edits.delete(uri);
    this.braceless.delete(uri);
    this.store.delete(uri);
  }

  // ServiceWorkspace: what the language service reads.

  file(uri: string): ServiceFile | undefined {
    const doc = this.texts.get(uri);
    if (!doc || !isYamlUri(uri, doc.languageId)) return undefined;
    const state = this.store.get(uri);
    if (!state || state.version !== doc.version) this.onStale(uri);
    // (a parse still on the parser thread: no answer from an older text)
    const now = this.store.get(uri);
    return now && now.version === doc.version ? now : undefined;
  }

  positionOf(uri: string, offset: number): Position | undefined {
    const open = this.texts.get(uri);
    return open ? open.positionAt(offset) : this.diskPositionOf(uri, offset);
  }

  flush(): void {
    for (const d of this.texts.all()) this.file(d.uri);
  }
}
