// The rest of the Gateway API conformance suite, swept: for every upstream test whose .go file states
// a request -> backend (or status) expectation, the requests of that test resolved by the engine
// against the upstream manifests (copied unchanged into test/fixtures/gateway-conformance/, see its
// SOURCES.md). Each table row is one request of the .go file, in its order.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { clusterOf } from './support/cluster';
import { ROOT } from './support/lsp-client';
import { resolveGatewayRoute } from '../server/src/engine/gateway';
import type { Cluster } from '../server/src/engine/types';

const DIR = path.join(ROOT, 'test', 'fixtures', 'gateway-conformance');
const NS = 'gateway-conformance-infra';

const clusters = new Map<string, Cluster>();
function clusterFor(name: string): Cluster {
  let c = clusters.get(name);
  if (!c) {
    const load = (n: string) =>
      readFileSync(path.join(DIR, `${n}.yaml`), 'utf8').replaceAll(
        '{GATEWAY_CLASS_NAME}',
        'gateway-conformance',
      );
    c = clusterOf({ 'base.yaml': load('base'), [`${name}.yaml`]: load(name) });
    clusters.set(name, c);
  }
  return c;
}

/** A backend Service ("name" in the infra namespace, or "namespace/name"), or a status without one. */
type Expect = string | 404 | 500 | { status: number; location: string };

interface Row {
  url: string;
  expect: Expect;
  headers?: Record<string, string>;
  method?: string;
  /** The request the backend gets (ExpectedRequest of the .go file). */
  backendGets?: { path?: string; host?: string; headers?: Record<string, string>; absent?: string[] };
}

function check(file: string, gateway: string, row: Row): void {
  const r = resolveGatewayRoute(clusterFor(file), row.url, {
    gateway: gateway.includes('/') ? gateway : `${NS}/${gateway}`,
    method: row.method,
    headers: Object.entries(row.headers ?? {}),
  });
  const ctx = `${row.url} ${JSON.stringify(row.headers ?? {})}: ${JSON.stringify({ reason: r.reason, route: r.match?.route, rule: r.match?.rule, backend: r.match?.backend, status: r.match?.status })}`;
  if (row.expect === 404) {
    assert.equal(r.match, null, ctx);
    return;
  }
  assert.ok(r.match, ctx);
  if (row.expect === 500) {
    assert.equal(r.match.status, 500, ctx);
    return;
  }
  if (typeof row.expect === 'object') {
    assert.equal(r.match.status, row.expect.status, ctx);
    assert.equal(r.match.redirect?.location, row.expect.location, ctx);
    return;
  }
  const [namespace, service] = row.expect.includes('/') ? row.expect.split('/') : [NS, row.expect];
  assert.equal(r.match.status, 200, ctx);
  assert.equal(r.match.backend?.service, service, ctx);
  assert.equal(r.match.backend?.namespace, namespace, ctx);
  const gets = row.backendGets;
  if (gets?.path !== undefined)
    assert.equal(r.match.rewrite?.path ?? new URL(row.url).pathname, gets.path, ctx);
  if (gets?.host !== undefined)
    assert.equal(r.match.rewrite?.hostname ?? new URL(row.url).hostname, gets.host, ctx);
  for (const [k, v] of Object.entries(gets?.headers ?? {}))
    assert.equal(r.match.requestHeaders?.[k.toLowerCase()], v, `${ctx} header ${k}`);
  for (const k of gets?.absent ?? [])
    assert.equal(r.match.requestHeaders?.[k.toLowerCase()], undefined, `${ctx} absent ${k}`);
}

function table(title: string, file: string, gateway: string, rows: Row[]): void {
  describe(`${title} (${file})`, () => {
    for (const row of rows)
      test(`${row.method ?? 'GET'} ${row.url}${row.headers ? ` ${JSON.stringify(row.headers)}` : ''} → ${JSON.stringify(row.expect)}`, () =>
        check(file, gateway, row));
  });
}

const h = (url: string, expect: Expect, headers?: Record<string, string>): Row => ({ url, expect, headers });

