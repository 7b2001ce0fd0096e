// Host and path matching: one Ingress path as a match entry (Exact, Prefix, or a regular expression for
// ImplementationSpecific in regex mode), the best entry of a host group for a path, and the default
// backend when no path matches.

import { compileUserRegex, matchUserRegex } from '../regex';
import { implementationSpecificMeaning } from '../controller';
import type { ControllerDecision, PathMeaning } from '../controller';
import type { BackendInfo, IngressInfo, IngressPathInfo, IngressRuleInfo } from '../types';
import { idText } from '../types';
import type {
  ImplementationSpecificMode,
  RouteBackend,
  RouteMatch,
  RouteProblem,
  RouteResult,
} from './types';
import type { HostGroup, MatchKind, PathEntry, RouteIndex } from './index-types';

/** Prefix paths compare without trailing slashes; `/` stays `/`. */
export function normalizePrefix(path: string): string {
  // a loop, not /\/+$/: that expression retries at every slash of a long run that does not end the path
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 47 /* / */) end--;
  return end === 0 ? '/' : path.slice(0, end);
}

/** Kubernetes Prefix semantics: element-wise on `/`, trailing slash ignored. */
export function prefixMatches(rulePath: string, requestPath: string): boolean {
  const p = normalizePrefix(rulePath);
  if (p === '/') return true;
  return requestPath === p || requestPath.startsWith(p + '/');
}

export function makeEntry(
  ing: IngressInfo,
  rule: IngressRuleInfo,
  p: IngressPathInfo,
  order: number,
  mode: ImplementationSpecificMode,
  ignore: (p: RouteProblem) => void,
  /** The controller's meaning of this Ingress's paths when its annotations override the pathType. */
  meaning?: PathMeaning,
  /** The controller serving the Ingress: GKE and AWS give ImplementationSpecific paths their own meaning. */
  decision?: ControllerDecision,
): PathEntry | undefined {
  const where = `path ${p.path ?? '(none)'} of Ingress ${idText(ing.id)}`;
  if (!p.backend) {
    ignore({ step: 'ingress', message: `${where} has no backend; it is ignored`, source: p.source });
    return undefined;
  }
  if (!meaning && decision && p.pathType === 'ImplementationSpecific' && p.path?.startsWith('/')) {
    const own = controllerEntry(ing, rule, p, order, decision, where, ignore);
    if (own !== 'default') return own;
  }
  let kind: MatchKind;
  if (
    meaning &&
    (p.pathType === 'Exact' || p.pathType === 'Prefix' || p.pathType === 'ImplementationSpecific')
  )
    kind = meaning.kind;
  else if (p.pathType === 'Exact') kind = 'exact';
  else if (p.pathType === 'Prefix') kind = 'prefix';
  else if (p.pathType === 'ImplementationSpecific') kind = mode;
  else {
    ignore({
      step: 'ingress',
      message: `${where} has pathType "${p.pathType}", which is not Exact, Prefix or ImplementationSpecific; it is ignored`,
      source: p.source,
    });
    return undefined;
  }
  let path = p.path;
  if (path === undefined || path === '') {
    if (p.pathType !== 'ImplementationSpecific') {
      ignore({
        step: 'ingress',
        message: `${where}: a ${p.pathType} path needs a path; it is ignored`,
        source: p.source,
      });
      return undefined;
    }
    path = '/';
  }
  if (kind !== 'regex' && !path.startsWith('/')) {
    ignore({ step: 'ingress', message: `${where} does not start with "/"; it is ignored`, source: p.source });
    return undefined;
  }
  const entry: PathEntry = {
    ingress: ing,
    rule,
    path: p,
    order,
    kind,
    key: path,
    length: path.length,
    backend: p.backend,
  };
  if (kind === 'prefix') {
    entry.key = normalizePrefix(path);
    entry.length = entry.key.length;
  } else if (kind === 'regex') {
    // ingress-nginx writes `location ~* "^<path>"`: PCRE, case-insensitive, "^" put in front as text;
    // NGINX Inc's nginx.org/path-regex the same, with `~` (case-sensitive) for case_sensitive
    const regex = compileUserRegex(`^${path}`, {
      dialect: 'pcre',
      caseInsensitive: meaning?.kind === 'regex' ? meaning.caseInsensitive : true,
    });
    if (!regex.ok) {
      const message =
        regex.problem === 'invalid'
          ? `${where} is not a valid regular expression (${regex.reason}); it is ignored`
          : `${where} cannot be evaluated as a regular expression: ${regex.reason}; it is left out, so a request it matches may be shown going elsewhere`;
      ignore({ step: 'ingress', message, source: p.source });
      return undefined;
    }
    entry.regex = regex;
  }
  return entry;
}

