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

  static key(kind: string, namespace: string, name: string): string {
    return `${kind}/${namespace}/${name}`;
  }

  namespaceOf(r: Resource): string {
    return r.namespace ?? this.defaultNamespace;
  }

  setFile(uri: string, resources: Resource[]): void {
    this.removeFile(uri);
    this.byFile.set(uri, resources);
    for (const r of resources) {
      if (!r.name) continue;
      const key = ResourceIndex.key(r.kind, this.namespaceOf(r), r.name);
      let list = this.byKey.get(key);
      if (!list) this.byKey.set(key, (list = []));
      list.push({ uri, resource: r });
    }
  }

  removeFile(uri: string): void {
    const old = this.byFile.get(uri);
    if (!old) return;
    this.byFile.delete(uri);
    for (const r of old) {
      if (!r.name) continue;
      const key = ResourceIndex.key(r.kind, this.namespaceOf(r), r.name);
      const list = this.byKey.get(key);
      if (!list) continue;
      const rest = list.filter((e) => e.resource !== r);
      if (rest.length) this.byKey.set(key, rest);
      else this.byKey.delete(key);
    }
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
