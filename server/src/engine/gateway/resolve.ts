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
// Step 1 is in ./resolve-listener.ts (with the SNI ≠ Host case: 421), steps 2-3 in
// ./resolve-candidates.ts, step 4 in ./resolve-rule.ts; tls://, tcp:// and udp:// in ./resolve-stream.ts.

import type { Cluster } from '../types';
import { gatewayListeners, listenerConflicts } from './attach';
import { gatewayGraph } from './graph';
import type { ListenerState } from './graph';
import { gatewayHostMatches } from './hostname';
import { parseGatewayRequest } from './request';
import { resolveStreamRoute, streamScheme } from './resolve-stream';
import { listenersOnPort, misdirected, mostSpecificListener } from './resolve-listener';
import { compareCandidates, matchCandidates } from './resolve-candidates';
import { ruleAnswer } from './resolve-rule';

export type {
  GatewayRouteOptions,
  BackendTarget,
  FilterResult,
  BackendResult,
  GatewayMatch,
  GatewayRouteResult,
} from './result';
import type { GatewayRouteOptions, GatewayRouteResult } from './result';
export { findGateway } from './result';
import { findGateway } from './result';

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
  let best = mostSpecificListener(byPort.listeners, req.host);
  if (req.scheme === 'https') {
    const sni = options.sni?.toLowerCase().replace(/\.$/, '') ?? req.host;
    result.sni = sni;
    if (sni !== req.host) {
      const misdirect = misdirected(byPort.listeners, sni, req.host, gwName, byPort.port);
      if ('reason' in misdirect) {
        result.reason = misdirect.reason;
        if (misdirect.sniListener) result.listener = misdirect.sniListener.listener.name;
        if (misdirect.misdirected) result.misdirected = misdirect.misdirected;
        if (misdirect.note) result.notes.push(misdirect.note);
        return result;
      }
      best = misdirect.listener;
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

  // 2. routes for the host, 3. matches, in precedence order (./resolve-candidates.ts)
  const { candidates, forHost } = matchCandidates(state, req, result.notes);
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

  // 4. what the rule does (./resolve-rule.ts)
  result.match = ruleAnswer(cluster, gwName, best, win, req, result.notes);
  return result;
}
