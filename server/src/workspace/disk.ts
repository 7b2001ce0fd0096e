// The one place that lists and reads manifest files from disk, for the command line and for the
// server's workspace index alike, so that both see the same files:
// - symbolic links are followed, to files and to folders; a link that points nowhere, at itself or
//   round in a circle, and a folder link back into a folder being searched, are reported, not fatal;
// - only regular files are read: a FIFO, a device (a link to /dev/zero), a socket is reported and
//   never opened for a blocking read. The size is checked before reading (stat), then the file is
//   opened non-blocking and its handle checked again (fstat), and no more than the limit is read, so
//   a file swapped or grown in between cannot make a read block or run on;
// - one size limit for both (kubeNetlens.maxFileSize, `--max-file-size`, 5 MB by default);
// - the same file reached twice (through a link) is read once.
// The walk is written once, as a generator of file-system requests; `runSync` answers them with the
// synchronous calls (the CLI), `runAsync` with the promise calls under a timeout (the server, whose
// index updates wait in one queue and must never wait forever on one entry).

import * as fs from 'node:fs';
import path from 'node:path';

/** Files larger than this are not read (the default of kubeNetlens.maxFileSize and --max-file-size). */
export const DEFAULT_MAX_FILE_MB = 5;
export const DEFAULT_MAX_FILE_BYTES = DEFAULT_MAX_FILE_MB * 1024 * 1024;
/** How long the server waits for one file-system call before it gives up on that entry. */
export const DEFAULT_DISK_TIMEOUT_MS = 10_000;

/** Why an entry was not read. */
export type SkipReason =
  | 'missing' // no such file or folder (a path given by the user, or removed while listing)
  | 'dangling-link' // a symbolic link whose target does not exist
  | 'link-loop' // a link to itself, a circle of links, or a folder link back into its own ancestry
  | 'not-regular' // FIFO, device, socket: never read
  | 'unreadable' // permission denied or another error while opening or reading a file
  | 'folder-unreadable' // a folder that cannot be listed
  | 'too-large' // over the size limit
  | 'timeout'; // the file system did not answer in time (server only)

export interface SkippedEntry {
  path: string;
  reason: SkipReason;
  /** What went wrong, in words, without the path: "a FIFO (named pipe), not a regular file". */
  detail: string;
}

/** One line for a person: `cannot read x.yaml: permission denied` or `skipped x.yaml: a FIFO …`. */
export function describeSkip(s: SkippedEntry): string {
  const verb =
    s.reason === 'missing' ||
    s.reason === 'unreadable' ||
    s.reason === 'folder-unreadable' ||
    s.reason === 'timeout'
      ? 'cannot read'
      : 'skipped';
  return `${verb} ${s.reason === 'folder-unreadable' ? 'folder ' : ''}${s.path}: ${s.detail}`;
}

export interface ListOptions {
  /** Should a file found inside a folder be read? `rel` is relative to the root given, with `/`. */
  accept(rel: string): boolean;
  /** Should a folder found inside a folder be skipped (node_modules, excluded globs)? */
  skipFolder?(rel: string, name: string): boolean;
  /** Stop listing after this many files. */
  maxFiles?: number;
}

export interface Listing {
  files: string[];
  skipped: SkippedEntry[];
  /** maxFiles was reached. */
  truncated: boolean;
}

export interface ReadOk {
  ok: true;
  text: string;
  /** Identity of the file read (device and inode): the same file reached through a link is the same. */
  id: string;
}
export type ReadResult = ReadOk | { ok: false; skipped: SkippedEntry };

/** What the generators ask of the file system; each answer is a value or the error thrown. */
type Request =
  | { op: 'stat'; path: string }
  | { op: 'lstat'; path: string }
  | { op: 'readdir'; path: string }
  | { op: 'readlink'; path: string }
  | { op: 'read'; path: string; maxBytes: number };
type Answer = { value?: unknown; error?: NodeJS.ErrnoException };
type Walker<T> = Generator<Request, T, Answer>;

/** A stand-in for node:fs, for tests that need errors the machine cannot produce (EACCES as root). */
export interface DiskFs {
  statSync: typeof fs.statSync;
  lstatSync: typeof fs.lstatSync;
  readdirSync: typeof fs.readdirSync;
  readlinkSync: typeof fs.readlinkSync;
  openSync: typeof fs.openSync;
  fstatSync: typeof fs.fstatSync;
  readSync: typeof fs.readSync;
  closeSync: typeof fs.closeSync;
  promises: Pick<typeof fs.promises, 'stat' | 'lstat' | 'readdir' | 'readlink' | 'open'>;
}

const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0);

