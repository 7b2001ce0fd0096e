// Bounding a long list of workspace values (issue 9). A workspace of thousands of Services or label
// values would otherwise send every one of them on each completion request: megabytes of JSON that
// the server builds and the editor decodes, both while other requests wait. Past a cap, the list
// keeps the values that match what was typed and says it was cut, so the editor asks again as the
// user types (the protocol's CompletionList.isIncomplete). A list within the cap is left as it is.

/** Workspace values in one completion answer at most. Far above what one selector key or one
 * namespace's Services hold in ordinary repositories (those lists stay as they are), and small enough
 * that an answer stays a few hundred KB; the editor shows a dozen at a time anyway. */
export const MAX_COMPLETION_VALUES = 1000;

/** How well a label fits what was typed, as the editor's fuzzy filter would see it: 0 starts with it,
 * 1 contains it, 2 holds its characters in order, -1 none of these (case ignored). */
export function matchRank(label: string, typed: string): number {
  if (!typed) return 0;
  const l = label.toLowerCase();
  const t = typed.toLowerCase();
  if (l.startsWith(t)) return 0;
  if (l.includes(t)) return 1;
  let at = 0;
  for (let i = 0; i < l.length && at < t.length; i++) if (l[i] === t[at]) at++;
  return at === t.length ? 2 : -1;
}

/** `values` when they are `cap` or fewer; otherwise those matching `typed` (prefix matches first,
 * then by `order`: the editor's own order among equals), at most `cap` of them. `cut` says whether a
 * matching value was left out. */
export function boundValues<T extends { label: string }>(
  values: readonly T[],
  typed: string,
  order: (v: T) => string,
  cap = MAX_COMPLETION_VALUES,
): { kept: T[]; cut: boolean } {
  if (values.length <= cap) return { kept: [...values], cut: false };
  const ranked: { v: T; rank: number; key: string }[] = [];
  for (const v of values) {
    const rank = matchRank(v.label, typed);
    if (rank >= 0) ranked.push({ v, rank, key: order(v) });
  }
  if (ranked.length > cap)
    ranked.sort((a, b) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { kept: ranked.slice(0, cap).map((r) => r.v), cut: ranked.length > cap };
}
