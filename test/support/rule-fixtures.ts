// Rule fixtures in-process, through the language service: every folder of test/fixtures/rules/ is
// one workspace (all its .yaml files open together, settings from its optional settings.json), and
// each file's diagnostics are compared with the annotations in its comments.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-types';
import { TextWorkspace } from '../../server/src/service/documents';
import { createLanguageService } from '../../server/src/service/language-service';
import type { LanguageService } from '../../server/src/service/language-service';
import { languageSettings, normalizeSettings } from '../../server/src/lsp/settings';

export const RULE_FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'rules');

export interface FixtureFile {
  name: string;
  uri: string;
  text: string;
  actual: Diagnostic[];
}

export interface FixtureWorkspace {
  workspace: TextWorkspace;
  service: LanguageService;
  files: { name: string; uri: string; text: string }[];
}

/** A fixture file's uri as an editor would name it (not a file anything reads from disk). */
export function fixtureUri(folder: string, name: string): string {
  return pathToFileURL(
    path.join(path.resolve(__dirname, '..', 'virtual', 'rules', path.basename(folder)), name),
  ).toString();
}

/** The .yaml inputs of a fixture folder (golden `.fixed.yaml` files excluded), in name order. */
export function fixtureInputs(folder: string): string[] {
  return readdirSync(folder)
    .filter((f) => f.endsWith('.yaml') && !f.endsWith('.fixed.yaml'))
    .sort();
}

/** Load a fixture folder into an in-memory workspace with its settings. settings.json holds
 * kubeNetlens settings, plus `now` (an ISO date) to fix the clock for certificate dates. */
export function loadRuleFolder(folder: string): FixtureWorkspace {
  const file = path.join(folder, 'settings.json');
  const raw = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  const settings = normalizeSettings(raw);
  const workspace = new TextWorkspace(undefined, () => settings.maxFileSize * 1024 * 1024);
  const service = createLanguageService(workspace);
  const ls = languageSettings(settings);
  if (typeof raw.now === 'string') ls.check.now = Date.parse(raw.now);
  service.configure(ls);
  const files = fixtureInputs(folder).map((name) => ({
    name,
    uri: fixtureUri(folder, name),
    text: readFileSync(path.join(folder, name), 'utf8'),
  }));
  for (const f of files) workspace.set(f.uri, f.text);
  return { workspace, service, files };
}

/** A language service over an in-memory workspace with the settings a fresh editor has (no
 * kubeNetlens setting written, or only `raw`): what the built server answers, without the protocol. */
export function defaultService(raw: unknown = {}): { workspace: TextWorkspace; service: LanguageService } {
  const settings = normalizeSettings(raw);
  const workspace = new TextWorkspace(undefined, () => settings.maxFileSize * 1024 * 1024);
  const service = createLanguageService(workspace);
  service.configure(languageSettings(settings));
  return { workspace, service };
}

/** The uri a test names a file by (under test/virtual/, never read from disk), as the protocol tests do. */
export function virtualUri(...parts: string[]): string {
  return pathToFileURL(path.join(path.resolve(__dirname, '..', 'virtual'), ...parts)).toString();
}

/** Open these files together in a fresh in-memory workspace; each one's diagnostics. */
export function checkTogether(files: { uri: string; text: string }[]): Diagnostic[][] {
  const { workspace, service } = defaultService();
  for (const f of files) workspace.set(f.uri, f.text);
  return files.map((f) => service.doValidation(f.uri));
}

/** Every input file of a fixture folder with its diagnostics. */
export function runRuleFolder(folder: string): FixtureFile[] {
  const { service, files } = loadRuleFolder(folder);
  return files.map((f) => ({ ...f, actual: service.doValidation(f.uri) }));
}

/** The text without its annotation comments (what the annotations describe stays as it is). */
export function stripAnnotations(text: string): string {
  return text
    .split('\n')
    .filter((l) => !/^\s*#\s*\^+\s+(error|warning|information|hint)\[/.test(l) && !/^\s*#@\s*\d/.test(l))
    .join('\n');
}