/** An ImplementationSpecific path read the way GKE or the AWS Load Balancer Controller reads it
 * ('default' when the controller is neither). */
function controllerEntry(
  ing: IngressInfo,
  rule: IngressRuleInfo,
  p: IngressPathInfo,
  order: number,
  decision: ControllerDecision,
  where: string,
  ignore: (p: RouteProblem) => void,
): PathEntry | undefined | 'default' {
  const path = p.path!;
  const m = implementationSpecificMeaning(decision, path);
  if (!m) return 'default';
  const who = m.controller === 'gke' ? 'GKE' : 'AWS Load Balancer Controller';
  if (m.kind === 'invalid') {
    ignore({ step: 'ingress', message: `${where}: ${m.why}; it is ignored`, source: p.source });
    return undefined;
  }
  const base = { ingress: ing, rule, path: p, order, key: path, backend: p.backend! };
  const alb = m.controller === 'aws-alb';
  // GKE's `/*` is every path: the same entry as Prefix `/` (ties with other `/` paths by order)
  if (m.kind === 'pattern' && !alb && m.literalPrefix === '/')
    return {
      ...base,
      kind: 'prefix',
      key: '/',
      length: 1,
      label: `ImplementationSpecific (${who}: pattern /*)`,
    };
  if (m.kind === 'exact' && !alb)
    return { ...base, kind: 'exact', length: path.length, label: `ImplementationSpecific (${who}: exact)` };
  const source = m.kind === 'exact' ? path.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&') : m.regex;
  const regex = compileUserRegex(source, { dialect: 're2', anchor: 'full' });
  if (!regex.ok) {
    ignore({
      step: 'ingress',
      message: `${where} cannot be evaluated: ${regex.reason}; it is ignored`,
      source: p.source,
    });
    return undefined;
  }
  return {
    ...base,
    kind: 'regex',
    regex,
    // GKE's URL map takes the longest path; the AWS controller ranks these after Exact and Prefix paths
    length: alb ? 0 : m.kind === 'pattern' ? m.literalPrefix.length : path.length,
    label: `ImplementationSpecific (${who}: ${m.kind === 'exact' ? 'exact' : `pattern ${path}`})`,
    ...(alb ? { listed: true } : {}),
  };
}

export function entryMatches(e: PathEntry, requestPath: string, result: RouteResult): boolean {
  if (e.kind === 'prefix')
    return e.key === '/' || requestPath === e.key || requestPath.startsWith(e.key + '/');
  if (e.kind === 'regex') {
    const verdict = matchUserRegex(e.regex!, requestPath);
    if (verdict.outcome === 'cannot-evaluate') {
      const note = `path ${e.key} of Ingress ${idText(e.ingress.id)} could not be tested against this request (${verdict.reason}); it is treated as not matching`;
      if (!result.notes.includes(note)) result.notes.push(note);
    }
    return verdict.outcome === 'match';
  }
  return e.key === requestPath;
}

