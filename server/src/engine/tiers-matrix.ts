// Every pair at once (the matrix): the same compiled rules as the single-pair evaluation in tiers.ts,
// run as bit sets over all endpoints.

import type { ConnPort, Direction, Endpoint, TierName } from './reach-base';
import type { CPolicy, CRule, TierContext } from './tiers-compiled';
import { rulesFor, selecting } from './tiers-compiled';

type Bits = Uint32Array;

/** Codes of the deciding tier in the matrix's per-pair tier bytes (Calico tiers from `calico` on). */
export const TIER_CODE = { Default: 0, Admin: 1, NetworkPolicy: 2, Baseline: 3, calico: 10 } as const;

/** The tier name of a code of tieredSideBits. */
export function tierOfCode(ctx: TierContext, code: number): TierName {
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
}

/** Allowed sets per subject: in[t] = the sources t admits, out[s] = the destinations s may send to. */
export function tieredSideBits(ctx: TierContext, m: MatrixTierInput): { inAllowed: Bits[]; outAllowed: Bits[]; inTier: Uint8Array[]; outTier: Uint8Array[] } {
  const n = m.eps.length;
  let dec = new Uint8Array(n);
  const mark = (k: number, hit: number, code: number) => {
    for (let b = 0; b < 32 && hit; b++, hit >>>= 1) if (hit & 1) dec[(k << 5) + b] = code;
  };
  const peerCache = new Map<CRule, Bits>();
  const peerBits = (rule: CRule): Bits => {
    let b = peerCache.get(rule);
    if (!b) {
      b = new Uint32Array(m.words);
      for (let i = 0; i < n; i++) if (rule.peer(m.eps[i]).matched) b[i >>> 5] |= 1 << (i & 31);
      peerCache.set(rule, b);
    }
    return b;
  };
  const portCache = new Map<CRule, Bits>();
  const destPortBits = (rule: CRule): Bits => {
    let b = portCache.get(rule);
    if (!b) {
      b = new Uint32Array(m.words);
      for (let t = 0; t < n; t++) if (rule.port(m.conns[t], m.eps[t])) b[t >>> 5] |= 1 << (t & 31);
      portCache.set(rule, b);
    }
    return b;
  };
  /** The remotes a rule matches for subject i. */
  const ruleBits = (rule: CRule, dir: Direction, i: number, out: Bits): boolean => {
    if (rule.subject && !rule.subject(m.eps[i]).matched) return false;
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
  const firstMatchBits = (policies: CPolicy[], dir: Direction, i: number, pending: Bits, allow: Bits, passed: Bits, code: number) => {
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
    const w = (m.eps[i] as Extract<Endpoint, { kind: 'workload' }>).workload;
    const allow = new Uint32Array(m.words);
    let next = new Uint32Array(m.all);
    // 1. admin
    {
      const pending = next;
      const passed = new Uint32Array(m.words);
      firstMatchBits(selecting(ctx.admin, w, dir), dir, i, pending, allow, passed, TIER_CODE.Admin);
      for (let k = 0; k < m.words; k++) pending[k] |= passed[k];
      next = pending;
    }
    // 2. NetworkPolicy tier: Calico's tiers, then NetworkPolicy alone or with Cilium's kinds
    ctx.calicoTiers.forEach((stage, si) => {
      const applied = selecting(stage.policies, w, dir);
      if (!applied.length) return;
      const passed = new Uint32Array(m.words);
      firstMatchBits(applied, dir, i, next, allow, passed, TIER_CODE.calico + si);
      if (stage.endAction === 'Pass') for (let k = 0; k < m.words; k++) next[k] |= passed[k];
      else {
        for (let k = 0; k < m.words; k++) mark(k, next[k], TIER_CODE.calico + si);
        next = passed;
      }
    });
    const np = dir === 'Ingress' ? m.npIn[i] : m.npOut[i];
    if (ctx.npMode === 'k8s') {
      if (np) {
        for (let k = 0; k < m.words; k++) {
          allow[k] |= next[k] & np[k];
          mark(k, next[k], TIER_CODE.NetworkPolicy);
        }
        return allow;
      }
    } else if (ctx.npMode === 'cilium') {
      const cil = selecting(ctx.cilium, w, dir);
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
    // 3. baseline, then 4. default allow
    const passed = new Uint32Array(m.words);
    firstMatchBits(selecting(ctx.baseline, w, dir), dir, i, next, allow, passed, TIER_CODE.Baseline);
    for (let k = 0; k < m.words; k++) allow[k] |= next[k] | passed[k];
    return allow;
  };
  const inAllowed: Bits[] = [];
  const outAllowed: Bits[] = [];
  const inTier: Uint8Array[] = [];
  const outTier: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    dec = new Uint8Array(n);
    inAllowed.push(side('Ingress', i));
    inTier.push(dec);
    dec = new Uint8Array(n);
    outAllowed.push(side('Egress', i));
    outTier.push(dec);
  }
  return { inAllowed, outAllowed, inTier, outTier };
}
