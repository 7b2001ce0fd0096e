// Gateway API in the editor, through the protocol: completion of workspace values (Gateways, listener
// sectionNames, Services and ports, TLS Secrets, GatewayClasses, kinds and apiVersions), hover (channel
// of an apiVersion, the wildcard rule, plain summaries of an HTTPRoute and a Gateway), and the
// resource snippets, which expand to manifests without errors or warnings.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LspClient, ROOT } from './support/lsp-client';
import { cursor } from './support/fixture';
import { GATEWAY_SNIPPETS } from '../server/src/features/snippets-gateway';
import { TextWorkspace } from '../server/src/service/documents';
import { createLanguageService } from '../server/src/service/language-service';
import { languageSettings, normalizeSettings } from '../server/src/lsp/settings';

const INFRA = readFileSync(path.join(ROOT, 'test', 'fixtures', 'gateway-editor', 'infra.yaml'), 'utf8');
let client: LspClient;
let n = 0;

before(async () => {
  client = await LspClient.start();
  const uri = client.uriFor('gateway-editor-infra.yaml');
  await client.open(uri, INFRA);
  await client.diagnostics(uri);
});
after(async () => {
  await client.stop();
});

async function completeAt(textWithCursor: string) {
  const c = cursor(textWithCursor);
  const uri = client.uriFor(`gateway-editor-${n++}.yaml`);
  await client.open(uri, c.text);
  await client.diagnostics(uri);
  const items = await client.completion(uri, { line: c.line, character: c.character });
  await client.close(uri);
  return items;
}

async function hoverAt(textWithCursor: string): Promise<string> {
  const c = cursor(textWithCursor);
  const uri = client.uriFor(`gateway-editor-${n++}.yaml`);
  await client.open(uri, c.text);
  await client.diagnostics(uri);
  const h = await client.hover(uri, { line: c.line, character: c.character });
  await client.close(uri);
  return h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
}

const ROUTE_HEAD =
  'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: store\n  namespace: web\nspec:\n';

test('parentRefs: Gateway names of the route namespace, then the listeners of the named Gateway', async () => {
  const names = await completeAt(ROUTE_HEAD + '  parentRefs:\n  - name: $0\n');
  assert.deepEqual(
    names.map((i) => [i.label, i.detail]),
    [['shared', 'Gateway with 2 listeners']],
  );
  assert.match(JSON.stringify(names[0].documentation), /Gateway web\/shared in gateway-editor-infra\.yaml/);
  const sections = await completeAt(ROUTE_HEAD + '  parentRefs:\n  - name: shared\n    sectionName: $0\n');
  assert.deepEqual(
    sections.map((i) => [i.label, i.detail]),
    [
      ['http', 'listener http: HTTP 80'],
      ['https', 'listener https: HTTPS 443 *.example.com'],
    ],
  );
  const ports = await completeAt(ROUTE_HEAD + '  parentRefs:\n  - name: shared\n    port: $0\n');
  assert.deepEqual(
    ports.map((i) => i.label),
    ['80', '443'],
  );
  // another namespace holds no Gateway
  const none = await completeAt(ROUTE_HEAD + '  parentRefs:\n  - name: $0\n    namespace: other\n');
  assert.deepEqual(
    none.map((i) => i.label),
    [],
  );
});

test('backendRefs: Services of the namespace with their ports', async () => {
  const names = await completeAt(ROUTE_HEAD + '  rules:\n  - backendRefs:\n    - name: $0\n');
  assert.deepEqual(
    names.map((i) => [i.label, i.detail]),
    [['store', 'Service, ports 8080, 9090']],
  );
  const ports = await completeAt(
    ROUTE_HEAD + '  rules:\n  - backendRefs:\n    - name: store\n      port: $0\n',
  );
  assert.deepEqual(
    ports.map((i) => [i.label, i.detail]),
    [
      ['8080', 'port http (TCP → 80)'],
      ['9090', 'port admin (TCP)'],
    ],
  );
  // a backend of another kind is not a Service
  const other = await completeAt(
    ROUTE_HEAD +
      '  rules:\n  - backendRefs:\n    - kind: Bucket\n      group: storage.example.com\n      name: $0\n',
  );
  assert.deepEqual(
    other.map((i) => i.label),
    [],
  );
});

test('Gateway: GatewayClass names and TLS Secrets for certificateRefs (kubernetes.io/tls first)', async () => {
  const head =
    'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: gw\n  namespace: web\nspec:\n';
  const classes = await completeAt(head + '  gatewayClassName: $0\n');
  assert.deepEqual(
    classes.map((i) => [i.label, i.detail]),
    [['envoy', 'GatewayClass (gateway.envoyproxy.io/gatewayclass-controller)']],
  );
  const secrets = await completeAt(
    head +
      '  gatewayClassName: envoy\n  listeners:\n  - name: https\n    protocol: HTTPS\n    port: 443\n    tls:\n      certificateRefs:\n      - name: $0\n',
  );
  const sorted = [...secrets].sort((a, b) => String(a.sortText).localeCompare(String(b.sortText)));
  assert.deepEqual(
    sorted.map((i) => [i.label, i.detail]),
    [
      ['wildcard-tls', 'Secret (kubernetes.io/tls)'],
      ['db-password', 'Secret (Opaque)'],
    ],
  );
});

