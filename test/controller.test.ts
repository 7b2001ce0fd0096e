// Which controller serves an Ingress (engine/controller.ts), from the controllers' own documentation:
// ingress-nginx and NGINX Inc answer to IngressClasses with their spec.controller and to the class
// annotation; the AWS Load Balancer Controller merges Ingresses by group.name; GKE reads only the
// kubernetes.io/ingress.class annotation (gce, gce-internal) and ignores spec.ingressClassName, and
// serves Ingresses that set neither.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  annotationController,
  controllerOfIngress,
  decideController,
  nginxControllerConfig,
} from '../server/src/engine/controller';
import type { ControllerClass, ControllerInput } from '../server/src/engine/controller';
import { buildCluster } from '../server/src/model/cluster';
import { ingressController } from '../server/src/model/ingress';
import { WorkspaceIndex } from '../server/src/workspace/index';
import { parseFile } from '../server/src/syntax/file';
import { resourcesOf } from '../server/src/model/resource';
import { resolveRoute, routeGraph } from '../server/src/engine/route';
import { TextWorkspace } from '../server/src/service/documents';
import { createLanguageService } from '../server/src/service/language-service';

const classes: ControllerClass[] = [
  { name: 'nginx', controller: 'k8s.io/ingress-nginx', isDefault: false },
  { name: 'public', controller: 'k8s.io/ingress-nginx', isDefault: false },
  { name: 'nginx-plus', controller: 'nginx.org/ingress-controller', isDefault: false },
  { name: 'alb', controller: 'ingress.k8s.aws/alb', isDefault: false },
  { name: 'web', controller: 'traefik.io/ingress-controller', isDefault: false },
  { name: 'contour', controller: 'projectcontour.io/ingress-controller', isDefault: false },
];

