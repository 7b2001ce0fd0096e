// An Ingress backend names a Service that the workspace does not define in the Ingress's namespace.

import { ingressModel } from '../model/ingress';
import type { IngressBackendModel } from '../model/ingress';
import { scalarText } from '../syntax/ast';
import type { Rule, RuleContext } from './types';
import { missingSeverity } from './refs';
import { closest } from './text';

export function checkBackendService(ctx: RuleContext, b: IngressBackendModel | undefined): void {
  if (!b?.serviceName) return;
  const name = scalarText(b.serviceName);
  if (!name) return;
  const ns = ctx.index.namespaceOf(ctx.resource);
  if (ctx.index.find('Service', ns, name).length > 0) return;
  const known = ctx.index.memo(`services:${ns}`, () => {
    const out: string[] = [];
    for (const { resource } of ctx.index.all()) if (resource.kind === 'Service' && resource.name && ctx.index.namespaceOf(resource) === ns) out.push(resource.name);
    return out;
  });
  const suggestion = closest(name, known);
  const severity = missingSeverity(ctx.index, ns, ['Service', 'Deployment', 'StatefulSet', 'DaemonSet', 'Pod', 'ReplicaSet', 'Ingress'], 'warning');
  const node = b.serviceName;
  ctx.report(
    node,
    `Service "${name}" is not defined in namespace "${ns}" in this workspace` + (suggestion ? `; did you mean "${suggestion}"?` : ''),
    {
      severity,
      fixes: suggestion && node.style === 'plain' ? [{ title: `Change to "${suggestion}"`, edits: [{ start: node.start, end: node.end, newText: suggestion }], preferred: true }] : undefined,
    },
  );
}

export const rule: Rule = {
  id: 'ingress-backend-service-missing',
  defaultSeverity: 'warning',
  kinds: ['Ingress'],
  description: 'An Ingress backend (or default backend) names a Service that the workspace does not define in the Ingress\'s namespace (information when the workspace defines nothing in that namespace).',
  check(ctx) {
    const m = ingressModel(ctx.resource);
    checkBackendService(ctx, m.defaultBackend);
    for (const r of m.rules) for (const p of r.paths) checkBackendService(ctx, p.backend);
  },
};
