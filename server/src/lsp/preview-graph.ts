// The routing preview's route graph (kubeNetlens/routeGraph): the engine's route graph mapped to
// protocol nodes and edges with positions. Backend and TLS problems come from the route graph with the
// rules' wording, severity and id; the open documents' other diagnostics are attached to the smallest
// node or edge whose range holds them.

import type { ResourceIndex } from '../workspace/index';
import { routeGraph, ROUTE_GRAPH_RULES } from '../engine/route';
import { hostCovers } from '../engine/host-name';
import type { RouteGraphProblem } from '../engine/route';
import { policyWorkloads } from '../engine/policy-match';
import type {
  BackendInfo,
  Cluster,
  IngressInfo,
  ServiceInfo,
  SourceRef,
  WorkloadInfo,
} from '../engine/types';
import { idText } from '../engine/types';
import type {
  GraphEdge,
  GraphNode,
  Location,
  Problem,
  RouteGraph,
  RouteGraphParams,
} from '../protocol/preview';
import type { Build, PreviewHost } from './preview-claims';
import { attachDiagnostics, inScope, propagateTags, underRuleSeverity } from './preview-claims';
import { noSecretName, zeroReplicas } from '../engine/route/facts';
import { addGatewayRoutes } from './preview-gateway';

export type { PreviewHost } from './preview-claims';

