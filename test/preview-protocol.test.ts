// The routing preview's requests through the real protocol (dist/server.js over stdio): scope, params
// validation, diagnostics on graph nodes, URL test and cell explanation edge cases.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient } from './support/lsp-client';
import { PreviewMethod } from '../server/src/protocol/preview';
import type {
  ExplainCellResult,
  ReachMatrixResult,
  RouteGraph,
  TestUrlResult,
} from '../server/src/protocol/preview';

const APP = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: app
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx
        ports:
        - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: app
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-all
  namespace: app
spec:
  podSelector: {}
  policyTypes:
  - Ingress
`;

const INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: front
  namespace: app
spec:
  defaultBackend:
    service:
      name: web
      port:
        number: 80
  rules:
  - host: app.example.com
    http:
      paths:
      - path: /api
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
`;

const OTHER = `apiVersion: v1
kind: Service
metadata:
  name: lonely
  namespace: other
spec:
  type: LoadBalancer
  ports:
  - port: 443
`;

describe('routing preview requests', () => {
  let c: LspClient;
  let app: string;
  let ing: string;
  let other: string;

  before(async () => {
    c = await LspClient.start({});
    app = c.uriFor('preview-app.yaml');
    ing = c.uriFor('preview-ingress.yaml');
    other = c.uriFor('preview-other.yaml');
    await c.open(app, APP);
    await c.open(ing, INGRESS);
    await c.open(other, OTHER);
    await c.diagnostics(app);
    await c.diagnostics(ing);
  });

  after(async () => {
    await c.stop();
  });

  const graph = (params: object) => c.conn.sendRequest<RouteGraph>(PreviewMethod.routeGraph, params);

  test('scope "file" keeps what the file defines, what it routes to and what routes to it', async () => {
    const ids = (g: RouteGraph) => g.nodes.map((n) => n.id).sort();
    assert.deepEqual(ids(await graph({ scope: 'file', uri: ing })), [
      'default:app/front',
      'host:app.example.com',
      'path:app/front/0/0',
      'svc:app/web',
      'wl:Deployment/app/web',
    ]);
    // the Service file: the Ingress that routes to it comes along, the unrelated LoadBalancer does not
    assert.deepEqual(ids(await graph({ scope: 'file', uri: app })), [
      'default:app/front',
      'host:app.example.com',
      'path:app/front/0/0',
      'svc:app/web',
      'wl:Deployment/app/web',
    ]);
    const all = await graph({ scope: 'workspace' });
    assert.ok(
      all.nodes.some((n) => n.id === 'entry:other/lonely' && n.label === 'LoadBalancer'),
      'a LoadBalancer Service is an entry point',
    );
    assert.deepEqual(all.namespaces, ['app', 'other']);
    assert.deepEqual(all.hosts, ['app.example.com']);
  });

  test("a NetworkPolicy that drops the ingress controller's traffic shows on the workload it isolates", async () => {
    const g = await graph({ scope: 'file', uri: ing });
    const w = g.nodes.find((n) => n.id === 'wl:Deployment/app/web')!;
    const p = w.problems.find((x) => x.code === 'netpol-ingress-controller-blocked');
    assert.ok(p, `problems on the workload: ${JSON.stringify(w.problems)}`);
    assert.equal(p.location?.uri, app);
  });

  test('the URL tester falls back to the default backend and lights it up', async () => {
    const r = await c.conn.sendRequest<TestUrlResult>(PreviewMethod.testUrl, {
      url: 'http://app.example.com/other',
    });
    assert.equal(r.matched, true);
    assert.equal(r.matchKind, 'default-backend');
    assert.deepEqual(r.highlight.nodes, [
      'host:app.example.com',
      'default:app/front',
      'svc:app/web',
      'wl:Deployment/app/web',
    ]);
    assert.match(r.summary, /default backend of Ingress app\/front/);
  });

  test('an invalid URL is explained, not thrown', async () => {
    const r = await c.conn.sendRequest<TestUrlResult>(PreviewMethod.testUrl, {
      url: 'ftp://app.example.com/',
    });
    assert.equal(r.matched, false);
    assert.match(r.summary, /"ftp:\/\/" is not an HTTP URL/);
  });

  test('an unknown workload in a cell explanation comes back as an error with a suggestion', async () => {
    const r = await c.conn.sendRequest<ExplainCellResult>(PreviewMethod.explainCell, {
      from: 'app/wbe',
      to: 'app/web',
      port: 8080,
      protocol: 'TCP',
    });
    assert.equal(r.allowed, false);
    assert.match(r.error ?? '', /no Pod or workload "app\/wbe".*did you mean app\/web\?/);
  });

  test('malformed parameters are rejected with InvalidParams and the reason', async () => {
    await assert.rejects(
      c.conn.sendRequest(PreviewMethod.routeGraph, { scope: 'file' }),
      /kubeNetlens\/routeGraph: scope "file" needs a uri/,
    );
    await assert.rejects(
      c.conn.sendRequest(PreviewMethod.reachMatrix, { scope: 'workspace', port: 70000, protocol: 'TCP' }),
      /port must be a number from 1 to 65535/,
    );
    await assert.rejects(
      c.conn.sendRequest(PreviewMethod.explainCell, { from: 1, to: 'x', port: 80, protocol: 'TCP' }),
      /from and to must be strings/,
    );
    // the server is still answering
    assert.ok((await graph({ scope: 'workspace' })).nodes.length > 0);
    await assert.rejects(
      c.conn.sendRequest(PreviewMethod.testUrl, { url: 'http://x/', implementationSpecific: 'glob' }),
      /implementationSpecific must be "prefix", "exact" or "regex"/,
    );
  });

  test('the URL tester in regex mode says which path it could not evaluate instead of guessing', async () => {
    const re = c.uriFor('preview-regex.yaml');
    await c.open(
      re,
      `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: regex
  namespace: app
spec:
  rules:
  - host: re.example.com
    http:
      paths:
      - path: /(v[0-9])/\\1
        pathType: ImplementationSpecific
        backend:
          service:
            name: web
            port:
              number: 80
      - path: /(a+)+$
        pathType: ImplementationSpecific
        backend:
          service:
            name: web
            port:
              number: 80
`,
    );
    await c.diagnostics(re);
    const r = await c.conn.sendRequest<TestUrlResult>(PreviewMethod.testUrl, {
      url: 'http://re.example.com/v1/v1',
      implementationSpecific: 'regex',
    });
    assert.equal(r.matched, false);
    assert.deepEqual(r.notes, [
      'path /(v[0-9])/\\1 of Ingress app/regex cannot be evaluated as a regular expression: it uses a backreference \\1, a PCRE construct that the linear-time matcher used here does not evaluate; it is left out, so a request it matches may be shown going elsewhere',
    ]);
    const evil = await c.conn.sendRequest<TestUrlResult>(PreviewMethod.testUrl, {
      url: `http://re.example.com/${'a'.repeat(40)}`,
      implementationSpecific: 'regex',
    });
    assert.equal(evil.matched, true);
    assert.equal(evil.matchKind, 'regex');
  });
});

