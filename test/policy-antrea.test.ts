// Antrea's own policy kinds (crd.antrea.io ClusterNetworkPolicy and NetworkPolicy): recognised, not
// evaluated. The editor marks each with an information notice (cni-unsupported), and a reachability
// verdict for a pod in their scope lists them as not evaluated, since Antrea applies them before
// Kubernetes NetworkPolicies: the answer holds only if none of them decides first.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compare, parseAnnotations, type ActualLike } from './support/fixture';
import { runRuleFolder } from './support/rule-fixtures';
import { evaluateReach } from '../server/src/engine/reach';
import { clusterOf } from './support/cluster';
import { cniText } from '../server/src/cli/reach';

const FOLDER = path.resolve(__dirname, 'fixtures', 'policy-antrea');
const TEXT = readFileSync(path.join(FOLDER, 'antrea.yaml'), 'utf8');

test('each Antrea policy gets the "recognised, not evaluated" notice and nothing else', () => {
  for (const f of runRuleFolder(FOLDER)) {
    const diff = compare(parseAnnotations(f.text), f.actual as ActualLike[]);
    assert.equal(diff, '', `diagnostics of ${f.name} differ:\n${diff}`);
  }
});

test('a verdict lists the Antrea policies of the pod’s namespace and the cluster-wide ones as not evaluated', () => {
  const cluster = clusterOf(TEXT);
  const r = evaluateReach(cluster, 'default/frontend', 'default/db', 3306);
  // the Kubernetes NetworkPolicy allows it; the Antrea policies are named, not applied
  assert.equal(r.allowed, true);
  assert.equal(r.cni, 'antrea');
  assert.deepEqual(
    r.ingress.unevaluated?.map((p) => p.name),
    ['ClusterNetworkPolicy acnp-with-stand-alone-selectors', 'NetworkPolicy default/test-anp'],
  );
  const details = r.ingress.reasons.flatMap((x) => x.details ?? []).join('\n');
  assert.match(
    details,
    /not evaluated: Antrea ClusterNetworkPolicy acnp-with-stand-alone-selectors \(crd\.antrea\.io\/v1beta1\), Antrea NetworkPolicy default\/test-anp \(crd\.antrea\.io\/v1beta1\); Antrea applies its own policies before NetworkPolicy/,
  );
  assert.match(
    cniText(cluster, undefined),
    /2 Antrea-native policies are not evaluated \(they may decide first\)/,
  );
});

test('under another plugin the Antrea kinds are not enforced: no verdict mentions them', () => {
  const r = evaluateReach(clusterOf(TEXT), 'default/frontend', 'default/db', 3306, 'TCP', { cni: 'calico' });
  assert.equal(r.allowed, true);
  assert.equal(r.ingress.unevaluated, undefined);
});
