// The BackendTLSPolicy tests of the Gateway API conformance suite over their unchanged manifests plus the
// objects the suite makes at run time (conformance/utils/suite/suite.go): a CA in ConfigMap
// tls-checks-ca-certificate, the certificate it issues for the TLS backend (Secret tls-checks-certificate:
// abc.example.com, spiffe://abc.example.com/test-identity, other.example.com), and another CA in
// mismatch-ca-certificate; they are generated here. With them in the workspace, the policies' conditions and
// the answers to the .go files' requests must be the suite's.

import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { clusterOf } from './support/cluster';
import { ROOT } from './support/lsp-client';
import { caConfigMapYaml, makeCertificate, makeCertificateAuthority, tlsSecretYaml } from './support/certs';
import type { TestCa } from './support/certs';
import { backendTlsGraph, gatewayGraph, resolveGatewayRoute } from '../server/src/engine/gateway';
import type { Cluster } from '../server/src/engine/types';

const DIR = path.join(ROOT, 'test', 'fixtures', 'gateway-conformance');
const NS = 'gateway-conformance-infra';
const load = (n: string) =>
  readFileSync(path.join(DIR, `${n}.yaml`), 'utf8').replaceAll('{GATEWAY_CLASS_NAME}', 'gateway-conformance');

const caMap = (name: string, ca: TestCa) => caConfigMapYaml(name, NS, [ca]);

let runtime: Record<string, string>;
before(async () => {
  const ca = await makeCertificateAuthority('gateway-conformance CA');
  const other = await makeCertificateAuthority('mismatch CA');
  const leaf = await makeCertificate({
    dnsNames: ['abc.example.com', 'other.example.com'],
    uris: ['spiffe://abc.example.com/test-identity'],
    issuer: ca,
  });
  runtime = {
    'runtime.yaml': [
      caMap('tls-checks-ca-certificate', ca),
      caMap('mismatch-ca-certificate', other),
      tlsSecretYaml('tls-checks-certificate', leaf, { namespace: NS }),
      // the listener certificate the GatewaySecretReferenceGrant tests open with a ReferenceGrant
      tlsSecretYaml('certificate', leaf, { namespace: 'gateway-conformance-web-backend' }),
    ].join('---\n'),
  };
});

const clusters = new Map<string, Cluster>();
function clusterFor(name: string): Cluster {
  let c = clusters.get(name);
  if (!c)
    clusters.set(
      name,
      (c = clusterOf({ 'base.yaml': load('base'), [`${name}.yaml`]: load(name), ...runtime })),
    );
  return c;
}

function accepted(file: string, policy: string): string {
  const st = backendTlsGraph(clusterFor(file)).policies.find((p) => p.policy.id.name === policy);
  assert.ok(st, policy);
  return `${st.accepted.status}/${st.accepted.reason}`;
}

function status(file: string, gateway: string, url: string): number | undefined {
  return resolveGatewayRoute(clusterFor(file), url, { gateway: `${NS}/${gateway}` }).match?.status;
}

describe('BackendTLSPolicyConflictResolution: the older policy (then the first by name) for a target and sectionName wins', () => {
  const F = 'backendtlspolicy-conflict-resolution';
  const rows: [string, string][] = [
    ['conflicted-without-section-name-1', 'True/Accepted'],
    ['conflicted-without-section-name-2', 'False/Conflicted'],
    ['conflicted-with-section-name-1', 'True/Accepted'],
    ['conflicted-with-section-name-2', 'False/Conflicted'],
    ['not-conflicted-with-section-name', 'True/Accepted'],
    ['not-conflicted-without-section-name', 'True/Accepted'],
  ];
  for (const [policy, want] of rows)
    test(`${policy}: Accepted ${want}`, () => assert.equal(accepted(F, policy), want));
  for (const p of [
    '/backendtlspolicy-conflicted-without-section-name',
    '/backendtlspolicy-conflicted-with-section-name',
    '/backendtlspolicy-not-conflicted-with-section-name',
    '/backendtlspolicy-not-conflicted-without-section-name',
  ])
    test(`${p} → 200`, () => assert.equal(status(F, 'same-namespace', `http://abc.example.com${p}`), 200));
});

