// An Ingress backend names a port that its Service does not have.

import { ingressModel } from '../model/ingress';
import type { IngressBackendModel } from '../model/ingress';
import { scalarText } from '../syntax/ast';
import { serviceInfo } from '../model/cluster';
import type { Rule, CrossFileRuleContext } from './types';

function check(ctx: CrossFileRuleContext, b: IngressBackendModel | undefined): void {
  if (!b?.serviceName || !b.servicePort) return;
  const name = scalarText(b.serviceName);
  const portValue = b.servicePort.value;
  if (!name || portValue === null) return;
  const ns = ctx.index.namespaceOf(ctx.resource);
  const found = ctx.index.find('Service', ns, name);
  if (found.length === 0) return;
  const svc = serviceInfo(found[0].uri, found[0].resource, ctx.index);
  if (svc.type === 'ExternalName') return;
  const byNumber = typeof portValue === 'number';
  const ok = svc.ports.some((p) => (byNumber ? p.port === portValue : p.name === String(portValue)));
  if (ok) return;
  const available = svc.ports.map((p) => (p.name ? `${p.port} (${p.name})` : String(p.port))).join(', ') || 'none';
  const fixes = [];
  const node = b.servicePort;
  // A frequent mix-up: the backend names the container port (targetPort) instead of the Service port.
  const viaTarget = byNumber ? svc.ports.find((p) => p.targetPort === portValue) : undefined;
  if (viaTarget && node.style === 'plain') {
    fixes.push({ title: `Change to ${viaTarget.port}`, edits: [{ start: node.start, end: node.end, newText: String(viaTarget.port) }], preferred: true });
    ctx.report(node, `Service "${name}" has no port ${portValue}: ${portValue} is the targetPort (container port) behind its port ${viaTarget.port}, and an Ingress backend names the Service port`, { fixes });
    return;
  }
  if (!byNumber) {
    const byNum = svc.ports.find((p) => String(p.port) === String(portValue));
    if (byNum) fixes.push({ title: `Use port number ${byNum.port}`, edits: [{ start: node.start, end: node.end, newText: String(byNum.port) }] });
  } else if (svc.ports.length === 1 && node.style === 'plain') {
    fixes.push({ title: `Change to ${svc.ports[0].port}`, edits: [{ start: node.start, end: node.end, newText: String(svc.ports[0].port) }], preferred: true });
  }
  ctx.report(node, `Service "${name}" has no port ${byNumber ? portValue : `named "${portValue}"`}; its ports: ${available}`, { fixes });
}

export const rule: Rule = {
  id: 'ingress-backend-port-missing',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['Ingress'],
  description: 'An Ingress backend names a Service port (number or name) that the Service does not define.',
  check(ctx) {
    const m = ingressModel(ctx.resource);
    check(ctx, m.defaultBackend);
    for (const r of m.rules) for (const p of r.paths) check(ctx, p.backend);
  },
};
