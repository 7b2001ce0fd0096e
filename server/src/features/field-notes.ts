// Hand-written field notes shown on hover next to the generated schema doc.
//
// The generated doc (from kubernetes-models) says what a field *is*; these notes say what it
// does for someone typing the YAML by hand, what Kubernetes fills in when it is left out, and
// the mistake people usually make with it. Keep each note to one to three short sentences
// (the content test caps them at 600 characters).

export type { FieldNote } from './field-notes-type';
import type { FieldNote } from './field-notes-type';
import { INGRESS_FIELD_NOTES } from './field-notes-ingress';
import { SERVICE_FIELD_NOTES } from './field-notes-service';

/** Keyed by "<TypeName>.<field>", TypeName being the Kubernetes API type's short name. */
export const FIELD_NOTES: Record<string, FieldNote> = {
  // ---------------------------------------------------------------------------------------
  // ObjectMeta
  // ---------------------------------------------------------------------------------------
  'ObjectMeta.name': {
    note: 'Unique per kind within a namespace and fixed once created: changing it in the file and re-applying makes a second object rather than renaming the first. Most kinds accept a lowercase DNS subdomain (letters, digits, `-`, `.`, up to 253 chars); Service and Namespace names are stricter, a DNS label of at most 63 chars with no dots, and a Service name must start with a letter.',
  },
  'ObjectMeta.namespace': {
    note: 'Everything an Ingress, Service or NetworkPolicy points at by name (backend Services, TLS Secrets, selected Pods) is looked up in this same namespace, so keep related objects together. Cluster-scoped kinds such as Namespace and IngressClass take no namespace.',
    default: 'the namespace of the current kubectl context (normally `default`)',
  },
  'ObjectMeta.labels': {
    note: 'Labels are what selectors match: Service `selector`, NetworkPolicy `podSelector`/`namespaceSelector` and workload `selector` all compare against them. Values are strings of at most 63 chars, so quote anything YAML would read as a number or boolean (`"true"`, `"2"`); keys may carry a DNS prefix such as `app.kubernetes.io/name`.',
  },
  'ObjectMeta.annotations': {
    note: 'Free-form string metadata that selectors ignore; Ingress controllers and cloud load balancers read much of their configuration from here. Every value must be a string, so quote `"true"`, `"false"` and numbers, and double-check the key: a misspelt annotation is silently ignored.',
  },
  'ObjectMeta.generateName': {
    note: 'A prefix to which the API server appends a random suffix, used only when `name` is empty. It works with `kubectl create` but not with `kubectl apply`, which needs a fixed `name` to find the object again.',
  },

  ...INGRESS_FIELD_NOTES,
  ...SERVICE_FIELD_NOTES,

  // ---------------------------------------------------------------------------------------
  // Secret
  // ---------------------------------------------------------------------------------------
  'Secret.type': {
    note: '`kubernetes.io/tls` is what Ingress TLS expects, and it requires the keys `tls.crt` and `tls.key`. The type cannot be changed after creation.',
    default: '`Opaque`',
  },
  'Secret.data': {
    note: 'Values must be base64 of the whole file, PEM header lines included. Pasting raw PEM here or encoding twice are the usual mistakes; `base64 -w0 < tls.crt` gives a single line.',
  },
  'Secret.stringData': {
    note: 'Plain-text convenience: the server encodes these values into `data` on write and they win over a `data` entry with the same key. The field is write-only, so it never shows up when you read the Secret back.',
  },
  'Secret.immutable': {
    note: 'Once `true`, the contents can no longer be edited and the flag cannot be switched off; rotating a certificate then means creating a new Secret.',
    default: '`false`',
  },

  // ---------------------------------------------------------------------------------------
  // NetworkPolicy
  // ---------------------------------------------------------------------------------------
  'NetworkPolicySpec.podSelector': {
    note: "The Pods this policy isolates, only ever in the policy's own namespace. `podSelector: {}` selects every Pod in the namespace, which is the basis of default-deny policies.",
    default: 'an empty selector: every Pod in the namespace',
  },
  'NetworkPolicySpec.policyTypes': {
    note: 'Which directions the policy isolates. Without it, a policy that only has `egress` rules still counts as an Ingress policy and blocks all inbound traffic to the selected Pods, so list the types explicitly.',
    default: 'inferred: `Ingress` always, plus `Egress` when an `egress` section is present',
  },
  'NetworkPolicySpec.ingress': {
    note: 'Allow rules for inbound traffic, combined with OR; there are no deny rules. Omitted or `[]` (with `Ingress` among the policy types) admits nothing, while `[{}]` admits everything.',
    default: 'none: all inbound traffic to the selected Pods is denied',
  },
  'NetworkPolicySpec.egress': {
    note: 'Allow rules for outbound traffic, combined with OR. Once Egress is isolated, DNS lookups are blocked too unless a rule allows port 53 (UDP and TCP) to the cluster DNS Pods.',
    default: 'none: all outbound traffic is denied when `Egress` is among the policy types',
  },
  'NetworkPolicyIngressRule.from': {
    note: 'Allowed sources, combined with OR. Omitting `from` or writing `from: []` allows every source (only `ports` then restricts); `from: [{}]` is rejected by the API server because each peer must name a selector or an ipBlock.',
    default: 'any source',
  },
  'NetworkPolicyIngressRule.ports': {
    note: 'Destination ports on the selected Pods. Traffic must match both `from` and `ports` of the same rule; use the container port, not the Service port.',
    default: 'all ports',
  },
  'NetworkPolicyEgressRule.to': {
    note: 'Allowed destinations, combined with OR. Omitting `to` or writing `to: []` allows every destination (only `ports` then restricts); an empty peer `{}` is rejected.',
    default: 'any destination',
  },
  'NetworkPolicyEgressRule.ports': {
    note: 'Destination ports the selected Pods may connect to. Connections made through a Service are normally checked after the Service address is translated, so list the Pod port rather than the Service port.',
    default: 'all ports',
  },
  'NetworkPolicyPeer.podSelector': {
    note: "On its own it selects Pods in the policy's namespace. Placed in the same list item as a `namespaceSelector` the two are ANDed (these Pods in those namespaces); as separate `-` items they are ORed, and one stray dash turns a narrow rule into a wide one.",
  },
  'NetworkPolicyPeer.namespaceSelector': {
    note: 'On its own it selects every Pod in the matching namespaces; `{}` means all namespaces. To pick one namespace by name, match the automatic label `kubernetes.io/metadata.name: <namespace>`.',
  },
  'NetworkPolicyPeer.ipBlock': {
    note: 'A CIDR range, meant for traffic from or to outside the cluster; it cannot be combined with a selector in the same peer. Pod IPs change, and load balancers or NAT may rewrite source addresses, so do not use it to select Pods.',
  },
  'NetworkPolicyPort.protocol': {
    note: '`TCP`, `UDP` or `SCTP`; DNS needs separate `UDP` and `TCP` entries for port 53.',
    default: '`TCP`',
  },
  'NetworkPolicyPort.port': {
    note: 'A port number or a named container port (resolved on the destination Pod). It refers to the Pod port, not the Service port.',
    default: 'all ports of the given protocol',
  },
  'NetworkPolicyPort.endPort': {
    note: 'Turns `port` into a range from `port` to `endPort` inclusive; `port` must then be a number and not greater than `endPort`. Stable since 1.25, but a network plugin that does not support it ignores the range.',
    default: 'none: a single port',
  },
  'IPBlock.cidr': {
    note: 'A range in CIDR notation such as `10.0.0.0/16` or `2001:db8::/64`; a single address needs `/32` (IPv4) or `/128` (IPv6).',
  },
  'IPBlock.except': {
    note: 'Sub-ranges carved out of `cidr`; each must lie inside it. Commonly used to allow the internet while excluding private ranges.',
    default: 'none',
  },

  // ---------------------------------------------------------------------------------------
  // Label selectors
  // ---------------------------------------------------------------------------------------
  'LabelSelector.matchLabels': {
    note: 'Exact key/value pairs, all of which must be present (AND). A selector with neither `matchLabels` nor `matchExpressions`, i.e. `{}`, matches everything.',
  },
  'LabelSelector.matchExpressions': {
    note: 'Set-based conditions, ANDed with each other and with `matchLabels`. Handy for `NotIn` or `Exists`, which plain label pairs cannot express.',
  },
  'LabelSelectorRequirement.key': {
    note: 'The label key to test, including any prefix such as `app.kubernetes.io/name`.',
  },
  'LabelSelectorRequirement.operator': {
    note: 'One of `In`, `NotIn`, `Exists`, `DoesNotExist` (case-sensitive). `NotIn` and `DoesNotExist` also match objects that lack the label entirely.',
  },
  'LabelSelectorRequirement.values': {
    note: 'Must be non-empty for `In` and `NotIn` and absent or empty for `Exists` and `DoesNotExist`. Values are strings, so quote numbers.',
  },

  // ---------------------------------------------------------------------------------------
  // Workloads
  // ---------------------------------------------------------------------------------------
  'Container.name': {
    note: 'A DNS label, unique within the Pod. It is what `kubectl logs -c` and `kubectl exec -c` refer to.',
  },
  'Container.image': {
    note: 'Registry, repository and tag or digest, such as `nginx:1.27`. Leaving out the tag means `:latest`, which also switches the default pull policy to `Always`; pin a tag for reproducible rollouts.',
  },
  'Container.ports': {
    note: 'Mostly informational: listing a port neither opens nor publishes it, and a port left out is still reachable. It matters because the `name`s defined here are what Service `targetPort` and NetworkPolicy named ports resolve against.',
  },
  'ContainerPort.containerPort': {
    note: 'The port the process actually listens on inside the Pod; a Service `targetPort` should point here. Binding the app to 127.0.0.1 makes it unreachable whatever this says.',
  },
  'ContainerPort.name': {
    note: 'Lets a Service `targetPort` or a NetworkPolicy port refer to this port by name. At most 15 chars of lowercase letters, digits and `-`, containing at least one letter, and unique within the Pod.',
  },
  'ContainerPort.protocol': {
    note: '`TCP`, `UDP` or `SCTP`.',
    default: '`TCP`',
  },
  'ContainerPort.hostPort': {
    note: "Also publishes the port on the node's IP, which allows only one such Pod per node and port and ties the Pod to certain nodes. Usually a NodePort or LoadBalancer Service is the better choice; with `hostNetwork: true` it must equal `containerPort`.",
    default: 'not published on the node',
  },
  'ContainerPort.hostIP': {
    note: 'Which node address a `hostPort` binds to; only useful together with `hostPort`.',
    default: 'all node addresses',
  },
  'PodSpec.containers': {
    note: 'At least one container is required, each with a unique `name`. All containers of a Pod share one network namespace, so two of them cannot listen on the same port.',
  },
  'PodSpec.hostNetwork': {
    note: "Runs the Pod in the node's network namespace: it listens directly on node IPs, can collide with other host ports, and most network plugins cannot apply NetworkPolicy to it. Pair it with `dnsPolicy: ClusterFirstWithHostNet` to keep cluster DNS names working.",
    default: '`false`',
  },
  'PodTemplateSpec.metadata': {
    note: "Its `labels` are what the Pods actually carry: Services and NetworkPolicies select them, and they must satisfy the workload's own `selector`.",
  },
  'PodTemplateSpec.spec': {
    note: 'The Pod specification every replica is created from; changing it triggers a rollout.',
  },
  'DeploymentSpec.selector': {
    note: 'Must match the labels in `template.metadata.labels`, and cannot be changed after creation in `apps/v1`: changing it later means deleting and recreating the Deployment. Keep it to a few stable labels, not a version label.',
  },
  'DeploymentSpec.template': {
    note: 'The Pod template; its labels must satisfy `selector` and are what Services select. Any change here starts a new rollout.',
  },
  'DeploymentSpec.replicas': {
    note: 'Number of Pods to keep running. Leave it out when a HorizontalPodAutoscaler manages the Deployment, otherwise every apply resets the scale.',
    default: '1',
  },
  'StatefulSetSpec.serviceName': {
    note: 'The headless Service (`clusterIP: None`) that gives each Pod a stable DNS name of the form `<pod>.<service>.<namespace>.svc`. You create that Service yourself, in the same namespace, with a selector matching the Pods.',
  },
  'StatefulSetSpec.selector': {
    note: 'Must match `template.metadata.labels` and cannot be changed after creation.',
  },
  'StatefulSetSpec.template': {
    note: "The Pod template for every member; its labels must satisfy `selector` and the headless Service's selector.",
  },
  'StatefulSetSpec.replicas': {
    note: 'Number of members, named `<name>-0` upward and by default started one at a time in order.',
    default: '1',
  },
  'NamespaceSpec.finalizers': {
    note: 'Cleanup hooks that must finish before the namespace disappears; there is normally no reason to write this by hand. A namespace stuck in `Terminating` usually has a finalizer whose controller is gone.',
    default: '`kubernetes`, added by the API server',
  },
};

