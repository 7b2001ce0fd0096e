// The examples/ folder is what a user opens first and what `npm start` checks, so it must stay true:
// examples/shop/ (a complete multi-namespace app) gives no finding but the information that its
// ingress-nginx Ingresses are served by a retired controller, and every file of examples/mistakes/
// gives exactly the findings it describes (plus that notice where its Ingress is of class nginx). The built command line (dist/cli.js) is
// run as a user would, over the whole examples/ folder as one workspace (as `npm start` does) and over
// single folders and files.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './support/lsp-client';

const CLI = path.join(ROOT, 'dist', 'cli.js');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface Finding {
  file: string;
  line: number;
  severity: string;
  rule: string;
  message: string;
}

function check(...paths: string[]): { code: number | null; findings: Finding[] } {
  const r = run('check', ...paths, '--format', 'json');
  assert.equal(r.err, '', r.err);
  return { code: r.code, findings: JSON.parse(r.out).findings };
}

/** "rule (severity)" of every finding, per file, without repeats, sorted. */
function byFile(findings: Finding[]): Map<string, string[]> {
  const m = new Map<string, Set<string>>();
  for (const f of findings) {
    const set = m.get(f.file) ?? new Set<string>();
    set.add(`${f.rule} (${f.severity})`);
    m.set(f.file, set);
  }
  return new Map([...m].map(([file, set]) => [file, [...set].sort()]));
}

// What each file of examples/mistakes/ is there to show, as `rule (severity)`.
const MISTAKES: Record<string, string[]> = {
  'common-mistakes.yaml': [
    'cidr-invalid (error)',
    'ingress-backend-port-missing (error)',
    'ingress-host-invalid (error)',
    'ingress-path-invalid (error)',
    'netpol-egress-dns-blocked (information)',
    'netpol-end-port (error)',
    'netpol-selects-nothing (information)',
    'port-name-invalid (error)',
    'schema-enum (error)',
    'schema-type (error)',
    'schema-unknown-field (error)',
    'secret-data-base64 (error)',
    'service-selector-no-match (information)',
    'service-spec-invalid (error)',
  ],
  'legacy-tls-ingress.yaml': [
    'ingress-backend-service-missing (warning)',
    'ingress-legacy-api (error)',
    'ingress-tls-no-hosts (information)',
    'ingress-tls-secret-type (warning)',
    'secret-data-base64 (error)',
  ],
  'ingress-backend.yaml': [
    'ingress-backend-port-missing (error)',
    'ingress-backend-service-missing (warning)',
  ],
  'service-selector.yaml': ['service-selector-no-match (warning)'],
  'service-target-port.yaml': ['service-target-port (error)'],
  'ingress-path-conflict.yaml': ['ingress-path-conflict (warning)'],
  'ingress-path-regex.yaml': ['ingress-path-regex (warning)'],
  'ingress-class-annotation.yaml': ['ingress-class-annotation (information)'],
  'tls-secret-missing.yaml': ['ingress-tls-secret-missing (warning)'],
  'tls-secret-type.yaml': ['ingress-tls-secret-type (warning)'],
  'tls-certificate-expired.yaml': ['tls-certificate-expiry (error)'],
  'tls-certificate-host.yaml': ['tls-certificate-hosts (error)'],
  'netpol-egress-dns.yaml': ['netpol-egress-dns-blocked (warning)'],
  'netpol-ingress-controller.yaml': ['netpol-ingress-controller-blocked (warning)'],
  'netpol-peers-or.yaml': [
    'netpol-peer-selects-nothing (information)',
    'netpol-peers-or-meant-and (warning)',
  ],
};

/** Not a mistake of the file: its Ingress is of class nginx, served by the retired ingress-nginx. */
const RETIRED = 'ingress-nginx-retired (information)';
const NGINX_INGRESS = new Set([
  'common-mistakes.yaml',
  'ingress-backend.yaml',
  'ingress-class-annotation.yaml',
  'ingress-path-conflict.yaml',
  'ingress-path-regex.yaml',
  'netpol-ingress-controller.yaml',
  'service-selector.yaml',
  'tls-certificate-expired.yaml',
  'tls-certificate-host.yaml',
  'tls-secret-missing.yaml',
  'tls-secret-type.yaml',
]);
/** No class of its own: ingress-nginx serves it through the default IngressClass of examples/shop, so
 * only when checked together with it. */
