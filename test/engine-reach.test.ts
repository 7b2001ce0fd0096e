// NetworkPolicy reachability (engine/reach.ts) on manifests written as YAML and read through the real
// model. One test per documented behaviour; each asserts the verdict and what decided it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { evaluateReach, resolveEndpoint, EndpointError } from '../server/src/engine/reach';
import { reachMatrix } from '../server/src/engine/reach-matrix';
import { reachMatrixDeclaredPorts } from '../server/src/engine/reach-matrix-ports';
import type { Protocol } from '../server/src/engine/types';
import { clusterOf, docs } from './support/cluster';

interface PodSpec {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  ports?: { name?: string; port: number; protocol?: Protocol }[];
  ips?: string[];
}

function pod(p: PodSpec): string {
  const labels = Object.entries(p.labels ?? { app: p.name })
    .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}\n`)
    .join('');
  const ports = (p.ports ?? [])
    .map(
      (x) =>
        `    - containerPort: ${x.port}\n${x.name ? `      name: ${x.name}\n` : ''}${x.protocol ? `      protocol: ${x.protocol}\n` : ''}`,
    )
    .join('');
  const status = p.ips ? `status:\n  podIPs:\n${p.ips.map((ip) => `  - ip: ${ip}\n`).join('')}` : '';
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${p.name}\n  namespace: ${p.namespace ?? 'default'}\n  labels:\n${labels}spec:\n  containers:\n  - name: c\n    image: busybox\n${ports ? '    ports:\n' + ports : ''}${status}`;
}

function namespace(name: string, labels: Record<string, string> = {}): string {
  const l = Object.entries(labels)
    .map(([k, v]) => `    ${k}: ${v}\n`)
    .join('');
  return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n${l ? '  labels:\n' + l : ''}`;
}

/** A NetworkPolicy; `spec` is the YAML of its spec, indented by two spaces. */
function policy(name: string, spec: string, ns = 'default'): string {
  return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${spec.replace(/^\n/, '')}`;
}

const A = pod({ name: 'a', ports: [{ name: 'http', port: 8080 }] });
const B = pod({
  name: 'b',
  ports: [
    { name: 'http', port: 8080 },
    { name: 'dns', port: 53, protocol: 'UDP' },
  ],
});

function reach(
  yaml: string,
  from: string,
  to: string,
  port: number | string = 8080,
  protocol: Protocol = 'TCP',
) {
  return evaluateReach(clusterOf(yaml), from, to, port, protocol);
}

test('no policy selects the pod: allowed, and the verdict says so', () => {
  const r = reach(docs(A, B), 'default/a', 'default/b');
  assert.equal(r.allowed, true);
  assert.deepEqual(
    r.reasons.map((x) => x.kind),
    ['not-isolated', 'not-isolated'],
  );
  assert.equal(r.reasons[1].message, 'no policy selects default/b for Ingress (not isolated)');
});

test('isolation is per type: an Ingress-only policy leaves egress open', () => {
  const deny = policy(
    'deny-in',
    `
  podSelector: {}
  policyTypes: [Ingress]
`,
  );
  const yaml = docs(A, B, deny);
  const r = reach(yaml, 'default/a', 'default/b');
  assert.equal(r.allowed, false);
  assert.equal(r.egress.isolated, false);
  assert.equal(r.ingress.isolated, true);
  assert.deepEqual(
    r.reasons.map((x) => [x.side, x.kind, x.policy]),
    [['ingress', 'no-rule-allows', 'default/deny-in']],
  );
  assert.match(
    r.reasons[0].message,
    /default\/deny-in isolates default\/b for Ingress and has no ingress rules/,
  );
  const out = reach(yaml, 'default/b', '203.0.113.9', 443);
  assert.equal(out.allowed, true, 'egress is not isolated');
});

