// The options reach, matrix, diff and route share (--port, --cni, --protocol, an option given once),
// locations of engine SourceRefs in the loaded files, and the line naming the network plugin assumed.

import { CNI_NAMES, isCniName } from '../engine/cni';
import { tierContext } from '../engine/tiers';
import type { Cluster, Protocol, SourceRef } from '../engine/types';
import { UsageError, lineCol, lineStartsOf } from './common';
import type { LoadedFile } from './common';

const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/;

/** --port: a number 1-65535 or an IANA-style port name. */
export function parsePortOption(v: string | undefined, required: boolean): number | string | undefined {
  if (v === undefined) {
    if (required)
      throw new UsageError(
        '--port is required (a number such as 8080, or a container port name such as http)',
      );
    return undefined;
  }
  if (/^\d+$/.test(v)) {
    const n = Number(v);
    if (n < 1 || n > 65535) throw new UsageError(`--port must be between 1 and 65535 (got ${v})`);
    return n;
  }
  if (!PORT_NAME.test(v))
    throw new UsageError(`--port must be a number 1-65535 or a port name like http (got "${v}")`);
  return v;
}

/** --cni: auto or a plugin name. */
export function parseCniOption(v: string | undefined): string | undefined {
  if (v === undefined || v === 'auto') return undefined;
  const n = v.toLowerCase();
  if (!isCniName(n))
    throw new UsageError(`--cni must be auto or one of ${CNI_NAMES.join(', ')} (got "${v}")`);
  return n;
}

export function parseProtocolOption(v: string | undefined): Protocol {
  const p = (v ?? 'TCP').toUpperCase();
  if (p !== 'TCP' && p !== 'UDP' && p !== 'SCTP')
    throw new UsageError(`--protocol must be TCP, UDP or SCTP (got "${v}")`);
  return p;
}

/** One option given at most once. */
export function single(options: Record<string, string[]>, name: string): string | undefined {
  const v = options[name];
  if (v && v.length > 1) throw new UsageError(`${name} given ${v.length} times; give it once`);
  return v?.[0];
}

export interface Location {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Turns engine SourceRefs (file + offsets) into 1-based lines and columns. */
export function locator(files: LoadedFile[]): (s: SourceRef | undefined) => Location | undefined {
  const texts = new Map(files.map((f) => [f.file, f.text]));
  const starts = new Map<string, number[]>();
  return (s) => {
    if (!s) return undefined;
    const text = texts.get(s.uri);
    if (text === undefined) return undefined;
    let ls = starts.get(s.uri);
    if (!ls) starts.set(s.uri, (ls = lineStartsOf(text)));
    const a = lineCol(s.start, ls);
    const b = lineCol(s.end, ls);
    return { file: s.uri, line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
  };
}

/** One line saying which network plugin the verdict assumes and why. */
export function cniText(cluster: Cluster, cni: string | undefined): string {
  const { choice, inert, unevaluated } = tierContext(cluster, cni);
  const how =
    choice.how === 'given'
      ? 'given with --cni'
      : choice.how === 'detected'
        ? `detected from ${choice.evidence.slice(0, 3).join(', ')}`
        : choice.evidence.length
          ? `several plugins' resources found (${choice.evidence.slice(0, 3).join(', ')}): every kind is enforced`
          : 'no plugin resources found: every kind is enforced';
  const notEvaluated = unevaluated.length
    ? `; ${unevaluated.length} ${unevaluated[0].plugin}-native polic${unevaluated.length === 1 ? 'y is' : 'ies are'} not evaluated (they may decide first)`
    : '';
  return `Network plugin: ${choice.caps.label} (${how})${inert.length ? `; ${inert.length} polic${inert.length === 1 ? 'y is' : 'ies are'} inert under it` : ''}${notEvaluated}`;
}
