// The engine's input: plain values describing the resources of a workspace (or of the files given to
// the CLI). Built by model/cluster.ts from parsed YAML; the engine never sees YAML or editor types.

import type { LabelSelector, Labels } from './selector';
import type {
  BackendTlsPolicyInfo,
  ConfigMapInfo,
  GatewayClassInfo,
  GatewayInfo,
  ListenerSetInfo,
  ReferenceGrantInfo,
  RouteInfo,
} from './gateway/types';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export type { SourceRef, ResourceId } from './ids';
import type { SourceRef, ResourceId } from './ids';

export interface NamespaceInfo {
  name: string;
  /** Labels as written plus the implied `kubernetes.io/metadata.name`. */
  labels: Labels;
  /** True when no Namespace manifest defines it (resources use it; it has only the implied label). */
  implied?: boolean;
  source?: SourceRef;
}

export interface ContainerPortInfo {
  name?: string;
  containerPort: number;
  protocol: Protocol;
  source?: SourceRef;
}

export interface ContainerInfo {
  name: string;
  ports: ContainerPortInfo[];
}

/** A Pod or a controller of pods (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, ReplicationController). */
export interface WorkloadInfo {
  id: ResourceId;
  /** Labels of the pods it runs (the pod template's labels; a Pod's own labels). */
  podLabels: Labels;
  containers: ContainerInfo[];
  /** Replica count where the kind has one (Deployment, StatefulSet, ReplicaSet); undefined otherwise. */
  replicas?: number;
  /** For Pods: status.podIPs / status.podIP when written. */
  podIPs: string[];
  source?: SourceRef;
  /** Span of the pod labels map, for navigation. */
  labelsSource?: SourceRef;
}

export interface ServicePortInfo {
  name?: string;
  port: number;
  /** Number or name; defaults to `port` when omitted. */
  targetPort: number | string;
  protocol: Protocol;
  nodePort?: number;
  source?: SourceRef;
  /** The targetPort value, or the port value when targetPort is left out. */
  targetPortSource?: SourceRef;
}

export interface ServiceInfo {
  id: ResourceId;
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName' | string;
  /** undefined: no selector (endpoints managed elsewhere). */
  selector?: Labels;
  ports: ServicePortInfo[];
  clusterIP?: string;
  externalIPs: string[];
  externalName?: string;
  source?: SourceRef;
  /** The `selector` key, when the selector lists labels. */
  selectorSource?: SourceRef;
  /** Each `key: value` of the selector, by key (a finding about one label points at it). */
  selectorLabelSources?: Record<string, SourceRef>;
}

export type BackendInfo =
  | {
      kind: 'service';
      service: string;
      port?: number | string;
      source?: SourceRef;
      serviceSource?: SourceRef;
      portSource?: SourceRef;
      /** An AWS Load Balancer Controller action, not a Service: port name `use-annotation` with an
       * `alb.ingress.kubernetes.io/actions.<service>` annotation on the Ingress (forward, redirect or
       * fixed-response, as that annotation's JSON says). */
      action?: BackendAction;
    }
  | {
      kind: 'resource';
      apiGroup?: string;
      resourceKind: string;
      name: string;
      source?: SourceRef;
      /** A Service named next to the resource (invalid: a backend takes one of them): still checked. */
      service?: string;
      port?: number | string;
      serviceSource?: SourceRef;
      portSource?: SourceRef;
    };

export interface BackendAction {
  /** The annotation that defines it. */
  annotation: string;
  /** Its `type` (forward, redirect, fixed-response), when the annotation's JSON says. */
  type?: string;
}

export interface IngressPathInfo {
  path?: string;
  /** As written; legacy Ingresses without one get ImplementationSpecific. */
  pathType: 'Exact' | 'Prefix' | 'ImplementationSpecific' | string;
  backend?: BackendInfo;
  source?: SourceRef;
}

export interface IngressRuleInfo {
  host?: string;
  paths: IngressPathInfo[];
  source?: SourceRef;
}

export interface IngressTlsInfo {
  hosts: string[];
  secretName?: string;
  source?: SourceRef;
  secretNameSource?: SourceRef;
}

