// Settings: severity per rule (off included), target Kubernetes version, syntax errors left to
// another extension, and turning the server off.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from './support/lsp-client';

const LEGACY = `apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: old
spec:
  rules:
  - http:
      paths:
      - path: /
        backend:
          serviceName: web
          servicePort: 80
---
# the backend exists (no selector: its endpoints are managed by hand)
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
`;
const BROKEN = `apiVersion: v1
kind: Service
metadata:
  name: x
  labels: {a: [1
`;

function summary(d: { code?: string | number; severity?: number }[]): string[] {
  return d.map((x) => `${x.code}:${x.severity}`).sort();
}

test('defaults: legacy Ingress is an error, the host-less rule a hint', async () => {
  const c = await LspClient.start({});
  const uri = c.uriFor('settings-default.yaml');
  await c.open(uri, LEGACY);
  assert.deepEqual(summary(await c.diagnostics(uri)), ['ingress-legacy-api:1', 'ingress-rule-no-host:4']);
  await c.stop();
});

test('severity per rule id, including off, read through workspace/configuration', async () => {
  const c = await LspClient.start({
    rules: { 'ingress-rule-no-host': 'off', 'ingress-legacy-api': 'warning' },
  });
  const uri = c.uriFor('settings-rules.yaml');
  await c.open(uri, LEGACY);
  assert.deepEqual(summary(await c.diagnostics(uri)), ['ingress-legacy-api:2']);
  await c.stop();
});

test('changing settings re-checks open files', async () => {
  const c = await LspClient.start({});
  const uri = c.uriFor('settings-change.yaml');
  await c.open(uri, LEGACY);
  assert.equal((await c.diagnostics(uri)).length, 2);
  await c.configure({ rules: { 'ingress-legacy-api': 'off', 'ingress-rule-no-host': 'off' } });
  // the re-publish that follows the configuration change clears both
  assert.deepEqual(await c.waitForDiagnostics(uri, (d) => d.length === 0), []);
  await c.stop();
});

test('settings sent again unchanged check nothing again; a change checks the open files once', async () => {
  const c = await LspClient.start({ rules: { 'ingress-rule-no-host': 'off' } });
  const uri = c.uriFor('settings-same.yaml');
  await c.open(uri, LEGACY);
  assert.deepEqual(summary(await c.diagnostics(uri)), ['ingress-legacy-api:1']);
  // an editor sends its settings again on any change of the section, mostly the same: the server
  // reads them (a configuration request) and, as they are the ones in use, checks nothing again
  const asked = c.configurationRequests;
  await c.configure({ rules: { 'ingress-rule-no-host': 'off' } });
  await c.waitFor(() => c.configurationRequests > asked, 'the settings read again');
  await c.configure({ rules: { 'ingress-rule-no-host': 'off', 'ingress-legacy-api': 'warning' } });
  assert.deepEqual(summary(await c.waitForDiagnostics(uri, (d) => d.length === 1 && d[0].severity === 2)), [
    'ingress-legacy-api:2',
  ]);
  // one real change, one re-check (the settings read at start are those of initializationOptions,
  // in use already: no re-check for them either)
  assert.deepEqual(
    c.logs.filter((l) => l.includes('settings changed')),
    ['[kube-netlens] settings changed: checking the 1 open file again'],
  );
  await c.stop();
});

