// The built command line on the policy kinds beyond NetworkPolicy: reach/matrix with --cni and the
// deciding tier, `diff` (folders and --git) in every format with its exit codes, and `migrate-anp`
// (golden output, engine-proven equality).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './support/lsp-client';
import { parseFile } from '../server/src/syntax/file';
import { resourcesOf } from '../server/src/model/resource';
import { migrateAdminPolicy, toYaml } from '../server/src/rules/migrate-anp';

const CLI = path.join(ROOT, 'dist', 'cli.js');

function run(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const PODS = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
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
    - containerPort: 8080
      name: http
---
apiVersion: v1
kind: Pod
metadata:
  name: db
  namespace: shop
  labels: {app: db}
spec:
  containers:
  - name: c
    image: x
    ports:
    - containerPort: 5432
      name: pg
`;

const DENY_DB = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata:
  name: protect-db
spec:
  tier: Admin
  priority: 10
  subject:
    pods:
      namespaceSelector: {}
      podSelector: {matchLabels: {app: db}}
  ingress:
  - name: deny-web
    action: Deny
    from:
    - pods:
        namespaceSelector: {}
        podSelector: {matchLabels: {app: web}}
`;

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'knl-tiers-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

// -------------------------------------------------------------------------------------------------
// reach / matrix

test('reach: an admin-tier Deny decides, text names the tier, the plugin and the chain; exit 1', () => {
  const dir = workspace({ 'a.yaml': PODS + '---\n' + DENY_DB });
  const r = run(['reach', dir, '--from', 'shop/web', '--to', 'shop/db', '--port', '5432']);
  assert.equal(r.code, 1, r.err);
  assert.match(
    r.out,
    /^DENIED: shop\/web → shop\/db on 5432\/TCP \(denied by the ingress side of shop\/db\) \[decided in tier Admin\]\n/,
  );
  assert.match(
    r.out,
    /Network plugin: any plugin \(every kind enforced\) \(no plugin resources found: every kind is enforced\)/,
  );
  assert.match(
    r.out,
    /Ingress of shop\/db: denies \(tier Admin\)\n {2}consulted: ClusterNetworkPolicy protect-db ingress\[0\] → deny\n {2}- denied by ClusterNetworkPolicy protect-db ingress\[0\] "deny-web" \(Admin tier, priority 10; action Deny; matches shop\/web on 5432\/TCP\)/,
  );
});

test('reach --json: tier, chain and action are added to the version 1 contract', () => {
  const dir = workspace({ 'a.yaml': PODS + '---\n' + DENY_DB });
  const r = run(['reach', dir, '--from', 'shop/web', '--to', 'shop/db', '--port', 'pg', '--json']);
  assert.equal(r.code, 1, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.version, 1);
  assert.equal(j.allowed, false);
  assert.equal(j.tier, 'Admin');
  assert.equal(j.cni, 'generic');
  assert.equal(j.resolvedPort, 5432);
  assert.deepEqual(
    {
      kind: j.reasons[0].kind,
      tier: j.reasons[0].tier,
      policy: j.reasons[0].policy,
      policyKind: j.reasons[0].policyKind,
      rule: j.reasons[0].rule,
      action: j.reasons[0].action,
    },
    {
      kind: 'denied-by-rule',
      tier: 'Admin',
      policy: 'protect-db',
      policyKind: 'ClusterNetworkPolicy',
      rule: 'ingress[0]',
      action: 'Deny',
    },
  );
  // the rule's line: after the pods and the `---` line, line 13 of the policy (`- name: deny-web`)
  assert.equal(j.reasons[0].location.line, PODS.split('\n').length - 1 + 1 + 13);
  assert.deepEqual(
    j.ingress.chain.map((c: { policy: string; outcome: string }) => [c.policy, c.outcome]),
    [['protect-db', 'deny']],
  );
});

test('reach --cni: Flannel makes every policy inert; a bad name is a usage error', () => {
  const dir = workspace({ 'a.yaml': PODS + '---\n' + DENY_DB });
  const r = run([
    'reach',
    dir,
    '--from',
    'shop/web',
    '--to',
    'shop/db',
    '--port',
    '5432',
    '--cni',
    'flannel',
    '--json',
  ]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.allowed, true);
  assert.equal(j.cni, 'flannel');
  assert.deepEqual(
    j.ingress.inert.map((p: { name: string }) => p.name),
    ['protect-db'],
  );
  const bad = run([
    'reach',
    dir,
    '--from',
    'shop/web',
    '--to',
    'shop/db',
    '--port',
    '5432',
    '--cni',
    'flanel',
  ]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--cni must be auto or one of generic, none, flannel, calico, canal, cilium/);
});

test('matrix --json: cells carry the deciding tier, the plugin is named', () => {
  const dir = workspace({ 'a.yaml': PODS + '---\n' + DENY_DB });
  const r = run(['matrix', dir, '--port', '5432', '--json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.cni, 'generic');
  assert.deepEqual(j.cells, [
    { from: 'shop/db', to: 'shop/web', allowed: true, tier: 'Default' },
    { from: 'shop/web', to: 'shop/db', allowed: false, tier: 'Admin' },
  ]);
  const text = run(['matrix', dir, '--port', '5432']);
  assert.match(text.out, /Deciding tier per pair: Default 1, Admin 1\n$/);
});

// -------------------------------------------------------------------------------------------------
// diff

test('diff: removing a Deny opens a pair; text, JSON, Markdown and SARIF say which policy; exit 1', () => {
  const before = workspace({ 'a.yaml': PODS + '---\n' + DENY_DB });
  const after = workspace({ 'a.yaml': PODS });
  const t = run(['diff', before, after]);
  assert.equal(t.code, 1, t.err);
  assert.match(
    t.out,
    /^Newly allowed \(1\):\n {2}\+ shop\/web → shop\/db on 5432\/TCP: before denied \(Admin: protect-db\), after allowed \(Default\)\n/,
  );
  assert.match(t.out, /Policy changes \(1\):\n {2}- ClusterNetworkPolicy protect-db \(removed\)/);
  const j = JSON.parse(run(['diff', before, after, '--format', 'json']).out);
  assert.equal(j.version, 1);
  assert.deepEqual(
    j.opened.map((c: { from: string; to: string; port: string }) => [c.from, c.to, c.port]),
    [['shop/web', 'shop/db', '5432/TCP']],
  );
  assert.equal(j.opened[0].before.tier, 'Admin');
  assert.deepEqual(j.opened[0].before.policies, ['protect-db']);
  assert.deepEqual(j.closed, []);
  assert.deepEqual(
    j.policies.map((p: { kind: string; name: string; change: string }) => [p.kind, p.name, p.change]),
    [['ClusterNetworkPolicy', 'protect-db', 'removed']],
  );
  const md = run(['diff', before, after, '--format', 'markdown']).out;
  assert.match(
    md,
    /\| 🔓 opened \| `shop\/web` \| `shop\/db` \| `5432\/TCP` \| denied \\\(Admin: protect-db\\\) \| allowed \\\(Default\\\) \|/,
  );
  const sarif = JSON.parse(run(['diff', before, after, '--format', 'sarif']).out);
  assert.equal(sarif.version, '2.1.0');
  assert.equal(sarif.runs[0].results[0].ruleId, 'reach-opened');
  assert.equal(sarif.runs[0].results[0].level, 'warning');
});

test('diff: adding a Deny closes a pair (exit 0 by default, 1 with --fail-on change); nothing changed is exit 0', () => {
  const before = workspace({ 'a.yaml': PODS });
  const after = workspace({ 'a.yaml': PODS + '---\n' + DENY_DB });
  const r = run(['diff', before, after]);
  assert.equal(r.code, 0, r.err);
  assert.match(
    r.out,
    /Newly denied \(1\):\n {2}- shop\/web → shop\/db on 5432\/TCP: before allowed \(Default\), after denied \(Admin: protect-db\)\n {6}now: denied by ClusterNetworkPolicy protect-db ingress\[0\]/,
  );
  assert.equal(run(['diff', before, after, '--fail-on', 'change']).code, 1);
  assert.equal(run(['diff', before, before]).code, 0);
  assert.equal(run(['diff', before]).code, 2);
});

test('diff --git: compares a revision with the working tree', () => {
  const repo = workspace({ 'deploy/a.yaml': PODS + '---\n' + DENY_DB });
  const git = (...args: string[]) => {
    const r = spawnSync('git', args, { cwd: repo, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  };
  git('init', '-q');
  git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', 'deploy');
  git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'base');
  writeFileSync(path.join(repo, 'deploy/a.yaml'), PODS);
  const r = run(['diff', '--git', 'HEAD', 'deploy', '--format', 'json'], repo);
  assert.equal(r.code, 1, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.git, 'HEAD');
  assert.equal(j.opened.length, 1);
  assert.equal(j.opened[0].before.location.file, 'HEAD:deploy/a.yaml');
  const bad = run(['diff', '--git', 'no-such-ref', 'deploy'], repo);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--git no-such-ref: git rev-parse failed/);
});

// -------------------------------------------------------------------------------------------------
// migrate-anp

test('migrate-anp: golden output of the v1alpha1 → v1alpha2 conversion', () => {
  const src = readFileSync(path.join(ROOT, 'test/fixtures/migrate-anp/admin.yaml'), 'utf8');
  const [r] = parseFile(src).docs.flatMap((d) => resourcesOf(d));
  const out = toYaml(migrateAdminPolicy(r)!);
  assert.equal(out, readFileSync(path.join(ROOT, 'test/fixtures/migrate-anp/admin.fixed.yaml'), 'utf8'));
  // the output reads back as the same policy in the new shape
  const [back] = parseFile(out).docs.flatMap((d) => resourcesOf(d));
  assert.equal(back.apiVersion, 'policy.networking.k8s.io/v1alpha2');
  assert.equal(back.kind, 'ClusterNetworkPolicy');
});

test('migrate-anp: the engine proves the migrated workspace decides the same on every pair and port', () => {
  const anp = readFileSync(path.join(ROOT, 'test/fixtures/migrate-anp/admin.yaml'), 'utf8');
  const banp = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata:
  name: default
spec:
  # the fallback of every namespace
  subject:
    namespaces: {}
  ingress:
  - action: Deny
    from:
    - pods:
        namespaceSelector: {}
        podSelector: {matchLabels: {app: web}}
    ports:
    - namedPort: pg
`;
  const dir = workspace({ 'pods.yaml': PODS, 'policies.yaml': anp + '---\n' + banp });
  const r = run(['migrate-anp', dir, '--json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.equal, true);
  assert.equal(j.pairs, 2);
  assert.deepEqual(
    j.migrated.map((m: { kind: string; name: string }) => [m.kind, m.name]),
    [
      ['AdminNetworkPolicy', 'cluster-control'],
      ['BaselineAdminNetworkPolicy', 'default'],
    ],
  );
  // rewritten in place: the comment stays where it was, tier and priority come first in spec
  assert.match(
    j.migrated[1].yaml,
    /spec:\n {2}# the fallback of every namespace\n {2}tier: Baseline\n {2}priority: 1000\n {2}subject:/,
  );
  const text = run(['migrate-anp', dir]);
  assert.match(
    text.err,
    /2 policies migrated; the engine gives the same verdict on all 2 ordered pair\(s\) of workloads and every port they declare/,
  );
});

test('check --cni: a plugin that does not enforce a kind makes its policies inert (cni-unsupported)', () => {
  const dir = workspace({ 'a.yaml': PODS + '---\n' + DENY_DB });
  const r = run(['check', dir, '--cni', 'cilium', '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const found = JSON.parse(r.out).findings.filter((f: { rule: string }) => f.rule === 'cni-unsupported');
  assert.deepEqual(
    found.map((f: { severity: string; message: string }) => [f.severity, f.message]),
    [
      [
        'information',
        'Cilium does not enforce ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2): this policy is inert, it neither allows nor denies anything (network plugin: as configured with kubeNetlens.cni or --cni)',
      ],
    ],
  );
  assert.equal(run(['check', dir, '--cni', 'nope']).code, 2);
});
