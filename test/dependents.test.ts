// "Which files must be re-checked" (workspace/dependents.ts) and the open-document overlay
// (workspace/overlay.ts): the table of what each kind's cross-file rules read agrees with the rule
// registry; on every multi-document fixture, split one document per file, each document removed, put
// back and moved names every other file whose diagnostics change; the overlay puts the disk version
// back when a document closes; and over the protocol, editing a Service re-publishes the open file of
// the Ingress that routes to it and not an unrelated one; a large file opened is published before the
// open files that depend on it are checked again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { CROSS_RULES } from '../server/src/rules/registry';
import { KEY_ONLY_KINDS, READS, filesToRecheck } from '../server/src/workspace/dependents';
import type { FileChange } from '../server/src/workspace/overlay';
import { WorkspaceOverlay } from '../server/src/workspace/overlay';
import { WorkspaceIndex } from '../server/src/workspace/index';
import { parseFile } from '../server/src/syntax/file';
import { resourcesOfFile } from '../server/src/rules/check';
import { fixtureInputs, fixtureUri, loadRuleFolder } from './support/rule-fixtures';
import { LspClient } from './support/lsp-client';

const FIXTURES = path.resolve(__dirname, 'fixtures');

test('the dependents table agrees with the rule registry', () => {
  const targets = new Set<string>();
  for (const rule of CROSS_RULES) {
    if (rule.id === 'resource-duplicate') {
      // the one rule on every kind: it reads the other copies of the same object only
      assert.equal(rule.kinds, undefined);
      continue;
    }
    assert.ok(rule.kinds, `cross-file rule ${rule.id} names the kinds it checks`);
    for (const k of rule.kinds) {
      targets.add(k);
      assert.ok(
        !KEY_ONLY_KINDS.has(k),
        `cross-file rule ${rule.id} checks ${k}, which workspace/dependents.ts re-checks for its duplicates only: take ${k} out of KEY_ONLY_KINDS`,
      );
    }
  }
  for (const k of READS.keys())
    assert.ok(targets.has(k), `READS lists ${k}, which no cross-file rule checks`);
});

/** The fixture workspaces: each folder of rule and cross-file fixtures is one workspace (its files
 * are opened together); in the other fixture folders each file is a workspace of its own. */
function fixtureSets(): { folder: string; names: string[] }[] {
  const out: { folder: string; names: string[] }[] = [];
  const dirs = (dir: string) =>
    readdirSync(dir)
      .map((n) => path.join(dir, n))
      .filter((p) => statSync(p).isDirectory());
  for (const top of ['rules', 'cross']) {
    for (const folder of dirs(path.join(FIXTURES, top))) out.push({ folder, names: fixtureInputs(folder) });
  }
  for (const top of ['netpol', 'quiet', 'diagnostics', 'gateway', 'policy-antrea']) {
    const folder = path.join(FIXTURES, top);
    if (!existsSync(folder)) continue;
    for (const name of fixtureInputs(folder)) out.push({ folder, names: [name] });
  }
  return out;
}

const snapshot = (d: Diagnostic[]) =>
  JSON.stringify(d.map((x) => [x.range, x.severity, x.code, x.message, x.relatedInformation, x.tags]));

test('on every fixture, one document per file: each change names every file whose diagnostics change', () => {
  let checked = 0;
  let missed: string[] = [];
  for (const { folder, names } of fixtureSets()) {
    // the folder's settings (rule-fixture style), with each document of each file in a file of its own
    const { workspace, service, files: inputs } = loadRuleFolder(folder);
    for (const f of inputs) workspace.delete(f.uri);
    const files: { uri: string; text: string }[] = [];
    for (const name of names) {
      const parsed = parseFile(readFileSync(path.join(folder, name), 'utf8'));
      parsed.docs.forEach((d, i) => {
        if (d.text.trim()) files.push({ uri: fixtureUri(folder, `${name}.${i}.yaml`), text: d.text });
      });
    }
    if (files.length < 2 || files.length > 60) continue;
    for (const f of files) workspace.set(f.uri, f.text);
    const changes: FileChange[] = [];
    workspace.store.overlay.onChange((c) => changes.push(c));
    const all = () => new Map(files.map((f) => [f.uri, snapshot(service.doValidation(f.uri))]));
    let before = all();
    const step = (f: { uri: string }, text: string, what: string) => {
      changes.length = 0;
      workspace.set(f.uri, text);
      const after = all();
      const named = new Set(
        filesToRecheck(
          workspace.index,
          changes,
          files.map((x) => x.uri),
        ),
      );
      for (const g of files) {
        if (g.uri === f.uri || before.get(g.uri) === after.get(g.uri)) continue;
        if (!named.has(g.uri))
          missed.push(
            `${path.relative(FIXTURES, folder)}: ${what} ${path.basename(f.uri)} changes ${path.basename(g.uri)}`,
          );
      }
      before = after;
      checked++;
    };
    for (const f of files) {
      step(f, '', 'removing');
      step(f, f.text, 'putting back');
      step(f, `# a line above\n${f.text}`, 'moving');
    }
    for (const f of files) workspace.delete(f.uri);
  }
  missed = [...new Set(missed)];
  assert.deepEqual(missed, [], `${missed.length} changes not followed (of ${checked})`);
  assert.ok(checked > 500, `${checked} changes checked`);
});

