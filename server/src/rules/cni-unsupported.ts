// A policy the network plugin does not enforce (inert: Flannel enforces none, Cilium no admin tiers,
// Weave Net neither the Cilium nor the Calico kinds, ...), or a feature it lacks (NetworkPolicy endPort,
// SCTP). The plugin is the kubeNetlens.cni setting, else the one whose own resources the workspace
// holds (its DaemonSet, config, CRD objects); with neither, every kind counts as enforced and this
// rule says nothing.

import { asMap, asSeq, getIn, getPair, getValue, scalarText, stringValue } from '../syntax/ast';
import { buildCluster } from '../model/cluster';
import {
  isAdminPolicy,
  isAntreaPolicy,
  isCalicoPolicy,
  isCiliumPolicy,
  isK8sNetworkPolicy,
} from '../model/policy-kinds';
import { chooseCni, enforces } from '../engine/cni';
import { ANTREA_STATIC_TIERS } from '../engine/tiers-antrea';
import type { CniChoice, PolicyFamily } from '../engine/cni';
import type { Resource } from '../model/resource';
import type { CrossFileRuleContext, Rule } from './types';

function familyOf(r: Resource): PolicyFamily | undefined {
  if (isK8sNetworkPolicy(r)) return 'NetworkPolicy';
  if (isAdminPolicy(r))
    return r.kind === 'ClusterNetworkPolicy' ? 'ClusterNetworkPolicy' : 'AdminNetworkPolicy';
  if (isCiliumPolicy(r)) return 'Cilium';
  if (isCalicoPolicy(r)) return 'Calico';
  if (isAntreaPolicy(r)) return 'Antrea';
  return undefined;
}

function how(c: CniChoice): string {
  return c.how === 'given'
    ? 'as configured with kubeNetlens.cni or --cni'
    : `detected from ${c.evidence.slice(0, 2).join(', ')}`;
}

export const rule: Rule = {
  id: 'cni-unsupported',
  scope: 'cross-file',
  defaultSeverity: 'information',
  kinds: [
    'NetworkPolicy',
    'ClusterNetworkPolicy',
    'AdminNetworkPolicy',
    'BaselineAdminNetworkPolicy',
    'CiliumNetworkPolicy',
    'CiliumClusterwideNetworkPolicy',
    'GlobalNetworkPolicy',
  ],
  description:
    'A policy of a kind the network plugin does not enforce (it is inert), a feature the plugin lacks or gates behind a setting (endPort, SCTP), or the part of an Antrea-native policy (crd.antrea.io) that verdicts cannot evaluate: a tier or an appliedTo group the manifests do not define.',
  check(ctx) {
    const r = ctx.resource;
    const family = familyOf(r);
    if (!family) return;
    const settingCni = ctx.settings.cni && ctx.settings.cni !== 'auto' ? ctx.settings.cni : undefined;
    let choice: CniChoice;
    try {
      choice = chooseCni(settingCni, buildCluster(ctx.index).cniHints);
    } catch {
      return; // an unknown name in the setting: the settings reader reports it
    }
    if (family === 'Antrea' && enforces(choice.caps, 'Antrea')) {
      antreaNotices(ctx, r);
      return;
    }
    if (choice.how === 'default') return;
    const caps = choice.caps;
    if (!enforces(caps, family)) {
      ctx.report(
        r.kindNode,
        `${caps.label} does not enforce ${r.kind} (${r.apiVersion}): this policy is inert, it neither allows nor denies anything (network plugin: ${how(choice)})`,
      );
      return;
    }
    if (caps.sctpCaveat && (family === 'NetworkPolicy' || family === 'Cilium'))
      sctpCaveats(ctx, r, caps.sctpCaveat);
    if (family !== 'NetworkPolicy') return;
    for (const dir of ['ingress', 'egress']) {
      for (const item of asSeq(getIn(r.node, ['spec', dir]))?.items ?? []) {
        for (const port of asSeq(getValue(item, 'ports'))?.items ?? []) {
          const pm = asMap(port);
          const end = pm && getPair(pm, 'endPort');
          if (end && !caps.endPort)
            ctx.report(
              end.key,
              `${caps.label} does not implement endPort: only port ${scalarText(getValue(port, 'port')) ?? ''} is matched, not the range up to ${scalarText(end.value) ?? ''} (network plugin: ${how(choice)})`,
            );
          const proto = getValue(port, 'protocol');
          if (proto && stringValue(proto) === 'SCTP' && !caps.sctp)
            ctx.report(
              proto,
              `${caps.label} does not implement SCTP in NetworkPolicy: this port entry matches no traffic (network plugin: ${how(choice)})`,
            );
        }
      }
    }
  },
};

