// Which route rule of a Gateway serves a request, and what the Gateway answers: forwarded to backends
// (with their weights), a redirect (Location computed), or HTTP 500 for an invalid backend; nothing
// matching is a 404 with the reason.
//
// 1. Listener: the Gateway's listeners (its own and its ListenerSets') on the request's port; among
//    them the one whose hostname matches the host most specifically (exact, then the longest wildcard,
//    then no hostname). Only routes attached to that listener are considered (listener isolation).
// 2. Routes: those attached to the listener whose hostnames (cut down to the listener's) match the host.
// 3. Precedence across every match of every rule of those routes (httproute_types.go):
//    characters of a matching non-wildcard hostname, then of a matching hostname; Exact path, then the
//    longest PathPrefix (RegularExpression after them: implementation-specific); a method match; the
//    most header matches; the most query parameter matches; then the oldest creationTimestamp, then
//    "namespace/name" alphabetically; within one route the first rule, then the first match.
//    GRPCRoute (grpcroute_types.go): hostname, then the characters of the matching service and method,
//    then the most header matches.
// 4. The rule: RequestRedirect answers itself (3xx); else the backendRefs with weight > 0 get the
//    traffic; none (no backendRefs, or every weight 0) → 500; every weighted backend invalid → 500 with
//    the reason; some invalid → their share gets 500 (noted).

import type { Cluster } from '../types';
import type { FilterInfo, HttpMatchInfo, GrpcMatchInfo, RouteInfo, RouteRuleInfo } from './types';
import type { ListenerRef } from './attach';
import { gatewayListeners, listenerConflicts } from './attach';
import { gatewayGraph } from './graph';
import type { ListenerState } from './graph';
import { gatewayHostMatches, hostSpecificity, isWildcard } from './hostname';
import { grpcMatch, httpMatch } from './match';
import type { GatewayRequest } from './request';
import { parseGatewayRequest } from './request';
import type { BackendResolution } from './refs';
import { resolveBackendRef } from './refs';
import { applyHeaderModifier, computeRedirect, computeRewrite } from './filters';
import { backendTlsFor } from './backend-tls';
import { resolveStreamRoute, streamScheme } from './resolve-stream';

export type {
  GatewayRouteOptions,
  BackendTarget,
  FilterResult,
  BackendResult,
  GatewayMatch,
  GatewayRouteResult,
} from './result';
import type {
  GatewayRouteOptions,
  BackendTarget,
  FilterResult,
  BackendResult,
  GatewayMatch,
  GatewayRouteResult,
} from './result';
export { findGateway } from './result';
import { findGateway } from './result';

const HTTP_KINDS = new Set(['HTTPRoute', 'GRPCRoute']);

function protocolFits(l: ListenerRef, scheme: string): boolean {
  return scheme === 'https' ? l.listener.protocol === 'HTTPS' : l.listener.protocol === 'HTTP';
}

function isHttpFamily(l: ListenerRef): boolean {
  return l.listener.protocol === 'HTTP' || l.listener.protocol === 'HTTPS';
}

/** The listeners a request reaches by port (see the header for the fallbacks), with notes. */
function listenersOnPort(
  all: ListenerRef[],
  req: GatewayRequest,
  notes: string[],
): { port: number; listeners: ListenerRef[] } | { reason: string } {
  const http = all.filter(isHttpFamily);
  const on = (port: number) => {
    const atPort = http.filter((l) => l.listener.port === port);
    const fit = atPort.filter((l) => protocolFits(l, req.scheme));
    return fit.length ? fit : atPort;
  };
  let listeners = on(req.port);
  if (listeners.length) {
    if (!listeners.some((l) => protocolFits(l, req.scheme)))
      notes.push(
        `the listeners on port ${req.port} speak ${listeners[0].listener.protocol}, not ${req.scheme.toUpperCase()}: resolved as if the request used ${listeners[0].listener.protocol}`,
      );
    return { port: req.port, listeners };
  }
  const wellKnown = req.scheme === 'https' ? 443 : 80;
  if (req.portExplicit && req.port !== wellKnown) {
    listeners = on(wellKnown);
    if (listeners.length) {
      notes.push(
        `no listener listens on port ${req.port}: the port is taken as part of the Host header only (ignored for matching) and the request as sent to port ${wellKnown}`,
      );
      return { port: wellKnown, listeners };
    }
  }
  const ports = [...new Set(http.filter((l) => protocolFits(l, req.scheme)).map((l) => l.listener.port))];
  if (ports.length === 1) {
    notes.push(
      `no listener listens on port ${req.port}: the request is taken as sent to port ${ports[0]}, the only ${req.scheme.toUpperCase()} port of the Gateway`,
    );
    return { port: ports[0], listeners: on(ports[0]) };
  }
  // No listener speaks the URL's scheme: an HTTP/HTTPS listener of the other kind on the only port
  // there is (an http:// URL for an HTTPS-only Gateway, say).
  const otherPorts = [...new Set(http.map((l) => l.listener.port))];
  if (otherPorts.length === 1 && !http.some((l) => protocolFits(l, req.scheme))) {
    notes.push(
      `no ${req.scheme.toUpperCase()} listener: the request is taken as sent to port ${otherPorts[0]} (${http[0].listener.protocol}), the Gateway's only HTTP/HTTPS port`,
    );
    return { port: otherPorts[0], listeners: on(otherPorts[0]) };
  }
  const known = [...new Set(http.map((l) => `${l.listener.port}/${l.listener.protocol}`))];
  return {
    reason: `no HTTP or HTTPS listener of the Gateway listens on port ${req.port}${known.length ? ` (its listeners: ${known.join(', ')})` : ''}`,
  };
}

