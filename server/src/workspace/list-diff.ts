// What an edit changed in a list of objects that the edit mostly reuses (the documents of a file, the
// resources of a file in the index): one keystroke in a file of thousands of documents replaces one
// of them, so the lists before and after share a long start and a long end, the same objects in the
// same order. Comparing those ends costs no allocation; only the part between them goes through Sets.
// (Sets of the whole file, built at every keystroke, were about a third of what a keystroke allocated
// at 50k lines.)

/** The items of `before` that `after` no longer holds and those it holds anew, each in its list's
 * order. Each list must hold an item at most once (then an item of one list's middle part cannot be
 * in the other list's common start or end, which hold the same items at the same places). */
export function listDiff<T>(before: readonly T[], after: readonly T[]): { removed: T[]; added: T[] } {
  const shorter = Math.min(before.length, after.length);
  let start = 0;
  while (start < shorter && before[start] === after[start]) start++;
  let end = 0;
  while (end < shorter - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  const oldPart = before.slice(start, before.length - end);
  const newPart = after.slice(start, after.length - end);
  if (oldPart.length === 0) return { removed: oldPart, added: newPart };
  if (newPart.length === 0) return { removed: oldPart, added: newPart };
  const oldSet = new Set(oldPart);
  const newSet = new Set(newPart);
  return {
    removed: oldPart.filter((x) => !newSet.has(x)),
    added: newPart.filter((x) => !oldSet.has(x)),
  };
}
