// Table tests from the Gateway API conformance suite: the upstream manifests (conformance/base and
// conformance/tests/<name>.yaml, copied unchanged into test/fixtures/gateway-conformance/) and the
// requests and expectations of the matching <name>.go, resolved by the engine. A few go through the
// CLI's `route --gateway --json` contract (docs/cli.md) as a user would run it.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { clusterOf } from './support/cluster';
import { ROOT } from './support/lsp-client';
import { gatewayGraph, parentConditions, resolveGatewayRoute } from '../server/src/engine/gateway';
import type { Cluster } from '../server/src/engine/types';

const DIR = path.join(ROOT, 'test', 'fixtures', 'gateway-conformance');
const NS = 'gateway-conformance-infra';

function load(name: string): string {
  return readFileSync(path.join(DIR, `${name}.yaml`), 'utf8').replaceAll(
    '{GATEWAY_CLASS_NAME}',
    'gateway-conformance',
  );
}

function clusterFor(...tests: string[]): Cluster {
  return clusterOf(
    Object.fromEntries([['base.yaml', load('base')], ...tests.map((t) => [`${t}.yaml`, load(t)])]),
  );
}

/** Expected: a backend Service of the infra namespace, or a status without a backend. */
type Expect = string | 404 | 500 | { redirect: string; status: number };

function expectFor(cluster: Cluster, gateway: string, url: string, e: Expect): void {
  const r = resolveGatewayRoute(cluster, url, { gateway: `${NS}/${gateway}` });
  const ctx = `${url}: ${JSON.stringify({ reason: r.reason, route: r.match?.route, rule: r.match?.rule, backend: r.match?.backend, status: r.match?.status })}`;
  if (e === 404) {
    assert.equal(r.match, null, ctx);
    assert.match(r.reason ?? '', /^404: /, ctx);
    return;
  }
  assert.ok(r.match, ctx);
  if (e === 500) {
    assert.equal(r.match.status, 500, ctx);
    assert.equal(r.match.invalid, true, ctx);
    return;
  }
  if (typeof e === 'object') {
    assert.equal(r.match.status, e.status, ctx);
    assert.equal(r.match.redirect?.location, e.redirect, ctx);
    return;
  }
  assert.equal(r.match.status, 200, ctx);
  assert.deepEqual(r.match.backend, { service: e, namespace: NS, port: 8080 }, ctx);
}

describe('HTTPRoutePathMatchOrder: Exact before the longest PathPrefix, across the rules of one route', () => {
  const cluster = clusterFor('httproute-path-match-order');
  const cases: [string, Expect][] = [
    ['/match/exact/one', 'infra-backend-v3'],
    ['/match/exact', 'infra-backend-v2'],
    ['/match', 'infra-backend-v1'],
    ['/match/prefix/one/any', 'infra-backend-v2'],
    ['/match/prefix/any', 'infra-backend-v1'],
    ['/match/any', 'infra-backend-v3'],
  ];
  for (const [p, e] of cases)
    test(p, () => expectFor(cluster, 'same-namespace', `http://example.com${p}`, e));
});

describe('GatewayHTTPListenerIsolation: a request reaches only the routes of the most specific listener', () => {
  const cases: [string, string, Expect][] = [];
  const hosts: [string, string][] = [
    ['bar.com', '/empty-hostname'],
    ['bar.example.com', '/wildcard-example-com'],
    ['bar.foo.example.com', '/wildcard-foo-example-com'],
    ['abc.foo.example.com', '/abc-foo-example-com'],
  ];
  for (const [host, own] of hosts)
    for (const [, p] of hosts) cases.push([host, p, p === own ? 'infra-backend-v1' : 404]);
  for (const [gateway, file] of [
    ['http-listener-isolation', 'gateway-http-listener-isolation'],
    [
      'http-listener-isolation-with-hostname-intersection',
      'gateway-http-listener-isolation-with-hostname-intersection',
    ],
  ]) {
    const cluster = clusterFor(file);
    for (const [host, p, e] of cases)
      test(`${gateway}: ${host}${p} → ${e}`, () => expectFor(cluster, gateway, `http://${host}${p}`, e));
  }
});