const cases: {
  name: string;
  input: ControllerInput;
  classes?: ControllerClass[];
  kind: string;
  evidence: string;
  className?: string;
}[] = [
  {
    name: 'spec.ingressClassName through the IngressClass controller',
    input: { ingressClassName: 'public' },
    classes,
    kind: 'ingress-nginx',
    evidence: 'ingress-class',
    className: 'public',
  },
  {
    name: 'NGINX Inc IngressClass',
    input: { ingressClassName: 'nginx-plus' },
    classes,
    kind: 'nginx-inc',
    evidence: 'ingress-class',
  },
  {
    name: 'AWS IngressClass',
    input: { ingressClassName: 'alb' },
    classes,
    kind: 'aws-alb',
    evidence: 'ingress-class',
  },
  {
    name: 'Traefik IngressClass under another name',
    input: { ingressClassName: 'web' },
    classes,
    kind: 'traefik',
    evidence: 'ingress-class',
  },
  {
    name: 'a workspace IngressClass of another controller',
    input: { ingressClassName: 'contour' },
    classes,
    kind: 'unknown',
    evidence: 'ingress-class',
  },
  {
    name: 'the IngressClass wins over a conventional name',
    input: { ingressClassName: 'nginx' },
    classes: [{ name: 'nginx', controller: 'nginx.org/ingress-controller', isDefault: false }],
    kind: 'nginx-inc',
    evidence: 'ingress-class',
  },
  {
    name: 'conventional class name without an IngressClass',
    input: { ingressClassName: 'nginx' },
    kind: 'ingress-nginx',
    evidence: 'class-name',
  },
  {
    name: '"nginx" with NGINX Inc annotations is NGINX Inc',
    input: { ingressClassName: 'nginx', annotations: { 'nginx.org/rewrites': 'serviceName=a rewrite=/' } },
    kind: 'nginx-inc',
    evidence: 'class-name',
  },
  {
    name: 'class annotation alb',
    input: { annotations: { 'kubernetes.io/ingress.class': 'alb' } },
    kind: 'aws-alb',
    evidence: 'class-annotation',
  },
  {
    name: 'class annotation traefik',
    input: { annotations: { 'kubernetes.io/ingress.class': 'traefik' } },
    kind: 'traefik',
    evidence: 'class-annotation',
  },
  {
    name: 'class annotation gce',
    input: { annotations: { 'kubernetes.io/ingress.class': 'gce' } },
    kind: 'gke',
    evidence: 'class-annotation',
  },
  {
    name: 'class annotation gce-internal',
    input: { annotations: { 'kubernetes.io/ingress.class': 'gce-internal' } },
    kind: 'gke',
    evidence: 'class-annotation',
  },
  {
    name: 'class annotation naming a workspace IngressClass',
    input: { annotations: { 'kubernetes.io/ingress.class': 'nginx-plus' } },
    classes,
    kind: 'nginx-inc',
    evidence: 'ingress-class-annotation',
  },
  {
    name: 'GKE ignores ingressClassName when the annotation is gce',
    input: { ingressClassName: 'nginx', annotations: { 'kubernetes.io/ingress.class': 'gce' } },
    classes,
    kind: 'gke',
    evidence: 'class-annotation',
  },
  {
    name: 'ingressClassName gce alone is not served by GKE',
    input: { ingressClassName: 'gce' },
    kind: 'unknown',
    evidence: 'class-name',
  },
  {
    name: 'unknown class, ingress-nginx annotations',
    input: {
      ingressClassName: 'internal',
      annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/' },
    },
    kind: 'ingress-nginx',
    evidence: 'annotations',
  },
  {
    name: 'unknown class annotation, ALB annotations',
    input: {
      annotations: {
        'kubernetes.io/ingress.class': 'my-alb',
        'alb.ingress.kubernetes.io/scheme': 'internet-facing',
      },
    },
    kind: 'aws-alb',
    evidence: 'annotations',
  },
  {
    name: 'no class: the default IngressClass',
    input: {},
    classes: [...classes, { name: 'def', controller: 'ingress.k8s.aws/alb', isDefault: true }],
    kind: 'aws-alb',
    evidence: 'default-class',
    className: 'def',
  },
  {
    name: 'no class, two defaults: annotations decide',
    input: { annotations: { 'traefik.ingress.kubernetes.io/router.entrypoints': 'web' } },
    classes: [
      { name: 'a', isDefault: true },
      { name: 'b', isDefault: true },
    ],
    kind: 'traefik',
    evidence: 'annotations',
  },
  {
    name: 'no class, GKE annotations',
    input: { annotations: { 'kubernetes.io/ingress.global-static-ip-name': 'ip' } },
    kind: 'gke',
    evidence: 'annotations',
  },
  {
    name: 'no class, NGINX Inc annotations',
    input: { annotations: { 'nginx.org/path-regex': 'case_sensitive' } },
    kind: 'nginx-inc',
    evidence: 'annotations',
  },
  {
    name: 'annotation families tie: undecided',
    input: { annotations: { 'nginx.org/a': 'x', 'nginx.ingress.kubernetes.io/b': 'y' } },
    kind: 'unknown',
    evidence: 'none',
  },
  { name: 'nothing at all', input: {}, kind: 'unknown', evidence: 'none' },
  {
    name: 'blank class values count as unset',
    input: { ingressClassName: ' ', annotations: { 'kubernetes.io/ingress.class': '' } },
    kind: 'unknown',
    evidence: 'none',
  },
];

for (const c of cases) {
  test(`controller: ${c.name}`, () => {
    const d = decideController(c.input, c.classes ?? []);
    assert.equal(d.kind, c.kind);
    assert.equal(d.evidence, c.evidence);
    if (c.className) assert.equal(d.className, c.className);
  });
}

test('controller: GKE with ingressClassName says the field is ignored', () => {
  assert.equal(
    decideController({ ingressClassName: 'x', annotations: { 'kubernetes.io/ingress.class': 'gce' } })
      .ignoresIngressClassName,
    true,
  );
  assert.equal(
    decideController({ annotations: { 'kubernetes.io/ingress.class': 'gce' } }).ignoresIngressClassName,
    undefined,
  );
});