interface Candidate {
  route: RouteInfo;
  ruleIndex: number;
  rule: RouteRuleInfo;
  matchIndex: number | null;
  http?: HttpMatchInfo;
  grpc?: GrpcMatchInfo;
  /** The effective hostname the host matched (undefined: every host). */
  hostname: string | undefined;
  key: number[];
  why: string;
  usedRegex: boolean;
}

function hostKeys(h: string | undefined): [number, number] {
  if (h === undefined) return [0, 0];
  return [isWildcard(h) ? 0 : h.length, h.length];
}

function timeOf(r: RouteInfo): number {
  const t = r.creationTimestamp ? Date.parse(r.creationTimestamp) : NaN;
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

function httpWhy(m: HttpMatchInfo): string {
  const parts = [`${m.path.type} ${m.path.value}`];
  if (m.method) parts.push(`method ${m.method}`);
  for (const h of m.headers)
    parts.push(`header ${h.name}${h.type === 'RegularExpression' ? ' ~ ' : ': '}${h.value}`);
  for (const q of m.queryParams)
    parts.push(`query ${q.name}${q.type === 'RegularExpression' ? ' ~ ' : '='}${q.value}`);
  return parts.join(', ');
}

function grpcWhy(m: GrpcMatchInfo | undefined): string {
  if (!m) return 'every gRPC request (no matches)';
  const parts: string[] = [];
  if (m.method)
    parts.push(
      `${m.method.type === 'RegularExpression' ? 'regex ' : ''}service ${m.method.service ?? '*'} method ${m.method.method ?? '*'}`,
    );
  for (const h of m.headers)
    parts.push(`header ${h.name}${h.type === 'RegularExpression' ? ' ~ ' : ': '}${h.value}`);
  return parts.join(', ') || 'any gRPC method';
}

function compareCandidates(a: Candidate, b: Candidate): number {
  for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return b.key[i] - a.key[i];
  const ta = timeOf(a.route);
  const tb = timeOf(b.route);
  if (ta !== tb) return ta < tb ? -1 : 1;
  const na = `${a.route.id.namespace}/${a.route.id.name}`;
  const nb = `${b.route.id.namespace}/${b.route.id.name}`;
  if (na !== nb) return na < nb ? -1 : 1;
  if (a.ruleIndex !== b.ruleIndex) return a.ruleIndex - b.ruleIndex;
  return (a.matchIndex ?? 0) - (b.matchIndex ?? 0);
}

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
      const r = resolveBackendRef(cluster, f.requestMirror.backendRef, route.id.kind, route.id.namespace);
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

type Attached = ListenerState['attached'][number];

/** A listener's HTTP/GRPC routes by the exact host names they serve, and those that serve wildcards or
 * every host (built once per listener state, which lives as long as its cluster). */
const hostIndexes = new WeakMap<ListenerState, { exact: Map<string, Attached[]>; other: Attached[] }>();

/** The attached HTTPRoutes and GRPCRoutes of a listener that may serve a host, in attachment order:
 * those naming it exactly and those with a wildcard or no hostname (the caller matches them). */
function routesForHost(state: ListenerState, host: string): Attached[] {
  let idx = hostIndexes.get(state);
  if (!idx) {
    idx = { exact: new Map(), other: [] };
    for (const a of state.attached) {
      if (!HTTP_KINDS.has(a.route.id.kind)) continue;
      let wild = false;
      for (const h of a.verdict.hostnames) {
        if (h === undefined || isWildcard(h)) {
          wild = true;
          continue;
        }
        const list = idx.exact.get(h);
        if (!list) idx.exact.set(h, [a]);
        else if (list[list.length - 1] !== a) list.push(a);
      }
      if (wild) idx.other.push(a);
    }
    hostIndexes.set(state, idx);
  }
  const exact = idx.exact.get(host);
  if (!exact) return idx.other;
  if (idx.other.length === 0) return exact;
  const order = new Map(state.attached.map((a, i) => [a, i]));
  return [...new Set([...exact, ...idx.other])].sort((x, y) => order.get(x)! - order.get(y)!);
}

/** Resolve a request URL against one Gateway. */
export function resolveGatewayRoute(
  cluster: Cluster,
  url: string,
  options: GatewayRouteOptions,
): GatewayRouteResult {
  // tls://, tcp://, udp://: a connection to a TLS, TCP or UDP listener (resolve-stream.ts)
  if (streamScheme(url)) return resolveStreamRoute(cluster, url, options.gateway);
  const parsed = parseGatewayRequest(url, options.method ?? 'GET', options.headers ?? []);
  const result: GatewayRouteResult = {
    url,
    scheme: parsed.ok ? parsed.request.scheme : '',
    host: parsed.ok ? parsed.request.host : '',
    port: parsed.ok ? parsed.request.port : 0,
    path: parsed.ok ? parsed.request.path : '',
    method: parsed.ok ? parsed.request.method : (options.method ?? 'GET').toUpperCase(),
    headers: parsed.ok ? Object.fromEntries(parsed.request.headers) : {},
    gateway: null,
    listener: null,
    match: null,
    outranked: [],
    refused: [],
    notes: [],
  };
  if (!parsed.ok) {
    result.error = `invalid URL: ${parsed.error}`;
    result.reason = result.error;
    return result;
  }
  const req = parsed.request;
  const found = findGateway(cluster, options.gateway);
  if ('error' in found) {
    result.error = found.error;
    result.reason = found.error;
    return result;
  }
  const gw = found;
  const gwName = `${gw.id.namespace}/${gw.id.name}`;
  result.gateway = gwName;
  const graph = gatewayGraph(cluster);

  // 1. the listener
  // conflicted listeners are not programmed: the request can only reach the others
  const conflicts = listenerConflicts(cluster, gw);
  const all = gatewayListeners(cluster, gw);
  const byPort = listenersOnPort(
    all.filter((l) => !conflicts.has(l.key)),
    req,
    result.notes,
  );
  for (const l of all) {
    const c = conflicts.get(l.key);
    if (
      c &&
      l.listener.port === req.port &&
      (l.listener.hostname === undefined || gatewayHostMatches(l.listener.hostname, req.host))
    )
      result.notes.push(`${c.message}: it serves nothing`);
  }
  if ('reason' in byPort) {
    result.reason = `404: ${byPort.reason}`;
    return result;
  }
  let best: ListenerRef | undefined;
  let bestScore = -1;
  for (const l of byPort.listeners) {
    const s = hostSpecificity(l.listener.hostname, req.host);
    if (s > bestScore) {
      best = l;
      bestScore = s;
    }
  }
  if (!best) {
    const names = byPort.listeners
      .map((l) => `"${l.listener.name}" (${l.listener.hostname ?? 'every host'})`)
      .join(', ');
    result.reason = `404: no listener of Gateway ${gwName} on port ${byPort.port} accepts host ${req.host}; its listeners there: ${names}`;
    return result;
  }
  result.listener = best.listener.name;
  const state: ListenerState | undefined = graph.listenerState.get(best.key);
  const where = `listener "${best.listener.name}" of Gateway ${gwName}`;
  const programmed = state?.conditions.find((c) => c.type === 'Programmed');
  if (programmed && programmed.status === 'False')
    result.notes.push(`${where} is not programmed: ${programmed.message}`);
  for (const r of state?.refused ?? [])
    result.refused.push({
      route: `${r.route.id.namespace}/${r.route.id.name}`,
      reason: r.verdict.reason,
      message: r.verdict.message,
    });

  // 2. routes for the host, 3. matches
  const grpcRequest = (req.headers.get('content-type') ?? '').toLowerCase().startsWith('application/grpc');
  const candidates: Candidate[] = [];
  let forHost = 0;
  for (const a of state ? routesForHost(state, req.host) : []) {
    const route = a.route;
    let hostname: string | undefined;
    let hostKey: [number, number] | undefined;
    for (const h of a.verdict.hostnames) {
      if (h !== undefined && !gatewayHostMatches(h, req.host)) continue;
      const k = hostKeys(h);
      if (!hostKey || k[0] > hostKey[0] || (k[0] === hostKey[0] && k[1] > hostKey[1])) {
        hostKey = k;
        hostname = h;
      }
    }
    if (!hostKey) continue;
    forHost++;
    const kindPref = (route.id.kind === 'GRPCRoute') === grpcRequest ? 1 : 0;
    route.rules.forEach((rule, ri) => {
      if (route.id.kind === 'HTTPRoute') {
        rule.matches.forEach((m, mi) => {
          const o = httpMatch(m, req);
          if (o.cannotEvaluate)
            result.notes.push(
              `route ${route.id.namespace}/${route.id.name} rule ${ri} match ${mi}: ${o.cannotEvaluate} (treated as not matching)`,
            );
          if (!o.matches) return;
          const pathRank = m.path.type === 'Exact' ? 2 : m.path.type === 'PathPrefix' ? 1 : 0;
          const key = [
            kindPref,
            ...hostKey!,
            pathRank,
            m.path.value.length,
            m.method ? 1 : 0,
            m.headers.length,
            m.queryParams.length,
          ];
          candidates.push({
            route,
            ruleIndex: ri,
            rule,
            matchIndex: mi,
            http: m,
            hostname,
            key,
            why: httpWhy(m),
            usedRegex: !!o.usedRegex,
          });
        });
      } else {
        const ms: (GrpcMatchInfo | undefined)[] = rule.grpcMatches.length ? rule.grpcMatches : [undefined];
        ms.forEach((m, mi) => {
          if (m) {
            const o = grpcMatch(m, req);
            if (o.cannotEvaluate)
              result.notes.push(
                `route ${route.id.namespace}/${route.id.name} rule ${ri} match ${mi}: ${o.cannotEvaluate} (treated as not matching)`,
              );
            if (!o.matches) return;
          }
          const key = [
            kindPref,
            ...hostKey!,
            m?.method?.service?.length ?? 0,
            m?.method?.method?.length ?? 0,
            0,
            m?.headers.length ?? 0,
            0,
          ];
          candidates.push({
            route,
            ruleIndex: ri,
            rule,
            matchIndex: m ? mi : null,
            grpc: m,
            hostname,
            key,
            why: grpcWhy(m),
            usedRegex:
              m?.method?.type === 'RegularExpression' ||
              !!m?.headers.some((h) => h.type === 'RegularExpression'),
          });
        });
      }
    });
  }
  if (candidates.length === 0) {
    const attached = state?.attached.length ?? 0;
    if (attached === 0)
      result.reason = `404: no route is attached to ${where}${result.refused.length ? ` (refused: ${result.refused.map((r) => `${r.route}: ${r.reason}`).join('; ')})` : ''}`;
    else if (forHost === 0)
      result.reason = `404: none of the ${attached} route${attached === 1 ? '' : 's'} attached to ${where} serves host ${req.host}`;
    else
      result.reason = `404: no rule of the routes for host ${req.host} on ${where} matches ${req.method} ${req.path}${req.query ? `?${req.query}` : ''}`;
    return result;
  }
  candidates.sort(compareCandidates);
  const win = candidates[0];
  for (const c of candidates.slice(1, 11))
    result.outranked.push({
      route: `${c.route.id.namespace}/${c.route.id.name}`,
      rule: c.ruleIndex,
      matchIndex: c.matchIndex,
      why: c.why,
    });
  if (win.usedRegex || win.http?.path.type === 'RegularExpression') {
    result.notes.push(
      'a RegularExpression match decided this: its syntax and precedence are implementation-specific (evaluated here as RE2 against the whole value, ranked after Exact and PathPrefix paths)',
    );
  }

  // 4. what the rule does
  const route = win.route;
  const rule = win.rule;
  const routeState = graph.routeState.get(route);
  const filters = filterResults(cluster, route, rule.filters, req, best.listener.port, win.http);
  const match: GatewayMatch = {
    gateway: gwName,
    listener: best.listener.name,
    ...(best.listenerSet
      ? { listenerSet: `${best.listenerSet.id.namespace}/${best.listenerSet.id.name}` }
      : {}),
    route: `${route.id.namespace}/${route.id.name}`,
    routeKind: route.id.kind,
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
    (b) => routeState?.backends.get(b) ?? resolveBackendRef(cluster, b, route.id.kind, route.id.namespace),
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
      filters: filterResults(cluster, route, r.ref.filters, req, best!.listener.port, win.http),
      ...(bt
        ? {
            backendTLS: {
              policy: `${bt.state.policy.id.namespace}/${bt.state.policy.id.name}`,
              hostname: bt.state.policy.hostname ?? null,
              invalid: bt.fails,
              message: bt.message,
            },
          }
        : {}),
      source: r.ref.source,
    };
  });

  if (redirect) {
    match.redirect = redirect;
    match.status = redirect.statusCode;
    result.match = match;
    return result;
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
      result.notes.push(`${share}% of these requests get HTTP 500: ${bad.map((b) => b.reason).join('; ')}`);
  }
  result.match = match;
  return result;
}
