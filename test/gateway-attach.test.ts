// Gateway API attachment, ReferenceGrant and backendRef resolution (engine/gateway), on manifests read
// through the real model. Cases follow the Gateway API spec (apis/v1) and its conformance tests
// (gateway-with-attached-routes, httproute-hostname-intersection, httproute-disallowed-kind,
// httproute-invalid-parentref-*, httproute-invalid-cross-namespace-*, httproute-reference-grant,
// httproute-invalid-backendref-unknown-kind, gateway-invalid-route-kind).

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { clusterOf, docs } from './support/cluster';
import { gatewayGraph, parentConditions } from '../server/src/engine/gateway/graph';
import {
  effectiveHostnames,
  gatewayHostMatches,
  intersectHostnames,
} from '../server/src/engine/gateway/hostname';
import type { Cluster } from '../server/src/engine/types';

const NS = (name: string, labels: Record<string, string> = {}) =>
  `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels: {${Object.entries(labels)
    .map(([k, v]) => `"${k}": "${v}"`)
    .join(', ')}}\n`;

const SVC = (name: string, ns: string, ports = [8080]) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector: {app: ${name}}\n  ports:\n${ports.map((p) => `  - port: ${p}\n`).join('')}`;

interface ListenerSpec {
  name: string;
  port?: number;
  protocol?: string;
  hostname?: string;
  from?: string;
  selector?: Record<string, string>;
  kinds?: string[];
  tlsMode?: string;
  certs?: { name: string; namespace?: string; kind?: string }[];
}

function gateway(name: string, ns: string, listeners: ListenerSpec[]): string {
  let y = `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  gatewayClassName: example\n  listeners:\n`;
  for (const l of listeners) {
    y += `  - name: ${l.name}\n    port: ${l.port ?? 80}\n    protocol: ${l.protocol ?? 'HTTP'}\n`;
    if (l.hostname) y += `    hostname: "${l.hostname}"\n`;
    if (l.tlsMode || l.certs) {
      y += `    tls:\n      mode: ${l.tlsMode ?? 'Terminate'}\n`;
      if (l.certs)
        y += `      certificateRefs:\n${l.certs.map((c) => `      - name: ${c.name}\n${c.namespace ? `        namespace: ${c.namespace}\n` : ''}${c.kind ? `        kind: ${c.kind}\n` : ''}`).join('')}`;
    }
    y += `    allowedRoutes:\n      namespaces:\n        from: ${l.from ?? 'Same'}\n`;
    if (l.selector)
      y += `        selector:\n          matchLabels: {${Object.entries(l.selector)
        .map(([k, v]) => `"${k}": "${v}"`)
        .join(', ')}}\n`;
    if (l.kinds) y += `      kinds:\n${l.kinds.map((k) => `      - kind: ${k}\n`).join('')}`;
  }
  return y;
}

interface RouteSpec {
  name: string;
  ns: string;
  kind?: string;
  parents: { name: string; namespace?: string; sectionName?: string; port?: number; kind?: string }[];
  hostnames?: string[];
  backends?: { name: string; namespace?: string; port?: number; kind?: string; group?: string }[];
}

function route(s: RouteSpec): string {
  let y = `apiVersion: gateway.networking.k8s.io/v1\nkind: ${s.kind ?? 'HTTPRoute'}\nmetadata:\n  name: ${s.name}\n  namespace: ${s.ns}\nspec:\n  parentRefs:\n`;
  for (const p of s.parents) {
    y += `  - name: ${p.name}\n`;
    if (p.namespace) y += `    namespace: ${p.namespace}\n`;
    if (p.kind) y += `    kind: ${p.kind}\n`;
    if (p.sectionName) y += `    sectionName: ${p.sectionName}\n`;
    if (p.port) y += `    port: ${p.port}\n`;
  }
  if (s.hostnames) y += `  hostnames:\n${s.hostnames.map((h) => `  - "${h}"\n`).join('')}`;
  y += `  rules:\n  - backendRefs:\n`;
  for (const b of s.backends ?? [{ name: 'web', port: 8080 }]) {
    y += `    - name: ${b.name}\n`;
    if (b.namespace) y += `      namespace: ${b.namespace}\n`;
    if (b.group !== undefined) y += `      group: "${b.group}"\n`;
    if (b.kind) y += `      kind: ${b.kind}\n`;
    if (b.port !== undefined) y += `      port: ${b.port}\n`;
  }
  return y;
}

function grant(
  name: string,
  ns: string,
  from: { kind: string; namespace: string }[],
  to: { kind: string; name?: string; group?: string }[],
): string {
  let y = `apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  from:\n`;
  for (const f of from)
    y += `  - group: gateway.networking.k8s.io\n    kind: ${f.kind}\n    namespace: ${f.namespace}\n`;
  y += '  to:\n';
  for (const t of to)
    y += `  - group: "${t.group ?? ''}"\n    kind: ${t.kind}\n${t.name ? `    name: ${t.name}\n` : ''}`;
  return y;
}

function routeState(c: Cluster, name: string) {
  const st = gatewayGraph(c).routes.find((r) => r.route.id.name === name);
  assert.ok(st, `route ${name} not in the graph`);
  return st;
}

function accepted(c: Cluster, name: string) {
  const st = routeState(c, name);
  return parentConditions(st, st.parents[0])[0];
}

const INFRA = 'infra';
const base = (...more: string[]) =>
  docs(
    NS(INFRA, { 'gateway-conformance': 'infra' }),
    NS('backend', { 'gateway-conformance': 'backend' }),
    NS('other'),
    gateway('same-namespace', INFRA, [{ name: 'http' }]),
    gateway('all-namespaces', INFRA, [{ name: 'http', from: 'All' }]),
    gateway('backend-namespaces', INFRA, [
      { name: 'http', from: 'Selector', selector: { 'gateway-conformance': 'backend' } },
    ]),
    gateway('by-name', INFRA, [
      { name: 'http', from: 'Selector', selector: { 'kubernetes.io/metadata.name': 'other' } },
    ]),
    gateway('ports', INFRA, [
      { name: 'listener-1', port: 80, hostname: 'foo.com' },
      { name: 'listener-2', port: 8080, hostname: 'foo.com' },
      { name: 'listener-3', port: 8080, hostname: 'bar.com' },
    ]),
    gateway('tls-only', INFRA, [
      { name: 'tls', port: 443, protocol: 'TLS', tlsMode: 'Passthrough', kinds: ['TLSRoute'] },
    ]),
    SVC('web', INFRA),
    SVC('web', 'backend'),
    SVC('web', 'other'),
    ...more,
  );

describe('parentRef attachment: Accepted condition per the spec', () => {
  const cases: {
    name: string;
    route: RouteSpec;
    status: 'True' | 'False';
    reason: string;
    message?: RegExp;
  }[] = [
    {
      name: 'same namespace, from: Same',
      route: { name: 'r', ns: INFRA, parents: [{ name: 'same-namespace' }] },
      status: 'True',
      reason: 'Accepted',
    },
    {
      name: 'other namespace, from: Same',
      route: {
        name: 'r',
        ns: 'other',
        parents: [{ name: 'same-namespace', namespace: INFRA }],
        backends: [{ name: 'web', port: 8080 }],
      },
      status: 'False',
      reason: 'NotAllowedByListeners',
      message: /admits routes of namespace infra only/,
    },
    {
      name: 'other namespace, from: All',
      route: { name: 'r', ns: 'other', parents: [{ name: 'all-namespaces', namespace: INFRA }] },
      status: 'True',
      reason: 'Accepted',
    },
    {
      name: 'from: Selector, labels match',
      route: { name: 'r', ns: 'backend', parents: [{ name: 'backend-namespaces', namespace: INFRA }] },
      status: 'True',
      reason: 'Accepted',
    },
    {
      name: 'from: Selector, labels differ',
      route: { name: 'r', ns: 'other', parents: [{ name: 'backend-namespaces', namespace: INFRA }] },
      status: 'False',
      reason: 'NotAllowedByListeners',
      message: /does not match/,
    },
    {
      name: 'from: Selector on the implied kubernetes.io/metadata.name label',
      route: { name: 'r', ns: 'other', parents: [{ name: 'by-name', namespace: INFRA }] },
      status: 'True',
      reason: 'Accepted',
    },
    {
      name: 'parent Gateway in another namespace than written',
      route: { name: 'r', ns: 'other', parents: [{ name: 'same-namespace' }] },
      status: 'False',
      reason: 'NoMatchingParent',
      message: /Gateway other\/same-namespace does not exist/,
    },
    {
      name: 'sectionName names no listener',
      route: { name: 'r', ns: INFRA, parents: [{ name: 'same-namespace', sectionName: 'https' }] },
      status: 'False',
      reason: 'NoMatchingParent',
      message: /no listener named "https"/,
    },
    {
      name: 'port matches no listener',
      route: { name: 'r', ns: INFRA, parents: [{ name: 'same-namespace', port: 81 }] },
      status: 'False',
      reason: 'NoMatchingParent',
      message: /no listener on port 81/,
    },
    {
      name: 'sectionName and port disagree',
      route: { name: 'r', ns: INFRA, parents: [{ name: 'ports', sectionName: 'listener-1', port: 8080 }] },
      status: 'False',
      reason: 'NoMatchingParent',
      message: /listens on port 80, not 8080/,
    },
    {
      name: 'port selects the listeners of that port',
      route: { name: 'r', ns: INFRA, parents: [{ name: 'ports', port: 8080 }] },
      status: 'True',
      reason: 'Accepted',
    },
    {
      name: 'HTTPRoute on a TLSRoute-only listener',
      route: { name: 'r', ns: INFRA, parents: [{ name: 'tls-only' }] },
      status: 'False',
      reason: 'NotAllowedByListeners',
      message: /admits TLSRoute, not HTTPRoute/,
    },
    {
      name: 'hostnames intersect no listener',
      route: { name: 'r', ns: INFRA, parents: [{ name: 'ports' }], hostnames: ['baz.com', '*.foo.org'] },
      status: 'False',
      reason: 'NoMatchingListenerHostname',
    },
    {
      name: 'parentRef kind that is no Gateway',
      route: { name: 'r', ns: INFRA, parents: [{ name: 'same-namespace', kind: 'Service' }] },
      status: 'False',
      reason: 'NoMatchingParent',
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const cond = accepted(clusterOf(base(route(c.route))), c.route.name);
      assert.equal(cond.status, c.status, cond.message);
      assert.equal(cond.reason, c.reason, cond.message);
      if (c.message) assert.match(cond.message, c.message);
    });
  }

  test('a route attaches to the listeners whose port and hostname it matches, with the intersected hostnames', () => {
    const c = clusterOf(
      base(
        route({
          name: 'r',
          ns: INFRA,
          parents: [{ name: 'ports', port: 8080 }],
          hostnames: ['bar.com', 'x.org'],
        }),
      ),
    );
    const st = routeState(c, 'r');
    const verdicts = st.parents[0].listeners.map((v) => [v.listener.listener.name, v.accepted, v.hostnames]);
    assert.deepEqual(verdicts, [
      ['listener-2', false, []],
      ['listener-3', true, ['bar.com']],
    ]);
  });
});

describe('listener status: attachedRoutes and conditions (gateway-with-attached-routes)', () => {
  const files = docs(
    NS(INFRA),
    gateway('two', INFRA, [
      {
        name: 'http',
        hostname: 'foo.example.com',
        kinds: ['HTTPRoute'],
        from: 'Selector',
        selector: { 'kubernetes.io/metadata.name': INFRA },
      },
    ]),
    route({ name: 'http-route-2', ns: INFRA, parents: [{ name: 'two' }] }),
    route({ name: 'http-route-3', ns: INFRA, parents: [{ name: 'two' }] }),
    route({
      name: 'http-route-not-accepted',
      ns: INFRA,
      parents: [{ name: 'two' }],
      hostnames: ['not-accepted.test.com'],
    }),
    gateway('unresolved', INFRA, [
      {
        name: 'tls',
        port: 443,
        protocol: 'HTTPS',
        kinds: ['HTTPRoute'],
        certs: [{ name: 'does-not-exist' }],
      },
    ]),
    route({
      name: 'http-route-4',
      ns: INFRA,
      parents: [{ name: 'unresolved', sectionName: 'tls' }],
      backends: [{ name: 'web', port: 8080 }],
    }),
    gateway('bad-kinds', INFRA, [{ name: 'http', kinds: ['FooRoute'] }]),
    SVC('web', INFRA),
  );
  const c = clusterOf(files);
  const g = gatewayGraph(c);
  const listener = (gw: string, name: string) =>
    g.gateways.find((x) => x.gateway.id.name === gw)!.listeners.find((l) => l.ref.listener.name === name)!;

  test('two routes attached, the third refused with NoMatchingListenerHostname', () => {
    const l = listener('two', 'http');
    assert.deepEqual(
      l.attached.map((a) => a.route.id.name),
      ['http-route-2', 'http-route-3'],
    );
    assert.deepEqual(
      l.refused.map((a) => [a.route.id.name, a.verdict.reason]),
      [['http-route-not-accepted', 'NoMatchingListenerHostname']],
    );
    assert.deepEqual(
      l.conditions.map((x) => `${x.type}=${x.status}`),
      ['Accepted=True', 'ResolvedRefs=True', 'Programmed=True', 'Conflicted=False'],
    );
    assert.equal(accepted(c, 'http-route-not-accepted').reason, 'NoMatchingListenerHostname');
  });

  test('a listener whose certificate Secret is missing still counts its attached route, unresolved and not programmed', () => {
    const l = listener('unresolved', 'tls');
    assert.equal(l.attached.length, 1);
    const byType = Object.fromEntries(l.conditions.map((x) => [x.type, x]));
    assert.equal(byType.ResolvedRefs.status, 'False');
    assert.equal(byType.ResolvedRefs.reason, 'InvalidCertificateRef');
    assert.match(byType.ResolvedRefs.message, /Secret infra\/does-not-exist does not exist/);
    assert.equal(byType.Programmed.status, 'False');
  });

  test('allowedRoutes.kinds naming a kind the protocol cannot carry: InvalidRouteKinds, no route attaches', () => {
    const l = listener('bad-kinds', 'http');
    const rr = l.conditions.find((x) => x.type === 'ResolvedRefs')!;
    assert.equal(rr.reason, 'InvalidRouteKinds');
    assert.deepEqual(l.supportedKinds, []);
    assert.deepEqual(l.invalidKinds, ['FooRoute']);
  });
});

describe('backendRefs and ReferenceGrants: ResolvedRefs condition', () => {
  const cases: {
    name: string;
    backend: RouteSpec['backends'];
    grants?: string[];
    status: 'True' | 'False';
    reason: string;
    message?: RegExp;
  }[] = [
    {
      name: 'Service in the route namespace',
      backend: [{ name: 'web', port: 8080 }],
      status: 'True',
      reason: 'ResolvedRefs',
    },
    {
      name: 'missing Service',
      backend: [{ name: 'nope', port: 8080 }],
      status: 'False',
      reason: 'BackendNotFound',
      message: /Service infra\/nope does not exist/,
    },
    {
      name: 'port the Service does not have',
      backend: [{ name: 'web', port: 9090 }],
      status: 'False',
      reason: 'BackendNotFound',
      message: /has no port 9090 \(its ports: 8080\)/,
    },
    {
      name: 'Service without port',
      backend: [{ name: 'web' }],
      status: 'False',
      reason: 'BackendNotFound',
      message: /has no port/,
    },
    {
      name: 'unknown kind',
      backend: [{ name: 'web', port: 8080, group: 'unknownkind.example.com', kind: 'NonExistent' }],
      status: 'False',
      reason: 'InvalidKind',
      message: /NonExistent of group unknownkind\.example\.com/,
    },
    {
      name: 'cross-namespace without ReferenceGrant',
      backend: [{ name: 'web', namespace: 'backend', port: 8080 }],
      status: 'False',
      reason: 'RefNotPermitted',
      message: /no ReferenceGrant in namespace backend/,
    },
    {
      name: 'cross-namespace with a ReferenceGrant for that Service',
      backend: [{ name: 'web', namespace: 'backend', port: 8080 }],
      grants: [
        grant('g', 'backend', [{ kind: 'HTTPRoute', namespace: INFRA }], [{ kind: 'Service', name: 'web' }]),
      ],
      status: 'True',
      reason: 'ResolvedRefs',
    },
    {
      name: 'cross-namespace with a ReferenceGrant for every Service of the namespace',
      backend: [{ name: 'web', namespace: 'backend', port: 8080 }],
      grants: [grant('g', 'backend', [{ kind: 'HTTPRoute', namespace: INFRA }], [{ kind: 'Service' }])],
      status: 'True',
      reason: 'ResolvedRefs',
    },
    {
      name: 'ReferenceGrant naming another Service',
      backend: [{ name: 'web', namespace: 'backend', port: 8080 }],
      grants: [
        grant(
          'g',
          'backend',
          [{ kind: 'HTTPRoute', namespace: INFRA }],
          [{ kind: 'Service', name: 'not-web' }],
        ),
      ],
      status: 'False',
      reason: 'RefNotPermitted',
    },
    {
      name: 'ReferenceGrant from another route kind',
      backend: [{ name: 'web', namespace: 'backend', port: 8080 }],
      grants: [grant('g', 'backend', [{ kind: 'GRPCRoute', namespace: INFRA }], [{ kind: 'Service' }])],
      status: 'False',
      reason: 'RefNotPermitted',
    },
    {
      name: 'ReferenceGrant from another namespace',
      backend: [{ name: 'web', namespace: 'backend', port: 8080 }],
      grants: [grant('g', 'backend', [{ kind: 'HTTPRoute', namespace: 'other' }], [{ kind: 'Service' }])],
      status: 'False',
      reason: 'RefNotPermitted',
    },
    {
      name: 'ReferenceGrant in the wrong namespace (the route side)',
      backend: [{ name: 'web', namespace: 'backend', port: 8080 }],
      grants: [grant('g', INFRA, [{ kind: 'HTTPRoute', namespace: INFRA }], [{ kind: 'Service' }])],
      status: 'False',
      reason: 'RefNotPermitted',
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const cl = clusterOf(
        base(
          route({ name: 'r', ns: INFRA, parents: [{ name: 'same-namespace' }], backends: c.backend }),
          ...(c.grants ?? []),
        ),
      );
      const st = routeState(cl, 'r');
      assert.equal(st.resolvedRefs.status, c.status, st.resolvedRefs.message);
      assert.equal(st.resolvedRefs.reason, c.reason);
      if (c.message) assert.match(st.resolvedRefs.message, c.message);
      // an invalid backend does not stop the route attaching
      assert.equal(parentConditions(st, st.parents[0])[0].status, 'True');
    });
  }

  test('a cross-namespace certificateRef needs a ReferenceGrant from the Gateway', () => {
    const secret = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: cert\n  namespace: backend\ntype: kubernetes.io/tls\ndata: {tls.crt: "", tls.key: ""}\n`;
    const gw = gateway('tls', INFRA, [
      { name: 'https', port: 443, protocol: 'HTTPS', certs: [{ name: 'cert', namespace: 'backend' }] },
    ]);
    const rr = (more: string[]) =>
      gatewayGraph(clusterOf(base(gw, secret, ...more)))
        .gateways.find((x) => x.gateway.id.name === 'tls')!
        .listeners[0].conditions.find((x) => x.type === 'ResolvedRefs')!;
    assert.equal(rr([]).reason, 'RefNotPermitted');
    assert.equal(
      rr([grant('g', 'backend', [{ kind: 'Gateway', namespace: INFRA }], [{ kind: 'Secret' }])]).status,
      'True',
    );
  });
});