export interface IngressInfo {
  id: ResourceId;
  apiVersion: string;
  /** spec.ingressClassName, else the deprecated kubernetes.io/ingress.class annotation. */
  className?: string;
  /** spec.ingressClassName alone (engine/controller.ts tells the two apart: GKE reads only the annotation). */
  ingressClassName?: string;
  /** metadata.annotations with scalar values as text (controller decision, controller meanings). */
  annotations?: Record<string, string>;
  rules: IngressRuleInfo[];
  defaultBackend?: BackendInfo;
  tls: IngressTlsInfo[];
  source?: SourceRef;
  /** True when metadata.namespace is written (false: the namespace kubectl applies it to). */
  namespaceSet?: boolean;
  /** A cert-manager issuer annotation: cert-manager creates the Secrets of its tls entries. */
  certManager?: { annotation: string; issuer: string };
}

export interface IngressClassInfo {
  name: string;
  controller?: string;
  isDefault: boolean;
  source?: SourceRef;
}

export interface SecretInfo {
  id: ResourceId;
  type: string;
  /** Key names present in data or stringData (never the values). */
  keys: string[];
  source?: SourceRef;
  /** The `type` value when it is a plain value. */
  typeSource?: SourceRef;
}

/** A cert-manager Certificate: it creates (and renews) the Secret it names. */
export interface CertificateInfo {
  namespace: string;
  name: string;
  secretName: string;
}

export interface PolicyPortInfo {
  protocol: Protocol;
  /** undefined: all ports of the protocol. */
  port?: number | string;
  endPort?: number;
}

export interface PolicyPeerInfo {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except: string[] };
  source?: SourceRef;
}

export interface PolicyRuleInfo {
  /** undefined or empty (`from: []` / omitted): every peer, as Kubernetes defines it. */
  peers?: PolicyPeerInfo[];
  /** undefined or empty: all ports. */
  ports?: PolicyPortInfo[];
  source?: SourceRef;
}

export interface PolicyInfo {
  id: ResourceId;
  podSelector: LabelSelector;
  /** Effective policy types (after the defaulting rules when omitted). */
  policyTypes: ('Ingress' | 'Egress')[];
  policyTypesExplicit: boolean;
  ingress: PolicyRuleInfo[];
  egress: PolicyRuleInfo[];
  source?: SourceRef;
}

export interface Cluster {
  namespaces: NamespaceInfo[];
  workloads: WorkloadInfo[];
  services: ServiceInfo[];
  ingresses: IngressInfo[];
  ingressClasses: IngressClassInfo[];
  secrets: SecretInfo[];
  policies: PolicyInfo[];
  /** cert-manager Certificates (optional: only TLS Secret checks read them). */
  certificates?: CertificateInfo[];
  /** ClusterNetworkPolicy (v1alpha2), AdminNetworkPolicy and BaselineAdminNetworkPolicy (v1alpha1). */
  adminPolicies?: AdminPolicyInfo[];
  /** CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy (one entry per spec). */
  ciliumPolicies?: CiliumPolicyInfo[];
  /** Calico projectcalico.org/v3 NetworkPolicy and GlobalNetworkPolicy. */
  calicoPolicies?: CalicoPolicyInfo[];
  calicoTiers?: CalicoTierInfo[];
  /** Network plugin resources the workspace holds (for --cni auto). */
  cniHints?: CniHint[];
  /** Gateway API resources (engine/gateway/types.ts); optional: hand-built clusters may leave them out. */
  gatewayClasses?: GatewayClassInfo[];
  gateways?: GatewayInfo[];
  listenerSets?: ListenerSetInfo[];
  /** HTTPRoute, GRPCRoute, TLSRoute, TCPRoute and UDPRoute objects. */
  gatewayRoutes?: RouteInfo[];
  referenceGrants?: ReferenceGrantInfo[];
  backendTlsPolicies?: BackendTlsPolicyInfo[];
  /** ConfigMaps (the CA bundles BackendTLSPolicies name). */
  configMaps?: ConfigMapInfo[];
}

export function idText(id: ResourceId): string {
  return `${id.namespace}/${id.name}`;
}

// ---------------------------------------------------------------------------------------------------
// Policy kinds beyond networking.k8s.io/v1 NetworkPolicy: admin tiers, Cilium, Calico

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
  /** serviceAccounts / services: decided by objects the manifests may not hold. */
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

/** Resources of a network plugin found in the workspace (its DaemonSet, config, CRD objects). */
export interface CniHint {
  cni: string;
  evidence: string;
}
