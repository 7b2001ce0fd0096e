// With lean-compose.ts and yaml-edit.ts, the only modules that import `yaml`.
//
// A file is split into document chunks at `---` / `...` marker lines before parsing. Each chunk is
// parsed on its own and cached by its exact text, so a keystroke re-parses one document, not the
// whole stream. The YAML spec forbids `---` or `...` at the start of a line inside any scalar, so
// splitting on those lines is exact.

import { countText } from './count';
import {
  Composer,
  CST,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Lexer,
  Parser,
  Scalar,
  YAMLParseError,
} from 'yaml';
import type { Node as YNode, Document, ScalarTag } from 'yaml';
import type { AstNode, MapNode, PairNode, ScalarNode, SeqNode } from './ast';
import { exactList, keyTextOf, makePair, Pair } from './ast';
import { sharedString } from './shared-strings';
import { KubernetesQuotesLexer, LENIENT_QUOTES } from './quoted-continuation';
import { EXCESSIVE_ALIASING, mergedPairs, Refs, RefsStop } from './refs';
import { composeLean, leanSchema, MapKeys, scalarNode } from './lean-compose';
import type { DuplicateKey } from './lean-compose';
import type { AliasUse, MergeStep } from './refs';
import type { UnderIndentedLine } from './quoted-continuation';

export interface SyntaxError {
  start: number;
  end: number;
  message: string;
  code: string;
  /** true for warnings from the parser (e.g. a tag it does not know). */
  warning: boolean;
  /** A QUOTED_CONTINUATION note's least indentation that YAML 1.2 accepts on its line. */
  needed?: number;
}

/** Why a document was not parsed or not checked: one notice at the start of what was skipped. */
export interface SkipNotice {
  /** Rule id of the notice (`document-too-complex`, `document-time-budget`). */
  ruleId: string;
  message: string;
  start: number;
  end: number;
}

/** One YAML document of a file. Offsets inside `root` and `errors` are relative to `base`. */
export interface ParsedDocument {
  /** Offset of the chunk in the file. Changes when earlier documents grow or shrink. */
  base: number;
  /** Index of the document in the file (0-based). */
  index: number;
  text: string;
  /** The document's tree; null for an empty document, one over a limit, or one with syntax errors
   * and more than MAX_BROKEN_TREE_VALUES values. */
  root: AstNode | null;
  errors: SyntaxError[];
  /** Offset (relative) where the document's content begins, after any `---` line. */
  contentStart: number;
  /** Set when the document went over a limit and was not parsed (root is null, errors empty). */
  skipped?: SkipNotice;
  /** The document's aliases, each with the span of the anchored value it stands for (set only when
   * there is one). In the tree an alias is that value (see refs.ts). */
  aliases?: AliasUse[];
}

export interface Chunk {
  start: number;
  text: string;
  /** The rest of a file past its document limit: not parsed (see splitDocuments' maxChunks). */
  overflow?: boolean;
}

/** What one document may cost. Every limit is checked while the parser reads the text, before the
 * nodes it would allocate exist, so no document can take the server's memory or stack with it. */
export interface ParseLimits {
  /** Values (scalars, aliases, collections, entries) in one document. */
  maxNodes: number;
  /** Lexical tokens of one document (punctuation included: `[,,,,]` has no values but many tokens). */
  maxTokens: number;
  /** Collections nested inside each other. */
  maxDepth: number;
  /** YAML syntax errors reported per document; the rest are counted in one last note. */
  maxErrors: number;
  /** Wall-clock budget for parsing one document, in ms (checked every few thousand tokens). */
  budgetMs: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  maxNodes: 100_000,
  maxTokens: 1_000_000,
  maxDepth: 128,
  maxErrors: 100,
  budgetMs: 2000,
};

export const DOCUMENT_TOO_COMPLEX = 'document-too-complex';
export const DOCUMENT_TIME_BUDGET = 'document-time-budget';
/** Code of the syntax error that counts the errors not shown. */
export const MORE_ERRORS = 'MORE_ERRORS';

const MARKER = /^(---|\.\.\.)(?=[ \t\r\n]|$)/;
/** Split a YAML stream into document chunks. A chunk starts at a `---` line (included) and ends
 * before the next one; `...` closes a document (the marker stays with the document it closes). */
