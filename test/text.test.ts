// The did-you-mean helper shared by the rules: typos (including two swapped
// neighbouring letters) find their word, unrelated words find nothing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closest, editDistance } from '../server/src/rules/text';

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
    assert.equal(editDistance(a, b), d, `${a} / ${b}`);
    assert.equal(editDistance(b, a), d, `${b} / ${a}`);
  }
});