describe('HTTPRouteOmittedBackendRefs: a rule without backendRefs answers 500', () => {
  const cluster = clusterFor('httproute-omitted-backendrefs');
  const cases: [string, Expect][] = [
    ['/forward', 'infra-backend-v1'],
    ['/omitted-no-forward', 500],
    ['/empty-no-forward', 500],
  ];
  for (const [p, e] of cases)
    test(p, () => expectFor(cluster, 'same-namespace', `http://example.com${p}`, e));
});

describe('HTTPRouteListenerPortMatching: parentRef.port selects the listeners, the request port selects among them', () => {
  const cluster = clusterFor('httproute-listener-port-matching');
  const cases: [string, Expect][] = [
    ['foo.com', 'infra-backend-v1'],
    ['foo.com:8080', 'infra-backend-v2'],
    ['bar.com:8080', 'infra-backend-v2'],
    ['foo.com:8090', 'infra-backend-v3'],
    ['bar.com:8090', 404],
  ];
  for (const [h, e] of cases)
    test(h, () => expectFor(cluster, 'httproute-listener-port-matching', `http://${h}/`, e));
});

describe('HTTPRouteRedirectHostAndStatus: the redirect keeps the scheme and path, sets the host and status', () => {
  const cluster = clusterFor('httproute-redirect-host-and-status');
  test('hostname only: 302', () =>
    expectFor(cluster, 'same-namespace', 'http://example.com/hostname-redirect', {
      redirect: 'http://example.org/hostname-redirect',
      status: 302,
    }));
  test('hostname and statusCode 301', () =>
    expectFor(cluster, 'same-namespace', 'http://example.com/host-and-status', {
      redirect: 'http://example.org/host-and-status',
      status: 301,
    }));
});

describe('HTTPRouteHTTPSListenerDetectMisdirectedRequests (requests whose SNI is their host)', () => {
  const cluster = clusterFor('httproute-https-listener-detect-misdirected-requests');
  const cases: [string, Expect][] = [
    ['example.org', 'infra-backend-v1'],
    ['second-example.org', 'infra-backend-v2'],
    ['third-example.wildcard.org', 'infra-backend-v3'],
    ['fourth-example.wildcard.org', 'infra-backend-v1'],
    ['unknown-example.org', 404],
  ];
  for (const [h, e] of cases)
    test(h, () =>
      expectFor(cluster, 'same-namespace-with-https-listener', `https://${h}/detect-misdirected-requests`, e),
    );
});

describe('HTTPRouteServiceTypes: headless Services and Services with manual EndpointSlices are backends', () => {
  const cluster = clusterFor('httproute-service-types');
  for (const p of ['manual-endpointslices', 'headless', 'headless-manual-endpointslices'])
    test(p, () => {
      const r = resolveGatewayRoute(cluster, `http://example.com/${p}`, { gateway: `${NS}/same-namespace` });
      assert.equal(r.match?.status, 200, r.reason);
      assert.deepEqual(r.match?.backend, { service: p, namespace: NS, port: 8080 });
    });
});

test('HTTPRouteDisallowedKind: a listener admitting only TLSRoute refuses the HTTPRoute (NotAllowedByListeners), 0 routes attached', () => {
  const cluster = clusterFor('httproute-disallowed-kind');
  const g = gatewayGraph(cluster);
  const rs = g.routes.find((r) => r.route.id.name === 'disallowed-kind')!;
  const [accepted, resolved] = parentConditions(rs, rs.parents[0]);
  assert.deepEqual([accepted.status, accepted.reason], ['False', 'NotAllowedByListeners']);
  assert.deepEqual([resolved.status, resolved.reason], ['True', 'ResolvedRefs']);
  const gw = g.gateways.find((s) => s.gateway.id.name === 'tlsroutes-only')!;
  assert.deepEqual(
    gw.listeners.map((l) => [l.ref.listener.name, l.attached.length]),
    [['tls', 0]],
  );
});

