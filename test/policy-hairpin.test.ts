// Service hairpin: a pod reaching its own Service, which the proxy sends back to the same pod.
// network-policy-api (site-src/api-overview.md): ClusterNetworkPolicy applies to it, while a pod's
// connection to its own Pod IP is subject to no policy. NetworkPolicy: per plugin (engine/cni.ts) —
// Cilium, Antrea and OVN-Kubernetes let it through, Calico polices it as pod → itself, an unknown
// plugin is read as letting it through and the verdict says so.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EndpointError, evaluateReach } from '../server/src/engine/reach';
import { evaluateServiceReach } from '../server/src/engine/reach-service';
import { reachMatrix } from '../server/src/engine/reach-matrix';
import { reachMatrixDeclaredPorts } from '../server/src/engine/reach-matrix-ports';
import { diffReach } from '../server/src/engine/reach-diff';
import { diffMarkdown } from '../server/src/features/reach-diff-report';
import { clusterOf, docs } from './support/cluster';
import { ROOT } from './support/lsp-client';

const WEB = (replicas?: number) =>
  replicas === undefined
    ? `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  labels: {app: web}
spec:
  containers:
  - name: c
    image: x
    ports:
    - {containerPort: 8080, name: http}
`
    : `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: c
        image: x
        ports:
        - {containerPort: 8080, name: http}
`;

const SVC = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: http}
`;

const NS = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
`;

const DENY_ALL = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-all
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress]
`;

const ALLOW_SELF = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-web
  namespace: shop
spec:
  podSelector: {}
  ingress:
  - from:
    - podSelector: {matchLabels: {app: web}}
`;

const ADMIN_DENY = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata:
  name: no-shop-to-shop
spec:
  tier: Admin
  priority: 10
  subject:
    namespaces:
      matchLabels: {kubernetes.io/metadata.name: shop}
  ingress:
  - name: deny-shop
    action: Deny
    from:
    - namespaces:
        matchLabels: {kubernetes.io/metadata.name: shop}
`;

const ADMIN_PASS = ADMIN_DENY.replace('no-shop-to-shop', 'pass-shop').replace('action: Deny', 'action: Pass');

const BASELINE_DENY = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata:
  name: baseline-deny
spec:
  tier: Baseline
  priority: 5
  subject:
    namespaces: {}
  ingress:
  - name: deny-all
    action: Deny
    from:
    - namespaces: {}
`;

function hairpin(parts: string[], cni?: string) {
  return evaluateServiceReach(clusterOf(docs(NS, ...parts)), 'shop/web', 'shop/web', 80, 'TCP', { cni });
}

test('NetworkPolicy deny-all: the pod reaches itself through its Service where the plugin exempts hairpin traffic', () => {
  for (const cni of ['generic', 'cilium', 'antrea', 'ovn-kubernetes', 'weave']) {
    const r = hairpin([WEB(), SVC, DENY_ALL], cni);
    assert.equal(r.allowed, true, cni);
    assert.equal(r.backends.length, 1);
    const b = r.backends[0];
    assert.equal(b.hairpin, true);
    assert.equal(b.result.hairpin, true);
    assert.equal(b.result.resolvedPort, 8080, 'the Service port 80 maps to the target port http = 8080');
    assert.deepEqual(
      b.result.ingress.chain?.map((c) => `${c.tier} ${c.outcome}`),
      ['NetworkPolicy exempt'],
      cni,
    );
    assert.match(
      b.result.ingress.reasons[0].message,
      /reaching itself through a Service, and the NetworkPolicy tier does not apply to it: allowed/,
    );
    assert.ok(
      b.result.ingress.reasons[0].details?.some((d) => /the NetworkPolicy tier is skipped/.test(d)),
      cni,
    );
  }
  const c = hairpin([WEB(), SVC, DENY_ALL], 'cilium').backends[0].result.ingress.reasons[0];
  assert.ok(c.details?.some((d) => /Cilium skips policy enforcement on service loopback/.test(d)));
  const g = hairpin([WEB(), SVC, DENY_ALL], 'generic').backends[0].result.ingress.reasons[0];
  assert.ok(g.details?.some((d) => /left to each plugin .*Calico polices it/.test(d)));
});

