// The common Ingress annotations of NGINX Inc's NGINX Ingress Controller, the AWS Load Balancer
// Controller, GKE Ingress and Traefik (from their annotation references), for hover and value checks.
// Not every key of these controllers is listed, so an unlisted key of their prefixes is never reported
// as unknown.

import type { IngressControllerKind } from '../controller';
import type { AnnotationSpec, MigrationTreatment, ValueFormat } from './types';

const BOOL: ValueFormat = { type: 'bool' };
const TEXT: ValueFormat = { type: 'text' };
const JSON_VALUE: ValueFormat = { type: 'json' };

function make(controller: IngressControllerKind, prefix: string) {
  return (
    name: string,
    value: ValueFormat,
    summary: string,
    gateway: string | null,
    extra: Partial<AnnotationSpec> = {},
  ): AnnotationSpec => ({
    key: prefix + name,
    controller,
    summary,
    value,
    gateway,
    migration: (extra.migration ?? 'reported') as MigrationTreatment,
    ...extra,
  });
}

const inc = make('nginx-inc', 'nginx.org/');
const aws = make('aws-alb', 'alb.ingress.kubernetes.io/');
const gke = make('gke', '');
const traefik = make('traefik', 'traefik.ingress.kubernetes.io/');
const NGINX_TIME: ValueFormat = {
  type: 'pattern',
  pattern: '^[0-9]+(ms|s|m|h|d|w|M|y)?$',
  describe: 'an nginx time such as 60s or 1m',
};
const NGINX_SIZE: ValueFormat = { type: 'size' };

