// No match: why nothing serves the request, and the nearest rule (same host and the longest common
// path, else the closest host by labels then characters, found through a label index).

import type { IngressInfo } from '../types';
import { idText } from '../types';
import { editDistance } from '../edit-distance';
import type { NearestRule, RouteResult } from './types';
import type { HostGroup, PathEntry, RouteIndex } from './index-types';

export function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** Element-wise common prefix (number of equal leading path elements), then characters. */
export function pathCloseness(rulePath: string, requestPath: string): [number, number] {
  const a = rulePath.split('/');
  const b = requestPath.split('/');
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return [n, commonPrefix(rulePath, requestPath)];
}

export function nearestPathIn(group: HostGroup, path: string): PathEntry | undefined {
  let best: PathEntry | undefined;
  let bestScore: [number, number] = [-1, -1];
  for (const e of group.entries) {
    const s = pathCloseness(e.path.path ?? '/', path);
    if (
      s[0] > bestScore[0] ||
      (s[0] === bestScore[0] && s[1] > bestScore[1]) ||
      (s[0] === bestScore[0] && s[1] === bestScore[1] && e.order < best!.order)
    ) {
      best = e;
      bestScore = s;
    }
  }
  return best;
}

export function nearestOf(e: PathEntry, host: string | null, why: string): NearestRule {
  return {
    ingress: idText(e.ingress.id),
    host,
    path: e.path.path ?? null,
    pathType: e.path.pathType,
    why,
    source: e.path.source,
  };
}

export function explainNoMatch(
  idx: RouteIndex,
  group: HostGroup | undefined,
  host: string,
  path: string,
  ingressClass: string | undefined,
  result: RouteResult,
): void {
  const classText = ingressClass === undefined ? '' : ` of class ${ingressClass}`;
  if (idx.selected.length === 0) {
    const others = idx.skipped.length
      ? ` (${idx.skipped.length > 1 ? `${idx.skipped.length} Ingresses of other classes` : '1 Ingress of another class'}: ${[...new Set(idx.skipped.map((i) => idx.classOf.get(i) ?? '(no class)'))].sort().join(', ')})`
      : '';
    result.reason = `no Ingress${classText} in the given manifests${others}`;
    return;
  }
  const strayText = group
    ? strayDefaultsText(idx.defaultsWithRules.filter((i) => !group.ingresses.includes(i)))
    : (idx.strayText ??= strayDefaultsText(idx.defaultsWithRules));
  if (group) {
    const where = group.host ?? 'every host';
    const ings = group.ingresses.map((i) => idText(i.id)).join(', ');
    const paths = [...new Set(group.entries.map((e) => `${e.path.pathType} ${e.path.path ?? '/'}`))];
    result.reason = `${where} is served by ${ings}, but no path matches ${path} (${paths.length ? `paths: ${paths.slice(0, 8).join(', ')}${paths.length > 8 ? ', ...' : ''}` : 'no paths'}) and no default backend is set${strayText}`;
    const near = nearestPathIn(group, path);
    if (near) {
      const common = commonPrefix(near.path.path ?? '/', path);
      result.nearest = nearestOf(
        near,
        group.host,
        `same host, longest common path prefix with ${path} ("${path.slice(0, common)}")`,
      );
    } else {
      result.nearest = hostOnlyNearest(group, 'same host; the rule has no paths');
    }
    return;
  }
  // No rule serves the host: the nearest host by labels (one label different counts as a typo), then
  // by characters. Candidates come from a label index (see hostSearchOf), so a miss costs about the same
  // against 10 hosts as against 10,000.
  const search = hostSearchOf(idx);
  let bestGroup: HostGroup | undefined;
  let bestScore: [number, number] = [Infinity, Infinity];
  const requestLabels = host.split('.');
  for (const g of hostCandidates(search, requestLabels)) {
    const labels = editDistance(search.labels.get(g)!, requestLabels, { limit: bestScore[0] });
    if (labels > bestScore[0]) continue;
    // Characters decide only between hosts a label away (a typo); farther hosts keep index order.
    const chars =
      labels > 1
        ? 0
        : editDistance(g.host!, host, { limit: labels < bestScore[0] ? Infinity : bestScore[1] });
    if (labels < bestScore[0] || chars < bestScore[1]) {
      bestGroup = g;
      bestScore = [labels, chars];
    }
  }
  const hosts = search.sortedHosts;
  const hostList = hosts.length
    ? ` (hosts: ${hosts.slice(0, 8).join(', ')}${hosts.length > 8 ? ', ...' : ''})`
    : ' (no Ingress has rules)';
  result.reason = `no rule${classText} matches host ${host}${hostList} and no Ingress without rules gives a default backend${strayText}`;
  if (bestGroup) {
    const near = nearestPathIn(bestGroup, path);
    const hostWhy =
      bestScore[0] === 1
        ? `host ${bestGroup.host} differs from ${host} by one label`
        : `closest host by name (${bestScore[0]} labels differ)`;
    if (near)
      result.nearest = nearestOf(near, bestGroup.host, `${hostWhy}; longest common path prefix with ${path}`);
    else result.nearest = hostOnlyNearest(bestGroup, `${hostWhy}; the rule has no paths`);
  }
}

