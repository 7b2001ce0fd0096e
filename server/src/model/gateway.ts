// Typed views of the Gateway API kinds (gateway.networking.k8s.io and the experimental
// gateway.networking.x-k8s.io): GatewayClass, Gateway, ListenerSet, HTTPRoute, GRPCRoute, TLSRoute,
// TCPRoute, UDPRoute, ReferenceGrant, BackendTLSPolicy. Each view keeps the YAML nodes, so a rule can
// point at the exact characters of a value; ./gateway-info.ts (Gateways, ListenerSets, grants,
// policies) and ./gateway-route-info.ts (the five route kinds) turn them into the engine's plain input
// (engine/gateway/types.ts) with the API's defaults applied.

import type { AstNode, MapNode, ScalarNode, SeqNode } from '../syntax/ast';
import { asMap, asScalar, asSeq, getValue, scalarText, stringValue } from '../syntax/ast';
import type { Resource } from './resource';
import { GATEWAY_GROUP } from '../engine/gateway/types';
import type { RouteKind } from '../engine/gateway/types';

export const GATEWAY_API_GROUPS = new Set([GATEWAY_GROUP, 'gateway.networking.x-k8s.io']);

export const GATEWAY_API_KINDS = new Set([
  'GatewayClass',
  'Gateway',
  'ListenerSet',
  'XListenerSet',
  'HTTPRoute',
  'GRPCRoute',
  'TLSRoute',
  'TCPRoute',
  'UDPRoute',
  'ReferenceGrant',
  'BackendTLSPolicy',
]);

export const ROUTE_RESOURCE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'] as const;

/** Is this a Gateway API object (by apiVersion group and kind)? */
export function isGatewayApi(r: Resource): boolean {
  const slash = r.apiVersion.indexOf('/');
  return slash > 0 && GATEWAY_API_GROUPS.has(r.apiVersion.slice(0, slash)) && GATEWAY_API_KINDS.has(r.kind);
}

// ---------------------------------------------------------------------------------------------
// Views with nodes

/** A reference to an object: group/kind/namespace/name (+ sectionName/port for parentRefs). */
export interface RefModel {
  node: MapNode;
  group?: ScalarNode;
  kind?: ScalarNode;
  namespace?: ScalarNode;
  name?: ScalarNode;
  sectionName?: ScalarNode;
  port?: ScalarNode;
}

export interface RouteGroupKindModel {
  node: MapNode;
  group?: ScalarNode;
  kind?: ScalarNode;
}

export interface ListenerModel {
  node: MapNode;
  name?: ScalarNode;
  hostname?: ScalarNode;
  port?: ScalarNode;
  protocol?: ScalarNode;
  tls?: MapNode;
  tlsMode?: ScalarNode;
  certificateRefs: RefModel[];
  allowedRoutes?: MapNode;
  /** allowedRoutes.namespaces.from */
  from?: ScalarNode;
  /** allowedRoutes.namespaces.selector */
  selector?: MapNode;
  /** allowedRoutes.kinds (undefined: not written) */
  kinds?: RouteGroupKindModel[];
}

export interface GatewayModel {
  spec?: MapNode;
  className?: ScalarNode;
  listenersNode?: SeqNode;
  listeners: ListenerModel[];
}

export interface ListenerSetModel {
  spec?: MapNode;
  parentRef?: RefModel;
  listenersNode?: SeqNode;
  listeners: ListenerModel[];
}

export interface StringMatchModel {
  node: MapNode;
  type?: ScalarNode;
  name?: ScalarNode;
  value?: ScalarNode;
}

export interface MatchModel {
  node: MapNode;
  /** HTTPRoute: path. */
  path?: MapNode;
  pathType?: ScalarNode;
  pathValue?: ScalarNode;
  /** HTTPRoute: an HTTP method scalar; GRPCRoute: a map {type, service, method}. */
  method?: AstNode;
  headers: StringMatchModel[];
  queryParams: StringMatchModel[];
}

export interface FilterModel {
  node: MapNode;
  type?: ScalarNode;
  /** The configuration map of each filter field that is written. */
  requestRedirect?: MapNode;
  urlRewrite?: MapNode;
  requestHeaderModifier?: MapNode;
  responseHeaderModifier?: MapNode;
  requestMirror?: MapNode;
  extensionRef?: MapNode;
  cors?: MapNode;
}

export interface BackendRefModel extends RefModel {
  weight?: ScalarNode;
  filters: FilterModel[];
}

export interface RuleModel {
  node: MapNode;
  name?: ScalarNode;
  matchesNode?: SeqNode;
  matches: MatchModel[];
  filtersNode?: SeqNode;
  filters: FilterModel[];
  backendRefsNode?: SeqNode;
  backendRefs: BackendRefModel[];
}

export interface RouteModel {
  kind: RouteKind;
  spec?: MapNode;
  parentRefsNode?: SeqNode;
  parentRefs: RefModel[];
  hostnamesNode?: SeqNode;
  hostnames: ScalarNode[];
  rulesNode?: SeqNode;
  rules: RuleModel[];
}

export interface ReferenceGrantModel {
  spec?: MapNode;
  from: RefModel[];
  to: RefModel[];
}

export function maps(node: AstNode | null | undefined): MapNode[] {
  return (asSeq(node)?.items ?? []).map((n) => asMap(n)).filter((m): m is MapNode => !!m);
}

export function refModel(node: MapNode): RefModel {
  const s = (k: string) => asScalar(getValue(node, k));
  return {
    node,
    group: s('group'),
    kind: s('kind'),
    namespace: s('namespace'),
    name: s('name'),
    sectionName: s('sectionName'),
    port: s('port'),
  };
}

