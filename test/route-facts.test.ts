// The facts along a route that used to have two wordings (a workload at 0 replicas, a numeric
// targetPort no container declares, a tls entry without secretName, a kubernetes.io/tls Secret without
// tls.key) are worded and graded once: the Problems panel, the routing preview, the URL tester and
// `kube-netlens route` say the same. The preview follows the user's per-rule severities, and the TLS
// hover words a missing Secret as its rule does.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './support/lsp-client';
import { TextWorkspace } from '../server/src/service/documents';
import { createLanguageService, DEFAULT_LANGUAGE_SETTINGS } from '../server/src/service/language-service';
import { buildCluster } from '../server/src/model/cluster';
import { resolveRoute } from '../server/src/engine/route';
import { routeGraphView, testUrl } from '../server/src/lsp/preview';
import type { PreviewHost } from '../server/src/lsp/preview';
import { escapeMarkdown } from '../server/src/protocol/escape';

const URI = 'file:///ws/shop.yaml';
const TEXT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 0
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx
        ports:
        - {name: http, containerPort: 8080}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 9090
---
apiVersion: v1
kind: Secret
metadata: {name: shop-tls, namespace: shop}
type: kubernetes.io/tls
stringData:
  tls.crt: pending
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: shop}
spec:
  ingressClassName: nginx
  tls:
  - hosts: [a.example.com]
    secretName: shop-tls
  - hosts: [b.example.com]
  - hosts: [c.example.com]
    secretName: gone
  rules:
  - host: a.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
      - {path: /cart, pathType: Prefix, backend: {service: {name: cart, port: {number: 80}}}}
  - host: b.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
