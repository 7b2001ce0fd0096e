// Every resource the checker knows, keyed by kind/namespace/name.

import type { Resource } from './resource';

export interface IndexedResource {
  uri: string;
  resource: Resource;
}

export class ResourceIndex {
  private byFile = new Map<string, Resource[]>();
  private byKey = new Map<string, IndexedResource[]>();
  /** Namespace assumed for resources that do not name one. */
  defaultNamespace = 'default';
  /** Values derived from the whole index (reverse references), dropped on every change. */
  private derived = new Map<string, unknown>();

  /** Compute a value from the whole index once, until the next change. */
  memo<T>(key: string, compute: () => T): T {
    if (this.derived.has(key)) return this.derived.get(key) as T;
    const v = compute();
    this.derived.set(key, v);
    return v;
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
    const old = this.byFile.get(uri) ?? [];
    const oldSet = new Set(old);
    const newSet = new Set(resources);
    let changed = false;
    for (const r of old) {
      if (!newSet.has(r)) {
        this.unindex(uri, r);
        changed = true;
      }
    }
    for (const r of resources) {
      if (!oldSet.has(r)) {
        this.indexOne(uri, r);
        changed = true;
      }
    }
    this.byFile.set(uri, resources);
    if (changed) this.derived.clear();
    return changed;
  }

  removeFile(uri: string): void {
    const old = this.byFile.get(uri);
    if (!old) return;
    this.byFile.delete(uri);
    for (const r of old) this.unindex(uri, r);
    this.derived.clear();
  }

  /** Change the namespace assumed for resources without one: every key may change. */
  setDefaultNamespace(ns: string): void {
    if (ns === this.defaultNamespace) return;
    const files = [...this.byFile];
    for (const [uri] of files) this.removeFile(uri);
    this.defaultNamespace = ns;
    for (const [uri, rs] of files) this.setFile(uri, rs);
  }

  private indexOne(uri: string, r: Resource): void {
    if (!r.name) return;
    const key = ResourceIndex.key(r.kind, this.namespaceOf(r), r.name);
    let list = this.byKey.get(key);
    if (!list) this.byKey.set(key, (list = []));
    list.push({ uri, resource: r });
  }

  private unindex(uri: string, r: Resource): void {
    if (!r.name) return;
    const key = ResourceIndex.key(r.kind, this.namespaceOf(r), r.name);
    const list = this.byKey.get(key);
    if (!list) return;
    const rest = list.filter((e) => e.resource !== r);
    if (rest.length) this.byKey.set(key, rest);
    else this.byKey.delete(key);
  }

  find(kind: string, namespace: string, name: string): IndexedResource[] {
    return this.byKey.get(ResourceIndex.key(kind, namespace, name)) ?? [];
  }

  files(): string[] {
    return [...this.byFile.keys()];
  }

  resourcesOf(uri: string): Resource[] {
    return this.byFile.get(uri) ?? [];
  }

  *all(): Iterable<IndexedResource> {
    for (const [uri, list] of this.byFile) for (const resource of list) yield { uri, resource };
  }
}
