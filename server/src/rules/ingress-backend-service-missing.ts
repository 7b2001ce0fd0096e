// An Ingress backend names a Service that the workspace does not define in the Ingress's namespace.

import { ingressModel } from '../model/ingress';
import type { IngressBackendModel } from '../model/ingress';
import { scalarText } from '../syntax/ast';
import type { Rule, CrossFileRuleContext } from './types';
import { missingSeverity } from './refs';
import { closest } from '../engine/edit-distance';

const SERVICE_NAMESPACE_KINDS = ['Service', 'Deployment', 'StatefulSet', 'DaemonSet', 'Pod', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob'];

export function checkBackendService(ctx: CrossFileRuleContext, b: IngressBackendModel | undefined): void {
  if (!b?.serviceName) return;
  const name = scalarText(b.serviceName);
  if (!name) return;
  const ns = ctx.index.namespaceOf(ctx.resource);
  if (ctx.index.find('Service', ns, name).length > 0) return;
  const known = ctx.index.memo(`services:${ns}`, () => ctx.index.ofKind('Service', ns).flatMap(({ resource }) => (resource.name ? [resource.name] : [])));
  const suggestion = closest(name, known);
  // An Ingress that names its namespace while the workspace defines no Service or workload there
  // most likely routes to resources deployed from elsewhere: information. One that leaves the
  // namespace to kubectl is applied with the rest of the workspace, so a missing Service is a warning.
  const severity = ctx.resource.namespace === undefined ? 'warning' : missingSeverity(ctx.index, ns, SERVICE_NAMESPACE_KINDS, 'warning');
  const node = b.serviceName;
  ctx.report(
    node,
    `Service "${name}" is not defined in namespace "${ns}" in this workspace` +
      (suggestion ? `; did you mean "${suggestion}"?` : severity === 'information' ? ` (it defines no Service or workload there: they may be deployed from elsewhere)` : ''),
    {
      severity,
      fixes: suggestion && node.style === 'plain' ? [{ title: `Change to "${suggestion}"`, edits: [{ start: node.start, end: node.end, newText: suggestion }], preferred: true }] : undefined,
    },
  );
}

export const rule: Rule = {
  id: 'ingress-backend-service-missing',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['Ingress'],
  description: 'An Ingress backend (or default backend) names a Service that the workspace does not define in the Ingress\'s namespace (information when the Ingress names a namespace in which the workspace defines no Service or workload).',
  check(ctx) {
    const m = ingressModel(ctx.resource);
    checkBackendService(ctx, m.defaultBackend);
    for (const r of m.rules) for (const p of r.paths) checkBackendService(ctx, p.backend);
  },
};
