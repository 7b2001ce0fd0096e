// The built command line (dist/cli.js) run as a user would: route, reach and matrix in text and JSON,
// exit codes, bad arguments; SARIF of `check` checked for what code-scanning services need. (What
// engine/ may import is in test/layering.test.ts.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './support/lsp-client';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const SHOP = 'examples/shop';
const THREE = 'examples/three-tier';
const ROUTES = 'test/fixtures/engine/routes.yaml';

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function json(...args: string[]) {
  const r = run(...args, '--json');
  assert.equal(r.err, '', r.err);
  return { code: r.code, j: JSON.parse(r.out) };
}

// -------------------------------------------------------------------------------------------------
// route

test('route (text): the backend, the rule and where it is written, the Service, the pods, TLS; exit 0', () => {
  const r = run('route', SHOP, '--url', 'https://shop.example.com/cart');
  assert.equal(r.code, 0, r.err);
  assert.equal(
    r.out,
    [
      'https://shop.example.com/cart → Service storefront port "http"',
      '  ingress  shop/storefront (class nginx)',
      '  rule     host shop.example.com (exact), Prefix /: longest Prefix match (/, 1 character) among 1 candidate',
      '           at examples/shop/shop.yaml:79:9',
      '  service  shop/storefront (ClusterIP) port 80 "http"/TCP → targetPort http',
      '           at examples/shop/shop.yaml:44:5',
      '  pods     Deployment shop/storefront (2 replicas) → container web port 8080 "http"/TCP',
      '           at examples/shop/shop.yaml:29:11',
      '  tls      Secret storefront-tls (tls entry of shop/storefront for shop.example.com, *.shop.example.com)',
      '           at examples/shop/shop.yaml:71:5',
      '',
    ].join('\n'),
  );
});

test('route --json: match, backend, TLS and pods as documented in docs/cli.md', () => {
  const { code, j } = json('route', SHOP, '--url', 'https://SHOP.example.com:8443/healthz');
  assert.equal(code, 0);
  assert.equal(j.version, 1);
  assert.equal(j.host, 'shop.example.com');
  assert.equal(j.path, '/healthz');
  assert.deepEqual(
    {
      ingress: j.match.ingress,
      host: j.match.host,
      path: j.match.path,
      pathType: j.match.pathType,
      backend: j.match.backend,
      defaultBackend: j.match.defaultBackend,
    },
    {
      ingress: 'shop/storefront',
      host: 'shop.example.com',
      path: '/healthz',
      pathType: 'Exact',
      backend: { service: 'storefront', port: 80 },
      defaultBackend: false,
    },
  );
  assert.deepEqual(j.match.location, {
    file: 'examples/shop/shop.yaml',
    line: 86,
    column: 9,
    endLine: 92,
    endColumn: 25,
  });
  assert.equal(j.tls.secretName, 'storefront-tls');
  assert.deepEqual(
    j.pods.map((p: { workload: string; containerPort: number }) => [p.workload, p.containerPort]),
    [['Deployment shop/storefront', 8080]],
  );
  assert.deepEqual(j.problems, []);
});

