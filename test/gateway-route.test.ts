// Request resolution against a Gateway (engine/gateway/resolve.ts), table-driven. Each scenario is a
// set of routes over test/fixtures/gateway/base.yaml (shaped like the conformance suite's base) and the
// requests the spec decides: listener by port and hostname, hostname intersection, precedence across
// routes and matches, filters (redirect, rewrite, header modifiers, mirror), weights, invalid backends.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { clusterOf } from './support/cluster';
import { resolveGatewayRoute, replacePrefix } from '../server/src/engine/gateway';
import type { GatewayRouteResult } from '../server/src/engine/gateway';

const BASE = readFileSync(path.join(__dirname, 'fixtures', 'gateway', 'base.yaml'), 'utf8');
const INFRA = 'gateway-conformance-infra';

type Expect =
  | string // backend Service (namespace infra unless written ns/name)
  | 404
  | { status: 500; reason?: RegExp; backend?: string }
  | { redirect: string; status?: number }
  | {
      backend: string;
      rewrite?: { path?: string; hostname?: string };
      listener?: string;
      route?: string;
      rule?: number;
      headers?: Record<string, string>;
    };

interface Case {
  url: string;
  method?: string;
  headers?: [string, string][];
  expect: Expect;
}

interface Scenario {
  name: string;
  yaml: string;
  gateway?: string;
  cases: Case[];
}

function check(r: GatewayRouteResult, c: Case): void {
  const ctx = `${c.method ?? 'GET'} ${c.url}${c.headers ? ' ' + JSON.stringify(c.headers) : ''}: ${JSON.stringify({ reason: r.reason, match: r.match && { route: r.match.route, rule: r.match.rule, backend: r.match.backend, status: r.match.status, reason: r.match.reason }, notes: r.notes })}`;
  const svc = (s: string) =>
    s.includes('/')
      ? { namespace: s.split('/')[0], service: s.split('/')[1] }
      : { namespace: INFRA, service: s };
  const e = c.expect;
  if (e === 404) {
    assert.equal(r.match, null, ctx);
    assert.match(r.reason ?? '', /^404: /, ctx);
    return;
  }
  assert.ok(r.match, ctx);
  const m = r.match!;
  if (typeof e === 'string') {
    assert.equal(m.status, 200, ctx);
    assert.equal(m.invalid, false, ctx);
    const want = svc(e);
    assert.equal(m.backend?.service, want.service, ctx);
    assert.equal(m.backend?.namespace, want.namespace, ctx);
    return;
  }
  if ('redirect' in e) {
    assert.equal(m.redirect?.location, e.redirect, ctx);
    assert.equal(m.status, e.status ?? 302, ctx);
    assert.equal(m.backend, null, ctx);
    return;
  }
  if ('status' in e) {
    assert.equal(m.status, 500, ctx);
    assert.equal(m.invalid, true, ctx);
    if (e.reason) assert.match(m.reason ?? '', e.reason, ctx);
    if (e.backend) assert.equal(m.backend?.service, svc(e.backend).service, ctx);
    return;
  }
  const want = svc(e.backend);
  assert.equal(m.backend?.service, want.service, ctx);
  assert.equal(m.backend?.namespace, want.namespace, ctx);
  if (e.rewrite?.path !== undefined) assert.equal(m.rewrite?.path, e.rewrite.path, ctx);
  if (e.rewrite?.hostname !== undefined) assert.equal(m.rewrite?.hostname, e.rewrite.hostname, ctx);
  if (e.listener !== undefined) assert.equal(m.listener, e.listener, ctx);
  if (e.route !== undefined) assert.equal(m.route, e.route, ctx);
  if (e.rule !== undefined) assert.equal(m.rule, e.rule, ctx);
  if (e.headers) for (const [k, v] of Object.entries(e.headers)) assert.equal(m.requestHeaders?.[k], v, ctx);
}

function run(s: Scenario): void {
  test(s.name, () => {
    const cluster = clusterOf({ 'base.yaml': BASE, 'routes.yaml': s.yaml });
    for (const c of s.cases)
      check(
        resolveGatewayRoute(cluster, c.url, {
          gateway: s.gateway ?? `${INFRA}/same-namespace`,
          method: c.method,
          headers: c.headers,
        }),
        c,
      );
  });
}

const route = (name: string, body: string, parent = 'same-namespace', ns = INFRA) =>
  `---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  parentRefs:\n  - name: ${parent}\n    namespace: ${INFRA}\n${body}`;

