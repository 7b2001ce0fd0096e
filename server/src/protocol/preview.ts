// The routing preview's protocol, defined once: custom LSP requests (server ↔ client) and the messages
// between the VS Code client and its webview. Imported by the server, the client and the webview, so it
// must import nothing from vscode, vscode-languageserver or Node.

// ---------------------------------------------------------------------------------------------------
// Shared shapes

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A place in a manifest, for "reveal in editor". */
export interface Location {
  uri: string;
  range: Range;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface Problem {
  severity: Severity;
  message: string;
  /** Rule id when the problem is a diagnostic of the language server. */
  code?: string;
  location?: Location;
}

export type Scope = 'file' | 'workspace';

// ---------------------------------------------------------------------------------------------------
// kubeNetlens/routeGraph

export interface RouteGraphParams {
  scope: Scope;
  /** The active file (required for scope "file"). */
  uri?: string;
}

/** host/entry/path/default: Ingress and Service entry points; gateway/listener/rule: Gateway API
 * (Gateway → listener → route rule); service/missing/workload: where the traffic goes. */
export type GraphNodeKind =
  | 'host'
  | 'entry'
  | 'path'
  | 'default'
  | 'gateway'
  | 'listener'
  | 'rule'
  | 'service'
  | 'missing'
  | 'workload';

export interface TlsState {
  /** secure: a tls entry covers the host with a usable Secret; warning: covered, but something is wrong. */
  state: 'secure' | 'warning';
  message: string;
}

export interface GraphNode {
  /** Stable across edits (built from names and indexes, not offsets). */
  id: string;
  kind: GraphNodeKind;
  label: string;
  /** Further lines shown under the label (pathType, ports, replicas, ...). */
  details: string[];
  namespace?: string;
  /** Hosts whose routes pass through this node (for the host filter). */
  hosts: string[];
  /** IngressClasses of the routes through this node (for the class filter); "(none)" for class-less. */
  classes: string[];
  tls?: TlsState;
  problems: Problem[];
  location?: Location;
}

export interface GraphEdge {
  id: string;
  from: string;
  to: string;
  label?: string;
  /** A refused attachment (a listener refusing a route): drawn as such, its problems say why. */
  refused?: boolean;
  /** The filters applied on the way (Gateway API: redirect, rewrite, header modifiers, mirror). */
  filters?: string[];
  problems: Problem[];
  location?: Location;
}

export interface RouteGraph {
  scope: Scope;
  uri?: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  namespaces: string[];
  hosts: string[];
  ingressClasses: string[];
  /** "namespace/name" of the Gateways in the graph (the URL tester resolves against one of them). */
  gateways?: string[];
}

// ---------------------------------------------------------------------------------------------------
// kubeNetlens/testUrl

export interface TestUrlParams {
  url: string;
  ingressClass?: string;
  /** How ImplementationSpecific paths match (default prefix); 'regex' as ingress-nginx's use-regex. */
  implementationSpecific?: 'prefix' | 'exact' | 'regex';
  /** Resolve against this Gateway ("namespace/name") instead of the Ingresses. */
  gateway?: string;
  /** Gateway only: the request method (default GET) and headers ("Name: value"). */
  method?: string;
  headers?: string[];
}

export interface TestUrlResult {
  url: string;
  matched: boolean;
  /** One line: which rule matched and why (Exact, longest Prefix, default backend), or why none did. */
  summary: string;
  /** How the path was chosen. */
  matchKind?: 'exact' | 'prefix' | 'regex' | 'default-backend';
  ingress?: string;
  host?: string | null;
  path?: string | null;
  pathType?: string | null;
  backend?: string;
  /** Nodes and edges of the route graph that the request passes through. */
  highlight: { nodes: string[]; edges: string[] };
  nearest?: {
    ingress: string;
    host: string | null;
    path: string | null;
    pathType: string | null;
    why: string;
    location?: Location;
    node?: string;
  };
  problems: Problem[];
  notes: string[];
  location?: Location;
  /** Gateway: what the Gateway answers (200, a redirect's 3xx, 500) and the steps of the route. */
  status?: number;
  gateway?: string;
  listener?: string;
  route?: string;
  rule?: number;
  backends?: {
    service: string;
    namespace: string;
    port: number | null;
    weight: number;
    invalid: boolean;
    reason?: string;
  }[];
  filters?: string[];
}

// ---------------------------------------------------------------------------------------------------
// kubeNetlens/reachMatrix and kubeNetlens/explainCell

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface ReachMatrixParams {
  scope: Scope;
  uri?: string;
  /** A number or a port name (resolved on each destination). */
  port: number | string;
  protocol: Protocol;
  namespace?: string;
}

export interface MatrixWorkload {
  /** The name explainCell takes ("ns/name" or "Kind/ns/name"). */
  name: string;
  kind: string;
  namespace: string;
  location?: Location;
}

export interface ReachMatrixResult {
  port: number | string;
  protocol: Protocol;
  namespace?: string;
  namespaces: string[];
  workloads: MatrixWorkload[];
  /** allowed[row][col] for row ≠ col; null on the diagonal. */
  allowed: (boolean | null)[][];
  /** The tier that decided each cell (Admin, NetworkPolicy, calico:<tier>, Baseline, Default), when
   * policies beyond NetworkPolicy are involved; null on the diagonal. */
  tiers?: (string | null)[][];
}

export interface ExplainCellParams {
  from: string;
  to: string;
  port: number | string;
  protocol: Protocol;
}

export interface ExplainReason {
  side: 'egress' | 'ingress';
  message: string;
  policy?: string;
  rule?: string;
  details: string[];
  location?: Location;
  /** The tier of the deciding policy, and its action as written. */
  tier?: string;
  action?: string;
}

export interface ExplainCellResult {
  from: string;
  to: string;
  port: number | string;
  protocol: Protocol;
  allowed: boolean;
  /** Set when the endpoints cannot be resolved; the rest is then empty. */
  error?: string;
  reasons: ExplainReason[];
  /** Every policy that isolates either side, with a link. */
  policies: { name: string; side: 'egress' | 'ingress'; location?: Location }[];
  /** The tier that decided, and the policies consulted on each side in order (`Admin: ClusterNetworkPolicy x ingress[0] → pass`). */
  tier?: string;
  chain?: string[];
}

// ---------------------------------------------------------------------------------------------------
// The requests

export const PreviewMethod = {
  routeGraph: 'kubeNetlens/routeGraph',
  testUrl: 'kubeNetlens/testUrl',
  reachMatrix: 'kubeNetlens/reachMatrix',
  explainCell: 'kubeNetlens/explainCell',
} as const;

export interface PreviewRequests {
  'kubeNetlens/routeGraph': { params: RouteGraphParams; result: RouteGraph };
  'kubeNetlens/testUrl': { params: TestUrlParams; result: TestUrlResult };
  'kubeNetlens/reachMatrix': { params: ReachMatrixParams; result: ReachMatrixResult };
  'kubeNetlens/explainCell': { params: ExplainCellParams; result: ExplainCellResult };
}

export type PreviewMethodName = keyof PreviewRequests;

const METHODS = new Set<string>(Object.values(PreviewMethod));

export function isPreviewMethod(m: unknown): m is PreviewMethodName {
  return typeof m === 'string' && METHODS.has(m);
}

// ---------------------------------------------------------------------------------------------------
// Validation (both sides): plain checks, no schema library

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const isStr = (x: unknown, max = 4096): x is string => typeof x === 'string' && x.length <= max;
const optStr = (x: unknown, max = 4096) => x === undefined || isStr(x, max);
const isScope = (x: unknown): x is Scope => x === 'file' || x === 'workspace';
const isProtocol = (x: unknown): x is Protocol => x === 'TCP' || x === 'UDP' || x === 'SCTP';
const isPort = (x: unknown): x is number | string =>
  (typeof x === 'number' && Number.isInteger(x) && x >= 1 && x <= 65535) ||
  (typeof x === 'string' && /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(x));

/** Why the params of a preview request are not acceptable; undefined when they are. */
export function paramsError(method: PreviewMethodName, p: unknown): string | undefined {
  if (!isObject(p)) return 'the parameters must be an object';
  switch (method) {
    case PreviewMethod.routeGraph:
      if (!isScope(p.scope)) return 'scope must be "file" or "workspace"';
      if (!optStr(p.uri)) return 'uri must be a string';
      if (p.scope === 'file' && !p.uri) return 'scope "file" needs a uri';
      return undefined;
    case PreviewMethod.testUrl:
      if (!isStr(p.url, 2048)) return 'url must be a string of at most 2048 characters';
      if (!optStr(p.ingressClass, 253)) return 'ingressClass must be a string';
      if (
        p.implementationSpecific !== undefined &&
        !['prefix', 'exact', 'regex'].includes(p.implementationSpecific as string)
      )
        return 'implementationSpecific must be "prefix", "exact" or "regex"';
      if (!optStr(p.gateway, 600)) return 'gateway must be a string';
      if (p.method !== undefined && !(isStr(p.method, 32) && /^[A-Za-z]*$/.test(p.method)))
        return 'method must be an HTTP method';
      if (
        p.headers !== undefined &&
        !(Array.isArray(p.headers) && p.headers.length <= 64 && p.headers.every((h) => isStr(h, 8192)))
      )
        return 'headers must be at most 64 strings';
      return undefined;
    case PreviewMethod.reachMatrix:
      if (!isScope(p.scope)) return 'scope must be "file" or "workspace"';
      if (!optStr(p.uri) || !optStr(p.namespace, 253)) return 'uri and namespace must be strings';
      if (p.scope === 'file' && !p.uri) return 'scope "file" needs a uri';
      if (!isPort(p.port)) return 'port must be a number from 1 to 65535 or a port name';
      if (!isProtocol(p.protocol)) return 'protocol must be TCP, UDP or SCTP';
      return undefined;
    case PreviewMethod.explainCell:
      if (!isStr(p.from, 600) || !isStr(p.to, 600)) return 'from and to must be strings';
      if (!isPort(p.port)) return 'port must be a number from 1 to 65535 or a port name';
      if (!isProtocol(p.protocol)) return 'protocol must be TCP, UDP or SCTP';
      return undefined;
  }
  return 'unknown method';
}

/** A light structural check of a result before the webview renders it. */
export function resultError(method: PreviewMethodName, r: unknown): string | undefined {
  if (!isObject(r)) return 'the result is not an object';
  switch (method) {
    case PreviewMethod.routeGraph:
      if (!Array.isArray(r.nodes) || !Array.isArray(r.edges)) return 'a route graph needs nodes and edges';
      for (const n of r.nodes)
        if (
          !isObject(n) ||
          !isStr(n.id) ||
          !isStr(n.label, 100000) ||
          !Array.isArray(n.details) ||
          !Array.isArray(n.problems)
        )
          return 'malformed node';
      for (const e of r.edges)
        if (!isObject(e) || !isStr(e.id) || !isStr(e.from) || !isStr(e.to) || !Array.isArray(e.problems))
          return 'malformed edge';
      return undefined;
    case PreviewMethod.testUrl:
      if (typeof r.matched !== 'boolean' || !isStr(r.summary, 100000) || !isObject(r.highlight))
        return 'malformed URL test result';
      return undefined;
    case PreviewMethod.reachMatrix:
      if (!Array.isArray(r.workloads) || !Array.isArray(r.allowed)) return 'malformed matrix';
      return undefined;
    case PreviewMethod.explainCell:
      if (typeof r.allowed !== 'boolean' || !Array.isArray(r.reasons)) return 'malformed explanation';
      return undefined;
  }
  return 'unknown method';
}

// ---------------------------------------------------------------------------------------------------
// Client ↔ webview messages

/** State the webview keeps across reloads (vscode.setState) and the panel serializer restores. */
export interface PreviewViewState {
  view: 'routes' | 'reach';
  scope: Scope;
  uri?: string;
  zoom: number;
  panX: number;
  panY: number;
  selected?: string;
  filters: { namespace: string; host: string; ingressClass: string };
  url: string;
  /** URL tester: the Gateway to resolve against ('' = the Ingresses), the method and the headers (one "Name: value" a line). */
  gateway?: string;
  method?: string;
  headers?: string;
  port: string;
  protocol: Protocol;
  matrixNamespace: string;
  /** The details pane is folded to its title bar (the user's choice, kept across reloads). */
  detailsCollapsed?: boolean;
}

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'request'; id: number; method: PreviewMethodName; params: unknown }
  | { type: 'reveal'; location: Location }
  | { type: 'export'; format: 'svg' | 'markdown'; content: string }
  | { type: 'state'; state: PreviewViewState };

