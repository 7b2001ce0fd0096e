// "Compare Reachability with HEAD" (lsp/reach-diff.ts): the open file's folder at git HEAD against the
// editor's workspace index (unsaved edits included), as the Markdown report the editor shows.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseFile } from '../server/src/syntax/file';
import { resourcesOf } from '../server/src/model/resource';
import { ResourceIndex } from '../server/src/workspace/index';
import { reachDiffWithHead } from '../server/src/lsp/reach-diff';

const POD = (name: string, role: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: shop
  labels:
    role: ${role}
spec:
  containers:
  - name: c
    image: x
    ports:
    - containerPort: 8080
`;

const POLICY = (from: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api-ingress
  namespace: shop
spec:
  podSelector:
    matchLabels:
      role: api
  ingress:
  - from:
    - podSelector:
        matchLabels:
          role: ${from}
`;

function repo(): { top: string; cleanup: () => void } {
  const top = mkdtempSync(path.join(os.tmpdir(), 'knl-reach-diff-'));
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
      cwd: top,
      stdio: 'pipe',
    });
  git('init', '-q');
  mkdirSync(path.join(top, 'k8s', 'shop'), { recursive: true });
  mkdirSync(path.join(top, 'other'), { recursive: true });
  writeFileSync(
    path.join(top, 'k8s', 'shop', 'pods.yaml'),
    [POD('web', 'web'), POD('api', 'api'), POD('batch', 'batch')].join('---\n'),
  );
  writeFileSync(path.join(top, 'k8s', 'policy.yaml'), POLICY('web'));
  // outside the compared folder: never read
  writeFileSync(path.join(top, 'other', 'open.yaml'), POLICY('batch').replace('api-ingress', 'elsewhere'));
  git('add', '.');
  git('commit', '-q', '-m', 'init');
  return { top, cleanup: () => rmSync(top, { recursive: true, force: true }) };
}

/** The editor's workspace index: the files as given (texts may differ from disk: unsaved edits). */
function editorIndex(files: Record<string, string>): ResourceIndex {
  const index = new ResourceIndex();
  for (const [file, text] of Object.entries(files))
    index.setFile(
      pathToFileURL(file).toString(),
      parseFile(text).docs.flatMap((d) => resourcesOf(d)),
    );
  return index;
}

test('an unsaved edit that lets batch reach api is reported as newly allowed, with the reasons before and after', async () => {
  const { top, cleanup } = repo();
  try {
    const pods = path.join(top, 'k8s', 'shop', 'pods.yaml');
    const policy = path.join(top, 'k8s', 'policy.yaml');
    const index = editorIndex({
      [pods]: [POD('web', 'web'), POD('api', 'api'), POD('batch', 'batch')].join('---\n'),
      // the editor's text: `batch` added as a second peer, not saved
      [policy]: POLICY('web') + '    - podSelector:\n        matchLabels:\n          role: batch\n',
    });
    const r = await reachDiffWithHead({ index, cni: () => undefined }, pathToFileURL(policy).toString());
    assert.deepEqual([r.opened, r.closed, r.policies], [1, 0, 1]);
    assert.equal(r.title, 'Reachability: HEAD → working tree, 1 newly allowed, 0 newly denied');
    // names in code spans, the rest escaped (manifest text never becomes Markdown syntax)
    assert.ok(
      r.markdown.includes(
        '| 🔓 opened | `shop/batch` | `shop/api` | `8080/TCP` | denied \\(NetworkPolicy: shop/api-ingress\\) | allowed \\(NetworkPolicy: shop/api-ingress\\) |',
      ),
      r.markdown,
    );
    assert.ok(r.markdown.includes('- changed NetworkPolicy `shop/api-ingress`'), r.markdown);
    assert.ok(
      r.markdown.includes(
        '- now: allowed by shop/api-ingress ingress\\[0\\] \\(from\\[1\\] matches shop/batch; any port\\)',
      ),
      r.markdown,
    );
    assert.ok(
      r.markdown.includes(
        '- was: shop/api-ingress isolates shop/api for Ingress; none of its ingress rules allows shop/batch on 8080/TCP',
      ),
      r.markdown,
    );
    assert.match(r.markdown, /Folder `k8s`/);
  } finally {
    cleanup();
  }
});

test('nothing changed: a report that says so', async () => {
  const { top, cleanup } = repo();
  try {
    const pods = path.join(top, 'k8s', 'shop', 'pods.yaml');
    const policy = path.join(top, 'k8s', 'policy.yaml');
    const index = editorIndex({
      [pods]: [POD('web', 'web'), POD('api', 'api'), POD('batch', 'batch')].join('---\n'),
      [policy]: POLICY('web'),
      // a file of another folder open in the editor does not count
      [path.join(top, 'other', 'open.yaml')]: POLICY('web'),
    });
    const r = await reachDiffWithHead({ index, cni: () => undefined }, pathToFileURL(pods).toString());
    // the folder of pods.yaml is k8s/shop: the policy one level up is not in it, at HEAD nor now
    assert.deepEqual([r.opened, r.closed, r.policies], [0, 0, 0]);
    assert.match(
      r.markdown,
      /\*\*Reachability changes\*\*: 0 newly allowed, 0 newly denied, 0 policy change\(s\)/,
    );
  } finally {
    cleanup();
  }
});

test('a file outside any git repository gets a clear error', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'knl-no-git-'));
  try {
    const file = path.join(dir, 'a.yaml');
    writeFileSync(file, POD('web', 'web'));
    await assert.rejects(
      reachDiffWithHead({ index: new ResourceIndex(), cni: () => undefined }, pathToFileURL(file).toString()),
      /is not inside a git repository/,
    );
    await assert.rejects(
      reachDiffWithHead({ index: new ResourceIndex(), cni: () => undefined }, 'untitled:Untitled-1'),
      /needs a file saved in a git repository/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
