// An Ingress backend names a Service that the workspace does not define in the Ingress's namespace.
// The route graph (engine/route/graph.ts) finds and words it; this rule reports it with a quick fix.

import { ingressModel } from '../model/ingress';
import type { IngressBackendModel } from '../model/ingress';
import type { Rule, CrossFileRuleContext as RuleContext } from './types';
import { reportGraphProblems } from './route-graph-view';
import { impossibleName } from './reference-name-invalid';
import { stringValue } from '../syntax/ast';

function check(ctx: RuleContext, b: IngressBackendModel | undefined): void {
  const node = b?.serviceName;
  // a name no Service can have: reference-name-invalid says so, once
  if (!node || impossibleName('Service', stringValue(node))) return;
  reportGraphProblems(ctx, 'ingress-backend-service-missing', node, (p) => {
    const suggestion = p.data?.suggestion;
    return suggestion && node.style === 'plain'
      ? [
          {
            title: `Change to "${suggestion}"`,
            edits: [{ start: node.start, end: node.end, newText: suggestion }],
            preferred: true,
          },
        ]
      : undefined;
  });
}

export const rule: Rule = {
  id: 'ingress-backend-service-missing',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['Ingress'],
  description:
    "An Ingress backend (or default backend) names a Service that the workspace does not define in the Ingress's namespace (information when the Ingress names a namespace in which the workspace defines no Service or workload).",
  check(ctx) {
    const m = ingressModel(ctx.resource);
    check(ctx, m.defaultBackend);
    for (const r of m.rules) for (const p of r.paths) check(ctx, p.backend);
  },
};
