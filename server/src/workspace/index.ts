// The workspace: every resource of every file the checker knows (open documents, indexed folders,
// CLI inputs), keyed by kind, namespace and name, with a revision number that memos key on.
//
// Order never depends on the order files were given or read: files are visited in path order
// (plain code-unit comparison of their keys), resources in document order within a file. When one
// object (same kind, namespace and name) is defined more than once, the index answers with the FIRST
// copy in that order; the checks of a file see the copy nearest to it (workspace/nearest.ts); rule
// `resource-duplicate` reports every copy.

import type { Resource } from '../model/resource';
import type { ResourceStore } from '../model/resource-store';
import { listDiff } from './list-diff';

export interface IndexedResource {
  uri: string;
  resource: Resource;
}

/** One object a change added or removed. */
export interface ChangedObject {
  kind: string;
  namespace: string;
  name: string;
}

/** A change of what the index holds for one file: the kinds and objects added or removed. */
export interface IndexChange {
  /** The revision the change made. */
  revision: number;
  uri: string;
  kinds: ReadonlySet<string>;
  objects: readonly ChangedObject[];
}

/** How many file changes the index remembers for changesSince (past it, values are recomputed). */
const JOURNAL_LENGTH = 2048;

const NO_CHANGES: readonly IndexChange[] = [];

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class WorkspaceIndex implements ResourceStore {
  private byFile = new Map<string, Resource[]>();
  private byKey = new Map<string, IndexedResource[]>();
  /** Keys whose list must be put back in workspace order before it is read. */
  private unsortedKeys = new Set<string>();
  /** File keys in path order; undefined after a file was added or removed. */
  private order: string[] | undefined;
  /** Namespace assumed for resources that do not name one. */
  defaultNamespace = 'default';
  /** Bumped on every change of the index. Values derived from the whole index are keyed on it. */
  private rev = 0;
  private memos = new Map<string, unknown>();
  private memoRevision = 0;
  /** Revision per kind: bumped when a resource of that kind is added, removed or replaced. */
  private kindRev = new Map<string, number>();
  private kindMemos = new Map<string, { stamp: string; value: unknown }>();
  /** kind → file → how many resources of that kind the file holds; and the files in path order. */
  private kindFiles = new Map<string, Map<string, number>>();
  private kindOrder = new Map<string, string[]>();
  private unionOrder = new Map<string, { parts: string[][]; files: string[] }>();
  private fileMemos = new Map<string, Map<string, { resources: Resource[]; ns: string; value: unknown }>>();
  /** Objects defined more than once: key → [kind, namespace, name]. */
  private duplicates = new Map<string, readonly [string, string, string]>();
  /** The document offset each indexed resource had when it was last indexed. */
  private baseSeen = new WeakMap<Resource, number>();

  get revision(): number {
    return this.rev;
  }

  /** Compute a value from the whole index once per revision (the route graph, relations, the
   * cluster, per-rule lookups). The key names what is computed; the revision is implied. */
  memo<T>(key: string, compute: () => T): T {
    if (this.memoRevision !== this.rev) {
      this.memos.clear();
      this.memoRevision = this.rev;
    }
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const v = this.shared(compute);
    this.memos.set(key, v);
    return v;
  }

  hasMemo(key: string): boolean {
    return this.memoRevision === this.rev && this.memos.has(key);
  }

  private sharedDepth = 0;
  private sharedTime = 0;

  /** Milliseconds spent so far computing values derived from the whole index (memo, memoKinds; the
   * outermost computation only). The check of one file subtracts what it paid for these from its
   * time budget: the file that happens to be checked first must not be cut short for building the
   * cluster or the route graph every file shares. */
  get sharedMs(): number {
    return this.sharedTime;
  }

  private shared<T>(compute: () => T): T {
    if (this.sharedDepth > 0) return compute();
    const start = performance.now();
    this.sharedDepth++;
    try {
      return compute();
    } finally {
      this.sharedDepth--;
      this.sharedTime += performance.now() - start;
    }
  }

  /**
   * Like memo(), for a value computed from resources of the given kinds only: it is kept while no
   * resource of those kinds changes, across revisions (an edit to a Service does not recompute what
   * was derived from the Ingresses).
   */
  memoKinds<T>(kinds: readonly string[], key: string, compute: () => T): T {
    let stamp = '';
    for (const k of kinds) stamp += `${this.kindRev.get(k) ?? 0},`;
    const hit = this.kindMemos.get(key);
    if (hit && hit.stamp === stamp) return hit.value as T;
    const value = this.shared(compute);
    this.kindMemos.set(key, { stamp, value });
    return value;
  }

  /** Is the value of memoKinds(kinds, key) kept for the current revisions of these kinds? */
  hasMemoKinds(kinds: readonly string[], key: string): boolean {
    let stamp = '';
    for (const k of kinds) stamp += `${this.kindRev.get(k) ?? 0},`;
    return this.kindMemos.get(key)?.stamp === stamp;
  }

  private changed(kinds?: Iterable<string>, change?: Omit<IndexChange, 'revision'>): void {
    this.rev++;
    if (kinds) for (const k of kinds) this.kindRev.set(k, this.rev);
    else {
      // everything may have changed (the default namespace): every kind memo is dropped
      this.kindMemos.clear();
    }
    if (change && kinds) {
      this.journal.push({ revision: this.rev, ...change });
      if (this.journal.length > JOURNAL_LENGTH) {
        const dropped = this.journal.splice(0, this.journal.length - JOURNAL_LENGTH / 2);
        this.journalFrom = dropped[dropped.length - 1].revision;
      }
    } else {
      this.journal = [];
      this.journalFrom = this.rev;
    }
  }

  /** The last changes of files, oldest first (a bounded list: see changesSince). */
  private journal: IndexChange[] = [];
  /** The journal holds every change made after this revision. */
  private journalFrom = 0;

  /**
   * The changes of files made after revision `revision` (what a value computed at that revision
   * must look at again to be brought up to date), oldest first; undefined when they are no longer
   * all known (too many since, or a change of the default namespace): compute it again in full.
   */
  changesSince(revision: number): readonly IndexChange[] | undefined {
    if (revision < this.journalFrom) return undefined;
    if (revision >= this.rev) return NO_CHANGES;
    let i = this.journal.length;
    while (i > 0 && this.journal[i - 1].revision > revision) i--;
    return this.journal.slice(i);
  }

  static key(kind: string, namespace: string, name: string): string {
    return `${kind}/${namespace}/${name}`;
  }

  namespaceOf(r: Resource): string {
    return r.namespace ?? this.defaultNamespace;
  }

  /** Replace the resources of one file. Unchanged resource objects (documents are reused while
   * their text is unchanged) stay indexed, so an edit costs what changed, not the file's size. */
  setFile(uri: string, resources: Resource[]): boolean {
    const old = this.byFile.get(uri);
    if (!old) this.order = undefined;
    // (also when only the offsets moved: a comment or blank document above them grew)
    const changed =
      !old ||
      old.length !== resources.length ||
      old.some((r, i) => r !== resources[i] || this.baseSeen.get(r) !== r.doc.base);
    if (!changed) return false;
    // (what an edit changed: its resources, not Sets of the whole file's)
    const { removed, added } = listDiff(old ?? [], resources);
    const isNew = new Set(added);
    const kinds = new Set<string>();
    const counts = new Map<string, number>();
    for (const r of removed) {
      this.unindex(uri, r);
      counts.set(r.kind, (counts.get(r.kind) ?? 0) - 1);
      kinds.add(r.kind);
    }
    // (an indexed loop: a for-of allocates a result per step where this runs unoptimized)
    for (let i = 0; i < resources.length; i++) {
      const r = resources[i];
      if (isNew.has(r)) {
        this.indexOne(uri, r);
        counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1);
        kinds.add(r.kind);
      } else if (this.baseSeen.get(r) !== r.doc.base) {
        // a document above it grew or shrank: positions derived from it follow (the listeners move
        // them); nothing derived from its content changes, so its kind's memos stay
        for (const f of this.movedListeners) f(r);
      }
      this.baseSeen.set(r, r.doc.base);
    }
    for (const [kind, delta] of counts) if (delta !== 0) this.countKind(uri, kind, delta);
    this.byFile.set(uri, resources);
    this.changed(kinds, { uri, kinds, objects: this.objectsOf(removed, added) });
    return true;
  }

  removeFile(uri: string): void {
    const old = this.byFile.get(uri);
    if (!old) return;
    this.byFile.delete(uri);
    this.fileMemos.delete(uri);
    this.order = undefined;
    for (const r of old) {
      this.unindex(uri, r);
      this.countKind(uri, r.kind, -1);
    }
    const kinds = new Set(old.map((r) => r.kind));
    this.changed(kinds, { uri, kinds, objects: this.objectsOf(old, []) });
  }

  /** The objects (kind, namespace, name) that a file's change removed and added. */
  private objectsOf(removed: readonly Resource[], added: readonly Resource[]): ChangedObject[] {
    const out: ChangedObject[] = [];
    for (const r of removed)
      if (r.name) out.push({ kind: r.kind, namespace: this.namespaceOf(r), name: r.name });
    for (const r of added)
      if (r.name) out.push({ kind: r.kind, namespace: this.namespaceOf(r), name: r.name });
    return out;
  }

  /** Change the namespace assumed for resources without one: every key may change. */
  setDefaultNamespace(ns: string): void {
    if (ns === this.defaultNamespace) return;
    const files = [...this.byFile];
    for (const [uri] of files) this.removeFile(uri);
    this.defaultNamespace = ns;
    for (const [uri, rs] of files) this.setFile(uri, rs);
    this.changed();
  }

  private countKind(uri: string, kind: string, delta: number): void {
    let files = this.kindFiles.get(kind);
    if (!files) this.kindFiles.set(kind, (files = new Map()));
    const n = (files.get(uri) ?? 0) + delta;
    if (n > 0) {
      if (!files.has(uri)) this.kindOrder.delete(kind);
      files.set(uri, n);
    } else {
      files.delete(uri);
      this.kindOrder.delete(kind);
    }
  }

  /** The files holding resources of these kinds, in path order (cached until one gains or loses one). */
  filesOfKinds(kinds: readonly string[]): string[] {
    const lists = kinds.map((k) => {
      let order = this.kindOrder.get(k);
      if (!order) this.kindOrder.set(k, (order = [...(this.kindFiles.get(k)?.keys() ?? [])].sort(cmp)));
      return order;
    });
    if (lists.length === 1) return lists[0];
    const key = kinds.join('\n');
    const hit = this.unionOrder.get(key);
    if (hit && hit.parts.length === lists.length && hit.parts.every((p, i) => p === lists[i]))
      return hit.files;
    const files = [...new Set(lists.flat())].sort(cmp);
    this.unionOrder.set(key, { parts: lists, files });
    return files;
  }

  /**
   * A value computed from one file's resources, kept while that file's resources (the array given
   * to setFile) and the default namespace stay the same: what is derived per file survives an edit
   * in another file.
   */
  fileMemo<T>(uri: string, key: string, compute: (resources: Resource[]) => T): T {
    const resources = this.byFile.get(uri) ?? [];
    let m = this.fileMemos.get(uri);
    if (!m) this.fileMemos.set(uri, (m = new Map()));
    const hit = m.get(key);
    if (hit && hit.resources === resources && hit.ns === this.defaultNamespace) return hit.value as T;
    const value = compute(resources);
    m.set(key, { resources, ns: this.defaultNamespace, value });
    return value;
  }

  hasFileMemo(uri: string, key: string): boolean {
    const hit = this.fileMemos.get(uri)?.get(key);
    return !!hit && hit.resources === (this.byFile.get(uri) ?? []) && hit.ns === this.defaultNamespace;
  }

  private movedListeners = new Set<(r: Resource) => void>();

  /** Call `f` for a resource whose document moved in its file (same content, new offset). */
  onMoved(f: (r: Resource) => void): void {
    this.movedListeners.add(f);
  }

  /** Is there more than one copy of this kind/namespace/name? */
  isDuplicated(kind: string, namespace: string, name: string): boolean {
    // (most workspaces define every object once: no key to build)
    if (this.duplicates.size === 0) return false;
    return (this.byKey.get(WorkspaceIndex.key(kind, namespace, name))?.length ?? 0) > 1;
  }

  /** The objects defined more than once, as [kind, namespace, name] by key (kept up to date as
   * files change: no scan of the workspace). */
  duplicatedObjects(): ReadonlyMap<string, readonly [string, string, string]> {
    return this.duplicates;
  }

  /** Resources of these kinds, in workspace order, without visiting the files that hold none. */
  *ofKinds(kinds: readonly string[]): Iterable<IndexedResource> {
    for (const uri of this.filesOfKinds(kinds)) {
      for (const resource of this.byFile.get(uri) ?? [])
        if (kinds.includes(resource.kind)) yield { uri, resource };
    }
  }

  private keyOf(r: Resource): string {
    return WorkspaceIndex.key(r.kind, this.namespaceOf(r), r.name ?? '');
  }

  private indexOne(uri: string, r: Resource): void {
    if (!r.name) return;
    const key = this.keyOf(r);
    const entry = { uri, resource: r };
    const list = this.byKey.get(key);
    // (a list made by push keeps room for 16 more: most objects have one copy)
    if (!list) {
      this.byKey.set(key, [entry]);
      return;
    }
    list.push(entry);
    if (list.length > 1) this.unsortedKeys.add(key);
    if (list.length === 2) this.duplicates.set(key, [r.kind, this.namespaceOf(r), r.name]);
  }

  private unindex(uri: string, r: Resource): void {
    if (!r.name) return;
    const key = this.keyOf(r);
    const list = this.byKey.get(key);
    if (!list) return;
    const rest = list.filter((e) => e.resource !== r);
    if (rest.length < 2) this.duplicates.delete(key);
    if (rest.length) this.byKey.set(key, rest);
    else {
      this.byKey.delete(key);
      this.unsortedKeys.delete(key);
    }
  }

  /** Every copy of one object, in workspace order (path order, then document order): the first
   * is the one the checks use. */
  find(kind: string, namespace: string, name: string): IndexedResource[] {
    const key = WorkspaceIndex.key(kind, namespace, name);
    const list = this.byKey.get(key);
    if (!list) return [];
    if (this.unsortedKeys.delete(key) && list.length > 1) list.sort((a, b) => this.compare(a, b));
    return list;
  }

  /** Workspace order of two indexed resources: file path, then position in the file. */
  compare(a: IndexedResource, b: IndexedResource): number {
    if (a.uri !== b.uri) return cmp(a.uri, b.uri);
    const list = this.byFile.get(a.uri) ?? [];
    return list.indexOf(a.resource) - list.indexOf(b.resource);
  }

  /** Is this copy the one the checks use (the first of its kind/namespace/name)? Unnamed
   * resources are each their own object. */
  isPrimary(uri: string, r: Resource): boolean {
    if (!r.name) return true;
    const first = this.find(r.kind, this.namespaceOf(r), r.name)[0];
    return !first || (first.resource === r && first.uri === uri);
  }

  /** File keys in path order. */
  files(): string[] {
    if (!this.order) this.order = [...this.byFile.keys()].sort(cmp);
    return this.order;
  }

  resourcesOf(uri: string): Resource[] {
    return this.byFile.get(uri) ?? [];
  }

  /** Every resource, in workspace order. */
  *all(): Iterable<IndexedResource> {
    for (const uri of this.files())
      for (const resource of this.byFile.get(uri) ?? []) yield { uri, resource };
  }

  /** Resources of one kind (optionally one namespace), in workspace order; every copy. Kept until a
   * resource of that kind changes. */
  ofKind(kind: string, namespace?: string): IndexedResource[] {
    const byNamespace = this.memoKinds([kind], `workspace:kind:${kind}`, () => {
      const m = new Map<string | undefined, IndexedResource[]>([[undefined, []]]);
      for (const e of this.ofKinds([kind])) {
        // an object without metadata.name is refused by the API server: nothing can refer to it
        if (e.resource.name === undefined) continue;
        m.get(undefined)!.push(e);
        const ns = this.namespaceOf(e.resource);
        const list = m.get(ns);
        if (list) list.push(e);
        else m.set(ns, [e]);
      }
      return m;
    });
    return byNamespace.get(namespace) ?? [];
  }
}

/** The name the rest of the code grew up with. */
export { WorkspaceIndex as ResourceIndex };