test('an Egress-only policy isolates egress and ignores its ingress rules', () => {
  const yaml = docs(
    A,
    B,
    policy(
      'egress-only',
      `
  podSelector:
    matchLabels: {app: a}
  policyTypes: [Egress]
  ingress:
  - {}
`,
    ),
  );
  const r = reach(yaml, 'default/a', 'default/b');
  assert.equal(r.allowed, false);
  assert.deepEqual(
    r.reasons.map((x) => [x.side, x.policy]),
    [['egress', 'default/egress-only']],
  );
  assert.equal(reach(yaml, 'default/b', 'default/a').allowed, true);
});

test('policyTypes defaults: Ingress always, Egress only when there are egress rules (egress: [] adds none)', () => {
  const table: [string, string, boolean, boolean][] = [
    // [name, spec, egress of a isolated, ingress of a isolated]
    ['no types, no rules', '  podSelector: {}\n', false, true],
    ['no types, egress rules', '  podSelector: {}\n  egress:\n  - ports:\n    - port: 53\n', true, true],
    ['no types, egress: []', '  podSelector: {}\n  egress: []\n', false, true],
    [
      'policyTypes: [] is defaulted too',
      '  podSelector: {}\n  policyTypes: []\n  egress:\n  - {}\n',
      true,
      true,
    ],
    ['explicit Egress only', '  podSelector: {}\n  policyTypes: [Egress]\n', true, false],
  ];
  for (const [name, spec, egress, ingress] of table) {
    const r = reach(docs(A, B, policy('p', spec)), 'default/a', 'default/b');
    const back = reach(docs(A, B, policy('p', spec)), 'default/b', 'default/a');
    assert.equal(r.egress.isolated, egress, `${name}: egress`);
    assert.equal(back.ingress.isolated, ingress, `${name}: ingress`);
  }
});

test('allow rules are a union across the policies that select the pod', () => {
  const C = pod({ name: 'c' });
  const yaml = docs(
    A,
    B,
    C,
    policy(
      'from-a',
      '  podSelector:\n    matchLabels: {app: b}\n  ingress:\n  - from:\n    - podSelector:\n        matchLabels: {app: a}\n',
    ),
    policy(
      'from-c',
      '  podSelector:\n    matchLabels: {app: b}\n  ingress:\n  - from:\n    - podSelector:\n        matchLabels: {app: c}\n',
    ),
  );
  const a = reach(yaml, 'default/a', 'default/b');
  assert.equal(a.allowed, true);
  assert.deepEqual(
    a.ingress.reasons.map((x) => [x.policy, x.rule, x.peer]),
    [['default/from-a', 'ingress[0]', 0]],
  );
  assert.equal(reach(yaml, 'default/c', 'default/b').allowed, true);
  assert.deepEqual(
    a.ingress.policies.map((p) => p.name),
    ['default/from-a', 'default/from-c'],
  );
  const r = evaluateReach(clusterOf(docs(yaml, pod({ name: 'd' }))), 'default/d', 'default/b', 8080);
  assert.equal(r.allowed, false);
  assert.deepEqual(
    r.reasons.map((x) => x.policy),
    ['default/from-a', 'default/from-c'],
  );
});

test('a connection needs both the egress side of the source and the ingress side of the destination', () => {
  const allowIn = policy(
    'b-from-a',
    '  podSelector:\n    matchLabels: {app: b}\n  ingress:\n  - from:\n    - podSelector:\n        matchLabels: {app: a}\n',
  );
  const denyOut = policy(
    'a-no-egress',
    '  podSelector:\n    matchLabels: {app: a}\n  policyTypes: [Egress]\n',
  );
  const r = reach(docs(A, B, allowIn, denyOut), 'default/a', 'default/b');
  assert.equal(r.allowed, false);
  assert.equal(r.ingress.allowed, true);
  assert.equal(r.egress.allowed, false);
  assert.deepEqual(
    r.reasons.map((x) => [x.side, x.policy]),
    [['egress', 'default/a-no-egress']],
  );
  const both = reach(docs(A, B, allowIn), 'default/a', 'default/b');
  assert.equal(both.allowed, true);
  assert.deepEqual(
    both.reasons.map((x) => x.kind),
    ['not-isolated', 'allowed-by-rule'],
  );
});

