// The AWS Load Balancer Controller's rule order, for the migration. An ALB listener evaluates its rules
// one by one and the first that matches wins. The controller (v2.4.3 and later) writes the Ingresses of
// one load balancer (one Ingress, or every Ingress of a `group.name`) in `group.order` order (0 when
// unset; equal orders by namespace/name), and within an Ingress rule its paths as: Exact paths first,
// then Prefix paths longest first, then ImplementationSpecific paths in the order they are listed.
//
// A Gateway ranks matches instead: Exact, then the longest PathPrefix, then (implementation-specific)
// RegularExpression, ties between routes broken by creation time and namespace/name, and within a route
// by rule order. This module lays a host's ALB rules out in listener order and says, for each path:
// - whether an earlier rule takes every request it matches (the ALB never reaches it);
// - which earlier rule takes part of its requests, so that the migration can write an
//   ImplementationSpecific pattern as a RegularExpression (ranked after Exact and PathPrefix, as the
//   ALB ranks these paths) and report where the Gateway's ranking still differs.

import type { IngressInfo, IngressPathInfo } from '../types';
import { idText } from '../types';
import { implementationSpecificMeaning } from '../controller';
import type { ControllerDecision } from '../controller';
import { compileUserRegex, matchUserRegex } from '../regex';
import type { UserRegex } from '../regex';
import { albGroupOrder as groupOrder, albPathOrder } from '../route/alb';
import { normalizePrefix as prefixKey } from '../route/match';

export { ALB_GROUP_ORDER, albPathOrder } from '../route/alb';

/** One ALB rule of a host, in listener order. */
export interface AlbEntry {
  ingress: IngressInfo;
  path: IngressPathInfo;
  /** The ALB's reading: an exact path, a Prefix (element-wise), or a path pattern. */
  kind: 'exact' | 'prefix' | 'pattern';
  /** The exact path, the Prefix without trailing slashes, or the pattern's literal start. */
  key: string;
  /** Patterns: the compiled whole-path expression; `trailingStar`: only a final `*`. */
  regex?: UserRegex;
  trailingStar?: boolean;
  /** Position in the listener (0 first). */
  position: number;
  /** The Ingress's group.order (0 when unset). */
  order: number;
  /** From a rule without host: the ALB rule has no host condition and takes every host's requests. */
  anyHost?: boolean;
}

export interface AlbVerdict {
  entry: AlbEntry;
  /** An earlier rule matching every request this path matches: the ALB never reaches this path. */
  shadowedBy?: AlbEntry;
  /** Earlier rules matching some of the requests this path matches. */
  overlappedBy: AlbEntry[];
}

/** The ALB rules for one host of one load balancer (the Ingresses share a merge key), in listener order. */
export function albEntries(
  ingresses: readonly IngressInfo[],
  host: string,
  decisionOf: (ing: IngressInfo) => ControllerDecision,
  /** Also the rules without host (they have no host condition, so they take this host's requests in
   * their place of the listener). */
  withAnyHost = false,
): AlbEntry[] {
  const sorted = [...ingresses].sort(
    (a, b) =>
      groupOrder(a) - groupOrder(b) ||
      (idText(a.id) < idText(b.id) ? -1 : idText(a.id) > idText(b.id) ? 1 : 0),
  );
  const out: AlbEntry[] = [];
  for (const ing of sorted) {
    const order = groupOrder(ing);
    for (const rule of ing.rules) {
      const ruleHost = (rule.host ?? '').toLowerCase();
      const anyHost = withAnyHost && host !== '' && ruleHost === '';
      if (ruleHost !== host && !anyHost) continue;
      for (const p of albPathOrder(rule.paths)) {
        const path = p.path || '/';
        const base = { ingress: ing, path: p, position: out.length, order, ...(anyHost ? { anyHost } : {}) };
        if (p.pathType === 'Exact') out.push({ ...base, kind: 'exact', key: path });
        else if (p.pathType === 'Prefix') out.push({ ...base, kind: 'prefix', key: prefixKey(path) });
        else if (p.pathType === 'ImplementationSpecific') {
          const m = implementationSpecificMeaning(decisionOf(ing), path);
          if (!m || m.kind === 'invalid') continue;
          if (m.kind === 'exact') out.push({ ...base, kind: 'exact', key: path });
          else {
            const regex = compileUserRegex(m.regex, { dialect: 're2', anchor: 'full' });
            if (!regex.ok) continue;
            out.push({
              ...base,
              kind: 'pattern',
              key: m.literalPrefix,
              regex,
              trailingStar: m.trailingStarOnly,
            });
          }
        }
      }
    }
  }
  return out;
}

/** Whether the rule takes this request path. */
export function albMatches(e: AlbEntry, path: string): boolean {
  if (e.kind === 'exact') return e.key === path;
  if (e.kind === 'prefix') return e.key === '/' || path === e.key || path.startsWith(`${e.key}/`);
  return e.regex !== undefined && matchUserRegex(e.regex, path).outcome === 'match';
}

/** Whether `a` takes every request `b` takes (false when not certain). */
function covers(a: AlbEntry, b: AlbEntry): boolean {
  if (b.kind === 'exact') return albMatches(a, b.key);
  if (a.kind === 'prefix') {
    if (a.key === '/') return true;
    // every path b takes starts with b.key (and, for a Prefix, is b.key or goes on with "/")
    return b.key === a.key ? b.kind === 'prefix' : b.key.startsWith(`${a.key}/`);
  }
  if (a.kind === 'pattern' && a.trailingStar) return b.key.startsWith(a.key);
  return false;
}

/** Whether some request path is taken by both (true when not certain). */
export function albOverlaps(a: AlbEntry, b: AlbEntry): boolean {
  return overlaps(a, b);
}

function overlaps(a: AlbEntry, b: AlbEntry): boolean {
  if (b.kind === 'exact') return albMatches(a, b.key);
  if (a.kind === 'exact') return albMatches(b, a.key);
  const starts = (x: AlbEntry, y: AlbEntry) => {
    // paths of x start with x.key; of a Prefix, are x.key or x.key + "/..."
    if (x.kind === 'prefix')
      return (
        x.key === '/' ||
        y.key.startsWith(`${x.key}/`) ||
        y.key === x.key ||
        (y.kind === 'pattern' && `${x.key}/`.startsWith(y.key))
      );
    return y.key.startsWith(x.key) || (y.kind === 'pattern' && x.key.startsWith(y.key));
  };
  return starts(a, b) || starts(b, a);
}

/** For each rule of the host, in listener order: what the earlier rules take of its requests. */
export function albVerdicts(entries: readonly AlbEntry[]): AlbVerdict[] {
  return entries.map((entry, i) => {
    const earlier = entries.slice(0, i);
    const shadowedBy = earlier.find((e) => covers(e, entry));
    return {
      entry,
      ...(shadowedBy ? { shadowedBy } : {}),
      overlappedBy: earlier.filter((e) => e !== shadowedBy && overlaps(e, entry)),
    };
  });
}

/** "Prefix /api of Ingress ns/name" for messages. */
export function albEntryText(e: AlbEntry, ingress?: IngressInfo): string {
  const what =
    e.path.pathType === 'ImplementationSpecific'
      ? `ImplementationSpecific ${e.path.path}`
      : `${e.path.pathType} ${e.path.path ?? '/'}`;
  return e.ingress === ingress ? what : `${what} of Ingress ${idText(e.ingress.id)} (group.order ${e.order})`;
}
