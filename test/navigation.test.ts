// Go to definition, find references and CodeLens through the protocol, over a multi-file workspace
// (test/fixtures/navigation/shop) that the server indexes from disk; some files are also opened.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location, Position } from 'vscode-languageserver-protocol';
import { LspClient, ROOT } from './support/lsp-client';
import { cursorIn, rangeIn } from './support/text-position';

const DIR = path.join(ROOT, 'test', 'fixtures', 'navigation', 'shop');
const uriOf = (file: string) => pathToFileURL(path.join(DIR, file)).toString();
const textOf = (file: string) => readFileSync(path.join(DIR, file), 'utf8');

/** A location in a fixture file, as the server should answer it. */
function loc(file: string, needle: string, part = needle, nth = 0): Location {
  return { uri: uriOf(file), range: rangeIn(textOf(file), needle, part, nth) };
}

/** A cursor one character into `part` of the nth `needle`. */
function at(file: string, needle: string, part = needle, nth = 0): Position {
  return cursorIn(currentText(file), needle, part, nth);
}

const byPlace = (a: Location, b: Location) =>
  a.uri.localeCompare(b.uri) ||
  a.range.start.line - b.range.start.line ||
  a.range.start.character - b.range.start.character;
const sorted = (l: Location[]) => [...l].sort(byPlace);

let client: LspClient;
const opened = new Map<string, string>();
function currentText(file: string): string {
  return opened.get(file) ?? textOf(file);
}

async function open(file: string): Promise<string> {
  const uri = uriOf(file);
  if (!opened.has(file)) {
    opened.set(file, textOf(file));
    await client.open(uri, textOf(file));
    await client.diagnostics(uri);
  }
  return uri;
}

before(async () => {
  client = await LspClient.start(
    {},
    { workspaceFolders: [{ uri: pathToFileURL(DIR).toString(), name: 'shop' }] },
  );
  await client.waitFor(
    () => client.logs.some((l) => /indexed \d+ YAML files/.test(l)),
    'the workspace index',
  );
});
after(async () => {
  await client.stop();
});

// ---------------------------------------------------------------------------------------------------
// Go to definition

test('definition: backend service name → the Service in a file that is only on disk', async () => {
  const uri = await open('ingress.yaml');
  const got = await client.definition(uri, at('ingress.yaml', 'name: api', 'api'));
  assert.deepEqual(got, [loc('services.yaml', '  name: api\n', 'api')]);
});

test('definition: backend port name → that port of the Service; a port number → the numbered port', async () => {
  const uri = await open('ingress.yaml');
  assert.deepEqual(await client.definition(uri, at('ingress.yaml', 'name: http', 'http')), [
    loc('services.yaml', '- name: http', 'http'),
  ]);
  // `number: 80` of the web backend: the web Service's port 80, not the api Service's
  assert.deepEqual(await client.definition(uri, at('ingress.yaml', 'number: 80', '80')), [
    loc('services.yaml', '- port: 80', '80'),
  ]);
});

test('definition: secretName → the Secret, ingressClassName → the IngressClass', async () => {
  const uri = await open('ingress.yaml');
  assert.deepEqual(await client.definition(uri, at('ingress.yaml', 'secretName: shop-tls', 'shop-tls')), [
    loc('cluster.yaml', 'name: shop-tls', 'shop-tls'),
  ]);
  assert.deepEqual(await client.definition(uri, at('ingress.yaml', 'ingressClassName: nginx', 'nginx')), [
    loc('cluster.yaml', 'name: nginx', 'nginx'),
  ]);
});

test('definition: a named targetPort → the container ports of every workload the Service selects', async () => {
  const uri = await open('services.yaml');
  const got = await client.definition(uri, at('services.yaml', 'targetPort: http', 'http'));
  assert.deepEqual(sorted(got), [
    loc('workloads.yaml', '- name: http', 'http', 0),
    loc('workloads.yaml', '- name: http', 'http', 1),
  ]);
});

test('definition: a numeric targetPort → the containerPort of the selected workload only', async () => {
  const uri = await open('services.yaml');
  const got = await client.definition(uri, at('services.yaml', 'targetPort: 8080', '8080'));
  // Deployment api also declares 8080 but the web Service does not select it
  assert.deepEqual(got, [loc('workloads.yaml', 'containerPort: 8080', '8080', 1)]);
});

test('definition: a named port of a NetworkPolicy rule → that port on the destination pods (egress: the peers; ingress: the selected pods)', async () => {
  const uri = await open('named-ports.yaml');
  const egress = await client.definition(uri, at('named-ports.yaml', 'port: http', 'http', 0));
  assert.deepEqual(sorted(egress), [
    loc('workloads.yaml', '- name: http', 'http', 0),
    loc('workloads.yaml', '- name: http', 'http', 1),
  ]);
  const ingress = await client.definition(uri, at('named-ports.yaml', 'port: http', 'http', 1));
  assert.deepEqual(ingress, [loc('workloads.yaml', '- name: http', 'http', 1)]);
});

