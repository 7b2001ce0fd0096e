// Index the YAML files of the workspace folders (not only the open ones), so that references across
// files resolve. Open documents win over disk: the server tells the indexer which URIs are open.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { minimatch } from 'minimatch';
import { parseFile } from '../syntax/file';
import { resourcesOf } from '../model/resource';
import type { ResourceIndex } from '../workspace/index';
import { precheck } from '../rules/check';

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

const ALWAYS_SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn']);

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
    .map((seg) => encodeURIComponent(seg).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
  return prefix + encoded;
}

export class WorkspaceIndexer {
  /** Disk files currently in the index (open documents are indexed by the server itself). */
  private diskFiles = new Set<string>();
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
    private readonly index: ResourceIndex,
    private readonly isOpen: (uri: string) => boolean,
    private readonly log: (message: string) => void,
  ) {}

  private matches(rel: string, opts: IndexOptions): boolean {
    const p = rel.split(path.sep).join('/');
    if (!opts.include.some((g) => minimatch(p, g, { dot: true, matchBase: !g.includes('/') }))) return false;
    return !opts.exclude.some((g) => minimatch(p, g, { dot: true, matchBase: !g.includes('/') }));
  }

  private async walk(root: string, dir: string, opts: IndexOptions, out: string[]): Promise<void> {
    if (out.length >= opts.maxFiles) return;
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (out.length >= opts.maxFiles) return;
      const full = path.join(dir, e.name);
      const rel = path.relative(root, full);
      if (e.isDirectory()) {
        if (ALWAYS_SKIPPED.has(e.name)) continue;
        const relDir = rel.split(path.sep).join('/');
        if (opts.exclude.some((g) => minimatch(relDir, g.replace(/\/\*\*$/, ''), { dot: true, matchBase: !g.includes('/') }))) continue;
        await this.walk(root, full, opts, out);
      } else if (e.isFile() && this.matches(rel, opts)) {
        out.push(full);
      }
    }
  }

  /** Read one file from disk into the index (unless it is open in the editor). Returns whether the index changed. */
  async indexFile(uri: string, opts: Pick<IndexOptions, 'maxFileBytes'>): Promise<boolean> {
    if (this.isOpen(uri)) return false;
    let text: string;
    try {
      const file = fileURLToPath(uri);
      const st = await fs.stat(file);
      if (st.size > opts.maxFileBytes) {
        this.forget(uri);
        return true;
      }
      text = await fs.readFile(file, 'utf8');
    } catch {
      this.forget(uri);
      return true;
    }
    if (this.isOpen(uri)) return false;
    if (precheck(text, opts.maxFileBytes)) {
      this.forget(uri);
      return true;
    }
    const parsed = parseFile(text);
    this.index.setFile(uri, parsed.docs.flatMap((d) => resourcesOf(d)));
    this.diskFiles.add(uri);
    const starts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.lineStarts.set(uri, Uint32Array.from(starts));
    return true;
  }

  /** The disk file leaves the index. An open document of that URI stays: the editor's text wins. */
  forget(uri: string): void {
    this.lineStarts.delete(uri);
    if (this.diskFiles.delete(uri) && !this.isOpen(uri)) this.index.removeFile(uri);
  }

  /** Forget every disk file (indexing turned off, no folder left). Returns whether any was indexed. */
  clear(): boolean {
    this.generation++;
    const had = this.diskFiles.size > 0;
    for (const uri of [...this.diskFiles]) this.forget(uri);
    this.folders = [];
    return had;
  }

  /** A folder was deleted (or renamed away): forget every indexed file under it. */
  forgetUnder(folderUri: string): boolean {
    const prefix = folderUri.endsWith('/') ? folderUri : `${folderUri}/`;
    let changed = false;
    for (const uri of [...this.diskFiles]) {
      if (!uri.startsWith(prefix)) continue;
      this.forget(uri);
      changed = true;
    }
    this.log(`folder deleted: ${folderUri} (${changed ? 'its files left the index' : 'no indexed file in it'})`);
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

  /** A document was closed: its disk version becomes the indexed one again (or it leaves the index). */
  async reloadFromDisk(uri: string, opts: IndexOptions): Promise<void> {
    if (this.inWorkspace(uri, opts)) await this.indexFile(uri, opts);
    else this.index.removeFile(uri);
  }

  isIndexed(uri: string): boolean {
    return this.diskFiles.has(uri);
  }

  /** Index every matching file under the folders. Yields to the event loop between batches so that
   * requests (typing, completion) are answered while a large workspace is read. */
  async indexFolders(folders: string[], opts: IndexOptions, progress?: IndexProgress): Promise<{ files: number; ms: number }> {
    const gen = ++this.generation;
    const start = performance.now();
    const files: string[] = [];
    this.folders = folders.map((uri) => (uri.startsWith('file:') ? fileURLToPath(uri) : uri));
    for (const root of this.folders) await this.walk(root, root, opts, files);
    if (files.length >= opts.maxFiles) this.log(`indexing stopped at ${opts.maxFiles} files (setting kubeNetlens.index.maxFiles)`);
    progress?.begin('Indexing Kubernetes manifests', files.length);
    const seen = new Set<string>();
    const BATCH = 25;
    for (let i = 0; i < files.length; i += BATCH) {
      if (gen !== this.generation) return { files: i, ms: performance.now() - start };
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
    progress?.done(`${files.length} files indexed`);
    this.log(`indexed ${files.length} YAML files in ${ms.toFixed(0)} ms`);
    return { files: files.length, ms };
  }
}
