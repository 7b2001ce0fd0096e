// The rule step of the Gateway resolver (./resolve.ts): what the winning HTTPRoute or GRPCRoute rule
// does with the request. RequestRedirect answers itself (3xx, Location computed); otherwise the
// backendRefs with weight > 0 share the requests: none (no backendRefs, or every weight 0) → 500;
// invalid backends (kind, missing Service or port, a reference no ReferenceGrant permits, a failing
// BackendTLSPolicy) → their share gets 500. Filters on the chosen backendRef apply to its requests.

import type { Cluster } from '../types';
import type { FilterInfo, HttpMatchInfo, RouteInfo } from './types';
import type { ListenerRef } from './attach';
import { gatewayGraph } from './graph';
import type { GatewayRequest } from './request';
import type { BackendResolution } from './refs';
import { isMeshRoute, resolveBackendRef } from './refs';
import { applyHeaderModifier, computeRedirect, computeRewrite } from './filters';
import { backendTlsFor, backendTlsSummary } from './backend-tls';
import type { BackendResult, BackendTarget, FilterResult, GatewayMatch } from './result';
import type { Candidate } from './resolve-candidates';

function target(b: BackendResolution): BackendTarget {
  return { service: b.ref.name, namespace: b.ref.namespace, port: b.ref.port ?? null };
}

function filterResults(
  cluster: Cluster,
  route: RouteInfo,
  filters: FilterInfo[],
  req: GatewayRequest,
  listenerPort: number,
  match: HttpMatchInfo | undefined,
): FilterResult[] {
  return filters.map((f) => {
    const out: FilterResult = { type: f.type, source: f.source };
    if (f.requestRedirect) out.requestRedirect = f.requestRedirect;
    if (f.urlRewrite) out.urlRewrite = f.urlRewrite;
    if (f.requestHeaderModifier) out.requestHeaderModifier = f.requestHeaderModifier;
    if (f.responseHeaderModifier) out.responseHeaderModifier = f.responseHeaderModifier;
    if (f.requestMirror) {
      const b = f.requestMirror.backendRef;
      out.requestMirror = {
        backendRef: {
          group: b.group,
          kind: b.kind,
          name: b.name,
          namespace: b.namespace,
          port: b.port ?? null,
        },
        ...(f.requestMirror.percent !== undefined ? { percent: f.requestMirror.percent } : {}),
        ...(f.requestMirror.fraction ? { fraction: f.requestMirror.fraction } : {}),
      };
    }
    if (f.requestRedirect) out.redirect = computeRedirect(f.requestRedirect, req, listenerPort, match);
    if (f.urlRewrite) out.rewrite = computeRewrite(f.urlRewrite, req, match);
    const mod = f.requestHeaderModifier ?? f.responseHeaderModifier;
    if (mod) {
      out.set = mod.set;
      out.add = mod.add;
      out.remove = mod.remove;
    }
    if (f.requestMirror) {
      const r = resolveBackendRef(
        cluster,
        f.requestMirror.backendRef,
        route.id.kind,
        route.id.namespace,
        isMeshRoute(route),
      );
      const percent =
        f.requestMirror.percent ??
        (f.requestMirror.fraction
          ? (100 * f.requestMirror.fraction.numerator) / (f.requestMirror.fraction.denominator || 100)
          : 100);
      out.mirror = { ...target(r), percent, invalid: !r.valid, ...(r.valid ? {} : { reason: r.message }) };
    }
    if (f.extensionRef) out.extensionRef = f.extensionRef;
    return out;
  });
}

function pct(weight: number, total: number): number {
  return total > 0 ? Math.round((10000 * weight) / total) / 100 : 0;
}

/** What the winning rule does with the request: a redirect, or the traffic split over its backendRefs
 * (each resolved, with the BackendTLSPolicy that applies), the filters with their computed effects, and
 * HTTP 500 for the share of the requests whose backend is invalid. */
/** Where a match was found: the Gateway, the listener (with its ListenerSet) and the route. */
export function matchPlace(
  gwName: string,
  best: ListenerRef,
  route: RouteInfo,
): Pick<GatewayMatch, 'gateway' | 'listener' | 'listenerSet' | 'route' | 'routeKind'> {
  return {
    gateway: gwName,
    listener: best.listener.name,
    ...(best.listenerSet
      ? { listenerSet: `${best.listenerSet.id.namespace}/${best.listenerSet.id.name}` }
      : {}),
    route: `${route.id.namespace}/${route.id.name}`,
    routeKind: route.id.kind,
  };
}

