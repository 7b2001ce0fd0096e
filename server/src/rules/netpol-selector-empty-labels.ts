// A selector written as `matchLabels:` with nothing under it (and no matchExpressions) while label-like
// keys sit beside it at the selector's level: the labels were indented one level short. The API reads
// the selector as empty, which selects everything (every pod of the namespace for a podSelector, every
// namespace for a namespaceSelector), and rejects the stray keys; the schema rule names them, this
// rule says what the selector then does.

import type { AstNode } from '../syntax/ast';
import { asMap, asSeq, getPair, getValue, isNullish } from '../syntax/ast';
import type { Rule, RuleContext } from './types';
import { isK8sNetworkPolicy } from '../model/policy-kinds';

function check(ctx: RuleContext, selector: AstNode | null | undefined, what: string): void {
  const m = asMap(selector);
  if (!m) return;
  const ml = getPair(m, 'matchLabels');
  if (!ml || !isNullish(ml.value)) return;
  const me = getValue(m, 'matchExpressions');
  if (!isNullish(me) && (asSeq(me)?.items.length ?? 1) > 0) return;
  // labels written beside matchLabels instead of under it: a narrower selector was clearly meant (an
  // empty matchLabels alone is a known way to say "every pod", as in published policy recipes)
  const stray = m.pairs
    .filter((p) => p.keyText !== undefined && p.keyText !== 'matchLabels' && p.keyText !== 'matchExpressions')
    .map((p) => p.keyText);
  if (stray.length === 0) return;
  const them = stray.length === 1 ? 'it' : 'them';
  ctx.report(
    ml.key,
    `matchLabels is empty, so this ${what}: ${stray.map((k) => `"${k}"`).join(', ')} ${stray.length === 1 ? 'sits' : 'sit'} beside matchLabels, not under it (indent ${them} under matchLabels)`,
  );
}

export const rule: Rule = {
  id: 'netpol-selector-empty-labels',
  scope: 'file',
  defaultSeverity: 'warning',
  kinds: ['NetworkPolicy'],
  applies: isK8sNetworkPolicy,
  description:
    'A NetworkPolicy selector whose labels sit beside an empty `matchLabels:` instead of under it: the empty selector selects every pod (or every namespace) where a narrower one was meant.',
  check(ctx) {
    const spec = asMap(getValue(ctx.resource.node, 'spec'));
    if (!spec) return;
    check(
      ctx,
      getValue(spec, 'podSelector'),
      'podSelector selects every pod of the namespace: the policy applies to all of them',
    );
    for (const [dir, peersKey] of [
      ['ingress', 'from'],
      ['egress', 'to'],
    ] as const) {
      for (const rule of asSeq(getValue(spec, dir))?.items ?? []) {
        for (const peer of asSeq(getValue(rule, peersKey))?.items ?? []) {
          const hasNs = !isNullish(getValue(peer, 'namespaceSelector'));
          check(
            ctx,
            getValue(peer, 'podSelector'),
            `podSelector selects every pod ${hasNs ? 'of the selected namespaces' : 'of the namespace'}: the rule ${dir === 'ingress' ? 'admits' : 'opens to'} all of them`,
          );
          check(
            ctx,
            getValue(peer, 'namespaceSelector'),
            `namespaceSelector selects every namespace: the rule ${dir === 'ingress' ? 'admits' : 'opens to'} pods of all of them`,
          );
        }
      }
    }
  },
};
