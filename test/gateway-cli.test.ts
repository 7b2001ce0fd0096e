// kube-netlens route --gateway (the built dist/cli.js, as a user runs it): the JSON contract of
// docs/cli.md (match.backend, match.backends with weights, gateway, listener, route, rule, filters,
// invalid + reason for HTTP 500, {match: null, reason} for 404), text output, exit codes, and what
// happens without --gateway.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './support/lsp-client';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const BASE = 'test/fixtures/gateway/base.yaml';
const ROUTES = 'test/fixtures/gateway/routes.yaml';
const GW = 'gateway-conformance-infra/same-namespace';

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function json(...args: string[]) {
  const r = run('route', BASE, ROUTES, '--gateway', GW, ...args, '--json');
  assert.equal(r.err, '', r.err);
  return { code: r.code, j: JSON.parse(r.out) };
}

test('a traffic split: match.backend is the heaviest, match.backends lists every weight; exit 0', () => {
  const { code, j } = json('--url', 'http://shop.example.com/cart');
  assert.equal(code, 0);
  assert.equal(j.version, 1);
  assert.equal(j.gateway, GW);
  assert.equal(j.match.gateway, GW);
  assert.equal(j.match.listener, 'http');
  assert.equal(j.match.route, 'gateway-conformance-infra/split');
  assert.equal(j.match.rule, 0);
  assert.equal(j.match.status, 200);
  assert.equal(j.match.invalid, false);
  assert.deepEqual(j.match.backend, {
    service: 'infra-backend-v1',
    namespace: 'gateway-conformance-infra',
    port: 8080,
  });
  assert.deepEqual(
    j.match.backends.map((b: { service: string; namespace: string; port: number; weight: number }) => ({
      service: b.service,
      namespace: b.namespace,
      port: b.port,
      weight: b.weight,
    })),
    [
      { service: 'infra-backend-v1', namespace: 'gateway-conformance-infra', port: 8080, weight: 80 },
      { service: 'infra-backend-v2', namespace: 'gateway-conformance-infra', port: 8080, weight: 20 },
    ],
  );
  assert.deepEqual(j.match.filters, []);
  assert.equal(j.service.name, 'gateway-conformance-infra/infra-backend-v1');
  assert.equal(j.match.location.file, ROUTES);
});

test("status: listener attachedRoutes and conditions, each route parentRef's Accepted and ResolvedRefs", () => {
  const { j } = json('--url', 'http://shop.example.com/cart');
  assert.equal(j.status.gateway, GW);
  assert.equal(j.status.attachedListenerSets, 0);
  assert.deepEqual(j.status.listenerSets, []);
  assert.deepEqual(
    j.status.listeners.map(
      (l: {
        name: string;
        attachedRoutes: number;
        supportedKinds: string[];
        conditions: { type: string; status: string }[];
      }) => [l.name, l.attachedRoutes, l.supportedKinds, l.conditions.map((c) => `${c.type}=${c.status}`)],
    ),
    [
      [
        'http',
        1,
        ['HTTPRoute', 'GRPCRoute'],
        ['Accepted=True', 'ResolvedRefs=True', 'Programmed=True', 'Conflicted=False'],
      ],
    ],
  );
  assert.deepEqual(j.status.routes.length, 1);
  const [route] = j.status.routes;
  assert.equal(route.route, 'gateway-conformance-infra/split');
  assert.deepEqual(route.parents[0].parentRef, {
    name: 'same-namespace',
    namespace: 'gateway-conformance-infra',
    kind: 'Gateway',
  });
  assert.deepEqual(
    route.parents[0].conditions.map((c: { type: string; status: string; reason: string }) => [
      c.type,
      c.status,
      c.reason,
    ]),
    [
      ['Accepted', 'True', 'Accepted'],
      ['ResolvedRefs', 'False', 'RefNotPermitted'],
    ],
  );
});

test('--header and --method take part in matching', () => {
  assert.equal(
    json('--url', 'http://shop.example.com/beta/x', '--header', 'X-Canary: true').j.match.backend.service,
    'infra-backend-v3',
  );
  assert.equal(
    json('--url', 'http://shop.example.com/beta/x', '--header', 'X-Canary: false').j.match.backend.service,
    'infra-backend-v1',
  );
  assert.equal(
    json('--url', 'http://shop.example.com/beta/x', '--method', 'post', '--header', 'x-canary:true').j.method,
    'POST',
  );
});

