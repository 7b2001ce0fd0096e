// The CLI reads and parses files in worker threads (cli/parse-workers.ts): each file is read where it
// is parsed. Whatever thread read it, a file reached twice through a link is checked once, entries
// that cannot be read are reported in path order, and the output is the single-threaded run's.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './support/lsp-client';
import { batchSize, parseAll, parseBatch } from '../server/src/cli/parse-workers';
import {
  LOOKS_WHEN_LOADED,
  THREADS_FROM,
  busyCores,
  othersBusy,
  parseThreads,
} from '../server/src/cli/parse-threads-count';

const CLI = path.join(ROOT, 'dist', 'cli.js');
let dir: string;

const service = (name: string, ns: string) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector:\n    app: ${name}\n  ports:\n  - port: 80\n    targetPort: 8080\n`;
const ingress = (name: string, ns: string, backend: string) =>
  `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  rules:\n  - host: ${name}.example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: ${backend}\n            port:\n              number: 80\n`;

before(() => {
  // enough files for several batches per thread; findings in many of them (a Service that selects
  // no pods, an Ingress whose Service is missing, a bad port in a Service defined in many files), and
  // one Service reached twice; more files than THREADS_FROM, so that the threads start while the
  // folder is still being listed
  dir = mkdtempSync(path.join(tmpdir(), 'knl-threads-'));
  for (let i = 0; i < 210; i++) {
    const ns = `team-${i % 7}`;
    const sub = path.join(dir, ns);
    mkdirSync(sub, { recursive: true });
    writeFileSync(path.join(sub, `svc-${i}.yaml`), service(`app-${i}`, ns));
    writeFileSync(
      path.join(sub, `ing-${i}.yaml`),
      ingress(`app-${i}`, ns, i % 5 === 0 ? `gone-${i}` : `app-${i}`) +
        (i % 11 === 0
          ? '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: bad\nspec:\n  ports:\n  - port: 70000\n'
          : ''),
    );
  }
  mkdirSync(path.join(dir, 'shared'));
  writeFileSync(path.join(dir, 'shared', 'web.yaml'), service('web', 'default'));
  // listed first ("a-link" sorts before "shared"): the file is checked under this name, once
  symlinkSync(path.join('shared', 'web.yaml'), path.join(dir, 'a-link.yaml'));
  symlinkSync('nowhere.yaml', path.join(dir, 'dangling.yaml'));
  execFileSync('mkfifo', [path.join(dir, 'team-3', 'fifo.yaml')]);
});

after(() => rmSync(dir, { recursive: true, force: true }));

function check(threads: string, ...more: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'check', '--threads', threads, ...more, dir], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, KNL_TRACE: '' },
  });
  return { out: r.stdout, err: r.stderr, code: r.status };
}

test('files read and parsed in worker threads: the output of a single-threaded run, byte for byte', () => {
  const single = check('0');
  assert.equal(single.code, 1, single.err);
  // 420 files and the linked Service once
  assert.ok(420 >= THREADS_FROM);
  assert.match(single.out, /^421 file\(s\) checked \(2 skipped, see above\): \d+ error\(s\)/m);
  assert.match(single.out, /ingress-backend-service-missing/);
  assert.match(single.out, /port-invalid/);
  // objects defined in many files are reported, the Service reached twice through a link is not
  assert.match(single.out, /resource-duplicate Service default\/bad is defined 20 times/);
  assert.doesNotMatch(single.out, /Service default\/web is defined/);
  assert.match(single.out, /a-link\.yaml/);
  assert.doesNotMatch(single.out, /shared\/web\.yaml/);
  assert.equal(
    single.err,
    [
      `kube-netlens: skipped ${dir}/dangling.yaml: dangling symbolic link (its target nowhere.yaml does not exist)`,
      `kube-netlens: skipped ${dir}/team-3/fifo.yaml: a FIFO (named pipe), not a regular file`,
      '',
    ].join('\n'),
  );
  for (const threads of ['1', '2', '3']) {
    const threaded = check(threads);
    assert.equal(threaded.code, single.code);
    assert.equal(threaded.err, single.err);
    assert.equal(threaded.out, single.out, `--threads ${threads}`);
  }
  const json = (t: string) => check(t, '--format', 'json').out;
  assert.equal(json('2'), json('0'));
  // (the threads of those runs started while the folder was listed)
  const traced = spawnSync(process.execPath, [CLI, 'check', '--threads', '2', dir], {
    encoding: 'utf8',
    env: { ...process.env, KNL_TRACE: '1' },
  });
  assert.equal(traced.stdout, single.out);
  assert.match(traced.stderr, /422 file\(s\) to read, 2 parse thread\(s\) \(started while listing\)/);
  assert.match(traced.stderr, /parsed \d+ file\(s\) in the main thread and \d+ in 2 parse thread\(s\)/);
});

/** Every YAML file under a folder, in path order. */
function yamlUnder(d: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(d).sort()) {
    const full = path.join(d, name);
    if (statSync(full).isDirectory()) out.push(...yamlUnder(full));
    else if (/\.ya?ml$/.test(name)) out.push(full);
  }
  return out;
}

test('a file parsed in a worker thread arrives as the same tree, texts, findings and identity as parsed here', () => {
  // the fixtures hold every shape of scalar (plain, quoted, block, numbers, nulls, keys that are not
  // strings), broken documents, Helm templates and binary-looking files
  const files = yamlUnder(path.join(ROOT, 'test', 'fixtures'));
  assert.ok(files.length > 300, `${files.length} fixture files`);
  const jobs = files.map((uri) => ({ uri, maxBytes: 5 * 1024 * 1024 }));
  const local = {
    settings: { kubernetesVersion: '1.34', severities: {} },
    reportSyntax: true,
    defaultNamespace: 'default',
  };
  const here = parseBatch(jobs, local);
  const threaded = parseAll(jobs, 2, CLI, local);
  assert.equal(threaded.length, here.length);
  for (let i = 0; i < files.length; i++)
    assert.deepStrictEqual(threaded[i], here[i], path.relative(ROOT, files[i]));
});

test('the default number of parse threads: one per idle core besides the main thread, up to 3', () => {
  // an explicit --threads wins
  assert.equal(parseThreads(5000, 2, 8, 20), 2);
  assert.equal(parseThreads(5000, 0, 8, 0), 0);
  // few files or one core: none
  assert.equal(parseThreads(399, undefined, 8, 0), 0);
  assert.equal(parseThreads(5000, undefined, 1, 0), 0);
  // an idle machine: every other core, up to 3
  assert.equal(parseThreads(5000, undefined, 2, 0), 1);
  assert.equal(parseThreads(5000, undefined, 4, 0.2), 3);
  assert.equal(parseThreads(5000, undefined, 16, 0), 3);
  // busy cores are not counted: a parse thread without a core of its own only adds CPU
  assert.equal(parseThreads(5000, undefined, 2, 0.4), 1);
  assert.equal(parseThreads(5000, undefined, 2, 0.6), 0);
  assert.equal(parseThreads(5000, undefined, 2, 4), 0);
  assert.equal(parseThreads(5000, undefined, 4, 1.7), 1);
  assert.equal(parseThreads(5000, undefined, 4, 1.3), 2);
});

test('busy cores: the load average, unless fewer tasks of other processes are running now', () => {
  const looking = (counts: (number | undefined)[]) => {
    const seen: number[] = [];
    const look = () => {
      const n = counts[seen.length];
      seen.push(n ?? -1);
      return n;
    };
    return { look, seen };
  };
  // a command that ended seconds ago still weighs on the average: nothing runs now
  let l = looking([0, 0, 0, 0, 0]);
  assert.equal(busyCores(1.2, l.look, 5), 0);
  assert.equal(l.seen.length, 5);
  // the most of the looks counts: one look that finds a task running is enough
  l = looking([0, 1, 0, 0, 0]);
  assert.equal(busyCores(1.2, l.look, 5), 1);
  // never more than the average (a burst now does not make a quiet minute busy)...
  l = looking([0, 3, 0, 0, 0]);
  assert.equal(busyCores(0.3, l.look, 5), 0.3);
  assert.equal(l.seen.length, 2, 'no more looks once the average is reached');
  // ...and no more looks once the answer cannot change the decision
  l = looking([1, 0, 0, 0, 0]);
  assert.equal(busyCores(4, l.look, 5, 1), 1);
  assert.equal(l.seen.length, 1);
  // a system that cannot tell: the average alone
  l = looking([0, undefined]);
  assert.equal(busyCores(2.5, l.look, 5), 2.5);
  // on two cores, an idle machine whose average still counts the previous command gets its thread
  assert.equal(parseThreads(5000, undefined, 2, busyCores(1, looking([0, 0, 0, 0, 0]).look, 5)), 1);
  assert.equal(parseThreads(5000, undefined, 2, busyCores(1, looking([0, 0, 1, 0, 0]).look, 5)), 0);
});

test('a load average of every core: a parse thread only when many looks over a while find nothing else running', () => {
  const looking = (counts: number[]) => {
    let n = 0;
    return {
      look: () => counts[n++] ?? 0,
      count: () => n,
    };
  };
  // an idle 2-core machine whose average still counts the check's own previous runs (2.1)
  let l = looking([]);
  assert.equal(othersBusy(2.1, 2, l.look), 0);
  assert.equal(l.count(), LOOKS_WHEN_LOADED);
  assert.equal(parseThreads(20000, undefined, 2, othersBusy(2.1, 2, looking([]).look)), 1);
  // a machine busy on the whole: other work seen in any look (here the 20th), and no more looks
  const late = Array.from({ length: LOOKS_WHEN_LOADED }, (_, i) => (i === 19 ? 1 : 0));
  l = looking(late);
  assert.equal(othersBusy(3.3, 2, l.look), 1);
  assert.equal(l.count(), 20);
  assert.equal(parseThreads(20000, undefined, 2, othersBusy(3.3, 2, looking(late).look)), 0);
  // (5 looks, the first 5 of these, would have seen nothing and started a thread)
  assert.equal(busyCores(3.3, looking(late).look, 5, 1), 0);
  // below the number of cores: the few quick looks, as before
  l = looking([]);
  assert.equal(othersBusy(1.2, 2, l.look), 0);
  assert.equal(l.count(), 5);
});

test('batches: full size while much is left, smaller towards the end so that no thread is left waiting long', () => {
  const sizes = (jobs: number, workers: number) => {
    const out: number[] = [];
    for (let left = jobs; left > 0;) {
      const n = Math.min(left, batchSize(left, workers));
      out.push(n);
      left -= n;
    }
    return out;
  };
  const many = sizes(6000, 1);
  assert.equal(many[0], 32);
  assert.equal(
    many.reduce((a, b) => a + b, 0),
    6000,
  );
  // sizes never grow, and the last batches are of the smallest size (the very last: what is left)
  assert.ok(many.every((n, i) => i === 0 || n <= many[i - 1]));
  assert.deepEqual(many.slice(-4, -1), [4, 4, 4]);
  // what one worker may still hold when the main thread runs out (two batches) is a few files, not 64
  const last = many.slice(-2).reduce((a, b) => a + b, 0);
  assert.ok(last <= 8, `${last}`);
  // more workers: the shrinking starts earlier
  const firstSmall = (l: number[]) => l.findIndex((n) => n < 32);
  assert.ok(sizes(6000, 3).length - firstSmall(sizes(6000, 3)) > many.length - firstSmall(many));
});