test('controller: merge keys follow what each controller merges', () => {
  const key = (input: ControllerInput) => decideController(input, classes).mergeKey;
  // ingress-nginx merges every Ingress of one class, whatever its namespace
  assert.equal(
    key({ namespace: 'a', name: 'x', ingressClassName: 'nginx' }),
    key({ namespace: 'b', name: 'y', ingressClassName: 'nginx' }),
  );
  assert.notEqual(
    key({ namespace: 'a', name: 'x', ingressClassName: 'nginx' }),
    key({ namespace: 'a', name: 'y', ingressClassName: 'public' }),
  );
  // AWS: one ALB per group.name, else one per Ingress
  const group = { 'alb.ingress.kubernetes.io/group.name': 'shop' };
  assert.equal(
    key({ namespace: 'a', name: 'x', ingressClassName: 'alb', annotations: group }),
    key({ namespace: 'b', name: 'y', ingressClassName: 'alb', annotations: group }),
  );
  assert.notEqual(
    key({ namespace: 'a', name: 'x', ingressClassName: 'alb' }),
    key({ namespace: 'a', name: 'y', ingressClassName: 'alb' }),
  );
  // GKE: one load balancer per Ingress
  const gce = { 'kubernetes.io/ingress.class': 'gce' };
  assert.notEqual(
    key({ namespace: 'a', name: 'x', annotations: gce }),
    key({ namespace: 'a', name: 'y', annotations: gce }),
  );
});

test('controller: annotation families', () => {
  assert.equal(annotationController('nginx.ingress.kubernetes.io/use-regex'), 'ingress-nginx');
  assert.equal(annotationController('nginx.org/path-regex'), 'nginx-inc');
  assert.equal(annotationController('alb.ingress.kubernetes.io/actions.redirect'), 'aws-alb');
  assert.equal(annotationController('kubernetes.io/ingress.allow-http'), 'gke');
  assert.equal(annotationController('traefik.ingress.kubernetes.io/router.tls'), 'traefik');
  assert.equal(annotationController('kubernetes.io/ingress.class'), undefined);
  assert.equal(annotationController('cert-manager.io/cluster-issuer'), undefined);
});

const yaml = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: company
spec:
  controller: nginx.org/ingress-controller
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: web
spec:
  ingressClassName: company
  rules: []
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: legacy
  namespace: web
  annotations:
    kubernetes.io/ingress.class: gce
    kubernetes.io/ingress.global-static-ip-name: shop-ip
spec:
  ingressClassName: company
  rules: []
`;

test('controller: from YAML, file-local and with the workspace IngressClasses', () => {
  const index = new WorkspaceIndex();
  const file = parseFile(yaml);
  const resources = file.docs.flatMap((d) => resourcesOf(d));
  index.setFile('file:///a.yaml', resources);
  const [, shop, legacy] = resources;
  // alone, "company" is no conventional name and no annotation tells
  assert.equal(ingressController(shop).kind, 'unknown');
  const cluster = buildCluster(index);
  assert.equal(ingressController(shop, cluster.ingressClasses).kind, 'nginx-inc');
  assert.equal(ingressController(legacy).kind, 'gke');
  const infos = cluster.ingresses;
  assert.deepEqual(
    infos.map((i) => controllerOfIngress(i, cluster.ingressClasses).kind),
    ['nginx-inc', 'gke'],
  );
  assert.equal(infos[1].annotations?.['kubernetes.io/ingress.global-static-ip-name'], 'shop-ip');
  assert.equal(infos[1].ingressClassName, 'company');
});

function clusterOf(text: string) {
  const index = new WorkspaceIndex();
  index.setFile(
    'file:///m.yaml',
    parseFile(text).docs.flatMap((d) => resourcesOf(d)),
  );
  return buildCluster(index);
}

const cafe = (annotation: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: cafe
  annotations:
    nginx.org/path-regex: "${annotation}"
spec:
  ingressClassName: nginx
  rules:
  - host: cafe.example.com
    http:
      paths:
      - path: /tea/[A-Z0-9]
        pathType: Prefix
        backend:
          service:
            name: tea
            port:
              number: 80
      - path: /coffee
        pathType: Exact
        backend:
          service:
            name: coffee
            port:
              number: 80
`;

