// The engine's input for the policy kinds beyond networking.k8s.io/v1 NetworkPolicy: the admin tiers
// of the network-policy-api, Cilium's and Calico's policies, and the network plugin hints. Built by
// model/policy-kinds*.ts; engine/types.ts re-exports them next to the Kubernetes kinds.

import type { LabelSelector, Labels } from './selector';
import type { Protocol, SourceRef } from './ids';

/** The admin tiers of the network-policy-api: Admin (before NetworkPolicy) and Baseline (after it). */
export type AdminTier = 'Admin' | 'Baseline';

/** Actions of the admin tiers; v1alpha1's Allow is read as Accept (`actionText` keeps what is written). */
export type AdminAction = 'Accept' | 'Deny' | 'Pass';

/** `pods` of a subject or peer: namespaces AND pods. */
export interface NamespacedPodInfo {
  namespaceSelector: LabelSelector;
  podSelector: LabelSelector;
}

/** One peer of an admin-tier rule: exactly one field is set (none or several: the API rejects it). */
export interface AdminPeerInfo {
  namespaces?: LabelSelector;
  pods?: NamespacedPodInfo;
  nodes?: LabelSelector;
  networks?: string[];
  domainNames?: string[];
  source?: SourceRef;
}

/** A port entry of an admin-tier rule (v1alpha1 `ports` or v1alpha2 `protocols`). */
export interface AdminPortInfo {
  protocol: Protocol;
  /** A single port or the start of a range; undefined with no name: every port of the protocol. */
  port?: number;
  endPort?: number;
  /** namedPort / destinationNamedPort (any protocol the container port declares). */
  name?: string;
  source?: SourceRef;
}

export interface AdminRuleInfo {
  name?: string;
  action: AdminAction;
  /** As written (Allow, Accept, Deny, Pass, or something invalid, which makes the rule inert). */
  actionText: string;
  peers: AdminPeerInfo[];
  /** undefined: every port and protocol. */
  ports?: AdminPortInfo[];
  source?: SourceRef;
}

export interface AdminPolicyInfo {
  kind: 'ClusterNetworkPolicy' | 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';
  apiVersion: string;
  name: string;
  tier: AdminTier;
  /** 0-1000, lower first; BaselineAdminNetworkPolicy has none (0). */
  priority: number;
  subject: { namespaces?: LabelSelector; pods?: NamespacedPodInfo };
  ingress: AdminRuleInfo[];
  egress: AdminRuleInfo[];
  source?: SourceRef;
  prioritySource?: SourceRef;
}

/** A toPorts port of a Cilium rule. */
export interface CiliumPortInfo {
  /** Number or IANA name; undefined or 0: every port. */
  port?: number | string;
  endPort?: number;
  /** TCP, UDP, SCTP or ANY (every protocol). */
  protocol: Protocol | 'ANY';
}

export interface CiliumToPortsInfo {
  ports: CiliumPortInfo[];
  /** L7 rules (http, dns, kafka, ...) in plain words: conditions the connection must also meet. */
  l7: string[];
}

export interface CiliumRuleInfo {
  /** fromEndpoints / toEndpoints (label keys as written, `k8s:` prefixes allowed). */
  endpoints?: LabelSelector[];
  entities?: string[];
  /** fromCIDR / toCIDR and fromCIDRSet / toCIDRSet. */
  cidrs?: { cidr: string; except: string[] }[];
  /** fromNodes / toNodes. */
  nodes?: LabelSelector[];
  fqdns?: string[];
  /** toServices, toGroups, fromRequires/toRequires and other peers decided elsewhere. */
  other?: string[];
  toPorts?: CiliumToPortsInfo[];
  /** ICMP rules only: no TCP/UDP/SCTP connection matches. */
  icmpOnly?: boolean;
  source?: SourceRef;
}

