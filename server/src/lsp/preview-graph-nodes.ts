// The routing preview's nodes for what an Ingress leads to: its hosts (with the TLS lock), the
// backends of its paths, the Services they name (with the route graph's problems) and the workloads
// behind them, added to the graph under construction (preview-graph-context.ts).

import type { RouteGraphProblem } from '../engine/route';
import { hostCovers } from '../engine/host-name';
import type { BackendInfo, IngressInfo, ServiceInfo, SourceRef, WorkloadInfo } from '../engine/types';
import type { GraphNode, Problem } from '../protocol/preview';
import { noSecretName, zeroReplicas } from '../engine/route/facts';
import type { GraphContext } from './preview-graph-context';
import { graphProblem, nodeId } from './preview-graph-context';

function portLabel(p: number | string | undefined): string {
  return p === undefined ? '(no port)' : typeof p === 'number' ? `:${p}` : `port "${p}"`;
}

function servicePortText(s: ServiceInfo['ports'][number]): string {
  return `${s.port}${s.name ? ` (${s.name})` : ''} → ${s.targetPort}/${s.protocol}`;
}

export function workloadNode(cx: GraphContext, w: WorkloadInfo): GraphNode {
  const { b, ranges, addNode, claim } = cx;
  const id = nodeId.workload(w.id);
  const existing = b.nodes.get(id);
  if (existing) return existing;
  const ports = w.containers.flatMap((c) =>
    c.ports.map((p) => `${c.name}: ${p.containerPort}${p.name ? ` (${p.name})` : ''}/${p.protocol}`),
  );
  const node = addNode(
    {
      id,
      kind: 'workload',
      label: w.id.name,
      namespace: w.id.namespace,
      details: [
        `${w.id.kind} in ${w.id.namespace}`,
        ...(w.replicas !== undefined ? [`${w.replicas} replica${w.replicas === 1 ? '' : 's'}`] : []),
        ...(ports.length ? ports : ['no container ports declared']),
      ],
    },
    w.source,
  );
  claim(ranges.get(`${w.id.kind}/${w.id.namespace}/${w.id.name}`), { node });
  if (w.replicas === 0) node.problems.push(zeroReplicas(w));
  return node;
}

export function serviceNode(
  cx: GraphContext,
  ns: string,
  name: string,
  ref?: SourceRef,
  missing: RouteGraphProblem[] = [],
): GraphNode {
  const { b, host, graph, ranges, addNode, addEdge, claim } = cx;
  const id = nodeId.service(ns, name);
  const existing = b.nodes.get(id);
  if (existing) return existing;
  const target = graph.services.get(`${ns}/${name}`);
  if (!target) {
    const node = addNode(
      { id, kind: 'missing', label: name, namespace: ns, details: ['Service not found'] },
      ref,
    );
    node.problems.push(...missing.flatMap((p) => graphProblem(host, p)));
    return node;
  }
  const svc = target.service;
  const node = addNode(
    {
      id,
      kind: 'service',
      label: name,
      namespace: ns,
      details: [
        `Service ${svc.type}${svc.type === 'ExternalName' && svc.externalName ? ` → ${svc.externalName}` : ''}`,
        ...svc.ports.map(servicePortText),
      ],
    },
    svc.source,
  );
  claim(ranges.get(`Service/${ns}/${name}`), { node });
  if (svc.type === 'ExternalName' || !svc.selector || Object.keys(svc.selector).length === 0) return node;
  node.problems.push(...target.problems.flatMap((p) => graphProblem(host, p)));
  for (const w of target.workloads) {
    const wn = workloadNode(cx, w);
    const targets: string[] = [];
    const problems: Problem[] = [];
    for (const pt of target.ports) {
      const sp = pt.port;
      const pod = pt.pods.find((x) => x.workload === w);
      if (typeof sp.targetPort === 'number') targets.push(`${sp.port}→${sp.targetPort}`);
      else
        targets.push(
          `${sp.port}→${sp.targetPort}${pod?.containerPort ? ` (${pod.containerPort.containerPort})` : ''}`,
        );
      // The Service port's targetPort problems concern the workloads that do not declare it.
      if (!pod?.declared) for (const p of pt.problems) problems.push(...graphProblem(host, p));
    }
    const e = addEdge(id, wn.id, targets.join(', ') || undefined);
    e.problems.push(...problems);
  }
  return node;
}

