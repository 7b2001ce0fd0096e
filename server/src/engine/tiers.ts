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
//      policies of the default tier with order 1000.
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
// The dialects are compiled in tiers-admin.ts, tiers-cilium.ts and tiers-calico.ts into the types of
// tiers-compiled.ts; the matrix is in tiers-matrix.ts.

import { chooseCni, enforces, hairpinExempt, hairpinText } from './cni';
import { clusterMemo } from './cluster-index';
import type { Cluster } from './types';
import { cmp, portText, reachIndex } from './reach-base';
import type {
  ChainStep,
  ConnPort,
  Direction,
  Endpoint,
  Match,
  PolicyRef,
  Reason,
  SideVerdict,
  TierName,
} from './reach-base';
import type { Action, CPolicy, CRule, CalicoTierStage, Stage, TierContext } from './tiers-compiled';
import { rulesFor, selecting } from './tiers-compiled';
import { compileAdmin } from './tiers-admin';
import {
  ANTREA_CNP_ADMIN_PRIORITY,
  antreaTierPriority,
  antreaUnevaluated,
  compileAntrea,
  undecidedAppliedTo,
} from './tiers-antrea';
import { compileCilium } from './tiers-cilium';
import { compileCalico, compileK8sForCalico } from './tiers-calico';

export type { CPolicy, CRule, CalicoTierStage, Stage, TierContext } from './tiers-compiled';
export { TIER_CODE, tierOfCode, tieredSideBits } from './tiers-matrix';
export type { MatrixTierInput } from './tiers-matrix';
export { ciliumSelectorText } from './tiers-cilium';

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
    const undecided = undecidedAppliedTo(p);
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
    return { tier: `antrea:${tier}`, code: 100 + stageTiers.length - 1, policies: policies.sort(byRank) };
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
  } else {
    preNp.push({ tier: 'Admin', code: 1, policies: admin });
  }
  postNp.push({ tier: 'Baseline', code: 3, policies: baseline });
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

// ---------------------------------------------------------------------------------------------------
// One side of one connection

interface RuleHit {
  policy: CPolicy;
  rule: CRule;
  match: Match;
  conditions: string[];
}

/** Does this rule match the connection, seen from the subject's side? */
function ruleMatches(
  rule: CRule,
  subject: Endpoint,
  remote: Endpoint,
  conn: ConnPort,
  dest: Endpoint,
  notes: string[],
): Match {
  if (rule.subject) {
    const s = rule.subject(subject);
    if (!s.matched) {
      if (s.undecided && s.note) notes.push(`${rule.label}: ${s.note}`);
      return { matched: false, undecided: s.undecided };
    }
  }
  if (!rule.port(conn, dest)) return { matched: false };
  const m = rule.peer(remote);
  if (!m.matched && m.undecided && m.note) notes.push(`${rule.label}: ${m.note}`);
  return m;
}

function ref(p: CPolicy): PolicyRef {
  return { name: p.name, source: p.source };
}

const ACTION_WORD: Record<Action, string> = {
  allow: 'allowed',
  deny: 'denied',
  pass: 'passed to the next tier',
  log: 'logged',
};

function tierWords(t: TierName): string {
  if (t.startsWith('calico:')) return `Calico tier ${t.slice(7)}`;
  if (t.startsWith('antrea:')) return `Antrea tier ${t.slice(7)}`;
  return t === 'NetworkPolicy' ? 'NetworkPolicy tier' : `${t} tier`;
}

