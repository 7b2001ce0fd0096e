#!/usr/bin/env node
// Benchmark the built language server (dist/server.js) with the shared LSP harness.
//
//   npm run bench                       # = npm run build && node scripts/bench.mjs
//   node scripts/bench.mjs [--runs 3] [--seed 42] [--timeout 600000] [--server "node dist/server.js --stdio"]
//                          [--data DIR] [--regen] [--json FILE] [--help]
//
// The harness (gen.mjs, run-bench.mjs, lspbench.mjs) lives outside this repository, in
// <project>/../shared/bench or $KNL_BENCH_HARNESS. Without it this script says so and exits 0.
//
// What it does:
//   1. generates k8s-1k/10k/50k.yaml and k8s-invalid-ingress.yaml into $TMPDIR/kube-netlens-bench
//      (reused when already generated with the same seed and the same gen.mjs);
//   2. runs run-bench.mjs (--runs N fresh servers per file, medians) for each of those files,
//      dumping the first diagnostics of each run to <data>/diagnostics/<file>.json;
//   3. prints a table with the targets next to the numbers, the diagnostics by rule id, what
//      completion/hover returned, and the in-process cost of a bare yaml parseAllDocuments of the
//      10k file (median of 5); next to each re-diag number, what the harness itself spends inside
//      that timed window applying the edit to its own copy of the file (its Doc.apply, timed here
//      in-process, median of 5, warm: the harness's own apply is its first, cold, and slower);
//   4. runs lspbench once more per file with the server's trace (KNL_TRACE=1) and prints where that
//      run's re-diagnosis went: with pulls, how long after the harness's didChange came the findings
//      were ready and its pull was read (the later of the two: the harness's own work in between, its
//      cold apply of the edit, is a floor no server can go below), and how long the answer took after
//      that; with publications, when the server's publication was ready and written.
// Exit status: 0 even when a speed target is missed; 1 when the harness reports errors, when a
// file could not be measured, or when k8s-invalid-ingress.yaml got 0 diagnostics (nothing was checked).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ------------------------------------------------------------------ options
const HELP = fs
  .readFileSync(fileURLToPath(import.meta.url), 'utf8')
  .split('\n')
  .slice(1, 20)
  .map((l) => l.replace(/^\/\/ ?/, ''))
  .join('\n');

function parseArgs(argv) {
  const o = {
    runs: 3,
    seed: 42,
    timeout: 600000,
    server: 'node dist/server.js --stdio',
    data: path.join(os.tmpdir(), 'kube-netlens-bench'),
    regen: false,
    json: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    const num = (lo) => {
      const v = val();
      const n = Number(v);
      if (!Number.isInteger(n) || n < lo) usage(`${a} wants an integer >= ${lo}, got ${v}`);
      return n;
    };
    if (a === '--help' || a === '-h') {
      console.log(HELP);
      process.exit(0);
    } else if (a === '--runs') o.runs = num(1);
    else if (a === '--seed') o.seed = num(0);
    else if (a === '--timeout') o.timeout = num(1000);
    else if (a === '--server') o.server = val();
    else if (a === '--data') o.data = path.resolve(val());
    else if (a === '--json') o.json = path.resolve(val());
    else if (a === '--regen') o.regen = true;
    else usage(`unknown option ${a}`);
  }
  return o;
}

function usage(msg) {
  console.error(`bench: ${msg}\n\n${HELP}`);
  process.exit(2);
}

const opts = parseArgs(process.argv.slice(2));

// ------------------------------------------------------------------ harness
const harness = path.resolve(process.env.KNL_BENCH_HARNESS || path.join(root, '..', 'shared', 'bench'));
const HARNESS_FILES = ['gen.mjs', 'run-bench.mjs', 'lspbench.mjs'];
const missing = HARNESS_FILES.filter((f) => !fs.existsSync(path.join(harness, f)));
if (missing.length) {
  console.log(
    `bench: LSP benchmark harness not found at ${harness} (missing ${missing.join(', ')}).\n` +
      `bench: it is not part of this repository; put it at <project>/../shared/bench or point ` +
      `KNL_BENCH_HARNESS at it. Nothing was measured.`,
  );
  process.exit(0);
}

