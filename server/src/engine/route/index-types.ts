// The data of the rule index, shared by the index (rule-index.ts) and the matching (match.ts): one
// Ingress path as a match entry, the entries of one host, and the index of a cluster. Types only, so
// that neither of the two imports the other.

import type { UserRegex } from '../regex';
import type { BackendInfo, IngressInfo, IngressPathInfo, IngressRuleInfo } from '../types';
import type { RouteProblem } from './types';

export type MatchKind = 'exact' | 'prefix' | 'regex';

export interface PathEntry {
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
  regex?: UserRegex;
  backend: BackendInfo;
  /** How the controller reads this ImplementationSpecific path (GKE, AWS), for the explanation. */
  label?: string;
  /** Ranked after every Prefix path, in listed order (AWS Load Balancer Controller). */
  listed?: boolean;
}

export interface HostGroup {
  tier: 'exact' | 'wildcard' | 'any';
  host: string | null;
  /** Ingresses with a rule in this group, in order. */
  ingresses: IngressInfo[];
  entries: PathEntry[];
  exact: Map<string, PathEntry[]>;
  /** Prefix and regex entries: longest first, prefix before regex at equal length, then order. */
  ranked: PathEntry[];
}

export interface RouteIndex {
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
