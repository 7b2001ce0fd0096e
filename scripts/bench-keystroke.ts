// What one keystroke in a large open file costs the server, phase by phase, in CPU time (a
// measurement, not a test; no protocol, no other process): the text is updated the way the protocol's
// document manager does it (an incremental change), then parsed and entered into the index, checked
// the way the server checks while typing (only the edited documents run every rule), and the
// publishDiagnostics notification is encoded as JSON.
//
//   node --import tsx scripts/bench-keystroke.ts [FILE] [--keys 40] [--during] [--paths]
//                                                [--profile OUT.cpuprofile] [--heap-profile OUT.heapprofile]
//   (FILE: default $TMPDIR/kube-netlens-bench/k8s-50k.yaml, as `npm run bench` generates it;
//    or node ../shared/bench/gen.mjs --lines 50000 --out /tmp/k8s-50k.yaml)
//
// The edit is lspbench's: the `replicas:` value nearest the middle of the file, changed and changed
// back on alternate keystrokes; every fifth keystroke types a new line after it instead, so that the
// documents below move by a line. Prints medians and the 90th percentile of each phase (thread CPU
// time, ms), and the load average (the machine may be shared: CPU time moves less with load than
// wall time, but it still moves).
//
// --during: the keystrokes come while the file's first check is still under way, as lspbench's edit
// does (it edits as soon as the first publication, a progress one at 50k lines, arrives): the first
// check is stopped at its first progress publication, and each keystroke is checked the way the
// server checks it then, up to the snapshot it publishes first (the edited documents checked, the
// others as far as the first check got); "check" is the time to that snapshot, and "longest step"
// the longest work between two yields of that check (the server gives other requests a turn only
// between two steps, once it has worked SLICE_MS: a longer step makes them wait).
//
// --paths: instead of the `replicas:` keystroke, lspbench's completion-site edit: an empty item "- "
// inserted before the first path of three Ingresses (start, middle and end of the file) in one
// change, removed again by the next edit (an edit to Ingresses: the claims of every host and path
// and the route graph's slices of their namespaces are built again).

import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import os from 'node:os';
import path from 'node:path';
import { OpenDocuments } from '../server/src/lsp/documents';
import { listenTo } from '../test/support/open-documents';
import { newDocuments } from '../server/src/service/documents';
import type { StoredFile } from '../server/src/service/documents';
import { parseChunk } from '../server/src/syntax/parse';
import { createLanguageService } from '../server/src/service/language-service';
import type { ServiceWorkspace } from '../server/src/service/types';
import { ResourceIndex } from '../server/src/workspace/index';
import { publishedDiagnostics } from '../server/src/lsp/diagnostics';
import type { ParsedDocument } from '../server/src/syntax/parse';
import type { Diagnostic } from 'vscode-languageserver-types';

const args = process.argv.slice(2);
const keysAt = args.indexOf('--keys');
const KEYS = keysAt >= 0 ? Number(args.splice(keysAt, 2)[1]) : 40;
const profileAt = args.indexOf('--profile');
const PROFILE = profileAt >= 0 ? args.splice(profileAt, 2)[1] : undefined;
const heapAt = args.indexOf('--heap-profile');
const HEAP_PROFILE = heapAt >= 0 ? args.splice(heapAt, 2)[1] : undefined;
const duringAt = args.indexOf('--during');
const DURING = duringAt >= 0 && args.splice(duringAt, 1).length > 0;
const pathsAt = args.indexOf('--paths');
const PATHS = pathsAt >= 0 && args.splice(pathsAt, 1).length > 0;
const file = args[0] ?? path.join(os.tmpdir(), 'kube-netlens-bench', 'k8s-50k.yaml');
const URI = 'file:///bench/keystroke.yaml';

/** Thread CPU time in ms (user + system of this process; no other thread runs here). */
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Runs `body` under the CPU profiler when --profile is given (the keystrokes only, not the opening). */
async function profiled(body: () => Promise<void>): Promise<void> {
  if (HEAP_PROFILE) return heapProfiled(body);
  if (!PROFILE) return body();
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  await body();
  session.post('Profiler.stop', (err, r) => {
    if (err) throw err;
    writeFileSync(PROFILE, JSON.stringify(r.profile));
    session.disconnect();
  });
}

/** Runs `body` under V8's sampling heap profiler (--heap-profile OUT.heapprofile): every allocation
 * of the keystrokes, those that the young generation's collections freed too, by allocating function
 * (open the file in Chrome's DevTools, Memory tab). */
