// Antrea-native policies (crd.antrea.io ClusterNetworkPolicy and NetworkPolicy) compiled into CPolicy,
// as antrea-io/antrea documents them (docs/antrea-network-policy.md, docs/cluster-network-policy.md):
//
// - Tiers by priority: emergency 50, securityops 100, networkops 150, platform 200, application 250
//   (the default), baseline 253, and Tier objects of the workspace. Before Kubernetes NetworkPolicy: every
//   tier but baseline; the upstream ClusterNetworkPolicy Admin tier sits at 220 among them, v1alpha1
//   AdminNetworkPolicies after all of them. After NetworkPolicy: the baseline tier, then the upstream
//   Baseline tier. Within a tier, by policy priority (lower first), rules in order; policies of one
//   tier with equal priority interleave by rule position (interleaveEqualPriority). The first matching
//   rule decides: Allow, Drop or Reject, or Pass (hands the connection to Kubernetes NetworkPolicy,
//   skipping every later non-baseline rule).
// - appliedTo (policy or per rule): podSelector (cluster-wide for ACNP, the policy's namespace for
//   ANNP), namespaceSelector (ACNP), both together, group (a ClusterGroup for ACNP, a Group of the
//   policy's namespace for ANNP: selectors, serviceReference, ipBlocks, childGroups one level deep),
//   serviceAccount (the pods running as it); a group the manifests do not define cannot be decided (the
//   policy is listed as not evaluated); nodeSelector and service select no pod.
// - Peers: podSelector / namespaceSelector as above, `namespaces.match: Self` (the applied-to pod's
//   namespace), `namespaces.sameLabels` (namespaces with the same values of those keys; the policy does
//   nothing in a namespace lacking one of them), ipBlock with except, group, serviceAccount (the pods
//   running as it; a pod spec naming none runs as `default`), toServices (a connection addressed to the
//   Service's cluster IP: `reach --to Service/...`; never a connection straight to a pod), nodeSelector
//   (node addresses: no pod, except a host-network pod, and an address outside, which cannot be decided
//   without Nodes: read as no match, with a note); fqdn for a domain. Empty from/to (and no
//   toServices): every peer.
// - Ports: protocol (TCP default), port (number or name, resolved on the destination pod), endPort;
//   `protocols` (ICMP, IGMP) alone match no TCP/UDP/SCTP connection; sourcePort cannot be decided.
//   l7Protocols allow under conditions the verdict lists.

import type {
  AntreaPolicyInfo,
  AntreaPortInfo,
  AntreaRuleInfo,
  AntreaTierInfo,
  UnevaluatedPolicyInfo,
  WorkloadInfo,
} from './types';
import { namedPort } from './reach-base';
import type { ConnPort, Direction, Endpoint, Match, ReachIndex } from './reach-base';
import type { Action, CPolicy, CRule } from './tiers-compiled';
import { NO, YES, compileAddresses } from './tiers-compiled';
import { appliedToMatches, nsLabels, peerMatch } from './tiers-antrea-peers';
import type { Bound } from './tiers-antrea-peers';

export { undecidedAppliedTo } from './tiers-antrea-peers';

import { antreaFqdnMatches } from './reach-domain';

export const ANTREA_STATIC_TIERS: Record<string, number> = {
  emergency: 50,
  securityops: 100,
  networkops: 150,
  platform: 200,
  application: 250,
  baseline: 253,
};

/** Where the upstream ClusterNetworkPolicy Admin tier sits among Antrea's tiers. */
export const ANTREA_CNP_ADMIN_PRIORITY = 220;

/** The priority of an Antrea tier name (static or a Tier of the workspace); undefined: unknown. */
export function antreaTierPriority(tiers: AntreaTierInfo[], name: string): number | undefined {
  const lower = name.toLowerCase();
  if (lower in ANTREA_STATIC_TIERS) return ANTREA_STATIC_TIERS[lower];
  return tiers.find((t) => t.name === name)?.priority;
}

