// Does an HTTPRoute match (path, method, headers, query parameters) or a GRPCRoute match (service,
// method, headers) hold for a request? Semantics from apis/v1 httproute_types.go / grpcroute_types.go:
// - PathPrefix matches whole path elements (`/abc` matches `/abc`, `/abc/`, `/abc/def`, not `/abcd`);
//   a trailing `/` of the prefix is ignored. Exact compares the whole path. Both are case-sensitive.
// - RegularExpression (paths, headers, query parameters) is implementation-specific; it is evaluated
//   here with RE2 syntax (Envoy's and Go's) against the whole value, and the result says so.
// - Header names are case-insensitive; of several matches for one name only the first counts.
//   Query parameter names are case-sensitive (exact); a repeated parameter uses its first value.

import { compileUserRegex, matchUserRegex } from '../regex';
import type { UserRegex } from '../regex';
import type { GrpcMatchInfo, HttpMatchInfo, StringMatchInfo } from './types';
import type { GatewayRequest } from './request';

export interface MatchOutcome {
  matches: boolean;
  /** Why a RegularExpression could not be evaluated (the match is then treated as not matching). */
  cannotEvaluate?: string;
  /** True when a RegularExpression decided the outcome. */
  usedRegex?: boolean;
}

const regexCache = new Map<string, UserRegex>();

function regex(pattern: string): UserRegex {
  let r = regexCache.get(pattern);
  if (!r) {
    r = compileUserRegex(pattern, { dialect: 're2', anchor: 'full' });
    if (regexCache.size > 5000) regexCache.clear();
    regexCache.set(pattern, r);
  }
  return r;
}

function regexMatch(pattern: string, subject: string): MatchOutcome {
  const re = regex(pattern);
  if (!re.ok)
    return {
      matches: false,
      cannotEvaluate: `RegularExpression "${pattern}": ${re.reason}`,
      usedRegex: true,
    };
  const v = matchUserRegex(re, subject);
  if (v.outcome === 'cannot-evaluate') return { matches: false, cannotEvaluate: v.reason, usedRegex: true };
  return { matches: v.outcome === 'match', usedRegex: true };
}

/** PathPrefix semantics: element-wise, the prefix's trailing slash ignored. */
export function pathPrefixMatches(prefix: string, path: string): boolean {
  const p = prefix.length > 1 && prefix.endsWith('/') ? prefix.replace(/\/+$/, '') : prefix;
  if (p === '/' || p === '') return path.startsWith('/');
  if (!path.startsWith(p)) return false;
  return path.length === p.length || path[p.length] === '/';
}

function stringMatch(m: StringMatchInfo, value: string | undefined): MatchOutcome {
  if (value === undefined) return { matches: false };
  if (m.type === 'RegularExpression') return regexMatch(m.value, value);
  if (m.type !== 'Exact')
    return { matches: false, cannotEvaluate: `match type "${m.type}" is not Exact or RegularExpression` };
  return { matches: value === m.value };
}

function firstPerName(list: StringMatchInfo[], fold: boolean): StringMatchInfo[] {
  const seen = new Set<string>();
  return list.filter((m) => {
    const k = fold ? m.name.toLowerCase() : m.name;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function combine(outcomes: MatchOutcome[]): MatchOutcome {
  const out: MatchOutcome = { matches: true };
  for (const o of outcomes) {
    if (o.usedRegex) out.usedRegex = true;
    if (o.cannotEvaluate && !out.cannotEvaluate) out.cannotEvaluate = o.cannotEvaluate;
    if (!o.matches) {
      out.matches = false;
      return out;
    }
  }
  return out;
}

export function httpMatch(m: HttpMatchInfo, req: GatewayRequest): MatchOutcome {
  const outcomes: MatchOutcome[] = [];
  const { type, value } = m.path;
  if (type === 'Exact') outcomes.push({ matches: req.path === value });
  else if (type === 'PathPrefix') outcomes.push({ matches: pathPrefixMatches(value, req.path) });
  else if (type === 'RegularExpression') outcomes.push(regexMatch(value, req.path));
  else
    outcomes.push({
      matches: false,
      cannotEvaluate: `path match type "${type}" is not Exact, PathPrefix or RegularExpression`,
    });
  if (m.method !== undefined) outcomes.push({ matches: req.method === m.method });
  for (const h of firstPerName(m.headers, true))
    outcomes.push(stringMatch(h, req.headers.get(h.name.toLowerCase())));
  for (const q of firstPerName(m.queryParams, false))
    outcomes.push(stringMatch(q, req.queryParams.find(([k]) => k === q.name)?.[1]));
  return combine(outcomes);
}

/** gRPC requests are POSTs to `/<service>/<method>`. */
export function grpcMatch(m: GrpcMatchInfo, req: GatewayRequest): MatchOutcome {
  const parts = req.path.split('/');
  const outcomes: MatchOutcome[] = [];
  if (parts.length !== 3 || parts[0] !== '' || !parts[1] || !parts[2]) return { matches: false };
  if (m.method) {
    const { type, service, method } = m.method;
    if (type === 'RegularExpression') {
      if (service !== undefined) outcomes.push(regexMatch(service, parts[1]));
      if (method !== undefined) outcomes.push(regexMatch(method, parts[2]));
    } else {
      if (service !== undefined) outcomes.push({ matches: parts[1] === service });
      if (method !== undefined) outcomes.push({ matches: parts[2] === method });
    }
  }
  for (const h of firstPerName(m.headers, true))
    outcomes.push(stringMatch(h, req.headers.get(h.name.toLowerCase())));
  return combine(outcomes);
}
