// Route resolution: which backend serves a URL, following Ingress semantics, and where the route goes
// from there (Service → Service port → targetPort → workloads → container port), plus TLS.
//
// Pure TypeScript over engine/types.ts. The rules:
// - Host: exact host (case-insensitive, the request's port ignored) wins over a wildcard host
//   (`*.example.com` = exactly one extra leading label), which wins over rules without a host (every
//   host). The most specific tier that has any rule for the host serves the request; a request does not
//   fall through to a less specific tier when no path matches (controllers give each host its own
//   virtual server).
// - Path: Exact (whole path, case-sensitive) before Prefix (element-wise on `/`, trailing slash
//   ignored), then the longest path. ImplementationSpecific is treated as Prefix, Exact, or a regular
//   expression anchored at the start (ingress-nginx `use-regex`, case-insensitive like its `~*`).
// - Ingresses (of the chosen class) that share a host merge their rules. Ties (same host tier, same
//   path, same kind of match, different backends) are reported as conflicts; the first in
//   namespace/name order is shown as chosen.
// - No path matches: the default backend of the Ingresses that serve the host; else the default
//   backend of an Ingress without rules (a catch-all); else no match, with the nearest rule.

import { matchesMap } from './selector';
import type { BackendInfo, Cluster, ContainerPortInfo, IngressInfo, IngressPathInfo, IngressRuleInfo, SecretInfo, ServiceInfo, ServicePortInfo, SourceRef, WorkloadInfo } from './types';
import { idText } from './types';

export type ImplementationSpecificMode = 'prefix' | 'exact' | 'regex';

export interface RouteOptions {
  /** Only Ingresses of this class (and class-less ones when this class is the default IngressClass). */
  ingressClass?: string;
  /** How ImplementationSpecific paths match (default: prefix). */
  implementationSpecific?: ImplementationSpecificMode;
}

export type RouteBackend =
  | { service: string; port: number | string | null }
  | { resource: { apiGroup: string | null; kind: string; name: string } };

export interface RouteMatch {
  /** "namespace/name" of the Ingress whose rule (or default backend) matched. */
  ingress: string;
  /** Effective class of that Ingress (spec.ingressClassName, annotation, or the default class). */
  ingressClass: string | null;
  /** The rule's host as written (lower-cased), or null for a rule without host or a default backend of a catch-all. */
  host: string | null;
  hostMatch: 'exact' | 'wildcard' | 'any' | null;
  /** The path as written; null for a default backend. */
  path: string | null;
  pathType: string | null;
  /** How the path was compared: exact, prefix or regex (ImplementationSpecific per the option). */
  matchedAs: 'exact' | 'prefix' | 'regex' | null;
  why: string;
  backend: RouteBackend;
  defaultBackend: boolean;
  /** The path entry (or the defaultBackend), its rule, and the Ingress, for an editor to reveal. */
  source?: SourceRef;
  ruleSource?: SourceRef;
  ingressSource?: SourceRef;
  backendSource?: SourceRef;
}

export interface NearestRule {
  ingress: string;
  host: string | null;
  path: string | null;
  pathType: string | null;
  why: string;
  source?: SourceRef;
}

export interface ConflictCandidate {
  ingress: string;
  backend: RouteBackend;
  source?: SourceRef;
}

export interface RouteConflict {
  kind: 'path' | 'defaultBackend';
  host: string | null;
  path: string | null;
  pathType: string | null;
  /** The candidate shown as the match (first in namespace/name order). */
  chosen: string;
  candidates: ConflictCandidate[];
  message: string;
}

export interface RouteProblem {
  step: 'url' | 'ingress' | 'backend' | 'service' | 'port' | 'workloads' | 'targetPort' | 'tls';
  message: string;
  source?: SourceRef;
}

export interface ServiceStep {
  /** "namespace/name" */
  name: string;
  type: string;
  /** The Service port the backend chose; null when it has none that fits. */
  port: { name: string | null; port: number; protocol: string; targetPort: number | string } | null;
  selector: Record<string, string> | null;
  source?: SourceRef;
  portSource?: SourceRef;
}

export interface PodTarget {
  /** "Kind namespace/name" */
  workload: string;
  replicas: number | null;
  /** The container whose port the targetPort names or numbers; null when none does. */
  container: string | null;
  containerPort: number | null;
  portName: string | null;
  protocol: string;
  /** False when targetPort is a number no container declares (traffic still goes there). */
  declared: boolean;
  problem?: string;
  source?: SourceRef;
  portSource?: SourceRef;
}

export interface TlsCoverage {
  ingress: string;
  secretName?: string;
  hosts: string[];
  source?: SourceRef;
}

export interface RouteResult {
  url: string;
  /** The request's host, lower-cased, without port. Empty when the URL is invalid. */
  host: string;
  /** The request's path as written (no query, no fragment, no percent-decoding). */
  path: string;
  ingressClass: string | null;
  implementationSpecific: ImplementationSpecificMode;
  match: RouteMatch | null;
  reason?: string;
  nearest?: NearestRule;
  conflicts: RouteConflict[];
  service?: ServiceStep;
  tls?: TlsCoverage;
  pods: PodTarget[];
  /** Where the route breaks ("Service shop/web not found", ...). */
  problems: RouteProblem[];
  /** Worth knowing, not broken. */
  notes: string[];
}

