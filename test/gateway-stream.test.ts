// TLS, TCP and UDP routes through route --gateway (tls://SNI, tcp://host:port, udp://host:port), an
// HTTPRoute and a GRPCRoute sharing host names on one listener, and BackendTLSPolicy (its conditions,
// and the 5xx a backend gets when its policy's CA reference is invalid). Cases follow the conformance
// tests tlsroute-hostname-intersection, tcproute-multiple-routes-attachment, tcproute-weighted-routing,
// udproute-simple, backendtlspolicy, backendtlspolicy-invalid-ca-certificate-ref,
// backendtlspolicy-invalid-kind and backendtlspolicy-conflict-resolution, and grpcroute_types.go.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { clusterOf, docs } from './support/cluster';
import { resolveGatewayRoute } from '../server/src/engine/gateway/resolve';
import { gatewayGraph } from '../server/src/engine/gateway/graph';
import { backendTlsGraph } from '../server/src/engine/gateway/backend-tls';

const NS = 'infra';
const svc = (name: string, port = 443, portName = 'https') =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${NS}\nspec:\n  ports:\n  - name: ${portName}\n    port: ${port}\n`;

function gw(
  name: string,
  listeners: { name: string; protocol: string; port: number; hostname?: string; mode?: string }[],
): string {
  let y = `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: ${name}\n  namespace: ${NS}\nspec:\n  gatewayClassName: example\n  listeners:\n`;
  for (const l of listeners) {
    y += `  - name: ${l.name}\n    protocol: ${l.protocol}\n    port: ${l.port}\n${l.hostname ? `    hostname: "${l.hostname}"\n` : ''}`;
    if (l.mode)
      y += `    tls:\n      mode: ${l.mode}\n${l.mode === 'Terminate' ? '      certificateRefs:\n      - name: cert\n' : ''}`;
  }
  return y;
}

function streamRoute(
  kind: string,
  name: string,
  parent: string,
  opts: {
    hostnames?: string[];
    backends: [string, number, number?][];
    created?: string;
    apiVersion?: string;
  },
): string {
  let y = `apiVersion: gateway.networking.k8s.io/${opts.apiVersion ?? 'v1'}\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: ${NS}\n${opts.created ? `  creationTimestamp: "${opts.created}"\n` : ''}spec:\n  parentRefs:\n  - name: ${parent}\n`;
  if (opts.hostnames) y += `  hostnames:\n${opts.hostnames.map((h) => `  - "${h}"\n`).join('')}`;
  y += `  rules:\n  - backendRefs:\n${opts.backends.map(([n, p, w]) => `    - name: ${n}\n      port: ${p}\n${w !== undefined ? `      weight: ${w}\n` : ''}`).join('')}`;
  return y;
}

describe('TLSRoute: SNI picks the listener, then the most specific route hostname', () => {
  const c = clusterOf(
    docs(
      gw('wild', [
        { name: 'tls', protocol: 'TLS', port: 443, hostname: '*.example.com', mode: 'Passthrough' },
      ]),
      streamRoute('TLSRoute', 'exact', 'wild', {
        hostnames: ['abc.example.com'],
        backends: [['tls-backend', 443]],
      }),
      streamRoute('TLSRoute', 'wildcard', 'wild', {
        hostnames: ['*.example.com'],
        backends: [['tls-backend-2', 443]],
      }),
      svc('tls-backend'),
      svc('tls-backend-2'),
    ),
  );
  const at = (url: string) => resolveGatewayRoute(c, url, { gateway: `${NS}/wild` });

  test('an exact route hostname outranks a wildcard one; the port defaults to 443', () => {
    const r = at('tls://abc.example.com');
    assert.equal(r.match?.backend?.service, 'tls-backend');
    assert.equal(r.match?.routeKind, 'TLSRoute');
    assert.deepEqual(r.match?.matched, { sni: 'abc.example.com', tlsMode: 'Passthrough' });
    assert.deepEqual(
      r.outranked.map((o) => o.route),
      [`${NS}/wildcard`],
    );
    assert.equal(at('tls://other.example.com:443').match?.backend?.service, 'tls-backend-2');
  });

  test('an SNI no listener accepts, or a port with no TLS listener, is rejected with the reason', () => {
    const r = at('tls://non.matching.com');
    assert.equal(r.match, null);
    assert.match(
      r.reason ?? '',
      /^rejected: no TLS listener of Gateway infra\/wild on port 443 accepts SNI non\.matching\.com/,
    );
    assert.match(
      at('tls://abc.example.com:8443').reason ?? '',
      /^rejected: no TLS listener .* listens on port 8443 \(its TLS ports: 443\)/,
    );
  });

  test('bad URLs', () => {
    assert.match(at('tls://:443').error ?? '', /has no host/);
    assert.match(
      resolveGatewayRoute(c, 'tcp://gw.example', { gateway: `${NS}/wild` }).error ?? '',
      /needs a port/,
    );
    assert.match(at('tls://abc.example.com/path').error ?? '', /has no path/);
  });
});

describe('TCPRoute and UDPRoute: the oldest attached route takes every connection, split by weight', () => {
  const c = clusterOf(
    docs(
      gw('l4', [
        { name: 'tcp', protocol: 'TCP', port: 5432 },
        { name: 'dns', protocol: 'UDP', port: 53 },
      ]),
      streamRoute('TCPRoute', 'newer', 'l4', {
        backends: [['tcp-backend-2', 5432]],
        created: '2026-03-01T00:00:00Z',
        apiVersion: 'v1alpha2',
      }),
      streamRoute('TCPRoute', 'older', 'l4', {
        backends: [
          ['tcp-backend-1', 5432, 70],
          ['tcp-backend-3', 5432, 30],
          ['tcp-backend-zero', 5432, 0],
        ],
        created: '2026-01-01T00:00:00Z',
        apiVersion: 'v1alpha2',
      }),
      streamRoute('UDPRoute', 'coredns', 'l4', { backends: [['coredns', 53]], apiVersion: 'v1alpha2' }),
      svc('tcp-backend-1', 5432, 'pg'),
      svc('tcp-backend-2', 5432, 'pg'),
      svc('tcp-backend-3', 5432, 'pg'),
      svc('tcp-backend-zero', 5432, 'pg'),
      svc('coredns', 53, 'dns'),
    ),
  );
  test('both routes attach (the listener counts 2); the older one serves', () => {
    const g = gatewayGraph(c);
    assert.equal(g.gateways[0].listeners.find((l) => l.ref.listener.name === 'tcp')!.attached.length, 2);
    const r = resolveGatewayRoute(c, 'tcp://10.0.0.1:5432', { gateway: `${NS}/l4` });
    assert.equal(r.match?.route, `${NS}/older`);
    assert.deepEqual(
      r.match?.backends.map((b) => [b.service, b.percent]),
      [
        ['tcp-backend-1', 70],
        ['tcp-backend-3', 30],
        ['tcp-backend-zero', 0],
      ],
    );
    assert.equal(r.match?.backend?.service, 'tcp-backend-1');
    assert.ok(
      r.notes.some((n) => /the oldest .* takes every connection/.test(n)),
      r.notes.join('\n'),
    );
  });
  test('UDP', () => {
    assert.equal(
      resolveGatewayRoute(c, 'udp://dns.example:53', { gateway: `${NS}/l4` }).match?.backend?.service,
      'coredns',
    );
    assert.match(
      resolveGatewayRoute(c, 'udp://dns.example:54', { gateway: `${NS}/l4` }).reason ?? '',
      /^rejected: no UDP listener/,
    );
  });
});

describe('an HTTPRoute and a GRPCRoute with meeting host names on one listener: the older is kept', () => {
  const route = (kind: string, name: string, created: string, host: string) =>
    `apiVersion: gateway.networking.k8s.io/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: ${NS}\n  creationTimestamp: "${created}"\nspec:\n  parentRefs:\n  - name: web\n  hostnames: ["${host}"]\n  rules:\n  - backendRefs:\n    - {name: app, port: 8080}\n`;
  const c = clusterOf(
    docs(
      gw('web', [{ name: 'http', protocol: 'HTTP', port: 80 }]),
      route('GRPCRoute', 'grpc-old', '2026-01-01T00:00:00Z', '*.example.com'),
      route('HTTPRoute', 'http-new', '2026-02-01T00:00:00Z', 'shop.example.com'),
      route('HTTPRoute', 'http-other-host', '2026-02-01T00:00:00Z', 'shop.example.org'),
      svc('app', 8080, 'http'),
    ),
  );
  test('the newer HTTPRoute is refused on the listener; one on another host name stays', () => {
    const g = gatewayGraph(c);
    const p = (name: string) => g.routes.find((r) => r.route.id.name === name)!.parents[0];
    assert.equal(p('grpc-old').accepted, true);
    assert.equal(p('http-other-host').accepted, true);
    assert.equal(p('http-new').accepted, false);
    assert.equal(p('http-new').reason, 'NotAllowedByListeners');
    assert.match(
      p('http-new').message,
      /already serves GRPCRoute infra\/grpc-old on \*\.example\.com, which meets this HTTPRoute's shop\.example\.com: an HTTPRoute and a GRPCRoute may not share host names on one listener/,
    );
    assert.match(
      resolveGatewayRoute(c, 'http://shop.example.com/', { gateway: `${NS}/web` }).match?.route ?? '',
      /grpc-old/,
    );
  });
});

describe('BackendTLSPolicy', () => {
  const policy = (
    name: string,
    target: string,
    ca: string,
    opts: { created?: string; sectionName?: string; caKind?: string; caGroup?: string } = {},
  ) =>
    `apiVersion: gateway.networking.k8s.io/v1\nkind: BackendTLSPolicy\nmetadata:\n  name: ${name}\n  namespace: ${NS}\n${opts.created ? `  creationTimestamp: "${opts.created}"\n` : ''}spec:\n  targetRefs:\n  - group: ""\n    kind: Service\n    name: ${target}\n${opts.sectionName ? `    sectionName: ${opts.sectionName}\n` : ''}  validation:\n    caCertificateRefs:\n    - group: "${opts.caGroup ?? ''}"\n      kind: ${opts.caKind ?? 'ConfigMap'}\n      name: ${ca}\n    hostname: abc.example.com\n`;
  const configMap = (name: string, data: string) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${NS}\n${data}`;
  const PEM =
    'data:\n  ca.crt: |\n    -----BEGIN CERTIFICATE-----\n    MIIB\n    -----END CERTIFICATE-----\n';
  const httpRoute = `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r\n  namespace: ${NS}\nspec:\n  parentRefs:\n  - name: web\n  rules:\n${['good', 'missing-ca', 'empty-ca', 'bad-kind', 'conflicted'].map((s) => `  - matches: [{path: {type: Exact, value: /${s}}}]\n    backendRefs: [{name: ${s}, port: 443}]\n`).join('')}`;
  const c = clusterOf(
    docs(
      gw('web', [{ name: 'http', protocol: 'HTTP', port: 80 }]),
      httpRoute,
      ...['good', 'missing-ca', 'empty-ca', 'bad-kind', 'conflicted'].map((s) => svc(s)),
      configMap('ca', PEM),
      configMap('empty', 'data: {}\n'),
      policy('good', 'good', 'ca'),
      policy('missing-ca', 'missing-ca', 'nonexistent'),
      policy('empty-ca', 'empty-ca', 'empty'),
      policy('bad-kind', 'bad-kind', 'x', { caKind: 'InvalidKind', caGroup: 'invalid.io' }),
      policy('conflicted-1', 'conflicted', 'ca', { created: '2026-01-01T00:00:00Z' }),
      policy('conflicted-2', 'conflicted', 'ca', { created: '2026-02-01T00:00:00Z' }),
    ),
  );
  const cond = (name: string) => {
    const st = backendTlsGraph(c).policies.find((p) => p.policy.id.name === name)!;
    return `${st.accepted.status}:${st.accepted.reason} ${st.resolvedRefs.status}:${st.resolvedRefs.reason}`;
  };
  test('conditions', () => {
    assert.equal(cond('good'), 'True:Accepted True:ResolvedRefs');
    assert.equal(cond('missing-ca'), 'False:NoValidCACertificate False:InvalidCACertificateRef');
    assert.equal(cond('empty-ca'), 'False:NoValidCACertificate False:InvalidCACertificateRef');
    assert.equal(cond('bad-kind'), 'False:NoValidCACertificate False:InvalidKind');
    assert.equal(cond('conflicted-1'), 'True:Accepted True:ResolvedRefs');
    assert.equal(cond('conflicted-2'), 'False:Conflicted True:ResolvedRefs');
  });
  test('a request to a backend whose policy has no valid CA gets 5xx; a valid policy is shown on the backend', () => {
    const at = (path: string) =>
      resolveGatewayRoute(c, `http://abc.example.com${path}`, { gateway: `${NS}/web` }).match!;
    const good = at('/good');
    assert.equal(good.status, 200);
    assert.deepEqual(good.backends[0].backendTLS && { ...good.backends[0].backendTLS, message: undefined }, {
      policy: `${NS}/good`,
      hostname: 'abc.example.com',
      invalid: false,
      message: undefined,
    });
    for (const p of ['/missing-ca', '/empty-ca', '/bad-kind']) {
      const m = at(p);
      assert.equal(m.status, 500, p);
      assert.equal(m.invalid, true, p);
      assert.equal(m.backends[0].reasonCode, 'InvalidBackendTLSPolicy', p);
      assert.match(m.reason ?? '', /connections to it fail and the Gateway answers 5xx/, p);
    }
    assert.equal(at('/conflicted').backends[0].backendTLS?.policy, `${NS}/conflicted-1`);
  });
  test('a CA ConfigMap is judged missing only when the manifests hold ConfigMaps of its namespace', () => {
    const bare = clusterOf(docs(svc('good'), policy('p', 'good', 'generated-elsewhere')));
    const st = backendTlsGraph(bare).policies[0];
    assert.equal(st.resolvedRefs.status, 'True');
    assert.equal(st.caRefs[0].unknown, true);
  });
});