function hitReason(
  side: 'egress' | 'ingress',
  pod: string,
  hit: RuleHit,
  remote: Endpoint,
  conn: ConnPort,
  tier: TierName,
  notes: string[],
): Reason {
  const { policy, rule } = hit;
  const named = rule.name ? ` "${rule.name}"` : '';
  const rank =
    policy.rank !== undefined && policy.family !== 'Cilium'
      ? policy.family === 'Calico' || policy.tier.startsWith('calico:')
        ? `, order ${policy.rank}`
        : policy.kind === 'BaselineAdminNetworkPolicy'
          ? ''
          : `, priority ${policy.rank}`
      : '';
  const verb =
    rule.action === 'allow'
      ? rule.actionText === 'Accept'
        ? 'accepted'
        : 'allowed'
      : ACTION_WORD[rule.action];
  const details = [...(hit.match.note ? [hit.match.note] : []), ...notes];
  return {
    side,
    kind: rule.action === 'allow' ? 'allowed-by-rule' : 'denied-by-rule',
    pod,
    message: `${verb} by ${policy.kind} ${policy.name} ${rule.label}${named} (${tierWords(tier)}${rank}; action ${rule.actionText}; matches ${remote.name} on ${portText(conn)})`,
    policy: policy.name,
    policyKind: policy.kind,
    rule: rule.label,
    ruleIndex: Number(/\[(\d+)\]$/.exec(rule.label)?.[1] ?? 0),
    tier,
    action: rule.actionText,
    ...(hit.conditions.length ? { conditions: hit.conditions } : {}),
    ...(details.length ? { details } : {}),
    ...(notes.length ? { undecided: true } : {}),
    source: rule.source ?? policy.source,
  };
}

/** First-match evaluation of an ordered list of policies. Returns the deciding hit (allow, deny or
 * pass) or undefined when no rule matched; records each policy consulted. */
function firstMatch(
  policies: CPolicy[],
  dir: Direction,
  subject: Endpoint,
  remote: Endpoint,
  conn: ConnPort,
  dest: Endpoint,
  chain: ChainStep[],
  notes: string[],
): RuleHit | undefined {
  for (const p of policies) {
    let passedLog = false;
    for (const rule of rulesFor(p, dir)) {
      const m = ruleMatches(rule, subject, remote, conn, dest, notes);
      if (!m.matched) continue;
      if (rule.action === 'log') {
        passedLog = true;
        chain.push({
          tier: p.tier,
          policy: p.name,
          kind: p.kind,
          outcome: 'log',
          rule: rule.label,
          source: rule.source,
        });
        continue;
      }
      chain.push({
        tier: p.tier,
        policy: p.name,
        kind: p.kind,
        outcome: rule.action,
        rule: rule.label,
        source: rule.source,
      });
      return { policy: p, rule, match: m, conditions: rule.conditions?.(conn, dest) ?? [] };
    }
    if (!passedLog)
      chain.push({ tier: p.tier, policy: p.name, kind: p.kind, outcome: 'no-match', source: p.source });
  }
  return undefined;
}

/** The side's verdict through every tier. `npSide` is the plain NetworkPolicy evaluation (reach.ts).
 * `hairpin`: the pod reaches itself through a Service; the admin and baseline tiers apply, the
 * NetworkPolicy tier only where the plugin polices it (cni.ts). */
