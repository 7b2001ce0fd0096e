// From a Gateway backend (Service and port) on to the pods: the Service step and the workloads behind
// its port, read from the route graph's Service facts (engine/route/graph.ts), the same facts the
// Ingress routes show.

import type { Cluster, WorkloadInfo } from '../types';
import { routeGraph } from '../route/graph';
import type { PodTarget, ServiceStep } from '../route/types';
import type { ServiceTarget } from '../route/graph-types';

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function order(a: WorkloadInfo, b: WorkloadInfo): number {
  return cmp(a.id.namespace, b.id.namespace) || cmp(a.id.kind, b.id.kind) || cmp(a.id.name, b.id.name);
}

export interface ServiceFollow {
  service?: ServiceStep;
  pods: PodTarget[];
  notes: string[];
}

export function followService(
  cluster: Cluster,
  namespace: string,
  name: string,
  port: number | null,
): ServiceFollow {
  return followTarget(routeGraph(cluster).services.get(`${namespace}/${name}`), port);
}

/** From a route graph Service target (a backend edge's) and the port a backendRef names on to the pods. */
export function followTarget(target: ServiceTarget | undefined, port: number | null): ServiceFollow {
  const out: ServiceFollow = { pods: [], notes: [] };
  if (!target) return out;
  const svc = target.service;
  const { namespace, name } = svc.id;
  const step: ServiceStep = {
    name: `${namespace}/${name}`,
    type: svc.type,
    port: null,
    selector: svc.selector ?? null,
    source: svc.source,
  };
  out.service = step;
  if (svc.type === 'ExternalName') {
    out.notes.push(
      `Service ${namespace}/${name} is ExternalName (${svc.externalName ?? 'no externalName'}): traffic leaves the cluster, no pods are involved`,
    );
    return out;
  }
  const pt = target.ports.find((p) => p.port.port === port);
  if (!pt) return out;
  const sp = pt.port;
  step.port = { name: sp.name ?? null, port: sp.port, protocol: sp.protocol, targetPort: sp.targetPort };
  step.portSource = sp.source;
  if (!svc.selector || Object.keys(svc.selector).length === 0) {
    out.notes.push(
      `Service ${namespace}/${name} has no selector: its endpoints are managed outside these manifests, so no workloads are listed`,
    );
    return out;
  }
  if (!target.selector) {
    out.notes.push(
      `Service ${namespace}/${name} selects its pods only by labels that controllers add at run time (${Object.keys(svc.selector).join(', ')}), so no workloads are listed`,
    );
    return out;
  }
  if (!pt.pods.length) {
    out.notes.push(`Service ${namespace}/${name} selects no workload in these manifests`);
    return out;
  }
  for (const pp of [...pt.pods].sort((a, b) => order(a.workload, b.workload))) {
    const w = pp.workload;
    out.pods.push({
      workload: `${w.id.kind} ${w.id.namespace}/${w.id.name}`,
      replicas: w.replicas ?? null,
      container: pp.container,
      containerPort: pp.containerPort
        ? pp.containerPort.containerPort
        : typeof sp.targetPort === 'number'
          ? sp.targetPort
          : null,
      portName: pp.containerPort?.name ?? null,
      protocol: sp.protocol,
      declared: pp.declared,
      ...(pp.declared || typeof sp.targetPort === 'number'
        ? {}
        : {
            problem: `no container port named ${sp.targetPort} in ${w.id.kind} ${w.id.namespace}/${w.id.name}`,
          }),
      source: w.source,
      portSource: pp.containerPort?.source,
    });
  }
  return out;
}
