// What the model's whole-workspace views (the engine's cluster, relations between resources, the users
// of a TLS Secret) read from the workspace. The model owns this interface and the workspace's index
// satisfies it, so that model/ does not import workspace/ (workspace/ is built on model/).

import type { Resource } from './resource';

export interface StoredResource {
  uri: string;
  resource: Resource;
}

/** A change of what the store holds for one file: the kinds and the objects added or removed. */
export interface StoreChange {
  revision: number;
  uri: string;
  kinds: ReadonlySet<string>;
  objects: readonly { kind: string; namespace: string; name: string }[];
}

export interface ResourceStore {
  /** Namespace assumed for resources that do not name one. */
  readonly defaultNamespace: string;
  /** Bumped on every change; values derived from the whole store are keyed on it. */
  readonly revision: number;
  /** A value computed from the whole store once per revision, under a key naming what it is. */
  memo<T>(key: string, compute: () => T): T;
  /** Is the value of this key computed for the current revision? */
  hasMemo(key: string): boolean;
  namespaceOf(r: Resource): string;
  /** Every copy of one object, in workspace order: the first is the one the checks use. */
  find(kind: string, namespace: string, name: string): StoredResource[];
  /** Is this copy the one the checks use? */
  isPrimary(uri: string, r: Resource): boolean;
  /** File keys in path order. */
  files(): string[];
  resourcesOf(uri: string): Resource[];
  /** Every resource, in workspace order. */
  all(): Iterable<StoredResource>;
  /** Resources of one kind (optionally one namespace), in workspace order. */
  ofKind(kind: string, namespace?: string): StoredResource[];
  /** A value computed from resources of these kinds only, kept until one of them changes. */
  memoKinds<T>(kinds: readonly string[], key: string, compute: () => T): T;
  /** The files holding resources of these kinds, in path order. */
  filesOfKinds(kinds: readonly string[]): string[];
  /** A value computed from one file's resources, kept while they are unchanged. */
  fileMemo<T>(uri: string, key: string, compute: (resources: Resource[]) => T): T;
  /** Is the value of fileMemo(uri, key) kept for the file's current resources? */
  hasFileMemo(uri: string, key: string): boolean;
  /** Is there more than one copy of this kind/namespace/name? */
  isDuplicated(kind: string, namespace: string, name: string): boolean;
  /** Call `f` for a resource whose document moved in its file (same content, new offset). */
  onMoved(f: (r: Resource) => void): void;
  /** The changes of files made after a revision, oldest first; undefined when no longer all known. */
  changesSince(revision: number): readonly StoreChange[] | undefined;
}
