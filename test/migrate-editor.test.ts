// "Migrate to Gateway API" in the editor, through the built language server: the retirement notice of
// an ingress-nginx Ingress (when enabled) carries the migration as its code action, and the request
// behind the client's command answers with the YAML and the probe summary for the diff editor's title.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LspClient, ROOT } from './support/lsp-client';
import { MIGRATE_COMMAND, MIGRATE_METHOD } from '../server/src/protocol/migrate';
import type { MigrateResult } from '../server/src/protocol/migrate';

let client: LspClient;
before(async () => {
  client = await LspClient.start({ rules: { 'ingress-nginx-retired': 'information' } });
});
after(async () => {
  await client.stop();
});

test('migrate in the editor: the code action of the retirement notice, and the migration request', async () => {
  const text = readFileSync(path.join(ROOT, 'test', 'fixtures', 'migrate-gateway', 'basic-tls', 'input.yaml'), 'utf8');
  const uri = client.uriFor('migrate-basic-tls.yaml');
  await client.open(uri, text);
  const diags = await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'ingress-nginx-retired'));
  const notice = diags.find((x) => x.code === 'ingress-nginx-retired')!;
  assert.equal(notice.severity, 3);
  const actions = await client.codeActions(uri, [notice]);
  const migrate = actions.find((a) => a.title === 'Migrate to Gateway API');
  assert.ok(migrate, 'the notice offers the migration');
  assert.equal(migrate.command?.command, MIGRATE_COMMAND);
  assert.deepEqual(migrate.command?.arguments, [{ scope: 'ingress', uri, ingress: 'shop/shop' }]);

  const result = await client.conn.sendRequest<MigrateResult>(MIGRATE_METHOD, { scope: 'ingress', uri, ingress: 'shop/shop', gatewayClass: 'eg' });
  assert.equal(result.yaml, readFileSync(path.join(ROOT, 'test', 'fixtures', 'migrate-gateway', 'basic-tls', 'expected.yaml'), 'utf8'));
  assert.match(result.title, /^Migrate to Gateway API: 1 Ingress, \d+ probes, 0 differences$/);
  assert.equal(result.probes.differences.length, 0);
  const file = await client.conn.sendRequest<MigrateResult>(MIGRATE_METHOD, { scope: 'file', uri });
  assert.match(file.yaml, /gatewayClassName: gateway/);
  await assert.rejects(client.conn.sendRequest(MIGRATE_METHOD, { scope: 'ingress', uri }), /expected/);
  await client.close(uri);
});
