// Pull diagnostics (LSP 3.17), through the built server over stdio with a client that declares it can
// pull, as VS Code's language client does: the server declares the provider, answers each pull with
// the findings of the document's current text, says `unchanged` when they are those the client holds,
// asks the client to pull again when another file changes them, and publishes nothing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient } from './support/lsp-client';
import type { PulledReport } from './support/lsp-client';

const INGRESS = [
  'apiVersion: networking.k8s.io/v1',
  'kind: Ingress',
  'metadata:',
  '  name: web',
  'spec:',
  '  defaultBackend:',
  '    service:',
  '      name: api',
  '      port:',
  '        number: 80',
  '',
].join('\n');
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  ports:\n  - port: 80\n';

function full(r: PulledReport) {
  assert.equal(r.kind, 'full', `a full report, got ${JSON.stringify(r)}`);
  return r as Extract<PulledReport, { kind: 'full' }>;
}

test('a client that pulls gets the findings of the current text, `unchanged` when they did not change, and a refresh when another file changes them', async () => {
  const client = await LspClient.start({}, { pullDiagnostics: true });
  try {
    assert.deepEqual(client.initializeResult?.capabilities.diagnosticProvider, {
      interFileDependencies: true,
      workspaceDiagnostics: false,
    });
    const ing = client.uriFor('pull/ingress.yaml');
    const svc = client.uriFor('pull/service.yaml');
    await client.open(ing, INGRESS);
    // (sent right after the open: the answer waits for the check)
    const first = full(await client.pull(ing));
    assert.equal(first.items.length, 1);
    const [missing] = first.items;
    assert.equal(missing.code, 'ingress-backend-service-missing');
    assert.match(String(missing.message), /^Service "api" is not defined in namespace "default"/);
    assert.equal(missing.severity, 2);
    assert.deepEqual(missing.range, { start: { line: 7, character: 12 }, end: { line: 7, character: 15 } });
    assert.ok(first.resultId, 'a result id to pull with next time');

    // a keystroke that changes no finding (a comment): nothing is sent again
    await client.change(ing, INGRESS.replace('spec:\n', 'spec: # the shop\n'));
    assert.deepEqual(await client.pull(ing, first.resultId), { kind: 'unchanged', resultId: first.resultId });

    // one that does: every finding of the new text
    await client.change(ing, INGRESS.replace('name: api', 'name: apx'));
    const renamed = full(await client.pull(ing, first.resultId));
    assert.notEqual(renamed.resultId, first.resultId);
    assert.deepEqual(
      renamed.items.map((d) => [d.code, String(d.message).split(':')[0]]),
      [
        [
          'ingress-backend-service-missing',
          'Service "apx" is not defined in namespace "default" in this workspace',
        ],
      ],
    );
    await client.change(ing, INGRESS);
    const back = full(await client.pull(ing, renamed.resultId));
    assert.equal(back.items.length, 1);

    // the Service comes in another file: the client is asked to pull again, and the finding is gone
    const refreshes = client.diagnosticRefreshes;
    await client.open(svc, SERVICE);
    await client.waitFor(
      () => client.diagnosticRefreshes > refreshes,
      'a workspace/diagnostic/refresh request',
    );
    const after = full(await client.pull(ing, back.resultId));
    assert.deepEqual(after.items, []);
    assert.deepEqual(full(await client.pull(svc)).items, []);

    // nothing was published: the client pulls
    assert.equal(client.publishCount(ing), 0);
    assert.equal(client.publishCount(svc), 0);

    // a closed document has no findings
    await client.close(ing);
    assert.deepEqual(await client.pull(ing), { kind: 'full', items: [] });
  } finally {
    await client.stop();
  }
});

test('a client that does not declare pulls gets publications and no diagnostic provider', async () => {
  const client = await LspClient.start();
  try {
    assert.equal(client.initializeResult?.capabilities.diagnosticProvider, undefined);
    const ing = client.uriFor('pull/push-ingress.yaml');
    await client.open(ing, INGRESS);
    const d = await client.diagnostics(ing);
    assert.deepEqual(
      d.map((x) => x.code),
      ['ingress-backend-service-missing'],
    );
  } finally {
    await client.stop();
  }
});

test('a pull after shutdown is refused with InvalidRequest', async () => {
  const client = await LspClient.start({}, { pullDiagnostics: true });
  try {
    const ing = client.uriFor('pull/late.yaml');
    await client.open(ing, INGRESS);
    full(await client.pull(ing));
    await client.conn.sendRequest('shutdown');
    await assert.rejects(client.pull(ing), (e: { code?: number; message?: string }) => {
      assert.equal(e.code, -32600);
      assert.match(String(e.message), /shutting down/);
      return true;
    });
  } finally {
    await client.stop();
  }
});
