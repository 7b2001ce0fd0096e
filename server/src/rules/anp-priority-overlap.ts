// Two admin-tier policies of one tier with the same priority whose subjects select the same pods: the
// API leaves their order undefined ("the implementation can apply any of the matching policies"), so a
// connection both match may get either one's action.

import { getIn } from '../syntax/ast';
import { buildCluster } from '../model/cluster';
import { isAdminPolicy } from '../model/policy-kinds';
import { namespaceLabels } from '../engine/policy-match';
import { matchesSelector } from '../engine/selector';
import type { AdminPolicyInfo, Cluster, WorkloadInfo } from '../engine/types';
import { idText } from '../engine/types';
import type { Rule } from './types';

function selects(cluster: Cluster, p: AdminPolicyInfo, w: WorkloadInfo): boolean {
  const ns = namespaceLabels(cluster, w.id.namespace);
  if (p.subject.namespaces) return matchesSelector(p.subject.namespaces, ns);
  if (p.subject.pods)
    return (
      matchesSelector(p.subject.pods.namespaceSelector, ns) &&
      matchesSelector(p.subject.pods.podSelector, w.podLabels)
    );
  return false;
}

export const rule: Rule = {
  id: 'anp-priority-overlap',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['ClusterNetworkPolicy', 'AdminNetworkPolicy'],
  description:
    'Two admin-tier policies of the same tier and priority whose subjects select the same pods: the order between them is undefined.',
  check(ctx) {
    const r = ctx.resource;
    if (!isAdminPolicy(r) || r.kind === 'BaselineAdminNetworkPolicy') return;
    const priorityNode = getIn(r.node, ['spec', 'priority']);
    if (!priorityNode) return;
    const cluster = buildCluster(ctx.index);
    const all = cluster.adminPolicies ?? [];
    const me = all.find((p) => p.kind === r.kind && p.name === r.name);
    if (!me) return;
    for (const other of all) {
      if (
        other === me ||
        other.kind === 'BaselineAdminNetworkPolicy' ||
        other.tier !== me.tier ||
        other.priority !== me.priority
      )
        continue;
      const shared = cluster.workloads.find((w) => selects(cluster, me, w) && selects(cluster, other, w));
      const sameSubject = JSON.stringify(me.subject) === JSON.stringify(other.subject);
      if (!shared && !sameSubject) continue;
      const what = shared
        ? `both select ${shared.id.kind} ${idText(shared.id)}`
        : 'their subjects are the same';
      ctx.report(
        priorityNode,
        `${other.kind} ${other.name} has the same priority ${me.priority} in the ${me.tier} tier and ${what}: which one applies first is undefined; give them different priorities`,
      );
    }
  },
};