if (!fs.existsSync(path.join(root, 'dist', 'server.js'))) {
  console.error('bench: dist/server.js does not exist; run `npm run build` first (or use `npm run bench`).');
  process.exit(1);
}

// ------------------------------------------------------------------ helpers
const round = (x, d = 1) =>
  typeof x === 'number' && Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : null;
const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const get = (o, p) => p.split('.').reduce((x, k) => (x == null ? null : x[k]), o);
const fmt = (x, d = 1) => (x == null ? 'n/a' : String(round(x, d)));
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const sha256 = (file) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const lineCount = (text) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

function git(...args) {
  const r = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

// ------------------------------------------------------------------ 1. test data
// Each file is opened with an empty workspace folder (the single-file case the targets speak of);
// the last row opens the 10k file in a workspace of 2,000 manifests that the server indexes meanwhile.
const FILES = [
  { name: 'k8s-1k.yaml', short: '1k' },
  { name: 'k8s-10k.yaml', short: '10k' },
  { name: 'k8s-50k.yaml', short: '50k' },
  { name: 'k8s-invalid-ingress.yaml', short: 'invalid' },
];
const RUNS = [
  ...FILES.map((f) => ({ ...f, label: f.name, workspace: 'empty-workspace' })),
  { name: 'k8s-10k.yaml', short: '10k+ws', label: 'k8s-10k.yaml + ws-2000/', workspace: 'ws-2000' },
];

function ensureData() {
  const gen = path.join(harness, 'gen.mjs');
  const stampFile = path.join(opts.data, '.kube-netlens-bench.json');
  const want = { seed: opts.seed, gen: sha256(gen) };
  let stamp = null;
  try {
    stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
  } catch {
    /* not generated yet */
  }
  const fresh =
    !opts.regen &&
    stamp &&
    stamp.seed === want.seed &&
    stamp.gen === want.gen &&
    FILES.every((f) => {
      const p = path.join(opts.data, f.name);
      return fs.existsSync(p) && stamp.sizes?.[f.name] === fs.statSync(p).size;
    });
  if (fresh) {
    console.log(`data: reusing ${opts.data} (seed ${opts.seed})`);
    return;
  }
  fs.mkdirSync(opts.data, { recursive: true });
  const t = performance.now();
  // --all also writes ws-2000/ (2,000 small files); it takes well under a second, so keep it simple.
  const r = spawnSync(process.execPath, [gen, '--all', '--out', opts.data, '--seed', String(opts.seed)], {
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    console.error(`bench: gen.mjs failed (exit ${r.status}):\n${r.stderr}`);
    process.exit(1);
  }
  const sizes = Object.fromEntries(
    FILES.map((f) => [f.name, fs.statSync(path.join(opts.data, f.name)).size]),
  );
  fs.writeFileSync(
    stampFile,
    JSON.stringify({ ...want, sizes, generatedAt: new Date().toISOString() }, null, 1),
  );
  console.log(
    `data: generated into ${opts.data} (seed ${opts.seed}) in ${Math.round(performance.now() - t)} ms`,
  );
}

// ------------------------------------------------------------------ 2. run the harness
// One run-bench.mjs invocation per file, so that each file gets its own raw JSONL and its own
// diagnostics dump. Its progress lines ("[run-bench] ...") are passed through on stderr.
/** The last line of a tool's output that is JSON, parsed (null when none is). */
function lastJsonLine(out) {
  for (const l of out.trim().split('\n').reverse()) {
    try {
      return JSON.parse(l);
    } catch {
      /* not JSON */
    }
  }
  return null;
}

function runBench(file, rawJsonl, dumpFile, workspace) {
  fs.rmSync(rawJsonl, { force: true });
  const args = [
    path.join(harness, 'run-bench.mjs'),
    '--runs',
    String(opts.runs),
    '--label',
    'kube-netlens',
    '--files',
    file,
    '--jsonl',
    rawJsonl,
    '--workspace-for',
    `${file}=${workspace}`,
    '--',
    '--server',
    opts.server,
    '--timeout',
    String(opts.timeout),
    '--dump-diagnostics',
    dumpFile,
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let errTail = '';
    let buf = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => {
      errTail = (errTail + d).slice(-4000);
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith('[run-bench]')) console.error(`  ${line}`);
      }
    });
    child.on('close', (code) => {
      const summary = lastJsonLine(out);
      let raw = [];
      try {
        raw = fs
          .readFileSync(rawJsonl, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l));
      } catch {
        /* none */
      }
      resolve({ code, summary, raw, errTail });
    });
  });
}

