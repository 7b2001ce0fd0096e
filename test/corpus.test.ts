// Regression test against noise: the real-world corpus in ../shared/corpus/realworld (about 200
// published manifests). Errors and warnings are allowed only where its SOURCES.md lists a real
// mistake or a deprecated API; non-Kubernetes YAML gets nothing; Helm templates at most one hint.
// The corpus is not part of this repository: without it the test is skipped and says so.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './support/lsp-client';

const CORPUS = process.env.KNL_CORPUS ?? path.resolve(ROOT, '..', 'shared', 'corpus', 'realworld');
const present = existsSync(path.join(CORPUS, 'SOURCES.md'));
const SKIP = present
  ? false
  : `real-world corpus absent (looked in ${CORPUS}; set KNL_CORPUS to run this test)`;

interface JsonFinding {
  file: string;
  line: number;
  severity: string;
  rule: string;
  message: string;
}

function checkFolder(folder: string): JsonFinding[] {
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, 'dist', 'cli.js'), 'check', folder, '--format', 'json'],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  assert.ok(r.status === 0 || r.status === 1, `cli exit ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout).findings;
}

/** Rules that report a reference to something the workspace does not define. SOURCES.md allows
 * these in files tagged EXT (the referenced objects exist in the real deployment) at information
 * level "or the configured 'missing' severity", never as errors. */
const MISSING_REFERENCE_RULES = new Set([
  'ingress-backend-service-missing',
  'ingress-class-unknown',
  'ingress-tls-secret-missing',
  'service-selector-no-match',
  'netpol-selects-nothing',
  'netpol-namespace-selector-unmatched',
  'netpol-ingress-controller-blocked',
]);

/** Files tagged EXT in the SOURCES.md table (they reference objects outside their folder). */
function extFiles(): Set<string> {
  const out = new Set<string>();
  for (const line of readFileSync(path.join(CORPUS, 'SOURCES.md'), 'utf8').split('\n')) {
    const m = /^\| `([^`]+)` \|.*\bEXT:/.exec(line);
    if (m) out.add(m[1]);
  }
  return out;
}

/** Files whose SOURCES.md summary bullet names a real mistake or a deprecated API. */
function allowedFiles(): Set<string> {
  const text = readFileSync(path.join(CORPUS, 'SOURCES.md'), 'utf8');
  const out = new Set<string>();
  let deprecatedSection = false;
  for (const line of text.split('\n')) {
    if (/^Deprecated API/i.test(line)) deprecatedSection = true;
    else if (/^\S/.test(line) && !line.startsWith('*')) deprecatedSection = false;
    const m = /^\* `([^`]+)` - (.*)$/.exec(line);
    if (m && (/\bREAL\b/.test(m[2]) || deprecatedSection)) out.add(m[1]);
    // table rows name real mistakes too ("| `file` | repo | path | commit | licence | REAL: ... |")
    const row = /^\| `([^`]+)` \|.*\bREAL:/.exec(line);
    if (row) out.add(row[1]);
  }
  return out;
}

function projects(): string[] {
  return readdirSync(CORPUS).filter(
    (d) =>
      statSync(path.join(CORPUS, d)).isDirectory() &&
      !['legacy', 'not-kubernetes', 'helm-templates'].includes(d),
  );
}

const rel = (f: string) => path.relative(CORPUS, f).split(path.sep).join('/');

test(
  'corpus main set: errors and warnings only where SOURCES.md lists a real mistake',
  { skip: SKIP },
  () => {
    const allowed = allowedFiles();
    const ext = extFiles();
    assert.ok(allowed.size >= 5, `parsed the REAL list of SOURCES.md (${[...allowed].join(', ')})`);
    assert.ok(ext.size >= 20, `parsed the EXT tags of SOURCES.md (${ext.size})`);
    const noise: string[] = [];
    let checked = 0;
    // one project folder = one workspace, as the corpus review did
    for (const p of projects()) {
      for (const f of checkFolder(path.join(CORPUS, p))) {
        checked++;
        if (f.severity !== 'error' && f.severity !== 'warning') continue;
        if (allowed.has(rel(f.file))) continue;
        if (f.severity === 'warning' && MISSING_REFERENCE_RULES.has(f.rule) && ext.has(rel(f.file))) continue;
        noise.push(`${rel(f.file)}:${f.line} ${f.severity} ${f.rule} ${f.message}`);
      }
    }
    assert.deepEqual(noise, [], `false positives in the corpus:\n${noise.join('\n')}`);
    assert.ok(checked > 0);
  },
);

test('corpus: the listed real mistakes that the rules cover are caught', { skip: SKIP }, () => {
  const found = new Set(
    projects()
      .flatMap((p) => checkFolder(path.join(CORPUS, p)))
      .filter((f) => f.severity === 'error')
      .map((f) => `${rel(f.file)} ${f.rule}`),
  );
  for (const expected of [
    'ingress-nginx/docker-registry-ingress-with-tls.yaml ingress-host-invalid',
    'ingress-nginx/oauth2-proxy.yaml ingress-host-invalid',
    'kubernetes-website/tls-auth-secret.yaml secret-data-base64',
    'traefik/02-secrets.yml tls-certificate-expiry',
  ]) {
    assert.ok(found.has(expected), `caught: ${expected}`);
  }
});

test('corpus not-kubernetes/: no finding at all', { skip: SKIP }, () => {
  const findings = checkFolder(path.join(CORPUS, 'not-kubernetes'));
  assert.deepEqual(
    findings.map((f) => `${rel(f.file)}:${f.line} ${f.rule}`),
    [],
  );
});

test('corpus helm-templates/: at most one hint per file, never an error flood', { skip: SKIP }, () => {
  const findings = checkFolder(path.join(CORPUS, 'helm-templates'));
  const perFile = new Map<string, JsonFinding[]>();
  for (const f of findings) perFile.set(f.file, [...(perFile.get(f.file) ?? []), f]);
  for (const [file, list] of perFile) {
    assert.ok(list.length <= 1, `${rel(file)}: ${list.length} findings`);
    assert.equal(list[0].severity, 'hint', `${rel(file)}: ${list[0].message}`);
  }
});

test('corpus legacy/: every removed Ingress API is flagged as an error', { skip: SKIP }, () => {
  const folder = path.join(CORPUS, 'legacy');
  const findings = checkFolder(folder);
  const flagged = new Set(
    findings.filter((f) => f.rule === 'ingress-legacy-api' && f.severity === 'error').map((f) => rel(f.file)),
  );
  const files: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (
        /\.ya?ml$/.test(n) &&
        /apiVersion:\s*(extensions\/v1beta1|networking\.k8s\.io\/v1beta1)/.test(readFileSync(p, 'utf8'))
      )
        files.push(rel(p));
    }
  };
  walk(folder);
  assert.ok(files.length >= 5, `found the legacy manifests (${files.length})`);
  assert.deepEqual(
    files.filter((f) => !flagged.has(f)),
    [],
  );
});
