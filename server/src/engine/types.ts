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

export type { Protocol, SourceRef, ResourceId } from './ids';
import type { Protocol, SourceRef, ResourceId } from './ids';

export type * from './types-policy';
import type {
  AdminPolicyInfo,
  AntreaGroupInfo,
  AntreaPolicyInfo,
  AntreaTierInfo,
  CalicoNetworkSetInfo,
  CalicoPolicyInfo,
  CalicoTierInfo,
  CiliumPolicyInfo,
  CniHint,
  UnevaluatedPolicyInfo,
} from './types-policy';

export interface NamespaceInfo {
  name: string;
  /** Labels as written plus the implied `kubernetes.io/metadata.name`. */
  labels: Labels;
  /** True when no Namespace manifest defines it (resources use it; it has only the implied label). */
  implied?: boolean;
  source?: SourceRef;
}

/** A ServiceAccount of the manifests (Calico matches its labels: serviceAccountSelector and the
 * serviceAccounts of a rule). */
export interface ServiceAccountInfo {
  namespace: string;
  name: string;
  /** Labels as written. */
  labels: Labels;
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
  /** Secrets its pods mount (secret volumes and projected secret sources), by name. */
  secretVolumes?: string[];
  /** The pods' ServiceAccount when written (spec.serviceAccountName, or the deprecated
   * spec.serviceAccount); undefined: `default`. */
  serviceAccount?: string;
  /** spec.hostNetwork: the pods use their node's network, so their address is the node's. */
  hostNetwork?: boolean;
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
  /** Where each of `hosts` is written (same order). */
  hostSources?: (SourceRef | undefined)[];
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
  /** The names of the leaf certificate in tls.crt, when it holds a readable one (a BackendTLSPolicy
   * checks them against its hostname or subjectAltNames when the Service's pods serve it). */
  certificate?: {
    dnsNames: string[];
    ipAddresses: string[];
    uris: string[];
    /** The leaf's subject and issuer ("CN=backend, O=Shop"), for messages. */
    subject: string;
    issuer: string;
    selfSigned: boolean;
    /** The PEM certificates of tls.crt, leaf first (a CA bundle checks the chain they form). */
    chain: string[];
  };
  /** SHA-256 fingerprint of the leaf certificate in tls.crt, when it holds one that parses. */
  certificateFingerprint?: string;
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
  /** The network plugin enforces this entry otherwise than written (engine/cni-view.ts): why. */
  pluginNote?: string;
  /** The plugin matches no traffic with this entry (SCTP where it lacks SCTP). */
  inert?: boolean;
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
  /** Calico NetworkSet and GlobalNetworkSet: labelled address blocks that Calico rule selectors match. */
  calicoNetworkSets?: CalicoNetworkSetInfo[];
  /** Policies of a plugin's own API that are recognised but not evaluated. */
  unevaluatedPolicies?: UnevaluatedPolicyInfo[];
  /** Antrea-native ClusterNetworkPolicy and NetworkPolicy (crd.antrea.io), and Antrea's Tiers. */
  antreaPolicies?: AntreaPolicyInfo[];
  antreaTiers?: AntreaTierInfo[];
  /** Antrea ClusterGroups and Groups (crd.antrea.io). */
  antreaGroups?: AntreaGroupInfo[];
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
  /** ServiceAccounts (optional: only Calico's service account matches read them). */
  serviceAccounts?: ServiceAccountInfo[];
  /** One object shared by the clusters of one workspace from revision to revision: memos that compare
   * all their inputs themselves (the route graph's namespace slices) keep their values on it, so an
   * edit recomputes only what it touches. A cluster without one keeps such values on itself. */
  lineage?: object;
}

export function idText(id: ResourceId): string {
  return `${id.namespace}/${id.name}`;
}