test('controller meanings: NGINX Inc path-regex makes Prefix and Exact paths regular expressions', () => {
  const sensitive = clusterOf(cafe('case_sensitive'));
  const r = resolveRoute(sensitive, 'http://cafe.example.com/tea/B12');
  assert.equal(r.match?.matchedAs, 'regex');
  assert.deepEqual(r.match?.backend, { service: 'tea', port: 80 });
  // case_sensitive: `~`, so [A-Z0-9] does not take a lower-case letter
  assert.equal(resolveRoute(sensitive, 'http://cafe.example.com/tea/b').match, null);
  // an Exact path is a regex anchored at the start only: /coffee-shop matches
  assert.deepEqual(resolveRoute(sensitive, 'http://cafe.example.com/coffee-shop').match?.backend, {
    service: 'coffee',
    port: 80,
  });
  const insensitive = clusterOf(cafe('case_insensitive'));
  assert.deepEqual(resolveRoute(insensitive, 'http://cafe.example.com/TEA/b').match?.backend, {
    service: 'tea',
    port: 80,
  });
  // "exact": `location =` for every path
  const exact = clusterOf(cafe('exact'));
  assert.equal(resolveRoute(exact, 'http://cafe.example.com/tea/[A-Z0-9]').match?.matchedAs, 'exact');
  assert.equal(resolveRoute(exact, 'http://cafe.example.com/tea/[A-Z0-9]/x').match, null);
});

test('controller meanings: AWS use-annotation backends are actions in the route graph, the route and the checks', () => {
  const yaml = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: alb
  namespace: shop
  annotations:
    alb.ingress.kubernetes.io/actions.go-home: '{"type":"redirect","redirectConfig":{"path":"/","statusCode":"HTTP_301"}}'
spec:
  ingressClassName: alb
  rules:
  - http:
      paths:
      - path: /old
        pathType: Prefix
        backend:
          service:
            name: go-home
            port:
              name: use-annotation
`;
  const cluster = clusterOf(yaml);
  const backend = cluster.ingresses[0].rules[0].paths[0].backend!;
  assert.equal(backend.kind, 'service');
  assert.deepEqual(backend.kind === 'service' ? backend.action : undefined, {
    annotation: 'alb.ingress.kubernetes.io/actions.go-home',
    type: 'redirect',
  });
  const edge = routeGraph(cluster).backends.get(backend)!;
  assert.deepEqual(edge.problems, []);
  assert.equal(edge.action?.type, 'redirect');
  const r = resolveRoute(cluster, 'http://any.example.com/old/page');
  assert.deepEqual(r.problems, []);
  assert.match(
    r.notes.join('\n'),
    /is an AWS Load Balancer Controller action \(redirect\) defined by the annotation alb\.ingress\.kubernetes\.io\/actions\.go-home, not a Service/,
  );
});

test('controller meanings: use-regex on one ingress-nginx Ingress makes every path of its host a case-insensitive regex prefix', () => {
  const yaml = readFileSync(
    path.join(__dirname, 'fixtures', 'migrate-gateway', 'use-regex-host', 'input.yaml'),
    'utf8',
  );
  const cluster = clusterOf(yaml);
  const at = (p: string) => resolveRoute(cluster, `http://shop.example.com${p}`).match;
  // the Exact path of the other Ingress is now `~* "^/login"`
  assert.equal(at('/login/more')?.path, '/login');
  assert.equal(at('/login/more')?.matchedAs, 'regex');
  assert.equal(at('/LOGIN')?.path, '/login');
  assert.equal(at('/loginx')?.path, '/login');
  // the longer regex is tried first, case-insensitively
  assert.deepEqual(at('/API/V2/items')?.backend, { service: 'api', port: 80 });
  assert.deepEqual(at('/anything')?.backend, { service: 'web', port: 80 });
  // another host keeps Kubernetes semantics
  const other = clusterOf(
    yaml.replace(
      /host: shop\.example\.com\n(\s+http:\n\s+paths:\n\s+- path: \/login)/,
      'host: plain.example.com\n$1',
    ),
  );
  // (its Prefix / catches what the Exact /login does not)
  assert.equal(resolveRoute(other, 'http://plain.example.com/login/more').match?.path, '/');
  assert.equal(resolveRoute(other, 'http://plain.example.com/LOGIN').match?.path, '/');
  assert.equal(resolveRoute(other, 'http://plain.example.com/login').match?.matchedAs, 'exact');
});

