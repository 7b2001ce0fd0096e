// When the server sets V8's young-generation growth factor (server/src/lsp/young-generation.ts,
// nextGrowthFactor): only when what it should be changes, not after every collection. The sizes are
// given, as the module reads them after each collection; the whole-process behaviour is in
// young-generation.test.ts. (Importing the module sets the factor in this test's own process.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextGrowthFactor, YOUNG_CAP_MB } from '../server/src/lsp/young-generation';
import type { GrowthState } from '../server/src/lsp/young-generation';

/** The factors set over a run of collections that leave the young generation at these sizes. */
function factorsOver(sizes: number[], state: GrowthState): (1 | 2 | undefined)[] {
  return sizes.map((mb) => {
    const f = nextGrowthFactor(mb, state);
    if (f !== undefined) state.factor = f;
    state.lastMb = mb;
    return f;
  });
}

const CAP = YOUNG_CAP_MB;

test('growing to the cap: the factor is set to 1 once, when it is reached, then left alone', () => {
  const state: GrowthState = { factor: 2, lastMb: 1, mayGrow: true };
  assert.deepEqual(factorsOver([1, 2, 4, CAP, CAP, CAP, CAP], state), [
    undefined,
    undefined,
    undefined,
    1,
    undefined,
    undefined,
    undefined,
  ]);
});

test('V8 shrank the young generation under the cap: it may grow back, then stops at the cap again', () => {
  const state: GrowthState = { factor: 1, lastMb: CAP, mayGrow: true };
  assert.deepEqual(factorsOver([CAP, CAP / 4, CAP / 4, CAP / 2, CAP, CAP], state), [
    undefined,
    2,
    undefined,
    undefined,
    1,
    undefined,
  ]);
});

test('grown while the factor was 1 (a thread start set it back to 2): set to 1 again', () => {
  const state: GrowthState = { factor: 1, lastMb: CAP, mayGrow: true };
  assert.deepEqual(factorsOver([CAP, 2 * CAP, 2 * CAP], state), [undefined, 1, undefined]);
  // before the warm-up (growing not allowed yet), too, and a shrink does not let it grow
  const early: GrowthState = { factor: 1, lastMb: 1, mayGrow: false };
  assert.deepEqual(factorsOver([1, 2, 2, 1, 1], early), [undefined, 1, undefined, undefined, undefined]);
});

test('past the cap with the factor at 1 and not growing: nothing is set', () => {
  const state: GrowthState = { factor: 1, lastMb: 2 * CAP, mayGrow: true };
  assert.deepEqual(factorsOver([2 * CAP, 2 * CAP, CAP], state), [undefined, undefined, undefined]);
});

test('a thread that never set the factor sets it to 1 when its young generation reaches the cap', () => {
  const state: GrowthState = { factor: undefined, lastMb: undefined, mayGrow: true };
  assert.deepEqual(factorsOver([1, 4, CAP, CAP], state), [undefined, undefined, 1, undefined]);
});