test('the workspace folder is read once at start, however often the editor sends its settings; again when the index settings change', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'knl-settings-index-'));
  writeFileSync(path.join(dir, 'web.yaml'), LEGACY);
  writeFileSync(path.join(dir, 'other.yaml'), BROKEN);
  const folder = pathToFileURL(dir).toString();
  let answer = () => {};
  const c = await LspClient.start(
    {},
    {
      workspaceFolders: [{ uri: folder, name: 'ws' }],
      rootUri: folder,
      // (VS Code's default files.exclude has entries set to true)
      filesExclude: { '**/.git': true },
      // VS Code's two notifications come while the server's first read of the settings is unanswered
      configurationGate: new Promise<void>((resolve) => (answer = resolve)),
    },
  );
  try {
    // VS Code sends its settings twice at start (its synchronize option, then the registration),
    // each read back with a configuration request; nothing differs from what the start read
    await c.configure({});
    await c.configure({});
    await c.waitFor(() => c.configurationRequests >= 3, 'three reads of the settings');
    answer();
    c.configurationGate = undefined;
    const indexings = () => c.logs.filter((l) => /indexed \d+ YAML files/.test(l));
    await c.waitFor(() => indexings().length > 0, 'the first indexing');
    // (a round trip: the server has taken the three answers, written before it, and queued what
    // they ask for; a later indexing is queued behind that)
    await c.symbols(pathToFileURL(path.join(dir, 'web.yaml')).toString());
    // a real change of what is indexed: one more indexing
    await c.configure({ index: { exclude: ['other.yaml'] } });
    await c.waitFor(
      () => indexings().some((l) => l.includes('indexed 1 YAML')),
      'the indexing for the new exclude',
    );
    const indexed = indexings().map((l) => l.replace(/ in \d+ ms$/, ''));
    assert.deepEqual(indexed, ['[kube-netlens] indexed 2 YAML files', '[kube-netlens] indexed 1 YAML files']);
  } finally {
    await c.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('target Kubernetes 1.21: the legacy Ingress is deprecated (warning), not removed', async () => {
  const c = await LspClient.start({ kubernetesVersion: '1.21' });
  const uri = c.uriFor('settings-version.yaml');
  await c.open(uri, LEGACY);
  const d = (await c.diagnostics(uri)).find((x) => x.code === 'ingress-legacy-api')!;
  assert.equal(d.severity, 2);
  assert.equal(
    d.message,
    'Ingress extensions/v1beta1 is deprecated and removed in Kubernetes 1.22; use networking.k8s.io/v1',
  );
  await c.stop();
});

test('syntaxErrors: "leave" hides our YAML syntax diagnostics (for redhat.vscode-yaml users)', async () => {
  const c = await LspClient.start({ syntaxErrors: 'leave' });
  const uri = c.uriFor('settings-syntax.yaml');
  await c.open(uri, BROKEN);
  assert.deepEqual(await c.diagnostics(uri), []);
  await c.stop();
  const d = await LspClient.start({});
  await d.open(uri, BROKEN);
  assert.deepEqual(summary(await d.diagnostics(uri)), ['yaml-syntax:1', 'yaml-syntax:1']);
  await d.stop();
});

test('enable: false publishes nothing and answers no completion', async () => {
  const c = await LspClient.start({ enable: false });
  const uri = c.uriFor('settings-off.yaml');
  await c.open(uri, LEGACY);
  assert.deepEqual(await c.diagnostics(uri), []);
  assert.deepEqual(await c.completion(uri, { line: 5, character: 2 }), []);
  await c.stop();
});

test('settings given only in initializationOptions (editors without workspace/configuration)', async () => {
  const c = await LspClient.start({ rules: { 'ingress-legacy-api': 'hint' } }, { pullConfig: false });
  const uri = c.uriFor('settings-init.yaml');
  await c.open(uri, LEGACY);
  assert.deepEqual(summary(await c.diagnostics(uri)), ['ingress-legacy-api:4', 'ingress-rule-no-host:4']);
  await c.stop();
});

test('editors other than VS Code are asked to watch YAML files; our VS Code client (which watches itself) is not', async () => {
  const other = await LspClient.start({});
  await other.waitFor(
    () => other.registrations.some((r) => r.method === 'workspace/didChangeWatchedFiles'),
    'a file watcher registration',
  );
  const reg = other.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles')!;
  assert.deepEqual(reg.registerOptions, { watchers: [{ globPattern: '**/*.{yaml,yml}' }] });
  await other.stop();

  const ours = await LspClient.start({}, { clientWatchesFiles: true });
  // the configuration registration comes from the same initialized handler, after the watcher's
  await ours.waitFor(
    () => ours.registrations.some((r) => r.method === 'workspace/didChangeConfiguration'),
    'the configuration registration',
  );
  assert.equal(ours.registrations.filter((r) => r.method === 'workspace/didChangeWatchedFiles').length, 0);
  await ours.stop();

  const noDynamic = await LspClient.start({}, { watchFiles: false });
  await noDynamic.waitFor(
    () => noDynamic.registrations.some((r) => r.method === 'workspace/didChangeConfiguration'),
    'the configuration registration',
  );
  assert.equal(
    noDynamic.registrations.filter((r) => r.method === 'workspace/didChangeWatchedFiles').length,
    0,
  );
  await noDynamic.stop();
});