test('the CLI contract: route --gateway --json answers as the engine does', () => {
  const run = (file: string, url: string) => {
    const r = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'dist', 'cli.js'),
        'route',
        path.join(DIR, 'base.yaml'),
        path.join(DIR, `${file}.yaml`),
        '--gateway',
        `${NS}/same-namespace`,
        '--url',
        url,
        '--json',
      ],
      { encoding: 'utf8' },
    );
    return { code: r.status, json: JSON.parse(r.stdout) };
  };
  const ok = run('httproute-path-match-order', 'http://example.com/match/prefix/one/any');
  assert.equal(ok.code, 0);
  assert.deepEqual(ok.json.match.backend, { service: 'infra-backend-v2', namespace: NS, port: 8080 });
  assert.equal(ok.json.match.route, `${NS}/path-matching-order`);
  assert.equal(ok.json.match.rule, 5);
  const omitted = run('httproute-omitted-backendrefs', 'http://example.com/omitted-no-forward');
  assert.equal(omitted.code, 1);
  assert.equal(omitted.json.match.status, 500);
  assert.equal(omitted.json.match.invalid, true);
  const none = run('httproute-path-match-order', 'http://example.com/nothing');
  assert.equal(none.code, 1);
  assert.equal(none.json.match, null);
  assert.match(none.json.reason, /^404: /);
});

describe('HTTPRouteExactPathMatching: an Exact path matches only itself (case and trailing slash count)', () => {
  const cluster = clusterFor('httproute-exact-path-matching');
  const cases: [string, Expect][] = [
    ['/one', 'infra-backend-v1'],
    ['/two', 'infra-backend-v2'],
    ['/', 404],
    ['/one/example', 404],
    ['/two/', 404],
    ['/Two', 404],
  ];
  for (const [p, e] of cases)
    test(p, () => expectFor(cluster, 'same-namespace', `http://example.com${p}`, e));
});

/** Resolve with a method and headers. */
function expectWith(
  cluster: Cluster,
  url: string,
  e: Expect,
  opts: { method?: string; headers?: [string, string][] },
): void {
  const r = resolveGatewayRoute(cluster, url, { gateway: `${NS}/same-namespace`, ...opts });
  const ctx = `${opts.method ?? 'GET'} ${url} ${JSON.stringify(opts.headers ?? [])}: ${r.reason ?? ''} ${r.match?.route ?? ''} ${r.match?.rule ?? ''}`;
  if (e === 404) {
    assert.equal(r.match, null, ctx);
    assert.match(r.reason ?? '', /^404: /, ctx);
    return;
  }
  assert.equal(r.match?.status, 200, ctx);
  assert.deepEqual(r.match?.backend, { service: e, namespace: NS, port: 8080 }, ctx);
}

describe('HTTPRouteMethodMatching: the method of a match must be the request method', () => {
  const cluster = clusterFor('httproute-method-matching');
  const cases: [string, Expect][] = [
    ['POST', 'infra-backend-v1'],
    ['GET', 'infra-backend-v2'],
    ['HEAD', 404],
  ];
  for (const [m, e] of cases) test(m, () => expectWith(cluster, 'http://example.com/', e, { method: m }));
});

