// BackendTLSPolicy caCertificateRefs against the chain the backend serves (apis/v1
// BackendTLSPolicyValidation: the certificate the backend serves is validated against the CA bundle of
// the ConfigMap's ca.crt). CAs, intermediates and leaves are made here at test time; the pods behind
// each Service mount the TLS Secret whose tls.crt holds the leaf, then its intermediates. A chain that
// leads to no CA of the bundle fails the Gateway's TLS handshake: the route answers 5xx
// (InvalidBackendTLSPolicy), the rule backendtlspolicy-ca-untrusted says why with the subjects and
// issuers; wellKnownCACertificates cannot be checked offline (information).

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { caConfigMapYaml, makeCertificate, makeCertificateAuthority, tlsSecretYaml } from './support/certs';
import type { TestCa } from './support/certs';
import { ResourceIndex } from '../server/src/workspace/index';
import { buildCluster } from '../server/src/model/cluster';
import { parseFile } from '../server/src/syntax/file';
import { resourcesOfFile } from '../server/src/rules/check';
import { resolveGatewayRoute } from '../server/src/engine/gateway';
import type { Cluster } from '../server/src/engine/types';
import { TextWorkspace } from '../server/src/service/documents';
import { createLanguageService } from '../server/src/service/language-service';

const NS = 'shop';
const URI = 'file:///work/btls-ca.yaml';
let cluster: Cluster;
let text: string;

const caMap = (name: string, cas: TestCa[]) => caConfigMapYaml(name, NS, cas);

function workload(name: string, secret: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${NS}
spec:
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: server
        image: example/backend:1
        ports:
        - name: https
          containerPort: 8443
      volumes:
      - name: certs
        secret:
          secretName: ${secret}
`;
}

/** A Service selecting `app`, a BackendTLSPolicy for it, and an HTTPRoute rule /NAME to it. */
const CASES: { name: string; app: string; validation: string; trusted: boolean | null }[] = [
  {
    name: 'root',
    app: 'chain',
    validation: 'caCertificateRefs: [{group: "", kind: ConfigMap, name: root-ca}]',
    trusted: true,
  },
  {
    name: 'other',
    app: 'chain',
    validation: 'caCertificateRefs: [{group: "", kind: ConfigMap, name: other-ca}]',
    trusted: false,
  },
  {
    name: 'bundle',
    app: 'chain',
    validation: 'caCertificateRefs: [{group: "", kind: ConfigMap, name: two-cas}]',
    trusted: true,
  },
  {
    name: 'two-refs',
    app: 'chain',
    validation:
      'caCertificateRefs: [{group: "", kind: ConfigMap, name: other-ca}, {group: "", kind: ConfigMap, name: root-ca}]',
    trusted: true,
  },
  {
    name: 'no-intermediate',
    app: 'leaf-only',
    validation: 'caCertificateRefs: [{group: "", kind: ConfigMap, name: root-ca}]',
    trusted: false,
  },
  {
    name: 'issuing',
    app: 'leaf-only',
    validation: 'caCertificateRefs: [{group: "", kind: ConfigMap, name: issuing-ca}]',
    trusted: true,
  },
  { name: 'system', app: 'chain', validation: 'wellKnownCACertificates: System', trusted: null },
];

before(async () => {
  const root = await makeCertificateAuthority('Shop Root CA');
  const issuing = await makeCertificateAuthority('Shop Issuing CA', root);
  const other = await makeCertificateAuthority('Other CA');
  const leaf = await makeCertificate({ dnsNames: ['backend.shop.svc'], issuer: issuing });
  const docs = [
    `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: web
  namespace: ${NS}
spec:
  gatewayClassName: example
  listeners:
  - name: http
    port: 80
    protocol: HTTP
`,
    `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
  namespace: ${NS}
spec:
  parentRefs:
  - name: web
  rules:
${CASES.map((c) => `  - matches:\n    - path:\n        type: Exact\n        value: /${c.name}\n    backendRefs:\n    - name: ${c.name}\n      port: 443\n`).join('')}`,
    // tls.crt: the leaf then its intermediate; or the leaf alone
    tlsSecretYaml(
      'chain-tls',
      { certPem: leaf.certPem + issuing.certPem, keyPem: leaf.keyPem },
      { namespace: NS },
    ),
    tlsSecretYaml('leaf-tls', leaf, { namespace: NS }),
    workload('chain', 'chain-tls'),
    workload('leaf-only', 'leaf-tls'),
    caMap('root-ca', [root]),
    caMap('issuing-ca', [issuing]),
    caMap('other-ca', [other]),
    caMap('two-cas', [other, root]),
    ...CASES.map(
      (c) => `apiVersion: v1
kind: Service
metadata:
  name: ${c.name}
  namespace: ${NS}
spec:
  selector:
    app: ${c.app}
  ports:
  - name: https
    port: 443
    targetPort: https
`,
    ),
    ...CASES.map(
      (c) => `apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata:
  name: ${c.name}
  namespace: ${NS}
spec:
  targetRefs:
  - group: ""
    kind: Service
    name: ${c.name}
  validation:
    ${c.validation}
    hostname: backend.shop.svc
`,
    ),
  ];
  text = docs.join('---\n');
  const index = new ResourceIndex();
  index.setFile(URI, resourcesOfFile(parseFile(text)));
  cluster = buildCluster(index);
});

function answer(name: string) {
  const r = resolveGatewayRoute(cluster, `http://backend.example.com/${name}`, { gateway: `${NS}/web` });
  assert.ok(r.match, r.reason);
  return r.match;
}

