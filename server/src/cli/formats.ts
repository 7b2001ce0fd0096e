// Output formats shared by route, reach and migrate beyond text and JSON: SARIF 2.1.0 (for code
// scanning: each finding a result at its place in the manifests) and Markdown (for a pull-request
// comment: every manifest string escaped). check and diff have their own, richer writers.

import path from 'node:path';
import { escapeMarkdown } from '../protocol/escape';

/** A place in a manifest (cli/reach.ts's locator gives these). */
interface Location {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type SarifLevel = 'error' | 'warning' | 'note';

export interface SarifFinding {
  ruleId: string;
  level: SarifLevel;
  message: string;
  location?: Location;
}

/** One SARIF log of one run of a command: the rules are the distinct rule ids of the findings. */
export function sarifLog(command: string, findings: readonly SarifFinding[]): string {
  const ids = [...new Set(findings.map((f) => f.ruleId))];
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: `kube-netlens ${command}`,
            informationUri: 'https://github.com/kube-netlens/kube-netlens',
            version: '0.1.0',
            rules: ids.map((id) => ({ id })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: ids.indexOf(f.ruleId),
          level: f.level,
          message: { text: f.message },
          ...(f.location
            ? {
                locations: [
                  {
                    physicalLocation: {
                      artifactLocation: {
                        uri: f.location.file.split(path.sep).map(encodeURIComponent).join('/'),
                      },
                      region: {
                        startLine: f.location.line,
                        startColumn: f.location.column,
                        endLine: f.location.endLine,
                        endColumn: f.location.endColumn,
                      },
                    },
                  },
                ],
              }
            : {}),
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

/** The severity words of the engine's problems as SARIF levels. */
export function sarifLevel(severity: string | undefined): SarifLevel {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

/**
 * The text answer of route or reach as Markdown: its first line in bold, then one table row per line
 * (`  label  detail` lines split in two columns; other lines, such as continuations, with an empty label). Every string is escaped: manifest text cannot inject links or
 * HTML into the comment.
 */
export function textAnswerMarkdown(command: string, text: string): string {
  const lines = text.replace(/\n+$/, '').split('\n');
  const out: string[] = [`### kube-netlens ${command}`, '', `**${escapeMarkdown(lines[0] ?? '')}**`];
  const rows: [string, string][] = [];
  for (const line of lines.slice(1)) {
    const m = /^ {2}([a-z]\S*)\s{2,}(\S.*)$/.exec(line);
    if (m) rows.push([m[1], m[2]]);
    else if (line.trim()) rows.push(['', line.trim()]);
  }
  if (rows.length) {
    out.push('', '| | |', '|---|---|');
    for (const [label, detail] of rows) out.push(`| ${escapeMarkdown(label)} | ${escapeMarkdown(detail)} |`);
  }
  return out.join('\n') + '\n';
}