table(
  'HTTPRouteMatching: path prefixes on whole segments, header matches ORed with them',
  'httproute-matching',
  'same-namespace',
  [
    h('http://example.com/', 'infra-backend-v1'),
    h('http://example.com/example', 'infra-backend-v1'),
    h('http://example.com/', 'infra-backend-v1', { Version: 'one' }),
    h('http://example.com/v2', 'infra-backend-v2'),
    h('http://example.com/v2/example', 'infra-backend-v2'),
    h('http://example.com/', 'infra-backend-v2', { Version: 'two' }),
    h('http://example.com/v2/', 'infra-backend-v2'),
    h('http://example.com/v2example', 'infra-backend-v1'),
    h('http://example.com/foo/v2/example', 'infra-backend-v1'),
  ],
);

table(
  'HTTPRouteHeaderMatching: headers ANDed within a match, the match with more headers first',
  'httproute-header-matching',
  'same-namespace',
  [
    h('http://example.com/', 'infra-backend-v1', { Version: 'one' }),
    h('http://example.com/', 'infra-backend-v2', { Version: 'two' }),
    h('http://example.com/', 'infra-backend-v1', { Version: 'two', Color: 'orange' }),
    h('http://example.com/', 'infra-backend-v2', { Version: 'two', Color: 'blue' }),
    h('http://example.com/', 404, { Color: 'orange' }),
    h('http://example.com/', 404, { 'Some-Other-Header': 'one' }),
    h('http://example.com/', 'infra-backend-v1', { Color: 'blue' }),
    h('http://example.com/', 'infra-backend-v1', { Color: 'green' }),
    h('http://example.com/', 'infra-backend-v2', { Color: 'red' }),
    h('http://example.com/', 'infra-backend-v2', { Color: 'yellow' }),
    h('http://example.com/', 404, { Color: 'purple' }),
  ],
);

table(
  'HTTPRouteMatchingAcrossRoutes: matches of two routes on one listener, each with its hostnames',
  'httproute-matching-across-routes',
  'same-namespace',
  [
    h('http://example.com/', 'infra-backend-v1'),
    h('http://example.com/example', 'infra-backend-v1'),
    h('http://example.net/example', 'infra-backend-v1'),
    h('http://example.com/example', 'infra-backend-v1', { Version: 'one' }),
    h('http://example.com/v2', 'infra-backend-v2'),
    h('http://example.net/v2', 'infra-backend-v1'),
    h('http://example.com/v2/example', 'infra-backend-v2'),
    h('http://example.com/', 'infra-backend-v2', { Version: 'two' }),
  ],
);

table(
  'HTTPRouteListenerHostnameMatching: the most specific listener hostname takes the request',
  'httproute-listener-hostname-matching',
  'httproute-listener-hostname-matching',
  [
    h('http://bar.com/', 'infra-backend-v1'),
    h('http://foo.bar.com/', 'infra-backend-v2'),
    h('http://baz.bar.com/', 'infra-backend-v3'),
    h('http://boo.bar.com/', 'infra-backend-v3'),
    h('http://multiple.prefixes.bar.com/', 'infra-backend-v3'),
    h('http://multiple.prefixes.foo.com/', 'infra-backend-v3'),
    h('http://foo.com/', 404),
    h('http://no.matching.host/', 404),
  ],
);

