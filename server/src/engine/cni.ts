// Which policy kinds a network plugin (CNI) enforces, and which plugin a workspace runs.
//
// A policy of a kind the plugin does not enforce is inert: it is listed in the verdict, never applied.
// Sources: Flannel implements no policy at all; Canal is Flannel networking with Calico's policy engine;
// Calico enforces Kubernetes NetworkPolicy, its own projectcalico.org/v3 kinds and (3.30+) the admin
// tiers (AdminNetworkPolicy / BaselineAdminNetworkPolicy; ClusterNetworkPolicy from 3.32); Cilium
// enforces NetworkPolicy and its own kinds, not the admin tiers; kube-network-policies, OVN-Kubernetes
// and Antrea implement the admin tiers next to NetworkPolicy (Antrea: v1alpha1 since 1.13, the v1alpha2
// ClusterNetworkPolicy since 2.7, both behind feature gates), Antrea its own crd.antrea.io kinds too;
// Weave Net implements NetworkPolicy only.
// Port ranges and SCTP in the kinds beyond NetworkPolicy: every plugin that enforces them implements
// them (the admin tiers' conformance profile includes SCTP and ranges; Calico ranges "from:to" and
// SCTP; Antrea endPort and SCTP; Cilium endPort), except that Cilium's SCTP support is a beta feature
// that must be enabled.
//
// Service hairpin (a pod → a Service → the same pod): Kubernetes says only that a pod cannot block
// access to itself, and leaves traffic through a Service to the plugin. network-policy-api states that
// ClusterNetworkPolicy applies to it (it is logically enforced outside the pod's network namespace),
// while a pod's connection to its own Pod IP is subject to none. For NetworkPolicy: Cilium skips policy
// on service loopback traffic; Antrea (with AntreaProxy) always admits it on the ingress side;
// (its egress rules still apply); OVN-Kubernetes allows it like a connection to the pod's own IP;
// Calico's eBPF data plane polices it
// as traffic from the pod itself (with kube-proxy in iptables mode it arrives masqueraded from the node).

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
  /** Antrea-native ClusterNetworkPolicy / NetworkPolicy (crd.antrea.io). */
  antrea: boolean;
  /** NetworkPolicy port.endPort. */
  endPort: boolean;
  sctp: boolean;
  /** SCTP is enforced only under a setting of the plugin (a caveat the verdicts of SCTP connections
   * and the editor show). */
  sctpCaveat?: string;
  /** A pod's connection to a Service that the proxy sends back to the same pod ("service hairpin"):
   * `exempt` when the plugin lets it through whatever NetworkPolicy (and the plugin's own kinds) say,
   * `ingress-exempt` when only the ingress side lets it through (the egress rules still apply),
   * `policed` when it evaluates them with the pod as both ends, `undocumented` when the plugin does not
   * say (read as exempt, the usual answer, and the verdict says so). The admin tiers police it on every
   * plugin (network-policy-api: ClusterNetworkPolicy is logically enforced outside the pod). */
  hairpin: 'exempt' | 'ingress-exempt' | 'policed' | 'undocumented';
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
    antrea: true,
    endPort: true,
    sctp: true,
    hairpin: 'undocumented',
  },
  none: {
    name: 'none',
    label: 'no network policy plugin',
    networkPolicy: false,
    adminV1alpha1: false,
    adminV1alpha2: false,
    cilium: false,
    calico: false,
    antrea: false,
    endPort: false,
    sctp: false,
    hairpin: 'exempt',
  },
  flannel: {
    name: 'flannel',
    label: 'Flannel',
    networkPolicy: false,
    adminV1alpha1: false,
    adminV1alpha2: false,
    cilium: false,
    calico: false,
    antrea: false,
    endPort: false,
    sctp: false,
    hairpin: 'exempt',
  },
  calico: {
    name: 'calico',
    label: 'Calico',
    networkPolicy: true,
    adminV1alpha1: true,
    adminV1alpha2: true,
    cilium: false,
    calico: true,
    antrea: false,
    endPort: true,
    sctp: true,
    hairpin: 'policed',
  },
  canal: {
    name: 'canal',
    label: 'Canal (Flannel + Calico policy)',
    networkPolicy: true,
    adminV1alpha1: true,
    adminV1alpha2: true,
    cilium: false,
    calico: true,
    antrea: false,
    endPort: true,
    sctp: true,
    hairpin: 'policed',
  },
  cilium: {
    name: 'cilium',
    label: 'Cilium',
    networkPolicy: true,
    adminV1alpha1: false,
    adminV1alpha2: false,
    cilium: true,
    calico: false,
    antrea: false,
    endPort: true,
    sctp: true,
    sctpCaveat:
      'SCTP support is a beta feature of Cilium, off unless enabled (Helm sctp.enabled=true); policies on SCTP traffic apply only then',
    hairpin: 'exempt',
  },
  'kube-network-policies': {
    name: 'kube-network-policies',
    label: 'kube-network-policies',
    networkPolicy: true,
    adminV1alpha1: true,
    adminV1alpha2: true,
    cilium: false,
    calico: false,
    antrea: false,
    endPort: true,
    sctp: true,
    hairpin: 'undocumented',
  },
  'ovn-kubernetes': {
    name: 'ovn-kubernetes',
    label: 'OVN-Kubernetes',
    networkPolicy: true,
    adminV1alpha1: true,
    adminV1alpha2: false,
    cilium: false,
    calico: false,
    antrea: false,
    endPort: true,
    sctp: true,
    hairpin: 'exempt',
  },
  antrea: {
    name: 'antrea',
    label: 'Antrea',
    networkPolicy: true,
    adminV1alpha1: true,
    adminV1alpha2: true,
    cilium: false,
    calico: false,
    antrea: true,
    endPort: true,
    sctp: true,
    hairpin: 'ingress-exempt',
  },
  weave: {
    name: 'weave',
    label: 'Weave Net',
    networkPolicy: true,
    adminV1alpha1: false,
    adminV1alpha2: false,
    cilium: false,
    calico: false,
    antrea: false,
    endPort: false,
    sctp: false,
    hairpin: 'undocumented',
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
  'NetworkPolicy' | 'AdminNetworkPolicy' | 'ClusterNetworkPolicy' | 'Cilium' | 'Calico' | 'Antrea';

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
    case 'Antrea':
      return caps.antrea;
  }
}

