// The plain-language hovers of a Service (the Ingresses routing to it, the workloads it selects,
// where each port lands, the NetworkPolicies selecting its pods) and of a workload (the Services in
// front of it, the Ingresses reaching it, the NetworkPolicies selecting its pods).

import type { Relations } from '../model/relations';
import type { ServiceInfo, WorkloadInfo } from '../engine/types';
import { resolveTargetPort } from '../engine/policy-match';
import { plural } from './resource-refs';
import { cmpText, code, listText, text } from './hover-explain-words';

export function serviceMarkdown(rel: Relations, svc: ServiceInfo): string {
  const ns = svc.id.namespace;
  const key = `${ns}/${svc.id.name}`;
  const out = [`**Service ${code(key)}** (${text(svc.type)})`];
  const uses = [...(rel.serviceUsers.get(key) ?? [])].sort(
    (a, b) =>
      cmpText(a.ingress.id.name, b.ingress.id.name) ||
      cmpText(a.host ?? '', b.host ?? '') ||
      cmpText(a.path ?? '', b.path ?? ''),
  );
  out.push(
    uses.length
      ? `**Routed to by** ${listText(uses.map((u) => `Ingress ${code(u.ingress.id.name)} (${u.path === undefined && u.host === undefined ? 'default backend' : code(`${u.host ?? ''}${u.path ?? '/'}`)}, port ${text(String(u.backend.port ?? '?'))})`))}.`
      : 'No Ingress of the workspace routes here.',
  );
  if (svc.type === 'ExternalName') {
    out.push(
      `ExternalName: clients are sent to ${code(svc.externalName ?? '(no externalName)')}; no pods are involved.`,
    );
    return out.join('\n\n');
  }
  const workloads = rel.serviceWorkloads.get(key) ?? [];
  if (!svc.selector || Object.keys(svc.selector).length === 0)
    out.push('No selector: its endpoints are managed outside these manifests.');
  else {
    const sel = code(
      Object.entries(svc.selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(', '),
    );
    out.push(
      workloads.length
        ? `**Selects** ${sel}: ${listText(workloads.map((w) => `${w.id.kind} ${text(w.id.name)}${w.replicas !== undefined ? ` (${plural(w.replicas, 'replica')})` : ''}`))}.`
        : `**Selects** ${sel}: ⚠ no workload of the workspace has such pods, so nothing serves it.`,
    );
  }
  if (svc.ports.length && workloads.length) {
    out.push(
      svc.ports
        .map((p) => {
          const targets = workloads.map((w) => {
            const tp = resolveTargetPort(w, p.targetPort, p.protocol);
            return `${w.id.kind} ${text(w.id.name)}: ${tp ? tp.port : `⚠ no port named ${code(String(p.targetPort))}`}`;
          });
          return `- port ${p.name ? `${code(p.name)} ` : ''}${p.port}/${p.protocol} → target port ${typeof p.targetPort === 'string' ? code(p.targetPort) : p.targetPort} → ${listText(targets)}`;
        })
        .join('\n'),
    );
  }
  const policies = new Map<string, string>();
  for (const w of workloads)
    for (const p of rel.workloadPolicies.get(`${w.id.namespace}/${w.id.name}`) ?? [])
      policies.set(p.id.name, p.id.name);
  if (policies.size)
    out.push(`NetworkPolicies selecting these pods: ${listText([...policies.keys()].sort().map(code))}.`);
  return out.join('\n\n');
}

export function workloadMarkdown(rel: Relations, w: WorkloadInfo): string {
  const ns = w.id.namespace;
  const key = `${ns}/${w.id.name}`;
  const labels = Object.entries(w.podLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const replicas = w.replicas !== undefined ? ` (${plural(w.replicas, 'replica')})` : '';
  const out = [`**${w.id.kind} ${code(key)}**${replicas}, pods labelled ${labels ? code(labels) : '(none)'}`];
  const services = [...(rel.workloadServices.get(key) ?? [])].sort((a, b) => cmpText(a.id.name, b.id.name));
  if (services.length) {
    out.push(
      `**Behind Services:** ${listText(
        services.map(
          (s) =>
            `${code(s.id.name)} (${
              s.ports
                .map((p) => {
                  const tp = resolveTargetPort(w, p.targetPort, p.protocol);
                  return `${p.name ? `${code(p.name)} ` : ''}${p.port} → ${tp ? tp.port : `⚠ no port named ${code(String(p.targetPort))}`}`;
                })
                .join(', ') || 'no ports'
            })`,
        ),
      )}.`,
    );
    const via = services.flatMap((s) =>
      (rel.serviceUsers.get(`${ns}/${s.id.name}`) ?? []).map(
        (u) =>
          `Ingress ${code(u.ingress.id.name)} (${u.path === undefined && u.host === undefined ? 'default backend' : code(`${u.host ?? ''}${u.path ?? '/'}`)})`,
      ),
    );
    out.push(
      via.length
        ? `**Reached from outside through** ${listText([...new Set(via)].sort())}.`
        : 'No Ingress routes to these Services.',
    );
  } else out.push('No Service of the workspace selects these pods.');
  const policies = [...(rel.workloadPolicies.get(key) ?? [])].sort((a, b) => cmpText(a.id.name, b.id.name));
  out.push(
    policies.length
      ? `**NetworkPolicies selecting its pods:** ${listText(policies.map((p) => `${code(p.id.name)} (isolates ${p.policyTypes.map((t) => t.toLowerCase()).join(' and ')})`))}.`
      : 'No NetworkPolicy selects its pods: all traffic to and from them is allowed.',
  );
  return out.join('\n\n');
}
