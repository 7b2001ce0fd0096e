// A NetworkPolicy namespaceSelector that matches no Namespace of the workspace.
//
// Namespaces usually live in the cluster, not in the repository, so the rule speaks only when the
// workspace defines Namespace manifests and the selector is written in their vocabulary: every label
// key it uses is a label of some defined Namespace, or it names a namespace
// (`kubernetes.io/metadata.name`) one typo away from a known one. A selector for a namespace that
// the workspace simply does not hold (`kubernetes.io/metadata.name: ingress-nginx`) says nothing.
// One more case is certain whatever else the workspace holds: `name: X` (or any other single label
// whose value is a namespace's name) where Namespace X is defined without that label; every Namespace
// carries kubernetes.io/metadata.name, so that is the label to use (with a quick fix).

import { asMap, getPair, getValue } from '../syntax/ast';
import type { QuickFix } from './types';
import { buildCluster } from '../model/cluster';
import {
  NAME_LABEL,
  SYSTEM_NAMESPACES,
  isEmptySelector,
  selectorKeys,
  selectorText,
} from '../engine/policy-match';
import { matchesSelector } from '../engine/selector';
import type { Rule } from './types';
import { closest } from '../engine/edit-distance';
import { policyNodes, selectorMalformed } from './netpol-shared';
import { isK8sNetworkPolicy } from '../model/policy-kinds';

export const rule: Rule = {
  id: 'netpol-namespace-selector-unmatched',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['NetworkPolicy'],
  applies: isK8sNetworkPolicy,
  description:
    'A NetworkPolicy namespaceSelector that matches no Namespace the workspace defines (only when the workspace defines Namespaces with such labels).',
  check(ctx) {
    const cluster = buildCluster(ctx.index);
    // (once per workspace revision: every policy asks about the same namespaces)
    const { defined, known, names, matched, near } = ctx.index.memo(
      'netpol-namespace-selector-unmatched:known',
      () => {
        const defined = cluster.namespaces.filter((n) => !n.implied);
        const known = [...cluster.namespaces];
        for (const name of SYSTEM_NAMESPACES)
          if (!known.some((n) => n.name === name))
            known.push({ name, labels: { [NAME_LABEL]: name }, implied: true });
        return {
          defined,
          known,
          names: known.map((n) => n.name),
          matched: new Map<string, boolean>(),
          near: new Map<string, string | undefined>(),
        };
      },
    );
    if (defined.length === 0) return;
    const closestName = (wanted: string) => {
      if (!near.has(wanted)) near.set(wanted, closest(wanted, names));
      return near.get(wanted);
    };
    const policy = policyNodes(ctx.resource, ctx.index);
    for (const pr of policy.rules) {
      for (const peer of pr.peers) {
        const sel = peer.info?.namespaceSelector;
        if (!sel || isEmptySelector(sel) || peer.node.type !== 'map') continue;
        const pair = getPair(peer.node, 'namespaceSelector');
        if (!pair || selectorMalformed(pair.value)) continue;
        const selKey = JSON.stringify(sel);
        let any = matched.get(selKey);
        if (any === undefined) matched.set(selKey, (any = known.some((n) => matchesSelector(sel, n.labels))));
        if (any) continue;
        // `name: X` for a Namespace X defined without that label
        const only = Object.entries(sel.matchLabels ?? {});
        if (only.length === 1 && !(sel.matchExpressions ?? []).length && only[0][0] !== NAME_LABEL) {
          const [k, v] = only[0];
          const named = defined.find((n) => n.name === v);
          if (named) {
            const matchLabels = asMap(getValue(pair.value, 'matchLabels'));
            const labelPair = matchLabels ? getPair(matchLabels, k) : undefined;
            const keyNode = labelPair?.key;
            const fixes = (): QuickFix[] =>
              keyNode && keyNode.type === 'scalar' && keyNode.style === 'plain'
                ? [
                    {
                      title: `Select it by ${NAME_LABEL}: ${v}`,
                      edits: [{ start: keyNode.start, end: keyNode.end, newText: NAME_LABEL }],
                      preferred: true,
                    },
                  ]
                : [];
            const has = Object.entries(named.labels)
              .filter(([lk]) => lk !== NAME_LABEL)
              .map(([lk, lv]) => `${lk}=${lv}`);
            ctx.report(
              labelPair?.key ?? pair.key,
              `namespaceSelector ${k}=${v} matches no Namespace: Namespace ${v} is defined without the label ${k} (it has ${has.length ? has.join(', ') : 'no labels'}); every Namespace carries ${NAME_LABEL}: ${v}, so select it by that`,
              { fixes },
            );
            continue;
          }
        }
        // Written in the workspace's vocabulary?
        let hint: string | undefined;
        const vocabulary = selectorKeys(sel).every((k) => {
          if (k === NAME_LABEL) {
            const wanted = sel.matchLabels?.[k];
            const near = wanted !== undefined ? closestName(wanted) : undefined;
            if (near && near !== wanted) hint = `${NAME_LABEL}=${near}`;
            return !!near;
          }
          return defined.some((n) => k in n.labels);
        });
        if (!vocabulary) continue;
        const entries = Object.entries(sel.matchLabels ?? {});
        if (!hint && entries.length === 1 && !(sel.matchExpressions ?? []).length) {
          const [k, v] = entries[0];
          const values = [
            ...new Set(defined.map((n) => n.labels[k]).filter((x): x is string => x !== undefined)),
          ];
          const near = closest(v, values);
          if (near) hint = `${k}=${near} (Namespace ${defined.find((n) => n.labels[k] === near)!.name})`;
        }
        let message = `namespaceSelector ${selectorText(sel)} matches no Namespace defined in this workspace`;
        if (hint) message += `; did you mean ${hint}?`;
        else {
          const shown = defined.slice(0, 5).map(
            (n) =>
              `${n.name} (${
                Object.entries(n.labels)
                  .filter(([k]) => k !== NAME_LABEL)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(', ') || 'no labels'
              })`,
          );
          message += `: the workspace defines ${shown.join(', ')}${defined.length > 5 ? ', ...' : ''}`;
        }
        ctx.report(pair.key, message);
      }
    }
  },
};
