// Calico's documented examples (test/fixtures/calico-docs, copied from the Calico documentation), with
// pods and ServiceAccounts of our own beside them: the verdicts are the ones the documentation states.
// Calico matches a rule's serviceAccounts on the pod's ServiceAccount (spec.serviceAccountName,
// `default` when unnamed) and on that ServiceAccount's labels; spec.serviceAccountSelector narrows the
// pods a policy applies to in the same way.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { evaluateReach } from '../server/src/engine/reach';
import { reachMatrix } from '../server/src/engine/reach-matrix';
import { clusterOf } from './support/cluster';

const dir = path.join(__dirname, 'fixtures', 'calico-docs');
const upstream = (name: string) => readFileSync(path.join(dir, name), 'utf8');
const NS = 'prod-engineering';

const pod = (name: string, labels: Record<string, string>, sa?: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${NS}
  labels: ${JSON.stringify(labels)}
spec:
${sa ? `  serviceAccountName: ${sa}\n` : ''}  containers: [{name: c, image: registry.example/app:1}]
`;

const account = (name: string, labels: Record<string, string> = {}) => `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}
  namespace: ${NS}
  labels: ${JSON.stringify(labels)}
`;

const workloads = [
  pod('db', { app: 'db' }, 'db'),
  pod('api', { app: 'api' }, 'api-service'),
  pod('auth', { app: 'auth' }, 'user-auth-service'),
  pod('web', { app: 'web' }, 'web'),
  pod('batch', { app: 'batch' }),
  account('web', { app: 'web-frontend' }),
  account('api-service'),
].join('---\n');

test('serviceAccounts names: the db pods accept the pods running as api-service or user-auth-service', () => {
  const cluster = clusterOf({
    'policy.yaml': upstream('service-accounts-names.yaml'),
    'pods.yaml': workloads,
  });
  const api = evaluateReach(cluster, `${NS}/api`, `${NS}/db`, 5432);
  assert.equal(api.allowed, true);
  assert.equal(api.ingress.tier, 'calico:default');
  assert.equal(evaluateReach(cluster, `${NS}/auth`, `${NS}/db`, 5432).allowed, true);
  // the policy applies to the db pods and no rule matches the others: the tier's end denies
  assert.equal(evaluateReach(cluster, `${NS}/web`, `${NS}/db`, 5432).allowed, false);
  assert.equal(evaluateReach(cluster, `${NS}/batch`, `${NS}/db`, 5432).allowed, false);
  assert.equal(evaluateReach(cluster, '203.0.113.4', `${NS}/db`, 5432).allowed, false);
});

test('serviceAccounts selector: the db pods accept the pods whose ServiceAccount is labelled app=web-frontend', () => {
  const cluster = clusterOf({
    'policy.yaml': upstream('service-accounts-selector.yaml'),
    'pods.yaml': workloads,
  });
  assert.equal(evaluateReach(cluster, `${NS}/web`, `${NS}/db`, 5432).allowed, true);
  assert.equal(evaluateReach(cluster, `${NS}/api`, `${NS}/db`, 5432).allowed, false);
  // a pod that names no ServiceAccount runs as `default`, which carries no label
  assert.equal(evaluateReach(cluster, `${NS}/batch`, `${NS}/db`, 5432).allowed, false);
});

test('serviceAccountSelector: the intern pods talk only with intern pods; the policy leaves the others alone', () => {
  const cluster = clusterOf({
    'policy.yaml': upstream('service-accounts-intern.yaml'),
    'pods.yaml': [
      pod('intern-a', { app: 'notebook' }, 'intern'),
      pod('intern-b', { app: 'notebook' }, 'intern'),
      pod('staff', { app: 'notebook' }, 'staff'),
      pod('other', { app: 'db' }),
      account('intern', { role: 'intern' }),
      account('staff', { role: 'staff' }),
    ].join('---\n'),
  });
  assert.equal(evaluateReach(cluster, `${NS}/intern-a`, `${NS}/intern-b`, 8888).allowed, true);
  assert.equal(evaluateReach(cluster, `${NS}/intern-a`, `${NS}/staff`, 8888).allowed, false);
  assert.equal(evaluateReach(cluster, `${NS}/staff`, `${NS}/intern-b`, 8888).allowed, false);
  // neither end runs as an intern account: the policy selects neither, and nothing else applies
  assert.equal(evaluateReach(cluster, `${NS}/staff`, `${NS}/other`, 5432).allowed, true);
});

// Calico evaluates the admin tier as its tier kube-admin (order 1,000) and the baseline tier as
// kube-baseline (order 10,000,000), both ending in Pass (tiered-policy.mdx): its tiers are ordered around
// them, and its policies of those tiers are ordered among theirs.
const tieredPods = [
  `apiVersion: v1
