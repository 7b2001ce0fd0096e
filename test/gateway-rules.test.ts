// Gateway API cross-resource rules beyond their fixture folders: the quick fixes (applied through the
// language service, the text after the fix checked, and the finding gone), and the listener certificate
// checked against its hostname with a certificate generated here.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { TextWorkspace } from '../server/src/service/documents';
import { createLanguageService } from '../server/src/service/language-service';
import { languageSettings, normalizeSettings } from '../server/src/lsp/settings';
import { applyEdits, editsOf } from './support/lsp-client';
import { makeCertificate, tlsSecretYaml } from './support/certs';

function workspace(files: Record<string, string>) {
  const settings = normalizeSettings({});
  const ws = new TextWorkspace(undefined, () => 5e6);
  const service = createLanguageService(ws);
  service.configure(languageSettings(settings));
  for (const [name, text] of Object.entries(files)) ws.set(`file:///gw/${name}`, text);
  return {
    ws,
    service,
    diagnostics: (name: string, code?: string): Diagnostic[] =>
      service.doValidation(`file:///gw/${name}`).filter((d) => !code || d.code === code),
    /** Applies the fix with this title to the finding, updates the file and returns its new text. */
    fix(name: string, d: Diagnostic, title: string | RegExp): string {
      const uri = `file:///gw/${name}`;
      const actions = service.getCodeActions(uri, d.range, { diagnostics: [d] });
      const a = actions.find((x) => (typeof title === 'string' ? x.title === title : title.test(x.title)));
      assert.ok(a, `fix "${title}" among ${actions.map((x) => x.title).join(' | ')}`);
      const text = applyEdits(ws.file(uri)!.document.getText(), editsOf(a!, uri));
      ws.set(uri, text);
      return text;
    },
  };
}

const GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: shared
  namespace: infra
spec:
  gatewayClassName: example
  listeners:
  - name: public
    protocol: HTTP
    port: 80
    hostname: "*.example.com"
    allowedRoutes:
      namespaces:
        from: All
  - name: internal
    protocol: HTTP
    port: 80
    hostname: "*.corp.example.org"
    allowedRoutes:
      namespaces:
        from: All
`;

test('a sectionName whose listener refuses the hostnames is pointed at the listener that accepts them', () => {
  const route = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: wiki
  namespace: docs
spec:
  parentRefs:
  - name: shared
    namespace: infra
    sectionName: public
  hostnames:
  - wiki.corp.example.org
  rules:
  - backendRefs:
    - name: wiki
      port: 80
`;
  const w = workspace({ 'gateway.yaml': GATEWAY, 'route.yaml': route });
  const [d] = w.diagnostics('route.yaml', 'route-parent-not-accepted');
  assert.match(
    String(d.message),
    /listener "public" of Gateway infra\/shared serves host \*\.example\.com, and none of the route's hostnames \(wiki\.corp\.example\.org\) falls under it/,
  );
  const text = w.fix('route.yaml', d, 'Attach to listener "internal" (*.corp.example.org)');
  assert.match(text, /sectionName: internal\n/);
  assert.deepEqual(w.diagnostics('route.yaml', 'route-parent-not-accepted'), []);
});

