// What the Gateway resolver answers (route --gateway, the preview's URL tester): the request, the
// listener, the route, rule and match, filters, backends with weights, and why nothing serves it; plus
// finding the Gateway a request is resolved against. Shared by the HTTP resolver (resolve.ts) and the
// TLS/TCP/UDP one (resolve-stream.ts).

import type { Cluster } from '../types';
import type { SourceRef } from '../ids';
import type { FilterInfo, GatewayInfo } from './types';
import type { RedirectResult, RewriteResult } from './filters';

export interface GatewayRouteOptions {
  /** "namespace/name" of the Gateway, or its name when only one Gateway has it. */
  gateway: string;
  method?: string;
  headers?: [string, string][];
  /** https only: the server name the client sends in its TLS ClientHello, when it differs from the
   * URL's host (a connection opened for one name and reused for another). */
  sni?: string;
}

export interface BackendTarget {
  service: string;
  namespace: string;
  port: number | null;
}

export interface FilterResult {
  type: string;
  /** The filter's configuration as written (the API field of its type), defaults applied. */
  requestRedirect?: FilterInfo['requestRedirect'];
  urlRewrite?: FilterInfo['urlRewrite'];
  requestHeaderModifier?: FilterInfo['requestHeaderModifier'];
  responseHeaderModifier?: FilterInfo['responseHeaderModifier'];
  requestMirror?: {
    backendRef: { group: string; kind: string; name: string; namespace: string; port: number | null };
    percent?: number;
    fraction?: { numerator: number; denominator: number };
  };
  /** RequestRedirect: the computed redirect. */
  redirect?: RedirectResult;
  /** URLRewrite: what the backend gets. */
  rewrite?: RewriteResult;
  /** Header modifiers as written. */
  set?: { name: string; value: string }[];
  add?: { name: string; value: string }[];
  remove?: string[];
  /** RequestMirror: the mirror's backend, its share, and whether it resolves. */
  mirror?: BackendTarget & { percent: number; invalid: boolean; reason?: string };
  /** ExtensionRef: the object it names. */
  extensionRef?: { group: string; kind: string; name: string };
  source?: SourceRef;
}

export interface BackendResult extends BackendTarget {
  weight: number;
  /** Share of the rule's traffic, percent (0 for weight 0). */
  percent: number;
  /** Set when the backendRef is not a core Service. */
  kind?: string;
  group?: string;
  invalid: boolean;
  /** The ResolvedRefs reason (InvalidKind, RefNotPermitted, BackendNotFound) when invalid. */
  reasonCode?: string;
  reason?: string;
  /** Filters on this backendRef only. */
  filters: FilterResult[];
  /** The BackendTLSPolicy that makes the Gateway connect to this backend over TLS, when one applies. */
  backendTLS?: { policy: string; hostname: string | null; invalid: boolean; message: string };
  source?: SourceRef;
}

export interface GatewayMatch {
  /** "namespace/name" of the Gateway. */
  gateway: string;
  /** Listener name. */
  listener: string;
  /** "namespace/name" of the ListenerSet that declares the listener, when one does. */
  listenerSet?: string;
  /** "namespace/name" of the route. */
  route: string;
  routeKind: string;
  /** Index of the rule in the route (0-based). */
  rule: number;
  ruleName: string | null;
  /** Index of the match in the rule (0-based); null for a GRPCRoute rule without matches. */
  matchIndex: number | null;
  /** The match that was used, in the API's shape with defaults applied. */
  matched: Record<string, unknown>;
  /** The route hostname (after intersection with the listener's) the host matched; null: every host. */
  hostname: string | null;
  why: string;
  /** What the Gateway answers: 200 (forwarded), the redirect's 3xx, or 500. */
  status: number;
  /** The backend the request goes to (the only one or the heaviest); null for a redirect or no backend. */
  backend: BackendTarget | null;
  backends: BackendResult[];
  filters: FilterResult[];
  redirect?: RedirectResult;
  rewrite?: RewriteResult;
  /** The request headers the backend gets after RequestHeaderModifier (names lower-cased). */
  requestHeaders?: Record<string, string>;
  /** True when requests get HTTP 500: no backend, every weight 0, or invalid backends (all of them,
   * or the share of a traffic split that goes to invalid ones: see invalidPercent). */
  invalid: boolean;
  /** The percentage of the rule's requests that get HTTP 500 when only part of a split is invalid
   * (100 when every weighted backend is). */
  invalidPercent?: number;
  reason?: string;
  source?: SourceRef;
  ruleSource?: SourceRef;
  routeSource?: SourceRef;
}

export interface GatewayRouteResult {
  url: string;
  scheme: string;
  host: string;
  port: number;
  path: string;
  method: string;
  headers: Record<string, string>;
  /** "namespace/name" of the Gateway resolved against (null when it was not found). */
  gateway: string | null;
  /** The listener chosen ("name"), null when none serves the request. */
  listener: string | null;
  match: GatewayMatch | null;
  reason?: string;
  /** Other candidates that matched the request but lost on precedence (route, rule, why). */
  outranked: { route: string; rule: number; matchIndex: number | null; why: string }[];
  /** The SNI the connection was opened with (https; the host unless `sni` was given). */
  sni?: string;
  /** The SNI selected one listener and the Host header matches another: the Gateway answers 421
   * Misdirected Request (apis/v1 Listener.hostname). */
  misdirected?: { sniListener: string; hostListener: string };
  /** Routes attached to the chosen listener that were refused (for the explanation of a 404). */
  refused: { route: string; reason: string; message: string }[];
  notes: string[];
  error?: string;
}

/** Find a Gateway by "namespace/name", or by a name only one Gateway has. */
export function findGateway(cluster: Cluster, ref: string): GatewayInfo | { error: string } {
  const gws = cluster.gateways ?? [];
  const slash = ref.indexOf('/');
  if (slash >= 0) {
    const ns = ref.slice(0, slash);
    const name = ref.slice(slash + 1);
    const g = gws.find((x) => x.id.namespace === ns && x.id.name === name);
    if (g) return g;
  } else {
    const named = gws.filter((x) => x.id.name === ref);
    if (named.length === 1) return named[0];
    if (named.length > 1)
      return {
        error: `${named.length} Gateways are named "${ref}" (${named.map((g) => g.id.namespace).join(', ')}); write NAMESPACE/${ref}`,
      };
  }
  const known = gws.map((g) => `${g.id.namespace}/${g.id.name}`);
  return {
    error: `these manifests define no Gateway ${ref}${known.length ? ` (Gateways: ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', ...' : ''})` : ' (they define no Gateway)'}`,
  };
}
