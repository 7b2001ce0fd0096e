// A Service whose selector matches no workload's pod labels: no pod will ever serve it. The route
// graph (engine/route/graph.ts) finds and words it; this rule reports it on the selector, or on the
// one label that keeps a workload's pods out (a near miss: a warning saying what the pods have).

import { asMap, getIn, getPair, toPlain } from '../syntax/ast';
import type { CrossFileRuleContext, Rule } from './types';
import { reportGraphProblems } from './route-graph-view';
import { WORKLOAD_KINDS } from '../model/resource';
import { podTemplateOf } from '../model/workload';
import { toLabels } from '../engine/selector';
import { checkableSelector } from '../engine/route/service-facts';

/** Does the selector match the pods of a workload that the workspace defines more than once? The
 * cluster model keeps one copy of each object; a folder may hold alternatives of one workload (the same
 * Deployment with other labels, one file per variant), and whichever is applied serves the Service.
 * resource-duplicate already says the object is defined twice: a selector that matches any copy is not
 * reported. */
function matchedByACopy(
  ctx: CrossFileRuleContext,
  namespace: string,
  selector: Record<string, string>,
): boolean {
  for (const kind of WORKLOAD_KINDS)
    for (const e of ctx.index.ofKind(kind, namespace)) {
      const name = e.resource.name;
      if (!name || !ctx.index.isDuplicated(kind, namespace, name)) continue;
      const tpl = podTemplateOf(e.resource);
      const labels = toLabels(toPlain(tpl ? getIn(tpl, ['metadata', 'labels']) : undefined));
      if (Object.entries(selector).every(([k, v]) => labels[k] === v)) return true;
    }
  return false;
}

export const rule: Rule = {
  id: 'service-selector-no-match',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['Service'],
  description:
    'A Service selector that matches the pod labels of no workload in its namespace: a warning on the one label that differs when it nearly matches a workload (saying what its pods have), else a warning when an Ingress routes to it and information otherwise.',
  check(ctx) {
    const spec = asMap(getPair(ctx.resource.node, 'spec')?.value);
    const pair = spec ? getPair(spec, 'selector') : undefined;
    if (!pair) return;
    const selector = checkableSelector(toLabels(toPlain(pair.value)));
    if (selector && matchedByACopy(ctx, ctx.index.namespaceOf(ctx.resource), selector)) return;
    reportGraphProblems(ctx, 'service-selector-no-match', pair.key);
    // a selector that misses a workload by one label: the finding sits on that label
    for (const label of asMap(pair.value)?.pairs ?? [])
      reportGraphProblems(ctx, 'service-selector-no-match', label);
  },
};
