// The policy kinds beyond networking.k8s.io NetworkPolicy, read into the engine's types, one file per
// dialect:
// - policy-kinds-admin.ts: policy.networking.k8s.io/v1alpha2 ClusterNetworkPolicy (tier Admin or
//   Baseline), v1alpha1 AdminNetworkPolicy and BaselineAdminNetworkPolicy
// - policy-kinds-cilium.ts: cilium.io/v2 CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy
// - policy-kinds-calico.ts: projectcalico.org/v3 NetworkPolicy, GlobalNetworkPolicy, Tier, NetworkSet
//   and GlobalNetworkSet
// - policy-kinds-antrea.ts: crd.antrea.io ClusterNetworkPolicy, NetworkPolicy and Tier
// This file holds which resource is which kind, and the resources that show which network plugin a
// workspace runs.

import type { Resource } from './resource';
import type { CniHint } from '../engine/types';

export { adminPolicyInfo } from './policy-kinds-admin';
export { ciliumPolicyInfos } from './policy-kinds-cilium';
export {
  ANTREA_GROUP_KINDS,
  ANTREA_POLICY_KINDS,
  antreaGroupInfo,
  antreaPolicyInfo,
  antreaTierInfo,
  isAntreaPolicy,
} from './policy-kinds-antrea';
export {
  CALICO_NETWORK_SET_KINDS,
  calicoNetworkSetInfo,
  calicoPolicyInfo,
  calicoTierInfo,
} from './policy-kinds-calico';

export const ADMIN_KINDS = [
  'ClusterNetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
] as const;
export const CILIUM_KINDS = ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'] as const;
export const CALICO_KINDS = ['NetworkPolicy', 'GlobalNetworkPolicy'] as const;

export function isAdminPolicy(r: Resource): boolean {
  return (
    r.apiVersion.startsWith('policy.networking.k8s.io/') &&
    (ADMIN_KINDS as readonly string[]).includes(r.kind)
  );
}

export function isCiliumPolicy(r: Resource): boolean {
  return r.apiVersion.startsWith('cilium.io/') && (CILIUM_KINDS as readonly string[]).includes(r.kind);
}

export function isCalicoPolicy(r: Resource): boolean {
  return r.apiVersion === 'projectcalico.org/v3' && (CALICO_KINDS as readonly string[]).includes(r.kind);
}

/** API groups whose `NetworkPolicy` is the Kubernetes one: networking.k8s.io, the legacy extensions
 * group, and no group at all (a mistake the apiVersion rules report). Calico (projectcalico.org),
 * Antrea (crd.antrea.io) and other plugins have kinds of the same name with other meanings. */
const K8S_NETWORK_POLICY_GROUPS = new Set(['networking.k8s.io', 'extensions', '']);

/** A Kubernetes NetworkPolicy, told apart from other groups' kinds of the same name by its apiVersion group. */
export function isK8sNetworkPolicy(r: Resource): boolean {
  if (r.kind !== 'NetworkPolicy') return false;
  const slash = r.apiVersion.indexOf('/');
  return K8S_NETWORK_POLICY_GROUPS.has(slash < 0 ? '' : r.apiVersion.slice(0, slash));
}

// ---------------------------------------------------------------------------------------------------
// Network plugin resources

const PLUGIN_DAEMONSETS: Record<string, string> = {
  cilium: 'cilium',
  'calico-node': 'calico',
  canal: 'canal',
  'kube-flannel-ds': 'flannel',
  'kube-flannel': 'flannel',
  flannel: 'flannel',
  'weave-net': 'weave',
  ovnkube: 'ovn-kubernetes',
  'ovnkube-node': 'ovn-kubernetes',
  'antrea-agent': 'antrea',
  'kube-network-policies': 'kube-network-policies',
};

const PLUGIN_CONFIGMAPS: Record<string, string> = {
  'cilium-config': 'cilium',
  'calico-config': 'calico',
  'canal-config': 'canal',
  'kube-flannel-cfg': 'flannel',
  'antrea-config': 'antrea',
};

/** The network plugin a resource shows, if any. */
export function cniHintOf(r: Resource): CniHint | undefined {
  const what = `${r.kind} ${r.name ?? ''}`.trim();
  const group = r.apiVersion.split('/')[0];
  if (group === 'cilium.io') return { cni: 'cilium', evidence: what };
  if (group === 'projectcalico.org' || group === 'crd.projectcalico.org' || group === 'operator.tigera.io')
    return { cni: 'calico', evidence: what };
  if (group === 'k8s.ovn.org') return { cni: 'ovn-kubernetes', evidence: what };
  if (group.endsWith('antrea.io')) return { cni: 'antrea', evidence: what };
  if (r.kind === 'DaemonSet' && r.name && PLUGIN_DAEMONSETS[r.name])
    return { cni: PLUGIN_DAEMONSETS[r.name], evidence: what };
  if (r.kind === 'ConfigMap' && r.name && PLUGIN_CONFIGMAPS[r.name])
    return { cni: PLUGIN_CONFIGMAPS[r.name], evidence: what };
  return undefined;
}