// One more lspbench run of a file (no completions or hovers) with the server's trace on: where its
// re-diagnosis went. With pulls, the server says when the harness's pull of the edited version came
// after its didChange (the harness's own work in between, mostly its apply of the edit to its copy of
// the file, cold: a floor no server can go below) and the rest is the server's answer; with
// publications, when the publication was ready and written after the change came.
function tracedRediag(file, workspace) {
  const args = [
    path.join(harness, 'lspbench.mjs'),
    '--server',
    opts.server,
    '--file',
    file,
    '--workspace',
    workspace,
    '--completions',
    '0',
    '--hovers',
    '0',
    '--timeout',
    String(opts.timeout),
    '--verbose',
  ];
  const r = spawnSync(process.execPath, args, {
    cwd: root,
    env: { ...process.env, KNL_TRACE: '1' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = lastJsonLine(r.stdout ?? '');
  if (!line || line.rediagnoseMs == null) return { error: 'no re-diagnosis measured' };
  const err = r.stderr ?? '';
  const pulled = /pull \S+ v2: came ([\d.]+) ms after the change/.exec(err);
  const offered = /v2: \d+ diagnostics \((\w+)\) ready for a pull ([\d.]+) ms/.exec(err);
  const pub = /v2: \d+ diagnostics \((\w+), (\d+) KB\) ready ([\d.]+) ms .*? and written ([\d.]+) ms/.exec(
    err,
  );
  return {
    mode: line.diagnosticsMode,
    rediagMs: line.rediagnoseMs,
    kind: line.pull?.rediagnoseKind ?? null,
    askedAfterMs: pulled ? Number(pulled[1]) : null,
    readyAfterMs: offered ? Number(offered[2]) : null,
    published: pub
      ? { what: pub[1], kb: Number(pub[2]), readyMs: Number(pub[3]), writtenMs: Number(pub[4]) }
      : null,
  };
}

// ------------------------------------------------------------------ 3. yaml baseline
function yamlBaseline(file) {
  let YAML;
  try {
    YAML = createRequire(path.join(root, 'package.json'))('yaml');
  } catch (e) {
    return { error: `cannot load the yaml package: ${e.message}` };
  }
  const text = fs.readFileSync(file, 'utf8');
  const times = [];
  let docs = 0;
  let errors = 0;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const all = YAML.parseAllDocuments(text);
    times.push(performance.now() - t);
    docs = all.length;
    errors = all.reduce((n, d) => n + (d.errors?.length ?? 0), 0);
  }
  let version = null;
  try {
    version = JSON.parse(
      fs.readFileSync(createRequire(path.join(root, 'package.json')).resolve('yaml/package.json'), 'utf8'),
    ).version;
  } catch {
    /* unknown */
  }
  return {
    file,
    lines: lineCount(text),
    version,
    docs,
    errors,
    times: times.map((t) => round(t, 1)),
    medianMs: round(median(times), 1),
  };
}

// ------------------------------------------------------------------ 4. the harness's own edit
// lspbench times re-diagnosis from sending didChange to the next publication, and right after
// sending it applies the same edit to its own copy of the file (Doc.apply: join the lines, cut,
// split again), in the same window and on the same machine as the server. Its Doc class, posToOffset
// and chooseEdit are taken from lspbench.mjs itself, so that this is the harness's code, not a copy.
function harnessApply(file) {
  const src = fs.readFileSync(path.join(harness, 'lspbench.mjs'), 'utf8');
  const grab = (start) => {
    const at = src.indexOf(start);
    const end = at < 0 ? -1 : src.indexOf('\n}\n', at);
    return end < 0 ? null : src.slice(at, end + 2);
  };
  const parts = ['function posToOffset(', 'class Doc {', 'function chooseEdit('].map(grab);
  if (parts.some((x) => !x)) return { error: 'Doc, posToOffset or chooseEdit not found in lspbench.mjs' };
  let api;
  try {
    api = new Function(`${parts.join('\n')}\nreturn { Doc, chooseEdit };`)();
  } catch (e) {
    return { error: `lspbench.mjs's Doc did not load: ${e.message}` };
  }
  const text = fs.readFileSync(file, 'utf8');
  const edit = api.chooseEdit(new api.Doc(text));
  if (!edit) return { error: 'no edit chosen' };
  const times = [];
  for (let i = 0; i < 6; i++) {
    const doc = new api.Doc(text);
    const t = performance.now();
    doc.apply(edit.range, edit.to);
    times.push(performance.now() - t);
  }
  // (the first run warms the JIT up: the harness's own apply is its first too, but its process ran
  // the same code paths on this text before)
  return { medianMs: round(median(times.slice(1)), 1), times: times.map((t) => round(t, 1)) };
}

// ------------------------------------------------------------------ main
ensureData();

const head = git('rev-parse', '--short', 'HEAD');
const dirty = git('status', '--porcelain', '--', 'server', 'scripts/build.mjs');
const harnessVersion = (fs
  .readFileSync(path.join(harness, 'lspbench.mjs'), 'utf8')
  .match(/HARNESS_VERSION = '([^']+)'/) || [])[1];
console.log(
  `server: ${opts.server}  (cwd ${root}; git ${head ?? '?'}${dirty ? ', server/ has uncommitted changes' : ''})\n` +
    `harness: ${harness} (lspbench ${harnessVersion ?? '?'}), node ${process.version}, ${os.cpus().length} CPUs, ` +
    `load avg ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}\n` +
    `runs: ${opts.runs} fresh servers per file, medians; --timeout ${opts.timeout} ms\n`,
);

const dumpDir = path.join(opts.data, 'diagnostics');
const rawDir = path.join(opts.data, 'raw');
fs.mkdirSync(dumpDir, { recursive: true });
fs.mkdirSync(rawDir, { recursive: true });

const results = [];
fs.mkdirSync(path.join(opts.data, 'empty-workspace'), { recursive: true });
for (const f of RUNS) {
  const file = path.join(opts.data, f.name);
  const base = f.short;
  const dumpFile = path.join(dumpDir, `${base}.json`);
  fs.rmSync(dumpFile, { force: true });
  console.error(`bench: ${f.label} (workspace folder ${f.workspace}/) ...`);
  const r = await runBench(
    file,
    path.join(rawDir, `${base}.jsonl`),
    dumpFile,
    path.join(opts.data, f.workspace),
  );
  let diagnostics = null;
  try {
    diagnostics = JSON.parse(fs.readFileSync(dumpFile, 'utf8'));
  } catch {
    /* no dump: first diagnostics never came */
  }
  results.push({
    ...f,
    file,
    ...r,
    diagnostics,
    dumpFile,
    apply: harnessApply(file),
    traced: tracedRediag(file, path.join(opts.data, f.workspace)),
  });
}

// ---- derive per-file rows (medians over runs; extra fields come from the raw lines)
const rows = results.map((r) => {
  const s = r.summary ?? {};
  const raw = r.raw;
  const errors = [...(s.errors ?? [])];
  if (!r.summary)
    errors.push(
      `run-bench produced no summary (exit ${r.code}): ${r.errTail.trim().split('\n').slice(-3).join(' | ')}`,
    );
  const m = (p) => median(raw.map((x) => get(x, p)));
  const sum = (p) => raw.reduce((n, x) => n + (get(x, p) ?? 0), 0);
  const hoverEmptyKeys = new Set();
  for (const x of raw) for (const h of x.hover?.sample ?? []) if (!h.chars) hoverEmptyKeys.add(h.key ?? h.at);
  const labels = new Map();
  for (const x of raw)
    for (const site of x.completion?.sampleLabels ?? []) labels.set(site.at, site.labels ?? []);
  return {
    name: r.label,
    short: r.short,
    lines: s.lines ?? raw[0]?.lines ?? null,
    mode: s.diagnosticsMode ?? null,
    firstMs: s.firstDiagnosticsMs ?? null,
    firstAll: s['firstDiagnosticsMs.all'] ?? [],
    firstCount: s.firstDiagnosticsCount ?? null,
    firstCountAll: s['firstDiagnosticsCount.all'] ?? [],
    rediagMs: s.rediagnoseMs ?? null,
    rediagAll: s['rediagnoseMs.all'] ?? [],
    rediagCount: m('rediagnoseCount'),
    applyMs: r.apply.medianMs ?? null,
    initMs: s.initializeMs ?? null,
    complP50: s['completion.p50'] ?? null,
    complP95: s['completion.p95'] ?? null,
    complItems: m('completion.avgItems'),
    complEmpty: sum('completion.emptyResults'),
    complN: sum('completion.n'),
    complLabels: labels,
    hoverP50: s['hover.p50'] ?? null,
    hoverP95: s['hover.p95'] ?? null,
    hoverEmpty: sum('hover.emptyResults'),
    hoverN: sum('hover.n'),
    hoverEmptyKeys: [...hoverEmptyKeys],
    hoverSample: raw[0]?.hover?.sample ?? [],
    rssMB: s.peakRssMB ?? null,
    rssAll: s['peakRssMB.all'] ?? [],
    errors,
    diagnostics: r.diagnostics,
    dumpFile: r.dumpFile,
  };
});
const row = (short) => rows.find((x) => x.short === short);

// ---- targets
const TARGETS = [
  { what: 'first diagnostics on 10k', file: '10k', key: 'firstMs', max: 200, unit: 'ms' },
  ...['1k', '10k', '50k', 'invalid'].map((f) => ({
    what: `re-diagnose on ${f}`,
    file: f,
    key: 'rediagMs',
    max: 20,
    unit: 'ms',
  })),
  { what: 'completion p95 on 50k', file: '50k', key: 'complP95', max: 10, unit: 'ms' },
  { what: 'hover p95 on 50k', file: '50k', key: 'hoverP95', max: 5, unit: 'ms' },
  { what: 'peak RSS on 10k', file: '10k', key: 'rssMB', max: 150, unit: 'MB' },
];
const verdicts = TARGETS.map((t) => {
  const v = row(t.file)?.[t.key];
  return { ...t, value: v, met: v == null ? null : v <= t.max };
});
const mark = (file, key) => {
  const t = verdicts.find((x) => x.file === file && x.key === key);
  if (!t) return '';
  return t.met == null ? ' [target n/a]' : t.met ? ` [ok <=${t.max}]` : ` [MISSED >${t.max}]`;
};

// ---- table
const cols = [
  ['file', (r) => r.name],
  ['lines', (r) => r.lines ?? 'n/a', true],
  ['first diag ms (count)', (r) => `${fmt(r.firstMs)} (${r.firstCount ?? 'n/a'})${mark(r.short, 'firstMs')}`],
  ['re-diag ms (harness apply)', (r) => `${fmt(r.rediagMs)} (${fmt(r.applyMs)})${mark(r.short, 'rediagMs')}`],
  [
    'completion p50/p95 ms (avg items)',
    (r) => `${fmt(r.complP50)} / ${fmt(r.complP95)} (${fmt(r.complItems)})${mark(r.short, 'complP95')}`,
  ],
  [
    'hover p50/p95 ms (empty)',
    (r) =>
      `${fmt(r.hoverP50)} / ${fmt(r.hoverP95)} (${r.hoverEmpty}/${r.hoverN})${mark(r.short, 'hoverP95')}`,
  ],
  ['peak RSS MB', (r) => `${fmt(r.rssMB)}${mark(r.short, 'rssMB')}`],
  ['errors', (r) => String(r.errors.length)],
];
const cells = rows.map((r) => cols.map(([, f]) => String(f(r))));
const widths = cols.map(([h], i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
const line = (vals) => vals.map((v, i) => (cols[i][2] ? lpad(v, widths[i]) : pad(v, widths[i]))).join('  ');
console.log(
  `\nResults (median of ${opts.runs} runs; diagnostics mode: ${[...new Set(rows.map((r) => r.mode))].join('/')})\n`,
);
console.log(line(cols.map(([h]) => h)));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const c of cells) console.log(line(c));

console.log(
  `\n(harness apply: lspbench applies the edit to its own copy of the file inside the re-diag window, ` +
    `in parallel with the server; timed here in-process, median of 5` +
    `${results.some((r) => r.apply.error) ? `; n/a: ${[...new Set(results.filter((r) => r.apply.error).map((r) => r.apply.error))].join('; ')}` : ''})`,
);

console.log(
  '\nRe-diagnosis traced (one more run per file, KNL_TRACE=1; one sample, not a median): where the time went',
);
for (const r of results) {
  const t = r.traced;
  if (!t || t.error) {
    console.log(`  ${r.label}: n/a (${t?.error ?? 'not run'})`);
    continue;
  }
  const where =
    t.askedAfterMs != null
      ? `after the harness's didChange came, the findings were ready in ${fmt(t.readyAfterMs)} ms and its pull was read in ${fmt(t.askedAfterMs)} ms (the later of the harness's own work and the server's); answered ${t.kind ?? '?'} ${fmt(Math.max(0, t.rediagMs - t.askedAfterMs))} ms after that`
      : t.published
        ? `the server's ${t.published.what} publication (${t.published.kb} KB) was ready ${fmt(t.published.readyMs)} ms and written ${fmt(t.published.writtenMs)} ms after the change came`
        : 'no trace line found';
  console.log(`  ${r.label}: ${fmt(t.rediagMs)} ms (${t.mode}): ${where}`);
}

console.log('\nTargets (speed is reported, never asserted)');
for (const v of verdicts) {
  const state = v.met == null ? 'n/a   ' : v.met ? 'met   ' : 'MISSED';
  console.log(
    `  ${state}  ${pad(v.what, 26)} <= ${lpad(v.max, 3)} ${v.unit}   measured ${fmt(v.value)} ${v.unit}`,
  );
}

console.log('\nPer-run values (first diag ms | re-diag ms | first diag count | peak RSS MB | init ms)');
for (const r of rows) {
  const j = (a) => `[${a.map((x) => x ?? 'n/a').join(', ')}]`;
  console.log(
    `  ${pad(r.name, 26)} ${j(r.firstAll)} | ${j(r.rediagAll)} | ${j(r.firstCountAll)} | ${j(r.rssAll)} | init ${fmt(r.initMs)}`,
  );
}

// ---- what completion and hover returned
console.log('\nCompletion / hover results');
for (const r of rows) {
  const sites = [...r.complLabels.entries()].map(
    ([at, ls]) => `${at}: ${ls.length ? ls.join(', ') : '(none)'}`,
  );
  console.log(
    `  ${r.name}: completion ${r.complN - r.complEmpty}/${r.complN} non-empty; labels ${sites.join(' | ') || 'n/a'}`,
  );
  const hs = r.hoverSample.map((h) => `${h.key}${h.chars ? '' : ' (EMPTY)'}`).join(', ');
  console.log(
    `  ${' '.repeat(r.name.length)}  hover ${r.hoverN - r.hoverEmpty}/${r.hoverN} non-empty; keys ${hs || 'n/a'}` +
      (r.hoverEmptyKeys.length ? `; empty on: ${r.hoverEmptyKeys.join(', ')}` : ''),
  );
}

// ---- diagnostics by rule id (first diagnostics after didOpen, last run's dump)
const SEV = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };
console.log('\nFirst diagnostics by rule id (from --dump-diagnostics)');
for (const r of rows) {
  if (!Array.isArray(r.diagnostics)) {
    console.log(`  ${r.name}: no dump (first diagnostics never arrived)`);
    continue;
  }
  const by = new Map();
  for (const d of r.diagnostics) {
    const code = typeof d.code === 'object' && d.code ? d.code.value : (d.code ?? '(no code)');
    const e = by.get(code) ?? { code, n: 0, sev: new Set(), msg: d.message, line: d.range?.start?.line };
    e.n++;
    e.sev.add(SEV[d.severity] ?? d.severity ?? '?');
    by.set(code, e);
  }
  const top = [...by.values()].sort((a, b) => b.n - a.n);
  const limit = r.short === '10k' ? 12 : 5;
  console.log(`  ${r.name}: ${r.diagnostics.length} diagnostics, ${by.size} rule ids  (${r.dumpFile})`);
  for (const e of top.slice(0, limit)) {
    const msg = String(e.msg ?? '').replace(/\s+/g, ' ');
    console.log(
      `    ${lpad(e.n, 5)}  ${pad(e.code, 28)} ${pad([...e.sev].join('/'), 8)} e.g. line ${(e.line ?? -1) + 1}: ${msg.length > 150 ? msg.slice(0, 147) + '...' : msg}`,
    );
  }
  if (top.length > limit) console.log(`    ... ${top.length - limit} more rule ids`);
}

// ---- yaml baseline
const base = yamlBaseline(path.join(opts.data, 'k8s-10k.yaml'));
console.log('\nBaseline: bare yaml parseAllDocuments in this process (no server, no LSP)');
if (base.error) console.log(`  skipped: ${base.error}`);
else
  console.log(
    `  k8s-10k.yaml (${base.lines} lines, ${base.docs} documents, ${base.errors} parse errors), yaml ${base.version ?? '?'}: ` +
      `median of 5 = ${base.medianMs} ms  (runs: ${base.times.join(', ')} ms; the first includes JIT warm-up)`,
  );
const r10 = row('10k');
if (!base.error && r10?.firstMs != null)
  console.log(
    `  server first diagnostics on the same file: ${fmt(r10.firstMs)} ms (${fmt(r10.firstMs / base.medianMs, 2)}x the bare parse)`,
  );

// ---- sanity: did the server check anything, did the harness work?
const problems = [];
for (const r of rows) for (const e of r.errors) problems.push(`${r.name}: ${e}`);
const inv = row('invalid');
if (!inv || !inv.firstCountAll.length || inv.firstCountAll.some((c) => !c)) {
  problems.push(
    `k8s-invalid-ingress.yaml: first diagnostics count ${JSON.stringify(inv?.firstCountAll ?? [])}; expected > 0 in every run (the server checked nothing)`,
  );
}

if (opts.json) {
  fs.mkdirSync(path.dirname(opts.json), { recursive: true });
  const plain = rows.map(({ diagnostics, complLabels, ...rest }) => ({
    ...rest,
    complLabels: Object.fromEntries(complLabels),
    diagnosticsCount: diagnostics?.length ?? null,
  }));
  fs.writeFileSync(
    opts.json,
    JSON.stringify(
      {
        server: opts.server,
        git: head,
        runs: opts.runs,
        seed: opts.seed,
        rows: plain,
        targets: verdicts,
        yamlBaseline: base,
        problems,
      },
      null,
      1,
    ),
  );
  console.log(`\nJSON written to ${opts.json}`);
}

console.log(`\nraw harness lines: ${rawDir}/*.jsonl   diagnostics dumps: ${dumpDir}/*.json`);
if (problems.length) {
  console.log(`\nbench: FAILED (not a speed problem: the measurement is not valid)`);
  for (const p of problems) console.log(`  - ${p}`);
  process.exit(1);
}
const missed = verdicts.filter((v) => v.met === false).length;
console.log(
  `\nbench: ok (${verdicts.length - missed}/${verdicts.length} targets met${missed ? `, ${missed} missed` : ''})`,
);
