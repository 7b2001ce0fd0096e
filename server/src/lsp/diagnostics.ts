// When diagnostics are computed and published: an edit is checked on the next turn of the event
// loop; a big file takes the fast path while typing (the edited documents get every rule, the others
// keep their cross-file findings until typing pauses); a long check gives the event loop a turn now
// and then, and is abandoned when a newer version arrives or the server shuts down; the first check
// of a file of thousands of documents publishes what it found so far as it goes.

import { countText } from '../syntax/count';
import type { ClientCapabilities, Connection, Diagnostic } from 'vscode-languageserver';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { DOCUMENT_TOO_COMPLEX } from '../syntax/parse';
import { ruleDocUrl } from '../rules/types';
import { SOURCE } from '../service/convert';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ParsedDocument } from '../syntax/parse';
import type { LanguageService } from '../service/language-service';
import type { OpenDocuments } from './documents';
import { newDocuments } from '../service/documents';
import { SLICE_MS, giveTurn, isYamlUri, lineOffsetsInTurns, traceClock } from './documents';
import type { PulledDiagnostics } from './pull';

/** At most this many diagnostics are sent for one file (errors first), the rest counted in one
 * notice: 2,000 Ingresses claiming one host make 44,000 findings, a 27 MB message that took the
 * server's thread half a second to encode (and the editor longer to draw) on every check. */
export const MAX_PUBLISHED = 2000;

/** The diagnostics sent for a file: all of them up to MAX_PUBLISHED; past it the first errors, then
 * warnings, information and hints (each in document order), and one notice at the start of the file
 * that says how many were left out and where to see them all. */
export function publishedDiagnostics(diagnostics: Diagnostic[], max = MAX_PUBLISHED): Diagnostic[] {
  return fewerRelated(firstDiagnostics(diagnostics, max));
}

/** At most this many related locations are sent for one file: past it, each diagnostic keeps its
 * first few (the same number for all, at least one). 2,000 Ingresses on one host each point at 20
 * others: a 9 MB message whose encoding held the server's thread for up to 0.7 s under load, for
 * locations that the messages name already. */
export const MAX_PUBLISHED_RELATED = 4000;

function fewerRelated(diagnostics: Diagnostic[]): Diagnostic[] {
  let total = 0;
  let holders = 0;
  for (const d of diagnostics)
    if (d.relatedInformation?.length) {
      total += d.relatedInformation.length;
      holders++;
    }
  if (total <= MAX_PUBLISHED_RELATED) return diagnostics;
  const each = Math.max(1, Math.floor(MAX_PUBLISHED_RELATED / holders));
  return diagnostics.map((d) =>
    d.relatedInformation && d.relatedInformation.length > each
      ? { ...d, relatedInformation: d.relatedInformation.slice(0, each) }
      : d,
  );
}

function firstDiagnostics(diagnostics: Diagnostic[], max: number): Diagnostic[] {
  if (diagnostics.length <= max) return diagnostics;
  const order = diagnostics.map((d, i) => i);
  // (a stable sort: document order within a severity)
  order.sort((a, b) => (diagnostics[a].severity ?? 1) - (diagnostics[b].severity ?? 1) || a - b);
  const kept = order.slice(0, max - 1).sort((a, b) => a - b);
  const left = diagnostics.length - kept.length;
  const notice: Diagnostic = {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    code: DOCUMENT_TOO_COMPLEX,
    codeDescription: { href: ruleDocUrl(DOCUMENT_TOO_COMPLEX) },
    source: SOURCE,
    message: `Kube NetLens shows ${countText(kept.length)} of the ${countText(diagnostics.length)} findings in this file (errors first): the other ${countText(left)} are left out to keep the editor responsive. \`kube-netlens check\` on the file lists them all.`,
  };
  return [notice, ...kept.map((i) => diagnostics[i])];
}

/** The notice at the start of a file whose first check is still under way: the diagnostics shown
 * are those of its first `checked` documents and of those edited since (the same text before and
 * after an edit: see shownSoFar), or (`snapshot`, an edit before anything was shown) of the documents
 * edited and those checked before the edit. */
export function progressNotice(checked: number, total: number, snapshot = false): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    source: SOURCE,
    message: snapshot
      ? `Kube NetLens is still checking this file: these are the findings of ${countText(checked)} of its ${countText(total)} documents (the edited ones and those checked before the edit); the others follow.`
      : `Kube NetLens is still checking this file: these are the findings of its first ${countText(checked)} documents of ${countText(total)} and of those edited since; the others follow.`,
  };
}

