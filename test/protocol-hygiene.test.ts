// Protocol hygiene, over stdio against the built server: requests after `shutdown` are refused,
// `exit` ends the process even while a long check runs, and code action requests holding null or
// malformed diagnostics get a clean answer.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseError } from 'vscode-jsonrpc/node';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient } from './support/lsp-client';

const INVALID_REQUEST = -32600;

const SERVICE =
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: http\n';

async function refused(p: Promise<unknown>): Promise<ResponseError<unknown>> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ResponseError, `a protocol error, not ${String(e)}`);
    return e;
  }
  assert.fail('the request was answered after shutdown');
}

/** Ends a server a test left running (it failed half-way). */
async function done(client: LspClient): Promise<void> {
  if (!client.exited) client.proc.kill('SIGKILL');
  await client.waitFor(() => client.exited, 'the server to end').catch(() => undefined);
  client.conn.dispose();
}

test('after shutdown, requests are refused with InvalidRequest and exit ends the server', async () => {
  const client = await LspClient.start();
  try {
    const uri = client.uriFor('hygiene-shutdown.yaml');
    await client.open(uri, SERVICE);
    await client.diagnostics(uri);
    // answered before shutdown
    assert.ok(await client.hover(uri, { line: 1, character: 2 }));
    await client.conn.sendRequest('shutdown');
    const hover = await refused(client.hover(uri, { line: 1, character: 2 }));
    assert.equal(hover.code, INVALID_REQUEST);
    assert.equal((await refused(client.completion(uri, { line: 3, character: 8 }))).code, INVALID_REQUEST);
    assert.equal((await refused(client.symbols(uri))).code, INVALID_REQUEST);
    // the preview's own requests too
    assert.equal(
      (await refused(client.conn.sendRequest('kubeNetlens/routeGraph', { uri }))).code,
      INVALID_REQUEST,
    );
    await client.conn.sendNotification('exit');
    await client.waitFor(() => client.exited, 'the server to exit');
    assert.equal(client.proc.exitCode, 0, 'exit after shutdown is a clean exit');
  } finally {
    await done(client);
  }
});

test('exit during a long check ends the server before the check finishes', async () => {
  // KNL_TRACE makes the server say on stderr when a file was parsed and when its check ended
  process.env.KNL_TRACE = '1';
  const client = await LspClient.start();
  delete process.env.KNL_TRACE;
  try {
    // thousands of documents: the check runs far longer than one turn of the event loop
    const docs = Array.from({ length: 6000 }, (_, i) =>
      SERVICE.replace('name: web', `name: web-${i}`).replace('app: web', `app: web-${i}`),
    );
    const uri = client.uriFor('hygiene-long-check.yaml');
    await client.open(uri, docs.join('---\n'));
    // (a text this large is parsed on the parser thread: the check starts when it is back)
    await client.waitFor(
      () =>
        client.stderr.split('\n').some((l) => l.includes('hygiene-long-check.yaml') && / update /.test(l)),
      'the file to be parsed',
      120_000,
    );
    await client.conn.sendNotification('exit');
    await client.waitFor(() => client.exited, 'the server to exit');
    const trace = client.stderr.split('\n').filter((l) => l.includes('hygiene-long-check.yaml'));
    assert.ok(
      trace.some((l) => / update /.test(l)),
      `the file was parsed before the exit: ${client.stderr}`,
    );
    assert.deepEqual(
      trace.filter((l) => / diagnose /.test(l)),
      [],
      'the server ended without finishing the check',
    );
    assert.equal(client.proc.exitCode, 1, 'exit without shutdown ends with status 1');
  } finally {
    await done(client);
  }
});

test('code actions with null or malformed diagnostics get an empty answer, real ones still get their fixes', async () => {
  const client = await LspClient.start();
  try {
    const uri = client.uriFor('hygiene-code-actions.yaml');
    const text =
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: clusterip\n  ports:\n  - port: 80\n';
    await client.open(uri, text);
    const diags = await client.diagnostics(uri);
    const real = diags.find((d) => String(d.message).includes('clusterip'));
    assert.ok(real, `a finding on the type value: ${JSON.stringify(diags.map((d) => d.message))}`);
    const range = real.range;
    const ask = (context: unknown) =>
      client.conn.sendRequest<unknown>('textDocument/codeAction', { textDocument: { uri }, range, context });
    assert.deepEqual(await ask({ diagnostics: [null] }), []);
    assert.deepEqual(await ask(null), []);
    assert.deepEqual(await ask({ diagnostics: null }), []);
    assert.deepEqual(await ask({ diagnostics: 'x' }), []);
    assert.deepEqual(await ask({ diagnostics: [{ ...real, data: null, range: null }] }), []);
    assert.deepEqual(
      await ask({ diagnostics: [{ ...real, range: { start: { line: 'a', character: -1 }, end: null } }] }),
      [],
    );
    assert.deepEqual(
      await ask({ diagnostics: [{ source: 'kube-netlens', code: 42, message: 'x', range }] }),
      [],
    );
    // whatever `data` holds, the fixes come from the rule that reported the diagnostic
    const withNullFixes = (await ask({
      diagnostics: [{ ...real, data: { fixes: [null, 7] } } as Diagnostic],
    })) as { title: string }[];
    assert.deepEqual(
      withNullFixes.map((a) => a.title),
      ['Change to "ClusterIP"'],
    );
    const plain = (await ask({ diagnostics: [real] })) as { title: string }[];
    assert.deepEqual(
      plain.map((a) => a.title),
      ['Change to "ClusterIP"'],
    );
  } finally {
    await client.stop();
  }
});