function mb(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  const v = bytes / 1024 / 1024;
  return `${v >= 10 || Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1)} MB`;
}

function kindOf(st: fs.Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a folder';
  return 'not a regular file';
}

function notRegular(p: string, st: fs.Stats): SkippedEntry {
  const kind = kindOf(st);
  return {
    path: p,
    reason: 'not-regular',
    detail: kind === 'not a regular file' ? kind : `${kind}, not a regular file`,
  };
}

function tooLarge(p: string, size: number, maxBytes: number, exact = true): SkippedEntry {
  return {
    path: p,
    reason: 'too-large',
    detail: `${exact ? mb(size) : `more than ${mb(maxBytes)}`} is over the ${mb(maxBytes)} size limit`,
  };
}

function errorText(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'no such file or folder';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'EIO':
      return 'input/output error';
    case 'ETIMEDOUT':
      return e.message;
    default:
      return e.code
        ? `${e.code.toLowerCase()}: ${e.message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '')}`
        : e.message;
  }
}

/** Why `stat` (which follows links) failed on p, in the terms of SkipReason. */
function* statFailure(p: string, e: NodeJS.ErrnoException, folder = false): Walker<SkippedEntry> {
  if (e.code === 'ETIMEDOUT') return { path: p, reason: 'timeout', detail: e.message };
  if (e.code === 'ELOOP')
    return {
      path: p,
      reason: 'link-loop',
      detail: 'symbolic link loop (it leads back to itself, directly or through other links)',
    };
  if (e.code === 'ENOENT' || e.code === 'ENOTDIR') {
    const l = yield { op: 'lstat', path: p };
    if (!l.error && (l.value as fs.Stats).isSymbolicLink()) {
      const t = yield { op: 'readlink', path: p };
      return {
        path: p,
        reason: 'dangling-link',
        detail: `dangling symbolic link (its target ${t.error ? '' : `${String(t.value)} `}does not exist)`,
      };
    }
    return { path: p, reason: 'missing', detail: errorText(e) };
  }
  return { path: p, reason: folder ? 'folder-unreadable' : 'unreadable', detail: errorText(e) };
}

function statsId(st: fs.Stats): string {
  return `${st.dev}:${st.ino}`;
}

/** Read one file under the rules above. */
function* readWalker(p: string, maxBytes: number): Walker<ReadResult> {
  const s = yield { op: 'stat', path: p };
  if (s.error) return { ok: false, skipped: yield* statFailure(p, s.error) };
  const st = s.value as fs.Stats;
  if (!st.isFile()) return { ok: false, skipped: notRegular(p, st) };
  if (st.size > maxBytes) return { ok: false, skipped: tooLarge(p, st.size, maxBytes) };
  const r = yield { op: 'read', path: p, maxBytes };
  if (r.error) {
    if (r.error.code === 'ETIMEDOUT')
      return { ok: false, skipped: { path: p, reason: 'timeout', detail: r.error.message } };
    return { ok: false, skipped: { path: p, reason: 'unreadable', detail: errorText(r.error) } };
  }
  return r.value as ReadResult;
}

/** List the files under the given paths. A path given itself is taken whatever its name (if it is
 * not a folder); files inside folders are taken when `accept` says so. Folders are walked in name
 * order, so the listing does not depend on the order the file system returns. */
