// Label keys and values (on objects, pod templates and in selectors) must follow the label syntax.

import type { AstNode, MapNode } from '../syntax/ast';
import { asMap, asSeq, getIn, getValue } from '../syntax/ast';
import { podTemplateOf } from '../model/workload';
import type { Rule, RuleContext } from './types';
import { labelKey, labelValue } from './k8s-values';
import { isK8sNetworkPolicy } from '../model/policy-kinds';

function checkLabelMap(ctx: RuleContext, map: MapNode | undefined, what: string): void {
  if (!map) return;
  for (const p of map.pairs) {
    if (p.keyText !== undefined) {
      const k = labelKey(p.keyText);
      if (k) ctx.report(p.key, `Invalid ${what} key "${p.keyText}": ${k}`);
    }
    const v = p.value;
    if (v && v.type === 'scalar' && typeof v.value === 'string') {
      const problem = labelValue(v.value);
      if (problem) ctx.report(v, `Invalid ${what} value "${v.value}": it ${problem}`);
    }
  }
}

/** matchLabels and matchExpressions[].values of a LabelSelector. */
export function checkSelector(ctx: RuleContext, selector: AstNode | null | undefined, what: string): void {
  const sel = asMap(selector);
  if (!sel) return;
  checkLabelMap(ctx, asMap(getValue(sel, 'matchLabels')), `${what} label`);
  for (const expr of asSeq(getValue(sel, 'matchExpressions'))?.items ?? []) {
    const key = getValue(expr, 'key');
    if (key && key.type === 'scalar' && typeof key.value === 'string') {
      const k = labelKey(key.value);
      if (k) ctx.report(key, `Invalid ${what} label key "${key.value}": ${k}`);
    }
    for (const v of asSeq(getValue(expr, 'values'))?.items ?? []) {
      if (v.type === 'scalar' && typeof v.value === 'string') {
        const problem = labelValue(v.value);
        if (problem) ctx.report(v, `Invalid ${what} label value "${v.value}": it ${problem}`);
      }
    }
  }
}

export const rule: Rule = {
  id: 'label-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  description:
    'A label key or value that the API server rejects (63-character names, allowed characters, DNS prefix).',
  check(ctx) {
    const r = ctx.resource;
    checkLabelMap(ctx, asMap(getIn(r.node, ['metadata', 'labels'])), 'label');
    const tpl = podTemplateOf(r);
    if (tpl && tpl !== r.node) checkLabelMap(ctx, asMap(getIn(tpl, ['metadata', 'labels'])), 'pod label');
    if (r.kind === 'Service') checkLabelMap(ctx, asMap(getIn(r.node, ['spec', 'selector'])), 'selector');
    else if (r.kind !== 'Pod' && tpl) checkSelector(ctx, getIn(r.node, ['spec', 'selector']), 'selector');
    if (r.kind === 'CronJob')
      checkSelector(ctx, getIn(r.node, ['spec', 'jobTemplate', 'spec', 'selector']), 'selector');
    if (isK8sNetworkPolicy(r)) {
      checkSelector(ctx, getIn(r.node, ['spec', 'podSelector']), 'podSelector');
      for (const dir of ['ingress', 'egress'] as const) {
        for (const ruleNode of asSeq(getIn(r.node, ['spec', dir]))?.items ?? []) {
          for (const peer of asSeq(getValue(ruleNode, dir === 'ingress' ? 'from' : 'to'))?.items ?? []) {
            checkSelector(ctx, getValue(peer, 'podSelector'), 'podSelector');
            checkSelector(ctx, getValue(peer, 'namespaceSelector'), 'namespaceSelector');
          }
        }
      }
    }
  },
};
