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
import { gatewayGraph, parentConditions, resolveGatewayRoute } from '../server/src/engine/gateway';
import type { Cluster } from '../server/src/engine/types';
import type { Condition } from '../server/src/engine/gateway/graph';

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
  /** The backends requests are mirrored to, with the percent mirrored (RequestMirror filters). */
  mirrors?: Record<string, number>;
  /** The share of the rule's requests each backend gets, percent (the weights the .go file samples). */
  weights?: Record<string, number>;
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
  if (row.mirrors)
    assert.deepEqual(
      Object.fromEntries(
        [...r.match.filters, ...r.match.backends.flatMap((b) => b.filters)]
          .filter((f) => f.mirror)
          .map((f) => [f.mirror!.service, f.mirror!.percent]),
      ),
      row.mirrors,
      ctx,
    );
  if (row.weights)
    assert.deepEqual(
      Object.fromEntries(r.match.backends.map((b) => [b.service, b.percent])),
      row.weights,
      ctx,
    );
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

const HEADER_MODIFIER_ROWS: Row[] = [
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
];
table(
  'HTTPRouteRequestHeaderModifier: set replaces, add appends, remove drops, names case-insensitive',
  'httproute-request-header-modifier',
  'same-namespace',
  HEADER_MODIFIER_ROWS,
);
table(
  'HTTPRouteBackendRequestHeaderModifier: the same filters on the backendRef',
  'httproute-request-header-modifier-backend',
  'same-namespace',
  HEADER_MODIFIER_ROWS,
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

table('HTTPRouteWeight: 70/30/0 across three backends', 'httproute-weight', 'same-namespace', [
  {
    url: 'http://example.com/',
    expect: 'infra-backend-v1',
    weights: { 'infra-backend-v1': 70, 'infra-backend-v2': 30, 'infra-backend-v3': 0 },
  },
]);

// TLSRoute, TCPRoute, UDPRoute: a connection to the Gateway (tls://SNI:port, tcp://gateway:port, udp://gateway:port)
table(
  'TLSRouteHostnameIntersection: exact listener hostname',
  'tlsroute-hostname-intersection',
  'gw-tlsroute-exact-hostname-x-1',
  [h('tls://abc.example.com:443', 'tls-backend'), h('tls://non.matching.com:443', 404)],
);
for (const [gw, refused] of [
  ['gw-tlsroute-more-specific-wc-hostname-x-2', 'non.matching.com'],
  ['gw-tlsroute-less-specific-wc-hostname-x-3', 'non.matching.com'],
  ['gw-tlsroute-empty-hostname-x-4', 'non.matching.org'],
])
  table(`TLSRouteHostnameIntersection: ${gw}`, 'tlsroute-hostname-intersection', gw, [
    h('tls://abc.example.com:443', 'tls-backend'),
    h('tls://other.example.com:443', 'tls-backend-2'),
    h(`tls://${refused}:443`, 404),
  ]);
table('TLSRouteSimpleSameNamespace (Passthrough)', 'tlsroute-simple-same-namespace', 'gateway-tlsroute', [
  h('tls://abc.example.com:443', 'tcp-backend'),
]);
table(
  'TLSRouteMixedTerminationSameNamespace: one port, a Terminate and a Passthrough listener told apart by SNI',
  'tlsroute-mixed-termination-same-namespace',
  'gateway-tlsroute-mixed-termination',
  [h('tls://tls.example.com:8883', 'tcp-backend'), h('tls://abc.example.com:8883', 'tcp-backend')],
);
table(
  'TCPRouteParentRefPortAndSectionName: a parentRef by port, by sectionName, by both',
  'tcproute-parentref-port-and-section-name',
  'tcp-multi-listener-gateway',
  [
    h('tcp://gateway:9300', 'tcp-echo-one'),
    h('tcp://gateway:9301', 'tcp-echo-two'),
    h('tcp://gateway:9302', 'tcp-echo-three'),
  ],
);
table(
  'TCPRouteParentRefAttachAll: a parentRef without port or sectionName attaches to every TCP listener',
  'tcproute-parentref-attach-all',
  'tcp-attach-all-gateway',
  [
    h('tcp://gateway:9310', 'tcp-echo-attach-all'),
    h('tcp://gateway:9311', 'tcp-echo-attach-all'),
    h('tcp://gateway:9312', 'tcp-echo-attach-all'),
    h('tcp://gateway:9313', 'tcp-echo-attach-all'),
  ],
);
table('TCPRouteReferenceGrant', 'tcproute-reference-grant', 'tcp-reference-grant-gateway', [
  h('tcp://gateway:9320', 'gateway-conformance-web-backend/tcp-reference-grant-backend'),
]);
table('TCPRouteWeightedRouting: 70/30/0', 'tcproute-weighted-routing', 'tcp-weighted-gateway', [
  {
    url: 'tcp://gateway:9300',
    expect: 'tcp-backend-v1',
    weights: { 'tcp-backend-v1': 70, 'tcp-backend-v2': 30, 'tcp-backend-v3': 0 },
  },
]);
table(
  'UDPRouteParentRefPortAndSectionName',
  'udproute-parentref-port-and-section-name',
  'udp-multi-listener-gateway',
  [
    h('udp://gateway:5300', 'udp-echo-by-port'),
    h('udp://gateway:5301', 'udp-echo-by-section'),
    h('udp://gateway:5302', 'udp-echo-by-section-and-port'),
  ],
);
table(
  'UDPRouteParentRefAttachAllListeners',
  'udproute-parentref-attach-all-listeners',
  'udp-attach-all-listeners-gateway',
  [
    h('udp://gateway:5310', 'udp-echo-attach-all'),
    h('udp://gateway:5311', 'udp-echo-attach-all'),
    h('udp://gateway:5312', 'udp-echo-attach-all'),
  ],
);
table('UDPRouteReferenceGrant', 'udproute-reference-grant', 'udp-gateway-reference-grant', [
  h('udp://gateway:5300', 'gateway-conformance-app-backend/udp-echo-reference-grant'),
]);
table('UDPRouteWeightedRouting: 70/30/0', 'udproute-weighted-routing', 'udp-weighted-gateway', [
  {
    url: 'udp://gateway:5300',
    expect: 'udp-backend-v1',
    weights: { 'udp-backend-v1': 70, 'udp-backend-v2': 30, 'udp-backend-v3': 0 },
  },
]);
table('UDPRouteSimple', 'udproute-simple', 'udp-gateway', [h('udp://gateway:5300', 'coredns')]);

// ---- Status: the conditions the .go files require of routes, listeners and ListenerSets ----

/** "Status/Reason" of each condition type of a route's parentRef to the named parent (and sectionName). */
function routeStatus(file: string, route: string, parent: string, section?: string): Record<string, string> {
  const g = gatewayGraph(clusterFor(file));
  const rs = g.routes.find((r) => r.route.id.name === route);
  assert.ok(rs, route);
  const p = rs.parents.find(
    (x) => x.parentRef.name === parent && (section === undefined || x.parentRef.sectionName === section),
  );
  assert.ok(p, `${route} → ${parent}`);
  return Object.fromEntries(parentConditions(rs, p).map((c) => [c.type, `${c.status}/${c.reason}`]));
}

describe('route conditions', () => {
  // file, route, parent (sectionName), Accepted, ResolvedRefs
  const rows: [string, string, string, string | undefined, string, string][] = [
    [
      'httproute-invalid-backendref-unknown-kind',
      'invalid-backend-ref-unknown-kind',
      'same-namespace',
      undefined,
      'True/Accepted',
      'False/InvalidKind',
    ],
    [
      'httproute-invalid-cross-namespace-parent-ref',
      'invalid-cross-namespace-parent-ref',
      'same-namespace',
      undefined,
      'False/NotAllowedByListeners',
      'True/ResolvedRefs',
    ],
    [
      'httproute-hostname-intersection',
      'no-intersecting-hosts',
      'httproute-hostname-intersection',
      undefined,
      'False/NoMatchingListenerHostname',
      'True/ResolvedRefs',
    ],
    [
      'gateway-with-attached-routes',
      'http-route-not-accepted',
      'gateway-with-two-attached-routes',
      undefined,
      'False/NoMatchingListenerHostname',
      'True/ResolvedRefs',
    ],
    [
      'gateway-with-attached-routes',
      'http-route-4',
      'unresolved-gateway-with-one-attached-unresolved-route',
      'tls',
      'True/Accepted',
      'False/BackendNotFound',
    ],
    [
      'tcproute-invalid-backendref-nonexistent',
      'tcp-route-invalid-backend-ref-nonexistent',
      'tcp-gateway-invalid-backend',
      'tcp',
      'True/Accepted',
      'False/BackendNotFound',
    ],
    [
      'tcproute-invalid-cross-namespace-backend-ref',
      'tcp-invalid-cross-namespace-backend-ref',
      'tcp-invalid-cross-namespace-backend-ref-gateway',
      'tcp',
      'True/Accepted',
      'False/RefNotPermitted',
    ],
    [
      'udproute-invalid-backendref-nonexistent',
      'udp-route-invalid-backend-ref-nonexistent',
      'udp-gateway-invalid-backend',
      'udp',
      'True/Accepted',
      'False/BackendNotFound',
    ],
    [
      'udproute-invalid-cross-namespace-backend-ref',
      'udp-route-invalid-cross-namespace-backend-ref',
      'udp-gateway-invalid-cross-namespace-backend-ref',
      'udp',
      'True/Accepted',
      'False/RefNotPermitted',
    ],
    [
      'udproute-not-allowed-by-listeners',
      'udproute-not-allowed-by-listeners',
      'udproute-tls-only-gateway',
      'tls',
      'False/NotAllowedByListeners',
      'True/ResolvedRefs',
    ],
    [
      'tlsroute-invalid-backendref-nonexistent',
      'invalid-backend-ref-nonexistent',
      'gateway-tlsroute-invalid-backend-ref-nonexistent',
      undefined,
      'True/Accepted',
      'False/BackendNotFound',
    ],
    [
      'tlsroute-invalid-backendref-unknown-kind',
      'invalid-backend-ref-unknown-kind',
      'gateway-tlsroute-invalid-backend-ref-unknown-kind',
      undefined,
      'True/Accepted',
      'False/InvalidKind',
    ],
    [
      'tlsroute-invalid-no-matching-listener',
      'tlsroute-not-allowed-protocol-http',
      'gateway-tlsroute-http-only',
      undefined,
      'False/NotAllowedByListeners',
      'True/ResolvedRefs',
    ],
    [
      'tlsroute-invalid-no-matching-listener',
      'tlsroute-not-allowed-protocol-https',
      'gateway-tlsroute-https-only',
      undefined,
      'False/NotAllowedByListeners',
      'True/ResolvedRefs',
    ],
    [
      'tlsroute-invalid-no-matching-listener',
      'tlsroute-no-matching-section-name',
      'gateway-tlsroute-tls-passthrough-only',
      'nonexistent-listener',
      'False/NoMatchingParent',
      'True/ResolvedRefs',
    ],
    [
      'tcproute-invalid-non-tcp-listener',
      'tcp-route',
      'tcp-mixed-protocol-gateway',
      undefined,
      'False/NotAllowedByListeners',
      'False/BackendNotFound',
    ],
    [
      'listenerset-allowed-routes-namespaces',
      'route-in-gateway-namespace',
      'listenerset-test-allowed-routes-cross-ns',
      undefined,
      'False/NotAllowedByListeners',
      'True/ResolvedRefs',
    ],
    [
      'listenerset-dual-parentref-independence',
      'route-dual-parentref-both',
      'gateway-dual-parentref',
      undefined,
      'True/Accepted',
      'True/ResolvedRefs',
    ],
    [
      'listenerset-dual-parentref-independence',
      'route-dual-parentref-both',
      'ls-dual-parentref',
      undefined,
      'True/Accepted',
      'True/ResolvedRefs',
    ],
    [
      'listenerset-dual-parentref-independence',
      'route-dual-parentref-one',
      'gateway-dual-parentref',
      'ls-dual-parentref-listener',
      'False/NoMatchingParent',
      'True/ResolvedRefs',
    ],
    [
      'listenerset-dual-parentref-independence',
      'route-dual-parentref-one',
      'ls-dual-parentref',
      'ls-dual-parentref-listener',
      'True/Accepted',
      'True/ResolvedRefs',
    ],
    [
      'listenerset-gateway-parent-section-name-not-found',
      'route-via-gateway',
      'gateway-section-name',
      'ls-only-listener',
      'False/NoMatchingParent',
      'True/ResolvedRefs',
    ],
    [
      'listenerset-gateway-parent-section-name-not-found',
      'route-via-listenerset',
      'listenerset-section-name',
      'ls-only-listener',
      'True/Accepted',
      'True/ResolvedRefs',
    ],
  ];
  for (const [file, route, parent, section, accepted, resolved] of rows)
    test(`${file}: ${route} → ${parent}${section ? `#${section}` : ''}: Accepted ${accepted}, ResolvedRefs ${resolved}`, () => {
      const c = routeStatus(file, route, parent, section);
      assert.equal(c.Accepted, accepted);
      assert.equal(c.ResolvedRefs, resolved);
    });
});