// ---------------------------------------------------------------------------------------------------
// URL

export type ParsedUrl = { host: string; path: string; error?: undefined } | { error: string; host?: undefined; path?: undefined };

/** Host (lower-cased, no port, no trailing dot) and path (as written, without query or fragment) of a
 * request URL. A scheme is optional (`shop.example.com/api` works); only http and https are accepted. */
export function parseRequestUrl(url: string): ParsedUrl {
  const s = url.trim();
  if (!s) return { error: 'the URL is empty' };
  let rest = s;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(rest);
  if (scheme) {
    if (!/^https?$/i.test(scheme[1])) return { error: `"${scheme[1]}://" is not an HTTP URL; use http:// or https://` };
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
  if (!/^[a-z0-9._:-]+$/.test(host) || host.startsWith('.') || host.includes('..')) return { error: `"${host}" is not a valid host name` };
  return { host, path };
}

// ---------------------------------------------------------------------------------------------------
// Host and path matching (exported for tests and other engine users)

/** Does a rule or TLS host (as written) match the request host? Wildcards match one extra leading label. */
export function hostMatches(ruleHost: string, requestHost: string): boolean {
  const rh = ruleHost.toLowerCase();
  const h = requestHost.toLowerCase();
  if (rh.startsWith('*.')) {
    const dot = h.indexOf('.');
    return dot > 0 && h.slice(dot + 1) === rh.slice(2);
  }
  return rh === h;
}

/** Prefix paths compare without trailing slashes; `/` stays `/`. */
export function normalizePrefix(path: string): string {
  const t = path.replace(/\/+$/, '');
  return t === '' ? '/' : t;
}

/** Kubernetes Prefix semantics: element-wise on `/`, trailing slash ignored. */
export function prefixMatches(rulePath: string, requestPath: string): boolean {
  const p = normalizePrefix(rulePath);
  if (p === '/') return true;
  return requestPath === p || requestPath.startsWith(p + '/');
}

// ---------------------------------------------------------------------------------------------------
// Index: rules grouped by host once per cluster, class and ImplementationSpecific mode

type MatchKind = 'exact' | 'prefix' | 'regex';

interface PathEntry {
  ingress: IngressInfo;
  rule: IngressRuleInfo;
  path: IngressPathInfo;
  /** Position in the deterministic order (namespace, name, file, offset, rule, path). */
  order: number;
  kind: MatchKind;
  /** Exact: the path; prefix: normalized; regex: the expression. */
  key: string;
  /** Ranking length for prefix and regex entries. */
  length: number;
  regex?: RegExp;
  backend: BackendInfo;
}

interface HostGroup {
  tier: 'exact' | 'wildcard' | 'any';
  host: string | null;
  /** Ingresses with a rule in this group, in order. */
  ingresses: IngressInfo[];
  entries: PathEntry[];
  exact: Map<string, PathEntry[]>;
  /** Prefix and regex entries: longest first, prefix before regex at equal length, then order. */
  ranked: PathEntry[];
}

interface RouteIndex {
  exact: Map<string, HostGroup>;
  wildcard: Map<string, HostGroup>;
  any?: HostGroup;
  /** Ingresses with a default backend and no rules. */
  catchAll: IngressInfo[];
  selected: IngressInfo[];
  skipped: IngressInfo[];
  classOf: Map<IngressInfo, string | null>;
  /** Paths left out (invalid as Kubernetes would reject them, or a bad regular expression), by host group. */
  ignored: Map<HostGroup, RouteProblem[]>;
  /** Set when the selected Ingresses are of several classes (no class asked for). */
  classesNote?: string;
  /** Selected Ingresses with a TLS entry naming a host, by that host (exact) or by the wildcard's suffix. */
  tlsExact: Map<string, IngressInfo[]>;
  tlsWildcard: Map<string, IngressInfo[]>;
  /** Selected Ingresses with both rules and a default backend. */
  defaultsWithRules: IngressInfo[];
  /** The text naming all of them, for requests no rule's host matches (computed on the first). */
  strayText?: string;
}

const indexCache = new WeakMap<Cluster, Map<string, RouteIndex>>();

function compareIngress(a: IngressInfo, b: IngressInfo): number {
  return (
    cmp(a.id.namespace, b.id.namespace) ||
    cmp(a.id.name, b.id.name) ||
    cmp(a.source?.uri ?? '', b.source?.uri ?? '') ||
    (a.source?.start ?? 0) - (b.source?.start ?? 0)
  );
}

function cmp(a: string, b: string): number {
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

function routeIndex(cluster: Cluster, ingressClass: string | undefined, mode: ImplementationSpecificMode): RouteIndex {
  let perCluster = indexCache.get(cluster);
  if (!perCluster) indexCache.set(cluster, (perCluster = new Map()));
  const key = `${ingressClass ?? '\0all'}\0${mode}`;
  let idx = perCluster.get(key);
  if (!idx) perCluster.set(key, (idx = buildIndex(cluster, ingressClass, mode)));
  return idx;
}

function buildIndex(cluster: Cluster, ingressClass: string | undefined, mode: ImplementationSpecificMode): RouteIndex {
  const defaults = cluster.ingressClasses.filter((c) => c.isDefault).map((c) => c.name);
  const sorted = [...cluster.ingresses].sort(compareIngress);
  const classOf = new Map<IngressInfo, string | null>();
  const selected: IngressInfo[] = [];
  const skipped: IngressInfo[] = [];
  for (const ing of sorted) {
    classOf.set(ing, effectiveIngressClass(cluster, ing.className) ?? null);
    const inClass = ingressClass === undefined || ing.className === ingressClass || (!ing.className && defaults.includes(ingressClass));
    (inClass ? selected : skipped).push(ing);
  }
  const idx: RouteIndex = { exact: new Map(), wildcard: new Map(), catchAll: [], selected, skipped, classOf, ignored: new Map(), tlsExact: new Map(), tlsWildcard: new Map(), defaultsWithRules: [] };
  if (ingressClass === undefined) {
    const classes = new Set(selected.map((i) => classOf.get(i) ?? '(no class)'));
    if (classes.size > 1) idx.classesNote = `Ingresses of several classes are merged (classes: ${[...classes].sort().join(', ')}); pass an ingress class to resolve as one controller would`;
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
    for (const rule of ing.rules) {
      const g = groupFor(rule.host);
      if (g.ingresses[g.ingresses.length - 1] !== ing) g.ingresses.push(ing);
      for (const p of rule.paths) {
        const entry = makeEntry(ing, rule, p, order++, mode, (problem) => {
          const list = idx.ignored.get(g);
          if (list) list.push(problem);
          else idx.ignored.set(g, [problem]);
        });
        if (entry) g.entries.push(entry);
      }
    }
  }
  const groups = [...idx.exact.values(), ...idx.wildcard.values(), ...(idx.any ? [idx.any] : [])];
  for (const g of groups) {
    for (const e of g.entries) {
      if (e.kind === 'exact') {
        const list = g.exact.get(e.key);
        if (list) list.push(e);
        else g.exact.set(e.key, [e]);
      } else g.ranked.push(e);
    }
    g.ranked.sort((a, b) => b.length - a.length || (a.kind === b.kind ? 0 : a.kind === 'prefix' ? -1 : 1) || a.order - b.order);
  }
  return idx;
}

function newGroup(tier: HostGroup['tier'], host: string | null): HostGroup {
  return { tier, host, ingresses: [], entries: [], exact: new Map(), ranked: [] };
}

function makeEntry(ing: IngressInfo, rule: IngressRuleInfo, p: IngressPathInfo, order: number, mode: ImplementationSpecificMode, ignore: (p: RouteProblem) => void): PathEntry | undefined {
  const where = `path ${p.path ?? '(none)'} of Ingress ${idText(ing.id)}`;
  if (!p.backend) {
    ignore({ step: 'ingress', message: `${where} has no backend; it is ignored`, source: p.source });
    return undefined;
  }
  let kind: MatchKind;
  if (p.pathType === 'Exact') kind = 'exact';
  else if (p.pathType === 'Prefix') kind = 'prefix';
  else if (p.pathType === 'ImplementationSpecific') kind = mode;
  else {
    ignore({ step: 'ingress', message: `${where} has pathType "${p.pathType}", which is not Exact, Prefix or ImplementationSpecific; it is ignored`, source: p.source });
    return undefined;
  }
  let path = p.path;
  if (path === undefined || path === '') {
    if (p.pathType !== 'ImplementationSpecific') {
      ignore({ step: 'ingress', message: `${where}: a ${p.pathType} path needs a path; it is ignored`, source: p.source });
      return undefined;
    }
    path = '/';
  }
  if (kind !== 'regex' && !path.startsWith('/')) {
    ignore({ step: 'ingress', message: `${where} does not start with "/"; it is ignored`, source: p.source });
    return undefined;
  }
  const entry: PathEntry = { ingress: ing, rule, path: p, order, kind, key: path, length: path.length, backend: p.backend };
  if (kind === 'prefix') {
    entry.key = normalizePrefix(path);
    entry.length = entry.key.length;
  } else if (kind === 'regex') {
    try {
      entry.regex = new RegExp(`^(?:${path})`, 'i');
    } catch (e) {
      ignore({ step: 'ingress', message: `${where} is not a valid regular expression (${(e as Error).message}); it is ignored`, source: p.source });
      return undefined;
    }
  }
  return entry;
}

function entryMatches(e: PathEntry, requestPath: string): boolean {
  if (e.kind === 'prefix') return e.key === '/' || requestPath === e.key || requestPath.startsWith(e.key + '/');
  if (e.kind === 'regex') return e.regex!.test(requestPath);
  return e.key === requestPath;
}

// ---------------------------------------------------------------------------------------------------
// Resolution

export function resolveRoute(cluster: Cluster, url: string, options: RouteOptions = {}): RouteResult {
  const mode = options.implementationSpecific ?? 'prefix';
  const parsed = parseRequestUrl(url);
  const result: RouteResult = {
    url,
    host: parsed.host ?? '',
    path: parsed.path ?? '',
    ingressClass: options.ingressClass ?? null,
    implementationSpecific: mode,
    match: null,
    conflicts: [],
    pods: [],
    problems: [],
    notes: [],
  };
  if (parsed.error !== undefined) {
    result.reason = `invalid URL: ${parsed.error}`;
    result.problems.push({ step: 'url', message: result.reason });
    return result;
  }
  const { host, path } = parsed;
  const idx = routeIndex(cluster, options.ingressClass, mode);

  if (idx.classesNote) result.notes.push(idx.classesNote);

  const group = idx.exact.get(host) ?? wildcardGroup(idx, host) ?? idx.any;
  let matchedIngress: IngressInfo | undefined;
  if (group) {
    const found = matchPath(group, path, result);
    if (found) {
      matchedIngress = found.ingress;
      result.match = found.match;
    }
    for (const problem of idx.ignored.get(group) ?? []) result.notes.push(problem.message);
  }
  if (!result.match) {
    const fallback = defaultBackendFor(idx, group, host, path, result);
    if (fallback) {
      matchedIngress = fallback.ingress;
      result.match = fallback.match;
    }
  }
  if (!result.match || !matchedIngress) {
    explainNoMatch(idx, group, host, path, options.ingressClass, result);
    return result;
  }
  result.match.ingressClass = idx.classOf.get(matchedIngress) ?? null;
  followBackend(cluster, matchedIngress, result.match, result);
  tlsFor(cluster, idx, matchedIngress, host, result);
  return result;
}

function wildcardGroup(idx: RouteIndex, host: string): HostGroup | undefined {
  const dot = host.indexOf('.');
  return dot > 0 ? idx.wildcard.get(host.slice(dot + 1)) : undefined;
}

function backendOf(b: BackendInfo): RouteBackend {
  if (b.kind === 'service') return { service: b.service, port: b.port ?? null };
  return { resource: { apiGroup: b.apiGroup ?? null, kind: b.resourceKind, name: b.name } };
}

function sameBackend(a: BackendInfo, b: BackendInfo): boolean {
  return JSON.stringify(backendOf(a)) === JSON.stringify(backendOf(b));
}

export function backendText(b: RouteBackend): string {
  if ('service' in b) return `Service ${b.service}${b.port === null ? '' : typeof b.port === 'number' ? ':' + b.port : ` port "${b.port}"`}`;
  return `${b.resource.apiGroup ? b.resource.apiGroup + '/' : ''}${b.resource.kind} ${b.resource.name}`;
}

const KIND_LABEL: Record<MatchKind, string> = { exact: 'Exact', prefix: 'Prefix', regex: 'regular expression' };

function describeKind(e: PathEntry): string {
  if (e.path.pathType === 'ImplementationSpecific') return `ImplementationSpecific (as ${KIND_LABEL[e.kind]})`;
  return KIND_LABEL[e.kind];
}

function matchPath(group: HostGroup, path: string, result: RouteResult): { ingress: IngressInfo; match: RouteMatch } | undefined {
  let winner: PathEntry | undefined;
  let ties: PathEntry[] = [];
  let why: string;
  const exact = group.exact.get(path);
  if (exact && exact.length) {
    winner = exact[0];
    ties = exact;
    let others = 0;
    for (const e of group.ranked) if (entryMatches(e, path)) others++;
    why = `${describeKind(winner)} match${others ? ` (wins over ${others} Prefix/other match${others > 1 ? 'es' : ''})` : ''}`;
  } else {
    let count = 0;
    for (const e of group.ranked) {
      if (!entryMatches(e, path)) continue;
      count++;
      if (!winner) winner = e;
      if (e.length === winner.length && e.kind === winner.kind && e.key === winner.key) ties.push(e);
    }
    if (!winner) return undefined;
    why = `longest ${describeKind(winner)} match (${winner.key}, ${winner.length} character${winner.length === 1 ? '' : 's'}) among ${count} candidate${count === 1 ? '' : 's'}`;
  }
  if (ties.length > 1) {
    const differing = ties.filter((t) => !sameBackend(t.backend, winner!.backend));
    if (differing.length) {
      why += `; tie with ${differing.length} other backend${differing.length > 1 ? 's' : ''}, first in namespace/name order shown`;
      result.conflicts.push({
        kind: 'path',
        host: group.host,
        path: winner.path.path ?? null,
        pathType: winner.path.pathType,
        chosen: idText(winner.ingress.id),
        candidates: ties.map((t) => ({ ingress: idText(t.ingress.id), backend: backendOf(t.backend), source: t.path.source })),
        message: `${ties.length} rules for ${group.host ?? 'every host'} give ${KIND_LABEL[winner.kind]} path ${winner.key} different backends: ${ties.map((t) => `${idText(t.ingress.id)} → ${backendText(backendOf(t.backend))}`).join(', ')}`,
      });
    } else {
      result.notes.push(`path ${winner.key} for ${group.host ?? 'every host'} is written ${ties.length} times with the same backend (${[...new Set(ties.map((t) => idText(t.ingress.id)))].join(', ')})`);
    }
  }
  return {
    ingress: winner.ingress,
    match: {
      ingress: idText(winner.ingress.id),
      ingressClass: null,
      host: group.host,
      hostMatch: group.tier,
      path: winner.path.path ?? null,
      pathType: winner.path.pathType,
      matchedAs: winner.kind,
      why,
      backend: backendOf(winner.backend),
      defaultBackend: false,
      source: winner.path.source,
      ruleSource: winner.rule.source,
      ingressSource: winner.ingress.source,
      backendSource: winner.backend.source,
    },
  };
}

function defaultBackendFor(idx: RouteIndex, group: HostGroup | undefined, host: string, path: string, result: RouteResult): { ingress: IngressInfo; match: RouteMatch } | undefined {
  let from: IngressInfo[] = [];
  let why = '';
  const serving = group ? group.ingresses.filter((i) => i.defaultBackend) : [];
  if (serving.length) {
    from = serving;
    why = `default backend of the Ingress serving ${group!.host ?? 'every host'}: no path matches ${path}`;
  } else if (idx.catchAll.length) {
    from = idx.catchAll;
    why = group
      ? `default backend of an Ingress without rules (catch-all): no path ${group.host ? `for ${group.host}` : 'of the rules without host'} matches ${path}`
      : `default backend of an Ingress without rules (catch-all): no rule matches host ${host}`;
  }
  if (!from.length) return undefined;
  const winner = from[0];
  const differing = from.filter((i) => !sameBackend(i.defaultBackend!, winner.defaultBackend!));
  if (differing.length) {
    result.conflicts.push({
      kind: 'defaultBackend',
      host: group && serving.length ? group.host : null,
      path: null,
      pathType: null,
      chosen: idText(winner.id),
      candidates: from.map((i) => ({ ingress: idText(i.id), backend: backendOf(i.defaultBackend!), source: i.defaultBackend!.source })),
      message: `${from.length} Ingresses give different default backends: ${from.map((i) => `${idText(i.id)} → ${backendText(backendOf(i.defaultBackend!))}`).join(', ')}`,
    });
    why += '; several default backends differ, first in namespace/name order shown';
  }
  const fromServing = serving.length > 0;
  return {
    ingress: winner,
    match: {
      ingress: idText(winner.id),
      ingressClass: null,
      host: fromServing ? group!.host : null,
      hostMatch: fromServing ? group!.tier : null,
      path: null,
      pathType: null,
      matchedAs: null,
      why,
      backend: backendOf(winner.defaultBackend!),
      defaultBackend: true,
      source: winner.defaultBackend!.source,
      ingressSource: winner.source,
      backendSource: winner.defaultBackend!.source,
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// No match: reason and nearest rule

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** Element-wise common prefix (number of equal leading path elements), then characters. */
function pathCloseness(rulePath: string, requestPath: string): [number, number] {
  const a = rulePath.split('/');
  const b = requestPath.split('/');
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return [n, commonPrefix(rulePath, requestPath)];
}

let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

/** Edit distance between two strings or two label lists; gives up (returns a value above `limit`)
 * once every cell of a row exceeds it. Two reused rows: this runs for many hosts on a miss. */
function levenshtein(a: string | string[], b: string | string[], limit = Infinity): number {
  const strings = typeof a === 'string' && typeof b === 'string';
  // A common prefix and suffix do not change the distance: compare only what lies between
  // (hosts of one domain share their whole suffix).
  let start = 0;
  let endA = a.length;
  let endB = b.length;
  if (strings) {
    const x = a as string;
    const y = b as string;
    while (start < endA && start < endB && x.charCodeAt(start) === y.charCodeAt(start)) start++;
    while (endA > start && endB > start && x.charCodeAt(endA - 1) === y.charCodeAt(endB - 1)) {
      endA--;
      endB--;
    }
  } else {
    while (start < endA && start < endB && a[start] === b[start]) start++;
    while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
      endA--;
      endB--;
    }
  }
  const n = endA - start;
  const m = endB - start;
  if (n === 0 || m === 0) return n + m;
  if (Math.abs(n - m) > limit) return limit + 1;
  if (rowA.length <= m) {
    rowA = new Int32Array(m + 1);
    rowB = new Int32Array(m + 1);
  }
  let prev = rowA;
  let cur = rowB;
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = strings ? (a as string).charCodeAt(start + i - 1) : 0;
    const la = strings ? '' : (a as string[])[start + i - 1];
    for (let j = 1; j <= m; j++) {
      const same = strings ? ca === (b as string).charCodeAt(start + j - 1) : la === (b as string[])[start + j - 1];
      let v = prev[j - 1] + (same ? 0 : 1);
      if (prev[j] + 1 < v) v = prev[j] + 1;
      if (cur[j - 1] + 1 < v) v = cur[j - 1] + 1;
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[m];
}

function nearestPathIn(group: HostGroup, path: string): PathEntry | undefined {
  let best: PathEntry | undefined;
  let bestScore: [number, number] = [-1, -1];
  for (const e of group.entries) {
    const s = pathCloseness(e.path.path ?? '/', path);
    if (s[0] > bestScore[0] || (s[0] === bestScore[0] && s[1] > bestScore[1]) || (s[0] === bestScore[0] && s[1] === bestScore[1] && e.order < best!.order)) {
      best = e;
      bestScore = s;
    }
  }
  return best;
}

function nearestOf(e: PathEntry, host: string | null, why: string): NearestRule {
  return { ingress: idText(e.ingress.id), host, path: e.path.path ?? null, pathType: e.path.pathType, why, source: e.path.source };
}

function explainNoMatch(idx: RouteIndex, group: HostGroup | undefined, host: string, path: string, ingressClass: string | undefined, result: RouteResult): void {
  const classText = ingressClass === undefined ? '' : ` of class ${ingressClass}`;
  if (idx.selected.length === 0) {
    const others = idx.skipped.length ? ` (${idx.skipped.length > 1 ? `${idx.skipped.length} Ingresses of other classes` : '1 Ingress of another class'}: ${[...new Set(idx.skipped.map((i) => idx.classOf.get(i) ?? '(no class)'))].sort().join(', ')})` : '';
    result.reason = `no Ingress${classText} in the given manifests${others}`;
    return;
  }
  const strayText = group ? strayDefaultsText(idx.defaultsWithRules.filter((i) => !group.ingresses.includes(i))) : (idx.strayText ??= strayDefaultsText(idx.defaultsWithRules));
  if (group) {
    const where = group.host ?? 'every host';
    const ings = group.ingresses.map((i) => idText(i.id)).join(', ');
    const paths = [...new Set(group.entries.map((e) => `${e.path.pathType} ${e.path.path ?? '/'}`))];
    result.reason = `${where} is served by ${ings}, but no path matches ${path} (${paths.length ? `paths: ${paths.slice(0, 8).join(', ')}${paths.length > 8 ? ', ...' : ''}` : 'no paths'}) and no default backend is set${strayText}`;
    const near = nearestPathIn(group, path);
    if (near) {
      const common = commonPrefix(near.path.path ?? '/', path);
      result.nearest = nearestOf(near, group.host, `same host, longest common path prefix with ${path} ("${path.slice(0, common)}")`);
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
    const labels = levenshtein(search.labels.get(g)!, requestLabels, bestScore[0]);
    if (labels > bestScore[0]) continue;
    // Characters decide only between hosts a label away (a typo); farther hosts keep index order.
    const chars = labels > 1 ? 0 : levenshtein(g.host!, host, labels < bestScore[0] ? Infinity : bestScore[1]);
    if (labels < bestScore[0] || chars < bestScore[1]) {
      bestGroup = g;
      bestScore = [labels, chars];
    }
  }
  const hosts = search.sortedHosts;
  const hostList = hosts.length ? ` (hosts: ${hosts.slice(0, 8).join(', ')}${hosts.length > 8 ? ', ...' : ''})` : ' (no Ingress has rules)';
  result.reason = `no rule${classText} matches host ${host}${hostList} and no Ingress without rules gives a default backend${strayText}`;
  if (bestGroup) {
    const near = nearestPathIn(bestGroup, path);
    const hostWhy = bestScore[0] === 1 ? `host ${bestGroup.host} differs from ${host} by one label` : `closest host by name (${bestScore[0]} labels differ)`;
    if (near) result.nearest = nearestOf(near, bestGroup.host, `${hostWhy}; longest common path prefix with ${path}`);
    else result.nearest = hostOnlyNearest(bestGroup, `${hostWhy}; the rule has no paths`);
  }
}

/** Host groups indexed for the nearest-host search, built on the first miss. */
interface HostSearch {
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

function hostSearchOf(idx: RouteIndex): HostSearch {
  let hs = hostSearches.get(idx);
  if (hs) return hs;
  const groups = [...idx.exact.values(), ...idx.wildcard.values()];
  hs = { groups, labels: new Map(), byKey: new Map(), bySuffix: new Map(), sortedHosts: groups.map((g) => g.host!).sort(), order: new Map(groups.map((g, i) => [g, i])) };
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

function deletionKeys(labels: string[]): string[] {
  const keys = [labels.join('.')];
  for (let i = 0; i < labels.length; i++) keys.push([...labels.slice(0, i), ...labels.slice(i + 1)].join('.'));
  return keys;
}

/** Hosts worth scoring for a request: those one label away (same labels with one changed, added or
 * removed), else those sharing the longest label suffix, else all; in index order, at most
 * MAX_HOST_CANDIDATES unless there are no more hosts than that (then all are scored). */
function hostCandidates(hs: HostSearch, requestLabels: string[]): HostGroup[] {
  if (hs.groups.length <= MAX_HOST_CANDIDATES) return hs.groups;
  // The lists are in index order: merge them, keeping the first MAX_HOST_CANDIDATES distinct hosts.
  const lists = deletionKeys(requestLabels).map((k) => hs.byKey.get(k)).filter((l): l is HostGroup[] => !!l);
  if (lists.length) {
    const at = lists.map(() => 0);
    const out: HostGroup[] = [];
    const seen = new Set<HostGroup>();
    while (out.length < MAX_HOST_CANDIDATES) {
      let best = -1;
      for (let i = 0; i < lists.length; i++) {
        if (at[i] < lists[i].length && (best < 0 || hs.order.get(lists[i][at[i]])! < hs.order.get(lists[best][at[best]])!)) best = i;
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
  for (let i = 1; !list && i < requestLabels.length; i++) list = hs.bySuffix.get(requestLabels.slice(i).join('.'));
  return (list ?? hs.groups).slice(0, MAX_HOST_CANDIDATES);
}

/** Default backends that do not apply here: they serve only the hosts of their own Ingress. */
function strayDefaultsText(stray: IngressInfo[]): string {
  if (!stray.length) return '';
  return `; the default backend of ${stray.map((i) => idText(i.id)).join(', ')} applies only to the hosts of ${stray.length > 1 ? 'those Ingresses' : 'that Ingress'}`;
}

function hostOnlyNearest(group: HostGroup, why: string): NearestRule {
  const ing = group.ingresses[0];
  const rule = ing.rules.find((r) => (r.host?.toLowerCase() || null) === group.host);
  return { ingress: idText(ing.id), host: group.host, path: null, pathType: null, why, source: rule?.source };
}

// ---------------------------------------------------------------------------------------------------
// Following the backend: Service → port → targetPort → workloads → container port

interface ClusterLookup {
  services: Map<string, ServiceInfo>;
  secrets: Map<string, SecretInfo>;
  workloadsByNamespace: Map<string, WorkloadInfo[]>;
}

const lookupCache = new WeakMap<Cluster, ClusterLookup>();

function lookup(cluster: Cluster): ClusterLookup {
  let l = lookupCache.get(cluster);
  if (l) return l;
  const bySource = (a: { source?: SourceRef }, b: { source?: SourceRef }) => cmp(a.source?.uri ?? '', b.source?.uri ?? '') || (a.source?.start ?? 0) - (b.source?.start ?? 0);
  l = { services: new Map(), secrets: new Map(), workloadsByNamespace: new Map() };
  for (const s of [...cluster.secrets].sort(bySource)) {
    const k = idText(s.id);
    if (!l.secrets.has(k)) l.secrets.set(k, s);
  }
  for (const s of [...cluster.services].sort(bySource)) {
    const k = idText(s.id);
    if (!l.services.has(k)) l.services.set(k, s);
  }
  const workloads = [...cluster.workloads].sort((a, b) => cmp(a.id.namespace, b.id.namespace) || cmp(a.id.kind, b.id.kind) || cmp(a.id.name, b.id.name) || bySource(a, b));
  for (const w of workloads) {
    const list = l.workloadsByNamespace.get(w.id.namespace);
    if (list) list.push(w);
    else l.workloadsByNamespace.set(w.id.namespace, [w]);
  }
  lookupCache.set(cluster, l);
  return l;
}

function portText(p: ServicePortInfo): string {
  return `${p.port}${p.name ? '/' + p.name : ''}`;
}

function selectorText(sel: Record<string, string>): string {
  return Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',');
}

function followBackend(cluster: Cluster, ing: IngressInfo, match: RouteMatch, result: RouteResult): void {
  const ns = ing.id.namespace;
  if ('resource' in match.backend) {
    result.notes.push(`the backend is a resource (${backendText(match.backend)}), not a Service; it is not followed further`);
    return;
  }
  const { service: name, port } = match.backend;
  const svc = lookup(cluster).services.get(`${ns}/${name}`);
  if (!svc) {
    result.problems.push({ step: 'service', message: `Service ${ns}/${name} not found`, source: match.backendSource });
    return;
  }
  const step: ServiceStep = { name: idText(svc.id), type: svc.type, port: null, selector: svc.selector ?? null, source: svc.source };
  result.service = step;
  if (svc.type === 'ExternalName') {
    result.notes.push(`Service ${idText(svc.id)} is ExternalName (${svc.externalName ?? 'no externalName'}): traffic leaves the cluster, no pods are involved`);
    return;
  }
  const portList = svc.ports.length ? svc.ports.map(portText).join(', ') : 'none';
  let sp: ServicePortInfo | undefined;
  if (port === null) {
    result.problems.push({ step: 'port', message: `the backend names no Service port (Service ${idText(svc.id)} has ports: ${portList})`, source: match.backendSource });
    return;
  } else if (typeof port === 'number') {
    sp = svc.ports.find((p) => p.port === port);
    if (!sp) result.problems.push({ step: 'port', message: `Service ${svc.id.name} has no port ${port} (ports: ${portList})`, source: match.backendSource });
  } else {
    sp = svc.ports.find((p) => p.name === port);
    if (!sp) {
      const quoted = /^\d+$/.test(port) ? `; "${port}" is a quoted string, so it names a port instead of numbering it` : '';
      result.problems.push({ step: 'port', message: `Service ${svc.id.name} has no port named ${port} (ports: ${portList})${quoted}`, source: match.backendSource });
    }
  }
  if (!sp) return;
  step.port = { name: sp.name ?? null, port: sp.port, protocol: sp.protocol, targetPort: sp.targetPort };
  step.portSource = sp.source;
  if (!svc.selector || Object.keys(svc.selector).length === 0) {
    result.notes.push(`Service ${idText(svc.id)} has no selector: its endpoints are managed outside these manifests, so no workloads are listed`);
    return;
  }
  const selector = svc.selector;
  const workloads = (lookup(cluster).workloadsByNamespace.get(svc.id.namespace) ?? []).filter((w) => matchesMap(selector, w.podLabels));
  if (!workloads.length) {
    result.problems.push({ step: 'workloads', message: `no workload matches selector ${selectorText(selector)} in namespace ${svc.id.namespace}`, source: svc.source });
    return;
  }
  const target = sp.targetPort;
  for (const w of workloads) {
    const wText = `${w.id.kind} ${idText(w.id)}`;
    let found: { container: string; port: ContainerPortInfo } | undefined;
    for (const c of w.containers) {
      const cp = c.ports.find((p) => (typeof target === 'number' ? p.containerPort === target : p.name === target) && p.protocol === sp!.protocol);
      if (cp) {
        found = { container: c.name, port: cp };
        break;
      }
    }
    const pod: PodTarget = {
      workload: wText,
      replicas: w.replicas ?? null,
      container: found?.container ?? null,
      containerPort: found ? found.port.containerPort : typeof target === 'number' ? target : null,
      portName: found?.port.name ?? null,
      protocol: sp.protocol,
      declared: !!found,
      source: w.source,
      portSource: found?.port.source,
    };
    if (!found) {
      if (typeof target === 'number') {
        result.notes.push(`${wText} declares no container port ${target}/${sp.protocol}; traffic is still sent to port ${target} (declaring it documents it)`);
      } else {
        pod.problem = `no container port named ${target} in ${wText}`;
        result.problems.push({ step: 'targetPort', message: pod.problem, source: w.source });
      }
    }
    if (w.replicas === 0) result.notes.push(`${wText} has 0 replicas: no pod serves this route`);
    result.pods.push(pod);
  }
}

// ---------------------------------------------------------------------------------------------------
// TLS

/** The tls entry of an Ingress for a host: one that names it wins over one that lists no hosts (any host). */
function tlsEntryFor(ing: IngressInfo, host: string): IngressInfo['tls'][number] | undefined {
  let anyHost: IngressInfo['tls'][number] | undefined;
  for (const t of ing.tls) {
    if (t.hosts.length === 0) anyHost ??= t;
    else for (const h of t.hosts) if (hostMatches(h, host)) return t;
  }
  return anyHost;
}

function tlsFor(cluster: Cluster, idx: RouteIndex, ing: IngressInfo, host: string, result: RouteResult): void {
  const entry = tlsEntryFor(ing, host);
  if (!entry) {
    const dot = host.indexOf('.');
    const exact = idx.tlsExact.get(host);
    const wild = dot > 0 ? idx.tlsWildcard.get(host.slice(dot + 1)) : undefined;
    if (!exact && !wild) return;
    const other = [...(exact ?? []), ...(wild ?? [])].filter((i) => i !== ing).sort(compareIngress)[0];
    if (other) result.notes.push(`host ${host} is not in a tls entry of ${idText(ing.id)}, but Ingress ${idText(other.id)} has one (secret ${tlsEntryFor(other, host)?.secretName ?? 'none'}); controllers that merge hosts (like ingress-nginx) serve it over TLS`);
    return;
  }
  result.tls = { ingress: idText(ing.id), secretName: entry.secretName, hosts: entry.hosts, source: entry.source };
  if (entry.hosts.length === 0) result.notes.push(`the tls entry of ${idText(ing.id)} lists no hosts: it covers whatever host the controller's wildcard setting allows`);
  if (!entry.secretName) {
    result.notes.push(`the tls entry of ${idText(ing.id)} names no secretName: the controller's default certificate is used`);
    return;
  }
  const ns = ing.id.namespace;
  const secret = lookup(cluster).secrets.get(`${ns}/${entry.secretName}`);
  if (!secret) result.problems.push({ step: 'tls', message: `Secret ${ns}/${entry.secretName} not found`, source: entry.source });
  else if (secret.type !== 'kubernetes.io/tls') result.problems.push({ step: 'tls', message: `Secret ${ns}/${entry.secretName} has type ${secret.type}, not kubernetes.io/tls`, source: secret.source });
  else {
    const missing = ['tls.crt', 'tls.key'].filter((k) => !secret.keys.includes(k));
    if (missing.length) result.problems.push({ step: 'tls', message: `Secret ${ns}/${entry.secretName} has no ${missing.join(' and no ')}`, source: secret.source });
  }
}
