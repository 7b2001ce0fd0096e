#!/usr/bin/env node
// First diagnostics of a freshly started server, in the server's own CPU time as well as wall time
// (a measurement, not a test). lspbench times the wall clock from didOpen to the first publication;
// on a shared machine that moves with the load far more than the CPU time the server spent on it,
// which the server prints itself with KNL_TRACE=1. With --vs, the runs of two servers alternate (an
// A/B comparison under the same load).
//
//   node scripts/bench-first.mjs [--runs 5] [--server "node dist/server.js --stdio"]
//                                [--vs "node OTHER/dist/server.js --stdio"] [FILE...]
//   (FILE: default the 1k, 10k and 50k files of $TMPDIR/kube-netlens-bench, as `npm run bench`
//    generates them; each is opened with an empty workspace folder, as in npm run bench)
//
// Prints per file and server the medians of: first diagnostics (wall ms, lspbench), the server's CPU
// time from didOpen to that publication (ms; the process: main thread, V8's helper threads and the
// parser thread; and of the server's thread alone when the build says it), the number of diagnostics
// in it (and what publication it was when not the complete one), peak RSS, initialize (wall ms); and
// the load average before and after. Needs the LSP harness (../shared/bench or $KNL_BENCH_HARNESS).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs wants a positive integer');
const servers = [take('--server', 'node dist/server.js --stdio')];
const other = take('--vs', undefined);
if (other) servers.push(other);
const data = path.join(os.tmpdir(), 'kube-netlens-bench');
const files = args.length
  ? args
  : ['k8s-1k.yaml', 'k8s-10k.yaml', 'k8s-50k.yaml'].map((f) => path.join(data, f));

if (!fs.existsSync(lspbench)) {
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
  /v1: (\d+) diagnostics \((\w+)(?:, \d+ KB)?\) ready [\d.]+ ms \((?:CPU ([\d.]+) ms on the server's thread, ([\d.]+) ms in all|([\d.]+) ms CPU)\)/;

function run(server, file) {
  const r = spawnSync(
    process.execPath,
    [lspbench, '--server', server, '--file', file, '--workspace', workspace, '--verbose'],
    { cwd: root, encoding: 'utf8', env: { ...process.env, KNL_TRACE: '1' }, maxBuffer: 64 << 20 },
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

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

console.log(`first diagnostics of a fresh server, medians of ${runs} runs; load average ${load()}`);
servers.forEach((s, i) => console.log(`  ${String.fromCharCode(65 + i)}: ${s}`));
console.log(
  'file            server  first diag ms  server CPU ms  (min-max)                  count  peak RSS  initialize ms',
);
for (const file of files) {
  const samples = servers.map(() => []);
  for (let i = 0; i < runs; i++) servers.forEach((s, k) => samples[k].push(run(s, file)));
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
