// Every annotation the current ingress-nginx controller reads (its annotation parsers under
// internal/ingress/annotations/*: key, validator, risk), described in our words, with the Gateway API
// equivalent and how the migration treats it. Also the annotations removed from recent releases, so
// that they are reported as removed rather than as misspellings.

import type { AnnotationSpec, MigrationTreatment, ValueFormat } from './types';

export const NGINX_PREFIX = 'nginx.ingress.kubernetes.io/';

// The character classes of ingress-nginx's value validators (parser/validators.go).
const ALNUM = String.raw`\-\._~a-zA-Z0-9/:`;
const URL_CHARS = String.raw`,:?&=`;
const BASIC: ValueFormat = { type: 'pattern', pattern: `^[/${ALNUM}]*$`, removeSpaces: true, describe: 'letters, digits and - . _ ~ / :' };
const URL: ValueFormat = { type: 'pattern', pattern: `^[${ALNUM}${URL_CHARS}]*$`, removeSpaces: true, describe: 'a URL or path (letters, digits and - . _ ~ / : , ? & =)' };
const URL_NO_TRIM: ValueFormat = { ...URL, removeSpaces: false };
const PATH_WITH_CAPTURE: ValueFormat = { type: 'pattern', pattern: `^/?[${ALNUM}/$]*$`, describe: 'a path, with $1, $2 ... for capture groups (letters, digits and - . _ ~ / : $)' };
const URL_WITH_VARIABLES: ValueFormat = { type: 'pattern', pattern: `^[${ALNUM}, ${URL_CHARS}$]*$`, removeSpaces: true, describe: 'a URL, nginx variables allowed ($host, $escaped_request_uri)' };
const HEADERS: ValueFormat = { type: 'pattern', pattern: '^[A-Za-z0-9\\-_, ]*$', removeSpaces: true, describe: 'header names separated by commas' };
const NGINX_VARIABLE: ValueFormat = { type: 'pattern', pattern: '^[A-Za-z0-9\\-_${}]*$', removeSpaces: true, describe: 'an nginx variable or text (letters, digits and - _ $ { })' };
const SECRET_REF: ValueFormat = { ...BASIC, describe: 'a Secret as "namespace/name" or "name"' };
const ON_OFF: ValueFormat = { type: 'options', options: ['on', 'off'] };
const SECONDS: ValueFormat = { type: 'int', min: 0, unit: 'seconds' };
const BOOL: ValueFormat = { type: 'bool' };
const INT: ValueFormat = { type: 'int' };
const SIZE: ValueFormat = { type: 'size' };

type Extra = Partial<Pick<AnnotationSpec, 'default' | 'aliases' | 'removed' | 'requires'>>;

function a(
  name: string,
  value: ValueFormat,
  risk: AnnotationSpec['risk'],
  summary: string,
  gateway: string | null,
  migration: MigrationTreatment,
  extra: Extra = {},
): AnnotationSpec {
  return {
    key: NGINX_PREFIX + name,
    controller: 'ingress-nginx',
    summary,
    value,
    gateway,
    migration,
    risk,
    ...extra,
    ...(extra.aliases ? { aliases: extra.aliases.map((x) => NGINX_PREFIX + x) } : {}),
    ...(extra.requires ? { requires: extra.requires.map((x) => NGINX_PREFIX + x) } : {}),
  };
}

const NO_GW = null;
const POLICY = 'no standard field: an implementation-specific policy of the Gateway implementation';
const CANARY = ['canary'];

