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
import type { CniChoice, PolicyFamily } from '../engine/cni';
import type { Resource } from '../model/resource';
import type { Rule } from './types';

function familyOf(r: Resource): PolicyFamily | undefined {
  if (isK8sNetworkPolicy(r)) return 'NetworkPolicy';
  if (isAdminPolicy(r))
    return r.kind === 'ClusterNetworkPolicy' ? 'ClusterNetworkPolicy' : 'AdminNetworkPolicy';
  if (isCiliumPolicy(r)) return 'Cilium';
  if (isCalicoPolicy(r)) return 'Calico';
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
    "A policy of a kind the network plugin does not enforce (it is inert), a feature the plugin lacks (endPort, SCTP), or Antrea's own policy kinds (crd.antrea.io), recognised but not evaluated.",
  check(ctx) {
    const r = ctx.resource;
    const family = familyOf(r);
    const antrea = !family && isAntreaPolicy(r);
    if (!family && !antrea) return;
    const settingCni = ctx.settings.cni && ctx.settings.cni !== 'auto' ? ctx.settings.cni : undefined;
    let choice: CniChoice;
    try {
      choice = chooseCni(settingCni, buildCluster(ctx.index).cniHints);
    } catch {
      return; // an unknown name in the setting: the settings reader reports it
    }
    if (antrea) {
      const caps = choice.caps;
      ctx.report(
        r.kindNode,
        caps.name === 'antrea' || caps.name === 'generic'
          ? `Antrea's own ${r.kind} (${r.apiVersion}) is recognised but not evaluated: reachability verdicts of the pods it may select list it as not evaluated, since Antrea applies it before Kubernetes NetworkPolicies`
          : `${caps.label} does not enforce Antrea's own ${r.kind} (${r.apiVersion}): this policy is inert (network plugin: ${how(choice)})`,
      );
      return;
    }
    if (!family) return;
    if (choice.how === 'default') return;
    const caps = choice.caps;
    if (!enforces(caps, family)) {
      ctx.report(
        r.kindNode,
        `${caps.label} does not enforce ${r.kind} (${r.apiVersion}): this policy is inert, it neither allows nor denies anything (network plugin: ${how(choice)})`,
      );
      return;
    }
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
