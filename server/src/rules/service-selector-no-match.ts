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
import type { ResourceIndex } from '../workspace/index';

const DUPLICATED_PODS = 'service-selector-no-match:duplicated-pods';
const WORKLOAD_KIND_LIST = [...WORKLOAD_KINDS];

/** The pod labels of every copy of each workload that the workspace defines more than once, by
 * namespace (once per revision of the workload kinds). Most workspaces have no such workload: a
 * Service then looks at nothing. (It looked at every workload of its namespace to find the duplicated
 * ones: 2,000 Services and 2,000 Deployments in one namespace took 4 million steps, a sixth of the
 * file's check, and grew with the square of the namespace's size.) */
function duplicatedPodLabels(index: ResourceIndex): Map<string, Record<string, string>[]> {
  return index.memoKinds(WORKLOAD_KIND_LIST, DUPLICATED_PODS, () => {
    const out = new Map<string, Record<string, string>[]>();
    for (const [kind, namespace, name] of index.duplicatedObjects().values()) {
      if (!WORKLOAD_KINDS.has(kind)) continue;
      for (const e of index.find(kind, namespace, name)) {
        const tpl = podTemplateOf(e.resource);
        const labels = toLabels(toPlain(tpl ? getIn(tpl, ['metadata', 'labels']) : undefined));
        const list = out.get(namespace);
        if (list) list.push(labels);
        else out.set(namespace, [labels]);
      }
    }
    return out;
  });
}

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
  if (ctx.index.duplicatedObjects().size === 0) return false;
  const copies = duplicatedPodLabels(ctx.index).get(namespace) ?? [];
  return copies.some((labels) => Object.entries(selector).every(([k, v]) => labels[k] === v));
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
