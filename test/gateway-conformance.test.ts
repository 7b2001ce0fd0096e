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
