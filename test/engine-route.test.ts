// Route resolution (engine/route.ts) on manifests written as YAML and read through the real model.
// Tables follow the Ingress semantics of the Kubernetes documentation: host matching, Exact/Prefix
// paths, precedence, merging, conflicts, default backends and the route on to the pods.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveRoute } from '../server/src/engine/route';
import type { RouteOptions } from '../server/src/engine/route';
import { clusterOf, docs } from './support/cluster';

interface PathSpec {
  type?: string;
  path?: string;
  service: string;
  port?: number | string;
}

interface IngressSpec {
  name: string;
  namespace?: string;
  className?: string;
  rules?: { host?: string; paths: PathSpec[] }[];
  defaultBackend?: { service: string; port: number | string };
  tls?: { hosts?: string[]; secretName?: string }[];
}

function portYaml(port: number | string | undefined, indent: string): string {
  if (port === undefined) return '';
  return `${indent}port:\n${indent}  ${typeof port === 'number' ? 'number' : 'name'}: ${port}\n`;
}

function ingress(s: IngressSpec): string {
  let y = `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ${s.name}\n  namespace: ${s.namespace ?? 'default'}\nspec:\n`;
  if (s.className) y += `  ingressClassName: ${s.className}\n`;
  if (s.defaultBackend)
    y += `  defaultBackend:\n    service:\n      name: ${s.defaultBackend.service}\n${portYaml(s.defaultBackend.port, '      ')}`;
  if (s.tls) {
    y += '  tls:\n';
    for (const t of s.tls) {
      y += `  - secretName: ${t.secretName ?? 'null'}\n`;
      if (t.hosts) y += `    hosts: [${t.hosts.map((h) => JSON.stringify(h)).join(', ')}]\n`;
    }
  }
  if (s.rules) {
    y += '  rules:\n';
    for (const r of s.rules) {
      y += r.host !== undefined ? `  - host: ${JSON.stringify(r.host)}\n    http:\n` : `  - http:\n`;
      y += '      paths:\n';
      for (const p of r.paths) {
        y += `      - pathType: ${p.type ?? 'Prefix'}\n`;
        if (p.path !== undefined) y += `        path: ${JSON.stringify(p.path)}\n`;
        y += `        backend:\n          service:\n            name: ${p.service}\n${portYaml(p.port ?? 80, '            ')}`;
      }
    }
  }
  return y;
}

function route(yaml: string, url: string, options?: RouteOptions) {
  return resolveRoute(clusterOf(yaml), url, options);
}

/** The service the URL reaches, or null. */
function serviceFor(yaml: string, url: string, options?: RouteOptions): string | null {
  const r = route(yaml, url, options);
  if (!r.match) return null;
  return 'service' in r.match.backend ? r.match.backend.service : `resource:${r.match.backend.resource.name}`;
}

// -------------------------------------------------------------------------------------------------
// Hosts

test('host matching: exact, case-insensitive, port ignored, wildcard is exactly one label, no host matches all', () => {
  const exact = ingress({
    name: 'a',
    rules: [{ host: 'shop.example.com', paths: [{ path: '/', service: 'shop' }] }],
  });
  const wildcard = ingress({
    name: 'a',
    rules: [{ host: '*.example.com', paths: [{ path: '/', service: 'wild' }] }],
  });
  const noHost = ingress({ name: 'a', rules: [{ paths: [{ path: '/', service: 'any' }] }] });
  const table: [string, string, string, string | null][] = [
    ['exact host', exact, 'http://shop.example.com/', 'shop'],
    ['exact host, other host', exact, 'http://other.example.com/', null],
    ['host compared without case', exact, 'http://SHOP.Example.COM/cart', 'shop'],
    ['request port ignored', exact, 'https://shop.example.com:8443/cart', 'shop'],
    ['no scheme', exact, 'shop.example.com/cart', 'shop'],
    ['wildcard: one extra label', wildcard, 'http://a.example.com/', 'wild'],
    ['wildcard: not the bare domain', wildcard, 'http://example.com/', null],
    ['wildcard: not two extra labels', wildcard, 'http://a.b.example.com/', null],
    ['wildcard: case-insensitive', wildcard, 'http://A.EXAMPLE.com/', 'wild'],
    ['no host: every host', noHost, 'http://anything.test/x', 'any'],
    ['no host: an IP address too', noHost, 'http://10.0.0.1:8080/x', 'any'],
  ];
  for (const [name, yaml, url, want] of table) assert.equal(serviceFor(yaml, url), want, name);
});

