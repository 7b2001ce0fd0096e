// Plain-language hover of the policy kinds beyond NetworkPolicy: which tier a policy sits in and where
// that tier comes in the evaluation, which pods it applies to (workloads of the workspace), each rule
// in order with its action (and what Pass hands on), and whether the network plugin enforces it.

import { escapeMarkdown, printable } from '../protocol/escape';
import type { Resource } from '../model/resource';
import {
  adminPolicyInfo,
  antreaPolicyInfo,
  isAntreaPolicy,
  calicoNetworkSetInfo,
  calicoPolicyInfo,
  ciliumPolicyInfos,
  isAdminPolicy,
  isCalicoPolicy,
  isCiliumPolicy,
} from '../model/policy-kinds';
import type { ResourceIndex } from '../workspace/index';
import { buildCluster } from '../model/cluster';
import { selectorText } from '../engine/policy-match';
import { tierContext } from '../engine/tiers';
import { rulesUsingNetworkSet } from '../engine/tiers-calico';
import { ANTREA_CNP_ADMIN_PRIORITY, antreaTierPriority } from '../engine/tiers-antrea';
import { reachIndex } from '../engine/reach-base';
import type { CPolicy } from '../engine/tiers';
import type { LabelSelector } from '../engine/selector';
import type {
  AntreaPeerInfo,
  AntreaRuleInfo,
  AdminPeerInfo,
  AdminPortInfo,
  AdminRuleInfo,
  CalicoEntityInfo,
  CalicoRuleInfo,
  CiliumRuleInfo,
  Cluster,
  WorkloadInfo,
} from '../engine/types';

const MAX_LISTED = 8;

