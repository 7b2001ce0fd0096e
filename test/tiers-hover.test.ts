// Plain-language hovers of the policy kinds beyond NetworkPolicy (features/hover-tiers.ts): the tier a
// policy sits in and where it comes in the evaluation, the pods it applies to, each rule in order with
// what its action does (what Pass hands on), and whether the network plugin enforces it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFile } from '../server/src/syntax/file';
import { resourcesOf } from '../server/src/model/resource';
import { ResourceIndex } from '../server/src/workspace/index';
import { explainHover } from '../server/src/features/hover-explain';

const PODS = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {team: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: c
        image: x
`;

function hoverOn(policy: string, at: string, extra = '') {
  const index = new ResourceIndex();
  const text = PODS + '---\n' + policy;
  const parsed = parseFile(text);
  index.setFile(
    'file:///p.yaml',
    parsed.docs.flatMap((d) => resourcesOf(d)),
  );
  if (extra)
    index.setFile(
      'file:///x.yaml',
      parseFile(extra).docs.flatMap((d) => resourcesOf(d)),
    );
  const offset = text.lastIndexOf(at) + at.length - 1; // on the kind value
  const doc = parsed.docs.find((d) => offset >= d.base && offset <= d.base + d.text.length)!;
  const h = explainHover(doc, offset - doc.base, 'file:///p.yaml', index);
  assert.ok(h, `a hover at ${at}`);
  return h.markdown;
}

const CNP = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata:
  name: guard
spec:
  tier: Admin
  priority: 5
  subject:
    namespaces: {matchLabels: {team: shop}}
  ingress:
  - name: pass-monitoring
    action: Pass
    from:
    - namespaces: {matchLabels: {team: monitoring}}
  - action: Deny
    from:
    - namespaces: {}
    protocols:
    - tcp:
        destinationPort: {number: 80}
`;

test('hover on a ClusterNetworkPolicy: tier and priority, the pods it applies to, each rule with what Pass hands on', () => {
  const md = hoverOn(CNP, 'kind: ClusterNetworkPolicy');
  assert.match(md, /^\*\*ClusterNetworkPolicy `guard`\*\* in plain words/);
  assert.match(md, /\*\*Admin tier\*\*, priority 5 \(lower first\): consulted before every NetworkPolicy\./);
  assert.match(md, /\*\*Applies to\*\* Deployment shop\/web\./);
  assert.match(
    md,
    /1\. `pass-monitoring` \*\*Pass\*\* from pods of namespaces `team=monitoring` on every port: hands it to the NetworkPolicies of the pod \(and, when none selects it, to the baseline tier\)/,
  );
  assert.match(
    md,
    /2\. \*\*Deny\*\* from pods of namespaces of every namespace on TCP 80: denies it; nothing after it is consulted/,
  );
  assert.match(md, /No egress rules: it does not touch outgoing traffic\./);
});

test('hover on a Cilium policy names the deny precedence and the plugin; an admin-tier policy under Cilium is inert', () => {
  const cnp = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: web
  namespace: shop
spec:
  endpointSelector: {matchLabels: {app: web}}
  ingressDeny:
  - fromEntities: [world]
  ingress:
  - fromEndpoints:
    - matchLabels: {role: client}
    toPorts:
    - ports:
      - port: "80"
        protocol: TCP
      rules:
        http:
        - method: GET
`;
  const md = hoverOn(cnp, 'kind: CiliumNetworkPolicy');
  assert.match(md, /deny rules win over any allow, of any policy \(NetworkPolicy included\)/);
  assert.match(md, /\*\*Applies to\*\* Deployment shop\/web \(endpoints of namespace `shop`\)\./);
  assert.match(md, /\*\*ingressDeny\*\*:\n1\. deny: from entity `world`/);
  assert.match(
    md,
    /\*\*ingress\*\*:\n1\. allow: from endpoints `role=client` on TCP 80 — only HTTP GET any path/,
  );
  assert.match(md, /Enforced by Cilium \(detected\)\./);
  // Cilium chained with Flannel is still Cilium; an admin-tier policy there is inert
  const flannel =
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kube-flannel-cfg\n  namespace: kube-flannel\n';
  assert.match(hoverOn(cnp, 'kind: CiliumNetworkPolicy', flannel), /Enforced by Cilium \(detected\)\./);
  const ciliumDs =
    'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: cilium\n  namespace: kube-system\n';
  assert.match(
    hoverOn(CNP, 'kind: ClusterNetworkPolicy', ciliumDs),
    /⚠ \*\*Inert\*\*: Cilium \(detected\) does not enforce ClusterNetworkPolicy\./,
  );
});

test('hover on a Calico GlobalNetworkPolicy: tier, order against the Kubernetes NetworkPolicies, rules in order', () => {
  const gnp = `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: deny-legacy
spec:
  order: 500
  selector: app == 'web'
  ingress:
  - action: Deny
    protocol: TCP
    source:
      selector: has(legacy)
  - action: Pass
`;
  const md = hoverOn(gnp, 'kind: GlobalNetworkPolicy');
  assert.match(
    md,
    /Calico tier `default`, order 500; Kubernetes NetworkPolicies sit in the default tier at order 1000/,
  );
  assert.match(md, /\*\*Applies to\*\* Deployment shop\/web \(selector `app == 'web'`; types Ingress\)\./);
  assert.match(
    md,
    /1\. \*\*Deny\*\* TCP from selector `has\(legacy\)` to anything: denies\n2\. \*\*Pass\*\* from anything to anything: hands on to the next tier/,
  );
});