for (const c of CASES) {
  test(`${c.name}: ${c.trusted === null ? 'well-known CAs are not checked offline' : c.trusted ? 'the chain leads to a CA of the bundle' : 'no CA of the bundle trusts the chain: 5xx'}`, () => {
    const m = answer(c.name);
    const b = m.backends[0];
    assert.equal(b.backendTLS?.policy, `${NS}/${c.name}`);
    if (c.trusted === false) {
      assert.equal(m.status, 500);
      assert.equal(b.invalid, true);
      assert.equal(b.reasonCode, 'InvalidBackendTLSPolicy');
      assert.match(b.reason!, /does not chain to a CA of ConfigMap shop\//);
    } else {
      assert.equal(m.status, 200);
      assert.equal(b.invalid, false);
    }
  });
}

test('the reason names the certificate, its issuer, where the chain ends and the CAs of the bundle', () => {
  assert.equal(
    answer('other').backends[0].reason,
    `BackendTLSPolicy shop/other: the certificate the Service's pods serve does not chain to a CA of ConfigMap shop/other-ca (CN=Other CA, O=Kube NetLens Tests): Secret shop/chain-tls mounted by Deployment shop/chain holds "CN=backend.shop.svc, O=Kube NetLens Tests" issued by "CN=Shop Issuing CA, O=Kube NetLens Tests"; its chain ends at "CN=Shop Issuing CA, O=Kube NetLens Tests" issued by "CN=Shop Root CA, O=Kube NetLens Tests": the Gateway's TLS handshake with this backend fails and it answers 5xx`,
  );
  // tls.crt without the intermediate: the root CA cannot be reached from the leaf
  assert.match(
    answer('no-intermediate').backends[0].reason!,
    /holds "CN=backend\.shop\.svc, O=Kube NetLens Tests" issued by "CN=Shop Issuing CA, O=Kube NetLens Tests": the Gateway's TLS handshake/,
  );
});

test('the rule reports at caCertificateRefs (error) and at wellKnownCACertificates (information)', () => {
  const ws = new TextWorkspace();
  const service = createLanguageService(ws);
  ws.set(URI, text);
  const found = service
    .doValidation(URI)
    .filter((d) => d.code === 'backendtlspolicy-ca-untrusted')
    .map((d) => ({
      severity: d.severity,
      key: text.split('\n')[d.range.start.line].slice(d.range.start.character, d.range.end.character),
      service: /^Service ([\w-]+):/.exec(String(d.message))?.[1],
    }));
  assert.deepEqual(found, [
    { severity: 1, key: 'caCertificateRefs', service: 'other' },
    { severity: 1, key: 'caCertificateRefs', service: 'no-intermediate' },
    { severity: 3, key: 'wellKnownCACertificates', service: 'system' },
  ]);
});

test('hover on a BackendTLSPolicy: what it validates and, per target, the served certificate and its chain', () => {
  const ws = new TextWorkspace();
  const service = createLanguageService(ws);
  ws.set(URI, text);
  const lines = text.split('\n');
  const hoverOn = (policy: string) => {
    // the policy's metadata.name line: the first "  name: <policy>" after "kind: BackendTLSPolicy"
    const line = lines.findIndex(
      (l, i) => l === `  name: ${policy}` && lines[i - 2] === 'kind: BackendTLSPolicy',
    );
    assert.ok(line >= 0, policy);
    const h = service.doHover(URI, { line, character: 10 });
    assert.ok(h, policy);
    return (h.contents as { value: string }).value;
  };
  const other = hoverOn('other');
  assert.match(
    other,
    /^\*\*BackendTLSPolicy shop\/other\*\*: the Gateway connects to its targets over TLS, sending SNI `backend\.shop\.svc`/,
  );
  assert.match(other, /chains to the CA certificates of ConfigMap `other-ca`/);
  assert.match(
    other,
    /Secret `shop\/chain-tls` mounted by Deployment shop\/chain: `CN=backend\.shop\.svc, O=Kube NetLens Tests`, issued by `CN=Shop Issuing CA, O=Kube NetLens Tests`; carries its hostname backend\.shop\.svc; its chain does \*\*not\*\* lead to the policy’s CA \(it ends at `CN=Shop Issuing CA, O=Kube NetLens Tests`, issued by `CN=Shop Root CA, O=Kube NetLens Tests`\)/,
  );
  assert.match(hoverOn('root'), /its chain leads to the policy’s CA/);
  assert.match(
    hoverOn('system'),
    /the CA set `System`, which the Gateway’s implementation holds \(not checkable offline\)/,
  );
});
