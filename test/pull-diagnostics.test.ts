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
    // (pulls write nothing to the server's stderr, which an editor shows in its output channel)
    assert.doesNotMatch(client.stderr, /pull/);
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

/** A file of 1,500 Services whose selectors match nothing (one finding each): the first check shows
 * the findings of its first 500 documents, then of 1,000, then all. The documents from 500 to 999
 * have 100 ports each, so that between the first two steps the check runs long enough for an edit
 * to come in the middle of it. */
function lonelyServices(): string[] {
  return Array.from({ length: 1500 }, (_, i) => {
    const ports = i >= 500 && i < 1000 ? 100 : 1;
    return (
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: lonely-${i}\nspec:\n  selector:\n    app: lonely-${i}\n  ports:\n` +
      Array.from({ length: ports }, (_, p) => `  - name: p${p}\n    port: ${1000 + p}\n`).join('')
    );
  });
}

const STILL_CHECKING =
  'Kube NetLens is still checking this file: these are the findings of its first 500 documents of 1,500 and of those edited since; the others follow.';

test("an edit during a large file's first check changes what the client holds only where it changed a finding: `unchanged` for a comment, the edited document's finding added for another", async () => {
  const client = await LspClient.start({}, { pullDiagnostics: true });
  try {
    const uri = client.uriFor('pull/lonely.yaml');
    const docs = lonelyServices();
    await client.open(uri, docs.join('---\n'));
    const first = full(await client.pull(uri));
    // (the first answer comes after 500 documents; the edits below are sent as soon as it is read)
    assert.equal(first.items[0].message, STILL_CHECKING);
    assert.equal(first.items.length, 501);
    assert.ok(first.items.slice(1).every((d) => d.code === 'service-selector-no-match'));
    assert.match(String(first.items[500].message), /lonely-499/);

    // a comment in a document already shown: the same findings, nothing sent again
    docs[3] = docs[3].replace('  name: lonely-3\n', '  name: lonely-3 # the third\n');
    await client.change(uri, docs.join('---\n'));
    assert.deepEqual(await client.pull(uri, first.resultId), { kind: 'unchanged', resultId: first.resultId });

    // a comment in a document not shown yet: its finding comes with the others shown, under the same notice
    docs[1200] = docs[1200].replace('  name: lonely-1200\n', '  name: lonely-1200 # later\n');
    await client.change(uri, docs.join('---\n'));
    const edited = full(await client.pull(uri, first.resultId));
    assert.equal(edited.items[0].message, STILL_CHECKING);
    assert.deepEqual(edited.items.slice(0, 501), first.items);
    assert.equal(edited.items.length, 502);
    assert.equal(edited.items[501].code, 'service-selector-no-match');
    assert.match(String(edited.items[501].message), /lonely-1200 /);

    // the end of the check: the client is asked to pull again, and gets every finding
    await client.waitFor(
      () => client.diagnosticRefreshes > 0,
      'a workspace/diagnostic/refresh request',
      120_000,
    );
    const all = full(await client.pull(uri, edited.resultId));
    assert.equal(all.items.length, 1500);
    assert.ok(all.items.every((d) => d.code === 'service-selector-no-match'));
  } finally {
    await client.stop();
  }
});

test("with publications, an edit during a large file's first check publishes the findings shown before with the edited document's", async () => {
  const client = await LspClient.start();
  try {
    const uri = client.uriFor('pull/lonely-push.yaml');
    const docs = lonelyServices();
    client.keepHistory = true;
    await client.open(uri, docs.join('---\n'));
    await client.waitFor(() => (client.history.get(uri) ?? []).length > 0, 'a publication', 120_000);
    const first = client.history.get(uri)![0].diagnostics;
    assert.equal(first[0].message, STILL_CHECKING);
    assert.equal(first.length, 501);

    docs[1200] = docs[1200].replace('  name: lonely-1200\n', '  name: lonely-1200 # later\n');
    const version = await client.change(uri, docs.join('---\n'));
    const ofEdit = () => (client.history.get(uri) ?? []).find((p) => (p.version ?? 0) >= version);
    await client.waitFor(() => !!ofEdit(), 'a publication of the edited version', 120_000);
    const snapshot = ofEdit()!.diagnostics;
    assert.equal(snapshot[0].message, STILL_CHECKING);
    assert.deepEqual(snapshot.slice(0, 501), first);
    assert.equal(snapshot.length, 502);
    assert.match(String(snapshot[501].message), /lonely-1200 /);
  } finally {
    client.keepHistory = false;
    await client.stop();
  }
});