function* listWalker(roots: string[], opts: ListOptions): Walker<Listing> {
  const files: string[] = [];
  const skipped: SkippedEntry[] = [];
  const max = opts.maxFiles ?? Infinity;
  const visitedFolders = new Set<string>();
  let truncated = false;

  function* folder(root: string, dir: string, st: fs.Stats, ancestors: string[]): Walker<void> {
    const id = statsId(st);
    if (ancestors.includes(id)) {
      skipped.push({
        path: dir,
        reason: 'link-loop',
        detail: 'symbolic link to a folder that contains it (a loop)',
      });
      return;
    }
    // the same folder reached again through another link: its files are listed already
    if (visitedFolders.has(id)) return;
    visitedFolders.add(id);
    const r = yield { op: 'readdir', path: dir };
    if (r.error) {
      skipped.push(yield* statFailure(dir, r.error, true));
      return;
    }
    const entries = (r.value as fs.Dirent[])
      .slice()
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (files.length >= max) {
        truncated = true;
        return;
      }
      const full = path.join(dir, e.name);
      const rel = path.relative(root, full).split(path.sep).join('/');
      if (e.isDirectory()) {
        if (opts.skipFolder?.(rel, e.name)) continue;
        const s = yield { op: 'stat', path: full };
        if (s.error) skipped.push(yield* statFailure(full, s.error, true));
        else yield* folder(root, full, s.value as fs.Stats, [...ancestors, id]);
        continue;
      }
      if (e.isFile()) {
        if (opts.accept(rel)) files.push(full);
        continue;
      }
      if (e.isSymbolicLink() || !(e.isFIFO() || e.isCharacterDevice() || e.isBlockDevice() || e.isSocket())) {
        // a link (or a file system that does not say what the entry is): follow it to decide
        const s = yield { op: 'stat', path: full };
        if (s.error) {
          // a broken link is only worth a word when it would have been read
          if (opts.accept(rel)) skipped.push(yield* statFailure(full, s.error));
          continue;
        }
        const target = s.value as fs.Stats;
        if (target.isDirectory()) {
          if (!opts.skipFolder?.(rel, e.name)) yield* folder(root, full, target, [...ancestors, id]);
        } else if (opts.accept(rel)) {
          if (target.isFile()) files.push(full);
          else skipped.push(notRegular(full, target));
        }
        continue;
      }
      // FIFO, device, socket
      if (opts.accept(rel)) {
        const s = yield { op: 'lstat', path: full };
        skipped.push(
          s.error
            ? { path: full, reason: 'not-regular', detail: 'not a regular file' }
            : notRegular(full, s.value as fs.Stats),
        );
      }
    }
  }

  for (const root of roots) {
    if (files.length >= max) {
      truncated = true;
      break;
    }
    const s = yield { op: 'stat', path: root };
    if (s.error) {
      skipped.push(yield* statFailure(root, s.error));
      continue;
    }
    const st = s.value as fs.Stats;
    if (st.isDirectory()) yield* folder(root, root, st, []);
    else if (st.isFile()) files.push(root);
    else skipped.push(notRegular(root, st));
  }
  return { files, skipped, truncated };
}

// ---------------------------------------------------------------------------------------------------
// Answering the requests

/** Collects a regular file's bytes for the synchronous and the asynchronous reader alike: reads
 * until the end, never more than the limit plus one byte (a file still growing is caught), and
 * treats a short read as the end (saves one more call per file). */
class Accumulator {
  private chunks: Buffer[] = [];
  total = 0;

  constructor(
    private readonly size: number,
    private readonly maxBytes: number,
  ) {}

  /** A buffer for the next read. */
  next(): Buffer {
    return Buffer.allocUnsafe(
      Math.min(Math.max(this.size - this.total, 0) + 1, this.maxBytes + 1 - this.total, 1 << 20) || 1,
    );
  }

  /** Keep what one read gave; false when reading should stop (end of file, or over the limit). */
  add(buf: Buffer, n: number): boolean {
    if (n === 0) return false;
    this.chunks.push(n === buf.length ? buf : buf.subarray(0, n));
    this.total += n;
    return this.total <= this.maxBytes && n === buf.length;
  }

  text(): string {
    return Buffer.concat(this.chunks, this.total).toString('utf8');
  }
}

function readSyncWith(f: DiskFs, p: string, maxBytes: number): ReadResult {
  const fd = f.openSync(p, OPEN_FLAGS);
  try {
    const st = f.fstatSync(fd);
    if (!st.isFile()) return { ok: false, skipped: notRegular(p, st) };
    if (st.size > maxBytes) return { ok: false, skipped: tooLarge(p, st.size, maxBytes) };
    const acc = new Accumulator(st.size, maxBytes);
    for (let buf = acc.next(); acc.add(buf, f.readSync(fd, buf, 0, buf.length, null)); buf = acc.next());
    if (acc.total > maxBytes) return { ok: false, skipped: tooLarge(p, acc.total, maxBytes, false) };
    return { ok: true, text: acc.text(), id: statsId(st) };
  } finally {
    f.closeSync(fd);
  }
}

