// Host names the Gateway API way. A Gateway listener or route hostname `*.example.com` is a suffix
// match: it covers `a.example.com` and `a.b.example.com` (one label or more), never `example.com`.
// (An Ingress wildcard covers exactly one label: engine/host-name.ts.) Comparison ignores case and a
// trailing dot.

import { normalizeHost } from '../host-name';

export function isWildcard(h: string): boolean {
  return h.startsWith('*.');
}

/** Does a Gateway API hostname (exact or `*.suffix`) match a request's host (no port)? */
export function gatewayHostMatches(pattern: string, host: string): boolean {
  const p = normalizeHost(pattern);
  const h = normalizeHost(host);
  if (!isWildcard(p)) return p === h;
  const suffix = p.slice(1); // ".example.com"
  return (
    h.length > suffix.length && h.endsWith(suffix) && !h.slice(0, h.length - suffix.length).startsWith('.')
  );
}

/**
 * The host names a route hostname and a listener hostname both accept, as one hostname, or undefined
 * when they accept none in common. An undefined side accepts every host.
 *   listener foo.example.com + route *.example.com → foo.example.com
 *   listener *.example.com + route a.b.example.com → a.b.example.com
 *   listener *.example.com + route *.b.example.com → *.b.example.com
 */
export function intersectHostnames(
  listener: string | undefined,
  route: string | undefined,
): string | undefined | null {
  if (listener === undefined) return route === undefined ? undefined : normalizeHost(route);
  const l = normalizeHost(listener);
  if (route === undefined) return l;
  const r = normalizeHost(route);
  if (l === r) return l;
  if (isWildcard(l) && gatewayHostMatches(l, isWildcard(r) ? r.slice(2) : r)) return r;
  if (isWildcard(r) && gatewayHostMatches(r, isWildcard(l) ? l.slice(2) : l)) return l;
  return null;
}

/** The hostnames a route serves on a listener: its own hostnames cut down to the listener's (empty
 * route hostnames: the listener's, or every host when the listener has none too → [undefined]).
 * Empty result: no hostname in common, the route cannot attach to the listener. */
export function effectiveHostnames(
  listenerHostname: string | undefined,
  routeHostnames: readonly string[],
): (string | undefined)[] {
  if (routeHostnames.length === 0)
    return [listenerHostname === undefined ? undefined : normalizeHost(listenerHostname)];
  const out: string[] = [];
  for (const r of routeHostnames) {
    const x = intersectHostnames(listenerHostname, r);
    if (typeof x === 'string' && !out.includes(x)) out.push(x);
  }
  return out;
}

/** How specifically a hostname (undefined: every host) matches: exact beats any wildcard, and a
 * longer wildcard beats a shorter one. Higher is more specific; -1 when it does not match. */
export function hostSpecificity(pattern: string | undefined, host: string): number {
  if (pattern === undefined) return 0;
  if (!gatewayHostMatches(pattern, host)) return -1;
  const p = normalizeHost(pattern);
  return isWildcard(p) ? 1 + p.length : 100_000 + p.length;
}
