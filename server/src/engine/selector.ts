// Kubernetes label selectors, on plain values (no parser or editor types).

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export type Labels = Record<string, string>;

/** LabelSelector semantics: every matchLabels pair and every expression must hold. An empty
 * selector matches everything. An unknown operator matches nothing (the API would reject it). */
export function matchesSelector(selector: LabelSelector, labels: Labels): boolean {
  const ml = selector.matchLabels;
  // for..in rather than Object.entries: the matrix calls this hundreds of thousands of times
  if (ml) for (const k in ml) if (labels[k] !== ml[k]) return false;
  const exprs = selector.matchExpressions;
  if (!exprs) return true;
  for (const e of exprs) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[e.key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[e.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Service-style selector (a plain map): every pair must be present. An empty map selects nothing
 * for a Service (the caller decides what an empty selector means). */
export function matchesMap(selector: Labels, labels: Labels): boolean {
  for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false;
  return true;
}

/** Coerce a parsed YAML value into a LabelSelector, ignoring malformed parts. */
export function toLabelSelector(v: unknown): LabelSelector | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const out: LabelSelector = {};
  if (o.matchLabels && typeof o.matchLabels === 'object' && !Array.isArray(o.matchLabels)) {
    out.matchLabels = toLabels(o.matchLabels);
  }
  if (Array.isArray(o.matchExpressions)) {
    out.matchExpressions = o.matchExpressions
      .filter((e): e is Record<string, unknown> => !!e && typeof e === 'object')
      .map((e) => ({
        key: String(e.key ?? ''),
        operator: String(e.operator ?? ''),
        values: Array.isArray(e.values) ? e.values.map((x) => String(x)) : undefined,
      }));
  }
  return out;
}

export function toLabels(v: unknown): Labels {
  const out: Labels = {};
  if (!v || typeof v !== 'object' || Array.isArray(v)) return out;
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (val === null || val === undefined || typeof val === 'object') continue;
    out[k] = String(val);
  }
  return out;
}