describe('listener conditions and attached routes', () => {
  // file, gateway, listener ("listenerSet/listener" for a ListenerSet's), attachedRoutes, condition "Type=Status/Reason"s
  // (a reason the .go leaves open is not checked)
  const rows: [string, string, string, number, string[]][] = [
    [
      'httproute-hostname-intersection',
      'httproute-hostname-intersection',
      'listener-1',
      2,
      ['Accepted=True', 'ResolvedRefs=True'],
    ],
    [
      'httproute-hostname-intersection',
      'httproute-hostname-intersection',
      'listener-2',
      1,
      ['Accepted=True', 'ResolvedRefs=True'],
    ],
    [
      'httproute-hostname-intersection',
      'httproute-hostname-intersection',
      'listener-3',
      1,
      ['Accepted=True', 'ResolvedRefs=True'],
    ],
    [
      'gateway-with-attached-routes',
      'gateway-with-one-attached-route',
      'http',
      1,
      ['Accepted=True', 'ResolvedRefs=True'],
    ],
    [
      'gateway-with-attached-routes',
      'gateway-with-two-attached-routes',
      'http',
      2,
      ['Accepted=True', 'ResolvedRefs=True'],
    ],
    [
      'gateway-with-attached-routes-with-port-8080',
      'gateway-with-two-listeners-and-one-attached-route',
      'http-unattached',
      0,
      ['Accepted=True', 'ResolvedRefs=True'],
    ],
    [
      'gateway-with-attached-routes-with-port-8080',
      'gateway-with-two-listeners-and-one-attached-route',
      'http',
      1,
      ['Accepted=True', 'ResolvedRefs=True'],
    ],
    [
      'gateway-invalid-route-kind',
      'gateway-only-invalid-route-kind',
      'http',
      0,
      ['ResolvedRefs=False/InvalidRouteKinds'],
    ],
    [
      'gateway-invalid-route-kind',
      'gateway-supported-and-invalid-route-kind',
      'http',
      0,
      ['ResolvedRefs=False/InvalidRouteKinds'],
    ],
    [
      'gateway-invalid-listeners-unsupported-protocol',
      'gateway-only-unsupported-protocols',
      'invalid',
      0,
      ['Accepted=False/UnsupportedProtocol'],
    ],
    [
      'gateway-invalid-listeners-unsupported-protocol',
      'gateway-supported-and-unsupported-protocols',
      'http',
      0,
      ['Accepted=True/Accepted'],
    ],
    [
      'gateway-invalid-listeners-unsupported-protocol',
      'gateway-supported-and-unsupported-protocols',
      'invalid',
      0,
      ['Accepted=False/UnsupportedProtocol'],
    ],
    [
      'tlsroute-listener-passthrough-supported-kinds',
      'gateway-tlsroute-passthrough-supported-kind',
      'tls-passthrough',
      0,
      ['ResolvedRefs=False/InvalidRouteKinds'],
    ],
    ['tcproute-parentref-attach-all', 'tcp-attach-all-gateway', 'one', 1, ['Accepted=True']],
    ['tcproute-parentref-attach-all', 'tcp-attach-all-gateway', 'four', 1, ['Accepted=True']],
    [
      'udproute-parentref-attach-all-listeners',
      'udp-attach-all-listeners-gateway',
      'udp-3',
      1,
      ['Accepted=True'],
    ],
    [
      'listenerset-allowed-routes-namespaces',
      'gateway-with-listener-sets-test-allowed-routes',
      'listenerset-test-allowed-routes-namespaces/listener-set-listener-allowed-routes-all',
      3,
      [],
    ],
    [
      'listenerset-allowed-routes-namespaces',
      'gateway-with-listener-sets-test-allowed-routes',
      'listenerset-test-allowed-routes-namespaces/listener-set-listener-allowed-routes-same',
      1,
      [],
    ],
    [
      'listenerset-allowed-routes-namespaces',
      'gateway-with-listener-sets-test-allowed-routes',
      'listenerset-test-allowed-routes-namespaces/listener-set-listener-allowed-routes-selector',
      1,
      [],
    ],
    [
      'listenerset-allowed-routes-namespaces',
      'gateway-with-listener-sets-test-allowed-routes',
      'listenerset-test-allowed-routes-cross-ns/listener-set-listener-allowed-routes-cross-ns-same',
      1,
      [],
    ],
    [
      'listenerset-dual-parentref-independence',
      'gateway-dual-parentref',
      'ls-dual-parentref/ls-dual-parentref-listener',
      2,
      [],
    ],
    [
      'listenerset-http-routing',
      'gateway-with-listener-sets-http-routing',
      'listener-set-http-routing-1/listener-set-http-routing-1-listener-1',
      3,
      ['Accepted=True'],
    ],
    [
      'listenerset-http-routing',
      'gateway-with-listener-sets-http-routing',
      'listener-set-http-routing-1/listener-set-http-routing-1-listener-2',
      2,
      ['Accepted=True'],
    ],
    [
      'listenerset-http-routing',
      'gateway-with-listener-sets-http-routing',
      'listener-set-http-routing-2/listener-set-http-routing-2-listener-1',
      2,
      ['Accepted=True'],
    ],
    [
      'listenerset-http-routing',
      'gateway-with-listener-sets-http-routing',
      'listener-set-http-routing-2/listener-set-http-routing-2-listener-2',
      2,
      ['Accepted=True'],
    ],
    [
      'listenerset-reference-grant',
      'gateway-with-listener-sets-test-reference-grant',
      'listenerset-without-reference-grant/listenerset-without-reference-grant-listener',
      0,
      ['ResolvedRefs=False/RefNotPermitted'],
    ],
  ];
  for (const [file, gateway, listener, attached, conditions] of rows)
    test(`${file}: ${gateway} ${listener}: ${attached} attached, ${conditions.join(', ')}`, () =>
      listenerHas(file, gateway, listener, attached, conditions));
});

