// The plain-language hover of an Ingress: for each host and path, which Service, port and pods it
// reaches, and which certificate each TLS entry uses.

import type { BackendInfo, Cluster, IngressInfo, ServiceInfo, WorkloadInfo } from '../engine/types';
import { resolveTargetPort } from '../engine/policy-match';
import { plural } from './resource-refs';
import { code, listText, text } from './hover-explain-words';

function findService(cluster: Cluster, namespace: string, name: string): ServiceInfo | undefined {
  return cluster.services.find((s) => s.id.namespace === namespace && s.id.name === name);
}

/** Where one backend leads, in words: "Service `api` port 80 → Deployment api (container port 8080)". */
export function backendWords(
  cluster: Cluster,
  serviceWorkloads: Map<string, WorkloadInfo[]>,
  namespace: string,
  b: BackendInfo | undefined,
): string {
  if (!b) return '⚠ no backend';
  if (b.kind === 'resource')
    return `resource ${code(`${b.resourceKind} ${b.name}`)} (not a Service; not followed further)`;
  const svc = findService(cluster, namespace, b.service);
  if (!svc) return `⚠ Service ${code(b.service)}, which is not defined in namespace ${code(namespace)}`;
  if (svc.type === 'ExternalName')
    return `Service ${code(b.service)} (ExternalName: leaves the cluster for ${code(svc.externalName ?? '(no externalName)')})`;
  if (b.port === undefined) return `Service ${code(b.service)}, ⚠ but the backend names no port`;
  const sp =
    typeof b.port === 'number'
      ? svc.ports.find((p) => p.port === b.port)
      : svc.ports.find((p) => p.name === b.port);
  if (!sp)
    return `Service ${code(b.service)}, ⚠ which has no port ${typeof b.port === 'number' ? b.port : `named ${code(b.port)}`}`;
  const portWords = `port ${sp.name ? `${code(sp.name)} (${sp.port})` : sp.port}`;
  const head = `Service ${code(b.service)} ${portWords}`;
  if (!svc.selector || Object.keys(svc.selector).length === 0)
    return `${head} → endpoints managed outside these manifests (the Service has no selector)`;
  const workloads = serviceWorkloads.get(`${namespace}/${b.service}`) ?? [];
  if (!workloads.length) return `${head} → ⚠ no pods: its selector matches no workload`;
  const target = typeof sp.targetPort === 'string' ? ` → target port ${code(sp.targetPort)}` : '';
  const pods = workloads.map((w) => {
    const tp = resolveTargetPort(w, sp.targetPort, sp.protocol);
    const replicas = w.replicas !== undefined ? `${plural(w.replicas, 'replica')}, ` : '';
    const port = tp ? `container port ${tp.port}` : `⚠ declares no port named ${code(String(sp.targetPort))}`;
    return `${w.id.kind} ${text(w.id.name)} (${replicas}${port})`;
  });
  return `${head}${target} → ${listText(pods)}`;
}

export function ingressMarkdown(
  cluster: Cluster,
  serviceWorkloads: Map<string, WorkloadInfo[]>,
  info: IngressInfo,
): string {
  const ns = info.id.namespace;
  const cls = info.className ? ` — class ${code(info.className)}` : '';
  const out = [`**Ingress ${code(`${ns}/${info.id.name}`)}**${cls}: where each request goes`];
  const lines: string[] = [];
  for (const rule of info.rules) {
    const host = rule.host ?? '(every host)';
    if (rule.paths.length === 0) lines.push(`- ${code(host)}: no paths`);
    for (const p of rule.paths) {
      lines.push(
        `- ${code(`${rule.host ?? ''}${p.path ?? '/'}`)}${rule.host ? '' : ' on every host'} (${p.pathType}) → ${backendWords(cluster, serviceWorkloads, ns, p.backend)}`,
      );
    }
  }
  if (info.defaultBackend)
    lines.push(
      `- ${info.rules.length ? 'anything else' : 'every request'} (default backend) → ${backendWords(cluster, serviceWorkloads, ns, info.defaultBackend)}`,
    );
  out.push(lines.length ? lines.join('\n') : 'No rules and no default backend: this Ingress routes nothing.');
  for (const t of info.tls) {
    out.push(
      `TLS: ${t.hosts.length ? t.hosts.map(code).join(', ') : 'no hosts listed'} with ${t.secretName ? `Secret ${code(t.secretName)}` : "the controller's default certificate"}.`,
    );
  }
  return out.join('\n\n');
}