export function splitDocuments(text: string, maxChunks = Infinity): Chunk[] {
  const steps = splitDocumentsInSteps(text, maxChunks);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Lines splitDocumentsInSteps reads between two steps. */
const SPLIT_STEP_LINES = 8192;

/** splitDocuments a step at a time (a step every SPLIT_STEP_LINES lines), so that a caller can give
 * the event loop a turn between steps: a text of a million lines takes a while to split. */
export function* splitDocumentsInSteps(text: string, maxChunks = Infinity): Generator<void, Chunk[]> {
  const chunks: Chunk[] = [];
  let lines = 0;
  // The last chunk allowed takes the rest of the text, marked as overflow, as soon as a split
  // shows that more documents follow.
  const full = () => chunks.length >= maxChunks - 1;
  let chunkStart = 0;
  let lineStart = 0;
  let sawContent = false; // any non-blank, non-comment line in the current chunk
  let closed = false; // a `...` was seen: the next line starts a new chunk
  const n = text.length;
  while (lineStart <= n) {
    if (++lines === SPLIT_STEP_LINES) {
      lines = 0;
      yield;
    }
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = n;
    const c = text.charCodeAt(lineStart);
    if (c === 45 /* - */ || c === 46 /* . */) {
      const line = text.slice(lineStart, Math.min(lineEnd, lineStart + 4));
      const m = MARKER.exec(line);
      if (m) {
        if (m[1] === '---') {
          if (lineStart > chunkStart && (sawContent || closed)) {
            if (full()) {
              chunks.push({ start: chunkStart, text: text.slice(chunkStart), overflow: true });
              return chunks;
            }
            chunks.push({ start: chunkStart, text: text.slice(chunkStart, lineStart) });
            chunkStart = lineStart;
          }
          sawContent = true;
          closed = false;
        } else {
          closed = true;
          const next = lineEnd === n ? n : lineEnd + 1;
          if (full() && next < n) {
            chunks.push({ start: chunkStart, text: text.slice(chunkStart), overflow: true });
            return chunks;
          }
          chunks.push({ start: chunkStart, text: text.slice(chunkStart, next) });
          chunkStart = next;
          sawContent = false;
          closed = false;
        }
        if (lineEnd === n) break;
        lineStart = lineEnd + 1;
        continue;
      }
    }
    if (!sawContent) {
      // blank lines and comments before the first marker belong to the first document
      let i = lineStart;
      while (
        i < lineEnd &&
        (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9 || text.charCodeAt(i) === 13)
      )
        i++;
      if (i < lineEnd && text.charCodeAt(i) !== 35 /* # */) sawContent = true;
    }
    if (lineEnd === n) break;
    lineStart = lineEnd + 1;
  }
  if (chunkStart < n || chunks.length === 0) chunks.push({ start: chunkStart, text: text.slice(chunkStart) });
  return chunks;
}

class LimitExceeded extends Error {
  constructor(readonly notice: SkipNotice) {
    super(notice.message);
  }
}

/** Thrown by the composer's error handler at a document's first error past `maxErrors`. */
class TooManyErrors extends Error {
  /** The cap that stopped reading (set as it leaves composeDocument). */
  cap?: ErrorCap;
  constructor(readonly at: [number, number]) {
    super('too many YAML syntax errors');
  }
}

/** An error or warning as yaml's composer files it (YAMLParseError, YAMLWarning). */
type FiledError = { pos: [number, number]; code: string; message: string };

/** A document's syntax errors as they come, from the parser (stray tokens of the stream, counted as
 * they pass) and from the composer (counted as it files them on its lists). Its lists hold them in
 * the order the composer files them. Past `max` errors, once the document has more values than a
 * broken document keeps a tree for (`large()`), it throws TooManyErrors: a document of thousands of
 * broken lines costs what its first errors cost. (A smaller one is read to its end: its errors are
 * all counted and its tree kept.) With a version of yaml whose composer has no such lists, compose
 * errors are not counted here. */
class ErrorCap {
  readonly errors: RawError[] = [];
  readonly warnings: RawError[] = [];
  constructor(
    readonly max: number,
    private readonly large: () => boolean,
  ) {}

  /** Set once reading stopped. (yaml's composer catches what a collection throws and reports it as
   * one more error, at the collection: the handler throws the same stop again, up to the top.) */
  stopped: TooManyErrors | undefined;

  add(e: RawError): void {
    if (this.stopped) throw this.stopped;
    if (this.errors.length < this.max) this.errors.push(e);
    else if (this.large()) throw (this.stopped = new TooManyErrors(e.pos));
  }

  /** Set while a stray token counted by `tokens` is with the composer: the error it files for it
   * is that one, already counted. */
  private passing = false;

  /** The parser's tokens on their way to the composer, with the stray ones (error tokens, which the
   * parser yields only at stream level, between documents' tokens) counted as they pass. */
  *tokens(from: Iterable<CST.Token>): Generator<CST.Token, void> {
    for (const token of from) {
      if (token.type === 'error') {
        this.token(token);
        this.passing = true;
      }
      yield token;
      this.passing = false;
    }
  }

  /** A stray token the parser yields at stream level (what the composer makes of it). */
  token(t: CST.ErrorToken): void {
    const message = t.source ? `${t.message}: ${JSON.stringify(t.source)}` : t.message;
    this.add({
      pos: [t.offset, t.offset + (t.source ? t.source.length : 1)],
      code: 'UNEXPECTED_TOKEN',
      message,
    });
  }

  /** Count what the composer files from now on: its error and warning lists become FiledLists, whose
   * push goes through the cap first. (Its error handler, which files them there, is left as it is:
   * with a function of ours in its place, or in each list, every document's parser and composer
   * outlived two scavenges and were promoted to the old generation, about 10x the promoted memory of
   * a parse.) */
  hook(composer: Composer): void {
    const c = composer as unknown as { errors?: unknown; warnings?: unknown };
    if (!Array.isArray(c.errors) || !Array.isArray(c.warnings)) return;
    c.errors = new FiledList(this, false);
    c.warnings = new FiledList(this, true);
  }

  /** What the composer files, before it is on its list (see FiledList). */
  filed(e: FiledError, warning: boolean): void {
    if (this.stopped) throw this.stopped;
    const raw = { pos: e.pos, code: e.code, message: e.message };
    if (warning) this.warnings.push(raw);
    else if (!this.passing) this.add(raw);
  }
}

/** The composer's list of errors (or warnings), counted by an ErrorCap as they are filed: its push
 * throws the cap's stop, which then reaches the top (yaml catches what a collection throws and files
 * it as one more error, at the collection: the stop is thrown again). */
class FiledList extends Array<FiledError> {
  // what the list's own methods (slice, map, ...) return: plain arrays
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  constructor(
    private readonly cap: ErrorCap,
    private readonly warning: boolean,
  ) {
    super();
  }

  override push(...items: FiledError[]): number {
    for (const e of items) {
      this.cap.filed(e, this.warning);
      super.push(e);
    }
    return this.length;
  }
}

/** yaml's own CST parser, counting as it goes: it stops (throws LimitExceeded) as soon as the
 * document has too many values or tokens, collections nested too deep, or the time budget is
 * spent. `parse` reads the lexemes itself (as `Parser.parse` does) and counts each one before the
 * parser takes it: a wrapper around `next` cost a generator per lexeme, about a fifth of the parse. */
class BoundedParser extends Parser {
  nodes = 0;
  tokens = 0;
  /** Whether the text holds an anchor, an alias, a tag or a `<<` (see Refs). */
  refs = false;
  /** The open collections as last seen, by depth, and the value count when each was first seen
   * there (to name the collection that holds most). */
  private openTokens: CST.Token[] = [];
  private openedAt: number[] = [];
  readonly deadline: number;

  constructor(
    private readonly limits: ParseLimits,
    private readonly text: string,
    private readonly lexemes: Lexer = new Lexer(),
  ) {
    super();
    this.deadline = performance.now() + limits.budgetMs;
  }

  override *parse(source: string, incomplete = false): Generator<CST.Token, void> {
    for (const lexeme of this.lexemes.lex(source, incomplete)) {
      this.tokens++;
      const c = lexeme.charCodeAt(0);
      // a plain scalar comes as the SCALAR marker and then its text: count the marker only
      if (
        lexeme === CST.SCALAR ||
        c === 34 /* " */ ||
        c === 39 /* ' */ ||
        c === 42 /* * */ ||
        c === 91 /* [ */ ||
        c === 123 /* { */ ||
        (lexeme.length === 1 && (c === 45 /* - */ || c === 63 /* ? */ || c === 44)) /* , */
      )
        this.nodes++;
      // an anchor, an alias, a tag (`!!merge`) or a merge key: the document's tree is built with a Refs
      if (c === 38 /* & */ || c === 42 /* * */ || c === 33 /* ! */ || (c === 60 /* < */ && lexeme === '<<'))
        this.refs = true;
      yield* this.next(lexeme);
      this.check();
    }
    if (!incomplete) yield* this.end();
  }

  private check(): void {
    const stack = this.stack;
    const open = this.openTokens;
    for (let i = stack.length - 1; i >= 0 && open[i] !== stack[i]; i--) {
      open[i] = stack[i];
      this.openedAt[i] = this.nodes;
    }
    if (open.length > stack.length) open.length = stack.length;
    if (stack.length > this.limits.maxDepth) {
      const deep = stack[this.limits.maxDepth];
      throw new LimitExceeded(
        this.notice(
          DOCUMENT_TOO_COMPLEX,
          deep,
          `Kube NetLens skipped this document: its YAML is nested more than ${countText(this.limits.maxDepth)} levels deep here, over the limit that keeps the parser's memory and stack bounded (broken indentation or an unclosed bracket above can nest every later line). Fix or flatten the nesting to have the document checked.`,
        ),
      );
    }
    if (this.nodes > this.limits.maxNodes || this.tokens > this.limits.maxTokens) {
      const byNodes = this.nodes > this.limits.maxNodes;
      const big = this.biggest();
      const what = byNodes
        ? `more than ${countText(this.limits.maxNodes)} YAML values`
        : `more than ${countText(this.limits.maxTokens)} YAML tokens`;
      const where = big
        ? ` (this ${describeToken(big.token)} alone holds over ${countText(this.nodes - big.at)} values)`
        : '';
      throw new LimitExceeded(
        this.notice(
          DOCUMENT_TOO_COMPLEX,
          big?.token,
          `Kube NetLens skipped this document: it holds ${what}${where}, over the limit that keeps the editor's memory and response time bounded. Split it into smaller documents (\`---\`) or files to have it checked.`,
        ),
      );
    }
    if ((this.tokens & 4095) === 0 && performance.now() >= this.deadline) {
      throw new LimitExceeded(
        this.notice(
          DOCUMENT_TIME_BUDGET,
          undefined,
          `Kube NetLens skipped this document: reading its YAML took longer than the ${countText(this.limits.budgetMs)} ms budget per document that keeps the editor responsive. Split it into smaller documents (\`---\`) or files to have it checked.`,
        ),
      );
    }
  }

  /** The innermost open collection that holds at least half of the values counted so far. */
  private biggest(): { token: CST.Token; at: number } | undefined {
    const stack = this.stack;
    for (let i = stack.length - 1; i >= 1; i--) {
      const at = this.openTokens[i] === stack[i] ? this.openedAt[i] : this.nodes;
      if (isCollectionToken(stack[i]) && this.nodes - at >= this.nodes / 2) return { token: stack[i], at };
    }
    return undefined;
  }

  private notice(ruleId: string, token: CST.Token | undefined, message: string): SkipNotice {
    const start = token && 'offset' in token ? token.offset : firstContent(this.text);
    return { ruleId, message, start, end: Math.min(this.text.length, start + 1) };
  }
}

function isCollectionToken(t: CST.Token): boolean {
  return t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection';
}

function describeToken(t: CST.Token | undefined): string {
  if (!t) return 'document';
  if (t.type === 'flow-collection') return t.start.source === '[' ? 'flow sequence' : 'flow map';
  if (t.type === 'block-seq') return 'sequence';
  if (t.type === 'block-map') return 'map';
  return 'value';
}

/** Offset of a document's first content: past a leading `---` / `...` marker, blanks and comments
 * (0 if there is none). */
export function documentContentStart(text: string): number {
  const m = MARKER.exec(text.slice(0, 4));
  if (!m) return firstContent(text);
  const rest = firstContent(text.slice(3));
  return rest === 0 && !/\S/.test(text.slice(3, 4)) ? 0 : rest + 3;
}

/** Offset of the first character that is not blank and not in a comment (0 if none). */
function firstContent(text: string): number {
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) i++;
    else if (c === 35 /* # */) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return 0;
      i = nl + 1;
    } else return i;
  }
  return 0;
}