async function heapProfiled(body: () => Promise<void>): Promise<void> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params, (err, r) => (err ? reject(err) : resolve(r))),
    );
  await post('HeapProfiler.enable');
  await post('HeapProfiler.startSampling', {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  await body();
  const r = (await post('HeapProfiler.stopSampling')) as { profile: { head: HeapNode } };
  writeFileSync(HEAP_PROFILE!, JSON.stringify(r.profile));
  session.disconnect();
  // what the keystrokes allocated, by allocating function (a built-in is named with its caller)
  const by = new Map<string, number>();
  let total = 0;
  const walk = (n: HeapNode, caller: string): void => {
    const f = n.callFrame;
    const here = f.url
      ? `${f.functionName || '(anonymous)'} ${path.basename(f.url)}:${f.lineNumber + 1}`
      : `${f.functionName || '(native)'} in ${caller}`;
    total += n.selfSize;
    by.set(here, (by.get(here) ?? 0) + n.selfSize);
    for (const c of n.children) walk(c, f.url ? here : caller);
  };
  walk(r.profile.head, '(root)');
  console.log(`allocated (sampled): ${(total / KEYS / 1024).toFixed(0)} KB per keystroke; the most by:`);
  for (const [k, bytes] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 12))
    console.log(`  ${(bytes / KEYS / 1024).toFixed(0).padStart(6)} KB  ${k}`);
}

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

