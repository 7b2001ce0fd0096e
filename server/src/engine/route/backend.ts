// Following the backend: Service → port → targetPort → workloads → container port.

import { matchesMap } from '../selector';
import type { Cluster, ContainerPortInfo, IngressInfo, SecretInfo, ServiceInfo, ServicePortInfo, SourceRef, WorkloadInfo } from '../types';
import { idText } from '../types';
import type { PodTarget, RouteMatch, RouteResult, ServiceStep } from './types';
import { backendText } from './match';
import { cmp } from './rule-index';

export interface ClusterLookup {
  services: Map<string, ServiceInfo>;
  secrets: Map<string, SecretInfo>;
  workloadsByNamespace: Map<string, WorkloadInfo[]>;
}

const lookupCache = new WeakMap<Cluster, ClusterLookup>();

export function lookup(cluster: Cluster): ClusterLookup {
  let l = lookupCache.get(cluster);
  if (l) return l;
  const bySource = (a: { source?: SourceRef }, b: { source?: SourceRef }) => cmp(a.source?.uri ?? '', b.source?.uri ?? '') || (a.source?.start ?? 0) - (b.source?.start ?? 0);
  l = { services: new Map(), secrets: new Map(), workloadsByNamespace: new Map() };
  for (const s of [...cluster.secrets].sort(bySource)) {
    const k = idText(s.id);
    if (!l.secrets.has(k)) l.secrets.set(k, s);
  }
  for (const s of [...cluster.services].sort(bySource)) {
    const k = idText(s.id);
    if (!l.services.has(k)) l.services.set(k, s);
  }
  const workloads = [...cluster.workloads].sort((a, b) => cmp(a.id.namespace, b.id.namespace) || cmp(a.id.kind, b.id.kind) || cmp(a.id.name, b.id.name) || bySource(a, b));
  for (const w of workloads) {
    const list = l.workloadsByNamespace.get(w.id.namespace);
    if (list) list.push(w);
    else l.workloadsByNamespace.set(w.id.namespace, [w]);
  }
  lookupCache.set(cluster, l);
  return l;
}

export function portText(p: ServicePortInfo): string {
  return `${p.port}${p.name ? '/' + p.name : ''}`;
}

export function selectorText(sel: Record<string, string>): string {
  return Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',');
}

export function followBackend(cluster: Cluster, ing: IngressInfo, match: RouteMatch, result: RouteResult): void {
  const ns = ing.id.namespace;
  if ('resource' in match.backend) {
    result.notes.push(`the backend is a resource (${backendText(match.backend)}), not a Service; it is not followed further`);
    return;
  }
  const { service: name, port } = match.backend;
  const svc = lookup(cluster).services.get(`${ns}/${name}`);
  if (!svc) {
    result.problems.push({ step: 'service', message: `Service ${ns}/${name} not found`, source: match.backendSource });
    return;
  }
  const step: ServiceStep = { name: idText(svc.id), type: svc.type, port: null, selector: svc.selector ?? null, source: svc.source };
  result.service = step;
  if (svc.type === 'ExternalName') {
    result.notes.push(`Service ${idText(svc.id)} is ExternalName (${svc.externalName ?? 'no externalName'}): traffic leaves the cluster, no pods are involved`);
    return;
  }
  const portList = svc.ports.length ? svc.ports.map(portText).join(', ') : 'none';
  let sp: ServicePortInfo | undefined;
  if (port === null) {
    result.problems.push({ step: 'port', message: `the backend names no Service port (Service ${idText(svc.id)} has ports: ${portList})`, source: match.backendSource });
    return;
  } else if (typeof port === 'number') {
    sp = svc.ports.find((p) => p.port === port);
    if (!sp) result.problems.push({ step: 'port', message: `Service ${svc.id.name} has no port ${port} (ports: ${portList})`, source: match.backendSource });
  } else {
    sp = svc.ports.find((p) => p.name === port);
    if (!sp) {
      const quoted = /^\d+$/.test(port) ? `; "${port}" is a quoted string, so it names a port instead of numbering it` : '';
      result.problems.push({ step: 'port', message: `Service ${svc.id.name} has no port named ${port} (ports: ${portList})${quoted}`, source: match.backendSource });
    }
  }
  if (!sp) return;
  step.port = { name: sp.name ?? null, port: sp.port, protocol: sp.protocol, targetPort: sp.targetPort };
  step.portSource = sp.source;
  if (!svc.selector || Object.keys(svc.selector).length === 0) {
    result.notes.push(`Service ${idText(svc.id)} has no selector: its endpoints are managed outside these manifests, so no workloads are listed`);
    return;
  }
  const selector = svc.selector;
  const workloads = (lookup(cluster).workloadsByNamespace.get(svc.id.namespace) ?? []).filter((w) => matchesMap(selector, w.podLabels));
  if (!workloads.length) {
    result.problems.push({ step: 'workloads', message: `no workload matches selector ${selectorText(selector)} in namespace ${svc.id.namespace}`, source: svc.source });
    return;
  }
  const target = sp.targetPort;
  for (const w of workloads) {
    const wText = `${w.id.kind} ${idText(w.id)}`;
    let found: { container: string; port: ContainerPortInfo } | undefined;
    for (const c of w.containers) {
      const cp = c.ports.find((p) => (typeof target === 'number' ? p.containerPort === target : p.name === target) && p.protocol === sp!.protocol);
      if (cp) {
        found = { container: c.name, port: cp };
        break;
      }
    }
    const pod: PodTarget = {
      workload: wText,
      replicas: w.replicas ?? null,
      container: found?.container ?? null,
      containerPort: found ? found.port.containerPort : typeof target === 'number' ? target : null,
      portName: found?.port.name ?? null,
      protocol: sp.protocol,
      declared: !!found,
      source: w.source,
      portSource: found?.port.source,
    };
    if (!found) {
      if (typeof target === 'number') {
        result.notes.push(`${wText} declares no container port ${target}/${sp.protocol}; traffic is still sent to port ${target} (declaring it documents it)`);
      } else {
        pod.problem = `no container port named ${target} in ${wText}`;
        result.problems.push({ step: 'targetPort', message: pod.problem, source: w.source });
      }
    }
    if (w.replicas === 0) result.notes.push(`${wText} has 0 replicas: no pod serves this route`);
    result.pods.push(pod);
  }
}
