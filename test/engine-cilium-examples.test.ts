// Cilium's own policy examples (test/fixtures/cilium-examples, copied from cilium/cilium
// examples/policies), with pods of our own beside them: the verdicts are the ones the Cilium
// documentation gives for each example.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { evaluateReach } from '../server/src/engine/reach';
import { clusterOf } from './support/cluster';

const dir = path.join(__dirname, 'fixtures', 'cilium-examples');
const upstream = (name: string) => readFileSync(path.join(dir, name), 'utf8');

const pod = (ns: string, name: string, labels: Record<string, string>, sa?: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${ns}
  labels: ${JSON.stringify(labels)}
spec:
${sa ? `  serviceAccountName: ${sa}\n` : ''}  containers: [{name: c, image: registry.example/app:1}]
`;

const namespace = (name: string, labels: Record<string, string>) => `apiVersion: v1
kind: Namespace
metadata: {name: ${name}, labels: ${JSON.stringify(labels)}}
`;

test('serviceaccount-policy: pods of ServiceAccount leia accept only pods of ServiceAccount luke', () => {
  // Cilium labels each pod with io.cilium.k8s.policy.serviceaccount (its spec.serviceAccountName)
  const cluster = clusterOf({
    'policy.yaml': upstream('serviceaccount-policy.yaml'),
    'demo-pods.yaml': upstream('serviceaccount-demo-pods.yaml'),
  });
  const luke = evaluateReach(cluster, 'default/luke-pod', 'default/leia-deployment', 80);
  assert.equal(luke.allowed, true);
  assert.equal(luke.ingress.tier, 'NetworkPolicy');
  assert.equal(evaluateReach(cluster, 'default/vader-pod', 'default/leia-deployment', 80).allowed, false);
  // the policy selects only leia's pods: vader accepts anyone
  assert.equal(evaluateReach(cluster, 'default/luke-pod', 'default/vader-pod', 80).allowed, true);
});

test('namespace-labels-policy: rebel-base talks with the pods of namespaces labelled faction=alliance, in any namespace', () => {
  // a selector on io.cilium.k8s.namespace.labels.* leaves the policy's namespace (Cilium adds the
  // policy's namespace only to selectors that name neither a namespace nor a namespace's label)
  const cluster = clusterOf({
    'policy.yaml': upstream('namespace-labels-policy.yaml'),
    'pods.yaml': [
      namespace('rebels', { faction: 'alliance' }),
      namespace('empire', { faction: 'empire' }),
      pod('default', 'base', { name: 'rebel-base' }),
      pod('rebels', 'xwing', { name: 'x-wing' }),
      pod('empire', 'tie', { name: 'tie-fighter' }),
    ].join('---\n'),
  });
  assert.equal(evaluateReach(cluster, 'rebels/xwing', 'default/base', 80).allowed, true);
  assert.equal(evaluateReach(cluster, 'empire/tie', 'default/base', 80).allowed, false);
  assert.equal(evaluateReach(cluster, 'default/base', 'rebels/xwing', 80).allowed, true);
  assert.equal(evaluateReach(cluster, 'default/base', 'empire/tie', 80).allowed, false);
});

test("fqdn-short: '**.cilium.io' allows every subdomain of cilium.io, at any depth, and not cilium.io", () => {
  const cluster = clusterOf({
    'policy.yaml': upstream('fqdn-short.yaml'),
    'pods.yaml': pod('default', 'client', { app: 'test-app' }),
  });
  assert.equal(evaluateReach(cluster, 'default/client', 'docs.cilium.io', 443).allowed, true);
  assert.equal(evaluateReach(cluster, 'default/client', 'a.b.c.cilium.io', 443).allowed, true);
  assert.equal(evaluateReach(cluster, 'default/client', 'cilium.io', 443).allowed, false);
  assert.equal(evaluateReach(cluster, 'default/client', 'example.org', 443).allowed, false);
});

test('from_world_deny: every pod denies ingress from outside the cluster and allows the rest', () => {
  const cluster = clusterOf({
    'policy.yaml': upstream('from_world_deny.yaml'),
    'pods.yaml': [pod('shop', 'web', { app: 'web' }), pod('shop', 'client', { app: 'client' })].join('---\n'),
  });
  const world = evaluateReach(cluster, '203.0.113.9', 'shop/web', 443);
  assert.equal(world.allowed, false);
  assert.equal(world.ingress.reasons[0].action, 'Deny');
  assert.equal(evaluateReach(cluster, 'shop/client', 'shop/web', 443).allowed, true);
});

test('egress-deny: frontend reaches everything but the backend pods (the deny wins over toEntities all)', () => {
  const cluster = clusterOf({
    'policy.yaml': upstream('egress-deny.yaml'),
    'pods.yaml': [
      pod('default', 'frontend', { role: 'frontend' }),
      pod('default', 'backend', { role: 'backend' }),
      pod('default', 'cache', { role: 'cache' }),
    ].join('---\n'),
  });
  assert.equal(evaluateReach(cluster, 'default/frontend', 'default/backend', 8080).allowed, false);
  assert.equal(evaluateReach(cluster, 'default/frontend', 'default/cache', 6379).allowed, true);
  assert.equal(evaluateReach(cluster, 'default/frontend', '198.51.100.7', 443).allowed, true);
});

test('cidr: egress to 20.1.1.1/32 and to 10.0.0.0/8 except 10.96.0.0/12', () => {
  const cluster = clusterOf({
    'policy.yaml': upstream('cidr.yaml'),
    'pods.yaml': pod('default', 'svc', { app: 'myService' }),
  });
  const to = (ip: string) => evaluateReach(cluster, 'default/svc', ip, 443).allowed;
  assert.equal(to('20.1.1.1'), true);
  assert.equal(to('20.1.1.2'), false);
  assert.equal(to('10.1.2.3'), true);
  assert.equal(to('10.96.0.10'), false);
  assert.equal(to('10.111.255.255'), false);
  assert.equal(to('10.112.0.1'), true);
});
