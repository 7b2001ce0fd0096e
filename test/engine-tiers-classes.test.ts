// The matrix computes each side once per class of rows that no policy can tell apart (same namespace,
// pod labels, pod IPs and container ports: reach-matrix.ts endpointClasses). Here many workloads share
// classes, and some differ only in what a policy can test (a port name, a pod IP, a namespace): every
// cell must still agree with the single-pair evaluation, verdict and deciding tier, under every dialect.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateReach } from '../server/src/engine/reach';
import { endpointClasses, reachMatrix } from '../server/src/engine/reach-matrix';
import { reachIndex } from '../server/src/engine/reach-base';
import { clusterOf, docs } from './support/cluster';

function deployment(name: string, ns: string, labels: string, port = 'http:8080'): string {
  const [pname, num] = port.split(':');
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector:\n    matchLabels: {${labels}}\n  template:\n    metadata:\n      labels: {${labels}}\n    spec:\n      containers:\n      - name: c\n        image: x\n        ports:\n        - name: ${pname}\n          containerPort: ${num}\n`;
}

function pod(name: string, ns: string, labels: string, ip: string): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n  labels: {${labels}}\nspec:\n  containers:\n  - name: c\n    image: x\n    ports:\n    - name: http\n      containerPort: 8080\nstatus:\n  podIPs:\n  - ip: ${ip}\n`;
}

const NAMESPACES = ['a', 'b']
  .map(
    (n, i) =>
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${n}\n  labels:\n    env: ${i ? 'prod' : 'dev'}\n`,
  )
  .join('---\n');

// Copies (web-1..3, api-1..2 per namespace), a port-name twin (web-other: same labels, port "web"),
// Pods that differ only in their pod IP, and the same labels in the other namespace.
const WORKLOADS = docs(
  NAMESPACES,
  ...['a', 'b'].flatMap((ns) => [
    deployment('web-1', ns, 'app: web, tier: front'),
    deployment('web-2', ns, 'app: web, tier: front'),
    deployment('web-3', ns, 'app: web, tier: front'),
    deployment('web-other', ns, 'app: web, tier: front', 'web:8080'),
    deployment('api-1', ns, 'app: api, tier: back'),
    deployment('api-2', ns, 'app: api, tier: back'),
    pod('db-1', ns, 'app: db', ns === 'a' ? '10.0.1.5' : '10.9.1.5'),
    pod('db-2', ns, 'app: db', '10.0.2.5'),
  ]),
);

const POLICY_SETS: Record<string, string> = {
  'admin tiers and NetworkPolicy': docs(
    `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: deny-db\nspec:\n  tier: Admin\n  priority: 5\n  subject:\n    pods:\n      namespaceSelector: {}\n      podSelector:\n        matchLabels: {app: db}\n  ingress:\n  - action: Accept\n    from:\n    - networks: [10.0.0.0/16]\n  - action: Deny\n    from:\n    - namespaces: {}\n`,
    `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: pass-prod\nspec:\n  tier: Admin\n  priority: 9\n  subject:\n    namespaces:\n      matchLabels: {env: prod}\n  egress:\n  - action: Pass\n    to:\n    - pods:\n        namespaceSelector: {}\n        podSelector:\n          matchLabels: {tier: back}\n`,
    `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: baseline\nspec:\n  tier: Baseline\n  priority: 1\n  subject:\n    namespaces: {}\n  egress:\n  - action: Deny\n    to:\n    - pods:\n        namespaceSelector:\n          matchLabels: {env: dev}\n        podSelector: {}\n`,
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: api\n  namespace: a\nspec:\n  podSelector:\n    matchLabels: {app: api}\n  ingress:\n  - from:\n    - podSelector:\n        matchLabels: {tier: front}\n    ports:\n    - port: http\n`,
  ),
  'Cilium deny and named ports': docs(
    `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: web\n  namespace: a\nspec:\n  endpointSelector:\n    matchLabels: {app: web}\n  ingress:\n  - fromEndpoints:\n    - matchLabels: {tier: back}\n    toPorts:\n    - ports:\n      - port: http\n  ingressDeny:\n  - fromEndpoints:\n    - matchLabels: {k8s:io.kubernetes.pod.namespace: b, app: api}\n`,
    `apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata:\n  name: db\nspec:\n  endpointSelector:\n    matchLabels: {app: db}\n  ingress:\n  - fromCIDR: [10.0.1.0/24]\n  - fromEndpoints:\n    - matchLabels: {app: web}\n`,
  ),
  'Calico order, Pass and nets': docs(
    `apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata:\n  name: g\nspec:\n  order: 10\n  selector: "app in {'web', 'db'}"\n  types: [Ingress]\n  ingress:\n  - action: Pass\n    source:\n      selector: "tier == 'back'"\n  - action: Deny\n    source:\n      nets: [10.0.2.0/24]\n  - action: Allow\n    source:\n      namespaceSelector: "env == 'dev'"\n`,
    `apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata:\n  name: n\n  namespace: b\nspec:\n  order: 20\n  selector: "has(app)"\n  types: [Ingress]\n  ingress:\n  - action: Allow\n    protocol: TCP\n    destination:\n      ports: [http]\n`,
  ),
  'Antrea tiers and appliedTo': docs(
    `apiVersion: crd.antrea.io/v1beta1\nkind: ClusterNetworkPolicy\nmetadata:\n  name: iso\nspec:\n  priority: 5\n  tier: securityops\n  appliedTo:\n  - podSelector:\n      matchLabels: {app: web}\n  ingress:\n  - action: Drop\n    from:\n    - namespaceSelector:\n        matchLabels: {env: prod}\n  - action: Allow\n    from:\n    - namespaces:\n        match: Self\n`,
    `apiVersion: crd.antrea.io/v1beta1\nkind: NetworkPolicy\nmetadata:\n  name: db\n  namespace: a\nspec:\n  priority: 3\n  tier: application\n  appliedTo:\n  - podSelector:\n      matchLabels: {app: db}\n  ingress:\n  - action: Reject\n    from:\n    - ipBlock:\n        cidr: 10.0.2.0/24\n`,
  ),
};