describe('precedence across matches and routes', () => {
  run({
    name: 'Exact beats PathPrefix, the longest prefix wins, element-wise prefixes (httproute-matching)',
    yaml: route(
      'matching',
      `  rules:
  - matches:
    - path: {type: PathPrefix, value: /}
    backendRefs: [{name: infra-backend-v1, port: 8080}]
  - matches:
    - path: {type: Exact, value: /v2}
    - headers: [{name: version, value: two}]
    backendRefs: [{name: infra-backend-v2, port: 8080}]
  - matches:
    - path: {type: PathPrefix, value: /v3/}
    backendRefs: [{name: infra-backend-v3, port: 8080}]
`,
    ),
    cases: [
      { url: 'http://example.com/', expect: 'infra-backend-v1' },
      { url: 'http://example.com/example', expect: 'infra-backend-v1' },
      { url: 'http://example.com/v2', expect: 'infra-backend-v2' },
      { url: 'http://example.com/v2/example', expect: 'infra-backend-v1' },
      { url: 'http://example.com/', headers: [['Version', 'two']], expect: 'infra-backend-v2' },
      { url: 'http://example.com/v3', expect: 'infra-backend-v3' },
      { url: 'http://example.com/v3/x', expect: 'infra-backend-v3' },
      { url: 'http://example.com/v3x', expect: 'infra-backend-v1' },
    ],
  });

  run({
    name: 'across routes: hostnames, then the match precedence (httproute-matching-across-routes)',
    yaml:
      route(
        'matching-part1',
        `  hostnames: [example.com, example.net]
  rules:
  - matches:
    - path: {type: PathPrefix, value: /}
    - headers: [{name: version, value: one}]
    backendRefs: [{name: infra-backend-v1, port: 8080}]
`,
      ) +
      route(
        'matching-part2',
        `  hostnames: [example.com]
  rules:
  - matches:
    - path: {type: PathPrefix, value: /v2}
    - headers: [{name: version, value: two}]
    backendRefs: [{name: infra-backend-v2, port: 8080}]
`,
      ),
    cases: [
      { url: 'http://example.com/', expect: 'infra-backend-v1' },
      { url: 'http://example.com/example', expect: 'infra-backend-v1' },
      { url: 'http://example.net/example', expect: 'infra-backend-v1' },
      { url: 'http://example.com/example', headers: [['Version', 'one']], expect: 'infra-backend-v1' },
      { url: 'http://example.com/v2', expect: 'infra-backend-v2' },
      { url: 'http://example.net/v2', expect: 'infra-backend-v1' },
      { url: 'http://example.com/v2/example', expect: 'infra-backend-v2' },
      { url: 'http://example.com/', headers: [['Version', 'two']], expect: 'infra-backend-v2' },
      { url: 'http://other.com/', expect: 404 },
    ],
  });

  run({
    name: 'a matching exact hostname beats a wildcard, whatever the paths',
    yaml:
      route(
        'wild',
        `  hostnames: ["*.example.com"]\n  rules:\n  - matches: [{path: {type: Exact, value: /a}}]\n    backendRefs: [{name: infra-backend-v1, port: 8080}]\n`,
      ) +
      route(
        'exact',
        `  hostnames: [foo.example.com]\n  rules:\n  - backendRefs: [{name: infra-backend-v2, port: 8080}]\n`,
      ) +
      route(
        'longer-wild',
        `  hostnames: ["*.bar.example.com"]\n  rules:\n  - backendRefs: [{name: infra-backend-v3, port: 8080}]\n`,
      ),
    cases: [
      { url: 'http://foo.example.com/a', expect: 'infra-backend-v2' },
      { url: 'http://x.example.com/a', expect: 'infra-backend-v1' },
      { url: 'http://x.example.com/b', expect: 404 },
      { url: 'http://x.bar.example.com/a', expect: 'infra-backend-v3' },
      { url: 'http://a.b.example.com/a', expect: 'infra-backend-v1' },
      { url: 'http://example.com/a', expect: 404 },
    ],
  });

  run({
    name: 'method, then header count, then query parameter count',
    yaml: route(
      'm',
      `  rules:
  - matches: [{path: {type: PathPrefix, value: /p}, queryParams: [{name: a, value: "1"}, {name: b, value: "2"}]}]
    backendRefs: [{name: infra-backend-v1, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /p}, headers: [{name: x, value: "1"}]}]
    backendRefs: [{name: infra-backend-v2, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /p}, method: POST}]
    backendRefs: [{name: infra-backend-v3, port: 8080}]
`,
    ),
    cases: [
      { url: 'http://h/p?a=1&b=2', headers: [['X', '1']], method: 'POST', expect: 'infra-backend-v3' },
      { url: 'http://h/p?a=1&b=2', headers: [['x', '1']], expect: 'infra-backend-v2' },
      { url: 'http://h/p?a=1&b=2', expect: 'infra-backend-v1' },
      { url: 'http://h/p?b=2&a=1', expect: 'infra-backend-v1' },
      { url: 'http://h/p?a=1', expect: 404 },
      { url: 'http://h/p', method: 'post', expect: 'infra-backend-v3' },
      { url: 'http://h/p', method: 'GET', expect: 404 },
    ],
  });

  run({
    name: 'ties across routes: oldest creationTimestamp, then namespace/name; within a route the first rule',
    yaml:
      route(
        'b-route',
        `  rules:\n  - matches: [{path: {type: PathPrefix, value: /same}}]\n    backendRefs: [{name: infra-backend-v1, port: 8080}]\n`,
      ).replace('  name: b-route\n', '  name: b-route\n  creationTimestamp: "2024-01-01T00:00:00Z"\n') +
      route(
        'c-route',
        `  rules:\n  - matches: [{path: {type: PathPrefix, value: /same}}]\n    backendRefs: [{name: infra-backend-v3, port: 8080}]\n`,
      ).replace('  name: c-route\n', '  name: c-route\n  creationTimestamp: "2023-01-01T00:00:00Z"\n') +
      route(
        'a-route',
        `  rules:\n  - matches: [{path: {type: PathPrefix, value: /tie}}]\n    backendRefs: [{name: infra-backend-v2, port: 8080}]\n  - matches: [{path: {type: PathPrefix, value: /tie}}]\n    backendRefs: [{name: infra-backend-v3, port: 8080}]\n`,
      ) +
      route(
        'z-route',
        `  rules:\n  - matches: [{path: {type: PathPrefix, value: /tie}}]\n    backendRefs: [{name: infra-backend-v1, port: 8080}]\n`,
      ),
    cases: [
      { url: 'http://h/same', expect: { backend: 'infra-backend-v3', route: `${INFRA}/c-route` } },
      { url: 'http://h/tie', expect: { backend: 'infra-backend-v2', route: `${INFRA}/a-route`, rule: 0 } },
    ],
  });

  run({
    name: 'header and query matches: names, case, RegularExpression (httproute-header-matching, query-param-matching)',
    yaml: route(
      'h',
      `  rules:
  - matches: [{headers: [{name: Version, value: one}]}]
    backendRefs: [{name: infra-backend-v1, port: 8080}]
  - matches: [{headers: [{name: Version, value: two}, {name: Color, value: orange}]}]
    backendRefs: [{name: infra-backend-v2, port: 8080}]
  - matches: [{headers: [{name: Color, type: RegularExpression, value: "bl(ue|ack)"}]}]
    backendRefs: [{name: infra-backend-v3, port: 8080}]
  - matches: [{queryParams: [{name: animal, value: whale}]}]
    backendRefs: [{name: infra-backend-v1, port: 8081}]
`,
    ),
    cases: [
      { url: 'http://h/', headers: [['version', 'one']], expect: 'infra-backend-v1' },
      { url: 'http://h/', headers: [['Version', 'ONE']], expect: 404 },
      { url: 'http://h/', headers: [['Version', 'two']], expect: 404 },
      {
        url: 'http://h/',
        headers: [
          ['version', 'two'],
          ['color', 'orange'],
        ],
        expect: 'infra-backend-v2',
      },
      { url: 'http://h/', headers: [['Color', 'blue']], expect: 'infra-backend-v3' },
      { url: 'http://h/', headers: [['Color', 'blueish']], expect: 404 },
      { url: 'http://h/?animal=whale', expect: 'infra-backend-v1' },
      { url: 'http://h/?ANIMAL=whale', expect: 404 },
    ],
  });
});