const doc = (kind: string, name: string, ns = 'shop', extra = '') =>
  `apiVersion: ${kind === 'Ingress' ? 'networking.k8s.io/v1' : 'v1'}\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n${extra}`;

test('the overlay: an open document hides its disk version, which comes back when it closes', () => {
  const index = new WorkspaceIndex();
  const overlay = new WorkspaceOverlay(index);
  const changes: FileChange[] = [];
  overlay.onChange((c) => changes.push(c));
  const disk = resourcesOfFile(parseFile(doc('Service', 'web')));
  const open = resourcesOfFile(parseFile(doc('Service', 'web-renamed')));
  assert.equal(overlay.setDisk('file:///a.yaml', disk), true);
  assert.equal(overlay.setOpen('file:///a.yaml', open), true);
  assert.deepEqual(
    index.resourcesOf('file:///a.yaml').map((r) => r.name),
    ['web-renamed'],
  );
  // the file changes on disk while it is open: the index keeps the editor's text
  const disk2 = resourcesOfFile(parseFile(doc('Service', 'web-2')));
  assert.equal(overlay.setDisk('file:///a.yaml', disk2), false);
  assert.deepEqual(
    index.resourcesOf('file:///a.yaml').map((r) => r.name),
    ['web-renamed'],
  );
  assert.equal(overlay.close('file:///a.yaml'), true);
  assert.deepEqual(
    index.resourcesOf('file:///a.yaml').map((r) => r.name),
    ['web-2'],
  );
  assert.deepEqual(
    changes.map((c) => [c.before.map((r) => r.name), c.after.map((r) => r.name)]),
    [
      [[], ['web']],
      [['web'], ['web-renamed']],
      [['web-renamed'], ['web-2']],
    ],
  );
  // a document never saved leaves the index when it closes
  overlay.setOpen('file:///new.yaml', open);
  overlay.close('file:///new.yaml');
  assert.deepEqual(index.resourcesOf('file:///new.yaml'), []);
  assert.equal(overlay.removeDisk('file:///a.yaml'), true);
  assert.deepEqual(
    index.files(),
    ['file:///new.yaml'].filter((u) => index.resourcesOf(u).length),
  );
});

const ingress = (name: string, service: string, ns = 'shop') =>
  doc(
    'Ingress',
    name,
    ns,
    `spec:\n  rules:\n  - host: ${name}.example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: ${service}\n            port:\n              number: 80\n`,
  );
const service = (name: string, port: number, ns = 'shop') =>
  doc('Service', name, ns, `spec:\n  ports:\n  - port: ${port}\n`);

test('editing a Service names the file of the Ingress routing to it, not an unrelated one', () => {
  const index = new WorkspaceIndex();
  const overlay = new WorkspaceOverlay(index);
  const set = (uri: string, text: string) => overlay.setOpen(uri, resourcesOfFile(parseFile(text)));
  set('file:///svc.yaml', service('web', 80));
  set('file:///ing.yaml', ingress('shop', 'web'));
  set('file:///other-ns.yaml', ingress('blog', 'web', 'blog'));
  set('file:///secret.yaml', doc('Secret', 'certs', 'shop', 'type: Opaque\n'));
  set('file:///configmap.yaml', doc('ConfigMap', 'settings'));
  const changes: FileChange[] = [];
  overlay.onChange((c) => changes.push(c));
  set('file:///svc.yaml', service('web', 8080));
  assert.deepEqual(filesToRecheck(index, changes, index.files()), ['file:///ing.yaml']);
});

