// The routing preview's route graph (kubeNetlens/routeGraph): the engine's route graph mapped to
// protocol nodes and edges with positions. Backend and TLS problems come from the route graph with the
// rules' wording, severity and id; the open documents' other diagnostics are attached to the smallest
// node or edge whose range holds them. The graph under construction and the node ids are in
// preview-graph-context.ts, the nodes of hosts, backends, Services and workloads in
// preview-graph-nodes.ts, the Gateway API part in preview-gateway.ts.

import { routeGraph, ROUTE_GRAPH_RULES } from '../engine/route';
import { policyWorkloads } from '../engine/policy-match';
import type { Cluster, IngressInfo } from '../engine/types';
import { idText } from '../engine/types';
import type { RouteGraph, RouteGraphParams } from '../protocol/preview';
import type { PreviewHost } from './preview-claims';
import { attachDiagnostics, inScope, propagateTags } from './preview-claims';
import { addGatewayRoutes } from './preview-gateway';
import { graphContext, graphProblem, nodeId, toLocation } from './preview-graph-context';
import { hostNode, linkBackend, serviceNode } from './preview-graph-nodes';

export type { PreviewHost } from './preview-claims';
export { edgeId, nodeId, toLocation } from './preview-graph-context';

/** Diagnostics of these rules are already on the graph (from the route graph itself). */
const GRAPH_RULES = new Set<string>(ROUTE_GRAPH_RULES);

