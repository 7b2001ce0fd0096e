// HTTPRoute, GRPCRoute, TLSRoute, TCPRoute and UDPRoute as the engine's plain input
// (engine/gateway/types.ts): parentRefs, hostnames, rules with their matches (HTTP path, method,
// headers, query parameters; gRPC service and method), filters and backendRefs, with the API's
// defaults applied. Read from the route view of ./gateway.ts.

import type { MapNode } from '../syntax/ast';
import { asMap, asSeq, getIn, getValue, isNullish } from '../syntax/ast';
import type { Resource } from './resource';
import type { ResourceStore } from './resource-store';
import { sourceOf } from './source';
import { normalizeHost } from '../engine/host-name';
import { GATEWAY_GROUP } from '../engine/gateway/types';
import type {
  BackendRefInfo,
  FilterInfo,
  GrpcMatchInfo,
  HeaderModifierInfo,
  HttpMatchInfo,
  ParentRefInfo,
  PathModifierInfo,
  RouteInfo,
  StringMatchInfo,
} from '../engine/gateway/types';
import type { BackendRefModel, FilterModel, StringMatchModel } from './gateway';
import { maps, num, refModel, routeModel, text } from './gateway';

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
    weightSource: sourceOf(uri, r, b.weight),
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