test('empty peer lists: from omitted or [] allows every source; ingress: [{}] allows all; ingress: [] allows none', () => {
  const other = pod({ name: 'x', namespace: 'other' });
  const table: [string, string, boolean, boolean][] = [
    // [name, ingress part of the spec, from another namespace, from an outside IP]
    ['from omitted', '  ingress:\n  - ports:\n    - port: 8080\n', true, true],
    ['from: []', '  ingress:\n  - from: []\n', true, true],
    ['ingress: [{}]', '  ingress:\n  - {}\n', true, true],
    ['ingress: []', '  ingress: []\n', false, false],
    ['ingress omitted', '', false, false],
    [
      'from: [{podSelector: {}}] means this namespace only',
      '  ingress:\n  - from:\n    - podSelector: {}\n',
      false,
      false,
    ],
    [
      'from: [{namespaceSelector: {}}] means every namespace, no outside IP',
      '  ingress:\n  - from:\n    - namespaceSelector: {}\n',
      true,
      false,
    ],
  ];
  for (const [name, ingress, fromOther, fromIP] of table) {
    const yaml = docs(A, B, other, policy('p', `  podSelector:\n    matchLabels: {app: b}\n${ingress}`));
    assert.equal(reach(yaml, 'other/x', 'default/b').allowed, fromOther, `${name}: other namespace`);
    assert.equal(reach(yaml, '198.51.100.7', 'default/b').allowed, fromIP, `${name}: outside IP`);
    assert.equal(
      reach(yaml, 'default/a', 'default/b').allowed,
      !/ingress: \[\]|^ingress omitted/.test(name),
      `${name}: same namespace`,
    );
  }
  const any = reach(
    docs(A, B, policy('p', '  podSelector: {}\n  ingress:\n  - from: []\n')),
    'default/a',
    'default/b',
  );
  assert.match(any.ingress.reasons[0].message, /allowed by default\/p ingress\[0\] \(any peer; any port\)/);
});

test('a peer with nothing set ({}) matches nothing, and the verdict says why', () => {
  const yaml = docs(A, B, policy('p', '  podSelector: {}\n  ingress:\n  - from:\n    - {}\n'));
  const r = reach(yaml, 'default/a', 'default/b');
  assert.equal(r.allowed, false);
  assert.match(
    r.reasons[0].details!.join('\n'),
    /from\[0\] sets no podSelector, namespaceSelector or ipBlock: the API rejects such a peer/,
  );
});

test('namespaceSelector and podSelector in one peer are AND; separate peers are OR', () => {
  const prod = namespace('prod', { env: 'prod' });
  const dev = namespace('dev', { env: 'dev' });
  const prodWeb = pod({ name: 'web', namespace: 'prod', labels: { app: 'web' } });
  const prodJob = pod({ name: 'job', namespace: 'prod', labels: { app: 'job' } });
  const devWeb = pod({ name: 'web', namespace: 'dev', labels: { app: 'web' } });
  const localWeb = pod({ name: 'local-web', labels: { app: 'web' } });
  const and = policy(
    'and',
    '  podSelector:\n    matchLabels: {app: b}\n  ingress:\n  - from:\n    - namespaceSelector:\n        matchLabels: {env: prod}\n      podSelector:\n        matchLabels: {app: web}\n',
  );
  const or = policy(
    'or',
    '  podSelector:\n    matchLabels: {app: b}\n  ingress:\n  - from:\n    - namespaceSelector:\n        matchLabels: {env: prod}\n    - podSelector:\n        matchLabels: {app: web}\n',
  );
  const base = docs(B, prod, dev, prodWeb, prodJob, devWeb, localWeb);
  const table: [string, boolean, boolean][] = [
    // [source, AND allows, OR allows]
    ['prod/web', true, true],
    ['prod/job', false, true],
    ['dev/web', false, false], // a podSelector alone means the policy's own namespace
    ['default/local-web', false, true],
  ];
  for (const [from, andWant, orWant] of table) {
    assert.equal(reach(docs(base, and), from, 'default/b').allowed, andWant, `AND ${from}`);
    assert.equal(reach(docs(base, or), from, 'default/b').allowed, orWant, `OR ${from}`);
  }
  assert.deepEqual(reach(docs(base, and), 'prod/job', 'default/b').reasons[0].details, [
    'ingress[0]: no from peer matches prod/job (from[0] podSelector {app=web} does not match the labels of prod/job (app=job))',
  ]);
  assert.deepEqual(reach(docs(base, and), 'dev/web', 'default/b').reasons[0].details, [
    'ingress[0]: no from peer matches dev/web (from[0] namespaceSelector {env=prod} does not match namespace dev)',
  ]);
  assert.deepEqual(reach(docs(base, or), 'dev/web', 'default/b').reasons[0].details, [
    'ingress[0]: no from peer matches dev/web (from[0] namespaceSelector {env=prod} does not match namespace dev; from[1] podSelector without namespaceSelector selects pods of namespace default only, and dev/web is in dev)',
  ]);
  assert.equal(reach(docs(base, or), 'prod/job', 'default/b').ingress.reasons[0].peer, 0);
  assert.equal(reach(docs(base, or), 'default/local-web', 'default/b').ingress.reasons[0].peer, 1);
});

