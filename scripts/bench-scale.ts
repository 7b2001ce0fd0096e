// Scale of the cross-resource checks (a measurement, not a test).
//
// CLI: generated workspaces of 2,000 / 6,000 / 20,000 files (the shared harness's gen.mjs, 60 lines a
// file), each timed twice: a bare single-threaded `yaml` parse of every file (parseAllDocuments),
// and `kube-netlens check` (the built dist/cli.js). Prints seconds, the ratio check/parse (target
// at most 2x), peak memory of each process (target under 1 GB) and seconds per 1,000 files (flat
// when growth is linear).
//
// Editor: the built server on the largest folder. One file is opened as the server starts: the
// time to its first diagnostics (while the folder is still being indexed in the background), then
// the indexing time; then a Service's file and the files that depend on it (its Ingress and
// policy) are open and the Service's port is edited: the time until the Ingress's diagnostics are
// re-published (target 50 ms), and back.
//
// Besides wall-clock seconds, each process's CPU time (user + system, every thread) is printed: on a
// shared machine the CPU ratio says more than the wall ratio, which other processes' load moves; and
// the CPU of the main thread alone (Linux), which the check's wall time cannot go below (the parse
// threads work beside it).
//
//   npm run build && node --import tsx scripts/bench-scale.ts [--files 2000,6000,20000] [--threads N] [--no-editor] [--no-cli]
//     [--vs OTHER/dist/cli.js] [--runs N]
//   (--threads N: passed to `check`; by default it decides from the cores and the load average)
//   (--vs: each size's bare parse is followed by a check of this build and one of the other, in
//   alternating order, --runs times (default 3), and each build's medians are printed after the
//   rows: on a machine that other work loads, only runs taken side by side compare)
//   KNL_BENCH_HARNESS=<dir with gen.mjs> (default <project>/../shared/bench)

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, ROOT } from '../test/support/lsp-client';

const args = process.argv.slice(2);
// sizes: `--files 2000,6000` (or the same list as the first plain argument)
const filesAt = args.indexOf('--files');
const sizes = (
  (filesAt >= 0 ? args[filesAt + 1] : undefined) ??
  args.find((a, i) => /^\d/.test(a) && args[i - 1] !== '--threads' && args[i - 1] !== '--runs') ??
  '2000,6000,20000'
)
  .split(',')
  .map(Number);
const editor = !args.includes('--no-editor');
const threadsAt = args.indexOf('--threads');
const threadArgs = threadsAt >= 0 ? ['--threads', args[threadsAt + 1]] : [];
const cliRowsWanted = !args.includes('--no-cli');
const harness = path.resolve(process.env.KNL_BENCH_HARNESS || path.join(ROOT, '..', 'shared', 'bench'));
const gen = path.join(harness, 'gen.mjs');
// KNL_SCALE_CLI=<another build's cli.js> measures that build instead (before/after comparisons)
const cli = path.resolve(process.env.KNL_SCALE_CLI || path.join(ROOT, 'dist', 'cli.js'));
const vsAt = args.indexOf('--vs');
const vs = vsAt >= 0 ? path.resolve(args[vsAt + 1]) : undefined;
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Math.max(1, Number(args[runsAt + 1])) : vs ? 3 : 1;
if (vs && !existsSync(vs)) {
  console.error(`bench-scale: --vs ${vs} does not exist.`);
  process.exit(1);
}

if (!existsSync(gen)) {
  console.log(`bench-scale: gen.mjs not found in ${harness} (set KNL_BENCH_HARNESS); nothing measured.`);
  process.exit(0);
}
if (!existsSync(cli)) {
  console.error('bench-scale: dist/cli.js does not exist; run `npm run build` first.');
  process.exit(1);
}

const DATA = path.join(os.tmpdir(), 'knl-bench-scale');