// The beta Ingress shapes (`legacy.*` in the schema) share most fields with networking.k8s.io/v1;
// reuse the v1 notes for those so hover works the same on old manifests.
for (const [legacyKey, v1Key] of [
  ['legacy.IngressSpec.ingressClassName', 'IngressSpec.ingressClassName'],
  ['legacy.IngressSpec.tls', 'IngressSpec.tls'],
  ['legacy.IngressRule.host', 'IngressRule.host'],
  ['legacy.IngressRule.http', 'IngressRule.http'],
  ['legacy.HTTPIngressRuleValue.paths', 'HTTPIngressRuleValue.paths'],
  ['legacy.HTTPIngressPath.path', 'HTTPIngressPath.path'],
  ['legacy.IngressBackend.resource', 'IngressBackend.resource'],
] as const) {
  FIELD_NOTES[legacyKey] ??= FIELD_NOTES[v1Key];
}

/** Reference page per kind, e.g. Ingress -> https://kubernetes.io/docs/reference/kubernetes-api/service-resources/ingress-v1/ */
export const KIND_REFERENCE: Record<string, string> = {
  Ingress: 'https://kubernetes.io/docs/reference/kubernetes-api/service-resources/ingress-v1/',
  IngressClass: 'https://kubernetes.io/docs/reference/kubernetes-api/service-resources/ingress-class-v1/',
  Service: 'https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/',
  EndpointSlice: 'https://kubernetes.io/docs/reference/kubernetes-api/service-resources/endpoint-slice-v1/',
  Endpoints: 'https://kubernetes.io/docs/reference/kubernetes-api/service-resources/endpoints-v1/',
  Secret: 'https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/secret-v1/',
  NetworkPolicy: 'https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/',
  PodDisruptionBudget:
    'https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/pod-disruption-budget-v1/',
  Namespace: 'https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/namespace-v1/',
  Pod: 'https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/',
  Deployment: 'https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/deployment-v1/',
  StatefulSet: 'https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/stateful-set-v1/',
  DaemonSet: 'https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/daemon-set-v1/',
  ReplicaSet: 'https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/replica-set-v1/',
  Job: 'https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/job-v1/',
  CronJob: 'https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/cron-job-v1/',
  // kinds of the deprecation guide (api-removed), served today
  HorizontalPodAutoscaler:
    'https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/horizontal-pod-autoscaler-v2/',
  PriorityClass: 'https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/priority-class-v1/',
  Event: 'https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/event-v1/',
  RuntimeClass: 'https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/runtime-class-v1/',
  FlowSchema: 'https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/flow-schema-v1/',
  PriorityLevelConfiguration:
    'https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/priority-level-configuration-v1/',
  Lease: 'https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/lease-v1/',
  APIService: 'https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/api-service-v1/',
  CSIStorageCapacity:
    'https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/csi-storage-capacity-v1/',
  CSIDriver:
    'https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/csi-driver-v1/',
  CSINode: 'https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/csi-node-v1/',
  StorageClass:
    'https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/storage-class-v1/',
  VolumeAttachment:
    'https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/volume-attachment-v1/',
  ClusterRole: 'https://kubernetes.io/docs/reference/kubernetes-api/authorization-resources/cluster-role-v1/',
  ClusterRoleBinding:
    'https://kubernetes.io/docs/reference/kubernetes-api/authorization-resources/cluster-role-binding-v1/',
  Role: 'https://kubernetes.io/docs/reference/kubernetes-api/authorization-resources/role-v1/',
  RoleBinding: 'https://kubernetes.io/docs/reference/kubernetes-api/authorization-resources/role-binding-v1/',
  CertificateSigningRequest:
    'https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/certificate-signing-request-v1/',
  CustomResourceDefinition:
    'https://kubernetes.io/docs/reference/kubernetes-api/extend-resources/custom-resource-definition-v1/',
  MutatingWebhookConfiguration:
    'https://kubernetes.io/docs/reference/kubernetes-api/extend-resources/mutating-webhook-configuration-v1/',
  ValidatingWebhookConfiguration:
    'https://kubernetes.io/docs/reference/kubernetes-api/extend-resources/validating-webhook-configuration-v1/',
};