describe('Gateway API host names: a wildcard covers one label or more', () => {
  test('gatewayHostMatches', () => {
    const table: [string, string, boolean][] = [
      ['*.example.com', 'a.example.com', true],
      ['*.example.com', 'a.b.example.com', true],
      ['*.example.com', 'example.com', false],
      ['*.example.com', 'aexample.com', false],
      ['foo.example.com', 'FOO.example.com.', true],
      ['foo.example.com', 'bar.example.com', false],
    ];
    for (const [p, h, want] of table) assert.equal(gatewayHostMatches(p, h), want, `${p} vs ${h}`);
  });

  test('intersectHostnames (httproute-hostname-intersection)', () => {
    const table: [string | undefined, string | undefined, string | undefined | null][] = [
      ['very.specific.com', 'very.specific.com', 'very.specific.com'],
      ['very.specific.com', '*.specific.com', 'very.specific.com'],
      ['very.specific.com', 'non.matching.com', null],
      ['*.wildcard.io', 'foo.bar.wildcard.io', 'foo.bar.wildcard.io'],
      ['*.wildcard.io', 'wildcard.io', null],
      ['*.anotherwildcard.io', '*.anotherwildcard.io', '*.anotherwildcard.io'],
      ['*.example.com', '*.foo.example.com', '*.foo.example.com'],
      ['*.foo.example.com', '*.example.com', '*.foo.example.com'],
      [undefined, 'a.com', 'a.com'],
      ['a.com', undefined, 'a.com'],
      [undefined, undefined, undefined],
    ];
    for (const [l, r, want] of table) assert.equal(intersectHostnames(l, r), want, `${l} ∩ ${r}`);
    assert.deepEqual(
      effectiveHostnames('*.wildcard.io', [
        'non.matching.com',
        'wildcard.io',
        'foo.wildcard.io',
        'bar.wildcard.io',
      ]),
      ['foo.wildcard.io', 'bar.wildcard.io'],
    );
    assert.deepEqual(effectiveHostnames(undefined, []), [undefined]);
  });
});
