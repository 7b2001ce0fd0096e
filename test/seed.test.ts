// The seed manifests (what users copy from old tutorials, kept byte for byte in test/fixtures/seed)
// give exactly the findings of the seed README, and the legacy-API quick
// fix rewrites each one to the golden v1 text.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient, ROOT, applyEdits, editsOf } from './support/lsp-client';

const SEED = path.join(ROOT, 'test', 'fixtures', 'seed');
const GOLDEN = path.join(ROOT, 'test', 'fixtures', 'migrate');
const LEGACY_MESSAGE =
  'Ingress extensions/v1beta1 is no longer served: removed in Kubernetes 1.22; use networking.k8s.io/v1';

type Row = [line: number, start: number, end: number, severity: number, code: string];
const apiVersionRow = (line: number): Row => [line, 12, 30, 1, 'ingress-legacy-api'];

/** A backend Service the workspace does not define (the seed files define none): a warning on the name. */
const missingService = (line: number, start: number, end: number): Row => [
  line,
  start,
  end,
  2,
  'ingress-backend-service-missing',
];

const EXPECTED: Record<string, Row[]> = {
  '01-single-path.yaml': [apiVersionRow(0), [6, 4, 8, 4, 'ingress-rule-no-host'], missingService(10, 23, 27)],
  '02-single-service.yaml': [apiVersionRow(0), missingService(6, 17, 24)],
  '03-simple-fanout.yaml': [apiVersionRow(0), missingService(11, 23, 25), missingService(15, 23, 25)],
  '04-name-based-virtual-hosting.yaml': [
    apiVersionRow(0),
    missingService(10, 23, 25),
    missingService(16, 23, 25),
  ],
  '05-tls.yaml': [
    [2, 11, 30, 1, 'secret-data-base64'],
    [3, 11, 29, 1, 'secret-data-base64'],
    [8, 6, 12, 2, 'ingress-tls-secret-type'],
    apiVersionRow(10),
    [16, 6, 28, 3, 'ingress-tls-no-hosts'],
    missingService(18, 17, 19),
  ],
};

let client: LspClient;
before(async () => {
  client = await LspClient.start();
});
after(async () => {
  await client.stop();
});

function rows(d: Diagnostic[]): Row[] {
  return d
    .map((x): Row => [
      x.range.start.line,
      x.range.start.character,
      x.range.end.character,
      x.severity!,
      String(x.code),
    ])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

for (const [file, expected] of Object.entries(EXPECTED)) {
  test(`seed ${file}: findings, then the quick fix`, async () => {
    const text = readFileSync(path.join(SEED, file), 'utf8');
    const uri = client.uriFor(`seed-${file}`);
    await client.open(uri, text);
    const diags = await client.diagnostics(uri);
    assert.deepEqual(rows(diags), expected);

    const legacy = diags.find((d) => d.code === 'ingress-legacy-api')!;
    assert.equal(legacy.message, LEGACY_MESSAGE);
    assert.equal(legacy.source, 'kube-netlens');

    const actions = await client.codeActions(uri, [legacy]);
    const migrate = actions.find((a) => a.title === 'Migrate this Ingress to networking.k8s.io/v1');
    assert.ok(migrate, `quick fix offered (got ${actions.map((a) => a.title).join(', ')})`);
    assert.equal(migrate!.isPreferred, true);
    const fixed = applyEdits(text, editsOf(migrate!, uri));
    assert.equal(
      fixed,
      readFileSync(path.join(GOLDEN, `seed-${file.replace('.yaml', '.fixed.yaml')}`), 'utf8'),
    );

    // After the fix the legacy error is gone and nothing new appears.
    await client.change(uri, fixed);
    const after = await client.diagnostics(uri);
    assert.ok(
      !after.some(
        (d) => d.code === 'ingress-legacy-api' || (d.severity === 1 && d.code !== 'secret-data-base64'),
      ),
      `after the fix: ${after.map((d) => d.message).join('; ')}`,
    );
    await client.close(uri);
  });
}

test('seed 05: the base64 and Secret-type findings say what is wrong and offer the type fix', async () => {
  const text = readFileSync(path.join(SEED, '05-tls.yaml'), 'utf8');
  const uri = client.uriFor('seed-05-messages.yaml');
  await client.open(uri, text);
  const diags = await client.diagnostics(uri);
  const b64 = diags.filter((d) => d.code === 'secret-data-base64').map((d) => d.message);
  assert.deepEqual(b64, [
    'Secret data "tls.crt" is not valid base64: it contains whitespace at character 7. Encode the value, or move it under stringData to give it as plain text',
    'Secret data "tls.key" is not valid base64: it contains whitespace at character 7. Encode the value, or move it under stringData to give it as plain text',
  ]);
  const type = diags.find((d) => d.code === 'ingress-tls-secret-type')!;
  assert.equal(type.severity, 2);
  assert.equal(
    type.message,
    'Secret "testsecret" is used for TLS by Ingress "no-rules-map" but its type is Opaque: make it type kubernetes.io/tls (with tls.crt and tls.key)',
  );
  const actions = await client.codeActions(uri, [type]);
  assert.equal(actions.length, 1);
  const fixed = applyEdits(text, editsOf(actions[0], uri));
  assert.match(fixed, /\ntype: kubernetes\.io\/tls\n---\n/);
  const noHosts = diags.find((d) => d.code === 'ingress-tls-no-hosts')!;
  assert.equal(noHosts.severity, 3);
});
