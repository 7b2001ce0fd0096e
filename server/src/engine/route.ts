// Route resolution: which backend serves a URL, following Ingress semantics, and where the route goes
// from there (Service → Service port → targetPort → workloads → container port), plus TLS.
//
// Pure TypeScript over engine/types.ts. The rules:
// - Host: exact host (case-insensitive, the request's port ignored) wins over a wildcard host
//   (`*.example.com` = exactly one extra leading label), which wins over rules without a host (every
//   host). The most specific tier that has any rule for the host serves the request; a request does not
//   fall through to a less specific tier when no path matches (controllers give each host its own
//   virtual server).
// - Path: Exact (whole path, case-sensitive) before Prefix (element-wise on `/`, trailing slash
//   ignored), then the longest path. ImplementationSpecific is treated as Prefix, Exact, or a regular
//   expression the way ingress-nginx writes it (`use-regex`: `location ~* "^<path>"`, i.e. PCRE,
//   case-insensitive, `^` put in front), evaluated in linear time by engine/regex.ts; a path that uses a
//   PCRE-only construct is left out with a note saying so.
// - Ingresses (of the chosen class) that share a host merge their rules. Ties (same host tier, same
//   path, same kind of match, different backends) are reported as conflicts; the first in
//   namespace/name order is shown as chosen.
// - No path matches: the default backend of the Ingresses that serve the host; else the default
//   backend of an Ingress without rules (a catch-all); else no match, with the nearest rule.
// - Ingresses of the AWS Load Balancer Controller: the ALB takes the first rule of its listener that
//   matches (route/alb.ts: group.order, then the controller's path order), which can differ from the
//   above; the result then says what the Ingress API's precedence would have picked.
//
// The parts live in engine/route/: url, match, rule-index, nearest, backend, tls, and graph (the route
// graph every backend and TLS fact comes from); this file resolves.

import type { BackendInfo, Cluster, IngressInfo } from './types';
import type { RouteOptions, RouteResult } from './route/types';
import { parseRequestUrl } from './route/url';
import { matchPath, defaultBackendFor } from './route/match';
import { routeIndex, wildcardGroup } from './route/rule-index';
import { explainNoMatch } from './route/nearest';
import { followBackend } from './route/backend';
import { tlsFor } from './route/tls';
import { albListenerMatch } from './route/alb';

export type * from './route/types';
export { parseRequestUrl } from './route/url';
export type { ParsedUrl } from './route/url';
export { normalizePrefix, prefixMatches, backendText } from './route/match';
export { defaultIngressClass, effectiveIngressClass } from './route/rule-index';
export { routeGraph, buildRouteGraph, ROUTE_GRAPH_RULES } from './route/graph';
export { gatewayEntryId, gatewayMatchFacts } from './route/gateway-facts';
export type { GatewayMatchFacts } from './route/gateway-facts';
export type * from './route/graph';

export function resolveRoute(cluster: Cluster, url: string, options: RouteOptions = {}): RouteResult {
  const mode = options.implementationSpecific ?? 'prefix';
  const parsed = parseRequestUrl(url);
  const result: RouteResult = {
    url,
    host: parsed.host ?? '',
    path: parsed.path ?? '',
    ingressClass: options.ingressClass ?? null,
    implementationSpecific: mode,
    match: null,
    conflicts: [],
    pods: [],
    problems: [],
    notes: [],
  };
  if (parsed.error !== undefined) {
    result.reason = `invalid URL: ${parsed.error}`;
    result.problems.push({ step: 'url', message: result.reason });
    return result;
  }
  const { host, path } = parsed;
  const idx = routeIndex(cluster, options.ingressClass, mode);

  if (idx.classesNote) result.notes.push(idx.classesNote);

  const group = idx.exact.get(host) ?? wildcardGroup(idx, host) ?? idx.any;
  let matchedIngress: IngressInfo | undefined;
  let matchedBackend: BackendInfo | undefined;
  if (group) {
    const found = matchPath(group, path, result);
    if (found) {
      matchedIngress = found.ingress;
      matchedBackend = found.backend;
      result.match = found.match;
    }
    for (const problem of idx.ignored.get(group) ?? []) result.notes.push(problem.message);
  }
  if (!result.match) {
    const fallback = defaultBackendFor(idx, group, host, path, result);
    if (fallback) {
      matchedIngress = fallback.ingress;
      matchedBackend = fallback.backend;
      result.match = fallback.match;
    }
  }
  // an AWS load balancer takes the first rule of its listener that matches, not the most specific one
  const alb = albListenerMatch(cluster, idx, host, path, result);
  if (alb) {
    const k8s = result.match;
    const same =
      k8s &&
      !k8s.defaultBackend &&
      k8s.ingress === alb.match.ingress &&
      k8s.host === alb.match.host &&
      k8s.path === alb.match.path &&
      k8s.pathType === alb.match.pathType;
    if (!same) {
      if (k8s)
        result.notes.push(
          `the Ingress API's precedence (most specific host, then longest path) would pick ${k8s.defaultBackend ? `the default backend of Ingress ${k8s.ingress}` : `${k8s.pathType} ${k8s.path} of Ingress ${k8s.ingress}`}; the ALB takes the first rule of its listener that matches`,
        );
      result.conflicts = result.conflicts.filter((c) => c.kind !== 'path');
      matchedIngress = alb.ingress;
      matchedBackend = alb.entry.backend;
      result.match = alb.match;
    }
  }
  if (!result.match || !matchedIngress || !matchedBackend) {
    explainNoMatch(idx, group, host, path, options.ingressClass, result);
    return result;
  }
  result.match.ingressClass = idx.classOf.get(matchedIngress) ?? null;
  followBackend(cluster, matchedIngress, matchedBackend, result.match, result);
  tlsFor(cluster, idx, matchedIngress, host, result);
  return result;
}
