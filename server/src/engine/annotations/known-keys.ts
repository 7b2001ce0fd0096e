// Every annotation key NGINX Inc's NGINX Ingress Controller and Traefik read on an Ingress, so that
// a misspelt one can be named (the hover table in ./other-controllers.ts describes only the common
// ones).
//
// - NGINX Inc: the keys its annotation parser and validator read (nginx/kubernetes-ingress
//   internal/configs/*.go and internal/k8s/validation.go, at 0eb3072d14f0, August 2026). An nginx.org/
//   or nginx.com/ key outside this list is ignored.
// - Traefik: the Ingress provider decodes every traefik.ingress.kubernetes.io/router.* annotation
//   into its router options (pkg/provider/kubernetes/ingress/annotations.go, field names matched
//   without regard to case); a name it has no field for makes the decoding fail, and the provider
//   then skips the whole Ingress ("Failed to parse annotations"). service.* keys are read from the
//   Service, and any other key is ignored.

import { closest } from '../edit-distance';

export const NGINX_INC_KEYS: readonly string[] = [
  ...[
    'add-header',
    'add-header-inherit',
    'app-root',
    'basic-auth-realm',
    'basic-auth-secret',
    'client-body-buffer-size',
    'client-max-body-size',
    'custom-http-errors',
    'fail-timeout',
    'grpc-services',
    'hsts',
    'hsts-behind-proxy',
    'hsts-include-subdomains',
    'hsts-max-age',
    'http-redirect-code',
    'keepalive',
    'lb-method',
    'limit-req-burst',
    'limit-req-delay',
    'limit-req-dry-run',
    'limit-req-key',
    'limit-req-log-level',
    'limit-req-no-delay',
    'limit-req-rate',
    'limit-req-reject-code',
    'limit-req-scale',
    'limit-req-zone-size',
    'listen-ports',
    'listen-ports-ssl',
    'location-snippets',
    'max-conns',
    'max-fails',
    'mergeable-ingress-type',
    'path-regex',
    'policies',
    'proxy-buffer-size',
    'proxy-buffering',
    'proxy-buffers',
    'proxy-busy-buffers-size',
    'proxy-connect-timeout',
    'proxy-hide-headers',
    'proxy-max-temp-file-size',
    'proxy-next-upstream',
    'proxy-next-upstream-timeout',
    'proxy-next-upstream-tries',
    'proxy-pass-headers',
    'proxy-read-timeout',
    'proxy-redirect-from',
    'proxy-redirect-to',
    'proxy-send-timeout',
    'proxy-set-headers',
    'redirect-to-https',
    'rewrite-target',
    'rewrites',
    'server-snippets',
    'server-tokens',
    'ssl-ciphers',
    'ssl-prefer-server-ciphers',
    'ssl-redirect',
    'ssl-services',
    'sticky-cookie-services',
    'upstream-zone-size',
    'use-cluster-ip',
    'websocket-services',
  ].map((k) => `nginx.org/${k}`),
  // NGINX Plus only
  ...[
    'health-checks',
    'health-checks-mandatory',
    'health-checks-mandatory-queue',
    'jwt-key',
    'jwt-login-url',
    'jwt-realm',
    'jwt-token',
    'policies',
    'slow-start',
    'sticky-cookie-services',
  ].map((k) => `nginx.com/${k}`),
];

const NGINX_INC_SET = new Set(NGINX_INC_KEYS);
const NGINX_INC_NAMES = [...new Set(NGINX_INC_KEYS.map((k) => k.slice(k.indexOf('/') + 1)))];

/** For an nginx.org/ or nginx.com/ key NGINX Inc's controller does not read: the nearest key it reads
 * (or undefined when none is near); null when the key is one it reads or not under those prefixes. */
export function unknownNginxIncKey(key: string): { suggestion?: string } | null {
  if (!key.startsWith('nginx.org/') && !key.startsWith('nginx.com/')) return null;
  if (NGINX_INC_SET.has(key)) return null;
  // compared by the name after the prefix: a short name is not "near" a key through the shared prefix
  const slash = key.indexOf('/');
  const found = closest(key.slice(slash + 1), NGINX_INC_NAMES);
  if (found === undefined) return {};
  return {
    suggestion: NGINX_INC_SET.has(key.slice(0, slash + 1) + found)
      ? key.slice(0, slash + 1) + found
      : NGINX_INC_KEYS.find((k) => k.endsWith(`/${found}`)),
  };
}

