// Calico NetworkSet and GlobalNetworkSet (projectcalico.org/v3): a rule's source or destination
// selector matches the pods with those labels and the addresses of the network sets with those labels.
// Scoping as Calico documents it: without a namespaceSelector a namespaced policy's rule sees the
// NetworkSets of its own namespace and a GlobalNetworkPolicy's rule every set; a namespaceSelector picks
// the NetworkSets of the namespaces it matches, and global() the GlobalNetworkSets. notSelector excludes
// the addresses of the sets it matches.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateReach } from '../server/src/engine/reach';
import { reachMatrix } from '../server/src/engine/reach-matrix';
import { clusterOf, docs } from './support/cluster';

const y = (s: string) => s.replace(/^\n/, '');

const WORLD = docs(
  'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    team: shop\n',
  'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: billing\n  labels:\n    team: billing\n',
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\n  labels:\n    app: web\nspec:\n  containers:\n  - name: c\n    image: x\n    ports:\n    - containerPort: 8080\n',
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: ledger\n  namespace: billing\n  labels:\n    app: ledger\nspec:\n  containers:\n  - name: c\n    image: x\n    ports:\n    - containerPort: 5432\nstatus:\n  podIPs:\n  - ip: 10.0.3.5\n',
  // sets: a global blocklist, a global "internal" range, a namespaced "db" set in each namespace
  'apiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata:\n  name: blocklist\n  labels:\n    role: blocked\nspec:\n  nets:\n  - 198.51.100.0/24\n',
  'apiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata:\n  name: internal\n  labels:\n    role: internal\nspec:\n  nets: [10.0.0.0/16]\n',
  'apiVersion: projectcalico.org/v3\nkind: NetworkSet\nmetadata:\n  name: shop-db\n  namespace: shop\n  labels:\n    role: db\nspec:\n  nets: [10.9.0.0/16]\n',
  'apiVersion: projectcalico.org/v3\nkind: NetworkSet\nmetadata:\n  name: billing-db\n  namespace: billing\n  labels:\n    role: db\nspec:\n  nets: [10.8.0.0/16]\n',
  'apiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata:\n  name: global-db\n  labels:\n    role: db\nspec:\n  nets: [10.7.0.0/16]\n',
);

function gnp(name: string, body: string): string {
  return `apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata:\n  name: ${name}\nspec:\n${y(body)}`;
}
function np(name: string, namespace: string, body: string): string {
  return `apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n${y(body)}`;
}

const BLOCK_EGRESS = gnp(
  'block-egress',
  `
  selector: all()
  types: [Egress]
  egress:
  - action: Deny
    destination:
      selector: role == 'blocked'
  - action: Allow
`,
);

const SHOP_DB_ONLY = (destination: string) =>
  np(
    'db-only',
    'shop',
    `
  selector: app == 'web'
  types: [Egress]
  egress:
  - action: Allow
    destination:
${destination}`,
  );

interface Case {
  name: string;
  yaml: string;
  from: string;
  to: string;
  port?: number;
  allowed: boolean;
  rule?: string;
  /** A note of the deciding reason names the set. */
  note?: RegExp;
}