test('a redirect: the filter with its computed Location; no backend; exit 0', () => {
  const { code, j } = json('--url', 'http://shop.example.com/old?q=1');
  assert.equal(code, 0);
  assert.equal(j.match.status, 301);
  assert.equal(j.match.backend, null);
  assert.equal(j.match.filters.length, 1);
  assert.equal(j.match.filters[0].type, 'RequestRedirect');
  assert.deepEqual(j.match.filters[0].redirect, {
    statusCode: 301,
    scheme: 'https',
    hostname: 'shop.example.com',
    port: null,
    path: '/new',
    location: 'https://shop.example.com/new?q=1',
  });
  assert.equal(j.match.redirect.location, 'https://shop.example.com/new?q=1');
});

test('an invalid backend: match.invalid with match.reason, status 500; exit 1', () => {
  const { code, j } = json('--url', 'http://shop.example.com/web');
  assert.equal(code, 1);
  assert.equal(j.match.invalid, true);
  assert.equal(j.match.status, 500);
  assert.deepEqual(j.match.backend, {
    service: 'web-backend',
    namespace: 'gateway-conformance-web-backend',
    port: 8080,
  });
  assert.match(
    j.match.reason,
    /no ReferenceGrant in namespace gateway-conformance-web-backend allows HTTPRoutes of namespace gateway-conformance-infra/,
  );
  assert.equal(j.match.backends[0].reasonCode, 'RefNotPermitted');
});

test('no match: {"match": null, "reason": ...}; exit 1', () => {
  const { code, j } = json('--url', 'http://other.example.com/');
  assert.equal(code, 1);
  assert.equal(j.match, null);
  assert.equal(
    j.reason,
    '404: none of the 1 route attached to listener "http" of Gateway gateway-conformance-infra/same-namespace serves host other.example.com',
  );
});

test('text output names each step and where it is written', () => {
  const r = run('route', BASE, ROUTES, '--gateway', GW, '--url', 'http://shop.example.com/web');
  assert.equal(r.code, 1);
  const lines = r.out.split('\n');
  assert.equal(
    lines[0],
    'GET http://shop.example.com/web → HTTP 500 (backend gateway-conformance-web-backend/web-backend)',
  );
  assert.equal(lines[1], '  gateway  gateway-conformance-infra/same-namespace, listener "http"');
  assert.equal(lines[2], '  route    HTTPRoute gateway-conformance-infra/split (hostname shop.example.com)');
  assert.match(lines[3], /^ {11}at test\/fixtures\/gateway\/routes\.yaml:6:9$/);
  assert.equal(lines[4], '  rule     rule 3, match 0: PathPrefix /web');
});

test('without --gateway: the Ingresses answer, with a note naming the Gateways', () => {
  const r = run('route', BASE, ROUTES, '--url', 'http://shop.example.com/cart', '--json');
  const j = JSON.parse(r.out);
  assert.equal(j.match.ingress, 'gateway-conformance-infra/legacy');
  assert.ok(
    j.notes.some(
      (n: string) =>
        n.startsWith('these manifests also define Gateways gateway-conformance-infra/same-namespace') &&
        n.includes('pass --gateway NAMESPACE/NAME'),
    ),
    j.notes.join('\n'),
  );
});

test('without --gateway and without Ingresses: several Gateways is a usage error naming them', () => {
  const r = run('route', BASE, '--url', 'http://shop.example.com/');
  assert.equal(r.code, 2);
  assert.match(
    r.err,
    /these manifests define no Ingress and 4 Gateways: pick one with --gateway \(gateway-conformance-infra\/same-namespace, /,
  );
});

test('bad --gateway, --header and --method are usage errors (exit 2)', () => {
  const unknown = run('route', BASE, '--gateway', 'nope/gw', '--url', 'http://h/');
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /--gateway: these manifests define no Gateway nope\/gw/);
  const header = run('route', BASE, '--gateway', GW, '--url', 'http://h/', '--header', 'no-colon');
  assert.equal(header.code, 2);
  assert.match(header.err, /--header must be "Name: value"/);
  const method = run('route', BASE, '--gateway', GW, '--url', 'http://h/', '--method', 'GET /');
  assert.equal(method.code, 2);
});