export const INGRESS_NGINX_ANNOTATIONS: readonly AnnotationSpec[] = [
  // routing and rewriting
  a('use-regex', BOOL, 'Low', 'Reads the paths of this Ingress as regular expressions. nginx then writes every location of the same host, from every Ingress, as a case-insensitive regex anchored at the start (`~* "^<path>"`), so Prefix and Exact paths of the other Ingresses of that host stop being exact or segment-wise.', 'HTTPRoute path match type RegularExpression (Extended support; the dialect is the implementation\'s)', 'converted', { default: 'false' }),
  a('rewrite-target', PATH_WITH_CAPTURE, 'Medium', 'Replaces the request path before it is sent to the backend; $1, $2 ... insert the capture groups of a regex path. Like use-regex, it makes every path of the host a case-insensitive regex.', 'URLRewrite filter with ReplacePrefixMatch (a fixed prefix) or ReplaceFullPath; capture groups have no equivalent', 'converted'),
  a('app-root', PATH_WITH_CAPTURE, 'Medium', 'Redirects requests for `/` to this path (302).', 'a rule for Exact `/` with a RequestRedirect filter (path ReplaceFullPath, statusCode 302)', 'converted'),
  a('x-forwarded-prefix', PATH_WITH_CAPTURE, 'Medium', 'Sets the X-Forwarded-Prefix request header to this value (typically with rewrite-target).', 'RequestHeaderModifier filter setting X-Forwarded-Prefix', 'converted'),
  a('preserve-trailing-slash', BOOL, 'Medium', 'Keeps the trailing slash of the URL when redirecting to HTTPS.', NO_GW, 'reported', { default: 'false' }),
  a('ssl-redirect', BOOL, 'Low', 'Redirects HTTP to HTTPS (308) for hosts that have TLS; on by default whenever the Ingress has a tls entry for the host.', 'an HTTPRoute attached to the HTTP listener with a RequestRedirect filter (scheme https, statusCode 308)', 'converted', { default: 'true (when the host has TLS)' }),
  a('force-ssl-redirect', BOOL, 'Medium', 'Redirects HTTP to HTTPS (308) even when the Ingress has no TLS for the host (TLS terminated in front of the controller).', 'an HTTPRoute attached to the HTTP listener with a RequestRedirect filter (scheme https, statusCode 308)', 'converted', { default: 'false' }),
  a('permanent-redirect', URL_NO_TRIM, 'Medium', 'Answers every request of this Ingress with a redirect to this URL (301 unless permanent-redirect-code says otherwise).', 'RequestRedirect filter (scheme, hostname, port, path ReplaceFullPath, statusCode 301)', 'converted'),
  a('permanent-redirect-code', { type: 'int', min: 300, max: 308 }, 'Low', 'The status code of permanent-redirect.', 'RequestRedirect statusCode (301, 302, 303, 307 or 308)', 'converted', { default: '301', requires: ['permanent-redirect'] }),
  a('temporal-redirect', URL_NO_TRIM, 'Medium', 'Answers every request of this Ingress with a temporary redirect to this URL (302 unless temporal-redirect-code says otherwise); wins over permanent-redirect.', 'RequestRedirect filter (statusCode 302)', 'converted'),
  a('temporal-redirect-code', { type: 'int', min: 300, max: 308 }, 'Low', 'The status code of temporal-redirect.', 'RequestRedirect statusCode', 'converted', { default: '302', requires: ['temporal-redirect'] }),
  a('from-to-www-redirect', BOOL, 'Low', 'Redirects www.<host> to <host> (or the reverse, whichever is not a rule host) with a 308.', 'a separate HTTPRoute for the other name with a RequestRedirect filter (hostname)', 'reported', { default: 'false' }),
  a('relative-redirects', BOOL, 'Low', 'Lets nginx send relative Location headers in the redirects it makes itself.', NO_GW, 'not-applicable', { default: 'false' }),
  a('use-port-in-redirects', BOOL, 'Low', 'Keeps the port in the Location of redirects nginx makes itself.', NO_GW, 'not-applicable', { default: 'false' }),
  a('server-alias', { type: 'server-names', list: true }, 'High', 'Further host names served by the same server block (comma-separated).', 'more hostnames on the HTTPRoute', 'reported'),
  a('default-backend', { type: 'service-name' }, 'Low', 'A Service of the Ingress namespace that answers when no endpoint is available, and for the custom-http-errors codes.', NO_GW, 'reported'),
  a('custom-http-errors', { type: 'pattern', pattern: '^(?:[4,5][0-9]{2},?)*$', removeSpaces: true, describe: 'HTTP status codes 4xx/5xx separated by commas' }, 'Low', 'Sends backend responses with these status codes to the default backend instead of the client.', NO_GW, 'reported'),
  a('disable-proxy-intercept-errors', BOOL, 'Low', 'Turns off proxy_intercept_errors for this location although custom-http-errors is set.', NO_GW, 'reported', { default: 'false' }),
  a('backend-protocol', { type: 'options', options: ['auto_http', 'http', 'https', 'grpc', 'grpcs', 'fcgi'], caseInsensitive: true }, 'Low', 'The protocol nginx speaks to the backend: HTTP, HTTPS, GRPC, GRPCS, FCGI or AUTO_HTTP.', 'HTTPS/GRPCS: a BackendTLSPolicy for the Service; GRPC: a GRPCRoute or Service port appProtocol kubernetes.io/h2c; FCGI: none', 'converted', { default: 'HTTP' }),
  a('service-upstream', BOOL, 'Low', 'Proxies to the Service ClusterIP instead of the individual endpoints.', NO_GW, 'reported', { default: 'false' }),
  a('upstream-vhost', { type: 'server-names' }, 'Low', 'Sets the Host header sent to the backend.', 'RequestHeaderModifier filter setting Host', 'converted'),
  a('ssl-passthrough', BOOL, 'Low', 'Passes the TLS connection through to the backend unterminated (needs the --enable-ssl-passthrough flag).', 'a TLS listener with mode Passthrough and a TLSRoute', 'reported', { default: 'false' }),

  // canary
  a('canary', BOOL, 'Low', 'Marks this Ingress as the canary of the Ingress with the same host and path: its backend gets the requests the canary-* annotations select.', 'backendRefs weights and header matches on the main route', 'converted', { default: 'false' }),
  a('canary-weight', { type: 'int', min: 0 }, 'Low', 'The share of requests (out of canary-weight-total) sent to the canary.', 'backendRefs weight', 'converted', { default: '0', requires: CANARY }),
  a('canary-weight-total', { type: 'int', min: 1 }, 'Low', 'The total that canary-weight is a share of.', 'backendRefs weights', 'converted', { default: '100', requires: CANARY }),
  a('canary-by-header', BASIC, 'Medium', 'Header that forces the canary (value "always") or the main backend ("never").', 'a rule with a headers match', 'converted', { requires: CANARY }),
  a('canary-by-header-value', BASIC, 'Medium', 'The canary-by-header value that selects the canary (instead of "always").', 'a rule with an Exact headers match', 'converted', { requires: ['canary', 'canary-by-header'] }),
  a('canary-by-header-pattern', { type: 'pattern', pattern: `^[/${ALNUM}${String.raw`\^\$\[\]\(\)\{\}\*\+\?\|&=\\`}]*$`, describe: 'a PCRE regular expression' }, 'Medium', 'Like canary-by-header-value, with a regular expression; ignored when canary-by-header-value is set.', 'a headers match of type RegularExpression (Implementation-specific)', 'reported', { requires: ['canary', 'canary-by-header'] }),
  a('canary-by-cookie', BASIC, 'Medium', 'Cookie that forces the canary (value "always") or the main backend ("never").', 'no cookie match in HTTPRoute', 'reported', { requires: CANARY }),

  // headers and CORS
  a('custom-headers', BASIC, 'Medium', 'Adds the headers of a ConfigMap ("namespace/name") to the responses.', 'ResponseHeaderModifier filter (the ConfigMap entries written out)', 'reported'),
  a('connection-proxy-header', { type: 'options', options: ['close', 'keep-alive'] }, 'Low', 'Sets the Connection header sent to the backend.', 'RequestHeaderModifier filter setting Connection', 'converted'),
  a('enable-cors', BOOL, 'Low', 'Answers CORS preflight requests and adds the CORS response headers.', 'HTTPRoute CORS filter (standard since Gateway API v1.5)', 'converted', { default: 'false' }),
  a('cors-allow-origin', { type: 'pattern', pattern: String.raw`^((((([a-z]+://)?(\*\.)?[A-Za-z0-9\-.]*(:\d+)?,?)|null)+)|\*)?$`, removeSpaces: true, describe: 'origins as scheme://host[:port] (one wildcard label allowed), null or *, separated by commas' }, 'Medium', 'The origins allowed by CORS.', 'CORS filter allowOrigins', 'converted', { default: '*', requires: ['enable-cors'] }),
  a('cors-allow-methods', { type: 'pattern', pattern: String.raw`^([A-Za-z]+,?\s?)+$`, removeSpaces: true, describe: 'HTTP methods separated by commas' }, 'Medium', 'The methods allowed by CORS.', 'CORS filter allowMethods', 'converted', { default: 'GET, PUT, POST, DELETE, PATCH, OPTIONS', requires: ['enable-cors'] }),
  a('cors-allow-headers', HEADERS, 'Medium', 'The request headers allowed by CORS.', 'CORS filter allowHeaders', 'converted', { default: 'DNT,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,Range,Authorization', requires: ['enable-cors'] }),
  a('cors-expose-headers', { type: 'pattern', pattern: String.raw`^(([A-Za-z0-9\-_]+|\*),?\s?)+$`, removeSpaces: true, describe: 'header names or * separated by commas' }, 'Medium', 'The response headers a browser may read.', 'CORS filter exposeHeaders', 'converted', { requires: ['enable-cors'] }),
  a('cors-allow-credentials', BOOL, 'Low', 'Whether CORS requests may carry credentials.', 'CORS filter allowCredentials', 'converted', { default: 'true', requires: ['enable-cors'] }),
  a('cors-max-age', { type: 'int', min: 0, unit: 'seconds' }, 'Low', 'How long browsers may cache a preflight answer.', 'CORS filter maxAge', 'converted', { default: '1728000', requires: ['enable-cors'] }),

  // access control
  a('allowlist-source-range', { type: 'cidrs' }, 'Medium', 'Only clients from these CIDRs may reach the Ingress; others get 403.', 'none in HTTPRoute: an implementation policy, or a NetworkPolicy where the client addresses are preserved', 'reported', { aliases: ['whitelist-source-range'] }),
  a('denylist-source-range', { type: 'cidrs' }, 'Medium', 'Clients from these CIDRs get 403.', 'none in HTTPRoute: an implementation policy', 'reported'),
  a('auth-type', { type: 'pattern', pattern: 'basic|digest', describe: 'basic or digest' }, 'Low', 'HTTP authentication with the users of auth-secret: basic or digest.', 'none in HTTPRoute: an implementation\'s authentication policy', 'reported', { requires: ['auth-secret'] }),
  a('auth-secret', SECRET_REF, 'Medium', 'The Secret holding the users (htpasswd file or map) for auth-type.', 'none in HTTPRoute', 'reported', { requires: ['auth-type'] }),
  a('auth-secret-type', { type: 'pattern', pattern: 'auth-file|auth-map', describe: 'auth-file or auth-map' }, 'Low', 'How auth-secret is laid out: one htpasswd file under the key auth (auth-file) or one user per key (auth-map).', 'none', 'reported', { default: 'auth-file', requires: ['auth-secret'] }),
  a('auth-realm', { type: 'pattern', pattern: `^[/${ALNUM} ]*$`, describe: 'text (letters, digits, spaces and - . _ ~ / :)' }, 'Medium', 'The realm shown in the authentication prompt.', 'none', 'reported', { requires: ['auth-type'] }),
  a('auth-url', URL_WITH_VARIABLES, 'High', 'Asks this URL (an external authentication service) whether each request may pass.', 'an ExternalAuth filter (experimental channel) or an implementation policy', 'reported'),
  a('auth-method', { type: 'pattern', pattern: '^(GET|HEAD|POST|PUT|PATCH|DELETE|CONNECT|OPTIONS|TRACE)$', removeSpaces: true, describe: 'an HTTP method' }, 'Low', 'The method of the external authentication request.', 'none', 'reported', { requires: ['auth-url'] }),
  a('auth-signin', URL_WITH_VARIABLES, 'High', 'Where to send clients that external authentication refused (401).', 'none', 'reported', { requires: ['auth-url'] }),
  a('auth-signin-redirect-param', URL, 'Medium', 'The query parameter of auth-signin that carries the original URL.', 'none', 'reported', { default: 'rd', requires: ['auth-signin'] }),
  a('auth-snippet', { type: 'snippet' }, 'Critical', 'nginx configuration added to the external authentication location.', 'none', 'reported', { requires: ['auth-url'] }),
  a('auth-cache-key', NGINX_VARIABLE, 'Medium', 'Enables caching of external authentication answers under this key.', 'none', 'reported', { requires: ['auth-url'] }),
  a('auth-cache-duration', { type: 'pattern', pattern: `^[/${ALNUM}, ]*$`, describe: 'status codes followed by a duration, e.g. "200 202 10m, 401 5m"' }, 'Medium', 'How long each answer of the external authentication is cached.', 'none', 'reported', { default: '200 202 401 5m', requires: ['auth-cache-key'] }),
  a('auth-keepalive', { type: 'int', min: 0 }, 'Low', 'Idle keepalive connections kept to the external authentication service.', 'none', 'reported', { default: '0', requires: ['auth-url'] }),
  a('auth-keepalive-share-vars', BOOL, 'Low', 'Shares nginx variables between the main and the authentication request when keepalive is on.', 'none', 'reported', { default: 'false', requires: ['auth-keepalive'] }),
  a('auth-keepalive-requests', { type: 'int', min: 0 }, 'Low', 'Requests per keepalive connection to the authentication service.', 'none', 'reported', { default: '1000', requires: ['auth-keepalive'] }),
  a('auth-keepalive-timeout', SECONDS, 'Low', 'Idle time of a keepalive connection to the authentication service.', 'none', 'reported', { default: '60', requires: ['auth-keepalive'] }),
  a('auth-response-headers', HEADERS, 'Medium', 'Headers of the authentication answer copied into the request to the backend.', 'none', 'reported', { requires: ['auth-url'] }),
  a('auth-proxy-set-headers', BASIC, 'Medium', 'A ConfigMap ("namespace/name") of headers added to the authentication request.', 'none', 'reported', { requires: ['auth-url'] }),
  a('auth-request-redirect', URL, 'Medium', 'The X-Auth-Request-Redirect header sent to the authentication service.', 'none', 'reported', { requires: ['auth-url'] }),
  a('auth-always-set-cookie', BOOL, 'Low', 'Passes Set-Cookie of the authentication answer to the client on every status, not only 2xx.', 'none', 'reported', { default: 'false', requires: ['auth-url'] }),
  a('enable-global-auth', BOOL, 'Low', 'Whether the ConfigMap-wide global-auth-url applies to this Ingress.', 'none', 'reported', { default: 'true' }),
  a('satisfy', { type: 'options', options: ['any', 'all'] }, 'Low', 'With several access controls: all must pass, or any one.', 'none', 'reported', { default: 'all' }),
  a('auth-tls-secret', SECRET_REF, 'Medium', 'Client certificate authentication: the Secret ("namespace/name") with the CA certificate (ca.crt) clients must be signed by.', 'Gateway listener tls.frontendValidation (Extended) on the listener, not per route', 'reported'),
  a('auth-tls-verify-client', { type: 'pattern', pattern: '^(on|off|optional|optional_no_ca)$', removeSpaces: true, describe: 'on, off, optional or optional_no_ca' }, 'Medium', 'Whether a client certificate is required (on), checked if sent (optional), or accepted unchecked (optional_no_ca).', 'listener frontendValidation', 'reported', { default: 'on', requires: ['auth-tls-secret'] }),
  a('auth-tls-verify-depth', { type: 'int', min: 0 }, 'Low', 'Maximum length of the client certificate chain.', 'none', 'reported', { default: '1', requires: ['auth-tls-secret'] }),
  a('auth-tls-error-page', { type: 'pattern', pattern: String.raw`^(@[A-Za-z0-9_-]+|((https?://)?[A-Za-z0-9\-.]+(:\d+)?)?(/[A-Za-z0-9\-_.]+)*/?)$`, removeSpaces: true, describe: 'a URL, a path or a named location (@name)' }, 'High', 'Where clients without a valid certificate are sent.', 'none', 'reported', { requires: ['auth-tls-secret'] }),
  a('auth-tls-pass-certificate-to-upstream', BOOL, 'Low', 'Passes the client certificate to the backend in the ssl-client-cert header.', 'none', 'reported', { default: 'false', requires: ['auth-tls-secret'] }),
  a('auth-tls-match-cn', { type: 'common-name' }, 'High', 'Only client certificates whose subject CN matches this regular expression pass ("CN=<regex>").', 'none', 'reported', { requires: ['auth-tls-secret'] }),

  // rate limits
  a('limit-connections', { type: 'int', min: 0 }, 'Low', 'Concurrent connections allowed from one client address.', POLICY, 'reported'),
  a('limit-rps', { type: 'int', min: 0 }, 'Low', 'Requests per second allowed from one client address (burst: limit-burst-multiplier times this).', POLICY, 'reported'),
  a('limit-rpm', { type: 'int', min: 0 }, 'Low', 'Requests per minute allowed from one client address.', POLICY, 'reported'),
  a('limit-burst-multiplier', { type: 'int', min: 1 }, 'Low', 'Burst size as a multiple of limit-rps / limit-rpm.', POLICY, 'reported', { default: '5' }),
  a('limit-rate', { type: 'int', min: 0, unit: 'kilobytes per second' }, 'Low', 'Caps the response rate per connection.', POLICY, 'reported', { default: '0 (unlimited)' }),
  a('limit-rate-after', { type: 'int', min: 0, unit: 'kilobytes' }, 'Low', 'Response size after which limit-rate applies.', POLICY, 'reported', { default: '0' }),
  a('limit-allowlist', { type: 'cidrs' }, 'Low', 'Client CIDRs the rate limits do not apply to.', POLICY, 'reported', { aliases: ['limit-whitelist'] }),

  // proxying
  a('proxy-connect-timeout', SECONDS, 'Low', 'Seconds to wait for a connection to the backend.', 'none in HTTPRoute (timeouts.backendRequest bounds the whole backend request)', 'reported', { default: '5' }),
  a('proxy-send-timeout', SECONDS, 'Low', 'Seconds between two writes to the backend before giving up.', 'none in HTTPRoute (timeouts.backendRequest bounds the whole backend request)', 'reported', { default: '60' }),
  a('proxy-read-timeout', SECONDS, 'Low', 'Seconds between two reads from the backend before giving up.', 'HTTPRoute rule timeouts.backendRequest (Extended) is the nearest: it bounds the whole backend request', 'reported', { default: '60' }),
  a('proxy-next-upstream', { type: 'pattern', pattern: String.raw`^((error|timeout|invalid_header|http_500|http_502|http_503|http_504|http_403|http_404|http_429|non_idempotent|off)\s?)+$`, describe: 'conditions separated by spaces: error timeout invalid_header http_500 http_502 http_503 http_504 http_403 http_404 http_429 non_idempotent off' }, 'Medium', 'When to retry the request on another endpoint.', 'HTTPRoute rule retry (experimental channel)', 'reported', { default: 'error timeout' }),
  a('proxy-next-upstream-timeout', SECONDS, 'Low', 'Time limit for passing a request to the next endpoint.', 'none', 'reported', { default: '0 (unlimited)' }),
  a('proxy-next-upstream-tries', { type: 'int', min: 0 }, 'Low', 'How many endpoints to try.', 'HTTPRoute rule retry.attempts (experimental channel)', 'reported', { default: '3' }),
  a('proxy-request-buffering', { type: 'options', options: ['on', 'off'] }, 'Low', 'Whether the whole request body is read before it is sent to the backend.', 'none', 'not-applicable', { default: 'on' }),
  a('proxy-buffering', { type: 'options', options: ['on', 'off'] }, 'Low', 'Whether backend responses are buffered.', 'none', 'not-applicable', { default: 'off' }),
  a('proxy-buffers-number', { type: 'int', min: 1 }, 'Low', 'Number of response buffers per connection.', 'none', 'not-applicable', { default: '4' }),
  a('proxy-buffer-size', SIZE, 'Low', 'Size of the buffer for the first part of the backend response (its headers).', 'none', 'not-applicable', { default: '4k' }),
  a('proxy-busy-buffers-size', SIZE, 'Low', 'Limit of buffers busy sending to the client.', 'none', 'not-applicable'),
  a('proxy-max-temp-file-size', SIZE, 'Low', 'Largest temporary file for buffered responses.', 'none', 'not-applicable', { default: '1024m' }),
  a('proxy-body-size', SIZE, 'Medium', 'Largest request body accepted (413 above it); 0 turns the check off.', 'none in HTTPRoute: an implementation policy', 'reported', { default: '1m' }),
  a('client-body-buffer-size', SIZE, 'Low', 'Buffer for reading the request body.', 'none', 'not-applicable'),
  a('proxy-http-version', { type: 'options', options: ['1.0', '1.1'] }, 'Low', 'HTTP version spoken to the backend.', 'none', 'not-applicable', { default: '1.1' }),
  a('proxy-cookie-domain', { type: 'pattern', pattern: String.raw`^(off|[^\s]+\s+[^\s]+)$`, describe: '"off" or "<from domain> <to domain>"' }, 'Medium', 'Rewrites the domain of Set-Cookie headers from the backend.', 'none', 'reported', { default: 'off' }),
  a('proxy-cookie-path', URL, 'Medium', 'Rewrites the path of Set-Cookie headers from the backend ("<from> <to>").', 'none', 'reported', { default: 'off' }),
  a('proxy-redirect-from', URL, 'Medium', 'Rewrites Location headers from the backend: the text replaced (with proxy-redirect-to).', 'none', 'reported', { requires: ['proxy-redirect-to'] }),
  a('proxy-redirect-to', URL, 'Medium', 'The replacement for proxy-redirect-from in Location headers.', 'none', 'reported', { requires: ['proxy-redirect-from'] }),
  a('load-balance', { type: 'options', options: ['round_robin', 'chash', 'chashsubset', 'sticky_balanced', 'sticky_persistent', 'ewma'] }, 'Low', 'Load-balancing algorithm across the endpoints.', 'none', 'not-applicable', { default: 'round_robin' }),
  a('upstream-hash-by', { type: 'pattern', pattern: '^[A-Za-z0-9\\-_${}]*$', describe: 'an nginx variable or text, e.g. $request_uri' }, 'High', 'Consistent hashing of requests to endpoints by this nginx variable.', 'session persistence (BackendLBPolicy, experimental) is the nearest', 'reported'),
  a('upstream-hash-by-subset', BOOL, 'Low', 'Hashes to a subset of endpoints instead of one.', 'none', 'reported', { default: 'false', requires: ['upstream-hash-by'] }),
  a('upstream-hash-by-subset-size', { type: 'int', min: 1 }, 'Low', 'Size of the subsets of upstream-hash-by-subset.', 'none', 'reported', { default: '3', requires: ['upstream-hash-by-subset'] }),

  // backend TLS
  a('proxy-ssl-secret', SECRET_REF, 'Medium', 'The Secret ("namespace/name") with the client certificate and the CA used towards an HTTPS backend.', 'BackendTLSPolicy validation.caCertificateRefs (the CA part)', 'reported'),
  a('proxy-ssl-verify', ON_OFF, 'Low', 'Whether the certificate of the HTTPS backend is verified.', 'BackendTLSPolicy', 'reported', { default: 'off' }),
  a('proxy-ssl-verify-depth', { type: 'int', min: 0 }, 'Low', 'Maximum length of the backend certificate chain.', 'none', 'reported', { default: '1' }),
  a('proxy-ssl-name', { type: 'server-names' }, 'High', 'The name the backend certificate is checked against (and sent as SNI).', 'BackendTLSPolicy validation.hostname', 'reported'),
  a('proxy-ssl-server-name', ON_OFF, 'Low', 'Whether SNI is sent to the HTTPS backend.', 'BackendTLSPolicy sends validation.hostname as SNI', 'reported', { default: 'off' }),
  a('proxy-ssl-ciphers', { type: 'pattern', pattern: '^[A-Za-z0-9+:_\\-!]*$', removeSpaces: true, describe: 'an OpenSSL cipher list' }, 'Medium', 'Ciphers offered to the HTTPS backend.', 'none', 'reported'),
  a('proxy-ssl-protocols', { type: 'pattern', pattern: '^(TLSv1\\.2|TLSv1\\.3| )*$', removeSpaces: true, describe: 'TLSv1.2 and/or TLSv1.3' }, 'Low', 'TLS versions offered to the HTTPS backend.', 'none', 'reported', { default: 'TLSv1.2 TLSv1.3' }),

  // client TLS
  a('ssl-ciphers', { type: 'pattern', pattern: '^(?:(?:[A-Za-z0-9!:+\\-_])*(?:@STRENGTH)*(?:@SECLEVEL=[0-5])*(?:@STRENGTH)*)*$', removeSpaces: true, describe: 'an OpenSSL cipher list' }, 'Low', 'Ciphers offered to clients for this server.', 'none (listener TLS options are implementation-specific)', 'reported'),
  a('ssl-prefer-server-ciphers', BOOL, 'Low', 'Prefers the server\'s cipher order over the client\'s.', 'none', 'reported'),

  // session affinity
  a('affinity', { type: 'options', options: ['cookie'] }, 'Low', 'Sticky sessions; the only type is cookie.', 'sessionPersistence on the HTTPRoute rule (experimental channel)', 'reported'),
  a('affinity-mode', { type: 'options', options: ['balanced', 'persistent'] }, 'Medium', 'balanced re-spreads some sessions when endpoints are added; persistent never does.', 'none', 'reported', { default: 'balanced', requires: ['affinity'] }),
  a('affinity-canary-behavior', { type: 'options', options: ['sticky', 'legacy'] }, 'Low', 'Whether clients served by a canary stay on it (sticky) or affinity ignores canaries (legacy).', 'none', 'reported', { default: 'sticky', requires: ['affinity'] }),
  a('session-cookie-name', BASIC, 'Medium', 'Name of the affinity cookie.', 'sessionPersistence sessionName (experimental)', 'reported', { default: 'INGRESSCOOKIE', requires: ['affinity'] }),
  a('session-cookie-path', URL, 'Medium', 'Path of the affinity cookie; needed when use-regex is on (a regex is not a cookie path).', 'none', 'reported', { requires: ['affinity'] }),
  a('session-cookie-domain', BASIC, 'Medium', 'Domain of the affinity cookie.', 'none', 'reported', { requires: ['affinity'] }),
  a('session-cookie-secure', BOOL, 'Low', 'Sets the Secure attribute on the affinity cookie.', 'none', 'reported', { requires: ['affinity'] }),
  a('session-cookie-expires', { type: 'pattern', pattern: '(^0|-?[1-9][0-9]*$)', removeSpaces: true, describe: 'a number of seconds' }, 'Medium', 'Expires attribute of the affinity cookie, in seconds (legacy browsers).', 'sessionPersistence absoluteTimeout (experimental)', 'reported', { requires: ['affinity'] }),
  a('session-cookie-max-age', { type: 'pattern', pattern: '(^0|-?[1-9][0-9]*$)', describe: 'a number of seconds' }, 'Medium', 'Max-Age of the affinity cookie, in seconds.', 'sessionPersistence absoluteTimeout (experimental)', 'reported', { requires: ['affinity'] }),
  a('session-cookie-samesite', { type: 'options', options: ['none', 'lax', 'strict'], caseInsensitive: true }, 'Low', 'SameSite attribute of the affinity cookie: None, Lax or Strict.', 'none', 'reported', { requires: ['affinity'] }),
  a('session-cookie-conditional-samesite-none', BOOL, 'Low', 'Leaves out SameSite=None for browsers that mishandle it.', 'none', 'reported', { requires: ['affinity'] }),
  a('session-cookie-change-on-failure', BOOL, 'Low', 'Issues a new cookie when the remembered endpoint fails.', 'none', 'reported', { default: 'false', requires: ['affinity'] }),

  // snippets
  a('configuration-snippet', { type: 'snippet' }, 'Critical', 'Raw nginx configuration added to the location block of every path of this Ingress.', 'none: the Gateway API has no raw configuration; express it with filters or an implementation policy', 'reported'),
  a('server-snippet', { type: 'snippet' }, 'Critical', 'Raw nginx configuration added to the server block of the host (once per host).', 'none', 'reported'),
  a('stream-snippet', { type: 'snippet' }, 'Critical', 'Raw nginx configuration added to the stream (TCP/UDP) block.', 'none', 'reported'),
  a('modsecurity-snippet', { type: 'snippet' }, 'Critical', 'ModSecurity rules added for this location.', 'none', 'reported', { requires: ['enable-modsecurity'] }),

  // web application firewall, observability, logging
  a('enable-modsecurity', BOOL, 'Low', 'Turns the ModSecurity web application firewall on for this Ingress.', 'none', 'reported', { default: 'false' }),
  a('enable-owasp-core-rules', BOOL, 'Low', 'Loads the OWASP Core Rule Set into ModSecurity.', 'none', 'reported', { default: 'false', requires: ['enable-modsecurity'] }),
  a('modsecurity-transaction-id', NGINX_VARIABLE, 'High', 'The nginx variable used as ModSecurity transaction id.', 'none', 'reported', { requires: ['enable-modsecurity'] }),
  a('enable-opentelemetry', BOOL, 'Low', 'Turns OpenTelemetry tracing on or off for this Ingress.', 'none', 'not-applicable'),
  a('opentelemetry-trust-incoming-span', BOOL, 'Low', 'Continues traces started by the client.', 'none', 'not-applicable', { requires: ['enable-opentelemetry'] }),
  a('opentelemetry-operation-name', { type: 'pattern', pattern: '^[A-Za-z0-9_\\-]*$', removeSpaces: true, describe: 'letters, digits, _ and -' }, 'Medium', 'The span name for requests of this Ingress.', 'none', 'not-applicable', { requires: ['enable-opentelemetry'] }),
  a('enable-access-log', BOOL, 'Low', 'Writes the access log for this Ingress.', 'none', 'not-applicable', { default: 'true' }),
  a('enable-rewrite-log', BOOL, 'Low', 'Logs the rewrite decisions at notice level.', 'none', 'not-applicable', { default: 'false' }),
  a('mirror-target', { type: 'server-names' }, 'High', 'Sends a copy of every request to this URL (responses ignored).', 'RequestMirror filter (Extended) to a Service backendRef', 'reported'),
  a('mirror-host', { type: 'server-names' }, 'High', 'Host header of the mirrored requests.', 'none', 'reported', { requires: ['mirror-target'] }),
  a('mirror-request-body', ON_OFF, 'Low', 'Whether mirrored requests carry the body.', 'none', 'reported', { default: 'on', requires: ['mirror-target'] }),
  a('http2-push-preload', BOOL, 'Low', 'HTTP/2 server push of the resources in Link preload headers (browsers dropped server push).', 'none', 'not-applicable', { default: 'false' }),
  a('fastcgi-index', { type: 'pattern', pattern: '^[A-Za-z0-9.\\-_]+$', removeSpaces: true, describe: 'a file name' }, 'Medium', 'The FastCGI index file (with backend-protocol FCGI).', 'none', 'reported', { requires: ['backend-protocol'] }),
  a('fastcgi-params-configmap', BASIC, 'Medium', 'A ConfigMap ("namespace/name") of FastCGI parameters.', 'none', 'reported', { requires: ['backend-protocol'] }),
];