describe('ListenerSet conditions', () => {
  // file, ListenerSet, Accepted "Status/Reason"
  const rows: [string, string, string][] = [
    ['listenerset-allowed-namespace-none', 'listenerset-not-allowed', 'False/NotAllowed'],
    ['listenerset-default-not-allowed', 'listenerset-default-not-allowed', 'False/NotAllowed'],
    ['listenerset-allowed-namespace-same', 'listenerset-in-same-namespace', 'True/Accepted'],
    ['listenerset-allowed-namespace-same', 'listenerset-in-different-namespace', 'False/NotAllowed'],
    ['listenerset-allowed-namespace-selector', 'listenerset-in-selected-namespace', 'True/Accepted'],
    ['listenerset-allowed-namespace-selector', 'listenerset-not-in-selected-namespace', 'False/NotAllowed'],
    // a listener whose certificate no ReferenceGrant opens cannot be configured; a Secret the
    // manifests do not hold (the suite makes it at run time) is not judged
    ['listenerset-reference-grant', 'listenerset-with-reference-grant', 'True/Accepted'],
    ['listenerset-reference-grant', 'listenerset-without-reference-grant', 'False/ListenersNotValid'],
  ];
  for (const [file, name, accepted] of rows)
    test(`${file}: ${name} Accepted ${accepted}`, () => {
      const st = gatewayGraph(clusterFor(file)).listenerSets.find((s) => s.listenerSet.id.name === name);
      assert.ok(st, name);
      assert.equal(`${st.accepted ? 'True' : 'False'}/${st.reason}`, accepted, st.message);
    });
});