/** After a request, a check waits until none has come for this long (ms) before its next slice: an
 * editor asking for completions or hovers one after the other gets each answer at once instead of
 * after a slice of the check (a slice is SLICE_MS; a request waited for up to two). */
export const REQUEST_QUIET_MS = 5;
/** While the user is at work in the editor (a request answered, an edit made or diagnostics
 * published less than INTERACTIVE_MS ago), a check works at most INTERACTIVE_SLICE_MS between two
 * turns instead of SLICE_MS: the first request of a burst (a hover, a completion as the user types)
 * or the first keystroke after diagnostics are shown comes in the middle of a slice, and waited for the
 * rest of it. A turn costs some microseconds; the check's own CPU is the same, its end comes later only
 * by the time the requests took. The first check of a file just opened, with nothing asked or shown
 * yet, keeps its long slices until something is published (in a file of thousands of documents, its
 * first progress). Only files of more than FAST_PATH_DOCUMENTS documents get short slices: a smaller
 * one is checked in a slice or about. */
export const INTERACTIVE_SLICE_MS = 2;
export const INTERACTIVE_MS = 2000;
/** A check waits at most this long per turn (for quiet after requests, or for its last publication
 * to be written): a stream of requests or a client that reads slowly only slows it down. */
const MAX_TURN_WAIT_MS = 50;

/** The optional parts of a diagnostic that the client declares it reads (publishDiagnostics
 * capabilities); the others are left out of what is sent (a link to the rule's documentation is
 * about a fifth of a publication). */
export interface PublishedFields {
  codeDescription: boolean;
  relatedInformation: boolean;
  tags: boolean;
}

export function publishedFields(capabilities: ClientCapabilities): PublishedFields {
  const p = capabilities.textDocument?.publishDiagnostics;
  return {
    codeDescription: !!p?.codeDescriptionSupport,
    relatedInformation: !!p?.relatedInformation,
    tags: !!p?.tagSupport,
  };
}

/** The diagnostics without the fields the client does not read (the same objects when it reads them all). */
function withFields(diagnostics: Diagnostic[], fields: PublishedFields): Diagnostic[] {
  if (fields.codeDescription && fields.relatedInformation && fields.tags) return diagnostics;
  return diagnostics.map((d) => {
    if (
      (fields.codeDescription || !d.codeDescription) &&
      (fields.relatedInformation || !d.relatedInformation) &&
      (fields.tags || !d.tags)
    )
      return d;
    const { codeDescription, relatedInformation, tags, ...rest } = d;
    return {
      ...rest,
      ...(fields.codeDescription && codeDescription ? { codeDescription } : {}),
      ...(fields.relatedInformation && relatedInformation ? { relatedInformation } : {}),
      ...(fields.tags && tags ? { tags } : {}),
    };
  });
}

/** What a check's turn between two slices looks at (see quietTurn). */
export interface TurnState {
  /** When the last request was answered (performance.now()). */
  lastRequest(): number;
  /** Is a publication still being written? */
  writing(): boolean;
  stopped(): boolean;
  /** When a message from the client was last read (performance.now(); -Infinity when not known). */
  lastInput?(): number;
  /** Waits `ms` (a timer; a test's own). */
  sleep?(ms: number): Promise<void>;
}

/** Rounds given again, at most, while messages keep coming in during them. */
const MORE_ROUNDS = 4;

/** A long check's turn between two slices: the event loop runs a few rounds (giveTurn), so what the
 * client sent meanwhile is handled, and a few more while a message came in during them (one read in
 * the last round was dispatched in steps queued behind it: after the next slice); then, while a
 * request was answered less than REQUEST_QUIET_MS ago or a publication is still being written, the
 * check waits (at most MAX_TURN_WAIT_MS) and gives the rounds again after each wait, so that requests
 * are answered and publications written between slices, not after them. (Without the rounds after a
 * wait, a request read in the loop's last round of the wait was dispatched and answered in steps
 * queued behind the timer that ended it: after the next slice.) */
