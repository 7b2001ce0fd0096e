// kube-netlens check: every rule of the language server over files and folders.

import path from 'node:path';
import type { CheckSettings, Severity } from '../rules/types';
import { DEFAULT_INGRESS_CONTROLLER, parseNodePortRange, ruleDocUrl } from '../rules/types';
import { allRuleInfos } from '../rules/registry';
import { DEFAULT_KUBERNETES_VERSION } from '../rules/version';
import { parseCniOption } from './reach';
import { UsageError, loadPaths, parseOptions, reportSkipped } from './common';
import type { SkippedEntry } from '../workspace/disk';
import { describeSkip } from '../workspace/disk';
import { printable } from '../protocol/escape';
import { closest } from '../engine/edit-distance';
import { createLanguageService, DEFAULT_LANGUAGE_SETTINGS } from '../service/language-service';
import { ParsedWorkspace } from '../service/parsed-workspace';

export const CHECK_USAGE = `kube-netlens check <files or folders... | -> [--format text|json|sarif|markdown] [--kubernetes-version X.Y]
                   [--max-file-size MB]
                   [--rule ID=SEVERITY]... [--default-namespace NS]
                   [--ingress-controller-namespace NS] [--ingress-controller-labels k=v,k2=v2]
                   [--node-port-range MIN-MAX] [--threads N]

  Runs every rule of the language server. Text lines are "file:line:col severity rule-id message".
  --format text|json|sarif|markdown
                             output format (default: text; --json is short for --format json)
  -                          read YAML from standard input (reported as <stdin>)
  --kubernetes-version X.Y   target Kubernetes version (default: ${DEFAULT_KUBERNETES_VERSION})
  --rule ID=SEVERITY         override a rule's severity (error, warning, information, hint, off)
  --default-namespace NS     namespace of resources that name none (default: default)
  --ingress-controller-namespace NS
                             namespace of the ingress controller's pods (default: ${DEFAULT_INGRESS_CONTROLLER.namespace})
  --ingress-controller-labels k=v,k2=v2
                             labels of the ingress controller's pods; "" means every pod of its
                             namespace (default: ${Object.entries(DEFAULT_INGRESS_CONTROLLER.podLabels)
                               .map(([k, v]) => `${k}=${v}`)
                               .join(',')})
  --node-port-range MIN-MAX  the cluster's NodePort range (its API server's --service-node-port-range;
                             default: 30000-32767)
  --max-file-size MB         files larger than this many megabytes are skipped (default: 5, like the
                             editor setting kubeNetlens.maxFileSize; every command takes it)
  Entries that cannot or must not be read (dangling or looping symbolic links, FIFOs, devices, files or
  folders without permission, files over the size limit) get one line each on stderr; the rest is
  checked. Text output shows control and bidi characters of the manifests as escapes (\\x1b, \\u{202e}).
  --cni NAME                 the network plugin that enforces policies (default auto: detected from its
                             resources); policies it does not enforce get cni-unsupported (see reach)
  --threads N                worker threads that read, parse and run the file-local rules beside the
                             main thread (default, for 400 files or more: one per idle core besides
                             the main thread's, by the load average or, when fewer are running as
                             it starts, by those; up to 3; 0: the main thread only); the findings
                             are the same either way
  Exit status: 1 when any error is found; else 2 when a file or folder named on the command line
  could not be read at all; else 0. Entries skipped inside folders do not change it. Bad usage (an
  unknown option or rule id, no YAML file found) is 2.`;

/** One finding as the CLI prints it: 1-based lines and columns (UTF-16 code units, as in the editor). */
interface CliFinding {
  line: number;
  col: number;
  endLine: number;
  endCol: number;
  severity: Severity;
  ruleId: string;
  message: string;
  /** Titles of its quick fixes (JSON output only). */
  fixes?: string[];
}

interface FileResult {
  file: string;
  findings: CliFinding[];
}

const SEVERITY_NAME: Severity[] = ['error', 'error', 'warning', 'information', 'hint'];

function formatText(results: FileResult[], skipped: SkippedEntry[]): string {
  const lines: string[] = [];
  const counts = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const r of results) {
    for (const f of r.findings) {
      lines.push(
        `${printable(r.file, true)}:${f.line}:${f.col} ${f.severity} ${f.ruleId} ${printable(f.message, true)}`,
      );
      counts[f.severity]++;
    }
  }
  lines.push(
    `${results.length} file(s) checked${skipped.length ? ` (${skipped.length} skipped, see above)` : ''}: ${counts.error} error(s), ${counts.warning} warning(s), ${counts.information} information, ${counts.hint} hint(s)`,
  );
  return lines.join('\n') + '\n';
}

/** A Markdown table cell: pipes, backslashes and line breaks escaped, HTML-significant characters as
 * entities, invisible characters shown as escapes. */
