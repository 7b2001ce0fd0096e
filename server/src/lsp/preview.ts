// The routing preview's requests (server/src/protocol/preview.ts): the route graph (./preview-graph.ts),
// the URL tester (here), the reachability matrix and a cell's explanation (./preview-reach.ts). The engine computes (routeGraph,
// resolveRoute, reachMatrix, evaluateReach); this file and ./preview-graph.ts map its answers to
// protocol types and positions. The webview only draws.

import type { Connection } from 'vscode-languageserver';
import { ErrorCodes, ResponseError } from 'vscode-languageserver';
import { buildCluster } from '../model/cluster';
import { resolveRoute, backendText, routeGraph, gatewayMatchFacts } from '../engine/route';
import type { RouteGraphProblem } from '../engine/route';
import type { GatewayMatch } from '../engine/gateway';
import {
  findGateway,
  followService,
  parseHeaderArg,
  resolveGatewayRoute,
  streamScheme,
} from '../engine/gateway';
import { gatewayNodeId } from './preview-gateway';
import type { Cluster, SourceRef } from '../engine/types';
import { idText } from '../engine/types';
import { PreviewMethod, paramsError } from '../protocol/preview';
import type {
  ExplainCellParams,
  ExplainCellResult,
  PreviewMethodName,
  Problem,
  ReachMatrixParams,
  ReachMatrixResult,
  RouteGraph,
  RouteGraphParams,
  TestUrlParams,
  TestUrlResult,
} from '../protocol/preview';
import type { PreviewHost } from './preview-graph';
import { edgeId, nodeId, routeGraphView, toLocation } from './preview-graph';
import { underRuleSeverity } from './preview-claims';
import { explainCell, matrix } from './preview-reach';

export type { PreviewHost } from './preview-graph';
export { nodeId, routeGraphView } from './preview-graph';
export { explainCell, matrix } from './preview-reach';

// ---------------------------------------------------------------------------------------------------
// URL tester

function pathNodeOf(cluster: Cluster, ingress: string, source: SourceRef | undefined): string | undefined {
  if (!source) return undefined;
  // the route graph's entry of that path: its id is the path node's
  const entry = routeGraph(cluster).entries.find(
    (e) =>
      e.kind === 'ingress-path' &&
      idText(e.ingress.id) === ingress &&
      e.path.source?.uri === source.uri &&
      e.path.source.start === source.start,
  );
  return entry?.id;
}

/** The route graph problems along the backends a Gateway match sends to (each once), as `route
 * --gateway` lists them. */
function gatewayBackendProblems(cluster: Cluster, m: GatewayMatch): RouteGraphProblem[] {
  return gatewayMatchFacts(routeGraph(cluster).entries, m).problems;
}

function graphProblemOf(host: PreviewHost, p: RouteGraphProblem): Problem {
  const location = toLocation(host, p.at);
  return { severity: p.severity, message: p.message, code: p.ruleId, ...(location ? { location } : {}) };
}

/** The URL tester against a Gateway: the answer of engine/gateway, and the nodes and edges it takes
 * (Gateway → listener → rule → Service → workloads). */
