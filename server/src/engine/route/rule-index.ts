// The rule index: the Ingress rules of a cluster grouped by host tier (exact, wildcard, any) once per
// cluster, IngressClass and ImplementationSpecific mode, plus the IngressClass helpers.

import type { Cluster, IngressInfo } from '../types';
import type { ImplementationSpecificMode, RouteProblem } from './types';
import type { HostGroup, RouteIndex } from './index-types';
import { makeEntry } from './match';
import { controllerOfIngress, controllerPathMeaning } from '../controller';
import { applyNginxHostRegex, nginxRegexOrder } from './nginx-regex';

const indexCache = new WeakMap<Cluster, Map<string, RouteIndex>>();

export function compareIngress(a: IngressInfo, b: IngressInfo): number {
  return (
    cmp(a.id.namespace, b.id.namespace) ||
    cmp(a.id.name, b.id.name) ||
    cmp(a.source?.uri ?? '', b.source?.uri ?? '') ||
    (a.source?.start ?? 0) - (b.source?.start ?? 0)
  );
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const defaultClassCache = new WeakMap<Cluster, string | undefined>();

/** The IngressClass that serves Ingresses naming none: the one marked default, when exactly one is. */
export function defaultIngressClass(cluster: Cluster): string | undefined {
  if (defaultClassCache.has(cluster)) return defaultClassCache.get(cluster);
  const defaults = [...new Set(cluster.ingressClasses.filter((c) => c.isDefault).map((c) => c.name))];
  const found = defaults.length === 1 ? defaults[0] : undefined;
  defaultClassCache.set(cluster, found);
  return found;
}

/** The class an Ingress is served by: the one it names, else the single default class. */
export function effectiveIngressClass(cluster: Cluster, className: string | undefined): string | undefined {
  return className || defaultIngressClass(cluster);
}

export function routeIndex(
  cluster: Cluster,
  ingressClass: string | undefined,
  mode: ImplementationSpecificMode,
): RouteIndex {
  let perCluster = indexCache.get(cluster);
  if (!perCluster) indexCache.set(cluster, (perCluster = new Map()));
  const key = `${ingressClass ?? '\0all'}\0${mode}`;
  let idx = perCluster.get(key);
  if (!idx) perCluster.set(key, (idx = buildIndex(cluster, ingressClass, mode)));
  return idx;
}

export function buildIndex(
  cluster: Cluster,
  ingressClass: string | undefined,
  mode: ImplementationSpecificMode,
): RouteIndex {
  const defaults = cluster.ingressClasses.filter((c) => c.isDefault).map((c) => c.name);
  const sorted = [...cluster.ingresses].sort(compareIngress);
  const classOf = new Map<IngressInfo, string | null>();
  const selected: IngressInfo[] = [];
  const skipped: IngressInfo[] = [];
  for (const ing of sorted) {
    classOf.set(ing, effectiveIngressClass(cluster, ing.className) ?? null);
    const inClass =
      ingressClass === undefined ||
      ing.className === ingressClass ||
      (!ing.className && defaults.includes(ingressClass));
    (inClass ? selected : skipped).push(ing);
  }
  const idx: RouteIndex = {
    exact: new Map(),
    wildcard: new Map(),
    catchAll: [],
    selected,
    skipped,
    classOf,
    ignored: new Map(),
    tlsExact: new Map(),
    tlsWildcard: new Map(),
    defaultsWithRules: [],
  };
  if (ingressClass === undefined) {
    const classes = new Set(selected.map((i) => classOf.get(i) ?? '(no class)'));
    if (classes.size > 1)
      idx.classesNote = `Ingresses of several classes are merged (classes: ${[...classes].sort().join(', ')}); choose an IngressClass to resolve as one controller would`;
  }
  const addTo = (m: Map<string, IngressInfo[]>, k: string, ing: IngressInfo) => {
    const list = m.get(k);
    if (!list) m.set(k, [ing]);
    else if (!list.includes(ing)) list.push(ing);
  };
  for (const ing of selected) {
    if (ing.defaultBackend && ing.rules.length) idx.defaultsWithRules.push(ing);
    for (const t of ing.tls) {
      for (const h of t.hosts) {
        const lh = h.toLowerCase();
        if (lh.startsWith('*.')) addTo(idx.tlsWildcard, lh.slice(2), ing);
        else addTo(idx.tlsExact, lh, ing);
      }
    }
  }
  const groupFor = (host: string | undefined): HostGroup => {
    const h = host?.toLowerCase();
    if (!h) return (idx.any ??= newGroup('any', null));
    if (h.startsWith('*.')) {
      const suffix = h.slice(2);
      let g = idx.wildcard.get(suffix);
      if (!g) idx.wildcard.set(suffix, (g = newGroup('wildcard', h)));
      return g;
    }
    let g = idx.exact.get(h);
    if (!g) idx.exact.set(h, (g = newGroup('exact', h)));
    return g;
  };
  let order = 0;
  for (const ing of selected) {
    if (ing.rules.length === 0 && ing.defaultBackend) idx.catchAll.push(ing);
    const decision = controllerOfIngress(ing, cluster.ingressClasses);
    const meaning = controllerPathMeaning(decision, ing.annotations);
    for (const rule of ing.rules) {
      const g = groupFor(rule.host);
      if (g.ingresses[g.ingresses.length - 1] !== ing) g.ingresses.push(ing);
      for (const p of rule.paths) {
        const entry = makeEntry(
          ing,
          rule,
          p,
          order++,
          mode,
          (problem) => {
            const list = idx.ignored.get(g);
            if (list) list.push(problem);
            else idx.ignored.set(g, [problem]);
          },
          meaning,
          decision,
        );
        if (entry) g.entries.push(entry);
      }
    }
  }
  const groups = [...idx.exact.values(), ...idx.wildcard.values(), ...(idx.any ? [idx.any] : [])];
  for (const g of groups) {
    // ingress-nginx: use-regex or a rewrite-target on the host makes all its paths regexes
    const regexHost = applyNginxHostRegex(cluster, g, (problem) => {
      const list = idx.ignored.get(g);
      if (list) list.push(problem);
      else idx.ignored.set(g, [problem]);
    });
    for (const e of g.entries) {
      if (e.kind === 'exact') {
        const list = g.exact.get(e.key);
        if (list) list.push(e);
        else g.exact.set(e.key, [e]);
      } else g.ranked.push(e);
    }
    g.ranked.sort(
      regexHost
        ? nginxRegexOrder
        : (a, b) =>
            b.length - a.length ||
            (a.kind === b.kind ? 0 : a.kind === 'prefix' ? -1 : 1) ||
            a.order - b.order,
    );
  }
  return idx;
}

export function newGroup(tier: HostGroup['tier'], host: string | null): HostGroup {
  return { tier, host, ingresses: [], entries: [], exact: new Map(), ranked: [] };
}

export function wildcardGroup(idx: RouteIndex, host: string): HostGroup | undefined {
  const dot = host.indexOf('.');
  return dot > 0 ? idx.wildcard.get(host.slice(dot + 1)) : undefined;
}