export function linkBackend(cx: GraphContext, fromId: string, ing: IngressInfo, backend: BackendInfo): void {
  const { host, graph, addNode, addEdge, claim } = cx;
  const ns = ing.id.namespace;
  if (backend.kind === 'resource') {
    const rid = nodeId.resource(ns, backend.resourceKind, backend.name);
    addNode(
      {
        id: rid,
        kind: 'service',
        label: backend.name,
        namespace: ns,
        details: [
          `${backend.apiGroup ? backend.apiGroup + '/' : ''}${backend.resourceKind} (resource backend)`,
        ],
      },
      backend.source,
    );
    const e = addEdge(fromId, rid, undefined, backend.source);
    claim(backend.source, { edge: e });
    // a Service named next to the resource is still checked (see the route graph)
    for (const p of graph.backends.get(backend)?.problems ?? []) e.problems.push(...graphProblem(host, p));
    return;
  }
  if (backend.action) {
    // an AWS Load Balancer Controller action (redirect, fixed response, weighted forward): the
    // annotation answers, no Service is involved
    const aid = nodeId.action(ns, ing.id.name, backend.service);
    addNode(
      {
        id: aid,
        kind: 'service',
        label: backend.service,
        namespace: ns,
        details: [
          `action${backend.action.type ? ` ${backend.action.type}` : ''} (${backend.action.annotation})`,
        ],
      },
      backend.source,
    );
    const e = addEdge(fromId, aid, undefined, backend.source);
    claim(backend.source, { edge: e });
    return;
  }
  const edge = graph.backends.get(backend);
  const problems = edge?.problems ?? [];
  const sn = serviceNode(
    cx,
    ns,
    backend.service,
    backend.serviceSource ?? backend.source,
    problems.filter((p) => p.ruleId === 'ingress-backend-service-missing'),
  );
  const e = addEdge(fromId, sn.id, portLabel(backend.port), backend.source);
  claim(backend.source, { edge: e });
  for (const p of problems)
    if (p.ruleId === 'ingress-backend-port-missing') e.problems.push(...graphProblem(host, p));
}

function tlsOf(cx: GraphContext, ing: IngressInfo, hostName: string): GraphNode['tls'] | undefined {
  const { host, graph } = cx;
  if (!hostName) return undefined;
  const entry = ing.tls.find((t) => t.hosts.some((h) => hostCovers(h, hostName)));
  if (!entry) return undefined;
  if (!entry.secretName) return { state: 'warning', message: noSecretName(ing).message };
  // The Secret's problems (missing, not a TLS Secret) are the route graph's, unless their rule is off.
  // (a certificate conflict is about one host of the entry)
  const problem = (graph.tlsOf.get(entry)?.problems ?? [])
    .filter((p) => p.data?.host === undefined || hostCovers(p.data.host, hostName))
    .flatMap((p) => graphProblem(host, p))[0];
  if (problem) return { state: 'warning', message: problem.message };
  return { state: 'secure', message: `TLS with Secret ${ing.id.namespace}/${entry.secretName}` };
}

/** The host node of an Ingress rule host ('' for a rule without host), with its TLS lock. */
export function hostNode(
  cx: GraphContext,
  ing: IngressInfo,
  hostName: string,
  cls: string,
  ref: SourceRef | undefined,
): GraphNode {
  const { ranges, addNode, claim, tag } = cx;
  const hn = addNode(
    { id: nodeId.host(hostName), kind: 'host', label: hostName || '* (any host)', details: [] },
    ref,
  );
  tag(hn, hostName, cls);
  claim(ref, { node: hn });
  const tls = tlsOf(cx, ing, hostName);
  if (tls && (!hn.tls || tls.state === 'warning')) hn.tls = tls;
  if (tls) {
    const entry = ing.tls.find((t) => t.hosts.some((h) => hostCovers(h, hostName)));
    claim(entry?.source, { node: hn }, true);
    if (entry?.secretName)
      claim(ranges.get(`Secret/${ing.id.namespace}/${entry.secretName}`), { node: hn }, true);
  }
  return hn;
}
