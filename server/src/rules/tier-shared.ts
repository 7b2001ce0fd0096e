// What the rules of the admin-tier, Cilium and Calico kinds share: which workloads a subject selects,
// and a did-you-mean for a label that no workload in scope carries.

import { closest } from '../engine/edit-distance';
import { namespaceLabels } from '../engine/policy-match';
import { matchesSelector } from '../engine/selector';
import type { LabelSelector, Labels } from '../engine/selector';
import type { Cluster, NamespacedPodInfo, WorkloadInfo } from '../engine/types';

/** Workloads whose pods a `namespaces` or `pods` subject/peer of the admin tiers selects. */
export function adminSelected(
  cluster: Cluster,
  sel: { namespaces?: LabelSelector; pods?: NamespacedPodInfo },
): WorkloadInfo[] {
  return cluster.workloads.filter((w) => {
    const ns = namespaceLabels(cluster, w.id.namespace);
    if (sel.namespaces) return matchesSelector(sel.namespaces, ns);
    if (sel.pods)
      return (
        matchesSelector(sel.pods.namespaceSelector, ns) && matchesSelector(sel.pods.podSelector, w.podLabels)
      );
    return false;
  });
}

/** "did you mean app=web?" for a `key=value` of a selector that no labels in scope carry. */
export function labelHint(selector: LabelSelector | undefined, scope: Labels[]): string {
  for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) {
    if (scope.some((l) => l[k] === v)) continue;
    const values = [...new Set(scope.map((l) => l[k]).filter((x): x is string => x !== undefined))];
    const near = closest(v, values);
    if (near) return ` (no pod or namespace in scope has ${k}=${v}; did you mean ${k}=${near}?)`;
    const keys = [...new Set(scope.flatMap((l) => Object.keys(l)))];
    const nearKey = closest(k, keys);
    if (nearKey && nearKey !== k)
      return ` (no pod or namespace in scope has the label ${k}; did you mean ${nearKey}?)`;
    return ` (no pod or namespace in scope has ${k}=${v})`;
  }
  return '';
}
