// The one edit-distance module (engine/edit-distance.ts): the rules' did-you-mean (typos, including two
// swapped neighbouring letters, find their word; unrelated words find nothing), Levenshtein for the
// route engine's nearest host (over characters or over host labels, with a limit) and the reachability
// CLI's unknown workload.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closest, editDistance } from '../server/src/engine/edit-distance';

const WORDS = ['web', 'service', 'Ingress', 'NetworkPolicy', 'api', 'backend', 'frontend', 'http', 'https'];

const CASES: Array<[word: string, expected: string | undefined]> = [
  ['wbe', 'web'], // adjacent swap in a short word
  ['sevrice', 'service'], // adjacent swap
  ['servcie', 'service'],
  ['ingress', 'Ingress'], // case only
  ['Ingres', 'Ingress'], // one letter missing
  ['NetwrokPolicy', 'NetworkPolicy'],
  ['NetwrokPolciy', 'NetworkPolicy'], // two swaps in a long word
  ['backedn', 'backend'],
  ['pai', 'api'],
  ['htpt', 'http'],
  ['web', 'web'],
  ['database', undefined], // unrelated
  ['xyz', undefined],
  ['bew', undefined], // a reversal is two steps, too far for a 3-letter word
  ['ewb', 'web'], // first two letters swapped
  ['ebw', undefined], // a rotation is two steps
  ['monitoring', undefined],
  ['', undefined],
];

for (const [word, expected] of CASES) {
  test(`closest(${JSON.stringify(word)}) is ${JSON.stringify(expected)}`, () => {
    assert.equal(closest(word, WORDS), expected);
  });
}

test('edit distance counts a swap of neighbours as one step and stays symmetric', () => {
  const rows: Array<[string, string, number]> = [
    ['web', 'wbe', 1],
    ['ab', 'ba', 1],
    ['abc', 'ca', 3], // optimal string alignment: no edit of a swapped pair
    ['kitten', 'sitting', 3],
    ['service', 'sevrice', 1],
    ['', 'abc', 3],
    ['same', 'same', 0],
  ];
  for (const [a, b, d] of rows) {
    assert.equal(editDistance(a, b, { transpositions: true }), d, `${a} / ${b}`);
    assert.equal(editDistance(b, a, { transpositions: true }), d, `${b} / ${a}`);
  }
});

test('without transpositions it is Levenshtein: a swap is two steps; common prefixes and suffixes cost nothing', () => {
  const rows: Array<[string, string, number]> = [
    ['web', 'wbe', 2],
    ['ab', 'ba', 2],
    ['kitten', 'sitting', 3],
    ['shop.example.com', 'shp.example.com', 1],
    ['shop.example.com', 'shop.exmaple.com', 2],
    ['', 'abc', 3],
    ['same', 'same', 0],
  ];
  for (const [a, b, d] of rows) {
    assert.equal(editDistance(a, b), d, `${a} / ${b}`);
    assert.equal(editDistance(b, a), d, `${b} / ${a}`);
  }
});

test('lists compare item by item (host labels); a limit gives up early with a value above it', () => {
  assert.equal(editDistance(['shop', 'example', 'com'], ['shop', 'exmaple', 'com']), 1);
  assert.equal(editDistance(['a', 'example', 'com'], ['b', 'c', 'example', 'com']), 2);
  assert.equal(editDistance(['api', 'example', 'com'], ['api', 'example', 'com']), 0);
  // exact up to the limit, "more than the limit" beyond it
  assert.equal(editDistance('kitten', 'sitting', { limit: 3 }), 3);
  assert.ok(editDistance('kitten', 'sitting', { limit: 2 }) > 2);
  assert.ok(editDistance('abcdefgh', 'zyxwvuts', { limit: 1 }) > 1);
  assert.ok(editDistance('a', 'abcdef', { limit: 2 }) > 2);
  assert.equal(editDistance('wbe', 'web', { transpositions: true, limit: 1 }), 1);
  assert.ok(editDistance('ebw', 'web', { transpositions: true, limit: 1 }) > 1);
});