describe('listeners: port, hostname, isolation, intersection', () => {
  const gw = `---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: multi
  namespace: ${INFRA}
spec:
  gatewayClassName: example
  listeners:
  - {name: listener-1, port: 80, protocol: HTTP, hostname: bar.com}
  - {name: listener-2, port: 80, protocol: HTTP, hostname: foo.bar.com}
  - {name: listener-3, port: 80, protocol: HTTP, hostname: "*.bar.com"}
  - {name: listener-4, port: 80, protocol: HTTP, hostname: "*.foo.com"}
  - {name: listener-5, port: 8080, protocol: HTTP, hostname: foo.com}
  - {name: empty, port: 8090, protocol: HTTP}
`;
  const attach = (name: string, section: string, backend: string) =>
    `---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: ${name}\n  namespace: ${INFRA}\nspec:\n  parentRefs:\n  - {name: multi, sectionName: ${section}}\n  rules:\n  - backendRefs: [{name: ${backend}, port: 8080}]\n`;
  run({
    name: 'the most specific listener on the port serves the host, and only its routes (httproute-listener-hostname-matching, gateway-http-listener-isolation)',
    gateway: `${INFRA}/multi`,
    yaml:
      gw +
      attach('r1', 'listener-1', 'infra-backend-v1') +
      attach('r2', 'listener-2', 'infra-backend-v2') +
      attach('r3', 'listener-3', 'infra-backend-v3') +
      attach('r5', 'listener-5', 'infra-backend-v1'),
    cases: [
      { url: 'http://bar.com/', expect: { backend: 'infra-backend-v1', listener: 'listener-1' } },
      { url: 'http://foo.bar.com/', expect: { backend: 'infra-backend-v2', listener: 'listener-2' } },
      { url: 'http://baz.bar.com/', expect: { backend: 'infra-backend-v3', listener: 'listener-3' } },
      { url: 'http://boo.baz.bar.com/', expect: { backend: 'infra-backend-v3', listener: 'listener-3' } },
      // listener-4 is the most specific for x.foo.com and has no route: no fallback to another listener
      { url: 'http://x.foo.com/', expect: 404 },
      { url: 'http://foo.com/', expect: 404 },
      { url: 'http://foo.com:8080/', expect: { backend: 'infra-backend-v1', listener: 'listener-5' } },
      { url: 'http://bar.com:8080/', expect: 404 },
      // a port no listener has is a Host header port (ignored by matching): the request goes to port 80
      { url: 'http://bar.com:1234/', expect: { backend: 'infra-backend-v1', listener: 'listener-1' } },
      { url: 'http://anything:8090/', expect: 404 },
    ],
  });

  run({
    name: 'hostname intersection between listener and route (httproute-hostname-intersection)',
    gateway: `${INFRA}/hi`,
    yaml: `---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: hi, namespace: ${INFRA}}
spec:
  gatewayClassName: example
  listeners:
  - {name: listener-1, port: 80, protocol: HTTP, hostname: very.specific.com}
  - {name: listener-2, port: 80, protocol: HTTP, hostname: "*.wildcard.io"}
  - {name: listener-3, port: 80, protocol: HTTP, hostname: "*.anotherwildcard.io"}
${route('s1', '  hostnames: [non.matching.com, "*.nonmatchingwildcard.io", very.specific.com]\n  rules:\n  - matches: [{path: {type: PathPrefix, value: /s1}}]\n    backendRefs: [{name: infra-backend-v1, port: 8080}]\n', 'hi')}${route('s2', '  hostnames: [non.matching.com, wildcard.io, foo.wildcard.io, bar.wildcard.io, foo.bar.wildcard.io]\n  rules:\n  - matches: [{path: {type: PathPrefix, value: /s2}}]\n    backendRefs: [{name: infra-backend-v2, port: 8080}]\n', 'hi')}${route('s3', '  hostnames: [non.matching.com, "*.specific.com"]\n  rules:\n  - matches: [{path: {type: PathPrefix, value: /s3}}]\n    backendRefs: [{name: infra-backend-v3, port: 8080}]\n', 'hi')}${route('s4', '  hostnames: ["*.anotherwildcard.io"]\n  rules:\n  - matches: [{path: {type: PathPrefix, value: /s4}}]\n    backendRefs: [{name: infra-backend-v1, port: 8080}]\n', 'hi')}`,
    cases: [
      { url: 'http://very.specific.com/s1', expect: 'infra-backend-v1' },
      { url: 'http://very.specific.com:1234/s1', expect: 'infra-backend-v1' },
      { url: 'http://non.matching.com/s1', expect: 404 },
      { url: 'http://foo.nonmatchingwildcard.io/s1', expect: 404 },
      { url: 'http://foo.wildcard.io/s1', expect: 404 },
      { url: 'http://foo.wildcard.io/s2', expect: 'infra-backend-v2' },
      { url: 'http://foo.bar.wildcard.io/s2', expect: 'infra-backend-v2' },
      { url: 'http://wildcard.io/s2', expect: 404 },
      { url: 'http://very.specific.com/s3', expect: 'infra-backend-v3' },
      { url: 'http://foo.specific.com/s3', expect: 404 },
      { url: 'http://foo.bar.anotherwildcard.io/s4', expect: 'infra-backend-v1' },
      { url: 'http://anotherwildcard.io/s4', expect: 404 },
    ],
  });

  run({
    name: 'HTTPS: port 443 by scheme, the hostname listener before the catch-all',
    gateway: `${INFRA}/same-namespace-with-https-listener`,
    yaml:
      `---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: https-any, namespace: ${INFRA}}\nspec:\n  parentRefs: [{name: same-namespace-with-https-listener, sectionName: https}]\n  rules:\n  - backendRefs: [{name: infra-backend-v1, port: 8080}]\n` +
      `---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: https-second, namespace: ${INFRA}}\nspec:\n  parentRefs: [{name: same-namespace-with-https-listener, sectionName: https-with-hostname}]\n  rules:\n  - backendRefs: [{name: infra-backend-v2, port: 8080}]\n`,
    cases: [
      { url: 'https://example.org/', expect: { backend: 'infra-backend-v1', listener: 'https' } },
      {
        url: 'https://second-example.org/',
        expect: { backend: 'infra-backend-v2', listener: 'https-with-hostname' },
      },
      // an http:// URL for a Gateway that only has HTTPS listeners goes to them (a note says so)
      {
        url: 'http://second-example.org/',
        expect: { backend: 'infra-backend-v2', listener: 'https-with-hostname' },
      },
    ],
  });
});