test('kind and apiVersion values: Gateway API kinds and the versions of the standard channel', async () => {
  const kinds = (await completeAt('apiVersion: gateway.networking.k8s.io/v1\nkind: $0\n')).map(
    (i) => i.label,
  );
  for (const k of ['Gateway', 'HTTPRoute', 'GRPCRoute', 'ReferenceGrant', 'TLSRoute'])
    assert.ok(kinds.includes(k), `${k} in ${kinds.join(', ')}`);
  const versions = (await completeAt('apiVersion: $0\nkind: HTTPRoute\n')).map((i) => i.label);
  assert.deepEqual(versions, ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1beta1']);
});

test('enum values and filter fields come from the schema', async () => {
  const types = (await completeAt(ROUTE_HEAD + '  rules:\n  - filters:\n    - type: $0\n')).map(
    (i) => i.label,
  );
  for (const t of ['RequestHeaderModifier', 'RequestRedirect', 'URLRewrite', 'RequestMirror'])
    assert.ok(types.includes(t), t);
  const fields = (
    await completeAt(
      ROUTE_HEAD +
        '  rules:\n  - filters:\n    - type: RequestRedirect\n      requestRedirect:\n        $0\n',
    )
  ).map((i) => i.label);
  assert.deepEqual([...fields].sort(), ['hostname', 'path', 'port', 'scheme', 'statusCode']);
});

test('hover: apiVersion channel, the wildcard rule on hostnames, summaries of a route and a Gateway', async () => {
  const api = await hoverAt(
    'apiVersion: gateway.networking.k8s.io/v1alp$0ha2\nkind: TLSRoute\nmetadata:\n  name: t\n',
  );
  assert.match(api, /Served only by the \*\*experimental channel\*\*/);
  const host = await hoverAt(ROUTE_HEAD + '  hostnames:\n  - "*.exa$0mple.com"\n');
  assert.match(host, /any number of labels in front \(`a\.example\.com` and `a\.b\.example\.com`\)/);
  assert.match(host, /An \*\*Ingress\*\* host `\*\.example\.com` matches exactly one label/);
  const route = await hoverAt(
    'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTP$0Route\nmetadata:\n  name: store\n  namespace: web\nspec:\n  parentRefs:\n  - name: shared\n    sectionName: https\n  hostnames:\n  - shop.example.com\n  rules:\n  - matches:\n    - path:\n        type: PathPrefix\n        value: /api\n      headers:\n      - name: env\n        value: canary\n    filters:\n    - type: URLRewrite\n      urlRewrite:\n        path:\n          type: ReplacePrefixMatch\n          replacePrefixMatch: /\n    backendRefs:\n    - name: store\n      port: 8080\n      weight: 3\n    - name: store-v2\n      port: 8080\n      weight: 1\n',
  );
  assert.match(route, /- Gateway `web\/shared` listener `https` — \*\*attached\*\* to `https`/);
  assert.match(
    route,
    /1\. path under `\/api` and header `env` = `canary` → rewrites path `\/` in place of the matched prefix before forwarding; sends it to `store:8080` \(75%\), `store-v2:8080` \(25%\)/,
  );
  const gw = await hoverAt(INFRA.replace('kind: Gateway\n', 'kind: Gate$0way\n'));
  assert.match(
    gw,
    /`https`: HTTPS on port 443, host `\*\.example\.com` \(any number of labels in front\), terminates TLS with `web\/wildcard-tls`; admits routes of namespace `web` only; routes: none/,
  );
});

test('empty document: the Gateway API snippets are offered', async () => {
  const labels = (await completeAt('$0')).filter((i) => i.kind === 15).map((i) => i.label);
  for (const s of GATEWAY_SNIPPETS) assert.ok(labels.includes(s.label), s.label);
});

test('every Gateway API snippet, defaults accepted, gets no error or warning', () => {
  const settings = normalizeSettings({});
  const workspace = new TextWorkspace(undefined, () => 5e6);
  const service = createLanguageService(workspace);
  service.configure(languageSettings(settings));
  for (const [i, s] of GATEWAY_SNIPPETS.entries()) {
    const text = s.body.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$0/g, '') + '\n';
    const uri = `file:///snippets/${i}.yaml`;
    workspace.set(uri, text);
    const bad = service.doValidation(uri).filter((d) => (d.severity ?? 1) <= 2);
    assert.deepEqual(
      bad.map((d) => `${d.code}: ${d.message}`),
      [],
      s.label,
    );
  }
});

