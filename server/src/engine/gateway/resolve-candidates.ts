// HTTPRoute and GRPCRoute precedence for the Gateway resolver (./resolve.ts): the routes attached to
// the chosen listener that serve the host, every match of their rules that the request meets, and the
// key that orders them (httproute_types.go, grpcroute_types.go): hostname characters (non-wildcard,
// then any), then for HTTP the Exact path, the longest PathPrefix, a method, the most headers, the most
// query parameters; for gRPC the service and method characters and the most headers; then the oldest
// route, then namespace/name, the first rule, the first match.

import type { GrpcMatchInfo, HttpMatchInfo, RouteInfo, RouteRuleInfo } from './types';
import type { ListenerState } from './graph';
import { gatewayHostMatches, isWildcard } from './hostname';
import { grpcMatch, httpMatch } from './match';
import type { GatewayRequest } from './request';

const HTTP_KINDS = new Set(['HTTPRoute', 'GRPCRoute']);

export interface Candidate {
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

export function compareCandidates(a: Candidate, b: Candidate): number {
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

/** Every match of every rule of the HTTPRoutes and GRPCRoutes attached to a listener that serve the
 * request's host, each with its precedence key (unsorted); `forHost` counts the routes for the host. */
export function matchCandidates(
  state: ListenerState | undefined,
  req: GatewayRequest,
  notes: string[],
): { candidates: Candidate[]; forHost: number } {
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
            notes.push(
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
              notes.push(
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
  return { candidates, forHost };
}