describe('backends: weights and invalid references (HTTP 500)', () => {
  run({
    name: 'weights: the heaviest is the backend, weight 0 gets nothing, all zero is 500 (httproute-weight)',
    yaml:
      route(
        'weighted',
        `  rules:\n  - matches: [{path: {type: PathPrefix, value: /w}}]\n    backendRefs:\n    - {name: infra-backend-v1, port: 8080, weight: 70}\n    - {name: infra-backend-v2, port: 8080, weight: 30}\n    - {name: infra-backend-v3, port: 8080, weight: 0}\n`,
      ) +
      route(
        'zero',
        `  rules:\n  - matches: [{path: {type: PathPrefix, value: /z}}]\n    backendRefs:\n    - {name: infra-backend-v1, port: 8080, weight: 0}\n`,
      ),
    cases: [
      { url: 'http://h/w', expect: 'infra-backend-v1' },
      { url: 'http://h/z', expect: { status: 500, reason: /weight 0/ } },
    ],
  });

  test('the weights and shares are listed in order', () => {
    const cluster = clusterOf({
      'base.yaml': BASE,
      'r.yaml': route(
        'weighted',
        `  rules:\n  - backendRefs:\n    - {name: infra-backend-v1, port: 8080, weight: 70}\n    - {name: infra-backend-v2, port: 8080, weight: 30}\n    - {name: infra-backend-v3, port: 8080, weight: 0}\n`,
      ),
    });
    const r = resolveGatewayRoute(cluster, 'http://h/', { gateway: `${INFRA}/same-namespace` });
    assert.deepEqual(
      r.match?.backends.map((b) => [b.service, b.weight, b.percent, b.invalid]),
      [
        ['infra-backend-v1', 70, 70, false],
        ['infra-backend-v2', 30, 30, false],
        ['infra-backend-v3', 0, 0, false],
      ],
    );
  });

  run({
    name: 'invalid backendRefs answer 500 with the reason; the valid rules of the same route still serve',
    yaml:
      route(
        'unknown-kind',
        `  rules:\n  - matches: [{path: {type: PathPrefix, value: /kind}}]\n    backendRefs: [{group: unknownkind.example.com, kind: NonExistent, name: infra-backend-v1, port: 8080}]\n`,
      ) +
      route(
        'missing',
        `  rules:\n  - matches: [{path: {type: PathPrefix, value: /missing}}]\n    backendRefs: [{name: nonexistent, port: 8080}]\n`,
      ) +
      route(
        'bad-port',
        `  rules:\n  - matches: [{path: {type: PathPrefix, value: /port}}]\n    backendRefs: [{name: infra-backend-v2, port: 9999}]\n`,
      ) +
      route(
        'cross',
        `  rules:\n  - matches: [{path: {type: PathPrefix, value: /cross}}]\n    backendRefs: [{name: web-backend, namespace: gateway-conformance-web-backend, port: 8080}]\n`,
      ) +
      route(
        'partially-invalid',
        `  rules:\n  - matches: [{path: {type: PathPrefix, value: /v2}}]\n    backendRefs: [{name: app-backend-v2, namespace: gateway-conformance-app-backend, port: 8080}]\n  - backendRefs: [{name: app-backend-v1, namespace: gateway-conformance-app-backend, port: 8080}]\n`,
      ) +
      route(
        'omitted',
        `  rules:\n  - matches: [{path: {type: Exact, value: /omitted}}]\n  - matches: [{path: {type: Exact, value: /empty}}]\n    backendRefs: []\n`,
      ) +
      `---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: only-v1, namespace: gateway-conformance-app-backend}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: ${INFRA}}]
  to: [{group: "", kind: Service, name: app-backend-v1}]
`,
    cases: [
      { url: 'http://h/kind', expect: { status: 500, reason: /NonExistent/ } },
      {
        url: 'http://h/missing',
        expect: {
          status: 500,
          reason: /Service gateway-conformance-infra\/nonexistent does not exist/,
          backend: 'nonexistent',
        },
      },
      { url: 'http://h/port', expect: { status: 500, reason: /has no port 9999/ } },
      {
        url: 'http://h/cross',
        expect: { status: 500, reason: /no ReferenceGrant in namespace gateway-conformance-web-backend/ },
      },
      { url: 'http://h/v2', expect: { status: 500, reason: /not permitted/ } },
      { url: 'http://h/', expect: 'gateway-conformance-app-backend/app-backend-v1' },
      { url: 'http://h/omitted', expect: { status: 500, reason: /no backendRefs/ } },
      { url: 'http://h/empty', expect: { status: 500, reason: /no backendRefs/ } },
    ],
  });

  run({
    name: 'a route from another namespace reaches its own Services through a Gateway that admits it (httproute-cross-namespace)',
    gateway: `${INFRA}/backend-namespaces`,
    yaml: route(
      'web',
      `  rules:\n  - backendRefs: [{name: web-backend, port: 8080}]\n`,
      'backend-namespaces',
      'gateway-conformance-web-backend',
    ),
    cases: [{ url: 'http://h/', expect: 'gateway-conformance-web-backend/web-backend' }],
  });

  test('a share of invalid backends: match.invalid with the share that gets 500; the heaviest backend is shown with its own answer', () => {
    const cluster = clusterOf({
      'base.yaml': BASE,
      'r.yaml': route(
        'half',
        `  rules:\n  - backendRefs:\n    - {name: infra-backend-v1, port: 8080}\n    - {name: nope, port: 8080}\n`,
      ),
    });
    const r = resolveGatewayRoute(cluster, 'http://h/', { gateway: `${INFRA}/same-namespace` });
    assert.equal(r.match?.status, 200);
    assert.equal(r.match?.backend?.service, 'infra-backend-v1');
    assert.equal(r.match?.invalid, true);
    assert.equal(r.match?.invalidPercent, 50);
    assert.match(
      r.match?.reason ?? '',
      /^50% of the requests \(the share of gateway-conformance-infra\/nope\) get HTTP 500: Service gateway-conformance-infra\/nope does not exist/,
    );
    assert.ok(
      r.notes.some((n) => n.startsWith('50% of these requests get HTTP 500')),
      r.notes.join('\n'),
    );
  });

  test('a split whose heaviest backend is invalid: 500 for that backend, invalid share 75%', () => {
    const cluster = clusterOf({
      'base.yaml': BASE,
      'r.yaml': route(
        'mostly-broken',
        `  rules:\n  - backendRefs:\n    - {name: infra-backend-v1, port: 8080, weight: 1}\n    - {name: nope, port: 8080, weight: 3}\n`,
      ),
    });
    const r = resolveGatewayRoute(cluster, 'http://h/', { gateway: `${INFRA}/same-namespace` });
    assert.equal(r.match?.status, 500);
    assert.deepEqual(r.match?.backend, { service: 'nope', namespace: INFRA, port: 8080 });
    assert.equal(r.match?.invalid, true);
    assert.equal(r.match?.invalidPercent, 75);
    assert.deepEqual(
      r.match?.backends.map((b) => [b.service, b.percent, b.invalid, b.reasonCode ?? null]),
      [
        ['infra-backend-v1', 25, false, null],
        ['nope', 75, true, 'BackendNotFound'],
      ],
    );
  });
});