export const TRAEFIK_PREFIX = 'traefik.ingress.kubernetes.io/';

/** The router option paths Traefik's Ingress provider decodes (all its 2.x and 3.x releases), lower-case;
 * `tls.domains.<n>.main|sans` is matched apart. */
export const TRAEFIK_ROUTER_KEYS: readonly string[] = [
  'entrypoints',
  'middlewares',
  'priority',
  'pathmatcher',
  'rulesyntax',
  'tls',
  'tls.certresolver',
  'tls.options',
  'observability.accesslogs',
  'observability.metrics',
  'observability.tracing',
  'observability.traceverbosity',
].map((k) => `router.${k}`);

const TRAEFIK_ROUTER_SET = new Set(TRAEFIK_ROUTER_KEYS);
const TRAEFIK_ROUTER_NAMES = TRAEFIK_ROUTER_KEYS.map((k) => k.slice('router.'.length));
const TLS_DOMAIN = /^router\.tls\.domains\.[0-9]+\.(main|sans)$/;

/** For a traefik.ingress.kubernetes.io/router.* key Traefik has no option for: the nearest one it has
 * (or undefined); null when Traefik reads the key or it is not a router key. */
export function unknownTraefikRouterKey(key: string): { suggestion?: string } | null {
  if (!key.startsWith(TRAEFIK_PREFIX)) return null;
  const name = key.slice(TRAEFIK_PREFIX.length).toLowerCase();
  if (!name.startsWith('router.')) return null;
  if (TRAEFIK_ROUTER_SET.has(name) || TLS_DOMAIN.test(name)) return null;
  const found = closest(name.slice('router.'.length), TRAEFIK_ROUTER_NAMES);
  return found === undefined ? {} : { suggestion: `${TRAEFIK_PREFIX}router.${found}` };
}

/** The service option paths Traefik's Ingress provider decodes from a Service's annotations (never from
 * an Ingress's: it decodes only router.* there), lower-case. */
export const TRAEFIK_SERVICE_KEYS: readonly string[] = [
  // middlewares: Traefik 3.7 (January 2026, "Services middleware"), applied after the router's
  'middlewares',
  'nativelb',
  'nodeportlb',
  'serversscheme',
  'serverstransport',
  'passhostheader',
  'sticky.cookie',
  'sticky.cookie.name',
  'sticky.cookie.secure',
  'sticky.cookie.httponly',
  'sticky.cookie.samesite',
  'sticky.cookie.maxage',
  'sticky.cookie.path',
  'sticky.cookie.domain',
].map((k) => `service.${k}`);

/** A traefik.ingress.kubernetes.io/service.* key (Traefik reads it on the backend Service only). */
export function isTraefikServiceKey(key: string): boolean {
  return (
    key.startsWith(TRAEFIK_PREFIX) && key.slice(TRAEFIK_PREFIX.length).toLowerCase().startsWith('service.')
  );
}
const TRAEFIK_SERVICE_SET = new Set(TRAEFIK_SERVICE_KEYS);
const TRAEFIK_SERVICE_NAMES = TRAEFIK_SERVICE_KEYS.map((k) => k.slice('service.'.length));

/** For a traefik.ingress.kubernetes.io/service.* key on a Service that Traefik's Ingress provider has no
 * option for: the nearest one it has (or undefined); null when Traefik reads it or it is not such a key. */
export function unknownTraefikServiceKey(key: string): { suggestion?: string } | null {
  if (!isTraefikServiceKey(key)) return null;
  const name = key.slice(TRAEFIK_PREFIX.length).toLowerCase();
  if (TRAEFIK_SERVICE_SET.has(name)) return null;
  const found = closest(name.slice('service.'.length), TRAEFIK_SERVICE_NAMES);
  return found === undefined ? {} : { suggestion: `${TRAEFIK_PREFIX}service.${found}` };
}