function mdCell(s: string): string {
  return printable(s, true)
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/`/g, '\\`');
}

/** The findings as a Markdown table (a pull-request comment, a job summary). */
function formatMarkdown(results: FileResult[], skipped: SkippedEntry[]): string {
  const counts = { error: 0, warning: 0, information: 0, hint: 0 };
  const rows: string[] = [];
  for (const r of results) {
    for (const f of r.findings) {
      counts[f.severity]++;
      rows.push(
        `| ${mdCell(r.file)}:${f.line}:${f.col} | ${f.severity} | [${f.ruleId}](${ruleDocUrl(f.ruleId)}) | ${mdCell(f.message)} |`,
      );
    }
  }
  const summary = `${results.length} file(s) checked${skipped.length ? ` (${skipped.length} skipped)` : ''}: ${counts.error} error(s), ${counts.warning} warning(s), ${counts.information} information, ${counts.hint} hint(s)`;
  const out = ['## Kube NetLens', '', summary, ''];
  if (rows.length) out.push('| where | severity | rule | message |', '|---|---|---|---|', ...rows, '');
  for (const s of skipped) out.push(`- skipped: ${mdCell(describeSkip(s))}`);
  return out.join('\n') + '\n';
}

function jsonFindings(results: FileResult[]) {
  return results.flatMap((r) =>
    r.findings.map((f) => ({
      file: r.file,
      line: f.line,
      column: f.col,
      endLine: f.endLine,
      endColumn: f.endCol,
      severity: f.severity,
      rule: f.ruleId,
      message: f.message,
      fixes: f.fixes ?? [],
    })),
  );
}

function formatSarif(results: FileResult[], skipped: SkippedEntry[]): string {
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
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: skipped.map((s) => ({
              level: 'warning',
              message: { text: describeSkip(s) },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: s.path.split(path.sep).map(encodeURIComponent).join('/') },
                  },
                },
              ],
            })),
          },
        ],
        results: jsonFindings(results).map((f) => ({
          ruleId: f.rule,
          ruleIndex: rules.findIndex((r) => r.id === f.rule),
          level: level(f.severity),
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file.split(path.sep).map(encodeURIComponent).join('/') },
                region: {
                  startLine: f.line,
                  startColumn: f.column,
                  endLine: f.endLine,
                  endColumn: f.endColumn,
                },
              },
            },
          ],
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** `k=v,k2=v2` as pod labels; the empty string is no label at all (every pod of the namespace). */
export function parseLabelList(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  if (text.trim() === '') return labels;
  for (const part of text.split(',')) {
    const item = part.trim();
    const eq = item.indexOf('=');
    const key = eq < 0 ? item : item.slice(0, eq);
    const value = eq < 0 ? '' : item.slice(eq + 1);
    if (eq < 0 || key === '')
      throw new UsageError(
        `--ingress-controller-labels takes k=v,k2=v2 (got "${text}": "${item}" is not key=value)`,
      );
    if (!LABEL_KEY.test(key) || key.length - key.lastIndexOf('/') - 1 > 63)
      throw new UsageError(`--ingress-controller-labels: "${key}" is not a valid label key`);
    if (!LABEL_VALUE.test(value) || value.length > 63)
      throw new UsageError(`--ingress-controller-labels: "${value}" is not a valid value for label ${key}`);
    if (key in labels) throw new UsageError(`--ingress-controller-labels: label ${key} is given twice`);
    labels[key] = value;
  }
  return labels;
}

