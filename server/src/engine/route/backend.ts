// Following the backend of a matched route: Service → port → targetPort → workloads → container
// port. The facts and their problems come from the route graph (./graph.ts); this file lays them out
// as the steps of one route, with notes for what is worth knowing but not broken.

import type { BackendInfo, Cluster, IngressInfo, SourceRef, WorkloadInfo } from '../types';
import { idText } from '../types';
import type { PodTarget, RouteMatch, RouteResult, ServiceStep } from './types';
import { backendText } from './match';
import { cmp } from './rule-index';
import { routeGraph } from './graph';
import { zeroReplicas } from './facts';

const bySource = (a: { source?: SourceRef }, b: { source?: SourceRef }) =>
  cmp(a.source?.uri ?? '', b.source?.uri ?? '') || (a.source?.start ?? 0) - (b.source?.start ?? 0);

/** Pods in a stable order: namespace, kind, name, then where they are written. */
function workloadOrder(a: WorkloadInfo, b: WorkloadInfo): number {
  return (
    cmp(a.id.namespace, b.id.namespace) ||
    cmp(a.id.kind, b.id.kind) ||
    cmp(a.id.name, b.id.name) ||
    bySource(a, b)
  );
}

export function followBackend(
  cluster: Cluster,
  ing: IngressInfo,
  backend: BackendInfo,
  match: RouteMatch,
  result: RouteResult,
): void {
  const ns = ing.id.namespace;
  if ('resource' in match.backend) {
    result.notes.push(
      `the backend is a resource (${backendText(match.backend)}), not a Service; it is not followed further`,
    );
    return;
  }
  const edge = routeGraph(cluster).backendOf(ing, backend);
  if (edge?.action) {
    result.notes.push(
      `the backend "${backendText(match.backend)}" is an AWS Load Balancer Controller action${edge.action.type ? ` (${edge.action.type})` : ''} defined by the annotation ${edge.action.annotation}, not a Service; it is not followed further`,
    );
    return;
  }
  const target = edge?.target;
  if (!edge || !target) {
    for (const p of edge?.problems ?? [])
      result.problems.push({
        step: 'service',
        message: p.message,
        ruleId: p.ruleId,
        severity: p.severity,
        source: match.backendSource,
      });
    return;
  }
  const svc = target.service;
  const step: ServiceStep = {
    name: idText(svc.id),
    type: svc.type,
    port: null,
    selector: svc.selector ?? null,
    source: svc.source,
  };
  result.service = step;
  if (svc.type === 'ExternalName') {
    result.notes.push(
      `Service ${idText(svc.id)} is ExternalName (${svc.externalName ?? 'no externalName'}): traffic leaves the cluster, no pods are involved`,
    );
    return;
  }
  if (match.backend.port === null) {
    const portList = svc.ports.length
      ? svc.ports.map((p) => `${p.port}${p.name ? '/' + p.name : ''}`).join(', ')
      : 'none';
    result.problems.push({
      step: 'port',
      message: `the backend names no Service port (Service ${idText(svc.id)} has ports: ${portList})`,
      source: match.backendSource,
    });
    return;
  }
  for (const p of edge.problems)
    result.problems.push({
      step: 'port',
      message: p.message,
      ruleId: p.ruleId,
      severity: p.severity,
      source: match.backendSource,
    });
  const pt = edge.port;
  if (!pt) return;
  const sp = pt.port;
  step.port = { name: sp.name ?? null, port: sp.port, protocol: sp.protocol, targetPort: sp.targetPort };
  step.portSource = sp.source;
  if (!svc.selector || Object.keys(svc.selector).length === 0) {
    result.notes.push(
      `Service ${idText(svc.id)} has no selector: its endpoints are managed outside these manifests, so no workloads are listed`,
    );
    return;
  }
  if (!target.selector) {
    result.notes.push(
      `Service ${idText(svc.id)} selects its pods only by labels that controllers add at run time (${Object.keys(svc.selector).join(', ')}), so no workloads are listed`,
    );
    return;
  }
  if (!pt.pods.length) {
    for (const p of target.problems)
      result.problems.push({
        step: 'workloads',
        message: p.message,
        ruleId: p.ruleId,
        severity: p.severity,
        source: svc.source,
      });
    return;
  }
  const target0 = sp.targetPort;
  // A named targetPort no selected pod declares is one problem of the Service port (as the rule words it).
  const portProblem = pt.problems.find((p) => p.severity === 'warning' || p.severity === 'error');
  if (portProblem)
    result.problems.push({
      step: 'targetPort',
      message: portProblem.message,
      ruleId: portProblem.ruleId,
      severity: portProblem.severity,
      source: portProblem.at ?? sp.source,
    });
  for (const pp of [...pt.pods].sort((a, b) => workloadOrder(a.workload, b.workload))) {
    const w = pp.workload;
    const wText = `${w.id.kind} ${idText(w.id)}`;
    const pod: PodTarget = {
      workload: wText,
      replicas: w.replicas ?? null,
      container: pp.container,
      containerPort: pp.containerPort
        ? pp.containerPort.containerPort
        : typeof target0 === 'number'
          ? target0
          : null,
      portName: pp.containerPort?.name ?? null,
      protocol: sp.protocol,
      declared: pp.declared,
      source: w.source,
      portSource: pp.containerPort?.source,
    };
    if (!pp.declared) {
      if (typeof target0 === 'number') {
        // the Service port's finding (service-target-port, information), as the route graph words it;
        // pods that declare no ports at all cannot be checked and get no note
        const fact = pt.problems.find((p) => p.ruleId === 'service-target-port');
        if (fact && !result.notes.includes(fact.message)) result.notes.push(fact.message);
      } else if (portProblem) {
        pod.problem = portProblem.message;
      } else {
        // This workload lacks the name although another selected one declares it, or declares no ports at all.
        pod.problem = `no container port named ${target0} in ${wText}`;
        result.problems.push({ step: 'targetPort', message: pod.problem, source: w.source });
      }
    }
    if (w.replicas === 0) result.notes.push(zeroReplicas(w).message);
    result.pods.push(pod);
  }
}
