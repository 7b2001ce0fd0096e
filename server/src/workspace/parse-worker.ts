// Parsing off the server's main thread. A document whose new text is large goes to a worker thread
// that runs the same bounded parser (syntax/parse.ts) and hands back the parsed documents a batch at
// a time, so that the main thread takes them in small turns: each batch's trees as numbers in one
// moved buffer (syntax/tree-codec.ts; a structured clone of the trees cost the main thread about as
// much as parsing them), the rest of each document (errors, notices) cloned. Meanwhile the main
// thread answers requests on every other document.
//
// A large text of small documents is shared (ChunkParser.share): the worker parses its documents
// from the last one down while the main thread parses from the first one up, each claiming a
// document before parsing it (ShareClaims, in memory both threads see), until they meet; so both
// finish together however busy each core is. Only a warm worker takes a share (cold code ran
// several times slower than the main thread's and took the other core for little).
//
// The worker has its own heap limit (`resourceLimits`): a document that exhausts it costs the worker,
// not the server. That document gets one notice saying what happened, the worker is started again,
// and the documents after it are parsed. A worker that stops answering is ended the same way.
//
// The server starts the worker when a document over the size parsed in the server's thread first
// comes (the worker warms its parser on the server's sample texts until its first request); it ends
// after a while without work (and the next such text starts it again). It runs its own bundle
// (dist/parse-thread.js, which holds only the parser; or the server's bundle, main.ts, when that file
// is missing), started with `workerData.kubeNetlensChunkParser` set. A start takes about 60 ms before
// the thread's first parse, nearly all of it Node's start of a thread (one running an empty file takes
// as long); its cold code then parses several times slower than the server's thread for a few hundred
// ms, and compiling it takes CPU of its own.

import { countText } from '../syntax/count';
import { Worker, parentPort, workerData } from 'node:worker_threads';
import {
  DEFAULT_PARSE_LIMITS,
  DOCUMENT_TIME_BUDGET,
  DOCUMENT_TOO_COMPLEX,
  documentContentStart,
  parseChunk,
  splitDocuments,
} from '../syntax/parse';
import type { Chunk, ParsedDocument, ParseLimits } from '../syntax/parse';
import { IncrementalParser } from '../syntax/file';
import type { ParsedFile } from '../syntax/file';
import type { AstNode } from '../syntax/ast';
import { TreeReader, TreeWriter } from '../syntax/tree-codec';
import type { EncodedTrees } from '../syntax/tree-codec';

/** A chunk of a file and its document index in the file. */
export type IndexedChunk = Chunk & { index: number };

/** Something that parses chunks elsewhere and answers with one document per chunk, in order. */
export interface ChunkParser {
  /** `limits`: those of this request (default: the parser's own, see ParseWorkerOptions.limits). */
  parseChunks(chunks: IndexedChunk[], limits?: ParseLimits): Promise<ParsedDocument[]>;
  /**
   * Parse a share of `chunks` elsewhere while the caller parses the rest (see ShareClaims): the other
   * side claims chunks from the last one down, the caller from the first one up, until they meet.
   * Answers, per chunk, the document parsed elsewhere (undefined for those the caller claimed, and
   * for any that the other side claimed but could not answer); or undefined at once when the other
   * side cannot take a share now (its thread is not running, or still runs cold code: several times
   * slower than the caller's, it would take a core for little).
   */
  share?(
    chunks: IndexedChunk[],
    claims: ShareClaims,
    limits?: ParseLimits,
  ): Promise<(ParsedDocument | undefined)[]> | undefined;
  dispose(): void;
}

/** Who parses which chunk of a share (see ChunkParser.share): one word per chunk in memory both
 * threads see, set once from 0 (nobody yet) with an atomic compare-and-exchange, so that each chunk
 * is parsed by exactly one side. The caller claims from the first chunk up and the parser thread
 * from the last one down: the first claim either side loses is where they met, and each side stops
 * there. */
export class ShareClaims {
  static readonly HERE = 1;
  static readonly THREAD = 2;
  readonly words: Int32Array;

