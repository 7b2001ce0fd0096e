// Whole-resource snippets offered by completion on an empty document (or after `---`).
//
// Conventions: two-space indentation, sequences written flush with their key
// (`rules:\n- host: ...`), LSP snippet syntax with ${n:default} tab stops and a final $0.
// A tab stop number used twice is mirrored by the editor (e.g. the TLS host and the rule host).
// Every body is a complete manifest once the defaults are accepted (see test/content.test.ts).

import { GATEWAY_SNIPPETS } from './snippets-gateway';

export interface ResourceSnippet {
  label: string;
  /** shown in the completion list */
  detail: string;
  /** markdown */
  documentation: string;
  /** LSP snippet syntax with ${1:placeholder} tab stops and $0 */
  body: string;
}

const lines = (...l: string[]): string => l.join('\n');

// (the Gateway API snippets live in snippets-gateway.ts and are appended at the end)

export const RESOURCE_SNIPPETS: ResourceSnippet[] = [
  // -------------------------------------------------------------------------------------------
  // Ingress
  // -------------------------------------------------------------------------------------------
  {
    label: 'Ingress: single service',
    detail: 'networking.k8s.io/v1 Ingress sending all traffic to one Service',
    documentation: [
      'An Ingress with no rules, only a `defaultBackend`: every request, whatever its host or path, goes to one Service.',
      '',
      '`port.number` is the Service `port`, not the container port. Delete `ingressClassName` to use the cluster default class.',
    ].join('\n'),
    body: lines(
      'apiVersion: networking.k8s.io/v1',
      'kind: Ingress',
      'metadata:',
      '  name: ${1:my-ingress}',
      'spec:',
      '  ingressClassName: ${2:nginx}',
      '  defaultBackend:',
      '    service:',
      '      name: ${3:my-service}',
      '      port:',
      '        number: ${4:80}$0',
    ),
  },
  {
    label: 'Ingress: simple fanout',
    detail: 'networking.k8s.io/v1 Ingress routing two paths of one host to two Services',
    documentation: [
      'One host, two path prefixes, each sent to its own Service, e.g. `/api` to the API and `/web` to the front end.',
      '',
      'With `pathType: Prefix`, `/api` matches `/api` and `/api/users` but not `/apiv2`. The backend application receives the full original path.',
    ].join('\n'),
    body: lines(
      'apiVersion: networking.k8s.io/v1',
      'kind: Ingress',
      'metadata:',
      '  name: ${1:fanout-ingress}',
      'spec:',
      '  ingressClassName: ${2:nginx}',
      '  rules:',
      '  - host: ${3:example.com}',
      '    http:',
      '      paths:',
      '      - path: ${4:/api}',
      '        pathType: Prefix',
      '        backend:',
      '          service:',
      '            name: ${5:api-service}',
      '            port:',
      '              number: ${6:80}',
      '      - path: ${7:/web}',
      '        pathType: Prefix',
      '        backend:',
      '          service:',
      '            name: ${8:web-service}',
      '            port:',
      '              number: ${9:80}$0',
    ),
  },
  {
    label: 'Ingress: name-based virtual hosting',
    detail: 'networking.k8s.io/v1 Ingress routing two host names to two Services',
    documentation: [
      'Two host names served from the same load balancer address, each routed to its own Service by the HTTP `Host` header.',
      '',
      'Both names must resolve (DNS) to the Ingress controller. Requests for any other host fall through to the controller default backend.',
    ].join('\n'),
    body: lines(
      'apiVersion: networking.k8s.io/v1',
      'kind: Ingress',
      'metadata:',
      '  name: ${1:virtual-host-ingress}',
      'spec:',
      '  ingressClassName: ${2:nginx}',
      '  rules:',
      '  - host: ${3:foo.example.com}',
      '    http:',
      '      paths:',
      '      - path: /',
      '        pathType: Prefix',
      '        backend:',
      '          service:',
      '            name: ${4:foo-service}',
      '            port:',
      '              number: ${5:80}',
      '  - host: ${6:bar.example.com}',
      '    http:',
      '      paths:',
      '      - path: /',
      '        pathType: Prefix',
      '        backend:',
      '          service:',
      '            name: ${7:bar-service}',
      '            port:',
      '              number: ${8:80}$0',
    ),
  },
  {
    label: 'Ingress: TLS',
    detail: 'networking.k8s.io/v1 Ingress terminating HTTPS for one host',
    documentation: [
      'Terminates HTTPS for one host with the certificate stored in a `kubernetes.io/tls` Secret, then routes the host to a Service.',
      '',
      'The host is typed once and mirrored into both `tls.hosts` and the rule, because the two must match exactly. The Secret must live in the same namespace as the Ingress (see the `Secret: TLS` snippet).',
    ].join('\n'),
    body: lines(
      'apiVersion: networking.k8s.io/v1',
      'kind: Ingress',
      'metadata:',
      '  name: ${1:tls-ingress}',
      'spec:',
      '  ingressClassName: ${2:nginx}',
      '  tls:',
      '  - hosts:',
      '    - ${3:example.com}',
      '    secretName: ${4:example-tls}',
      '  rules:',
      '  - host: ${3:example.com}',
      '    http:',
      '      paths:',
      '      - path: ${5:/}',
      '        pathType: Prefix',
      '        backend:',
      '          service:',
      '            name: ${6:my-service}',
      '            port:',
      '              number: ${7:80}$0',
    ),
  },

  // -------------------------------------------------------------------------------------------
  // Service
  // -------------------------------------------------------------------------------------------
  {
    label: 'Service: ClusterIP',
    detail: 'v1 Service exposing Pods inside the cluster on a named port',
    documentation: [
      'A cluster-internal Service that load-balances across the Pods whose labels match `selector`.',
      '',
      '`selector` must match the Pod template labels of your workload. `port` is what clients (and Ingress backends) use; `targetPort` is where the container listens, given as a number or as the `name` of a container port.',
    ].join('\n'),
    body: lines(
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: ${1:my-service}',
      'spec:',
      '  type: ClusterIP',
      '  selector:',
      '    ${2:app}: ${3:my-app}',
      '  ports:',
      '  - name: ${4:http}',
      '    protocol: TCP',
      '    port: ${5:80}',
      '    targetPort: ${6:8080}$0',
    ),
  },

  // -------------------------------------------------------------------------------------------
  // Secret
  // -------------------------------------------------------------------------------------------
  {
    label: 'Secret: TLS',
    detail: 'v1 Secret of type kubernetes.io/tls for Ingress TLS',
    documentation: [
      'Holds a certificate and private key for Ingress TLS. Replace both placeholders with the base64 encoding of the PEM files (e.g. `base64 -w0 < tls.crt`), or let kubectl write the whole manifest:',
      '',
      '```sh',
      'kubectl create secret tls example-tls --cert=tls.crt --key=tls.key --dry-run=client -o yaml',
      '```',
      '',
      'Keep real private keys out of version control.',
    ].join('\n'),
    body: lines(
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: ${1:example-tls}',
      'type: kubernetes.io/tls',
      'data:',
      '  tls.crt: ${2:<base64 PEM certificate>}',
      '  tls.key: ${3:<base64 PEM private key>}$0',
    ),
  },

  // -------------------------------------------------------------------------------------------
  // NetworkPolicy
  // -------------------------------------------------------------------------------------------
  {
    label: 'NetworkPolicy: default-deny ingress',
    detail: 'networking.k8s.io/v1 NetworkPolicy blocking all inbound traffic in a namespace',
    documentation: [
      'Selects every Pod in the namespace (`podSelector: {}`) and allows no inbound traffic. Other policies can then open specific paths; allow rules add up across policies.',
      '',
      'Outbound traffic is untouched. Only enforced if the cluster network plugin supports NetworkPolicy.',
    ].join('\n'),
    body: lines(
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata:',
      '  name: ${1:default-deny-ingress}',
      '  namespace: ${2:my-namespace}',
      'spec:',
      '  podSelector: {}',
      '  policyTypes:',
      '  - Ingress$0',
    ),
  },
  {
    label: 'NetworkPolicy: default-deny egress',
    detail: 'networking.k8s.io/v1 NetworkPolicy blocking all outbound traffic in a namespace',
    documentation: [
      'Selects every Pod in the namespace and allows no outbound traffic, DNS included.',
      '',
      'Pair it with the `NetworkPolicy: allow DNS egress` snippet, or every name lookup in the namespace will time out.',
    ].join('\n'),
    body: lines(
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata:',
      '  name: ${1:default-deny-egress}',
      '  namespace: ${2:my-namespace}',
      'spec:',
      '  podSelector: {}',
      '  policyTypes:',
      '  - Egress$0',
    ),
  },
  {
    label: 'NetworkPolicy: allow from namespace',
    detail: 'networking.k8s.io/v1 NetworkPolicy admitting traffic from one other namespace',
    documentation: [
      'Lets every Pod of one namespace reach the selected Pods on one port. The namespace is picked through the `kubernetes.io/metadata.name` label, which Kubernetes sets on every namespace automatically.',
      '',
      'To admit only some Pods of that namespace, add a `podSelector` to the **same** list item as the `namespaceSelector` (AND); a separate `-` item would mean OR.',
    ].join('\n'),
    body: lines(
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata:',
      '  name: ${1:allow-from-namespace}',
      '  namespace: ${2:my-namespace}',
      'spec:',
      '  podSelector:',
      '    matchLabels:',
      '      ${3:app}: ${4:my-app}',
      '  policyTypes:',
      '  - Ingress',
      '  ingress:',
      '  - from:',
      '    - namespaceSelector:',
      '        matchLabels:',
      '          kubernetes.io/metadata.name: ${5:other-namespace}',
      '    ports:',
      '    - protocol: TCP',
      '      port: ${6:8080}$0',
    ),
  },
  {
    label: 'NetworkPolicy: allow DNS egress',
    detail: 'networking.k8s.io/v1 NetworkPolicy allowing lookups against cluster DNS',
    documentation: [
      'Lets every Pod in the namespace query the cluster DNS Pods (label `k8s-app: kube-dns`, used by both kube-dns and CoreDNS) in `kube-system` on port 53, over UDP and TCP.',
      '',
      'Namespace and Pod selector sit in one peer, so only DNS Pods inside `kube-system` match. Check the label on your DNS Pods if your distribution differs.',
    ].join('\n'),
    body: lines(
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata:',
      '  name: ${1:allow-dns-egress}',
      '  namespace: ${2:my-namespace}',
      'spec:',
      '  podSelector: {}',
      '  policyTypes:',
      '  - Egress',
      '  egress:',
      '  - to:',
      '    - namespaceSelector:',
      '        matchLabels:',
      '          kubernetes.io/metadata.name: kube-system',
      '      podSelector:',
      '        matchLabels:',
      '          k8s-app: kube-dns',
      '    ports:',
      '    - protocol: UDP',
      '      port: 53',
      '    - protocol: TCP',
      '      port: 53$0',
    ),
  },
  ...GATEWAY_SNIPPETS,
];