export function toLocation(host: PreviewHost, ref: SourceRef | undefined): Location | undefined {
  if (!ref) return undefined;
  const start = host.positionOf(ref.uri, ref.start);
  const end = host.positionOf(ref.uri, ref.end);
  return start && end ? { uri: ref.uri, range: { start, end } } : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Node ids (stable across edits: names and indexes, never offsets)

export const nodeId = {
  host: (host: string | undefined | null) => `host:${(host ?? '').toLowerCase()}`,
  path: (ing: IngressInfo, rule: number, path: number) => `path:${idText(ing.id)}/${rule}/${path}`,
  defaultBackend: (ing: IngressInfo) => `default:${idText(ing.id)}`,
  service: (ns: string, name: string) => `svc:${ns}/${name}`,
  resource: (ns: string, kind: string, name: string) => `res:${ns}/${kind}/${name}`,
  action: (ns: string, ingress: string, name: string) => `action:${ns}/${ingress}/${name}`,
  workload: (w: { kind: string; namespace: string; name: string }) => `wl:${w.kind}/${w.namespace}/${w.name}`,
  entry: (s: ServiceInfo) => `entry:${idText(s.id)}`,
};

export const edgeId = (from: string, to: string) => `${from}->${to}`;

// ---------------------------------------------------------------------------------------------------
// The route graph
function resourceRanges(index: ResourceIndex): Map<string, SourceRef> {
  return index.memo('preview-resource-ranges', () => {
    const m = new Map<string, SourceRef>();
    for (const { uri, resource: r } of index.all()) {
      const key = `${r.kind}/${index.namespaceOf(r)}/${r.name ?? ''}`;
      if (!m.has(key)) m.set(key, { uri, start: r.doc.base + r.node.start, end: r.doc.base + r.node.end });
    }
    return m;
  });
}

/** A route graph problem as the preview shows it: the rule's own wording and id, with the severity the
 * user gave the rule (none when the rule is off). */
function graphProblem(host: PreviewHost, p: RouteGraphProblem): Problem[] {
  const location = toLocation(host, p.at);
  return underRuleSeverity(host, {
    severity: p.severity,
    message: p.message,
    code: p.ruleId,
    ...(location ? { location } : {}),
  });
}

/** Diagnostics of these rules are already on the graph (from the route graph itself). */
const GRAPH_RULES = new Set<string>(ROUTE_GRAPH_RULES);

function portLabel(p: number | string | undefined): string {
  return p === undefined ? '(no port)' : typeof p === 'number' ? `:${p}` : `port "${p}"`;
}

function servicePortText(s: ServiceInfo['ports'][number]): string {
  return `${s.port}${s.name ? ` (${s.name})` : ''} → ${s.targetPort}/${s.protocol}`;
}

export function routeGraphView(cluster: Cluster, host: PreviewHost, params: RouteGraphParams): RouteGraph {
  const b: Build = { nodes: new Map(), edges: new Map(), claims: [], uris: new Map() };
  const ranges = resourceRanges(host.index);
  const graph = routeGraph(cluster);

  const claim = (ref: SourceRef | undefined, target: { node?: GraphNode; edge?: GraphEdge }, tls = false) => {
    if (ref) b.claims.push({ uri: ref.uri, start: ref.start, end: ref.end, ...target, tls });
  };
  const fromFile = (id: string, ref: SourceRef | undefined) => {
    if (!ref) return;
    let s = b.uris.get(id);
    if (!s) b.uris.set(id, (s = new Set()));
    s.add(ref.uri);
  };
  const addNode = (
    n: Omit<GraphNode, 'problems' | 'hosts' | 'classes'> & Partial<GraphNode>,
    ref?: SourceRef,
  ): GraphNode => {
    let node = b.nodes.get(n.id);
    if (!node) {
      node = { problems: [], hosts: [], classes: [], ...n, location: n.location ?? toLocation(host, ref) };
      b.nodes.set(n.id, node);
    }
    fromFile(n.id, ref);
    return node;
  };
  const addEdge = (from: string, to: string, label?: string, ref?: SourceRef): GraphEdge => {
    const id = edgeId(from, to);
    let e = b.edges.get(id);
    if (!e) {
      e = { id, from, to, problems: [], ...(label ? { label } : {}), location: toLocation(host, ref) };
      b.edges.set(id, e);
    } else if (label && e.label && !e.label.split(', ').includes(label)) e.label += `, ${label}`;
    return e;
  };
  const tag = (n: GraphNode, hostName: string | undefined, cls: string | undefined) => {
    if (hostName !== undefined && !n.hosts.includes(hostName)) n.hosts.push(hostName);
    if (cls !== undefined && !n.classes.includes(cls)) n.classes.push(cls);
  };

  const workloadNode = (w: WorkloadInfo): GraphNode => {
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
  };

  const serviceNode = (
    ns: string,
    name: string,
    ref?: SourceRef,
    missing: RouteGraphProblem[] = [],
  ): GraphNode => {
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
      const wn = workloadNode(w);
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
  };

  const linkBackend = (fromId: string, ing: IngressInfo, backend: BackendInfo): void => {
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
      ns,
      backend.service,
      backend.serviceSource ?? backend.source,
      problems.filter((p) => p.ruleId === 'ingress-backend-service-missing'),
    );
    const e = addEdge(fromId, sn.id, portLabel(backend.port), backend.source);
    claim(backend.source, { edge: e });
    for (const p of problems)
      if (p.ruleId === 'ingress-backend-port-missing') e.problems.push(...graphProblem(host, p));
  };

  const tlsOf = (ing: IngressInfo, hostName: string): GraphNode['tls'] | undefined => {
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
  };

  /** The host node of an Ingress rule host ('' for a rule without host), with its TLS lock. */
  const hostNode = (
    ing: IngressInfo,
    hostName: string,
    cls: string,
    ref: SourceRef | undefined,
  ): GraphNode => {
    const hn = addNode(
      { id: nodeId.host(hostName), kind: 'host', label: hostName || '* (any host)', details: [] },
      ref,
    );
    tag(hn, hostName, cls);
    claim(ref, { node: hn });
    const tls = tlsOf(ing, hostName);
    if (tls && (!hn.tls || tls.state === 'warning')) hn.tls = tls;
    if (tls) {
      const entry = ing.tls.find((t) => t.hosts.some((h) => hostCovers(h, hostName)));
      claim(entry?.source, { node: hn }, true);
      if (entry?.secretName)
        claim(ranges.get(`Secret/${ing.id.namespace}/${entry.secretName}`), { node: hn }, true);
    }
    return hn;
  };

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
      const hn = hostNode(ing, hostName, cls, ing.rules[entry.rule]?.source);
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
      if (p.backend) linkBackend(pn.id, ing, p.backend);
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
          hostNode(ing, h ?? '', cls, ing.rules.find((r) => (r.host?.toLowerCase() || null) === h)?.source)
            .id,
      );
      for (const id of from) if (!hostIds.includes(id)) hostIds.push(id);
    }
    for (const hid of from) {
      addEdge(hid, dn.id);
      tag(dn, b.nodes.get(hid)!.hosts[0], cls);
    }
    linkBackend(dn.id, ing, backend);
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
        const n = serviceNode(ns, name, ref);
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
    const sn = serviceNode(svc.id.namespace, svc.id.name, svc.source);
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
