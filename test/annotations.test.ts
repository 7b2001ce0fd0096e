// The annotation knowledge table (engine/annotations/): it covers every annotation the ingress-nginx
// annotation parsers read (internal/ingress/annotations/*/main.go at the controller's main branch, as
// of 2026-03), checks values as those parsers' validators do, and answers hover in the editor.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allAnnotationSpecs,
  annotationSpec,
  checkValue,
  INGRESS_NGINX_ANNOTATIONS,
  NGINX_PREFIX,
  suggestIngressNginxKey,
} from '../server/src/engine/annotations/index';
import type { ValueFormat } from '../server/src/engine/annotations/index';
import { TextWorkspace } from '../server/src/service/documents';
import { createLanguageService } from '../server/src/service/language-service';

// The keys of the parsers' AnnotationFields (plus the auth parser's four), one list as upstream has them.
const UPSTREAM_KEYS =
  `affinity affinity-canary-behavior affinity-mode allowlist-source-range app-root auth-always-set-cookie auth-cache-duration auth-cache-key auth-keepalive auth-keepalive-requests auth-keepalive-share-vars auth-keepalive-timeout auth-method auth-proxy-set-headers auth-realm auth-request-redirect auth-response-headers auth-secret auth-secret-type auth-signin auth-signin-redirect-param auth-snippet auth-tls-error-page auth-tls-match-cn auth-tls-pass-certificate-to-upstream auth-tls-secret auth-tls-verify-client auth-tls-verify-depth auth-type auth-url backend-protocol canary canary-by-cookie canary-by-header canary-by-header-pattern canary-by-header-value canary-weight canary-weight-total client-body-buffer-size configuration-snippet connection-proxy-header cors-allow-credentials cors-allow-headers cors-allow-methods cors-allow-origin cors-expose-headers cors-max-age custom-headers custom-http-errors default-backend denylist-source-range disable-proxy-intercept-errors enable-access-log enable-cors enable-global-auth enable-modsecurity enable-opentelemetry enable-owasp-core-rules enable-rewrite-log fastcgi-index fastcgi-params-configmap force-ssl-redirect from-to-www-redirect http2-push-preload limit-allowlist limit-burst-multiplier limit-connections limit-rate limit-rate-after limit-rpm limit-rps load-balance mirror-host mirror-request-body mirror-target modsecurity-snippet modsecurity-transaction-id opentelemetry-operation-name opentelemetry-trust-incoming-span permanent-redirect permanent-redirect-code preserve-trailing-slash proxy-body-size proxy-buffer-size proxy-buffering proxy-buffers-number proxy-busy-buffers-size proxy-connect-timeout proxy-cookie-domain proxy-cookie-path proxy-http-version proxy-max-temp-file-size proxy-next-upstream proxy-next-upstream-timeout proxy-next-upstream-tries proxy-read-timeout proxy-redirect-from proxy-redirect-to proxy-request-buffering proxy-send-timeout proxy-ssl-ciphers proxy-ssl-name proxy-ssl-protocols proxy-ssl-secret proxy-ssl-server-name proxy-ssl-verify proxy-ssl-verify-depth relative-redirects rewrite-target satisfy server-alias server-snippet service-upstream session-cookie-change-on-failure session-cookie-conditional-samesite-none session-cookie-domain session-cookie-expires session-cookie-max-age session-cookie-name session-cookie-path session-cookie-samesite session-cookie-secure ssl-ciphers ssl-passthrough ssl-prefer-server-ciphers ssl-redirect stream-snippet temporal-redirect temporal-redirect-code upstream-hash-by upstream-hash-by-subset upstream-hash-by-subset-size upstream-vhost use-port-in-redirects use-regex x-forwarded-prefix`.split(
    ' ',
  );