function testGatewayUrl(
  cluster: Cluster,
  host: PreviewHost,
  params: TestUrlParams & { gateway: string },
): TestUrlResult {
  const headers = (params.headers ?? [])
    .map((h) => parseHeaderArg(h))
    .filter((h): h is [string, string] => !!h);
  const r = resolveGatewayRoute(cluster, params.url, {
    gateway: params.gateway,
    method: params.method || 'GET',
    headers,
  });
  const base = {
    url: params.url,
    gateway: params.gateway,
    problems: [] as Problem[],
    notes: r.notes,
    ...(r.listener ? { listener: r.listener } : {}),
  };
  if (r.error) return { ...base, matched: false, summary: r.error, highlight: { nodes: [], edges: [] } };
  const m = r.match;
  if (!m)
    return {
      ...base,
      matched: false,
      summary: `${r.method ? `${r.method} ` : ''}${params.url}: ${r.reason ?? '404'}`,
      highlight: { nodes: [], edges: [] },
    };
  const gw = findGateway(cluster, params.gateway);
  const nodes: string[] = [];
  const edges: string[] = [];
  const step = (from: string, to: string) => {
    if (!nodes.includes(from)) nodes.push(from);
    if (!nodes.includes(to)) nodes.push(to);
    edges.push(edgeId(from, to));
  };
  if (!('error' in gw)) {
    const gid = gatewayNodeId.gateway(gw.id.namespace, gw.id.name);
    const owner = m.listenerSet ?? `${gw.id.namespace}/${gw.id.name}`;
    const lid = gatewayNodeId.listener(`${owner}/${m.listener}`);
    const route = (cluster.gatewayRoutes ?? []).find(
      (x) => `${x.id.namespace}/${x.id.name}` === m.route && x.id.kind === m.routeKind,
    );
    step(gid, lid);
    if (route) {
      const rid = gatewayNodeId.rule(route, m.rule);
      step(lid, rid);
      for (const b of m.backends.filter((x) => x.weight > 0)) {
        const sid = b.kind
          ? `res:${b.namespace}/${b.kind}/${b.service}`
          : nodeId.service(b.namespace, b.service);
        step(rid, sid);
      }
      if (m.backend && !m.invalid) {
        for (const pod of followService(cluster, m.backend.namespace, m.backend.service, m.backend.port)
          .pods) {
          const [kind, rest] = pod.workload.split(' ');
          const [wns, wname] = rest.split('/');
          step(
            nodeId.service(m.backend.namespace, m.backend.service),
            nodeId.workload({ kind, namespace: wns, name: wname }),
          );
        }
      }
    }
  }
  const filters = [...m.filters, ...m.backends.flatMap((b) => b.filters)].map((f) =>
    f.redirect
      ? `${f.type}: ${f.redirect.statusCode} → ${f.redirect.location}`
      : f.rewrite
        ? `${f.type}: Host ${f.rewrite.hostname}, path ${f.rewrite.path}`
        : f.mirror
          ? `${f.type}: → ${f.mirror.namespace}/${f.mirror.service}`
          : f.type,
  );
  const answer = m.redirect
    ? `${m.status} redirect to ${m.redirect.location}`
    : m.invalid
      ? `HTTP 500: ${m.reason ?? 'invalid backend'}`
      : `${m.backend?.namespace}/${m.backend?.service}${m.backend?.port !== null ? `:${m.backend?.port}` : ''}`;
  // The route graph's facts about the backends the request reaches (a backendRef that does not
  // resolve, the Service's selector or targetPort), in the rules' words and severities, as the
  // Problems panel and the preview graph show them; an HTTP 500 the graph does not word (a
  // BackendTLSPolicy, no backendRefs) is said as the resolver says it.
  const facts = gatewayBackendProblems(cluster, m);
  const problems: Problem[] =
    m.invalid && !facts.some((p) => p.ruleId === 'route-backend-not-resolved')
      ? [
          {
            severity: 'error',
            message: `HTTP 500: ${m.reason ?? 'invalid backend'}`,
            location: toLocation(host, m.source),
          },
        ]
      : [];
  for (const p of facts) problems.push(...underRuleSeverity(host, graphProblemOf(host, p)));
  // tls://, tcp://, udp://: a connection (no method, path or match kind), answered by a TLS, TCP or
  // UDP listener and the TLSRoute, TCPRoute or UDPRoute attached to it
  const stream = streamScheme(params.url) !== undefined;
  const pathType = (m.matched as { path?: { type?: string } }).path?.type;
  return {
    ...base,
    problems,
    matched: true,
    summary: stream
      ? `${params.url} → ${m.invalid ? `connection fails: ${m.reason ?? 'invalid backend'}` : answer}: ${m.routeKind} ${m.route} (${m.why}) on listener ${m.listener}.`
      : `${r.method} ${params.url} → ${answer}: ${m.routeKind} ${m.route} rule ${m.rule} (${m.why}) on listener ${m.listener}.`,
    ...(stream
      ? {}
      : {
          matchKind:
            pathType === 'Exact'
              ? ('exact' as const)
              : pathType === 'RegularExpression'
                ? ('regex' as const)
                : ('prefix' as const),
        }),
    status: m.status,
    route: m.route,
    rule: m.rule,
    ...(m.backend
      ? {
          backend: `${m.backend.namespace}/${m.backend.service}${m.backend.port !== null ? `:${m.backend.port}` : ''}`,
        }
      : {}),
    backends: m.backends.map((b) => ({
      service: b.service,
      namespace: b.namespace,
      port: b.port,
      weight: b.weight,
      invalid: b.invalid,
      ...(b.reason ? { reason: b.reason } : {}),
    })),
    filters,
    highlight: { nodes, edges },
    location: toLocation(host, m.source),
  };
}