function workspace(files: number): string {
  const dir = path.join(DATA, `ws-${files}`);
  const stamp = path.join(DATA, `ws-${files}.json`);
  const want = JSON.stringify({ files, gen: statSync(gen).mtimeMs });
  if (existsSync(dir) && existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(DATA, { recursive: true });
  const r = spawnSync(
    process.execPath,
    [gen, '--workspace', dir, '--files', String(files), '--file-lines', '60'],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`gen.mjs failed: ${r.stderr}`);
  writeFileSync(stamp, want);
  return dir;
}

/** Peak resident memory of a child process and its CPU time: a preloaded hook writes
 * process.resourceUsage()'s maxRSS (kilobytes) and user and system CPU (microseconds), worker threads
 * included, to a file when the process exits. */
const HOOK = path.join(DATA, 'maxrss-hook.cjs');
function runMeasured(argv: string[]): {
  seconds: number;
  cpuSeconds: number;
  /** CPU of the main thread alone (Linux; NaN elsewhere). */
  mainCpuSeconds: number;
  maxRssMb: number;
  status: number | null;
  stdout: string;
  stderr: string;
} {
  mkdirSync(DATA, { recursive: true });
  writeFileSync(
    HOOK,
    [
      `process.on('exit', () => {`,
      `  const fs = require('fs');`,
      `  const u = process.resourceUsage();`,
      // the main thread's own CPU (Linux: utime + stime of its task, in clock ticks of 1/100 s)
      `  let main = NaN;`,
      `  try { const st = fs.readFileSync('/proc/self/task/' + process.pid + '/stat', 'utf8'); const f = st.slice(st.lastIndexOf(')') + 2).split(' '); main = (Number(f[11]) + Number(f[12])) * 1e4; } catch {}`,
      `  fs.writeFileSync(process.env.KNL_MAXRSS_FILE, [u.maxRSS, u.userCPUTime + u.systemCPUTime, main].join(' '));`,
      `});`,
    ].join('\n') + '\n',
  );
  const rssFile = path.join(DATA, `maxrss-${process.pid}.txt`);
  rmSync(rssFile, { force: true });
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--require', HOOK, ...argv], {
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    // (KNL_TRACE: the check says how many parse threads it started)
    env: { ...process.env, KNL_MAXRSS_FILE: rssFile, KNL_TRACE: '1' },
  });
  const seconds = (performance.now() - t) / 1000;
  const [rssKb, cpuUs, mainUs] = existsSync(rssFile)
    ? readFileSync(rssFile, 'utf8').split(' ').map(Number)
    : [NaN, NaN, NaN];
  const maxRssMb = rssKb / 1024;
  const cpuSeconds = cpuUs / 1e6;
  const mainCpuSeconds = mainUs / 1e6;
  if (r.status !== 0 && r.status !== 1)
    throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
  return {
    seconds,
    cpuSeconds,
    mainCpuSeconds,
    maxRssMb,
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
  };
}

/** The bare parse: every file read and parsed by `yaml` in one thread, nothing else. */
const BARE = path.join(DATA, 'bare-parse.cjs');
function bareParse(dir: string) {
  writeFileSync(
    BARE,
    [
      `const fs = require('fs'), path = require('path');`,
      `const { parseAllDocuments } = require(${JSON.stringify(require.resolve('yaml', { paths: [ROOT] }))});`,
      `const walk = (d) => fs.readdirSync(d).sort().flatMap((n) => { const f = path.join(d, n); return fs.statSync(f).isDirectory() ? walk(f) : /\\.ya?ml$/.test(n) ? [f] : []; });`,
      `let docs = 0;`,
      `for (const f of walk(process.argv[2])) docs += parseAllDocuments(fs.readFileSync(f, 'utf8')).length;`,
      `console.log(docs);`,
    ].join('\n'),
  );
  return runMeasured([BARE, dir]);
}

const fmt = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const pad = (s: string | number, n: number) => String(s).padStart(n);