test('host precedence: an exact host beats a wildcard, which beats a rule without host', () => {
  const yaml = ingress({
    name: 'a',
    rules: [
      { paths: [{ path: '/', service: 'any' }] },
      { host: '*.example.com', paths: [{ path: '/', service: 'wild' }] },
      { host: 'shop.example.com', paths: [{ path: '/', service: 'shop' }] },
    ],
  });
  assert.equal(serviceFor(yaml, 'http://shop.example.com/'), 'shop');
  assert.equal(serviceFor(yaml, 'http://blog.example.com/'), 'wild');
  assert.equal(serviceFor(yaml, 'http://example.com/'), 'any');
  const r = route(yaml, 'http://blog.example.com/');
  assert.equal(r.match?.hostMatch, 'wildcard');
  assert.equal(r.match?.host, '*.example.com');
});

// -------------------------------------------------------------------------------------------------
// Paths: the table of the Kubernetes documentation ("Examples" under Ingress path types)

test('path types: Exact and Prefix as the Kubernetes documentation tabulates them', () => {
  const table: [string, string, string, boolean][] = [
    ['Prefix', '/', '(all paths)', true],
    ['Exact', '/foo', '/foo', true],
    ['Exact', '/foo', '/bar', false],
    ['Exact', '/foo', '/foo/', false],
    ['Exact', '/foo/', '/foo', false],
    ['Exact', '/foo', '/FOO', false],
    ['Prefix', '/foo', '/foo', true],
    ['Prefix', '/foo', '/foo/', true],
    ['Prefix', '/foo/', '/foo', true],
    ['Prefix', '/foo/', '/foo/', true],
    ['Prefix', '/aaa/bb', '/aaa/bbb', false],
    ['Prefix', '/aaa/bbb', '/aaa/bbb', true],
    ['Prefix', '/aaa/bbb/', '/aaa/bbb', true],
    ['Prefix', '/aaa/bbb', '/aaa/bbb/', true],
    ['Prefix', '/aaa/bbb', '/aaa/bbb/ccc', true],
    ['Prefix', '/aaa/bbb', '/aaa/bbbxyz', false],
    ['Prefix', '/foo/bar', '/foo/barbaz', false],
    ['Prefix', '/foo/bar', '/foo/bar/baz', true],
    ['Prefix', '/Foo', '/foo', false],
  ];
  for (const [type, path, request, want] of table) {
    const yaml = ingress({ name: 'a', rules: [{ host: 'h.test', paths: [{ type, path, service: 'svc' }] }] });
    const url = `http://h.test${request === '(all paths)' ? '/any/thing' : request}`;
    assert.equal(serviceFor(yaml, url) === 'svc', want, `${type} ${path} vs ${request}`);
  }
});

test('query string and fragment are not part of the path', () => {
  const yaml = ingress({
    name: 'a',
    rules: [{ host: 'h.test', paths: [{ type: 'Exact', path: '/search', service: 'svc' }] }],
  });
  assert.equal(serviceFor(yaml, 'http://h.test/search?q=/x#top'), 'svc');
});

