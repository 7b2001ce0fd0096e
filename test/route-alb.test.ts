// Route resolution on an AWS load balancer (engine/route/alb.ts). The AWS Load Balancer Controller's
// documentation and source: Ingresses of a group are written into the listener by group.order (0 when
// unset, equal orders by namespace/name); within an Ingress, its rules as listed and in each rule Exact
// paths, then Prefix paths longest first, then ImplementationSpecific as listed; the ALB takes the
// first rule whose host and path conditions hold. A rule without host has no host condition.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceIndex } from '../server/src/workspace/index';
import { parseFile } from '../server/src/syntax/file';
import { resourcesOf } from '../server/src/model/resource';
import { buildCluster } from '../server/src/model/cluster';
import { resolveRoute } from '../server/src/engine/route';

function clusterOf(text: string) {
  const index = new WorkspaceIndex();
  index.setFile(
    'file:///alb.yaml',
    parseFile(text).docs.flatMap((d) => resourcesOf(d)),
  );
  return buildCluster(index);
}

interface Rule {
  host?: string;
  paths: [path: string, pathType: string, service: string][];
}

function ingress(name: string, annotations: Record<string, string>, rules: Rule[], cls = 'alb'): string {
  const ann = Object.entries(annotations)
    .map(([k, v]) => `    ${k}: "${v}"`)
    .join('\n');
  return `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: shop
${ann ? `  annotations:\n${ann}\n` : ''}spec:
  ingressClassName: ${cls}
  rules:
${rules
  .map(
    (r) => `  - ${r.host ? `host: "${r.host}"\n    ` : ''}http:
      paths:
${r.paths
  .map(
    ([p, t, s]) => `      - path: ${p}
        pathType: ${t}
        backend:
          service:
            name: ${s}
            port:
              number: 80
`,
  )
  .join('')}`,
  )
  .join('')}`;
}

const ALB_CLASS = `---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: alb
spec:
  controller: ingress.k8s.aws/alb
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
spec:
  controller: k8s.io/ingress-nginx
`;
const GROUP = 'alb.ingress.kubernetes.io/group.name';
const ORDER = 'alb.ingress.kubernetes.io/group.order';

