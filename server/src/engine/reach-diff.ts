// Reachability before and after a change: which ordered pairs of Pods/workloads gain or lose a port,
// and what decides each verdict on both sides (the tier, policy, rule and action), plus which
// policies of any kind were added, removed or changed. Pure: two clusters in, a plain answer out.

import { evaluateReach, reachIndex } from './reach';
import type { Reason, ReachResult } from './reach';
import { reachMatrix, reachMatrixDeclaredPorts } from './reach-matrix';
import type { Cluster, Protocol, SourceRef } from './types';
import { idText } from './types';

export interface DiffOptions {
  /** One port for every pair; without it, each destination's declared container ports. */
  port?: number | string;
  protocol?: Protocol;
  namespace?: string;
  cni?: string;
}

export interface DiffSide {
  allowed: boolean;
  tier: string;
  /** The deciding reason(s) in plain words. */
  because: string[];
  /** Policies named by the deciding reasons. */
  policies: string[];
  source?: SourceRef;
}

export interface PairChange {
  from: string;
  to: string;
  /** `8080/TCP`, or the port name as asked. */
  port: string;
  before: DiffSide;
  after: DiffSide;
}

export interface PolicyChange {
  kind: string;
  name: string;
  change: 'added' | 'removed' | 'changed';
  source?: SourceRef;
}

export interface ReachDiff {
  /** Pairs and ports allowed after and not before. */
  opened: PairChange[];
  /** Pairs and ports allowed before and not after. */
  closed: PairChange[];
  policies: PolicyChange[];
  workloads: { added: string[]; removed: string[] };
}

function side(r: ReachResult): DiffSide {
  const denying = !r.egress.allowed ? r.egress : !r.ingress.allowed ? r.ingress : undefined;
  const reasons: Reason[] = denying ? denying.reasons : r.reasons;
  const tier = denying?.tier ?? (r.ingress.tier && r.ingress.tier !== 'Default' ? r.ingress.tier : (r.egress.tier ?? 'Default'));
  return {
    allowed: r.allowed,
    tier,
    because: reasons.map((x) => x.message),
    policies: [...new Set(reasons.map((x) => x.policy).filter((p): p is string => !!p))],
    source: reasons.find((x) => x.source)?.source,
  };
}

/** Every policy of every kind, keyed by kind and name, with its content (positions left out). */
function policyMap(c: Cluster): Map<string, { kind: string; name: string; body: string; source?: SourceRef }> {
  const out = new Map<string, { kind: string; name: string; body: string; source?: SourceRef }>();
  const body = (x: unknown) => JSON.stringify(x, (k, v) => (k === 'source' || k.endsWith('Source') || k === 'src' ? undefined : v));
  for (const p of c.policies) out.set(`NetworkPolicy/${idText(p.id)}`, { kind: 'NetworkPolicy', name: idText(p.id), body: body(p), source: p.source });
  for (const p of c.adminPolicies ?? []) out.set(`${p.kind}/${p.name}`, { kind: p.kind, name: p.name, body: body(p), source: p.source });
  for (const p of c.ciliumPolicies ?? []) {
    const name = `${p.namespace ? p.namespace + '/' : ''}${p.name}`;
    const key = `${p.kind}/${name}`;
    const prev = out.get(key);
    out.set(key, { kind: p.kind, name, body: (prev?.body ?? '') + body(p), source: p.source });
  }
  for (const p of c.calicoPolicies ?? []) {
    const kind = p.kind === 'NetworkPolicy' ? 'NetworkPolicy.projectcalico.org' : p.kind;
    const name = `${p.namespace ? p.namespace + '/' : ''}${p.name}`;
    out.set(`${kind}/${name}`, { kind, name, body: body(p), source: p.source });
  }
  return out;
}

function portKey(port: number | string, protocol: Protocol): string {
  return `${port}/${protocol}`;
}

function parsePortKey(k: string): { port: number | string; protocol: Protocol } {
  const i = k.lastIndexOf('/');
  const p = k.slice(0, i);
  return { port: /^\d+$/.test(p) ? Number(p) : p, protocol: k.slice(i + 1) as Protocol };
}

/** Allowed ports per ordered pair `from\0to`. */
function allowedPorts(c: Cluster, o: DiffOptions): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  if (o.port !== undefined) {
    const protocol = o.protocol ?? 'TCP';
    const m = reachMatrix(c, { port: o.port, protocol, namespace: o.namespace, cni: o.cni });
    for (const cell of m.cells) out.set(`${cell.from}\0${cell.to}`, new Set(cell.allowed ? [portKey(o.port, protocol)] : []));
    return out;
  }
  const m = reachMatrixDeclaredPorts(c, { protocol: o.protocol, namespace: o.namespace, cni: o.cni });
  for (const cell of m.cells) out.set(`${cell.from}\0${cell.to}`, new Set(cell.ports));
  return out;
}

export function diffReach(before: Cluster, after: Cluster, options: DiffOptions = {}): ReachDiff {
  const a = allowedPorts(before, options);
  const b = allowedPorts(after, options);
  const namesBefore = new Set(reachIndex(before).labelOf.values());
  const namesAfter = new Set(reachIndex(after).labelOf.values());
  const opened: PairChange[] = [];
  const closed: PairChange[] = [];
  const explain = (from: string, to: string, key: string): { before: DiffSide; after: DiffSide } => {
    const { port, protocol } = parsePortKey(key);
    const at = (c: Cluster) => side(evaluateReach(c, from, to, port, protocol, { cni: options.cni }));
    return { before: at(before), after: at(after) };
  };
  for (const [pair, portsAfter] of b) {
    const portsBefore = a.get(pair);
    if (!portsBefore) continue; // a workload that is new: listed under workloads.added
    const [from, to] = pair.split('\0');
    for (const k of portsAfter) if (!portsBefore.has(k)) opened.push({ from, to, port: k, ...explain(from, to, k) });
    for (const k of portsBefore) if (!portsAfter.has(k)) closed.push({ from, to, port: k, ...explain(from, to, k) });
  }
  const order = (x: PairChange, y: PairChange) => (x.from < y.from ? -1 : x.from > y.from ? 1 : x.to < y.to ? -1 : x.to > y.to ? 1 : x.port < y.port ? -1 : x.port > y.port ? 1 : 0);
  opened.sort(order);
  closed.sort(order);
  const pa = policyMap(before);
  const pb = policyMap(after);
  const policies: PolicyChange[] = [];
  for (const [k, p] of pb) {
    const old = pa.get(k);
    if (!old) policies.push({ kind: p.kind, name: p.name, change: 'added', source: p.source });
    else if (old.body !== p.body) policies.push({ kind: p.kind, name: p.name, change: 'changed', source: p.source });
  }
  for (const [k, p] of pa) if (!pb.has(k)) policies.push({ kind: p.kind, name: p.name, change: 'removed', source: p.source });
  policies.sort((x, y) => (`${x.kind}/${x.name}` < `${y.kind}/${y.name}` ? -1 : 1));
  return {
    opened,
    closed,
    policies,
    workloads: { added: [...namesAfter].filter((n) => !namesBefore.has(n)).sort(), removed: [...namesBefore].filter((n) => !namesAfter.has(n)).sort() },
  };
}
