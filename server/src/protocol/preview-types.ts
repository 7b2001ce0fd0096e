// The routing preview's protocol types: the shapes every request shares, the requests (route graph,
// URL test, reachability matrix, a cell's explanation) with their params and results, and their
// method names. Imported through ./preview.ts.

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
  /** allowed[row][col]; on the diagonal the service hairpin verdict (the row reaching itself through
   * the Service hairpin[row] names), null when no Service sends the port back to the row. */
  allowed: (boolean | null)[][];
  /** The tier that decided each cell (Admin, NetworkPolicy, calico:<tier>, Baseline, Default), when
   * policies beyond NetworkPolicy are involved; null on an empty diagonal cell. */
  tiers?: (string | null)[][];
  /** Per row, the Service (`ns/name`) through which its diagonal cell is a service hairpin; null: none. */
  hairpin?: (string | null)[];
}

export interface ExplainCellParams {
  from: string;
  to: string;
  /** The connection is addressed to this Service (`ns/name`); with from = to, service hairpin. */
  service?: string;
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
  /** The Service the connection went through (service hairpin when from = to). */
  service?: string;
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
