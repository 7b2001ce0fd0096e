// The standard network-policy-api conformance tests whole, not only up to their first patch: each test's
// steps in order (test/fixtures/network-policy-api/sequences.json, read from the .go files): a probe
// (client pod, server pod, protocol, port, expected verdict) or a patch that swaps two rules of a policy,
// as the .go does with mutate.Spec.Egress[i] / [j] (patches accumulate, as in the cluster). The swaps check
// that rule order decides: after Deny and Accept trade places, the verdict flips.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { evaluateReach } from '../server/src/engine/reach';
import type { Protocol } from '../server/src/engine/types';
import { clusterOf } from './support/cluster';

const DIR = path.resolve(__dirname, 'fixtures', 'network-policy-api');
const ports = (s: string) =>
  s.replace(/\{\{ index \.HostNetworkPorts (\d) \}\}/g, (_, i) => String(34500 + Number(i)));
const BASE = ports(readFileSync(path.join(DIR, 'manifests.yaml'), 'utf8'));

type Step =
  | { swap: { policy: string; direction: 'ingress' | 'egress'; i: number; j: number } }
  | { from: string; to: string; protocol: Protocol; port: number; allowed: boolean };

const { tests } = JSON.parse(readFileSync(path.join(DIR, 'sequences.json'), 'utf8')) as {
  tests: { test: string; file: string; manifests: string[]; steps: Step[] }[];
};

test('the sequences hold probes after patches, for the admin and baseline tiers', () => {
  assert.ok(tests.length >= 14, `${tests.length} tests`);
  assert.ok(tests.every((t) => t.steps.some((s) => 'swap' in s)));
  assert.ok(tests.flatMap((t) => t.steps).filter((s) => !('swap' in s)).length >= 200);
});

for (const t of tests) {
  test(`network-policy-api conformance ${t.test} (${t.file}), every step`, () => {
    const docs = t.manifests.flatMap((m) =>
      parseAllDocuments(ports(readFileSync(path.join(DIR, m), 'utf8'))).map((d) => d.toJS()),
    );
    let cluster = clusterOf({
      'manifests.yaml': BASE,
      'policies.yaml': docs.map((d) => stringify(d)).join('---\n'),
    });
    let patches = 0;
    for (const s of t.steps) {
      if ('swap' in s) {
        const policy = docs.find((d) => d.metadata.name === s.swap.policy);
        assert.ok(policy, s.swap.policy);
        const rules = policy.spec[s.swap.direction];
        [rules[s.swap.i], rules[s.swap.j]] = [rules[s.swap.j], rules[s.swap.i]];
        patches++;
        cluster = clusterOf({
          'manifests.yaml': BASE,
          'policies.yaml': docs.map((d) => stringify(d)).join('---\n'),
        });
        continue;
      }
      for (const cni of ['generic', 'kube-network-policies']) {
        const r = evaluateReach(cluster, s.from, s.to, s.port, s.protocol, { cni });
        assert.equal(
          r.allowed,
          s.allowed,
          `after ${patches} patch(es): ${s.from} → ${s.to} ${s.port}/${s.protocol} under ${cni}: ${r.reasons.map((x) => x.message).join(' | ')}`,
        );
      }
    }
  });
}
