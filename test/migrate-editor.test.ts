// "Migrate to Gateway API" in the editor, through the built language server: the retirement notice of
// an ingress-nginx Ingress (on by default, off through the rule severity setting) carries the migration
// as its code action; every Ingress, of any controller, offers "Migrate this Ingress to Gateway API" as a
// refactoring where the cursor is; and the request behind the client's command answers with the YAML
// and the probe summary for the diff editor's title.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LspClient, ROOT } from './support/lsp-client';
import { MIGRATE_COMMAND, MIGRATE_METHOD } from '../server/src/protocol/migrate';
import type { MigrateResult } from '../server/src/protocol/migrate';

let client: LspClient;
before(async () => {
  client = await LspClient.start({});
});
after(async () => {
  await client.stop();
});

test('migrate in the editor: the code action of the retirement notice, and the migration request', async () => {
  const text = readFileSync(
    path.join(ROOT, 'test', 'fixtures', 'migrate-gateway', 'basic-tls', 'input.yaml'),
    'utf8',
  );
  const uri = client.uriFor('migrate-basic-tls.yaml');
  await client.open(uri, text);
  const diags = await client.waitForDiagnostics(uri, (d) =>
    d.some((x) => x.code === 'ingress-nginx-retired'),
  );
  const notice = diags.find((x) => x.code === 'ingress-nginx-retired')!;
  assert.equal(notice.severity, 3);
  assert.equal(
    notice.message,
    'ingress-nginx (IngressClass nginx: k8s.io/ingress-nginx) is retired: no releases or security fixes after March 2026; migrate this Ingress to the Gateway API',
  );
  const actions = await client.codeActions(uri, [notice]);
  const migrate = actions.find((a) => a.title === 'Migrate to Gateway API');
  assert.ok(migrate, 'the notice offers the migration');
  assert.equal(migrate.command?.command, MIGRATE_COMMAND);
  assert.deepEqual(migrate.command?.arguments, [{ scope: 'ingress', uri, ingress: 'shop/shop' }]);
  assert.deepEqual(
    actions.map((a) => a.title),
    ['Migrate to Gateway API'],
    'one migration action for the Ingress, not two',
  );

  const result = await client.conn.sendRequest<MigrateResult>(MIGRATE_METHOD, {
    scope: 'ingress',
    uri,
    ingress: 'shop/shop',
    gatewayClass: 'eg',
  });
  assert.equal(
    result.yaml,
    readFileSync(
      path.join(ROOT, 'test', 'fixtures', 'migrate-gateway', 'basic-tls', 'expected.yaml'),
      'utf8',
    ),
  );
  assert.match(result.title, /^Migrate to Gateway API: 1 Ingress, \d+ probes, 0 differences$/);
  assert.equal(result.probes.differences.length, 0);
  const file = await client.conn.sendRequest<MigrateResult>(MIGRATE_METHOD, { scope: 'file', uri });
  assert.match(file.yaml, /gatewayClassName: gateway/);
  await assert.rejects(client.conn.sendRequest(MIGRATE_METHOD, { scope: 'ingress', uri }), /expected/);
  await client.close(uri);
});

const TRAEFIK = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: blog
  namespace: web
spec:
  ingressClassName: traefik
  rules:
  - host: blog.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: blog
            port:
              number: 80
---
apiVersion: v1
kind: Service
metadata:
  name: blog
  namespace: web
spec:
  ports:
  - port: 80
`;

test('every Ingress offers "Migrate this Ingress to Gateway API" at the cursor; other kinds and quick-fix-only requests do not', async () => {
  const uri = client.uriFor('migrate-traefik.yaml');
  await client.open(uri, TRAEFIK);
  const diags = await client.diagnostics(uri);
  assert.deepEqual(
    diags.map((d) => d.code),
    [],
    'a Traefik Ingress gets no retirement notice',
  );
  const ask = (line: number, only?: string[]) =>
    client.conn.sendRequest<
      { title: string; kind?: string; command?: { command: string; arguments?: unknown[] } }[] | null
    >('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line, character: 4 }, end: { line, character: 4 } },
      context: { diagnostics: [], ...(only ? { only } : {}) },
    });
  const onHost = (await ask(8)) ?? [];
  assert.deepEqual(
    onHost.map((a) => [a.title, a.kind]),
    [['Migrate this Ingress to Gateway API', 'refactor.rewrite']],
  );
  assert.equal(onHost[0].command?.command, MIGRATE_COMMAND);
  assert.deepEqual(onHost[0].command?.arguments, [{ scope: 'ingress', uri, ingress: 'web/blog' }]);
  assert.deepEqual(
    ((await ask(8, ['refactor'])) ?? []).map((a) => a.title),
    ['Migrate this Ingress to Gateway API'],
  );
  assert.deepEqual((await ask(8, ['quickfix'])) ?? [], [], 'not a quick fix');
  assert.deepEqual((await ask(22)) ?? [], [], 'the Service offers no migration');
  await client.close(uri);
});

test('the retirement notice is turned off by its rule severity setting', async () => {
  const text = readFileSync(
    path.join(ROOT, 'test', 'fixtures', 'migrate-gateway', 'basic-tls', 'input.yaml'),
    'utf8',
  );
  const uri = client.uriFor('migrate-off.yaml');
  await client.open(uri, text);
  await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'ingress-nginx-retired'));
  await client.configure({ rules: { 'ingress-nginx-retired': 'off' } });
  try {
    // the server re-checks open documents when the settings change
    const diags = await client.waitForDiagnostics(
      uri,
      (d) => !d.some((x) => x.code === 'ingress-nginx-retired'),
    );
    assert.ok(
      diags.some((d) => d.code === 'ingress-tls-secret-missing'),
      'the other findings stay',
    );
    const line = text.split('\n').indexOf('  ingressClassName: nginx');
    const actions =
      (await client.conn.sendRequest<{ title: string }[] | null>('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: { line, character: 4 }, end: { line, character: 4 } },
        context: { diagnostics: [] },
      })) ?? [];
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Migrate this Ingress to Gateway API'],
      'the refactoring stays without the notice',
    );
    await client.close(uri);
  } finally {
    await client.configure({});
  }
});