test('Antrea admits hairpin traffic on the ingress side only: its egress rules still apply', () => {
  const denyEgress = DENY_ALL.replace('deny-all', 'deny-egress').replace('[Ingress]', '[Ingress, Egress]');
  const r = hairpin([WEB(), SVC, denyEgress], 'antrea');
  assert.equal(r.allowed, false);
  const v = r.backends[0].result;
  assert.equal(v.ingress.allowed, true);
  assert.equal(v.egress.allowed, false);
  assert.match(v.egress.reasons[0].message, /shop\/deny-egress isolates shop\/web for Egress/);
  assert.ok(v.egress.reasons[0].details?.some((d) => /its egress rules still apply/.test(d)));
  // Cilium skips both sides.
  assert.equal(hairpin([WEB(), SVC, denyEgress], 'cilium').allowed, true);
});

test('Calico polices service hairpin as the pod reaching itself: deny-all denies, allowing the pod allows', () => {
  const denied = hairpin([WEB(), SVC, DENY_ALL], 'calico');
  assert.equal(denied.allowed, false);
  const ing = denied.backends[0].result.ingress;
  assert.equal(ing.allowed, false);
  assert.equal(ing.tier, 'NetworkPolicy');
  assert.match(ing.reasons[0].message, /shop\/deny-all isolates shop\/web for Ingress/);
  assert.ok(ing.reasons[0].details?.some((d) => /Calico polices a pod reaching itself/.test(d)));
  const allowed = hairpin([WEB(), SVC, DENY_ALL, ALLOW_SELF], 'calico');
  assert.equal(allowed.allowed, true);
  assert.match(
    allowed.backends[0].result.ingress.reasons[0].message,
    /allowed by shop\/allow-web ingress\[0\]/,
  );
});

test('ClusterNetworkPolicy applies to service hairpin on every plugin that enforces it, not to the Pod IP', () => {
  for (const cni of ['generic', 'calico', 'kube-network-policies']) {
    const r = hairpin([WEB(), SVC, ADMIN_DENY], cni);
    assert.equal(r.allowed, false, cni);
    const ing = r.backends[0].result.ingress;
    assert.equal(ing.tier, 'Admin');
    assert.equal(ing.reasons[0].kind, 'denied-by-rule');
    assert.match(
      ing.reasons[0].message,
      /denied by ClusterNetworkPolicy no-shop-to-shop ingress\[0\] "deny-shop"/,
    );
  }
  // The same pod to its own Pod IP: no policy applies.
  const self = evaluateReach(clusterOf(docs(NS, WEB(), SVC, ADMIN_DENY)), 'shop/web', 'shop/web', 8080);
  assert.equal(self.allowed, true);
  assert.equal(self.ingress.reasons[0].kind, 'self');
  // Cilium does not enforce the admin tier: the policy is inert, and NetworkPolicy lets hairpin through.
  const cil = hairpin([WEB(), SVC, ADMIN_DENY], 'cilium');
  assert.equal(cil.allowed, true);
  assert.deepEqual(
    cil.backends[0].result.ingress.inert?.map((p) => p.name),
    ['no-shop-to-shop'],
  );
});

test('Admin Pass on hairpin traffic skips the exempt NetworkPolicy tier and reaches the baseline tier', () => {
  const r = hairpin([WEB(), SVC, ADMIN_PASS, DENY_ALL, ALLOW_SELF, BASELINE_DENY], 'generic');
  assert.equal(r.allowed, false);
  const ing = r.backends[0].result.ingress;
  assert.equal(ing.tier, 'Baseline');
  assert.deepEqual(
    ing.chain?.map((c) => `${c.tier} ${c.policy} ${c.outcome}`),
    ['Admin pass-shop pass', 'NetworkPolicy NetworkPolicy exempt', 'Baseline baseline-deny deny'],
  );
  // Under Calico the NetworkPolicy tier is consulted, and allow-web decides before the baseline.
  const calico = hairpin([WEB(), SVC, ADMIN_PASS, DENY_ALL, ALLOW_SELF, BASELINE_DENY], 'calico');
  assert.equal(calico.allowed, true);
  assert.equal(calico.backends[0].result.ingress.tier, 'NetworkPolicy');
});

