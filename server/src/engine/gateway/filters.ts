// HTTPRoute filters applied to one request, with what they compute: the Location of a RequestRedirect
// (scheme, hostname, port and path per HTTPRequestRedirectFilter), the path and Host a URLRewrite
// sends to the backend, header modifiers and mirrors as written (a mirror's backend resolved).

import type { FilterInfo, HeaderModifierInfo, HttpMatchInfo, PathModifierInfo } from './types';
import type { GatewayRequest } from './request';

export interface RedirectResult {
  statusCode: number;
  scheme: string;
  hostname: string;
  /** The port of the Location; null when it is the scheme's well-known port (then left out). */
  port: number | null;
  path: string;
  /** The Location header. */
  location: string;
}

export interface RewriteResult {
  /** The Host header the backend gets. */
  hostname: string;
  /** The path the backend gets. */
  path: string;
}

/**
 * ReplacePrefixMatch: the matched prefix (whole path elements, its trailing slash ignored) is replaced.
 * The spec's table: /foo/bar with prefix /foo and /xyz → /xyz/bar; /xyz/ → /xyz/bar; "" → /bar;
 * /foo/ with /xyz → /xyz/; /foo with "" or "/" → /.
 */
export function replacePrefix(path: string, prefix: string, replacement: string): string {
  const p = prefix.replace(/\/+$/, '');
  const rest = path.startsWith(p) ? path.slice(p.length) : path;
  const r = replacement.replace(/\/+$/, '');
  const out = r + rest;
  if (out === '') return '/';
  return out.startsWith('/') ? out : `/${out}`;
}

/** The path a path modifier makes of the request's path (undefined modifier: unchanged). */
export function modifyPath(
  mod: PathModifierInfo | undefined,
  path: string,
  match: HttpMatchInfo | undefined,
): string {
  if (!mod) return path;
  if (mod.type === 'ReplaceFullPath' && mod.replaceFullPath !== undefined) return mod.replaceFullPath;
  if (mod.type === 'ReplacePrefixMatch' && mod.replacePrefixMatch !== undefined) {
    // Only defined for a PathPrefix match (the CRD rejects the rest); otherwise the path is kept.
    if (!match || match.path.type !== 'PathPrefix') return path;
    return replacePrefix(path, match.path.value, mod.replacePrefixMatch);
  }
  return path;
}

const WELL_KNOWN: Record<string, number> = { http: 80, https: 443 };

export function computeRedirect(
  f: NonNullable<FilterInfo['requestRedirect']>,
  req: GatewayRequest,
  listenerPort: number,
  match: HttpMatchInfo | undefined,
): RedirectResult {
  const scheme = f.scheme ?? req.scheme;
  const hostname = f.hostname ?? req.host;
  // The port: as written; else the scheme's well-known port when the filter sets a scheme; else the
  // listener's port. Left out of the Location when it is the scheme's well-known port.
  const port = f.port ?? (f.scheme !== undefined ? (WELL_KNOWN[scheme] ?? listenerPort) : listenerPort);
  const shownPort = WELL_KNOWN[scheme] === port ? null : port;
  const path = modifyPath(f.path, req.path, match);
  const host = hostname.includes(':') ? `[${hostname}]` : hostname;
  const location = `${scheme}://${host}${shownPort === null ? '' : `:${shownPort}`}${path}${req.query ? `?${req.query}` : ''}`;
  return { statusCode: f.statusCode, scheme, hostname, port: shownPort, path, location };
}

export function computeRewrite(
  f: NonNullable<FilterInfo['urlRewrite']>,
  req: GatewayRequest,
  match: HttpMatchInfo | undefined,
): RewriteResult {
  return { hostname: f.hostname ?? req.host, path: modifyPath(f.path, req.path, match) };
}

/** The request headers after a RequestHeaderModifier: set replaces, add appends, remove drops. */
export function applyHeaderModifier(
  mod: HeaderModifierInfo,
  headers: Map<string, string>,
): Map<string, string> {
  const out = new Map(headers);
  for (const h of mod.set) out.set(h.name.toLowerCase(), h.value);
  for (const h of mod.add) {
    const k = h.name.toLowerCase();
    const prev = out.get(k);
    out.set(k, prev === undefined ? h.value : `${prev},${h.value}`);
  }
  for (const name of mod.remove) out.delete(name.toLowerCase());
  return out;
}
