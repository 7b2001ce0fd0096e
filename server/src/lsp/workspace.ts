// Index the YAML files of the workspace folders (not only the open ones), so that references across
// files resolve. What is read goes to the overlay (workspace/overlay.ts) as the disk version of the
// file: the index holds it unless the file is open in the editor, whose text wins.

import path from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { minimatch } from 'minimatch';
import { parseFile } from '../syntax/file';
import { resourcesOf } from '../model/resource';
import type { WorkspaceOverlay } from '../workspace/overlay';
import { precheck } from '../rules/check';
import { ALWAYS_SKIPPED_FOLDERS, listFiles, readFileChecked, summarizeSkipped } from '../workspace/disk';
import type { SkippedEntry } from '../workspace/disk';
import { parseFileOn } from '../workspace/parse-worker';
import type { ChunkParser } from '../workspace/parse-worker';
import { SYNC_PARSE_BYTES } from './documents';

export interface IndexOptions {
  include: string[];
  exclude: string[];
  maxFiles: number;
  maxFileBytes: number;
}

export interface IndexProgress {
  begin(title: string, total: number): void;
  report(done: number, total: number): void;
  done(message: string): void;
}

const ALWAYS_SKIPPED = ALWAYS_SKIPPED_FOLDERS;

/** The URI of a file as VS Code spells it (every character but A-Z a-z 0-9 - . _ ~ and the path's
 * slashes percent-encoded), so that a file indexed from disk and the same file opened in the editor
 * share one key. Node's pathToFileURL leaves characters such as @ + , = unencoded. */
export function editorFileUri(file: string): string {
  let p = file.split(path.sep).join('/');
  let prefix = 'file://';
  const drive = /^([A-Za-z]):\//.exec(p);
  if (drive) {
    prefix += `/${drive[1].toLowerCase()}%3A`;
    p = p.slice(2);
  }
  const encoded = p
    .split('/')
    .map((seg) =>
      encodeURIComponent(seg).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    )
    .join('/');
  return prefix + encoded;
}

export class WorkspaceIndexer {
  /** Disk files read into the overlay (an open one is in the index as the editor holds it). */
  private diskFiles = new Set<string>();
  /** Digest of the text last read per disk file: reading it again unchanged changes nothing. */
  private digests = new Map<string, string>();
  private generation = 0;
  /** Folder paths being indexed. */
  private folders: string[] = [];
  /** Line starts of indexed disk files, to turn offsets into positions (related information, navigation). */
  private lineStarts = new Map<string, Uint32Array>();

