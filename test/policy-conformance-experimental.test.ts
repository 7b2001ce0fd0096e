// The "experimental" tests of the network-policy-api conformance suite (conformance/tests/*experimental*.go
// at 0eec1b0e5fa92715b4c0f4c48d3c8d2913ed2159), against the reach engine:
// - named ports (CNPAdminTierEgressNamedPort, CNPAdminTierIngressNamedPort, CNPBaselineTierEgressNamedPort,
//   CNPBaselineTierIngressNamedPort): each test patches one rule of a standard manifest to
//   `protocols: [{destinationNamedPort: <name>}]`; the patch is applied here to the unchanged upstream file,
//   as the .go does, and each probe of the test must get its verdict;
// - node peers (CNPAdminTierEgressNodePeers, CNPBaselineTierEgressNodePeers): the server is a host-network
//   pod (centaur, whose address is its node's). The probes a Deny decides must get their verdict. The probes
//   an Accept or Pass to `nodes: {kubernetes.io/os: linux}` decides depend on the labels of the node, which
//   the manifests do not hold: the engine must say so (an undecided verdict that names the node labels)
//   rather than claim an answer.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { evaluateReach } from '../server/src/engine/reach';
import type { Protocol } from '../server/src/engine/types';
import { clusterOf } from './support/cluster';

const DIR = path.resolve(__dirname, 'fixtures', 'network-policy-api');
// the suite's host-network ports (a Go template in the manifests): any free ports do
const ports = (s: string) =>
  s.replace(/\{\{ index \.HostNetworkPorts (\d) \}\}/g, (_, i) => String(34500 + Number(i)));
const hostPort = (i: number) => 34500 + i;
const BASE = ports(readFileSync(path.join(DIR, 'manifests.yaml'), 'utf8'));
const read = (f: string) => ports(readFileSync(path.join(DIR, f), 'utf8'));

const NS = (house: string, pod: string) => `network-policy-conformance-${house}/${pod}`;
const HARRY = NS('gryffindor', 'harry-potter');
const CEDRIC = NS('hufflepuff', 'cedric-diggory');
const CENTAUR = NS('forbidden-forrest', 'centaur');

/** The .go's patch: rule `index` of `direction` gets `protocols: [{destinationNamedPort: name}]`. */
function namedPortPatch(file: string, direction: 'ingress' | 'egress', index: number, name: string): string {
  const doc = parse(read(file));
  doc.spec[direction][index].protocols = [{ destinationNamedPort: name }];
  return stringify(doc);
}

type Probe = [from: string, to: string, protocol: Protocol, port: number, allowed: boolean];

function probe(policies: string, [from, to, protocol, port, allowed]: Probe) {
  const cluster = clusterOf({ 'manifests.yaml': BASE, 'policy.yaml': policies });
  for (const cni of ['generic', 'kube-network-policies']) {
    const r = evaluateReach(cluster, from, to, port, protocol, { cni });
    assert.equal(
      r.allowed,
      allowed,
      `${from} → ${to} ${port}/${protocol} under ${cni}: ${r.reasons.map((x) => x.message).join(' | ')}`,
    );
  }
}

describe('named ports (the .go patch applied to the standard manifest)', () => {
  const cases: [string, string, 'ingress' | 'egress', number, string, Probe[]][] = [
    [
      'CNPAdminTierEgressNamedPort',
      'base/admin_tier/standard-egress-tcp-rules.yaml',
      'egress',
      5,
      'web',
      [
        [HARRY, CEDRIC, 'TCP', 80, true],
        [HARRY, CEDRIC, 'TCP', 8080, false],
      ],
    ],
    [
      'CNPAdminTierIngressNamedPort',
      'base/admin_tier/standard-ingress-udp-rules.yaml',
      'ingress',
      5,
      'dns',
      [
        [HARRY, CEDRIC, 'UDP', 53, true],
        [HARRY, CEDRIC, 'UDP', 5353, false],
      ],
    ],
    [
      'CNPBaselineTierEgressNamedPort',
      'base/baseline_tier/standard-egress-udp-rules.yaml',
      'egress',
      3,
      'dns',
      [
        [CEDRIC, HARRY, 'UDP', 53, true],
        [CEDRIC, HARRY, 'UDP', 5353, false],
      ],
    ],
    [
      'CNPBaselineTierIngressNamedPort',
      'base/baseline_tier/standard-ingress-tcp-rules.yaml',
      'ingress',
      3,
      'web',
      [
        [CEDRIC, HARRY, 'TCP', 80, true],
        [CEDRIC, HARRY, 'TCP', 8080, false],
      ],
    ],
  ];
  for (const [name, file, direction, index, port, probes] of cases)
    test(`${name}: ${direction}[${index}] on the named port "${port}"`, () => {
      const policies = namedPortPatch(file, direction, index, port);
      for (const p of probes) probe(policies, p);
    });
});

