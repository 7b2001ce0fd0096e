// The migration to the Gateway API (engine/migrate/, features/migrate.ts, kube-netlens migrate):
// golden migrations, one folder per converted annotation and per trap under
// test/fixtures/migrate-gateway/<case>/: input.yaml → expected.yaml (the YAML with its comments) and
// expected.json (what was not converted, and the probes: their count and every difference). Set
// UPDATE_GOLDEN=1 to rewrite the expected files after a deliberate change, then read the diff.
// Then a property (fast-check, fixed seed): random Ingress sets migrate with zero differences, or with
// every difference on a host whose Ingress has a reported unconverted item.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { runMigration } from '../server/src/features/migrate';
import type { MigrateTarget } from '../server/src/engine/migrate/gateway-api';
import { parseFile } from '../server/src/syntax/file';
import { resourcesOf } from '../server/src/model/resource';
import { WorkspaceIndex } from '../server/src/workspace/index';
import { hostCovers } from '../server/src/engine/host-name';
import { ROOT } from './support/lsp-client';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'migrate-gateway');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function indexOf(files: Record<string, string>): WorkspaceIndex {
  const index = new WorkspaceIndex();
  index.setDefaultNamespace('default');
  for (const [uri, text] of Object.entries(files))
    index.setFile(
      uri,
      parseFile(text).docs.flatMap((d) => resourcesOf(d)),
    );
  return index;
}

function migrate(text: string, target: MigrateTarget = { gatewayClass: 'eg' }) {
  return runMigration(indexOf({ 'file:///input.yaml': text }), { target });
}

for (const name of readdirSync(FIXTURES).sort()) {
  test(`migrate golden: ${name}`, () => {
    const dir = path.join(FIXTURES, name);
    const run = migrate(readFileSync(path.join(dir, 'input.yaml'), 'utf8'));
    const summary =
      JSON.stringify({ unconverted: run.result.unconverted, probes: run.probes }, null, 2) + '\n';
    if (UPDATE || !existsSync(path.join(dir, 'expected.yaml'))) {
      writeFileSync(path.join(dir, 'expected.yaml'), run.yaml);
      writeFileSync(path.join(dir, 'expected.json'), summary);
    }
    assert.equal(run.yaml, readFileSync(path.join(dir, 'expected.yaml'), 'utf8'));
    assert.equal(summary, readFileSync(path.join(dir, 'expected.json'), 'utf8'));
    assert.ok(run.probes.count > 0);
  });
}