test('endpointClasses: copies share a class; a port name, a pod IP or a namespace makes another', () => {
  const cluster = clusterOf(WORKLOADS);
  const ws = reachIndex(cluster).workloads;
  const reps = endpointClasses(ws);
  const classOf = (ns: string, name: string) => {
    const i = ws.findIndex((w) => w.id.namespace === ns && w.id.name === name);
    assert.ok(i >= 0, `${ns}/${name}`);
    return reps[i];
  };
  assert.equal(classOf('a', 'web-2'), classOf('a', 'web-1'));
  assert.equal(classOf('a', 'web-3'), classOf('a', 'web-1'));
  assert.equal(classOf('a', 'api-2'), classOf('a', 'api-1'));
  assert.notEqual(classOf('a', 'web-other'), classOf('a', 'web-1'));
  assert.notEqual(classOf('a', 'db-2'), classOf('a', 'db-1'));
  assert.notEqual(classOf('b', 'web-1'), classOf('a', 'web-1'));
  assert.equal(new Set(reps).size, 10);
});

for (const [name, policies] of Object.entries(POLICY_SETS)) {
  test(`the matrix by class agrees with every single-pair verdict and tier: ${name}`, () => {
    const cluster = clusterOf(docs(WORKLOADS, policies));
    for (const port of [8080, 'http'] as const) {
      const m = reachMatrix(cluster, { port });
      assert.equal(m.cells.length, 16 * 15);
      let allowed = 0;
      for (const cell of m.cells) {
        const r = evaluateReach(cluster, cell.from, cell.to, port);
        assert.equal(cell.allowed, r.allowed, `${cell.from} → ${cell.to} on ${port}`);
        const tier = !r.egress.allowed
          ? r.egress.tier
          : !r.ingress.allowed
            ? r.ingress.tier
            : r.ingress.tier !== 'Default'
              ? r.ingress.tier
              : r.egress.tier;
        assert.equal(cell.tier, tier, `tier of ${cell.from} → ${cell.to} on ${port}`);
        if (cell.allowed) allowed++;
      }
      // both verdicts occur, so the agreement is not vacuous
      assert.ok(allowed > 0 && allowed < m.cells.length, `${name}: ${allowed} allowed`);
    }
  });
}
