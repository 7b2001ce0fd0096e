// Antrea-native policies (crd.antrea.io ClusterNetworkPolicy and NetworkPolicy), evaluated as
// antrea-io/antrea documents them (docs/antrea-network-policy.md, docs/cluster-network-policy.md):
// tiers by priority (emergency 50 … application 250 before Kubernetes NetworkPolicy, baseline 253
// after it; the upstream ClusterNetworkPolicy Admin tier at 220, v1alpha1 AdminNetworkPolicy after
// every non-baseline Antrea tier), policies by priority within a tier, rules in order, first match
// decides (Allow, Drop, Reject) or Pass hands on to NetworkPolicy. Table-driven; the matrix must agree.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compare, parseAnnotations, type ActualLike } from './support/fixture';
import { runRuleFolder } from './support/rule-fixtures';
import { evaluateReach } from '../server/src/engine/reach';
import { reachMatrix } from '../server/src/engine/reach-matrix';
import { diffReach } from '../server/src/engine/reach-diff';
import type { Protocol } from '../server/src/engine/types';
import { clusterOf, docs } from './support/cluster';
import { cniText } from '../server/src/cli/reach';
import { parseFile } from '../server/src/syntax/file';
import { resourcesOf } from '../server/src/model/resource';
import { ResourceIndex } from '../server/src/workspace/index';
import { explainHover } from '../server/src/features/hover-explain';

const FOLDER = path.resolve(__dirname, 'fixtures', 'policy-antrea');
const TEXT = readFileSync(path.join(FOLDER, 'antrea.yaml'), 'utf8');

function ns(name: string, labels: Record<string, string> = {}): string {
  const l = Object.entries(labels)
    .map(([k, v]) => `    ${k}: ${v}\n`)
    .join('');
  return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n${l ? '  labels:\n' + l : ''}`;
}

function pod(name: string, namespace: string, labels: Record<string, string>, extra = ''): string {
  const l = Object.entries(labels)
    .map(([k, v]) => `    ${k}: ${v}\n`)
    .join('');
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\n  labels:\n${l}spec:\n  containers:\n  - name: c\n    image: x\n    ports:\n    - {containerPort: 8080, name: http}\n    - {containerPort: 9000, protocol: SCTP}\n${extra}`;
}

// accounting (org=acc) and sales (org=sales), kube-system without org; role=db|client in each.
const WORLD = docs(
  ns('acc', { org: 'acc', env: 'prod' }),
  ns('sales', { org: 'sales', env: 'prod' }),
  ns('acc2', { org: 'acc' }),
  ns('kube-system'),
  pod('db', 'acc', { role: 'db' }, 'status:\n  podIPs:\n  - ip: 10.1.0.5\n'),
  pod('client', 'acc', { role: 'client' }),
  pod('db', 'sales', { role: 'db' }),
  pod('client', 'sales', { role: 'client' }),
  pod('client', 'acc2', { role: 'client' }),
  pod('dns', 'kube-system', { role: 'dns' }),
  `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: antrea-agent\n  namespace: kube-system\nspec:\n  selector: {matchLabels: {app: antrea}}\n  template:\n    metadata: {labels: {app: antrea}}\n    spec: {containers: [{name: a, image: antrea}]}\n`,
);

const y = (s: string) => s.replace(/^\n/, '');

function acnp(name: string, tier: string | undefined, priority: number, body: string): string {
  return `apiVersion: crd.antrea.io/v1beta1\nkind: ClusterNetworkPolicy\nmetadata:\n  name: ${name}\nspec:\n  priority: ${priority}\n${tier ? `  tier: ${tier}\n` : ''}${y(body)}`;
}

function annp(
  name: string,
  namespace: string,
  tier: string | undefined,
  priority: number,
  body: string,
): string {
  return `apiVersion: crd.antrea.io/v1beta1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  priority: ${priority}\n${tier ? `  tier: ${tier}\n` : ''}${y(body)}`;
}

