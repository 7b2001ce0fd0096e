// Editor features over TLS/TCP/UDP routes and Services behind Gateway routes, through the language
// service: the hover summary of a TLSRoute and a TCPRoute (which connections it takes, TLS mode,
// backends), and a Service's CodeLens counting the Gateway routes that send traffic to it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextWorkspace } from '../server/src/service/documents';
import { createLanguageService } from '../server/src/service/language-service';
import { languageSettings, normalizeSettings } from '../server/src/lsp/settings';

function workspace(files: Record<string, string>) {
  const ws = new TextWorkspace(undefined, () => 5e6);
  const service = createLanguageService(ws);
  service.configure(languageSettings(normalizeSettings({})));
  for (const [name, text] of Object.entries(files)) ws.set(`file:///gw/${name}`, text);
  return service;
}

const GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
  namespace: infra
spec:
  gatewayClassName: example
  listeners:
  - name: db
    protocol: TLS
    port: 443
    hostname: "*.db.example.com"
    tls:
      mode: Passthrough
    allowedRoutes:
      namespaces:
        from: All
  - name: pg
    protocol: TCP
    port: 5432
    allowedRoutes:
      namespaces:
        from: All
  - name: web
    protocol: HTTP
    port: 80
    allowedRoutes:
      namespaces:
        from: All
`;

const ROUTES = `apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata:
  name: orders-db
  namespace: shop
spec:
  parentRefs:
  - name: edge
    namespace: infra
    sectionName: db
  hostnames:
  - orders.db.example.com
  rules:
  - backendRefs:
    - name: orders
      port: 5432
---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata:
  name: orders-pg
  namespace: shop
spec:
  parentRefs:
  - name: edge
    namespace: infra
    sectionName: pg
  rules:
  - backendRefs:
    - name: orders
      port: 5432
      weight: 3
    - name: orders-replica
      port: 5432
      weight: 1
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: orders-web
  namespace: shop
spec:
  parentRefs:
  - name: edge
    namespace: infra
    sectionName: web
  rules:
  - backendRefs:
    - name: orders
      port: 5432
`;

const SERVICES = `apiVersion: v1
kind: Service
metadata:
  name: orders
  namespace: shop
spec:
  ports:
  - name: pg
    port: 5432
---
apiVersion: v1
kind: Service
metadata:
  name: lonely
  namespace: shop
spec:
  ports:
  - port: 80
`;

function hoverAt(service: ReturnType<typeof workspace>, file: string, line: number): string {
  const h = service.doHover(`file:///gw/${file}`, { line, character: 8 });
  return h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
}

test('hover on a TLSRoute says it takes connections by SNI, that the listener passes TLS through, and where they go', () => {
  const s = workspace({ 'gateway.yaml': GATEWAY, 'routes.yaml': ROUTES, 'services.yaml': SERVICES });
  const md = hoverAt(s, 'routes.yaml', 1);
  assert.match(md, /\*\*TLSRoute `shop\/orders-db`\*\* in plain words/);
  assert.match(md, /Gateway `infra\/edge` listener `db` — \*\*attached\*\* to `db`/);
  assert.match(
    md,
    /Takes TLS connections by their SNI .* Its listeners pass TLS through: the backend gets the encrypted stream/,
  );
  assert.match(md, /1\. sends it to `orders:5432`/);
});

test('hover on a TCPRoute: every connection of the port, the oldest route wins, the weighted split', () => {
  const s = workspace({ 'gateway.yaml': GATEWAY, 'routes.yaml': ROUTES, 'services.yaml': SERVICES });
  const md = hoverAt(s, 'routes.yaml', 18);
  assert.match(md, /\*\*TCPRoute `shop\/orders-pg`\*\*/);
  assert.match(
    md,
    /Takes every TCP connection that reaches its listener's port: .* the oldest \(then the first by namespace\/name\) takes them all/,
  );
  assert.match(md, /1\. sends it to `orders:5432` \(75%\), `orders-replica:5432` \(25%\)/);
});

test("a Service's CodeLens counts the Gateway routes that send to it, and lists their backendRefs", () => {
  const s = workspace({ 'gateway.yaml': GATEWAY, 'routes.yaml': ROUTES, 'services.yaml': SERVICES });
  const lenses = s.getCodeLenses('file:///gw/services.yaml');
  assert.deepEqual(
    lenses.map((l) => l.command?.title),
    ['3 Gateway routes send here · no selector', 'no ingress routes here · no selector'],
  );
  const locations = lenses[0].command?.arguments?.[2] as {
    uri: string;
    range: { start: { line: number } };
  }[];
  assert.deepEqual(
    locations.map((l) => `${l.uri.split('/').pop()}:${l.range.start.line}`),
    ['routes.yaml:14', 'routes.yaml:29', 'routes.yaml:48'],
  );
});
