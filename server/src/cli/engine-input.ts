// Loading manifests for the engine commands (route, reach, matrix). A verdict computed from a file the
// parser could not read would be silently wrong, so YAML errors stop these commands (exit status 2)
// with every error's file:line:col; `check` instead reports them as findings.

import { buildCluster } from '../model/cluster';
import type { Cluster } from '../engine/types';
import { lineCol, lineStartsOf, loadPaths, reportSkipped } from './common';
import { describeSkip } from '../workspace/disk';
import { printable } from '../protocol/escape';
import type { LoadedFile } from './common';

/** The input cannot be used (invalid YAML): printed without the usage text, exit status 2. */
export class InputError extends Error {}

export interface EngineInput {
  files: LoadedFile[];
  cluster: Cluster;
}

/** Every YAML error of the loaded files, as `file:line:col: message`. */
export function yamlErrors(files: LoadedFile[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    const starts = lineStartsOf(f.text);
    for (const d of f.parsed?.docs ?? []) {
      for (const e of d.errors) {
        if (e.warning) continue;
        const { line, col } = lineCol(d.base + e.start, starts);
        out.push(printable(`${f.file}:${line}:${col}: ${e.message}`, true));
      }
    }
  }
  return out;
}

export function loadForEngine(paths: string[], defaultNamespace: string | undefined): EngineInput {
  const { files, index, skipped, operandsUnread } = loadPaths(paths, defaultNamespace ?? 'default');
  // A path the user named that cannot be read: no verdict from what is left of the input.
  if (operandsUnread.length)
    throw new InputError(
      operandsUnread.map((s) => printable(describeSkip(s), true)).join('\nkube-netlens: '),
    );
  // Entries inside folders that cannot be read are reported, and the rest is evaluated.
  reportSkipped(skipped);
  const errors = yamlErrors(files);
  if (errors.length) {
    const shown = errors.slice(0, 20);
    const more = errors.length > shown.length ? `\n  ... and ${errors.length - shown.length} more` : '';
    throw new InputError(
      `invalid YAML, so the manifests cannot be evaluated (fix it, or leave the file out):\n  ${shown.join('\n  ')}${more}`,
    );
  }
  // Files left out on purpose (Helm templates, binary, too large) do not stop the command, but the user must know.
  for (const f of files)
    if (f.skipped)
      process.stderr.write(`kube-netlens: ${printable(`${f.file}: ${f.skipped.message}`, true)}\n`);
  return { files, cluster: buildCluster(index) };
}
