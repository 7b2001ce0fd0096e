// BackendTLSPolicy against the certificate the backend serves: when the pods behind the target Service
// mount a TLS Secret the workspace holds, the policy's subjectAltNames (one must match: Hostname
// against the DNS names, URI exactly) or, without them, its hostname must be in that certificate, else
// the Gateway's TLS handshake fails and the request gets a 5xx (conformance BackendTLSPolicySANValidation,
// certificates generated here). A TLSRoute on a TLS listener that terminates re-encrypts through the
// policy (backendtlspolicy-tlsroute-terminate); a Passthrough listener does not use it.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { makeCertificate, tlsSecretYaml } from './support/certs';
import { ResourceIndex } from '../server/src/workspace/index';
import { buildCluster } from '../server/src/model/cluster';
import { parseFile } from '../server/src/syntax/file';
import { resourcesOfFile } from '../server/src/rules/check';
import { resolveGatewayRoute } from '../server/src/engine/gateway';
import type { Cluster } from '../server/src/engine/types';

let cluster: Cluster;

const NS = 'gateway-conformance-infra';

function service(name: string, port = 443): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${NS}
spec:
  selector:
    app: tls-backend
  ports:
  - name: btls
    port: ${port}
    targetPort: 8443
`;
}

function policy(name: string, validation: string): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata:
  name: ${name}
  namespace: ${NS}
spec:
  targetRefs:
  - group: ""
    kind: Service
    name: ${name}
    sectionName: btls
  validation:
    wellKnownCACertificates: System
${validation}`;
}

const CASES: { name: string; validation: string; ok: boolean }[] = [
  {
    name: 'san-dns',
    validation:
      '    hostname: abc.example.com\n    subjectAltNames:\n    - type: Hostname\n      hostname: abc.example.com\n',
    ok: true,
  },
  {
    name: 'san-dns-mismatch',
    validation:
      '    hostname: abc.example.com\n    subjectAltNames:\n    - type: Hostname\n      hostname: dce.example.com\n',
    ok: false,
  },
  {
    name: 'san-uri',
    validation:
      '    hostname: abc.example.com\n    subjectAltNames:\n    - type: URI\n      uri: spiffe://abc.example.com/test-identity\n',
    ok: true,
  },
  {
    name: 'san-uri-mismatch',
    validation:
      '    hostname: abc.example.com\n    subjectAltNames:\n    - type: URI\n      uri: spiffe://def.example.com/test-identity\n',
    ok: false,
  },
  {
    name: 'multiple-sans',
    validation:
      '    hostname: abc.example.com\n    subjectAltNames:\n    - type: URI\n      uri: spiffe://abc.example.com/test-identity\n    - type: Hostname\n      hostname: abc.example.com\n',
    ok: true,
  },
  {
    name: 'multiple-mismatch-sans',
    validation:
      '    hostname: abc.example.com\n    subjectAltNames:\n    - type: URI\n      uri: spiffe://def.example.com/test-identity\n    - type: Hostname\n      hostname: def.example.com\n',
    ok: false,
  },
  { name: 'hostname-only', validation: '    hostname: abc.example.com\n', ok: true },
  { name: 'hostname-mismatch', validation: '    hostname: other.example.com\n', ok: false },
];