const BY_DEFAULT_CLASS = 'legacy-tls-ingress.yaml';
const expectedOf = (file: string, alone: boolean): string[] =>
  [
    ...MISTAKES[file],
    ...(NGINX_INGRESS.has(file) || (!alone && file === BY_DEFAULT_CLASS) ? [RETIRED] : []),
  ].sort();

/** The retirement notice of each nginx-class Ingress of examples/shop and examples/three-tier. */
const VALID_APP_NOTICES = [
  'examples/shop/catalog.yaml:104 ingress-nginx-retired',
  'examples/shop/shop.yaml:69 ingress-nginx-retired',
  'examples/three-tier/three-tier.yaml:147 ingress-nginx-retired',
];
const RETIRED_MESSAGE =
  'ingress-nginx (IngressClass nginx: k8s.io/ingress-nginx) is retired: no releases or security fixes after March 2026; migrate this Ingress to the Gateway API';

test('examples/shop: check exits 0; its only findings are the retirement notices of its two ingress-nginx Ingresses', () => {
  const { code, findings } = check('examples/shop');
  assert.deepEqual(
    findings.map((f) => `${f.file}:${f.line} ${f.severity} ${f.rule} ${f.message}`),
    VALID_APP_NOTICES.filter((n) => n.startsWith('examples/shop/')).map(
      (n) => n.replace(' ', ' information ') + ' ' + RETIRED_MESSAGE,
    ),
  );
  assert.equal(code, 0);
  const text = run('check', 'examples/shop');
  assert.equal(text.code, 0);
  const files = readdirSync(path.join(ROOT, 'examples', 'shop')).filter((f) => f.endsWith('.yaml')).length;
  assert.match(
    text.out,
    new RegExp(
      `\\n${files} file\\(s\\) checked: 0 error\\(s\\), 0 warning\\(s\\), 2 information, 0 hint\\(s\\)\\n$`,
    ),
  );
});

test('examples/ as one workspace: each mistakes file gives exactly its findings; shop and three-tier only the retirement notices', () => {
  const { code, findings } = check('examples');
  assert.equal(code, 1, 'the mistakes hold errors');
  const got = byFile(findings);
  const dir = path.join(ROOT, 'examples', 'mistakes');
  const onDisk = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  assert.deepEqual(onDisk, Object.keys(MISTAKES).sort(), 'every mistakes file has its expectation here');
  for (const [file, expected] of Object.entries(MISTAKES)) {
    assert.deepEqual(got.get(`examples/mistakes/${file}`), expectedOf(file, false), file);
  }
  const elsewhere = findings.filter((f) => !f.file.startsWith('examples/mistakes/'));
  assert.deepEqual(
    elsewhere.map((f) => `${f.file}:${f.line} ${f.rule}`),
    VALID_APP_NOTICES,
  );
  assert.ok(elsewhere.every((f) => f.severity === 'information' && f.message === RETIRED_MESSAGE));
});

test('examples/mistakes: a file checked on its own gives the same findings, and its header comment names them', () => {
  for (const [file, expected] of Object.entries(MISTAKES)) {
    const rel = `examples/mistakes/${file}`;
    const { findings } = check(rel);
    assert.deepEqual(byFile(findings).get(rel), expectedOf(file, true), file);
    if (file === 'common-mistakes.yaml' || file === 'legacy-tls-ingress.yaml') continue; // comments at each line instead
    const header = readFileSync(path.join(ROOT, rel), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('#'))
      .join('\n');
    for (const e of expected)
      assert.ok(header.includes(e.replace(/ \(.*\)$/, '')), `${file}: the header comment names ${e}`);
  }
});

