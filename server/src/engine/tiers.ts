// Every policy that decides a connection, tier by tier, for one side (the source's egress or the
// destination's ingress):
//
// 1. Admin tier: ClusterNetworkPolicy (tier Admin, v1alpha2) and AdminNetworkPolicy (v1alpha1), by
//    priority (lower first), each policy's rules in order; the first rule that matches decides:
//    Accept/Allow ends evaluation allowed, Deny ends it denied, Pass hands the connection to the next tier.
// 2. NetworkPolicy tier, as the network plugin implements it:
//    - Kubernetes NetworkPolicy alone: an isolated pod allows the union of the rules; final.
//    - Cilium: NetworkPolicy, CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy together: a deny
//      rule (ingressDeny/egressDeny) that matches wins; a pod in default deny (a policy with rules for
//      the direction, or enableDefaultDeny) allows the union of the allow rules; final when isolated.
//    - Calico: projectcalico.org/v3 tiers in order (Tier.spec.order; the default tier at 1,000,000);
//      in a tier, the policies that apply by `order` (none: last), then name; the first rule that
//      matches decides (Allow, Deny) or hands on (Pass); Log goes on; when a policy of the tier applied
//      and no rule matched, the tier's default action (Deny) ends it. Kubernetes NetworkPolicies are
//      policies of the default tier with order 1000. Calico evaluates the admin tier as its tier
//      kube-admin (order 1,000) and the baseline tier as kube-baseline (order 10,000,000), both ending
//      in Pass, so a Calico tier ordered before 1,000 comes before the admin tier, one after 10,000,000
//      after the baseline tier, and a Calico policy of those tiers is ordered among their policies by
//      its order against their priority (Calico docs network-policy/policy-tiers/tiered-policy.mdx;
//      until Calico 3.30 the tiers were named adminnetworkpolicy and baselineadminnetworkpolicy).
// 3. Baseline tier: ClusterNetworkPolicy (tier Baseline) and BaselineAdminNetworkPolicy, first match.
// 4. Nothing decided: allowed.
//
// Peers the manifests cannot decide (a pod IP that is not written, nodes, domain names, services) are
// read as not matching and the verdict says so. Cilium L7 rules and Calico http matches allow the
// connection under conditions the verdict lists.
//
// The same compiled rules drive the single-pair explanation (evaluateTieredSide) and the matrix
// (tieredSideBits), so the two cannot disagree.
//
// The dialects are compiled in tiers-admin.ts, tiers-cilium.ts, tiers-calico.ts and tiers-antrea.ts into
// the types of tiers-compiled.ts; this file builds the per-cluster context, tiers-side.ts evaluates one
// side of one connection through it, and tiers-matrix.ts every pair at once.

import { chooseCni, enforces } from './cni';
import { clusterMemo } from './cluster-index';
import type { Cluster } from './types';
import { cmp, reachIndex } from './reach-base';
import type { TierName } from './reach-base';
import type { CPolicy, CalicoTierStage, Stage, TierContext } from './tiers-compiled';
import { compileAdmin } from './tiers-admin';
import {
  ANTREA_CNP_ADMIN_PRIORITY,
  antreaTierPriority,
  antreaUnevaluated,
  compileAntrea,
  interleaveEqualPriority,
  undecidedAppliedTo,
} from './tiers-antrea';
import { compileCilium } from './tiers-cilium';
import { compileCalico, compileK8sForCalico } from './tiers-calico';

export type { CPolicy, CRule, CalicoTierStage, Stage, TierContext } from './tiers-compiled';
export { TIER_CODE, tierOfCode, tieredSideBits } from './tiers-matrix';
export type { MatrixTierInput } from './tiers-matrix';
export { ciliumSelectorText } from './tiers-cilium';
export { evaluateTieredSide } from './tiers-side';

// ---------------------------------------------------------------------------------------------------
// The context: every policy compiled once per cluster and plugin

const ANTREA_TIER_NAMES = {
  emergency: 1,
  securityops: 1,
  networkops: 1,
  platform: 1,
  application: 1,
  baseline: 1,
};

