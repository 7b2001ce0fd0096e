// The routing preview's requests (server/src/protocol/preview.ts): the route graph, the URL tester, the
// reachability matrix and a cell's explanation. Everything is computed here from the engine
// (resolveRoute, reachMatrix, evaluateReach) and the server's own diagnostics; the webview only draws.

import type { Connection, Diagnostic } from 'vscode-languageserver';
import { ErrorCodes, ResponseError } from 'vscode-languageserver';
import type { ResourceIndex } from '../workspace/index';
import { buildCluster } from '../model/cluster';
import { resolveRoute, backendText, effectiveIngressClass } from '../engine/route';
import { hostCovers } from '../engine/host-name';
import { evaluateReach, workloadName, EndpointError } from '../engine/reach';
import { reachMatrix } from '../engine/reach-matrix';
import { matchesMap } from '../engine/selector';
import { policyWorkloads } from '../engine/policy-match';
import type { BackendInfo, Cluster, IngressInfo, ServiceInfo, SourceRef, WorkloadInfo } from '../engine/types';
import { idText } from '../engine/types';
import { PreviewMethod, paramsError } from '../protocol/preview';
import type {
  ExplainCellParams,
  ExplainCellResult,
  GraphEdge,
  GraphNode,
  Location,
  PreviewMethodName,
  Problem,
  ReachMatrixParams,
  ReachMatrixResult,
  RouteGraph,
  RouteGraphParams,
  Severity,
  TestUrlParams,
  TestUrlResult,
} from '../protocol/preview';

type Pos = { line: number; character: number };

/** What the preview needs from the running server. */
export interface PreviewHost {
  index: ResourceIndex;
  /** Bring every open document's parse and diagnostics up to date. */
  flush(): void;
  /** Position of an offset in an open or indexed file. */
  positionOf(uri: string, offset: number): Pos | undefined;
  /** Current diagnostics of the open documents, with a way to turn their positions into offsets. */
  openDiagnostics(): { uri: string; diagnostics: Diagnostic[]; offsetAt(p: Pos): number }[];
}

const SEVERITY: Record<number, Severity> = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

function toLocation(host: PreviewHost, ref: SourceRef | undefined): Location | undefined {
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
  workload: (w: { kind: string; namespace: string; name: string }) => `wl:${w.kind}/${w.namespace}/${w.name}`,
  entry: (s: ServiceInfo) => `entry:${idText(s.id)}`,
};

const edgeId = (from: string, to: string) => `${from}->${to}`;

// ---------------------------------------------------------------------------------------------------
// The route graph

interface Claim {
  uri: string;
  start: number;
  end: number;
  node?: GraphNode;
  edge?: GraphEdge;
  /** Problems found here also mark the host's TLS as a warning. */
  tls?: boolean;
}

interface Build {
  nodes: Map<string, GraphNode>;
  edges: Map<string, GraphEdge>;
  claims: Claim[];
  /** Files each node comes from (for scope "file"). */
  uris: Map<string, Set<string>>;
}

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

function portLabel(p: number | string | undefined): string {
  return p === undefined ? '(no port)' : typeof p === 'number' ? `:${p}` : `port "${p}"`;
}

function servicePortText(s: ServiceInfo['ports'][number]): string {
  return `${s.port}${s.name ? ` (${s.name})` : ''} → ${s.targetPort}/${s.protocol}`;
}