/** Host groups indexed for the nearest-host search, built on the first miss. */
export interface HostSearch {
  groups: HostGroup[];
  labels: Map<HostGroup, string[]>;
  /** A host's labels joined, and joined with one label left out (a deletion neighbourhood). */
  byKey: Map<string, HostGroup[]>;
  /** Every proper label suffix (`example.com` of `shop.example.com`) → hosts ending with it. */
  bySuffix: Map<string, HostGroup[]>;
  sortedHosts: string[];
  order: Map<HostGroup, number>;
}

const hostSearches = new WeakMap<RouteIndex, HostSearch>();
/** Candidates scored per miss at most; below this every host is scored (an exhaustive search). */
const MAX_HOST_CANDIDATES = 128;

export function hostSearchOf(idx: RouteIndex): HostSearch {
  let hs = hostSearches.get(idx);
  if (hs) return hs;
  const groups = [...idx.exact.values(), ...idx.wildcard.values()];
  hs = {
    groups,
    labels: new Map(),
    byKey: new Map(),
    bySuffix: new Map(),
    sortedHosts: groups.map((g) => g.host!).sort(),
    order: new Map(groups.map((g, i) => [g, i])),
  };
  const add = (m: Map<string, HostGroup[]>, k: string, g: HostGroup) => {
    const list = m.get(k);
    if (!list) m.set(k, [g]);
    else if (list[list.length - 1] !== g) list.push(g);
  };
  for (const g of groups) {
    const labels = g.host!.split('.');
    hs.labels.set(g, labels);
    for (const k of deletionKeys(labels)) add(hs.byKey, k, g);
    for (let i = 1; i < labels.length; i++) add(hs.bySuffix, labels.slice(i).join('.'), g);
  }
  hostSearches.set(idx, hs);
  return hs;
}

export function deletionKeys(labels: string[]): string[] {
  const keys = [labels.join('.')];
  for (let i = 0; i < labels.length; i++)
    keys.push([...labels.slice(0, i), ...labels.slice(i + 1)].join('.'));
  return keys;
}

/** Hosts worth scoring for a request: those one label away (same labels with one changed, added or
 * removed), else those sharing the longest label suffix, else all; in index order, at most
 * MAX_HOST_CANDIDATES unless there are no more hosts than that (then all are scored). */
export function hostCandidates(hs: HostSearch, requestLabels: string[]): HostGroup[] {
  if (hs.groups.length <= MAX_HOST_CANDIDATES) return hs.groups;
  // The lists are in index order: merge them, keeping the first MAX_HOST_CANDIDATES distinct hosts.
  const lists = deletionKeys(requestLabels)
    .map((k) => hs.byKey.get(k))
    .filter((l): l is HostGroup[] => !!l);
  if (lists.length) {
    const at = lists.map(() => 0);
    const out: HostGroup[] = [];
    const seen = new Set<HostGroup>();
    while (out.length < MAX_HOST_CANDIDATES) {
      let best = -1;
      for (let i = 0; i < lists.length; i++) {
        if (
          at[i] < lists[i].length &&
          (best < 0 || hs.order.get(lists[i][at[i]])! < hs.order.get(lists[best][at[best]])!)
        )
          best = i;
      }
      if (best < 0) break;
      const g = lists[best][at[best]++];
      if (!seen.has(g)) {
        seen.add(g);
        out.push(g);
      }
    }
    return out;
  }
  // Suffix buckets are filled in index order already.
  let list: HostGroup[] | undefined;
  for (let i = 1; !list && i < requestLabels.length; i++)
    list = hs.bySuffix.get(requestLabels.slice(i).join('.'));
  return (list ?? hs.groups).slice(0, MAX_HOST_CANDIDATES);
}

/** Default backends that do not apply here: they serve only the hosts of their own Ingress. */
export function strayDefaultsText(stray: IngressInfo[]): string {
  if (!stray.length) return '';
  return `; the default backend of ${stray.map((i) => idText(i.id)).join(', ')} applies only to the hosts of ${stray.length > 1 ? 'those Ingresses' : 'that Ingress'}`;
}

export function hostOnlyNearest(group: HostGroup, why: string): NearestRule {
  const ing = group.ingresses[0];
  const rule = ing.rules.find((r) => (r.host?.toLowerCase() || null) === group.host);
  return { ingress: idText(ing.id), host: group.host, path: null, pathType: null, why, source: rule?.source };
}