test("route --gateway's problems are the route graph's findings, worded and placed as check reports them", () => {
  const FACTS = 'test/fixtures/gateway/graph-facts.yaml';
  const check = JSON.parse(run('check', FACTS, '--json').out) as {
    findings: { rule: string; severity: string; message: string; line: number; column: number }[];
  };
  const finding = (rule: string) => {
    const f = check.findings.filter((x) => x.rule === rule && x.severity !== 'information');
    assert.equal(f.length, 1, `one ${rule} finding: ${JSON.stringify(check.findings)}`);
    return f[0];
  };
  const asProblem = (step: string, f: ReturnType<typeof finding>) => ({
    step,
    ruleId: f.rule,
    severity: f.severity,
    message: f.message,
    at: `${f.line}:${f.column}`,
  });
  const problemsOf = (url: string) => {
    const r = run('route', FACTS, '--gateway', 'infra/web', '--url', url, '--json');
    const j = JSON.parse(r.out);
    return {
      code: r.code,
      j,
      problems: j.problems.map(
        (p: {
          step: string;
          ruleId: string;
          severity: string;
          message: string;
          location: { line: number; column: number };
        }) => ({
          step: p.step,
          ruleId: p.ruleId,
          severity: p.severity,
          message: p.message,
          at: `${p.location.line}:${p.location.column}`,
        }),
      ),
    };
  };

  // The Service's selector matches no pod: the request is forwarded (status 200) but the graph says
  // no pod serves it, in the rule's words; the entries name the listener and the rule of the graph.
  const cart = problemsOf('https://shop.example.com/cart');
  assert.equal(cart.j.match.status, 200);
  assert.deepEqual(cart.problems, [asProblem('workloads', finding('service-selector-no-match'))]);
  assert.deepEqual(cart.j.match.entries, {
    listener: 'listener:infra/web/https',
    rule: 'rule:HTTPRoute/app/shop/0',
  });
  assert.equal(cart.j.service.name, 'app/cart');
  assert.deepEqual(cart.j.pods, []);
  // the listener's TLS, as the Ingress answer's `tls`
  assert.deepEqual(
    { ...cart.j.tls, location: cart.j.tls.location.line },
    {
      gateway: 'infra/web',
      listener: 'https',
      mode: 'Terminate',
      secretName: 'shop-cert',
      certificateRefs: [{ kind: 'Secret', namespace: 'infra', name: 'shop-cert' }],
      hosts: ['shop.example.com'],
      location: 21, // the listener's tls block
    },
  );

  // The cross-namespace backend no ReferenceGrant opens: HTTP 500, and the same error check reports.
  const other = problemsOf('https://shop.example.com/other');
  assert.equal(other.code, 1);
  assert.equal(other.j.match.status, 500);
  assert.deepEqual(other.problems, [asProblem('backend', finding('route-backend-not-resolved'))]);
  assert.equal(other.j.service, null);

  // SARIF carries the same findings under their rule ids
  const sarif = JSON.parse(
    run('route', FACTS, '--gateway', 'infra/web', '--url', 'https://shop.example.com/cart', '--sarif').out,
  );
  assert.deepEqual(
    sarif.runs[0].results.map((x: { ruleId: string; level: string }) => `${x.ruleId} ${x.level}`),
    ['service-selector-no-match warning'],
  );
  // and the text names it as a problem with its place
  const text = run('route', FACTS, '--gateway', 'infra/web', '--url', 'https://shop.example.com/cart').out;
  assert.match(text, /problem {2}Selector app=carts matches no pod/);
});

