// The parser thread as the tests start it: its own bundle (dist/parse-thread.js, as the server starts
// it), each thread a test file starts ended after that file; and the limits and the document that
// make a thread run out of memory.

import { after } from 'node:test';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { ParseWorker } from '../../server/src/workspace/parse-worker';
import { DEFAULT_PARSE_LIMITS } from '../../server/src/syntax/parse';
import type { ParseLimits } from '../../server/src/syntax/parse';

export const PARSE_THREAD_ENTRY = path.resolve(__dirname, '..', '..', 'dist', 'parse-thread.js');
/** Is the bundle built? (The tests that start a thread are skipped, saying so, when it is not.) */
export const parseThreadBuilt = existsSync(PARSE_THREAD_ENTRY);

const workers: ParseWorker[] = [];
after(() => {
  for (const w of workers) w.dispose();
});

/** A parser thread on the bundle, ended after the test file. */
export function worker(options: Partial<ConstructorParameters<typeof ParseWorker>[0]> = {}): ParseWorker {
  const w = new ParseWorker({ entry: PARSE_THREAD_ENTRY, ...options });
  workers.push(w);
  return w;
}

/** The parse limits lifted: only the thread's heap limit stops a document. */
export const UNBOUNDED_LIMITS: ParseLimits = {
  ...DEFAULT_PARSE_LIMITS,
  maxNodes: Infinity,
  maxTokens: Infinity,
  budgetMs: Infinity,
};

/** A flow sequence of three million items: under UNBOUNDED_LIMITS it exhausts a 32 MB thread heap. */
export const HEAP_BOMB = `items: [${'1,'.repeat(3_000_000)}1]\n`;
