// One string for each short text the trees repeat. A manifest says `name`, `port`, `apiVersion`,
// `TCP`, `Prefix`, `80` in every document, and each parse made its own copy of each (a slice of the
// document's text for the value, often a second one for the source): 4,000 small documents kept
// about 60,000 strings of under 16 characters, each an object the young generation's collections
// copied twice (into the survivor space, then into the old generation) before it settled. Taken from
// one table instead, the copies die where they are made, which costs a collection nothing.
//
// The table is a cache, not a registry: which string object a tree holds never changes what any
// check answers (strings compare by value), so it may be emptied at any time. It starts again when it
// holds TABLE_MAX strings, which bounds what it keeps (at most TABLE_MAX strings of SHARED_MAX
// characters, about 2 MB) however many distinct names a workspace has: the frequent ones are found
// again in the next table at once.

/** Strings longer than this are not shared (they seldom repeat: certificates, descriptions). */
export const SHARED_MAX = 64;

/** Strings the table holds before it starts again. */
const TABLE_MAX = 16_384;

let table = new Map<string, string>();

/** `s`, or the equal string met before when `s` is short. */
export function sharedString(s: string): string {
  if (s.length > SHARED_MAX) return s;
  const hit = table.get(s);
  if (hit !== undefined) return hit;
  if (table.size >= TABLE_MAX) table = new Map();
  table.set(s, s);
  return s;
}
