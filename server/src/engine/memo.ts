// One memo for values derived from an object: a resource, a parsed document, a Cluster, one array of
// a Cluster. A value is kept on its owner under a key, with the stamp it was computed under (what it
// depends on beyond the owner: the file it is in, the default namespace, the settings, the index);
// asked again with another stamp, it is computed again. Owners are held weakly, so a value goes when
// its owner goes (an edited document, a replaced resource, the Cluster of an older revision).
//
// This replaces the caches each module kept by hand (a WeakMap per module, each with its own
// idea of what a key is). It lives in engine/, the lowest layer, so that the engine, the model, the
// workspace and the rules share it; the workspace's revision-keyed memos (WorkspaceIndex.memo,
// memoKinds, fileMemo) cover what is derived from the whole index.

/** What a value depends on besides its owner; compared item by item with `Object.is`. */
export type Stamp = readonly unknown[];

interface Entry {
  stamp: Stamp;
  value: unknown;
}

const table = new WeakMap<object, Map<string, Entry>>();

function sameStamp(a: Stamp, b: Stamp): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** The value stored on `owner` under `key` for this stamp, if there is one. */
export function recall<T>(owner: object, key: string, stamp: Stamp): { value: T } | undefined {
  const e = table.get(owner)?.get(key);
  return e && sameStamp(e.stamp, stamp) ? { value: e.value as T } : undefined;
}

/** recall with the stamp [a, b], without making the array (a lookup per resource in hot loops). */
export function recallAt<T>(owner: object, key: string, a: unknown, b: unknown): { value: T } | undefined {
  const e = table.get(owner)?.get(key);
  return e && e.stamp.length === 2 && Object.is(e.stamp[0], a) && Object.is(e.stamp[1], b)
    ? { value: e.value as T }
    : undefined;
}

/** Store a value on `owner` under `key`, computed under `stamp` (replacing any other). */
export function remember<T>(owner: object, key: string, stamp: Stamp, value: T): T {
  let m = table.get(owner);
  if (!m) table.set(owner, (m = new Map()));
  m.set(key, { stamp, value });
  return value;
}

/** Drop what `owner` keeps under `key` (a value no one will ask for again). */
export function forget(owner: object, key: string): void {
  const m = table.get(owner);
  if (!m?.delete(key) || m.size > 0) return;
  table.delete(owner);
}

/** The value of `compute()` for this owner, key and stamp: computed once, then recalled. */
export function memoOn<T>(owner: object, key: string, stamp: Stamp, compute: () => T): T {
  const hit = recall<T>(owner, key, stamp);
  return hit ? hit.value : remember(owner, key, stamp, compute());
}
