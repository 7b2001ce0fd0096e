// Field notes (see field-notes.ts) for Service and its ports.

import type { FieldNote } from './field-notes-type';

export const SERVICE_FIELD_NOTES: Record<string, FieldNote> = {
  // ---------------------------------------------------------------------------------------
  // Service
  // ---------------------------------------------------------------------------------------
  'ServiceSpec.type': {
    note: '`ClusterIP` is reachable only inside the cluster; `NodePort` also opens a port on every node; `LoadBalancer` also asks the cloud (or a bare-metal implementation) for an external load balancer; `ExternalName` is just a DNS alias with no proxying.',
    default: '`ClusterIP`',
  },
  'ServiceSpec.selector': {
    note: "Pods whose labels contain all of these pairs become the endpoints. Match the Pod template's labels, not the Deployment's own `metadata.labels`; a mismatch leaves the Service with no endpoints. Only plain equality is supported here, no `matchExpressions`.",
    default: 'none: no endpoints are managed for you (supply EndpointSlices yourself)',
  },
  'ServiceSpec.ports': {
    note: 'The ports the Service exposes and where each one forwards to. When there is more than one entry, every entry needs a unique `name`.',
  },
  'ServiceSpec.clusterIP': {
    note: 'Normally left out so the cluster picks a free address. `None` makes a headless Service: DNS returns the Pod IPs directly and there is no load balancing or port remapping. It cannot be changed later.',
    default: 'allocated automatically from the Service CIDR',
  },
  'ServiceSpec.clusterIPs': {
    note: 'The cluster IPs of a dual-stack Service, one per IP family; the first must equal `clusterIP`. Rarely written by hand.',
    default: 'allocated automatically according to `ipFamilies`',
  },
  'ServiceSpec.externalIPs': {
    note: 'Extra addresses at which nodes accept traffic for this Service. Kubernetes neither owns nor routes these IPs, and anyone allowed to create Services can use them to intercept traffic, so many clusters block the field with an admission policy.',
    default: 'none',
  },
  'ServiceSpec.externalName': {
    note: 'For `type: ExternalName`: cluster DNS answers with a CNAME to this hostname. Give a DNS name, not an IP, and remember no proxying happens, so HTTP `Host` and TLS SNI still carry the original Service name.',
  },
  'ServiceSpec.externalTrafficPolicy': {
    note: '`Local` keeps the client source IP and skips the extra hop, but nodes without a ready local Pod drop the traffic, so the load balancer must health-check the nodes. Only meaningful for `NodePort` and `LoadBalancer`.',
    default: '`Cluster`',
  },
  'ServiceSpec.internalTrafficPolicy': {
    note: '`Local` sends in-cluster traffic only to endpoints on the same node as the client; if that node has none, the connection is dropped rather than sent elsewhere.',
    default: '`Cluster`',
  },
  'ServiceSpec.sessionAffinity': {
    note: '`ClientIP` pins each client IP to one backend Pod. Behind NAT or a proxy many clients share one IP, so the load can end up very uneven.',
    default: '`None`',
  },
  'ServiceSpec.sessionAffinityConfig': {
    note: 'Tuning for `sessionAffinity: ClientIP`, currently only `clientIP.timeoutSeconds`.',
    default: 'sticky for 10800 seconds (3 hours) when `ClientIP` affinity is on',
  },
  'SessionAffinityConfig.clientIP': {
    note: 'Settings for client-IP stickiness; only used when `sessionAffinity` is `ClientIP`.',
  },
  'ClientIPConfig.timeoutSeconds': {
    note: 'How long a client stays pinned to the same Pod after its last connection, from 1 to 86400 seconds.',
    default: '10800 (3 hours)',
  },
  'ServiceSpec.loadBalancerIP': {
    note: "Deprecated since 1.24: whether it is honoured depends on the provider, and it cannot express dual-stack. Use the provider's own annotation for a fixed address instead.",
    default: 'an address picked by the load balancer implementation',
  },
  'ServiceSpec.loadBalancerSourceRanges': {
    note: 'CIDRs allowed to reach a `LoadBalancer` Service, for example `203.0.113.0/24`. It is enforced by the cloud provider or kube-proxy and is silently ignored where unsupported.',
    default: 'open to all sources',
  },
  'ServiceSpec.loadBalancerClass': {
    note: 'Chooses a non-default load balancer implementation by a prefixed name such as `example.com/internal-vip`; the built-in cloud controller then leaves the Service alone. Only for `type: LoadBalancer`, and it cannot be changed afterwards.',
    default: "the cluster's default load balancer implementation",
  },
  'ServiceSpec.publishNotReadyAddresses': {
    note: 'When `true`, Pods are published in DNS and endpoints before they are ready. Meant for headless Services that let StatefulSet members find each other during start-up, not for normal client traffic.',
    default: '`false`',
  },
  'ServiceSpec.ipFamilies': {
    note: '`IPv4`, `IPv6` or both, in order of preference; the first is the primary family. Listing two families also needs an `ipFamilyPolicy` that allows dual-stack.',
    default: "chosen from the cluster's configuration and `ipFamilyPolicy`",
  },
  'ServiceSpec.ipFamilyPolicy': {
    note: '`PreferDualStack` takes two families when the cluster offers them; `RequireDualStack` fails on a single-stack cluster.',
    default: '`SingleStack`',
  },
  'ServiceSpec.allocateLoadBalancerNodePorts': {
    note: 'Set to `false` only when the load balancer sends traffic straight to Pod IPs; otherwise it needs the node ports. Only for `type: LoadBalancer`.',
    default: '`true`',
  },
  'ServiceSpec.healthCheckNodePort': {
    note: 'Node port the load balancer probes to learn which nodes have local endpoints. Only used with `type: LoadBalancer` and `externalTrafficPolicy: Local`; normally left to be allocated.',
    default: 'allocated automatically when applicable',
  },
  'ServiceSpec.trafficDistribution': {
    note: "A routing preference, not a guarantee. `PreferClose` favours endpoints in the client's zone; newer releases add `PreferSameZone` (the same behaviour under a clearer name) and `PreferSameNode`. The field first appeared in 1.30, so older clusters drop or reject it.",
    default: "none: the proxy's usual cluster-wide spreading",
  },

  // ServicePort
  'ServicePort.name': {
    note: 'Required once the Service has more than one port. A lowercase DNS label such as `http` or `metrics`; Ingress `service.port.name` and EndpointSlices refer to it.',
  },
  'ServicePort.protocol': {
    note: '`TCP`, `UDP` or `SCTP`. A service that speaks both TCP and UDP on one port (DNS, for instance) needs two entries.',
    default: '`TCP`',
  },
  'ServicePort.port': {
    note: 'The port clients connect to on the Service IP or DNS name, and the number an Ingress `service.port.number` must use. It does not have to equal the container port.',
  },
  'ServicePort.targetPort': {
    note: 'The container port traffic is forwarded to, as a number or the `name` of a container port. The common slip is repeating the Service port here when the app listens elsewhere; naming the port avoids that drift.',
    default: 'the same value as `port`',
  },
  'ServicePort.nodePort': {
    note: 'For `NodePort` and `LoadBalancer` Services: the port opened on every node, normally in 30000-32767. Leave it out unless you need a fixed one; picking a port that is already taken fails.',
    default: 'allocated automatically from the node-port range',
  },
  'ServicePort.appProtocol': {
    note: 'A hint about the application protocol, such as `http`, `https`, `kubernetes.io/h2c` or `kubernetes.io/ws`. Some Ingress controllers, meshes and load balancers act on it; plain kube-proxy does not.',
  },
};