test('route: nothing matches → exit 1, the reason and the nearest rule (text and JSON)', () => {
  const t = run('route', SHOP, '--url', 'http://shop.exmaple.com/healthz');
  assert.equal(t.code, 1);
  assert.match(
    t.out,
    /^NO MATCH: http:\/\/shop\.exmaple\.com\/healthz\n  reason   no rule matches host shop\.exmaple\.com \(hosts: \*\.shop\.example\.com, shop\.example\.com\)/,
  );
  assert.match(
    t.out,
    /  nearest  Ingress shop\/storefront: host shop\.example\.com, Exact \/healthz \(host shop\.example\.com differs from shop\.exmaple\.com by one label/,
  );
  const { code, j } = json('route', SHOP, '--url', 'http://shop.exmaple.com/healthz');
  assert.equal(code, 1);
  assert.equal(j.match, null);
  assert.match(j.reason, /no rule matches host shop\.exmaple\.com/);
  assert.equal(j.nearest.ingress, 'shop/storefront');
  assert.equal(j.nearest.path, '/healthz');
  assert.equal(j.nearest.location.line, 86);
});

test('route --implementation-specific regex: a catastrophic pattern answers, a PCRE-only one is named in a note (text and JSON)', () => {
  const REGEX = 'test/fixtures/engine/regex-paths.yaml';
  const evil = json(
    'route',
    REGEX,
    '--url',
    `http://re.example.com/${'a'.repeat(40)}!`,
    '--implementation-specific',
    'regex',
  );
  assert.equal(evil.j.match.path, '/', '/(a+)+$ does not match a path ending in "!"');
  const hit = json(
    'route',
    REGEX,
    '--url',
    `http://re.example.com/${'A'.repeat(40)}`,
    '--implementation-specific',
    'regex',
  );
  assert.equal(hit.j.match.path, '/(a+)+$');
  const note =
    'path /(v[0-9])/\\1 of Ingress apps/regex cannot be evaluated as a regular expression: it uses a backreference \\1, a PCRE construct that the linear-time matcher used here does not evaluate; it is left out, so a request it matches may be shown going elsewhere';
  const t = run('route', REGEX, '--url', 'http://re.example.com/v1/v1', '--implementation-specific', 'regex');
  assert.match(t.out, /^http:\/\/re\.example\.com\/v1\/v1 → Service root:80\n/);
  assert.ok(t.out.includes(`  note     ${note}\n`), t.out);
  const j = json(
    'route',
    REGEX,
    '--url',
    'http://re.example.com/v1/v1',
    '--implementation-specific',
    'regex',
  );
  assert.equal(j.j.match.path, '/');
  assert.deepEqual(j.j.notes, [note]);
});

test('route --ingress-class and --implementation-specific choose as the controller would; conflicts are shown', () => {
  const regex = json(
    'route',
    ROUTES,
    '--url',
    'http://api.example.com/v2/users/7',
    '--ingress-class',
    'nginx',
    '--implementation-specific',
    'regex',
  );
  assert.equal(regex.code, 1, 'Service users is not in the manifests: the route breaks');
  assert.equal(regex.j.match.ingress, 'apps/api');
  assert.equal(regex.j.match.matchedAs, 'regex');
  assert.deepEqual(
    regex.j.problems.map((p: { message: string }) => p.message),
    [
      'Service "users" is not defined in namespace "apps" in this workspace (it defines no Service or workload there: they may be deployed from elsewhere)',
    ],
  );

  const prefix = json(
    'route',
    ROUTES,
    '--url',
    'http://api.example.com/v2/users/7',
    '--ingress-class',
    'nginx',
  );
  assert.equal(prefix.j.match, null, 'as a prefix, /v[0-9]+/users matches only itself');
  assert.equal(prefix.j.nearest.path, '/v[0-9]+/users');

  const traefik = json(
    'route',
    ROUTES,
    '--url',
    'http://api.example.com/v2/users/7',
    '--ingress-class',
    'traefik',
  );
  assert.equal(traefik.j.match.ingress, 'apps/internal');
  assert.deepEqual(traefik.j.match.backend, { service: 'internal', port: 'web' });

  const t = run('route', ROUTES, '--url', 'http://api.example.com/orders/1', '--ingress-class', 'nginx');
  assert.equal(t.code, 1);
  assert.match(
    t.out,
    /  conflict 2 rules for api\.example\.com give Prefix path \/orders different backends: apps\/api → Service orders:80, apps\/orders-v2 → Service orders-v2:80\n           - apps\/api → Service orders:80 at test\/fixtures\/engine\/routes\.yaml:29:9\n           - apps\/orders-v2 → Service orders-v2:80 at test\/fixtures\/engine\/routes\.yaml:47:9\n/,
  );
  const j = json('route', ROUTES, '--url', 'http://api.example.com/orders/1', '--ingress-class', 'nginx').j;
  assert.equal(j.conflicts.length, 1);
  assert.deepEqual(
    j.conflicts[0].candidates.map((c: { ingress: string }) => c.ingress),
    ['apps/api', 'apps/orders-v2'],
  );
});

// -------------------------------------------------------------------------------------------------
// reach

test('reach (text): DENIED names the side, the isolating policies and why each rule misses; exit 1', () => {
  const r = run('reach', THREE, '--from', 'web/frontend', '--to', 'backend/db', '--port', 'postgres');
  assert.equal(r.code, 1, r.err);
  assert.match(
    r.out,
    /^DENIED: web\/frontend → backend\/db on postgres \(5432\)\/TCP \(denied by the ingress side of backend\/db\)\n/,
  );
  assert.match(
    r.out,
    /\nEgress of web\/frontend: allows\n  - no policy selects web\/frontend for Egress \(not isolated\)\n/,
  );
  assert.match(
    r.out,
    /  - backend\/default-deny-ingress isolates backend\/db for Ingress and has no ingress rules \(denies all ingress\)\n    at examples\/three-tier\/three-tier\.yaml:\d+:9\n/,
  );
  assert.match(
    r.out,
    /    ingress\[0\]: no from peer matches web\/frontend \(from\[0\] podSelector without namespaceSelector selects pods of namespace backend only, and web\/frontend is in web\)\n/,
  );
});

test('reach (text and JSON): ALLOWED names the policy and rule index; exit 0', () => {
  const r = run('reach', THREE, '--from', 'web/frontend', '--to', 'backend/api', '--port', '3000');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^ALLOWED: web\/frontend → backend\/api on 3000\/TCP\n/);
  assert.match(
    r.out,
    /  - allowed by backend\/api-from-frontend ingress\[0\] \(from\[0\] matches web\/frontend; ports\[0\] allows 3000\/TCP\)\n/,
  );
  const { code, j } = json('reach', THREE, '--from', 'web/frontend', '--to', 'backend/api', '--port', 'http');
  assert.equal(code, 0);
  assert.equal(j.version, 1);
  assert.equal(j.allowed, true);
  assert.equal(j.resolvedPort, 3000);
  const allowing = j.reasons.find((x: { kind: string }) => x.kind === 'allowed-by-rule');
  assert.deepEqual(
    [allowing.policy, allowing.rule, allowing.ruleIndex, allowing.peer, allowing.port],
    ['backend/api-from-frontend', 'ingress[0]', 0, 0, 0],
  );
  assert.equal(allowing.location.file, 'examples/three-tier/three-tier.yaml');
  const denied = json('reach', THREE, '--from', '203.0.113.5', '--to', 'backend/api', '--port', '3000');
  assert.equal(denied.code, 1);
  assert.equal(denied.j.allowed, false);
  assert.equal(denied.j.fromKind, 'External');
  assert.deepEqual(
    denied.j.reasons.map((x: { kind: string; policy: string }) => `${x.kind} ${x.policy}`),
    [
      'no-rule-allows backend/api-from-frontend',
      'no-rule-allows backend/default-deny-ingress',
      'no-rule-allows backend/metrics-from-prometheus',
    ],
  );
});

