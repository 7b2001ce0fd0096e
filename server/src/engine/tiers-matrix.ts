// Every pair at once (the matrix): the same compiled rules as the single-pair evaluation in tiers.ts,
// run as bit sets over all endpoints.

import type { ConnPort, Direction, Endpoint, TierName } from './reach-base';
import type { CalicoTierStage, CPolicy, CRule, TierContext } from './tiers-compiled';
import { rulesFor, selecting } from './tiers-compiled';

type Bits = Uint32Array;

/** Codes of the deciding tier in the matrix's per-pair tier bytes (Calico tiers from `calico` on,
 * Antrea tiers from `antrea` on). */
export const TIER_CODE = {
  Default: 0,
  Admin: 1,
  NetworkPolicy: 2,
  Baseline: 3,
  calico: 10,
  antrea: 100,
} as const;

/** The tier name of a code of tieredSideBits. */
export function tierOfCode(ctx: TierContext, code: number): TierName {
  if (code >= TIER_CODE.antrea) return ctx.stageTiers[code - TIER_CODE.antrea] ?? 'antrea:?';
  if (code >= TIER_CODE.calico) return `calico:${ctx.calicoTiers[code - TIER_CODE.calico]?.tier ?? '?'}`;
  return code === 1 ? 'Admin' : code === 2 ? 'NetworkPolicy' : code === 3 ? 'Baseline' : 'Default';
}

export interface MatrixTierInput {
  eps: Endpoint[];
  conns: ConnPort[];
  words: number;
  all: Bits;
  /** The plain NetworkPolicy answer per subject and direction (null: not isolated). */
  npIn: (Bits | null)[];
  npOut: (Bits | null)[];
  /** Per endpoint, the first endpoint of its class (reach-matrix.ts, endpointClasses): endpoints of one
   * class carry everything a policy can test, so the rep's answers are theirs. */
  reps: Int32Array;
}

/** What tieredSideBits computes that does not depend on the port, kept per compiled context and row
 * list (both memoised per cluster), so the matrices of several ports (declared ports, diff) share it:
 * the remotes each rule's peers match, the subjects a rule's own-side condition holds for, and the
 * policies of each list that select each subject per direction. */
interface TierMatrixBase {
  peers: Map<CRule, Bits>;
  subjects: Map<CRule, Bits>;
  selected: Map<CPolicy[], { Ingress: CPolicy[][]; Egress: CPolicy[][] }>;
}

const matrixBases = new WeakMap<TierContext, WeakMap<Endpoint[], TierMatrixBase>>();

function tierMatrixBase(ctx: TierContext, eps: Endpoint[]): TierMatrixBase {
  let byEps = matrixBases.get(ctx);
  if (!byEps) matrixBases.set(ctx, (byEps = new WeakMap()));
  let b = byEps.get(eps);
  if (!b) byEps.set(eps, (b = { peers: new Map(), subjects: new Map(), selected: new Map() }));
  return b;
}

/** Marks a run of Kubernetes NetworkPolicies inside a Calico tier's policy list. */
const K8S = 'k8s';
type Segment = CPolicy[] | typeof K8S;
const stageSegments = new WeakMap<CalicoTierStage, Segment[]>();

/** A Calico stage's policies in order, with each run of Kubernetes NetworkPolicies (Calico's default
 * tier holds them at order 1000) replaced by K8S: the matrix answers such a run from the plain
 * NetworkPolicy bit sets instead of rule by rule. */
function segmentsOf(stage: CalicoTierStage): Segment[] {
  let segs = stageSegments.get(stage);
  if (segs) return segs;
  segs = [];
  let run: CPolicy[] | undefined;
  for (const p of stage.policies) {
    if (p.family === 'NetworkPolicy') {
      if (segs[segs.length - 1] !== K8S) segs.push(K8S);
      run = undefined;
    } else {
      if (!run) segs.push((run = []));
      run.push(p);
    }
  }
  stageSegments.set(stage, segs);
  return segs;
}

/** A bit per endpoint, asking `f` only of the first endpoint of each class. */
function classBits(m: MatrixTierInput, f: (i: number) => boolean): Bits {
  const b = new Uint32Array(m.words);
  for (let i = 0; i < m.eps.length; i++) {
    const r = m.reps[i];
    if (r === i ? f(i) : (b[r >>> 5] & (1 << (r & 31))) !== 0) b[i >>> 5] |= 1 << (i & 31);
  }
  return b;
}

