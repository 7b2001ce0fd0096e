// Which TLSRoute, TCPRoute or UDPRoute of a Gateway takes a connection: `tls://SNI[:port]` (port 443 by
// default), `tcp://HOST:port`, `udp://HOST:port` (the host of a TCP or UDP URL only names the Gateway's
// address; it takes no part in matching).
//
// TLS (tlsroute_types.go, conformance tlsroute-*): the TLS listeners on the port; among them the one
// whose hostname matches the SNI most specifically (exact, then the longest wildcard, then none); among
// the TLSRoutes attached to it whose hostnames (cut down to the listener's) match the SNI, the most
// specific hostname, then the oldest route, then namespace/name. A listener in Passthrough mode hands
// the TLS stream to the backend untouched; Terminate decrypts it first.
// TCP and UDP (tcproute_types.go, udproute_types.go, conformance tcproute-multiple-routes-attachment):
// the listener of that protocol on the port; of the routes attached to it, the oldest (then
// namespace/name) takes every connection.
// The rule's backendRefs share the connections by weight (weight 0: none); a connection that would go
// to an invalid backend fails (status 500 in the result, as for HTTP).

import type { Cluster } from '../types';
import type { RouteInfo } from './types';
import type { ListenerRef } from './attach';
import { compareByAge, gatewayListeners, listenerConflicts } from './attach';
import { gatewayGraph } from './graph';
import { hostSpecificity, isWildcard, gatewayHostMatches } from './hostname';
import { resolveBackendRef } from './refs';
import { backendTlsFor, backendTlsSummary } from './backend-tls';
import type { BackendResult, GatewayMatch, GatewayRouteResult } from './result';
import { findGateway } from './result';
import { matchPlace } from './resolve-rule';

export type StreamScheme = 'tls' | 'tcp' | 'udp';

const PROTOCOL: Record<StreamScheme, string> = { tls: 'TLS', tcp: 'TCP', udp: 'UDP' };
const KIND: Record<StreamScheme, string> = { tls: 'TLSRoute', tcp: 'TCPRoute', udp: 'UDPRoute' };

/** `tls://`, `tcp://` or `udp://` at the start of a URL (any case), else undefined. */
export function streamScheme(url: string): StreamScheme | undefined {
  const m = /^\s*(tls|tcp|udp):\/\//i.exec(url);
  return m ? (m[1].toLowerCase() as StreamScheme) : undefined;
}

function parse(url: string, scheme: StreamScheme): { host: string; port: number } | { error: string } {
  const rest = url.trim().slice(scheme.length + 3);
  const end = rest.search(/[/?#]/);
  const authority = end >= 0 ? rest.slice(0, end) : rest;
  if (end >= 0 && rest.slice(end).replace(/^\/$/, '') !== '')
    return { error: `a ${scheme}:// URL has no path or query (got "${rest.slice(end)}")` };
  let host = authority;
  let portText = '';
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close < 0) return { error: `"${authority}" has an unclosed IPv6 bracket` };
    host = authority.slice(1, close);
    portText = authority.slice(close + 1).replace(/^:/, '');
  } else {
    const colon = authority.lastIndexOf(':');
    if (colon >= 0) {
      host = authority.slice(0, colon);
      portText = authority.slice(colon + 1);
    }
  }
  host = host.toLowerCase().replace(/\.$/, '');
  if (!host) return { error: `"${url}" has no host${scheme === 'tls' ? ' (the SNI name)' : ''}` };
  if (!portText) {
    if (scheme === 'tls') return { host, port: 443 };
    return {
      error: `a ${scheme}:// URL needs a port, e.g. ${scheme}://${host}:${scheme === 'udp' ? 53 : 5432}`,
    };
  }
  if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535)
    return { error: `port "${portText}" is not a port number` };
  return { host, port: Number(portText) };
}

function hostRank(h: string | undefined): [number, number] {
  if (h === undefined) return [0, 0];
  return [isWildcard(h) ? 0 : h.length, h.length];
}

function pct(weight: number, total: number): number {
  return total > 0 ? Math.round((10000 * weight) / total) / 100 : 0;
}