describe('the reachability preview follows the kubeNetlens.cni setting', () => {
  const POLICY = `apiVersion: v1
kind: Pod
metadata:
  name: api
  namespace: shop
  labels: {app: api}
spec:
  containers:
  - name: api
    image: example/api
    ports:
    - containerPort: 8080
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  labels: {app: web}
spec:
  containers:
  - name: web
    image: example/web
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-all
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress]
`;
  let c: LspClient;
  let uri: string;
  before(async () => {
    c = await LspClient.start({ cni: 'flannel' });
    uri = c.uriFor('preview-cni.yaml');
    await c.open(uri, POLICY);
    await c.diagnostics(uri);
  });
  after(async () => {
    await c.stop();
  });

  test('Flannel enforces no policy: the matrix allows, the explanation says the policy is inert; another plugin denies', async () => {
    const cell = async () => {
      const m = await c.conn.sendRequest<ReachMatrixResult>(PreviewMethod.reachMatrix, {
        scope: 'workspace',
        port: 8080,
        protocol: 'TCP',
      });
      return m.allowed[m.workloads.findIndex((w) => w.name === 'shop/web')][
        m.workloads.findIndex((w) => w.name === 'shop/api')
      ];
    };
    assert.equal(await cell(), true);
    const why = await c.conn.sendRequest<ExplainCellResult>(PreviewMethod.explainCell, {
      from: 'shop/web',
      to: 'shop/api',
      port: 8080,
      protocol: 'TCP',
    });
    assert.equal(why.allowed, true);
    assert.match(
      why.chain?.join('\n') ?? '',
      /ingress: calico:default NetworkPolicy shop\/deny-all → inert|NetworkPolicy shop\/deny-all → inert/,
    );
    assert.ok(
      (await c.diagnostics(uri)).some((d) => d.code === 'cni-unsupported'),
      'the inert policy is reported under Flannel',
    );
    await c.configure({ cni: 'calico' });
    // the setting has reached the server once the inert-policy diagnostic is gone
    await c.waitForDiagnostics(uri, (ds) => !ds.some((d) => d.code === 'cni-unsupported'));
    assert.equal(await cell(), false);
    const denied = await c.conn.sendRequest<ExplainCellResult>(PreviewMethod.explainCell, {
      from: 'shop/web',
      to: 'shop/api',
      port: 8080,
      protocol: 'TCP',
    });
    assert.equal(denied.allowed, false);
    assert.match(denied.reasons.map((r) => r.message).join('\n'), /deny-all/);
  });
});

