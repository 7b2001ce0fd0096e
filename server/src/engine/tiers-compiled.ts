// The compiled form every policy dialect is turned into (tiers-admin, tiers-cilium, tiers-calico), the
// per-cluster context that holds them (built in tiers.ts), and what the dialects share: matching pod
// addresses against CIDRs, and picking the policies and rules that apply.

import type { CniCapabilities, CniChoice, PolicyFamily } from './cni';
import type { SourceRef, UnevaluatedPolicyInfo, WorkloadInfo } from './types';
import { contains, rangeOf } from './reach-base';
import type { ConnPort, Direction, Endpoint, IpRange, Match, ReachIndex, TierName } from './reach-base';

export type Action = 'allow' | 'deny' | 'pass' | 'log';

/** Shared answers without notes (the matrix asks millions of times: no allocation for them). */
export const YES: Match = Object.freeze({ matched: true });
export const NO: Match = Object.freeze({ matched: false });

/** One rule, compiled once per cluster: who it matches, on which ports, and what it does. */
export interface CRule {
  /** `ingress[0]`, `egressDeny[1]`, `specs[1].ingress[0]`. */
  label: string;
  name?: string;
  action: Action;
  actionText: string;
  /** Does the rule match the other end of the connection? */
  peer(remote: Endpoint): Match;
  /** Does the rule admit the connection's port on its destination? */
  port(conn: ConnPort, dest: Endpoint): boolean;
  /** Conditions on the side's own pod (Calico rules may test the selected pod too). */
  subject?(subject: Endpoint): Match;
  /** L7 conditions the connection must also meet when this rule allows it on this port. */
  conditions?(conn: ConnPort, dest: Endpoint): string[];
  source?: SourceRef;
}

export interface CPolicy {
  family: PolicyFamily;
  kind: string;
  /** `ns/name` or the name of a cluster-scoped policy (Cilium specs: `ns/name#1`). */
  name: string;
  tier: TierName;
  /** Within the tier: priority (admin tiers) or order (Calico), lower first; undefined last. */
  rank?: number;
  ingress: CRule[];
  egress: CRule[];
  /** Does the policy apply to this pod in this direction? */
  selects(w: WorkloadInfo, dir: Direction): boolean;
  /** Antrea, policies of one tier with equal priority: this policy holds one rule, and `level` every
   * rule (as such a policy) at the same tier, priority and position (tiers-antrea.ts). */
  level?: CPolicy[];
  /** Cilium: does it put the pod in default deny for this direction? */
  defaultDeny?: (dir: Direction) => boolean;
  source?: SourceRef;
}

/** An ordered group of first-match policies before or after the NetworkPolicy tier: the admin tier,
 * an Antrea tier, the baseline tier. `code` is the tier's code in the matrix (tiers-matrix.ts). */
export interface Stage {
  tier: TierName;
  code: number;
  policies: CPolicy[];
}

export interface CalicoTierStage {
  tier: string;
  order?: number;
  endAction: 'Deny' | 'Pass';
  policies: CPolicy[];
  /** The admin or baseline tier, which Calico evaluates as its tiers kube-admin and kube-baseline. */
  label?: 'Admin' | 'Baseline';
}

/** Everything compiled for one cluster and one network plugin. */
export interface TierContext {
  idx: ReachIndex;
  choice: CniChoice;
  caps: CniCapabilities;
  admin: CPolicy[];
  baseline: CPolicy[];
  /** Antrea-native policies (every tier). */
  antrea: CPolicy[];
  /** Before the NetworkPolicy tier, in order: the admin tier and, with Antrea, its tiers around it; a
   * Pass in any of them skips the rest. */
  preNp: Stage[];
  /** After it, in order: Antrea's baseline tier, then the Baseline tier. */
  postNp: Stage[];
  /** The tier names of matrix codes from 100 on (Antrea tiers). */
  stageTiers: TierName[];
  cilium: CPolicy[];
  calicoTiers: CalicoTierStage[];
  /** How Kubernetes NetworkPolicies are evaluated: alone, with Cilium's kinds, inside Calico's default tier, or not at all. */
  npMode: 'k8s' | 'cilium' | 'calico' | 'none';
  /** Kubernetes NetworkPolicies compiled as Calico policies (npMode calico). */
  inert: CPolicy[];
  /** Policies the plugin may enforce that the engine does not evaluate (Antrea's own kinds). */
  unevaluated: UnevaluatedPolicyInfo[];
  /** True when anything beyond plain NetworkPolicy semantics applies. */
  tiered: boolean;
}

