// Reachability between every ordered pair of workloads on one port (the matrix), as bit sets per
// selector, rule and policy so that a large cluster costs a few passes, not one evaluation per cell.
// The single-pair evaluation with its reasons lives in reach.ts.

import { matchesSelector } from './selector';
import { selectorKey } from './policy-match';
import type { LabelSelector } from './selector';
import type { Cluster, PolicyInfo, PolicyPeerInfo, PolicyRuleInfo, Protocol, WorkloadInfo } from './types';
import { clusterMemo } from './cluster-index';
import { pluginView } from './cni-view';
import {
  cmp,
  connPort,
  evaluateReach,
  ipBlockMatches,
  namespaceLabels,
  portMatches,
  reachIndex,
} from './reach';
import type { ConnPort, Endpoint, Reason, ReachIndex, TierName } from './reach';
import { tierContext, tieredSideBits, tierOfCode } from './tiers';
import type { TierContext } from './tiers';
import { hairpinCells, hairpinVerdict } from './reach-hairpin';
import type { HairpinCell } from './reach-hairpin';

export interface MatrixOptions {
  port: number | string;
  protocol?: Protocol;
  /** Only the Pods and workloads of this namespace become rows and columns. */
  namespace?: string;
  /** Explain every cell (one evaluateReach per cell: slower). */
  reasons?: boolean;
  /** The network plugin (engine/cni.ts), or `auto`/undefined to detect it. */
  cni?: string;
}

export interface MatrixCell {
  from: string;
  to: string;
  allowed: boolean;
  reasons?: Reason[];
  /** The tier that decided (the denying side's when denied); present when policies beyond NetworkPolicy apply. */
  tier?: TierName;
}

export interface MatrixWorkload {
  name: string;
  kind: string;
  namespace: string;
  /** When the port is a name: the number it stands for on this workload, null when it declares no such port. */
  resolvedPort?: number | null;
}

export interface ReachMatrix {
  port: number | string;
  protocol: Protocol;
  namespace?: string;
  /** Rows and columns, in order (namespace, name, kind). */
  workloads: MatrixWorkload[];
  /** Every ordered pair of distinct workloads, row by row. */
  cells: MatrixCell[];
  /** The network plugin assumed, when policies beyond NetworkPolicy (or a plugin) are involved. */
  cni?: string;
  /** The diagonal: each row behind a Service that sends this port back to it (service hairpin), and
   * whether its pods may reach themselves that way (reach-hairpin.ts). Absent when no row is. */
  hairpin?: HairpinCell[];
}

type Bits = Uint32Array;

function has(b: Bits, i: number): boolean {
  return (b[i >>> 5] & (1 << (i & 31))) !== 0;
}

function set(b: Bits, i: number): void {
  b[i >>> 5] |= 1 << (i & 31);
}

function orInto(target: Bits, b: Bits): void {
  for (let i = 0; i < target.length; i++) target[i] |= b[i];
}

function and(a: Bits, b: Bits): Bits {
  const out = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] & b[i];
  return out;
}

/** What the matrix needs that does not depend on the port: rows and columns, which NetworkPolicies
 * select each workload, and the sources or destinations each rule's peers match. Built once per
 * cluster and namespace filter, so a matrix per declared port (and `diff`) pays for it once. */
export interface MatrixBase {
  idx: ReachIndex;
  ws: WorkloadInfo[];
  eps: Endpoint[];
  words: number;
  all: Bits;
  rulePeers(policy: PolicyInfo, rule: PolicyRuleInfo): Bits;
  inPolicies: PolicyInfo[][];
  outPolicies: PolicyInfo[][];
  /** Per row, the first row of its class (endpointClasses). */
  reps: Int32Array;
}

/** Rows that no policy can tell apart: same namespace, pod labels, pod IPs and containers (their ports
 * and names). Each row's entry is the index of the first row of its class, so what depends only on those
 * is computed once per class (a Deployment's replicas, or many copies of one app, are one class). */
export function endpointClasses(ws: WorkloadInfo[]): Int32Array {
  const reps = new Int32Array(ws.length);
  const first = new Map<string, number>();
  ws.forEach((w, i) => {
    // everything a rule can test; not the name, kind, replicas or source positions
    const { id, podLabels, containers, podIPs, ...rest } = w;
    const labels = Object.keys(podLabels)
      .sort()
      .map((k) => [k, podLabels[k]]);
    const key = JSON.stringify(
      [
        id.namespace,
        labels,
        podIPs,
        containers.map((c) => [c.name, c.ports.map((p) => [p.name, p.containerPort, p.protocol])]),
        rest,
      ],
      (k, v) =>
        k === 'source' || k.endsWith('Source') || k === 'replicas' || k === 'secretVolumes' ? undefined : v,
    );
    const r = first.get(key);
    if (r === undefined) first.set(key, i);
    reps[i] = r ?? i;
  });
  return reps;
}

export function matrixBase(cluster: Cluster, namespace: string | undefined): MatrixBase {
  return clusterMemo(cluster, `matrix-base:${namespace === undefined ? '*' : 'ns:' + namespace}`, () =>
    buildBase(cluster, namespace),
  );
}

