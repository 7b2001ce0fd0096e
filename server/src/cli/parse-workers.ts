// Parse many files on all cores: worker threads take file texts and hand back the parsed files
// (plain objects, structured-cloned), in the order the files were given, so that everything after
// parsing sees exactly what a single-threaded run sees.
//
// The calling thread stays synchronous (the CLI is): it hands out batches over MessageChannels and
// sleeps on a shared counter (Atomics.wait) that a worker bumps after each reply, reading replies
// with receiveMessageOnPort. A worker that stops answering is given up on after a while, and what
// it had not parsed is parsed in this thread.
//
// The worker is the CLI bundle itself, started with `workerData.kubeNetlensParseWorker` set:
// dist/cli.js calls runParseWorker() instead of the command line in that case.

import { MessageChannel, Worker, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import os from 'node:os';
import { parseFile } from '../syntax/file';
import type { ParsedFile } from '../syntax/file';
import { precheck } from '../rules/check';
import type { Finding } from '../rules/types';

export interface ParseJob {
  text: string;
  maxBytes: number;
}

export interface ParseResult {
  parsed?: ParsedFile;
  skipped?: Finding;
}

/** What one file becomes before checking: the same code runs in a worker or in this thread. */
export function parseOne(job: ParseJob): ParseResult {
  const skipped = precheck(job.text, job.maxBytes);
  return skipped ? { skipped } : { parsed: parseFile(job.text) };
}

interface Request {
  id: number;
  jobs: ParseJob[];
}

interface Reply {
  id: number;
  results: ParseResult[];
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
    const reply: Reply = { id: req.id, results: req.jobs.map(parseOne) };
    port.postMessage(reply);
    Atomics.add(counter, 0, 1);
    Atomics.notify(counter, 0);
  });
}

/** How many worker threads pay for `files` files: none below a few hundred files or on one core. */
export function parseThreads(files: number, requested?: number): number {
  if (requested !== undefined) return Math.max(0, requested);
  const cores = os.availableParallelism();
  if (cores < 2 || files < 400) return 0;
  return Math.min(cores, 4);
}

const BATCH = 32;
/** Old-generation heap of a parse worker; a file it cannot parse within it is parsed in this thread. */
const WORKER_HEAP_MB = 192;
/** Give up on the workers when none has answered for this long. */
const STALL_MS = 60_000;

/**
 * Parse every job, in `threads` worker threads running `entry` (normally the CLI bundle) when
 * threads > 0, else in this thread. Results come back in the order of `jobs`.
 */
export function parseAll(jobs: ParseJob[], threads: number, entry: string): ParseResult[] {
  if (threads <= 0 || jobs.length <= BATCH) return jobs.map(parseOne);
  const results: (ParseResult | undefined)[] = new Array(jobs.length);
  const signal = new SharedArrayBuffer(4);
  const counter = new Int32Array(signal);
  let next = 0;
  const lanes: { worker: Worker; port: MessagePort; busy: boolean }[] = [];
  try {
    for (let i = 0; i < Math.min(threads, Math.ceil(jobs.length / BATCH)); i++) {
      const { port1, port2 } = new MessageChannel();
      // a worker holds one batch at a time: a bounded heap keeps the process's peak memory down
      const worker = new Worker(entry, {
        workerData: { kubeNetlensParseWorker: true, port: port2, signal } satisfies WorkerData,
        transferList: [port2],
        resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
      });
      worker.unref();
      lanes.push({ worker, port: port1, busy: false });
    }
    const send = (lane: (typeof lanes)[number]) => {
      if (next >= jobs.length) return;
      const id = next;
      next = Math.min(jobs.length, next + BATCH);
      lane.port.postMessage({ id, jobs: jobs.slice(id, next) } satisfies Request);
      lane.busy = true;
    };
    for (const lane of lanes) send(lane);
    let seen = 0;
    let quietSince = Date.now();
    while (lanes.some((l) => l.busy)) {
      let got = false;
      for (const lane of lanes) {
        for (let m = receiveMessageOnPort(lane.port); m; m = receiveMessageOnPort(lane.port)) {
          const reply = m.message as Reply;
          reply.results.forEach((r, i) => (results[reply.id + i] = r));
          lane.busy = false;
          got = true;
          send(lane);
        }
      }
      if (got) {
        quietSince = Date.now();
        continue;
      }
      if (Date.now() - quietSince > STALL_MS) break;
      const now = Atomics.load(counter, 0);
      if (now === seen) Atomics.wait(counter, 0, now, 50);
      seen = Atomics.load(counter, 0);
    }
  } finally {
    for (const lane of lanes) {
      lane.port.close();
      void lane.worker.terminate();
    }
  }
  // whatever a worker did not answer for (it failed or stalled) is parsed here
  return results.map((r, i) => r ?? parseOne(jobs[i]));
}