  constructor(count: number) {
    this.words = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, count)));
  }

  /** Claim chunk `i` for this thread; false when the other side has it. */
  claim(i: number): boolean {
    return Atomics.compareExchange(this.words, i, 0, ShareClaims.HERE) === 0;
  }

  /** Claim every chunk from `from` up that nobody claimed yet (the parser thread stops at the next
   * one it tries): what the caller will not parse after all. */
  claimRest(from: number): void {
    for (let i = from; i < this.words.length; i++)
      Atomics.compareExchange(this.words, i, 0, ShareClaims.HERE);
  }

  /** Who has chunk `i` (0: nobody yet). */
  owner(i: number): number {
    return Atomics.load(this.words, i);
  }
}

/** Parse a whole file's documents with `parser` (on another thread). */
export async function parseFileOn(parser: ChunkParser, text: string): Promise<ParsedFile> {
  const file = new IncrementalParser();
  const missing = file.missing(text);
  const docs = await parser.parseChunks(missing.chunks);
  return file.parse(text, new Map(missing.chunks.map((c, i) => [c.index, docs[i]])));
}

export interface ParseWorkerOptions {
  /** Script the worker runs (a bundle that calls runChunkParseWorker() when isChunkParseWorker()). */
  entry: string;
  /** Heap limit of the worker (old generation), in MB. */
  maxHeapMb?: number;
  /** The parse limits, read again for each request (the time budget follows the user's setting). */
  limits?: ParseLimits | (() => ParseLimits);
  /** A worker silent for this long on one job is ended; the chunk it was on gets a notice (default:
   * 20 s, or twice the parse time budget when that is longer). */
  stallMs?: number;
  /** An idle worker is ended after this long (ms). */
  idleMs?: number;
  /** Texts the worker parses when it starts, so that its first real parse runs warm code. */
  warmUp?: string[];
  /** Extra execArgv for the worker (tests run TypeScript entries through a loader). */
  execArgv?: string[];
  log?: (message: string) => void;
}

export const PARSE_WORKER_HEAP_MB = 512;
const STALL_MS = 20_000;
/** An idle worker is ended after this long (its memory goes back); the next large text starts one. */
const IDLE_MS = 30_000;
/** Work between two batches sent back (ms): a batch's cloning on the main thread stays short. */
const BATCH_MS = 8;
/** A thread that has parsed this much text (or finished its warm-up) runs warm code: it may take a
 * share (see ChunkParser.share). */
const WARM_CHARS = 256 * 1024;
/** A chunk at least this long goes to the thread in a request of its own: if it costs the thread its
 * heap, the documents before it were answered already and the notice lands on this one. */
const ALONE_CHARS = 64 * 1024;

interface WorkerInput {
  kubeNetlensChunkParser: true;
  limits: ParseLimits;
  warmUp: string[];
}

interface Request {
  id: number;
  chunks: IndexedChunk[];
  limits: ParseLimits;
  /** A share (see ChunkParser.share): the claims' memory; the worker parses the chunks it claims,
   * from the last one down. */
  claims?: SharedArrayBuffer;
}

/** Sent once by a worker warm enough to take a share: half its warm-up done (see runChunkParseWorker). */
interface Warm {
  warm: true;
}

/** Documents parsed so far for a request (`done` with the last batch): without their texts (the
 * main thread has them) and trees (in `trees`, in order; see received()). */
interface Reply {
  id: number;
  docs: ParsedDocument[];
  /** For a share: the position of each document among the request's chunks. */
  at?: number[];
  trees: EncodedTrees;
  done: boolean;
}

/** A document of a reply as parseChunk() gives it in this thread: its text and tree put back, in an
 * object of the shape parseChunk's literals have (the rules see one shape of document). */
function received(d: ParsedDocument, text: string, root: AstNode | null): ParsedDocument {
  const { base, index, errors, contentStart, skipped, aliases } = d;
  if (skipped) return { base, index, text, root, errors, contentStart, skipped };
  // (a document with aliases has their list, as parseChunk gives it)
  return aliases
    ? { base, index, text, root, errors, contentStart, aliases }
    : { base, index, text, root, errors, contentStart };
}

export function isChunkParseWorker(): boolean {
  return !!parentPort && !!(workerData as Partial<WorkerInput> | null)?.kubeNetlensChunkParser;
}

