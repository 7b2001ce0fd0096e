// An Ingress backend names a port that its Service does not have. The route graph
// (engine/route/graph.ts) finds and words it; this rule reports it with its quick fixes.

import { ingressModel } from '../model/ingress';
import type { IngressBackendModel } from '../model/ingress';
import type { QuickFix, Rule, CrossFileRuleContext as RuleContext } from './types';
import { reportGraphProblems } from './route-graph-view';

function check(ctx: RuleContext, b: IngressBackendModel | undefined): void {
  const node = b?.servicePort;
  if (!node || !b?.serviceName) return;
  reportGraphProblems(ctx, 'ingress-backend-port-missing', node, (p) => {
    const fixes: QuickFix[] = [];
    const change = (port: number, title: string, preferred: boolean) =>
      fixes.push({
        title,
        edits: [{ start: node.start, end: node.end, newText: String(port) }],
        ...(preferred ? { preferred } : {}),
      });
    const d = p.data ?? {};
    // A frequent mix-up: the backend names the container port (targetPort) instead of the Service port.
    if (d.viaTargetPort !== undefined && node.style === 'plain')
      change(d.viaTargetPort, `Change to ${d.viaTargetPort}`, true);
    else if (d.portNumber !== undefined) change(d.portNumber, `Use port number ${d.portNumber}`, false);
    else if (d.onlyPort !== undefined && node.style === 'plain')
      change(d.onlyPort, `Change to ${d.onlyPort}`, true);
    return fixes;
  });
}

export const rule: Rule = {
  id: 'ingress-backend-port-missing',
  scope: 'cross-file',
  defaultSeverity: 'error',
  kinds: ['Ingress'],
  description: 'An Ingress backend names a Service port (number or name) that the Service does not define.',
  check(ctx) {
    const m = ingressModel(ctx.resource);
    check(ctx, m.defaultBackend);
    for (const r of m.rules) for (const p of r.paths) check(ctx, p.backend);
  },
};