/** Only an optional `---` marker, spaces and line breaks (the shape of a run of empty documents). */
function isEmptyDocument(text: string): boolean {
  let i = text.startsWith('---') ? 3 : 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10) continue;
    if (c === 13 && text.charCodeAt(i + 1) === 10) continue;
    return false;
  }
  return true;
}

/** The plain scalars that Kubernetes reads as booleans besides true and false: kubectl turns YAML into
 * JSON with go-yaml v2, which keeps YAML 1.1's y/yes/on and n/no/off (in these three cases). So
 * `hostNetwork: yes` is the boolean true to the API server, and `enabled: yes` under labels is a
 * boolean where a string must be (the API server refuses the object). */
const KUBERNETES_BOOLEANS: ScalarTag = {
  tag: 'tag:yaml.org,2002:bool',
  default: true,
  test: /^(?:[yY]|[Yy]es|YES|[Oo]n|ON|[nN]|[Nn]o|NO|[Oo]ff|OFF)$/,
  resolve: (text) => text[0] === 'y' || text[0] === 'Y' || text === 'on' || text === 'On' || text === 'ON',
};

/** What Kubernetes reads as true or false besides true and false (KUBERNETES_BOOLEANS). */
export function isYaml11Boolean(source: string): boolean {
  return KUBERNETES_BOOLEANS.test!.test(source);
}