export function evaluateTieredSide(
  ctx: TierContext,
  dir: Direction,
  subject: Endpoint,
  remote: Endpoint,
  conn: ConnPort,
  dest: Endpoint,
  npSide: () => SideVerdict,
  hairpin = false,
): SideVerdict {
  const side = dir === 'Ingress' ? 'ingress' : 'egress';
  if (subject.kind !== 'workload') {
    const v = npSide();
    return { ...v, tier: 'Default' };
  }
  const w = subject.workload;
  const pod = subject.name;
  const chain: ChainStep[] = [];
  const notes: string[] = [];
  const inert = selecting(ctx.inert, w, dir);
  for (const p of inert)
    chain.push({ tier: p.tier, policy: p.name, kind: p.kind, outcome: 'inert', source: p.source });
  const unevaluated = ctx.unevaluated.filter(
    (p) => p.namespace === undefined || p.namespace === w.id.namespace,
  );
  const npExempt = hairpin && hairpinExempt(ctx.caps, dir);
  const inertNote = [
    ...(hairpin
      ? [
          `service hairpin: the admin and baseline tiers apply to it (network-policy-api); ${hairpinText(ctx.caps)}${npExempt ? ': the NetworkPolicy tier is skipped' : ''}`,
        ]
      : []),
    ...(inert.length
      ? [`not enforced by ${ctx.caps.label}: ${inert.map((p) => `${p.kind} ${p.name}`).join(', ')}`]
      : []),
    ...(unevaluated.length
      ? [
          `not evaluated: ${unevaluated.map((p) => `${p.plugin} ${p.kind} ${p.namespace !== undefined ? `${p.namespace}/` : ''}${p.name} (${p.reason ?? p.apiVersion})`).join(', ')}; they may decide this connection`,
        ]
      : []),
  ];
  const policies: PolicyRef[] = [];
  const finish = (
    allowed: boolean,
    tier: TierName,
    reasons: Reason[],
    isolated: boolean,
    extra: Partial<SideVerdict> = {},
  ): SideVerdict => {
    if (inertNote.length) for (const r of reasons) r.details = [...(r.details ?? []), ...inertNote];
    return {
      direction: dir,
      pod,
      allowed,
      isolated,
      policies: [...policies, ...(extra.policies ?? [])],
      reasons,
      tier,
      chain,
      ...(inert.length ? { inert: inert.map(ref) } : {}),
      ...(unevaluated.length
        ? {
            unevaluated: unevaluated.map((p) => ({
              name: `${p.kind} ${p.namespace !== undefined ? `${p.namespace}/` : ''}${p.name}`,
              source: p.source,
            })),
          }
        : {}),
    };
  };
  const decide = (hit: RuleHit, tier: TierName): SideVerdict | undefined => {
    if (hit.rule.action === 'pass') return undefined;
    return finish(
      hit.rule.action === 'allow',
      tier,
      [hitReason(side, pod, hit, remote, conn, tier, notes)],
      true,
    );
  };

  // 1. Admin tier (with Antrea, its tiers around it): a Pass skips every later stage before NetworkPolicy
  for (const stage of ctx.preNp) {
    const selected = selecting(stage.policies, w, dir);
    policies.push(...selected.map(ref));
    const a = firstMatch(selected, dir, subject, remote, conn, dest, chain, notes);
    if (a) {
      const v = decide(a, stage.tier);
      if (v) return v;
      break;
    }
  }

  // 2. NetworkPolicy tier: Calico's tiers first (they hold the Kubernetes NetworkPolicies under Calico),
  // then NetworkPolicy alone or with Cilium's kinds. Skipped for service hairpin traffic the plugin exempts.
  if (npExempt)
    chain.push({ tier: 'NetworkPolicy', policy: 'NetworkPolicy', kind: 'tier', outcome: 'exempt' });
  for (const stage of npExempt ? [] : ctx.calicoTiers) {
    const applied = selecting(stage.policies, w, dir);
    if (!applied.length) continue;
    policies.push(...applied.map(ref));
    const tier: TierName = `calico:${stage.tier}`;
    const hit = firstMatch(applied, dir, subject, remote, conn, dest, chain, notes);
    if (hit) {
      const v = decide(hit, tier);
      if (v) return v;
      continue;
    }
    if (stage.endAction === 'Pass') continue;
    return finish(
      false,
      tier,
      [
        {
          side,
          kind: 'no-rule-allows',
          pod,
          tier,
          message: `no rule of the ${applied.length} polic${applied.length === 1 ? 'y' : 'ies'} of Calico tier ${stage.tier} that apply to ${pod} matches ${remote.name} on ${portText(conn)}: the tier's end denies (${applied.map((p) => p.name).join(', ')})`,
          policy: applied[0].name,
          policyKind: applied[0].kind,
          ...(notes.length ? { details: [...notes], undecided: true } : {}),
          source: applied[0].source,
        },
      ],
      true,
    );
  }
  if (!npExempt && (ctx.npMode === 'k8s' || ctx.npMode === 'cilium')) {
    const np = npSide();
    policies.push(...np.policies);
    for (const pr of np.policies)
      chain.push({
        tier: 'NetworkPolicy',
        policy: pr.name,
        kind: 'NetworkPolicy',
        outcome: 'isolates',
        source: pr.source,
      });
    if (ctx.npMode === 'k8s') {
      if (np.isolated)
        return finish(
          np.allowed,
          'NetworkPolicy',
          np.reasons.map((r) => ({ ...r, tier: 'NetworkPolicy' })),
          true,
        );
    } else {
      const cil = selecting(ctx.cilium, w, dir);
      policies.push(...cil.map(ref));
      let isolated = np.isolated;
      const allows: RuleHit[] = [];
      let deny: RuleHit | undefined;
      for (const p of cil) {
        if (p.defaultDeny?.(dir)) isolated = true;
        let any = false;
        for (const rule of rulesFor(p, dir)) {
          const m = ruleMatches(rule, subject, remote, conn, dest, notes);
          if (!m.matched) continue;
          any = true;
          const hit = { policy: p, rule, match: m, conditions: rule.conditions?.(conn, dest) ?? [] };
          if (rule.action === 'deny') deny ??= hit;
          else allows.push(hit);
        }
        chain.push({
          tier: 'NetworkPolicy',
          policy: p.name,
          kind: p.kind,
          outcome: deny?.policy === p ? 'deny' : any ? 'allow' : isolated ? 'isolates' : 'no-match',
          source: p.source,
        });
      }
      if (deny)
        return finish(
          false,
          'NetworkPolicy',
          [hitReason(side, pod, deny, remote, conn, 'NetworkPolicy', notes)],
          isolated,
        );
      if (isolated) {
        if (np.isolated && np.allowed)
          return finish(
            true,
            'NetworkPolicy',
            np.reasons.map((r) => ({ ...r, tier: 'NetworkPolicy' })),
            true,
          );
        if (allows.length)
          return finish(
            true,
            'NetworkPolicy',
            allows.map((h) => hitReason(side, pod, h, remote, conn, 'NetworkPolicy', notes)),
            true,
          );
        const denies: Reason[] = np.isolated ? np.reasons.map((r) => ({ ...r, tier: 'NetworkPolicy' })) : [];
        for (const p of cil.filter((x) => x.defaultDeny?.(dir))) {
          denies.push({
            side,
            kind: 'no-rule-allows',
            pod,
            policy: p.name,
            policyKind: p.kind,
            tier: 'NetworkPolicy',
            message: `${p.kind} ${p.name} puts ${pod} in default deny for ${dir}; no allow rule of any policy matches ${remote.name} on ${portText(conn)}`,
            ...(notes.length ? { details: [...notes], undecided: true } : {}),
            source: p.source,
          });
        }
        return finish(false, 'NetworkPolicy', denies, true);
      }
    }
  }

  // 3. Baseline tier (with Antrea, its baseline tier first)
  for (const stage of ctx.postNp) {
    const selected = selecting(stage.policies, w, dir);
    policies.push(...selected.map(ref));
    const b = firstMatch(selected, dir, subject, remote, conn, dest, chain, notes);
    if (b) {
      const v = decide(b, stage.tier);
      if (v) return v;
    }
  }

  // 4. Default
  const passed = chain
    .filter((s) => s.outcome === 'pass')
    .map((s) => `${s.kind} ${s.policy} ${s.rule} passed`);
  const message = npExempt
    ? `no admin or baseline rule decides ${dir.toLowerCase()} of ${pod} reaching itself through a Service${passed.length ? ` after ${passed.join(', ')}` : ''}, and the NetworkPolicy tier does not apply to it: allowed`
    : passed.length
      ? `no policy decides ${dir.toLowerCase()} of ${pod} after ${passed.join(', ')}: allowed by default`
      : chain.length
        ? `no rule of the policies that select ${pod} for ${dir} decides: allowed by default`
        : `no policy selects ${pod} for ${dir} (not isolated)`;
  const reason: Reason = {
    side,
    kind: chain.length ? 'default-allow' : 'not-isolated',
    pod,
    message,
    tier: 'Default',
    ...(notes.length ? { details: [...notes], undecided: true } : {}),
  };
  return finish(true, 'Default', [reason], false);
}