test('every namespace has the kubernetes.io/metadata.name label, defined or not', () => {
  const mon = pod({ name: 'prom', namespace: 'monitoring' });
  const p = policy(
    'p',
    '  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: monitoring\n',
  );
  assert.equal(reach(docs(B, mon, p), 'monitoring/prom', 'default/b').allowed, true, 'implied namespace');
  assert.equal(
    reach(docs(B, mon, namespace('monitoring', { team: 'ops' }), p), 'monitoring/prom', 'default/b').allowed,
    true,
    'defined namespace',
  );
  assert.equal(reach(docs(B, A, p), 'default/a', 'default/b').allowed, false);
});

test('ipBlock with except, for outside addresses and for Pods with status.podIPs', () => {
  const p = policy(
    'p',
    '  podSelector:\n    matchLabels: {app: b}\n  ingress:\n  - from:\n    - ipBlock:\n        cidr: 10.0.0.0/8\n        except: [10.1.0.0/16]\n',
  );
  const withIp = pod({ name: 'c', ips: ['10.2.3.4'] });
  const excepted = pod({ name: 'd', ips: ['10.1.2.3'] });
  const yaml = docs(B, withIp, excepted, A, p);
  const table: [string, boolean][] = [
    ['10.9.9.9', true],
    ['10.1.0.5', false],
    ['192.168.1.1', false],
    ['10.2.0.0/16', true],
    ['10.0.0.0/8', false], // overlaps the except block
    ['default/c', true],
    ['10.2.3.4', true], // the Pod's IP names the Pod
    ['default/d', false],
    ['default/a', false], // no status.podIPs: an ipBlock cannot match it
  ];
  for (const [from, want] of table) assert.equal(reach(yaml, from, 'default/b').allowed, want, from);
  const r = reach(yaml, 'default/c', 'default/b');
  assert.match(
    r.ingress.reasons[0].details!.join(' '),
    /matched pod IP 10\.2\.3\.4 of default\/c \(from status\.podIPs/,
  );
  assert.equal(resolveEndpoint(clusterOf(yaml), '10.2.3.4').name, 'default/c');
  assert.match(
    reach(yaml, 'default/a', 'default/b').reasons[0].details![0],
    /from\[0\] ipBlock 10\.0\.0\.0\/8 except 10\.1\.0\.0\/16 matches addresses, and the manifests give no status\.podIPs for default\/a/,
  );
  assert.match(
    reach(yaml, '10.1.0.5', 'default/b').reasons[0].details![0],
    /from\[0\] ipBlock 10\.0\.0\.0\/8 except 10\.1\.0\.0\/16 does not hold 10\.1\.0\.5/,
  );
});

test('ports: by number, by name resolved on the destination pod (ingress and egress), endPort ranges', () => {
  const web1 = pod({ name: 'web1', labels: { role: 'web' }, ports: [{ name: 'http', port: 8080 }] });
  const web2 = pod({ name: 'web2', labels: { role: 'web' }, ports: [{ name: 'http', port: 9090 }] });
  const client = pod({ name: 'client', labels: { role: 'client' } });
  const named = policy(
    'named',
    '  podSelector:\n    matchLabels: {role: web}\n  ingress:\n  - ports:\n    - port: http\n',
  );
  const yaml = docs(web1, web2, client, named);
  const table: [string, number | string, boolean][] = [
    ['default/web1', 8080, true],
    ['default/web1', 9090, false],
    ['default/web2', 9090, true],
    ['default/web2', 8080, false],
    ['default/web2', 'http', true],
  ];
  for (const [to, port, want] of table)
    assert.equal(reach(yaml, 'default/client', to, port).allowed, want, `${to}:${port}`);
  assert.equal(reach(yaml, 'default/client', 'default/web2', 'http').resolvedPort, 9090);

  const egressNamed = policy(
    'out',
    '  podSelector:\n    matchLabels: {role: client}\n  policyTypes: [Egress]\n  egress:\n  - ports:\n    - port: http\n',
  );
  const e = docs(web1, web2, client, egressNamed);
  assert.equal(
    reach(e, 'default/client', 'default/web2', 9090).allowed,
    true,
    'egress named port resolves on the destination',
  );
  assert.equal(reach(e, 'default/client', 'default/web2', 8080).allowed, false);
  assert.equal(
    reach(e, 'default/client', '203.0.113.1', 8080).allowed,
    false,
    'a name cannot resolve outside the cluster',
  );

  const range = policy(
    'range',
    '  podSelector:\n    matchLabels: {app: b}\n  ingress:\n  - ports:\n    - port: 32000\n      endPort: 32768\n',
  );
  const rangeTable: [number, boolean][] = [
    [31999, false],
    [32000, true],
    [32500, true],
    [32768, true],
    [32769, false],
  ];
  for (const [port, want] of rangeTable)
    assert.equal(reach(docs(A, B, range), 'default/a', 'default/b', port).allowed, want, `endPort ${port}`);
  const ok = reach(docs(A, B, range), 'default/a', 'default/b', 32001);
  assert.equal(ok.ingress.reasons[0].port, 0);
  assert.match(ok.ingress.reasons[0].message, /ports\[0\] allows 32001\/TCP/);
});

test('protocols: a rule names TCP (the default), UDP or SCTP, and admits only that one', () => {
  const p = policy(
    'p',
    '  podSelector:\n    matchLabels: {app: b}\n  ingress:\n  - ports:\n    - port: 53\n      protocol: UDP\n    - port: 9000\n      protocol: SCTP\n    - port: 8080\n',
  );
  const yaml = docs(A, B, p);
  const table: [number, Protocol, boolean][] = [
    [53, 'UDP', true],
    [53, 'TCP', false],
    [9000, 'SCTP', true],
    [9000, 'TCP', false],
    [8080, 'TCP', true],
    [8080, 'UDP', false],
  ];
  for (const [port, protocol, want] of table)
    assert.equal(reach(yaml, 'default/a', 'default/b', port, protocol).allowed, want, `${port}/${protocol}`);
  const denied = reach(yaml, 'default/a', 'default/b', 53, 'TCP');
  assert.match(
    denied.reasons[0].details![0],
    /ingress\[0\]: 53\/TCP is not among its ports \(53\/UDP, 9000\/SCTP, 8080\/TCP\)/,
  );
});

test('the verdict names the policy and the rule index that allowed it, with its place in the file', () => {
  const p = policy(
    'p',
    '  podSelector: {}\n  ingress:\n  - ports:\n    - port: 1\n  - from:\n    - podSelector:\n        matchLabels: {app: a}\n    ports:\n    - port: 8080\n',
  );
  const r = reach(docs(A, B, p), 'default/a', 'default/b');
  assert.equal(r.allowed, true);
  const reason = r.ingress.reasons[0];
  assert.deepEqual(
    [reason.policy, reason.rule, reason.ruleIndex, reason.peer, reason.port],
    ['default/p', 'ingress[1]', 1, 0, 0],
  );
  assert.ok(reason.source && reason.source.uri === 'test.yaml' && reason.source.end > reason.source.start);
});

test('endpoint names: unknown names get suggestions, IPs are outside the cluster, two outside ends are refused', () => {
  const c = clusterOf(docs(A, B));
  assert.throws(
    () => resolveEndpoint(c, 'default/bb'),
    (e: unknown) =>
      e instanceof EndpointError &&
      /no Pod or workload "default\/bb" in the manifests; did you mean default\/b/.test(e.message),
  );
  assert.equal(resolveEndpoint(c, '192.0.2.1').kind, 'external');
  assert.throws(() => resolveEndpoint(c, '300.1.1.1'), /not a valid IP address or CIDR/);
  assert.throws(
    () => evaluateReach(c, '192.0.2.1', '192.0.2.2', 80),
    /NetworkPolicies only decide traffic to or from pods/,
  );
});

test('the matrix agrees with evaluateReach on every pair of the three-tier example', () => {
  const file = path.join(import.meta.dirname, '..', 'examples', 'three-tier', 'three-tier.yaml');
  const cluster = clusterOf({ [file]: readFileSync(file, 'utf8') });
  for (const port of [8080, 3000, 5432, 9100, 'http', 'metrics', 'postgres'] as const) {
    const m = reachMatrix(cluster, { port, protocol: 'TCP' });
    assert.equal(m.cells.length, m.workloads.length * (m.workloads.length - 1));
    for (const cell of m.cells)
      assert.equal(
        cell.allowed,
        evaluateReach(cluster, cell.from, cell.to, port).allowed,
        `${cell.from} → ${cell.to} on ${port}`,
      );
  }
  const m = reachMatrix(cluster, { port: 'postgres' });
  const allowed = m.cells.filter((c) => c.allowed).map((c) => `${c.from}→${c.to}`);
  assert.ok(allowed.includes('backend/api→backend/db'));
  assert.ok(!allowed.includes('web/frontend→backend/db'));
  assert.deepEqual(
    reachMatrix(cluster, { port: 80, namespace: 'backend' }).workloads.map((w) => w.name),
    ['backend/api', 'backend/db'],
  );
});

test('without a port, the matrix tests each destination on every port it declares', () => {
  const file = path.join(import.meta.dirname, '..', 'examples', 'three-tier', 'three-tier.yaml');
  const cluster = clusterOf({ [file]: readFileSync(file, 'utf8') });
  const m = reachMatrixDeclaredPorts(cluster);
  assert.equal(m.port, null);
  assert.equal(m.cells.length, 12);
  const declared = new Map(m.workloads.map((w) => [w.name, w.ports]));
  assert.deepEqual(declared.get('backend/db'), ['5432/TCP', '9100/TCP']);
  for (const cell of m.cells) {
    const open = declared
      .get(cell.to)!
      .filter((p) => evaluateReach(cluster, cell.from, cell.to, Number(p.split('/')[0]), 'TCP').allowed);
    assert.deepEqual(cell.ports, open, `${cell.from} → ${cell.to}`);
    assert.equal(cell.allowed, open.length > 0);
  }
  const db = m.cells.find((c) => c.from === 'backend/api' && c.to === 'backend/db')!;
  assert.deepEqual(db.ports, ['5432/TCP']);
  const udp = reachMatrixDeclaredPorts(cluster, { protocol: 'UDP' });
  assert.ok(udp.workloads.every((w) => w.ports.length === 0));
  assert.ok(
    udp.cells.every((c) => !c.allowed),
    'nothing declared, nothing to test',
  );
});