describe('filters', () => {
  const redirects = (parent: string) =>
    route(
      `redirect-${parent}`,
      `  rules:
  - matches: [{path: {type: PathPrefix, value: /scheme-nil-and-port-nil}}]
    filters: [{type: RequestRedirect, requestRedirect: {hostname: example.org}}]
  - matches: [{path: {type: PathPrefix, value: /scheme-nil-and-port-80}}]
    filters: [{type: RequestRedirect, requestRedirect: {port: 80, hostname: example.org}}]
  - matches: [{path: {type: PathPrefix, value: /scheme-nil-and-port-8080}}]
    filters: [{type: RequestRedirect, requestRedirect: {port: 8080, hostname: example.org}}]
  - matches: [{path: {type: PathPrefix, value: /scheme-https-and-port-nil}}]
    filters: [{type: RequestRedirect, requestRedirect: {scheme: https, hostname: example.org}}]
  - matches: [{path: {type: PathPrefix, value: /scheme-https-and-port-443}}]
    filters: [{type: RequestRedirect, requestRedirect: {scheme: https, port: 443, hostname: example.org}}]
  - matches: [{path: {type: PathPrefix, value: /scheme-https-and-port-8443}}]
    filters: [{type: RequestRedirect, requestRedirect: {scheme: https, port: 8443, hostname: example.org}}]
  - matches: [{path: {type: PathPrefix, value: /original-prefix}}]
    filters: [{type: RequestRedirect, requestRedirect: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /replacement-prefix}}}]
  - matches: [{path: {type: PathPrefix, value: /full}}]
    filters: [{type: RequestRedirect, requestRedirect: {path: {type: ReplaceFullPath, replaceFullPath: /full-path-replacement}, statusCode: 301}}]
`,
      parent,
    );
  const gw8080 = `---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: http-8080, namespace: ${INFRA}}\nspec:\n  gatewayClassName: example\n  listeners:\n  - {name: http, port: 8080, protocol: HTTP}\n`;
  run({
    name: 'RequestRedirect on a port 80 listener: scheme, hostname, port and path of the Location (httproute-redirect-*)',
    yaml: redirects('same-namespace'),
    cases: [
      {
        url: 'http://h/scheme-nil-and-port-nil',
        expect: { redirect: 'http://example.org/scheme-nil-and-port-nil' },
      },
      {
        url: 'http://h/scheme-nil-and-port-80',
        expect: { redirect: 'http://example.org/scheme-nil-and-port-80' },
      },
      {
        url: 'http://h/scheme-nil-and-port-8080',
        expect: { redirect: 'http://example.org:8080/scheme-nil-and-port-8080' },
      },
      {
        url: 'http://h/scheme-https-and-port-nil',
        expect: { redirect: 'https://example.org/scheme-https-and-port-nil' },
      },
      {
        url: 'http://h/scheme-https-and-port-443',
        expect: { redirect: 'https://example.org/scheme-https-and-port-443' },
      },
      {
        url: 'http://h/scheme-https-and-port-8443',
        expect: { redirect: 'https://example.org:8443/scheme-https-and-port-8443' },
      },
      {
        url: 'http://h/original-prefix/lemon?x=1',
        expect: { redirect: 'http://h/replacement-prefix/lemon?x=1' },
      },
      {
        url: 'http://h/full/path/original',
        expect: { redirect: 'http://h/full-path-replacement', status: 301 },
      },
    ],
  });
  run({
    name: 'RequestRedirect on a port 8080 listener keeps the listener port unless the scheme changes',
    gateway: `${INFRA}/http-8080`,
    yaml: gw8080 + redirects('http-8080'),
    cases: [
      {
        url: 'http://h:8080/scheme-nil-and-port-nil',
        expect: { redirect: 'http://example.org:8080/scheme-nil-and-port-nil' },
      },
      {
        url: 'http://h:8080/scheme-nil-and-port-80',
        expect: { redirect: 'http://example.org/scheme-nil-and-port-80' },
      },
      {
        url: 'http://h:8080/scheme-https-and-port-nil',
        expect: { redirect: 'https://example.org/scheme-https-and-port-nil' },
      },
    ],
  });

  run({
    name: 'URLRewrite: path prefix and full path, hostname (httproute-rewrite-path, httproute-rewrite-host)',
    yaml: route(
      'rewrite',
      `  rules:
  - matches: [{path: {type: PathPrefix, value: /prefix/one}}]
    filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /one}}}]
    backendRefs: [{name: infra-backend-v1, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /strip-prefix}}]
    filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}}]
    backendRefs: [{name: infra-backend-v1, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /full/one}}]
    filters: [{type: URLRewrite, urlRewrite: {hostname: one.example.org, path: {type: ReplaceFullPath, replaceFullPath: /one}}}]
    backendRefs: [{name: infra-backend-v2, port: 8080}]
`,
    ),
    cases: [
      {
        url: 'http://h/prefix/one/two',
        expect: { backend: 'infra-backend-v1', rewrite: { path: '/one/two', hostname: 'h' } },
      },
      {
        url: 'http://h/strip-prefix/three',
        expect: { backend: 'infra-backend-v1', rewrite: { path: '/three' } },
      },
      { url: 'http://h/strip-prefix', expect: { backend: 'infra-backend-v1', rewrite: { path: '/' } } },
      {
        url: 'http://h/full/one/two',
        expect: { backend: 'infra-backend-v2', rewrite: { path: '/one', hostname: 'one.example.org' } },
      },
    ],
  });

  run({
    name: 'filters on a backendRef: its redirect answers, its rewrite changes what it gets (httproute-backend-request-redirect, -url-rewrite)',
    yaml: route(
      'backend-filters',
      `  rules:
  - matches: [{path: {type: PathPrefix, value: /redirect}}]
    backendRefs:
    - name: infra-backend-v1
      port: 8080
      filters: [{type: RequestRedirect, requestRedirect: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /redirected-prefix}}}]
  - matches: [{path: {type: PathPrefix, value: /rewrite}}]
    backendRefs:
    - name: infra-backend-v2
      port: 8080
      filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /rewritten-full}}}]
`,
    ),
    cases: [
      { url: 'http://h/redirect/original', expect: { redirect: 'http://h/redirected-prefix/original' } },
      {
        url: 'http://h/rewrite/original',
        expect: { backend: 'infra-backend-v2', rewrite: { path: '/rewritten-full' } },
      },
    ],
  });

  test('ReplacePrefixMatch: the spec table', () => {
    const table: [string, string, string, string][] = [
      ['/foo/bar', '/foo', '/xyz', '/xyz/bar'],
      ['/foo/bar', '/foo', '/xyz/', '/xyz/bar'],
      ['/foo/bar', '/foo/', '/xyz', '/xyz/bar'],
      ['/foo/bar', '/foo/', '/xyz/', '/xyz/bar'],
      ['/foo', '/foo', '/xyz', '/xyz'],
      ['/foo/', '/foo', '/xyz', '/xyz/'],
      ['/foo/bar', '/foo', '', '/bar'],
      ['/foo/', '/foo', '', '/'],
      ['/foo', '/foo', '', '/'],
      ['/foo/', '/foo', '/', '/'],
      ['/foo', '/foo', '/', '/'],
    ];
    for (const [p, prefix, repl, want] of table)
      assert.equal(replacePrefix(p, prefix, repl), want, `${p} ${prefix} ${repl}`);
  });

  run({
    name: 'RequestHeaderModifier: set, add, remove',
    yaml: route(
      'hm',
      `  rules:\n  - filters:\n    - type: RequestHeaderModifier\n      requestHeaderModifier:\n        set: [{name: X-Header-Set, value: set-overwrites-values}]\n        add: [{name: X-Header-Add, value: add-appends-values}]\n        remove: [X-Header-Remove]\n    backendRefs: [{name: infra-backend-v1, port: 8080}]\n`,
    ),
    cases: [
      {
        url: 'http://h/',
        headers: [
          ['X-Header-Set', 'old'],
          ['X-Header-Add', 'first'],
          ['X-Header-Remove', 'gone'],
        ],
        expect: {
          backend: 'infra-backend-v1',
          headers: {
            'x-header-set': 'set-overwrites-values',
            'x-header-add': 'first,add-appends-values',
            'x-header-remove': undefined as unknown as string,
          },
        },
      },
    ],
  });

  test('RequestMirror: the mirror backend is shown and resolved, the request still goes to the backendRef', () => {
    const cluster = clusterOf({
      'base.yaml': BASE,
      'r.yaml': route(
        'mirror',
        `  rules:\n  - filters:\n    - type: RequestMirror\n      requestMirror:\n        backendRef: {name: infra-backend-v2, port: 8080}\n        percent: 25\n    backendRefs: [{name: infra-backend-v1, port: 8080}]\n`,
      ),
    });
    const r = resolveGatewayRoute(cluster, 'http://h/', { gateway: `${INFRA}/same-namespace` });
    assert.equal(r.match?.backend?.service, 'infra-backend-v1');
    assert.deepEqual(
      r.match?.filters.map((f) => [f.type, f.mirror?.service, f.mirror?.percent, f.mirror?.invalid]),
      [['RequestMirror', 'infra-backend-v2', 25, false]],
    );
  });
});

