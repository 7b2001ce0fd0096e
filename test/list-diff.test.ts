// listDiff (workspace/list-diff.ts): what a change removed from and added to a list of unique objects,
// found from the common start and end of the two lists: the same answer as Sets of both whole lists.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listDiff } from '../server/src/workspace/list-diff';

/** The answer from Sets of the whole lists (what the index and the overlay computed before). */
function bySets<T>(before: readonly T[], after: readonly T[]): { removed: T[]; added: T[] } {
  const b = new Set(before);
  const a = new Set(after);
  return { removed: before.filter((x) => !a.has(x)), added: after.filter((x) => !b.has(x)) };
}

const items = Array.from({ length: 40 }, (_, i) => ({ i }));
const [a, b, c, d, e] = items;

test('an unchanged list: nothing removed or added', () => {
  assert.deepEqual(listDiff([a, b, c], [a, b, c]), { removed: [], added: [] });
  assert.deepEqual(listDiff([], []), { removed: [], added: [] });
});

test('one item replaced in the middle, at the start, at the end', () => {
  assert.deepEqual(listDiff([a, b, c], [a, d, c]), { removed: [b], added: [d] });
  assert.deepEqual(listDiff([a, b, c], [d, b, c]), { removed: [a], added: [d] });
  assert.deepEqual(listDiff([a, b, c], [a, b, d]), { removed: [c], added: [d] });
});

test('items inserted or removed; a list from or to nothing', () => {
  assert.deepEqual(listDiff([a, c], [a, b, c]), { removed: [], added: [b] });
  assert.deepEqual(listDiff([a, b, c], [a, c]), { removed: [b], added: [] });
  assert.deepEqual(listDiff([a, b], [a, b, c, d]), { removed: [], added: [c, d] });
  assert.deepEqual(listDiff([c, d], [a, b, c, d]), { removed: [], added: [a, b] });
  assert.deepEqual(listDiff([], [a, b]), { removed: [], added: [a, b] });
  assert.deepEqual(listDiff([a, b], []), { removed: [a, b], added: [] });
});

test('items that only changed places are neither removed nor added', () => {
  assert.deepEqual(listDiff([a, b, c, d], [b, c, d, a]), { removed: [], added: [] });
  assert.deepEqual(listDiff([a, b, c, d, e], [a, d, c, b, e]), { removed: [], added: [] });
});

test('random edits of lists of unique items: the same answer as Sets of the whole lists', () => {
  // (a fixed generator: the same lists every run)
  let seed = 7;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let round = 0; round < 500; round++) {
    const pool = [...items];
    const take = () => pool.splice(random(pool.length), 1)[0];
    const before = Array.from({ length: random(20) }, take);
    const after = [...before];
    for (let k = random(4); k > 0; k--) {
      const op = random(3);
      if (op === 0 && pool.length) after.splice(random(after.length + 1), 0, take());
      else if (op === 1 && after.length) after.splice(random(after.length), 1);
      else if (after.length && pool.length) after[random(after.length)] = take();
    }
    assert.deepEqual(listDiff(before, after), bySets(before, after), `round ${round}`);
  }
});