`;

const SEVERITY = ['', 'error', 'warning', 'information', 'hint'];
const text = (m: string | { value: string }) => (typeof m === 'string' ? m : m.value);

function setup(severities: Record<string, 'error' | 'warning' | 'information' | 'hint' | 'off'> = {}) {
  const ws = new TextWorkspace();
  const doc = ws.set(URI, TEXT);
  const service = createLanguageService(ws, {
    ...DEFAULT_LANGUAGE_SETTINGS,
    check: { ...DEFAULT_LANGUAGE_SETTINGS.check, severities },
  });
  const diagnostics = service.doValidation(URI);
  const host: PreviewHost = {
    index: ws.index,
    flush: () => undefined,
    positionOf: (uri, offset) => ws.positionOf(uri, offset),
    openDiagnostics: () => [{ uri: URI, diagnostics, offsetAt: (p) => doc.offsetAt(p) }],
    severities: () => severities,
  };
  const cluster = buildCluster(ws.index);
  return { ws, doc, service, diagnostics, host, cluster };
}

test('each fact has one wording and one severity in the Problems panel, the preview and the route', () => {
  const { diagnostics, host, cluster } = setup();
  const diag = (code: string) =>
    diagnostics.filter((d) => d.code === code).map((d) => [SEVERITY[d.severity!], text(d.message)]);
  const graph = routeGraphView(cluster, host, { scope: 'workspace' });
  const node = (id: string) => graph.nodes.find((n) => n.id === id)!;
  const a = resolveRoute(cluster, 'https://a.example.com/');
  const b = resolveRoute(cluster, 'https://b.example.com/');

  // a workload at 0 replicas: information, the same sentence in the preview and the route
  const replicas = 'Deployment shop/web has 0 replicas: no pod serves its routes';
  assert.deepEqual(
    node('wl:Deployment/shop/web')
      .problems.filter((p) => !p.code)
      .map((p) => [p.severity, p.message]),
    [['information', replicas]],
  );
  assert.ok(a.notes.includes(replicas), a.notes.join('\n'));

  // a numeric targetPort no container declares: rule service-target-port, information, everywhere
  const [[sev, targetPort]] = diag('service-target-port');
  assert.equal(sev, 'information');
  assert.match(targetPort, /declares port 9090 \(they declare 8080\)/);
  const edge = graph.edges.find((e) => e.id === 'svc:shop/web->wl:Deployment/shop/web')!;
  assert.deepEqual(
    edge.problems.map((p) => [p.code, p.severity, p.message]),
    [['service-target-port', 'information', targetPort]],
  );
  assert.ok(a.notes.includes(targetPort), a.notes.join('\n'));
  assert.ok(!a.notes.some((n) => n.includes('declares no container port')), 'the former wording is gone');

  // a tls entry without secretName: the host's lock and the route's note say the same
  const noSecret =
    "the tls entry of Ingress shop/shop names no secretName: the controller's default certificate is used";
  assert.deepEqual(node('host:b.example.com').tls, { state: 'warning', message: noSecret });
  assert.ok(b.notes.includes(noSecret), b.notes.join('\n'));

  // a kubernetes.io/tls Secret without tls.key: rule secret-tls-keys, an error, in the route too
  assert.deepEqual(diag('secret-tls-keys'), [['error', 'A kubernetes.io/tls Secret must contain tls.key']]);
  assert.deepEqual(
    a.problems.filter((p) => p.step === 'tls').map((p) => [p.ruleId, p.severity, p.message]),
    [['secret-tls-keys', 'error', 'A kubernetes.io/tls Secret must contain tls.key']],
  );
});

test('the preview graph and the URL tester follow the per-rule severity settings', () => {
  const before = setup();
  const missing = (g: ReturnType<typeof routeGraphView>) =>
    g.nodes.find((n) => n.id === 'svc:shop/cart')!.problems.map((p) => [p.code, p.severity]);
  assert.deepEqual(missing(routeGraphView(before.cluster, before.host, { scope: 'workspace' })), [
    ['ingress-backend-service-missing', 'warning'],
  ]);
  assert.deepEqual(
    testUrl(before.cluster, before.host, { url: 'http://a.example.com/cart' })
      .problems.filter((p) => p.code !== 'secret-tls-keys')
      .map((p) => [p.code, p.severity]),
    [['ingress-backend-service-missing', 'warning']],
  );

  const after = setup({ 'ingress-backend-service-missing': 'error', 'service-target-port': 'off' });
  assert.deepEqual(
    after.diagnostics
      .filter((d) => d.code === 'ingress-backend-service-missing')
      .map((d) => SEVERITY[d.severity!]),
    ['error'],
  );
  const g = routeGraphView(after.cluster, after.host, { scope: 'workspace' });
  assert.deepEqual(missing(g), [['ingress-backend-service-missing', 'error']]);
  assert.deepEqual(
    testUrl(after.cluster, after.host, { url: 'http://a.example.com/cart' })
      .problems.filter((p) => p.code !== 'secret-tls-keys')
      .map((p) => [p.code, p.severity]),
    [['ingress-backend-service-missing', 'error']],
  );
  // a rule turned off shows nowhere
  assert.equal(g.edges.find((e) => e.id === 'svc:shop/web->wl:Deployment/shop/web')!.problems.length, 0);
  assert.equal(after.diagnostics.filter((d) => d.code === 'service-target-port').length, 0);
});

test('the TLS hover on a missing Secret says what rule ingress-tls-secret-missing says', () => {
  const { diagnostics, service, doc } = setup();
  const d = diagnostics.find((x) => x.code === 'ingress-tls-secret-missing')!;
  assert.match(text(d.message), /^Secret "gone" is not defined in namespace "shop"/);
  const hover = service.doHover(
    URI,
    doc.positionAt(TEXT.indexOf('secretName: gone') + 'secretName: g'.length),
  );
  const shown = (hover?.contents as { value: string }).value;
  assert.equal(shown, `**TLS Secret** \`shop/gone\`\n\n${escapeMarkdown(text(d.message))}`);
});

test('each of these facts is worded in exactly one source file', () => {
  const files = sourceFiles(path.join(ROOT, 'server', 'src')).map((f) => ({
    f: path.relative(ROOT, f),
    text: readFileSync(f, 'utf8'),
  }));
  for (const part of [
    'has 0 replicas: no pod serves',
    "names no secretName: the controller's default certificate is used",
    'A kubernetes.io/tls Secret must contain',
  ]) {
    assert.deepEqual(
      files.filter((x) => x.text.includes(part)).map((x) => x.f),
      ['server/src/engine/route/facts.ts'],
      part,
    );
  }
  for (const old of [
    'declares no container port',
    'TLS without a secretName',
    'no pod serves this route',
    'is not defined in the workspace.',
  ]) {
    assert.deepEqual(
      files.filter((x) => x.text.includes(old)).map((x) => x.f),
      [],
      `the former wording "${old}" is gone`,
    );
  }
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return name === 'generated' ? [] : sourceFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}
