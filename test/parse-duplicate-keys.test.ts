// Duplicate map keys (syntax/parse.ts): a short map's keys are searched in a list, a longer one's in a
// set. Either way every repeated key is reported, at the repeat, and keys that only look alike (1 and
// "1", true and "true") are not duplicates. Maps of every size around the switch are checked against
// an oracle that remembers the keys seen.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseChunk } from '../server/src/syntax/parse';

/** Lines (0-based) of the document's DUPLICATE_KEY errors. */
function duplicateLines(text: string): number[] {
  const doc = parseChunk({ start: 0, text }, 0);
  return doc.errors
    .filter((e) => e.code === 'DUPLICATE_KEY')
    .map((e) => text.slice(0, e.start).split('\n').length - 1);
}

/** A map of `n` keys (one per line, from line 1 on) where the keys at `repeats` repeat earlier ones. */
function mapWithRepeats(n: number, repeats: Map<number, number>): { text: string; expected: number[] } {
  const lines = ['spec:'];
  const expected: number[] = [];
  for (let i = 0; i < n; i++) {
    const from = repeats.get(i);
    lines.push(`  key-${from ?? i}: ${i}`);
    if (from !== undefined) expected.push(i + 1);
  }
  return { text: lines.join('\n') + '\n', expected };
}

test('a repeated key is reported at the repeat, in maps of every size around the list/set switch', () => {
  for (let n = 2; n <= 40; n++) {
    // a repeat of the first key at the end, and one of a middle key just after it
    const repeats = new Map([[n - 1, 0]]);
    if (n > 4) repeats.set(Math.floor(n / 2) + 1, Math.floor(n / 2));
    const { text, expected } = mapWithRepeats(n, repeats);
    assert.deepEqual(duplicateLines(text), expected, `map of ${n} keys`);
  }
});

test('a map without repeats has no duplicate-key error, whatever its size', () => {
  for (const n of [1, 15, 16, 17, 100])
    assert.deepEqual(duplicateLines(mapWithRepeats(n, new Map()).text), []);
});

test('keys equal as values are duplicates; keys that only look alike are not', () => {
  const text = [
    'a: 1',
    '1: one',
    '"1": the text one', // a string, not the number 1
    'true: yes',
    '"true": the text true',
    '0x1: hex one', // the number 1 again
    "'a': quoted a", // the string a again
    ...Array.from({ length: 20 }, (_, i) => `filler-${i}: ${i}`),
    '"0x1": text', // a string: not a repeat
    '01: leading zero', // the number 1 again (past the switch to a set)
    'a: again',
  ].join('\n');
  assert.deepEqual(duplicateLines(text), [5, 6, 28, 29]);
});
