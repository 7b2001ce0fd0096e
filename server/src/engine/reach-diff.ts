// Reachability before and after a change: which ordered pairs of Pods/workloads gain or lose a port,
// and what decides each verdict on both sides (the tier, policy, rule and action), plus which
// policies of any kind were added, removed or changed. Pure: two clusters in, a plain answer out.

import { evaluateReach, reachIndex } from './reach';
import type { Reason, ReachResult } from './reach';
import { pairVerdicts } from './reach-matrix';
import { declaredPortBits } from './reach-matrix-ports';
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
  /** Service hairpin (`from` = `to`): the pod reaches itself through this Service (`ns/name`, as after). */
  hairpin?: string;
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
  const tier =
    denying?.tier ??
    (r.ingress.tier && r.ingress.tier !== 'Default' ? r.ingress.tier : (r.egress.tier ?? 'Default'));
  return {
    allowed: r.allowed,
    tier,
    because: reasons.map((x) => x.message),
    policies: [...new Set(reasons.map((x) => x.policy).filter((p): p is string => !!p))],
    source: reasons.find((x) => x.source)?.source,
  };
}

/** Every policy of every kind, keyed by kind and name, with its content (positions left out). */
function policyMap(
  c: Cluster,
): Map<string, { kind: string; name: string; body: string; source?: SourceRef }> {
  const out = new Map<string, { kind: string; name: string; body: string; source?: SourceRef }>();
  const body = (x: unknown) =>
    JSON.stringify(x, (k, v) => (k === 'source' || k.endsWith('Source') || k === 'src' ? undefined : v));
  for (const p of c.policies)
    out.set(`NetworkPolicy/${idText(p.id)}`, {
      kind: 'NetworkPolicy',
      name: idText(p.id),
      body: body(p),
      source: p.source,
    });
  for (const p of c.adminPolicies ?? [])
    out.set(`${p.kind}/${p.name}`, { kind: p.kind, name: p.name, body: body(p), source: p.source });
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
  // Antrea-native policies, and the groups and tiers they name (a change there changes what they do)
  for (const p of c.antreaPolicies ?? []) {
    const kind = `${p.kind}.crd.antrea.io`;
    const name = `${p.namespace !== undefined ? p.namespace + '/' : ''}${p.name}`;
    out.set(`${kind}/${name}`, { kind, name, body: body(p), source: p.source });
  }
  for (const g of c.antreaGroups ?? []) {
    const name = `${g.namespace !== undefined ? g.namespace + '/' : ''}${g.name}`;
    out.set(`${g.kind}.crd.antrea.io/${name}`, {
      kind: `${g.kind}.crd.antrea.io`,
      name,
      body: body(g),
      source: g.source,
    });
  }
  for (const t of c.antreaTiers ?? [])
    out.set(`Tier.crd.antrea.io/${t.name}`, {
      kind: 'Tier.crd.antrea.io',
      name: t.name,
      body: body(t),
      source: t.source,
    });
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

/** The verdicts of one side of the diff: per ordered pair (row and column index), the ports to test
 * and whether each is open. */
interface Verdicts {
  names: string[];
  index: Map<string, number>;
  /** Ports tested towards column t (`8080/TCP`, or the one port asked). */
  ports(t: number): string[];
  /** Is port key k tested towards t, and may s reach t on it? */
  open(s: number, t: number, key: string): boolean;
  /** Service hairpin of s on port key k: undefined when no Service sends it back to s. */
  hairpin(s: number, key: string): { service: string; allowed: boolean } | undefined;
}

function verdicts(c: Cluster, o: DiffOptions): Verdicts {
  if (o.port !== undefined) {
    const protocol = o.protocol ?? 'TCP';
    const key = portKey(o.port, protocol);
    const keys = [key];
    const m = pairVerdicts(c, { port: o.port, protocol, namespace: o.namespace, cni: o.cni });
    return {
      names: m.names,
      index: new Map(m.names.map((x, j) => [x, j])),
      ports: () => keys,
      open: (s, t, k) => k === key && m.allowed(s, t),
      hairpin: (s, k) => (k === key ? m.hairpin(s) : undefined),
    };
  }
  const d = declaredPortBits(c, { protocol: o.protocol, namespace: o.namespace, cni: o.cni });
  return {
    names: d.names,
    index: new Map(d.names.map((x, j) => [x, j])),
    ports: (t) => d.ports[t],
    open: (s, t, k) => d.declares(t, k) && d.allowedOn(s, t, k),
    hairpin: (s, k) => (d.declares(s, k) ? d.hairpinOn(s, k) : undefined),
  };
}

export function diffReach(before: Cluster, after: Cluster, options: DiffOptions = {}): ReachDiff {
  const a = verdicts(before, options);
  const b = verdicts(after, options);
  const namesBefore = new Set(reachIndex(before).labelOf.values());
  const namesAfter = new Set(reachIndex(after).labelOf.values());
  const opened: PairChange[] = [];
  const closed: PairChange[] = [];
  const explain = (from: string, to: string, key: string): { before: DiffSide; after: DiffSide } => {
    const { port, protocol } = parsePortKey(key);
    const at = (c: Cluster) => side(evaluateReach(c, from, to, port, protocol, { cni: options.cni }));
    return { before: at(before), after: at(after) };
  };
  const explainHairpin = (
    name: string,
    key: string,
    services: [string, string],
  ): { before: DiffSide; after: DiffSide } => {
    const { port, protocol } = parsePortKey(key);
    const at = (c: Cluster, service: string) =>
      side(evaluateReach(c, name, name, port, protocol, { cni: options.cni, hairpin: true, service }));
    return { before: at(before, services[0]), after: at(after, services[1]) };
  };
  // Workloads on one side only are listed under workloads.added/removed, not as pairs.
  const beforeOf = b.names.map((x) => a.index.get(x));
  for (let s = 0; s < b.names.length; s++) {
    const sa = beforeOf[s];
    if (sa === undefined) continue;
    // service hairpin: compared where a Service sends the port back to the pod on both sides (a Service
    // added or removed is a new or lost path, not a policy change)
    for (const k of b.ports(s)) {
      const hb = b.hairpin(s, k);
      const ha = hb && a.hairpin(sa, k);
      if (!hb || !ha || hb.allowed === ha.allowed) continue;
      const change: PairChange = {
        from: b.names[s],
        to: b.names[s],
        port: k,
        hairpin: hb.service,
        ...explainHairpin(b.names[s], k, [ha.service, hb.service]),
      };
      (hb.allowed ? opened : closed).push(change);
    }
    for (let t = 0; t < b.names.length; t++) {
      const ta = beforeOf[t];
      if (s === t || ta === undefined) continue;
      for (const k of b.ports(t))
        if (b.open(s, t, k) && !a.open(sa, ta, k))
          opened.push({ from: b.names[s], to: b.names[t], port: k, ...explain(b.names[s], b.names[t], k) });
      for (const k of a.ports(ta))
        if (a.open(sa, ta, k) && !b.open(s, t, k))
          closed.push({ from: b.names[s], to: b.names[t], port: k, ...explain(b.names[s], b.names[t], k) });
    }
  }
  const order = (x: PairChange, y: PairChange) =>
    x.from < y.from
      ? -1
      : x.from > y.from
        ? 1
        : x.to < y.to
          ? -1
          : x.to > y.to
            ? 1
            : x.port < y.port
              ? -1
              : x.port > y.port
                ? 1
                : 0;
  opened.sort(order);
  closed.sort(order);
  const pa = policyMap(before);
  const pb = policyMap(after);
  const policies: PolicyChange[] = [];
  for (const [k, p] of pb) {
    const old = pa.get(k);
    if (!old) policies.push({ kind: p.kind, name: p.name, change: 'added', source: p.source });
    else if (old.body !== p.body)
      policies.push({ kind: p.kind, name: p.name, change: 'changed', source: p.source });
  }
  for (const [k, p] of pa)
    if (!pb.has(k)) policies.push({ kind: p.kind, name: p.name, change: 'removed', source: p.source });
  policies.sort((x, y) => (`${x.kind}/${x.name}` < `${y.kind}/${y.name}` ? -1 : 1));
  return {
    opened,
    closed,
    policies,
    workloads: {
      added: [...namesAfter].filter((n) => !namesBefore.has(n)).sort(),
      removed: [...namesBefore].filter((n) => !namesAfter.has(n)).sort(),
    },
  };
}