const isPaths = (annotations: string, className: string, paths: [string, string, string][]) =>
  `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
${annotations}
spec:
${className}
  rules:
  - host: shop.example.com
    http:
      paths:
${paths
  .map(
    ([p, type, svc]) => `      - path: ${p}
        pathType: ${type}
        backend:
          service:
            name: ${svc}
            port:
              number: 80
`,
  )
  .join('')}`;

test('controller meanings: GKE reads an ImplementationSpecific path as exact, or as a prefix up to a trailing /*', () => {
  // the GKE Ingress guide and ingress2gateway's GCE provider: `/v1/*` matches `/v1/` and deeper, not
  // `/v1`; a path without `*` matches only itself; `/*` matches everything; the longest path wins
  const cluster = clusterOf(
    isPaths('    kubernetes.io/ingress.class: gce', '', [
      ['/*', 'ImplementationSpecific', 'home'],
      ['/v1/*', 'ImplementationSpecific', 'api'],
      ['/about', 'ImplementationSpecific', 'about'],
      ['/x*y', 'ImplementationSpecific', 'bad'],
    ]),
  );
  const at = (p: string) => resolveRoute(cluster, `http://shop.example.com${p}`);
  assert.deepEqual(at('/v1/users').match?.backend, { service: 'api', port: 80 });
  assert.deepEqual(at('/v1/').match?.backend, { service: 'api', port: 80 });
  assert.deepEqual(at('/v1').match?.backend, { service: 'home', port: 80 });
  assert.deepEqual(at('/about').match?.backend, { service: 'about', port: 80 });
  assert.deepEqual(at('/about/team').match?.backend, { service: 'home', port: 80 });
  assert.match(at('/v1/users').match!.why, /ImplementationSpecific \(GKE: pattern \/v1\/\*\)/);
  assert.ok(at('/').notes.some((n) => /GKE accepts "\*" only as the last character/.test(n)));
  // ingress-nginx keeps reading the same paths as prefixes
  const nginx = clusterOf(
    isPaths('    kubernetes.io/ingress.class: nginx', '', [['/about', 'ImplementationSpecific', 'about']]),
  );
  assert.deepEqual(resolveRoute(nginx, 'http://shop.example.com/about/team').match?.backend, {
    service: 'about',
    port: 80,
  });
});

test('controller meanings: the AWS Load Balancer Controller reads ImplementationSpecific paths as ALB patterns, after Prefix paths', () => {
  // AWS LBC ingress spec: Exact paths first, then Prefix longest first, then ImplementationSpecific in
  // the order listed; an ALB path pattern is case-sensitive, `*` any characters, `?` one character
  const cluster = clusterOf(
    isPaths('    alb.ingress.kubernetes.io/scheme: internet-facing', '  ingressClassName: alb', [
      ['/img/*.png', 'ImplementationSpecific', 'images'],
      ['/v?/*', 'ImplementationSpecific', 'api'],
      ['/*', 'ImplementationSpecific', 'home'],
      ['/static', 'Prefix', 'static'],
      ['/exact', 'ImplementationSpecific', 'exact'],
    ]),
  );
  const at = (p: string) => resolveRoute(cluster, `http://shop.example.com${p}`).match;
  assert.deepEqual(at('/img/a/b.png')?.backend, { service: 'images', port: 80 });
  assert.deepEqual(at('/img/a.PNG')?.backend, { service: 'home', port: 80 });
  assert.deepEqual(at('/v2/users')?.backend, { service: 'api', port: 80 });
  assert.deepEqual(at('/v10/users')?.backend, { service: 'home', port: 80 });
  // a Prefix path outranks the ImplementationSpecific `/*` listed before it
  assert.deepEqual(at('/static/app.js')?.backend, { service: 'static', port: 80 });
  // `/exact` comes after `/*` in the list: `/*` takes it
  assert.deepEqual(at('/exact')?.backend, { service: 'home', port: 80 });
  assert.match(
    at('/exact')!.why,
    /first ImplementationSpecific \(AWS Load Balancer Controller: pattern \/\*\) match in listed order/,
  );
});

