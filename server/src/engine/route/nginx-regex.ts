// ingress-nginx writes all the locations of one host into one nginx server block, and when any of them
// needs a rewrite (rewrite-target) or asks for regular expressions (use-regex), every location of that
// server becomes `~* "^<path>"`: a case-insensitive regular expression anchored at the start, the
// Exact and Prefix paths of the other Ingresses of the host included (template.go
// enforceRegexModifier, buildLocation). nginx then takes the first regex that matches, in the order
// ingress-nginx writes them: longer paths first, equal lengths in reverse string order.

import { compileUserRegex } from '../regex';
import { controllerOfIngress } from '../controller';
import type { Cluster, IngressInfo } from '../types';
import { idText } from '../types';
import type { HostGroup, PathEntry } from './index-types';
import type { RouteProblem } from './types';

/** Turns the entries of a host group into regex entries where an ingress-nginx Ingress of the group
 * enforces regex for its server; returns whether it did. */
export function applyNginxHostRegex(
  cluster: Cluster,
  group: HostGroup,
  ignore: (p: RouteProblem) => void,
): boolean {
  const decisions = new Map<IngressInfo, ReturnType<typeof controllerOfIngress>>();
  const decide = (i: IngressInfo) => {
    let d = decisions.get(i);
    if (!d) decisions.set(i, (d = controllerOfIngress(i, cluster.ingressClasses)));
    return d;
  };
  const enforcing = new Set<string>();
  for (const ing of group.ingresses) {
    const d = decide(ing);
    if (d.kind !== 'ingress-nginx') continue;
    const paths = ing.rules
      .filter((r) => (r.host ?? '').toLowerCase() === (group.host ?? ''))
      .flatMap((r) => r.paths.map((p) => p.path));
    if (nginxEnforcesRegex(ing.annotations, paths)) enforcing.add(d.mergeKey);
  }
  if (enforcing.size === 0) return false;
  const out: PathEntry[] = [];
  for (const e of group.entries) {
    const d = decide(e.ingress);
    if (d.kind !== 'ingress-nginx' || !enforcing.has(d.mergeKey) || e.kind === 'regex') {
      out.push(e);
      continue;
    }
    const path = e.path.path || '/';
    const regex = compileUserRegex(`^${path}`, { dialect: 'pcre', caseInsensitive: true });
    if (!regex.ok) {
      ignore({
        step: 'ingress',
        message: `path ${path} of Ingress ${idText(e.ingress.id)} is read as a regular expression (use-regex or rewrite-target on its host) but ${regex.reason}; it is left out`,
        source: e.path.source,
      });
      continue;
    }
    out.push({ ...e, kind: 'regex', key: path, length: path.length, regex });
  }
  group.entries = out;
  return true;
}

/** nginx's order of the regex locations of a regex-enforced server: longer first, then reverse string order. */
export function nginxRegexOrder(a: PathEntry, b: PathEntry): number {
  return b.length - a.length || (a.key < b.key ? 1 : a.key > b.key ? -1 : 0) || a.order - b.order;
}

/** ingress-nginx: an Ingress whose annotations make its host's server block regex-only (use-regex
 * "true", or a rewrite-target that differs from one of its paths: template.go needsRewrite). */
export function nginxEnforcesRegex(
  annotations: Readonly<Record<string, string>> | undefined,
  paths: readonly (string | undefined)[],
): 'use-regex' | 'rewrite-target' | undefined {
  if (!annotations) return undefined;
  const useRegex = annotations['nginx.ingress.kubernetes.io/use-regex'];
  if (useRegex !== undefined && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(useRegex))
    return 'use-regex';
  const target = annotations['nginx.ingress.kubernetes.io/rewrite-target'];
  if (target && paths.some((p) => (p ?? '') !== target)) return 'rewrite-target';
  return undefined;
}
