// Shared by the command-line subcommands: argument errors, finding files, loading them into an index.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseFile } from '../syntax/file';
import type { ParsedFile } from '../syntax/file';
import { ResourceIndex } from '../workspace/index';
import { resourcesOf } from '../model/resource';
import { precheck, DEFAULT_MAX_FILE_BYTES } from '../rules/check';
import type { Finding } from '../rules/types';

/** A mistake in how the command was called: printed with the usage, exit status 2. */
export class UsageError extends Error {}

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

export interface LoadedFile {
  file: string;
  text: string;
  parsed?: ParsedFile;
  skipped?: Finding;
}

export interface Loaded {
  files: LoadedFile[];
  index: ResourceIndex;
}

/** Read every YAML file under the given paths into one index (one workspace). */
export function loadPaths(paths: string[], defaultNamespace = 'default'): Loaded {
  if (paths.length === 0) throw new UsageError('no files or folders given');
  const names: string[] = [];
  for (const p of paths) collect(p, names, true);
  const index = new ResourceIndex();
  index.setDefaultNamespace(defaultNamespace);
  const files: LoadedFile[] = [];
  for (const file of names) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
    }
    const skipped = precheck(text, DEFAULT_MAX_FILE_BYTES * 4);
    const parsed = skipped ? undefined : parseFile(text);
    if (parsed) index.setFile(file, parsed.docs.flatMap((d) => resourcesOf(d)));
    files.push({ file, text, parsed, skipped });
  }
  return { files, index };
}

export function lineStartsOf(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

/** 1-based line and column of an offset. */
export function lineCol(offset: number, lineStarts: number[]): { line: number; col: number } {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, col: offset - lineStarts[lo] + 1 };
}

/** A small option parser: `--name value` or `--name=value`; flags listed in `flags` take no value. */
export function parseOptions(argv: string[], valued: string[], flags: string[] = []): { options: Record<string, string[]>; positional: string[] } {
  const options: Record<string, string[]> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-') || a === '-') {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (flags.includes(name)) {
      if (eq > 0) throw new UsageError(`${name} takes no value`);
      (options[name] ??= []).push('true');
      continue;
    }
    if (!valued.includes(name)) throw new UsageError(`unknown option ${name}`);
    const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (v === undefined) throw new UsageError(`${name} needs a value`);
    (options[name] ??= []).push(v);
  }
  return { options, positional };
}
