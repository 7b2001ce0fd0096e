// No false alarms on the Gateway API project's own examples, and at least one error on each manifest
// its CRDs reject (test/fixtures/corpus-gateway/SOURCES.md says where they come from). Each top-level
// file or folder of an example set is one workspace, checked in-process through the language service.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextWorkspace } from '../server/src/service/documents';
import { createLanguageService } from '../server/src/service/language-service';
import { languageSettings, normalizeSettings } from '../server/src/lsp/settings';

const FIXTURES = path.resolve(__dirname, 'fixtures');
const VALID = path.join(FIXTURES, 'corpus-gateway', 'standard');
const INVALID = path.join(FIXTURES, 'corpus-gateway-invalid', 'standard');

/** Findings about objects an example references but does not define: allowed in the valid set. */
const MISSING_REFERENCE_RULES = new Set<string>([]);

function yamlFiles(entry: string): string[] {
  if (!statSync(entry).isDirectory()) return entry.endsWith('.yaml') ? [entry] : [];
  return readdirSync(entry)
    .sort()
    .flatMap((f) => yamlFiles(path.join(entry, f)));
}

function check(files: string[]) {
  const settings = normalizeSettings({});
  const workspace = new TextWorkspace(undefined, () => settings.maxFileSize * 1024 * 1024);
  const service = createLanguageService(workspace);
  service.configure(languageSettings(settings));
  for (const f of files) workspace.set(pathToFileURL(f).toString(), readFileSync(f, 'utf8'));
  return files.map((f) => ({
    file: path.relative(FIXTURES, f),
    diagnostics: service.doValidation(pathToFileURL(f).toString()),
  }));
}

const SEVERITY = ['', 'error', 'warning', 'information', 'hint'];

test('valid upstream Gateway API examples: no error and no warning', () => {
  const entries = readdirSync(VALID).sort();
  assert.ok(entries.length >= 35, `the corpus is in place (${entries.length} entries)`);
  const noise: string[] = [];
  for (const entry of entries) {
    for (const { file, diagnostics } of check(yamlFiles(path.join(VALID, entry)))) {
      for (const d of diagnostics) {
        if ((d.severity ?? 1) > 2 || MISSING_REFERENCE_RULES.has(String(d.code))) continue;
        noise.push(
          `${file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${SEVERITY[d.severity ?? 1]} ${d.code} ${d.message}`,
        );
      }
    }
  }
  assert.deepEqual(noise, []);
});

test('manifests the upstream CRDs reject: each gets an error', () => {
  const files = yamlFiles(INVALID);
  assert.ok(files.length >= 30, `the invalid set is in place (${files.length} files)`);
  const silent: string[] = [];
  for (const f of files) {
    const [{ diagnostics }] = check([f]);
    if (!diagnostics.some((d) => d.severity === 1)) silent.push(path.relative(INVALID, f));
  }
  assert.deepEqual(silent, [], 'rejected by the API server, yet no error');
});
