// A NetworkPolicy peer (`from` / `to`) whose podSelector selects no pod of the namespaces it looks in,
// while the workspace holds the pods of those namespaces: the rule admits nobody (ingress) or nothing
// (egress). Most often a label typo (`app: cart` for pods labelled `app: carts`): the finding sits on
// the label no pod carries and suggests the closest value (or key) the pods there do carry.
//
// Only when the workspace defines workloads in every namespace the peer looks in and one of them
// carries a label one typo away from the one asked for (a value, or a key no pod there has): pods the
// workspace does not hold are otherwise the likelier story, so the rule stays silent. Custom
// resources there (an operator may create pods) make it information.

import { asMap, asScalar, getPair, getValue } from '../syntax/ast';
import type { PairNode } from '../syntax/ast';
import { buildCluster } from '../model/cluster';
import { namespacesMatching, peerWorkloads, selectorText, workloadText } from '../engine/policy-match';
import { workloadsInNamespace } from '../engine/cluster-index';
import type { WorkloadInfo } from '../engine/types';
import { closest } from '../engine/edit-distance';
import type { QuickFix, Rule } from './types';
import { namespaceHasCustomResources, policyNodes, selectorMalformed } from './netpol-shared';

export const rule: Rule = {
  id: 'netpol-peer-selects-nothing',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['NetworkPolicy'],
  description: 'A from/to peer whose podSelector selects no pod of the namespaces it looks in, while the workspace holds their workloads: the rule admits nobody (ingress) or nothing (egress); with the closest label the pods carry (did you mean).',
  check(ctx) {
    const policy = policyNodes(ctx.resource, ctx.index);
    const cluster = buildCluster(ctx.index);
    const ns = policy.info.id.namespace;
    for (const r of policy.rules) {
      for (const peer of r.peers) {
        const info = peer.info;
        const sel = info?.podSelector;
        if (!info || !sel || info.ipBlock || peer.node.type !== 'map') continue;
        const podPair = getPair(peer.node, 'podSelector');
        if (!podPair || selectorMalformed(podPair.value) || selectorMalformed(getValue(peer.node, 'namespaceSelector'))) continue;
        if (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0) continue;
        const pods = peerWorkloads(cluster, ns, info) ?? [];
        if (pods.length > 0) continue;
        // the namespaces it looks in, and whether the workspace holds their pods
        const namespaces = info.namespaceSelector ? namespacesMatching(cluster, info.namespaceSelector).map((n) => n.name) : [ns];
        if (namespaces.length === 0) continue; // netpol-namespace-selector-unmatched speaks
        const scope: WorkloadInfo[] = namespaces.flatMap((n) => workloadsInNamespace(cluster, n));
        if (scope.length === 0 || namespaces.some((n) => workloadsInNamespace(cluster, n).length === 0)) continue;
        const severity = namespaces.some((n) => namespaceHasCustomResources(ctx.index, n)) ? 'information' : 'warning';
        const where = namespaces.length === 1 ? `namespace ${namespaces[0]}` : `namespaces ${namespaces.join(', ')}`;
        const side = r.direction === 'ingress' ? 'this rule admits nobody from it' : 'this rule opens nothing to it';
        // the label no pod carries, and what the pods carry instead
        const labels = asMap(getValue(podPair.value, 'matchLabels'));
        let anchor: PairNode | undefined;
        let hint = '';
        let fix: QuickFix[] | undefined;
        for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
          if (scope.some((w) => w.podLabels[k] === v)) continue;
          anchor = labels ? getPair(labels, k) : undefined;
          const values = [...new Set(scope.map((w) => w.podLabels[k]).filter((x): x is string => x !== undefined))];
          const near = closest(v, values);
          if (near !== undefined) {
            const w = scope.find((x) => x.podLabels[k] === near)!;
            hint = `; did you mean ${k}=${near} (pods of ${workloadText(w)})?`;
            const node = asScalar(anchor?.value);
            if (node && node.style === 'plain') fix = [{ title: `Change to ${near}`, edits: [{ start: node.start, end: node.end, newText: near }], preferred: true }];
          } else if (values.length === 0) {
            const allKeys = [...new Set(scope.flatMap((w) => Object.keys(w.podLabels)))];
            const nearKey = closest(k, allKeys);
            if (nearKey !== undefined) hint = `; the pods there have no label ${k}: did you mean ${nearKey}?`;
          }
          break;
        }
        // without a near label this may well be pods the workspace does not hold: say nothing
        if (!hint) continue;
        const message = `podSelector ${selectorText(sel)} selects no pod in ${where} (the workspace defines ${scope.length} workload${scope.length === 1 ? '' : 's'} there): ${side}${hint}`;
        ctx.report(anchor?.key ?? podPair.key, message, { severity, fixes: fix });
      }
    }
  },
};