/** The worker side: parse each request's chunks in order, replying in batches. */
export function runChunkParseWorker(): void {
  const { limits, warmUp } = workerData as WorkerInput;
  const port = parentPort!;
  // a fresh thread runs cold code several times slower: warm the parser one text per turn of the
  // event loop until the first request arrives (which then never waits for the warm-up)
  let asked = false;
  let round = 0;
  const warm = () => {
    if (asked) return;
    // (warm enough for a share after half the rounds: the CPU of a round of the server's warm-up
    // texts fell from 62 ms to 8 by the 5th of 12 and stayed there)
    if (round === Math.ceil(warmUp.length / 2)) port.postMessage({ warm: true } satisfies Warm);
    if (round >= warmUp.length) return;
    for (const chunk of splitDocuments(warmUp[round++])) parseChunk(chunk, 0, limits);
    setImmediate(warm);
  };
  setImmediate(warm);
  port.on('message', (req: Request) => {
    asked = true;
    let batch: ParsedDocument[] = [];
    let at: number[] | undefined = req.claims ? [] : undefined;
    let trees = new TreeWriter();
    let since = performance.now();
    const reply = (done: boolean) => {
      const sent = trees.finish();
      // (the words' buffer moves to the main thread: not copied)
      port.postMessage({ id: req.id, docs: batch, at, trees: sent, done } satisfies Reply, [
        sent.words.buffer as ArrayBuffer,
      ]);
      batch = [];
      at = at && [];
      trees = new TreeWriter();
      since = performance.now();
    };
    const claims = req.claims && new Int32Array(req.claims);
    const n = req.chunks.length;
    for (let k = 0; k < n; k++) {
      // a share is parsed from its last chunk down, each chunk once claimed (see ShareClaims)
      const i = claims ? n - 1 - k : k;
      if (claims && Atomics.compareExchange(claims, i, 0, ShareClaims.THREAD) !== 0) break;
      const c = req.chunks[i];
      const d = parseChunk({ start: c.start, text: c.text }, c.index, req.limits);
      // the text goes back empty (the main thread has it already and puts it back), the tree as numbers
      trees.document(d.root, d.text);
      batch.push({ ...d, text: '', root: null });
      at?.push(i);
      if (k < n - 1 && performance.now() - since >= BATCH_MS) reply(false);
    }
    reply(true);
  });
}

interface Job {
  id: number;
  chunks: IndexedChunk[];
  /** The request's own limits (else the worker's, read when it is sent). */
  limits?: ParseLimits;
  /** A share: the documents are by position, undefined where the worker did not parse. */
  claims?: ShareClaims;
  docs: ParsedDocument[];
  resolve: (docs: ParsedDocument[]) => void;
}

/** One worker thread, one job at a time, jobs in the order they were asked for. */
export class ParseWorker implements ChunkParser {
  private worker: Worker | undefined;
  private queue: Job[] = [];
  private current: Job | undefined;
  private nextId = 1;
  private stall: NodeJS.Timeout | undefined;
  private idle: NodeJS.Timeout | undefined;
  private disposed = false;
  private readonly maxHeapMb: number;
  /** Of the running thread: did it finish its warm-up, how much text has it parsed? */
  private warmedUp = false;
  private parsedChars = 0;

  constructor(private readonly options: ParseWorkerOptions) {
    this.maxHeapMb = options.maxHeapMb ?? PARSE_WORKER_HEAP_MB;
  }

  private get limits(): ParseLimits {
    const l = this.options.limits;
    return (typeof l === 'function' ? l() : l) ?? DEFAULT_PARSE_LIMITS;
  }

  private get stallMs(): number {
    // (setTimeout takes at most 2^31 - 1 ms; an unbounded budget means that long)
    return Math.min(this.options.stallMs ?? Math.max(STALL_MS, 2 * this.limits.budgetMs), 2 ** 31 - 1);
  }

  /** Is a worker thread running (busy, or idle and not ended yet)? */
  get threadRunning(): boolean {
    return this.worker !== undefined;
  }

