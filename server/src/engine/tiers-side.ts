// One side of one connection (the source's egress or the destination's ingress) through every tier of
// the context tiers.ts builds: the admin stages (with Antrea, its tiers around them), the NetworkPolicy
// tier as the plugin implements it (Calico's tiers, NetworkPolicy alone or with Cilium's kinds), the
// baseline stages, then the default. The verdict names the tier, policy, rule and action that decided
// and the chain of policies consulted. The matrix (tiers-matrix.ts) runs the same compiled rules.

import { hairpinExempt, hairpinText } from './cni';
import { portText } from './reach-base';
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
import type { Action, CPolicy, CRule, TierContext } from './tiers-compiled';
import { rulesFor, selecting } from './tiers-compiled';

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
    ...(conn.protocol === 'SCTP' && ctx.caps.sctpCaveat ? [ctx.caps.sctpCaveat] : []),
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
    for (const q of hit.policy.level ?? []) {
      const rule = rulesFor(q, dir)[0];
      if (q === hit.policy || !rule || rule.action === hit.rule.action || !q.selects(w, dir)) continue;
      if (ruleMatches(rule, subject, remote, conn, dest, []).matched)
        notes.push(
          `${q.kind} ${q.name} ${rule.label} (${rule.actionText}) also matches, at the same tier, priority and rule position: Antrea leaves such conflicts nondeterministic; read as ${hit.rule.actionText} (Drop and Reject before Allow before Pass)`,
        );
    }
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
  for (const stage of ctx.calicoTiers) {
    // (hairpin traffic the plugin exempts still meets the admin and baseline tiers Calico holds)
    if (npExempt && !stage.label) continue;
    const applied = selecting(stage.policies, w, dir);
    if (!applied.length) continue;
    policies.push(...applied.map(ref));
    const tier: TierName = stage.label ?? `calico:${stage.tier}`;
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