test('definition: parentRef name, sectionName and port; backendRef name and port; certificateRef; gatewayClassName', async () => {
  const infraUri = client.uriFor('gateway-editor-infra.yaml');
  const line = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle));
  const route =
    ROUTE_HEAD +
    '  parentRefs:\n  - name: shared\n    sectionName: https\n    port: 443\n  rules:\n  - backendRefs:\n    - name: store\n      port: 9090\n';
  const uri = client.uriFor('gateway-editor-definition.yaml');
  await client.open(uri, route);
  await client.diagnostics(uri);
  const at = async (needle: string, col: number) =>
    (await client.definition(uri, { line: line(route, needle), character: col })).map(
      (l) => `${l.uri === infraUri ? 'infra' : l.uri}:${l.range.start.line}:${l.range.start.character}`,
    );
  assert.deepEqual(await at('- name: shared', 10), [`infra:${line(INFRA, '  name: shared')}:8`]);
  assert.deepEqual(await at('sectionName: https', 18), [`infra:${line(INFRA, '- name: https')}:10`]);
  assert.deepEqual(await at('port: 443', 11), [`infra:${line(INFRA, 'port: 443')}:10`]);
  assert.deepEqual(await at('- name: store', 13), [`infra:${line(INFRA, '  name: store')}:8`]);
  assert.deepEqual(await at('port: 9090', 13), [`infra:${line(INFRA, 'port: 9090')}:10`]);
  await client.close(uri);
  const gwLine = line(INFRA, 'gatewayClassName: envoy');
  assert.deepEqual(
    (await client.definition(infraUri, { line: gwLine, character: 22 })).map((l) => l.range.start.line),
    [line(INFRA, '  name: envoy')],
  );
  const certLine = line(INFRA, '- name: wildcard-tls');
  assert.deepEqual(
    (await client.definition(infraUri, { line: certLine, character: 16 })).map((l) => l.range.start.line),
    [line(INFRA, '  name: wildcard-tls')],
  );
});

test('ListenerSet parentRef: the Gateways of its namespace, those that accept no ListenerSet last', async () => {
  const uri = client.uriFor('gateway-editor-listenerset-gateways.yaml');
  await client.open(
    uri,
    'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: open\n  namespace: web\nspec:\n  gatewayClassName: envoy\n  allowedListeners:\n    namespaces:\n      from: Same\n  listeners:\n  - name: http\n    protocol: HTTP\n    port: 8080\n',
  );
  await client.diagnostics(uri);
  const items = await completeAt(
    'apiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\nmetadata:\n  name: extra\n  namespace: web\nspec:\n  parentRef:\n    name: $0\n',
  );
  await client.close(uri);
  const sorted = [...items].sort((a, b) => String(a.sortText).localeCompare(String(b.sortText)));
  assert.deepEqual(
    sorted.map((i) => [i.label, i.detail]),
    [
      ['open', 'Gateway, allowedListeners from Same'],
      ['shared', 'Gateway, allowedListeners from None'],
    ],
  );
  assert.match(JSON.stringify(sorted[1].documentation), /accepts no ListenerSet until that changes/);
});

test('BackendTLSPolicy: target Services, their port names as sectionName, CA ConfigMaps with ca.crt first', async () => {
  const uri = client.uriFor('gateway-editor-configmaps.yaml');
  await client.open(
    uri,
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: store-ca\n  namespace: web\ndata:\n  ca.crt: |\n    -----BEGIN CERTIFICATE-----\n    -----END CERTIFICATE-----\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: web\ndata:\n  mode: fast\n',
  );
  await client.diagnostics(uri);
  const head =
    'apiVersion: gateway.networking.k8s.io/v1\nkind: BackendTLSPolicy\nmetadata:\n  name: store-tls\n  namespace: web\nspec:\n';
  const targets = await completeAt(head + '  targetRefs:\n  - group: ""\n    kind: Service\n    name: $0\n');
  assert.deepEqual(
    targets.map((i) => [i.label, i.detail]),
    [['store', 'Service, ports http, admin']],
  );
  const sections = await completeAt(
    head + '  targetRefs:\n  - group: ""\n    kind: Service\n    name: store\n    sectionName: $0\n',
  );
  assert.deepEqual(
    sections.map((i) => [i.label, i.detail]),
    [
      ['http', 'port 8080 (TCP)'],
      ['admin', 'port 9090 (TCP)'],
    ],
  );
  const cas = await completeAt(
    head +
      '  targetRefs:\n  - group: ""\n    kind: Service\n    name: store\n  validation:\n    hostname: store.web.svc\n    caCertificateRefs:\n    - group: ""\n      kind: ConfigMap\n      name: $0\n',
  );
  await client.close(uri);
  const sorted = [...cas].sort((a, b) => String(a.sortText).localeCompare(String(b.sortText)));
  assert.deepEqual(
    sorted.map((i) => [i.label, i.detail]),
    [
      ['store-ca', 'ConfigMap with ca.crt'],
      ['settings', 'ConfigMap (no ca.crt key)'],
    ],
  );
});