  /** Start the thread now (it warms its parser while idle) so that the first large text does not
   * wait for it; ended after the usual idle time if no text comes. */
  start(): void {
    if (this.disposed || this.worker) return;
    this.armIdle(this.ensureWorker());
  }

  parseChunks(chunks: IndexedChunk[], limits?: ParseLimits): Promise<ParsedDocument[]> {
    if (chunks.length === 0) return Promise.resolve([]);
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, chunks, limits, docs: [], resolve });
      this.pump();
    });
  }

  /** Does the thread run warm code (see WARM_CHARS)? */
  get warm(): boolean {
    return this.worker !== undefined && (this.warmedUp || this.parsedChars >= WARM_CHARS);
  }

  share(
    chunks: IndexedChunk[],
    claims: ShareClaims,
    limits?: ParseLimits,
  ): Promise<(ParsedDocument | undefined)[]> | undefined {
    if (this.disposed || !this.warm) return undefined;
    if (chunks.length === 0) return Promise.resolve([]);
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, chunks, limits, claims, docs: [], resolve });
      this.pump();
    });
  }

  /** End the worker; jobs not done are parsed in this thread (nothing is left unanswered). */
  dispose(): void {
    this.disposed = true;
    this.clearStall();
    if (this.idle) clearTimeout(this.idle);
    const w = this.worker;
    this.worker = undefined;
    if (w) void w.terminate();
    const left = [...(this.current ? [this.current] : []), ...this.queue];
    this.current = undefined;
    this.queue = [];
    for (const job of left) {
      // (a share's caller parses what the worker did not: see share())
      if (job.claims) {
        job.resolve(job.docs);
        continue;
      }
      for (const c of job.chunks.slice(job.docs.length))
        job.docs.push(parseChunk(c, c.index, job.limits ?? this.limits));
      job.resolve(job.docs);
    }
  }

  private pump(): void {
    if (this.current || this.disposed) return;
    const job = this.queue.shift();
    if (!job) return;
    this.current = job;
    if (this.idle) clearTimeout(this.idle);
    this.idle = undefined;
    const worker = this.ensureWorker();
    worker.ref();
    this.send(worker, job);
  }

  /** Send the job's next chunks: up to the next large chunk, or that large chunk alone (a share:
   * all its chunks, in one request). */
  private send(worker: Worker, job: Job): void {
    if (job.claims) {
      worker.postMessage({
        id: job.id,
        chunks: job.chunks,
        limits: job.limits ?? this.limits,
        claims: job.claims.words.buffer as SharedArrayBuffer,
      } satisfies Request);
      this.armStall();
      return;
    }
    const from = job.docs.length;
    let to = from + 1;
    if (job.chunks[from].text.length < ALONE_CHARS) {
      while (to < job.chunks.length && job.chunks[to].text.length < ALONE_CHARS) to++;
    }
    worker.postMessage({
      id: job.id,
      chunks: job.chunks.slice(from, to),
      limits: job.limits ?? this.limits,
    } satisfies Request);
    this.armStall();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.options.entry, {
      workerData: {
        kubeNetlensChunkParser: true,
        limits: this.limits,
        warmUp: this.options.warmUp ?? [],
      } satisfies WorkerInput,
      resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb },
      execArgv: this.options.execArgv,
      stdout: false,
      stderr: false,
    });
    worker.unref();
    this.warmedUp = false;
    this.parsedChars = 0;
    worker.on('message', (reply: Reply | Warm) => {
      if (!('warm' in reply)) this.onReply(worker, reply);
      else if (worker === this.worker) this.warmedUp = true;
    });
    worker.on('error', (e: Error & { code?: string }) =>
      this.onFailure(worker, e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'error', e.message),
    );
    worker.on('exit', (code) => this.onFailure(worker, 'error', `the parser thread exited (code ${code})`));
    this.worker = worker;
    return worker;
  }

  private onReply(worker: Worker, reply: Reply): void {
    const job = this.current;
    if (worker !== this.worker || !job || reply.id !== job.id) return;
    const trees = new TreeReader(reply.trees);
    reply.docs.forEach((d, k) => {
      const i = reply.at ? reply.at[k] : job.docs.length;
      const text = job.chunks[i].text;
      this.parsedChars += text.length;
      job.docs[i] = received(d, text, trees.document(text));
    });
    if (!reply.done) {
      this.armStall();
      return;
    }
    if (!job.claims && job.docs.length < job.chunks.length) {
      this.send(worker, job);
      return;
    }
    this.clearStall();
    this.current = undefined;
    job.resolve(job.docs);
    this.pump();
    if (!this.current) this.armIdle(worker);
  }

  /** An idle worker does not keep the process alive, and ends after a while. */
  private armIdle(worker: Worker): void {
    worker.unref();
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      this.idle = undefined;
      if (this.current || this.worker !== worker) return;
      this.worker = undefined;
      void worker.terminate();
    }, this.options.idleMs ?? IDLE_MS);
    this.idle.unref();
  }

  /** The worker died (heap limit, crash) or stopped answering: the chunk it was on gets a notice,
   * a new worker goes on with the rest. */
  private onFailure(worker: Worker, why: 'memory' | 'error' | 'stall', detail: string): void {
    if (worker !== this.worker) return;
    this.worker = undefined;
    this.clearStall();
    void worker.terminate();
    const job = this.current;
    this.current = undefined;
    if (job?.claims) {
      // the worker parses a share from its last chunk down: the chunk it was on is the lowest it
      // claimed and did not answer (those above it were parsed but not sent: the caller parses them)
      let on = -1;
      for (let i = job.chunks.length - 1; i >= 0 && job.claims.owner(i) === ShareClaims.THREAD; i--)
        if (!job.docs[i]) on = i;
      if (on >= 0) {
        const c = job.chunks[on];
        job.docs[on] = failedDocument(c, why, this.maxHeapMb, this.stallMs);
        this.options.log?.(this.failureText(why, detail, c));
      }
      job.resolve(job.docs);
    } else if (job && job.docs.length < job.chunks.length) {
      const c = job.chunks[job.docs.length];
      job.docs.push(failedDocument(c, why, this.maxHeapMb, this.stallMs));
      this.options.log?.(this.failureText(why, detail, c));
      if (job.docs.length < job.chunks.length) this.queue.unshift(job);
      else job.resolve(job.docs);
    } else if (job) job.resolve(job.docs);
    this.pump();
  }

  private failureText(why: 'memory' | 'error' | 'stall', detail: string, c: IndexedChunk): string {
    return `parser thread ${why === 'memory' ? 'ran out of memory' : why === 'stall' ? 'stopped answering' : `failed (${detail})`} on document ${c.index + 1}; restarted`;
  }

  private armStall(): void {
    this.clearStall();
    const worker = this.worker;
    if (!worker) return;
    this.stall = setTimeout(() => this.onFailure(worker, 'stall', ''), this.stallMs);
    this.stall.unref();
  }

  private clearStall(): void {
    if (this.stall) clearTimeout(this.stall);
    this.stall = undefined;
  }
}

/** The document a failed parse leaves: not parsed, with one notice at its first character. */
function failedDocument(
  c: IndexedChunk,
  why: 'memory' | 'error' | 'stall',
  heapMb: number,
  stallMs: number,
): ParsedDocument {
  const message =
    why === 'memory'
      ? `Kube NetLens skipped this document: parsing it needed more than the ${countText(heapMb)} MB of memory allowed to the parser, so it was stopped (the editor kept running). Split it into smaller documents (\`---\`) or files to have it checked.`
      : why === 'stall'
        ? `Kube NetLens skipped this document: parsing it took longer than ${countText(stallMs / 1000)} s, so it was stopped. Split it into smaller documents (\`---\`) or files to have it checked.`
        : 'Kube NetLens skipped this document: the parser failed on it (see the Kube NetLens output for details). The rest of the file was checked.';
  const start = documentContentStart(c.text);
  return {
    base: c.start,
    index: c.index,
    text: c.text,
    root: null,
    errors: [],
    contentStart: 0,
    skipped: {
      ruleId: why === 'stall' ? DOCUMENT_TIME_BUDGET : DOCUMENT_TOO_COMPLEX,
      message,
      start,
      end: Math.min(c.text.length, start + 1),
    },
  };
}