describe('BackendTLSPolicy: a valid policy lets the request through; a hostname or CA the certificate does not match gets 5xx', () => {
  const F = 'backendtlspolicy';
  test('normative-test: Accepted', () => assert.equal(accepted(F, 'normative-test'), 'True/Accepted'));
  test('/backendtlspolicy → 200', () =>
    assert.equal(status(F, 'same-namespace', 'http://abc.example.com/backendtlspolicy'), 200));
  // the .go sends it with Host abc.example.org, which the route (abc.example.com) does not serve: any failure
  // passes there; through the route's host, the certificate does not carry mismatch.example.com: 5xx
  test('/backendtlspolicy-host-mismatch → a failure', () =>
    assert.ok(
      (status(F, 'same-namespace', 'http://abc.example.org/backendtlspolicy-host-mismatch') ?? 404) >= 404,
    ));
  test("/backendtlspolicy-host-mismatch on the route's host → 5xx", () =>
    assert.ok(
      (status(F, 'same-namespace', 'http://abc.example.com/backendtlspolicy-host-mismatch') ?? 0) >= 500,
    ));
  test('/backendtlspolicy-cert-mismatch → 5xx', () =>
    assert.ok(
      (status(F, 'same-namespace', 'http://abc.example.com/backendtlspolicy-cert-mismatch') ?? 0) >= 500,
    ));
});

describe('GatewaySecretReferenceGrantAllInNamespace, GatewaySecretReferenceGrantSpecific: the grant opens the Secret', () => {
  for (const f of [
    'gateway-secret-reference-grant-all-in-namespace',
    'gateway-secret-reference-grant-specific',
  ])
    test(`${f}: the https listener is Programmed`, () => {
      const gw = gatewayGraph(clusterFor(f)).gateways.find((g) => g.gateway.id.name === f);
      assert.ok(gw, f);
      const l = gw.listeners.find((x) => x.ref.listener.name === 'https');
      assert.equal(
        l?.conditions.find((c) => c.type === 'ResolvedRefs')?.status,
        'True',
        JSON.stringify(l?.conditions),
      );
      assert.equal(l?.conditions.find((c) => c.type === 'Programmed')?.status, 'True');
    });
});

describe('BackendTLSPolicyInvalidCACertificateRef, BackendTLSPolicyInvalidKind: no valid CA, requests 5xx', () => {
  const rows: [string, string, string, string][] = [
    [
      'backendtlspolicy-invalid-ca-certificate-ref',
      'nonexistent-ca-certificate-ref',
      'False/NoValidCACertificate',
      'False/InvalidCACertificateRef',
    ],
    [
      'backendtlspolicy-invalid-ca-certificate-ref',
      'malformed-ca-certificate-ref',
      'False/NoValidCACertificate',
      'False/InvalidCACertificateRef',
    ],
    ['backendtlspolicy-invalid-kind', 'invalid-kind', 'False/NoValidCACertificate', 'False/InvalidKind'],
  ];
  for (const [file, policy, acc, resolved] of rows)
    test(`${policy}: Accepted ${acc}, ResolvedRefs ${resolved}, /backendtlspolicy-${policy} → 5xx`, () => {
      const st = backendTlsGraph(clusterFor(file)).policies.find((p) => p.policy.id.name === policy);
      assert.ok(st, policy);
      assert.equal(`${st.accepted.status}/${st.accepted.reason}`, acc);
      assert.equal(`${st.resolvedRefs.status}/${st.resolvedRefs.reason}`, resolved);
      // the routes serve abc.example.com
      assert.ok(
        (status(file, 'same-namespace', `http://abc.example.com/backendtlspolicy-${policy}`) ?? 0) >= 500,
      );
    });
});