function usesNamespaceBinding(p: AntreaPolicyInfo): boolean {
  return [...p.ingress, ...p.egress].some((r) => r.peers.some((x) => x.namespacesSelf || x.sameLabels));
}

function sameLabelKeys(p: AntreaPolicyInfo): string[] {
  const keys = new Set<string>();
  for (const r of [...p.ingress, ...p.egress])
    for (const x of r.peers) for (const k of x.sameLabels ?? []) keys.add(k);
  return [...keys];
}

function portMatch(x: AntreaPortInfo, conn: ConnPort, dest: Endpoint): boolean {
  if (x.sourcePort || x.protocol !== conn.protocol) return false;
  if (x.port === undefined) return true;
  if (conn.number === undefined) return false;
  if (typeof x.port === 'string')
    return dest.kind === 'workload' && namedPort(dest.workload, x.port, conn.protocol) === conn.number;
  if (x.endPort !== undefined) return conn.number >= x.port && conn.number <= x.endPort;
  return conn.number === x.port;
}

function actionOf(text: string, baseline: boolean): Action | undefined {
  if (text === 'Allow') return 'allow';
  if (text === 'Drop' || text === 'Reject') return 'deny';
  // Pass is rejected in the baseline tier
  if (text === 'Pass' && !baseline) return 'pass';
  return undefined;
}

function compileRule(
  idx: ReachIndex,
  p: AntreaPolicyInfo,
  r: AntreaRuleInfo,
  label: string,
  bound: Bound,
  baseline: boolean,
): CRule | undefined {
  const action = actionOf(r.action, baseline);
  if (!action) return undefined;
  const addresses = r.peers.map((x) =>
    x.ipBlock
      ? compileAddresses(idx, [x.ipBlock.cidr], x.ipBlock.except, `ipBlock ${x.ipBlock.cidr}`)
      : undefined,
  );
  const everyone = r.peers.length === 0 && !r.toServices?.length;
  // toServices: connections addressed to those Services' cluster IPs (on any of their ports); a
  // connection straight to a backend pod's address is not one of them (Antrea's docs)
  const toServices = r.toServices?.map((s) =>
    s.startsWith('?/') && p.namespace !== undefined ? `${p.namespace}/${s.slice(2)}` : s,
  );
  const sourcePorts = !!r.ports?.length && r.ports.every((x) => x.sourcePort);
  return {
    label,
    name: r.name,
    action,
    actionText: r.action,
    peer(remote) {
      if (everyone) return YES;
      if (toServices?.length && !r.peers.length) return remote.kind === 'workload' ? YES : NO;
      let undecided: Match | undefined;
      for (let i = 0; i < r.peers.length; i++) {
        const m = peerMatch(idx, p, r.peers[i], remote, bound, addresses[i]);
        if (m.matched) return m;
        if (m.undecided && !undecided) undecided = m;
      }
      return undecided ?? NO;
    },
    port(conn, dest) {
      if (r.nonPortProtocolsOnly) return false;
      if (toServices?.length) {
        if (conn.service === undefined || !toServices.includes(conn.service)) return false;
        if (!r.peers.length) return true;
      }
      return !r.ports || r.ports.some((x) => portMatch(x, conn, dest));
    },
    ...(r.appliedTo
      ? {
          subject: (e: Endpoint) =>
            e.kind === 'workload' && appliedToMatches(idx, p, r.appliedTo!, e.workload) ? YES : NO,
        }
      : sourcePorts
        ? {
            subject: () => ({
              matched: false,
              undecided: true,
              note: "sourcePort is the client's ephemeral port: read as no match",
            }),
          }
        : {}),
    ...(r.l7?.length ? { conditions: () => r.l7! } : {}),
    source: r.source,
  };
}