const CASES: Case[] = [
  {
    name: 'GlobalNetworkPolicy Deny to a selector matching a GlobalNetworkSet denies its addresses',
    yaml: docs(WORLD, BLOCK_EGRESS),
    from: 'shop/web',
    to: '198.51.100.7',
    port: 443,
    allowed: false,
    rule: 'egress[0]',
    note: /GlobalNetworkSet blocklist/,
  },
  {
    name: 'an address outside every matched set falls through to the next rule',
    yaml: docs(WORLD, BLOCK_EGRESS),
    from: 'shop/web',
    to: '203.0.113.9',
    port: 443,
    allowed: true,
    rule: 'egress[1]',
  },
  {
    name: "a namespaced policy's selector sees the NetworkSets of its own namespace",
    yaml: docs(WORLD, SHOP_DB_ONLY("      selector: role == 'db'\n")),
    from: 'shop/web',
    to: '10.9.4.4',
    port: 5432,
    allowed: true,
    rule: 'egress[0]',
    note: /NetworkSet shop\/shop-db/,
  },
  {
    name: "... and not another namespace's NetworkSet with the same labels",
    yaml: docs(WORLD, SHOP_DB_ONLY("      selector: role == 'db'\n")),
    from: 'shop/web',
    to: '10.8.4.4',
    port: 5432,
    allowed: false,
  },
  {
    name: '... nor a GlobalNetworkSet',
    yaml: docs(WORLD, SHOP_DB_ONLY("      selector: role == 'db'\n")),
    from: 'shop/web',
    to: '10.7.4.4',
    port: 5432,
    allowed: false,
  },
  {
    name: 'namespaceSelector global() reaches the GlobalNetworkSets',
    yaml: docs(WORLD, SHOP_DB_ONLY("      selector: role == 'db'\n      namespaceSelector: global()\n")),
    from: 'shop/web',
    to: '10.7.4.4',
    port: 5432,
    allowed: true,
    note: /GlobalNetworkSet global-db/,
  },
  {
    name: 'a namespaceSelector picks the NetworkSets of the namespaces it matches',
    yaml: docs(
      WORLD,
      SHOP_DB_ONLY("      selector: role == 'db'\n      namespaceSelector: team == 'billing'\n"),
    ),
    from: 'shop/web',
    to: '10.8.4.4',
    port: 5432,
    allowed: true,
    note: /NetworkSet billing\/billing-db/,
  },
  {
    name: "a GlobalNetworkPolicy's selector sees namespaced NetworkSets too",
    yaml: docs(
      WORLD,
      gnp(
        'db-anywhere',
        `
  selector: app == 'web'
  types: [Egress]
  egress:
  - action: Allow
    destination:
      selector: role == 'db'
`,
      ),
    ),
    from: 'shop/web',
    to: '10.8.4.4',
    port: 5432,
    allowed: true,
  },
  {
    name: 'notSelector excludes the addresses of the sets it matches',
    yaml: docs(
      WORLD,
      gnp(
        'not-blocked',
        `
  selector: all()
  types: [Egress]
  egress:
  - action: Allow
    destination:
      notSelector: role == 'blocked'
`,
      ),
    ),
    from: 'shop/web',
    to: '198.51.100.7',
    port: 443,
    allowed: false,
  },
  {
    name: 'a source selector matching a set admits ingress from its addresses',
    yaml: docs(
      WORLD,
      gnp(
        'from-internal',
        `
  selector: app == 'web'
  types: [Ingress]
  ingress:
  - action: Allow
    source:
      selector: role == 'internal'
`,
      ),
    ),
    from: '10.0.9.9',
    to: 'shop/web',
    port: 8080,
    allowed: true,
    note: /GlobalNetworkSet internal/,
  },
  {
    name: 'a pod whose status.podIPs lie in a matched set is matched through the set',
    yaml: docs(
      WORLD,
      gnp(
        'to-internal',
        `
  selector: app == 'web'
  types: [Egress]
  egress:
  - action: Allow
    destination:
      selector: role == 'internal'
`,
      ),
    ),
    from: 'shop/web',
    to: 'billing/ledger',
    port: 5432,
    allowed: true,
    note: /pod IP 10\.0\.3\.5/,
  },
];

for (const c of CASES) {
  test(`network sets: ${c.name}`, () => {
    const cluster = clusterOf(c.yaml);
    const r = evaluateReach(cluster, c.from, c.to, c.port ?? 80, 'TCP');
    const side = !r.egress.allowed
      ? r.egress
      : !r.ingress.allowed
        ? r.ingress
        : r.egress.tier !== 'Default'
          ? r.egress
          : r.ingress;
    const reason = side.reasons[0];
    const text = r.reasons.map((x) => [x.message, ...(x.details ?? [])].join(' — ')).join(' | ');
    assert.equal(r.allowed, c.allowed, `verdict: ${text}`);
    assert.equal(side.tier, 'calico:default', text);
    if (c.rule) assert.equal(reason.rule, c.rule, text);
    if (c.note) assert.match(text, c.note);
    if (!/^\d/.test(c.from) && !/^\d/.test(c.to)) {
      const m = reachMatrix(cluster, { port: c.port ?? 80, protocol: 'TCP' });
      const cell = m.cells.find((x) => x.from === r.from && x.to === r.to)!;
      assert.equal(cell.allowed, r.allowed, 'the matrix agrees');
    }
  });
}