function listenerModel(node: MapNode): ListenerModel {
  const tls = asMap(getValue(node, 'tls'));
  const allowedRoutes = asMap(getValue(node, 'allowedRoutes'));
  const namespaces = asMap(getValue(allowedRoutes, 'namespaces'));
  const kindsNode = asSeq(getValue(allowedRoutes, 'kinds'));
  return {
    node,
    name: asScalar(getValue(node, 'name')),
    hostname: asScalar(getValue(node, 'hostname')),
    port: asScalar(getValue(node, 'port')),
    protocol: asScalar(getValue(node, 'protocol')),
    tls,
    tlsMode: asScalar(getValue(tls, 'mode')),
    certificateRefs: maps(getValue(tls, 'certificateRefs')).map(refModel),
    allowedRoutes,
    from: asScalar(getValue(namespaces, 'from')),
    selector: asMap(getValue(namespaces, 'selector')),
    kinds: kindsNode
      ? maps(kindsNode).map((k) => ({
          node: k,
          group: asScalar(getValue(k, 'group')),
          kind: asScalar(getValue(k, 'kind')),
        }))
      : undefined,
  };
}

function stringMatches(node: AstNode | null | undefined): StringMatchModel[] {
  return maps(node).map((m) => ({
    node: m,
    type: asScalar(getValue(m, 'type')),
    name: asScalar(getValue(m, 'name')),
    value: asScalar(getValue(m, 'value')),
  }));
}

function filterModel(node: MapNode): FilterModel {
  const m = (k: string) => asMap(getValue(node, k));
  return {
    node,
    type: asScalar(getValue(node, 'type')),
    requestRedirect: m('requestRedirect'),
    urlRewrite: m('urlRewrite'),
    requestHeaderModifier: m('requestHeaderModifier'),
    responseHeaderModifier: m('responseHeaderModifier'),
    requestMirror: m('requestMirror'),
    extensionRef: m('extensionRef'),
    cors: m('cors'),
  };
}

function ruleModel(node: MapNode): RuleModel {
  const matchesNode = asSeq(getValue(node, 'matches'));
  const filtersNode = asSeq(getValue(node, 'filters'));
  const backendRefsNode = asSeq(getValue(node, 'backendRefs'));
  return {
    node,
    name: asScalar(getValue(node, 'name')),
    matchesNode,
    matches: maps(matchesNode).map((m) => {
      const path = asMap(getValue(m, 'path'));
      return {
        node: m,
        path,
        pathType: asScalar(getValue(path, 'type')),
        pathValue: asScalar(getValue(path, 'value')),
        method: getValue(m, 'method') ?? undefined,
        headers: stringMatches(getValue(m, 'headers')),
        queryParams: stringMatches(getValue(m, 'queryParams')),
      };
    }),
    filtersNode,
    filters: maps(filtersNode).map(filterModel),
    backendRefsNode,
    backendRefs: maps(backendRefsNode).map((b) => ({
      ...refModel(b),
      weight: asScalar(getValue(b, 'weight')),
      filters: maps(getValue(b, 'filters')).map(filterModel),
    })),
  };
}

const modelCache = new WeakMap<Resource, unknown>();

function memo<T>(r: Resource, make: () => T): T {
  let m = modelCache.get(r) as T | undefined;
  if (m === undefined) {
    m = make();
    modelCache.set(r, m);
  }
  return m;
}

export function gatewayModel(r: Resource): GatewayModel {
  return memo(r, () => {
    const spec = asMap(getValue(r.node, 'spec'));
    const listenersNode = asSeq(getValue(spec, 'listeners'));
    return {
      spec,
      className: asScalar(getValue(spec, 'gatewayClassName')),
      listenersNode,
      listeners: maps(listenersNode).map(listenerModel),
    };
  });
}

export function listenerSetModel(r: Resource): ListenerSetModel {
  return memo(r, () => {
    const spec = asMap(getValue(r.node, 'spec'));
    const parent = asMap(getValue(spec, 'parentRef'));
    const listenersNode = asSeq(getValue(spec, 'listeners'));
    return {
      spec,
      parentRef: parent ? refModel(parent) : undefined,
      listenersNode,
      listeners: maps(listenersNode).map(listenerModel),
    };
  });
}

export function routeModel(r: Resource): RouteModel {
  return memo(r, () => {
    const spec = asMap(getValue(r.node, 'spec'));
    const parentRefsNode = asSeq(getValue(spec, 'parentRefs'));
    const hostnamesNode = asSeq(getValue(spec, 'hostnames'));
    const rulesNode = asSeq(getValue(spec, 'rules'));
    return {
      kind: r.kind as RouteKind,
      spec,
      parentRefsNode,
      parentRefs: maps(parentRefsNode).map(refModel),
      hostnamesNode,
      hostnames: (hostnamesNode?.items ?? []).map((n) => asScalar(n)).filter((n): n is ScalarNode => !!n),
      rulesNode,
      rules: maps(rulesNode).map(ruleModel),
    };
  });
}

export function referenceGrantModel(r: Resource): ReferenceGrantModel {
  return memo(r, () => {
    const spec = asMap(getValue(r.node, 'spec'));
    return {
      spec,
      from: maps(getValue(spec, 'from')).map(refModel),
      to: maps(getValue(spec, 'to')).map(refModel),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Scalars as the adapters read them

export function num(n: AstNode | null | undefined): number | undefined {
  const s = asScalar(n);
  if (!s) return undefined;
  if (typeof s.value === 'number') return s.value;
  // a quoted number is what the API server would reject; read it for routing all the same
  return typeof s.value === 'string' && /^\d+$/.test(s.value) ? Number(s.value) : undefined;
}

/** A scalar as text (`""` stays `""`, unlike stringValue's undefined for non-strings). */
export function text(n: AstNode | null | undefined): string | undefined {
  return scalarText(n);
}