export type HostToWebview =
  | { type: 'init'; view: 'routes' | 'reach'; scope: Scope; uri?: string; title: string }
  | { type: 'refresh'; uri?: string; title: string }
  | { type: 'response'; id: number; result?: unknown; error?: string };

function isPosition(x: unknown): x is Position {
  return (
    isObject(x) &&
    Number.isInteger(x.line) &&
    Number.isInteger(x.character) &&
    (x.line as number) >= 0 &&
    (x.character as number) >= 0
  );
}

export function isLocation(x: unknown): x is Location {
  return (
    isObject(x) && isStr(x.uri) && isObject(x.range) && isPosition(x.range.start) && isPosition(x.range.end)
  );
}

export function isWebviewToHost(x: unknown): x is WebviewToHost {
  if (!isObject(x)) return false;
  switch (x.type) {
    case 'ready':
      return true;
    case 'request':
      return Number.isInteger(x.id) && isPreviewMethod(x.method);
    case 'reveal':
      return isLocation(x.location);
    case 'export':
      return (x.format === 'svg' || x.format === 'markdown') && isStr(x.content, 50_000_000);
    case 'state':
      return isObject(x.state);
  }
  return false;
}

export function isHostToWebview(x: unknown): x is HostToWebview {
  if (!isObject(x)) return false;
  switch (x.type) {
    case 'init':
      return (
        (x.view === 'routes' || x.view === 'reach') && isScope(x.scope) && optStr(x.uri) && isStr(x.title)
      );
    case 'refresh':
      return optStr(x.uri) && isStr(x.title);
    case 'response':
      return Number.isInteger(x.id) && optStr(x.error, 100000);
  }
  return false;
}