function code(s: string): string {
  return '`' + printable(s.replace(/`/g, "'").replace(/[\r\n]+/g, ' ')) + '`';
}

function listText(items: string[]): string {
  if (items.length <= MAX_LISTED) return items.join(', ');
  return `${items.slice(0, MAX_LISTED).join(', ')} and ${items.length - MAX_LISTED} more`;
}

function sel(s: LabelSelector | undefined, all: string): string {
  const t = selectorText(s);
  return t ? code(t) : all;
}

function workloads(ws: WorkloadInfo[]): string {
  return ws.length
    ? listText(ws.map((w) => `${w.id.kind} ${escapeMarkdown(`${w.id.namespace}/${w.id.name}`)}`))
    : 'no workload of the workspace';
}

/** The compiled policy of the engine for this resource (to list the pods it applies to). */
function compiled(cluster: Cluster, kind: string, name: string): CPolicy | undefined {
  const ctx = tierContext(cluster, 'generic');
  const pools = [ctx.admin, ctx.baseline, ctx.cilium, ctx.antrea, ...ctx.calicoTiers.map((t) => t.policies)];
  for (const list of pools)
    for (const p of list)
      if (
        p.name === name &&
        (p.kind === kind || (kind === 'NetworkPolicy' && p.kind === 'NetworkPolicy.projectcalico.org'))
      )
        return p;
  return undefined;
}

function appliesTo(cluster: Cluster, p: CPolicy | undefined): string {
  if (!p) return 'no workload of the workspace';
  const ws = cluster.workloads.filter((w) => p.selects(w, 'Ingress') || p.selects(w, 'Egress'));
  return workloads(ws);
}

function enforcement(cluster: Cluster, family: string, kind: string, name: string): string {
  const ctx = tierContext(cluster);
  const inert = ctx.inert.some((p) => p.kind === kind && p.name === name);
  if (ctx.choice.how === 'default') return '';
  return inert
    ? `\n\n⚠ **Inert**: ${ctx.caps.label} (${ctx.choice.how === 'given' ? 'as set' : 'detected'}) does not enforce ${family}.`
    : `\n\nEnforced by ${ctx.caps.label} (${ctx.choice.how === 'given' ? 'as set' : 'detected'}).`;
}

// ---------------------------------------------------------------------------------------------------
// Admin tiers

function adminPeerWords(p: AdminPeerInfo): string {
  if (p.namespaces) return `pods of namespaces ${sel(p.namespaces, 'of every namespace')}`;
  if (p.pods)
    return `pods ${sel(p.pods.podSelector, '(all)')} in namespaces ${sel(p.pods.namespaceSelector, '(all)')}`;
  if (p.networks) return `addresses in ${p.networks.map(code).join(', ')} (pod IPs included)`;
  if (p.nodes) return `nodes ${sel(p.nodes, '(all)')}`;
  if (p.domainNames) return `domain names ${p.domainNames.map(code).join(', ')}`;
  return 'a peer with no field set (fails closed)';
}

function adminPortWords(ports: AdminPortInfo[] | undefined): string {
  if (!ports) return 'on every port';
  return (
    'on ' +
    ports
      .map((p) =>
        p.name !== undefined
          ? `port name ${code(p.name)}`
          : p.port === undefined
            ? `every ${p.protocol} port`
            : p.endPort !== undefined
              ? `${p.protocol} ${p.port}-${p.endPort}`
              : `${p.protocol} ${p.port}`,
      )
      .join(', ')
  );
}

const ACTION_WORDS: Record<string, (tier: string) => string> = {
  Accept: () => 'allows it; nothing after it is consulted',
  Allow: () => 'allows it; nothing after it is consulted',
  Deny: () => 'denies it; nothing after it is consulted',
  Pass: (tier) =>
    tier === 'Admin'
      ? 'hands it to the NetworkPolicies of the pod (and, when none selects it, to the baseline tier)'
      : 'hands it on to the default, which allows it',
};

function adminRuleWords(r: AdminRuleInfo, i: number, dir: 'ingress' | 'egress', tier: string): string {
  const name = r.name ? ` ${code(r.name)}` : '';
  const peers = r.peers.map(adminPeerWords).join(' or ');
  return `${i + 1}.${name} **${escapeMarkdown(r.actionText)}** ${dir === 'ingress' ? 'from' : 'to'} ${peers} ${adminPortWords(r.ports)}: ${ACTION_WORDS[r.actionText]?.(tier) ?? 'an unknown action'}`;
}

function adminMarkdown(cluster: Cluster, r: Resource): string {
  const info = adminPolicyInfo('', r);
  if (!info)
    return `**${escapeMarkdown(r.kind)} ${code(r.name ?? '')}**: no valid tier, so it takes no part in evaluation.`;
  const where =
    info.tier === 'Admin'
      ? `**Admin tier**, priority ${info.priority} (lower first): consulted before every NetworkPolicy.`
      : `**Baseline tier**${info.kind === 'BaselineAdminNetworkPolicy' ? '' : `, priority ${info.priority}`}: consulted only for pods no NetworkPolicy isolates, after the admin tier passed or did not decide.`;
  const out = [`**${escapeMarkdown(info.kind)} ${code(info.name)}** in plain words`, where];
  out.push(`**Applies to** ${appliesTo(cluster, compiled(cluster, info.kind, info.name))}.`);
  for (const dir of ['ingress', 'egress'] as const) {
    const rules = info[dir];
    if (!rules.length)
      out.push(`No ${dir} rules: it does not touch ${dir === 'ingress' ? 'incoming' : 'outgoing'} traffic.`);
    else
      out.push(
        `**${dir === 'ingress' ? 'Ingress' : 'Egress'}**, first matching rule decides:\n${rules.map((x, i) => adminRuleWords(x, i, dir, info.tier)).join('\n')}`,
      );
  }
  const same = (cluster.adminPolicies ?? []).filter(
    (p) =>
      p !== info &&
      p.tier === info.tier &&
      p.priority === info.priority &&
      p.kind !== 'BaselineAdminNetworkPolicy' &&
      info.kind !== 'BaselineAdminNetworkPolicy' &&
      !(p.kind === info.kind && p.name === info.name),
  );
  if (same.length)
    out.push(
      `Same priority in this tier: ${listText(same.map((p) => code(p.name)))}; where both match, which one applies is undefined.`,
    );
  return (
    out.join('\n\n') +
    enforcement(
      cluster,
      info.kind === 'ClusterNetworkPolicy' ? 'ClusterNetworkPolicy' : 'the v1alpha1 admin-tier kinds',
      info.kind,
      info.name,
    )
  );
}

// ---------------------------------------------------------------------------------------------------
// Cilium

function ciliumRuleWords(r: CiliumRuleInfo, i: number, key: string, dir: 'from' | 'to'): string {
  const peers: string[] = [];
  for (const e of r.endpoints ?? []) peers.push(`endpoints ${sel(e, '(all in scope)')}`);
  for (const e of r.entities ?? []) peers.push(`entity ${code(e)}`);
  for (const c of r.cidrs ?? [])
    peers.push(`${code(c.cidr)}${c.except.length ? ` except ${c.except.map(code).join(', ')}` : ''}`);
  for (const f of r.fqdns ?? []) peers.push(`FQDN ${code(f)} (decided by DNS at run time)`);
  for (const o of r.other ?? []) peers.push(escapeMarkdown(o));
  const who = peers.length
    ? `${dir} ${peers.join(' or ')}`
    : r.toPorts?.length
      ? `${dir} every peer`
      : 'nothing (an empty rule: it only puts the pod in default deny)';
  const ports = r.toPorts?.length
    ? ` on ${r.toPorts.flatMap((tp) => (tp.ports.length ? tp.ports.map((p) => `${p.protocol === 'ANY' ? 'any protocol' : p.protocol} ${p.port ?? 'any port'}${p.endPort ? `-${p.endPort}` : ''}`) : ['every port'])).join(', ')}`
    : '';
  const l7 = (r.toPorts ?? []).flatMap((tp) => tp.l7);
  return `${i + 1}. ${key}: ${who}${ports}${l7.length ? ` — only ${l7.map(escapeMarkdown).join('; ')}` : ''}`;
}

function ciliumMarkdown(cluster: Cluster, r: Resource, index: ResourceIndex): string {
  const infos = ciliumPolicyInfos('', r, index);
  const out = [
    `**${escapeMarkdown(r.kind)} ${code(r.kind === 'CiliumNetworkPolicy' ? `${index.namespaceOf(r)}/${r.name ?? ''}` : (r.name ?? ''))}** in plain words`,
    'NetworkPolicy tier, as Cilium enforces it: after the admin tier (which Cilium does not implement); deny rules win over any allow, of any policy (NetworkPolicy included).',
  ];
  infos.forEach((info) => {
    if (info.nodeSelector) {
      out.push(`Applies to nodes ${sel(info.nodeSelector, '(all)')} (host firewall), not to pods.`);
      return;
    }
    const name =
      (info.namespace !== undefined ? `${info.namespace}/${info.name}` : info.name) +
      (info.specIndex !== undefined ? `#${info.specIndex}` : '');
    out.push(
      `**Applies to** ${appliesTo(cluster, compiled(cluster, info.kind, name))}${info.namespace !== undefined ? ` (endpoints of namespace ${code(info.namespace)})` : ''}.`,
    );
    for (const [key, dir] of [
      ['ingressDeny', 'from'],
      ['ingress', 'from'],
      ['egressDeny', 'to'],
      ['egress', 'to'],
    ] as const) {
      const rules = info[key];
      if (rules?.length)
        out.push(
          `**${key}**:\n${rules.map((x, i) => ciliumRuleWords(x, i, key.endsWith('Deny') ? 'deny' : 'allow', dir)).join('\n')}`,
        );
    }
    const dd = (d: 'ingress' | 'egress') =>
      info.enableDefaultDeny?.[d] ?? !!(info[d]?.length || info[`${d}Deny`]?.length);
    out.push(
      `Default deny: ingress ${dd('ingress') ? 'on' : 'off'}, egress ${dd('egress') ? 'on' : 'off'} (a pod in default deny needs an allow rule of some policy).`,
    );
  });
  return out.join('\n\n') + enforcement(cluster, 'the Cilium kinds', r.kind, r.name ?? '');
}

// ---------------------------------------------------------------------------------------------------
// Calico

function entityWords(e: CalicoEntityInfo): string {
  const parts: string[] = [];
  if (e.selector) parts.push(`selector ${code(e.selector)}`);
  if (e.namespaceSelector) parts.push(`namespaces ${code(e.namespaceSelector)}`);
  if (e.notSelector) parts.push(`not ${code(e.notSelector)}`);
  if (e.nets?.length) parts.push(`nets ${e.nets.map(code).join(', ')}`);
  if (e.notNets?.length) parts.push(`not nets ${e.notNets.map(code).join(', ')}`);
  if (e.ports?.length)
    parts.push(
      `ports ${e.ports.map((p) => p.name ?? (p.endPort !== undefined ? `${p.port}:${p.endPort}` : String(p.port))).join(', ')}`,
    );
  return parts.join(', ') || 'anything';
}

function calicoRuleWords(r: CalicoRuleInfo, i: number): string {
  const what =
    { Allow: 'allows', Deny: 'denies', Pass: 'hands on to the next tier', Log: 'logs and goes on' }[
      r.action
    ] ?? 'an unknown action (Calico rejects it)';
  return `${i + 1}. **${escapeMarkdown(r.action)}**${r.protocol ? ` ${escapeMarkdown(r.protocol)}` : ''} from ${entityWords(r.source)} to ${entityWords(r.destination)}: ${what}${r.conditions.length ? ` — only ${r.conditions.map(escapeMarkdown).join('; ')}` : ''}`;
}

function calicoMarkdown(cluster: Cluster, r: Resource, index: ResourceIndex): string {
  const info = calicoPolicyInfo('', r, index);
  const name = info.namespace !== undefined ? `${info.namespace}/${info.name}` : info.name;
  const kind = info.kind === 'NetworkPolicy' ? 'Calico NetworkPolicy' : 'GlobalNetworkPolicy';
  const out = [
    `**${kind} ${code(name)}** in plain words`,
    `Calico tier ${code(info.tier)}, ${info.order !== undefined ? `order ${info.order}` : 'no order (after every ordered policy of the tier)'}; Kubernetes NetworkPolicies sit in the default tier at order 1000. In a tier the first matching rule decides; when a policy of the tier applies and no rule matches, the tier denies.`,
    `**Applies to** ${appliesTo(cluster, compiled(cluster, info.kind === 'NetworkPolicy' ? 'NetworkPolicy' : 'GlobalNetworkPolicy', name))} (selector ${code(info.selector || 'all()')}${info.namespaceSelector ? `, namespaces ${code(info.namespaceSelector)}` : ''}; types ${info.types.join(', ')}).`,
  ];
  if (info.ingress.length) out.push(`**Ingress**:\n${info.ingress.map(calicoRuleWords).join('\n')}`);
  if (info.egress.length) out.push(`**Egress**:\n${info.egress.map(calicoRuleWords).join('\n')}`);
  return (
    out.join('\n\n') +
    enforcement(
      cluster,
      'the Calico kinds',
      info.kind === 'NetworkPolicy' ? 'NetworkPolicy.projectcalico.org' : 'GlobalNetworkPolicy',
      name,
    )
  );
}

// ---------------------------------------------------------------------------------------------------
// Antrea-native policies

function antreaPeerWords(p: AntreaPeerInfo, cluster: boolean): string {
  if (p.other) return escapeMarkdown(p.other.text);
  if (p.ipBlock)
    return `addresses in ${code(p.ipBlock.cidr)}${p.ipBlock.except.length ? ` except ${p.ipBlock.except.map(code).join(', ')}` : ''}`;
  const ns = p.namespacesSelf
    ? 'the namespace of the pod it applies to'
    : p.sameLabels
      ? `namespaces with the same ${p.sameLabels.map(code).join(', ')} as that pod's`
      : p.namespaceSelector
        ? `namespaces ${sel(p.namespaceSelector, '(all)')}`
        : cluster
          ? 'every namespace'
          : 'its own namespace';
  if (!p.podSelector && !p.namespaceSelector && !p.namespacesSelf && !p.sameLabels)
    return 'nothing (an empty peer)';
  return `pods ${sel(p.podSelector, '(all)')} of ${ns}`;
}

const ANTREA_ACTION_WORDS: Record<string, string> = {
  Allow: 'allows it; nothing after it is consulted',
  Drop: 'drops it; nothing after it is consulted',
  Reject: 'rejects it (the client gets a reject answer); nothing after it is consulted',
  Pass: 'skips every later non-baseline Antrea rule and hands it to the Kubernetes NetworkPolicies (then the baseline tier)',
};

function antreaRuleWords(r: AntreaRuleInfo, i: number, dir: 'ingress' | 'egress', cluster: boolean): string {
  const name = r.name ? ` ${code(r.name)}` : '';
  const peers = r.peers.length
    ? r.peers.map((p) => antreaPeerWords(p, cluster)).join(' or ')
    : r.toServices?.length
      ? ''
      : 'everyone';
  const services = r.toServices?.length ? `Services ${r.toServices.map(code).join(', ')}` : '';
  const ports = r.ports
    ? 'on ' +
      r.ports
        .map((p) =>
          p.port === undefined
            ? `every ${p.protocol} port`
            : p.endPort !== undefined
              ? `${p.protocol} ${p.port}-${p.endPort}`
              : `${p.protocol} ${p.port}`,
        )
        .join(', ')
    : r.nonPortProtocolsOnly
      ? 'for ICMP/IGMP only'
      : 'on every port';
  const applied = r.appliedTo
    ? ` (applies to ${r.appliedTo.map((p) => antreaPeerWords(p, cluster)).join(' or ')})`
    : '';
  return `${i + 1}.${name} **${escapeMarkdown(r.action)}** ${dir === 'ingress' ? 'from' : 'to'} ${[peers, services].filter(Boolean).join(' or ')} ${ports}${applied}: ${ANTREA_ACTION_WORDS[r.action] ?? 'an action the API rejects; the rule takes no part'}`;
}

function antreaMarkdown(cluster: Cluster, r: Resource, index: ResourceIndex): string | undefined {
  const info = antreaPolicyInfo('', r, index);
  if (!info) return undefined;
  const name = info.namespace !== undefined ? `${info.namespace}/${info.name}` : info.name;
  const kind = info.kind === 'ClusterNetworkPolicy' ? 'Antrea ClusterNetworkPolicy' : 'Antrea NetworkPolicy';
  const tierPriority = antreaTierPriority(cluster.antreaTiers ?? [], info.tier);
  const where =
    tierPriority === undefined
      ? `Antrea tier ${code(info.tier)}, which is neither static nor a Tier of the workspace: its place is unknown, so verdicts do not evaluate this policy.`
      : info.tier.toLowerCase() === 'baseline'
        ? `Antrea tier ${code('baseline')} (253), priority ${info.priority ?? '?'}: consulted after the Kubernetes NetworkPolicies, only for pods none of them isolates.`
        : `Antrea tier ${code(info.tier)} (${tierPriority}), priority ${info.priority ?? '?'} (lower first within the tier): consulted before the Kubernetes NetworkPolicies${tierPriority < ANTREA_CNP_ADMIN_PRIORITY ? ' and before the upstream ClusterNetworkPolicy Admin tier (220)' : ', after the upstream ClusterNetworkPolicy Admin tier (220)'}. The first matching rule decides.`;
  const ctx = tierContext(cluster, 'generic');
  const compiled = ctx.antrea.filter((p) => p.name === name && p.kind.startsWith(info.kind));
  const ws = cluster.workloads.filter((w) =>
    compiled.some((p) => p.selects(w, 'Ingress') || p.selects(w, 'Egress')),
  );
  const out = [`**${kind} ${code(name)}** in plain words`, where, `**Applies to** ${workloads(ws)}.`];
  const isCluster = info.kind === 'ClusterNetworkPolicy';
  if (info.ingress.length)
    out.push(
      `**Ingress**:\n${info.ingress.map((x, i) => antreaRuleWords(x, i, 'ingress', isCluster)).join('\n')}`,
    );
  if (info.egress.length)
    out.push(
      `**Egress**:\n${info.egress.map((x, i) => antreaRuleWords(x, i, 'egress', isCluster)).join('\n')}`,
    );
  return out.join('\n\n') + enforcement(cluster, 'the Antrea kinds', compiled[0]?.kind ?? '', name);
}

/** A Calico NetworkSet / GlobalNetworkSet: what it holds and which rules match it. */
function networkSetMarkdown(cluster: Cluster, r: Resource, index: ResourceIndex): string | undefined {
  const info = calicoNetworkSetInfo('', r, index);
  if (!info) return undefined;
  const name = info.namespace !== undefined ? `${info.namespace}/${info.name}` : info.name;
  const set = (cluster.calicoNetworkSets ?? []).find(
    (s) => s.kind === info.kind && s.name === info.name && s.namespace === info.namespace,
  );
  const labels = Object.entries(info.labels).map(([k, v]) => `${k}=${v}`);
  const out = [
    `**Calico ${info.kind} ${code(name)}** in plain words`,
    `Labels ${labels.length ? labels.map(code).join(', ') : 'none (no rule selector can match it)'}; a rule's ${code('selector')} matching them matches ${info.nets.length ? `its nets ${listText(info.nets.map(code))}` : 'no address (it lists no nets)'}${info.kind === 'NetworkSet' ? `, in rules of namespace ${code(info.namespace ?? '')} (or a ${code('namespaceSelector')} that selects it)` : `, in GlobalNetworkPolicy rules and rules whose ${code('namespaceSelector')} is ${code('global()')}`}.`,
  ];
  if (info.domains?.length)
    out.push(
      `**allowedEgressDomains** ${listText(info.domains.map(code))}: count only in the destination of an egress ${code('Allow')} rule, which then allows the addresses DNS returns for those names (${code('*')} stands for one or more labels); Calico Enterprise and Calico Cloud only. ${code('kube-netlens reach --to <domain>')} evaluates a name against them.`,
    );
  const uses = set ? rulesUsingNetworkSet(reachIndex(cluster), set) : [];
  out.push(
    uses.length
      ? `**Matched by** ${listText(uses.map((u) => `${escapeMarkdown(u.policy.namespace !== undefined ? `${u.policy.namespace}/${u.policy.name}` : u.policy.name)} ${u.rule} ${u.role}${u.not ? ' notSelector' : ''} (${escapeMarkdown(u.action)})`))}.`
      : '**Matched by** no Calico rule of the workspace.',
  );
  return out.join('\n\n');
}

/** Hover kinds of this file: the policy kinds beyond NetworkPolicy and Calico's network sets. */
export function isTierHoverResource(r: Resource): boolean {
  return (
    isAdminPolicy(r) ||
    isCiliumPolicy(r) ||
    isCalicoPolicy(r) ||
    isAntreaPolicy(r) ||
    (r.apiVersion === 'projectcalico.org/v3' && (r.kind === 'NetworkSet' || r.kind === 'GlobalNetworkSet'))
  );
}

/** The hover of a policy of these kinds, or undefined for other resources. */
export function tierPolicyMarkdown(r: Resource, index: ResourceIndex): string | undefined {
  if (r.apiVersion === 'projectcalico.org/v3' && (r.kind === 'NetworkSet' || r.kind === 'GlobalNetworkSet'))
    return networkSetMarkdown(buildCluster(index), r, index);
  if (isAntreaPolicy(r)) return antreaMarkdown(buildCluster(index), r, index);
  if (isAdminPolicy(r)) return adminMarkdown(buildCluster(index), r);
  if (isCiliumPolicy(r)) return ciliumMarkdown(buildCluster(index), r, index);
  if (isCalicoPolicy(r)) return calicoMarkdown(buildCluster(index), r, index);
  return undefined;
}
