// The Gateway API part of the engine's input (gateway.networking.k8s.io: GatewayClass, Gateway,
// ListenerSet, HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute, ReferenceGrant, BackendTLSPolicy),
// as plain values with the API's defaults applied (parentRef group/kind/namespace, backendRef
// group/kind/namespace/weight, match path/type, allowedRoutes). Built by model/gateway.ts; the
// engine never sees YAML.

import type { LabelSelector } from '../selector';
import type { ResourceId, SourceRef } from '../ids';

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

export type RouteKind = 'HTTPRoute' | 'GRPCRoute' | 'TLSRoute' | 'TCPRoute' | 'UDPRoute';
export const ROUTE_KINDS: readonly RouteKind[] = [
  'HTTPRoute',
  'GRPCRoute',
  'TLSRoute',
  'TCPRoute',
  'UDPRoute',
];

export interface GatewayClassInfo {
  name: string;
  controllerName?: string;
  source?: SourceRef;
}

export interface RouteGroupKind {
  /** Defaults to gateway.networking.k8s.io. */
  group: string;
  kind: string;
  source?: SourceRef;
}

export interface ObjectRefInfo {
  /** "" is the core group. */
  group: string;
  kind: string;
  name: string;
  /** undefined: the referring object's namespace. */
  namespace?: string;
  source?: SourceRef;
}

export interface ListenerInfo {
  name: string;
  /** Lower-cased; undefined: every host name. */
  hostname?: string;
  port: number;
  /** HTTP, HTTPS, TLS, TCP, UDP or an implementation's own protocol, as written. */
  protocol: string;
  tls?: { mode: string; certificateRefs: ObjectRefInfo[]; source?: SourceRef };
  allowedRoutes: {
    /** Same (the default), All, Selector, or something else as written. */
    from: string;
    /** For `from: Selector`. */
    selector?: LabelSelector;
    /** undefined: the kinds the listener's protocol carries. */
    kinds?: RouteGroupKind[];
    source?: SourceRef;
  };
  source?: SourceRef;
  hostnameSource?: SourceRef;
}

export interface GatewayInfo {
  id: ResourceId;
  className?: string;
  listeners: ListenerInfo[];
  /** spec.allowedListeners.namespaces: which ListenerSets may add listeners (default None). */
  allowedListeners: { from: string; selector?: LabelSelector };
  source?: SourceRef;
  classNameSource?: SourceRef;
}

/** A ListenerSet (gateway.networking.k8s.io/v1, or XListenerSet of the experimental group): more
 * listeners for one Gateway, which routes attach to through a parentRef of kind ListenerSet. */
export interface ListenerSetInfo {
  id: ResourceId;
  parentRef: ObjectRefInfo;
  listeners: ListenerInfo[];
  /** metadata.creationTimestamp when written (ListenerSets of one Gateway are merged oldest first). */
  creationTimestamp?: string;
  source?: SourceRef;
  parentRefSource?: SourceRef;
}

/** A listener and where it is declared (a Gateway, or a ListenerSet attached to one). */
export interface ListenerRef {
  /** "namespace/gateway/listener", or "namespace/listenerset/listener" for a ListenerSet's listener. */
  key: string;
  gateway: GatewayInfo;
  listenerSet?: ListenerSetInfo;
  listener: ListenerInfo;
}

export interface ParentRefInfo {
  /** Defaults to gateway.networking.k8s.io. */
  group: string;
  /** Defaults to Gateway. */
  kind: string;
  /** Defaults to the route's namespace. */
  namespace: string;
  name: string;
  sectionName?: string;
  port?: number;
  source?: SourceRef;
  sectionNameSource?: SourceRef;
  portSource?: SourceRef;
}

export interface StringMatchInfo {
  /** Exact (the default) or RegularExpression, as written. */
  type: string;
  name: string;
  value: string;
}

export interface HttpMatchInfo {
  /** Defaults to PathPrefix "/". */
  path: { type: string; value: string };
  method?: string;
  headers: StringMatchInfo[];
  queryParams: StringMatchInfo[];
  source?: SourceRef;
}

export interface GrpcMatchInfo {
  /** Exact (the default) or RegularExpression; a missing service or method matches any. */
  method?: { type: string; service?: string; method?: string };
  headers: StringMatchInfo[];
  source?: SourceRef;
}

export interface PathModifierInfo {
  type: string;
  replaceFullPath?: string;
  replacePrefixMatch?: string;
}

export interface HeaderModifierInfo {
  set: { name: string; value: string }[];
  add: { name: string; value: string }[];
  remove: string[];
}

export interface FilterInfo {
  /** RequestHeaderModifier, ResponseHeaderModifier, RequestMirror, RequestRedirect, URLRewrite,
   * CORS, ExtensionRef, ... as written. */
  type: string;
  requestRedirect?: {
    scheme?: string;
    hostname?: string;
    path?: PathModifierInfo;
    port?: number;
    statusCode: number;
  };
  urlRewrite?: { hostname?: string; path?: PathModifierInfo };
  requestHeaderModifier?: HeaderModifierInfo;
  responseHeaderModifier?: HeaderModifierInfo;
  requestMirror?: {
    backendRef: BackendRefInfo;
    percent?: number;
    fraction?: { numerator: number; denominator: number };
  };
  extensionRef?: { group: string; kind: string; name: string };
  source?: SourceRef;
}

