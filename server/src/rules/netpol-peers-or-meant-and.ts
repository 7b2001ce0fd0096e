// The classic NetworkPolicy mistake: a namespaceSelector and a podSelector written as two peers of
// one rule (two list items: either one admits) where one peer with both (pods X in namespaces Y)
// was meant. The only difference in the YAML is a "-".
//
// Reported for two adjacent peers, one with only a namespaceSelector and one with only a
// podSelector, when the workspace points to AND: the namespaceSelector is {} (every namespace, so
// the podSelector item adds nothing), or the podSelector's pods live only in the namespaces the
// namespaceSelector picks, not in the policy's own. When the policy's own namespace holds such pods
// the OR is plausible and nothing is said; without evidence either way, a hint.

import { asMap } from '../syntax/ast';
import { buildCluster } from '../model/cluster';
import {
  isEmptySelector,
  namespacesMatching,
  selectorText,
  workloadsSelected,
  workloadText,
} from '../engine/policy-match';
import { matchesSelector } from '../engine/selector';
import type { QuickFix, Rule, Severity } from './types';
import type { PeerNodes } from './netpol-shared';
import { lineStartOf, policyNodes, selectorMalformed } from './netpol-shared';
import { isK8sNetworkPolicy } from '../model/policy-kinds';

/** The one key of a block-map peer, when it has exactly one. */
function onlyKey(p: PeerNodes): string | undefined {
  const m = asMap(p.node);
  if (!m || m.flow || m.pairs.length !== 1) return undefined;
  return m.pairs[0].keyText;
}

export const rule: Rule = {
  id: 'netpol-peers-or-meant-and',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['NetworkPolicy'],
  applies: isK8sNetworkPolicy,
  description:
    'A namespaceSelector and a podSelector written as two peers (either admits) where one peer with both (pods X in namespaces Y) was likely meant: namespaceSelector {} makes the podSelector item useless, or the pods live only in the selected namespaces (hint without evidence). Quick fix: merge them.',
  check(ctx) {
    const policy = policyNodes(ctx.resource, ctx.index);
    const text = ctx.resource.doc.text;
    const ns = policy.info.id.namespace;
    let cluster: ReturnType<typeof buildCluster> | undefined;
    for (const r of policy.rules) {
      for (let j = 0; j + 1 < r.peers.length; j++) {
        const a = r.peers[j];
        const b = r.peers[j + 1];
        const ka = onlyKey(a);
        const kb = onlyKey(b);
        const nsPeer =
          ka === 'namespaceSelector' && kb === 'podSelector'
            ? a
            : kb === 'namespaceSelector' && ka === 'podSelector'
              ? b
              : undefined;
        if (!nsPeer) continue;
        const podPeer = nsPeer === a ? b : a;
        const nsSel = nsPeer.info?.namespaceSelector;
        const podSel = podPeer.info?.podSelector;
        if (!nsSel || !podSel || isEmptySelector(podSel)) continue;
        if (
          selectorMalformed(asMap(nsPeer.node)!.pairs[0].value) ||
          selectorMalformed(asMap(podPeer.node)!.pairs[0].value)
        )
          continue;
        const c = (cluster ??= buildCluster(ctx.index));
        const pods = selectorText(podSel);
        const word = r.direction === 'ingress' ? 'from' : 'to';
        let severity: Severity;
        let why: string;
        if (isEmptySelector(nsSel)) {
          severity = 'warning';
          why = `namespaceSelector {} already admits every pod of every namespace, so the podSelector item adds nothing`;
        } else {
          if (workloadsSelected(c, ns, podSel).length > 0) continue; // such pods exist here: the OR is plausible
          const names = namespacesMatching(c, nsSel)
            .map((n) => n.name)
            .filter((n) => n !== ns);
          const there = c.workloads.filter(
            (w) => names.includes(w.id.namespace) && matchesSelector(podSel, w.podLabels),
          );
          if (there.length > 0) {
            severity = 'warning';
            why = `the pods ${pods} are in the selected namespaces (${there
              .slice(0, 3)
              .map((w) => `${workloadText(w)} in ${w.id.namespace}`)
              .join(', ')}), not in namespace ${ns}, which the podSelector item alone means`;
          } else {
            severity = 'hint';
            why = `the podSelector item alone means pods of namespace ${ns}`;
          }
        }
        const message = `These two "${word}" items are alternatives (either admits): namespaces ${selectorText(nsSel) || '(all)'}, or pods ${pods}; ${why}. For pods ${pods} in those namespaces, make them one item`;
        const preferred = severity !== 'hint';
        const fixes = (): QuickFix[] => {
          // merge: the second item's "-" becomes a space, so its key joins the first item's map
          const dash = text.lastIndexOf('-', b.node.start);
          const before = text.slice(lineStartOf(text, b.node.start), b.node.start);
          const aBefore = text.slice(lineStartOf(text, a.node.start), a.node.start);
          if (
            dash < 0 ||
            !/^ *- +$/.test(before) ||
            before.length !== aBefore.length ||
            !/^ *- +$/.test(aBefore)
          )
            return [];
          return [
            {
              title: 'Merge into one peer (pods matching the podSelector in the selected namespaces)',
              edits: [{ start: dash, end: dash + 1, newText: ' ' }],
              preferred,
            },
          ];
        };
        const key = asMap(b.node)!.pairs[0].key;
        ctx.report(key, message, { severity, fixes });
        j++; // a pair is reported once
      }
    }
  },
};