function sameBits(a: Bits | null, b: Bits | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** Allowed sets per subject: in[t] = the sources t admits, out[s] = the destinations s may send to. */
export function tieredSideBits(
  ctx: TierContext,
  m: MatrixTierInput,
): { inAllowed: Bits[]; outAllowed: Bits[]; inTier: Uint8Array[]; outTier: Uint8Array[] } {
  const n = m.eps.length;
  const base = tierMatrixBase(ctx, m.eps);
  let dec = new Uint8Array(n);
  /** Records the deciding tier of the remotes set in word k of a bit set (only their bits are visited). */
  const mark = (k: number, hit: number, code: number) => {
    hit |= 0; // a Uint32Array word reads as an unsigned number; the bit operations below work on int32
    if (hit === -1) {
      dec.fill(code, k << 5, Math.min(n, (k + 1) << 5));
      return;
    }
    while (hit) {
      dec[(k << 5) + (31 - Math.clz32(hit & -hit))] = code;
      hit &= hit - 1;
    }
  };
  const peerBits = (rule: CRule): Bits => {
    let b = base.peers.get(rule);
    if (!b) {
      b = classBits(m, (i) => rule.peer(m.eps[i]).matched);
      base.peers.set(rule, b);
    }
    return b;
  };
  /** Does the rule's condition on its own side (Calico) hold for subject i? */
  const subjectOk = (rule: CRule, i: number): boolean => {
    if (!rule.subject) return true;
    let b = base.subjects.get(rule);
    if (!b) {
      const subject = rule.subject;
      b = classBits(m, (k) => subject(m.eps[k]).matched);
      base.subjects.set(rule, b);
    }
    return (b[i >>> 5] & (1 << (i & 31))) !== 0;
  };
  /** The policies of a list that select subject i in a direction. */
  const selectedBy = (list: CPolicy[], dir: Direction, i: number): CPolicy[] => {
    let sel = base.selected.get(list);
    if (!sel) {
      const per = (d: Direction) => {
        const out: CPolicy[][] = [];
        m.eps.forEach((e, i) =>
          out.push(
            m.reps[i] !== i ? out[m.reps[i]] : e.kind === 'workload' ? selecting(list, e.workload, d) : [],
          ),
        );
        return out;
      };
      base.selected.set(list, (sel = { Ingress: per('Ingress'), Egress: per('Egress') }));
    }
    return sel[dir][i];
  };
  const portCache = new Map<CRule, Bits>();
  const destPortBits = (rule: CRule): Bits => {
    let b = portCache.get(rule);
    if (!b) {
      b = classBits(m, (t) => rule.port(m.conns[t], m.eps[t]));
      portCache.set(rule, b);
    }
    return b;
  };
  /** The remotes a rule matches for subject i. */
  const ruleBits = (rule: CRule, dir: Direction, i: number, out: Bits): boolean => {
    if (!subjectOk(rule, i)) return false;
    const peers = peerBits(rule);
    if (dir === 'Ingress') {
      if (!rule.port(m.conns[i], m.eps[i])) return false;
      out.set(peers);
    } else {
      const ports = destPortBits(rule);
      for (let k = 0; k < m.words; k++) out[k] = peers[k] & ports[k];
    }
    return true;
  };
  const scratch = new Uint32Array(m.words);
  /** First-match over policies: moves matched remotes from `pending` to allow or out; pass goes to `passed`. */
  const firstMatchBits = (
    policies: CPolicy[],
    dir: Direction,
    i: number,
    pending: Bits,
    allow: Bits,
    passed: Bits,
    code: number,
  ) => {
    for (const p of policies) {
      for (const rule of rulesFor(p, dir)) {
        if (rule.action === 'log') continue;
        if (!ruleBits(rule, dir, i, scratch)) continue;
        for (let k = 0; k < m.words; k++) {
          const hit = scratch[k] & pending[k];
          if (!hit) continue;
          if (rule.action === 'allow') allow[k] |= hit;
          else if (rule.action === 'pass') passed[k] |= hit;
          if (rule.action !== 'pass') mark(k, hit, code);
          pending[k] &= ~hit;
        }
      }
    }
  };
  const side = (dir: Direction, i: number): Bits => {
    const allow = new Uint32Array(m.words);
    let next = new Uint32Array(m.all);
    // 1. admin (with Antrea, its tiers around it): a Pass skips every later stage before NetworkPolicy
    {
      const pending = next;
      const passed = new Uint32Array(m.words);
      for (const stage of ctx.preNp)
        firstMatchBits(selectedBy(stage.policies, dir, i), dir, i, pending, allow, passed, stage.code);
      for (let k = 0; k < m.words; k++) pending[k] |= passed[k];
      next = pending;
    }
    // 2. NetworkPolicy tier: Calico's tiers, then NetworkPolicy alone or with Cilium's kinds
    const np = dir === 'Ingress' ? m.npIn[i] : m.npOut[i];
    ctx.calicoTiers.forEach((stage, si) => {
      const segments = segmentsOf(stage);
      const code = stage.label ? TIER_CODE[stage.label] : TIER_CODE.calico + si;
      let applies = false;
      for (const seg of segments)
        if (seg === K8S ? np !== null : selectedBy(seg, dir, i).length) {
          applies = true;
          break;
        }
      if (!applies) return;
      const passed = new Uint32Array(m.words);
      for (const seg of segments) {
        if (seg !== K8S) {
          firstMatchBits(selectedBy(seg, dir, i), dir, i, next, allow, passed, code);
          continue;
        }
        // A run of Kubernetes NetworkPolicies: allow rules only, so in first-match order they admit
        // exactly the pending remotes that the plain NetworkPolicy answer admits.
        if (!np) continue;
        for (let k = 0; k < m.words; k++) {
          const hit = next[k] & np[k];
          if (!hit) continue;
          allow[k] |= hit;
          mark(k, hit, code);
          next[k] &= ~hit;
        }
      }
      if (stage.endAction === 'Pass') for (let k = 0; k < m.words; k++) next[k] |= passed[k];
      else {
        for (let k = 0; k < m.words; k++) mark(k, next[k], code);
        next = passed;
      }
    });
    if (ctx.npMode === 'k8s') {
      if (np) {
        for (let k = 0; k < m.words; k++) {
          allow[k] |= next[k] & np[k];
          mark(k, next[k], TIER_CODE.NetworkPolicy);
        }
        return allow;
      }
    } else if (ctx.npMode === 'cilium') {
      const cil = selectedBy(ctx.cilium, dir, i);
      let isolated = !!np;
      const allowU = np ? new Uint32Array(np) : new Uint32Array(m.words);
      const denyU = new Uint32Array(m.words);
      for (const p of cil) {
        if (p.defaultDeny?.(dir)) isolated = true;
        for (const rule of rulesFor(p, dir)) {
          if (!ruleBits(rule, dir, i, scratch)) continue;
          const target = rule.action === 'deny' ? denyU : allowU;
          for (let k = 0; k < m.words; k++) target[k] |= scratch[k];
        }
      }
      if (isolated) {
        for (let k = 0; k < m.words; k++) {
          allow[k] |= next[k] & ~denyU[k] & allowU[k];
          mark(k, next[k], TIER_CODE.NetworkPolicy);
        }
        return allow;
      }
      for (let k = 0; k < m.words; k++) {
        mark(k, next[k] & denyU[k], TIER_CODE.NetworkPolicy);
        next[k] &= ~denyU[k];
      }
    }
    // 3. baseline (with Antrea, its baseline tier first): a Pass there hands on to the next stage; then 4. default allow
    const passed = new Uint32Array(m.words);
    for (const stage of ctx.postNp) {
      firstMatchBits(selectedBy(stage.policies, dir, i), dir, i, next, allow, passed, stage.code);
      for (let k = 0; k < m.words; k++) next[k] |= passed[k];
      passed.fill(0);
    }
    for (let k = 0; k < m.words; k++) allow[k] |= next[k];
    return allow;
  };
  const inAllowed: Bits[] = [];
  const outAllowed: Bits[] = [];
  const inTier: Uint8Array[] = [];
  const outTier: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    // an endpoint of the class of an earlier one shares its answers (both sides read the same rules,
    // and the plain NetworkPolicy answers agree: checked, so a difference only costs the sharing)
    const r = m.reps[i];
    if (r !== i && sameBits(m.npIn[r], m.npIn[i]) && sameBits(m.npOut[r], m.npOut[i])) {
      inAllowed.push(inAllowed[r]);
      inTier.push(inTier[r]);
      outAllowed.push(outAllowed[r]);
      outTier.push(outTier[r]);
      continue;
    }
    dec = new Uint8Array(n);
    inAllowed.push(side('Ingress', i));
    inTier.push(dec);
    dec = new Uint8Array(n);
    outAllowed.push(side('Egress', i));
    outTier.push(dec);
  }
  return { inAllowed, outAllowed, inTier, outTier };
}
