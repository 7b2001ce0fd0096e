// NetworkPolicy features a network plugin may lack (engine/cni-view.ts): Kubernetes documents that a
// plugin without endPort support applies such an entry to its single `port`, and a plugin without SCTP
// support matches no traffic with an SCTP entry. The verdict, the matrix and diff follow the plugin
// chosen, and the verdict says why.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateReach } from '../server/src/engine/reach';
import { reachMatrix } from '../server/src/engine/reach-matrix';
import { diffReach } from '../server/src/engine/reach-diff';
import type { Protocol } from '../server/src/engine/types';
import { clusterOf, docs } from './support/cluster';

const WORLD = docs(
  'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: app\n',
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: server\n  namespace: app\n  labels:\n    role: server\nspec:\n  containers:\n  - name: c\n    image: x\n    ports:\n    - containerPort: 8000\n    - containerPort: 8050\n    - containerPort: 9003\n      protocol: SCTP\n',
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: client\n  namespace: app\n  labels:\n    role: client\nspec:\n  containers:\n  - name: c\n    image: x\n',
  `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: server-ports
  namespace: app
spec:
  podSelector:
    matchLabels:
      role: server
  ingress:
  - ports:
    - port: 8000
      endPort: 8100
    - port: 9003
      protocol: SCTP
`,
);

interface Case {
  cni: string;
  port: number;
  protocol?: Protocol;
  allowed: boolean;
  says?: RegExp;
}

const CASES: Case[] = [
  // a plugin with both features: the range and SCTP as written
  { cni: 'calico', port: 8050, allowed: true },
  { cni: 'cilium', port: 9003, protocol: 'SCTP', allowed: true },
  // Weave Net implements neither: the range is its first port, the SCTP entry matches nothing
  {
    cni: 'weave',
    port: 8050,
    allowed: false,
    says: /Weave Net does not implement endPort: the range 8000-8100 is only port 8000/,
  },
  { cni: 'weave', port: 8000, allowed: true, says: /Weave Net does not implement endPort/ },
  {
    cni: 'weave',
    port: 9003,
    protocol: 'SCTP',
    allowed: false,
    says: /Weave Net does not implement SCTP in NetworkPolicy/,
  },
];

for (const c of CASES) {
  test(`under ${c.cni}: app/client → app/server ${c.port}/${c.protocol ?? 'TCP'} is ${c.allowed ? 'allowed' : 'denied'}`, () => {
    const cluster = clusterOf(WORLD);
    const r = evaluateReach(cluster, 'app/client', 'app/server', c.port, c.protocol ?? 'TCP', { cni: c.cni });
    const text = r.reasons.map((x) => [x.message, ...(x.details ?? [])].join(' — ')).join(' | ');
    assert.equal(r.allowed, c.allowed, text);
    if (c.says) assert.match(text, c.says);
    const m = reachMatrix(cluster, { port: c.port, protocol: c.protocol ?? 'TCP', cni: c.cni });
    const cell = m.cells.find((x) => x.from === 'app/client' && x.to === 'app/server')!;
    assert.equal(cell.allowed, c.allowed, 'the matrix agrees');
  });
}

test('diff under Weave Net: only the first port of a range counts', () => {
  const before = clusterOf(WORLD);
  // widening the range changes nothing the plugin enforces
  const wider = diffReach(before, clusterOf(WORLD.replace('endPort: 8100', 'endPort: 8200')), {
    cni: 'weave',
  });
  assert.deepEqual([wider.opened.length, wider.closed.length], [0, 0]);
  // moving its first port moves the one port that is open
  const moved = diffReach(before, clusterOf(WORLD.replace('- port: 8000', '- port: 8050')), { cni: 'weave' });
  assert.deepEqual(
    moved.opened.map((x) => [x.from, x.to, x.port]),
    [['app/client', 'app/server', '8050/TCP']],
  );
  assert.deepEqual(
    moved.closed.map((x) => [x.from, x.to, x.port]),
    [['app/client', 'app/server', '8000/TCP']],
  );
  // with a plugin that implements endPort, the same edit closes 8000 and opens nothing
  const calico = diffReach(before, clusterOf(WORLD.replace('- port: 8000', '- port: 8050')), {
    cni: 'calico',
  });
  assert.deepEqual([calico.opened.length, calico.closed.map((x) => x.port)], [0, ['8000/TCP']]);
});
