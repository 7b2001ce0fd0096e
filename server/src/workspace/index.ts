// The workspace: every resource of every file the checker knows (open documents, indexed folders,
// CLI inputs), keyed by kind, namespace and name, with a revision number that memos key on.
//
// Order never depends on the order files were given or read: files are visited in path order
// (plain code-unit comparison of their keys), resources in document order within a file. When one
// object (same kind, namespace and name) is defined more than once, the checks use the FIRST copy in
// that order; rule `resource-duplicate` reports every copy.

import type { Resource } from '../model/resource';
import type { ResourceStore } from '../model/resource-store';

export interface IndexedResource {
  uri: string;
  resource: Resource;
}

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
    const v = compute();
    this.memos.set(key, v);
    return v;
  }

  private changed(): void {
    this.rev++;
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
    const changed = !old || old.length !== resources.length || old.some((r, i) => r !== resources[i]);
    if (!changed) return false;
    const oldSet = new Set(old);
    const newSet = new Set(resources);
    for (const r of old ?? []) if (!newSet.has(r)) this.unindex(uri, r);
    for (const r of resources) {
      if (!oldSet.has(r)) this.indexOne(uri, r);
      else if (r.name) this.unsortedKeys.add(this.keyOf(r)); // its position in the file may have moved
    }
    this.byFile.set(uri, resources);
    this.changed();
    return true;
  }

  removeFile(uri: string): void {
    const old = this.byFile.get(uri);
    if (!old) return;
    this.byFile.delete(uri);
    this.order = undefined;
    for (const r of old) this.unindex(uri, r);
    this.changed();
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

  private keyOf(r: Resource): string {
    return WorkspaceIndex.key(r.kind, this.namespaceOf(r), r.name ?? '');
  }

  private indexOne(uri: string, r: Resource): void {
    if (!r.name) return;
    const key = this.keyOf(r);
    let list = this.byKey.get(key);
    if (!list) this.byKey.set(key, (list = []));
    list.push({ uri, resource: r });
    if (list.length > 1) this.unsortedKeys.add(key);
  }

  private unindex(uri: string, r: Resource): void {
    if (!r.name) return;
    const key = this.keyOf(r);
    const list = this.byKey.get(key);
    if (!list) return;
    const rest = list.filter((e) => e.resource !== r);
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
    for (const uri of this.files()) for (const resource of this.byFile.get(uri) ?? []) yield { uri, resource };
  }

  /** Resources of one kind (optionally one namespace), in workspace order; every copy. */
  ofKind(kind: string, namespace?: string): IndexedResource[] {
    const byKind = this.memo('workspace:by-kind', () => {
      const m = new Map<string, IndexedResource[]>();
      for (const e of this.all()) {
        for (const k of [e.resource.kind, `${e.resource.kind}\n${this.namespaceOf(e.resource)}`]) {
          const list = m.get(k);
          if (list) list.push(e);
          else m.set(k, [e]);
        }
      }
      return m;
    });
    return byKind.get(namespace === undefined ? kind : `${kind}\n${namespace}`) ?? [];
  }
}

/** The name the rest of the code grew up with. */
export { WorkspaceIndex as ResourceIndex };