describe('HTTPRouteQueryParamMatching: exact query parameters, ANDed with path and headers, most parameters first', () => {
  const cluster = clusterFor('httproute-query-param-matching');
  const cases: [string, [string, string][], Expect][] = [
    ['/?animal=whale', [], 'infra-backend-v1'],
    ['/?animal=dolphin', [], 'infra-backend-v2'],
    ['/?animal=dolphin&color=blue', [], 'infra-backend-v3'],
    ['/?ANIMAL=Whale', [], 'infra-backend-v3'],
    ['/?animal=whale&otherparam=irrelevant', [], 'infra-backend-v1'],
    ['/?animal=dolphin&color=yellow', [], 'infra-backend-v2'],
    ['/?color=blue', [], 404],
    ['/?animal=dog', [], 404],
    ['/?animal=whaledolphin', [], 404],
    ['/', [], 404],
    ['/path1?animal=whale', [], 'infra-backend-v1'],
    ['/?animal=whale', [['version', 'one']], 'infra-backend-v2'],
    ['/path2?animal=whale', [['version', 'two']], 'infra-backend-v3'],
    ['/path3?animal=shark', [], 'infra-backend-v1'],
    ['/path4?animal=kraken', [['version', 'three']], 'infra-backend-v1'],
    ['/?animal=shark', [], 404],
    ['/path4?animal=kraken', [], 404],
    ['/path5?animal=hydra', [], 'infra-backend-v1'],
    ['/?animal=hydra', [['version', 'four']], 'infra-backend-v3'],
  ];
  for (const [p, headers, e] of cases)
    test(`${p}${headers.length ? ` ${headers.map((h) => h.join(': ')).join(', ')}` : ''}`, () =>
      expectWith(cluster, `http://example.com${p}`, e, { headers }));
});

/** A redirect's answer: status and the Location's parts (host and port default to the request's). */
function expectRedirect(
  cluster: Cluster,
  gateway: string,
  url: string,
  e: { status: number; location: string },
): void {
  const r = resolveGatewayRoute(cluster, url, { gateway: `${NS}/${gateway}` });
  assert.ok(r.match, `${url}: ${r.reason}`);
  assert.equal(r.match.status, e.status, url);
  assert.equal(r.match.redirect?.location, e.location, url);
  assert.equal(r.match.backend, null, url);
}

describe('HTTPRouteRedirectPath, RedirectPort, RedirectScheme: the Location each filter computes', () => {
  const cases: [string, string, number, string][] = [
    ['httproute-redirect-path', '/original-prefix/lemon', 302, 'http://example.com/replacement-prefix/lemon'],
    ['httproute-redirect-path', '/full/path/original', 302, 'http://example.com/full-path-replacement'],
    ['httproute-redirect-path', '/path-and-host', 302, 'http://example.org/replacement-prefix'],
    ['httproute-redirect-path', '/path-and-status', 301, 'http://example.com/replacement-prefix'],
    ['httproute-redirect-path', '/full-path-and-host', 302, 'http://example.org/replacement-full'],
    ['httproute-redirect-path', '/full-path-and-status', 301, 'http://example.com/replacement-full'],
    ['httproute-redirect-port', '/port', 302, 'http://example.com:8083/port'],
    ['httproute-redirect-port', '/port-and-host', 302, 'http://example.org:8083/port-and-host'],
    ['httproute-redirect-port', '/port-and-status', 301, 'http://example.com:8083/port-and-status'],
    [
      'httproute-redirect-port',
      '/port-and-host-and-status',
      302,
      'http://example.org:8083/port-and-host-and-status',
    ],
    ['httproute-redirect-scheme', '/scheme', 302, 'https://example.com/scheme'],
    ['httproute-redirect-scheme', '/scheme-and-host', 302, 'https://example.org/scheme-and-host'],
    ['httproute-redirect-scheme', '/scheme-and-status', 301, 'https://example.com/scheme-and-status'],
    [
      'httproute-redirect-scheme',
      '/scheme-and-host-and-status',
      302,
      'https://example.org/scheme-and-host-and-status',
    ],
    ['httproute-303-redirect', '/see-other', 303, 'http://example.com/see-other'],
    ['httproute-307-redirect', '/temporary', 307, 'http://example.com/temporary'],
    ['httproute-308-redirect', '/permanent', 308, 'http://example.com/permanent'],
  ];
  for (const [file, p, status, location] of cases) {
    const cluster = clusterFor(file);
    test(`${file} ${p}`, () =>
      expectRedirect(cluster, 'same-namespace', `http://example.com${p}`, { status, location }));
  }
});