function buildBase(cluster: Cluster, namespace: string | undefined): MatrixBase {
  const idx = reachIndex(cluster);
  const ws =
    namespace === undefined ? idx.workloads : idx.workloads.filter((w) => w.id.namespace === namespace);
  const n = ws.length;
  const words = (n + 31) >>> 5;
  const eps: Endpoint[] = ws.map((w) => ({ kind: 'workload', name: idx.labelOf.get(w)!, workload: w }));
  const all = new Uint32Array(words);
  for (let i = 0; i < n; i++) set(all, i);

  const memo = <T>(m: Map<string, T>, key: string, f: () => T): T => {
    let v = m.get(key);
    if (v === undefined) m.set(key, (v = f()));
    return v;
  };
  const podSelCache = new Map<string, Bits>();
  const podSel = (s: LabelSelector) =>
    memo(podSelCache, selectorKey(s), () => {
      const b = new Uint32Array(words);
      for (let i = 0; i < n; i++) if (matchesSelector(s, ws[i].podLabels)) set(b, i);
      return b;
    });
  const nsBitsCache = new Map<string, Bits>();
  const nsBits = (ns: string) =>
    memo(nsBitsCache, ns, () => {
      const b = new Uint32Array(words);
      for (let i = 0; i < n; i++) if (ws[i].id.namespace === ns) set(b, i);
      return b;
    });
  const namespaces = [...new Set(ws.map((w) => w.id.namespace))];
  const nsSelCache = new Map<string, Bits>();
  const nsSel = (s: LabelSelector) =>
    memo(nsSelCache, selectorKey(s), () => {
      const b = new Uint32Array(words);
      for (const ns of namespaces) if (matchesSelector(s, namespaceLabels(idx, ns))) orInto(b, nsBits(ns));
      return b;
    });

  const peerBits = (policy: PolicyInfo, peer: PolicyPeerInfo): Bits => {
    const hasSelector = !!peer.podSelector || !!peer.namespaceSelector;
    let b: Bits | undefined;
    if (peer.ipBlock) {
      b = new Uint32Array(words);
      for (let i = 0; i < n; i++) if (ipBlockMatches(idx, peer.ipBlock, eps[i]).matched) set(b, i);
      if (!hasSelector) return b;
    } else if (!hasSelector) {
      return new Uint32Array(words);
    }
    let sel = peer.namespaceSelector ? nsSel(peer.namespaceSelector) : nsBits(policy.id.namespace);
    if (peer.podSelector) sel = and(sel, podSel(peer.podSelector));
    return b ? and(b, sel) : sel;
  };
  const ruleCache = new Map<PolicyRuleInfo, Bits>();
  const rulePeers = (policy: PolicyInfo, rule: PolicyRuleInfo): Bits => {
    let b = ruleCache.get(rule);
    if (!b) {
      if (!rule.peers || rule.peers.length === 0) b = all;
      else {
        b = new Uint32Array(words);
        for (const peer of rule.peers) orInto(b, peerBits(policy, peer));
      }
      ruleCache.set(rule, b);
    }
    return b;
  };

  // Which policies select each workload, per direction.
  const inPolicies: PolicyInfo[][] = eps.map(() => []);
  const outPolicies: PolicyInfo[][] = eps.map(() => []);
  for (const p of cluster.policies) {
    const ingress = p.policyTypes.includes('Ingress');
    const egress = p.policyTypes.includes('Egress');
    if (!ingress && !egress) continue;
    const selected = and(nsBits(p.id.namespace), podSel(p.podSelector));
    for (let i = 0; i < n; i++) {
      if (!has(selected, i)) continue;
      if (ingress) inPolicies[i].push(p);
      if (egress) outPolicies[i].push(p);
    }
  }
  return { idx, ws, eps, words, all, rulePeers, inPolicies, outPolicies, reps: endpointClasses(ws) };
}

/** The verdict of every ordered pair on one port, as bit sets: s may reach t when its egress side
 * admits t (outAllowed[s] null or bit t) and t's ingress side admits s (inAllowed[t] null or bit s). */
export interface MatrixBits {
  base: MatrixBase;
  conns: ConnPort[];
  ctx: TierContext;
  inAllowed: (Bits | null)[];
  outAllowed: (Bits | null)[];
  /** The deciding tier's code per subject and remote (tiers.ts), when policies beyond NetworkPolicy apply. */
  inTier?: Uint8Array[];
  outTier?: Uint8Array[];
}

