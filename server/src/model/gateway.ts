// Typed views of the Gateway API kinds (gateway.networking.k8s.io and the experimental
// gateway.networking.x-k8s.io): GatewayClass, Gateway, ListenerSet, HTTPRoute, GRPCRoute, TLSRoute,
// TCPRoute, UDPRoute, ReferenceGrant, BackendTLSPolicy. Each view keeps the YAML nodes, so a rule can
// point at the exact characters of a value; the adapters at the end turn them into the engine's plain
// input (engine/gateway/types.ts) with the API's defaults applied.

import type { AstNode, MapNode, ScalarNode, SeqNode } from '../syntax/ast';
import {
  asMap,
  asScalar,
  asSeq,
  getIn,
  getValue,
  isNullish,
  scalarText,
  stringValue,
  toPlain,
} from '../syntax/ast';
import type { Resource } from './resource';
import type { ResourceStore } from './resource-store';
import { sourceOf } from './source';
import { caBundle } from './tls-chain';
import { toLabelSelector } from '../engine/selector';
import { normalizeHost } from '../engine/host-name';
import { GATEWAY_GROUP } from '../engine/gateway/types';
import type {
  BackendRefInfo,
  BackendTlsPolicyInfo,
  ConfigMapInfo,
  FilterInfo,
  GatewayClassInfo,
  GatewayInfo,
  GrpcMatchInfo,
  HeaderModifierInfo,
  HttpMatchInfo,
  ListenerInfo,
  ListenerSetInfo,
  ObjectRefInfo,
  ParentRefInfo,
  PathModifierInfo,
  ReferenceGrantInfo,
  RouteInfo,
  RouteKind,
  StringMatchInfo,
} from '../engine/gateway/types';

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

function maps(node: AstNode | null | undefined): MapNode[] {
  return (asSeq(node)?.items ?? []).map((n) => asMap(n)).filter((m): m is MapNode => !!m);
}