describe("HTTPRouteRedirectPortAndScheme: no port keeps the listener's (left out when it is the scheme's), a scheme brings its own", () => {
  const cluster = clusterFor('httproute-redirect-port-and-scheme');
  const cases: [string, string, string][] = [
    // listener on 80
    [
      'same-namespace',
      'http://example.com/scheme-nil-and-port-nil',
      'http://example.org/scheme-nil-and-port-nil',
    ],
    [
      'same-namespace',
      'http://example.com/scheme-nil-and-port-80',
      'http://example.org/scheme-nil-and-port-80',
    ],
    [
      'same-namespace',
      'http://example.com/scheme-nil-and-port-8080',
      'http://example.org:8080/scheme-nil-and-port-8080',
    ],
    [
      'same-namespace',
      'http://example.com/scheme-https-and-port-nil',
      'https://example.org/scheme-https-and-port-nil',
    ],
    [
      'same-namespace',
      'http://example.com/scheme-https-and-port-443',
      'https://example.org/scheme-https-and-port-443',
    ],
    [
      'same-namespace',
      'http://example.com/scheme-https-and-port-8443',
      'https://example.org:8443/scheme-https-and-port-8443',
    ],
    // listener on 8080
    [
      'same-namespace-with-http-listener-on-8080',
      'http://example.com:8080/scheme-nil-and-port-nil',
      'http://example.org:8080/scheme-nil-and-port-nil',
    ],
    [
      'same-namespace-with-http-listener-on-8080',
      'http://example.com:8080/scheme-nil-and-port-80',
      'http://example.org/scheme-nil-and-port-80',
    ],
    [
      'same-namespace-with-http-listener-on-8080',
      'http://example.com:8080/scheme-https-and-port-nil',
      'https://example.org/scheme-https-and-port-nil',
    ],
    // HTTPS listener on 443
    [
      'same-namespace-with-https-listener',
      'https://example.org/scheme-nil-and-port-nil',
      'https://example.org/scheme-nil-and-port-nil',
    ],
    [
      'same-namespace-with-https-listener',
      'https://example.org/scheme-nil-and-port-443',
      'https://example.org/scheme-nil-and-port-443',
    ],
    [
      'same-namespace-with-https-listener',
      'https://example.org/scheme-nil-and-port-8443',
      'https://example.org:8443/scheme-nil-and-port-8443',
    ],
    [
      'same-namespace-with-https-listener',
      'https://example.org/scheme-http-and-port-nil',
      'http://example.org/scheme-http-and-port-nil',
    ],
    [
      'same-namespace-with-https-listener',
      'https://example.org/scheme-http-and-port-80',
      'http://example.org/scheme-http-and-port-80',
    ],
    [
      'same-namespace-with-https-listener',
      'https://example.org/scheme-http-and-port-8080',
      'http://example.org:8080/scheme-http-and-port-8080',
    ],
  ];
  for (const [gateway, url, location] of cases)
    test(`${gateway} ${url}`, () => expectRedirect(cluster, gateway, url, { status: 302, location }));
});

/** The route's conditions on its parentRef to the same-namespace Gateway. */
function routeConditions(cluster: Cluster, name: string): Record<string, string> {
  const rs = gatewayGraph(cluster).routes.find((r) => r.route.id.name === name)!;
  assert.ok(rs, name);
  return Object.fromEntries(
    parentConditions(rs, rs.parents[0]).map((c) => [c.type, `${c.status} ${c.reason}`]),
  );
}

