// A long task of the server's thread (a check, a parse in turns) gives the event loop a turn between
// its slices. What the client sent meanwhile must be handled in that turn, not after more slices: the
// protocol library reads, dispatches and answers a message in steps that are each queued behind the
// task's own turn (see giveTurn in lsp/documents.ts).

import assert from 'node:assert/strict';
import test from 'node:test';
import { giveTurn } from '../server/src/lsp/documents';
import { pingServer } from './support/ping-server';

/** Runs a task of `slices` slices with `turn` between two, over a server connection that answers
 * `ping`; a request is written to the server while slice 1 runs. Returns the slice that ran when the
 * answer was written (slice 1: answered in the turn right after the slice it came in). */
async function sliceWhenAnswered(turn: () => Promise<void>, slices = 8): Promise<number> {
  const server = pingServer();
  let answeredIn: number | undefined;
  for (let slice = 0; slice < slices; slice++) {
    if (slice === 1) server.send();
    await turn();
    if (answeredIn === undefined && server.answered()) answeredIn = slice;
  }
  server.dispose();
  assert.notEqual(answeredIn, undefined, 'the request was not answered during the task');
  return answeredIn!;
}

test('a request that comes during a slice of a long task is answered in the turn after that slice', async () => {
  assert.equal(await sliceWhenAnswered(giveTurn), 1);
});

test('control: with one round of the event loop per turn, the same request waits two more slices', async () => {
  const oneRound = () => new Promise<void>((resolve) => setImmediate(resolve));
  assert.equal(await sliceWhenAnswered(oneRound), 3);
});
