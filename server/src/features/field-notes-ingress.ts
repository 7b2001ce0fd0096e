// Field notes (see field-notes.ts) for Ingress, its beta shapes and IngressClass.

import type { FieldNote } from './field-notes-type';

export const INGRESS_FIELD_NOTES: Record<string, FieldNote> = {
  // ---------------------------------------------------------------------------------------
  // Ingress (networking.k8s.io/v1)
  // ---------------------------------------------------------------------------------------
  'IngressSpec.ingressClassName': {
    note: 'Name of the IngressClass (and so the controller) that should serve this Ingress; it replaces the deprecated `kubernetes.io/ingress.class` annotation, and setting both is rejected. If it is missing and the cluster marks no default class, controllers may simply ignore the Ingress.',
    default:
      'the IngressClass annotated `ingressclass.kubernetes.io/is-default-class: "true"`, if the cluster has one; otherwise none',
  },
  'IngressSpec.defaultBackend': {
    note: 'Receives every request that matches no rule (unknown host or path). An Ingress needs either this or at least one rule; with no rules at all, all traffic goes here.',
    default: 'controller specific, usually a built-in 404 page',
  },
  'IngressSpec.rules': {
    note: 'Host-and-path routes, each pairing an optional `host` with HTTP paths. Most controllers merge the rules of every Ingress of the same class, so the same host and path claimed twice is a conflict; requests that match no rule fall through to `defaultBackend`.',
    default: 'none: everything goes to `defaultBackend`',
  },
  'IngressSpec.tls': {
    note: 'Turns on HTTPS (port 443) for the listed hosts using certificates from TLS Secrets. Listing a host here does not route it: it still needs a matching entry under `rules`, and the host strings must be identical in both places.',
    default: 'no TLS: plain HTTP only',
  },
  'IngressRule.host': {
    note: 'A DNS name without port or IP address. A leading wildcard such as `*.example.com` matches exactly one extra label (`api.example.com`, but neither `example.com` nor `a.b.example.com`).',
    default: 'all hosts (the rule applies to any Host header)',
  },
  'IngressRule.http': {
    note: 'Holds the `paths` list for this host. It is the only rule type today, so a rule with a host but no `http` routes nothing.',
  },
  'HTTPIngressRuleValue.paths': {
    note: 'Path routes for the rule, at least one. When several match a request the longest path wins, and an `Exact` match beats a `Prefix` match of the same length.',
  },
  'HTTPIngressPath.path': {
    note: 'Must begin with `/`. Regular expressions are not part of the API: they only work with `pathType: ImplementationSpecific` on controllers that support them (usually switched on by an annotation).',
    default:
      'none; required for `Exact` and `Prefix` (an empty path is only accepted with `ImplementationSpecific`, where the controller decides what it means)',
  },
  'HTTPIngressPath.pathType': {
    note: '`Exact` matches the whole path, case-sensitively. `Prefix` compares `/`-separated segments, so `/app` matches `/app` and `/app/x` but not `/application`, and a trailing slash makes no difference. `ImplementationSpecific` leaves matching to the IngressClass.',
    default: 'none: required in `networking.k8s.io/v1` (the beta APIs filled in `ImplementationSpecific`)',
  },
  'HTTPIngressPath.backend': {
    note: 'Where matching requests go: a `service` (name plus port) in the Ingress namespace, or a `resource`, never both.',
  },
  'IngressBackend.service': {
    note: 'The usual backend: a Service in the same namespace as the Ingress. Cross-namespace backends are not possible; put a Service (for example `type: ExternalName`) next to the Ingress instead.',
  },
  'IngressBackend.resource': {
    note: 'Points at a non-Service object (for example a storage bucket custom resource) by API group, kind and name. Only some controllers understand it, and it cannot be combined with `service`.',
  },
  'IngressServiceBackend.name': {
    note: 'Name of a Service in the Ingress namespace. A typo or a Service in another namespace typically surfaces as 503 responses rather than as an error on apply.',
  },
  'IngressServiceBackend.port': {
    note: 'The Service port to send traffic to, given as `number` or `name` (exactly one). The API server rejects a backend that gives neither.',
  },
  'ServiceBackendPort.number': {
    note: "The Service's own `port`, not its `targetPort` and not the container port. Pointing this at the container port is the classic reason an Ingress returns 503.",
  },
  'ServiceBackendPort.name': {
    note: 'The `name` of one of the Service ports; use either this or `number`, not both. Naming the port keeps the Ingress working if the number changes later.',
  },
  'IngressTLS.hosts': {
    note: 'Hosts the certificate should be served for. Each entry must be spelt exactly like a `host` under `rules` (wildcards included) and should be covered by the certificate itself.',
    default: "the controller's wildcard / default host",
  },
  'IngressTLS.secretName': {
    note: 'A Secret of type `kubernetes.io/tls` with `tls.crt` and `tls.key`, in the same namespace as the Ingress. A missing or malformed Secret usually makes the controller fall back to its self-signed default certificate instead of failing loudly.',
    default: "none: the controller's default certificate, or SNI-only routing",
  },

  // Legacy Ingress (extensions/v1beta1, networking.k8s.io/v1beta1), removed in 1.22.
  'legacy.IngressSpec.backend': {
    note: 'Beta-API name of the catch-all backend. In `networking.k8s.io/v1` it is called `defaultBackend` and uses the nested `service: {name, port}` shape.',
  },
  'legacy.IngressBackend.serviceName': {
    note: 'Beta-API field for the target Service. In `networking.k8s.io/v1` write `service.name` instead.',
  },
  'legacy.IngressBackend.servicePort': {
    note: 'Beta-API port as a number or a Service port name. In `networking.k8s.io/v1` a number becomes `service.port.number` and a name becomes `service.port.name`.',
  },
  'legacy.IngressSpec.rules': {
    note: 'Host-and-path routes, as in `networking.k8s.io/v1`; requests that match no rule go to `backend`. Only the backend shape differs: `serviceName`/`servicePort` instead of `service: {name, port}`.',
    default: 'none: everything goes to `backend`',
  },
  'legacy.HTTPIngressPath.backend': {
    note: 'Where matching requests go, written as `serviceName` plus `servicePort` in the beta APIs. In `networking.k8s.io/v1` this becomes `service: {name, port: {number | name}}`.',
  },
  'legacy.HTTPIngressPath.pathType': {
    note: 'Optional in the beta APIs (from 1.18), which filled in `ImplementationSpecific`. When moving to `networking.k8s.io/v1` it becomes required; `Prefix` is usually what was meant.',
    default: '`ImplementationSpecific`',
  },

  // ---------------------------------------------------------------------------------------
  // IngressClass
  // ---------------------------------------------------------------------------------------
  'IngressClassSpec.controller': {
    note: 'Identifies the controller that implements this class, as a domain-prefixed path such as `k8s.io/ingress-nginx`. It must be the exact value that controller watches for, and it cannot be changed after creation.',
  },
  'IngressClassSpec.parameters': {
    note: 'Optional link to a controller-specific configuration object. Which kinds are accepted depends entirely on the controller.',
    default: 'none',
  },
  'IngressClassParametersReference.apiGroup': {
    note: 'API group of the parameters object, for example `k8s.example.com`.',
    default: 'the core API group',
  },
  'IngressClassParametersReference.kind': {
    note: 'Kind of the parameters object, as its controller documents it.',
  },
  'IngressClassParametersReference.name': {
    note: 'Name of the parameters object.',
  },
  'IngressClassParametersReference.scope': {
    note: '`Cluster` for a cluster-scoped parameters object, `Namespace` for a namespaced one; with `Namespace` you must also set `namespace`.',
    default: '`Cluster`',
  },
  'IngressClassParametersReference.namespace': {
    note: 'Namespace of the parameters object. Required when `scope: Namespace` and not allowed when `scope: Cluster`.',
  },
};