test('HTTPRouteInvalidParentRefNotMatchingSectionName: Accepted False NoMatchingParent, 0 routes attached', () => {
  const cluster = clusterFor('httproute-invalid-parentref-not-matching-section-name');
  assert.equal(
    routeConditions(cluster, 'httproute-listener-not-matching-section-name').Accepted,
    'False NoMatchingParent',
  );
  const gw = gatewayGraph(cluster).gateways.find((g) => g.gateway.id.name === 'same-namespace')!;
  assert.deepEqual(
    gw.listeners.map((l) => l.attached.length),
    gw.listeners.map(() => 0),
  );
});

describe('Invalid backendRefs: ResolvedRefs False with the reason, and their requests get 500', () => {
  const cases: [string, string, string, string, Expect][] = [
    [
      'httproute-invalid-nonexistent-backendref',
      'invalid-nonexistent-backend-ref',
      'False BackendNotFound',
      '/',
      500,
    ],
    [
      'httproute-invalid-cross-namespace-backend-ref',
      'invalid-cross-namespace-backend-ref',
      'False RefNotPermitted',
      '/',
      500,
    ],
    ['httproute-invalid-reference-grant', 'reference-grant', 'False RefNotPermitted', '/', 500],
    [
      'httproute-partially-invalid-via-invalid-reference-grant',
      'invalid-reference-grant',
      'False RefNotPermitted',
      '/v2',
      500,
    ],
  ];
  for (const [file, route, resolved, p, e] of cases)
    test(`${file}: ${resolved}, ${p} → ${e}`, () => {
      const cluster = clusterFor(file);
      const c = routeConditions(cluster, route);
      assert.equal(c.Accepted, 'True Accepted');
      assert.equal(c.ResolvedRefs, resolved);
      expectFor(cluster, 'same-namespace', `http://example.com${p}`, e);
    });
  test('httproute-partially-invalid-via-invalid-reference-grant: the valid sibling rule still reaches its backend', () => {
    const cluster = clusterFor('httproute-partially-invalid-via-invalid-reference-grant');
    const r = resolveGatewayRoute(cluster, 'http://example.com/', { gateway: `${NS}/same-namespace` });
    assert.equal(r.match?.status, 200, r.reason);
    assert.deepEqual(r.match?.backend, {
      service: 'app-backend-v1',
      namespace: 'gateway-conformance-app-backend',
      port: 8080,
    });
  });
});

/** A route's conditions on its parentRef to the named Gateway (any route kind). */
function conditionsOn(cluster: Cluster, route: string, gateway: string): Record<string, string> {
  const rs = gatewayGraph(cluster).routes.find((r) => r.route.id.name === route);
  assert.ok(rs, route);
  const p = rs.parents.find((x) => x.parentRef.name === gateway);
  assert.ok(p, `${route} → ${gateway}`);
  return Object.fromEntries(parentConditions(rs, p).map((c) => [c.type, `${c.status} ${c.reason}`]));
}

/** How many routes the listeners of a Gateway have attached. */
function attachedTo(cluster: Cluster, gateway: string): number {
  const gw = gatewayGraph(cluster).gateways.find((g) => g.gateway.id.name === gateway);
  assert.ok(gw, gateway);
  return gw.listeners.reduce((n, l) => n + l.attached.length, 0);
}

describe('parentRefs that select no listener: Accepted False NoMatchingParent, 0 routes attached', () => {
  const cases: [string, string, string][] = [
    [
      'httproute-invalid-parentref-not-matching-listener-port',
      'httproute-listener-not-matching-route-port',
      'same-namespace',
    ],
    [
      'httproute-invalid-parentref-section-name-not-matching-port',
      'httproute-listener-section-name-not-matching-port',
      'gateway-with-one-not-matching-port-and-section-name-route',
    ],
  ];
  for (const [file, route, gateway] of cases)
    test(file, () => {
      const cluster = clusterFor(file);
      assert.equal(conditionsOn(cluster, route, gateway).Accepted, 'False NoMatchingParent');
      assert.equal(attachedTo(cluster, gateway), 0);
    });
});

