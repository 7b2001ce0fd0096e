// Route resolution on an AWS Application Load Balancer. The AWS Load Balancer Controller does not rank
// matches the way the Ingress API describes (exact host over wildcard over none, then the longest
// path): it writes the rules of one load balancer into its listener in a fixed order, and the ALB takes
// the first rule whose conditions hold. The order (controller v2.4.3 and later, from its group loader
// and listener-rule builder):
// - the Ingresses of the load balancer (one Ingress, or every Ingress of a `group.name`) by
//   `group.order` (-1000..1000, 0 when unset), equal orders by namespace/name;
// - within an Ingress, its rules as listed; within a rule, Exact paths, then Prefix paths longest
//   first, then ImplementationSpecific paths as listed.
// A rule without host has no host condition, so it takes every host's requests at its place in the
// listener; a wildcard host condition (`*.example.com`) matches any number of leading labels.

import type { IngressInfo, IngressPathInfo } from '../types';
import { idText } from '../types';
import { controllerOfIngress } from '../controller';
import type { ControllerDecision } from '../controller';
import type { Cluster } from '../types';
import type { HostGroup, PathEntry, RouteIndex } from './index-types';
import type { RouteMatch, RouteResult } from './types';
import { backendOf, describeKind, entryMatches, normalizePrefix } from './match';

export const ALB_GROUP_ORDER = 'alb.ingress.kubernetes.io/group.order';

/** An Ingress's place among the Ingresses of its load balancer (0 when unset or not a whole number). */
export function albGroupOrder(ing: IngressInfo): number {
  const v = ing.annotations?.[ALB_GROUP_ORDER]?.trim();
  return v && /^-?[0-9]+$/.test(v) ? Number(v) : 0;
}

/** The paths of one Ingress rule in the order the controller writes them into the listener. */
export function albPathOrder(paths: readonly IngressPathInfo[]): IngressPathInfo[] {
  const rank = (p: IngressPathInfo) => (p.pathType === 'Exact' ? 0 : p.pathType === 'Prefix' ? 1 : 2);
  return paths
    .map((p, i) => ({ p, i }))
    .sort(
      (a, b) =>
        rank(a.p) - rank(b.p) ||
        (rank(a.p) === 1
          ? normalizePrefix(b.p.path ?? '/').length - normalizePrefix(a.p.path ?? '/').length
          : 0) ||
        a.i - b.i,
    )
    .map((x) => x.p);
}

interface Placed {
  entry: PathEntry;
  group: HostGroup;
  /** group.order, Ingress name, rule index, path index in the listener. */
  order: number;
  name: string;
  rule: number;
  path: number;
}

/** The rule an ALB takes for this request, when the Ingresses that could serve it are the AWS Load
 * Balancer Controller's; undefined otherwise (or when no rule of the listener matches). */
export function albListenerMatch(
  cluster: Cluster,
  idx: RouteIndex,
  host: string,
  path: string,
  result: RouteResult,
): { ingress: IngressInfo; entry: PathEntry; match: RouteMatch } | undefined {
  const decisions = new Map<IngressInfo, ControllerDecision>();
  const decisionOf = (ing: IngressInfo) => {
    let d = decisions.get(ing);
    if (!d) decisions.set(ing, (d = controllerOfIngress(ing, cluster.ingressClasses)));
    return d;
  };
  // the host groups whose rules an ALB host condition lets through: the host, every wildcard that
  // ends the host (any number of labels before it), and the rules without host
  const groups: HostGroup[] = [];
  const exact = idx.exact.get(host);
  if (exact) groups.push(exact);
  for (const [suffix, g] of idx.wildcard)
    if (host.length > suffix.length + 1 && host.endsWith(`.${suffix}`)) groups.push(g);
  if (idx.any) groups.push(idx.any);
  const byBalancer = new Map<string, Placed[]>();
  for (const group of groups) {
    for (const entry of group.entries) {
      const d = decisionOf(entry.ingress);
      if (d.kind !== 'aws-alb') continue;
      let list = byBalancer.get(d.mergeKey);
      if (!list) byBalancer.set(d.mergeKey, (list = []));
      list.push({
        entry,
        group,
        order: albGroupOrder(entry.ingress),
        name: idText(entry.ingress.id),
        rule: entry.ingress.rules.indexOf(entry.rule),
        path: albPathOrder(entry.rule.paths).indexOf(entry.path),
      });
    }
  }
  if (!byBalancer.size) return undefined;
  // the load balancer that names the host (DNS points the host at it); else one with rules for every host
  const keys = [...byBalancer.keys()].sort();
  const naming = keys.filter((k) => byBalancer.get(k)!.some((p) => p.group.tier !== 'any'));
  const chosen = (naming.length ? naming : keys)[0];
  if (naming.length > 1)
    result.notes.push(
      `${naming.length} AWS load balancers have rules for ${host} (${naming.map(balancerText).join(', ')}); DNS decides which receives the request, ${balancerText(chosen)} is shown`,
    );
  const listener = byBalancer
    .get(chosen)!
    .sort(
      (a, b) =>
        a.order - b.order ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
        (a.entry.ingress === b.entry.ingress ? 0 : a.entry.order - b.entry.order) ||
        a.rule - b.rule ||
        a.path - b.path,
    );
  const at = listener.findIndex((p) => entryMatches(p.entry, path, result));
  if (at < 0) return undefined;
  const { entry, group } = listener[at];
  const place = `rule ${at + 1} of ${listener.length} for this host on ${balancerText(chosen)}`;
  return {
    ingress: entry.ingress,
    entry,
    match: {
      ingress: idText(entry.ingress.id),
      ingressClass: null,
      host: group.host,
      hostMatch: group.tier,
      path: entry.path.path ?? null,
      pathType: entry.path.pathType,
      matchedAs: entry.kind,
      why: `first matching ${describeKind(entry)} rule of the ALB listener (${place}; Ingresses by group.order, then namespace/name; in each rule Exact, then Prefix longest first, then ImplementationSpecific as listed)`,
      backend: backendOf(entry.backend),
      defaultBackend: false,
      source: entry.path.source,
      ruleSource: entry.rule.source,
      ingressSource: entry.ingress.source,
      backendSource: entry.backend.source,
    },
  };
}

function balancerText(mergeKey: string): string {
  if (mergeKey.startsWith('aws-alb:group:'))
    return `the ALB of group ${mergeKey.slice('aws-alb:group:'.length)}`;
  return `the ALB of Ingress ${mergeKey.slice('aws-alb:ingress:'.length)}`;
}