  /** Position of an offset in an indexed disk file. */
  positionOf(uri: string, offset: number): { line: number; character: number } | undefined {
    const starts = this.lineStarts.get(uri);
    if (!starts) return undefined;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - starts[lo] };
  }

  constructor(
    private readonly overlay: WorkspaceOverlay,
    private readonly log: (message: string) => void,
    /** Where large files are parsed (another thread); without it, here. */
    private readonly offload?: ChunkParser,
  ) {}

  private matches(rel: string, opts: IndexOptions): boolean {
    const p = rel.split(path.sep).join('/');
    if (!opts.include.some((g) => minimatch(p, g, { dot: true, matchBase: !g.includes('/') }))) return false;
    return !opts.exclude.some((g) => minimatch(p, g, { dot: true, matchBase: !g.includes('/') }));
  }

  private skipFolder(rel: string, name: string, opts: IndexOptions): boolean {
    if (ALWAYS_SKIPPED.has(name)) return true;
    return opts.exclude.some((g) =>
      minimatch(rel, g.replace(/\/\*\*$/, ''), { dot: true, matchBase: !g.includes('/') }),
    );
  }

  /** Identity (device and inode) of each indexed disk file: a file reached through a link and
   * directly is indexed once, under the URI met first. */
  private fileIds = new Map<string, string>();
  private uriOfId = new Map<string, string>();
  /** Entries skipped by the indexing in progress, reported once at its end (undefined: none running). */
  private skippedInPass: SkippedEntry[] | undefined;

  /** Read one file from disk into the overlay (the index holds it unless the file is open in the
   * editor). Returns whether the index changed. Only regular files are read, within the size limit,
   * never blocking on a FIFO or a device (workspace/disk.ts); an entry that is skipped is logged (one
   * line for a whole indexing). A text read again unchanged is not parsed again. */
  async indexFile(uri: string, opts: Pick<IndexOptions, 'maxFileBytes'>): Promise<boolean> {
    let file: string;
    try {
      file = fileURLToPath(uri);
    } catch {
      return false;
    }
    const r = await readFileChecked(file, { maxBytes: opts.maxFileBytes });
    if (!r.ok) {
      // a file removed meanwhile is not worth a notice; everything else is
      if (r.skipped.reason !== 'missing') {
        if (this.skippedInPass) this.skippedInPass.push(r.skipped);
        else this.log(`index: ${summarizeSkipped([r.skipped])}`);
      }
      return this.forget(uri);
    }
    const other = this.uriOfId.get(r.id);
    if (other !== undefined && other !== uri && this.diskFiles.has(other)) {
      // the same file is indexed under another path already (a link to it, or the link's target)
      return this.forget(uri);
    }
    const text = r.text;
    const digest = createHash('sha1').update(text).digest('base64');
    if (this.diskFiles.has(uri) && this.digests.get(uri) === digest && this.fileIds.get(uri) === r.id)
      return false;
    if (precheck(text, opts.maxFileBytes)) return this.forget(uri);
    // a large file is parsed on the parser thread (requests are answered meanwhile)
    const parsed =
      this.offload && text.length > SYNC_PARSE_BYTES
        ? await parseFileOn(this.offload, text)
        : parseFile(text);
    const changed = this.overlay.setDisk(
      uri,
      parsed.docs.flatMap((d) => resourcesOf(d)),
    );
    this.diskFiles.add(uri);
    this.digests.set(uri, digest);
    const oldId = this.fileIds.get(uri);
    if (oldId !== undefined && oldId !== r.id && this.uriOfId.get(oldId) === uri) this.uriOfId.delete(oldId);
    this.fileIds.set(uri, r.id);
    this.uriOfId.set(r.id, uri);
    const starts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.lineStarts.set(uri, Uint32Array.from(starts));
    return changed;
  }

  /** The disk file leaves the index. An open document of that URI stays: the editor's text wins.
   * Returns whether the index changed. */
  forget(uri: string): boolean {
    this.lineStarts.delete(uri);
    this.digests.delete(uri);
    const id = this.fileIds.get(uri);
    if (id !== undefined && this.uriOfId.get(id) === uri) this.uriOfId.delete(id);
    this.fileIds.delete(uri);
    this.diskFiles.delete(uri);
    return this.overlay.removeDisk(uri);
  }

  /** Forget every disk file (indexing turned off, no folder left). Returns whether any was indexed. */
  clear(): boolean {
    this.generation++;
    let changed = false;
    for (const uri of [...this.diskFiles]) changed = this.forget(uri) || changed;
    this.folders = [];
    return changed;
  }

  /** A folder was deleted (or renamed away): forget every indexed file under it. */
  forgetUnder(folderUri: string): boolean {
    const prefix = folderUri.endsWith('/') ? folderUri : `${folderUri}/`;
    let changed = false;
    let forgotten = false;
    for (const uri of [...this.diskFiles]) {
      if (!uri.startsWith(prefix)) continue;
      changed = this.forget(uri) || changed;
      forgotten = true;
    }
    this.log(
      `folder deleted: ${folderUri} (${forgotten ? 'its files left the index' : 'no indexed file in it'})`,
    );
    return changed;
  }

  /** Does a file belong to the indexed workspace (inside a folder, matching include/exclude)? */
  inWorkspace(uri: string, opts: IndexOptions): boolean {
    if (!uri.startsWith('file:')) return false;
    const file = fileURLToPath(uri);
    for (const root of this.folders) {
      const rel = path.relative(root, file);
      if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
      if (rel.split(path.sep).some((part) => ALWAYS_SKIPPED.has(part))) return false;
      return this.matches(rel, opts);
    }
    return false;
  }

  /** A document was closed (the overlay put its last disk version back in the index): read the file
   * again in case it changed meanwhile, or drop it when it is not part of the workspace. Returns
   * whether the index changed. */
  async reloadFromDisk(uri: string, opts: IndexOptions): Promise<boolean> {
    if (this.inWorkspace(uri, opts)) return this.indexFile(uri, opts);
    return this.forget(uri);
  }

  isIndexed(uri: string): boolean {
    return this.diskFiles.has(uri);
  }

  /** Index every matching file under the folders. Yields to the event loop between batches so that
   * requests (typing, completion) are answered while a large workspace is read. */
  async indexFolders(
    folders: string[],
    opts: IndexOptions,
    progress?: IndexProgress,
  ): Promise<{ files: number; ms: number; skipped?: SkippedEntry[] }> {
    const gen = ++this.generation;
    const start = performance.now();
    this.folders = folders.map((uri) => (uri.startsWith('file:') ? fileURLToPath(uri) : uri));
    const listing = await listFiles(this.folders, {
      accept: (rel) => this.matches(rel, opts),
      skipFolder: (rel, name) => this.skipFolder(rel, name, opts),
      maxFiles: opts.maxFiles,
    });
    const files = listing.files;
    const skipped = listing.skipped.filter((s) => !this.folders.includes(s.path) || s.reason !== 'missing');
    this.skippedInPass = skipped;
    if (listing.truncated)
      this.log(`indexing stopped at ${opts.maxFiles} files (setting kubeNetlens.index.maxFiles)`);
    progress?.begin('Indexing Kubernetes manifests', files.length);
    const seen = new Set<string>();
    const BATCH = 25;
    for (let i = 0; i < files.length; i += BATCH) {
      if (gen !== this.generation) {
        if (this.skippedInPass === skipped) this.skippedInPass = undefined;
        return { files: i, ms: performance.now() - start };
      }
      for (const f of files.slice(i, i + BATCH)) {
        const uri = editorFileUri(f);
        seen.add(uri);
        await this.indexFile(uri, opts);
      }
      progress?.report(Math.min(i + BATCH, files.length), files.length);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    // files that disappeared or no longer match since the last indexing
    for (const uri of [...this.diskFiles]) if (!seen.has(uri)) this.forget(uri);
    const ms = performance.now() - start;
    if (this.skippedInPass === skipped) this.skippedInPass = undefined;
    progress?.done(`${files.length} files indexed${skipped.length ? `, ${skipped.length} skipped` : ''}`);
    // one line for the whole indexing, whatever the number of entries skipped
    this.log(
      `indexed ${files.length} YAML files in ${ms.toFixed(0)} ms${skipped.length ? `; ${summarizeSkipped(skipped)}` : ''}`,
    );
    return { files: files.length, ms, skipped };
  }
}