test('controller: class nginx alone is ingress-nginx or NGINX Inc; the retirement notice asks the workspace', () => {
  const plain = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: cafe-ingress
spec:
  ingressClassName: nginx
  rules:
  - host: cafe.example.com
    http:
      paths:
      - path: /tea
        pathType: Prefix
        backend:
          service:
            name: tea-svc
            port:
              number: 80
`;
  const other = (annotation: string) => `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: other
  annotations:
    ${annotation}
spec:
  ingressClassName: nginx
  defaultBackend:
    service:
      name: tea-svc
      port:
        number: 80
`;
  const virtualServer = `---
apiVersion: k8s.nginx.org/v1
kind: VirtualServer
metadata:
  name: cafe
spec:
  host: cafe.example.com
  upstreams:
  - name: tea
    service: tea-svc
    port: 80
  routes:
  - path: /tea
    action:
      pass: tea
`;
  const notice = (text: string) => {
    const workspace = new TextWorkspace();
    const service = createLanguageService(workspace);
    workspace.set('file:///cafe.yaml', text);
    return service
      .doValidation('file:///cafe.yaml')
      .filter((d) => d.code === 'ingress-nginx-retired' && d.range.start.line === 5)
      .map((d) => d.message);
  };
  assert.equal(
    decideController({ ingressClassName: 'nginx' }).alsoPossible?.join(),
    'nginx-inc',
    'class nginx with no annotations could be either',
  );
  assert.equal(
    decideController({
      ingressClassName: 'nginx',
      annotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': 'false' },
    }).alsoPossible,
    undefined,
  );
  assert.match(notice(plain).join(), /^If ingress-nginx serves class nginx/);
  assert.deepEqual(notice(plain + virtualServer), [], "NGINX Inc's VirtualServer in the workspace");
  assert.deepEqual(notice(plain + other('nginx.org/server-snippets: ""')), [], 'nginx.org/ on the class');
  assert.match(
    notice(plain + other('nginx.ingress.kubernetes.io/ssl-redirect: "false"')).join(),
    /^ingress-nginx \(class nginx\) is retired/,
  );
});

test("nginxControllerConfig: the ConfigMap setting global-allowed-response-headers, else the installation's name", () => {
  assert.equal(nginxControllerConfig([{ namespace: 'default', name: 'app', data: { a: 'b' } }]), undefined);
  assert.deepEqual(
    nginxControllerConfig([
      { namespace: 'ingress-nginx', name: 'ingress-nginx-controller', data: {} },
      { namespace: 'ops', name: 'edge', data: { 'global-allowed-response-headers': 'X-A, X B,X-C' } },
    ]),
    // the key decides; an invalid name is dropped as the controller drops it
    { id: 'ops/edge', allowedResponseHeaders: ['X-A', 'X-C'], keySet: true },
  );
  assert.deepEqual(
    nginxControllerConfig([{ namespace: 'ingress', name: 'edge-ingress-nginx-controller', data: {} }]),
    { id: 'ingress/edge-ingress-nginx-controller', allowedResponseHeaders: [], keySet: false },
  );
});
