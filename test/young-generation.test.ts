// The server keeps V8's young generation at its starting size (server/src/lsp/young-generation.ts),
// also after its parser thread started (V8 resets the setting when a thread's heap is made). Each case
// runs a fresh Node process that loads the built bundles as the server does, keeps a growing list of
// objects alive (as a parse does with its trees) and prints the size of its young generation. The
// first case is the control: without the setting the same program grows it to its maximum, so the
// other two measure something. No time is asserted.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const DIST = path.resolve(__dirname, '..', 'dist');
const THREAD = path.join(DIST, 'parse-thread.js');
const built = existsSync(THREAD);

/** Young generation (new space) size in MB after keeping ~40 MB of small objects alive, in a fresh
 * process that first runs `setup` (CommonJS). */
function youngGenerationMb(setup: string, execArgv: string[] = []): number {
  const program = `
    const v8 = require('node:v8');
    const allocate = () => {
      const keep = [];
      for (let round = 0; round < 16; round++) {
        const objects = [];
        for (let i = 0; i < 60000; i++) objects.push({ i, key: 'value-' + i });
        keep.push(objects);
      }
      const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
      console.log(JSON.stringify({ mb: young.space_size / 1048576, kept: keep.length }));
    };
    ${setup}
  `;
  const r = spawnSync(process.execPath, [...execArgv, '-e', program], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout.trim().split('\n').pop()!) as { mb: number }).mb;
}

test('control: without the setting, keeping many objects alive grows the young generation', () => {
  assert.ok(youngGenerationMb('allocate();') >= 16);
});

test('the server bundles keep the young generation small', { skip: !built && 'npm run build first' }, () => {
  // dist/parse-thread.js imports the setting first, as dist/server.js does (its main thread does
  // nothing else outside a worker)
  assert.ok(youngGenerationMb(`require(${JSON.stringify(THREAD)}); allocate();`) <= 4);
});

test(
  'the young generation stays small after the parser thread started and parsed',
  { skip: !built && 'npm run build first' },
  () => {
    const mb = youngGenerationMb(`
      require(${JSON.stringify(THREAD)});
      const { Worker } = require('node:worker_threads');
      const limits = { maxNodes: 100000, maxTokens: 1000000, maxDepth: 128, maxErrors: 100, budgetMs: 10000 };
      const worker = new Worker(${JSON.stringify(THREAD)}, {
        workerData: { kubeNetlensChunkParser: true, limits, warmUp: [] },
      });
      const text = 'kind: ConfigMap\\ndata:\\n' + Array.from({ length: 2000 }, (_, i) => '  k' + i + ': v\\n').join('');
      worker.on('message', (reply) => {
        if (!reply.done) return;
        if (reply.docs[0].root === null) throw new Error('the thread did not parse');
        void worker.terminate().then(allocate);
      });
      worker.postMessage({ id: 1, chunks: [{ start: 0, text, index: 0 }], limits });
    `);
    assert.ok(mb <= 4, `young generation ${mb} MB`);
  },
);

test('a young-generation size given on the command line is left as given', { skip: !built }, () => {
  assert.ok(
    youngGenerationMb(`require(${JSON.stringify(THREAD)}); allocate();`, ['--max-semi-space-size=8']) > 4,
  );
});