// ---------------------------------------------------------------------------------------------------
// Addresses of pods (for networks, CIDR and nets peers)

/** Does a list of CIDRs (minus exceptions) hold the endpoint? Pods are matched on status.podIPs; a pod
 * without them matches only an all-addresses block (0.0.0.0/0 or ::/0), otherwise it is undecided.
 * The ranges are read once, when the rule is compiled; `what` names the block in notes. */
export function compileAddresses(
  idx: ReachIndex,
  cidrs: string[],
  except: string[],
  what: string,
): (e: Endpoint) => Match {
  const ranges = cidrs.map((c) => rangeOf(idx, c)).filter((r): r is IpRange => !!r);
  const excepts = except.map((c) => rangeOf(idx, c)).filter((r): r is IpRange => !!r);
  const inside = (r: IpRange) => {
    let hit = false;
    for (let i = 0; i < ranges.length && !hit; i++) hit = contains(ranges[i], r);
    if (!hit) return false;
    for (let i = 0; i < excepts.length; i++)
      if (contains(excepts[i], r) || contains(r, excepts[i])) return false;
    return true;
  };
  const v4 = ranges.some((r) => r.bits === 0 && r.addr.kind() === 'ipv4');
  const v6 = ranges.some((r) => r.bits === 0 && r.addr.kind() === 'ipv6');
  return (e) => {
    if (e.kind === 'external' && e.domain !== undefined) {
      if ((v4 || v6) && !excepts.length)
        return {
          matched: true,
          note: `${what} holds every ${v4 && v6 ? '' : v4 ? 'IPv4 ' : 'IPv6 '}address, so whatever ${e.name} resolves to`,
        };
      if (!ranges.length) return NO;
      return {
        matched: false,
        undecided: true,
        note: `whether ${what} holds the addresses of ${e.name} depends on DNS at run time: read as no match`,
      };
    }
    if (e.kind === 'external') return inside(e.range) ? YES : NO;
    const podIPs = e.workload.podIPs;
    if (podIPs.length) {
      let valid = false;
      for (const ip of podIPs) {
        const r = rangeOf(idx, ip);
        if (!r) continue;
        valid = true;
        if (inside(r)) return { matched: true, note: `${what} holds pod IP ${r.text} of ${e.name}` };
      }
      if (valid) return NO;
    }
    if (v4 && v6 && !excepts.length)
      return { matched: true, note: `${what} holds every address, so every pod IP of ${e.name}` };
    if ((v4 || v6) && !excepts.length)
      return {
        matched: true,
        note: `${what} holds every ${v4 ? 'IPv4' : 'IPv6'} address; ${e.name} is assumed to have one (no status.podIPs in the manifests)`,
      };
    if (!ranges.length) return NO;
    return {
      matched: false,
      undecided: true,
      note: `${what} may hold the pod IP of ${e.name}, which the manifests do not give (status.podIPs): read as no match`,
    };
  };
}

// ---------------------------------------------------------------------------------------------------
// Which policies and rules apply

/** The policies of a list that apply to a pod in a direction (a loop: it runs per pod and direction). */
export function selecting(policies: CPolicy[], w: WorkloadInfo, dir: Direction): CPolicy[] {
  const out: CPolicy[] = [];
  for (let i = 0; i < policies.length; i++) if (policies[i].selects(w, dir)) out.push(policies[i]);
  return out;
}

export function rulesFor(p: CPolicy, dir: Direction): CRule[] {
  return dir === 'Ingress' ? p.ingress : p.egress;
}