before(async () => {
  const cert = await makeCertificate({
    dnsNames: ['abc.example.com'],
    uris: ['spiffe://abc.example.com/test-identity'],
  });
  const docs = [
    `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: same-namespace
  namespace: ${NS}
spec:
  gatewayClassName: example
  listeners:
  - name: http
    port: 80
    protocol: HTTP
  - name: tls-terminate
    port: 8443
    protocol: TLS
    hostname: tls.example.com
    tls:
      mode: Terminate
      certificateRefs:
      - name: tls-terminate-checks-certificate
  - name: tls-passthrough
    port: 9443
    protocol: TLS
    hostname: pass.example.com
    tls:
      mode: Passthrough
`,
    `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: backendtlspolicy-san-test
  namespace: ${NS}
spec:
  parentRefs:
  - name: same-namespace
  hostnames:
  - abc.example.com
  rules:
${CASES.map((c) => `  - matches:\n    - path:\n        type: Exact\n        value: /${c.name}\n    backendRefs:\n    - name: ${c.name}\n      port: 443\n`).join('')}`,
    `apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata:
  name: terminate
  namespace: ${NS}
spec:
  parentRefs:
  - name: same-namespace
    sectionName: tls-terminate
  hostnames:
  - tls.example.com
  rules:
  - backendRefs:
    - name: hostname-mismatch
      port: 443
`,
    `apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata:
  name: passthrough
  namespace: ${NS}
spec:
  parentRefs:
  - name: same-namespace
    sectionName: tls-passthrough
  hostnames:
  - pass.example.com
  rules:
  - backendRefs:
    - name: hostname-mismatch
      port: 443
`,
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: tls-backend
  namespace: ${NS}
spec:
  selector:
    matchLabels:
      app: tls-backend
  template:
    metadata:
      labels:
        app: tls-backend
    spec:
      containers:
      - name: tls-backend
        image: example/echo:1
        ports:
        - containerPort: 8443
      volumes:
      - name: secret-volume
        secret:
          secretName: tls-checks-certificate
`,
    tlsSecretYaml('tls-checks-certificate', cert, { namespace: NS }),
    ...CASES.map((c) => service(c.name)),
    ...CASES.map((c) => policy(c.name, c.validation)),
  ];
  const index = new ResourceIndex();
  index.setFile('file:///btls.yaml', resourcesOfFile(parseFile(docs.join('---\n'))));
  cluster = buildCluster(index);
});

for (const c of CASES) {
  test(`${c.name}: ${c.ok ? 'the certificate carries what the policy validates' : 'the handshake fails: 5xx'}`, () => {
    const r = resolveGatewayRoute(cluster, `http://abc.example.com/${c.name}`, {
      gateway: `${NS}/same-namespace`,
    });
    const m = r.match!;
    assert.ok(m, r.reason);
    const b = m.backends[0];
    assert.equal(b.backendTLS?.policy, `${NS}/${c.name}`);
    if (c.ok) {
      assert.equal(m.status, 200);
      assert.equal(b.invalid, false);
      assert.equal(b.backendTLS?.invalid, false);
    } else {
      assert.equal(m.status, 500);
      assert.equal(b.invalid, true);
      assert.equal(b.reasonCode, 'InvalidBackendTLSPolicy');
      assert.match(
        b.reason!,
        /the certificate the Service's pods serve does not carry .*Secret gateway-conformance-infra\/tls-checks-certificate mounted by Deployment gateway-conformance-infra\/tls-backend names abc\.example\.com, spiffe:\/\/abc\.example\.com\/test-identity\): the Gateway's TLS handshake with this backend fails and it answers 5xx$/,
      );
    }
  });
}

test('the message names what the policy validates: subjectAltNames when given, else the hostname', () => {
  const reason = (name: string) =>
    resolveGatewayRoute(cluster, `http://abc.example.com/${name}`, { gateway: `${NS}/same-namespace` }).match!
      .backends[0].reason!;
  assert.match(reason('hostname-mismatch'), /does not carry its hostname other\.example\.com \(/);
  assert.match(
    reason('san-uri-mismatch'),
    /does not carry its subjectAltName URI spiffe:\/\/def\.example\.com\/test-identity \(/,
  );
  assert.match(
    reason('multiple-mismatch-sans'),
    /does not carry any of its subjectAltNames URI spiffe:\/\/def\.example\.com\/test-identity, Hostname def\.example\.com \(/,
  );
});

test('a TLSRoute on a terminating TLS listener re-encrypts through the policy; Passthrough does not use it', () => {
  const t = resolveGatewayRoute(cluster, 'tls://tls.example.com:8443', { gateway: `${NS}/same-namespace` });
  const tb = t.match!.backends[0];
  assert.equal(tb.backendTLS?.policy, `${NS}/hostname-mismatch`);
  assert.equal(tb.invalid, true);
  assert.equal(tb.reasonCode, 'InvalidBackendTLSPolicy');
  assert.equal(t.match!.status, 500);
  const p = resolveGatewayRoute(cluster, 'tls://pass.example.com:9443', { gateway: `${NS}/same-namespace` });
  const pb = p.match!.backends[0];
  assert.equal(pb.backendTLS, undefined);
  assert.equal(pb.invalid, false);
  assert.equal(p.match!.status, 200);
  assert.ok(
    p.notes.includes(
      `BackendTLSPolicy ${NS}/hostname-mismatch targets Service ${NS}/hostname-mismatch but does not apply here: a Passthrough listener hands the client's TLS stream to the backend unchanged`,
    ),
    p.notes.join('\n'),
  );
});
