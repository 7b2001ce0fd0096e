// A Service whose selector matches no workload's pod labels: no pod will ever serve it. The route
// graph (engine/route/graph.ts) finds and words it; this rule reports it on the selector, or on the
// one label that keeps a workload's pods out (a near miss: a warning saying what the pods have).

import { asMap, getPair } from '../syntax/ast';
import type { Rule } from './types';
import { reportGraphProblems } from './route-graph-view';

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
    reportGraphProblems(ctx, 'service-selector-no-match', pair.key);
    // a selector that misses a workload by one label: the finding sits on that label
    for (const label of asMap(pair.value)?.pairs ?? [])
      reportGraphProblems(ctx, 'service-selector-no-match', label);
  },
};
