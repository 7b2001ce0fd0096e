// Shared by the command-line subcommands: argument errors, finding files, loading them into an index.

import { printable } from '../protocol/escape';
import type { ParsedFile } from '../syntax/file';
import { ResourceIndex } from '../workspace/index';
import { resourcesOf } from '../model/resource';
import { parseAll, parseBatch, parseWorkerEntry, startParseThreads } from './parse-workers';
import { THREADS_FROM, parseThreads } from './parse-threads-count';
import type { ParseJob, ParseThreads } from './parse-workers';
import { readFileSync } from 'node:fs';
import type { Finding } from '../rules/types';
import { rememberLocalFindings } from '../rules/check';
import type { LocalCheckSettings } from '../rules/check';
import {
  ALWAYS_SKIPPED_FOLDERS,
  DEFAULT_MAX_FILE_MB,
  describeSkip,
  isYamlName,
  listFilesSync,
} from '../workspace/disk';
import type { SkippedEntry } from '../workspace/disk';

/** A mistake in how the command was called: printed with the usage, exit status 2. */
export class UsageError extends Error {}

export interface LoadedFile {
  file: string;
  text: string;
  parsed?: ParsedFile;
  skipped?: Finding;
}

export interface Loaded {
  files: LoadedFile[];
  index: ResourceIndex;
  /** Entries not read (dangling links, FIFOs, unreadable or too large files, ...), in the order met. */
  skipped: SkippedEntry[];
  /** Paths named on the command line that could not be read at all (missing, a dangling link, not a
   * regular file, permission denied; a file over the size limit is the user's choice, not listed). */
  operandsUnread: SkippedEntry[];
}

let maxFileMB = DEFAULT_MAX_FILE_MB;

/** The size limit of every command (`--max-file-size`, read by cli.ts before the command runs). */
export function setMaxFileMB(mb: number): void {
  maxFileMB = mb;
}

/** `--max-file-size <MB>`: a positive number of megabytes. */
export function parseMaxFileSize(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(n > 0))
    throw new UsageError(
      `--max-file-size takes a positive number of megabytes, e.g. 5 or 0.5 (got "${value}")`,
    );
  return n;
}

/** One line per skipped entry on stderr: `kube-netlens: skipped deploy/x.yaml: a FIFO (named pipe), …`. */
export function reportSkipped(skipped: SkippedEntry[]): void {
  for (const s of skipped) process.stderr.write(`kube-netlens: ${printable(describeSkip(s), true)}\n`);
}

/** Read every YAML file under the given paths into one index (one workspace). Entries that cannot or
 * must not be read (see workspace/disk.ts) are returned in `skipped` (for reportSkipped) and the rest is
 * read. Files are parsed in worker threads when there are many and the CLI bundle said where its
 * worker entry is (`threads`: a number of threads, 0 for this thread only; by default decided from
 * the file count and cores); the result is the same either way. */
export function loadPaths(
  paths: string[],
  defaultNamespace = 'default',
  threads?: number,
  local?: Omit<LocalCheckSettings, 'defaultNamespace'>,
): Loaded {
  if (paths.length === 0) throw new UsageError('no files or folders given');
  const fromStdin = paths.includes('-');
  if (paths.filter((p) => p === '-').length > 1) throw new UsageError('"-" (stdin) given more than once');
  const onDisk = paths.filter((p) => p !== '-');
  const entry = parseWorkerEntry();
  // the parse threads start as soon as the listing has found enough files for them (they take a
  // while to start, and the rest of a large folder's listing takes a while too)
  let found = 0;
  let early: ParseThreads | undefined;
  let threadCount: number | undefined;
  const accept = (rel: string): boolean => {
    if (!isYamlName(rel)) return false;
    if (++found === THREADS_FROM && entry) {
      threadCount = parseThreads(found, threads);
      if (threadCount > 0) early = startParseThreads(threadCount, entry);
    }
    return true;
  };
  const listing = onDisk.length
    ? listFilesSync(onDisk, {
        accept,
        skipFolder: (_rel, name) => ALWAYS_SKIPPED_FOLDERS.has(name),
      })
    : { files: [], skipped: [] };
  const maxBytes = maxFileMB * 1024 * 1024;
  // each file is read where it is parsed (see cli/parse-workers.ts); "-": the YAML on standard
  // input, as one more file named <stdin>
  const jobs: ParseJob[] = [
    ...(fromStdin ? [{ uri: STDIN_NAME, text: readStdin(), maxBytes }] : []),
    ...listing.files.map((f) => ({ uri: f, maxBytes })),
  ];
  const index = new ResourceIndex();
  index.setDefaultNamespace(defaultNamespace);
  const localSettings = local && { ...local, defaultNamespace };
  // (equal short strings of every tree made one as each file is parsed: see shareStrings; the table
  // goes with this call)
  const shared = new Map<string, string>();
  // (files named on the command line are not counted while listing: decided here then)
  threadCount ??= entry ? parseThreads(jobs.length, threads) : 0;
  // (KNL_TRACE, as in the server: how the work was split, for scripts/bench-scale.ts)
  if (process.env.KNL_TRACE)
    process.stderr.write(
      `kube-netlens: ${jobs.length} file(s) to read, ${threadCount} parse thread(s)${early ? ' (started while listing)' : ''}\n`,
    );
  const results = entry
    ? parseAll(jobs, threadCount, entry, localSettings, shared, early)
    : parseBatch(jobs, localSettings, shared);
  const unread: SkippedEntry[] = [];
  const files: LoadedFile[] = [];
  // each real file once, in listing order: a later path to a file read already (a link) is dropped
  const seen = new Set<string>();
  results.forEach((r, i) => {
    if (r.unread) {
      unread.push(r.unread);
      return;
    }
    if (r.id !== undefined) {
      if (seen.has(r.id)) return;
      seen.add(r.id);
    }
    const file = jobs[i].uri;
    const { parsed, skipped: pre, local: found } = r;
    if (parsed) {
      index.setFile(
        file,
        parsed.docs.flatMap((d) => resourcesOf(d)),
      );
      if (localSettings && found) rememberLocalFindings(parsed, localSettings, found);
    }
    files.push({ file, text: r.text ?? jobs[i].text ?? '', parsed, skipped: pre });
  });
  // one list in path order, whether the entry was refused while listing or while reading
  const skipped = [...listing.skipped, ...unread].sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );
  const operands = new Set(paths);
  if (files.length === 0 && !skipped.some((s) => operands.has(s.path))) {
    throw new UsageError(`no YAML files (.yaml, .yml) found in ${paths.map((p) => printable(p)).join(', ')}`);
  }
  return {
    files,
    index,
    skipped,
    operandsUnread: skipped.filter((s) => operands.has(s.path) && s.reason !== 'too-large'),
  };
}

/** The name findings from standard input are reported under. */
export const STDIN_NAME = '<stdin>';

function readStdin(): string {
  try {
    return readFileSync(0, 'utf8');
  } catch (e) {
    // no standard input at all (closed, a terminal in a non-blocking mode): nothing to read
    if ((e as NodeJS.ErrnoException).code === 'EAGAIN' || (e as NodeJS.ErrnoException).code === 'EOF')
      return '';
    throw e;
  }
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
export function parseOptions(
  argv: string[],
  valued: string[],
  flags: string[] = [],
): { options: Record<string, string[]>; positional: string[] } {
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
