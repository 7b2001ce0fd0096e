#!/usr/bin/env node
// First diagnostics of a freshly started server, in the server's own CPU time as well as wall time
// (a measurement, not a test). lspbench times the wall clock from didOpen to the first publication;
// on a shared machine that moves with the load far more than the CPU time the server spent on it,
// which the server prints itself with KNL_TRACE=1. With --vs, the runs of two servers alternate (an
// A/B comparison under the same load).
//
//   node scripts/bench-first.mjs [--runs 5] [--server "node dist/server.js --stdio"]
//                                [--vs "node OTHER/dist/server.js --stdio"] [--settle MS] [--second]
//                                [--after-large [KB]] [FILE...]
//   (FILE: default the 1k, 10k and 50k files of $TMPDIR/kube-netlens-bench, as `npm run bench`
//    generates them; each is opened with an empty workspace folder, as in npm run bench)
//
// With --second, each run opens the file in a fresh server, closes it, then opens a copy of it that
// differs by a comment line in each document (parsed again, same findings) in the same server: the
// second open shows what the first one costs over the same work done warm. It prints the CPU of the
// server's thread for both opens and their ratio, and the CPU of the process's other threads (V8's
// compiler and garbage-collector helpers; the parser thread) during each. (Its own small LSP client,
// not lspbench.) --settle MS: the quiet time between initialized and the first didOpen (default 300,
// lspbench's); --settle 0 sends the didOpen at once, as VS Code does (the client starts the server for
// an open document).
//
// With --after-large [KB], each run opens, in a fresh server, a single document of KB kilobytes
// (default 320: a List of Services, generated here) before the file, waits for its diagnostics and
// closes it: the server's parser thread parses that document, so the file then finds the thread
// started and warm (it takes a share of a large text of small documents: lsp/documents.ts), as in an
// editor where a large file was opened before. It prints per file and server the medians of the
// file's first publication (wall ms from its didOpen, seen by the client; the trace's CPU of the
// server's thread and of the process up to it; what publication it was) and of its last publication
// (wall ms from its didOpen, seen by the client; the last is the one no other followed for a second);
// and when the server parsed the file in turns, the medians of that parse (wall ms, CPU of the
// server's thread) and of how many of its documents the parser thread parsed (its share).
// (Its own small LSP client, not lspbench.)
//
// Prints per file and server the medians of: first diagnostics (wall ms, lspbench), the server's CPU
// time from didOpen to that publication (ms; the process: main thread, V8's helper threads and the
// parser thread; and of the server's thread alone when the build says it), the number of diagnostics
// in it (and what publication it was when not the complete one), peak RSS, initialize (wall ms); and
// the load average before and after. Needs the LSP harness (../shared/bench or $KNL_BENCH_HARNESS).

import { spawn, spawnSync } from 'node:child_process';
import { CACHE_NOTE, cacheEnv } from './bench-cache.mjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const harness = path.resolve(process.env.KNL_BENCH_HARNESS || path.join(root, '..', 'shared', 'bench'));
const lspbench = path.join(harness, 'lspbench.mjs');

const args = process.argv.slice(2);
const take = (name, fallback) => {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  if (at + 1 >= args.length) throw new Error(`${name} needs a value`);
  return args.splice(at, 2)[1];
};
const runs = Number(take('--runs', '5'));
const second = args.includes('--second') ? (args.splice(args.indexOf('--second'), 1), true) : false;
const settle = Number(take('--settle', '300'));
const afterLarge = (() => {
  const at = args.indexOf('--after-large');
  if (at < 0) return undefined;
  const kb = /^\d+$/.test(args[at + 1] ?? '') ? Number(args[at + 1]) : 320;
  args.splice(at, /^\d+$/.test(args[at + 1] ?? '') ? 2 : 1);
  if (kb < 1) throw new Error('--after-large wants a size in KB of 1 or more');
  return kb;
})();
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs wants a positive integer');
const servers = [take('--server', 'node dist/server.js --stdio')];
const other = take('--vs', undefined);
if (other) servers.push(other);
const data = path.join(os.tmpdir(), 'kube-netlens-bench');
const files = args.length
  ? args
  : ['k8s-1k.yaml', 'k8s-10k.yaml', 'k8s-50k.yaml'].map((f) => path.join(data, f));