/** Annotations current releases ignore (removed features), with what replaced them. */
export const REMOVED_INGRESS_NGINX_ANNOTATIONS: readonly AnnotationSpec[] = [
  ['secure-backends', 'removed in 0.21: use backend-protocol: "HTTPS"'],
  ['grpc-backend', 'removed in 0.21: use backend-protocol: "GRPC"'],
  ['session-cookie-hash', 'removed in 0.24: the cookie value is no longer a configurable hash'],
  ['add-base-url', 'removed in 0.22: rewrite-target with capture groups replaced it'],
  ['base-url-scheme', 'removed in 0.22 with add-base-url'],
  ['enable-influxdb', 'removed in 1.7 with the InfluxDB module'],
  ['influxdb-measurement', 'removed in 1.7 with the InfluxDB module'],
  ['influxdb-port', 'removed in 1.7 with the InfluxDB module'],
  ['influxdb-host', 'removed in 1.7 with the InfluxDB module'],
  ['influxdb-server-name', 'removed in 1.7 with the InfluxDB module'],
  ['enable-opentracing', 'removed in 1.10 with OpenTracing: use enable-opentelemetry'],
  ['opentracing-trust-incoming-span', 'removed in 1.10 with OpenTracing: use opentelemetry-trust-incoming-span'],
  ['global-rate-limit', 'removed in 1.12 with the memcached-based global rate limit'],
  ['global-rate-limit-window', 'removed in 1.12 with the global rate limit'],
  ['global-rate-limit-key', 'removed in 1.12 with the global rate limit'],
  ['global-rate-limit-ignored-cidrs', 'removed in 1.12 with the global rate limit'],
].map(([name, removed]) => ({ ...a(name, { type: 'text' }, undefined, `No longer read by ingress-nginx (${removed}).`, NO_GW, 'reported'), removed }));