test('annotations: the table holds exactly the annotations ingress-nginx reads', () => {
  const ours = INGRESS_NGINX_ANNOTATIONS.map((s) => s.key.slice(NGINX_PREFIX.length)).sort();
  assert.deepEqual(ours, [...UPSTREAM_KEYS].sort());
  for (const s of INGRESS_NGINX_ANNOTATIONS) {
    assert.ok(s.summary.length > 20, s.key);
    assert.ok(s.gateway === null || s.gateway.length > 3, s.key);
  }
  // the old names the parsers still read
  assert.equal(
    annotationSpec(`${NGINX_PREFIX}whitelist-source-range`)?.key,
    `${NGINX_PREFIX}allowlist-source-range`,
  );
  assert.equal(annotationSpec(`${NGINX_PREFIX}limit-whitelist`)?.key, `${NGINX_PREFIX}limit-allowlist`);
  // the issue's converted list is marked converted
  for (const name of [
    'ssl-redirect',
    'force-ssl-redirect',
    'permanent-redirect',
    'temporal-redirect',
    'app-root',
    'rewrite-target',
    'canary',
    'canary-weight',
    'canary-by-header',
    'enable-cors',
    'backend-protocol',
    'use-regex',
  ]) {
    assert.equal(annotationSpec(NGINX_PREFIX + name)?.migration, 'converted', name);
  }
  assert.ok(
    allAnnotationSpecs().some((s) => s.controller === 'aws-alb') &&
      allAnnotationSpecs().some((s) => s.controller === 'traefik'),
  );
});

test('annotations: did you mean', () => {
  assert.equal(suggestIngressNginxKey(`${NGINX_PREFIX}rewrite-traget`), `${NGINX_PREFIX}rewrite-target`);
  assert.equal(suggestIngressNginxKey(`${NGINX_PREFIX}ssl_redirect`), `${NGINX_PREFIX}ssl-redirect`);
  assert.equal(suggestIngressNginxKey(`${NGINX_PREFIX}Use-Regex`), `${NGINX_PREFIX}use-regex`);
  assert.equal(suggestIngressNginxKey(`${NGINX_PREFIX}totally-unrelated-thing`), undefined);
});

const formats: { format: ValueFormat; good: string[]; bad: string[] }[] = [
  // Go's strconv.ParseBool
  {
    format: { type: 'bool' },
    good: ['true', 'false', 'True', 'FALSE', '1', '0', 't', 'F'],
    bad: ['yes', 'on', 'TRue', ' true', ''],
  },
  // Go's strconv.Atoi
  { format: { type: 'int' }, good: ['0', '60', '-1', '+5'], bad: ['60s', '1.5', '', ' 60', '1e3'] },
  { format: { type: 'int', min: 300, max: 308 }, good: ['301', '308'], bad: ['200', '309'] },
  // ingress-nginx SizeRegex ^(?i)\d+[bkmg]?$
  {
    format: { type: 'size' },
    good: ['8m', '8M', '1024', '0', '10k', '1g', '5b'],
    bad: ['10MB', '1.5m', 'm', '8 m', '1t'],
  },
  // net.ParseCIDRs: CIDRs or plain IPs, comma-separated, spaces trimmed
  {
    format: { type: 'cidrs' },
    good: ['10.0.0.0/8', '10.0.0.0/24,172.10.0.1', '10.0.0.0/8, 192.168.0.1', '2001:db8::/32', ''],
    bad: ['10.0.0.0/33', '192.168.0.300', '10.0.0.0/8;10.1.0.0/16', 'localhost', '010.0.0.1'],
  },
  {
    format: { type: 'options', options: ['http', 'https'], caseInsensitive: true },
    good: ['HTTP', 'https', ' http '],
    bad: ['http2', 'h2c'],
  },
  { format: { type: 'options', options: ['on', 'off'] }, good: ['on'], bad: ['ON', 'true'] },
  {
    format: annotationSpec(`${NGINX_PREFIX}rewrite-target`)!.value,
    good: ['/', '/$2', '/app/$1', 'https://example.com/$1'],
    bad: ['/a b', '/path?x=1', '/a\n'],
  },
  {
    format: annotationSpec(`${NGINX_PREFIX}custom-http-errors`)!.value,
    good: ['404,415', '500', '502, 503'],
    bad: ['200', '404;415', 'abc'],
  },
  {
    format: annotationSpec(`${NGINX_PREFIX}cors-allow-origin`)!.value,
    good: ['*', 'https://example.com', 'https://*.foo.bar, http://*.bar.foo:8080', 'null'],
    bad: ['https://example.com/path', '**'],
  },
  {
    format: annotationSpec(`${NGINX_PREFIX}proxy-next-upstream`)!.value,
    good: ['error timeout', 'http_502 http_503 non_idempotent', 'off'],
    bad: ['error,timeout', 'http_418'],
  },
  {
    format: { type: 'service-name' },
    good: ['default-backend', 'web2'],
    bad: ['Default_Backend', '2web', 'web.shop'],
  },
  { format: { type: 'common-name' }, good: ['CN=client1', 'CN=(a|b)'], bad: ['client1', 'CN=(a'] },
  {
    format: { type: 'json' },
    good: ['[{"HTTP": 80}]', '{"type":"redirect"}'],
    bad: ['[{"HTTP": 80}', "{'a':1}"],
  },
];