export interface CiliumPolicyInfo {
  kind: 'CiliumNetworkPolicy' | 'CiliumClusterwideNetworkPolicy';
  /** undefined for the clusterwide kind. */
  namespace?: string;
  name: string;
  /** Index in `specs` when the policy holds several. */
  specIndex?: number;
  endpointSelector?: LabelSelector;
  /** nodeSelector policies apply to nodes (host firewall), never to pods. */
  nodeSelector?: LabelSelector;
  /** undefined: the section is absent. */
  ingress?: CiliumRuleInfo[];
  ingressDeny?: CiliumRuleInfo[];
  egress?: CiliumRuleInfo[];
  egressDeny?: CiliumRuleInfo[];
  enableDefaultDeny?: { ingress?: boolean; egress?: boolean };
  source?: SourceRef;
}

/** A port of a Calico rule: a number, a range, or a name. */
export interface CalicoPortInfo {
  port?: number;
  endPort?: number;
  name?: string;
}

export interface CalicoEntityInfo {
  nets?: string[];
  notNets?: string[];
  selector?: string;
  notSelector?: string;
  namespaceSelector?: string;
  ports?: CalicoPortInfo[];
  notPorts?: CalicoPortInfo[];
  /** serviceAccounts: the pods running as one of the names (spec.serviceAccountName, `default` when
   * unnamed) and as a ServiceAccount whose labels match the selector; both when both are given. */
  serviceAccounts?: { names?: string[]; selector?: string };
  /** services: decided by objects the manifests may not hold. */
  other?: string[];
  source?: SourceRef;
  selectorSource?: SourceRef;
  namespaceSelectorSource?: SourceRef;
  notSelectorSource?: SourceRef;
}

export interface CalicoRuleInfo {
  action: string;
  /** Protocol name upper-cased (TCP, UDP, SCTP, ICMP, UDPLITE, ...) or number as text. */
  protocol?: string;
  notProtocol?: string;
  source: CalicoEntityInfo;
  destination: CalicoEntityInfo;
  /** http match, ICMP fields: conditions the connection must also meet. */
  conditions: string[];
  /** ICMP type matches: no TCP/UDP/SCTP connection matches. */
  icmpOnly?: boolean;
  ipVersion?: number;
  src?: SourceRef;
}

export interface CalicoPolicyInfo {
  kind: 'NetworkPolicy' | 'GlobalNetworkPolicy';
  /** undefined for GlobalNetworkPolicy. */
  namespace?: string;
  name: string;
  tier: string;
  /** undefined: after every policy with an order. */
  order?: number;
  /** Selector expression; empty or omitted: all(). */
  selector: string;
  /** GlobalNetworkPolicy only: namespaces whose endpoints it applies to. */
  namespaceSelector?: string;
  /** Applies only to pods whose ServiceAccount's labels match it (with `selector`). */
  serviceAccountSelector?: string;
  types: ('Ingress' | 'Egress')[];
  ingress: CalicoRuleInfo[];
  egress: CalicoRuleInfo[];
  source?: SourceRef;
  selectorSource?: SourceRef;
}

/** A Calico Tier (projectcalico.org/v3). */
export interface CalicoTierInfo {
  name: string;
  order?: number;
  /** What happens at the end of the tier when a policy applied and no rule matched (Deny by default). */
  defaultAction?: 'Deny' | 'Pass';
}

/** A Calico NetworkSet (namespaced) or GlobalNetworkSet (projectcalico.org/v3): a rule whose source or
 * destination selector matches its labels matches the addresses in its nets. */
export interface CalicoNetworkSetInfo {
  kind: 'NetworkSet' | 'GlobalNetworkSet';
  /** The NetworkSet's namespace; undefined for a GlobalNetworkSet. */
  namespace?: string;
  name: string;
  labels: Labels;
  nets: string[];
  /** allowedEgressDomains (Calico Enterprise): addresses decided by DNS at run time. */
  domains?: string[];
  source?: SourceRef;
}

/** A policy the engine recognises but does not evaluate: verdicts list it so that no answer looks final. */
export interface UnevaluatedPolicyInfo {
  kind: string;
  apiVersion: string;
  namespace?: string;
  name: string;
  /** The plugin whose API it belongs to (`Antrea`). */
  plugin: string;
  /** Why it is not evaluated (an Antrea tier the manifests do not define). */
  reason?: string;
  source?: SourceRef;
}

