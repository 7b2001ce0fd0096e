// Domain names as the other end of a connection (`reach --to api.example.com`), and the patterns each
// policy dialect writes for them. A name's addresses come from DNS at run time, so an address rule
// (ipBlock, CIDR, nets) holds it only when it holds every address; the domain rules decide it by name:
//
// - network-policy-api `domainNames` (ClusterNetworkPolicy, AdminNetworkPolicy): an exact name, or
//   `*.` + a name, which matches one or more whole labels in front of it (`*.kubernetes.io` matches
//   `www.kubernetes.io` and `a.b.kubernetes.io`, not `kubernetes.io`).
// - Calico `allowedEgressDomains` of a NetworkSet / GlobalNetworkSet (Calico Enterprise and Cloud): an
//   exact name, or one `*` in any label position matching one or more labels there (`www.*.com`).
// - Cilium `toFQDNs` `matchName` (exact) and `matchPattern`: `*` matches any run of characters within
//   a label (never a dot); `*` alone matches every name; a leading `**.` matches one or more whole
//   labels (`**.cilium.io` matches `docs.cilium.io` and `a.b.cilium.io`, not `cilium.io`: Cilium's
//   the example examples/policies/l3/fqdn/fqdn-short.yaml beside the eight `*.`-deep patterns of
//   fqdn-cascade.yaml it replaces).
// - Antrea `fqdn`: an exact name, or a `*` that matches any characters, dots included (`*foobar.com`
//   matches `foobar.com` and `a.b.foobar.com`).
// Names compare case-insensitively, without a trailing dot. Names and patterns are bounded by DNS (253
// characters), and no matcher uses a regular expression on them.

const NAME =
  /^(?=.{1,253}\.?$)([a-z0-9_]([-a-z0-9_]{0,61}[a-z0-9_])?\.)+[a-z0-9_]([-a-z0-9_]{0,61}[a-z0-9_])?\.?$/i;

/** Is this text a fully qualified domain name (at least two labels)? */
export function isDomainName(text: string): boolean {
  return NAME.test(text) && /[a-z]/i.test(text) && !/^\d+(\.\d+){3}$/.test(text);
}

function norm(s: string): string {
  return s.toLowerCase().replace(/\.$/, '');
}

/** network-policy-api domainNames: exact, or `*.suffix` for one or more labels before suffix. */
export function npaDomainMatches(pattern: string, name: string): boolean {
  const p = norm(pattern);
  const n = norm(name);
  if (!p.startsWith('*.')) return p === n;
  const suffix = p.slice(1); // ".kubernetes.io"
  return n.length > suffix.length && n.endsWith(suffix);
}

/** Calico allowedEgressDomains: exact, or one `*` label matching one or more labels at its position. */
export function calicoDomainMatches(pattern: string, name: string): boolean {
  const p = norm(pattern).split('.');
  const n = norm(name).split('.');
  const star = p.indexOf('*');
  if (star < 0) return p.length === n.length && p.every((l, i) => l === n[i]);
  if (p.indexOf('*', star + 1) >= 0) return false; // one asterisk only
  const before = p.slice(0, star);
  const after = p.slice(star + 1);
  if (n.length < before.length + after.length + 1) return false;
  return before.every((l, i) => l === n[i]) && after.every((l, i) => l === n[n.length - after.length + i]);
}

/** `*` within one label: any run of characters of that label. */
function labelGlob(p: string, l: string): boolean {
  // greedy two-pointer wildcard match (no backtracking beyond the last star)
  let i = 0;
  let j = 0;
  let star = -1;
  let mark = 0;
  while (j < l.length) {
    if (i < p.length && p[i] === l[j]) {
      i++;
      j++;
    } else if (i < p.length && p[i] === '*') {
      star = i++;
      mark = j;
    } else if (star >= 0) {
      i = star + 1;
      j = ++mark;
    } else return false;
  }
  while (i < p.length && p[i] === '*') i++;
  return i === p.length;
}

/** Cilium matchName / matchPattern. */
export function ciliumFqdnMatches(pattern: string, name: string): boolean {
  const p = norm(pattern);
  if (p === '*') return true;
  const nl = norm(name).split('.');
  if (p.startsWith('**.')) {
    // `**.` in front: one or more whole labels of any depth, then the rest label by label
    const rest = p.slice(3).split('.');
    const skip = nl.length - rest.length;
    return skip >= 1 && rest.every((x, i) => labelGlob(x, nl[skip + i]));
  }
  const pl = p.split('.');
  return pl.length === nl.length && pl.every((x, i) => labelGlob(x, nl[i]));
}

/** Antrea fqdn: exact, or `*` matching any characters (dots included). */
export function antreaFqdnMatches(pattern: string, name: string): boolean {
  return labelGlob(norm(pattern), norm(name));
}