describe('GRPCRoute', () => {
  run({
    name: 'service and method matches on a gRPC request (grpcroute-exact-method-matching)',
    yaml: `---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: grpc, namespace: ${INFRA}}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{method: {service: gateway_api_conformance.echo_basic.grpcecho.GrpcEcho, method: Echo}}]
    backendRefs: [{name: infra-backend-v1, port: 8080}]
  - matches: [{method: {service: gateway_api_conformance.echo_basic.grpcecho.GrpcEcho, method: EchoTwo}}]
    backendRefs: [{name: infra-backend-v2, port: 8080}]
`,
    cases: [
      {
        url: 'http://h/gateway_api_conformance.echo_basic.grpcecho.GrpcEcho/Echo',
        method: 'POST',
        headers: [['content-type', 'application/grpc']],
        expect: 'infra-backend-v1',
      },
      {
        url: 'http://h/gateway_api_conformance.echo_basic.grpcecho.GrpcEcho/EchoTwo',
        method: 'POST',
        expect: 'infra-backend-v2',
      },
      {
        url: 'http://h/gateway_api_conformance.echo_basic.grpcecho.GrpcEcho/EchoThree',
        method: 'POST',
        expect: 404,
      },
    ],
  });
});

describe('errors', () => {
  test('an unknown Gateway names the ones there are', () => {
    const cluster = clusterOf({ 'base.yaml': BASE });
    const r = resolveGatewayRoute(cluster, 'http://h/', { gateway: 'nope/nope' });
    assert.match(
      r.error ?? '',
      /these manifests define no Gateway nope\/nope \(Gateways: gateway-conformance-infra\/same-namespace, /,
    );
    const byName = resolveGatewayRoute(cluster, 'http://h/', { gateway: 'same-namespace' });
    assert.equal(byName.gateway, `${INFRA}/same-namespace`);
  });
  test('a listener without routes explains the 404', () => {
    const cluster = clusterOf({ 'base.yaml': BASE });
    const r = resolveGatewayRoute(cluster, 'http://h/', { gateway: `${INFRA}/same-namespace` });
    assert.equal(r.match, null);
    assert.equal(
      r.reason,
      '404: no route is attached to listener "http" of Gateway gateway-conformance-infra/same-namespace',
    );
  });
});