export function runCheck(argv: string[]): number {
  const { options, positional } = parseOptions(argv, [
    '--format',
    '--kubernetes-version',
    '--rule',
    '--default-namespace',
    '--ingress-controller-namespace',
    '--ingress-controller-labels',
    '--threads',
    '--node-port-range',
    '--cni',
  ]);
  const format = options['--format']?.at(-1) ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'sarif' && format !== 'markdown')
    throw new UsageError(`--format must be text, json, sarif or markdown (got "${format}")`);
  const settings: CheckSettings = { kubernetesVersion: DEFAULT_KUBERNETES_VERSION, severities: {} };
  const version = options['--kubernetes-version']?.at(-1);
  if (version !== undefined) {
    if (!/^v?\d+\.\d+$/.test(version))
      throw new UsageError(`--kubernetes-version must look like 1.29 (got "${version}")`);
    settings.kubernetesVersion = version.replace(/^v/, '');
  }
  for (const v of options['--rule'] ?? []) {
    const m = /^([a-z0-9-]+)=(error|warning|information|info|hint|off)$/.exec(v);
    if (!m) throw new UsageError(`--rule takes ID=SEVERITY, e.g. ingress-rule-no-host=off (got "${v}")`);
    const known = allRuleInfos().map((r) => r.id);
    if (!known.includes(m[1])) {
      const near = closest(m[1], known);
      throw new UsageError(
        `--rule: no rule "${m[1]}"${near ? `; did you mean "${near}"?` : ' (docs/rules.md lists them)'}`,
      );
    }
    settings.severities[m[1]] = (m[2] === 'info' ? 'information' : m[2]) as 'error';
  }
  const ctrlNamespace = options['--ingress-controller-namespace']?.at(-1);
  const ctrlLabels = options['--ingress-controller-labels']?.at(-1);
  if (
    ctrlNamespace !== undefined &&
    (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ctrlNamespace) || ctrlNamespace.length > 63)
  ) {
    throw new UsageError(
      `--ingress-controller-namespace must be a namespace name such as traefik (got "${ctrlNamespace}")`,
    );
  }
  if (ctrlNamespace !== undefined || ctrlLabels !== undefined) {
    settings.ingressController = {
      namespace: ctrlNamespace ?? DEFAULT_INGRESS_CONTROLLER.namespace,
      podLabels:
        ctrlLabels !== undefined ? parseLabelList(ctrlLabels) : { ...DEFAULT_INGRESS_CONTROLLER.podLabels },
    };
  }
  const rangeText = options['--node-port-range']?.at(-1);
  if (rangeText !== undefined) {
    const range = parseNodePortRange(rangeText);
    if (!range)
      throw new UsageError(
        `--node-port-range takes MIN-MAX within 1-65535, e.g. 30000-32767 (got "${printable(rangeText)}")`,
      );
    settings.nodePortRange = range;
  }
  const cni = parseCniOption(options['--cni']?.at(-1));
  if (cni !== undefined) settings.cni = cni;
  const threadsText = options['--threads']?.at(-1);
  if (threadsText !== undefined && !/^\d{1,2}$/.test(threadsText))
    throw new UsageError(
      `--threads takes a number of threads, e.g. 2 or 0 (got "${printable(threadsText)}")`,
    );
  // the file-local rules run as each file is parsed (in the parse threads); the cross-file rules
  // below, once every file is in the index
  const { files, index, skipped, operandsUnread } = loadPaths(
    positional,
    options['--default-namespace']?.at(-1) ?? 'default',
    threadsText === undefined ? undefined : Number(threadsText),
    { settings, reportSyntax: true },
  );
  reportSkipped(skipped);
  // The language service answers as it does in the editor: same rules, severities and positions.
  const workspace = new ParsedWorkspace(
    index,
    files.map((f) => ({ uri: f.file, text: f.text, parsed: f.parsed, skipped: f.skipped })),
  );
  const service = createLanguageService(workspace, {
    ...DEFAULT_LANGUAGE_SETTINGS,
    check: settings,
    reportSyntax: true,
    defaultNamespace: index.defaultNamespace,
  });
  const results: FileResult[] = [];
  let errors = 0;
  for (const f of files) {
    // (checked once: the service keeps nothing of it for a later check)
    const diagnostics = service.doValidation(f.file, { once: true });
    const findings = diagnostics.map((d): CliFinding => {
      const finding: CliFinding = {
        line: d.range.start.line + 1,
        col: d.range.start.character + 1,
        endLine: d.range.end.line + 1,
        endCol: d.range.end.character + 1,
        severity: SEVERITY_NAME[d.severity ?? 1],
        ruleId: String(d.code),
        message: typeof d.message === 'string' ? d.message : d.message.value,
      };
      // the quick fixes an editor would offer for it, computed as a code action request does
      if (format === 'json')
        finding.fixes = service
          .getCodeActions(f.file, d.range, { diagnostics: [d] })
          .filter((a) => a.kind === 'quickfix')
          .map((a) => a.title);
      return finding;
    });
    findings.sort((a, b) => a.line - b.line || a.col - b.col || a.endLine - b.endLine || a.endCol - b.endCol);
    errors += findings.filter((x) => x.severity === 'error').length;
    results.push({ file: f.file, findings });
    workspace.release(f.file);
  }
  if (format === 'text') process.stdout.write(formatText(results, skipped));
  else if (format === 'json') {
    const skippedJson = skipped.map((s) => ({ path: s.path, reason: s.reason, message: describeSkip(s) }));
    process.stdout.write(
      JSON.stringify(
        {
          version: 1,
          findings: jsonFindings(results),
          summary: { files: results.length, errors },
          skipped: skippedJson,
        },
        null,
        2,
      ) + '\n',
    );
  } else if (format === 'markdown') process.stdout.write(formatMarkdown(results, skipped));
  else process.stdout.write(formatSarif(results, skipped));
  return errors > 0 ? 1 : operandsUnread.length > 0 ? 2 : 0;
}