// -------------------------------------------------------------------------------------------------
// matrix

test('matrix --json: every ordered pair of distinct workloads with its verdict', () => {
  const { code, j } = json('matrix', THREE, '--port', 'metrics');
  assert.equal(code, 0);
  assert.equal(j.version, 1);
  assert.equal(j.port, 'metrics');
  assert.equal(j.protocol, 'TCP');
  const names = j.workloads.map((w: { name: string }) => w.name);
  assert.deepEqual(names, ['backend/api', 'backend/db', 'monitoring/prometheus', 'web/frontend']);
  assert.equal(j.cells.length, 12);
  const pairs = new Set(j.cells.map((c: { from: string; to: string }) => `${c.from}>${c.to}`));
  for (const a of names) for (const b of names) assert.equal(pairs.has(`${a}>${b}`), a !== b, `${a} > ${b}`);
  const allowed = (from: string, to: string) =>
    j.cells.find((c: { from: string; to: string }) => c.from === from && c.to === to).allowed;
  assert.equal(allowed('monitoring/prometheus', 'backend/db'), true);
  assert.equal(allowed('web/frontend', 'backend/db'), false);
  assert.equal(allowed('backend/db', 'web/frontend'), true);
});

test('matrix text and --markdown; --namespace narrows the rows and columns', () => {
  const t = run('matrix', THREE, '--port', '5432', '--namespace', 'backend');
  assert.equal(t.code, 0, t.err);
  assert.equal(
    t.out,
    [
      'Reachability on 5432/TCP in namespace backend: row → column (✓ allowed, ✗ denied, · same workload)',
      '',
      '               1 2',
      '1 backend/api  · ✓',
      '2 backend/db   ✗ ·',
      '',
      'Columns are numbered as the rows:',
      '1 backend/api  Deployment',
      '2 backend/db   StatefulSet',
      '',
      '2 workload(s), 2 pair(s): 1 allowed, 1 denied',
      '',
    ].join('\n'),
  );
  const md = run('matrix', THREE, '--port', '5432', '--namespace', 'backend', '--markdown');
  assert.equal(md.code, 0);
  assert.match(
    md.out,
    /\| from ↓ to → \| `backend\/api` \| `backend\/db` \|\n\|---\|:-:\|:-:\|\n\| `backend\/api` \| — \| ✓ \|\n\| `backend\/db` \| ✗ \| — \|\n/,
  );
});