describe('the reachability preview: the diagonal is the service hairpin verdict, and its "why"', () => {
  const TEXT = `apiVersion: v1
kind: Pod
metadata:
  name: api
  namespace: shop
  labels: {app: api}
spec:
  containers:
  - name: api
    image: example/api
    ports:
    - {containerPort: 8080, name: http}
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  labels: {app: web}
spec:
  containers:
  - name: web
    image: example/web
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  selector: {app: api}
  ports:
  - {port: 80, targetPort: http}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-all
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress]
`;
  let c: LspClient;
  before(async () => {
    c = await LspClient.start({ cni: 'calico' });
    const uri = c.uriFor('preview-hairpin.yaml');
    await c.open(uri, TEXT);
    await c.diagnostics(uri);
  });
  after(async () => {
    await c.stop();
  });

  test('Calico polices hairpin traffic: the api row is denied on its own diagonal, through Service shop/api', async () => {
    const m = await c.conn.sendRequest<ReachMatrixResult>(PreviewMethod.reachMatrix, {
      scope: 'workspace',
      port: 8080,
      protocol: 'TCP',
    });
    const api = m.workloads.findIndex((w) => w.name === 'shop/api');
    const web = m.workloads.findIndex((w) => w.name === 'shop/web');
    assert.equal(m.allowed[api][api], false);
    assert.equal(m.tiers?.[api][api], 'NetworkPolicy');
    assert.equal(m.allowed[web][web], null, 'no Service sends the port back to web');
    assert.deepEqual(m.hairpin?.[api], 'shop/api');
    assert.equal(m.hairpin?.[web], null);
    const why = await c.conn.sendRequest<ExplainCellResult>(PreviewMethod.explainCell, {
      from: 'shop/api',
      to: 'shop/api',
      port: 8080,
      protocol: 'TCP',
      service: 'shop/api',
    });
    assert.equal(why.allowed, false);
    assert.equal(why.service, 'shop/api');
    assert.match(
      why.reasons.flatMap((r) => r.details).join('\n'),
      /service hairpin: the admin and baseline tiers apply to it/,
    );
    // the same pod to its own address, without the Service: no policy applies
    const self = await c.conn.sendRequest<ExplainCellResult>(PreviewMethod.explainCell, {
      from: 'shop/api',
      to: 'shop/api',
      port: 8080,
      protocol: 'TCP',
    });
    assert.equal(self.allowed, true);
  });
});