export function ruleAnswer(
  cluster: Cluster,
  gwName: string,
  best: ListenerRef,
  win: Candidate,
  req: GatewayRequest,
  notes: string[],
): GatewayMatch {
  const graph = gatewayGraph(cluster);
  const route = win.route;
  const rule = win.rule;
  const routeState = graph.routeState.get(route);
  const filters = filterResults(cluster, route, rule.filters, req, best.listener.port, win.http);
  const match: GatewayMatch = {
    ...matchPlace(gwName, best, route),
    rule: win.ruleIndex,
    ruleName: rule.name ?? null,
    matchIndex: win.matchIndex,
    matched: win.http
      ? {
          path: win.http.path,
          ...(win.http.method ? { method: win.http.method } : {}),
          headers: win.http.headers,
          queryParams: win.http.queryParams,
        }
      : { ...(win.grpc?.method ? { method: win.grpc.method } : {}), headers: win.grpc?.headers ?? [] },
    hostname: win.hostname ?? null,
    why: win.why,
    status: 200,
    backend: null,
    backends: [],
    filters,
    invalid: false,
    source: win.http?.source ?? win.grpc?.source ?? rule.source,
    ruleSource: rule.source,
    routeSource: route.source,
  };
  const redirect = filters.find((f) => f.redirect)?.redirect;
  const rewrite = filters.find((f) => f.rewrite)?.rewrite;
  if (rewrite) match.rewrite = rewrite;
  const headerMod = rule.filters.find((f) => f.requestHeaderModifier)?.requestHeaderModifier;
  if (headerMod) match.requestHeaders = Object.fromEntries(applyHeaderModifier(headerMod, req.headers));

  const resolutions = rule.backendRefs.map(
    (b) =>
      routeState?.backends.get(b) ??
      resolveBackendRef(cluster, b, route.id.kind, route.id.namespace, isMeshRoute(route)),
  );
  const total = rule.backendRefs.reduce((s, b) => s + Math.max(0, b.weight), 0);
  match.backends = resolutions.map((r): BackendResult => {
    const isService = r.ref.kind === 'Service' && (r.ref.group === '' || r.ref.group === 'core');
    // a BackendTLSPolicy with an invalid CA reference makes connections to the backend fail (5xx)
    const bt = r.valid && r.service ? backendTlsFor(cluster, r.service, r.servicePort) : undefined;
    const invalid = !r.valid || !!bt?.fails;
    return {
      ...target(r),
      weight: r.ref.weight,
      percent: pct(Math.max(0, r.ref.weight), total),
      ...(isService ? {} : { kind: r.ref.kind, group: r.ref.group }),
      invalid,
      ...(!r.valid
        ? { reasonCode: r.reason, reason: r.message }
        : bt?.fails
          ? { reasonCode: 'InvalidBackendTLSPolicy', reason: bt.message }
          : {}),
      filters: filterResults(cluster, route, r.ref.filters, req, best.listener.port, win.http),
      ...(bt
        ? {
            backendTLS: backendTlsSummary(bt),
          }
        : {}),
      source: r.ref.source,
    };
  });

  if (redirect) {
    match.redirect = redirect;
    match.status = redirect.statusCode;
    return match;
  }
  const weighted = match.backends.filter((b) => b.weight > 0);
  const heaviest = (list: BackendResult[]) =>
    list.reduce<BackendResult | undefined>((acc, b) => (!acc || b.weight > acc.weight ? b : acc), undefined);
  if (rule.backendRefs.length === 0) {
    match.invalid = true;
    match.invalidPercent = 100;
    match.status = 500;
    match.reason = `rule ${win.ruleIndex} of ${route.id.kind} ${match.route} has no backendRefs and no filter that answers the request: the Gateway answers HTTP 500`;
  } else if (weighted.length === 0) {
    match.invalid = true;
    match.invalidPercent = 100;
    match.status = 500;
    match.backend = {
      service: match.backends[0].service,
      namespace: match.backends[0].namespace,
      port: match.backends[0].port,
    };
    match.reason = `every backendRef of rule ${win.ruleIndex} of ${match.route} has weight 0: no backend gets traffic, the Gateway answers HTTP 500`;
  } else {
    // The spec (HTTPRouteRule.backendRefs): requests that would go to an invalid backend get HTTP 500,
    // the others reach their backend; a request's answer depends on which share it falls in. The
    // backend shown is the heaviest (first on a tie); `invalid` says that some share gets 500, and
    // `status` is the answer for the shown backend.
    const h = heaviest(weighted)!;
    match.backend = { service: h.service, namespace: h.namespace, port: h.port };
    const bad = weighted.filter((b) => b.invalid);
    const share = Math.round(bad.reduce((sum, b) => sum + b.percent, 0) * 100) / 100;
    if (bad.length) {
      match.invalid = true;
      match.invalidPercent = share;
      const why = bad.map((b) => b.reason).join('; ');
      match.reason =
        bad.length === weighted.length
          ? why
          : `${share}% of the requests (the share of ${bad.map((b) => `${b.namespace}/${b.service}`).join(', ')}) get HTTP 500: ${why}`;
    }
    if (h.invalid) {
      match.status = 500;
    } else {
      // Filters on the chosen backendRef apply to the requests sent to it: a redirect there answers
      // them, a rewrite there changes what that backend gets.
      const backendRedirect = h.filters.find((f) => f.redirect)?.redirect;
      if (backendRedirect) {
        match.redirect = backendRedirect;
        match.status = backendRedirect.statusCode;
        match.backend = null;
      }
      const backendRewrite = h.filters.find((f) => f.rewrite)?.rewrite;
      if (backendRewrite && !match.rewrite) match.rewrite = backendRewrite;
      const backendHeaders = h.filters.find((f) => f.requestHeaderModifier)?.requestHeaderModifier;
      if (backendHeaders)
        match.requestHeaders = Object.fromEntries(
          applyHeaderModifier(
            backendHeaders,
            match.requestHeaders ? new Map(Object.entries(match.requestHeaders)) : req.headers,
          ),
        );
    }
    if (bad.length && bad.length < weighted.length)
      notes.push(`${share}% of these requests get HTTP 500: ${bad.map((b) => b.reason).join('; ')}`);
  }
  return match;
}