test('definition: nothing where there is no reference (a path, an unknown Service)', async () => {
  const uri = await open('ingress.yaml');
  assert.deepEqual(await client.definition(uri, at('ingress.yaml', 'path: /api', '/api')), []);
  const other = client.uriFor('navigation-unknown.yaml');
  const text =
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: x\n  namespace: shop\nspec:\n  defaultBackend:\n    service:\n      name: nowhere\n      port:\n        number: 80\n';
  await client.open(other, text);
  await client.diagnostics(other);
  assert.deepEqual(await client.definition(other, { line: 8, character: 14 }), []);
});

test('definition as links for clients that support them: the origin range covers the whole name', async () => {
  const linked = await LspClient.start(
    {},
    { workspaceFolders: [{ uri: pathToFileURL(DIR).toString(), name: 'shop' }], definitionLinks: true },
  );
  try {
    await linked.waitFor(
      () => linked.logs.some((l) => /indexed \d+ YAML files/.test(l)),
      'the workspace index',
    );
    const uri = uriOf('ingress.yaml');
    await linked.open(uri, textOf('ingress.yaml'));
    await linked.diagnostics(uri);
    const target = loc('cluster.yaml', 'name: shop-tls', 'shop-tls');
    assert.deepEqual(
      await linked.definitionLinks(uri, cursorIn(textOf('ingress.yaml'), 'secretName: shop-tls', 'tls')),
      [
        {
          originSelectionRange: rangeIn(textOf('ingress.yaml'), 'secretName: shop-tls', 'shop-tls'),
          targetUri: target.uri,
          targetRange: target.range,
          targetSelectionRange: target.range,
        },
      ],
    );
  } finally {
    await linked.stop();
  }
});

// ---------------------------------------------------------------------------------------------------
// Find references

test('references: a Service → the Ingress backends that route to it, in both Ingress files', async () => {
  const uri = await open('services.yaml');
  const expected = [loc('admin-ingress.yaml', 'name: api', 'api'), loc('ingress.yaml', 'name: api', 'api')];
  assert.deepEqual(
    sorted(await client.references(uri, at('services.yaml', '  name: api\n', 'api'))),
    expected,
  );
  // anywhere on the Service (here its ports) gives the same; with the declaration when asked
  assert.deepEqual(
    sorted(await client.references(uri, at('services.yaml', 'port: 80', 'port'), true)),
    sorted([...expected, loc('services.yaml', '  name: api\n', 'api')]),
  );
});

test('references: a Service selector → the workloads it selects', async () => {
  const uri = await open('services.yaml');
  const got = await client.references(uri, at('services.yaml', 'selector:', 'selector'));
  assert.deepEqual(sorted(got), [
    loc('workloads.yaml', '  name: api\n', 'api'),
    loc('workloads.yaml', 'name: api-canary', 'api-canary'),
  ]);
});

test('references: a Secret → the tls entries naming it', async () => {
  const uri = await open('cluster.yaml');
  const got = await client.references(uri, at('cluster.yaml', 'name: shop-tls', 'shop-tls'));
  assert.deepEqual(sorted(got), [
    loc('admin-ingress.yaml', 'secretName: shop-tls', 'shop-tls'),
    loc('ingress.yaml', 'secretName: shop-tls', 'shop-tls'),
  ]);
});

test('references: a workload → the Services and NetworkPolicies that select it', async () => {
  const uri = await open('workloads.yaml');
  const got = await client.references(uri, at('workloads.yaml', 'kind: Deployment', 'Deployment', 0));
  assert.deepEqual(sorted(got), [
    loc('policies.yaml', 'podSelector:', 'podSelector', 0), // api-from-web: app=api
    loc('policies.yaml', 'podSelector: {}', 'podSelector'), // scrape-or: every pod of the namespace
    loc('services.yaml', 'selector:', 'selector', 0),
  ]);
});

test('references: a NetworkPolicy podSelector → the workloads it selects; a peer → the workloads it admits', async () => {
  const uri = await open('policies.yaml');
  const selected = await client.references(uri, at('policies.yaml', 'podSelector:', 'podSelector', 0));
  assert.deepEqual(sorted(selected), [
    loc('workloads.yaml', '  name: api\n', 'api'),
    loc('workloads.yaml', 'name: api-canary', 'api-canary'),
  ]);
  // scrape-and's single AND item: prometheus in the monitoring namespace
  const and = await client.references(uri, at('policies.yaml', 'namespaceSelector:', 'namespaceSelector', 1));
  assert.deepEqual(and, [loc('cluster.yaml', 'name: prometheus', 'prometheus')]);
  // scrape-or's podSelector item alone means the policy's own namespace: nothing there is prometheus
  const or = await client.references(
    uri,
    at(
      'policies.yaml',
      '- podSelector:\n            matchLabels:\n              app: prometheus',
      'podSelector',
    ),
  );
  assert.deepEqual(or, []);
});