async function readAsyncWith(f: DiskFs, p: string, maxBytes: number): Promise<ReadResult> {
  const handle = await f.promises.open(p, OPEN_FLAGS);
  try {
    const st = await handle.stat();
    if (!st.isFile()) return { ok: false, skipped: notRegular(p, st) };
    if (st.size > maxBytes) return { ok: false, skipped: tooLarge(p, st.size, maxBytes) };
    const acc = new Accumulator(st.size, maxBytes);
    for (
      let buf = acc.next();
      acc.add(buf, (await handle.read(buf, 0, buf.length, null)).bytesRead);
      buf = acc.next()
    );
    if (acc.total > maxBytes) return { ok: false, skipped: tooLarge(p, acc.total, maxBytes, false) };
    return { ok: true, text: acc.text(), id: statsId(st) };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function runSync<T>(gen: Walker<T>, f: DiskFs): T {
  let step = gen.next({});
  while (!step.done) {
    const q = step.value;
    let answer: Answer;
    try {
      if (q.op === 'stat') answer = { value: f.statSync(q.path) };
      else if (q.op === 'lstat') answer = { value: f.lstatSync(q.path) };
      else if (q.op === 'readdir') answer = { value: f.readdirSync(q.path, { withFileTypes: true }) };
      else if (q.op === 'readlink') answer = { value: f.readlinkSync(q.path) };
      else answer = { value: readSyncWith(f, q.path, q.maxBytes) };
    } catch (e) {
      answer = { error: e as NodeJS.ErrnoException };
    }
    step = gen.next(answer);
  }
  return step.value;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  if (!Number.isFinite(ms)) return p;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const e: NodeJS.ErrnoException = new Error(
        `the file system did not answer within ${ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`} (${what})`,
      );
      e.code = 'ETIMEDOUT';
      reject(e);
    }, ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function runAsync<T>(gen: Walker<T>, f: DiskFs, timeoutMs: number): Promise<T> {
  let step = gen.next({});
  while (!step.done) {
    const q = step.value;
    let answer: Answer;
    try {
      const p =
        q.op === 'stat'
          ? f.promises.stat(q.path)
          : q.op === 'lstat'
            ? f.promises.lstat(q.path)
            : q.op === 'readdir'
              ? f.promises.readdir(q.path, { withFileTypes: true })
              : q.op === 'readlink'
                ? f.promises.readlink(q.path)
                : readAsyncWith(f, q.path, q.maxBytes);
      answer = {
        value: await withTimeout<unknown>(p, timeoutMs, q.op === 'read' ? 'reading the file' : q.op),
      };
    } catch (e) {
      answer = { error: e as NodeJS.ErrnoException };
    }
    step = gen.next(answer);
  }
  return step.value;
}

const NODE_FS: DiskFs = fs;

export interface DiskOptions {
  maxBytes?: number;
  /** Server only: give up on one call after this many milliseconds (default 10 s). */
  timeoutMs?: number;
  /** Replaces node:fs (tests). */
  fs?: DiskFs;
}

export function listFilesSync(roots: string[], opts: ListOptions, disk: DiskOptions = {}): Listing {
  return runSync(listWalker(roots, opts), disk.fs ?? NODE_FS);
}

export function listFiles(roots: string[], opts: ListOptions, disk: DiskOptions = {}): Promise<Listing> {
  return runAsync(listWalker(roots, opts), disk.fs ?? NODE_FS, disk.timeoutMs ?? DEFAULT_DISK_TIMEOUT_MS);
}

export function readFileSyncChecked(file: string, disk: DiskOptions = {}): ReadResult {
  return runSync(readWalker(file, disk.maxBytes ?? DEFAULT_MAX_FILE_BYTES), disk.fs ?? NODE_FS);
}

export function readFileChecked(file: string, disk: DiskOptions = {}): Promise<ReadResult> {
  return runAsync(
    readWalker(file, disk.maxBytes ?? DEFAULT_MAX_FILE_BYTES),
    disk.fs ?? NODE_FS,
    disk.timeoutMs ?? DEFAULT_DISK_TIMEOUT_MS,
  );
}

/** Is this a YAML file by its name? (What the CLI takes from a folder.) */
export function isYamlName(rel: string): boolean {
  return /\.ya?ml$/i.test(rel);
}

/** Folders never searched: version control and dependencies. */
export const ALWAYS_SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn']);

/** Read every file of a listing, each real file once (a link to a file read already is dropped). */
export function readListingSync(
  files: string[],
  disk: DiskOptions = {},
): { read: { file: string; text: string }[]; skipped: SkippedEntry[] } {
  const seen = new Set<string>();
  const read: { file: string; text: string }[] = [];
  const skipped: SkippedEntry[] = [];
  for (const file of files) {
    const r = readFileSyncChecked(file, disk);
    if (!r.ok) skipped.push(r.skipped);
    else if (!seen.has(r.id)) {
      seen.add(r.id);
      read.push({ file, text: r.text });
    }
  }
  return { read, skipped };
}

/** A few skipped entries in one sentence, for a log line or a notice. */
export function summarizeSkipped(skipped: SkippedEntry[], shown = 5): string {
  if (skipped.length === 0) return '';
  const parts = skipped.slice(0, shown).map(describeSkip);
  const more = skipped.length > shown ? `; and ${skipped.length - shown} more` : '';
  return `${skipped.length} ${skipped.length === 1 ? 'entry' : 'entries'} skipped: ${parts.join('; ')}${more}`;
}
