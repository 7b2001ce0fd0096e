// The request URL a route is resolved for: host and path, with clear errors for what is not HTTP.

export type ParsedUrl =
  { host: string; path: string; error?: undefined } | { error: string; host?: undefined; path?: undefined };

/** Host (lower-cased, no port, no trailing dot) and path (as written, without query or fragment) of a
 * request URL. A scheme is optional (`shop.example.com/api` works); only http and https are accepted. */
export function parseRequestUrl(url: string): ParsedUrl {
  const s = url.trim();
  if (!s) return { error: 'the URL is empty' };
  let rest = s;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(rest);
  if (scheme) {
    if (!/^https?$/i.test(scheme[1]))
      return { error: `"${scheme[1]}://" is not an HTTP URL; use http:// or https://` };
    rest = rest.slice(scheme[0].length);
  } else if (rest.startsWith('//')) {
    rest = rest.slice(2);
  } else if (rest.startsWith('/')) {
    return { error: `"${s}" has no host; write it as http://HOST${s}` };
  }
  const authority = /^[^/?#]*/.exec(rest)![0];
  let path = rest.slice(authority.length);
  const q = path.search(/[?#]/);
  if (q >= 0) path = path.slice(0, q);
  if (!path) path = '/';
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  let host: string;
  let port = '';
  if (hostPort.startsWith('[')) {
    const end = hostPort.indexOf(']');
    if (end < 0) return { error: `"${hostPort}" has an unclosed IPv6 bracket` };
    host = hostPort.slice(1, end);
    const after = hostPort.slice(end + 1);
    if (after && !after.startsWith(':')) return { error: `unexpected "${after}" after the IPv6 address` };
    port = after.slice(1);
  } else {
    const colon = hostPort.indexOf(':');
    host = colon >= 0 ? hostPort.slice(0, colon) : hostPort;
    port = colon >= 0 ? hostPort.slice(colon + 1) : '';
  }
  if (port && !/^\d{1,5}$/.test(port)) return { error: `port "${port}" is not a number` };
  host = host.toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (!host) return { error: `"${s}" has no host; write it as http://HOST/PATH` };
  if (!/^[a-z0-9._:-]+$/.test(host) || host.startsWith('.') || host.includes('..'))
    return { error: `"${host}" is not a valid host name` };
  return { host, path };
}
