// No false alarms on the Ingress controllers' own documentation examples (ingress-nginx, NGINX Inc's
// NGINX Ingress Controller, AWS Load Balancer Controller, GKE Ingress, Traefik: test/fixtures/
// corpus-controllers/SOURCES.md says where each comes from). Each leaf folder is one workspace, checked
// in-process through the language service: no error and no warning except the true findings listed
// here, and each controller's own meaning of its annotations is respected.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-types';
import { TextWorkspace } from '../server/src/service/documents';
import { createLanguageService } from '../server/src/service/language-service';
import { languageSettings, normalizeSettings } from '../server/src/lsp/settings';

const CORPUS = path.resolve(__dirname, 'fixtures', 'corpus-controllers');
const SEVERITY = ['', 'error', 'warning', 'information', 'hint'];

/** Errors and warnings that are true: "folder/file rule", with why. */
const TRUE_FINDINGS: Record<string, string> = {};

function workspaces(dir: string): string[] {
  const entries = readdirSync(dir).map((f) => path.join(dir, f));
  const files = entries.filter((e) => e.endsWith('.yaml') && statSync(e).isFile());
  return [
    ...(files.length ? [dir] : []),
    ...entries.filter((e) => statSync(e).isDirectory()).flatMap(workspaces),
  ];
}

function check(folder: string): { file: string; diagnostics: Diagnostic[] }[] {
  const settings = normalizeSettings({});
  const workspace = new TextWorkspace(undefined, () => settings.maxFileSize * 1024 * 1024);
  const service = createLanguageService(workspace);
  service.configure(languageSettings(settings));
  const files = readdirSync(folder)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => path.join(folder, f));
  for (const f of files) workspace.set(pathToFileURL(f).toString(), readFileSync(f, 'utf8'));
  return files.map((f) => ({
    file: path.relative(CORPUS, f),
    diagnostics: service.doValidation(pathToFileURL(f).toString()),
  }));
}

const all = () => workspaces(CORPUS).flatMap(check);

test('controller documentation examples: no error and no warning but the true findings listed', () => {
  const folders = workspaces(CORPUS);
  assert.ok(folders.length >= 10, `the corpus is in place (${folders.length} workspaces)`);
  const noise: string[] = [];
  const found = new Set<string>();
  for (const { file, diagnostics } of all()) {
    for (const d of diagnostics) {
      if ((d.severity ?? 1) > 2) continue;
      const key = `${file} ${d.code}`;
      if (TRUE_FINDINGS[key]) found.add(key);
      else
        noise.push(
          `${file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${SEVERITY[d.severity ?? 1]} ${d.code} ${d.message}`,
        );
    }
  }
  assert.deepEqual(noise, []);
  assert.deepEqual(
    [...found].sort(),
    Object.keys(TRUE_FINDINGS).sort(),
    'each listed true finding is still raised',
  );
});

test("controller documentation examples: each controller's meaning is respected", () => {
  const byFile = new Map(all().map((f) => [f.file, f.diagnostics]));
  const codes = (file: string) => (byFile.get(file) ?? []).map((d) => String(d.code));
  // an ingress-nginx canary shadows its main Ingress by design: not a path conflict
  assert.ok(!codes('ingress-nginx/canary/whoami-canary.yaml').includes('ingress-path-conflict'));
  // NGINX Inc: nginx.org/path-regex makes the ImplementationSpecific path a regex; its keys are known
  assert.deepEqual(codes('nginx-inc/regex-rewrite/regex-rewrite.yaml'), []);
  assert.deepEqual(codes('nginx-inc/proxy-redirect/ingress-redirect-from-to.yaml'), []);
  assert.ok(
    ['cafe-master.yaml', 'coffee-minion.yaml', 'tea-minion.yaml'].every(
      (f) =>
        !codes(`nginx-inc/mergeable/${f}`).some(
          (c) =>
            c === 'ingress-path-conflict' ||
            c === 'ingress-annotation-unknown' ||
            c === 'ingress-nginx-retired',
        ),
    ),
  );
  // AWS: the backend ssl-redirect with port use-annotation is an action, not a missing Service
  assert.ok(!codes('aws-alb/redirect/ssl-redirect.yaml').some((c) => c.startsWith('ingress-backend-')));
  // GKE: the gce class annotation is how GKE is selected: no deprecation warning and no fix
  assert.deepEqual(codes('gke/managed-cert/ingress.yaml'), []);
  // AWS: the deprecated class annotation still works (the controller also reads spec.ingressClassName):
  // advice, not a warning
  assert.deepEqual(
    (byFile.get('aws-alb/game-2048/2048_full.yaml') ?? [])
      .filter((d) => d.code === 'ingress-class-annotation')
      .map((d) => SEVERITY[d.severity ?? 1]),
    ['information'],
  );
  // Traefik: router annotations on the Ingress and service annotations on the Service are read
  assert.deepEqual(codes('traefik/whoami/whoami.yaml'), []);
  // ingress-nginx Ingresses get the retirement notice (information), the others do not
  const retired = [...byFile]
    .filter(([, ds]) => ds.some((d) => d.code === 'ingress-nginx-retired'))
    .map(([f]) => f.split('/')[0]);
  assert.ok(retired.includes('ingress-nginx'));
  assert.ok(!retired.some((c) => c === 'aws-alb' || c === 'gke' || c === 'traefik'), retired.join(', '));
});