export async function quietTurn(state: TurnState): Promise<void> {
  const sleep = state.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const since = performance.now();
  for (;;) {
    for (let more = 0; more <= MORE_ROUNDS; more++) {
      const rounds = performance.now();
      await giveTurn();
      if (!state.lastInput || state.lastInput() < rounds) break;
    }
    const now = performance.now();
    const wait = Math.max(REQUEST_QUIET_MS - (now - state.lastRequest()), state.writing() ? 1 : 0);
    if (wait <= 0 || state.stopped() || now - since >= MAX_TURN_WAIT_MS) return;
    await sleep(Math.ceil(wait));
  }
}

/** Files with more documents than this take the fast path while typing. */
const FAST_PATH_DOCUMENTS = 40;
const FULL_CHECK_DELAY_MS = 250;

const TRACE = !!process.env.KNL_TRACE;

interface Run {
  generation: number;
  version: number;
  crossOnly?: Set<ParsedDocument>;
  quietIfSame: boolean;
}

export class DiagnosticsScheduler {
  private pending = new Map<string, NodeJS.Immediate>();
  /** Parses on the parser thread whose end is awaited, per document. */
  private awaiting = new Map<string, Promise<boolean>>();
  /** Last published diagnostics per open document. */
  private published = new Map<string, Diagnostic[]>();
  /** Per document whose first check is under way and has published progress: the documents whose
   * findings were shown (the first `count` of that check, and those edited since). An edit's snapshot
   * shows these and the edited ones with the same notice, so that what the client holds changes
   * only where the edit changed a finding (a client that pulls is then answered `unchanged`). */
  private shownSoFar = new Map<string, { docs: Set<unknown>; count: number }>();
  /** A pending full cross-file check after a fast-path one, per document. */
  private fullChecks = new Map<string, NodeJS.Timeout>();
  /** The check under way per document (it may be waiting for its next turn). */
  private running = new Map<string, Run>();
  private generation = 0;
  private stopped = false;
  /** Publications handed to the connection and not yet written out. */
  private writing = 0;

  constructor(
    private connection: Connection,
    private documents: OpenDocuments,
    private service: LanguageService,
    private log: (message: string) => void,
    /** Another file's resources changed: what depends on them (code lenses) may refresh. */
    private onIndexChanged: () => void,
  ) {
    documents.onStale = (uri) => {
      const p = this.pending.get(uri);
      if (p) clearImmediate(p);
      this.process(uri);
    };
  }

  /** With KNL_TRACE: per document, when its latest open or edit came (see traceClock). */
  private edited = new Map<string, { version: number } & ReturnType<typeof traceClock>>();

  /** Set when the client pulls diagnostics (pull.ts): findings are offered to its pulls instead of
   * published. */
  pulls: PulledDiagnostics | undefined;

  /** Is a check of the document's current text still to come (scheduled, parsing or under way)? */
  checking(uri: string): boolean {
    return this.pending.has(uri) || this.awaiting.has(uri) || this.running.has(uri);
  }

  /** Is any document's check scheduled, parsing or under way? */
  busy(): boolean {
    return this.pending.size > 0 || this.awaiting.size > 0 || this.running.size > 0;
  }

  /** What the client reads of a diagnostic (set at initialize; everything until then). */
  fields: PublishedFields = { codeDescription: true, relatedInformation: true, tags: true };

  /** When the last request was answered (the server answers it from the handlers' guard). */
  lastRequest: () => number = () => -Infinity;

  /** When a message from the client was last read (the server notes it on its transport). */
  lastInput: () => number = () => -Infinity;

  /** Check a document on the next turn of the event loop (after an open or an edit). */
  schedule(uri: string): void {
    if (TRACE && !this.edited.has(uri)) {
      const version = this.documents.get(uri)?.version ?? 0;
      // (from the didChange's arrival, when there is one)
      this.edited.set(uri, { version, ...(this.documents.changeCame.get(uri) ?? traceClock()) });
    }
    // a check of the text before stops at its next turn instead of running slices that the new
    // text's check would wait for (its diagnostics stay until the new check publishes)
    this.running.delete(uri);
    if (this.stopped || this.pending.has(uri)) return;
    this.pending.set(
      uri,
      setImmediate(() => this.process(uri)),
    );
  }