test('TLSRouteInvalidNoMatchingListenerHostname: Accepted False NoMatchingListenerHostname on the exact and the wildcard listener', () => {
  const cluster = clusterFor('tlsroute-invalid-no-matching-listener-hostname');
  assert.equal(
    conditionsOn(cluster, 'tlsroute-hostname-mismatch-1', 'gateway-tls-exact-hostname').Accepted,
    'False NoMatchingListenerHostname',
  );
  assert.equal(
    conditionsOn(cluster, 'tlsroute-hostname-mismatch-2', 'gateway-tls-wildcard-hostname').Accepted,
    'False NoMatchingListenerHostname',
  );
  assert.equal(attachedTo(cluster, 'gateway-tls-exact-hostname'), 0);
  assert.equal(attachedTo(cluster, 'gateway-tls-wildcard-hostname'), 0);
});

test('TLSRouteInvalidReferenceGrant: grants for other kinds or namespaces do not open the backend: ResolvedRefs False RefNotPermitted', () => {
  const cluster = clusterFor('tlsroute-invalid-reference-grant');
  const c = conditionsOn(cluster, 'gateway-conformance-infra-test', 'gateway-tlsroute-referencegrant');
  assert.equal(c.Accepted, 'True Accepted');
  assert.equal(c.ResolvedRefs, 'False RefNotPermitted');
});

describe('HTTPRouteMultipleGateways: a route shared by two Gateways, each with its own dedicated route', () => {
  const cluster = clusterFor('httproute-multiple-gateways');
  const cases: [string, string, Expect][] = [
    ['same-namespace', '/shared', 'infra-backend-v1'],
    ['same-namespace', '/', 'infra-backend-v2'],
    ['all-namespaces', '/shared', 'infra-backend-v1'],
    ['all-namespaces', '/', 'infra-backend-v3'],
  ];
  for (const [gateway, p, e] of cases)
    test(`${gateway} ${p}`, () => expectFor(cluster, gateway, `http://example.com${p}`, e));
});

describe('GRPCRouteHeaderMatching: header matches ANDed within a match, ORed across matches, most headers first', () => {
  const cluster = clusterFor('grpcroute-header-matching');
  const ECHO = 'http://example.com/gateway_api_conformance.echo_basic.grpcecho.GrpcEcho/Echo';
  // the metadata of each request and the backend (404: no rule matches, which gRPC reports as Unimplemented)
  const cases: [Record<string, string>, string | 404][] = [
    [{ Version: 'one' }, 'grpc-infra-backend-v1'],
    [{ Version: 'two' }, 'grpc-infra-backend-v2'],
    [{ Version: 'two', Color: 'orange' }, 'grpc-infra-backend-v1'],
    [{ Version: 'two', Color: 'blue' }, 'grpc-infra-backend-v2'],
    [{ Color: 'orange' }, 404],
    [{ 'Some-Other-Header': 'one' }, 404],
    [{ Color: 'blue' }, 'grpc-infra-backend-v1'],
    [{ Color: 'green' }, 'grpc-infra-backend-v1'],
    [{ Color: 'red' }, 'grpc-infra-backend-v2'],
    [{ Color: 'yellow' }, 'grpc-infra-backend-v2'],
    [{ Color: 'purple' }, 404],
  ];
  for (const [metadata, e] of cases)
    test(JSON.stringify(metadata), () => {
      const r = resolveGatewayRoute(cluster, ECHO, {
        gateway: `${NS}/same-namespace`,
        method: 'POST',
        headers: [['content-type', 'application/grpc'], ...Object.entries(metadata)],
      });
      if (e === 404) {
        assert.equal(r.match, null, JSON.stringify(r.match?.backend));
        return;
      }
      assert.equal(r.match?.routeKind, 'GRPCRoute', r.reason);
      assert.deepEqual(r.match?.backend, { service: e, namespace: NS, port: 8080 });
    });
});