function np(name: string, namespace: string, body: string): string {
  return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n${y(body)}`;
}

const TO_DB = `  appliedTo:\n  - podSelector: {matchLabels: {role: db}}\n`;
const FROM_NODES = `    from:\n    - nodeSelector: {matchLabels: {node-role.kubernetes.io/control-plane: ""}}\n`;
const TO_SVC = `apiVersion: crd.antrea.io/v1beta1\nkind: ClusterNetworkPolicy\nmetadata:\n  name: to-svc\nspec:\n  priority: 1\n  appliedTo:\n  - podSelector: {matchLabels: {role: client}}\n  egress:\n  - action: Drop\n    toServices:\n    - {name: db, namespace: acc}\n`;
const ingress = (action: string, from = '', ports = '') =>
  `  ingress:\n  - action: ${action}\n    name: r\n${from}${ports}`;
const FROM_CLIENTS = `    from:\n    - podSelector: {matchLabels: {role: client}}\n`;
const DB_ISOLATED = np(
  'db-only-dns',
  'acc',
  `  podSelector: {matchLabels: {role: db}}\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}\n`,
);
const DB_OPEN_TO_CLIENTS = np(
  'db-clients',
  'acc',
  `  podSelector: {matchLabels: {role: db}}\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {role: client}}\n`,
);

interface Case {
  name: string;
  yaml: string[];
  from?: string;
  to?: string;
  port?: number | string;
  protocol?: Protocol;
  cni?: string;
  /** The connection is addressed to this Service (`ns/name`); the matrix (pod to pod) is not compared. */
  service?: string;
  allowed: boolean;
  tier?: string;
  policy?: string;
  action?: string;
  detail?: RegExp;
}

const CASES: Case[] = [
  {
    name: 'an application-tier Allow decides before Kubernetes NetworkPolicy isolation',
    yaml: [DB_ISOLATED, acnp('allow-clients', undefined, 10, TO_DB + ingress('Allow', FROM_CLIENTS))],
    allowed: true,
    tier: 'antrea:application',
    policy: 'allow-clients',
    action: 'Allow',
  },
  {
    name: 'emergency Drop beats application Allow (tier order)',
    yaml: [
      acnp('allow-clients', 'application', 1, TO_DB + ingress('Allow', FROM_CLIENTS)),
      acnp('lockdown', 'Emergency', 100, TO_DB + ingress('Drop')),
    ],
    allowed: false,
    tier: 'antrea:emergency',
    policy: 'lockdown',
    action: 'Drop',
  },
  {
    name: 'within a tier the lower priority decides, whatever the kind (ANNP 5 Drop before ACNP 10 Allow)',
    yaml: [
      acnp('allow-clients', 'securityops', 10, TO_DB + ingress('Allow', FROM_CLIENTS)),
      annp('drop-clients', 'acc', 'securityops', 5, TO_DB + ingress('Reject', FROM_CLIENTS)),
    ],
    allowed: false,
    tier: 'antrea:securityops',
    policy: 'acc/drop-clients',
    action: 'Reject',
  },
  {
    name: 'Pass skips the later Antrea tiers and hands the connection to Kubernetes NetworkPolicy',
    yaml: [
      acnp('delegate', 'securityops', 1, TO_DB + ingress('Pass', FROM_CLIENTS)),
      acnp('drop', 'application', 1, TO_DB + ingress('Drop')),
      DB_OPEN_TO_CLIENTS,
    ],
    allowed: true,
    tier: 'NetworkPolicy',
  },
  {
    name: 'after Pass with no NetworkPolicy, the baseline tier decides',
    yaml: [
      acnp('delegate', 'securityops', 1, TO_DB + ingress('Pass', FROM_CLIENTS)),
      acnp('base-drop', 'baseline', 1, TO_DB + ingress('Drop')),
    ],
    allowed: false,
    tier: 'antrea:baseline',
    policy: 'base-drop',
  },
  {
    name: 'a baseline Allow cannot lift NetworkPolicy isolation',
    yaml: [DB_ISOLATED, acnp('base-allow', 'baseline', 1, TO_DB + ingress('Allow'))],
    allowed: false,
    tier: 'NetworkPolicy',
  },
  {
    name: 'a custom Tier object orders by its priority (10: before emergency)',
    yaml: [
      `apiVersion: crd.antrea.io/v1beta1\nkind: Tier\nmetadata:\n  name: first\nspec:\n  priority: 10\n`,
      acnp('lockdown', 'emergency', 1, TO_DB + ingress('Drop')),
      acnp('allow-first', 'first', 1, TO_DB + ingress('Allow', FROM_CLIENTS)),
    ],
    allowed: true,
    tier: 'antrea:first',
  },
  {
    name: 'the upstream ClusterNetworkPolicy Admin tier (220) comes after platform (200)',
    yaml: [
      acnp('platform-allow', 'platform', 1, TO_DB + ingress('Allow', FROM_CLIENTS)),
      `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: admin-deny\nspec:\n  tier: Admin\n  priority: 1\n  subject:\n    pods:\n      namespaceSelector: {}\n      podSelector: {matchLabels: {role: db}}\n  ingress:\n  - action: Deny\n    from:\n    - namespaces: {}\n`,
    ],
    allowed: true,
    tier: 'antrea:platform',
  },
  {
    name: 'the upstream ClusterNetworkPolicy Admin tier comes before application (250)',
    yaml: [
      acnp('app-allow', 'application', 1, TO_DB + ingress('Allow', FROM_CLIENTS)),
      `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: admin-deny\nspec:\n  tier: Admin\n  priority: 1\n  subject:\n    pods:\n      namespaceSelector: {}\n      podSelector: {matchLabels: {role: db}}\n  ingress:\n  - action: Deny\n    from:\n    - namespaces: {}\n`,
    ],
    allowed: false,
    tier: 'Admin',
    policy: 'admin-deny',
  },
  {
    name: 'a v1alpha1 AdminNetworkPolicy comes after every non-baseline Antrea tier',
    yaml: [
      acnp('app-drop', 'application', 1, TO_DB + ingress('Drop', FROM_CLIENTS)),
      `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata:\n  name: anp-allow\nspec:\n  priority: 1\n  subject:\n    namespaces: {}\n  ingress:\n  - action: Allow\n    from:\n    - namespaces: {}\n`,
    ],
    allowed: false,
    tier: 'antrea:application',
    policy: 'app-drop',
  },
  {
    name: 'an ACNP podSelector in from/to holds pods of every namespace',
    yaml: [acnp('drop-clients', undefined, 1, TO_DB + ingress('Drop', FROM_CLIENTS))],
    from: 'sales/client',
    allowed: false,
    policy: 'drop-clients',
  },
  {
    name: 'an ANNP podSelector in from/to holds pods of its own namespace only',
    yaml: [annp('drop-clients', 'acc', undefined, 1, TO_DB + ingress('Drop', FROM_CLIENTS))],
    from: 'sales/client',
    allowed: true,
    tier: 'Default',
  },
  {
    name: 'an ANNP applies to pods of its own namespace only',
    yaml: [annp('drop-all', 'sales', undefined, 1, TO_DB + ingress('Drop'))],
    allowed: true,
  },
  {
    name: 'appliedTo namespaceSelector (ACNP) selects every pod of the matching namespaces',
    yaml: [
      acnp(
        'isolate-prod',
        'securityops',
        1,
        `  appliedTo:\n  - namespaceSelector: {matchLabels: {env: prod}}\n` + ingress('Drop'),
      ),
    ],
    from: 'acc2/client',
    to: 'sales/client',
    allowed: false,
    policy: 'isolate-prod',
  },
  {
    name: 'per-rule appliedTo: each rule applies to its own pods',
    yaml: [
      acnp(
        'per-rule',
        undefined,
        1,
        `  ingress:\n  - action: Drop\n    appliedTo:\n    - podSelector: {matchLabels: {role: client}}\n  - action: Allow\n    appliedTo:\n    - podSelector: {matchLabels: {role: db}}\n`,
      ),
    ],
    allowed: true,
    tier: 'antrea:application',
    action: 'Allow',
  },
  {
    name: 'namespaces match Self: pods of the applied-to pod’s own namespace',
    yaml: [
      acnp(
        'self-ns',
        'platform',
        1,
        `  appliedTo:\n  - namespaceSelector: {}\n  ingress:\n  - action: Allow\n    from:\n    - namespaces:\n        match: Self\n  - action: Drop\n`,
      ),
    ],
    from: 'sales/client',
    allowed: false,
    action: 'Drop',
  },
  {
    name: 'namespaces match Self allows the same namespace',
    yaml: [
      acnp(
        'self-ns',
        'platform',
        1,
        `  appliedTo:\n  - namespaceSelector: {}\n  ingress:\n  - action: Allow\n    from:\n    - namespaces:\n        match: Self\n  - action: Drop\n`,
      ),
    ],
    allowed: true,
    action: 'Allow',
  },
  {
    name: 'sameLabels [org]: acc2 (org=acc) reaches acc',
    yaml: [
      acnp(
        'by-org',
        'securityops',
        1,
        `  appliedTo:\n  - namespaceSelector: {}\n  ingress:\n  - action: Allow\n    from:\n    - namespaces:\n        sameLabels: [org]\n  - action: Drop\n`,
      ),
    ],
    from: 'acc2/client',
    allowed: true,
    action: 'Allow',
  },
  {
    name: 'sameLabels [org]: sales does not reach acc',
    yaml: [
      acnp(
        'by-org',
        'securityops',
        1,
        `  appliedTo:\n  - namespaceSelector: {}\n  ingress:\n  - action: Allow\n    from:\n    - namespaces:\n        sameLabels: [org]\n  - action: Drop\n`,
      ),
    ],
    from: 'sales/client',
    allowed: false,
    action: 'Drop',
  },
  {
    name: 'sameLabels: the policy does nothing in a namespace without the keys (kube-system)',
    yaml: [
      acnp(
        'by-org',
        'securityops',
        1,
        `  appliedTo:\n  - namespaceSelector: {}\n  ingress:\n  - action: Allow\n    from:\n    - namespaces:\n        sameLabels: [org]\n  - action: Drop\n`,
      ),
    ],
    from: 'sales/client',
    to: 'kube-system/dns',
    allowed: true,
    tier: 'Default',
  },
  {
    name: 'ipBlock with except matches a pod by its status.podIPs',
    yaml: [
      acnp(
        'egress-block',
        undefined,
        1,
        `  appliedTo:\n  - podSelector: {matchLabels: {role: client}}\n  egress:\n  - action: Drop\n    to:\n    - ipBlock:\n        cidr: 10.1.0.0/16\n        except: [10.1.1.0/24]\n`,
      ),
    ],
    allowed: false,
    detail: /holds pod IP 10\.1\.0\.5 of acc\/db/,
  },
  {
    name: 'ports: endPort range',
    yaml: [
      acnp(
        'range',
        undefined,
        1,
        TO_DB +
          ingress('Drop', '', `    ports:\n    - protocol: TCP\n      port: 8000\n      endPort: 8100\n`),
      ),
    ],
    allowed: false,
  },
  {
    name: 'ports: a named port resolves on the destination',
    yaml: [acnp('named', undefined, 1, TO_DB + ingress('Drop', '', `    ports:\n    - port: http\n`))],
    port: 8080,
    allowed: false,
  },
  {
    name: 'ports: another port does not match',
    yaml: [acnp('other-port', undefined, 1, TO_DB + ingress('Drop', '', `    ports:\n    - port: 443\n`))],
    allowed: true,
  },
  {
    name: 'ports: SCTP entries match SCTP only',
    yaml: [
      acnp(
        'sctp',
        undefined,
        1,
        TO_DB + ingress('Drop', '', `    ports:\n    - protocol: SCTP\n      port: 9000\n`),
      ),
    ],
    port: 9000,
    protocol: 'SCTP',
    allowed: false,
  },
  {
    name: 'protocols ICMP alone match no TCP connection',
    yaml: [
      acnp(
        'icmp',
        undefined,
        1,
        TO_DB + ingress('Drop', '', `    protocols:\n    - icmp:\n        icmpType: 8\n`),
      ),
    ],
    allowed: true,
  },
  {
    name: 'toServices does not match a connection straight to a backend pod (only its cluster IP)',
    yaml: [TO_SVC],
    allowed: true,
  },
  {
    name: 'toServices matches a connection addressed to that Service',
    yaml: [TO_SVC],
    service: 'acc/db',
    allowed: false,
    tier: 'antrea:application',
    policy: 'to-svc',
    action: 'Drop',
  },
  {
    name: 'toServices does not match a connection to another Service of the same pods',
    yaml: [TO_SVC],
    service: 'acc/db-admin',
    allowed: true,
  },
  {
    name: 'appliedTo serviceAccount selects the pods running as it',
    yaml: [
      pod('db-sa', 'acc', { role: 'store' }, '  serviceAccountName: store\n'),
      acnp(
        'by-sa',
        'securityops',
        1,
        `  appliedTo:\n  - serviceAccount: {name: store, namespace: acc}\n` + ingress('Drop', FROM_CLIENTS),
      ),
    ],
    to: 'acc/db-sa',
    allowed: false,
    tier: 'antrea:securityops',
    policy: 'by-sa',
  },
  {
    name: 'appliedTo serviceAccount leaves pods of another ServiceAccount alone',
    yaml: [
      acnp(
        'by-sa',
        'securityops',
        1,
        `  appliedTo:\n  - serviceAccount: {name: store, namespace: acc}\n` + ingress('Drop', FROM_CLIENTS),
      ),
    ],
    allowed: true,
  },
  {
    name: 'a serviceAccount peer holds pods whose spec names none when it is "default"',
    yaml: [
      acnp(
        'from-default-sa',
        undefined,
        1,
        TO_DB + ingress('Drop', `    from:\n    - serviceAccount: {name: default, namespace: acc}\n`),
      ),
    ],
    allowed: false,
    policy: 'from-default-sa',
    detail: /acc\/client runs as ServiceAccount acc\/default \(the default one/,
  },
  {
    name: 'a serviceAccount peer is bound to its namespace',
    yaml: [
      acnp(
        'from-default-sa',
        undefined,
        1,
        TO_DB + ingress('Drop', `    from:\n    - serviceAccount: {name: default, namespace: acc}\n`),
      ),
    ],
    from: 'sales/client',
    allowed: true,
  },
  {
    name: 'a nodeSelector peer holds no ordinary pod',
    yaml: [acnp('from-nodes', undefined, 1, TO_DB + ingress('Drop', FROM_NODES))],
    allowed: true,
  },
  {
    name: 'a nodeSelector peer and a host-network pod: undecidable without Nodes, said so',
    yaml: [
      pod('agent', 'acc', { role: 'agent' }, '  hostNetwork: true\n'),
      acnp('from-nodes', undefined, 1, TO_DB + ingress('Drop', FROM_NODES)),
    ],
    from: 'acc/agent',
    allowed: true,
    detail: /acc\/agent uses the host network, so its address is its node's/,
  },
  {
    name: 'equal priorities interleave by rule position: the first rule of the second policy precedes the second rule of the first',
    yaml: [
      acnp(
        'a-first',
        undefined,
        5,
        TO_DB +
          `  ingress:\n  - action: Allow\n    from:\n    - podSelector: {matchLabels: {role: dns}}\n  - action: Drop\n`,
      ),
      acnp('b-second', undefined, 5, TO_DB + ingress('Allow', FROM_CLIENTS)),
    ],
    allowed: true,
    policy: 'b-second',
    action: 'Allow',
  },
  {
    name: 'equal priorities, same rule position, conflicting actions: nondeterministic in Antrea, read as Drop and said so',
    yaml: [
      acnp('a-allow', undefined, 5, TO_DB + ingress('Allow', FROM_CLIENTS)),
      acnp('b-drop', undefined, 5, TO_DB + ingress('Drop')),
    ],
    allowed: false,
    policy: 'b-drop',
    action: 'Drop',
    detail:
      /a-allow ingress\[0\] \(Allow\) also matches, at the same tier, priority and rule position: Antrea leaves such conflicts nondeterministic/,
  },
  {
    name: 'under Calico the Antrea kinds are inert',
    yaml: [acnp('lockdown', 'emergency', 1, TO_DB + ingress('Drop'))],
    cni: 'calico',
    allowed: true,
    detail: /not enforced by Calico: ClusterNetworkPolicy\.crd\.antrea\.io lockdown/,
  },
];

function decidingSide(r: ReturnType<typeof evaluateReach>) {
  return !r.egress.allowed
    ? r.egress
    : !r.ingress.allowed
      ? r.ingress
      : r.ingress.tier !== 'Default'
        ? r.ingress
        : r.egress;
}

for (const c of CASES) {
  test(`antrea: ${c.name}`, () => {
    const cluster = clusterOf(docs(WORLD, ...c.yaml));
    const from = c.from ?? 'acc/client';
    const to = c.to ?? 'acc/db';
    const port = c.port ?? 8050;
    const protocol = c.protocol ?? 'TCP';
    const r = evaluateReach(cluster, from, to, port, protocol, { cni: c.cni, service: c.service });
    const side = decidingSide(r);
    const reason = side.reasons[0];
    assert.equal(r.allowed, c.allowed, `verdict: ${r.reasons.map((x) => x.message).join(' | ')}`);
    assert.equal(r.cni, c.cni ?? 'antrea');
    if (c.tier) assert.equal(side.tier, c.tier, reason.message);
    if (c.policy) assert.equal(reason.policy, c.policy, reason.message);
    if (c.action) assert.equal(reason.action, c.action, reason.message);
    if (c.detail)
      assert.match(
        [...r.egress.reasons, ...r.ingress.reasons]
          .flatMap((x) => [x.message, ...(x.details ?? [])])
          .join('\n'),
        c.detail,
      );
    if (c.service !== undefined) return;
    const m = reachMatrix(cluster, { port, protocol, cni: c.cni });
    const cell = m.cells.find((x) => x.from === r.from && x.to === r.to)!;
    assert.equal(cell.allowed, r.allowed, 'the matrix agrees');
    if (c.tier) assert.equal(cell.tier, c.tier, 'the matrix names the same tier');
  });
}

test('antrea: the matrix agrees with every single verdict, pair by pair, on a mix of tiers', () => {
  const cluster = clusterOf(
    docs(
      WORLD,
      DB_ISOLATED,
      acnp(
        'delegate',
        'securityops',
        1,
        TO_DB + ingress('Pass', `    from:\n    - namespaceSelector: {matchLabels: {org: acc}}\n`),
      ),
      acnp(
        'by-org',
        'platform',
        2,
        `  appliedTo:\n  - namespaceSelector: {}\n  ingress:\n  - action: Allow\n    from:\n    - namespaces:\n        sameLabels: [org]\n  - action: Drop\n    from:\n    - podSelector: {matchLabels: {role: client}}\n`,
      ),
      acnp('base-drop', 'baseline', 1, `  appliedTo:\n  - namespaceSelector: {}\n` + ingress('Drop')),
    ),
  );
  const m = reachMatrix(cluster, { port: 8080 });
  for (const cell of m.cells) {
    const r = evaluateReach(cluster, cell.from, cell.to, 8080);
    assert.equal(cell.allowed, r.allowed, `${cell.from} → ${cell.to}`);
    assert.equal(cell.tier, decidingSide(r).tier, `${cell.from} → ${cell.to} tier`);
  }
});

test('antrea: a policy in a tier the files do not define, or applied to a group, is listed as not evaluated', () => {
  const cluster = clusterOf(
    docs(
      WORLD,
      acnp('in-unknown-tier', 'mytier', 1, TO_DB + ingress('Drop')),
      acnp('by-group', undefined, 1, `  appliedTo:\n  - group: dbs\n` + ingress('Drop')),
    ),
  );
  const r = evaluateReach(cluster, 'acc/client', 'acc/db', 8080);
  assert.equal(r.allowed, true);
  assert.deepEqual(
    r.ingress.unevaluated?.map((p) => p.name),
    ['ClusterNetworkPolicy in-unknown-tier', 'ClusterNetworkPolicy by-group'],
  );
  const details = r.ingress.reasons.flatMap((x) => x.details ?? []).join('\n');
  assert.match(
    details,
    /in-unknown-tier \(its tier "mytier" is neither a static Antrea tier nor a Tier of the manifests\)/,
  );
  assert.match(
    details,
    /by-group \(appliedTo group dbs \(not defined in these files\) cannot be decided from the manifests\)/,
  );
  assert.match(cniText(cluster, undefined), /2 Antrea-native policies are not evaluated/);
});

test('antrea: the fixture’s notices (cni-unsupported) and its verdicts', () => {
  for (const f of runRuleFolder(FOLDER)) {
    const diff = compare(parseAnnotations(f.text), f.actual as ActualLike[]);
    assert.equal(diff, '', `diagnostics of ${f.name} differ:\n${diff}`);
  }
  // The Tier defined in the file (priority 20) comes before securityops (100): its Pass hands the
  // connection to the Kubernetes NetworkPolicy, which allows it.
  const r = evaluateReach(clusterOf(TEXT), 'default/frontend', 'default/db', 3306);
  assert.equal(r.allowed, true);
  assert.equal(r.ingress.tier, 'NetworkPolicy');
  assert.deepEqual(
    r.ingress.chain?.map((c) => `${c.tier} ${c.policy} ${c.outcome}`),
    [
      'antrea:defined-here default/in-a-tier-defined-here pass',
      'NetworkPolicy default/db-from-frontend isolates',
    ],
  );
  assert.deepEqual(
    r.ingress.unevaluated?.map((p) => p.name),
    ['ClusterNetworkPolicy in-a-tier-not-here'],
  );
  // Without the Pass, the securityops policies decide.
  const noPass = TEXT.replace(
    '    - action: Pass\n',
    '    - action: Allow\n      from:\n        - podSelector: {matchLabels: {role: nobody}}\n',
  );
  const v = evaluateReach(clusterOf(noPass), 'default/frontend', 'default/db', 3306);
  assert.equal(v.ingress.tier, 'antrea:securityops');
  assert.equal(
    v.ingress.reasons[0].message,
    'allowed by NetworkPolicy.crd.antrea.io default/test-anp ingress[0] "AllowFromFrontend" (Antrea tier securityops, priority 5; action Allow; matches default/frontend on 3306/TCP)',
  );
});

test('antrea: hover on an Antrea policy says its tier, priority, the pods it applies to and each rule', () => {
  const text = docs(
    WORLD,
    acnp(
      'by-org',
      'securityops',
      3,
      `  appliedTo:\n  - podSelector: {matchLabels: {role: db}}\n  ingress:\n  - action: Allow\n    name: same-org\n    from:\n    - namespaces:\n        sameLabels: [org]\n  - action: Pass\n    from:\n    - namespaceSelector: {}\n    ports:\n    - protocol: TCP\n      port: 8000\n      endPort: 8100\n`,
    ),
  );
  const index = new ResourceIndex();
  const parsed = parseFile(text);
  index.setFile(
    'file:///a.yaml',
    parsed.docs.flatMap((d) => resourcesOf(d)),
  );
  const offset = text.lastIndexOf('kind: ClusterNetworkPolicy') + 'kind: Clu'.length;
  const doc = parsed.docs.find((d) => offset >= d.base && offset <= d.base + d.text.length)!;
  const h = explainHover(doc, offset - doc.base, 'file:///a.yaml', index);
  assert.ok(h);
  assert.match(h.markdown, /\*\*Antrea ClusterNetworkPolicy `by-org`\*\* in plain words/);
  assert.match(
    h.markdown,
    /Antrea tier `securityops` \(100\), priority 3 \(lower first within the tier\): consulted before the Kubernetes NetworkPolicies and before the upstream ClusterNetworkPolicy Admin tier \(220\)/,
  );
  assert.match(h.markdown, /\*\*Applies to\*\* Pod acc\/db, Pod sales\/db\./);
  assert.match(
    h.markdown,
    /1\. `same-org` \*\*Allow\*\* from pods \(all\) of namespaces with the same `org` as that pod's on every port: allows it/,
  );
  assert.match(
    h.markdown,
    /2\. \*\*Pass\*\* from pods \(all\) of namespaces \(all\) on TCP 8000-8100: skips every later non-baseline Antrea rule/,
  );
  assert.match(h.markdown, /Enforced by Antrea \(detected\)\./);
});

const CG = (name: string, spec: string) =>
  `apiVersion: crd.antrea.io/v1beta1\nkind: ClusterGroup\nmetadata:\n  name: ${name}\nspec:\n${spec}`;

test('antrea: ClusterGroups and Groups in appliedTo and peers resolve to their members', () => {
  const groups = [
    CG('dbs', `  podSelector: {matchLabels: {role: db}}\n  namespaceSelector: {matchLabels: {org: acc}}\n`),
    CG('clients-by-svc', `  serviceReference: {name: clients, namespace: sales}\n`),
    CG('either', `  childGroups: [dbs, clients-by-svc]\n`),
    CG('nested', `  childGroups: [either]\n`),
    CG('net', `  ipBlocks:\n  - cidr: 10.1.0.0/16\n    except: [10.1.1.0/24]\n`),
    `apiVersion: v1\nkind: Service\nmetadata: {name: clients, namespace: sales}\nspec:\n  selector: {role: client}\n  ports: [{port: 80}]\n`,
  ];
  const drop = acnp(
    'drop-from-sales-clients',
    undefined,
    1,
    `  appliedTo:\n  - group: dbs\n  ingress:\n  - action: Drop\n    from:\n    - group: clients-by-svc\n`,
  );
  const cluster = clusterOf(docs(WORLD, ...groups, drop));
  // appliedTo dbs = role=db in org=acc namespaces (acc/db); from = pods behind Service sales/clients
  const r = evaluateReach(cluster, 'sales/client', 'acc/db', 8080);
  assert.equal(r.allowed, false);
  assert.match(
    r.ingress.reasons[0].details?.join('\n') ?? '',
    /ClusterGroup clients-by-svc holds the pods of Service sales\/clients/,
  );
  assert.equal(evaluateReach(cluster, 'acc/client', 'acc/db', 8080).allowed, true, 'not behind the Service');
  assert.equal(
    evaluateReach(cluster, 'sales/client', 'sales/db', 8080).allowed,
    true,
    'sales/db is not in dbs',
  );
  assert.equal(r.ingress.unevaluated, undefined, 'every group is defined: nothing is left unevaluated');
  // childGroups: the union, one level deep; a group nesting a parent realizes nothing
  const viaChild = clusterOf(
    docs(WORLD, ...groups, acnp('p', undefined, 1, `  appliedTo:\n  - group: either\n` + ingress('Drop'))),
  );
  assert.equal(evaluateReach(viaChild, 'acc/client', 'acc/db', 8080).allowed, false);
  assert.equal(evaluateReach(viaChild, 'acc/db', 'sales/client', 8080).allowed, false);
  assert.equal(evaluateReach(viaChild, 'acc/db', 'acc/client', 8080).allowed, true);
  const viaNested = clusterOf(
    docs(WORLD, ...groups, acnp('p', undefined, 1, `  appliedTo:\n  - group: nested\n` + ingress('Drop'))),
  );
  assert.equal(evaluateReach(viaNested, 'acc/client', 'acc/db', 8080).allowed, true);
  // ipBlocks as a peer: pods by their status.podIPs; in appliedTo: no effect
  const egress = clusterOf(
    docs(
      WORLD,
      ...groups,
      acnp(
        'to-net',
        undefined,
        1,
        `  appliedTo:\n  - podSelector: {matchLabels: {role: client}}\n  egress:\n  - action: Drop\n    to:\n    - group: net\n`,
      ),
      acnp('net-applied', undefined, 2, `  appliedTo:\n  - group: net\n` + ingress('Drop')),
    ),
  );
  const e = evaluateReach(egress, 'acc/client', 'acc/db', 8080);
  assert.equal(e.allowed, false);
  assert.equal(e.egress.reasons[0].policy, 'to-net');
  assert.equal(
    evaluateReach(egress, 'acc/db', 'acc/client', 8080).allowed,
    true,
    'net-applied applies to no pod',
  );
  // a Group (namespaced) for an Antrea NetworkPolicy
  const group = `apiVersion: crd.antrea.io/v1beta1\nkind: Group\nmetadata:\n  name: clients\n  namespace: acc\nspec:\n  podSelector: {matchLabels: {role: client}}\n`;
  const annpCluster = clusterOf(
    docs(
      WORLD,
      group,
      annp('g', 'acc', undefined, 1, TO_DB + ingress('Drop', `    from:\n    - group: clients\n`)),
    ),
  );
  assert.equal(evaluateReach(annpCluster, 'acc/client', 'acc/db', 8080).allowed, false);
  assert.equal(evaluateReach(annpCluster, 'sales/client', 'acc/db', 8080).allowed, true);
  // the matrix agrees
  for (const c of [cluster, viaChild, egress, annpCluster]) {
    const m = reachMatrix(c, { port: 8080 });
    for (const cell of m.cells)
      assert.equal(
        cell.allowed,
        evaluateReach(c, cell.from, cell.to, 8080).allowed,
        `${cell.from} → ${cell.to}`,
      );
  }
});

test('antrea: diff names the Antrea policy and the group whose change opens a connection', () => {
  const groupOf = (labels: string) => CG('dbs', `  podSelector: {matchLabels: {${labels}}}\n`);
  const policy = acnp(
    'drop-to-dbs',
    'securityops',
    1,
    `  appliedTo:\n  - group: dbs\n` + ingress('Drop', FROM_CLIENTS),
  );
  const before = clusterOf(docs(WORLD, groupOf('role: db'), policy));
  const after = clusterOf(docs(WORLD, groupOf('role: nobody'), policy));
  const d = diffReach(before, after, { port: 8080 });
  assert.deepEqual(
    d.policies.map((p) => `${p.change} ${p.kind} ${p.name}`),
    ['changed ClusterGroup.crd.antrea.io dbs'],
  );
  const opened = d.opened.find((x) => x.from === 'acc/client' && x.to === 'acc/db');
  assert.ok(opened, 'acc/client → acc/db opens');
  assert.equal(opened.before.tier, 'antrea:securityops');
  assert.deepEqual(opened.before.policies, ['drop-to-dbs']);
  const removed = diffReach(before, clusterOf(docs(WORLD, groupOf('role: db'))), { port: 8080 });
  assert.deepEqual(
    removed.policies.map((p) => `${p.change} ${p.kind} ${p.name}`),
    ['removed ClusterNetworkPolicy.crd.antrea.io drop-to-dbs'],
  );
});
