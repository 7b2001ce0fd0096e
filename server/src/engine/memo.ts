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
  key: string;
  stamp: Stamp;
  value: unknown;
}

/** Per owner, its one entry as it is (most owners have one: a resource's engine infos, a document's
 * findings), or a Map by key once it has two. (A Map per owner was most of what the memo kept: 4,000
 * small documents' resources held a 180-byte Map each for one entry of 40 bytes.) */
const table = new WeakMap<object, Entry | Map<string, Entry>>();

function entryOf(owner: object, key: string): Entry | undefined {
  const t = table.get(owner);
  if (t === undefined) return undefined;
  if (t instanceof Map) return t.get(key);
  return t.key === key ? t : undefined;
}

function sameStamp(a: Stamp, b: Stamp): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** The value stored on `owner` under `key` for this stamp, if there is one. */
export function recall<T>(owner: object, key: string, stamp: Stamp): { value: T } | undefined {
  const e = entryOf(owner, key);
  return e && sameStamp(e.stamp, stamp) ? { value: e.value as T } : undefined;
}

/** recall with the stamp [a, b], without making the array (a lookup per resource in hot loops). */
export function recallAt<T>(owner: object, key: string, a: unknown, b: unknown): { value: T } | undefined {
  const e = entryOf(owner, key);
  return e && e.stamp.length === 2 && Object.is(e.stamp[0], a) && Object.is(e.stamp[1], b)
    ? { value: e.value as T }
    : undefined;
}

/** Store a value on `owner` under `key`, computed under `stamp` (replacing any other). */
export function remember<T>(owner: object, key: string, stamp: Stamp, value: T): T {
  const e: Entry = { key, stamp, value };
  const t = table.get(owner);
  if (t === undefined || (!(t instanceof Map) && t.key === key)) table.set(owner, e);
  else if (t instanceof Map) t.set(key, e);
  else
    table.set(
      owner,
      new Map([
        [t.key, t],
        [key, e],
      ]),
    );
  return value;
}

/** Drop what `owner` keeps under `key` (a value no one will ask for again). */
export function forget(owner: object, key: string): void {
  const t = table.get(owner);
  if (t === undefined) return;
  if (t instanceof Map) {
    if (!t.delete(key) || t.size > 0) return;
  } else if (t.key !== key) return;
  table.delete(owner);
}

/** The value of `compute()` for this owner, key and stamp: computed once, then recalled. */
export function memoOn<T>(owner: object, key: string, stamp: Stamp, compute: () => T): T {
  const hit = recall<T>(owner, key, stamp);
  return hit ? hit.value : remember(owner, key, stamp, compute());
}