test('references: from a backend service name, the other backends of that Service', async () => {
  const uri = await open('admin-ingress.yaml');
  const got = await client.references(uri, at('admin-ingress.yaml', 'name: api', 'api'), true);
  assert.deepEqual(sorted(got), [
    loc('admin-ingress.yaml', 'name: api', 'api'),
    loc('ingress.yaml', 'name: api', 'api'),
    loc('services.yaml', '  name: api\n', 'api'),
  ]);
});

// ---------------------------------------------------------------------------------------------------
// CodeLens

/** Line of the nth resource of a file (its apiVersion), where its lens sits. */
function startOf(file: string, nth: number): number {
  return rangeIn(textOf(file), 'apiVersion:', 'apiVersion:', nth).start.line;
}

async function lenses(file: string) {
  const uri = await open(file);
  const got = await client.codeLens(uri);
  return got.map((l) => ({
    line: l.range.start.line,
    title: l.command?.title,
    command: l.command?.command,
    args: l.command?.arguments,
  }));
}

test('CodeLens over Services counts the Ingresses routing there and the workloads selected; it lists them', async () => {
  const got = await lenses('services.yaml');
  assert.deepEqual(
    got.map((l) => [l.line, l.title]),
    [
      [startOf('services.yaml', 0), '2 ingresses route here · selects 2 workloads'],
      [startOf('services.yaml', 1), '1 ingress routes here · selects 1 workload'],
    ],
  );
  const api = got[0];
  assert.equal(api.command, 'editor.action.showReferences');
  assert.equal(api.args![0], uriOf('services.yaml'));
  assert.deepEqual(api.args![1], { line: 0, character: 0 });
  assert.deepEqual(sorted(api.args![2] as Location[]), [
    loc('admin-ingress.yaml', 'name: api', 'api'),
    loc('ingress.yaml', 'name: api', 'api'),
    loc('workloads.yaml', '  name: api\n', 'api'),
    loc('workloads.yaml', 'name: api-canary', 'api-canary'),
  ]);
});

test('CodeLens over Ingresses and NetworkPolicies', async () => {
  assert.deepEqual(
    (await lenses('ingress.yaml')).map((l) => [l.line, l.title]),
    [[startOf('ingress.yaml', 0), '2 paths → 2 services']],
  );
  assert.deepEqual(
    (await lenses('admin-ingress.yaml')).map((l) => l.title),
    ['default backend → 1 service'],
  );
  const policies = await lenses('policies.yaml');
  assert.deepEqual(
    policies.map((l) => [l.line, l.title]),
    [
      [startOf('policies.yaml', 0), 'selects 2 workloads · allows from 1 peer'],
      [startOf('policies.yaml', 1), 'selects 3 workloads · allows from 2 peers'],
      [startOf('policies.yaml', 2), 'selects 1 workload · allows from 1 peer · denies all egress'],
    ],
  );
  assert.deepEqual(policies[2].args![2], [loc('workloads.yaml', '  name: web\n', 'web')]);
});

test('CodeLens counts follow edits: in another file (after a refresh request) and in the same file', async () => {
  const ingress = await open('admin-ingress.yaml');
  await open('services.yaml');
  const refreshes = client.codeLensRefreshes;
  const edited = currentText('admin-ingress.yaml').replace('      name: api\n', '      name: web\n');
  opened.set('admin-ingress.yaml', edited);
  await client.change(ingress, edited);
  await client.waitFor(() => client.codeLensRefreshes > refreshes, 'a codeLens refresh request');
  assert.deepEqual(
    (await lenses('services.yaml')).map((l) => l.title),
    ['1 ingress routes here · selects 2 workloads', '2 ingresses route here · selects 1 workload'],
  );

  const services = uriOf('services.yaml');
  const narrowed = currentText('services.yaml').replace(
    '    app: api\n',
    '    app: api\n    track: canary\n',
  );
  opened.set('services.yaml', narrowed);
  await client.change(services, narrowed);
  await client.diagnostics(services);
  assert.deepEqual(
    (await lenses('services.yaml')).map((l) => l.title),
    ['1 ingress routes here · selects 1 workload', '2 ingresses route here · selects 1 workload'],
  );

  // back as it was, for the other tests
  opened.set('admin-ingress.yaml', textOf('admin-ingress.yaml'));
  opened.set('services.yaml', textOf('services.yaml'));
  await client.change(ingress, textOf('admin-ingress.yaml'));
  await client.change(services, textOf('services.yaml'));
  await client.diagnostics(services);
  assert.deepEqual(
    (await lenses('services.yaml')).map((l) => l.title),
    ['2 ingresses route here · selects 2 workloads', '1 ingress routes here · selects 1 workload'],
  );
});

test('broken or partial YAML: navigation answers nothing, never crashes', async () => {
  const uri = client.uriFor('navigation-broken.yaml');
  const text =
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: [unclosed\nspec:\n  selector: {app: \n  ports:\n    - targetPort: {x: 1}\n';
  await client.open(uri, text);
  await client.diagnostics(uri);
  for (let line = 0; line < 8; line++) {
    await client.definition(uri, { line, character: 4 });
    await client.references(uri, { line, character: 4 }, true);
  }
  await client.codeLens(uri);
  assert.equal(client.exited, false);
});
