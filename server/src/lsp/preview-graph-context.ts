// The routing preview's graph under construction: its nodes, edges and claims (ranges of the
// documents that belong to a node or edge), with the helpers that add to it; the node ids; and how a
// route graph problem is shown. preview-graph-nodes.ts adds Services, workloads, backends and hosts
// through it, preview-graph.ts walks the route graph's entries.

import type { ResourceIndex } from '../workspace/index';
import type { RouteGraph as EngineRouteGraph, RouteGraphProblem } from '../engine/route';
import type { IngressInfo, ServiceInfo, SourceRef } from '../engine/types';
import { idText } from '../engine/types';
import type { GraphEdge, GraphNode, Location, Problem } from '../protocol/preview';
import type { Build, PreviewHost } from './preview-claims';
import { underRuleSeverity } from './preview-claims';

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

/** The ranges of every object (kind/namespace/name → its document), once per workspace revision. */
export function resourceRanges(index: ResourceIndex): Map<string, SourceRef> {
  return index.memo('preview-resource-ranges', () => {
    const m = new Map<string, SourceRef>();
    for (const { uri, resource: r } of index.all()) {
      const key = `${r.kind}/${index.namespaceOf(r)}/${r.name ?? ''}`;
      if (!m.has(key)) m.set(key, { uri, start: r.doc.base + r.node.start, end: r.doc.base + r.node.end });
    }
    return m;
  });
}

export /** A route graph problem as the preview shows it: the rule's own wording and id, with the severity the
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

/** The graph being built and what building it reads. */
export interface GraphContext {
  b: Build;
  host: PreviewHost;
  /** The engine's route graph of the cluster shown. */
  graph: EngineRouteGraph;
  ranges: Map<string, SourceRef>;
  /** Claim a range of a document for a node or an edge (its diagnostics are shown there). */
  claim(ref: SourceRef | undefined, target: { node?: GraphNode; edge?: GraphEdge }, tls?: boolean): void;
  /** The node of this id (added the first time, with its location). */
  addNode(
    n: Omit<GraphNode, 'problems' | 'hosts' | 'classes'> & Partial<GraphNode>,
    ref?: SourceRef,
  ): GraphNode;
  /** The edge between two nodes (added the first time; another label is appended). */
  addEdge(from: string, to: string, label?: string, ref?: SourceRef): GraphEdge;
  /** Note a host and an IngressClass a node serves. */
  tag(n: GraphNode, hostName: string | undefined, cls: string | undefined): void;
}

export function graphContext(host: PreviewHost, graph: EngineRouteGraph): GraphContext {
  const b: Build = { nodes: new Map(), edges: new Map(), claims: [], uris: new Map() };
  const ranges = resourceRanges(host.index);
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

  return { b, host, graph, ranges, claim, addNode, addEdge, tag };
}
