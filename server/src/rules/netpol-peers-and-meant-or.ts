// The reverse of netpol-peers-or-meant-and: one peer with both a namespaceSelector and a
// podSelector (pods X in namespaces Y) where two peers (namespaces Y, or pods X of the policy's own
// namespace) were likely meant.
//
// Reported only on evidence: no workload of the workspace matches both, pods matching the
// podSelector exist in the policy's own namespace, and the namespaceSelector does not pick that
// namespace (decidable: the namespace is defined here, or the selector uses only the name label).
// A namespaceSelector {} with a podSelector (pods X in any namespace) is a common, deliberate idiom
// and is not reported.

import { asMap } from '../syntax/ast';
import { buildCluster } from '../model/cluster';
import {
  NAME_LABEL,
  isEmptySelector,
  namespaceLabels,
  peerWorkloads,
  selectorKeys,
  selectorText,
  workloadsSelected,
  workloadText,
} from '../engine/policy-match';
import { matchesSelector } from '../engine/selector';
import type { QuickFix, Rule } from './types';
import { lineStartOf, policyNodes, selectorMalformed } from './netpol-shared';
import { isK8sNetworkPolicy } from '../model/policy-kinds';

export const rule: Rule = {
  id: 'netpol-peers-and-meant-or',
  scope: 'cross-file',
  defaultSeverity: 'information',
  kinds: ['NetworkPolicy'],
  applies: isK8sNetworkPolicy,
  description:
    "One peer with both namespaceSelector and podSelector (pods X in namespaces Y) that matches no workload, while pods X exist in the policy's own namespace, which Y does not pick: two peers (either admits) were likely meant. Quick fix: split them.",
  check(ctx) {
    const policy = policyNodes(ctx.resource, ctx.index);
    const text = ctx.resource.doc.text;
    const ns = policy.info.id.namespace;
    let cluster: ReturnType<typeof buildCluster> | undefined;
    for (const r of policy.rules) {
      for (const peer of r.peers) {
        const m = asMap(peer.node);
        if (!m || m.flow || m.pairs.length !== 2) continue;
        const nsSel = peer.info?.namespaceSelector;
        const podSel = peer.info?.podSelector;
        if (!nsSel || !podSel || isEmptySelector(nsSel) || isEmptySelector(podSel)) continue;
        if (m.pairs.some((p) => selectorMalformed(p.value))) continue;
        cluster ??= buildCluster(ctx.index);
        if ((peerWorkloads(cluster, ns, peer.info) ?? []).length > 0) continue;
        const local = workloadsSelected(cluster, ns, podSel);
        if (local.length === 0) continue;
        const own = cluster.namespaces.find((n) => n.name === ns);
        const decidable = (own && !own.implied) || selectorKeys(nsSel).every((k) => k === NAME_LABEL);
        if (!decidable || matchesSelector(nsSel, namespaceLabels(cluster, ns))) continue;
        const second = m.pairs[1];
        const fixes = (): QuickFix[] => {
          // split: a "-" two columns left of the second key starts a new item there
          const lineStart = lineStartOf(text, second.key.start);
          const indent = text.slice(lineStart, second.key.start);
          const first = text.slice(lineStartOf(text, m.pairs[0].key.start), m.pairs[0].key.start);
          if (!/^ {2,}$/.test(indent) || !/^ *- $/.test(first) || first.length !== indent.length) return [];
          return [
            {
              title: 'Split into two peers (either admits)',
              edits: [{ start: second.key.start - 2, end: second.key.start - 1, newText: '-' }],
              preferred: true,
            },
          ];
        };
        const pods = selectorText(podSel);
        ctx.report(
          second.key,
          `This item admits only pods ${pods} in namespaces ${selectorText(nsSel)} (both must hold), and no workload here matches both; pods ${pods} exist in this policy's own namespace ${ns} (${local.slice(0, 3).map(workloadText).join(', ')}), which the namespaceSelector does not pick. If either was meant, make them two items`,
          { fixes },
        );
      }
    }
  },
};