export function testUrl(cluster: Cluster, host: PreviewHost, params: TestUrlParams): TestUrlResult {
  if (params.gateway) return testGatewayUrl(cluster, host, { ...params, gateway: params.gateway });
  const r = resolveRoute(cluster, params.url, {
    ...(params.ingressClass ? { ingressClass: params.ingressClass } : {}),
    ...(params.implementationSpecific ? { implementationSpecific: params.implementationSpecific } : {}),
  });
  const problems: Problem[] = r.problems.flatMap((p) =>
    underRuleSeverity(host, {
      severity: p.severity ?? 'error',
      message: p.message,
      ...(p.ruleId ? { code: p.ruleId } : {}),
      location: toLocation(host, p.source),
    }),
  );
  for (const c of r.conflicts) problems.push({ severity: 'warning', message: c.message });
  const base = { url: params.url, problems, notes: r.notes };
  const m = r.match;
  if (!m) {
    const near = r.nearest;
    const nearNode =
      near && near.path !== null
        ? pathNodeOf(cluster, near.ingress, near.source)
        : near
          ? nodeId.host(near.host)
          : undefined;
    const nearText = near
      ? ` Nearest rule: ${near.host ?? '(any host)'}${near.path !== null ? ` ${near.pathType} ${near.path}` : ''} in Ingress ${near.ingress} (${near.why}).`
      : '';
    return {
      ...base,
      matched: false,
      summary: `No rule matches ${params.url}: ${r.reason ?? 'no Ingress serves it'}.${nearText}`,
      highlight: { nodes: [], edges: [] },
      ...(near
        ? {
            nearest: {
              ingress: near.ingress,
              host: near.host,
              path: near.path,
              pathType: near.pathType,
              why: near.why,
              location: toLocation(host, near.source),
              ...(nearNode ? { node: nearNode } : {}),
            },
          }
        : {}),
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
  const rule = m.defaultBackend
    ? `the default backend of Ingress ${m.ingress}`
    : `${m.host ?? '(any host)'} ${m.pathType} ${m.path} in Ingress ${m.ingress}`;
  return {
    ...base,
    matched: true,
    summary: `${params.url} → ${backendText(m.backend)}: ${rule}, chosen as ${m.why}.`,
    matchKind: m.defaultBackend ? 'default-backend' : (m.matchedAs ?? undefined),
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
// Registration

export function registerPreview(
  connection: Connection,
  host: PreviewHost,
  log: (message: string) => void,
): void {
  const handle = <P, R>(method: PreviewMethodName, f: (cluster: Cluster, p: P) => R) =>
    connection.onRequest(method, (params: unknown): unknown => {
      const err = paramsError(method, params);
      if (err) return new ResponseError(ErrorCodes.InvalidParams, `${method}: ${err}`);
      try {
        host.flush();
        return f(buildCluster(host.index), params as P);
      } catch (e) {
        log(`${method} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return new ResponseError(
          ErrorCodes.InternalError,
          `${method} failed: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    });
  handle<RouteGraphParams, RouteGraph>(PreviewMethod.routeGraph, (c, p) => routeGraphView(c, host, p));
  handle<TestUrlParams, TestUrlResult>(PreviewMethod.testUrl, (c, p) => testUrl(c, host, p));
  handle<ReachMatrixParams, ReachMatrixResult>(PreviewMethod.reachMatrix, (c, p) => matrix(c, host, p));
  handle<ExplainCellParams, ExplainCellResult>(PreviewMethod.explainCell, (c, p) => explainCell(c, host, p));
}