function byRank(a: CPolicy, b: CPolicy): number {
  const ra = a.rank ?? Infinity;
  const rb = b.rank ?? Infinity;
  return ra !== rb ? (ra < rb ? -1 : 1) : cmp(a.name, b.name);
}

export function hasTieredPolicies(cluster: Cluster): boolean {
  return !!(
    cluster.adminPolicies?.length ||
    cluster.ciliumPolicies?.length ||
    cluster.calicoPolicies?.length ||
    cluster.antreaPolicies?.length
  );
}

/** The compiled policies of a cluster under a network plugin (`auto` or undefined: detected). */
export function tierContext(cluster: Cluster, cni?: string): TierContext {
  return clusterMemo(cluster, `tier-context:${cni ?? 'auto'}`, () => buildContext(cluster, cni));
}

function buildContext(cluster: Cluster, cni: string | undefined): TierContext {
  const idx = reachIndex(cluster);
  const choice = chooseCni(cni, cluster.cniHints);
  const caps = choice.caps;
  const inert: CPolicy[] = [];
  const keep = (p: CPolicy) => {
    if (enforces(caps, p.family)) return true;
    inert.push(p);
    return false;
  };
  const admins = (cluster.adminPolicies ?? []).map((p) => compileAdmin(idx, p));
  const admin = admins
    .filter((p) => p.tier === 'Admin')
    .filter(keep)
    .sort(byRank);
  const baseline = admins
    .filter((p) => p.tier === 'Baseline')
    .filter(keep)
    .sort(byRank);
  const cilium = (cluster.ciliumPolicies ?? [])
    .filter((p) => !p.nodeSelector)
    .map((p) => compileCilium(idx, p))
    .filter(keep);
  const calico = (cluster.calicoPolicies ?? []).map((p) => compileCalico(idx, p)).filter(keep);
  const npEnforced = caps.networkPolicy;
  let npMode: TierContext['npMode'] = npEnforced ? 'k8s' : 'none';
  if (cilium.length || (caps.name === 'cilium' && npEnforced)) npMode = 'cilium';
  else if (calico.length && npEnforced) npMode = 'calico';
  if (!npEnforced) for (const p of cluster.policies) inert.push(compileK8sForCalico(idx, p));
  // Calico tiers, in Tier order (the default tier at 1,000,000; a tier without order last).
  const tierInfo = new Map((cluster.calicoTiers ?? []).map((t) => [t.name, t]));
  const byTier = new Map<string, CPolicy[]>();
  const add = (tier: string, p: CPolicy) => {
    const list = byTier.get(tier);
    if (list) list.push(p);
    else byTier.set(tier, [p]);
  };
  for (const p of calico) add(p.tier.slice('calico:'.length), p);
  if (npMode === 'calico') for (const p of cluster.policies) add('default', compileK8sForCalico(idx, p));
  // Calico's own policies of its admin and baseline tiers join those tiers (see the header)
  const calicoPlacesAdmin = npMode === 'calico' && caps.name !== 'antrea' && !caps.antrea;
  const adminTier = [...admin];
  const baselineTier = [...baseline];
  if (calicoPlacesAdmin)
    for (const [names, into] of [
      [['kube-admin', 'adminnetworkpolicy'], adminTier],
      [['kube-baseline', 'baselineadminnetworkpolicy'], baselineTier],
    ] as const)
      for (const name of names) {
        into.push(...(byTier.get(name) ?? []));
        byTier.delete(name);
      }
  const calicoTiers: CalicoTierStage[] = [...byTier.entries()]
    .map(([tier, policies]) => {
      const info = tierInfo.get(tier);
      const order = info?.order ?? (tier === 'default' ? 1_000_000 : undefined);
      return {
        tier,
        order,
        endAction: info?.defaultAction ?? 'Deny',
        policies: policies.sort(byRank),
      } as CalicoTierStage;
    })
    .concat(
      calicoPlacesAdmin
        ? [
            {
              tier: 'kube-admin',
              order: 1_000,
              endAction: 'Pass',
              policies: adminTier.sort(byRank),
              label: 'Admin',
            },
            {
              tier: 'kube-baseline',
              order: 10_000_000,
              endAction: 'Pass',
              policies: baselineTier.sort(byRank),
              label: 'Baseline',
            },
          ]
        : [],
    )
    .filter((t) => t.policies.length)
    .sort((a, b) => {
      const oa = a.order ?? Infinity;
      const ob = b.order ?? Infinity;
      return oa !== ob ? (oa < ob ? -1 : 1) : cmp(a.tier, b.tier);
    });
  // Antrea's own kinds, by Antrea tier (docs/antrea-network-policy.md, docs/cluster-network-policy.md)
  const unevaluated = [...(cluster.unevaluatedPolicies ?? [])];
  const antrea: CPolicy[] = [];
  const antreaTiers = new Map<string, { priority: number; policies: CPolicy[] }>();
  for (const p of cluster.antreaPolicies ?? []) {
    const tierName = p.tier.toLowerCase() in ANTREA_TIER_NAMES ? p.tier.toLowerCase() : p.tier;
    const priority = antreaTierPriority(cluster.antreaTiers ?? [], p.tier);
    const compiled = compileAntrea(idx, p, tierName);
    if (!caps.antrea) {
      inert.push(...compiled.slice(0, 1));
      continue;
    }
    if (priority === undefined) {
      unevaluated.push(
        antreaUnevaluated(
          p,
          `its tier "${p.tier}" is neither a static Antrea tier nor a Tier of the manifests`,
        ),
      );
      continue;
    }
    const undecided = undecidedAppliedTo(idx, p);
    if (undecided.length)
      unevaluated.push(
        antreaUnevaluated(p, `appliedTo ${undecided.join(', ')} cannot be decided from the manifests`),
      );
    antrea.push(...compiled);
    const entry = antreaTiers.get(tierName);
    if (entry) entry.policies.push(...compiled);
    else antreaTiers.set(tierName, { priority, policies: [...compiled] });
  }
  const stageTiers: TierName[] = [];
  const antreaStage = (tier: string, policies: CPolicy[]): Stage => {
    stageTiers.push(`antrea:${tier}`);
    return {
      tier: `antrea:${tier}`,
      code: 100 + stageTiers.length - 1,
      policies: interleaveEqualPriority(policies.sort(byRank)),
    };
  };
  const ordered = [...antreaTiers.entries()].sort((a, b) => a[1].priority - b[1].priority || cmp(a[0], b[0]));
  const preNp: Stage[] = [];
  const postNp: Stage[] = [];
  if (caps.name === 'antrea' || ordered.length) {
    // Antrea: its tiers before 220, the upstream ClusterNetworkPolicy Admin tier (220), its other
    // non-baseline tiers, then the v1alpha1 AdminNetworkPolicies; after NetworkPolicy its baseline tier.
    for (const [t, e] of ordered)
      if (e.priority < ANTREA_CNP_ADMIN_PRIORITY) preNp.push(antreaStage(t, e.policies));
    preNp.push({ tier: 'Admin', code: 1, policies: admin.filter((p) => p.kind === 'ClusterNetworkPolicy') });
    for (const [t, e] of ordered)
      if (e.priority > ANTREA_CNP_ADMIN_PRIORITY && t !== 'baseline') preNp.push(antreaStage(t, e.policies));
    preNp.push({ tier: 'Admin', code: 1, policies: admin.filter((p) => p.kind !== 'ClusterNetworkPolicy') });
    const base = antreaTiers.get('baseline');
    if (base) postNp.push(antreaStage('baseline', base.policies));
  } else if (!calicoPlacesAdmin) {
    preNp.push({ tier: 'Admin', code: 1, policies: admin });
  }
  if (!calicoPlacesAdmin) postNp.push({ tier: 'Baseline', code: 3, policies: baseline });
  const tiered =
    unevaluated.length > 0 ||
    admins.length > 0 ||
    cilium.length > 0 ||
    calico.length > 0 ||
    antrea.length > 0 ||
    inert.length > 0 ||
    npMode !== 'k8s' ||
    caps.name !== 'generic';
  return {
    idx,
    choice,
    caps,
    admin,
    baseline,
    antrea,
    preNp: preNp.filter((st) => st.policies.length),
    postNp: postNp.filter((st) => st.policies.length),
    stageTiers,
    cilium,
    calicoTiers,
    npMode,
    inert,
    unevaluated,
    tiered,
  };
}