kind: Namespace
metadata: {name: other}
`,
  pod('web', { app: 'web' }).replace(NS, 'default'),
  pod('client', { app: 'client' }).replace(NS, 'default'),
  pod('intruder', { app: 'client' }).replace(NS, 'other'),
].join('---\n');

const gnp = (name: string, tier: string, order: number, action: string) => `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: ${name}
spec:
  tier: ${tier}
  order: ${order}
  selector: app == 'web'
  types: [Ingress]
  ingress:
  - action: ${action}
    source:
      selector: app == 'client'
`;

const tiered = (...more: string[]) =>
  clusterOf({
    'tier.yaml': upstream('tier-security.yaml'),
    'admin.yaml': upstream('kube-admin-accept-default.yaml'),
    'baseline.yaml': upstream('kube-baseline-deny-all.yaml'),
    'pods.yaml': tieredPods,
    'more.yaml': more.join('---\n'),
  });

test('tiers: the documented kube-admin and kube-baseline policies decide where no Calico tier does', () => {
  const cluster = tiered(gnp('audit', 'default', 10, 'Log'));
  const inside = evaluateReach(cluster, 'default/client', 'default/web', 80);
  assert.equal(inside.allowed, true);
  assert.equal(inside.ingress.tier, 'Admin');
  const outside = evaluateReach(cluster, 'other/intruder', 'default/web', 80);
  assert.equal(outside.allowed, false);
  // the default tier applied (its Log rule goes on) and no rule matched: the tier's end denies first
  assert.equal(outside.ingress.tier, 'calico:default');
});

test('tiers: a Calico tier ordered before 1,000 (security, 300) comes before the admin tier', () => {
  const cluster = tiered(gnp('security.block-clients', 'security', 10, 'Deny'));
  const r = evaluateReach(cluster, 'default/client', 'default/web', 80);
  assert.equal(r.allowed, false);
  assert.equal(r.ingress.tier, 'calico:security');
  // a Pass there hands on to the admin tier, which accepts
  const pass = tiered(gnp('security.pass-clients', 'security', 10, 'Pass'));
  const p = evaluateReach(pass, 'default/client', 'default/web', 80);
  assert.equal(p.allowed, true);
  assert.equal(p.ingress.tier, 'Admin');
});

test('tiers: a Calico policy of kube-admin is ordered among the ClusterNetworkPolicies by order against priority', () => {
  const before = tiered(gnp('kube-admin.first', 'kube-admin', 50, 'Deny'));
  const r = evaluateReach(before, 'default/client', 'default/web', 80);
  assert.equal(r.allowed, false);
  assert.equal(r.ingress.tier, 'Admin');
  assert.equal(r.ingress.reasons[0].policy, 'kube-admin.first');
  // after accept-default (priority 100): the Accept decides first
  const after = tiered(gnp('kube-admin.later', 'kube-admin', 500, 'Deny'));
  assert.equal(evaluateReach(after, 'default/client', 'default/web', 80).allowed, true);
});

test('tiers: a Calico tier ordered after 10,000,000 comes after the baseline tier', () => {
  const late = `apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: late}
spec: {order: 20000000}
`;
  const cluster = tiered(late, gnp('late.allow-clients', 'late', 10, 'Allow'));
  const r = evaluateReach(cluster, 'other/intruder', 'default/web', 80);
  assert.equal(r.allowed, false);
  assert.equal(r.ingress.tier, 'Baseline');
});

test('tiers: the matrix answers every pair as the single-pair verdicts do, tier included', () => {
  const late = `apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: late}
spec: {order: 20000000}
`;
  for (const more of [
    [gnp('security.block-clients', 'security', 10, 'Deny')],
    [gnp('security.pass-clients', 'security', 10, 'Pass')],
    [gnp('kube-admin.first', 'kube-admin', 50, 'Deny')],
    [late, gnp('late.allow-clients', 'late', 10, 'Allow')],
  ]) {
    const cluster = tiered(...more);
    const m = reachMatrix(cluster, { port: 80 });
    for (const cell of m.cells) {
      const r = evaluateReach(cluster, cell.from, cell.to, 80);
      assert.equal(cell.allowed, r.allowed, `${cell.from} -> ${cell.to}`);
      const side = r.allowed ? r.ingress : !r.egress.allowed ? r.egress : r.ingress;
      assert.equal(cell.tier, side.tier, `${cell.from} -> ${cell.to}: tier`);
    }
  }
});