/** What of an enforced Antrea-native policy a verdict cannot evaluate: its tier when neither static nor
 * a Tier of the manifests, an appliedTo by a group the manifests do not define. */
function antreaNotices(ctx: CrossFileRuleContext, r: Resource): void {
  const spec = getValue(r.node, 'spec');
  const tierNode = getValue(spec, 'tier');
  const tier = stringValue(tierNode);
  if (tier !== undefined && !(tier.toLowerCase() in ANTREA_STATIC_TIERS)) {
    const defined = ctx.index
      .ofKind('Tier')
      .some(({ resource: t }) => t.apiVersion.startsWith('crd.antrea.io/') && t.name === tier);
    if (!defined)
      ctx.report(
        tierNode!,
        `Antrea tier "${tier}" is neither a static tier (${Object.keys(ANTREA_STATIC_TIERS).join(', ')}) nor a Tier of these files: its priority is unknown, so reachability verdicts list this policy as not evaluated`,
      );
  }
  const entries = [
    ...(asSeq(getValue(spec, 'appliedTo'))?.items ?? []),
    ...['ingress', 'egress'].flatMap((d) =>
      (asSeq(getValue(spec, d))?.items ?? []).flatMap(
        (rule) => asSeq(getValue(rule, 'appliedTo'))?.items ?? [],
      ),
    ),
  ];
  for (const e of entries) {
    const group = asMap(e) && getPair(asMap(e)!, 'group');
    const name = group ? stringValue(group.value) : undefined;
    if (group && name !== undefined) {
      const groupKind = r.kind === 'ClusterNetworkPolicy' ? 'ClusterGroup' : 'Group';
      const ns = r.kind === 'ClusterNetworkPolicy' ? undefined : ctx.index.namespaceOf(r);
      const defined = ctx.index
        .ofKind(groupKind, ns)
        .some(({ resource: g }) => g.apiVersion.startsWith('crd.antrea.io/') && g.name === name);
      if (!defined)
        ctx.report(
          group.key,
          `appliedTo group ${name}: no ${groupKind} of that name${ns !== undefined ? ` in namespace ${ns}` : ''} in these files, so its members cannot be decided: reachability verdicts list this policy as not evaluated`,
        );
    }
  }
}

/** Every `protocol: SCTP` of the policy, when the plugin enforces SCTP only under a setting. */
function sctpCaveats(ctx: CrossFileRuleContext, r: Resource, caveat: string): void {
  const visit = (node: ReturnType<typeof getValue>): void => {
    const m = asMap(node);
    if (m) {
      for (const pair of m.pairs) {
        const key = scalarText(pair.key);
        if (key === 'protocol' && stringValue(pair.value)?.toUpperCase() === 'SCTP')
          ctx.report(pair.value!, caveat);
        else visit(pair.value);
      }
      return;
    }
    for (const item of asSeq(node)?.items ?? []) visit(item);
  };
  visit(getValue(r.node, 'spec'));
  for (const spec of asSeq(getValue(r.node, 'specs'))?.items ?? []) visit(spec);
}
