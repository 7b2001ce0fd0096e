// ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2) against the upstream conformance suite of
// kubernetes-sigs/network-policy-api: its base manifests (four houses of StatefulSets with TCP, UDP and
// SCTP servers) and the policies of every "standard" test, copied unchanged into
// test/fixtures/network-policy-api; cases.json lists each probe of those tests (client pod, server pod,
// protocol, port, expected verdict) in order, up to the first change a test makes to the cluster.
// Table-driven: every probe must get the upstream verdict, on every plugin that enforces the kind, and
// the matrix must agree with it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { evaluateReach } from '../server/src/engine/reach';
import { reachMatrix } from '../server/src/engine/reach-matrix';
import type { Protocol } from '../server/src/engine/types';
import { clusterOf } from './support/cluster';

const DIR = path.resolve(__dirname, 'fixtures', 'network-policy-api');

interface Probe {
  test: string;
  from: string;
  to: string;
  protocol: Protocol;
  port: number;
  allowed: boolean;
}

const { tests } = JSON.parse(readFileSync(path.join(DIR, 'cases.json'), 'utf8')) as {
  tests: { test: string; file: string; manifests: string[]; cases: Probe[] }[];
};

// The host-network servers of the base manifests take their ports from the suite's settings (a Go
// template); any free ports do for these probes, which do not reach them.
const BASE = readFileSync(path.join(DIR, 'manifests.yaml'), 'utf8').replace(
  /\{\{ index \.HostNetworkPorts (\d) \}\}/g,
  (_, i) => String(34500 + Number(i)),
);

test('the conformance table is not empty and covers the admin and baseline tiers and every protocol', () => {
  const probes = tests.flatMap((t) => t.cases);
  assert.ok(probes.length >= 100, `${probes.length} probes`);
  for (const p of ['TCP', 'UDP', 'SCTP'])
    assert.ok(
      probes.some((c) => c.protocol === p),
      p,
    );
  assert.ok(probes.some((c) => c.allowed) && probes.some((c) => !c.allowed));
  assert.ok(tests.some((t) => t.test.startsWith('CNPAdminTier')));
  assert.ok(tests.some((t) => t.test.startsWith('CNPBaselineTier')));
});

for (const t of tests) {
  test(`network-policy-api conformance ${t.test} (${t.file})`, () => {
    const cluster = clusterOf({
      'manifests.yaml': BASE,
      ...Object.fromEntries(t.manifests.map((m) => [m, readFileSync(path.join(DIR, m), 'utf8')])),
    });
    for (const cni of ['generic', 'kube-network-policies']) {
      const matrices = new Map<string, ReturnType<typeof reachMatrix>>();
      for (const c of t.cases) {
        const r = evaluateReach(cluster, c.from, c.to, c.port, c.protocol, { cni });
        const what = `${c.test}: ${c.from} → ${c.to} ${c.port}/${c.protocol} under ${cni}`;
        assert.equal(r.allowed, c.allowed, `${what}: ${r.reasons.map((x) => x.message).join(' | ')}`);
        if (c.from === c.to) continue;
        const key = `${c.port}/${c.protocol}`;
        let m = matrices.get(key);
        if (!m) matrices.set(key, (m = reachMatrix(cluster, { port: c.port, protocol: c.protocol, cni })));
        assert.equal(
          m.cells.find((x) => x.from === c.from && x.to === c.to)?.allowed,
          c.allowed,
          `matrix: ${what}`,
        );
      }
    }
  });
}