table(
  "HTTPRouteHostnameIntersection: a route serves the intersection of its hostnames and the listener's",
  'httproute-hostname-intersection',
  'httproute-hostname-intersection',
  [
    h('http://very.specific.com/s1', 'infra-backend-v1'),
    h('http://very.specific.com:1234/s1', 'infra-backend-v1'),
    h('http://non.matching.com/s1', 404),
    h('http://foo.nonmatchingwildcard.io/s1', 404),
    h('http://foo.wildcard.io/s1', 404),
    h('http://very.specific.com/non-matching-prefix', 404),
    h('http://foo.wildcard.io/s2', 'infra-backend-v2'),
    h('http://bar.wildcard.io/s2', 'infra-backend-v2'),
    h('http://foo.bar.wildcard.io/s2', 'infra-backend-v2'),
    h('http://non.matching.com/s2', 404),
    h('http://wildcard.io/s2', 404),
    h('http://very.specific.com/s2', 404),
    h('http://foo.wildcard.io/non-matching-prefix', 404),
    h('http://very.specific.com/s3', 'infra-backend-v3'),
    h('http://non.matching.com/s3', 404),
    h('http://foo.specific.com/s3', 404),
    h('http://foo.wildcard.io/s3', 404),
    h('http://very.specific.com/non-matching-prefix', 404),
    h('http://foo.anotherwildcard.io/s4', 'infra-backend-v1'),
    h('http://bar.anotherwildcard.io/s4', 'infra-backend-v1'),
    h('http://foo.bar.anotherwildcard.io/s4', 'infra-backend-v1'),
    h('http://anotherwildcard.io/s4', 404),
    h('http://foo.wildcard.io/s4', 404),
    h('http://very.specific.com/s4', 404),
    h('http://foo.anotherwildcard.io/non-matching-prefix', 404),
    h('http://specific.but.wrong.com/s5', 404),
    h('http://wildcard.io/s5', 404),
  ],
);

table(
  "HTTPRouteHostnameIntersection: a listener without hostname takes the route's",
  'httproute-hostname-intersection',
  'httproute-hostname-intersection-all',
  [
    h('http://first.com/', 'infra-backend-v2'),
    h('http://sub.first.com/', 'infra-backend-v2'),
    h('http://second.com/', 'infra-backend-v2'),
    h('http://sub.second.com/', 'infra-backend-v2'),
    h('http://third.com/', 404),
    h('http://sub.third.com/', 404),
  ],
);

table('HTTPRouteCrossNamespace', 'httproute-cross-namespace', 'backend-namespaces', [
  h('http://example.com/', 'gateway-conformance-web-backend/web-backend'),
]);
table('HTTPRouteReferenceGrant', 'httproute-reference-grant', 'same-namespace', [
  h('http://example.com/', 'gateway-conformance-web-backend/web-backend'),
]);
table('HTTPRouteSimpleSameNamespace', 'httproute-simple-same-namespace', 'same-namespace', [
  h('http://example.com/', 'infra-backend-v1'),
]);
table('HTTPRouteHTTPSListener', 'httproute-https-listener', 'same-namespace-with-https-listener', [
  h('https://example.org/', 'infra-backend-v1'),
  h('https://second-example.org/', 'infra-backend-v2'),
]);

table('HTTPRouteRewriteHost', 'httproute-rewrite-host', 'same-namespace', [
  {
    url: 'http://rewrite.example/one',
    expect: 'infra-backend-v1',
    backendGets: { path: '/one', host: 'one.example.org' },
  },
  {
    url: 'http://rewrite.example/two',
    expect: 'infra-backend-v2',
    backendGets: { path: '/two', host: 'example.org' },
  },
  {
    url: 'http://rewrite.example/rewrite-host-and-modify-headers',
    expect: 'infra-backend-v2',
    headers: { 'X-Header-Remove': 'remove-val', 'X-Header-Add-Append': 'append-val-1' },
    backendGets: {
      path: '/rewrite-host-and-modify-headers',
      host: 'test.example.org',
      headers: {
        'X-Header-Add': 'header-val-1',
        'X-Header-Add-Append': 'append-val-1,header-val-2',
        'X-Header-Set': 'set-overwrites-values',
      },
      absent: ['X-Header-Remove'],
    },
  },
]);

