// A Service targetPort that the selected pods do not expose, or with another protocol.

import { asSeq, getIn, getValue, asScalar } from '../syntax/ast';
import { relations } from '../model/relations';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'service-target-port',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['Service'],
  description: 'A named targetPort that the selected pods do not declare (warning), a numeric targetPort no selected container exposes (information), a named targetPort whose protocol differs from the pods\' (warning, it resolves to nothing), or a numeric one declared for another protocol (information).',
  check(ctx) {
    const r = ctx.resource;
    if (!r.name) return;
    const ns = ctx.index.namespaceOf(r);
    const workloads = relations(ctx.index).serviceWorkloads.get(`${ns}/${r.name}`) ?? [];
    if (workloads.length === 0) return;
    const ports = workloads.flatMap((w) => w.containers.flatMap((c) => c.ports.map((p) => ({ ...p, workload: w }))));
    // Pods that declare no ports at all cannot be checked: containerPort is informational in Kubernetes.
    if (ports.length === 0) return;
    const names = workloads.map((w) => `${w.id.kind} ${w.id.name}`).join(', ');
    for (const p of asSeq(getIn(r.node, ['spec', 'ports']))?.items ?? []) {
      const portNode = asScalar(getValue(p, 'port'));
      const tpNode = asScalar(getValue(p, 'targetPort'));
      const target = tpNode?.value ?? portNode?.value;
      if (target === null || target === undefined) continue;
      const protocol = (asScalar(getValue(p, 'protocol'))?.value as string | undefined) ?? 'TCP';
      const anchor = tpNode ?? portNode!;
      if (typeof target === 'string') {
        const matches = ports.filter((cp) => cp.name === target);
        if (matches.length === 0) {
          const declared = [...new Set(ports.filter((cp) => cp.name).map((cp) => `${cp.name} (${cp.containerPort})`))].join(', ') || 'none';
          ctx.report(anchor, `targetPort "${target}" is not a port name declared by the selected pods (${names}); declared names: ${declared}`);
        } else if (!matches.some((cp) => cp.protocol === protocol)) {
          // endpoints resolve a named port by name and protocol: this one resolves to nothing
          ctx.report(anchor, `targetPort "${target}" is declared for ${matches[0].protocol} on the pods but this Service port is ${protocol}: the port name does not resolve, so the Service gets no endpoints`);
        }
      } else if (typeof target === 'number') {
        const matches = ports.filter((cp) => cp.containerPort === target);
        if (matches.length === 0) {
          const exposed = [...new Set(ports.map((cp) => cp.containerPort))].join(', ');
          ctx.report(anchor, `No container of the selected pods (${names}) declares port ${target} (they declare ${exposed}); the traffic only arrives if the process listens there anyway`, { severity: 'information' });
        } else if (!matches.some((cp) => cp.protocol === protocol)) {
          // Container ports are informational: published manifests often leave out `protocol: UDP`
          // on the container while the process does listen on UDP, so this is worth knowing only.
          ctx.report(anchor, `Port ${target} is declared for ${matches[0].protocol} on the selected pods (${names}) but this Service port is ${protocol}: the traffic only arrives if the process also listens on ${protocol} ${target}`, { severity: 'information' });
        }
      }
    }
  },
};
