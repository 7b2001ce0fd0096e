// A request as the Gateway resolver takes it: scheme, host, port, path, query parameters, method and
// headers, parsed from a URL (linear time, no regular expression over user text but fixed anchored ones).

export interface GatewayRequest {
  scheme: 'http' | 'https';
  /** Lower-cased, no port, no trailing dot. */
  host: string;
  /** The port the request is sent to: the URL's, else 80 for http and 443 for https. */
  port: number;
  /** True when the URL names the port. */
  portExplicit: boolean;
  /** The path as written (no query, no fragment). */
  path: string;
  /** The query string as written, without `?` ('' when none). */
  query: string;
  /** Query parameters, percent-decoded, in order. */
  queryParams: [string, string][];
  method: string;
  /** Header names lower-cased; repeated headers joined with ", " in order. */
  headers: Map<string, string>;
}

export type ParsedRequest = { ok: true; request: GatewayRequest } | { ok: false; error: string };

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** Parse `scheme://host[:port]/path?query` (the scheme is optional: http). */
export function parseGatewayRequest(
  url: string,
  method = 'GET',
  headers: [string, string][] = [],
): ParsedRequest {
  const s = url.trim();
  if (!s) return { ok: false, error: 'the URL is empty' };
  let rest = s;
  let scheme: 'http' | 'https' = 'http';
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(rest);
  if (m) {
    const sch = m[1].toLowerCase();
    if (sch !== 'http' && sch !== 'https')
      return { ok: false, error: `"${m[1]}://" is not an HTTP URL; use http:// or https://` };
    scheme = sch;
    rest = rest.slice(m[0].length);
  } else if (rest.startsWith('//')) rest = rest.slice(2);
  else if (rest.startsWith('/'))
    return { ok: false, error: `"${s}" has no host; write it as http://HOST${s}` };
  let end = rest.length;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (c === '/' || c === '?' || c === '#') {
      end = i;
      break;
    }
  }
  const authority = rest.slice(0, end);
  let after = rest.slice(end);
  const hash = after.indexOf('#');
  if (hash >= 0) after = after.slice(0, hash);
  const q = after.indexOf('?');
  let path = q >= 0 ? after.slice(0, q) : after;
  const query = q >= 0 ? after.slice(q + 1) : '';
  if (!path) path = '/';
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  let host: string;
  let portText = '';
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0) return { ok: false, error: `"${hostPort}" has an unclosed IPv6 bracket` };
    host = hostPort.slice(1, close);
    const tail = hostPort.slice(close + 1);
    if (tail && !tail.startsWith(':'))
      return { ok: false, error: `unexpected "${tail}" after the IPv6 address` };
    portText = tail.slice(1);
  } else {
    const colon = hostPort.indexOf(':');
    host = colon >= 0 ? hostPort.slice(0, colon) : hostPort;
    portText = colon >= 0 ? hostPort.slice(colon + 1) : '';
  }
  if (portText && (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535))
    return { ok: false, error: `port "${portText}" is not a port number` };
  host = host.toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (!host) return { ok: false, error: `"${s}" has no host; write it as http://HOST/PATH` };
  if (!/^[a-z0-9._:-]+$/.test(host) || host.startsWith('.') || host.includes('..'))
    return { ok: false, error: `"${host}" is not a valid host name` };
  const queryParams: [string, string][] = [];
  if (query) {
    for (const part of query.split('&')) {
      if (!part) continue;
      const eq = part.indexOf('=');
      queryParams.push(
        eq >= 0 ? [decode(part.slice(0, eq)), decode(part.slice(eq + 1))] : [decode(part), ''],
      );
    }
  }
  const hs = new Map<string, string>();
  for (const [name, value] of headers) {
    const k = name.trim().toLowerCase();
    const prev = hs.get(k);
    hs.set(k, prev === undefined ? value.trim() : `${prev}, ${value.trim()}`);
  }
  return {
    ok: true,
    request: {
      scheme,
      host,
      port: portText ? Number(portText) : scheme === 'https' ? 443 : 80,
      portExplicit: !!portText,
      path,
      query,
      queryParams,
      method: method.trim().toUpperCase() || 'GET',
      headers: hs,
    },
  };
}

/** Parse a `Name: value` header argument; undefined when it has no colon or no name. */
export function parseHeaderArg(text: string): [string, string] | undefined {
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  const name = text.slice(0, colon).trim();
  if (!name || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return undefined;
  return [name, text.slice(colon + 1).trim()];
}
