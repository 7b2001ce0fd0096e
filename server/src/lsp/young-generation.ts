// Imported first by the server's entry points (main.ts, parse-thread.ts), before any other module
// allocates: stops V8's young generation from growing past YOUNG_CAP_MB instead of letting it grow to
// 2 x 16 MB.
//
// Parsing a large file allocates fast and most of what it allocates survives (the trees it keeps), so
// V8 doubles the young generation at each scavenge until it reaches its maximum: 30 MB of resident
// memory at the 10k-line bench file (lspbench peak 120-127 MB, about 98 MB with the cap), and no
// faster: the scavenges of a smaller young generation stay in the CPU's caches (first check of that
// file 800 -> 640 ms of process CPU at load 9). Kept at its starting size (1 MB) instead, the 50k-line
// file's first check took a quarter more CPU (each scavenge promotes what a larger one would have let
// die, and the old generation is collected more often): 8 MB is as fast there as the default.
//
// The maximum itself (--max-semi-space-size) is read only when the process starts, from its command
// line, which an editor other than ours writes (`node dist/server.js --stdio`); the growth factor is
// read at each growth, so setting it to 1 once the young generation has reached the cap stops it there.
// It is looked at after each garbage collection, on a later turn of the event loop: so that a long
// synchronous stretch cannot grow it to the maximum before it is looked at, it does not grow at all
// until the server has warmed up at initialize (growYoungGenerationToCap). V8 sets the factor back to
// 2 whenever an isolate is made, which the parser thread's start does: the thread looks at its own
// young generation the same way, and the first look past the cap sets the factor again for both. A
// young-generation size given on the command line (our VS Code client gives none) is left as given.
//
// The factor is set only when what it should be changes (setFlagsFromString at every collection cost
// about 0.5% of a large check): to 1 when the young generation reaches the cap, or when it grew while
// the factor was 1 (a thread's start set it back to 2 meanwhile); to 2 when it is found under the cap
// once it had reached it. V8 shrinks the young generation after the server has allocated little for
// a while (idle in an editor); with the factor left at 1 it could never grow back, and every later
// check would run with the smaller one (more scavenges). The factor is one setting for the whole
// process: the parser thread's young generation may stay where V8 shrank it when the server's
// thread set the factor back to 1 after the parser thread set it to 2.

import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { PerformanceObserver } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';
import { STARTING_GROWTH_FACTOR, youngGenerationSizedByUser } from './young-generation-flags';

/** Size of the young generation (both halves of V8's new space) past which it stops growing, in MB. */
export const YOUNG_CAP_MB = 8;

const sizedByUser = youngGenerationSizedByUser();

/** Size of this thread's young generation in MB. */
export function youngGenerationMb(): number {
  const young = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  return (young?.space_size ?? 0) / (1024 * 1024);
}

/** What this thread last set the growth factor to (undefined: nothing yet), the size of its young
 * generation at the last look (MB), and whether it may grow at all (the server's thread: once its
 * warm-up is done). */
export interface GrowthState {
  factor: 1 | 2 | undefined;
  lastMb: number | undefined;
  mayGrow: boolean;
}

/**
 * The growth factor to set after a collection that left the young generation at `mb` MB, or
 * undefined when the one set last still holds. With the factor at 1: 1 again when the young
 * generation grew since the last look (a thread's start set the factor back to 2 meanwhile), 2 when
 * V8 shrank it under the cap and it may grow (back to the cap). Otherwise 1 once it reaches the cap.
 */
export function nextGrowthFactor(mb: number, state: GrowthState): 1 | 2 | undefined {
  if (state.factor === 1) {
    if (state.lastMb !== undefined && mb > state.lastMb) return 1;
    return mb < YOUNG_CAP_MB && state.mayGrow ? 2 : undefined;
  }
  return mb >= YOUNG_CAP_MB ? 1 : undefined;
}

const state: GrowthState = { factor: undefined, lastMb: undefined, mayGrow: !isMainThread };

function setFactor(factor: 1 | 2): void {
  setFlagsFromString(`--semi-space-growth-factor=${factor}`);
  state.factor = factor;
}

function capWhenReached(): void {
  const mb = youngGenerationMb();
  const factor = nextGrowthFactor(mb, state);
  if (factor !== undefined) setFactor(factor);
  state.lastMb = mb;
}

/** From now on the server's young generation may grow, up to YOUNG_CAP_MB (called once initialize's
 * warm-up is done). */
export function growYoungGenerationToCap(): void {
  if (sizedByUser || !isMainThread) return;
  state.mayGrow = true;
  setFactor(2);
  capWhenReached();
}

if (!sizedByUser) {
  if (isMainThread) setFactor(STARTING_GROWTH_FACTOR);
  new PerformanceObserver(capWhenReached).observe({ entryTypes: ['gc'] });
}