{
  const all = 'listener-set-listener-allowed-routes-all.com';
  const same = 'listener-set-listener-allowed-routes-same.com';
  const sel = 'listener-set-listener-allowed-routes-selector.com';
  const cross = 'listener-set-listener-allowed-routes-cross-ns-same.com';
  table(
    'ListenerSetAllowedRoutesNamespaces: each ListenerSet listener admits the routes of its allowedRoutes.namespaces',
    'listenerset-allowed-routes-namespaces',
    'gateway-with-listener-sets-test-allowed-routes',
    [
      h(`http://${all}/route-in-same-namespace`, 'infra-backend-v1'),
      h(`http://${all}/route-in-selected-namespace`, 'infra-backend-v2'),
      h(`http://${all}/route-not-in-selected-namespace`, 'infra-backend-v3'),
      h(`http://${same}/route-in-same-namespace`, 'infra-backend-v1'),
      h(`http://${same}/route-in-selected-namespace`, 404),
      h(`http://${same}/route-not-in-selected-namespace`, 404),
      h(`http://${sel}/route-in-same-namespace`, 404),
      h(`http://${sel}/route-in-selected-namespace`, 'infra-backend-v2'),
      h(`http://${sel}/route-not-in-selected-namespace`, 404),
      h(`http://${cross}/route-in-listenerset-namespace`, 'infra-backend-v1'),
      h(`http://${cross}/route-in-gateway-namespace`, 404),
    ],
  );
}
table(
  'ListenerSetDualParentRefIndependence: a parentRef refused by the Gateway does not undo the one the ListenerSet accepts',
  'listenerset-dual-parentref-independence',
  'gateway-dual-parentref',
  [
    h('http://gw-dual.com/dualboth', 'infra-backend-v1'),
    h('http://ls-dual.com/dualboth', 'infra-backend-v1'),
    h('http://ls-dual.com/dualone', 'infra-backend-v2'),
    h('http://gw-dual.com/dualone', 404),
  ],
);