test('a workload with several pods may land on itself (hairpin) or on a sibling pod, and both are answered', () => {
  const r = hairpin([WEB(3), SVC, DENY_ALL], 'cilium');
  assert.deepEqual(
    r.backends.map((b) => [b.backend, b.hairpin, b.result.allowed]),
    [
      ['shop/web', true, true],
      ['shop/web', false, false],
    ],
  );
  assert.equal(r.allowed, false, 'a sibling pod is isolated by deny-all');
  // One replica: only the hairpin case.
  assert.equal(hairpin([WEB(1), SVC, DENY_ALL], 'cilium').backends.length, 1);
});

test('a Service port that does not exist, a Service without a selector: clear errors', () => {
  const cluster = clusterOf(docs(NS, WEB(), SVC));
  assert.throws(
    () => evaluateServiceReach(cluster, 'shop/web', 'shop/web', 443),
    (e: unknown) =>
      e instanceof EndpointError &&
      /Service shop\/web has no TCP port 443 \(its ports: http=80\/TCP\)/.test(e.message),
  );
  const bare = clusterOf(docs(NS, WEB(), SVC.replace('  selector: {app: web}\n', '')));
  assert.throws(
    () => evaluateServiceReach(bare, 'shop/web', 'shop/web', 80),
    /has no selector: its endpoints are not in the manifests/,
  );
  assert.throws(
    () => evaluateReach(cluster, 'shop/web', '10.0.0.1', 80, 'TCP', { hairpin: true }),
    /goes from a pod back to itself/,
  );
});

test('kube-netlens reach --to Service/ns/name answers each backend, with the hairpin case named', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'knl-hairpin-'));
  writeFileSync(path.join(dir, 'a.yaml'), docs(NS, WEB(), SVC, DENY_ALL));
  const cli = path.join(ROOT, 'dist', 'cli.js');
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [cli, 'reach', dir, ...args], { encoding: 'utf8' });
  const calico = run('--from', 'shop/web', '--to', 'Service/shop/web', '--port', 'http', '--cni', 'calico');
  assert.equal(calico.status, 1, calico.stderr);
  assert.match(
    calico.stdout,
    /^DENIED: shop\/web → Service shop\/web on http \(80\)\/TCP \(target port http; 1 backend, denied to 1\)/,
  );
  assert.match(
    calico.stdout,
    /== backend shop\/web \(service hairpin: the proxy sends the connection back to the same pod\) ==/,
  );
  const json = run('--from', 'shop/web', '--to', 'shop/web', '--port', '80', '--cni', 'cilium', '--json');
  // `shop/web` names the Pod first: the Pod-to-itself answer, with no Service involved.
  assert.equal(json.status, 0, json.stderr);
  assert.equal(JSON.parse(json.stdout).ingress.reasons[0].kind, 'self');
  const viaSvc = run(
    '--from',
    'shop/web',
    '--to',
    'Service/shop/web',
    '--port',
    '80',
    '--cni',
    'cilium',
    '--json',
  );
  assert.equal(viaSvc.status, 0, viaSvc.stderr);
  const out = JSON.parse(viaSvc.stdout);
  assert.equal(out.service, 'shop/web');
  assert.equal(out.servicePort, 80);
  assert.equal(out.targetPort, 'http');
  assert.equal(out.backends[0].hairpin, true);
  assert.equal(out.backends[0].resolvedPort, 8080);
  assert.equal(out.backends[0].ingress.chain[0].outcome, 'exempt');
  const bad = run('--from', 'shop/web', '--to', 'Service/shop/web', '--port', '443');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--to: Service shop\/web has no TCP port 443/);
});

// ---------------------------------------------------------------------------------------------------
// The hairpin case in the matrix (its diagonal) and in diff

const CLIENT = `apiVersion: v1
kind: Pod
metadata:
  name: client
  namespace: shop
  labels: {app: client}
spec:
  containers:
  - name: c
    image: x
`;

