// Every fixture under test/fixtures/diagnostics and test/fixtures/quiet is opened on its own in the
// language service, in-process (the facade the server and the CLI use); its diagnostics must match
// the annotations in its comments exactly. One test below goes through the built server over stdio.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LspClient, ROOT } from './support/lsp-client';
import { compare, parseAnnotations, type ActualLike } from './support/fixture';
import { checkTogether, virtualUri } from './support/rule-fixtures';

let client: LspClient;
before(async () => {
  client = await LspClient.start();
});
after(async () => {
  await client.stop();
});

for (const dir of ['diagnostics', 'quiet']) {
  const folder = path.join(ROOT, 'test', 'fixtures', dir);
  for (const name of readdirSync(folder)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    test(`${dir}/${name}`, () => {
      const text = readFileSync(path.join(folder, name), 'utf8');
      const expected = parseAnnotations(text);
      const [actual] = checkTogether([{ uri: virtualUri(`${dir}-${name}`), text }]);
      const diff = compare(expected, actual as ActualLike[]);
      assert.equal(diff, '', `diagnostics of ${dir}/${name} differ:\n${diff}`);
      for (const d of actual) {
        assert.equal(d.source, 'kube-netlens');
        assert.match(String(d.codeDescription?.href), new RegExp(`#${d.code}$`));
      }
    });
  }
}

test('a client that declares no links, related locations or tags is sent diagnostics without them', async () => {
  // an Ingress whose two paths claim the same route (related location), on a retired controller
  // (a rule link for each finding); the same findings, with and without the optional fields
  const text = [
    'apiVersion: networking.k8s.io/v1',
    'kind: Ingress',
    'metadata:',
    '  name: a',
    'spec:',
    '  ingressClassName: nginx',
    '  rules:',
    '  - host: a.example.com',
    '    http:',
    '      paths:',
    '      - {path: /, pathType: Prefix, backend: {service: {name: s, port: {number: 80}}}}',
    '      - {path: /, pathType: Prefix, backend: {service: {name: t, port: {number: 80}}}}',
    '',
  ].join('\n');
  const plain = await LspClient.start({}, { plainDiagnostics: true });
  try {
    const uri = plain.uriFor('plain-client.yaml');
    await plain.open(uri, text);
    const bare = await plain.diagnostics(uri);
    await client.open(uri, text);
    const full = await client.diagnostics(uri);
    assert.ok(
      full.some((d) => d.relatedInformation?.length),
      'some finding has a related location',
    );
    assert.ok(full.every((d) => d.codeDescription?.href));
    assert.deepEqual(
      bare,
      full.map(({ codeDescription, relatedInformation, tags, ...rest }) => rest),
    );
  } finally {
    await plain.stop();
  }
});

test('a document with a syntax error does not stop the others from being checked', async () => {
  const text =
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  labels: {x: [1\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: B\nspec:\n  ports:\n  - port: 80\n';
  const uri = client.uriFor('syntax-then-valid.yaml');
  await client.open(uri, text);
  const d = await client.diagnostics(uri);
  assert.ok(
    d.some((x) => x.code === 'yaml-syntax' && x.range.start.line === 4),
    'syntax error on line 5',
  );
  const name = d.find((x) => x.code === 'metadata-name-invalid');
  assert.ok(name, 'second document still checked');
  assert.deepEqual(name!.range, { start: { line: 9, character: 8 }, end: { line: 9, character: 9 } });
});