test('a cross-namespace backendRef gets the ReferenceGrant it needs, after which it resolves', () => {
  const route = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: checkout
  namespace: shop
spec:
  rules:
  - backendRefs:
    - name: billing
      namespace: payments
      port: 443
`;
  const svc = `apiVersion: v1
kind: Service
metadata:
  name: billing
  namespace: payments
spec:
  ports:
  - port: 443
`;
  const GRANT =
    /^---\napiVersion: gateway\.networking\.k8s\.io\/v1beta1\nkind: ReferenceGrant\nmetadata:\n  name: allow-shop-httproutes-to-billing\n  namespace: payments\nspec:\n  from:\n  - group: gateway\.networking\.k8s\.io\n    kind: HTTPRoute\n    namespace: shop\n  to:\n  - group: ""\n    kind: Service\n    name: billing\n$/;
  // the Service is in the workspace: the grant goes into its file, right after it (its namespace)
  const other = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: later\n  namespace: payments\n`;
  const w = workspace({ 'route.yaml': route, 'svc.yaml': svc + '---\n' + other });
  const [d] = w.diagnostics('route.yaml', 'route-backend-not-resolved');
  assert.equal(d.severity, 1);
  const actions = w.service.getCodeActions('file:///gw/route.yaml', d.range, { diagnostics: [d] });
  const a = actions.find(
    (x) =>
      x.title ===
      'Add a ReferenceGrant in namespace payments allowing this HTTPRoute (in svc.yaml, next to Service billing)',
  );
  assert.ok(a, actions.map((x) => x.title).join(' | '));
  assert.deepEqual(editsOf(a!, 'file:///gw/route.yaml'), [], 'the route is left as it was');
  const svcText = applyEdits(
    w.ws.file('file:///gw/svc.yaml')!.document.getText(),
    editsOf(a!, 'file:///gw/svc.yaml'),
  );
  assert.ok(svcText.startsWith(svc), 'the Service is left as it was');
  assert.ok(svcText.endsWith('---\n' + other), 'the next document follows the grant');
  assert.match(svcText.slice(svc.length, svcText.length - other.length - 4), GRANT);
  w.ws.set('file:///gw/svc.yaml', svcText);
  assert.deepEqual(
    w.diagnostics('route.yaml').map((x) => `${x.code}: ${x.message}`),
    [],
  );
  assert.deepEqual(
    w.diagnostics('svc.yaml').map((x) => `${x.code}: ${x.message}`),
    [],
  );

  // the Service is not in the workspace: the grant is appended to the route's file
  const alone = workspace({
    'route.yaml': route,
    'other.yaml': `apiVersion: v1\nkind: Service\nmetadata:\n  name: ledger\n  namespace: payments\nspec:\n  ports:\n  - port: 80\n`,
  });
  const [d2] = alone.diagnostics('route.yaml', 'route-backend-not-resolved');
  const text = alone.fix(
    'route.yaml',
    d2,
    'Add a ReferenceGrant in namespace payments allowing this HTTPRoute',
  );
  assert.ok(text.startsWith(route), 'the route is left as it was');
  assert.match(text.slice(route.length), GRANT);
});

test('a backendRef port the Service does not have is changed to its one port', () => {
  const route = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: store
spec:
  rules:
  - backendRefs:
    - name: store
      port: 8080
`;
  const svc =
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: store\nspec:\n  ports:\n  - port: 80\n    targetPort: 8080\n';
  const w = workspace({ 'route.yaml': route, 'svc.yaml': svc });
  const [d] = w.diagnostics('route.yaml', 'route-backend-not-resolved');
  assert.equal(
    String(d.message),
    'Backend port: Service default/store has no port 8080 (its ports: 80); its requests get HTTP 500',
  );
  assert.match(w.fix('route.yaml', d, 'Change port to 80'), /      port: 80\n$/);
  assert.deepEqual(w.diagnostics('route.yaml', 'route-backend-not-resolved'), []);
});

test('listener certificate against its hostname: a wildcard certificate covers one label, the listener wildcard any number', async () => {
  const wildcard = await makeCertificate({ dnsNames: ['*.example.com'] });
  const exact = await makeCertificate({ dnsNames: ['shop.example.com'] });
  const gateway = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
spec:
  gatewayClassName: example
  listeners:
  - name: wildcard
    protocol: HTTPS
    port: 443
    hostname: "*.example.com"
    tls:
      certificateRefs:
      - name: wildcard-cert
  - name: shop
    protocol: HTTPS
    port: 443
    hostname: shop.example.com
    tls:
      certificateRefs:
      - name: wildcard-cert
  - name: deep
    protocol: HTTPS
    port: 443
    hostname: eu.shop.example.com
    tls:
      certificateRefs:
      - name: exact-cert
`;
  const w = workspace({
    'gateway.yaml': gateway,
    'secrets.yaml': `${tlsSecretYaml('wildcard-cert', wildcard)}---\n${tlsSecretYaml('exact-cert', exact)}`,
  });
  const found = w.diagnostics('gateway.yaml', 'listener-certificate-invalid');
  assert.deepEqual(
    found.map((d) => `${d.range.start.line}: ${String(d.message)}`),
    [
      `24: The certificate in Secret "exact-cert" does not cover host "eu.shop.example.com": its subject alternative names are shop.example.com`,
    ],
  );
  assert.deepEqual(
    w.diagnostics('secrets.yaml').filter((d) => (d.severity ?? 1) <= 2),
    [],
    'the Secrets themselves are fine',
  );
});