test('ALB group: the Ingress with the lower group.order takes the request, even with a shorter path', () => {
  const cluster = clusterOf(
    ALB_CLASS +
      ingress('catch-all', { [GROUP]: 'shop', [ORDER]: '-10' }, [
        { host: 'shop.example.com', paths: [['/', 'Prefix', 'home']] },
      ]) +
      ingress('api', { [GROUP]: 'shop', [ORDER]: '10' }, [
        { host: 'shop.example.com', paths: [['/api', 'Prefix', 'api']] },
      ]),
  );
  const r = resolveRoute(cluster, 'http://shop.example.com/api/users');
  assert.deepEqual(r.match?.backend, { service: 'home', port: 80 });
  assert.equal(r.match?.ingress, 'shop/catch-all');
  assert.match(
    r.match!.why,
    /^first matching Prefix rule of the ALB listener \(rule 1 of 2 for this host on the ALB of group shop;/,
  );
  assert.ok(
    r.notes.includes(
      "the Ingress API's precedence (most specific host, then longest path) would pick Prefix /api of Ingress shop/api; the ALB takes the first rule of its listener that matches",
    ),
    r.notes.join('\n'),
  );
  assert.deepEqual(r.conflicts, []);
  // swap the orders: the longer path comes first and takes /api
  const swapped = clusterOf(
    ALB_CLASS +
      ingress('catch-all', { [GROUP]: 'shop', [ORDER]: '10' }, [
        { host: 'shop.example.com', paths: [['/', 'Prefix', 'home']] },
      ]) +
      ingress('api', { [GROUP]: 'shop' }, [{ host: 'shop.example.com', paths: [['/api', 'Prefix', 'api']] }]),
  );
  assert.deepEqual(resolveRoute(swapped, 'http://shop.example.com/api/users').match?.backend, {
    service: 'api',
    port: 80,
  });
  assert.deepEqual(resolveRoute(swapped, 'http://shop.example.com/cart').match?.backend, {
    service: 'home',
    port: 80,
  });
});

test('ALB group: equal group.order falls back to namespace/name order', () => {
  const cluster = clusterOf(
    ALB_CLASS +
      ingress('b-api', { [GROUP]: 'shop' }, [
        { host: 'shop.example.com', paths: [['/api', 'Prefix', 'api']] },
      ]) +
      ingress('a-home', { [GROUP]: 'shop' }, [
        { host: 'shop.example.com', paths: [['/', 'Prefix', 'home']] },
      ]),
  );
  assert.equal(resolveRoute(cluster, 'http://shop.example.com/api').match?.ingress, 'shop/a-home');
});

test('ALB: a rule without host earlier in the listener takes requests for every host', () => {
  const cluster = clusterOf(
    ALB_CLASS +
      ingress('first', { [GROUP]: 'edge', [ORDER]: '1' }, [{ paths: [['/health', 'Exact', 'health']] }]) +
      ingress('site', { [GROUP]: 'edge', [ORDER]: '2' }, [
        { host: 'www.example.com', paths: [['/', 'Prefix', 'site']] },
      ]),
  );
  const r = resolveRoute(cluster, 'http://www.example.com/health');
  assert.deepEqual(r.match?.backend, { service: 'health', port: 80 });
  assert.equal(r.match?.hostMatch, 'any');
  // other paths of the host reach its own rule
  assert.deepEqual(resolveRoute(cluster, 'http://www.example.com/about').match?.backend, {
    service: 'site',
    port: 80,
  });
});

test('ALB: a wildcard host condition matches any number of leading labels', () => {
  const cluster = clusterOf(
    ALB_CLASS + ingress('wild', {}, [{ host: '*.example.com', paths: [['/', 'Prefix', 'wild']] }]),
  );
  assert.deepEqual(resolveRoute(cluster, 'http://a.b.example.com/').match?.backend, {
    service: 'wild',
    port: 80,
  });
  // the Ingress API's wildcard is one label: ingress-nginx does not serve a.b.example.com
  const nginx = clusterOf(
    ALB_CLASS + ingress('wild', {}, [{ host: '*.example.com', paths: [['/', 'Prefix', 'wild']] }], 'nginx'),
  );
  assert.equal(resolveRoute(nginx, 'http://a.b.example.com/').match, null);
});

test('ALB: within one rule, Exact, then Prefix longest first, whatever the listed order', () => {
  const cluster = clusterOf(
    ALB_CLASS +
      ingress('web', {}, [
        {
          host: 'shop.example.com',
          paths: [
            ['/', 'Prefix', 'home'],
            ['/api', 'Prefix', 'api'],
            ['/api/v1', 'Exact', 'v1'],
          ],
        },
      ]),
  );
  const at = (p: string) =>
    JSON.stringify(resolveRoute(cluster, `http://shop.example.com${p}`).match?.backend);
  assert.equal(at('/api/v1'), '{"service":"v1","port":80}');
  assert.equal(at('/api/v1/x'), '{"service":"api","port":80}');
  assert.equal(at('/x'), '{"service":"home","port":80}');
});

test('ALB: two load balancers with rules for one host: the request goes to one, and the note says DNS decides', () => {
  const cluster = clusterOf(
    ALB_CLASS +
      ingress('one', {}, [{ host: 'shop.example.com', paths: [['/', 'Prefix', 'one']] }]) +
      ingress('two', {}, [{ host: 'shop.example.com', paths: [['/', 'Prefix', 'two']] }]),
  );
  const r = resolveRoute(cluster, 'http://shop.example.com/');
  assert.equal(r.match?.ingress, 'shop/one');
  assert.ok(
    r.notes.includes(
      '2 AWS load balancers have rules for shop.example.com (the ALB of Ingress shop/one, the ALB of Ingress shop/two); DNS decides which receives the request, the ALB of Ingress shop/one is shown',
    ),
    r.notes.join('\n'),
  );
});

test('ingress-nginx keeps the Ingress API precedence for the same Ingresses', () => {
  const cluster = clusterOf(
    ALB_CLASS +
      ingress(
        'catch-all',
        { [ORDER]: '-10' },
        [{ host: 'shop.example.com', paths: [['/', 'Prefix', 'home']] }],
        'nginx',
      ) +
      ingress(
        'api',
        { [ORDER]: '10' },
        [{ host: 'shop.example.com', paths: [['/api', 'Prefix', 'api']] }],
        'nginx',
      ),
  );
  const r = resolveRoute(cluster, 'http://shop.example.com/api/users');
  assert.deepEqual(r.match?.backend, { service: 'api', port: 80 });
  assert.match(r.match!.why, /^longest Prefix match/);
});