export function routeGraphView(cluster: Cluster, host: PreviewHost, params: RouteGraphParams): RouteGraph {
  const graph = routeGraph(cluster);
  const cx = graphContext(host, graph);
  const { b, ranges, addNode, addEdge, claim, tag } = cx;

  // Entry points: the route graph's entries (each path of an Ingress rule, each Ingress default
  // backend), Ingress by Ingress in the graph's order; their ids are the graph's.
  const hostIdsOf = new Map<IngressInfo, string[]>();
  for (const entry of graph.entries) {
    if (entry.kind === 'gateway-listener' || entry.kind === 'route-rule') continue; // preview-gateway.ts
    const ing = entry.ingress;
    const cls = entry.ingressClass ?? '(none)';
    let hostIds = hostIdsOf.get(ing);
    if (!hostIds) hostIdsOf.set(ing, (hostIds = []));
    if (entry.kind === 'ingress-path') {
      const hostName = entry.host ?? '';
      const hn = hostNode(cx, ing, hostName, cls, ing.rules[entry.rule]?.source);
      if (!hostIds.includes(hn.id)) hostIds.push(hn.id);
      const p = entry.path;
      const pn = addNode(
        {
          id: entry.id,
          kind: 'path',
          label: p.path ?? '(no path)',
          namespace: ing.id.namespace,
          details: [p.pathType, `Ingress ${idText(ing.id)}`, `class ${cls}`],
        },
        p.source,
      );
      tag(pn, hostName, cls);
      claim(p.source, { node: pn });
      addEdge(hn.id, pn.id);
      if (p.backend) linkBackend(cx, pn.id, ing, p.backend);
      else pn.problems.push({ severity: 'error', message: 'this path has no backend' });
      continue;
    }
    const backend = ing.defaultBackend!;
    const catchAll = entry.hosts.length === 0;
    const dn = addNode(
      {
        id: entry.id,
        kind: 'default',
        label: 'default backend',
        namespace: ing.id.namespace,
        details: [`Ingress ${idText(ing.id)}`, `class ${cls}`, ...(catchAll ? ['catch-all (no rules)'] : [])],
      },
      backend.source,
    );
    claim(backend.source, { node: dn });
    let from: string[];
    if (catchAll) {
      const hn = addNode(
        { id: nodeId.host(''), kind: 'host', label: '* (any host)', details: [] },
        ing.source,
      );
      tag(hn, '', cls);
      from = [hn.id];
    } else {
      // the hosts of the Ingress's rules, paths or not (a rule without paths sends its host here)
      from = entry.hosts.map(
        (h) =>
          hostNode(
            cx,
            ing,
            h ?? '',
            cls,
            ing.rules.find((r) => (r.host?.toLowerCase() || null) === h)?.source,
          ).id,
      );
      for (const id of from) if (!hostIds.includes(id)) hostIds.push(id);
    }
    for (const hid of from) {
      addEdge(hid, dn.id);
      tag(dn, b.nodes.get(hid)!.hosts[0], cls);
    }
    linkBackend(cx, dn.id, ing, backend);
  }
  // Ingress-wide diagnostics (apiVersion, class) land on its first host or default backend.
  for (const [ing, hostIds] of hostIdsOf) {
    const first = b.nodes.get(hostIds[0] ?? nodeId.defaultBackend(ing));
    if (first) claim(ranges.get(`Ingress/${ing.id.namespace}/${ing.id.name}`), { node: first });
  }

  // Gateway API: Gateway → listener → route rule → Service, refused attachments as refused edges.
  addGatewayRoutes(
    {
      addNode,
      addEdge,
      serviceNode: (ns, name, ref, missing) => {
        const n = serviceNode(cx, ns, name, ref);
        if (n.kind === 'missing')
          for (const m of missing) if (!n.problems.some((x) => x.message === m.message)) n.problems.push(m);
        return n;
      },
      claim: (ref, target) => claim(ref, target),
      tag,
      range: (key) => ranges.get(key),
      location: (ref) => toLocation(host, ref),
      problem: (p) => graphProblem(host, p),
    },
    cluster,
  );

  // Services reachable from outside the cluster by themselves.
  for (const { service: svc } of graph.services.values()) {
    const entries: string[] = [];
    if (svc.type === 'NodePort' || svc.type === 'LoadBalancer') {
      const nodePorts = svc.ports.map((p) => p.nodePort).filter((x): x is number => x !== undefined);
      entries.push(`${svc.type}${nodePorts.length ? ` :${nodePorts.join(', :')}` : ''}`);
    }
    if (svc.externalIPs.length) entries.push(`externalIPs ${svc.externalIPs.join(', ')}`);
    if (!entries.length) continue;
    const en = addNode(
      {
        id: nodeId.entry(svc),
        kind: 'entry',
        label: entries[0],
        namespace: svc.id.namespace,
        details: [...entries.slice(1), `Service ${idText(svc.id)}`],
      },
      svc.source,
    );
    const sn = serviceNode(cx, svc.id.namespace, svc.id.name, svc.source);
    addEdge(en.id, sn.id, svc.ports.map((p) => String(p.port)).join(', ') || undefined);
  }

  // A NetworkPolicy's findings (one that drops the ingress controller's traffic, say) concern the
  // workloads it selects.
  for (const p of cluster.policies) {
    const range = ranges.get(`NetworkPolicy/${p.id.namespace}/${p.id.name}`);
    for (const w of policyWorkloads(cluster, p)) {
      const node = b.nodes.get(nodeId.workload(w.id));
      if (node) claim(range, { node });
    }
  }

  propagateTags(b);
  attachDiagnostics(b, host, GRAPH_RULES);

  let nodes = [...b.nodes.values()];
  let edges = [...b.edges.values()];
  if (params.scope === 'file' && params.uri) {
    const keep = inScope(b, params.uri);
    nodes = nodes.filter((n) => keep.has(n.id));
    edges = edges.filter((e) => keep.has(e.from) && keep.has(e.to));
  }
  const uniq = (xs: (string | undefined)[]) =>
    [...new Set(xs.filter((x): x is string => x !== undefined))].sort();
  return {
    scope: params.scope,
    ...(params.uri ? { uri: params.uri } : {}),
    nodes,
    edges,
    namespaces: uniq(nodes.map((n) => n.namespace)),
    hosts: uniq(
      nodes
        .filter((n) => n.kind === 'host' || n.kind === 'listener' || n.kind === 'rule')
        .flatMap((n) => n.hosts),
    ),
    ingressClasses: uniq(nodes.flatMap((n) => n.classes)),
    gateways: uniq(nodes.filter((n) => n.kind === 'gateway').map((n) => `${n.namespace}/${n.label}`)),
  };
}