export const OTHER_CONTROLLER_ANNOTATIONS: readonly AnnotationSpec[] = [
  // NGINX Inc (nginx.org/)
  inc(
    'path-regex',
    { type: 'options', options: ['case_sensitive', 'case_insensitive', 'exact'] },
    'Writes every path of this Ingress as a regex location (`~` for case_sensitive, `~*` for case_insensitive) or an exact one (`=` for exact), whatever its pathType.',
    'HTTPRoute path match RegularExpression or Exact',
  ),
  inc(
    'rewrites',
    TEXT,
    'Rewrites the path per Service: "serviceName=<svc> rewrite=<path>;..." replaces the matched path prefix.',
    'URLRewrite filter with ReplacePrefixMatch',
  ),
  inc(
    'ssl-redirect',
    BOOL,
    'Redirects HTTP to HTTPS when the Ingress has TLS.',
    'an HTTP listener route with a RequestRedirect filter (scheme https)',
    { default: 'true' },
  ),
  inc(
    'redirect-to-https',
    BOOL,
    'Redirects to HTTPS when the X-Forwarded-Proto header says http (TLS terminated before the controller).',
    'RequestRedirect filter',
    { default: 'false' },
  ),
  inc('hsts', BOOL, 'Adds the Strict-Transport-Security header.', 'ResponseHeaderModifier filter', {
    default: 'false',
  }),
  inc(
    'hsts-max-age',
    { type: 'int', min: 0, unit: 'seconds' },
    'max-age of the HSTS header.',
    'ResponseHeaderModifier filter',
    { default: '2592000' },
  ),
  inc('proxy-connect-timeout', NGINX_TIME, 'Time to wait for a connection to the backend.', 'none', {
    default: '60s',
  }),
  inc(
    'proxy-read-timeout',
    NGINX_TIME,
    'Time between two reads from the backend.',
    'HTTPRoute timeouts.backendRequest is the nearest',
    { default: '60s' },
  ),
  inc('proxy-send-timeout', NGINX_TIME, 'Time between two writes to the backend.', 'none', {
    default: '60s',
  }),
  inc('client-max-body-size', NGINX_SIZE, 'Largest request body accepted.', 'none', { default: '1m' }),
  inc('proxy-buffering', BOOL, 'Buffers backend responses.', 'none', {
    default: 'true',
    migration: 'not-applicable',
  }),
  inc(
    'proxy-set-headers',
    TEXT,
    'Request headers set towards the backend ("Name: value" or names taken from the request).',
    'RequestHeaderModifier filter',
  ),
  inc(
    'proxy-hide-headers',
    TEXT,
    'Backend response headers removed.',
    'ResponseHeaderModifier filter remove',
  ),
  inc(
    'proxy-pass-headers',
    TEXT,
    'Backend response headers passed although nginx hides them by default.',
    'none',
  ),
  inc('ssl-services', TEXT, 'Services (comma-separated) reached over HTTPS.', 'BackendTLSPolicy'),
  inc('grpc-services', TEXT, 'Services (comma-separated) reached over gRPC.', 'GRPCRoute'),
  inc(
    'websocket-services',
    TEXT,
    'Services (comma-separated) that use WebSocket.',
    'none needed: implementations proxy upgrades',
  ),
  inc(
    'lb-method',
    TEXT,
    'Load-balancing method (round_robin, least_conn, ip_hash, random two least_conn, hash ...).',
    'none',
    { default: 'random two least_conn', migration: 'not-applicable' },
  ),
  inc(
    'mergeable-ingress-type',
    { type: 'options', options: ['master', 'minion'] },
    'Splits one host over several Ingresses: one master (host, TLS) and minions (paths).',
    'several HTTPRoutes for one hostname (always allowed)',
  ),
  inc(
    'server-snippets',
    { type: 'snippet' },
    'Raw nginx configuration in the server block (needs -enable-snippets).',
    'none',
  ),
  inc(
    'location-snippets',
    { type: 'snippet' },
    'Raw nginx configuration in each location block (needs -enable-snippets).',
    'none',
  ),
  inc(
    'basic-auth-secret',
    TEXT,
    'Secret with the htpasswd users of HTTP basic authentication.',
    'none in HTTPRoute',
  ),
  inc('listen-ports', TEXT, 'HTTP ports to listen on (comma-separated).', 'Gateway listeners'),
  inc('listen-ports-ssl', TEXT, 'HTTPS ports to listen on (comma-separated).', 'Gateway listeners'),
  inc('use-cluster-ip', BOOL, 'Proxies to the Service ClusterIP instead of the endpoints.', 'none', {
    default: 'false',
  }),

  // AWS Load Balancer Controller (alb.ingress.kubernetes.io/)
  aws(
    'scheme',
    { type: 'options', options: ['internal', 'internet-facing'] },
    'Whether the ALB is internal or internet-facing.',
    'implementation-specific (Gateway infrastructure or parameters)',
    { default: 'internal' },
  ),
  aws(
    'target-type',
    { type: 'options', options: ['instance', 'ip'] },
    'Routes to node ports (instance) or directly to pod IPs (ip).',
    'implementation-specific',
    { default: 'instance' },
  ),
  aws(
    'group.name',
    {
      type: 'pattern',
      pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$',
      describe: 'a name of lower-case letters, digits, - and . (63 characters at most)',
    },
    'Ingresses with the same group name share one ALB; their rules are merged (by group.order).',
    'several routes on one Gateway',
  ),
  aws(
    'group.order',
    { type: 'int', min: -1000, max: 1000 },
    "Order of this Ingress's rules within its group (lower first).",
    'none: HTTPRoute precedence is by match specificity',
    { default: '0' },
  ),
  aws(
    'listen-ports',
    JSON_VALUE,
    'The ALB listeners, as JSON: [{"HTTP": 80}, {"HTTPS": 443}].',
    'Gateway listeners',
    { default: '[{"HTTP": 80}] (plus HTTPS 443 with a certificate)' },
  ),
  aws(
    'ssl-redirect',
    { type: 'int', min: 1, max: 65535 },
    'Redirects every HTTP listener to this HTTPS port.',
    'an HTTP listener route with a RequestRedirect filter (scheme https)',
  ),
  aws(
    'certificate-arn',
    TEXT,
    'ACM certificate ARNs for the HTTPS listeners (comma-separated).',
    'listener certificateRefs (with an implementation-specific reference)',
  ),
  aws(
    'ssl-policy',
    TEXT,
    'The ELB security policy of the HTTPS listeners.',
    'implementation-specific listener TLS options',
  ),
  aws(
    'backend-protocol',
    { type: 'options', options: ['HTTP', 'HTTPS'] },
    'Protocol to the targets.',
    'BackendTLSPolicy for HTTPS',
    { default: 'HTTP' },
  ),
  aws(
    'backend-protocol-version',
    { type: 'options', options: ['HTTP1', 'HTTP2', 'GRPC'] },
    'HTTP version to the targets.',
    'Service port appProtocol',
    { default: 'HTTP1' },
  ),
  aws('healthcheck-path', TEXT, 'Path of the target health check.', 'none', { migration: 'not-applicable' }),
  aws('healthcheck-port', TEXT, 'Port of the target health check (traffic-port or a number).', 'none', {
    migration: 'not-applicable',
  }),
  aws(
    'healthcheck-protocol',
    { type: 'options', options: ['HTTP', 'HTTPS'] },
    'Protocol of the target health check.',
    'none',
    { migration: 'not-applicable' },
  ),
  aws(
    'healthcheck-interval-seconds',
    { type: 'int', min: 5, max: 300 },
    'Seconds between health checks.',
    'none',
    { default: '15', migration: 'not-applicable' },
  ),
  aws('healthcheck-timeout-seconds', { type: 'int', min: 2, max: 120 }, 'Health check timeout.', 'none', {
    default: '5',
    migration: 'not-applicable',
  }),
  aws('success-codes', TEXT, 'Status codes a healthy target answers (200, 200-300, 200,201).', 'none', {
    default: '200',
    migration: 'not-applicable',
  }),
  aws('inbound-cidrs', TEXT, 'Client CIDRs allowed to reach the ALB (comma-separated).', 'none in HTTPRoute'),
  aws('subnets', TEXT, 'Subnets of the ALB.', 'implementation-specific', { migration: 'not-applicable' }),
  aws('security-groups', TEXT, 'Security groups of the ALB.', 'implementation-specific', {
    migration: 'not-applicable',
  }),
  aws('load-balancer-name', TEXT, 'Name of the ALB.', 'implementation-specific', {
    migration: 'not-applicable',
  }),
  aws(
    'load-balancer-attributes',
    TEXT,
    'ALB attributes (key=value, comma-separated).',
    'implementation-specific',
  ),
  aws(
    'target-group-attributes',
    TEXT,
    'Target group attributes (key=value, comma-separated).',
    'implementation-specific',
  ),
  aws('tags', TEXT, 'AWS tags of the ALB and its target groups.', 'none', { migration: 'not-applicable' }),
  aws('wafv2-acl-arn', TEXT, 'WAFv2 web ACL attached to the ALB.', 'implementation-specific'),
  aws(
    'auth-type',
    { type: 'options', options: ['none', 'oidc', 'cognito'] },
    'User authentication on the ALB.',
    'none in HTTPRoute',
    { default: 'none' },
  ),
  aws(
    'ip-address-type',
    { type: 'options', options: ['ipv4', 'dualstack', 'dualstack-without-public-ipv4'] },
    'Address family of the ALB.',
    'implementation-specific',
    { default: 'ipv4', migration: 'not-applicable' },
  ),

  // GKE Ingress
  gke(
    'kubernetes.io/ingress.global-static-ip-name',
    TEXT,
    'A reserved global static IP address (by name) for the external load balancer.',
    'Gateway spec.addresses (NamedAddress)',
  ),
  gke(
    'kubernetes.io/ingress.regional-static-ip-name',
    TEXT,
    'A reserved regional static IP address (by name) for the internal load balancer.',
    'Gateway spec.addresses (NamedAddress)',
  ),
  gke(
    'kubernetes.io/ingress.allow-http',
    BOOL,
    'Whether the load balancer also serves plain HTTP.',
    'leave out the HTTP listener',
    { default: 'true' },
  ),
  gke(
    'ingress.gcp.kubernetes.io/pre-shared-cert',
    TEXT,
    'Google Cloud SSL certificate resources (comma-separated) for HTTPS.',
    'implementation-specific certificate references',
  ),
  gke(
    'networking.gke.io/managed-certificates',
    TEXT,
    'ManagedCertificate objects (comma-separated) for HTTPS.',
    'implementation-specific certificate references',
  ),
  gke(
    'networking.gke.io/v1beta1.FrontendConfig',
    TEXT,
    'A FrontendConfig with load balancer settings (HTTPS redirect, SSL policy).',
    'implementation policies',
  ),

  // Traefik (traefik.ingress.kubernetes.io/)
  traefik(
    'router.entrypoints',
    TEXT,
    'Entry points (comma-separated) the router listens on.',
    'Gateway listeners / parentRefs sectionName',
  ),
  traefik(
    'router.middlewares',
    TEXT,
    'Middlewares (namespace-name@kubernetescrd, comma-separated) applied to the router.',
    'HTTPRoute filters or ExtensionRef filters',
  ),
  traefik(
    'router.priority',
    { type: 'int' },
    'Priority of the router among matching ones.',
    'none: HTTPRoute precedence is by match specificity',
  ),
  traefik('router.tls', BOOL, 'Serves the router over TLS.', 'an HTTPS listener'),
  traefik(
    'router.tls.certresolver',
    TEXT,
    'The certificate resolver that obtains the certificate.',
    'implementation-specific',
  ),
  traefik('router.tls.options', TEXT, 'TLS options of the router.', 'implementation-specific'),
  traefik(
    'router.pathmatcher',
    { type: 'options', options: ['Path', 'PathPrefix', 'PathRegexp'] },
    'Matcher used for the paths of this Ingress.',
    'HTTPRoute path match type',
  ),
  traefik(
    'service.serversscheme',
    { type: 'options', options: ['http', 'https', 'h2c'] },
    'Scheme used to reach the backend.',
    'BackendTLSPolicy (https) or appProtocol (h2c)',
  ),
  traefik('service.passhostheader', BOOL, 'Passes the client Host header to the backend.', 'none', {
    default: 'true',
  }),
  traefik('service.sticky.cookie', BOOL, 'Sticky sessions by cookie.', 'sessionPersistence (experimental)'),
  traefik(
    'service.sticky.cookie.name',
    TEXT,
    'Name of the sticky cookie.',
    'sessionPersistence sessionName (experimental)',
  ),
  traefik(
    'service.middlewares',
    TEXT,
    "Middlewares (namespace-name@kubernetescrd, comma-separated) applied to the requests for this Service, after the router's (Traefik 3.7 and later).",
    'HTTPRoute backendRefs filters or ExtensionRef filters',
  ),
];

/** The class annotation every controller reads (a Kubernetes convention, deprecated for spec.ingressClassName). */
export const CLASS_ANNOTATION_SPEC: AnnotationSpec = {
  key: 'kubernetes.io/ingress.class',
  controller: 'unknown',
  summary:
    'The class of the Ingress, read by the controllers (deprecated since Kubernetes 1.18 for spec.ingressClassName, except for GKE Ingress, which reads only this annotation: gce or gce-internal).',
  value: TEXT,
  gateway: "the Gateway's gatewayClassName, reached through the route's parentRefs",
  migration: 'converted',
};