  /** Parse a document's current text now and start its check; re-check the others when its
   * resources changed (they may read a Service's ports, pod labels, a Secret's type). */
  process(uri: string): void {
    this.pending.delete(uri);
    const doc = this.documents.get(uri);
    if (!doc || !isYamlUri(uri, doc.languageId)) {
      this.pulls?.settled(uri);
      return;
    }
    try {
      const t0 = TRACE ? performance.now() : 0;
      const changed = this.documents.update(doc);
      if (typeof changed !== 'boolean') {
        // parsing in turns (on the parser thread or in slices here): check when it is done (if this is
        // still the current text)
        if (this.awaiting.get(uri) === changed) return;
        this.awaiting.set(uri, changed);
        changed
          // (a turn between entering the parse in the index and the check: both are long for a big file)
          .then((c) => new Promise<boolean>((resolve) => setImmediate(() => resolve(c))))
          // (no turn between this and the check's start: a pull that comes meanwhile waits for it)
          .finally(() => this.awaiting.get(uri) === changed && this.awaiting.delete(uri))
          .then(
            (c) => {
              if (TRACE)
                process.stderr.write(
                  `[kube-netlens] ${uri} v${doc.version}: update in turns (parser thread or main-thread slices) ${(performance.now() - t0).toFixed(1)} ms\n`,
                );
              if (this.stopped || this.documents.get(uri) !== doc) return;
              this.diagnoseThenOthers(doc, c);
            },
            (e) => {
              this.log(`failed to check ${uri}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
              this.pulls?.settled(uri);
            },
          );
        return;
      }
      if (TRACE)
        process.stderr.write(
          `[kube-netlens] ${uri} v${doc.version}: update ${(performance.now() - t0).toFixed(1)} ms\n`,
        );
      this.diagnoseThenOthers(doc, changed);
    } catch (e) {
      this.log(`failed to check ${uri}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      this.pulls?.settled(uri);
    }
  }

  /** Check a document just parsed; when its resources changed, re-check the others that depend on
   * them once its check has published something (its first progress publication, for a file of
   * thousands of documents). A small file's check is one slice, so the order is the same as before; a
   * large one's first check gives a turn before its first slice, in which the others' checks, each
   * one slice that may build the cross-file model of the whole workspace, used to run first and delay
   * the opened file's first diagnostics by as long. */
  private diagnoseThenOthers(doc: TextDocument, changed: boolean): void {
    if (!changed) {
      this.diagnose(doc, true);
      return;
    }
    let done = false;
    this.diagnose(doc, true, false, () => {
      if (done) return;
      done = true;
      if (!this.stopped) this.diagnoseOthers(doc.uri);
    });
  }

  /** Which open documents the index changes since the last call can affect (undefined: all of
   * them). The server answers it from workspace/dependents.ts. */
  dependents: () => Iterable<string> | undefined = () => undefined;

  /** Re-check the open documents (but one) whose findings may depend on what changed in the index. */
  diagnoseOthers(except?: string): void {
    const only = this.dependents();
    const selected = only ? new Set(only) : undefined;
    // (the document just checked is left out unless another file's change selected it: its check may
    // have run before that change came)
    for (const other of this.documents.all())
      if ((selected ? selected.has(other.uri) : other.uri !== except) && this.documents.state(other.uri))
        this.diagnose(other);
    this.onIndexChanged();
  }

  /** Settings changed: parse and check every open document again. */
  recheckAll(): void {
    this.documents.store.invalidate();
    for (const doc of this.documents.all()) this.process(doc.uri);
  }

  /** Finish every check under way now (a request needs the current diagnostics). */
  settle(): void {
    for (const [uri, run] of [...this.running]) {
      const doc = this.documents.get(uri);
      this.running.delete(uri);
      if (!doc || doc.version !== run.version || !this.documents.isCurrent(doc)) continue;
      this.publish(doc, this.service.doValidation(uri, { crossOnly: run.crossOnly }), run.quietIfSame);
      if (run.crossOnly) this.fullCheckLater(doc);
    }
  }

  /** The diagnostics last published for an open document. */
  current(uri: string): Diagnostic[] {
    return this.published.get(uri) ?? [];
  }

  /** A document closed: nothing pending for it, and its diagnostics cleared in the editor. */
  closed(uri: string): void {
    const p = this.pending.get(uri);
    if (p) clearImmediate(p);
    this.pending.delete(uri);
    this.running.delete(uri);
    this.clearFullCheck(uri);
    this.published.delete(uri);
    this.shownSoFar.delete(uri);
    // (a client that pulls clears a closed document's diagnostics itself)
    if (this.pulls) this.pulls.closed(uri);
    else void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** After `shutdown`: no further checks; those under way are abandoned at their next turn. */
  stop(): void {
    this.stopped = true;
    for (const p of this.pending.values()) clearImmediate(p);
    this.pending.clear();
    for (const t of this.fullChecks.values()) clearTimeout(t);
    this.fullChecks.clear();
    this.running.clear();
    this.pulls?.stop();
  }

  /** A long check's turn between two slices (see quietTurn). */
  private turn(): Promise<void> {
    return quietTurn({
      lastRequest: () => this.lastRequest(),
      // (a publication being written, or findings offered to a pull that has not come yet)
      writing: () => this.writing > 0 || !!this.pulls?.expecting(),
      stopped: () => this.stopped,
      lastInput: () => this.lastInput(),
    });
  }

  /** When diagnostics were last handed to the connection (performance.now(); -Infinity before). */
  shownAt = -Infinity;

  /** How long a check's next slice may work (ms): shorter while the user is at work in the editor. */
  sliceMs(now = performance.now()): number {
    return now - Math.max(this.lastRequest(), this.documents.lastChangeAt, this.shownAt) < INTERACTIVE_MS
      ? INTERACTIVE_SLICE_MS
      : SLICE_MS;
  }

  /** Check every document of `doc` with every rule FULL_CHECK_DELAY_MS from now, unless a newer
   * version (or another check of it) comes first. */
  private fullCheckLater(doc: TextDocument): void {
    const version = doc.version;
    this.clearFullCheck(doc.uri);
    this.fullChecks.set(
      doc.uri,
      setTimeout(() => {
        this.fullChecks.delete(doc.uri);
        const now = this.documents.get(doc.uri);
        if (now && now.version === version && !this.running.has(doc.uri)) this.diagnose(now, false, true);
      }, FULL_CHECK_DELAY_MS),
    );
  }

  private clearFullCheck(uri: string): void {
    const t = this.fullChecks.get(uri);
    if (t) clearTimeout(t);
    this.fullChecks.delete(uri);
  }

  /** Check a document in slices and publish; `shown` (if given) is called once, when the check first
   * publishes or when it ends without publishing (cancelled, failed, nothing to check). */
  private diagnose(doc: TextDocument, fast = false, quietIfSame = false, shown?: () => void): void {
    const state = this.stopped ? undefined : this.documents.state(doc.uri);
    if (!state) {
      shown?.();
      this.pulls?.settled(doc.uri);
      return;
    }
    if (!this.documents.isCurrent(doc)) {
      // the text changed since its last parse: parse first (a parse on the parser thread keeps the
      // document's diagnostics until it is done; then it is checked)
      this.process(doc.uri);
      shown?.();
      return;
    }
    this.clearFullCheck(doc.uri);
    let crossOnly: Set<ParsedDocument> | undefined;
    if (fast && state.parsed && state.previousDocs && state.parsed.docs.length > FAST_PATH_DOCUMENTS) {
      crossOnly = new Set(newDocuments(state));
      if (crossOnly.size === state.parsed.docs.length) crossOnly = undefined;
    }
    const run: Run = { generation: ++this.generation, version: doc.version, crossOnly, quietIfSame };
    this.running.set(doc.uri, run);
    const t0 = TRACE ? performance.now() : 0;
    const isCancelled = () => this.running.get(doc.uri) !== run;
    // (a large text's line offsets first, in turns: the check's first position would compute them
    // in one go)
    // The first check of an opened file of thousands of documents shows what it found so far after
    // PROGRESS_DOCUMENTS documents, twice as many, and so on, with a notice saying that more is
    // coming (a later check keeps the diagnostics published before until it is done: no flicker).
    // An edit's snapshot (its documents checked first, when others have no complete check to keep)
    // is published by any check: after a first check that ran out of time too.
    const firstCheck = !this.published.has(doc.uri);
    const runDocs = state.parsed?.docs ?? [];
    const shownBefore = crossOnly ? this.shownSoFar.get(doc.uri) : undefined;
    const onProgress = (diagnostics: Diagnostic[], checked: number, total: number, snapshot?: boolean) => {
      if (isCancelled() || this.stopped || (!firstCheck && !snapshot)) return;
      let notice: Diagnostic;
      if (!snapshot) {
        this.shownSoFar.set(doc.uri, { docs: new Set(runDocs.slice(0, checked)), count: checked });
        notice = progressNotice(checked, total);
      } else if (shownBefore) {
        for (const d of crossOnly ?? []) shownBefore.docs.add(d);
        notice = progressNotice(shownBefore.count, total);
      } else notice = progressNotice(checked, total, true);
      this.send(
        doc,
        [notice, ...publishedDiagnostics(diagnostics, MAX_PUBLISHED - 1)],
        snapshot ? 'snapshot' : 'progress',
      );
      shown?.();
    };
    // (a file of many documents gets a turn first: the requests that came with the edit, such as a
    // completion as the user types, are answered from its parse before the check's first slice,
    // which can hold the rules of the edited documents and what they share; a small file's whole
    // check is shorter than that)
    const many = !!state.parsed && state.parsed.docs.length > FAST_PATH_DOCUMENTS;
    (many ? giveTurn() : Promise.resolve())
      .then(() => (isCancelled() ? undefined : lineOffsetsInTurns(doc, isCancelled)))
      .then(() =>
        isCancelled()
          ? undefined
          : this.service.doValidationAsync(doc.uri, {
              crossOnly,
              shown: shownBefore?.docs,
              isCancelled,
              // (a file of a few documents is checked in one slice or about: as before, so that a
              // request that comes after its edit finds its diagnostics published first)
              sliceMs: many ? () => this.sliceMs() : SLICE_MS,
              onProgress,
              turn: () => this.turn(),
            }),
      )
      .then(
        (diagnostics) => {
          if (!diagnostics || isCancelled()) return;
          this.running.delete(doc.uri);
          if (TRACE)
            process.stderr.write(
              `[kube-netlens] ${doc.uri} v${doc.version}: diagnose ${(performance.now() - t0).toFixed(1)} ms\n`,
            );
          this.publish(doc, diagnostics, quietIfSame);
          // the unchanged documents kept their cross-file findings: they get every rule again once
          // typing pauses (armed only now: a check under way is never restarted by it)
          if (crossOnly) this.fullCheckLater(doc);
        },
        (e) => {
          if (this.running.get(doc.uri) === run) this.running.delete(doc.uri);
          this.log(`failed to check ${doc.uri}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
          this.pulls?.settled(doc.uri);
        },
      )
      .finally(shown);
  }

  private publish(doc: TextDocument, diagnostics: Diagnostic[], quietIfSame: boolean): void {
    const before = this.published.get(doc.uri);
    const unchanged =
      quietIfSame &&
      before !== undefined &&
      diagnostics.length === before.length &&
      diagnostics.every((d, i) => d === before[i]);
    this.published.set(doc.uri, diagnostics);
    this.shownSoFar.delete(doc.uri);
    if (!unchanged) this.send(doc, publishedDiagnostics(diagnostics), 'all');
    else this.pulls?.settled(doc.uri);
  }

  /** Publish diagnostics for a version of a document; with KNL_TRACE, the first publication after
   * an edit says how long it took since the edit came (wall, CPU of the server's thread and of its
   * process) until it was handed to the connection (ready) and written out, and its size. */
  private send(doc: TextDocument, diagnostics: Diagnostic[], what: string): void {
    const shown = withFields(diagnostics, this.fields);
    this.shownAt = performance.now();
    // (with KNL_TRACE, the first findings of an edit say how long after it they were ready)
    const edit = TRACE ? this.edited.get(doc.uri) : undefined;
    const traced = !!edit && edit.version <= doc.version;
    if (traced) this.edited.delete(doc.uri);
    const since = () => {
      const now = traceClock();
      return `${(now.at - edit!.at).toFixed(1)} ms (CPU ${(now.threadCpu - edit!.threadCpu).toFixed(1)} ms on the server's thread, ${(now.cpu - edit!.cpu).toFixed(1)} ms in all)`;
    };
    const head = `[kube-netlens] ${doc.uri} v${doc.version}: ${diagnostics.length} diagnostics`;
    if (this.pulls) {
      if (traced) process.stderr.write(`${head} (${what}) ready for a pull ${since()} after the change\n`);
      this.pulls.offer(doc.uri, doc.version, shown);
      return;
    }
    const sent = Promise.resolve(
      this.connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: shown }),
    );
    this.writing++;
    const written = () => void this.writing--;
    sent.then(written, written);
    if (!traced) return;
    const ready = since();
    void sent.then(() => {
      const kb = Buffer.byteLength(JSON.stringify(shown)) / 1024;
      process.stderr.write(
        `${head} (${what}, ${kb.toFixed(0)} KB) ready ${ready} and written ${since()} after the change\n`,
      );
    });
  }
}