/** A peer of an Antrea-native rule (`from`/`to`) or an `appliedTo` entry. */
export interface AntreaPeerInfo {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  /** `namespaces.match: Self`: the namespace of the pod the policy applies to. */
  namespacesSelf?: boolean;
  /** `namespaces.sameLabels`: namespaces whose values of these keys equal those of the applied-to pod's. */
  sameLabels?: string[];
  ipBlock?: { cidr: string; except: string[] };
  /** `group`: a ClusterGroup (cluster-wide policy) or Group (namespaced policy) by name. */
  group?: string;
  /** `serviceAccount`: the pods running as this ServiceAccount (ClusterNetworkPolicy only). */
  serviceAccount?: { namespace: string; name: string };
  /** `group`, `serviceAccount`, `nodeSelector`, `fqdn`, `service`: decided by objects or facts the
   * manifests may not hold (the field, and its value in words). */
  other?: { field: string; text: string };
  source?: SourceRef;
}

/** A `ports` entry of an Antrea-native rule. */
export interface AntreaPortInfo {
  protocol: Protocol;
  /** A number, a name, or undefined: every port of the protocol. */
  port?: number | string;
  endPort?: number;
  /** sourcePort / sourceEndPort set: the client's ephemeral port, which cannot be decided. */
  sourcePort?: boolean;
}

export interface AntreaRuleInfo {
  name?: string;
  /** As written: Allow, Drop, Reject, Pass (anything else is rejected by the API). */
  action: string;
  /** from / to; empty (and no toServices): every peer. */
  peers: AntreaPeerInfo[];
  /** egress toServices, as `ns/name`: traffic to those Services' cluster IPs. */
  toServices?: string[];
  /** appliedTo of the rule (then the policy has none). */
  appliedTo?: AntreaPeerInfo[];
  /** undefined: every port and protocol (unless `protocols` is set). */
  ports?: AntreaPortInfo[];
  /** `protocols` (ICMP, IGMP) without `ports`: no TCP/UDP/SCTP connection matches. */
  nonPortProtocolsOnly?: boolean;
  /** l7Protocols in words: conditions the connection must also meet. */
  l7?: string[];
  source?: SourceRef;
}

/** Antrea-native ClusterNetworkPolicy (ACNP) and NetworkPolicy (ANNP), crd.antrea.io. */
export interface AntreaPolicyInfo {
  kind: 'ClusterNetworkPolicy' | 'NetworkPolicy';
  apiVersion: string;
  /** The NetworkPolicy's namespace; undefined for the cluster-wide kind. */
  namespace?: string;
  name: string;
  /** spec.tier as written (default `application`). */
  tier: string;
  /** 1.0-10000.0, lower first. */
  priority?: number;
  appliedTo?: AntreaPeerInfo[];
  ingress: AntreaRuleInfo[];
  egress: AntreaRuleInfo[];
  source?: SourceRef;
}

/** An Antrea ClusterGroup (cluster-scoped) or Group (namespaced): a named set of pods, addresses or
 * other groups that policies name in appliedTo and peers. At most one kind of member is set. */
export interface AntreaGroupInfo {
  kind: 'ClusterGroup' | 'Group';
  namespace?: string;
  name: string;
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlocks?: { cidr: string; except: string[] }[];
  /** `ns/name` of a Service: the pods its selector matches. */
  serviceReference?: string;
  childGroups?: string[];
  nodeSelector?: boolean;
  source?: SourceRef;
}

/** An Antrea Tier (crd.antrea.io): its priority orders the policies of the tier among the others. */
export interface AntreaTierInfo {
  name: string;
  priority?: number;
  source?: SourceRef;
}

/** Resources of a network plugin found in the workspace (its DaemonSet, config, CRD objects). */
export interface CniHint {
  cni: string;
  evidence: string;
}
