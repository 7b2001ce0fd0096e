// The workspace index through the protocol, on a real folder on disk (a copy of
// test/fixtures/cross/workspace plus what the test writes): which files are indexed, progress while
// indexing, open documents over disk, file events (create, change, delete, rename, folder delete),
// re-checks of dependent resources in other open files, include/exclude settings.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  readdirSync,
  statSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient, ROOT } from './support/lsp-client';
import { makeCertificate, tlsSecretYaml } from './support/certs';

const CREATED = 1;
const CHANGED = 2;
const DELETED = 3;

let dir: string;
let client: LspClient;
// This suite is about the index and open-document overlays: the information that its nginx-class
// Ingresses are served by the retired ingress-nginx (on by default; test/migrate-editor.test.ts and the
// rule fixtures cover it) is turned off the way a user would, so "no finding" stays exact.
const settings = { index: { exclude: ['generated/**'] }, rules: { 'ingress-nginx-retired': 'off' } };

const fileUri = (rel: string) => pathToFileURL(path.join(dir, rel)).toString();

function serviceYaml(name: string, port = 80): string {
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  ports:\n  - port: ${port}\n`;
}

/** An Ingress only open in the editor (never saved): it routes to Services defined in various places. */
const PROBE_BACKENDS = ['web', 'from-node-modules', 'from-git', 'from-build', 'from-generated', 'later'];
const PROBE = [
  'apiVersion: networking.k8s.io/v1',
  'kind: Ingress',
  'metadata:',
  '  name: probe',
  '  namespace: shop',
  'spec:',
  '  rules:',
  '  - host: probe.example.com',
  '    http:',
  '      paths:',
  ...PROBE_BACKENDS.flatMap((name) => [
    `      - path: /${name}`,
    '        pathType: Prefix',
    '        backend:',
    '          service:',
    `            name: ${name}`,
    '            port:',
    '              number: 80',
  ]),
  '',
].join('\n');

/** Names of the Services the probe's diagnostics say are missing. */
function missing(diags: Diagnostic[]): string[] {
  return diags
    .filter((d) => d.code === 'ingress-backend-service-missing')
    .map((d) => /Service "([^"]+)"/.exec(String(d.message))![1])
    .sort();
}

let probe: string;
async function expectMissing(names: string[], step = ''): Promise<void> {
  try {
    await client.waitForDiagnostics(
      probe,
      (d) => JSON.stringify(missing(d)) === JSON.stringify([...names].sort()),
      10000,
    );
  } catch (e) {
    throw new Error(
      `${step}: expected missing ${JSON.stringify(names)}\n${(e as Error).message}\nserver log: ${client.logs.slice(-5).join('\n')}`,
    );
  }
}

function countYaml(root: string, skip: (rel: string) => boolean): number {
  let n = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const full = path.join(d, e);
      const rel = path.relative(root, full);
      if (skip(rel)) continue;
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(e)) n++;
    }
  };
  walk(root);
  return n;
}

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'knl-workspace-'));
  cpSync(path.join(ROOT, 'test', 'fixtures', 'cross', 'workspace'), dir, { recursive: true });
  const cert = await makeCertificate({ dnsNames: ['shop.example.com'] });
  writeFileSync(
    path.join(dir, 'apps/shop/tls-secret.yaml'),
    tlsSecretYaml('web-tls', cert, { namespace: 'shop' }),
  );
  for (const [rel, name] of [
    ['node_modules/chart/svc.yaml', 'from-node-modules'],
    ['.git/svc.yaml', 'from-git'],
    ['build/svc.yaml', 'from-build'],
    ['generated/svc.yaml', 'from-generated'],
  ]) {
    mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), serviceYaml(name));
  }
  writeFileSync(path.join(dir, 'notes.txt'), serviceYaml('not-yaml'));
  client = await LspClient.start(settings, {
    rootUri: pathToFileURL(dir).toString(),
    workspaceFolders: [{ uri: pathToFileURL(dir).toString(), name: 'ws' }],
    filesExclude: { '**/build': true, '**/*.tmp': true, '**/off': false },
  });
  probe = fileUri('apps/shop/probe.yaml');
  await client.open(probe, PROBE);
});

after(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('indexing reports progress and reads every YAML file except node_modules, .git, files.exclude and index.exclude', async () => {
  await client.waitFor(
    () => client.progress.some((p) => p.value.kind === 'end'),
    'the end of indexing progress',
  );
  const kinds = client.progress.map((p) => p.value.kind);
  assert.equal(kinds[0], 'begin');
  assert.equal(kinds[kinds.length - 1], 'end');
  assert.equal(client.progress[0].value.title, 'Indexing Kubernetes manifests');
  const expected = countYaml(dir, (rel) =>
    ['node_modules', '.git', 'build', 'generated'].includes(rel.split(path.sep)[0]),
  );
  assert.equal(expected, 7);
  const reports = client.progress.filter((p) => p.value.kind === 'report');
  assert.equal(reports[reports.length - 1].value.message, `${expected}/${expected} files`);
  assert.ok(
    client.progress.every((p) => p.token === client.progress[0].token),
    'one progress token',
  );
  await client.waitFor(
    () => client.logs.some((l) => l.includes(`indexed ${expected} YAML files in`)),
    'the indexing log line',
  );
  await expectMissing(['from-node-modules', 'from-git', 'from-build', 'from-generated', 'later']);
});

test('the valid workspace gives no finding in any of its files', async () => {
  const files = [
    'apps/shop/deployment.yaml',
    'apps/shop/service.yaml',
    'apps/shop/ingress.yml',
    'apps/shop/networkpolicy.yaml',
    'apps/shop/tls-secret.yaml',
    'platform/namespaces.yaml',
    'platform/ingress-class.yaml',
  ];
  for (const f of files) await client.open(fileUri(f), readFileSync(path.join(dir, f), 'utf8'));
  for (const f of files)
    assert.deepEqual(
      (await client.diagnostics(fileUri(f))).map((d) => `${d.code}: ${d.message}`),
      [],
      f,
    );
  for (const f of files) await client.close(fileUri(f));
});

test('file created, changed, renamed, deleted on disk: the index follows the watched-file events', async () => {
  const later = path.join(dir, 'apps/later.yaml');
  writeFileSync(later, serviceYaml('later'));
  await client.watchedFilesChanged([{ uri: fileUri('apps/later.yaml'), type: CREATED }]);
  await expectMissing(['from-node-modules', 'from-git', 'from-build', 'from-generated'], 'step 1');

  writeFileSync(later, serviceYaml('later-v2'));
  await client.watchedFilesChanged([{ uri: fileUri('apps/later.yaml'), type: CHANGED }]);
  await expectMissing(['from-node-modules', 'from-git', 'from-build', 'from-generated', 'later'], 'step 2');

  writeFileSync(later, serviceYaml('later'));
  await client.watchedFilesChanged([{ uri: fileUri('apps/later.yaml'), type: CHANGED }]);
  await expectMissing(['from-node-modules', 'from-git', 'from-build', 'from-generated'], 'step 3');

  // a rename is a delete and a create: the Service stays defined, once
  mkdirSync(path.join(dir, 'moved'));
  renameSync(later, path.join(dir, 'moved/later.yaml'));
  await client.watchedFilesChanged([
    { uri: fileUri('apps/later.yaml'), type: DELETED },
    { uri: fileUri('moved/later.yaml'), type: CREATED },
  ]);
  await expectMissing(['from-node-modules', 'from-git', 'from-build', 'from-generated'], 'step 4');

  // a file created in an excluded folder stays out
  writeFileSync(path.join(dir, 'generated/late.yaml'), serviceYaml('from-generated'));
  await client.watchedFilesChanged([
    { uri: fileUri('generated/late.yaml'), type: CREATED },
    { uri: fileUri('moved/later.yaml'), type: DELETED },
  ]);
  rmSync(path.join(dir, 'moved/later.yaml'));
  await expectMissing(['from-node-modules', 'from-git', 'from-build', 'from-generated', 'later'], 'step 5');

  // a whole folder deleted: its files leave the index
  mkdirSync(path.join(dir, 'extra/deep'), { recursive: true });
  writeFileSync(path.join(dir, 'extra/deep/later.yaml'), serviceYaml('later'));
  await client.watchedFilesChanged([{ uri: fileUri('extra/deep/later.yaml'), type: CREATED }]);
  await expectMissing(['from-node-modules', 'from-git', 'from-build', 'from-generated'], 'step 6');
  rmSync(path.join(dir, 'extra'), { recursive: true });
  await client.watchedFilesChanged([{ uri: fileUri('extra'), type: DELETED }]);
  await expectMissing(['from-node-modules', 'from-git', 'from-build', 'from-generated', 'later'], 'step 7');
});

test('an open document wins over its file on disk; closing it brings the disk version back', async () => {
  const svc = fileUri('apps/shop/service.yaml');
  const ingress = fileUri('apps/shop/ingress.yml');
  await client.open(ingress, readFileSync(path.join(dir, 'apps/shop/ingress.yml'), 'utf8'));
  assert.deepEqual(await client.diagnostics(ingress), []);
  const onDisk = readFileSync(path.join(dir, 'apps/shop/service.yaml'), 'utf8');
  // edited in the editor, not saved: the port is renamed
  await client.open(svc, onDisk.replace('- name: http\n    port: 80', '- name: web\n    port: 81'));
  // both Ingresses (other open files) are re-checked against the edited Service
  const d = await client.waitForDiagnostics(ingress, (x) =>
    x.some((y) => y.code === 'ingress-backend-port-missing'),
  );
  const portLine = readFileSync(path.join(dir, 'apps/shop/ingress.yml'), 'utf8')
    .split('\n')
    .findIndex((l) => l.trim() === 'name: http');
  assert.deepEqual(
    d.map((x) => [x.code, x.message, x.range]),
    [
      [
        'ingress-backend-port-missing',
        'Service "web" has no port named "http"; its ports: 81 (web)',
        { start: { line: portLine, character: 20 }, end: { line: portLine, character: 24 } },
      ],
    ],
  );
  await client.waitForDiagnostics(probe, (x) =>
    x.some(
      (y) =>
        y.code === 'ingress-backend-port-missing' &&
        String(y.message) === 'Service "web" has no port 80; its ports: 81 (web)',
    ),
  );
  // a change on disk while the document is open does not count
  writeFileSync(path.join(dir, 'apps/shop/service.yaml'), onDisk.replace('port: 80', 'port: 8080'));
  await client.watchedFilesChanged([{ uri: svc, type: CHANGED }]);
  await client.change(svc, onDisk.replace('- name: http', '- name: web2'));
  const d2 = await client.waitForDiagnostics(ingress, (x) =>
    x.some((y) => /its ports: 80 \(web2\)/.test(String(y.message))),
  );
  assert.equal(d2.length, 1);
  // closed: the file on disk (port 8080 named http) is what counts again
  await client.close(svc);
  await client.waitForDiagnostics(ingress, (x) => x.length === 0);
  await client.waitForDiagnostics(probe, (x) =>
    x.some(
      (y) =>
        y.code === 'ingress-backend-port-missing' &&
        String(y.message) === 'Service "web" has no port 80; its ports: 8080 (http)',
    ),
  );
  writeFileSync(path.join(dir, 'apps/shop/service.yaml'), onDisk);
  await client.watchedFilesChanged([{ uri: svc, type: CHANGED }]);
  await client.waitForDiagnostics(probe, (x) => !x.some((y) => y.code === 'ingress-backend-port-missing'));
  await client.close(ingress);
});

test('editing pod labels re-checks the Services and NetworkPolicies that select them', async () => {
  const deployment = fileUri('apps/shop/deployment.yaml');
  const svc = fileUri('apps/shop/service.yaml');
  const policy = fileUri('apps/shop/networkpolicy.yaml');
  const text = readFileSync(path.join(dir, 'apps/shop/deployment.yaml'), 'utf8');
  await client.open(svc, readFileSync(path.join(dir, 'apps/shop/service.yaml'), 'utf8'));
  await client.open(policy, readFileSync(path.join(dir, 'apps/shop/networkpolicy.yaml'), 'utf8'));
  await client.open(deployment, text);
  assert.deepEqual(await client.diagnostics(svc), []);
  assert.deepEqual(await client.diagnostics(policy), []);
  // the pod template's label changes (selector too, so the Deployment itself stays valid)
  await client.change(deployment, text.replace(/app: web$/gm, 'app: storefront'));
  const s = await client.waitForDiagnostics(svc, (x) =>
    x.some((y) => y.code === 'service-selector-no-match'),
  );
  const noMatch = s.find((y) => y.code === 'service-selector-no-match')!;
  assert.equal(noMatch.severity, 2, 'an Ingress routes to it: a warning');
  assert.match(String(noMatch.message), /^Selector app=web matches no workload in namespace "shop"/);
  await client.waitForDiagnostics(policy, (x) => x.some((y) => y.code === 'netpol-selects-nothing'));
  await client.change(deployment, text);
  await client.waitForDiagnostics(svc, (x) => x.length === 0);
  await client.waitForDiagnostics(policy, (x) => x.length === 0);
  for (const u of [deployment, svc, policy]) await client.close(u);
});

test('changing the exclude settings re-indexes: excluded files leave, included ones come back', async () => {
  await client.configure({ index: { exclude: ['generated/**', 'apps/shop/service.yaml'] } });
  const d = await client.waitForDiagnostics(probe, (x) => missing(x).includes('web'));
  assert.deepEqual(missing(d), [
    'from-build',
    'from-generated',
    'from-git',
    'from-node-modules',
    'later',
    'web',
  ]);
  await client.configure({ index: { exclude: [] } });
  await expectMissing(['from-node-modules', 'from-git', 'from-build', 'later']);
  await client.configure({ index: { include: ['apps/**/*.yaml'] } });
  // only apps/**/*.yaml now: generated/ is not included, web's Service still is
  await expectMissing(['from-node-modules', 'from-git', 'from-build', 'from-generated', 'later']);
  await client.configure(settings);
  await expectMissing(['from-node-modules', 'from-git', 'from-build', 'from-generated', 'later']);
});

test('a workspace folder added or removed: its files join or leave the index; index.enable false drops them all', async () => {
  const second = mkdtempSync(path.join(os.tmpdir(), 'knl-second-'));
  try {
    writeFileSync(path.join(second, 'later.yaml'), serviceYaml('later'));
    mkdirSync(path.join(second, 'node_modules'));
    writeFileSync(path.join(second, 'node_modules/x.yaml'), serviceYaml('from-node-modules'));
    const folder = { uri: pathToFileURL(second).toString(), name: 'second' };
    await client.workspaceFoldersChanged([folder], []);
    await expectMissing(['from-node-modules', 'from-git', 'from-build', 'from-generated'], 'folder added');
    await client.workspaceFoldersChanged([], [folder]);
    await expectMissing(
      ['from-node-modules', 'from-git', 'from-build', 'from-generated', 'later'],
      'folder removed',
    );
    await client.configure({ ...settings, index: { ...settings.index, enable: false } });
    await expectMissing([...PROBE_BACKENDS], 'indexing off');
    await client.configure(settings);
    await expectMissing(
      ['from-node-modules', 'from-git', 'from-build', 'from-generated', 'later'],
      'indexing on again',
    );
  } finally {
    rmSync(second, { recursive: true, force: true });
  }
});

test('a file whose name has characters Node and VS Code encode differently is one file, open or on disk', async () => {
  // what VS Code sends for /…/apps/edge+v1@prod.yaml: + and @ percent-encoded
  writeFileSync(path.join(dir, 'apps/edge+v1@prod.yaml'), serviceYaml('edge'));
  const vscodeUri = `${pathToFileURL(path.join(dir, 'apps')).toString()}/edge%2Bv1%40prod.yaml`;
  // found by a re-index (a walk of the folder), not by an event carrying the editor's URI
  await client.configure({ index: { exclude: ['generated/**', 'no-such-folder/**'] } });
  const ingress = fileUri('apps/edge-ingress.yaml');
  await client.open(
    ingress,
    PROBE.replace('name: probe', 'name: edge').replace(
      /name: web\n {12}port:\n {14}number: 80/,
      'name: edge\n            port:\n              number: 81',
    ),
  );
  await client.waitForDiagnostics(ingress, (d) =>
    d.some((x) => String(x.message) === 'Service "edge" has no port 81; its ports: 80'),
  );
  // opened in the editor with port 81: the editor's text replaces the disk file, no stale copy is left
  await client.open(vscodeUri, serviceYaml('edge', 81));
  await client.waitForDiagnostics(ingress, (d) => !d.some((x) => x.code === 'ingress-backend-port-missing'));
  await client.close(vscodeUri);
  await client.waitForDiagnostics(ingress, (d) =>
    d.some((x) => String(x.message) === 'Service "edge" has no port 81; its ports: 80'),
  );
  await client.close(ingress);
  await client.configure(settings);
});

test('related information can point into a file that is only on disk, at the right line', async () => {
  const onDisk = readFileSync(path.join(dir, 'apps/shop/ingress.yml'), 'utf8');
  const canary = fileUri('apps/shop/canary.yaml');
  await client.open(canary, onDisk.replace('name: web\n  namespace', 'name: web-canary\n  namespace'));
  const d = await client.waitForDiagnostics(canary, (x) => x.some((y) => y.code === 'ingress-path-conflict'));
  const conflict = d.find((y) => y.code === 'ingress-path-conflict')!;
  assert.equal(conflict.severity, 3, 'another file: information');
  assert.match(
    String(conflict.message),
    /^Host shop\.example\.com, path \/ \(Prefix\) is also claimed by Ingress shop\/web /,
  );
  const pathLine = onDisk.split('\n').findIndex((l) => l.trim() === '- path: /');
  assert.deepEqual(
    conflict.relatedInformation?.map((r) => [r.location.uri, r.location.range.start, r.message]),
    [
      [
        fileUri('apps/shop/ingress.yml'),
        { line: pathLine, character: 8 },
        'Ingress shop/web claims the same host and path here',
      ],
    ],
  );
  await client.close(canary);
});
