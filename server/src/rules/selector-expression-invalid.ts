// matchExpressions: operator In/NotIn need values, Exists/DoesNotExist must have none.

import type { AstNode } from '../syntax/ast';
import { asMap, asSeq, getIn, getPair, getValue, stringValue } from '../syntax/ast';
import { podTemplateOf } from '../model/workload';
import type { Rule, RuleContext } from './types';
import { closest } from '../engine/edit-distance';
import { isK8sNetworkPolicy } from '../model/policy-kinds';

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

function checkExpressions(ctx: RuleContext, selector: AstNode | null | undefined): void {
  for (const expr of asSeq(getValue(selector, 'matchExpressions'))?.items ?? []) {
    const map = asMap(expr);
    if (!map) continue;
    const opNode = getValue(map, 'operator');
    const op = stringValue(opNode);
    if (!opNode || op === undefined) continue;
    if (!OPERATORS.includes(op)) {
      const s = closest(op, OPERATORS);
      ctx.report(
        opNode,
        `Invalid operator "${op}": must be one of ${OPERATORS.join(', ')}` +
          (s ? ` (did you mean "${s}"?)` : ''),
        {
          fixes: s
            ? () => [
                {
                  title: `Change to "${s}"`,
                  edits: [{ start: opNode.start, end: opNode.end, newText: s }],
                  preferred: true,
                },
              ]
            : undefined,
        },
      );
      continue;
    }
    const valuesPair = getPair(map, 'values');
    const values = asSeq(valuesPair?.value);
    const count = values ? values.items.length : 0;
    if ((op === 'In' || op === 'NotIn') && count === 0) {
      ctx.report(valuesPair ? valuesPair.key : opNode, `Operator ${op} needs at least one value in "values"`);
    } else if ((op === 'Exists' || op === 'DoesNotExist') && count > 0 && valuesPair) {
      ctx.report(valuesPair.key, `Operator ${op} takes no values: remove "values"`);
    }
  }
}

export const rule: Rule = {
  id: 'selector-expression-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  description:
    'A label selector expression with an unknown operator, or values that do not fit its operator.',
  check(ctx) {
    const r = ctx.resource;
    if (podTemplateOf(r) && r.kind !== 'Pod') checkExpressions(ctx, getIn(r.node, ['spec', 'selector']));
    if (isK8sNetworkPolicy(r)) {
      checkExpressions(ctx, getIn(r.node, ['spec', 'podSelector']));
      for (const dir of ['ingress', 'egress'] as const) {
        for (const ruleNode of asSeq(getIn(r.node, ['spec', dir]))?.items ?? []) {
          for (const peer of asSeq(getValue(ruleNode, dir === 'ingress' ? 'from' : 'to'))?.items ?? []) {
            checkExpressions(ctx, getValue(peer, 'podSelector'));
            checkExpressions(ctx, getValue(peer, 'namespaceSelector'));
          }
        }
      }
    }
  },
};