/** One measured check, as a table row reads it. */
interface CheckRun {
  n: number;
  parse: ReturnType<typeof runMeasured>;
  check: ReturnType<typeof runMeasured>;
  load: number;
  threads: string;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function cliRows(): void {
  console.log(
    `\nkube-netlens check over generated workspaces (gen.mjs --file-lines 60), ${os.availableParallelism()} CPU(s), ${threadArgs.length ? `check --threads ${threadArgs[1]}` : 'default parse threads'}${vs ? `; build "this" ${cli} and build "vs" ${vs}, alternating, ${runs} run(s) each` : ''}`,
  );
  console.log(
    [
      ...(vs ? ['build'] : []),
      'files',
      'parse s',
      'check s',
      'ratio',
      'parse cpu',
      'check cpu',
      'cpu ratio',
      'main cpu',
      'main ratio',
      'parse MB',
      'check MB',
      's/1k files',
      'findings',
      'load',
      'threads',
    ]
      .map((h, i) => pad(h, i === 0 ? 6 : 10))
      .join(' '),
  );
  const builds: [string, string][] = vs
    ? [
        ['this', cli],
        ['vs', vs],
      ]
    : [['', cli]];
  for (const n of sizes) {
    const dir = workspace(n);
    const done = new Map<string, CheckRun[]>(builds.map(([label]) => [label, []]));
    for (let r = 0; r < runs; r++) {
      const parse = bareParse(dir);
      for (const [label, build] of r % 2 ? [...builds].reverse() : builds) {
        // the one-minute load average as the check starts (its default number of parse threads follows it)
        const load = os.loadavg()[0];
        const check = runMeasured([build, 'check', dir, ...threadArgs]);
        const run: CheckRun = {
          n,
          parse,
          check,
          load,
          threads: /(\d+) parse thread/.exec(check.stderr)?.[1] ?? '?',
        };
        done.get(label)!.push(run);
        console.log([...(vs ? [pad(label, 6)] : []), ...row(run)].join(' '));
      }
    }
    if (runs > 1)
      for (const [label, list] of done) {
        const m = (f: (x: CheckRun) => number, d = 2) => fmt(median(list.map(f)), d);
        console.log(
          `  median of ${list.length} (${label || 'this build'}, ${n} files): ratio ${m((x) => x.check.seconds / x.parse.seconds)}x, check ${m((x) => x.check.seconds, 1)} s, cpu ratio ${m((x) => x.check.cpuSeconds / x.parse.cpuSeconds)}x, main ratio ${m((x) => x.check.mainCpuSeconds / x.parse.mainCpuSeconds)}x, main cpu ${m((x) => x.check.mainCpuSeconds, 1)} s, check ${m((x) => x.check.maxRssMb, 0)} MB, load ${m((x) => x.load, 1)}, threads ${list.map((x) => x.threads).join('/')}`,
        );
      }
  }
  console.log(
    'targets: ratio check/parse (wall) at most 2x, check peak memory under 1024 MB, s/1k files flat (linear growth); load = one-minute load average as the check started; threads = parse threads the check started (none unless a core is idle: by the load average, or by the tasks running as it starts when fewer); cpu = user + system seconds of every thread (GC helpers included); main = CPU of the main thread alone (Linux): the wall time of the check cannot be below it, and the load of other processes moves it less than the wall time',
  );
}

/** A table row of one check (and the bare parse it is compared with). */
function row({ n, parse, check, load, threads }: CheckRun): string[] {
  const summary = check.stdout.trim().split('\n').at(-1) ?? '';
  const findings =
    /(\d+) error.*?(\d+) warning.*?(\d+) information.*?(\d+) hint/
      .exec(summary)
      ?.slice(1)
      .map(Number)
      .reduce((a, b) => a + b, 0) ?? NaN;
  return [
    pad(n, 6),
    pad(fmt(parse.seconds), 10),
    pad(fmt(check.seconds), 10),
    pad(fmt(check.seconds / parse.seconds, 2) + 'x', 10),
    pad(fmt(parse.cpuSeconds), 10),
    pad(fmt(check.cpuSeconds), 10),
    pad(fmt(check.cpuSeconds / parse.cpuSeconds, 2) + 'x', 10),
    pad(fmt(check.mainCpuSeconds), 10),
    pad(fmt(check.mainCpuSeconds / parse.mainCpuSeconds, 2) + 'x', 10),
    pad(fmt(parse.maxRssMb, 0), 10),
    pad(fmt(check.maxRssMb, 0), 10),
    pad(fmt((check.seconds / n) * 1000, 2), 10),
    pad(findings, 10),
    pad(fmt(load, 1), 10),
    pad(threads, 10),
  ];
}

async function editorRows(): Promise<void> {
  const n = Math.max(...sizes);
  const dir = workspace(n);
  // a Service file and the files that depend on it: in gen.mjs's layout the bundle of one app is
  // three consecutive files (Namespace/Service/Secret, Deployment/Ingress, NetworkPolicy)
  const folders = readdirSync(dir).sort();
  let svcFile = '';
  let ingFile = '';
  for (const f of folders) {
    const files = readdirSync(path.join(dir, f)).sort();
    for (let i = 0; i + 1 < files.length && !svcFile; i++) {
      const a = readFileSync(path.join(dir, f, files[i]), 'utf8');
      const b = readFileSync(path.join(dir, f, files[i + 1]), 'utf8');
      if (/^kind: Service$/m.test(a) && /^kind: Ingress$/m.test(b)) {
        svcFile = path.join(dir, f, files[i]);
        ingFile = path.join(dir, f, files[i + 1]);
      }
    }
    if (svcFile) break;
  }
  if (!svcFile) throw new Error('no Service file followed by its Ingress file in the generated workspace');
  const uri = (f: string) => pathToFileURL(f).toString();
  const t0 = performance.now();
  const client = await LspClient.start({}, { rootUri: pathToFileURL(dir).toString() });
  const startMs = performance.now() - t0;
  // 1. first diagnostics of a file opened while the folder is being indexed
  const svcText = readFileSync(svcFile, 'utf8');
  const t1 = performance.now();
  await client.open(uri(svcFile), svcText);
  await client.waitForDiagnostics(uri(svcFile), () => true);
  const firstMs = performance.now() - t1;
  const indexingWhenFirst = !client.progress.some((p) => p.value.kind === 'end');
  await client.waitFor(() => client.progress.some((p) => p.value.kind === 'end'), 'indexing', 30 * 60 * 1000);
  const indexMs = performance.now() - t0;
  // 2. an edit in the Service's file re-checks its dependents (the Ingress routing to it)
  const ingText = readFileSync(ingFile, 'utf8');
  await client.open(uri(ingFile), ingText);
  await client.waitForDiagnostics(
    uri(ingFile),
    (d) => !d.some((x) => x.code === 'ingress-backend-port-missing'),
  );
  const portLine = /^(\s*-\s*(?:name:.*\n\s*)?port:\s*)(\d+)/m.exec(svcText);
  if (!portLine) throw new Error(`no port in ${svcFile}`);
  const times: number[] = [];
  for (let r = 0; r < 20; r++) {
    const broken = r % 2 === 0;
    const text = broken
      ? svcText.replace(portLine[0], `${portLine[1]}${Number(portLine[2]) + 10000}`)
      : svcText;
    const start = performance.now();
    await client.change(uri(svcFile), text);
    await client.waitForDiagnostics(
      uri(ingFile),
      (d) => d.some((x) => x.code === 'ingress-backend-port-missing') === broken,
    );
    times.push(performance.now() - start);
  }
  await client.stop();
  times.sort((a, b) => a - b);
  console.log(`\nlanguage server on the ${n}-file folder (server start ${fmt(startMs, 0)} ms)`);
  console.log(
    `first diagnostics of a file opened at start: ${fmt(firstMs, 0)} ms (${indexingWhenFirst ? 'while the folder was still being indexed' : 'indexing had already ended'}); folder indexed in ${fmt(indexMs / 1000)} s`,
  );
  console.log(
    `edit a Service's port -> its Ingress (another open file) re-published: median ${fmt(times[10])} ms, min ${fmt(times[0])} ms, max ${fmt(times[19])} ms over 20 edits (stdio round trip included; target 50 ms)`,
  );
}

async function main(): Promise<void> {
  if (cliRowsWanted) cliRows();
  if (editor) await editorRows();
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