describe('node peers: a host-network server', () => {
  const cases: [string, string, Probe[], Probe[]][] = [
    [
      'CNPAdminTierEgressNodePeers',
      'base/admin_tier/experimental-egress-selector-rules.yaml',
      // decided by the Deny rule (nodes, networks 0.0.0.0/0 and ::/0)
      [
        [HARRY, CENTAUR, 'TCP', hostPort(1), false],
        [HARRY, CENTAUR, 'UDP', hostPort(4), false],
        [HARRY, CENTAUR, 'SCTP', hostPort(6), false],
      ],
      // upstream: allowed through the Accept (TCP) and Pass (UDP) rules to nodes labelled kubernetes.io/os=linux
      [
        [HARRY, CENTAUR, 'TCP', hostPort(0), true],
        [HARRY, CENTAUR, 'UDP', hostPort(2), true],
      ],
    ],
    [
      'CNPBaselineTierEgressNodePeers',
      'base/baseline_tier/experimental-egress-selector-rules.yaml',
      [
        [HARRY, CENTAUR, 'UDP', hostPort(4), false],
        [HARRY, CENTAUR, 'SCTP', hostPort(6), false],
      ],
      [
        [HARRY, CENTAUR, 'TCP', hostPort(0), true],
        [HARRY, CENTAUR, 'TCP', hostPort(1), true],
      ],
    ],
  ];
  for (const [name, file, decided, byNodeLabels] of cases) {
    test(`${name}: the probes a Deny decides`, () => {
      for (const p of decided) probe(read(file), p);
    });
    test(`${name}: the probes that depend on the node's labels are undecided, and say why`, () => {
      const cluster = clusterOf({ 'manifests.yaml': BASE, 'policy.yaml': read(file) });
      for (const [from, to, protocol, port] of byNodeLabels) {
        const r = evaluateReach(cluster, from, to, port, protocol, { cni: 'generic' });
        const undecided = r.reasons.filter((x) => x.undecided);
        assert.ok(undecided.length, `${port}/${protocol}: ${JSON.stringify(r.reasons)}`);
        assert.match(
          JSON.stringify(undecided),
          /runs on its node's network: whether its node has \{kubernetes\.io\/os=linux\} cannot be decided/,
        );
      }
    });
  }
  test('host-network pods are neither subjects nor pods or namespaces peers (clusternetworkpolicy_types.go)', () => {
    const cluster = clusterOf(`
apiVersion: v1
kind: Namespace
metadata: {name: a}
---
apiVersion: v1
kind: Namespace
metadata: {name: b}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: client, namespace: a}
spec:
  selector: {matchLabels: {app: client}}
  template:
    metadata: {labels: {app: client}}
    spec: {containers: [{name: c, image: c}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: agent, namespace: b}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      hostNetwork: true
      containers: [{name: c, image: c, ports: [{containerPort: 9100}]}]
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: deny-b}
spec:
  tier: Admin
  priority: 1
  subject: {namespaces: {}}
  egress:
  - name: deny-pods-of-b
    action: Deny
    to: [{pods: {namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: b}}, podSelector: {}}}]
  - name: deny-namespace-b
    action: Deny
    to: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: b}}}]
`);
    // the host-network agent is no pods or namespaces peer: the client reaches it
    const toAgent = evaluateReach(cluster, 'a/client', 'b/agent', 9100, 'TCP', { cni: 'generic' });
    assert.equal(toAgent.allowed, true, JSON.stringify(toAgent.reasons));
    // nor a subject: its own egress is not denied by the policy that selects every namespace
    const fromAgent = evaluateReach(cluster, 'b/agent', 'a/client', 80, 'TCP', { cni: 'generic' });
    assert.equal(fromAgent.allowed, true, JSON.stringify(fromAgent.reasons));
  });
});
