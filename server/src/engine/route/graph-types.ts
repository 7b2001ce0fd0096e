// The route graph's types: entry points, edges down to the pods, TLS coverage and problems. Kept apart
// from the code that builds them (graph.ts, service-facts.ts, tls-facts.ts) so that no file imports
// another that imports it back.

import type {
  BackendAction,
  BackendInfo,
  ContainerPortInfo,
  IngressInfo,
  IngressPathInfo,
  IngressTlsInfo,
  SecretInfo,
  ServiceInfo,
  ServicePortInfo,
  SourceRef,
  WorkloadInfo,
} from '../types';
import type {
  BackendRefInfo,
  GatewayInfo,
  ListenerInfo,
  ListenerSetInfo,
  RouteInfo,
  RouteRuleInfo,
} from '../gateway/types';
import type { Condition, ListenerSetState, ListenerState } from '../gateway/graph';
import type { ListenerVerdict, ParentAttachment } from '../gateway/attach';
import type { BackendResolution } from '../gateway/refs';

export type ProblemSeverity = 'error' | 'warning' | 'information' | 'hint';

/** The rules whose problems stay within one namespace (a namespace's slice of the graph holds them). */
export const NAMESPACE_GRAPH_RULES = [
  'ingress-backend-service-missing',
  'ingress-backend-port-missing',
  'service-selector-no-match',
  'service-target-port',
  'ingress-tls-secret-missing',
  'ingress-tls-secret-type',
] as const;

/** The rules whose findings are the route graph's problems. */
export const ROUTE_GRAPH_RULES = [
  ...NAMESPACE_GRAPH_RULES,
  'route-backend-not-resolved',
  'ingress-tls-secret-conflict',
] as const;

export type RouteGraphRuleId = (typeof ROUTE_GRAPH_RULES)[number];

export interface RouteGraphProblem {
  ruleId: RouteGraphRuleId;
  severity: ProblemSeverity;
  message: string;
  /** Where the finding is reported: the value a rule points at (unknown for hand-built input). */
  at?: SourceRef;
  /** Other places the finding concerns (the other Ingress of a conflict), each with what it is there. */
  related?: (SourceRef & { message: string })[];
  /** What a quick fix needs (never read back out of the message). */
  data?: {
    /** ingress-backend-service-missing: the Service name meant. */
    suggestion?: string;
    /** ingress-backend-port-missing: the backend named the targetPort behind this Service port. */
    viaTargetPort?: number;
    /** ingress-backend-port-missing: a quoted port name that is a Service port number. */
    portNumber?: number;
    /** ingress-backend-port-missing: the Service's only port. */
    onlyPort?: number;
    /** route-backend-not-resolved: the ResolvedRefs reason (InvalidKind, RefNotPermitted, BackendNotFound), or
     * WeightZero for a rule whose backendRefs all have weight 0. */
    reason?: string;
    /** route-backend-not-resolved (RefNotPermitted): the ReferenceGrant that would permit the reference. */
    grant?: { fromKind: string; fromNamespace: string; namespace: string; name: string };
    /** route-backend-not-resolved (BackendNotFound, wrong port): the ports the Service has. */
    ports?: number[];
    /** ingress-tls-secret-conflict: the host (lower-cased) two certificates are given for. */
    host?: string;
  };
}

/** A workload behind a Service port: the container port its targetPort resolves to. */
export interface PodPort {
  workload: WorkloadInfo;
  container: string | null;
  containerPort: ContainerPortInfo | undefined;
  /** The targetPort names or numbers a container port of this workload (same protocol). */
  declared: boolean;
}

export interface ServicePortTarget {
  port: ServicePortInfo;
  pods: PodPort[];
  problems: RouteGraphProblem[];
}

export interface ServiceTarget {
  service: ServiceInfo;
  /** The selector without the labels controllers add at run time; undefined when nothing checkable is left. */
  selector?: Record<string, string>;
  /** Workloads whose pod labels match the (checkable) selector, in workspace order. */
  workloads: WorkloadInfo[];
  ports: ServicePortTarget[];
  problems: RouteGraphProblem[];
}

/** An Ingress backend and where it leads. */
export interface BackendEdge {
  backend: BackendInfo;
  namespace: string;
  /** The Service (first copy in file order) when the backend names one that exists. */
  target?: ServiceTarget;
  /** The Service port the backend chose. */
  port?: ServicePortTarget;
  /** An AWS Load Balancer Controller action (no Service is involved). */
  action?: BackendAction;
  problems: RouteGraphProblem[];
}

interface EntryBase {
  /** Stable across edits: names and indexes, never offsets. */
  id: string;
  source?: SourceRef;
}

interface IngressEntryBase extends EntryBase {
  ingress: IngressInfo;
  /** Effective class (spec.ingressClassName, annotation, or the single default class). */
  ingressClass: string | null;
  backend?: BackendEdge;
}

/** One path of an Ingress rule. */
export interface IngressPathEntry extends IngressEntryBase {
  kind: 'ingress-path';
  /** Lower-cased; null for a rule without host (every host). */
  host: string | null;
  rule: number;
  index: number;
  path: IngressPathInfo;
}