export interface BackendRefInfo {
  /** "" (core, the default) for a Service. */
  group: string;
  /** Defaults to Service. */
  kind: string;
  name: string;
  /** Defaults to the route's namespace. */
  namespace: string;
  /** True when `namespace` is written (a cross-namespace reference needs a ReferenceGrant). */
  namespaceSet: boolean;
  port?: number;
  /** Defaults to 1. */
  weight: number;
  filters: FilterInfo[];
  source?: SourceRef;
  nameSource?: SourceRef;
  portSource?: SourceRef;
  /** The weight value, when written. */
  weightSource?: SourceRef;
}

export interface RouteRuleInfo {
  name?: string;
  /** HTTPRoute: at least one (the API default is one PathPrefix "/" match). */
  matches: HttpMatchInfo[];
  /** GRPCRoute: empty matches every request. */
  grpcMatches: GrpcMatchInfo[];
  filters: FilterInfo[];
  backendRefs: BackendRefInfo[];
  source?: SourceRef;
}

export interface RouteInfo {
  id: ResourceId & { kind: RouteKind };
  apiVersion: string;
  /** metadata.creationTimestamp when written (a precedence tie-breaker). */
  creationTimestamp?: string;
  parentRefs: ParentRefInfo[];
  /** Lower-cased; empty: every host the listener accepts. */
  hostnames: string[];
  rules: RouteRuleInfo[];
  source?: SourceRef;
  hostnameSources?: (SourceRef | undefined)[];
}

export interface ReferenceGrantInfo {
  id: ResourceId;
  from: { group: string; kind: string; namespace: string; source?: SourceRef }[];
  /** `name` undefined: every object of the kind in the grant's namespace. */
  to: { group: string; kind: string; name?: string; source?: SourceRef }[];
  source?: SourceRef;
}

export interface BackendTlsPolicyInfo {
  id: ResourceId;
  /** metadata.creationTimestamp when written (two policies for one target: the older wins). */
  creationTimestamp?: string;
  targetRefs: { group: string; kind: string; name: string; sectionName?: string; source?: SourceRef }[];
  /** validation.caCertificateRefs (local references: the policy's namespace). */
  caCertificateRefs: { group: string; kind: string; name: string; source?: SourceRef }[];
  /** validation.wellKnownCACertificates ("System" or an implementation's own prefixed name). */
  wellKnownCACertificates?: string;
  /** validation.hostname: the SNI sent to the backend, and the name its certificate must carry
   * (unless subjectAltNames is given). */
  hostname?: string;
  /** validation.subjectAltNames: when given, the backend's certificate must carry one of them (and
   * the hostname is no longer checked). */
  subjectAltNames?: { type: string; hostname?: string; uri?: string }[];
  hostnameSource?: SourceRef;
  subjectAltNamesSource?: SourceRef;
  source?: SourceRef;
}

/** Whether a served certificate chain leads to a CA of a bundle. */
export interface ChainVerdict {
  trusted: boolean;
  /** Not trusted: the last certificate of the served chain (the leaf, or the highest intermediate that
   * signed the one before it) and its issuer's name. */
  end?: { subject: string; issuer: string };
  /** Not trusted, yet a CA of the bundle carries that issuer's name: another key signed the chain. */
  sameNameOnly?: boolean;
}

/** The CA certificates of a ConfigMap's `ca.crt`, read by the model (which holds the X.509 code). */
export interface CaBundleInfo {
  /** Each CA certificate's subject ("CN=Shop CA, O=Shop"), in order. */
  subjects: string[];
  /** Does a chain (PEM certificates, leaf first, as a Secret's tls.crt holds them) lead to one of these
   * CAs: each step's issuer named and its signature verified, ending at a CA of the bundle? */
  check(chain: readonly string[]): ChainVerdict;
}

/** A ConfigMap as a BackendTLSPolicy reads it: its keys, and whether `ca.crt` holds a PEM certificate. */
export interface ConfigMapInfo {
  id: ResourceId;
  keys: string[];
  /** `ca.crt`: absent, a PEM certificate (at least one CERTIFICATE block), or something else. */
  caCrt: 'missing' | 'pem' | 'not-pem';
  /** The certificates of a PEM `ca.crt` that parse (undefined when none does). */
  ca?: CaBundleInfo;
  source?: SourceRef;
}

/** The Gateway API resources of a cluster. */
export interface GatewayResources {
  gatewayClasses: GatewayClassInfo[];
  gateways: GatewayInfo[];
  listenerSets: ListenerSetInfo[];
  routes: RouteInfo[];
  referenceGrants: ReferenceGrantInfo[];
  backendTlsPolicies: BackendTlsPolicyInfo[];
  configMaps: ConfigMapInfo[];
}