const modified = {
  headers: {
    'X-Header-Add': 'header-val-1',
    'X-Header-Add-Append': 'append-val-1,header-val-2',
    'X-Header-Set': 'set-overwrites-values',
  },
  absent: ['X-Header-Remove'],
};
const sent = {
  'X-Header-Remove': 'remove-val',
  'X-Header-Add-Append': 'append-val-1',
  'X-Header-Set': 'set-val',
};
table('HTTPRouteRewritePath', 'httproute-rewrite-path', 'same-namespace', [
  { url: 'http://example.com/prefix/one/two', expect: 'infra-backend-v1', backendGets: { path: '/one/two' } },
  {
    url: 'http://example.com/strip-prefix/three',
    expect: 'infra-backend-v1',
    backendGets: { path: '/three' },
  },
  { url: 'http://example.com/strip-prefix', expect: 'infra-backend-v1', backendGets: { path: '/' } },
  { url: 'http://example.com/full/one/two', expect: 'infra-backend-v1', backendGets: { path: '/one' } },
  {
    url: 'http://example.com/full/rewrite-path-and-modify-headers/test',
    expect: 'infra-backend-v1',
    headers: sent,
    backendGets: { path: '/test', ...modified },
  },
  {
    url: 'http://example.com/prefix/rewrite-path-and-modify-headers/one',
    expect: 'infra-backend-v1',
    headers: sent,
    backendGets: { path: '/prefix/one', ...modified },
  },
]);

table(
  'HTTPRouteRequestHeaderModifier: set replaces, add appends, remove drops, names case-insensitive',
  'httproute-request-header-modifier',
  'same-namespace',
  [
    {
      url: 'http://example.com/set',
      expect: 'infra-backend-v1',
      headers: { 'Some-Other-Header': 'val' },
      backendGets: { headers: { 'Some-Other-Header': 'val', 'X-Header-Set': 'set-overwrites-values' } },
    },
    {
      url: 'http://example.com/set',
      expect: 'infra-backend-v1',
      headers: { 'Some-Other-Header': 'val', 'X-Header-Set': 'some-other-value' },
      backendGets: { headers: { 'Some-Other-Header': 'val', 'X-Header-Set': 'set-overwrites-values' } },
    },
    {
      url: 'http://example.com/add',
      expect: 'infra-backend-v1',
      headers: { 'Some-Other-Header': 'val' },
      backendGets: { headers: { 'Some-Other-Header': 'val', 'X-Header-Add': 'add-appends-values' } },
    },
    {
      url: 'http://example.com/add',
      expect: 'infra-backend-v1',
      headers: { 'Some-Other-Header': 'val', 'X-Header-Add': 'some-other-value' },
      backendGets: {
        headers: { 'Some-Other-Header': 'val', 'X-Header-Add': 'some-other-value,add-appends-values' },
      },
    },
    {
      url: 'http://example.com/remove',
      expect: 'infra-backend-v1',
      headers: { 'X-Header-Remove': 'val' },
      backendGets: { absent: ['X-Header-Remove'] },
    },
    {
      url: 'http://example.com/multiple',
      expect: 'infra-backend-v1',
      headers: {
        'X-Header-Set-2': 'set-val-2',
        'X-Header-Add-2': 'add-val-2',
        'X-Header-Remove-2': 'remove-val-2',
        'Another-Header': 'another-header-val',
      },
      backendGets: {
        headers: {
          'X-Header-Set-1': 'header-set-1',
          'X-Header-Set-2': 'header-set-2',
          'X-Header-Add-1': 'header-add-1',
          'X-Header-Add-2': 'add-val-2,header-add-2',
          'X-Header-Add-3': 'header-add-3',
          'Another-Header': 'another-header-val',
        },
        absent: ['X-Header-Remove-1', 'X-Header-Remove-2'],
      },
    },
    {
      url: 'http://example.com/case-insensitivity',
      expect: 'infra-backend-v1',
      headers: {
        'x-header-set': 'original-val-set',
        'x-header-add': 'original-val-add',
        'x-header-remove': 'original-val-remove',
        'Another-Header': 'another-header-val',
      },
      backendGets: {
        headers: {
          'X-Header-Set': 'header-set',
          'X-Header-Add': 'original-val-add,header-add',
          'Another-Header': 'another-header-val',
        },
        absent: ['X-Header-Remove'],
      },
    },
  ],
);