const PARSE_OPTIONS = {
  prettyErrors: false,
  uniqueKeys: false,
  strict: true,
  stringKeys: false,
  customTags: [KUBERNETES_BOOLEANS] as ScalarTag[],
} as const;

/** Parse one chunk. Never throws: whatever the input, the result holds errors (or a skip notice) instead. */
export function parseChunk(
  chunk: Chunk,
  index: number,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
  /** false: every document composed by yaml (the tests compare the two readings) */
  lean = true,
): ParsedDocument {
  const text = chunk.text;
  // a document with no content (a marker line, blank lines): what the parser would answer, without it
  // (a run of empty documents costs no parser per document)
  if (isEmptyDocument(text)) {
    if (!text.startsWith('---'))
      return { base: chunk.start, index, text, root: null, errors: [], contentStart: 0 };
    let at = 3; // after the marker and the blanks that follow it on its line: an empty (null) value
    while (text.charCodeAt(at) === 32) at++;
    const root: ScalarNode = { type: 'scalar', start: at, end: at, value: null, source: '', style: 'plain' };
    return { base: chunk.start, index, text, root, errors: [], contentStart: at };
  }
  let doc: Document.Parsed | undefined;
  let values = 0;
  let cap: ErrorCap | undefined;
  let refs = false;
  let underIndented: UnderIndentedLine[] = [];
  // yaml makes an Error object per syntax error: without stack traces a document with thousands
  // of errors costs half as much
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    // most documents are read from yaml's CST directly (see lean-compose.ts); the others are
    // composed by yaml, with what is left of the document's budget
    const read = lean ? parseLean(text, limits) : limits.budgetMs;
    if (typeof read !== 'number') {
      const errors = syntaxErrors(text, read.duplicates, [], limits.maxErrors);
      return { base: chunk.start, index, text, root: read.root, errors, contentStart: read.contentStart };
    }
    const strict = composeDocument(text, { ...limits, budgetMs: read });
    ({ doc, values, cap, refs } = strict);
    // a quoted value cut short by a less indented line: read as Kubernetes reads it, kept when that
    // reading has no error (see quoted-continuation.ts)
    if (doc && LENIENT_QUOTES && doc.errors.some(isMissingClosingQuote)) {
      const lexer = new KubernetesQuotesLexer();
      try {
        // (with what is left of the document's budget)
        const left = Math.max(0, strict.deadline - performance.now());
        const lenient = composeDocument(text, { ...limits, budgetMs: left }, lexer);
        if (lenient.doc && lenient.doc.errors.length === 0 && lexer.underIndented.length > 0) {
          ({ doc, values, cap, refs } = lenient);
          underIndented = lexer.underIndented;
        }
      } catch {
        // (over a limit when read leniently: the strict reading stands)
      }
    }
  } catch (e) {
    if (e instanceof TooManyErrors && e.cap) {
      const cap = e.cap;
      // the first errors, and one note where reading stopped; nothing in the document is checked
      const errors = syntaxErrors(text, cap.errors, cap.warnings, limits.maxErrors);
      const at = toSyntaxError({ pos: e.at, code: MORE_ERRORS, message: '' }, text, contentEnd(text), false);
      errors.splice(cap.errors.length, 0, {
        ...at,
        message: `Kube NetLens stopped reading this document here, at its YAML syntax error number ${countText(limits.maxErrors + 1)}: only the first ${countText(limits.maxErrors)} are shown and nothing in this document is checked. Fix the errors above first.`,
      });
      return { base: chunk.start, index, text, root: null, errors, contentStart: 0 };
    }
    if (e instanceof LimitExceeded) {
      return { base: chunk.start, index, text, root: null, errors: [], contentStart: 0, skipped: e.notice };
    }
    // The parser is robust, but a parser bug must never take the server down.
    const message = e instanceof Error ? e.message : String(e);
    return {
      base: chunk.start,
      index,
      text,
      root: null,
      errors: [
        {
          start: 0,
          end: Math.min(text.length, 1),
          message: `YAML parser failure: ${message}`,
          code: 'PARSER',
          warning: false,
        },
      ],
      contentStart: 0,
    };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  if (!doc) return { base: chunk.start, index, text, root: null, errors: [], contentStart: 0 };
  const duplicates: { pos: [number, number]; message: string; code: string }[] = [];
  // a broken document is reported by its syntax errors and no rule reads its tree: past a size its
  // tree is not built (20,000 broken lines made a tree that took the editor's thread most of a second
  // to receive from the parser thread)
  const keep = doc.errors.length === 0 || values <= MAX_BROKEN_TREE_VALUES;
  // anchors, aliases and merge keys, resolved as kubectl resolves them (see refs.ts)
  const r = refs && keep ? new Refs(limits.maxNodes) : undefined;
  let root: AstNode | null;
  try {
    // (without anchors, aliases or merge keys, each node is read by convertNode directly)
    root =
      !doc.contents || !keep
        ? null
        : r
          ? convert(doc.contents as YNode, text, 0, duplicates, r)
          : convertNode(doc.contents as YNode, text, 0, duplicates, undefined);
  } catch (e) {
    if (!(e instanceof RefsStop)) throw e;
    if (e.kind === 'limit')
      return {
        base: chunk.start,
        index,
        text,
        root: null,
        errors: [],
        contentStart: 0,
        skipped: { ruleId: DOCUMENT_TOO_COMPLEX, message: e.message, start: e.start, end: e.end },
      };
    // go-yaml refuses the document: its syntax errors and this one, and no tree
    const raw = { pos: [e.start, e.end] as [number, number], code: EXCESSIVE_ALIASING, message: e.message };
    const errors = syntaxErrors(text, [...doc.errors, raw], doc.warnings, limits.maxErrors);
    return { base: chunk.start, index, text, root: null, errors, contentStart: 0 };
  }
  if (r) r.finish();
  const errors = syntaxErrors(
    text,
    r ? [...doc.errors, ...duplicates, ...r.errors] : [...doc.errors, ...duplicates],
    r ? [...doc.warnings, ...r.warnings] : doc.warnings,
    limits.maxErrors,
  );
  for (const line of underIndented)
    errors.push({
      start: line.start,
      end: line.end,
      code: QUOTED_CONTINUATION,
      message: `This line continues the quoted value above but is indented ${countText(line.indent)} ${line.indent === 1 ? 'space' : 'spaces'}, and YAML 1.2 wants at least ${countText(line.needed)} here: Kubernetes (kubectl, Helm, kustomize) reads the value as meant, but strict YAML tools (yaml-language-server, Prettier, the yaml package) reject the file. Indent the line more; the value stays the same.`,
      warning: true,
      needed: line.needed,
    });
  const contentStart = doc.contents?.range ? doc.contents.range[0] : 0;
  if (r && r.uses.length > 0)
    return { base: chunk.start, index, text, root, errors, contentStart, aliases: exactList(r.uses) };
  return { base: chunk.start, index, text, root, errors, contentStart };
}