test('migrate: what each trap shows', () => {
  const read = (name: string) => readFileSync(path.join(FIXTURES, name, 'input.yaml'), 'utf8');
  // the wildcard host: reported, and the two-labels-deep probes differ (and only they)
  const wild = migrate(read('wildcard-host'));
  assert.ok(
    wild.result.unconverted.some(
      (u) => u.field === 'spec.rules[].host' && /covers exactly one DNS label/.test(u.why),
    ),
  );
  assert.ok(wild.probes.differences.length > 0);
  for (const d of wild.probes.differences)
    assert.match(d.request.url, /\/\/a\.probe\.tenants\.example\.com\//);
  // use-regex on the host: every path is a case-insensitive RegularExpression, and the probes agree
  const regex = migrate(read('use-regex-host'));
  assert.match(regex.yaml, /type: RegularExpression\n\s+value: \(\?i\)\/login\.\*/);
  assert.deepEqual(regex.probes.differences, []);
  // a capture-group rewrite is reported; the documented prefix pattern is converted
  const rewrite = migrate(read('rewrite'));
  assert.match(rewrite.yaml, /replacePrefixMatch: \//);
  assert.ok(
    rewrite.result.unconverted.some(
      (u) => u.ingress === 'default/reorder' && u.annotation === 'nginx.ingress.kubernetes.io/rewrite-target',
    ),
  );
  // TLS: HTTPS listener with the Secret, HTTP redirected (308) by a route of the HTTP listener
  const tls = migrate(read('basic-tls'));
  assert.match(
    tls.yaml,
    /protocol: HTTPS\n\s+tls:\n\s+mode: Terminate\n\s+certificateRefs:\n\s+- kind: Secret\n\s+name: shop-tls/,
  );
  assert.match(tls.yaml, /sectionName: http-shop-example-com[\s\S]*scheme: https\n\s+statusCode: 308/);
  assert.deepEqual(tls.probes.differences, []);
  assert.ok(tls.probes.count >= 30);
  // a Secret in another namespace than the Gateway: a ReferenceGrant
  const cross = migrate(read('cross-namespace-tls'));
  assert.match(cross.yaml, /kind: ReferenceGrant\nmetadata:\n\s+name: eg-certificates\n\s+namespace: team-a/);
  // nothing silently dropped: every unconverted item is written as a comment too
  const unconverted = migrate(read('unconverted'));
  for (const u of unconverted.result.unconverted)
    assert.ok(unconverted.yaml.includes(`# unconverted ${u.annotation ?? u.field}: ${u.why}`), u.annotation);
});

test('migrate: --gateway attaches to an existing Gateway by port', () => {
  const run = migrate(readFileSync(path.join(FIXTURES, 'basic-tls', 'input.yaml'), 'utf8'), {
    gateway: { namespace: 'infra', name: 'shared' },
  });
  assert.doesNotMatch(run.yaml, /kind: Gateway\n/);
  assert.match(run.yaml, /parentRefs:\n\s+- name: shared\n\s+namespace: infra\n\s+port: 443/);
  // the files do not define infra/shared: the probes go through a stand-in of that name
  assert.deepEqual(run.probes.gateway, { namespace: 'infra', name: 'shared', source: 'stand-in' });
  assert.ok(run.probes.count > 0);
  assert.deepEqual(run.probes.differences, []);
});

test("migrate --gateway: the probes go through the user's Gateway as the files define it, and what it refuses is a difference", () => {
  const input = readFileSync(path.join(FIXTURES, 'basic-tls', 'input.yaml'), 'utf8');
  const gateway = (listeners: string) => `---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: shared
  namespace: infra
spec:
  gatewayClassName: eg
  listeners:
${listeners}`;
  const open = `  - name: http
    port: 80
    protocol: HTTP
    allowedRoutes:
      namespaces:
        from: All
  - name: https
    port: 443
    protocol: HTTPS
    tls:
      certificateRefs:
      - name: shop-tls
        namespace: shop
    allowedRoutes:
      namespaces:
        from: All
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata:
  name: certificates
  namespace: shop
spec:
  from:
  - group: gateway.networking.k8s.io
    kind: Gateway
    namespace: infra
  to:
  - group: ""
    kind: Secret
`;
  const target = { gateway: { namespace: 'infra', name: 'shared' } };
  const fits = runMigration(indexOf({ 'file:///input.yaml': input, 'file:///gateway.yaml': gateway(open) }), {
    target,
  });
  assert.deepEqual(fits.probes.gateway, { namespace: 'infra', name: 'shared', source: 'files' });
  assert.deepEqual(
    fits.probes.differences.map((d) => `${d.request.url}: ${d.gateway}`),
    [],
  );
  // a Gateway that admits only routes of its own namespace refuses the shop routes: every probe the
  // Ingress answered now gets 404
  const own = runMigration(
    indexOf({
      'file:///input.yaml': input,
      'file:///gateway.yaml': gateway(open.replaceAll('from: All', 'from: Same')),
    }),
    { target },
  );
  assert.equal(own.probes.gateway.source, 'files');
  assert.ok(
    own.probes.differences.length > own.probes.count / 2,
    `${own.probes.differences.length} of ${own.probes.count}`,
  );
  assert.ok(
    own.probes.differences.every((d) => d.gateway === '404 (no route)' && d.ingress !== '404 (no route)'),
    JSON.stringify(own.probes.differences.slice(0, 2)),
  );
  assert.ok(own.probes.differences.some((d) => d.request.url === 'https://shop.example.com/api'));
});

const CLI = path.join(ROOT, 'dist', 'cli.js');
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('kube-netlens migrate: YAML on stdout, the JSON contract, exit codes', () => {
  const dir = path.join('test', 'fixtures', 'migrate-gateway');
  const ok = cli(
    'migrate',
    path.join(dir, 'basic-tls', 'input.yaml'),
    '--to',
    'gateway-api',
    '--gateway-class',
    'eg',
  );
  assert.equal(ok.code, 0, ok.err);
  assert.equal(ok.out, readFileSync(path.join(FIXTURES, 'basic-tls', 'expected.yaml'), 'utf8'));
  assert.match(ok.err, /probes: \d+, differences: 0/);
  const json = cli(
    'migrate',
    path.join(dir, 'wildcard-host', 'input.yaml'),
    '--to',
    'gateway-api',
    '--gateway-class',
    'eg',
    '--json',
  );
  assert.equal(json.code, 1);
  const doc = JSON.parse(json.out);
  assert.deepEqual(Object.keys(doc), ['objects', 'unconverted', 'probes']);
  assert.deepEqual(
    doc.objects.map((o: { kind: string }) => o.kind),
    ['Gateway', 'HTTPRoute'],
  );
  assert.deepEqual(Object.keys(doc.unconverted[0]).sort(), ['field', 'ingress', 'why']);
  assert.ok(doc.probes.count > 0);
  assert.deepEqual(Object.keys(doc.probes.differences[0]).sort(), ['gateway', 'ingress', 'request']);
  assert.equal(cli('migrate', path.join(dir, 'basic-tls', 'input.yaml'), '--gateway-class', 'eg').code, 2);
  assert.equal(cli('migrate', path.join(dir, 'basic-tls', 'input.yaml'), '--to', 'gateway-api').code, 2);
  assert.equal(
    cli(
      'migrate',
      path.join(dir, 'basic-tls', 'input.yaml'),
      '--to',
      'gateway-api',
      '--gateway',
      'a/b',
      '--gateway-class',
      'eg',
    ).code,
    2,
  );
  assert.equal(
    cli('migrate', path.join(dir, 'basic-tls', 'input.yaml'), '--to', 'istio', '--gateway-class', 'eg').code,
    2,
  );
});

test('kube-netlens migrate then kube-netlens route --gateway: the generated Gateway answers as the Ingress did', () => {
  const dir = path.join('test', 'fixtures', 'migrate-gateway', 'basic-tls');
  const out = cli('migrate', path.join(dir, 'input.yaml'), '--to', 'gateway-api', '--gateway-class', 'eg');
  const tmp = path.join(ROOT, 'test-artifacts');
  spawnSync('mkdir', ['-p', tmp]);
  const migrated = path.join(tmp, 'migrated-basic-tls.yaml');
  // the Services and the migrated objects, without the Ingress
  const services = readFileSync(path.join(ROOT, dir, 'input.yaml'), 'utf8')
    .split(/^---$/m)
    .filter((d) => !/kind: Ingress\b/.test(d))
    .join('---');
  writeFileSync(migrated, `${services}\n---\n${out.out}`);
  const r = cli(
    'route',
    migrated,
    '--gateway',
    'shop/eg',
    '--url',
    'https://shop.example.com/api/items',
    '--json',
  );
  assert.equal(r.code, 0, r.err + r.out);
  const doc = JSON.parse(r.out);
  assert.equal(doc.match.backend.service, 'api');
  assert.equal(doc.match.backend.port, 8080);
});

// random Ingress sets
const HOSTS = ['a.example.com', 'b.example.com', '*.w.example.com', ''];
const PATHS = ['/', '/api', '/api/v1', '/app/', '/x', '/login'];
const ingressArb = fc.record({
  host: fc.constantFrom(...HOSTS),
  paths: fc.uniqueArray(
    fc.record({
      path: fc.constantFrom(...PATHS),
      type: fc.constantFrom('Prefix', 'Exact', 'ImplementationSpecific'),
      svc: fc.constantFrom('s1', 's2'),
    }),
    { minLength: 1, maxLength: 3, selector: (p) => `${p.path} ${p.type}` },
  ),
  tls: fc.boolean(),
  annotations: fc.subarray(
    [
      'nginx.ingress.kubernetes.io/ssl-redirect: "false"',
      'nginx.ingress.kubernetes.io/use-regex: "true"',
      'nginx.ingress.kubernetes.io/permanent-redirect: https://elsewhere.example.org/',
      'nginx.ingress.kubernetes.io/limit-rps: "5"',
    ],
    { maxLength: 2 },
  ),
  defaultBackend: fc.boolean(),
});

type RandomIngress = typeof ingressArb extends fc.Arbitrary<infer T> ? T : never;

function manifests(ings: RandomIngress[]): string {
  const docs = ['s1', 's2'].map(
    (s) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${s}\nspec:\n  ports:\n  - port: 80\n`,
  );
  ings.forEach((ing, i) => {
    const ann = ing.annotations.length
      ? `  annotations:\n${ing.annotations.map((a) => `    ${a}\n`).join('')}`
      : '';
    const host = ing.host ? `  - host: "${ing.host}"\n    http:\n` : `  - http:\n`;
    const paths = ing.paths
      .map(
        (p) =>
          `      - path: ${p.path}\n        pathType: ${p.type}\n        backend:\n          service:\n            name: ${p.svc}\n            port:\n              number: 80\n`,
      )
      .join('');
    const tls =
      ing.tls && ing.host ? `  tls:\n  - hosts:\n    - "${ing.host}"\n    secretName: tls-${i}\n` : '';
    const db = ing.defaultBackend
      ? `  defaultBackend:\n    service:\n      name: s2\n      port:\n        number: 80\n`
      : '';
    docs.push(
      `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ing-${i}\n${ann}spec:\n  ingressClassName: nginx\n${db}${tls}  rules:\n${host}        paths:\n`
        .replace('    http:\n        paths:', '    http:\n      paths:')
        .replace('  - http:\n        paths:', '  - http:\n      paths:') + paths,
    );
  });
  return docs.join('---\n');
}

test('migrate property: zero differences, or every difference on a host whose Ingress has an unconverted item', () => {
  fc.assert(
    fc.property(fc.array(ingressArb, { minLength: 1, maxLength: 4 }), (ings) => {
      const run = migrate(manifests(ings));
      for (const d of run.probes.differences) {
        const host = new URL(d.request.url).hostname;
        const concerned = ings
          .map((ing, i) => ({ ing, name: `default/ing-${i}` }))
          .filter(({ ing }) =>
            ing.host === ''
              ? true
              : hostCovers(ing.host, host) ||
                ing.host === host ||
                (ing.host.startsWith('*.') && host.endsWith(ing.host.slice(1))),
          );
        const explained = concerned.some(({ name }) =>
          run.result.unconverted.some((u) => u.ingress === name),
        );
        if (!explained)
          throw new Error(`unexplained difference ${JSON.stringify(d)}\n${manifests(ings)}\n${run.yaml}`);
      }
    }),
    { seed: 20261206, numRuns: 60 },
  );
});

test("migrate: GKE's /v2/* keeps /v2 where GKE sends it (an Exact rule), or says that GKE answers 404 there", () => {
  const read = (name: string) => readFileSync(path.join(FIXTURES, name, 'input.yaml'), 'utf8');
  const gke = migrate(read('gke-implementation-specific'));
  assert.match(
    gke.yaml,
    /- matches:\n\s+- path:\n\s+type: Exact\n\s+value: \/v2\n\s+backendRefs:\n\s+- name: hello-world-1\n\s+port: 60000/,
  );
  assert.deepEqual(gke.probes.differences, []);
  // without the /* path nothing takes /v2: GKE's default backend answers 404, which no rule can say
  const alone = migrate(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: only-v2
  annotations:
    kubernetes.io/ingress.class: gce
spec:
  rules:
  - http:
      paths:
      - path: /v2/*
        pathType: ImplementationSpecific
        backend:
          service:
            name: v2
            port:
              number: 80
`);
  assert.doesNotMatch(alone.yaml, /type: Exact/);
  const why = alone.result.unconverted.find((u) => u.field === 'spec.rules[0].http.paths[0].path')?.why ?? '';
  assert.match(why, /GKE answers from the load balancer's default backend \(404\)/);
  assert.deepEqual(
    alone.probes.differences.map((d) => [d.request.url, d.ingress]),
    [['http://192.0.2.10/v2', '404 (no route)']],
  );
});

test('migrate: ALB listener order (group.order, then Exact, Prefix longest first, ImplementationSpecific as listed)', () => {
  const run = migrate(readFileSync(path.join(FIXTURES, 'alb-rule-order', 'input.yaml'), 'utf8'));
  // never reached on the ALB: not written, so the Gateway cannot route to them either
  assert.doesNotMatch(run.yaml, /value: \/api\/health/);
  assert.doesNotMatch(run.yaml, /name: static\n/);
  const whys = run.result.unconverted.map((u) => `${u.ingress} ${u.field ?? u.annotation}: ${u.why}`);
  assert.ok(
    whys.some((w) =>
      /^shop\/base spec.rules\[0\].http.paths\[3\].path: the ALB never reaches Exact \/api\/health/.test(w),
    ),
  );
  assert.ok(
    whys.some((w) =>
      /^shop\/base spec.rules\[0\].http.paths\[2\].path: on the ALB ImplementationSpecific \/\*\.json of Ingress shop\/api \(group.order 5\) comes before Prefix \/reports/.test(
        w,
      ),
    ),
  );
  // the one request the Gateway ranks differently is both reported and a probe difference
  assert.deepEqual(
    run.probes.differences.map((d) => [d.request.url, d.ingress, d.gateway]),
    [['http://shop.example.com/x.json', 'shop/json:80', 'shop/web:80']],
  );
});

test('migrate: each controller answers the probes for its own Ingresses only', () => {
  const run = migrate(readFileSync(path.join(FIXTURES, 'controllers-one-host', 'input.yaml'), 'utf8'));
  assert.ok(
    run.result.unconverted.some(
      (u) => u.ingress === 'default/web' && /also served by Ingress default\/api through Traefik/.test(u.why),
    ),
  );
  // ingress-nginx alone sends /api to web (no merge with Traefik's /api); Traefik alone answers 404 for /
  assert.ok(run.probes.differences.length > 0);
  for (const d of run.probes.differences) {
    assert.equal(d.via, 'Traefik (class traefik)');
    assert.equal(d.ingress, '404 (no route)');
  }
});

test("migrate: a controller's catch-all default backend stays on its own hosts", () => {
  const run = migrate(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /cart
        pathType: Prefix
        backend:
          service:
            name: cart
            port:
              number: 80
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: fallback
spec:
  ingressClassName: traefik
  defaultBackend:
    service:
      name: fallback
      port:
        number: 80
`);
  const catchAll = run.result.objects.find(
    (o) => o.object.kind === 'HTTPRoute' && (o.object.metadata as { name: string }).name === 'fallback',
  );
  assert.ok(catchAll, run.yaml);
  const sections = (
    (catchAll.object.spec as { parentRefs: { sectionName?: string }[] }).parentRefs ?? []
  ).map((r) => r.sectionName);
  // Traefik's default backend never answered for shop.example.com, which ingress-nginx serves
  assert.deepEqual(sections, ['http']);
  // ingress-nginx answers 404 off /cart on shop.example.com, and so does the Gateway
  assert.ok(
    !run.probes.differences.some((d) => d.request.url.startsWith('http://shop.example.com/')),
    JSON.stringify(run.probes.differences),
  );
});

test('migrate: an ALB rule without host that comes first on the listener takes every host there (reported)', () => {
  const ingress = (
    name: string,
    order: string,
    host: string,
    path: string,
    pathType: string,
    svc: string,
  ) => `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  annotations:
    alb.ingress.kubernetes.io/group.name: shared
    alb.ingress.kubernetes.io/group.order: "${order}"
spec:
  ingressClassName: alb
  rules:
  - ${host ? `host: ${host}\n    ` : ''}http:
      paths:
      - path: ${path}
        pathType: ${pathType}
        backend:
          service:
            name: ${svc}
            port:
              number: 80
`;
  const service = (name: string) => `---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
    app: ${name}
  ports:
  - port: 80
`;
  const run = migrate(
    ingress('catch', '1', '', '/*', 'ImplementationSpecific', 'web') +
      ingress('api', '2', 'a.example.com', '/api', 'Prefix', 'api') +
      service('web') +
      service('api'),
  );
  assert.ok(
    run.result.unconverted.some(
      (u) =>
        u.ingress === 'default/api' &&
        /in a rule without host, comes before Prefix \/api of host a\.example\.com/.test(u.why),
    ),
    JSON.stringify(run.result.unconverted),
  );
  // the ALB answers a.example.com/api with the rule without host; the Gateway with the host's listener
  const d = run.probes.differences.find((x) => x.request.url === 'http://a.example.com/api');
  assert.deepEqual([d?.ingress, d?.gateway], ['default/web:80', 'default/api:80']);
});

test('migrate: names and values kubectl would read as booleans are written quoted (its YAML parser keeps YAML 1.1)', () => {
  // (also a golden fixture: its expected.yaml shows the quoted names)
  const run = migrate(readFileSync(path.join(FIXTURES, 'kubectl-booleans', 'input.yaml'), 'utf8'));
  // read as kubectl reads it (go-yaml v2: YAML 1.1's booleans), the names are still text
  const docs = parseAllDocuments(run.yaml, { version: '1.1' }).map((d) => d.toJS());
  const route = docs.find((d) => d?.kind === 'HTTPRoute');
  assert.ok(route, run.yaml);
  assert.equal(route.metadata.name, 'y');
  assert.deepEqual(
    route.spec.rules.flatMap((r: { backendRefs: { name: unknown }[] }) => r.backendRefs.map((b) => b.name)),
    ['on'],
  );
  assert.match(run.yaml, /name: "on"/);
});
