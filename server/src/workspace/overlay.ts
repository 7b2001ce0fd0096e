// Open documents over disk files, in one place. A file can be known twice: as read from disk (the
// workspace indexer) and as the editor holds it (an open document). The index holds exactly one of
// them per file: the open text while the document is open, the disk text otherwise. Every change of
// what the index holds for a file goes through here and is handed to the listeners as a FileChange
// (the resources before and after), which is what "which files must be re-checked"
// (workspace/dependents.ts) reads.

import type { Resource } from '../model/resource';
import type { WorkspaceIndex } from './index';
import { listDiff } from './list-diff';

/** What the index holds for one file, before and after a change. A resource that only moved (a
 * document above it grew or shrank) is listed in `moved`: its content is the same, its offsets not. */
export interface FileChange {
  uri: string;
  before: readonly Resource[];
  after: readonly Resource[];
  /** Resources in both lists whose document now starts at another offset. */
  moved: readonly Resource[];
  /** Those of `before` that `after` no longer holds, and those it holds anew (workspace/list-diff.ts,
   * worked out once here for every listener). */
  removed: readonly Resource[];
  added: readonly Resource[];
}

export type ChangeListener = (change: FileChange) => void;

const NONE: readonly Resource[] = [];

export class WorkspaceOverlay {
  /** Resources of the disk version of each file read from disk (also while it is open). */
  private disk = new Map<string, Resource[]>();
  /** Resources of each open document. */
  private open = new Map<string, Resource[]>();
  /** The document offset each resource had when the index last received it. */
  private baseAt = new WeakMap<Resource, number>();
  private listeners = new Set<ChangeListener>();

  constructor(readonly index: WorkspaceIndex) {}

  /** Call `f` after every change of what the index holds for a file. Returns a function that
   * removes the listener. */
  onChange(f: ChangeListener): () => void {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  }

  isOpen(uri: string): boolean {
    return this.open.has(uri);
  }

  hasDisk(uri: string): boolean {
    return this.disk.has(uri);
  }

  /** The disk version of a file was read: it is what the index holds unless the file is open.
   * Returns whether the index changed. */
  setDisk(uri: string, resources: Resource[]): boolean {
    this.disk.set(uri, resources);
    if (this.open.has(uri)) return false;
    return this.put(uri, resources);
  }

  /** The disk file is gone (deleted, excluded, too large): unless it is open, it leaves the index. */
  removeDisk(uri: string): boolean {
    if (!this.disk.delete(uri)) return false;
    if (this.open.has(uri)) return false;
    return this.put(uri, undefined);
  }

  /** An open document was parsed: its resources replace whatever the index held for the file. */
  setOpen(uri: string, resources: Resource[]): boolean {
    this.open.set(uri, resources);
    return this.put(uri, resources);
  }

  /** A document was closed: the index holds the disk version again (or nothing, when the file was
   * never read from disk). */
  close(uri: string): boolean {
    if (!this.open.delete(uri)) return false;
    return this.put(uri, this.disk.get(uri));
  }

  private put(uri: string, resources: Resource[] | undefined): boolean {
    const before = this.index.resourcesOf(uri);
    let changed: boolean;
    if (resources === undefined) {
      // (a file that held no resource leaves nothing anyone could depend on)
      changed = before.length > 0;
      this.index.removeFile(uri);
    } else changed = this.index.setFile(uri, resources);
    if (!changed) return false;
    const after = resources ?? NONE;
    const { removed, added } = listDiff(before, after);
    const moved: Resource[] = [];
    if (before.length > 0 && after.length > 0) {
      const isNew = new Set(added);
      for (let i = 0; i < after.length; i++) {
        const r = after[i];
        if (!isNew.has(r) && this.baseAt.get(r) !== r.doc.base) moved.push(r);
      }
    }
    // (indexed loops over the file's resources: this runs once per keystroke, unoptimized, where a
    // for-of allocates a result per step)
    for (let i = 0; i < after.length; i++) this.baseAt.set(after[i], after[i].doc.base);
    const change: FileChange = { uri, before, after, moved, removed, added };
    for (const f of this.listeners) f(change);
    return true;
  }
}
