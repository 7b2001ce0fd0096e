// A NetworkPolicy peer (`from` / `to`) whose podSelector selects no pod of the namespaces it looks in,
// while the workspace holds the pods of those namespaces: the rule admits nobody (ingress) or nothing
// (egress). Most often a label typo (`app: cart` for pods labelled `app: carts`): the finding sits on
// the label no pod carries and suggests the closest value (or key) the pods there do carry.
//
// Only when the workspace defines workloads in every namespace the peer looks in. Severity follows
// docs/rules.md: a warning when a pod there carries a label one typo away from the one asked for (a
// value, or a key no pod there has): the typo is the likely story. Without a near label, information
// that says which values the pods there do carry: pods the workspace does not hold may be the ones
// meant. Custom resources there (an operator may create pods) make it information too.

import { asMap, asScalar, getPair, getValue } from '../syntax/ast';
import type { PairNode } from '../syntax/ast';
import { buildCluster } from '../model/cluster';
import { namespacesMatching, peerWorkloads, selectorText, workloadText } from '../engine/policy-match';
import { labelCensus } from '../engine/cluster-index';
import type { LabelCensus } from '../engine/cluster-index';
import { memoOn } from '../engine/memo';
import type { NamespaceInfo } from '../engine/types';
import { closest } from '../engine/edit-distance';
import type { QuickFix, Rule } from './types';
import { namespaceHasCustomResources, policyNodes, selectorMalformed } from './netpol-shared';
import { isK8sNetworkPolicy } from '../model/policy-kinds';

export const rule: Rule = {
  id: 'netpol-peer-selects-nothing',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['NetworkPolicy'],
  applies: isK8sNetworkPolicy,
  description:
    'A from/to peer whose podSelector selects no pod of the namespaces it looks in, while the workspace holds their workloads: the rule admits nobody (ingress) or nothing (egress). A warning with the closest label the pods carry (did you mean); information, naming the values they carry, when no label is near (the pods meant may be deployed from elsewhere).',
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
        if (
          !podPair ||
          selectorMalformed(podPair.value) ||
          selectorMalformed(getValue(peer.node, 'namespaceSelector'))
        )
          continue;
        if (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0)
          continue;
        const pods = peerWorkloads(cluster, ns, info) ?? [];
        if (pods.length > 0) continue;
        // the namespaces it looks in, and whether the workspace holds their pods
        const namespaces = info.namespaceSelector
          ? namespaceNames(namespacesMatching(cluster, info.namespaceSelector))
          : [ns];
        if (namespaces.length === 0) continue; // netpol-namespace-selector-unmatched speaks
        // (what the pods there carry is counted once per set of namespaces, and the nearest label
        // once per label asked: the same peer in every policy costs no scan of the workloads)
        const census = labelCensus(cluster, namespaces);
        if (census.workloads === 0 || !census.everyNamespaceHasWorkloads) continue;
        // the label no pod carries, and what the pods carry instead
        const labels = asMap(getValue(podPair.value, 'matchLabels'));
        let anchor: PairNode | undefined;
        let hint = '';
        let other = '';
        let fix: (() => QuickFix[]) | undefined;
        for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
          const carried = census.labels.get(k);
          if (carried?.has(v)) continue;
          anchor = labels ? getPair(labels, k) : undefined;
          const found = nearestLabel(census, k, v);
          if (found.near !== undefined) {
            const near = found.near;
            hint = `; did you mean ${k}=${near} (pods of ${workloadText(carried!.get(near)!)})?`;
            const node = asScalar(anchor?.value);
            if (node && node.style === 'plain')
              fix = () => [
                {
                  title: `Change to ${near}`,
                  edits: [{ start: node.start, end: node.end, newText: near }],
                  preferred: true,
                },
              ];
          } else if (!carried) {
            if (found.nearKey !== undefined)
              hint = `; the pods there have no label ${k}: did you mean ${found.nearKey}?`;
            else other = `; no pod there has the label ${k}`;
          } else {
            const values = [...carried.keys()].sort();
            other = `; the pods there have ${k}=${values.slice(0, 5).join(', ')}${values.length > 5 ? ', ...' : ''}`;
          }
          break;
        }
        // no near label: pods the workspace does not hold may be the ones meant (information), and
        // said only where the namespaces are known: the policy's own, or one pinned by name (a
        // namespaceSelector may match namespaces these files do not define, kube-system's DNS pods...)
        const ms = info.namespaceSelector;
        const pinned = !ms || typeof ms.matchLabels?.['kubernetes.io/metadata.name'] === 'string';
        if (!hint && !pinned) continue;
        const operator = namespaces.some((n) => namespaceHasCustomResources(ctx.index, n));
        const where =
          namespaces.length === 1 ? `namespace ${namespaces[0]}` : `namespaces ${namespaces.join(', ')}`;
        const side =
          r.direction === 'ingress' ? 'this rule admits nobody from it' : 'this rule opens nothing to it';
        const severity = hint && !operator ? 'warning' : 'information';
        if (!hint) hint = other || '; no pod there carries all of these labels';
        const message = `podSelector ${selectorText(sel)} selects no pod in ${where} (the workspace defines ${census.workloads} workload${census.workloads === 1 ? '' : 's'} there): ${side}${hint}`;
        ctx.report(anchor?.key ?? podPair.key, message, { severity, fixes: fix });
      }
    }
  },
};

/** The names of a memoised list of namespaces, kept with it. */
function namespaceNames(list: readonly NamespaceInfo[]): string[] {
  return memoOn(list, 'names', [], () => list.map((n) => n.name));
}

/** The value of this label key the pods there carry closest to `value`, or when none carries the
 * key, the closest key they carry: once per census, key and value. */
function nearestLabel(census: LabelCensus, key: string, value: string): { near?: string; nearKey?: string } {
  return memoOn(census, `near\0${key}\0${value}`, [], () => {
    const carried = census.labels.get(key);
    if (carried) return { near: closest(value, [...carried.keys()]) };
    return { nearKey: closest(key, [...census.labels.keys()]) };
  });
}