for (const { format, good, bad } of formats) {
  test(`annotations: value format ${format.type}${'pattern' in format ? ` ${format.pattern}` : ''}`, () => {
    for (const v of good) assert.equal(checkValue(format, v), undefined, `"${v}" should pass`);
    for (const v of bad) assert.notEqual(checkValue(format, v), undefined, `"${v}" should fail`);
  });
}

test('annotations: value checks stay linear on long adversarial values', () => {
  // the cors-allow-origin validator is a nested repetition: a backtracking engine takes exponential
  // time on this input; re2js answers in linear time (no timing assertion: it must just finish)
  const evil = 'a'.repeat(5000) + '!';
  assert.notEqual(checkValue(annotationSpec(`${NGINX_PREFIX}cors-allow-origin`)!.value, evil), undefined);
  assert.notEqual(
    checkValue(annotationSpec(`${NGINX_PREFIX}cors-allow-methods`)!.value, `${'GET,'.repeat(3000)}1`),
    undefined,
  );
});

const YAML = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    nginx.ingress.kubernetes.io/use-regex: "true"
    nginx.ingress.kubernetes.io/proxy-read-timeout: "60s"
    nginx.ingress.kubernetes.io/configuration-snippet: "more_set_headers X: y;"
    nginx.ingress.kubernetes.io/rewrite-traget: /
    nginx.ingress.kubernetes.io/secure-backends: "true"
    alb.ingress.kubernetes.io/scheme: internal
spec:
  ingressClassName: nginx
  defaultBackend:
    service:
      name: web
      port:
        number: 80
`;

function hoverAt(needle: string, delta = 2): string {
  const ws = new TextWorkspace();
  const uri = 'file:///hover.yaml';
  ws.set(uri, YAML);
  const service = createLanguageService(ws);
  const offset = YAML.indexOf(needle) + delta;
  const before = YAML.slice(0, offset).split('\n');
  const h = service.doHover(uri, { line: before.length - 1, character: before[before.length - 1].length });
  assert.ok(h, `hover on ${needle}`);
  const md = typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : String(h.contents);
  // compare the text as rendered: markdown escapes removed
  return md.replace(/\\([\\`*_{}[\]()#+\-.!<>|~"])/g, '$1');
}

test('annotations: hover says what an annotation does, its value, default and Gateway API equivalent', () => {
  const regex = hoverAt('nginx.ingress.kubernetes.io/use-regex');
  assert.match(regex, /\*\*nginx\.ingress\.kubernetes\.io\/use-regex\*\* \(ingress-nginx\)/);
  assert.match(regex, /every location of the same host, from every Ingress/);
  assert.match(regex, /Value: "true" or "false"/);
  assert.match(regex, /Default: `false`/);
  assert.match(regex, /Gateway API: HTTPRoute path match type RegularExpression/);
  assert.match(regex, /Migration: converted/);
  const timeout = hoverAt('"60s"', 1);
  assert.match(timeout, /Value: a whole number of seconds \(no unit\)/);
  assert.match(timeout, /Default: `60`/);
  assert.match(timeout, /This value does not fit: "60s" has a unit/);
  const snippet = hoverAt('nginx.ingress.kubernetes.io/configuration-snippet');
  assert.match(snippet, /Risk grade: Critical/);
  assert.match(snippet, /Gateway API: none/);
  assert.match(snippet, /Migration: listed as unconverted/);
  assert.match(
    hoverAt('nginx.ingress.kubernetes.io/rewrite-traget'),
    /reads no annotation of this name[\s\S]*Did you mean `nginx\.ingress\.kubernetes\.io\/rewrite-target`\?/,
  );
  assert.match(
    hoverAt('nginx.ingress.kubernetes.io/secure-backends'),
    /No longer read\*\*: removed in 0\.21/,
  );
  assert.match(
    hoverAt('alb.ingress.kubernetes.io/scheme'),
    /\(AWS Load Balancer Controller\)[\s\S]*Default: `internal`/,
  );
});