table(
  'HTTPRouteRequestMirror: the request goes to v1 and a copy to v2',
  'httproute-request-mirror',
  'same-namespace',
  [
    { url: 'http://example.com/mirror', expect: 'infra-backend-v1', mirrors: { 'infra-backend-v2': 100 } },
    {
      url: 'http://example.com/mirror-and-modify-headers',
      expect: 'infra-backend-v1',
      headers: { 'X-Header-Remove': 'remove-val', 'X-Header-Add-Append': 'append-val-1' },
      mirrors: { 'infra-backend-v2': 100 },
      backendGets: {
        headers: {
          'X-Header-Add': 'header-val-1',
          'X-Header-Add-Append': 'append-val-1,header-val-2',
          'X-Header-Set': 'set-overwrites-values',
        },
        absent: ['X-Header-Remove'],
      },
    },
  ],
);
table(
  'HTTPRouteRequestMultipleMirrors: copies to v2 and v3',
  'httproute-request-multiple-mirrors',
  'same-namespace',
  [
    {
      url: 'http://example.com/multi-mirror',
      expect: 'infra-backend-v1',
      mirrors: { 'infra-backend-v2': 100, 'infra-backend-v3': 100 },
    },
  ],
);
table(
  'HTTPRouteRequestPercentageMirror: percent 20, fraction 25/50',
  'httproute-request-percentage-mirror',
  'same-namespace',
  [
    {
      url: 'http://example.com/percent-mirror',
      expect: 'infra-backend-v1',
      mirrors: { 'infra-backend-v2': 20 },
    },
    {
      url: 'http://example.com/percent-mirror-fraction',
      expect: 'infra-backend-v1',
      mirrors: { 'infra-backend-v2': 50 },
    },
  ],
);
table('HTTPRouteNamedRule', 'httproute-named-rule', 'same-namespace', [
  h('http://example.com/named', 'infra-backend-v1'),
  h('http://example.com/unnamed', 'infra-backend-v2'),
]);
table(
  'HTTPRouteRequestHeaderModifierBackendWeights: each weighted backend gets its own header',
  'httproute-request-header-modifier-backend-weights',
  'same-namespace',
  [
    {
      url: 'http://example.com/',
      expect: 'infra-backend-v1',
      weights: { 'infra-backend-v1': 50, 'infra-backend-v2': 50 },
    },
  ],
);
table('GRPCRouteWeight: 70/30/0', 'grpcroute-weight', 'same-namespace', [
  {
    ...grpc('grpc.example.com', 'Echo', 'grpc-infra-backend-v1'),
    weights: { 'grpc-infra-backend-v1': 70, 'grpc-infra-backend-v2': 30, 'grpc-infra-backend-v3': 0 },
  },
]);
table(
  'TLSRouteTerminateSimpleSameNamespace',
  'tlsroute-terminate-simple-same-namespace',
  'gateway-tlsroute-terminate',
  [h('tls://tls.example.com:8443', 'tcp-backend')],
);

