// A NetworkPolicy podSelector that selects no workload of its namespace: the policy protects nothing.
//
// Warning when the workspace holds the pods of that namespace: it defines workloads there, the
// selector only uses label keys those workloads carry (a typo of a value, a renamed app), and no
// custom resource there may create pods an operator labels. Otherwise the pods most likely come from
// somewhere else (another repository, `kubectl create`, an operator): information.

import { buildCluster } from '../model/cluster';
import { WORKLOAD_KINDS } from '../model/resource';
import {
  isEmptySelector,
  policyWorkloads,
  selectorKeys,
  selectorText,
  workloadText,
} from '../engine/policy-match';
import { matchesSelector } from '../engine/selector';
import type { LabelSelector } from '../engine/selector';
import type { WorkloadInfo } from '../engine/types';
import type { Rule } from './types';
import { missingSeverity } from './refs';
import { namespaceHasCustomResources, policyNodes, selectorMalformed } from './netpol-shared';
import { workloadsInNamespace } from '../engine/cluster-index';
import { isK8sNetworkPolicy } from '../model/policy-kinds';

/** The workload that meets the most requirements of the selector (for a "closest" hint). */
function closestWorkload(selector: LabelSelector, workloads: WorkloadInfo[]): WorkloadInfo | undefined {
  const parts: LabelSelector[] = [
    ...Object.entries(selector.matchLabels ?? {}).map(([k, v]) => ({ matchLabels: { [k]: v } })),
    ...(selector.matchExpressions ?? []).map((e) => ({ matchExpressions: [e] })),
  ];
  let best: WorkloadInfo | undefined;
  let bestScore = 0;
  for (const w of workloads) {
    const keys = selectorKeys(selector).filter((k) => k in w.podLabels).length;
    const met = parts.filter((p) => matchesSelector(p, w.podLabels)).length;
    const score = met * 2 + keys;
    if (score > bestScore) {
      bestScore = score;
      best = w;
    }
  }
  return best;
}

export const rule: Rule = {
  id: 'netpol-selects-nothing',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['NetworkPolicy'],
  applies: isK8sNetworkPolicy,
  description:
    'A NetworkPolicy podSelector that selects no workload of its namespace (information when the workspace does not hold the pods of that namespace).',
  check(ctx) {
    const policy = policyNodes(ctx.resource, ctx.index);
    const pair = policy.podSelectorPair;
    if (!pair || !pair.value || isEmptySelector(policy.info.podSelector) || selectorMalformed(pair.value))
      return;
    const cluster = buildCluster(ctx.index);
    if (policyWorkloads(cluster, policy.info).length > 0) return;
    const ns = policy.info.id.namespace;
    const inNamespace = workloadsInNamespace(cluster, ns);
    let severity = missingSeverity(ctx.index, ns, [...WORKLOAD_KINDS], rule.defaultSeverity);
    const keys = selectorKeys(policy.info.podSelector);
    const vocabularyKnown = keys.every((k) => inNamespace.some((w) => k in w.podLabels));
    if (!vocabularyKnown || namespaceHasCustomResources(ctx.index, ns)) severity = 'information';
    const sel = selectorText(policy.info.podSelector);
    let message: string;
    if (inNamespace.length === 0) {
      message = `podSelector ${sel} selects no workload defined in this workspace: namespace ${ns} has none here (its pods may be created elsewhere)`;
    } else {
      message = `podSelector ${sel} selects no pod: no workload in namespace ${ns} has these labels`;
      const near = closestWorkload(policy.info.podSelector, inNamespace);
      if (near) {
        const shown = keys.filter((k) => k in near.podLabels).map((k) => `${k}=${near.podLabels[k]}`);
        if (shown.length) message += ` (${workloadText(near)} has ${shown.join(', ')})`;
      }
      if (severity === 'information') message += '; its pods may be created elsewhere';
    }
    ctx.report(pair.key, message, { severity });
  },
};
