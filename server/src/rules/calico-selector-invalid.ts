// A Calico selector expression that does not parse (projectcalico.org/v3 NetworkPolicy and
// GlobalNetworkPolicy: spec.selector, spec.namespaceSelector, spec.serviceAccountSelector, and each
// rule's source/destination selector, notSelector and namespaceSelector). Calico rejects the policy;
// the finding underlines the offending token inside the expression.

import type { AstNode, ScalarNode } from '../syntax/ast';
import { asScalar, asSeq, getIn, getValue } from '../syntax/ast';
import { isCalicoPolicy } from '../model/policy-kinds';
import { parseCalicoSelector } from '../engine/calico-selector';
import type { Rule, RuleContext } from './types';

/** Offset of the value's first character inside the scalar's source (0 plain, 1 quoted), when the
 * value is written without escapes; undefined when the two cannot be lined up. */
function valueOffset(s: ScalarNode, value: string): number | undefined {
  const skip = s.style === 'single' || s.style === 'double' ? 1 : s.style === 'plain' ? 0 : undefined;
  if (skip === undefined) return undefined;
  return s.source.substr(skip, value.length) === value ? skip : undefined;
}

function check(ctx: RuleContext, node: AstNode | null | undefined, where: string): void {
  const s = asScalar(node);
  if (!s || typeof s.value !== 'string') return;
  const p = parseCalicoSelector(s.value);
  if (p.ok) return;
  const off = valueOffset(s, s.value);
  const span =
    off === undefined
      ? s
      : {
          start: s.start + off + p.error.start,
          end: s.start + off + Math.max(p.error.end, p.error.start + 1),
        };
  ctx.report(span, `Calico ${where} does not parse: ${p.error.message}`);
}

export const rule: Rule = {
  id: 'calico-selector-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['NetworkPolicy', 'GlobalNetworkPolicy'],
  description:
    'A Calico selector expression (policy selector, namespaceSelector, rule source/destination selectors) that does not parse: Calico rejects the policy.',
  check(ctx) {
    const r = ctx.resource;
    if (!isCalicoPolicy(r)) return;
    const spec = getValue(r.node, 'spec');
    for (const key of ['selector', 'namespaceSelector', 'serviceAccountSelector'])
      check(ctx, getValue(spec, key), `spec.${key}`);
    for (const dir of ['ingress', 'egress']) {
      (asSeq(getValue(spec, dir))?.items ?? []).forEach((rule, i) => {
        for (const end of ['source', 'destination']) {
          for (const key of ['selector', 'notSelector', 'namespaceSelector'])
            check(ctx, getIn(rule, [end, key]), `${dir}[${i}].${end}.${key}`);
          check(
            ctx,
            getIn(rule, [end, 'serviceAccounts', 'selector']),
            `${dir}[${i}].${end}.serviceAccounts.selector`,
          );
        }
      });
    }
  },
};