test('matrix without --port: each destination on the ports it declares', () => {
  const t = run('matrix', THREE, '--namespace', 'backend');
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /^Reachability on the ports each destination declares in namespace backend: /);
  // the diagonal: backend/api reaches itself through its own Service (service hairpin); db has none
  assert.match(t.out, /\n1 backend\/api  ✓ ✓\n2 backend\/db   ✗ ·\n/);
  assert.match(t.out, /\n {2}backend\/api through Service backend\/api: allowed \(3000\/TCP\)\n/);
  assert.match(
    t.out,
    /\n1 backend\/api  Deployment   3000\/TCP, 9100\/TCP\n2 backend\/db   StatefulSet  5432\/TCP, 9100\/TCP\n/,
  );
  const { code, j } = json('matrix', THREE);
  assert.equal(code, 0);
  assert.equal(j.port, null);
  assert.equal(j.protocol, null);
  assert.equal(j.cells.length, 12);
  assert.deepEqual(
    j.cells.find(
      (c: { from: string; to: string }) => c.from === 'monitoring/prometheus' && c.to === 'backend/db',
    ).ports,
    ['9100/TCP'],
  );
});

// -------------------------------------------------------------------------------------------------
// Bad input

test('bad arguments, unknown names, unreadable files and invalid YAML: a clear message, exit 2, no stack trace', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'knl-engine-cli-'));
  const broken = path.join(dir, 'broken.yaml');
  writeFileSync(broken, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: {app: [x\n');
  const cases: [string[], RegExp][] = [
    [['route', SHOP], /--url is required/],
    [['route', SHOP, '--url', 'ftp://shop.example.com/'], /--url: "ftp:\/\/" is not an HTTP URL/],
    [
      ['route', SHOP, '--url', 'http://x/', '--implementation-specific', 'glob'],
      /--implementation-specific must be prefix, exact or regex \(got "glob"\)/,
    ],
    [['route', SHOP, '--url', 'http://x/', '--colour'], /unknown option --colour/],
    [['route', '--url', 'http://x/'], /no files or folders given/],
    [['route', 'no-such-dir', '--url', 'http://x/'], /cannot read no-such-dir: no such file or folder/],
    [
      ['route', broken, '--url', 'http://x/'],
      new RegExp(
        `invalid YAML, so the manifests cannot be evaluated.*\\n  ${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5:\\d+: `,
      ),
    ],
    [['reach', THREE, '--to', 'backend/db', '--port', '5432'], /--from is required/],
    [['reach', THREE, '--from', 'web/frontend', '--to', 'backend/db'], /--port is required/],
    [
      ['reach', THREE, '--from', 'web/frontend', '--to', 'backend/db', '--port', '70000'],
      /--port must be between 1 and 65535 \(got 70000\)/,
    ],
    [
      ['reach', THREE, '--from', 'web/frontend', '--to', 'backend/db', '--port', '80', '--protocol', 'ICMP'],
      /--protocol must be TCP, UDP or SCTP \(got "ICMP"\)/,
    ],
    [
      ['reach', THREE, '--from', 'web/frontnd', '--to', 'backend/db', '--port', '80'],
      /--from: no Pod or workload "web\/frontnd" in the manifests; did you mean web\/frontend\?/,
    ],
    [
      ['reach', THREE, '--from', 'web/frontend', '--to', 'backend/db', '--port', 'grpc'],
      /--port grpc: backend\/db declares no TCP container port named "grpc" \(it declares postgres=5432\/TCP, metrics=9100\/TCP\)/,
    ],
    [
      ['reach', THREE, '--from', '10.0.0.1', '--to', '10.0.0.2', '--port', '80'],
      /neither 10\.0\.0\.1 nor 10\.0\.0\.2 is a Pod or workload/,
    ],
    [['reach', broken, '--from', 'a', '--to', 'b', '--port', '80'], /invalid YAML/],
    [['matrix', THREE, '--port', '80', '--json', '--markdown'], /give either --json or --markdown, not both/],
    [
      ['matrix', THREE, '--port', '80', '--namespace', 'nope'],
      /--namespace nope: no Pods or workloads in that namespace \(namespaces with workloads: backend, monitoring, web\)/,
    ],
    [['matrix', broken, '--port', '80'], /invalid YAML/],
  ];
  for (const [args, msg] of cases) {
    const r = run(...args);
    assert.equal(r.code, 2, `${args.join(' ')}\n${r.err}`);
    assert.match(r.err, msg, args.join(' '));
    assert.doesNotMatch(r.err, /\n\s+at |internal error/, args.join(' '));
    assert.equal(r.out, '', args.join(' '));
  }
});

test('--help of each command prints its usage and exits 0', () => {
  for (const cmd of ['route', 'reach', 'matrix']) {
    const r = run(cmd, '--help');
    assert.equal(r.code, 0);
    assert.match(r.out, new RegExp(`^kube-netlens ${cmd} <files or folders\\.\\.\\.>`));
    assert.match(r.out, /Exit status: /);
  }
  assert.match(run('--help').out, /kube-netlens route <files or folders\.\.\.> --url <url>/);
});

// -------------------------------------------------------------------------------------------------
// SARIF as code-scanning services read it

test('check --format sarif over examples/: every result points at a rule with a help link and an exact region', () => {
  const r = run('check', 'examples', '--format', 'sarif');
  assert.equal(r.code, 1);
  const s = JSON.parse(r.out);
  assert.equal(s.version, '2.1.0');
  assert.match(s.$schema, /sarif-2\.1\.0/);
  const driver = s.runs[0].tool.driver;
  const ids = new Set<string>();
  for (const rule of driver.rules) {
    assert.match(rule.id, /^[a-z0-9-]+$/);
    assert.ok(!ids.has(rule.id), `rule ${rule.id} listed twice`);
    ids.add(rule.id);
    assert.match(rule.helpUri, new RegExp(`^https://.+#${rule.id}$`));
    assert.ok(rule.shortDescription?.text, rule.id);
  }
  const results = s.runs[0].results;
  assert.ok(results.length >= 10);
  const texts = new Map<string, string[]>();
  for (const res of results) {
    assert.ok(['error', 'warning', 'note'].includes(res.level));
    assert.equal(driver.rules[res.ruleIndex]?.id, res.ruleId);
    assert.ok(res.message.text);
    const loc = res.locations[0].physicalLocation;
    assert.doesNotMatch(loc.artifactLocation.uri, /^\/|\\/, 'relative, forward slashes');
    const lines =
      texts.get(loc.artifactLocation.uri) ??
      readFileSync(path.join(ROOT, decodeURIComponent(loc.artifactLocation.uri)), 'utf8').split('\n');
    texts.set(loc.artifactLocation.uri, lines);
    const g = loc.region;
    assert.ok(
      g.startLine >= 1 &&
        g.startColumn >= 1 &&
        (g.endLine > g.startLine || (g.endLine === g.startLine && g.endColumn >= g.startColumn)),
      JSON.stringify(g),
    );
    assert.ok(
      g.startLine <= lines.length && g.startColumn <= lines[g.startLine - 1].length + 1,
      `${res.ruleId} region inside the file`,
    );
  }
  const apiVersion = results.find((x: { ruleId: string }) => x.ruleId === 'ingress-legacy-api');
  const g = apiVersion.locations[0].physicalLocation.region;
  const line = texts.get(apiVersion.locations[0].physicalLocation.artifactLocation.uri)![g.startLine - 1];
  assert.equal(
    line.slice(g.startColumn - 1, g.endColumn - 1),
    'extensions/v1beta1',
    'the region is exactly the apiVersion value',
  );
});

// -------------------------------------------------------------------------------------------------
// The README shows real output

test('the route, reach and matrix examples in README.md are what the command prints', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const blocks = [
    ...readme.matchAll(/```\n\$ (?:npx )?kube-netlens ((?:route|reach|matrix) [^\n]+)\n([\s\S]*?)```/g),
  ];
  assert.ok(blocks.length >= 3, 'README has route, reach and matrix examples');
  for (const [, command, shown] of blocks) {
    const r = run(...command.split(' '));
    assert.equal(r.out, shown, command);
  }
});
