// The server stops V8's young generation from growing past YOUNG_CAP_MB (server/src/lsp/
// young-generation.ts): not at all until initialize's warm-up is done, then up to the cap, also after
// its parser thread started (V8 resets the setting when a thread's heap is made). Each case runs a
// fresh Node process that loads the module as the server does, keeps a growing list of objects alive
// a slice at a time, giving the event loop a turn between slices (as a parse in turns does with its
// trees), and prints the size of its young generation. The first case is the control: without the
// setting the same program grows it to its maximum (32 MB), so the others measure something. The cap
// is looked at after each collection, on a later turn: the young generation may grow one step (twice
// the cap) before it stops. No time is asserted.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The cap (YOUNG_CAP_MB of the module; not imported here, which would set it in this process). */
const CAP_MB = 8;
const MODULE = path.resolve(__dirname, '..', 'server', 'src', 'lsp', 'young-generation.ts');
const DIST = path.resolve(__dirname, '..', 'dist');
const THREAD = path.join(DIST, 'parse-thread.js');
const built = existsSync(THREAD);

/** Young generation (new space) size in MB after keeping ~40 MB of small objects alive, in a fresh
 * process (TypeScript sources through tsx) that first runs `setup` (CommonJS). */
function youngGenerationMb(setup: string, execArgv: string[] = []): number {
  const program = `
    const v8 = require('node:v8');
    const allocate = async () => {
      const keep = [];
      for (let round = 0; round < 16; round++) {
        const objects = [];
        for (let i = 0; i < 60000; i++) objects.push({ i, key: 'value-' + i });
        keep.push(objects);
        await new Promise((resolve) => setImmediate(resolve));
      }
      const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
      console.log(JSON.stringify({ mb: young.space_size / 1048576, kept: keep.length }));
    };
    ${setup}
  `;
  const r = spawnSync(process.execPath, [...execArgv, '--import', 'tsx', '-e', program], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout.trim().split('\n').pop()!) as { mb: number }).mb;
}

const grow = `require(${JSON.stringify(MODULE)}).growYoungGenerationToCap();`;

test('control: without the setting, keeping many objects alive grows the young generation', () => {
  assert.ok(youngGenerationMb('allocate();') >= 32);
});

test(
  'before the warm-up is done the young generation does not grow',
  { skip: !built && 'npm run build first' },
  () => {
    // dist/parse-thread.js imports the module first, as dist/server.js does (its main thread does
    // nothing else outside a worker)
    const mb = youngGenerationMb(`require(${JSON.stringify(THREAD)}); allocate();`);
    assert.ok(mb <= 4, `young generation ${mb} MB`);
  },
);

test('then it grows up to its cap and stops there', () => {
  const mb = youngGenerationMb(`require(${JSON.stringify(MODULE)}); ${grow} allocate();`);
  assert.ok(mb >= CAP_MB / 2 && mb <= 2 * CAP_MB, `young generation ${mb} MB`);
});

test(
  'it stays under the cap after the parser thread started and parsed',
  { skip: !built && 'npm run build first' },
  () => {
    const mb = youngGenerationMb(`
      require(${JSON.stringify(MODULE)});
      ${grow}
      const { Worker } = require('node:worker_threads');
      const limits = { maxNodes: 100000, maxTokens: 1000000, maxDepth: 128, maxErrors: 100, budgetMs: 10000 };
      const worker = new Worker(${JSON.stringify(THREAD)}, {
        workerData: { kubeNetlensChunkParser: true, limits, warmUp: [] },
      });
      const text = 'kind: ConfigMap\\ndata:\\n' + Array.from({ length: 2000 }, (_, i) => '  k' + i + ': v\\n').join('');
      worker.on('message', (reply) => {
        if (!reply.done) return;
        // (the tree comes as numbers: a first word 1 for a document with a tree, see syntax/tree-codec.ts)
        if (reply.trees.words[0] !== 1) throw new Error('the thread did not parse');
        void worker.terminate().then(allocate);
      });
      worker.postMessage({ id: 1, chunks: [{ start: 0, text, index: 0 }], limits });
    `);
    assert.ok(mb <= 2 * CAP_MB, `young generation ${mb} MB`);
  },
);

test('a young-generation size given on the command line is left as given', () => {
  const mb = youngGenerationMb(`require(${JSON.stringify(MODULE)}); ${grow} allocate();`, [
    '--min-semi-space-size=16',
  ]);
  assert.ok(mb >= 32, `young generation ${mb} MB`);
});