test('precedence: Exact before Prefix, then the longest Prefix, whatever the order written', () => {
  const yaml = ingress({
    name: 'a',
    rules: [
      {
        host: 'h.test',
        paths: [
          { path: '/', service: 'root' },
          { path: '/aaa', service: 'aaa' },
          { path: '/aaa/bbb', service: 'bbb' },
          { type: 'Exact', path: '/aaa/bbb', service: 'exact' },
        ],
      },
    ],
  });
  const table: [string, string][] = [
    ['/aaa/bbb', 'exact'],
    ['/aaa/bbb/', 'bbb'],
    ['/aaa/bbb/ccc', 'bbb'],
    ['/aaa/ccc', 'aaa'],
    ['/aaa', 'aaa'],
    ['/zzz', 'root'],
  ];
  for (const [path, want] of table) assert.equal(serviceFor(yaml, `http://h.test${path}`), want, path);
  const r = route(yaml, 'http://h.test/aaa/bbb');
  assert.equal(r.match?.pathType, 'Exact');
  assert.match(r.match!.why, /Exact match \(wins over 3 Prefix/);
  const longest = route(yaml, 'http://h.test/aaa/bbb/ccc');
  assert.match(longest.match!.why, /longest Prefix match \(\/aaa\/bbb/);
});

test('ImplementationSpecific: Prefix by default, Exact or an anchored regular expression on request', () => {
  const yaml = ingress({
    name: 'a',
    rules: [
      {
        host: 'h.test',
        paths: [
          { type: 'ImplementationSpecific', path: '/api/v[0-9]+', service: 'regex' },
          { type: 'ImplementationSpecific', path: '/static', service: 'static' },
        ],
      },
    ],
  });
  const table: [string, RouteOptions['implementationSpecific'], string | null][] = [
    ['/static/app.js', 'prefix', 'static'],
    ['/static/app.js', undefined, 'static'],
    ['/static', 'exact', 'static'],
    ['/static/app.js', 'exact', null],
    ['/api/v2/users', 'regex', 'regex'],
    ['/API/V2/users', 'regex', 'regex'],
    ['/api/v2/users', 'prefix', null],
    ['/x/api/v2', 'regex', null],
  ];
  for (const [path, mode, want] of table) {
    assert.equal(
      serviceFor(yaml, `http://h.test${path}`, { implementationSpecific: mode }),
      want,
      `${mode ?? 'default'} ${path}`,
    );
  }
  const r = route(yaml, 'http://h.test/api/v2', { implementationSpecific: 'regex' });
  assert.equal(r.match?.matchedAs, 'regex');
  assert.equal(r.implementationSpecific, 'regex');
});

test('a path that is not a valid regular expression is left out with a note, not a crash', () => {
  const yaml = ingress({
    name: 'a',
    rules: [
      {
        host: 'h.test',
        paths: [
          { type: 'ImplementationSpecific', path: '/a(b', service: 'bad' },
          { path: '/', service: 'root' },
        ],
      },
    ],
  });
  const r = route(yaml, 'http://h.test/a(b', { implementationSpecific: 'regex' });
  assert.equal(r.match && 'service' in r.match.backend ? r.match.backend.service : null, 'root');
  assert.ok(
    r.notes.some((n) => /not a valid regular expression/.test(n)),
    r.notes.join('\n'),
  );
});

test('regex mode: a catastrophic-backtracking path is evaluated in linear time and gives the right answer', () => {
  // /(a+)+$ against "aaa…a!" takes seconds with a backtracking engine and doubles per character
  const yaml = ingress({
    name: 'a',
    rules: [
      {
        host: 'h.test',
        paths: [
          { type: 'ImplementationSpecific', path: '/(a+)+$', service: 'evil' },
          { path: '/', service: 'root' },
        ],
      },
    ],
  });
  const opts = { implementationSpecific: 'regex' } as const;
  assert.equal(serviceFor(yaml, `http://h.test/${'a'.repeat(5000)}!`, opts), 'root');
  assert.equal(serviceFor(yaml, `http://h.test/${'a'.repeat(5000)}`, opts), 'evil');
  assert.deepEqual(route(yaml, `http://h.test/${'a'.repeat(26)}!`, opts).notes, []);
});

test('regex mode: a PCRE-only construct is not guessed at: the path is left out and the result says why', () => {
  const yaml = ingress({
    name: 'a',
    rules: [
      {
        host: 'h.test',
        paths: [
          { type: 'ImplementationSpecific', path: '/(v[0-9])/\\1', service: 'backref' },
          { type: 'ImplementationSpecific', path: '/x(?=y)', service: 'lookahead' },
          { path: '/', service: 'root' },
        ],
      },
    ],
  });
  const r = route(yaml, 'http://h.test/v1/v1', { implementationSpecific: 'regex' });
  assert.equal(r.match && 'service' in r.match.backend ? r.match.backend.service : null, 'root');
  assert.deepEqual(r.notes, [
    'path /(v[0-9])/\\1 of Ingress default/a cannot be evaluated as a regular expression: it uses a backreference \\1, a PCRE construct that the linear-time matcher used here does not evaluate; it is left out, so a request it matches may be shown going elsewhere',
    'path /x(?=y) of Ingress default/a cannot be evaluated as a regular expression: it uses a lookahead (?=...), a PCRE construct that the linear-time matcher used here does not evaluate; it is left out, so a request it matches may be shown going elsewhere',
  ]);
  // with nothing else to serve the host, the miss still names the path that could not be tested
  const alone = ingress({
    name: 'b',
    rules: [
      { host: 'h.test', paths: [{ type: 'ImplementationSpecific', path: '/(a)\\1', service: 'backref' }] },
    ],
  });
  const miss = route(alone, 'http://h.test/aa', { implementationSpecific: 'regex' });
  assert.equal(miss.match, null);
  assert.ok(
    miss.notes.some((n) => /\/\(a\)\\1 of Ingress default\/b cannot be evaluated/.test(n)),
    miss.notes.join('\n'),
  );
});

test('regex mode follows ingress-nginx: case-insensitive, "^" put in front of the path as written', () => {
  const yaml = ingress({
    name: 'a',
    rules: [
      {
        host: 'h.test',
        paths: [
          { type: 'ImplementationSpecific', path: '/Shop/[a-z]+', service: 'shop' },
          { type: 'ImplementationSpecific', path: '/one|/two', service: 'alt' },
        ],
      },
    ],
  });
  const table: [string, string | null][] = [
    ['/shop/cart', 'shop'],
    ['/SHOP/CART', 'shop'],
    ['/shop/cart/more', 'shop'], // anchored at the start only, like nginx's location ~* "^/Shop/[a-z]+"
    ['/x/shop/cart', null],
    ['/one/x', 'alt'],
    ['/ONE', 'alt'],
    // location ~* "^/one|/two": the "^" binds to the first alternative only, so /two matches anywhere
    ['/x/two', 'alt'],
    ['/x/one', null],
  ];
  for (const [path, want] of table)
    assert.equal(serviceFor(yaml, `http://h.test${path}`, { implementationSpecific: 'regex' }), want, path);
});

// -------------------------------------------------------------------------------------------------
// Several Ingresses

test('Ingresses of the same class sharing a host merge their rules', () => {
  const yaml = docs(
    ingress({
      name: 'shop',
      className: 'nginx',
      rules: [{ host: 'h.test', paths: [{ path: '/', service: 'shop' }] }],
    }),
    ingress({
      name: 'api',
      className: 'nginx',
      rules: [{ host: 'h.test', paths: [{ path: '/api', service: 'api' }] }],
    }),
  );
  const r = route(yaml, 'http://h.test/api/orders');
  assert.equal(r.match?.ingress, 'default/api');
  assert.equal(serviceFor(yaml, 'http://h.test/cart'), 'shop');
  assert.deepEqual(r.conflicts, []);
});

test('two rules with the same host and path but different backends are a conflict, not hidden', () => {
  const yaml = docs(
    ingress({ name: 'zeta', rules: [{ host: 'h.test', paths: [{ path: '/api', service: 'new-api' }] }] }),
    ingress({ name: 'alpha', rules: [{ host: 'h.test', paths: [{ path: '/api/', service: 'old-api' }] }] }),
  );
  const r = route(yaml, 'http://h.test/api/x');
  assert.equal(r.match?.ingress, 'default/alpha', 'the first in namespace/name order is shown');
  assert.equal(r.conflicts.length, 1);
  assert.equal(r.conflicts[0].kind, 'path');
  assert.deepEqual(
    r.conflicts[0].candidates.map((c) => c.ingress),
    ['default/alpha', 'default/zeta'],
  );
  assert.match(
    r.conflicts[0].message,
    /default\/alpha → Service old-api:80, default\/zeta → Service new-api:80/,
  );
  assert.match(r.match!.why, /tie with 1 other backend/);
});

test('the same path written twice with the same backend is a note, not a conflict', () => {
  const yaml = docs(
    ingress({ name: 'a', rules: [{ host: 'h.test', paths: [{ type: 'Exact', path: '/x', service: 's' }] }] }),
    ingress({ name: 'b', rules: [{ host: 'h.test', paths: [{ type: 'Exact', path: '/x', service: 's' }] }] }),
  );
  const r = route(yaml, 'http://h.test/x');
  assert.deepEqual(r.conflicts, []);
  assert.ok(r.notes.some((n) => /written 2 times with the same backend/.test(n)));
});

test('--ingress-class: only that class, plus class-less Ingresses when it is the default IngressClass', () => {
  const classes = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
  annotations:
    ingressclass.kubernetes.io/is-default-class: "true"
spec:
  controller: k8s.io/ingress-nginx
`;
  const yaml = docs(
    classes,
    ingress({
      name: 'public',
      className: 'nginx',
      rules: [{ host: 'h.test', paths: [{ path: '/', service: 'nginx-svc' }] }],
    }),
    ingress({
      name: 'internal',
      className: 'traefik',
      rules: [{ host: 'h.test', paths: [{ path: '/', service: 'traefik-svc' }] }],
    }),
    ingress({
      name: 'plain',
      rules: [{ host: 'h.test', paths: [{ path: '/plain', service: 'plain-svc' }] }],
    }),
  );
  assert.equal(serviceFor(yaml, 'http://h.test/', { ingressClass: 'traefik' }), 'traefik-svc');
  assert.equal(serviceFor(yaml, 'http://h.test/', { ingressClass: 'nginx' }), 'nginx-svc');
  assert.equal(serviceFor(yaml, 'http://h.test/plain', { ingressClass: 'nginx' }), 'plain-svc');
  assert.equal(serviceFor(yaml, 'http://h.test/plain', { ingressClass: 'traefik' }), 'traefik-svc');
  const r = route(yaml, 'http://h.test/', { ingressClass: 'nginx' });
  assert.equal(r.match?.ingressClass, 'nginx');
  const none = route(yaml, 'http://h.test/', { ingressClass: 'haproxy' });
  assert.equal(none.match, null);
  assert.match(
    none.reason!,
    /no Ingress of class haproxy in the given manifests \(3 Ingresses of other classes: nginx, traefik\)/,
  );
});

// -------------------------------------------------------------------------------------------------
// Default backends and no match

test('no path matches: the default backend of the Ingress serving the host', () => {
  const yaml = ingress({
    name: 'a',
    defaultBackend: { service: 'fallback', port: 8080 },
    rules: [{ host: 'h.test', paths: [{ type: 'Exact', path: '/x', service: 's' }] }],
  });
  const r = route(yaml, 'http://h.test/y');
  assert.equal(r.match?.defaultBackend, true);
  assert.deepEqual(r.match?.backend, { service: 'fallback', port: 8080 });
  assert.equal(r.match?.path, null);
  assert.match(r.match!.why, /default backend of the Ingress serving h\.test: no path matches \/y/);
});

test('an Ingress with only a default backend catches every host no rule serves', () => {
  const yaml = docs(
    ingress({ name: 'catch-all', defaultBackend: { service: 'fallback', port: 80 } }),
    ingress({ name: 'shop', rules: [{ host: 'shop.test', paths: [{ path: '/', service: 'shop' }] }] }),
  );
  assert.equal(serviceFor(yaml, 'http://shop.test/'), 'shop');
  const r = route(yaml, 'http://other.test/');
  assert.equal(r.match?.ingress, 'default/catch-all');
  assert.equal(r.match?.defaultBackend, true);
  assert.match(r.match!.why, /catch-all/);
});

test('nothing matches: the reason lists what exists and the nearest rule is named', () => {
  const yaml = ingress({
    name: 'shop',
    rules: [
      {
        host: 'shop.example.com',
        paths: [
          { path: '/api/v1', service: 'api' },
          { type: 'Exact', path: '/login', service: 'login' },
        ],
      },
    ],
  });
  const path = route(yaml, 'http://shop.example.com/api/v2');
  assert.equal(path.match, null);
  assert.match(
    path.reason!,
    /shop\.example\.com is served by default\/shop, but no path matches \/api\/v2 \(paths: Prefix \/api\/v1, Exact \/login\) and no default backend is set/,
  );
  assert.equal(path.nearest?.path, '/api/v1');
  assert.equal(path.nearest?.ingress, 'default/shop');

  const host = route(yaml, 'http://shop.exmaple.com/login');
  assert.equal(host.match, null);
  assert.match(host.reason!, /no rule matches host shop\.exmaple\.com \(hosts: shop\.example\.com\)/);
  assert.equal(host.nearest?.host, 'shop.example.com');
  assert.equal(host.nearest?.path, '/login');
  assert.match(host.nearest!.why, /differs from shop\.exmaple\.com by one label/);
});

test('a bad URL is a reason, not an exception', () => {
  const yaml = ingress({ name: 'a', rules: [{ paths: [{ path: '/', service: 's' }] }] });
  for (const [url, want] of [
    ['/just/a/path', /has no host/],
    ['ftp://h.test/', /not an HTTP URL/],
    ['http://h.test:port/', /port "port" is not a number/],
    ['', /empty/],
  ] as [string, RegExp][]) {
    const r = route(yaml, url);
    assert.equal(r.match, null, url);
    assert.match(r.reason!, want, url);
  }
});

// -------------------------------------------------------------------------------------------------
// Following the route

const APP = docs(
  `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx
        ports:
        - name: http
          containerPort: 8080
`,
  `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector: {app: web}
  ports:
  - name: http
    port: 80
    targetPort: http
  - name: admin
    port: 9000
    targetPort: 9999
`,
  `apiVersion: v1
kind: Secret
metadata:
  name: web-tls
  namespace: shop
type: kubernetes.io/tls
data:
  tls.crt: AAAA
  tls.key: AAAA
`,
);

test('the route goes on: Service port by name → targetPort name → container port of the selected workload; TLS Secret', () => {
  const yaml = docs(
    APP,
    ingress({
      name: 'web',
      namespace: 'shop',
      tls: [{ hosts: ['shop.test'], secretName: 'web-tls' }],
      rules: [{ host: 'shop.test', paths: [{ path: '/', service: 'web', port: 'http' }] }],
    }),
  );
  const r = route(yaml, 'https://shop.test/cart');
  assert.deepEqual(r.match?.backend, { service: 'web', port: 'http' });
  assert.equal(r.service?.name, 'shop/web');
  assert.deepEqual(r.service?.port, { name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' });
  assert.equal(r.pods.length, 1);
  assert.deepEqual(
    {
      workload: r.pods[0].workload,
      replicas: r.pods[0].replicas,
      container: r.pods[0].container,
      containerPort: r.pods[0].containerPort,
      declared: r.pods[0].declared,
    },
    { workload: 'Deployment shop/web', replicas: 3, container: 'nginx', containerPort: 8080, declared: true },
  );
  assert.equal(r.tls?.secretName, 'web-tls');
  assert.deepEqual(r.problems, []);
});

test('where the route breaks is named: missing Service, missing port, undeclared target port, missing TLS Secret', () => {
  const missingService = route(
    docs(
      APP,
      ingress({ name: 'x', namespace: 'shop', rules: [{ paths: [{ path: '/', service: 'nope' }] }] }),
    ),
    'http://h/',
  );
  assert.deepEqual(
    missingService.problems.map((p) => p.message),
    ['Service "nope" is not defined in namespace "shop" in this workspace'],
  );

  const missingPort = route(
    docs(
      APP,
      ingress({
        name: 'x',
        namespace: 'shop',
        rules: [{ paths: [{ path: '/', service: 'web', port: 81 }] }],
      }),
    ),
    'http://h/',
  );
  assert.deepEqual(
    missingPort.problems.map((p) => p.message),
    ['Service "web" has no port 81; its ports: 80 (http), 9000 (admin)'],
  );

  const undeclared = route(
    docs(
      APP,
      ingress({
        name: 'x',
        namespace: 'shop',
        rules: [{ paths: [{ path: '/', service: 'web', port: 9000 }] }],
      }),
    ),
    'http://h/',
  );
  assert.deepEqual(undeclared.problems, []);
  assert.equal(undeclared.pods[0].declared, false);
  assert.equal(undeclared.pods[0].containerPort, 9999);
  // the Service port's finding (rule service-target-port), in the rule's words
  assert.ok(
    undeclared.notes.some((n) =>
      /^No container of the selected pods \(Deployment web\) declares port 9999 \(they declare [0-9, ]+\)/.test(
        n,
      ),
    ),
    undeclared.notes.join('\n'),
  );

  const noSecret = route(
    docs(
      APP,
      ingress({
        name: 'x',
        namespace: 'shop',
        tls: [{ hosts: ['h.test'], secretName: 'gone' }],
        rules: [{ paths: [{ path: '/', service: 'web', port: 80 }] }],
      }),
    ),
    'https://h.test/',
  );
  assert.deepEqual(
    noSecret.problems.map((p) => p.message),
    [
      'Secret "gone" is not defined in namespace "shop": without it the controller serves its default certificate for this entry',
    ],
  );
});

test('TLS: the entry naming the host is chosen; a host not listed is not covered', () => {
  const yaml = docs(
    APP,
    ingress({
      name: 'x',
      namespace: 'shop',
      tls: [{ secretName: 'other' }, { hosts: ['*.shop.test'], secretName: 'web-tls' }],
      rules: [{ paths: [{ path: '/', service: 'web', port: 80 }] }],
    }),
  );
  assert.equal(route(yaml, 'https://a.shop.test/').tls?.secretName, 'web-tls');
  assert.equal(
    route(yaml, 'https://elsewhere.test/').tls?.secretName,
    'other',
    'an entry without hosts covers any host',
  );
  const plain = docs(
    APP,
    ingress({
      name: 'x',
      namespace: 'shop',
      tls: [{ hosts: ['a.test'], secretName: 'web-tls' }],
      rules: [{ paths: [{ path: '/', service: 'web', port: 80 }] }],
    }),
  );
  assert.equal(route(plain, 'http://b.test/').tls, undefined);
});

test('legacy Ingress versions resolve the same way (serviceName/servicePort, spec.backend)', () => {
  const legacy = `apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: old
  namespace: shop
spec:
  backend:
    serviceName: web
    servicePort: 80
  rules:
  - host: shop.test
    http:
      paths:
      - path: /admin
        backend:
          serviceName: web
          servicePort: admin
`;
  const yaml = docs(APP, legacy);
  const admin = route(yaml, 'http://shop.test/admin/users');
  assert.equal(admin.match?.pathType, 'ImplementationSpecific');
  assert.deepEqual(admin.match?.backend, { service: 'web', port: 'admin' });
  assert.equal(admin.service?.port?.port, 9000);
  const fallback = route(yaml, 'http://shop.test/');
  assert.equal(fallback.match?.defaultBackend, true);
  assert.deepEqual(fallback.match?.backend, { service: 'web', port: 80 });
  assert.equal(fallback.pods[0]?.containerPort, 8080);
  const beta = route(
    docs(APP, legacy.replace('extensions/v1beta1', 'networking.k8s.io/v1beta1')),
    'http://shop.test/admin',
  );
  assert.deepEqual(beta.match?.backend, { service: 'web', port: 'admin' });
});

test('a resource backend is reported as such and not followed', () => {
  const yaml = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: assets
spec:
  rules:
  - http:
      paths:
      - path: /static
        pathType: Prefix
        backend:
          resource:
            apiGroup: k8s.example.com
            kind: StorageBucket
            name: static-assets
`;
  const r = route(yaml, 'http://h/static/a.png');
  assert.deepEqual(r.match?.backend, {
    resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static-assets' },
  });
  assert.deepEqual(r.pods, []);
  assert.ok(r.notes.some((n) => /is a resource/.test(n)));
});

test('with many hosts the nearest host is still the one a label away (indexed search)', () => {
  const many = docs(
    ...Array.from({ length: 300 }, (_, i) =>
      ingress({
        name: `i${i}`,
        rules: [{ host: `app${i}.team${i % 7}.example.com`, paths: [{ path: '/api', service: `s${i}` }] }],
      }),
    ),
  );
  const typo = route(many, 'http://app123.team4.exmaple.com/api');
  assert.equal(typo.match, null);
  assert.equal(typo.nearest?.host, 'app123.team4.example.com');
  assert.match(typo.nearest!.why, /differs from app123\.team4\.exmaple\.com by one label/);
  const extra = route(many, 'http://www.app42.team0.example.com/api');
  assert.equal(extra.nearest?.host, 'app42.team0.example.com', 'one extra label');
  const unrelated = route(many, 'http://unrelated.test/');
  assert.equal(unrelated.match, null);
  assert.ok(unrelated.nearest, 'something is named even for an unrelated host');
  assert.match(
    unrelated.reason!,
    /no rule matches host unrelated\.test \(hosts: app0\.team0\.example\.com, app1\.team1\.example\.com, app10\.team3\.example\.com, /,
  );
});

test('a targetPort name resolves on containers and sidecar init containers, not on ordinary init containers', () => {
  const workload = (initPolicy: string) => `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels: {app: p}
spec:
  initContainers:
  - name: proxy
    image: envoy
    ${initPolicy}
    ports:
    - name: proxy
      containerPort: 15001
  containers:
  - name: app
    image: app
`;
  const svc = `apiVersion: v1
kind: Service
metadata:
  name: p
spec:
  selector: {app: p}
  ports:
  - port: 80
    targetPort: proxy
`;
  const ing = ingress({ name: 'p', rules: [{ paths: [{ path: '/', service: 'p', port: 80 }] }] });
  const sidecar = route(docs(workload('restartPolicy: Always'), svc, ing), 'http://h/');
  assert.deepEqual([sidecar.pods[0].container, sidecar.pods[0].containerPort], ['proxy', 15001]);
  const plain = route(docs(workload('command: [setup]'), svc, ing), 'http://h/');
  assert.equal(plain.pods[0].container, null);
  assert.deepEqual(
    plain.problems.map((p) => p.message),
    ['no container port named proxy in Pod default/p'],
  );
});
