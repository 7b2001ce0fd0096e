// Which policy kinds a network plugin (CNI) enforces, and which plugin a workspace runs.
//
// A policy of a kind the plugin does not enforce is inert: it is listed in the verdict, never applied.
// Sources: Flannel implements no policy at all; Canal is Flannel networking with Calico's policy engine;
// Calico enforces Kubernetes NetworkPolicy, its own projectcalico.org/v3 kinds and (3.30+) the admin
// tiers (AdminNetworkPolicy / BaselineAdminNetworkPolicy; ClusterNetworkPolicy from 3.32); Cilium
// enforces NetworkPolicy and its own kinds, not the admin tiers; kube-network-policies, OVN-Kubernetes
// and Antrea implement the admin tiers next to NetworkPolicy; Weave Net implements NetworkPolicy only.

import type { CniHint } from './types';

export type CniName =
  | 'generic'
  | 'none'
  | 'flannel'
  | 'calico'
  | 'canal'
  | 'cilium'
  | 'kube-network-policies'
  | 'ovn-kubernetes'
  | 'antrea'
  | 'weave';

export const CNI_NAMES: CniName[] = [
  'generic',
  'none',
  'flannel',
  'calico',
  'canal',
  'cilium',
  'kube-network-policies',
  'ovn-kubernetes',
  'antrea',
  'weave',
];

export interface CniCapabilities {
  name: CniName;
  /** Plain name for messages. */
  label: string;
  networkPolicy: boolean;
  /** AdminNetworkPolicy / BaselineAdminNetworkPolicy (v1alpha1). */
  adminV1alpha1: boolean;
  /** ClusterNetworkPolicy (v1alpha2). */
  adminV1alpha2: boolean;
  cilium: boolean;
  calico: boolean;
  /** NetworkPolicy port.endPort. */
  endPort: boolean;
  sctp: boolean;
}

const CAPS: Record<CniName, CniCapabilities> = {
  generic: {
    name: 'generic',
    label: 'any plugin (every kind enforced)',
    networkPolicy: true,
    adminV1alpha1: true,
    adminV1alpha2: true,
    cilium: true,
    calico: true,
    endPort: true,
    sctp: true,
  },
  none: {
    name: 'none',
    label: 'no network policy plugin',
    networkPolicy: false,
    adminV1alpha1: false,
    adminV1alpha2: false,
    cilium: false,
    calico: false,
    endPort: false,
    sctp: false,
  },
  flannel: {
    name: 'flannel',
    label: 'Flannel',
    networkPolicy: false,
    adminV1alpha1: false,
    adminV1alpha2: false,
    cilium: false,
    calico: false,
    endPort: false,
    sctp: false,
  },
  calico: {
    name: 'calico',
    label: 'Calico',
    networkPolicy: true,
    adminV1alpha1: true,
    adminV1alpha2: true,
    cilium: false,
    calico: true,
    endPort: true,
    sctp: true,
  },
  canal: {
    name: 'canal',
    label: 'Canal (Flannel + Calico policy)',
    networkPolicy: true,
    adminV1alpha1: true,
    adminV1alpha2: true,
    cilium: false,
    calico: true,
    endPort: true,
    sctp: true,
  },
  cilium: {
    name: 'cilium',
    label: 'Cilium',
    networkPolicy: true,
    adminV1alpha1: false,
    adminV1alpha2: false,
    cilium: true,
    calico: false,
    endPort: true,
    sctp: true,
  },
  'kube-network-policies': {
    name: 'kube-network-policies',
    label: 'kube-network-policies',
    networkPolicy: true,
    adminV1alpha1: true,
    adminV1alpha2: true,
    cilium: false,
    calico: false,
    endPort: true,
    sctp: true,
  },
  'ovn-kubernetes': {
    name: 'ovn-kubernetes',
    label: 'OVN-Kubernetes',
    networkPolicy: true,
    adminV1alpha1: true,
    adminV1alpha2: false,
    cilium: false,
    calico: false,
    endPort: true,
    sctp: true,
  },
  antrea: {
    name: 'antrea',
    label: 'Antrea',
    networkPolicy: true,
    adminV1alpha1: true,
    adminV1alpha2: false,
    cilium: false,
    calico: false,
    endPort: true,
    sctp: true,
  },
  weave: {
    name: 'weave',
    label: 'Weave Net',
    networkPolicy: true,
    adminV1alpha1: false,
    adminV1alpha2: false,
    cilium: false,
    calico: false,
    endPort: false,
    sctp: false,
  },
};

export function cniCapabilities(name: CniName): CniCapabilities {
  return CAPS[name];
}

export function isCniName(v: string): v is CniName {
  return (CNI_NAMES as string[]).includes(v);
}

export interface CniChoice {
  caps: CniCapabilities;
  /** How it was chosen: the option or setting, the workspace's plugin resources, or the default. */
  how: 'given' | 'detected' | 'default';
  evidence: string[];
}

/** The plugin named, or the one the workspace's plugin resources show (`auto`/undefined), else generic.
 * Flannel together with Calico is Canal; Cilium and Calico together are ambiguous and give generic. */
export function chooseCni(given: string | undefined, hints: CniHint[] = []): CniChoice {
  if (given && given !== 'auto') {
    if (!isCniName(given)) throw new Error(`unknown CNI "${given}" (one of auto, ${CNI_NAMES.join(', ')})`);
    return { caps: CAPS[given], how: 'given', evidence: [] };
  }
  const found = new Map<string, string[]>();
  for (const h of hints) {
    const list = found.get(h.cni);
    if (list) list.push(h.evidence);
    else found.set(h.cni, [h.evidence]);
  }
  const ev = (...names: string[]) => names.flatMap((n) => found.get(n) ?? []);
  const has = (n: string) => found.has(n);
  if (has('canal') || (has('flannel') && has('calico') && !has('cilium')))
    return { caps: CAPS.canal, how: 'detected', evidence: ev('canal', 'flannel', 'calico') };
  const single = [...found.keys()].filter((k) => k !== 'flannel');
  if (single.length === 1 && isCniName(single[0]))
    return { caps: CAPS[single[0]], how: 'detected', evidence: ev(single[0]) };
  if (single.length === 0 && has('flannel'))
    return { caps: CAPS.flannel, how: 'detected', evidence: ev('flannel') };
  return { caps: CAPS.generic, how: 'default', evidence: single.length > 1 ? ev(...single) : [] };
}

export type PolicyFamily =
  'NetworkPolicy' | 'AdminNetworkPolicy' | 'ClusterNetworkPolicy' | 'Cilium' | 'Calico';

/** Does the plugin enforce policies of this family? */
export function enforces(caps: CniCapabilities, family: PolicyFamily): boolean {
  switch (family) {
    case 'NetworkPolicy':
      return caps.networkPolicy;
    case 'AdminNetworkPolicy':
      return caps.adminV1alpha1;
    case 'ClusterNetworkPolicy':
      return caps.adminV1alpha2;
    case 'Cilium':
      return caps.cilium;
    case 'Calico':
      return caps.calico;
  }
}