test('two files changed in one window: a changed file is named when the other change affects it', () => {
  // (an Ingress file checked as it opened, then its Service's file opened before the dependents were
  // asked for: the Ingress file's check did not see the Service; its own change alone names nothing)
  const index = new WorkspaceIndex();
  const overlay = new WorkspaceOverlay(index);
  const set = (uri: string, text: string) => overlay.setOpen(uri, resourcesOfFile(parseFile(text)));
  set('file:///configmap.yaml', doc('ConfigMap', 'settings'));
  const changes: FileChange[] = [];
  overlay.onChange((c) => changes.push(c));
  set('file:///ing.yaml', ingress('shop', 'web'));
  assert.deepEqual(filesToRecheck(index, changes, index.files()), []);
  set('file:///svc.yaml', service('web', 80));
  // (the Service's file too: its findings read the Ingresses routing to it, and which of the two
  // files was checked last is not known here)
  assert.deepEqual(filesToRecheck(index, changes, index.files()), ['file:///ing.yaml', 'file:///svc.yaml']);
  // two changed files that read nothing of each other: neither is named
  const later: FileChange[] = [];
  overlay.onChange((c) => later.push(c));
  set('file:///a-settings.yaml', doc('ConfigMap', 'a'));
  set('file:///b-settings.yaml', doc('ConfigMap', 'b'));
  assert.deepEqual(filesToRecheck(index, later, ['file:///a-settings.yaml', 'file:///b-settings.yaml']), []);
});

test('over the protocol: a Service edit re-publishes the Ingress file that uses it, and no other', async () => {
  // (settings given at initialize, not pulled: a pull answered late re-checks every document)
  const client = await LspClient.start({ rules: { 'ingress-nginx-retired': 'off' } }, { pullConfig: false });
  try {
    const svc = client.uriFor('dependents/svc.yaml');
    const ing = client.uriFor('dependents/ing.yaml');
    const other = client.uriFor('dependents/blog.yaml');
    // (the unrelated file opened before the one that depends on the Service: were it checked again,
    // its check would start, and end, first)
    await client.open(svc, service('web', 80));
    await client.open(other, ingress('blog', 'web', 'blog'));
    await client.open(ing, ingress('shop', 'web'));
    for (const u of [svc, ing, other]) await client.diagnostics(u);
    await client.waitForDiagnostics(ing, (d) => d.length === 0);
    // opening the second Ingress checked the first one again (Ingresses of any namespace may claim one
    // host) and the Service (an Ingress of its namespace routes to it). A check under way when a newer
    // one of the same document starts is dropped (opened at once, a file may get one publication for
    // both): the routing preview's request finishes every check under way before it answers, so that
    // no re-check of the opens is published after this point.
    await client.conn.sendRequest('kubeNetlens/routeGraph', { scope: 'file', uri: ing });
    const before = new Map([svc, ing, other].map((u) => [u, client.publishCount(u)]));
    await client.change(svc, service('web', 8080));
    const d = await client.waitForDiagnostics(ing, (x) =>
      x.some((y) => String(y.message).startsWith('Service "web" has no port 80; its ports: 8080')),
    );
    assert.equal(d.length, 1, JSON.stringify(d.map((x) => x.message)));
    await client.diagnostics(svc);
    // the unrelated Ingress (another namespace, opened before the dependent one) was not checked
    // again: had it been, its diagnostics would have been published before those of the dependent
    assert.equal(client.publishCount(other), before.get(other));
    assert.ok(client.publishCount(ing) > before.get(ing)!);
  } finally {
    await client.stop();
  }
});

test('over the protocol: a large file opened is published first, then the open files that depend on it', async () => {
  const client = await LspClient.start({ rules: { 'ingress-nginx-retired': 'off' } }, { pullConfig: false });
  try {
    const ing = client.uriFor('dependents/shop-ingress.yaml');
    const big = client.uriFor('dependents/many-services.yaml');
    await client.open(ing, ingress('shop', 'web'));
    await client.waitForDiagnostics(ing, (d) => d.some((x) => String(x.message).includes('"web"')));
    client.keepHistory = true;
    // a file of more documents than a check takes in one slice: 120 Services, one of them the
    // Ingress's backend
    const services = Array.from({ length: 120 }, (_, i) => service(i === 60 ? 'web' : `svc-${i}`, 80));
    await client.open(big, services.join('---\n'));
    // the Ingress's file is checked again: its Service now exists
    const d = await client.waitForDiagnostics(
      ing,
      (x) => !x.some((y) => String(y.message).includes('"web"')),
    );
    assert.deepEqual(
      d.map((x) => x.message),
      [],
    );
    await client.diagnostics(big);
    // ... after the opened file's first publication (it used to wait for the others' checks)
    const first = client.order.indexOf(big);
    assert.ok(first >= 0, 'the opened file was published');
    assert.ok(
      client.order.indexOf(ing) > first,
      `publications in order: ${client.order.map((u) => path.basename(u)).join(', ')}`,
    );
  } finally {
    await client.stop();
  }
});