test('examples/shop: route follows both Ingresses merged on shop.example.com and the wildcard host, with TLS', () => {
  const cases: [string, string, string, string | number, string][] = [
    ['https://shop.example.com/cart', 'shop/storefront', 'storefront', 'http', 'Deployment shop/storefront'],
    [
      'https://shop.example.com/api/v1/products',
      'catalog/api',
      'catalog-api',
      'http',
      'Deployment catalog/catalog-api',
    ],
    [
      'https://shop.example.com/api/healthz',
      'catalog/api',
      'catalog-api',
      'http',
      'Deployment catalog/catalog-api',
    ],
    ['https://shop.example.com/api/search/shoes', 'catalog/api', 'search', 80, 'Deployment catalog/search'],
    ['https://www.shop.example.com/', 'shop/storefront', 'storefront', 80, 'Deployment shop/storefront'],
  ];
  for (const [url, ingress, service, port, workload] of cases) {
    const r = run('route', 'examples/shop', '--url', url, '--json');
    assert.equal(r.code, 0, `${url}\n${r.out}${r.err}`);
    const j = JSON.parse(r.out);
    assert.equal(j.match.ingress, ingress, url);
    assert.deepEqual(j.match.backend, { service, port }, url);
    assert.deepEqual(
      j.pods.map((p: { workload: string }) => p.workload),
      [workload],
      url,
    );
    assert.ok(j.tls?.secretName, `${url} is served over TLS`);
    assert.deepEqual(j.problems, [], url);
  }
  const exact = JSON.parse(
    run('route', 'examples/shop', '--url', 'https://shop.example.com/api/healthz', '--json').out,
  );
  assert.equal(exact.match.pathType, 'Exact');
});

test('examples/shop: reach and matrix give the connections the policies are written for', () => {
  const reach = (from: string, to: string, port: string) => {
    const r = run('reach', 'examples/shop', '--from', from, '--to', to, '--port', port, '--json');
    assert.equal(r.err, '');
    return JSON.parse(r.out).allowed as boolean;
  };
  assert.equal(reach('ingress-nginx/ingress-nginx-controller', 'shop/storefront', 'http'), true);
  assert.equal(reach('ingress-nginx/ingress-nginx-controller', 'catalog/catalog-api', 'http'), true);
  assert.equal(reach('ingress-nginx/ingress-nginx-controller', 'catalog/search', 'http'), true);
  assert.equal(reach('shop/storefront', 'catalog/catalog-api', 'http'), true);
  assert.equal(reach('catalog/catalog-api', 'catalog/search', 'http'), true);
  assert.equal(reach('catalog/catalog-api', 'data/postgres', 'postgres'), true);
  assert.equal(reach('catalog/catalog-api', '203.0.113.7', '443'), true);
  assert.equal(
    reach('shop/storefront', 'data/postgres', 'postgres'),
    false,
    'only the catalog API reaches the database',
  );
  assert.equal(reach('ingress-nginx/ingress-nginx-controller', 'data/postgres', 'postgres'), false);
  assert.equal(reach('catalog/search', 'catalog/catalog-api', 'http'), false);
  assert.equal(reach('shop/storefront', '203.0.113.7', '443'), false);

  const m = run('matrix', 'examples/shop', '--port', '5432', '--json');
  assert.equal(m.code, 0);
  const j = JSON.parse(m.out);
  assert.deepEqual(
    j.workloads.map((w: { name: string }) => w.name),
    [
      'catalog/catalog-api',
      'catalog/search',
      'data/postgres',
      'ingress-nginx/ingress-nginx-controller',
      'shop/storefront',
    ],
  );
  assert.deepEqual(
    j.cells
      .filter((c: { allowed: boolean }) => c.allowed)
      .map((c: { from: string; to: string }) => `${c.from} > ${c.to}`),
    ['catalog/catalog-api > data/postgres'],
  );
});

test('README: the check examples of "What it catches" are what the command prints, and their YAML is in the file', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```\n\$ (?:npx )?kube-netlens (check [^\n]+)\n([\s\S]*?)```/g)];
  assert.ok(blocks.length >= 2, 'README shows check output');
  for (const [, command, shown] of blocks) assert.equal(run(...command.split(' ')).out, shown, command);
  const yamlBlock =
    /`examples\/mistakes\/netpol-ingress-controller\.yaml`[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme);
  assert.ok(yamlBlock, 'README shows the YAML of netpol-ingress-controller.yaml');
  const file = readFileSync(
    path.join(ROOT, 'examples', 'mistakes', 'netpol-ingress-controller.yaml'),
    'utf8',
  );
  assert.ok(file.includes(yamlBlock[1]), 'the README excerpt is a part of the file, unchanged');
});