/** Resolve a TLS, TCP or UDP connection against one Gateway. */
export function resolveStreamRoute(cluster: Cluster, url: string, gatewayRef: string): GatewayRouteResult {
  const scheme = streamScheme(url)!;
  const parsed = parse(url, scheme);
  const result: GatewayRouteResult = {
    url,
    scheme,
    host: 'host' in parsed ? parsed.host : '',
    port: 'port' in parsed ? parsed.port : 0,
    path: '',
    method: '',
    headers: {},
    gateway: null,
    listener: null,
    match: null,
    outranked: [],
    refused: [],
    notes: [],
  };
  if ('error' in parsed) {
    result.error = `invalid URL: ${parsed.error}`;
    result.reason = result.error;
    return result;
  }
  const gw = findGateway(cluster, gatewayRef);
  if ('error' in gw) {
    result.error = gw.error;
    result.reason = gw.error;
    return result;
  }
  const gwName = `${gw.id.namespace}/${gw.id.name}`;
  result.gateway = gwName;
  const protocol = PROTOCOL[scheme];
  const kind = KIND[scheme];
  const conflicts = listenerConflicts(cluster, gw);
  const all = gatewayListeners(cluster, gw).filter((l) => l.listener.protocol === protocol);
  const live = all.filter((l) => !conflicts.has(l.key));
  for (const l of all)
    if (conflicts.has(l.key) && l.listener.port === parsed.port)
      result.notes.push(`${conflicts.get(l.key)!.message}: it serves nothing`);
  const onPort = live.filter((l) => l.listener.port === parsed.port);
  if (onPort.length === 0) {
    const ports = [...new Set(live.map((l) => l.listener.port))];
    result.reason = `rejected: no ${protocol} listener of Gateway ${gwName} listens on port ${parsed.port}${ports.length ? ` (its ${protocol} ports: ${ports.join(', ')})` : ` (it has no ${protocol} listener)`}`;
    return result;
  }
  let best: ListenerRef | undefined;
  if (scheme === 'tls') {
    let score = -1;
    for (const l of onPort) {
      const s = hostSpecificity(l.listener.hostname, parsed.host);
      if (s > score) {
        score = s;
        best = l;
      }
    }
    if (!best) {
      result.reason = `rejected: no TLS listener of Gateway ${gwName} on port ${parsed.port} accepts SNI ${parsed.host}; its listeners there: ${onPort.map((l) => `"${l.listener.name}" (${l.listener.hostname ?? 'every host'})`).join(', ')}`;
      return result;
    }
  } else {
    best = onPort[0];
    if (onPort.length > 1)
      result.notes.push(
        `${onPort.length} ${protocol} listeners share port ${parsed.port}: "${best.listener.name}" is taken (they conflict; see the listener status)`,
      );
  }
  result.listener = best.listener.name;
  const state = gatewayGraph(cluster).listenerState.get(best.key);
  for (const r of state?.refused ?? [])
    result.refused.push({
      route: `${r.route.id.namespace}/${r.route.id.name}`,
      reason: r.verdict.reason,
      message: r.verdict.message,
    });
  const where = `listener "${best.listener.name}" of Gateway ${gwName}`;
  const attached = (state?.attached ?? []).filter((a) => a.route.id.kind === kind);
  type Cand = { route: RouteInfo; hostname: string | undefined; rank: [number, number] };
  const cands: Cand[] = [];
  for (const a of attached) {
    if (scheme !== 'tls') {
      cands.push({ route: a.route, hostname: undefined, rank: [0, 0] });
      continue;
    }
    let pick: Cand | undefined;
    for (const h of a.verdict.hostnames) {
      if (h !== undefined && !gatewayHostMatches(h, parsed.host)) continue;
      const rank = hostRank(h);
      if (!pick || rank[0] > pick.rank[0] || (rank[0] === pick.rank[0] && rank[1] > pick.rank[1]))
        pick = { route: a.route, hostname: h, rank };
    }
    if (pick) cands.push(pick);
  }
  if (cands.length === 0) {
    result.reason =
      attached.length === 0
        ? `rejected: no ${kind} is attached to ${where}${result.refused.length ? ` (refused: ${result.refused.map((r) => `${r.route}: ${r.reason}`).join('; ')})` : ''}`
        : `rejected: none of the ${attached.length} ${kind}${attached.length === 1 ? '' : 's'} attached to ${where} serves SNI ${parsed.host}`;
    return result;
  }
  cands.sort((a, b) => b.rank[0] - a.rank[0] || b.rank[1] - a.rank[1] || compareByAge(a.route, b.route));
  const win = cands[0];
  for (const c of cands.slice(1, 11))
    result.outranked.push({
      route: `${c.route.id.namespace}/${c.route.id.name}`,
      rule: 0,
      matchIndex: null,
      why: scheme === 'tls' ? `SNI ${c.hostname ?? 'every host'}` : 'a newer route on the same listener',
    });
  if (scheme !== 'tls' && cands.length > 1)
    result.notes.push(
      `${cands.length} ${kind}s are attached to ${where}: the oldest (then the first by namespace/name) takes every connection`,
    );
  const route = win.route;
  const ruleIndex = route.rules.findIndex((r) => r.backendRefs.length > 0);
  const rule = route.rules[ruleIndex >= 0 ? ruleIndex : 0];
  const mode = scheme === 'tls' ? (best.listener.tls?.mode ?? 'Terminate') : undefined;
  const match: GatewayMatch = {
    ...matchPlace(gwName, best, route),
    rule: ruleIndex >= 0 ? ruleIndex : 0,
    ruleName: rule?.name ?? null,
    matchIndex: null,
    matched: scheme === 'tls' ? { sni: parsed.host, ...(mode ? { tlsMode: mode } : {}) } : {},
    hostname: win.hostname ?? null,
    why:
      scheme === 'tls'
        ? `SNI ${parsed.host} matches ${win.hostname ?? 'every host'}${mode === 'Passthrough' ? ' (TLS passed through to the backend)' : ' (TLS terminated at the Gateway)'}`
        : `the ${route.id.kind} attached to the ${protocol} listener`,
    status: 200,
    backend: null,
    backends: [],
    filters: [],
    invalid: false,
    source: rule?.source ?? route.source,
    ruleSource: rule?.source,
    routeSource: route.source,
  };
  result.match = match;
  const refs = rule?.backendRefs ?? [];
  const total = refs.reduce((s, b) => s + Math.max(0, b.weight), 0);
  match.backends = refs.map((b): BackendResult => {
    const r = resolveBackendRef(cluster, b, route.id.kind, route.id.namespace);
    const isService = b.kind === 'Service' && (b.group === '' || b.group === 'core');
    // A BackendTLSPolicy applies where the Gateway opens the connection to the backend over TLS: a
    // TLS listener that terminates (the stream is re-encrypted). Passthrough hands the client's TLS
    // through untouched, and TCP/UDP carry no TLS of the Gateway's.
    const bt = r.valid && r.service ? backendTlsFor(cluster, r.service, r.servicePort) : undefined;
    const applies = bt && scheme === 'tls' && mode === 'Terminate';
    if (bt && !applies)
      result.notes.push(
        `BackendTLSPolicy ${bt.state.policy.id.namespace}/${bt.state.policy.id.name} targets Service ${b.namespace}/${b.name} but does not apply here: ${scheme === 'tls' ? "a Passthrough listener hands the client's TLS stream to the backend unchanged" : `the Gateway forwards ${scheme.toUpperCase()} without TLS of its own`}`,
      );
    const fails = !!(applies && bt.fails);
    return {
      service: b.name,
      namespace: b.namespace,
      port: b.port ?? null,
      weight: b.weight,
      percent: pct(Math.max(0, b.weight), total),
      ...(isService ? {} : { kind: b.kind, group: b.group }),
      invalid: !r.valid || fails,
      ...(!r.valid
        ? { reasonCode: r.reason, reason: r.message }
        : fails
          ? { reasonCode: 'InvalidBackendTLSPolicy', reason: bt!.message }
          : {}),
      filters: [],
      ...(applies
        ? {
            backendTLS: backendTlsSummary(bt),
          }
        : {}),
      source: b.source,
    };
  });
  const weighted = match.backends.filter((b) => b.weight > 0);
  if (refs.length === 0 || weighted.length === 0) {
    match.invalid = true;
    match.invalidPercent = 100;
    match.status = 500;
    match.reason =
      refs.length === 0
        ? `${route.id.kind} ${match.route} has no backendRefs: the connection is closed`
        : `every backendRef of ${route.id.kind} ${match.route} has weight 0: the connection is closed`;
    return result;
  }
  const h = weighted.reduce((acc, b) => (b.weight > acc.weight ? b : acc), weighted[0]);
  match.backend = { service: h.service, namespace: h.namespace, port: h.port };
  const bad = weighted.filter((b) => b.invalid);
  if (bad.length) {
    const share = Math.round(bad.reduce((s, b) => s + b.percent, 0) * 100) / 100;
    match.invalid = true;
    match.invalidPercent = share;
    match.reason = `${share}% of the connections (the share of ${bad.map((b) => `${b.namespace}/${b.service}`).join(', ')}) fail: ${bad.map((b) => b.reason).join('; ')}`;
  }
  if (h.invalid) match.status = 500;
  return result;
}