table(
  'HTTPRouteBackendRequestRedirect: a RequestRedirect on a backendRef',
  'httproute-backend-request-redirect',
  'same-namespace',
  [
    h('http://example.com/full/original', { status: 302, location: 'http://example.com/redirected-full' }),
    h('http://example.com/prefix/original', {
      status: 302,
      location: 'http://example.com/redirected-prefix/original',
    }),
  ],
);
table(
  'HTTPRouteBackendURLRewrite: a URLRewrite on a backendRef',
  'httproute-backend-url-rewrite',
  'same-namespace',
  [
    {
      url: 'http://example.com/full/original',
      expect: 'infra-backend-v1',
      backendGets: { path: '/rewritten-full' },
    },
    {
      url: 'http://example.com/prefix/original',
      expect: 'infra-backend-v1',
      backendGets: { path: '/rewritten-prefix/original' },
    },
  ],
);

const GRPC = 'gateway_api_conformance.echo_basic.grpcecho.GrpcEcho';
const grpc = (authority: string, method: string, expect: Expect): Row => ({
  url: `http://${authority}/${GRPC}/${method}`,
  expect,
  method: 'POST',
  headers: { 'content-type': 'application/grpc' },
});
table(
  'GRPCRouteExactMethodMatching (404: Unimplemented)',
  'grpcroute-exact-method-matching',
  'same-namespace',
  [
    grpc('example.com', 'Echo', 'grpc-infra-backend-v1'),
    grpc('example.com', 'EchoTwo', 'grpc-infra-backend-v2'),
    grpc('example.com', 'EchoThree', 404),
  ],
);
table(
  'GRPCRouteListenerHostnameMatching',
  'grpcroute-listener-hostname-matching',
  'grpcroute-listener-hostname-matching',
  [
    grpc('bar.com', 'Echo', 'grpc-infra-backend-v1'),
    grpc('foo.bar.com', 'Echo', 'grpc-infra-backend-v2'),
    grpc('baz.bar.com', 'Echo', 'grpc-infra-backend-v3'),
    grpc('boo.bar.com', 'Echo', 'grpc-infra-backend-v3'),
    grpc('multiple.prefixes.bar.com', 'Echo', 'grpc-infra-backend-v3'),
    grpc('multiple.prefixes.foo.com', 'Echo', 'grpc-infra-backend-v3'),
    grpc('foo.com', 'Echo', 404),
    grpc('no.matching.host', 'Echo', 404),
  ],
);
table('GRPCRouteNamedRule', 'grpcroute-named-rule', 'same-namespace', [
  grpc('example.com', 'Echo', 'grpc-infra-backend-v1'),
  grpc('example.com', 'EchoTwo', 'grpc-infra-backend-v2'),
]);

{
  const LS1 = 'listener-set-http-routing-1';
  const LS2 = 'listener-set-http-routing-2';
  const hosts = [
    'gateway-listener-1.com',
    'gateway-listener-2.com',
    `${LS1}-listener-1.com`,
    `${LS1}-listener-2.com`,
    `${LS2}-listener-1.com`,
    `${LS2}-listener-2.com`,
  ];
  // path -> the hosts (by index above) it reaches and its backend; every other host gets 404
  const paths: [string, number[], string][] = [
    ['/route', [0, 1, 2, 3, 4, 5], 'infra-backend-v1'],
    ['/gateway-route', [0, 1], 'infra-backend-v2'],
    ['/gateway-section-route', [0], 'infra-backend-v3'],
    [`/${LS1}-route`, [2, 3], 'infra-backend-v2'],
    [`/${LS1}-section-route`, [2], 'infra-backend-v3'],
    [`/${LS2}-route`, [4, 5], 'infra-backend-v2'],
  ];
  table(
    'ListenerSetHTTPRouting: routes of a Gateway and of its ListenerSets reach only their listeners',
    'listenerset-http-routing',
    'gateway-with-listener-sets-http-routing',
    paths.flatMap(([p, reach, backend]) =>
      hosts.map((host, i) => h(`http://${host}${p}`, reach.includes(i) ? backend : 404)),
    ),
  );
}
