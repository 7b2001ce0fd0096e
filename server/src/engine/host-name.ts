// Host names as Ingress rules, tls entries and certificates write them, and the one wildcard rule they
// share: a wildcard is a whole leftmost label `*` standing for exactly one label.

/** Lower case, no surrounding spaces, no trailing dot: the form host names compare in. */
export function normalizeHost(h: string): string {
  return h.trim().toLowerCase().replace(/\.$/, '');
}

/**
 * Does a host pattern (an Ingress rule or tls host, a certificate's DNS name) cover a host? Case and a
 * trailing dot are ignored. `*.example.com` covers `a.example.com`, not `example.com` nor
 * `a.b.example.com`; a `*` anywhere but as the whole first label matches only itself; a wildcard host
 * (`*.example.com` asked for as such) is covered only by the same wildcard.
 */
export function hostCovers(pattern: string, host: string): boolean {
  const p = normalizeHost(pattern);
  const h = normalizeHost(host);
  if (p === h) return true;
  if (!p.startsWith('*.') || h.startsWith('*.')) return false;
  const dot = h.indexOf('.');
  if (dot <= 0) return false;
  return h.slice(dot + 1) === p.slice(2) && !p.slice(2).includes('*');
}