/** The code of the note on a continuation line of a quoted value that only Kubernetes' parser
 * accepts (a warning in `errors`: the document is read and checked). */
export const QUOTED_CONTINUATION = 'QUOTED_CONTINUATION';

function isMissingClosingQuote(e: { code: string; message: string }): boolean {
  return e.code === 'MISSING_CHAR' && e.message.startsWith('Missing closing');
}

const LEAN_SCHEMA = leanSchema(PARSE_OPTIONS);

/** A document read from its CST by composeLean, or, when composeLean does not read it, the ms left
 * of its budget. Throws LimitExceeded as composeDocument does (the same parser reads the text). */
function parseLean(
  text: string,
  limits: ParseLimits,
): { root: AstNode; contentStart: number; duplicates: DuplicateKey[] } | number {
  const parser = new BoundedParser(limits, text);
  const tokens: CST.Token[] = [];
  let clean = true;
  for (const token of parser.parse(text)) {
    // a syntax error the parser finds: the Composer reads the document (and stops at the error
    // cap while the parser reads, as it did without this path)
    if (token.type === 'error') {
      clean = false;
      break;
    }
    tokens.push(token);
  }
  // (anchors, aliases, tags and merge keys are read with a Refs, from yaml's nodes)
  if (clean && !parser.refs) {
    const duplicates: DuplicateKey[] = [];
    const read = composeLean(tokens, text, LEAN_SCHEMA, duplicates);
    if (read) return { ...read, duplicates };
  }
  return Math.max(0, parser.deadline - performance.now());
}

