// kube-netlens: the command-line checker. Same parser, model and rules as the language server.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseFile } from './syntax/file';
import type { ParsedFile } from './syntax/file';
import { ResourceIndex } from './model/index';
import { resourcesOf } from './model/resource';
import { checkParsedFile, precheck, applySeverity, DEFAULT_MAX_FILE_BYTES } from './rules/check';
import type { CheckSettings, Finding } from './rules/types';
import { ruleDocUrl } from './rules/types';
import { allRuleInfos } from './rules/registry';
import { DEFAULT_KUBERNETES_VERSION } from './lsp/settings';

const USAGE = `Usage: kube-netlens check <files or folders...> [options]

Checks Kubernetes networking manifests (Ingress, Service, Secret, NetworkPolicy, workloads).

Options:
  --format text|json|sarif   output format (default: text)
  --kubernetes-version X.Y   target Kubernetes version (default: ${DEFAULT_KUBERNETES_VERSION})
  --rule ID=SEVERITY         override a rule's severity (error, warning, information, hint, off); repeatable
  --default-namespace NS     namespace of resources that name none (default: default)
  -h, --help                 show this help

Exit status: 1 when any error is found, 2 for bad usage or unreadable input, 0 otherwise.`;

class UsageError extends Error {}

interface Options {
  format: 'text' | 'json' | 'sarif';
  settings: CheckSettings;
  defaultNamespace: string;
  paths: string[];
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { format: 'text', settings: { kubernetesVersion: DEFAULT_KUBERNETES_VERSION, severities: {} }, defaultNamespace: 'default', paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const eq = a.indexOf('=');
      if (a.startsWith('--') && eq > 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    const name = a.startsWith('--') && a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    switch (name) {
      case '--format': {
        const f = value();
        if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new UsageError(`--format must be text, json or sarif (got "${f}")`);
        opts.format = f;
        break;
      }
      case '--kubernetes-version': {
        const v = value();
        if (!/^v?\d+\.\d+$/.test(v)) throw new UsageError(`--kubernetes-version must look like 1.29 (got "${v}")`);
        opts.settings.kubernetesVersion = v.replace(/^v/, '');
        break;
      }
      case '--rule': {
        const v = value();
        const m = /^([a-z0-9-]+)=(error|warning|information|info|hint|off)$/.exec(v);
        if (!m) throw new UsageError(`--rule takes ID=SEVERITY, e.g. ingress-rule-no-host=off (got "${v}")`);
        opts.settings.severities[m[1]] = (m[2] === 'info' ? 'information' : m[2]) as 'error';
        break;
      }
      case '--default-namespace':
        opts.defaultNamespace = value();
        break;
      case '-h':
      case '--help':
        process.stdout.write(USAGE + '\n');
        process.exit(0);
        break;
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
        opts.paths.push(a);
    }
  }
  if (opts.paths.length === 0) throw new UsageError('no files or folders given');
  return opts;
}

const SKIP_DIRS = new Set(['node_modules', '.git']);

function collect(p: string, out: string[], explicit: boolean): void {
  let st;
  try {
    st = statSync(p);
  } catch (e) {
    throw new UsageError(`cannot read ${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (e as Error).message}`);
  }
  if (st.isDirectory()) {
    if (!explicit && SKIP_DIRS.has(path.basename(p))) return;
    for (const name of readdirSync(p).sort()) collect(path.join(p, name), out, false);
  } else if (explicit || /\.ya?ml$/i.test(p)) {
    out.push(p);
  }
}

interface FileResult {
  file: string;
  text: string;
  findings: Finding[];
}

function lineCol(text: string, offset: number, lineStarts: number[]): { line: number; col: number } {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, col: offset - lineStarts[lo] + 1 };
}

function lineStartsOf(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

export function runCheck(opts: Options): { results: FileResult[]; errors: number } {
  const files: string[] = [];
  for (const p of opts.paths) collect(p, files, true);
  const index = new ResourceIndex();
  index.setDefaultNamespace(opts.defaultNamespace);
  const parsed: { file: string; text: string; parsed?: ParsedFile; skipped?: Finding }[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
    }
    const skipped = precheck(text, DEFAULT_MAX_FILE_BYTES * 4);
    const p = skipped ? undefined : parseFile(text);
    if (p) index.setFile(file, p.docs.flatMap((d) => resourcesOf(d)));
    parsed.push({ file, text, parsed: p, skipped });
  }
  const results: FileResult[] = [];
  let errors = 0;
  for (const f of parsed) {
    const findings = f.skipped
      ? applySeverity([f.skipped], opts.settings)
      : checkParsedFile(f.parsed!, index, { settings: opts.settings, reportSyntax: true });
    findings.sort((a, b) => a.start - b.start || a.end - b.end);
    errors += findings.filter((x) => x.severity === 'error').length;
    results.push({ file: f.file, text: f.text, findings });
  }
  return { results, errors };
}

function formatText(results: FileResult[]): string {
  const lines: string[] = [];
  const counts = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const r of results) {
    const starts = lineStartsOf(r.text);
    for (const f of r.findings) {
      const { line, col } = lineCol(r.text, f.start, starts);
      lines.push(`${r.file}:${line}:${col} ${f.severity} ${f.ruleId} ${f.message}`);
      counts[f.severity]++;
    }
  }
  lines.push(`${results.length} file(s) checked: ${counts.error} error(s), ${counts.warning} warning(s), ${counts.information} information, ${counts.hint} hint(s)`);
  return lines.join('\n') + '\n';
}

function jsonFindings(results: FileResult[]) {
  return results.flatMap((r) => {
    const starts = lineStartsOf(r.text);
    return r.findings.map((f) => {
      const s = lineCol(r.text, f.start, starts);
      const e = lineCol(r.text, f.end, starts);
      return { file: r.file, line: s.line, column: s.col, endLine: e.line, endColumn: e.col, severity: f.severity, rule: f.ruleId, message: f.message, fixes: (f.fixes ?? []).map((x) => x.title) };
    });
  });
}

function formatSarif(results: FileResult[]): string {
  const rules = allRuleInfos();
  const level = (s: string) => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kube-netlens',
            informationUri: 'https://github.com/kube-netlens/kube-netlens',
            version: '0.1.0',
            rules: rules.map((r) => ({
              id: r.id,
              shortDescription: { text: r.description },
              helpUri: ruleDocUrl(r.id),
              defaultConfiguration: { level: level(r.defaultSeverity) },
            })),
          },
        },
        results: jsonFindings(results).map((f) => ({
          ruleId: f.rule,
          ruleIndex: rules.findIndex((r) => r.id === f.rule),
          level: level(f.severity),
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file.split(path.sep).map(encodeURIComponent).join('/') },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  if (!command || command === '-h' || command === '--help') {
    process.stdout.write(USAGE + '\n');
    return command ? 0 : 2;
  }
  if (command !== 'check') throw new UsageError(`unknown command "${command}"`);
  const opts = parseArgs(rest);
  const { results, errors } = runCheck(opts);
  if (opts.format === 'text') process.stdout.write(formatText(results));
  else if (opts.format === 'json') process.stdout.write(JSON.stringify({ version: 1, findings: jsonFindings(results), summary: { files: results.length, errors } }, null, 2) + '\n');
  else process.stdout.write(formatSarif(results));
  return errors > 0 ? 1 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  if (e instanceof UsageError) {
    process.stderr.write(`kube-netlens: ${e.message}\n\n${USAGE}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`kube-netlens: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  }
}