/** Does the plugin let service hairpin traffic through NetworkPolicy on this side? */
export function hairpinExempt(caps: CniCapabilities, side: 'Ingress' | 'Egress'): boolean {
  return caps.hairpin === 'ingress-exempt' ? side === 'Ingress' : caps.hairpin !== 'policed';
}

/** How the plugin treats NetworkPolicy-tier policies on service hairpin traffic, in a sentence. */
export function hairpinText(caps: CniCapabilities): string {
  switch (caps.name) {
    case 'cilium':
      return 'Cilium skips policy enforcement on service loopback traffic (a pod reaching itself through a Service)';
    case 'antrea':
      return 'Antrea (with Antrea Proxy) always admits a pod reaching itself through a Service on the ingress side, whatever the ingress rules say; its egress rules still apply';
    case 'ovn-kubernetes':
      return "OVN-Kubernetes allows hairpinned Service traffic like a connection to the pod's own IP";
    case 'calico':
    case 'canal':
      return `${caps.label} polices a pod reaching itself through a Service as traffic from the pod to itself (eBPF data plane; with kube-proxy in iptables mode it arrives masqueraded from the node)`;
    case 'none':
    case 'flannel':
      return `${caps.label} enforces no NetworkPolicy`;
    default:
      return `${caps.name === 'generic' ? 'with no known plugin,' : `${caps.label} does not document it;`} NetworkPolicy on a pod reaching itself through a Service is left to each plugin (most let it through, and so does this verdict; Calico polices it)`;
  }
}