/** parseDocument's steps, with a parser that counts what it reads (throws LimitExceeded or
 * TooManyErrors past a limit). Duplicate keys are found in `convert` with a hash set (yaml's own check
 * compares each key with every earlier one). */
function composeDocument(
  text: string,
  limits: ParseLimits,
  lexer?: Lexer,
): { doc: Document.Parsed | undefined; values: number; cap: ErrorCap; deadline: number; refs: boolean } {
  const parser = new BoundedParser(limits, text, lexer);
  const cap = new ErrorCap(limits.maxErrors, () => parser.nodes > MAX_BROKEN_TREE_VALUES);
  const composer = new Composer(PARSE_OPTIONS);
  cap.hook(composer);
  let doc: Document.Parsed | undefined;
  let values = 0;
  try {
    for (const d of composer.compose(cap.tokens(parser.parse(text)), true, text.length)) {
      values = parser.nodes;
      if (!doc) doc = d as Document.Parsed;
      else {
        doc.errors.push(
          new YAMLParseError([d.range[0], d.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents'),
        );
        break;
      }
    }
  } catch (e) {
    if (e instanceof TooManyErrors) e.cap = cap;
    throw e;
  }
  return { doc, values, cap, deadline: parser.deadline, refs: parser.refs };
}

type RawError = { pos: [number, number]; message: string; code: string };

/** Map the parser's errors and warnings to ranges in the text: at most `max` errors, then one note
 * that counts the rest. Linear in the text plus the number of errors. */
function syntaxErrors(text: string, errors: RawError[], warnings: RawError[], max: number): SyntaxError[] {
  const out: SyntaxError[] = [];
  if (errors.length === 0 && warnings.length === 0) return out;
  const end = contentEnd(text);
  const shown = errors.length > max ? errors.slice(0, max) : errors;
  for (const e of shown) out.push(toSyntaxError(e, text, end, false));
  if (errors.length > max) {
    const next = toSyntaxError(errors[max], text, end, false);
    out.push({
      ...next,
      code: MORE_ERRORS,
      message: `${countText(errors.length - max)} more YAML syntax errors in this document are not shown (only the first ${countText(max)} are): fix the ones above first`,
    });
  }
  for (const w of warnings.slice(0, max)) out.push(toSyntaxError(w, text, end, true));
  return out;
}

/** Length of the text without its trailing whitespace and the whole-line comments and blank lines
 * before it (what `/(\n[ \t]*(#[^\n]*)?)*\s*$/` would cut, found backwards in one pass). */
export function contentEnd(text: string): number {
  let end = text.length;
  while (end > 0 && isSpace(text.charCodeAt(end - 1))) end--;
  // a line that holds only blanks and maybe a comment, just before `end`, goes too
  while (end > 0) {
    const nl = text.lastIndexOf('\n', end - 1);
    if (nl < 0) break;
    let i = nl + 1;
    while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    if (i < end && text.charCodeAt(i) !== 35 /* # */) break;
    end = nl;
  }
  return end;
}

function isSpace(c: number): boolean {
  return (
    c === 32 ||
    c === 10 ||
    c === 9 ||
    c === 13 ||
    c === 11 ||
    c === 12 ||
    c === 0xa0 ||
    c === 0xfeff ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

const AT_LINE = / at line \d+, column \d+:?$/;

function toSyntaxError(e: RawError, text: string, contentEnd: number, warning: boolean): SyntaxError {
  let [start, end] = e.pos;
  // Errors found at the end of the document (an unclosed bracket) point at its last character
  // rather than at the next document's `---` line.
  const last = Math.max(0, contentEnd - 1);
  start = Math.max(0, Math.min(start, text.length));
  if (start >= contentEnd) start = last;
  end = Math.max(start, Math.min(end, text.length));
  if (end <= start) end = Math.min(text.length, start + 1);
  // end the range at the end of its first line (looking no further than the range itself)
  for (let i = start + 1; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      end = i;
      break;
    }
  }
  const message = e.message.replace(AT_LINE, '').trim();
  return { start, end, message, code: e.code, warning };
}

const MAX_DEPTH = 200;

/** A document with syntax errors and more YAML values than this gets no tree (root null): its errors
 * are reported, and nothing it defines reaches the index. */
export const MAX_BROKEN_TREE_VALUES = 10_000;

/** A plain scalar's value when it is the text at its range (shared), else undefined: what convert
 * would make a scalar of style plain whose value and source are that text. */
function plainText(node: Scalar, text: string): string | undefined {
  const v = node.value;
  const range = node.range;
  if (typeof v !== 'string' || !range || styleOf(node) !== 'plain') return undefined;
  return v.length === range[1] - range[0] && text.startsWith(v, range[0]) ? sharedString(v) : undefined;
}

function styleOf(node: Scalar): ScalarNode['style'] {
  if (node.type === Scalar.QUOTE_DOUBLE) return 'double';
  if (node.type === Scalar.QUOTE_SINGLE) return 'single';
  if (node.type === Scalar.BLOCK_FOLDED || node.type === Scalar.BLOCK_LITERAL) return 'block';
  return 'plain';
}

/** A document's YAML node as a tree (see ast.ts). With `refs` (a document that holds anchors,
 * aliases, tags or merge keys), anchors are filed, aliases resolved and merge keys merged as go-yaml
 * v2 does, counting the values it decodes (see refs.ts). */
function convert(node: YNode, text: string, depth: number, duplicates: RawError[], refs: Refs): AstNode {
  // go-yaml counts every value it decodes; an anchor is filed when its node starts (an alias inside
  // its own value names it)
  const before = refs.decodes++;
  const name = (node as { anchor?: string }).anchor;
  if (!name) return convertNode(node, text, depth, duplicates, refs);
  const anchored = refs.open(name);
  const out = convertNode(node, text, depth, duplicates, refs);
  refs.close(anchored, out, before);
  return out;
}

const MERGE_TAG = 'tag:yaml.org,2002:merge';

/** go-yaml v2's isMerge: a plain `<<` without a tag, or a key tagged `!!merge`. */
function isMergeKey(k: YNode | null): k is Scalar {
  if (!isScalar(k)) return false;
  if (k.tag) return k.tag === MERGE_TAG;
  return k.value === '<<' && k.type === Scalar.PLAIN;
}

function describeValue(n: AstNode): string {
  if (n.type === 'scalar') return n.value === null ? 'an empty value' : `a scalar (${n.source})`;
  return n.type === 'seq' ? 'a list' : 'a map';
}

/** The pairs a `<<` merges (in the order go-yaml sets them), its value read as go-yaml reads it: a
 * map or an alias of one is decoded as any value; a list's maps are decoded from the last to the
 * first (the list itself is not a value it decodes), so they are counted in that order. */
function mergeValue(
  value: YNode | null,
  key: Scalar,
  text: string,
  depth: number,
  duplicates: RawError[],
  refs: Refs,
): PairNode[] {
  if (!value || !('range' in value) || !value.range) {
    const r = key.range ?? [0, 0];
    refs.badMerge(r[0], r[1], 'an empty value');
    return [];
  }
  if (isSeq(value)) {
    // (a list with an anchor is filed as any list: an alias of it elsewhere is that list)
    const anchored = value.anchor ? refs.open(value.anchor) : undefined;
    const decodes = refs.decodes;
    const aliased = refs.aliased;
    const parts: { node: AstNode; decodes: number; aliased: number }[] = [];
    refs.quiet++;
    for (const item of value.items) {
      if (!item || typeof item !== 'object' || !('range' in item) || isPair(item)) {
        const r = value.range;
        refs.badMerge(r[0], r[1], 'a list that holds something other than maps');
        continue;
      }
      const d = refs.decodes;
      const a = refs.aliased;
      const n = convert(item as YNode, text, depth + 2, duplicates, refs);
      parts.push({ node: n, decodes: refs.decodes - d, aliased: refs.aliased - a });
    }
    refs.quiet--;
    refs.decodes = decodes;
    refs.aliased = aliased;
    const merged: PairNode[] = [];
    for (let i = parts.length - 1; i >= 0; i--) {
      const { node: n, decodes: d, aliased: a } = parts[i];
      refs.decodes += d;
      refs.aliased += a;
      if (a > 0) refs.check(n.start, n.end);
      if (n.type === 'map') merged.push(...n.pairs);
      else if (n.type !== 'alias') refs.badMerge(n.start, n.end, `${describeValue(n)} in the list`);
    }
    if (anchored) {
      const items = parts.map((p) => p.node);
      const r = value.range;
      const end = !value.flow && items.length ? items[items.length - 1].end : r[1];
      const list: SeqNode = { type: 'seq', start: r[0], end, flow: !!value.flow, items: exactList(items) };
      // (as a value elsewhere, go-yaml decodes the list itself too)
      refs.close(anchored, list, decodes - 1);
    }
    return merged;
  }
  const n = convert(value, text, depth + 1, duplicates, refs);
  if (n.type === 'map') return n.pairs;
  if (n.type === 'scalar' && n.value === null && n.start === n.end) {
    // (nothing written after `<<:`: said at the key)
    const r = key.range ?? [n.start, n.end];
    refs.badMerge(r[0], r[1], 'an empty value');
    return [];
  }
  // (an alias that names no anchor has its own error)
  if (n.type !== 'alias') refs.badMerge(n.start, n.end, describeValue(n));
  return [];
}

function convertNode(
  node: YNode,
  text: string,
  depth: number,
  duplicates: RawError[],
  refs: Refs | undefined,
): AstNode {
  const range = node.range ?? [0, 0, 0];
  const start = range[0];
  const end = range[1];
  if (depth > MAX_DEPTH) {
    return { type: 'scalar', start, end, value: null, source: '', style: 'plain' };
  }
  if (isScalar(node)) {
    const v = node.value;
    let value: ScalarNode['value'];
    if (v === null || v === undefined) value = null;
    else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') value = v;
    else if (typeof v === 'bigint') value = Number(v);
    else value = String(v);
    const style = styleOf(node);
    // (a plain scalar's text is most often its value: one string for both, found without a slice;
    // short strings come from one table, see shared-strings.ts)
    return scalarNode(text, start, end, typeof value === 'string' ? sharedString(value) : value, style);
  }
  if (isAlias(node)) {
    // the anchored value, at the alias's span (see refs.ts); an alias that names no anchor stays one
    const value = refs?.resolve(node.source, start, end);
    return value ?? { type: 'alias', start, end, name: node.source };
  }
  if (isMap(node)) {
    const pairs: Pair[] = [];
    const keys = new MapKeys();
    // with merge keys: the map's own pairs and merges in order, and where its last item ends
    let steps: MergeStep[] | undefined;
    let lastEnd = start;
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const keyNode = item.key as YNode | null;
      if (refs && isMergeKey(keyNode)) {
        // (the `<<` key is not a value go-yaml decodes, and is no duplicate of another `<<`)
        const valueNode = item.value as YNode | null;
        if (!steps) {
          steps = pairs.map((own) => ({ own }));
          if (pairs.length) lastEnd = pairs[pairs.length - 1].end;
        }
        steps.push({ merged: mergeValue(valueNode, keyNode, text, depth + 1, duplicates, refs) });
        const r = valueNode && 'range' in valueNode && valueNode.range ? valueNode.range : keyNode.range;
        if (r) lastEnd = Math.max(lastEnd, r[1]);
        continue;
      }
      if (isScalar(keyNode) && keyNode.range) keys.add(keyNode.value, keyNode.range[0], duplicates);
      // a key that is plain text (most are) is kept as its text, without a node (see Pair); one with
      // an anchor is read as a node (it is filed)
      const plain =
        depth < MAX_DEPTH && isScalar(keyNode) && !(refs && keyNode.anchor)
          ? plainText(keyNode, text)
          : undefined;
      if (refs && plain !== undefined) refs.decodes++;
      const key: AstNode | undefined =
        plain !== undefined
          ? undefined
          : keyNode && typeof keyNode === 'object' && 'range' in keyNode
            ? refs
              ? convert(keyNode, text, depth + 1, duplicates, refs)
              : convertNode(keyNode, text, depth + 1, duplicates, undefined)
            : { type: 'scalar', start, end: start, value: null, source: '', style: 'plain' };
      const valueNode = item.value as YNode | null;
      const value =
        valueNode && typeof valueNode === 'object' && 'range' in valueNode
          ? refs
            ? convert(valueNode, text, depth + 1, duplicates, refs)
            : convertNode(valueNode, text, depth + 1, duplicates, undefined)
          : null;
      // (go-yaml decodes an empty value as a null scalar)
      if (refs && !value) refs.decodes++;
      let pair: Pair;
      if (key) pair = makePair(key, keyTextOf(key), value);
      else {
        const range = (keyNode as Scalar).range!;
        pair = new Pair(plain, value, range[0], null);
      }
      pairs.push(pair);
      if (steps) {
        steps.push({ own: pair });
        lastEnd = Math.max(lastEnd, pair.end);
      }
    }
    if (steps) {
      // a map with merge keys: as go-yaml leaves it (its block span ends at its last item's end)
      const merged = mergedPairs(steps, refs!);
      const mEnd = node.flow ? end : lastEnd;
      return { type: 'map', start, end: mEnd, flow: !!node.flow, pairs: exactList(merged) } satisfies MapNode;
    }
    // Block collections' ranges run on to the next line; end them at their last value instead.
    const mEnd = !node.flow && pairs.length ? pairs[pairs.length - 1].end : end;
    const m: MapNode = { type: 'map', start, end: mEnd, flow: !!node.flow, pairs: exactList(pairs) };
    return m;
  }
  if (isSeq(node)) {
    const items: AstNode[] = [];
    for (const item of node.items) {
      if (item && typeof item === 'object' && 'range' in (item as object))
        items.push(
          refs
            ? convert(item as YNode, text, depth + 1, duplicates, refs)
            : convertNode(item as YNode, text, depth + 1, duplicates, undefined),
        );
      else if (isPair(item)) {
        // `- a: b` inside a flow sequence is a single-pair map
        const k = item.key as YNode;
        // (go-yaml decodes the map and its value too)
        if (refs) refs.decodes += 2;
        const sub = refs
          ? convert(k, text, depth + 1, duplicates, refs)
          : convertNode(k, text, depth + 1, duplicates, undefined);
        items.push(sub);
      }
    }
    const sEnd = !node.flow && items.length ? items[items.length - 1].end : end;
    const s: SeqNode = { type: 'seq', start, end: sEnd, flow: !!node.flow, items: exactList(items) };
    return s;
  }
  return { type: 'scalar', start, end, value: null, source: '', style: 'plain' };
}

export type { Document };
