// The listener step of the Gateway resolver (./resolve.ts): which HTTP/HTTPS listeners of a Gateway a
// request reaches by port (with the fallbacks when no listener listens on the URL's port), the most
// specific one for a host name, and for an HTTPS request whose Host differs from its connection's SNI,
// whether the Gateway answers 421 Misdirected Request (apis/v1 Listener.hostname).

import type { ListenerRef } from './attach';
import { gatewayHostMatches, hostSpecificity } from './hostname';
import type { GatewayRequest } from './request';

function protocolFits(l: ListenerRef, scheme: string): boolean {
  return scheme === 'https' ? l.listener.protocol === 'HTTPS' : l.listener.protocol === 'HTTP';
}

function isHttpFamily(l: ListenerRef): boolean {
  return l.listener.protocol === 'HTTP' || l.listener.protocol === 'HTTPS';
}

/** The listeners a request reaches by port (see the header for the fallbacks), with notes. */
export function listenersOnPort(
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

/** An HTTPS request whose Host differs from the SNI its connection was opened with (apis/v1
 * Listener.hostname): the SNI selects the connection's listener (the most specific match; none: the
 * handshake fails). If the Host header matches another listener on the port (more specific, or the
 * SNI's listener does not match it), the Gateway answers 421 Misdirected Request; if no listener
 * matches the Host, 404; otherwise the SNI's listener serves the request. */
export function misdirected(
  listeners: ListenerRef[],
  sni: string,
  host: string,
  gwName: string,
  port: number,
):
  | { listener: ListenerRef }
  | {
      reason: string;
      sniListener?: ListenerRef;
      misdirected?: { sniListener: string; hostListener: string };
      note?: string;
    } {
  const https = listeners.filter((l) => l.listener.protocol === 'HTTPS');
  const bySni = mostSpecificListener(https, sni);
  const names = (ls: ListenerRef[]) =>
    ls.map((l) => `"${l.listener.name}" (${l.listener.hostname ?? 'every host'})`).join(', ');
  if (!bySni)
    return {
      reason: `rejected: no HTTPS listener of Gateway ${gwName} on port ${port} accepts SNI ${sni}, so no certificate is offered and the TLS handshake fails; its HTTPS listeners there: ${names(https) || 'none'}`,
    };
  const byHost = mostSpecificListener(https, host);
  const sniName = `"${bySni.listener.name}" (${bySni.listener.hostname ?? 'every host'})`;
  if (!byHost)
    return {
      reason: `404: the connection was opened for SNI ${sni}, which selects listener ${sniName}; no listener of Gateway ${gwName} on port ${port} accepts host ${host}`,
      sniListener: bySni,
    };
  if (byHost !== bySni) {
    const hostName = `"${byHost.listener.name}" (${byHost.listener.hostname ?? 'every host'})`;
    const sniMatchesHost =
      bySni.listener.hostname === undefined || gatewayHostMatches(bySni.listener.hostname, host);
    return {
      reason: `421: Misdirected Request: the connection was opened for SNI ${sni}, which selects listener ${sniName}, but host ${host} belongs to listener ${hostName}${sniMatchesHost ? ', a more specific match' : ''}; the client must open a new connection for ${host}`,
      sniListener: bySni,
      misdirected: { sniListener: bySni.listener.name, hostListener: byHost.listener.name },
      note: "detecting misdirected requests is a SHOULD of the Gateway API (Extended feature GatewayHTTPSListenerDetectMisdirectedRequests): an implementation without it may serve the request from the routes of the SNI's listener",
    };
  }
  return { listener: bySni };
}

/** The listener whose hostname matches a name most specifically (exact, then the longest wildcard,
 * then no hostname); undefined when none matches. */
export function mostSpecificListener(listeners: ListenerRef[], name: string): ListenerRef | undefined {
  let found: ListenerRef | undefined;
  let score = -1;
  for (const l of listeners) {
    const s = hostSpecificity(l.listener.hostname, name);
    if (s > score) {
      found = l;
      score = s;
    }
  }
  return found;
}