export function buildRouteGraph(cluster: Cluster, host: PreviewHost, params: RouteGraphParams): RouteGraph {
  const b: Build = { nodes: new Map(), edges: new Map(), claims: [], uris: new Map() };
  const ranges = resourceRanges(host.index);
  const classOf = (ing: IngressInfo) => effectiveIngressClass(cluster, ing.className) ?? '(none)';
  const services = new Map<string, ServiceInfo>();
  for (const s of cluster.services) if (!services.has(idText(s.id))) services.set(idText(s.id), s);
  const workloadsByNs = new Map<string, WorkloadInfo[]>();
  for (const w of cluster.workloads) {
    const list = workloadsByNs.get(w.id.namespace);
    if (list) list.push(w);
    else workloadsByNs.set(w.id.namespace, [w]);
  }

  const claim = (ref: SourceRef | undefined, target: { node?: GraphNode; edge?: GraphEdge }, tls = false) => {
    if (ref) b.claims.push({ uri: ref.uri, start: ref.start, end: ref.end, ...target, tls });
  };
  const fromFile = (id: string, ref: SourceRef | undefined) => {
    if (!ref) return;
    let s = b.uris.get(id);
    if (!s) b.uris.set(id, (s = new Set()));
    s.add(ref.uri);
  };
  const addNode = (n: Omit<GraphNode, 'problems' | 'hosts' | 'classes'> & Partial<GraphNode>, ref?: SourceRef): GraphNode => {
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
    const ports = w.containers.flatMap((c) => c.ports.map((p) => `${c.name}: ${p.containerPort}${p.name ? ` (${p.name})` : ''}/${p.protocol}`));
    const node = addNode(
      {
        id,
        kind: 'workload',
        label: w.id.name,
        namespace: w.id.namespace,
        details: [`${w.id.kind} in ${w.id.namespace}`, ...(w.replicas !== undefined ? [`${w.replicas} replica${w.replicas === 1 ? '' : 's'}`] : []), ...(ports.length ? ports : ['no container ports declared'])],
      },
      w.source,
    );
    claim(ranges.get(`${w.id.kind}/${w.id.namespace}/${w.id.name}`), { node });
    if (w.replicas === 0) node.problems.push({ severity: 'warning', message: `${w.id.kind} ${idText(w.id)} has 0 replicas: no pod serves its routes` });
    return node;
  };

  const serviceNode = (ns: string, name: string, ref?: SourceRef): GraphNode => {
    const id = nodeId.service(ns, name);
    const existing = b.nodes.get(id);
    if (existing) return existing;
    const svc = services.get(`${ns}/${name}`);
    if (!svc) {
      const node = addNode({ id, kind: 'missing', label: name, namespace: ns, details: ['Service not found'] }, ref);
      node.problems.push({ severity: 'error', message: `Service ${ns}/${name} is not defined in these manifests`, location: toLocation(host, ref) });
      return node;
    }
    const node = addNode(
      {
        id,
        kind: 'service',
        label: name,
        namespace: ns,
        details: [`Service ${svc.type}${svc.type === 'ExternalName' && svc.externalName ? ` → ${svc.externalName}` : ''}`, ...svc.ports.map(servicePortText)],
      },
      svc.source,
    );
    claim(ranges.get(`Service/${ns}/${name}`), { node });
    if (svc.type === 'ExternalName' || !svc.selector || Object.keys(svc.selector).length === 0) return node;
    const selector = svc.selector;
    const matched = (workloadsByNs.get(ns) ?? []).filter((w) => matchesMap(selector, w.podLabels));
    if (!matched.length) {
      node.problems.push({ severity: 'warning', message: `no workload matches the selector ${Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',')} in namespace ${ns}` });
    }
    for (const w of matched) {
      const wn = workloadNode(w);
      const targets: string[] = [];
      const problems: Problem[] = [];
      for (const sp of svc.ports) {
        if (typeof sp.targetPort === 'number') targets.push(`${sp.port}→${sp.targetPort}`);
        else {
          const cp = w.containers.flatMap((c) => c.ports).find((p) => p.name === sp.targetPort && p.protocol === sp.protocol);
          targets.push(`${sp.port}→${sp.targetPort}${cp ? ` (${cp.containerPort})` : ''}`);
          if (!cp) problems.push({ severity: 'warning', message: `targetPort "${sp.targetPort}" of Service ${ns}/${name} names no container port of ${w.id.kind} ${idText(w.id)}` });
        }
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
      addNode({ id: rid, kind: 'service', label: backend.name, namespace: ns, details: [`${backend.apiGroup ? backend.apiGroup + '/' : ''}${backend.resourceKind} (resource backend)`] }, backend.source);
      const e = addEdge(fromId, rid, undefined, backend.source);
      claim(backend.source, { edge: e });
      return;
    }
    const sn = serviceNode(ns, backend.service, backend.serviceSource ?? backend.source);
    const e = addEdge(fromId, sn.id, portLabel(backend.port), backend.source);
    claim(backend.source, { edge: e });
    const svc = services.get(`${ns}/${backend.service}`);
    if (svc && svc.type !== 'ExternalName') {
      const p = backend.port;
      const ok = p !== undefined && svc.ports.some((sp) => (typeof p === 'number' ? sp.port === p : sp.name === p));
      if (!ok) {
        const list = svc.ports.map((sp) => `${sp.port}${sp.name ? '/' + sp.name : ''}`).join(', ') || 'none';
        e.problems.push({ severity: 'error', message: p === undefined ? `the backend names no port of Service ${idText(svc.id)} (ports: ${list})` : `Service ${idText(svc.id)} has no port ${typeof p === 'number' ? p : `named "${p}"`} (ports: ${list})`, location: toLocation(host, backend.portSource ?? backend.source) });
      }
    }
  };

  const secretsByKey = new Map(cluster.secrets.map((s) => [idText(s.id), s]));
  const tlsOf = (ing: IngressInfo, hostName: string): GraphNode['tls'] | undefined => {
    if (!hostName) return undefined;
    const entry = ing.tls.find((t) => t.hosts.some((h) => hostCovers(h, hostName)));
    if (!entry) return undefined;
    if (!entry.secretName) return { state: 'warning', message: 'TLS without a secretName: the controller\'s default certificate is used' };
    const secret = secretsByKey.get(`${ing.id.namespace}/${entry.secretName}`);
    if (!secret) return { state: 'warning', message: `TLS Secret ${ing.id.namespace}/${entry.secretName} is not defined in these manifests` };
    if (secret.type !== 'kubernetes.io/tls') return { state: 'warning', message: `TLS Secret ${ing.id.namespace}/${entry.secretName} has type ${secret.type}, not kubernetes.io/tls` };
    return { state: 'secure', message: `TLS with Secret ${ing.id.namespace}/${entry.secretName}` };
  };

  const ingresses = [...cluster.ingresses].sort((a, c) => (idText(a.id) < idText(c.id) ? -1 : idText(a.id) > idText(c.id) ? 1 : 0));
  for (const ing of ingresses) {
    const cls = classOf(ing);
    const hostIds: string[] = [];
    ing.rules.forEach((rule, ri) => {
      const hostName = (rule.host ?? '').toLowerCase();
      const hid = nodeId.host(hostName);
      const hn = addNode({ id: hid, kind: 'host', label: hostName || '* (any host)', details: [] }, rule.source);
      if (!hostIds.includes(hid)) hostIds.push(hid);
      tag(hn, hostName, cls);
      claim(rule.source, { node: hn });
      const tls = tlsOf(ing, hostName);
      if (tls && (!hn.tls || tls.state === 'warning')) hn.tls = tls;
      if (tls) {
        const entry = ing.tls.find((t) => t.hosts.some((h) => hostCovers(h, hostName)));
        claim(entry?.source, { node: hn }, true);
        if (entry?.secretName) claim(ranges.get(`Secret/${ing.id.namespace}/${entry.secretName}`), { node: hn }, true);
      }
      rule.paths.forEach((p, pi) => {
        const pid = nodeId.path(ing, ri, pi);
        const pn = addNode(
          { id: pid, kind: 'path', label: p.path ?? '(no path)', namespace: ing.id.namespace, details: [p.pathType, `Ingress ${idText(ing.id)}`, `class ${cls}`] },
          p.source,
        );
        tag(pn, hostName, cls);
        claim(p.source, { node: pn });
        addEdge(hid, pid);
        if (p.backend) linkBackend(pid, ing, p.backend);
        else pn.problems.push({ severity: 'error', message: 'this path has no backend' });
      });
    });
    if (ing.defaultBackend) {
      const did = nodeId.defaultBackend(ing);
      const dn = addNode({ id: did, kind: 'default', label: 'default backend', namespace: ing.id.namespace, details: [`Ingress ${idText(ing.id)}`, `class ${cls}`, ...(ing.rules.length ? [] : ['catch-all (no rules)'])] }, ing.defaultBackend.source);
      claim(ing.defaultBackend.source, { node: dn });
      const from = ing.rules.length ? hostIds : [nodeId.host('')];
      if (!ing.rules.length) {
        const hn = addNode({ id: from[0], kind: 'host', label: '* (any host)', details: [] }, ing.source);
        tag(hn, '', cls);
      }
      for (const hid of from) {
        addEdge(hid, did);
        const hn = b.nodes.get(hid)!;
        tag(dn, hn.hosts[0], cls);
      }
      linkBackend(did, ing, ing.defaultBackend);
    }
    // Ingress-wide diagnostics (apiVersion, class) land on its first host or default backend.
    const first = b.nodes.get(hostIds[0] ?? nodeId.defaultBackend(ing));
    if (first) claim(ranges.get(`Ingress/${ing.id.namespace}/${ing.id.name}`), { node: first });
  }

  // Services reachable from outside the cluster by themselves.
  for (const svc of services.values()) {
    const entries: string[] = [];
    if (svc.type === 'NodePort' || svc.type === 'LoadBalancer') {
      const nodePorts = svc.ports.map((p) => p.nodePort).filter((x): x is number => x !== undefined);
      entries.push(`${svc.type}${nodePorts.length ? ` :${nodePorts.join(', :')}` : ''}`);
    }
    if (svc.externalIPs.length) entries.push(`externalIPs ${svc.externalIPs.join(', ')}`);
    if (!entries.length) continue;
    const en = addNode({ id: nodeId.entry(svc), kind: 'entry', label: entries[0], namespace: svc.id.namespace, details: [...entries.slice(1), `Service ${idText(svc.id)}`] }, svc.source);
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
  attachDiagnostics(b, host);

  let nodes = [...b.nodes.values()];
  let edges = [...b.edges.values()];
  if (params.scope === 'file' && params.uri) {
    const keep = inScope(b, params.uri);
    nodes = nodes.filter((n) => keep.has(n.id));
    edges = edges.filter((e) => keep.has(e.from) && keep.has(e.to));
  }
  const uniq = (xs: (string | undefined)[]) => [...new Set(xs.filter((x): x is string => x !== undefined))].sort();
  return {
    scope: params.scope,
    ...(params.uri ? { uri: params.uri } : {}),
    nodes,
    edges,
    namespaces: uniq(nodes.map((n) => n.namespace)),
    hosts: uniq(nodes.filter((n) => n.kind === 'host').flatMap((n) => n.hosts)),
    ingressClasses: uniq(nodes.flatMap((n) => n.classes)),
  };
}

const RANK: Record<GraphNode['kind'], number> = { host: 0, entry: 0, path: 1, default: 1, service: 2, missing: 2, workload: 3 };

/** Services and workloads carry the hosts and classes of the routes through them. */
function propagateTags(b: Build): void {
  const edges = [...b.edges.values()].sort((x, y) => RANK[b.nodes.get(x.from)!.kind] - RANK[b.nodes.get(y.from)!.kind]);
  for (const e of edges) {
    const from = b.nodes.get(e.from)!;
    const to = b.nodes.get(e.to)!;
    if (from.kind === 'host') continue; // paths carry their own host and class
    for (const h of from.hosts) if (!to.hosts.includes(h)) to.hosts.push(h);
    for (const c of from.classes) if (!to.classes.includes(c)) to.classes.push(c);
  }
}

function messageText(m: Diagnostic['message']): string {
  return typeof m === 'string' ? m : m.value;
}

/** Each diagnostic of an open document goes to the smallest node or edge range that contains it. */
function attachDiagnostics(b: Build, host: PreviewHost): void {
  const byUri = new Map<string, Claim[]>();
  for (const c of b.claims) {
    const list = byUri.get(c.uri);
    if (list) list.push(c);
    else byUri.set(c.uri, [c]);
  }
  for (const file of host.openDiagnostics()) {
    const claims = byUri.get(file.uri);
    if (!claims) continue;
    for (const d of file.diagnostics) {
      const at = file.offsetAt(d.range.start);
      let best = Infinity;
      let winners: Claim[] = [];
      for (const c of claims) {
        if (at < c.start || at > c.end) continue;
        const len = c.end - c.start;
        if (len < best) {
          best = len;
          winners = [c];
        } else if (len === best) winners.push(c);
      }
      const seen = new Set<object>();
      for (const c of winners) {
        const target = c.edge ?? c.node!;
        if (seen.has(target)) continue;
        seen.add(target);
        const problem: Problem = {
          severity: SEVERITY[d.severity ?? 1] ?? 'error',
          message: messageText(d.message),
          ...(d.code !== undefined ? { code: String(d.code) } : {}),
          location: { uri: file.uri, range: d.range },
        };
        // The server's own diagnostic replaces what the graph found by itself at the same place.
        target.problems = target.problems.filter((p) => p.code !== undefined || p.severity !== problem.severity);
        if (!target.problems.some((p) => p.message === problem.message)) target.problems.push(problem);
        if (c.tls && c.node && (problem.severity === 'error' || problem.severity === 'warning')) c.node.tls = { state: 'warning', message: messageText(d.message) };
      }
    }
  }
}

/** Nodes defined in the file, everything they route to, and everything that routes to them. */
function inScope(b: Build, uri: string): Set<string> {
  const seeds = [...b.uris].filter(([, uris]) => uris.has(uri)).map(([id]) => id);
  const out = new Map<string, string[]>();
  const inn = new Map<string, string[]>();
  for (const e of b.edges.values()) {
    (out.get(e.from) ?? out.set(e.from, []).get(e.from)!).push(e.to);
    (inn.get(e.to) ?? inn.set(e.to, []).get(e.to)!).push(e.from);
  }
  const keep = new Set<string>(seeds);
  for (const adj of [out, inn]) {
    const stack = [...seeds];
    const seen = new Set(seeds);
    while (stack.length) {
      const id = stack.pop()!;
      for (const next of adj.get(id) ?? []) {
        if (seen.has(next)) continue;
        seen.add(next);
        keep.add(next);
        stack.push(next);
      }
    }
  }
  return keep;
}

// ---------------------------------------------------------------------------------------------------
// URL tester

function pathNodeOf(cluster: Cluster, ingress: string, source: SourceRef | undefined): string | undefined {
  if (!source) return undefined;
  for (const ing of cluster.ingresses) {
    if (idText(ing.id) !== ingress) continue;
    for (let ri = 0; ri < ing.rules.length; ri++) {
      const pi = ing.rules[ri].paths.findIndex((p) => p.source && p.source.uri === source.uri && p.source.start === source.start);
      if (pi >= 0) return nodeId.path(ing, ri, pi);
    }
  }
  return undefined;
}

export function testUrl(cluster: Cluster, host: PreviewHost, params: TestUrlParams): TestUrlResult {
  const r = resolveRoute(cluster, params.url, { ...(params.ingressClass ? { ingressClass: params.ingressClass } : {}), ...(params.implementationSpecific ? { implementationSpecific: params.implementationSpecific } : {}) });
  const problems: Problem[] = r.problems.map((p) => ({ severity: 'error', message: p.message, location: toLocation(host, p.source) }));
  for (const c of r.conflicts) problems.push({ severity: 'warning', message: c.message });
  const base = { url: params.url, problems, notes: r.notes };
  const m = r.match;
  if (!m) {
    const near = r.nearest;
    const nearNode = near && near.path !== null ? pathNodeOf(cluster, near.ingress, near.source) : near ? nodeId.host(near.host) : undefined;
    const nearText = near ? ` Nearest rule: ${near.host ?? '(any host)'}${near.path !== null ? ` ${near.pathType} ${near.path}` : ''} in Ingress ${near.ingress} (${near.why}).` : '';
    return {
      ...base,
      matched: false,
      summary: `No rule matches ${params.url}: ${r.reason ?? 'no Ingress serves it'}.${nearText}`,
      highlight: { nodes: [], edges: [] },
      ...(near ? { nearest: { ingress: near.ingress, host: near.host, path: near.path, pathType: near.pathType, why: near.why, location: toLocation(host, near.source), ...(nearNode ? { node: nearNode } : {}) } } : {}),
    };
  }
  const nodes: string[] = [];
  const edges: string[] = [];
  const [ns] = m.ingress.split('/');
  const hid = nodeId.host(m.host);
  const mid = m.defaultBackend ? `default:${m.ingress}` : pathNodeOf(cluster, m.ingress, m.source);
  if (mid) {
    nodes.push(hid, mid);
    edges.push(edgeId(hid, mid));
    if ('service' in m.backend) {
      const sid = nodeId.service(ns, m.backend.service);
      nodes.push(sid);
      edges.push(edgeId(mid, sid));
      for (const pod of r.pods) {
        const [kind, rest] = pod.workload.split(' ');
        const [wns, wname] = rest.split('/');
        const wid = nodeId.workload({ kind, namespace: wns, name: wname });
        nodes.push(wid);
        edges.push(edgeId(sid, wid));
      }
    } else {
      const rid = nodeId.resource(ns, m.backend.resource.kind, m.backend.resource.name);
      nodes.push(rid);
      edges.push(edgeId(mid, rid));
    }
  }
  const rule = m.defaultBackend ? `the default backend of Ingress ${m.ingress}` : `${m.host ?? '(any host)'} ${m.pathType} ${m.path} in Ingress ${m.ingress}`;
  return {
    ...base,
    matched: true,
    summary: `${params.url} → ${backendText(m.backend)}: ${rule}, chosen as ${m.why}.`,
    matchKind: m.defaultBackend ? 'default-backend' : m.matchedAs ?? undefined,
    ingress: m.ingress,
    host: m.host,
    path: m.path,
    pathType: m.pathType,
    backend: backendText(m.backend),
    highlight: { nodes, edges },
    location: toLocation(host, m.source),
  };
}

// ---------------------------------------------------------------------------------------------------
// Reachability

function fileNamespaces(host: PreviewHost, uri: string): Set<string> {
  const s = new Set<string>();
  for (const { uri: u, resource } of host.index.all()) if (u === uri) s.add(host.index.namespaceOf(resource));
  return s;
}

export function matrix(cluster: Cluster, host: PreviewHost, params: ReachMatrixParams): ReachMatrixResult {
  const m = reachMatrix(cluster, { port: params.port, protocol: params.protocol, ...(params.namespace ? { namespace: params.namespace } : {}) });
  const byName = new Map<string, WorkloadInfo>();
  for (const w of cluster.workloads) byName.set(workloadName(cluster, w), w);
  let rows = m.workloads;
  if (params.scope === 'file' && params.uri && !params.namespace) {
    const nss = fileNamespaces(host, params.uri);
    const inFile = rows.filter((w) => nss.has(w.namespace));
    if (inFile.length) rows = inFile;
  }
  const index = new Map(rows.map((w, i) => [w.name, i]));
  const allowed: (boolean | null)[][] = rows.map((_, i) => rows.map((__, j) => (i === j ? null : false)));
  for (const c of m.cells) {
    const i = index.get(c.from);
    const j = index.get(c.to);
    if (i !== undefined && j !== undefined) allowed[i][j] = c.allowed;
  }
  return {
    port: m.port,
    protocol: m.protocol,
    ...(params.namespace ? { namespace: params.namespace } : {}),
    namespaces: [...new Set(cluster.workloads.map((w) => w.id.namespace))].sort(),
    workloads: rows.map((w) => ({ name: w.name, kind: w.kind, namespace: w.namespace, location: toLocation(host, byName.get(w.name)?.source) })),
    allowed,
  };
}

export function explainCell(cluster: Cluster, host: PreviewHost, params: ExplainCellParams): ExplainCellResult {
  const base = { from: params.from, to: params.to, port: params.port, protocol: params.protocol };
  try {
    const r = evaluateReach(cluster, params.from, params.to, params.port, params.protocol);
    const policies: ExplainCellResult['policies'] = [
      ...r.egress.policies.map((p) => ({ name: p.name, side: 'egress' as const, location: toLocation(host, p.source) })),
      ...r.ingress.policies.map((p) => ({ name: p.name, side: 'ingress' as const, location: toLocation(host, p.source) })),
    ];
    return {
      ...base,
      allowed: r.allowed,
      reasons: r.reasons.map((x) => ({ side: x.side, message: x.message, ...(x.policy ? { policy: x.policy } : {}), ...(x.rule ? { rule: x.rule } : {}), details: x.details ?? [], location: toLocation(host, x.source) })),
      policies,
    };
  } catch (e) {
    if (e instanceof EndpointError) return { ...base, allowed: false, error: e.message, reasons: [], policies: [] };
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------
// Registration

export function registerPreview(connection: Connection, host: PreviewHost, log: (message: string) => void): void {
  const handle = <P, R>(method: PreviewMethodName, f: (cluster: Cluster, p: P) => R) =>
    connection.onRequest(method, (params: unknown): unknown => {
      const err = paramsError(method, params);
      if (err) return new ResponseError(ErrorCodes.InvalidParams, `${method}: ${err}`);
      try {
        host.flush();
        return f(buildCluster(host.index), params as P);
      } catch (e) {
        log(`${method} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        return new ResponseError(ErrorCodes.InternalError, `${method} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
  handle<RouteGraphParams, RouteGraph>(PreviewMethod.routeGraph, (c, p) => buildRouteGraph(c, host, p));
  handle<TestUrlParams, TestUrlResult>(PreviewMethod.testUrl, (c, p) => testUrl(c, host, p));
  handle<ReachMatrixParams, ReachMatrixResult>(PreviewMethod.reachMatrix, (c, p) => matrix(c, host, p));
  handle<ExplainCellParams, ExplainCellResult>(PreviewMethod.explainCell, (c, p) => explainCell(c, host, p));
}
