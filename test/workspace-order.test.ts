// Findings never depend on the order in which files are given or read: the same workspace checked
// in two file orders (in-process through the workspace index, and through the built CLI) gives the
// same findings for every file, duplicates included.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './support/lsp-client';
import { parseFile } from '../server/src/syntax/file';
import { resourcesOf } from '../server/src/model/resource';
import { WorkspaceIndex } from '../server/src/workspace/index';
import { checkParsedFile } from '../server/src/rules/check';

const CLI = path.join(ROOT, 'dist', 'cli.js');
let dir: string;

function listYaml(d: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(d).sort()) {
    const full = path.join(d, name);
    if (statSync(full).isDirectory()) out.push(...listYaml(full));
    else if (name.endsWith('.yaml')) out.push(full);
  }
  return out;
}

before(() => {
  // the examples, the multi-file fixtures, the seed manifests and single-file fixtures as one workspace: Ingresses
  // claiming the same hosts and paths across files, policies and Services selecting pods of other
  // files, and many objects defined more than once (Service default/web alone several times)
  dir = mkdtempSync(path.join(tmpdir(), 'knl-order-'));
  cpSync(path.join(ROOT, 'examples'), path.join(dir, 'examples'), { recursive: true });
  for (const folder of readdirSync(path.join(ROOT, 'test', 'fixtures', 'cross'))) {
    if (folder === 'fixes') continue;
    cpSync(path.join(ROOT, 'test', 'fixtures', 'cross', folder), path.join(dir, 'cross', folder), {
      recursive: true,
    });
  }
  for (const folder of ['seed', 'netpol', 'diagnostics', 'quiet'])
    cpSync(path.join(ROOT, 'test', 'fixtures', folder), path.join(dir, folder), { recursive: true });
});

after(() => rmSync(dir, { recursive: true, force: true }));

/** Check every file with the index filled in the given order; findings per file, as JSON. */
function checkInOrder(files: string[]): Map<string, string> {
  const index = new WorkspaceIndex();
  const parsed = new Map<string, ReturnType<typeof parseFile>>();
  for (const f of files) {
    const p = parseFile(readFileSync(f, 'utf8'));
    parsed.set(f, p);
    index.setFile(
      f,
      p.docs.flatMap((d) => resourcesOf(d)),
    );
  }
  const out = new Map<string, string>();
  for (const f of [...files].sort()) {
    const findings = checkParsedFile(parsed.get(f)!, index, {
      settings: { kubernetesVersion: '1.34', severities: {}, now: Date.UTC(2026, 0, 1) },
      reportSyntax: true,
      uri: f,
    });
    findings.sort(
      (a, b) =>
        a.start - b.start || a.end - b.end || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
    );
    out.set(f, JSON.stringify(findings.map((x) => ({ ...x, fixes: x.fixes?.map((q) => q.title) }))));
  }
  return out;
}

/** A fixed shuffle (the same every run). */
function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  let seed = 12345;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

test('in-process: the workspace filled in path order, reversed and shuffled gives the same findings per file', () => {
  const files = listYaml(dir);
  assert.ok(files.length > 30);
  const sorted = checkInOrder(files);
  const dupFindings = [...sorted.values()].join('').match(/resource-duplicate/g) ?? [];
  assert.ok(dupFindings.length >= 6, `the workspace holds duplicates (found ${dupFindings.length} findings)`);
  for (const order of [[...files].reverse(), shuffled(files)]) {
    const other = checkInOrder(order);
    for (const f of files)
      assert.equal(
        other.get(f),
        sorted.get(f),
        `findings of ${path.relative(dir, f)} depend on the file order`,
      );
  }
});

test('CLI: files given in two orders give the same findings', () => {
  const files = listYaml(dir).map((f) => path.relative(dir, f));
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, 'check', ...args], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    return r.stdout.trim().split('\n');
  };
  const forward = run(files);
  const backward = run([...files].reverse());
  const summary = forward.at(-1);
  assert.match(summary!, /^\d+ file\(s\) checked/);
  assert.equal(backward.at(-1), summary);
  assert.ok(forward.some((l) => l.includes(' resource-duplicate ')));
  assert.deepEqual([...backward].sort(), [...forward].sort());
});

test('CLI: parsing in worker threads gives exactly the output of a single-threaded run', () => {
  const files = listYaml(dir);
  assert.ok(files.length > 64, 'enough files for several batches per thread');
  const run = (threads: string) =>
    spawnSync(process.execPath, [CLI, 'check', '--threads', threads, '.'], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
  const single = run('0');
  const threaded = run('2');
  assert.ok(single.status === 0 || single.status === 1, single.stderr);
  assert.match(single.stdout, /resource-duplicate/);
  assert.equal(threaded.stderr, single.stderr);
  assert.equal(threaded.status, single.status);
  assert.equal(threaded.stdout, single.stdout);
});

test('CLI: --threads takes a number', () => {
  const r = spawnSync(process.execPath, [CLI, 'check', '--threads', 'many', '.'], {
    cwd: dir,
    encoding: 'utf8',
  });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--threads takes a number of threads, e\.g\. 2 or 0 \(got "many"\)/);
});
