// --format sarif and markdown on route, reach and migrate (check and diff have their own tests): SARIF
// 2.1.0 with each finding at its place in the manifests, Markdown with every manifest string escaped,
// the same exit status as the text output, and a format a command cannot print is a usage error.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './support/lsp-client';

const CLI = path.join(ROOT, 'dist', 'cli.js');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface SarifResult {
  ruleId: string;
  level: string;
  message: { text: string };
  locations?: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
}

function results(out: string): SarifResult[] {
  const log = JSON.parse(out) as { version: string; runs: { results: SarifResult[] }[] };
  assert.equal(log.version, '2.1.0');
  return log.runs[0].results;
}

const at = (r: SarifResult) =>
  r.locations
    ? `${r.locations[0].physicalLocation.artifactLocation.uri}:${r.locations[0].physicalLocation.region.startLine}`
    : undefined;

test('route --format markdown: the answer as a table, exit status as for text', () => {
  const r = run(
    'route',
    'examples/shop',
    '--url',
    'https://shop.example.com/api/search',
    '--format',
    'markdown',
  );
  assert.equal(r.code, 0);
  const lines = r.out.split('\n');
  assert.equal(lines[0], '### kube-netlens route');
  assert.equal(lines[2], '**https://shop.example.com/api/search → Service search:80**');
  assert.ok(lines.includes('| ingress | catalog/api \\(class nginx\\) |'));
  assert.ok(lines.includes('|  | at examples/shop/catalog.yaml:127:9 |'));
});

test('route --format sarif: each problem on the way with its rule id, at its place', () => {
  const r = run('route', 'examples/mistakes', '--url', 'http://shop.example.com/', '--format', 'sarif');
  assert.equal(r.code, 1);
  const found = results(r.out);
  const missing = found.find((x) => x.ruleId === 'ingress-backend-service-missing');
  assert.equal(missing?.level, 'warning');
  assert.equal(at(missing!), 'examples/mistakes/legacy-tls-ingress.yaml:19');
  // --sarif is the same as --format sarif
  assert.equal(run('route', 'examples/mistakes', '--url', 'http://shop.example.com/', '--sarif').out, r.out);
});

test('reach --format sarif: a denied connection is an error at each policy that decides it; allowed has none', () => {
  const denied = run(
    'reach',
    'examples/three-tier',
    '--from',
    'web/frontend',
    '--to',
    'backend/api',
    '--port',
    '8080',
    '--format',
    'sarif',
  );
  assert.equal(denied.code, 1);
  const found = results(denied.out);
  assert.ok(found.length > 0);
  for (const x of found) {
    assert.equal(x.ruleId, 'reach-denied');
    assert.equal(x.level, 'error');
    assert.match(x.message.text, /^web\/frontend → backend\/api on TCP 8080 is denied \(ingress\): /);
  }
  assert.ok(found.some((x) => at(x) === 'examples/three-tier/three-tier.yaml:164'));
  const allowed = run(
    'reach',
    'examples/three-tier',
    '--from',
    'web/frontend',
    '--to',
    'backend/api',
    '--port',
    'http',
    '--format',
    'sarif',
  );
  assert.equal(allowed.code, 0);
  assert.deepEqual(results(allowed.out), []);
  const md = run(
    'reach',
    'examples/three-tier',
    '--from',
    'web/frontend',
    '--to',
    'backend/api',
    '--port',
    '8080',
    '--markdown',
  );
  assert.equal(md.code, 1);
  assert.match(md.out, /^### kube-netlens reach\n\n\*\*DENIED: web\/frontend → backend\/api on 8080\/TCP/);
});

test('migrate --format sarif and markdown: unconverted items at their Ingress, differences, the YAML fenced, text escaped', () => {
  const dir = 'test/fixtures/cli-formats/gke-prefix-404.yaml';
  const sarif = run('migrate', dir, '--to', 'gateway-api', '--gateway-class', 'eg', '--format', 'sarif');
  assert.equal(sarif.code, 1);
  const found = results(sarif.out);
  assert.deepEqual(
    found.map((x) => [x.ruleId, x.level, at(x)]),
    [
      ['migrate-unconverted', 'warning', `${dir}:4`],
      ['migrate-probe-difference', 'error', undefined],
    ],
  );
  assert.equal(
    found[1].message.text,
    'http://192.0.2.10/v2: the Ingresses answer 404 (no route), the Gateway API objects default/v2:80',
  );
  const md = run(
    'migrate',
    'test/fixtures/cli-formats/injection.yaml',
    '--to',
    'gateway-api',
    '--gateway-class',
    'eg',
    '--format',
    'markdown',
  );
  assert.equal(md.code, 1);
  assert.match(md.out, /^### kube-netlens migrate\n\n1 Ingress → 2 Gateway API objects/);
  assert.ok(
    md.out.includes(
      '| `web/web` | `nginx.ingress.kubernetes.io/custom-headers` | "\\[x\\]\\(javascript:alert\\(1\\)\\)" is not namespace/name',
    ),
  );
  // outside the fenced YAML (where text is literal) no link can form
  assert.ok(!md.out.slice(0, md.out.indexOf('#### Gateway API objects')).includes('](javascript'));
  assert.match(md.out, /#### Gateway API objects\n\n```yaml\n# Generated by kube-netlens migrate/);
  assert.match(md.out, /\n```\n$/);
});

test('a format a command cannot print is one usage error naming the ones it can', () => {
  const r = run('matrix', 'examples/three-tier', '--format', 'sarif');
  assert.equal(r.code, 2);
  assert.equal(
    r.err,
    'kube-netlens: --format must be text, json or markdown for matrix (got "sarif")\nRun "kube-netlens matrix --help" for the usage.\n',
  );
});