export function backendOf(b: BackendInfo): RouteBackend {
  if (b.kind === 'service') return { service: b.service, port: b.port ?? null };
  return { resource: { apiGroup: b.apiGroup ?? null, kind: b.resourceKind, name: b.name } };
}

export function sameBackend(a: BackendInfo, b: BackendInfo): boolean {
  return JSON.stringify(backendOf(a)) === JSON.stringify(backendOf(b));
}

export function backendText(b: RouteBackend): string {
  if ('service' in b)
    return `Service ${b.service}${b.port === null ? '' : typeof b.port === 'number' ? ':' + b.port : ` port "${b.port}"`}`;
  return `${b.resource.apiGroup ? b.resource.apiGroup + '/' : ''}${b.resource.kind} ${b.resource.name}`;
}

const KIND_LABEL: Record<MatchKind, string> = {
  exact: 'Exact',
  prefix: 'Prefix',
  regex: 'regular expression',
};

export function describeKind(e: PathEntry): string {
  if (e.label) return e.label;
  if (e.path.pathType === 'ImplementationSpecific')
    return `ImplementationSpecific (as ${KIND_LABEL[e.kind]})`;
  return KIND_LABEL[e.kind];
}

export function matchPath(
  group: HostGroup,
  path: string,
  result: RouteResult,
): { ingress: IngressInfo; backend: BackendInfo; match: RouteMatch } | undefined {
  let winner: PathEntry | undefined;
  let ties: PathEntry[] = [];
  let why: string;
  const exact = group.exact.get(path);
  if (exact && exact.length) {
    winner = exact[0];
    ties = exact;
    let others = 0;
    for (const e of group.ranked) if (entryMatches(e, path, result)) others++;
    why = `${describeKind(winner)} match${others ? ` (wins over ${others} Prefix/other match${others > 1 ? 'es' : ''})` : ''}`;
  } else {
    let count = 0;
    for (const e of group.ranked) {
      if (!entryMatches(e, path, result)) continue;
      count++;
      if (!winner) winner = e;
      if (e.length === winner.length && e.kind === winner.kind && e.key === winner.key) ties.push(e);
    }
    if (!winner) return undefined;
    if (winner.listed)
      why = `first ${describeKind(winner)} match in listed order (the AWS Load Balancer Controller ranks ImplementationSpecific paths after Exact and Prefix paths) among ${count} candidate${count === 1 ? '' : 's'}`;
    else
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
        candidates: ties.map((t) => ({
          ingress: idText(t.ingress.id),
          backend: backendOf(t.backend),
          source: t.path.source,
        })),
        message: `${ties.length} rules for ${group.host ?? 'every host'} give ${KIND_LABEL[winner.kind]} path ${winner.key} different backends: ${ties.map((t) => `${idText(t.ingress.id)} → ${backendText(backendOf(t.backend))}`).join(', ')}`,
      });
    } else {
      result.notes.push(
        `path ${winner.key} for ${group.host ?? 'every host'} is written ${ties.length} times with the same backend (${[...new Set(ties.map((t) => idText(t.ingress.id)))].join(', ')})`,
      );
    }
  }
  return {
    ingress: winner.ingress,
    backend: winner.backend,
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

export function defaultBackendFor(
  idx: RouteIndex,
  group: HostGroup | undefined,
  host: string,
  path: string,
  result: RouteResult,
): { ingress: IngressInfo; backend: BackendInfo; match: RouteMatch } | undefined {
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
      candidates: from.map((i) => ({
        ingress: idText(i.id),
        backend: backendOf(i.defaultBackend!),
        source: i.defaultBackend!.source,
      })),
      message: `${from.length} Ingresses give different default backends: ${from.map((i) => `${idText(i.id)} → ${backendText(backendOf(i.defaultBackend!))}`).join(', ')}`,
    });
    why += '; several default backends differ, first in namespace/name order shown';
  }
  const fromServing = serving.length > 0;
  return {
    ingress: winner,
    backend: winner.defaultBackend!,
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