/** One Antrea policy compiled: one CPolicy, or one per namespace when its peers use `namespaces`. */
export function compileAntrea(idx: ReachIndex, p: AntreaPolicyInfo, tierName: string): CPolicy[] {
  const baseline = tierName === 'baseline';
  const keys = sameLabelKeys(p);
  const one = (bound: Bound): CPolicy => {
    const rules = (list: AntreaRuleInfo[], dir: string) =>
      list
        .map((r, i) => compileRule(idx, p, r, `${dir}[${i}]`, bound, baseline))
        .filter((r): r is CRule => !!r);
    const ingress = rules(p.ingress, 'ingress');
    const egress = rules(p.egress, 'egress');
    const ruleApplied = (list: AntreaRuleInfo[], w: WorkloadInfo) =>
      list.some((r) => !!r.appliedTo && appliedToMatches(idx, p, r.appliedTo, w));
    return {
      family: 'Antrea',
      kind:
        p.kind === 'ClusterNetworkPolicy'
          ? 'ClusterNetworkPolicy.crd.antrea.io'
          : 'NetworkPolicy.crd.antrea.io',
      name: p.namespace !== undefined ? `${p.namespace}/${p.name}` : p.name,
      tier: `antrea:${tierName}`,
      rank: p.priority,
      ingress,
      egress,
      selects(w: WorkloadInfo, dir: Direction) {
        if (bound !== undefined && w.id.namespace !== bound) return false;
        if (keys.length) {
          const own = nsLabels(idx, w.id.namespace);
          if (!keys.every((k) => own[k] !== undefined)) return false;
        }
        const list = dir === 'Ingress' ? p.ingress : p.egress;
        if (!list.length) return false;
        if (p.appliedTo) return appliedToMatches(idx, p, p.appliedTo, w);
        return ruleApplied(list, w);
      },
      source: p.source,
    };
  };
  if (!usesNamespaceBinding(p)) return [one(undefined)];
  const namespaces = [...new Set(idx.workloads.map((w) => w.id.namespace))];
  return namespaces.map((ns) => one(ns));
}

/** Antrea policies that cannot be evaluated: a tier the workspace does not define, an appliedTo that
 * cannot be decided. */
export function antreaUnevaluated(p: AntreaPolicyInfo, reason: string): UnevaluatedPolicyInfo {
  return {
    kind: p.kind,
    apiVersion: p.apiVersion,
    ...(p.namespace !== undefined ? { namespace: p.namespace } : {}),
    name: p.name,
    plugin: 'Antrea',
    reason,
    source: p.source,
  };
}

const ACTION_ORDER: Record<string, number> = { deny: 0, allow: 1, pass: 2, log: 3 };

/** Antrea orders rules by tier, policy priority and position in the policy's ingress or egress list
 * (docs/antrea-network-policy.md, "Notes and constraints"): two policies of one tier with equal
 * priority interleave, the first rule of each before the second of either. Rules of one such level
 * that match one connection with conflicting actions are nondeterministic in Antrea; here a Drop or
 * Reject goes first, then Allow, then Pass (a connection is never shown open when it may be closed),
 * and each rule of a level knows the others (`level`) so the verdict can say so. `sorted` is in
 * priority order; a run of copies of one policy (one per namespace) is not interleaved. */
export function interleaveEqualPriority(sorted: CPolicy[]): CPolicy[] {
  const out: CPolicy[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i + 1;
    while (j < sorted.length && sorted[i].rank !== undefined && sorted[j].rank === sorted[i].rank) j++;
    const group = sorted.slice(i, j);
    i = j;
    if (new Set(group.map((p) => p.name)).size < 2) {
      out.push(...group);
      continue;
    }
    const depth = Math.max(...group.map((p) => Math.max(p.ingress.length, p.egress.length)));
    for (let k = 0; k < depth; k++) {
      for (const dir of ['ingress', 'egress'] as const) {
        const level: CPolicy[] = [];
        for (const p of group) {
          const rule = p[dir][k];
          if (!rule) continue;
          level.push({
            ...p,
            ingress: dir === 'ingress' ? [rule] : [],
            egress: dir === 'egress' ? [rule] : [],
            level,
          });
        }
        const first = (q: CPolicy) => ACTION_ORDER[(q.ingress[0] ?? q.egress[0]).action];
        level.sort((a, b) => first(a) - first(b));
        out.push(...level);
      }
    }
  }
  return out;
}