test('--sni: a Host another HTTPS listener serves gets 421, one no listener accepts 404 (conformance HTTPRouteHTTPSListenerDetectMisdirectedRequests)', () => {
  // the upstream manifests (the class name placeholder left as written: it does not change routing)
  const FILES = [
    'test/fixtures/gateway-conformance/base.yaml',
    'test/fixtures/gateway-conformance/httproute-https-listener-detect-misdirected-requests.yaml',
  ];
  const GATEWAY = 'gateway-conformance-infra/same-namespace-with-https-listener';
  // [SNI, Host, status, backend], the upstream test's table
  const CASES: [string, string, number, string?][] = [
    ['example.org', 'example.org', 200, 'infra-backend-v1'],
    ['example.org', 'second-example.org', 421],
    ['example.org', 'unknown-example.org', 404],
    ['second-example.org', 'second-example.org', 200, 'infra-backend-v2'],
    ['second-example.org', 'example.org', 421],
    ['second-example.org', 'unknown-example.org', 421],
    ['third-example.wildcard.org', 'third-example.wildcard.org', 200, 'infra-backend-v3'],
    ['third-example.wildcard.org', 'fith-example.wildcard.org', 200, 'infra-backend-v3'],
    ['third-example.wildcard.org', 'fourth-example.wildcard.org', 421],
    ['third-example.wildcard.org', 'second-example.org', 421],
    ['third-example.wildcard.org', 'unknown-example.org', 421],
    ['fourth-example.wildcard.org', 'fourth-example.wildcard.org', 200, 'infra-backend-v1'],
    ['fourth-example.wildcard.org', 'fith-example.wildcard.org', 421],
    ['unknown-example.org', 'example.org', 200, 'infra-backend-v1'],
    ['unknown-example.org', 'unknown-example.org', 404],
  ];
  for (const [sni, host, status, backend] of CASES) {
    const r = run(
      'route',
      ...FILES,
      '--gateway',
      GATEWAY,
      '--sni',
      sni,
      '--url',
      `https://${host}/detect-misdirected-requests`,
      '--json',
    );
    const j = JSON.parse(r.out);
    const label = `SNI ${sni}, Host ${host}`;
    assert.equal(j.sni, sni, label);
    if (status === 200) {
      assert.equal(r.code, 0, label);
      assert.equal(j.match.status, 200, label);
      assert.equal(j.match.backend.service, backend, label);
    } else {
      assert.equal(r.code, 1, label);
      assert.equal(j.match, null, label);
      assert.match(j.reason, new RegExp(`^${status}: `), `${label}: ${j.reason}`);
      assert.equal(j.misdirected !== undefined, status === 421, label);
    }
  }
  // the 421 names both listeners; the text says what the client gets
  const { j } = (() => {
    const r = run(
      'route',
      ...FILES,
      '--gateway',
      GATEWAY,
      '--sni',
      'third-example.wildcard.org',
      '--url',
      'https://fourth-example.wildcard.org/detect-misdirected-requests',
      '--json',
    );
    return { j: JSON.parse(r.out) };
  })();
  assert.deepEqual(j.misdirected, {
    sniListener: 'https-with-wildcard-hostname',
    hostListener: 'https-with-hostname-matching-wildcard',
  });
  assert.equal(j.listener, 'https-with-wildcard-hostname');
  const text = run(
    'route',
    ...FILES,
    '--gateway',
    GATEWAY,
    '--sni',
    'example.org',
    '--url',
    'https://second-example.org/detect-misdirected-requests',
  ).out;
  assert.match(
    text,
    /^NO MATCH \(421 Misdirected Request\): GET https:\/\/second-example\.org\/detect-misdirected-requests \(SNI example\.org\)\n/,
  );
  assert.match(
    text,
    /host second-example\.org belongs to listener "https-with-hostname" \(second-example\.org\)/,
  );
});

test('--sni: only with --gateway and an https:// URL; an SNI no HTTPS listener accepts fails the handshake', () => {
  const FILE = 'test/fixtures/gateway/graph-facts.yaml';
  const noGw = run('route', FILE, '--sni', 'example.org', '--url', 'https://example.org/');
  assert.equal(noGw.code, 2);
  assert.match(noGw.err, /--sni is for a Gateway answer/);
  const http = run('route', FILE, '--gateway', 'infra/web', '--sni', 'a.org', '--url', 'http://a.org/');
  assert.equal(http.code, 2);
  assert.match(http.err, /--sni is the TLS server name of an https:\/\/ request/);
  // a Gateway whose only HTTPS listener has a hostname: another SNI gets no certificate
  const only = run(
    'route',
    'test/fixtures/gateway/graph-facts.yaml',
    '--gateway',
    'infra/web',
    '--sni',
    'other.example.com',
    '--url',
    'https://shop.example.com/cart',
    '--json',
  );
  const j = JSON.parse(only.out);
  assert.equal(only.code, 1);
  assert.equal(j.match, null);
  assert.match(
    j.reason,
    /^rejected: no HTTPS listener of Gateway .* accepts SNI other\.example\.com, so no certificate is offered and the TLS handshake fails/,
  );
});