test('matrix: the diagonal is the service hairpin verdict where a Service sends the port back to the pod', () => {
  const cluster = clusterOf(docs(NS, WEB(), CLIENT, SVC, DENY_ALL));
  for (const [port, cni, allowed, tier] of [
    [8080, 'calico', false, 'NetworkPolicy'],
    ['http', 'calico', false, 'NetworkPolicy'],
    [8080, 'cilium', true, 'Default'],
  ] as const) {
    const m = reachMatrix(cluster, { port, cni });
    assert.deepEqual(
      m.hairpin?.map((h) => ({ ...h, reasons: undefined })),
      [{ workload: 'shop/web', service: 'shop/web', allowed, tier, reasons: undefined }],
      `${port} ${cni}`,
    );
    // the same verdict as reach --to Service/shop/web for the hairpin backend
    const r = evaluateServiceReach(cluster, 'shop/web', 'shop/web', 80, 'TCP', { cni });
    assert.equal(r.backends.find((b) => b.hairpin)!.result.allowed, allowed);
  }
  // no Service targets 9090, and the client sits behind none: no diagonal
  assert.equal(reachMatrix(cluster, { port: 9090, cni: 'calico' }).hairpin, undefined);
  // an admin Deny decides hairpin traffic on every plugin that enforces it
  const admin = reachMatrix(clusterOf(docs(NS, WEB(), CLIENT, SVC, ADMIN_DENY)), { port: 8080 });
  assert.equal(admin.hairpin?.[0].allowed, false);
  assert.equal(admin.hairpin?.[0].tier, 'Admin');
  // every declared port: the diagonal lists the ports open through the Service
  const declared = reachMatrixDeclaredPorts(clusterOf(docs(NS, WEB(), CLIENT, SVC, ADMIN_DENY)));
  assert.deepEqual(declared.hairpin, [
    { workload: 'shop/web', service: 'shop/web', allowed: false, ports: [] },
  ]);
});

test('diff: a policy change that opens or closes the service hairpin path is listed, with the Service', () => {
  const before = clusterOf(docs(NS, WEB(), CLIENT, SVC));
  const after = clusterOf(docs(NS, WEB(), CLIENT, SVC, ADMIN_DENY));
  const closed = diffReach(before, after, { port: 8080 });
  const hp = closed.closed.filter((c) => c.hairpin !== undefined);
  assert.equal(hp.length, 1);
  assert.equal(hp[0].from, 'shop/web');
  assert.equal(hp[0].to, 'shop/web');
  assert.equal(hp[0].hairpin, 'shop/web');
  assert.equal(hp[0].after.tier, 'Admin');
  assert.deepEqual(hp[0].after.policies, ['no-shop-to-shop']);
  assert.equal(hp[0].before.allowed, true);
  assert.match(
    diffMarkdown(closed),
    /`shop\/web` \| itself through Service `shop\/web` \(service hairpin\) \| `8080\/TCP`/,
  );
  // the other way round it opens, also over every declared port
  const opened = diffReach(after, before);
  assert.deepEqual(
    opened.opened.filter((c) => c.hairpin).map((c) => `${c.from} ${c.port} ${c.hairpin}`),
    ['shop/web 8080/TCP shop/web'],
  );
  // a Service added is a new path, not a policy change: nothing listed for it
  const added = diffReach(clusterOf(docs(NS, WEB(), CLIENT, ADMIN_DENY)), after, { port: 8080 });
  assert.equal([...added.opened, ...added.closed].filter((c) => c.hairpin).length, 0);
});

test('kube-netlens matrix prints the hairpin diagonal and lists it; --json carries it', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'knl-hairpin-matrix-'));
  writeFileSync(path.join(dir, 'a.yaml'), docs(NS, WEB(), CLIENT, SVC, DENY_ALL));
  const cli = path.join(ROOT, 'dist', 'cli.js');
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [cli, 'matrix', dir, ...args], { encoding: 'utf8' });
  const text = run('--port', '8080', '--cni', 'calico');
  assert.equal(text.status, 0, text.stderr);
  // row 2 (shop/web): denied from the client column, and ✗ on its own diagonal
  assert.match(text.stdout, /^2 shop\/web\s+✗\s+✗$/m);
  assert.match(text.stdout, /^1 shop\/client\s+·\s+✗$/m);
  assert.match(text.stdout, /shop\/web through Service shop\/web: denied \[decided in tier NetworkPolicy\]/);
  const json = JSON.parse(run('--port', '8080', '--cni', 'cilium', '--json').stdout);
  assert.deepEqual(json.hairpin, [
    { workload: 'shop/web', service: 'shop/web', allowed: true, tier: 'Default' },
  ]);
});
