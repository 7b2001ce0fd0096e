// Read and parse many files on all cores: worker threads take file paths, read the files (under the
// rules of workspace/disk.ts) and hand back their texts and parsed trees (the trees as numbers, see
// syntax/tree-codec.ts), in the order the files were given, so that everything after parsing sees
// exactly what a single-threaded run sees. Reading is part of a file's job: no thread waits for every
// file to be read before parsing starts.
//
// The calling thread stays synchronous (the CLI is): it hands out batches over MessageChannels (two
// per worker, so that none waits for its next one), reads and parses batches itself while no reply
// is waiting (what it parses costs no copy between threads), and once the batches are all handed out
// sleeps on a shared counter (Atomics.wait) that a worker bumps after each reply, reading replies
// with receiveMessageOnPort. A worker that stops answering is given up on after a while, and what
// it had not parsed is parsed in this thread.
//
// The worker is the CLI bundle itself, started with `workerData.kubeNetlensParseWorker` set:
// dist/cli.js calls runParseWorker() instead of the command line in that case.

import { MessageChannel, Worker, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { parseFile } from '../syntax/file';
import type { ParsedFile } from '../syntax/file';
import type { AstNode } from '../syntax/ast';
import { heldKey } from '../syntax/ast';
import { TreeReader, TreeWriter } from '../syntax/tree-codec';
import type { EncodedTrees } from '../syntax/tree-codec';
import { localFindingsOfFile, precheck } from '../rules/check';
import type { LocalCheckSettings } from '../rules/check';
import type { Finding } from '../rules/types';
import { readFileSyncChecked } from '../workspace/disk';
import type { SkippedEntry } from '../workspace/disk';

export interface ParseJob {
  /** The file's path, and its key in the index (the file-local rules are told it). */
  uri: string;
  /** Files larger than this are not read. */
  maxBytes: number;
  /** The text when it is at hand already (standard input); else the file is read from `uri`. */
  text?: string;
}

export interface ParseResult {
  /** The text read (not set when the job brought its text). */
  text?: string;
  /** Identity of the file read (device and inode): a file reached twice through links is the same. */
  id?: string;
  /** Why the file was not read (see workspace/disk.ts); nothing else is set then. */
  unread?: SkippedEntry;
  parsed?: ParsedFile;
  skipped?: Finding;
  /** The file-local findings of each document (when asked for; see localFindingsOfFile). */
  local?: (Finding[] | undefined)[];
}

/** What one file becomes before checking: the same code runs in a worker or in this thread. */
export function parseOne(job: ParseJob): ParseResult {
  let text = job.text;
  let id: string | undefined;
  if (text === undefined) {
    const read = readFileSyncChecked(job.uri, { maxBytes: job.maxBytes });
    if (!read.ok) return { unread: read.skipped };
    ({ text, id } = read);
  }
  const out: ParseResult = job.text === undefined ? { text, id } : {};
  const skipped = precheck(text, job.maxBytes);
  return skipped ? { ...out, skipped } : { ...out, parsed: parseFile(text) };
}

/** Parse the files of a batch; with `local`, then run the file-local rules on each, while its tree is
 * at hand (in a worker, before it is packed): only the cross-file rules are left for the thread that
 * holds every file. (Parsing the batch first and then checking it is measurably faster than
 * alternating between the two file by file.) */
export function parseBatch(
  jobs: ParseJob[],
  local?: LocalCheckSettings,
  shared?: Map<string, string>,
): ParseResult[] {
  const results = jobs.map((job) => {
    const r = parseOne(job);
    // (at once: the copies die young)
    if (shared && r.parsed) shareStrings(r.parsed, shared);
    return r;
  });
  if (local)
    results.forEach((r, i) => {
      if (r.parsed) r.local = localFindingsOfFile(r.parsed, jobs[i].uri, local);
    });
  return results;
}

interface Request {
  id: number;
  jobs: ParseJob[];
  local?: LocalCheckSettings;
}

/** A reply carries each file's text once and its trees as numbers (syntax/tree-codec.ts): its documents
 * without their texts and trees, which the calling thread rebuilds from the file's text. */
interface Reply {
  id: number;
  results: ParseResult[];
  /** Per result with a parse, the length of each document's text. */
  lengths: number[][];
  /** The trees of the documents of the results with a parse, in order. */
  trees: EncodedTrees;
}

/** Take out what the calling thread rebuilds (see unpack): texts and trees, the trees written to
 * `trees` in order. */
function pack(results: ParseResult[], trees: TreeWriter): Reply['lengths'] {
  return results.map((r) => {
    if (!r.parsed) return [];
    r.parsed.text = '';
    return r.parsed.docs.map((d) => {
      const n = d.text.length;
      trees.document(d.root, d.text);
      d.root = null;
      d.text = '';
      return n;
    });
  });
}

/** Put back what pack() took out, from the file's text: the result is what parseOne gives here
 * (with `shared`, its strings shared as parseBatch shares them). */
function unpack(result: ParseResult, text: string, lengths: number[], trees: TreeReader): ParseResult {
  const parsed = result.parsed;
  if (!parsed) return result;
  parsed.text = text;
  parsed.docs.forEach((d, i) => {
    d.text = text.slice(d.base, d.base + lengths[i]);
    d.root = trees.document(d.text);
  });
  return result;
}

/** Strings longer than this are not shared (they seldom repeat: certificates, descriptions). */
const SHARED_MAX = 64;

/**
 * Make equal short strings of a tree one string: its keys, and its scalars' values and sources. A
 * workspace repeats the same few keys (`name`, `port`, `matchLabels`) and values (`TCP`, `http`,
 * label values) in every file, and each parse makes its own copy of each (or a slice of the file's
 * text); held for the whole run, the copies were about a sixth of the memory of the trees. `shared`
 * is the table of strings met so far (one per run, let go after loading).
 */
export function shareStrings(file: ParsedFile, shared: Map<string, string>): void {
  const one = sharer(shared);
  const visit = (node: AstNode): void => {
    if (node.type === 'scalar') {
      const v = node.value;
      if (typeof v === 'string') {
        const same = node.source === v;
        node.value = one(v);
        node.source = same ? (node.value as string) : one(node.source);
      } else node.source = one(node.source);
    } else if (node.type === 'map') {
      for (const p of node.pairs) {
        // (a key held as text only is its keyText, shared below: no node made for it)
        const key = heldKey(p);
        if (key) visit(key);
        if (p.keyText !== undefined) {
          p.keyText = key && key.type === 'scalar' && key.value === p.keyText ? key.value : one(p.keyText);
        }
        if (p.value) visit(p.value);
      }
    } else if (node.type === 'seq') for (const item of node.items) visit(item);
  };
  for (const d of file.docs) if (d.root) visit(d.root);
}

/** `s`, or the equal string met before (short strings only): see shareStrings. */
function sharer(shared: Map<string, string>): (s: string) => string {
  return (s) => {
    if (s.length > SHARED_MAX) return s;
    const hit = shared.get(s);
    if (hit !== undefined) return hit;
    shared.set(s, s);
    return s;
  };
}

interface WorkerData {
  kubeNetlensParseWorker: true;
  port: MessagePort;
  signal: SharedArrayBuffer;
}

let workerEntry: string | undefined;

/** The script worker threads run (the CLI bundle sets it to itself); without one, parsing stays in
 * this thread. */
export function setParseWorkerEntry(file: string): void {
  workerEntry = file;
}

export function parseWorkerEntry(): string | undefined {
  return workerEntry;
}

export function isParseWorker(): boolean {
  return !parentPort ? false : !!(workerData as Partial<WorkerData> | null)?.kubeNetlensParseWorker;
}

/** The worker side: parse each batch it is sent, reply, and wake the calling thread. */
export function runParseWorker(): void {
  const { port, signal } = workerData as WorkerData;
  const counter = new Int32Array(signal);
  port.on('message', (req: Request) => {
    const results = parseBatch(req.jobs, req.local);
    const writer = new TreeWriter();
    const lengths = pack(results, writer);
    const reply: Reply = { id: req.id, results, lengths, trees: writer.finish() };
    // (the words' buffer moves to the calling thread: not copied)
    port.postMessage(reply, [reply.trees.words.buffer as ArrayBuffer]);
    Atomics.add(counter, 0, 1);
    Atomics.notify(counter, 0);
  });
}

const BATCH = 32;
/** The smallest batch: the batches handed out last shrink (see batchSize). */
const MIN_BATCH = 4;
/** Batches a worker holds at once: the next one is there when it replies to the one before. */
const IN_FLIGHT = 2;
/** Old-generation heap of a parse worker; a file it cannot parse within it is parsed in this thread. */
const WORKER_HEAP_MB = 192;
/** Give up on the workers when none has answered for this long. */
const STALL_MS = 60_000;

/** Worker threads started for parseAll, each with its port and the batches it holds. */
export interface ParseThreads {
  lanes: { worker: Worker; port: MessagePort; inFlight: number }[];
  /** Bumped by a worker after each reply (see runParseWorker). */
  counter: Int32Array;
  /** Stops them (they hold nothing the process waits for: see unref). */
  close(): void;
}

/** Start `threads` parse workers running `entry`. A worker takes a few hundred milliseconds to start
 * (its own copy of the bundle to compile and run) before it can parse: started while the files are
 * still being listed, it is ready sooner. */
export function startParseThreads(threads: number, entry: string): ParseThreads {
  const signal = new SharedArrayBuffer(4);
  const lanes: ParseThreads['lanes'] = [];
  for (let i = 0; i < threads; i++) {
    const { port1, port2 } = new MessageChannel();
    // a worker holds two batches at a time: a bounded heap keeps the process's peak memory down
    const worker = new Worker(entry, {
      workerData: { kubeNetlensParseWorker: true, port: port2, signal } satisfies WorkerData,
      transferList: [port2],
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    worker.unref();
    lanes.push({ worker, port: port1, inFlight: 0 });
  }
  return {
    lanes,
    counter: new Int32Array(signal),
    close() {
      for (const lane of lanes) {
        lane.port.close();
        void lane.worker.terminate();
      }
    },
  };
}

/** The size of the next batch with `left` jobs not handed out yet: BATCH, down to MIN_BATCH as the
 * end nears. Every thread should run out of work at about the same time: the main thread waits for
 * the batches the workers still hold once it has none left to parse (up to IN_FLIGHT full batches a
 * worker, about 100 ms at 6,000 files), and at the end it may still be parsing a full batch while the
 * workers have nothing to do. So once what is left would not give each thread a few more full
 * batches, a batch is a fraction of what is left. */
export function batchSize(left: number, workers: number): number {
  const share = Math.ceil(left / (2 * (workers * IN_FLIGHT + 1)));
  return Math.max(MIN_BATCH, Math.min(BATCH, share));
}

/**
 * Parse every job, in `threads` worker threads running `entry` (normally the CLI bundle) and in this
 * thread, which takes a batch whenever no reply is waiting; with threads = 0, in this thread only.
 * Results come back in the order of `jobs`; with `shared`, the strings of their trees shared
 * (shareStrings) as each arrives.
 */
export function parseAll(
  jobs: ParseJob[],
  threads: number,
  entry: string,
  local?: LocalCheckSettings,
  shared?: Map<string, string>,
  started?: ParseThreads,
): ParseResult[] {
  if (threads <= 0 || jobs.length <= BATCH) {
    started?.close();
    return parseBatch(jobs, local, shared);
  }
  const results: (ParseResult | undefined)[] = new Array(jobs.length);
  const share = shared && sharer(shared);
  // (threads started before the files were all listed, or now)
  const pool = started ?? startParseThreads(Math.min(threads, Math.ceil(jobs.length / BATCH) - 1), entry);
  const { lanes, counter } = pool;
  let next = 0;
  // (what KNL_TRACE prints: how the files were split, when the first reply came, how long this
  // thread waited for replies once it had no batch left to parse)
  const start = performance.now();
  let firstReply = NaN;
  let here = 0;
  let waited = 0;
  try {
    const send = (lane: (typeof lanes)[number], size = batchSize(jobs.length - next, lanes.length)) => {
      if (next >= jobs.length) return;
      const id = next;
      next = Math.min(jobs.length, next + size);
      lane.port.postMessage({ id, jobs: jobs.slice(id, next), local } satisfies Request);
      lane.inFlight++;
    };
    // a worker's first batches are small: it parses them with cold code, slowly, after its start,
    // while this thread goes on with the rest (two full batches held by a worker that has not
    // started yet kept this thread waiting for them at the end of small runs: 0.5 s at 420 files)
    for (let k = 0; k < IN_FLIGHT; k++) for (const lane of lanes) send(lane, MIN_BATCH);
    let seen = 0;
    let quietSince = Date.now();
    while (next < jobs.length || lanes.some((l) => l.inFlight > 0)) {
      let got = false;
      for (const lane of lanes) {
        for (let m = receiveMessageOnPort(lane.port); m; m = receiveMessageOnPort(lane.port)) {
          const reply = m.message as Reply;
          if (Number.isNaN(firstReply)) firstReply = performance.now() - start;
          lane.inFlight--;
          got = true;
          send(lane);
          const trees = new TreeReader(reply.trees, share);
          reply.results.forEach(
            (r, i) =>
              (results[reply.id + i] = unpack(
                r,
                r.text ?? jobs[reply.id + i].text ?? '',
                reply.lengths[i],
                trees,
              )),
          );
        }
      }
      if (got) {
        quietSince = Date.now();
        continue;
      }
      if (next < jobs.length) {
        // no reply waiting: this thread parses the next batch itself
        const id = next;
        next = Math.min(jobs.length, next + batchSize(jobs.length - next, lanes.length));
        parseBatch(jobs.slice(id, next), local, shared).forEach((r, i) => (results[id + i] = r));
        here += next - id;
        quietSince = Date.now();
        continue;
      }
      if (Date.now() - quietSince > STALL_MS) break;
      const now = Atomics.load(counter, 0);
      const t = performance.now();
      if (now === seen) Atomics.wait(counter, 0, now, 50);
      waited += performance.now() - t;
      seen = Atomics.load(counter, 0);
    }
  } finally {
    pool.close();
  }
  if (process.env.KNL_TRACE)
    process.stderr.write(
      `kube-netlens: parsed ${here} file(s) in the main thread and ${jobs.length - here} in ${lanes.length} parse thread(s) in ${(performance.now() - start).toFixed(0)} ms; first reply after ${firstReply.toFixed(0)} ms; the main thread waited ${waited.toFixed(0)} ms for the last replies\n`,
    );
  // whatever a worker did not answer for (it failed or stalled) is parsed here
  const missing = results.flatMap((r, i) => (r ? [] : [i]));
  if (missing.length)
    parseBatch(
      missing.map((i) => jobs[i]),
      local,
      shared,
    ).forEach((r, k) => (results[missing[k]] = r));
  return results as ParseResult[];
}