test('CodeLens: a Gateway counts its attached and refused routes, a route names its listeners', () => {
  const routes = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: public
  namespace: shop
spec:
  parentRefs:
  - name: shared
    namespace: infra
  hostnames:
  - www.example.com
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: wiki
  namespace: docs
spec:
  parentRefs:
  - name: shared
    namespace: infra
    sectionName: public
  hostnames:
  - wiki.corp.example.org
`;
  const w = workspace({ 'gateway.yaml': GATEWAY, 'routes.yaml': routes });
  const gw = w.service.getCodeLenses('file:///gw/gateway.yaml');
  assert.deepEqual(
    gw.map((l) => l.command?.title),
    ['1 route attached · 1 refused'],
  );
  assert.equal((gw[0].command?.arguments?.[2] as unknown[]).length, 2, 'both routes listed');
  const rl = w.service.getCodeLenses('file:///gw/routes.yaml').map((l) => l.command?.title);
  assert.deepEqual(rl, [
    'attached to infra/shared (public) · refused by infra/shared (internal)',
    'refused by infra/shared (public)',
  ]);
});

test('hover on a Gateway lists the routes of each listener and the refused ones with their reason', () => {
  const route = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: wiki
  namespace: docs
spec:
  parentRefs:
  - name: shared
    namespace: infra
    sectionName: public
  hostnames:
  - wiki.corp.example.org
`;
  const w = workspace({ 'gateway.yaml': GATEWAY, 'route.yaml': route });
  const h = w.service.doHover('file:///gw/gateway.yaml', { line: 1, character: 8 });
  const md = h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
  assert.match(
    md,
    /`public`: HTTP on port 80, host `\*\.example\.com` \(any number of labels in front\), any host|`public`: HTTP on port 80, host `\*\.example\.com`/,
  );
  assert.match(
    md,
    /routes: none; refused: `docs\/wiki` \(listener "public" of Gateway infra\/shared serves host \\\*\.example\.com, and none of the route's hostnames \(wiki\.corp\.example\.org\) falls under it\)/,
  );
  const r = w.service.doHover('file:///gw/route.yaml', { line: 1, character: 8 });
  const rmd = r && typeof r.contents === 'object' && 'value' in r.contents ? r.contents.value : '';
  assert.match(
    rmd,
    /- Gateway `infra\/shared` listener `public` — \*\*refused\*\*: listener "public" of Gateway infra\/shared serves host/,
  );
});

test('a Service backendRef without port gets the port of the Service; duplicate parentRefs get a free sectionName', () => {
  const route = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: store
  namespace: infra
spec:
  parentRefs:
  - name: shared
    sectionName: public
  - name: shared
  rules:
  - backendRefs:
    - name: store
      weight: 1
`;
  const svc =
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: store\n  namespace: infra\nspec:\n  ports:\n  - port: 8080\n';
  const w = workspace({ 'gateway.yaml': GATEWAY, 'route.yaml': route, 'svc.yaml': svc });
  const [port] = w.diagnostics('route.yaml', 'route-backend-port-missing');
  let text = w.fix('route.yaml', port, 'Add port: 8080');
  assert.match(text, /    - name: store\n      weight: 1\n      port: 8080\n$/);
  const [dup] = w.diagnostics('route.yaml', 'route-parent-ref-duplicate');
  text = w.fix('route.yaml', dup, 'Add sectionName: internal');
  assert.match(
    text,
    /  - name: shared\n    sectionName: public\n  - name: shared\n    sectionName: internal\n/,
  );
  assert.deepEqual(
    w
      .diagnostics('route.yaml')
      .filter((d) => (d.severity ?? 1) <= 2)
      .map((d) => `${d.code}: ${String(d.message)}`),
    [],
  );
});

test('references: a Gateway lists the parentRefs naming it, a Service the route backendRefs, a Secret the certificateRefs', () => {
  const route = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: store
  namespace: infra
spec:
  parentRefs:
  - name: shared
  rules:
  - backendRefs:
    - name: store
      port: 8080
`;
  const svc =
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: store\n  namespace: infra\nspec:\n  ports:\n  - port: 8080\n';
  const w = workspace({ 'gateway.yaml': GATEWAY, 'route.yaml': route, 'svc.yaml': svc });
  const gwRefs =
    w.service.findReferences(
      'file:///gw/gateway.yaml',
      { line: 3, character: 9 },
      { includeDeclaration: false },
    ) ?? [];
  assert.deepEqual(
    gwRefs.map((l) => `${l.uri.slice(l.uri.lastIndexOf('/') + 1)}:${l.range.start.line}`),
    ['route.yaml:7'],
  );
  const svcRefs =
    w.service.findReferences(
      'file:///gw/svc.yaml',
      { line: 3, character: 9 },
      { includeDeclaration: false },
    ) ?? [];
  assert.deepEqual(
    svcRefs.map(
      (l) => `${l.uri.slice(l.uri.lastIndexOf('/') + 1)}:${l.range.start.line}:${l.range.start.character}`,
    ),
    ['route.yaml:10:12'],
  );
});