function refModel(node: MapNode): RefModel {
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
// Adapters to the engine's input

function num(n: AstNode | null | undefined): number | undefined {
  const s = asScalar(n);
  if (!s) return undefined;
  if (typeof s.value === 'number') return s.value;
  // a quoted number is what the API server would reject; read it for routing all the same
  return typeof s.value === 'string' && /^\d+$/.test(s.value) ? Number(s.value) : undefined;
}

/** A scalar as text (`""` stays `""`, unlike stringValue's undefined for non-strings). */
function text(n: AstNode | null | undefined): string | undefined {
  return scalarText(n);
}

function listenerInfo(uri: string, r: Resource, l: ListenerModel): ListenerInfo {
  const protocol = text(l.protocol) ?? '';
  const info: ListenerInfo = {
    name: text(l.name) ?? '',
    hostname: text(l.hostname) ? normalizeHost(text(l.hostname)!) : undefined,
    port: num(l.port) ?? 0,
    protocol,
    allowedRoutes: {
      from: text(l.from) ?? 'Same',
      selector: l.selector ? (toLabelSelector(toPlain(l.selector)) ?? {}) : undefined,
      kinds: l.kinds?.map((k) => ({
        group: text(k.group) ?? GATEWAY_GROUP,
        kind: text(k.kind) ?? '',
        source: sourceOf(uri, r, k.node),
      })),
      source: sourceOf(uri, r, l.allowedRoutes),
    },
    source: sourceOf(uri, r, l.node),
    hostnameSource: sourceOf(uri, r, l.hostname),
  };
  if (l.tls || protocol === 'HTTPS' || protocol === 'TLS') {
    info.tls = {
      mode: text(l.tlsMode) ?? 'Terminate',
      certificateRefs: l.certificateRefs.map((c) => objectRef(uri, r, c, '', 'Secret')),
      source: sourceOf(uri, r, l.tls),
    };
  }
  return info;
}

function objectRef(uri: string, r: Resource, m: RefModel, group: string, kind: string): ObjectRefInfo {
  return {
    group: text(m.group) ?? group,
    kind: text(m.kind) ?? kind,
    name: text(m.name) ?? '',
    namespace: text(m.namespace),
    source: sourceOf(uri, r, m.node),
  };
}

export function gatewayClassInfo(uri: string, r: Resource): GatewayClassInfo {
  return {
    name: r.name ?? '',
    controllerName: stringValue(getIn(r.node, ['spec', 'controllerName'])),
    source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
  };
}

export function gatewayInfo(uri: string, r: Resource, index: ResourceStore): GatewayInfo {
  const m = gatewayModel(r);
  return {
    id: { kind: 'Gateway', namespace: index.namespaceOf(r), name: r.name ?? '' },
    className: text(m.className),
    listeners: m.listeners.map((l) => listenerInfo(uri, r, l)),
    allowedListeners: {
      from: text(getIn(m.spec, ['allowedListeners', 'namespaces', 'from'])) ?? 'None',
      selector: asMap(getIn(m.spec, ['allowedListeners', 'namespaces', 'selector']))
        ? (toLabelSelector(toPlain(getIn(m.spec, ['allowedListeners', 'namespaces', 'selector']))) ?? {})
        : undefined,
    },
    source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
    classNameSource: sourceOf(uri, r, m.className),
  };
}

export function listenerSetInfo(uri: string, r: Resource, index: ResourceStore): ListenerSetInfo {
  const m = listenerSetModel(r);
  return {
    id: { kind: r.kind, namespace: index.namespaceOf(r), name: r.name ?? '' },
    parentRef: m.parentRef
      ? objectRef(uri, r, m.parentRef, GATEWAY_GROUP, 'Gateway')
      : { group: GATEWAY_GROUP, kind: 'Gateway', name: '' },
    listeners: m.listeners.map((l) => listenerInfo(uri, r, l)),
    creationTimestamp: text(getIn(r.node, ['metadata', 'creationTimestamp'])),
    source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
    parentRefSource: sourceOf(uri, r, m.parentRef?.node),
  };
}

function pathModifier(node: MapNode | undefined): PathModifierInfo | undefined {
  if (!node) return undefined;
  return {
    type: text(getValue(node, 'type')) ?? '',
    replaceFullPath: text(getValue(node, 'replaceFullPath')),
    replacePrefixMatch: text(getValue(node, 'replacePrefixMatch')),
  };
}

function headerModifier(node: MapNode | undefined): HeaderModifierInfo | undefined {
  if (!node) return undefined;
  const pairs = (k: string) =>
    maps(getValue(node, k)).map((h) => ({
      name: text(getValue(h, 'name')) ?? '',
      value: text(getValue(h, 'value')) ?? '',
    }));
  return {
    set: pairs('set'),
    add: pairs('add'),
    remove: (asSeq(getValue(node, 'remove'))?.items ?? []).map((n) => text(n) ?? ''),
  };
}

function filterInfo(uri: string, r: Resource, ns: string, f: FilterModel): FilterInfo {
  const out: FilterInfo = { type: text(f.type) ?? '', source: sourceOf(uri, r, f.node) };
  if (f.requestRedirect) {
    const rr = f.requestRedirect;
    out.requestRedirect = {
      scheme: text(getValue(rr, 'scheme')),
      hostname: text(getValue(rr, 'hostname')),
      path: pathModifier(asMap(getValue(rr, 'path'))),
      port: num(getValue(rr, 'port')),
      statusCode: num(getValue(rr, 'statusCode')) ?? 302,
    };
  }
  if (f.urlRewrite)
    out.urlRewrite = {
      hostname: text(getValue(f.urlRewrite, 'hostname')),
      path: pathModifier(asMap(getValue(f.urlRewrite, 'path'))),
    };
  if (f.requestHeaderModifier) out.requestHeaderModifier = headerModifier(f.requestHeaderModifier);
  if (f.responseHeaderModifier) out.responseHeaderModifier = headerModifier(f.responseHeaderModifier);
  if (f.requestMirror) {
    const b = asMap(getValue(f.requestMirror, 'backendRef'));
    const fraction = asMap(getValue(f.requestMirror, 'fraction'));
    out.requestMirror = {
      backendRef: backendRefInfo(uri, r, ns, b ? { ...refModel(b), filters: [] } : undefined),
      percent: num(getValue(f.requestMirror, 'percent')),
      fraction: fraction
        ? {
            numerator: num(getValue(fraction, 'numerator')) ?? 0,
            denominator: num(getValue(fraction, 'denominator')) ?? 100,
          }
        : undefined,
    };
  }
  if (f.extensionRef)
    out.extensionRef = {
      group: text(getValue(f.extensionRef, 'group')) ?? '',
      kind: text(getValue(f.extensionRef, 'kind')) ?? '',
      name: text(getValue(f.extensionRef, 'name')) ?? '',
    };
  return out;
}

function backendRefInfo(
  uri: string,
  r: Resource,
  ns: string,
  b: BackendRefModel | undefined,
): BackendRefInfo {
  if (!b)
    return {
      group: '',
      kind: 'Service',
      name: '',
      namespace: ns,
      namespaceSet: false,
      weight: 1,
      filters: [],
    };
  const weight = num(b.weight);
  return {
    group: text(b.group) ?? '',
    kind: text(b.kind) ?? 'Service',
    name: text(b.name) ?? '',
    namespace: text(b.namespace) ?? ns,
    namespaceSet: !isNullish(b.namespace),
    port: num(b.port),
    weight: weight ?? 1,
    filters: b.filters.map((f) => filterInfo(uri, r, ns, f)),
    source: sourceOf(uri, r, b.node),
    nameSource: sourceOf(uri, r, b.name),
    portSource: sourceOf(uri, r, b.port),
  };
}

function stringMatchInfo(m: StringMatchModel): StringMatchInfo {
  return { type: text(m.type) ?? 'Exact', name: text(m.name) ?? '', value: text(m.value) ?? '' };
}

export function routeInfo(uri: string, r: Resource, index: ResourceStore): RouteInfo {
  const m = routeModel(r);
  const ns = index.namespaceOf(r);
  const grpc = m.kind === 'GRPCRoute';
  return {
    id: { kind: m.kind, namespace: ns, name: r.name ?? '' },
    apiVersion: r.apiVersion,
    creationTimestamp: text(getIn(r.node, ['metadata', 'creationTimestamp'])),
    parentRefs: m.parentRefs.map((p): ParentRefInfo => ({
      group: text(p.group) ?? GATEWAY_GROUP,
      kind: text(p.kind) ?? 'Gateway',
      namespace: text(p.namespace) ?? ns,
      name: text(p.name) ?? '',
      sectionName: text(p.sectionName),
      port: num(p.port),
      source: sourceOf(uri, r, p.node),
      sectionNameSource: sourceOf(uri, r, p.sectionName),
      portSource: sourceOf(uri, r, p.port),
    })),
    hostnames: m.hostnames.map((h) => normalizeHost(text(h) ?? '')).filter((h) => h !== ''),
    hostnameSources: m.hostnames
      .filter((h) => normalizeHost(text(h) ?? '') !== '')
      .map((h) => sourceOf(uri, r, h)),
    rules: m.rules.map((rule) => {
      const matches: HttpMatchInfo[] = [];
      const grpcMatches: GrpcMatchInfo[] = [];
      for (const x of rule.matches) {
        if (grpc) {
          const method = asMap(x.method);
          grpcMatches.push({
            method: method
              ? {
                  type: text(getValue(method, 'type')) ?? 'Exact',
                  service: text(getValue(method, 'service')),
                  method: text(getValue(method, 'method')),
                }
              : undefined,
            headers: x.headers.map(stringMatchInfo),
            source: sourceOf(uri, r, x.node),
          });
        } else {
          matches.push({
            path: x.path
              ? { type: text(x.pathType) ?? 'PathPrefix', value: text(x.pathValue) ?? '/' }
              : { type: 'PathPrefix', value: '/' },
            method: text(x.method),
            headers: x.headers.map(stringMatchInfo),
            queryParams: x.queryParams.map(stringMatchInfo),
            source: sourceOf(uri, r, x.node),
          });
        }
      }
      // The API's default: one match of PathPrefix "/" (every request).
      if (!grpc && matches.length === 0)
        matches.push({
          path: { type: 'PathPrefix', value: '/' },
          headers: [],
          queryParams: [],
          source: sourceOf(uri, r, rule.node),
        });
      return {
        name: text(rule.name),
        matches,
        grpcMatches,
        filters: rule.filters.map((f) => filterInfo(uri, r, ns, f)),
        backendRefs: rule.backendRefs.map((b) => backendRefInfo(uri, r, ns, b)),
        source: sourceOf(uri, r, rule.node),
      };
    }),
    source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
  };
}

export function referenceGrantInfo(uri: string, r: Resource, index: ResourceStore): ReferenceGrantInfo {
  const m = referenceGrantModel(r);
  return {
    id: { kind: 'ReferenceGrant', namespace: index.namespaceOf(r), name: r.name ?? '' },
    from: m.from.map((f) => ({
      group: text(f.group) ?? '',
      kind: text(f.kind) ?? '',
      namespace: text(f.namespace) ?? '',
      source: sourceOf(uri, r, f.node),
    })),
    to: m.to.map((t) => ({
      group: text(t.group) ?? '',
      kind: text(t.kind) ?? '',
      name: text(t.name),
      source: sourceOf(uri, r, t.node),
    })),
    source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
  };
}

export function backendTlsPolicyInfo(uri: string, r: Resource, index: ResourceStore): BackendTlsPolicyInfo {
  const spec = asMap(getValue(r.node, 'spec'));
  const validation = asMap(getValue(spec, 'validation'));
  return {
    id: { kind: 'BackendTLSPolicy', namespace: index.namespaceOf(r), name: r.name ?? '' },
    creationTimestamp: text(getIn(r.node, ['metadata', 'creationTimestamp'])),
    targetRefs: maps(getValue(spec, 'targetRefs')).map((t) => ({
      group: text(getValue(t, 'group')) ?? '',
      kind: text(getValue(t, 'kind')) ?? '',
      name: text(getValue(t, 'name')) ?? '',
      sectionName: text(getValue(t, 'sectionName')) || undefined,
      source: sourceOf(uri, r, t),
    })),
    caCertificateRefs: maps(getValue(validation, 'caCertificateRefs')).map((c) => ({
      group: text(getValue(c, 'group')) ?? '',
      kind: text(getValue(c, 'kind')) ?? '',
      name: text(getValue(c, 'name')) ?? '',
      source: sourceOf(uri, r, c),
    })),
    wellKnownCACertificates: text(getValue(validation, 'wellKnownCACertificates')) || undefined,
    hostname: text(getValue(validation, 'hostname')),
    ...(getValue(validation, 'subjectAltNames') !== undefined
      ? {
          subjectAltNames: maps(getValue(validation, 'subjectAltNames')).map((s) => ({
            type: text(getValue(s, 'type')) ?? '',
            ...(text(getValue(s, 'hostname'))
              ? { hostname: text(getValue(s, 'hostname'))!.toLowerCase() }
              : {}),
            ...(text(getValue(s, 'uri')) ? { uri: text(getValue(s, 'uri')) } : {}),
          })),
          subjectAltNamesSource: sourceOf(uri, r, getValue(validation, 'subjectAltNames')),
        }
      : {}),
    hostnameSource: sourceOf(uri, r, getValue(validation, 'hostname')),
    source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
  };
}

/** A ConfigMap's keys and whether its `ca.crt` is a PEM certificate bundle (BackendTLSPolicy CAs). */
export function configMapInfo(uri: string, r: Resource, index: ResourceStore): ConfigMapInfo {
  const keys: string[] = [];
  let ca: string | undefined;
  for (const field of ['data', 'binaryData']) {
    const m = asMap(getValue(r.node, field));
    for (const p of m?.pairs ?? []) {
      if (p.keyText === undefined) continue;
      keys.push(p.keyText);
      if (p.keyText === 'ca.crt' && field === 'data') ca = scalarText(p.value) ?? '';
    }
  }
  const caCrt = !keys.includes('ca.crt')
    ? 'missing'
    : ca !== undefined && /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.test(ca)
      ? 'pem'
      : 'not-pem';
  const bundle = caCrt === 'pem' && ca !== undefined ? caBundle(ca) : undefined;
  return {
    id: { kind: 'ConfigMap', namespace: index.namespaceOf(r), name: r.name ?? '' },
    keys,
    caCrt,
    ...(bundle ? { ca: bundle } : {}),
    source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
  };
}
