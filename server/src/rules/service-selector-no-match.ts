// A Service whose selector matches no workload's pod labels: no pod will ever serve it. The route
// graph (engine/route/graph.ts) finds and words it; this rule reports it on the selector.

import { asMap, getPair } from '../syntax/ast';
import type { Rule } from './types';
import { reportGraphProblems } from './route-graph-view';

export const rule: Rule = {
  id: 'service-selector-no-match',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['Service'],
  description: 'A Service selector that matches the pod labels of no workload in its namespace (warning when an Ingress routes to it, information otherwise).',
  check(ctx) {
    const spec = asMap(getPair(ctx.resource.node, 'spec')?.value);
    const key = spec ? getPair(spec, 'selector')?.key : undefined;
    if (key) reportGraphProblems(ctx, 'service-selector-no-match', key);
  },
};
