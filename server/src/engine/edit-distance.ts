// Edit distance and "did you mean": the one implementation the server uses (the rules' suggestions for
// a misspelt name, the route engine's nearest host, the reachability CLI's unknown workload).

export interface EditDistanceOptions {
  /**
   * Count a swap of two neighbouring items as one step ("wbe" is one step from "web"): the optimal
   * string alignment distance, which never edits a swapped pair again. Default false: Levenshtein
   * (insertions, deletions and substitutions only).
   */
  transpositions?: boolean;
  /** Stop as soon as the distance is known to be above this (the result is then above it too). */
  limit?: number;
}

// Three reused rows: the distance runs for many candidates in a row (every host on a route miss).
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);
let rowC = new Int32Array(64);

/**
 * Edit distance between two strings (by UTF-16 code unit) or two lists of strings (by item, e.g. the
 * labels of two host names). A result up to `limit` is exact; a result above it means only "more than
 * `limit`".
 */
export function editDistance(
  a: string | readonly string[],
  b: string | readonly string[],
  options: EditDistanceOptions = {},
): number {
  const limit = options.limit ?? Infinity;
  const swaps = options.transpositions === true;
  const strings = typeof a === 'string' && typeof b === 'string';
  const same = strings
    ? (i: number, j: number) => (a as string).charCodeAt(i) === (b as string).charCodeAt(j)
    : (i: number, j: number) => a[i] === b[j];
  let start = 0;
  let endA = a.length;
  let endB = b.length;
  if (!swaps) {
    // a common prefix and suffix do not change the Levenshtein distance (hosts of one domain share
    // their whole suffix): compare only what lies between
    while (start < endA && start < endB && same(start, start)) start++;
    while (endA > start && endB > start && same(endA - 1, endB - 1)) {
      endA--;
      endB--;
    }
  }
  const n = endA - start;
  const m = endB - start;
  if (n === 0 || m === 0) return n + m;
  if (Math.abs(n - m) > limit) return limit + 1;
  if (rowA.length <= m) {
    rowA = new Int32Array(m + 1);
    rowB = new Int32Array(m + 1);
    rowC = new Int32Array(m + 1);
  }
  let before = rowC; // row i - 2, for swaps
  let prev = rowA;
  let cur = rowB;
  let prevMin = 0;
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= m; j++) {
      const equal = same(start + i - 1, start + j - 1);
      let v = prev[j - 1] + (equal ? 0 : 1);
      if (prev[j] + 1 < v) v = prev[j] + 1;
      if (cur[j - 1] + 1 < v) v = cur[j - 1] + 1;
      if (
        swaps &&
        i > 1 &&
        j > 1 &&
        !equal &&
        same(start + i - 1, start + j - 2) &&
        same(start + i - 2, start + j - 1) &&
        before[j - 2] + 1 < v
      )
        v = before[j - 2] + 1;
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    // every later cell builds on this row (and, with swaps, on the row before it + 1)
    if (rowMin > limit && (!swaps || prevMin >= limit)) return limit + 1;
    prevMin = rowMin;
    const t = before;
    before = prev;
    prev = cur;
    cur = t;
  }
  return prev[m];
}

const MAX_WORD = 253;

/**
 * The candidate a misspelt `word` most likely meant: one equal ignoring case, else the first nearest
 * within a small distance (1 for words up to 4 characters, 2 up to 8, else 3), swaps of neighbouring
 * letters counting as one step. Undefined when none is that close.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  // Kubernetes names are at most 253 characters: no suggestion for longer words (the distance of two
  // long, nearly equal strings costs the product of their lengths)
  if (word.length > MAX_WORD) return undefined;
  const lower = word.toLowerCase();
  for (const c of candidates) if (c.toLowerCase() === lower) return c;
  const limit = word.length <= 4 ? 1 : word.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestD = limit + 1;
  for (const c of candidates) {
    if (c.length > MAX_WORD) continue;
    const d = editDistance(lower, c.toLowerCase(), { transpositions: true, limit });
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}
