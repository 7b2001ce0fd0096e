// The cluster as a network plugin that lacks a NetworkPolicy feature enforces it. Kubernetes documents
// what happens: a plugin without endPort support applies the entry to its single `port`; a plugin
// without SCTP support matches no traffic with an SCTP entry. The evaluation (evaluateReach, the
// matrices, diff) reads this view, so verdicts follow the plugin; each changed entry carries a note
// the verdict shows, and rule cni-unsupported marks the field in the editor.

import { chooseCni } from './cni';
import type { CniCapabilities } from './cni';
import { clusterMemo } from './cluster-index';
import type { Cluster, PolicyInfo, PolicyPortInfo, PolicyRuleInfo } from './types';

const views = new WeakSet<Cluster>();

/** The cluster under the plugin named (or detected, `auto`/undefined): the same object when the plugin
 * implements every feature the policies use. Throws on an unknown plugin name, as chooseCni does. */
export function pluginView(cluster: Cluster, cni: string | undefined): Cluster {
  if (views.has(cluster)) return cluster;
  const caps = chooseCni(cni, cluster.cniHints).caps;
  if (caps.endPort && caps.sctp) return cluster;
  return clusterMemo(cluster, `plugin-view:${caps.name}`, () => {
    let changed = false;
    const policies = cluster.policies.map((p) => {
      const q = policyUnder(p, caps);
      if (q !== p) changed = true;
      return q;
    });
    if (!changed) return cluster;
    const view: Cluster = { ...cluster, policies };
    views.add(view);
    return view;
  });
}

function policyUnder(p: PolicyInfo, caps: CniCapabilities): PolicyInfo {
  const ingress = rulesUnder(p.ingress, caps);
  const egress = rulesUnder(p.egress, caps);
  return ingress === p.ingress && egress === p.egress ? p : { ...p, ingress, egress };
}

function rulesUnder(rules: PolicyRuleInfo[], caps: CniCapabilities): PolicyRuleInfo[] {
  let changed = false;
  const out = rules.map((r) => {
    if (!r.ports?.length) return r;
    let portsChanged = false;
    const ports = r.ports.map((p) => {
      const q = portUnder(p, caps);
      if (q !== p) portsChanged = true;
      return q;
    });
    if (!portsChanged) return r;
    changed = true;
    return { ...r, ports };
  });
  return changed ? out : rules;
}

function portUnder(p: PolicyPortInfo, caps: CniCapabilities): PolicyPortInfo {
  if (p.protocol === 'SCTP' && !caps.sctp)
    return { ...p, inert: true, pluginNote: `${caps.label} does not implement SCTP in NetworkPolicy` };
  if (p.endPort !== undefined && typeof p.port === 'number' && !caps.endPort) {
    const { endPort, ...rest } = p;
    return {
      ...rest,
      pluginNote: `${caps.label} does not implement endPort: the range ${p.port}-${endPort} is only port ${p.port}`,
    };
  }
  return p;
}