/** The default backend of an Ingress: for the hosts of its rules, or for every host when it has none. */
export interface IngressDefaultEntry extends IngressEntryBase {
  kind: 'ingress-default';
  /** Hosts of the Ingress's rules (null for a rule without host); empty for a catch-all. */
  hosts: (string | null)[];
}

/** A Gateway API listener: of a Gateway, or of a ListenerSet (accepted by its Gateway or not). The
 * entry of the requests and connections that reach the Gateway on its port and hostname. */
export interface GatewayListenerEntry extends EntryBase {
  kind: 'gateway-listener';
  /** The Gateway it belongs to (undefined: a ListenerSet whose parent is not in the manifests). */
  gateway?: GatewayInfo;
  /** The ListenerSet that declares it, when not the Gateway itself. */
  listenerSet?: ListenerSetInfo;
  listener: ListenerInfo;
  /** Lower-cased; null: every host name. */
  host: string | null;
  /** Its state (attached and refused routes, conditions) when its Gateway accepts it. */
  state?: ListenerState;
  /** The ListenerSet's state, for a ListenerSet listener. */
  listenerSetState?: ListenerSetState;
  /** False when it serves nothing: conflicted, not accepted, or its ListenerSet is refused. */
  serving: boolean;
  /** Why it serves nothing (the condition that says so). */
  refusal?: Condition;
}

/** A Gateway API backendRef (of a rule or of its mirror filter) and where it leads: the same Service
 * facts (workloads, ports) as an Ingress backend. */
export interface RouteBackendEdge {
  ref: BackendRefInfo;
  resolution: BackendResolution;
  /** The request mirror that sends a copy here (not part of the weighted split). */
  mirror: boolean;
  target?: ServiceTarget;
  port?: ServicePortTarget;
  problems: RouteGraphProblem[];
}

/** One rule of an HTTPRoute, GRPCRoute, TLSRoute, TCPRoute or UDPRoute: its attachments to listeners
 * (accepted with the hostnames it serves there, or refused with the reason) and its backends. */
export interface RouteRuleEntry extends EntryBase {
  kind: 'route-rule';
  route: RouteInfo;
  /** Index in spec.rules (0 for a route without rules, whose entry stands for the route). */
  rule: number;
  ruleInfo?: RouteRuleInfo;
  /** Each parentRef's attachment (shared by the route's rules). */
  parents: ParentAttachment[];
  /** The listeners that accept the route, by entry id, with the hostnames served there. */
  attached: { listener: string; verdict: ListenerVerdict; attachment: ParentAttachment }[];
  backends: RouteBackendEdge[];
}

export type IngressEntry = IngressPathEntry | IngressDefaultEntry;
export type GatewayEntry = GatewayListenerEntry | RouteRuleEntry;
export type RouteEntry = IngressEntry | GatewayEntry;

/** One tls entry of an Ingress and its Secret. */
export interface TlsEntryCoverage {
  ingress: IngressInfo;
  entry: IngressTlsInfo;
  /** Lower-cased hosts it covers (empty: whatever the controller allows). */
  hosts: string[];
  secretName?: string;
  /** The Secret when the workspace defines it in the Ingress's namespace. */
  secret?: SecretInfo;
  problems: RouteGraphProblem[];
}

export interface RouteGraph {
  entries: RouteEntry[];
  /** Every Service, by "namespace/name" (first copy in file order). */
  services: ReadonlyMap<string, ServiceTarget>;
  tls: TlsEntryCoverage[];
  /** Each Ingress backend (as written in the cluster) and where it leads. */
  backends: Map<BackendInfo, BackendEdge>;
  /** Each tls entry's coverage. */
  tlsOf: Map<IngressTlsInfo, TlsEntryCoverage>;
  /** Each Gateway API backendRef (rules and mirror filters) and where it leads. */
  routeBackends: Map<BackendRefInfo, RouteBackendEdge>;
  problems: RouteGraphProblem[];
  /** The edge of one backend of an Ingress (what `backends` holds, without listing every backend). */
  backendOf(ingress: IngressInfo, backend: BackendInfo): BackendEdge | undefined;
  /** The coverage of one tls entry of an Ingress (what `tlsOf` holds, without listing every entry). */
  coverageOf(ingress: IngressInfo, entry: IngressTlsInfo): TlsEntryCoverage | undefined;
  /** The problems a rule reports at a value (file and absolute start offset); given the namespace of
   * the object the value belongs to, only what concerns that namespace is looked at. */
  problemsAt(ruleId: RouteGraphRuleId, uri: string, start: number, namespace?: string): RouteGraphProblem[];
  /** The problems of an object the cluster does not hold (a second copy of a duplicated object: the
   * cluster keeps the first), checked against the cluster as that copy would be. */
  problemsOf(
    other: { ingress: IngressInfo } | { service: ServiceInfo } | { secret: SecretInfo },
  ): RouteGraphProblem[];
}

/** Adds a problem to the graph's list and to the part of the graph it concerns. */
export type Report = (p: RouteGraphProblem, into: RouteGraphProblem[]) => void;