async function main(): Promise<void> {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const mid = Math.floor(lines.length / 2);
  let line = -1;
  for (let d = 0; d < lines.length && line < 0; d++)
    for (const i of [mid + d, mid - d]) if (/^\s*replicas:\s+\d+\s*$/.test(lines[i] ?? '')) line = i;
  if (line < 0) throw new Error(`no replicas: line in ${file}`);
  const character = lines[line].lastIndexOf(' ') + 1;
  const value = lines[line].slice(character);
  let shown = value;
  // (--paths: lspbench's completion sites, an empty item "- " inserted before the first path of the
  // Ingresses at the start, the middle and the end of the file, in one change; removed again by the
  // next keystroke)
  const sites = PATHS ? pathSites(lines) : [];
  let inserted = false;

  const index = new ResourceIndex();
  // the server's open documents; a parse too big for its thread would go to the parser thread,
  // here it runs inline (a keystroke re-parses one small document, under that size)
  const open = new OpenDocuments(
    index,
    () => 20 * 1024 * 1024,
    () => undefined,
    {
      parseChunks: async (chunks) => chunks.map((c) => parseChunk(c, c.index)),
      dispose: () => undefined,
    },
  );
  const ws: ServiceWorkspace = {
    index,
    file: (u) => open.state(u),
    positionOf: (u, o) => open.state(u)?.document.positionAt(o),
  };
  const service = createLanguageService(ws);
  // the protocol's document manager, fed as the connection would feed it
  const on = listenTo(open);
  on.open({ textDocument: { uri: URI, languageId: 'yaml', version: 1, text } });
  let doc = open.get(URI)!;
  let t = cpu();
  await open.update(doc);
  /** Stops a check where the server would have been interrupted (an exception thrown through it). */
  const stop = new Error('stop');
  let first: Diagnostic[] = [];
  if (DURING) {
    await service
      .doValidationAsync(URI, {
        sliceMs: 1e9,
        onProgress: (diagnostics) => {
          first = diagnostics;
          throw stop;
        },
      })
      .catch((e) => {
        if (e !== stop) throw e;
      });
  } else first = service.doValidation(URI);
  const firstMs = cpu() - t;
  /** The edit's check: to the end, or (--during) to its snapshot, with a turn after each step (the
   * work between two yields of the check: the server gives other requests a turn only between two
   * steps), whose longest one is noted per keystroke. (The turns are settled promises: no other task
   * runs in between.) */
  const longest: number[] = [];
  const checkEdit = async (crossOnly: Set<ParsedDocument>): Promise<Diagnostic[]> => {
    if (!DURING) return service.doValidation(URI, { crossOnly });
    let snapshot: Diagnostic[] | undefined;
    let most = 0;
    let since = cpu();
    const step = () => {
      const now = cpu();
      most = Math.max(most, now - since);
      since = now;
    };
    await service
      .doValidationAsync(URI, {
        crossOnly,
        sliceMs: 0,
        turn: () => {
          step();
          return Promise.resolve();
        },
        onProgress: (diagnostics, _checked, _total, isSnapshot) => {
          if (!isSnapshot) return;
          step();
          snapshot = diagnostics;
          throw stop;
        },
      })
      .catch((e) => {
        if (e !== stop) throw e;
      });
    if (!snapshot) throw new Error('no snapshot: the first check was not overtaken');
    longest.push(most);
    return snapshot;
  };

  const phases: Record<string, number[]> = { update: [], parse: [], check: [], encode: [], total: [] };
  let count = 0;
  await profiled(() => keystrokes());
  async function keystrokes(): Promise<void> {
    for (let k = 0; k < KEYS; k++) {
      const newline = k % 5 === 4;
      const end = character + shown.length;
      const next = shown === value ? String(Number(value) + 1) : value;
      const changes = PATHS
        ? pathChanges(sites, !inserted)
        : [
            newline
              ? { range: { start: { line, character: end }, end: { line, character: end } }, text: '\n' }
              : { range: { start: { line, character }, end: { line, character: end } }, text: next },
          ];
      if (PATHS) inserted = !inserted;
      else if (!newline) shown = next;
      const t0 = cpu();
      on.change({ textDocument: { uri: URI, version: doc.version + 1 }, contentChanges: changes });
      doc = open.get(URI)!;
      const t1 = cpu();
      const state = open.state(URI) as StoredFile;
      const sync = open.update(doc);
      if (typeof sync !== 'boolean') throw new Error('a keystroke parse went to the parser thread');
      const t2 = cpu();
      const crossOnly = new Set(newDocuments(state));
      const diagnostics = await checkEdit(crossOnly);
      const t3 = cpu();
      const json = JSON.stringify({
        jsonrpc: '2.0',
        method: 'textDocument/publishDiagnostics',
        params: { uri: URI, version: doc.version, diagnostics: publishedDiagnostics(diagnostics) },
      });
      const t4 = cpu();
      count = diagnostics.length;
      if (json.length === 0) throw new Error('nothing encoded');
      phases.update.push(t1 - t0);
      phases.parse.push(t2 - t1);
      phases.check.push(t3 - t2);
      phases.encode.push(t4 - t3);
      phases.total.push(t4 - t0);
    }
  }
  const q = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor(p * s.length))];
  };
  console.log(
    `file ${path.basename(file)}: ${lines.length} lines, ${open.state(URI)!.parsed!.docs.length} documents; ` +
      `${first.length} diagnostics after opening (${firstMs.toFixed(0)} ms CPU${DURING ? ', first check stopped at its first progress publication' : ''}), ` +
      `${count} after the last keystroke${DURING ? ' (its snapshot)' : ''}`,
  );
  console.log(
    PATHS
      ? `${KEYS} edits inserting or removing "- " at lines ${sites.map((x) => x.line + 1).join(', ')}; thread CPU ms per edit:`
      : `${KEYS} keystrokes at line ${line + 1}; thread CPU ms per keystroke:`,
  );
  console.log('phase            median    p90');
  const label: Record<string, string> = {
    update: 'text update',
    parse: 'parse + index',
    check: 'check',
    encode: 'encode (JSON)',
    total: 'total',
  };
  for (const [k, xs] of Object.entries(phases))
    console.log(
      `${label[k].padEnd(15)} ${q(xs, 0.5).toFixed(2).padStart(7)} ${q(xs, 0.9).toFixed(2).padStart(6)}`,
    );
  if (longest.length)
    console.log(
      `longest step   ${q(longest, 0.5).toFixed(2).padStart(7)} ${q(longest, 0.9).toFixed(2).padStart(6)}  (of the check, between two yields)`,
    );
  console.log(
    `load average ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
}

/** lspbench's automatic completion sites: in the Ingresses at the start, middle and end of the file,
 * the first `- path:` line under `paths:` (0-based line, indentation). */
function pathSites(lines: string[]): { line: number; indent: number }[] {
  let start = 0;
  let kind: string | undefined;
  const ingresses: { start: number; end: number }[] = [];
  lines.forEach((l, i) => {
    if (/^---\s*$/.test(l)) {
      if (kind === 'Ingress') ingresses.push({ start, end: i - 1 });
      start = i + 1;
      kind = undefined;
    } else if (!kind) kind = /^kind:\s*(\S+)/.exec(l)?.[1];
  });
  if (kind === 'Ingress') ingresses.push({ start, end: lines.length - 1 });
  const chosen = [0, (ingresses.length - 1) / 2, ingresses.length - 1].map((j) => ingresses[Math.round(j)]);
  const out: { line: number; indent: number }[] = [];
  for (const d of chosen) {
    let inPaths = false;
    for (let i = d.start; i <= d.end; i++) {
      if (/^\s+paths:\s*$/.test(lines[i])) inPaths = true;
      const m = /^(\s*)- path:/.exec(lines[i]);
      if (inPaths && m) {
        out.push({ line: i, indent: m[1].length });
        break;
      }
    }
  }
  return out.sort((a, b) => a.line - b.line);
}

/** The change inserting the sites' "- " lines (bottom-up, as lspbench sends it), or removing them. */
function pathChanges(sites: { line: number; indent: number }[], insert: boolean) {
  const bottomUp = [...sites].reverse();
  if (insert)
    return bottomUp.map((s) => ({
      range: { start: { line: s.line, character: 0 }, end: { line: s.line, character: 0 } },
      text: ' '.repeat(s.indent) + '- \n',
    }));
  // (after the insertion the j-th site's line is s.line + j)
  return bottomUp.map((s) => {
    const at = s.line + sites.indexOf(s);
    return { range: { start: { line: at, character: 0 }, end: { line: at + 1, character: 0 } }, text: '' };
  });
}

void main();