if (!second && afterLarge === undefined && !fs.existsSync(lspbench)) {
  console.log(`bench-first: LSP harness not found at ${harness}; nothing measured`);
  process.exit(0);
}
const missing = files.filter((f) => !fs.existsSync(f));
if (missing.length) {
  console.log(
    `bench-first: ${missing.join(', ')} not found (npm run bench generates them); nothing measured`,
  );
  process.exit(0);
}
const workspace = path.join(data, 'empty-workspace');
fs.mkdirSync(workspace, { recursive: true });

/** The server's trace line of the first publication for version 1 (KNL_TRACE, lsp/diagnostics.ts):
 * the CPU of the server's thread and of the whole process, or (older builds) of the process only. */
const TRACE =
  /v1: (\d+) diagnostics \((\w+)(?:, \d+ KB)?\) ready (?:for a pull )?[\d.]+ ms \((?:CPU ([\d.]+) ms on the server's thread, ([\d.]+) ms in all|([\d.]+) ms CPU)\)/;

/** The server's trace of a text parsed in turns (KNL_TRACE, lsp/documents.ts parseInTurns). */
const PARSE =
  /parsed (\d+) of (\d+) documents in ([\d.]+) ms \(CPU ([\d.]+) ms on the server's thread\): (\d+) small ones here, (\d+) on the parser thread/;

function run(k, file) {
  const server = servers[k];
  const r = spawnSync(
    process.execPath,
    [
      lspbench,
      '--server',
      server,
      '--file',
      file,
      '--workspace',
      workspace,
      '--settle',
      String(settle),
      '--verbose',
    ],
    { cwd: root, encoding: 'utf8', env: serverEnv(k), maxBuffer: 64 << 20 },
  );
  const json = r.stdout
    .trim()
    .split('\n')
    .reverse()
    .map((l) => {
      try {
        return JSON.parse(l);
      } catch {
        return undefined;
      }
    })
    .find((x) => x && x.tool === 'lspbench');
  const trace = TRACE.exec(r.stderr);
  if (!json || json.errors?.length || json.firstDiagnosticsMs == null)
    throw new Error(`run of ${server} on ${file} failed: ${r.stderr.slice(-2000)}`);
  // (a server without the trace, an older build: no CPU time)
  return {
    wall: json.firstDiagnosticsMs,
    cpu: trace ? Number(trace[4] ?? trace[5]) : NaN,
    thread: trace?.[3] ? Number(trace[3]) : NaN,
    count: json.firstDiagnosticsCount,
    what: trace ? trace[2] : 'all',
    rss: json.peakRssMB,
    init: json.initializeMs,
  };
}

/** Build k's environment: the trace on, and with --vs a code cache of its own (bench-cache.mjs). */
function serverEnv(k) {
  return cacheEnv(k, servers.length, { ...process.env, KNL_TRACE: '1' });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

if (servers.length > 1) {
  console.log(CACHE_NOTE);
  // (the untimed runs: each build compiles once and saves its cache, as an editor's first session would)
  servers.forEach((_, k) => run(k, files[0]));
}

if (second) {
  await firstAndSecond();
  process.exit(0);
}
if (afterLarge !== undefined) {
  await afterLargeDocument(afterLarge);
  process.exit(0);
}

console.log(`first diagnostics of a fresh server, medians of ${runs} runs; load average ${load()}`);
servers.forEach((s, i) => console.log(`  ${String.fromCharCode(65 + i)}: ${s}`));
console.log(
  'file            server  first diag ms  server CPU ms  (min-max)                  count  peak RSS  initialize ms',
);
for (const file of files) {
  const samples = servers.map(() => []);
  for (let i = 0; i < runs; i++) servers.forEach((_, k) => samples[k].push(run(k, file)));
  samples.forEach((xs, k) => {
    const cpus = xs.map((x) => x.cpu).filter((x) => !Number.isNaN(x));
    const threads = xs.map((x) => x.thread).filter((x) => !Number.isNaN(x));
    const cpu = cpus.length
      ? `${median(cpus).toFixed(0).padStart(15)}  (${Math.min(...cpus).toFixed(0)}-${Math.max(...cpus).toFixed(0)})`.padEnd(
          30,
        )
      : `${'-'.padStart(15)}`.padEnd(30);
    const counts = [...new Set(xs.map((x) => `${x.count}${x.what === 'all' ? '' : ` (${x.what})`}`))].join(
      '/',
    );
    console.log(
      `${path.basename(file).padEnd(16)}${String.fromCharCode(65 + k).padStart(6)}` +
        `${median(xs.map((x) => x.wall))
          .toFixed(0)
          .padStart(15)}${cpu}` +
        `${counts.padStart(16)}  ${median(xs.map((x) => x.rss))
          .toFixed(0)
          .padStart(5)} MB` +
        `${median(xs.map((x) => x.init))
          .toFixed(0)
          .padStart(15)}` +
        (threads.length ? `  (server's thread ${median(threads).toFixed(0)} ms)` : ''),
    );
  });
}
console.log(`load average after: ${load()}`);

/** `cmd` split on blanks (the servers given here have no quoted arguments). */
function words(cmd) {
  return cmd.trim().split(/\s+/);
}

/** CPU ms of each thread of process `pid` (Linux; empty elsewhere). */
function threadTimes(pid) {
  const out = new Map();
  const tick = 1000 / 100; // USER_HZ
  try {
    for (const t of fs.readdirSync(`/proc/${pid}/task`)) {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        out.set(t, (Number(fields[11]) + Number(fields[12])) * tick);
      } catch {
        /* the thread ended */
      }
    }
  } catch {
    /* not Linux */
  }
  return out;
}

/** One fresh server: open each of `opens` ([name, text]) in turn, each closed a second after its
 * last publication; per open, the wall time from its didOpen to its first publication (seen here)
 * and to its last, the CPU of the process's other threads until the first, the trace of the first,
 * and (complete()) the trace of its complete publication when that was its first. */
async function openInTurn(k, opens) {
  const [cmd, ...rest] = words(servers[k]);
  const child = spawn(cmd === 'node' ? process.execPath : cmd, rest, {
    cwd: root,
    env: serverEnv(k),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  let buffer = Buffer.alloc(0);
  let id = 0;
  /** When each uri's last publication came. */
  const lastPublished = new Map();
  const answers = new Map();
  const waiting = new Map();
  const send = (m) => {
    const body = JSON.stringify({ jsonrpc: '2.0', ...m });
    child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  };
  child.stdout.on('data', (d) => {
    buffer = Buffer.concat([buffer, d]);
    for (;;) {
      const head = buffer.indexOf('\r\n\r\n');
      if (head < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, head).toString())[1]);
      if (buffer.length < head + 4 + length) return;
      const m = JSON.parse(buffer.subarray(head + 4, head + 4 + length).toString());
      buffer = buffer.subarray(head + 4 + length);
      if (m.id !== undefined && m.method)
        send({
          id: m.id,
          result: m.method === 'workspace/configuration' ? m.params.items.map(() => null) : null,
        });
      else if (m.id !== undefined) answers.get(m.id)?.(m.result);
      else if (m.method === 'textDocument/publishDiagnostics') {
        lastPublished.set(m.params.uri, performance.now());
        waiting.get(m.params.uri)?.();
      }
    }
  });
  const request = (method, params) =>
    new Promise((resolve) => {
      answers.set(++id, resolve);
      send({ id, method, params });
    });
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const workspace = pathToFileURL(path.join(data, 'empty-workspace')).href;
  await request('initialize', {
    processId: process.pid,
    rootUri: workspace,
    workspaceFolders: [{ uri: workspace, name: 'empty-workspace' }],
    capabilities: { workspace: { configuration: true } },
  });
  send({ method: 'initialized', params: {} });
  await sleep(settle);
  const threads = [];
  const walls = [];
  const lasts = [];
  const parses = [];
  for (const [name, t] of opens) {
    const uri = `${workspace}/bench-first-${name}.yaml`;
    const before = threadTimes(child.pid);
    const first = new Promise((resolve) => waiting.set(uri, resolve));
    const sent = performance.now();
    const mark = stderr.length;
    send({
      method: 'textDocument/didOpen',
      params: { textDocument: { uri, languageId: 'yaml', version: 1, text: t } },
    });
    await first;
    walls.push(performance.now() - sent);
    const after = threadTimes(child.pid);
    // (the server's thread is the process's first)
    let others = 0;
    for (const [k, v] of after) if (k !== String(child.pid)) others += v - (before.get(k) ?? 0);
    threads.push(others);
    // (until its last publication: one a second after the latest; a progress publication is followed
    // by more)
    while (performance.now() - lastPublished.get(uri) < 1000) await sleep(50);
    lasts.push(lastPublished.get(uri) - sent);
    // (the trace of a parse in turns, lsp/documents.ts: the first after the didOpen is this text's)
    const parse = PARSE.exec(stderr.slice(mark));
    parses.push(
      parse && {
        wall: Number(parse[3]),
        thread: Number(parse[4]),
        here: Number(parse[5]),
        shared: Number(parse[6]),
        docs: Number(parse[2]),
      },
    );
    send({ method: 'textDocument/didClose', params: { textDocument: { uri } } });
    await sleep(100);
  }
  await request('shutdown', null);
  send({ method: 'exit' });
  await new Promise((r) => child.on('exit', r));
  // (the trace line of the first publication of `name`, whatever it was)
  const firstPublication = (name) => {
    const m = new RegExp(
      `bench-first-${name}\\.yaml v1: (\\d+) diagnostics \\((\\w+)[^)]*\\) ready (?:for a pull )?([\\d.]+) ms \\(CPU ([\\d.]+) ms on the server's thread, ([\\d.]+) ms in all`,
    ).exec(stderr);
    if (!m) throw new Error(`no trace of the ${name} open: ${stderr.slice(-1000)}`);
    return { count: Number(m[1]), what: m[2], wall: Number(m[3]), thread: Number(m[4]), all: Number(m[5]) };
  };
  const cpu = (name) => {
    const m = new RegExp(
      `bench-first-${name}\\.yaml v1: \\d+ diagnostics \\(all[^)]*\\) ready (?:for a pull )?([\\d.]+) ms \\(CPU ([\\d.]+) ms on the server's thread, ([\\d.]+) ms in all`,
    ).exec(stderr);
    if (!m)
      throw new Error(
        `no trace of the ${name} open (a build without KNL_TRACE's thread CPU?): ${stderr.slice(-1000)}`,
      );
    return { wall: Number(m[1]), thread: Number(m[2]), all: Number(m[3]) };
  };
  return opens.map(([name], i) => ({
    parse: parses[i],
    seen: walls[i],
    last: lasts[i],
    others: threads[i],
    first: firstPublication(name),
    complete: () => cpu(name),
  }));
}

/** One fresh server: open `text`, close it, open `again`; the trace's CPU of both complete publications. */
async function openTwice(k, text, again) {
  const [a, b] = await openInTurn(k, [
    ['first', text],
    ['second', again],
  ]);
  return { first: a.complete(), second: b.complete(), others: [a.others, b.others] };
}

/** A single YAML document of about `kb` KB: a List of Services (see --after-large). */
function largeDocument(kb) {
  const items = [];
  let size = 0;
  for (let i = 0; size < kb * 1024; i++) {
    const item = [
      '- apiVersion: v1',
      '  kind: Service',
      '  metadata:',
      `    name: warm-${i}`,
      '    labels:',
      `      app: warm-${i}`,
      '  spec:',
      '    selector:',
      `      app: warm-${i}`,
      '    ports:',
      '    - name: http',
      '      port: 80',
      '      targetPort: 8080',
      '',
    ].join('\n');
    items.push(item);
    size += item.length;
  }
  return `apiVersion: v1\nkind: List\nitems:\n${items.join('')}`;
}

/** --after-large: per file and server, the file opened after a large single document. */
async function afterLargeDocument(kb) {
  const large = largeDocument(kb);
  console.log(
    `first diagnostics after a ${Math.round(large.length / 1024)} KB single document in the same server, medians of ${runs} runs (settle ${settle} ms); load average ${load()}`,
  );
  servers.forEach((s, i) => console.log(`  ${String.fromCharCode(65 + i)}: ${s}`));
  console.log(
    "file            server  first publication ms (seen / ready)  server's thread CPU ms  process CPU ms  what        last publication ms (seen)  parse ms (CPU here) and documents on the parser thread",
  );
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const samples = servers.map(() => []);
    for (let i = 0; i < runs; i++)
      for (const k of servers.keys())
        samples[k].push(
          (
            await openInTurn(k, [
              ['large', large],
              ['file', text],
            ])
          )[1],
        );
    samples.forEach((xs, k) => {
      const m = (f) => median(xs.map(f)).toFixed(0);
      const what = [...new Set(xs.map((x) => `${x.first.count} (${x.first.what})`))].join('/');
      console.log(
        `${path.basename(file).padEnd(16)}${String.fromCharCode(65 + k).padStart(6)}` +
          `${`${m((x) => x.seen)} / ${m((x) => x.first.wall)}`.padStart(37)}` +
          `${m((x) => x.first.thread).padStart(24)}${m((x) => x.first.all).padStart(16)}  ${what.padEnd(12)}` +
          `${m((x) => x.last).padStart(27)}` +
          (xs.every((x) => x.parse)
            ? `  ${m((x) => x.parse.wall)} (${m((x) => x.parse.thread)}), ${m((x) => x.parse.shared)} of ${xs[0].parse.docs}`
            : ''),
      );
    });
  }
  console.log(`load average after: ${load()}`);
}

/** --second: per file and server, the first open against a second one in the same server. */
async function firstAndSecond() {
  console.log(
    `first and second open in one server, medians of ${runs} runs (settle ${settle} ms); load average ${load()}`,
  );
  servers.forEach((s, i) => console.log(`  ${String.fromCharCode(65 + i)}: ${s}`));
  console.log(
    "file            server   server's thread CPU ms first / second (ratio)   other threads ms first / second   ready ms first / second",
  );
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    // (a comment line in each document: every document is parsed again, the findings are the same)
    const again = text.replace(/\n---\n/g, '\n---\n# again\n');
    const samples = servers.map(() => []);
    for (let i = 0; i < runs; i++)
      for (const k of servers.keys()) samples[k].push(await openTwice(k, text, again));
    samples.forEach((xs, k) => {
      const f = median(xs.map((x) => x.first.thread));
      const s = median(xs.map((x) => x.second.thread));
      const ratio = median(xs.map((x) => x.first.thread / x.second.thread));
      console.log(
        `${path.basename(file).padEnd(16)}${String.fromCharCode(65 + k).padStart(6)}` +
          `${`${f.toFixed(0)} / ${s.toFixed(0)} (${ratio.toFixed(2)}x)`.padStart(44)}` +
          `${`${median(xs.map((x) => x.others[0])).toFixed(0)} / ${median(xs.map((x) => x.others[1])).toFixed(0)}`.padStart(34)}` +
          `${`${median(xs.map((x) => x.first.wall)).toFixed(0)} / ${median(xs.map((x) => x.second.wall)).toFixed(0)}`.padStart(26)}`,
      );
    });
  }
  console.log(`load average after: ${load()}`);
}