export function matrixBits(
  cluster: Cluster,
  port: number | string,
  protocol: Protocol,
  namespace: string | undefined,
  cni: string | undefined,
): MatrixBits {
  const base = matrixBase(cluster, namespace);
  const { eps, words, all, rulePeers, inPolicies, outPolicies } = base;
  const n = eps.length;
  const conns = eps.map((e) => connPort(port, protocol, e));
  const portOk = (rule: PolicyRuleInfo, t: number) =>
    !rule.ports || rule.ports.length === 0 || rule.ports.some((p) => portMatches(p, conns[t], eps[t]));
  const portCache = new Map<PolicyRuleInfo, Bits>();
  const rulePorts = (rule: PolicyRuleInfo): Bits => {
    let b = portCache.get(rule);
    if (!b) {
      if (!rule.ports || rule.ports.length === 0) b = all;
      else {
        b = new Uint32Array(words);
        for (let t = 0; t < n; t++) if (portOk(rule, t)) set(b, t);
      }
      portCache.set(rule, b);
    }
    return b;
  };
  // inAllowed[t]: the sources t's ingress side admits (null: not isolated). outAllowed[s]: the destinations s may send to.
  const inAllowed: (Bits | null)[] = eps.map((_, t) => {
    if (inPolicies[t].length === 0) return null;
    const b = new Uint32Array(words);
    for (const p of inPolicies[t]) for (const r of p.ingress) if (portOk(r, t)) orInto(b, rulePeers(p, r));
    return b;
  });
  const outAllowed: (Bits | null)[] = eps.map((_, s) => {
    if (outPolicies[s].length === 0) return null;
    const b = new Uint32Array(words);
    for (const p of outPolicies[s]) for (const r of p.egress) orInto(b, and(rulePeers(p, r), rulePorts(r)));
    return b;
  });
  const ctx = tierContext(cluster, cni);
  if (!ctx.tiered) return { base, conns, ctx, inAllowed, outAllowed };
  const tiered = tieredSideBits(ctx, {
    eps,
    conns,
    words,
    all,
    npIn: inAllowed,
    npOut: outAllowed,
    reps: base.reps,
  });
  return { base, conns, ctx, ...tiered };
}

/** The verdicts on one port without building a cell per pair: row and column names, and whether row s
 * may reach column t. */
export function pairVerdicts(
  cluster: Cluster,
  options: Omit<MatrixOptions, 'reasons'>,
): {
  names: string[];
  allowed(s: number, t: number): boolean;
  /** Through a Service that sends the port back to row s, may its pods reach themselves? undefined:
   * no Service does (no hairpin path). */
  hairpin(s: number): { service: string; allowed: boolean } | undefined;
} {
  cluster = pluginView(cluster, options.cni);
  const protocol = options.protocol ?? 'TCP';
  const m = matrixBits(cluster, options.port, protocol, options.namespace, options.cni);
  const eps = m.base.eps;
  return {
    names: eps.map((e) => e.name),
    allowed: (s, t) => s !== t && pairAllowed(m, s, t),
    hairpin(s) {
      const e = eps[s];
      if (e.kind !== 'workload') return undefined;
      const h = hairpinVerdict(cluster, e, options.port, protocol, options.cni);
      return h && { service: h.service, allowed: h.result.allowed };
    },
  };
}

export function pairAllowed(m: MatrixBits, s: number, t: number): boolean {
  const out = m.outAllowed[s];
  if (out !== null && !has(out, t)) return false;
  const inb = m.inAllowed[t];
  return inb === null || has(inb, s);
}

/** Every ordered pair of distinct Pods/workloads (of one namespace, if given) on one port. */
export function reachMatrix(cluster: Cluster, options: MatrixOptions): ReachMatrix {
  cluster = pluginView(cluster, options.cni);
  const protocol = options.protocol ?? 'TCP';
  const m = matrixBits(cluster, options.port, protocol, options.namespace, options.cni);
  const { idx, ws, eps } = m.base;
  const { ctx, conns } = m;
  const n = ws.length;
  const cells: MatrixCell[] = [];
  const tierNames: TierName[] = [];
  for (let s = 0; s < n; s++) {
    const out = m.outAllowed[s];
    for (let t = 0; t < n; t++) {
      if (s === t) continue;
      const inb = m.inAllowed[t];
      const outOk = out === null || has(out, t);
      const inOk = inb === null || has(inb, s);
      const allowed = outOk && inOk;
      let cell: MatrixCell;
      if (m.inTier && m.outTier) {
        const eg = m.outTier[s][t];
        const ing = m.inTier[t][s];
        const code = !outOk ? eg : !inOk ? ing : ing || eg;
        let tier = tierNames[code];
        if (tier === undefined) tier = tierNames[code] = tierOfCode(ctx, code);
        cell = { from: eps[s].name, to: eps[t].name, allowed, tier };
      } else cell = { from: eps[s].name, to: eps[t].name, allowed };
      if (options.reasons)
        cell.reasons = evaluateReach(cluster, eps[s], eps[t], options.port, protocol, {
          cni: options.cni,
        }).reasons;
      cells.push(cell);
    }
  }
  const hairpin = hairpinCells(cluster, ws, options.port, protocol, {
    cni: options.cni,
    reasons: options.reasons,
    tiered: ctx.tiered,
  });
  return {
    port: options.port,
    protocol,
    ...(ctx.tiered ? { cni: ctx.caps.name } : {}),
    ...(hairpin.length ? { hairpin } : {}),
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
    workloads: ws.map((w, i) => ({
      name: idx.labelOf.get(w)!,
      kind: w.id.kind,
      namespace: w.id.namespace,
      ...(typeof options.port === 'string' ? { resolvedPort: conns[i].number ?? null } : {}),
    })),
    cells,
  };
}