/** One listener's attachedRoutes and conditions ("Type=Status[/Reason]"); "listenerSet/listener" names a ListenerSet's. */
function listenerHas(
  file: string,
  gateway: string,
  listener: string,
  attached: number,
  conditions: string[],
): void {
  const gw = gatewayGraph(clusterFor(file)).gateways.find((g) => g.gateway.id.name === gateway);
  assert.ok(gw, gateway);
  const [ls, name] = listener.includes('/') ? listener.split('/') : [undefined, listener];
  const l = gw.listeners.find((x) => x.ref.listener.name === name && x.ref.listenerSet?.id.name === ls);
  assert.ok(l, listener);
  assert.equal(l.attached.length, attached);
  for (const want of conditions) {
    const [type, rest] = want.split('=');
    const [status, reason] = rest.split('/');
    const c: Condition | undefined = l.conditions.find((x) => x.type === type);
    assert.equal(c?.status, status, `${want}: ${JSON.stringify(c)}`);
    if (reason) assert.equal(c?.reason, reason, `${want}: ${JSON.stringify(c)}`);
  }
}

describe('listener conflicts between a Gateway and its ListenerSets, and certificate ReferenceGrants', () => {
  const rows: [string, string, string, number, string[]][] = [
    [
      'gateway-secret-invalid-reference-grant',
      'gateway-secret-invalid-reference-grant',
      'https',
      0,
      ['ResolvedRefs=False/RefNotPermitted'],
    ],
    [
      'gateway-secret-missing-reference-grant',
      'gateway-secret-missing-reference-grant',
      'https',
      0,
      ['ResolvedRefs=False/RefNotPermitted'],
    ],
  ];
  for (const kind of ['hostname', 'protocol']) {
    const conflict = kind === 'hostname' ? 'HostnameConflict' : 'ProtocolConflict';
    const file = `listenerset-${kind}-conflict`;
    const gw = `gateway-with-listenerset-${kind}-conflict`;
    rows.push(
      [file, gw, 'gateway-listener', 0, ['Accepted=True', 'Programmed=True']],
      [file, gw, `${kind}-conflict-with-gateway-listener`, 0, ['Accepted=True', 'Programmed=True']],
      [
        file,
        gw,
        `listenerset-with-${kind}-conflict-with-gateway-1/listener-set-1-listener`,
        0,
        ['Accepted=True'],
      ],
      [
        file,
        gw,
        `listenerset-with-${kind}-conflict-with-gateway-1/${kind}-conflict-with-gateway-listener`,
        0,
        [`Accepted=False/${conflict}`, `Conflicted=True/${conflict}`],
      ],
      [
        file,
        gw,
        `listenerset-with-${kind}-conflict-with-gateway-1/${kind}-conflict-with-listener-set-listener`,
        0,
        ['Accepted=True'],
      ],
      [
        file,
        gw,
        `listenerset-with-${kind}-conflict-with-gateway-2/${kind}-conflict-with-gateway-listener`,
        0,
        [`Accepted=False/${conflict}`, `Conflicted=True/${conflict}`],
      ],
      [
        file,
        gw,
        `listenerset-with-${kind}-conflict-with-listener-set-1/listener-set-2-listener`,
        0,
        ['Accepted=True'],
      ],
      [
        file,
        gw,
        `listenerset-with-${kind}-conflict-with-listener-set-1/${kind}-conflict-with-listener-set-listener`,
        0,
        [`Accepted=False/${conflict}`, `Conflicted=True/${conflict}`],
      ],
      [
        file,
        gw,
        `listenerset-with-${kind}-conflict-with-listener-set-2/${kind}-conflict-with-listener-set-listener`,
        0,
        [`Accepted=False/${conflict}`, `Conflicted=True/${conflict}`],
      ],
    );
  }
  for (const [file, gateway, listener, attached, conditions] of rows)
    test(`${file}: ${listener}: ${conditions.join(', ')}`, () =>
      listenerHas(file, gateway, listener, attached, conditions));
  for (const kind of ['hostname', 'protocol'])
    for (const [name, accepted] of [
      [`listenerset-with-${kind}-conflict-with-gateway-1`, true],
      [`listenerset-with-${kind}-conflict-with-gateway-2`, false],
      [`listenerset-with-${kind}-conflict-with-listener-set-1`, true],
      [`listenerset-with-${kind}-conflict-with-listener-set-2`, false],
    ] as [string, boolean][])
      test(`listenerset-${kind}-conflict: ${name} Accepted ${accepted}${accepted ? '' : ' ListenersNotValid'}`, () => {
        const st = gatewayGraph(clusterFor(`listenerset-${kind}-conflict`)).listenerSets.find(
          (x) => x.listenerSet.id.name === name,
        );
        assert.ok(st, name);
        assert.equal(st.accepted, accepted, st.message);
        if (!accepted) assert.equal(st.reason, 'ListenersNotValid');
      });
});

describe('ListenerSetRouteStatusScopedToParentRef: each route is accepted on the parent it names only', () => {
  for (const [route, parent] of [
    ['route-parentref-gwonly', 'gateway-parentref'],
    ['route-parentref-lsonly', 'listenerset-parentref'],
  ])
    test(`${route} → ${parent}: Accepted`, () => {
      const g = gatewayGraph(clusterFor('listenerset-route-status-scoped-to-parentref'));
      const rs = g.routes.find((r) => r.route.id.name === route);
      assert.ok(rs, route);
      assert.deepEqual(
        rs.parents.map((p) => p.parentRef.name),
        [parent],
      );
      assert.equal(
        routeStatus('listenerset-route-status-scoped-to-parentref', route, parent).Accepted,
        'True/Accepted',
      );
    });
});
