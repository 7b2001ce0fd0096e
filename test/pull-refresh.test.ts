// When the server asks a client that pulls diagnostics to pull again (workspace/diagnostic/refresh):
// once no check is under way, so that the re-checks of one edit make one refresh, and at most 50 ms
// after the findings the client holds changed, however long the checks go on. In-process, with the
// clock and the timers mocked: what is asserted is the order of events, not a duration.

import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, Diagnostic } from 'vscode-languageserver';
import { PulledDiagnostics } from '../server/src/lsp/pull';

const URI = 'file:///virtual/pull/ingress.yaml';
const TOKEN = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) };

function finding(message: string): Diagnostic {
  return {
    range: { start: { line: 7, character: 12 }, end: { line: 7, character: 15 } },
    message,
    severity: 2,
  };
}

function setup(t: TestContext) {
  let now = 0;
  t.mock.method(performance, 'now', () => now);
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const refreshes: string[] = [];
  const connection = {
    sendRequest: (type: { method: string }) => {
      refreshes.push(type.method);
      return Promise.resolve();
    },
  } as unknown as Connection;
  const state = { busy: false };
  const pulls = new PulledDiagnostics(
    connection,
    () => 1,
    () => false,
    () => true,
    () => undefined,
    () => state.busy,
  );
  // the client holds the findings of version 1
  pulls.offer(URI, 1, [finding('Service "api" is not defined')]);
  const first = pulls.pull(URI, undefined, TOKEN as never);
  assert.equal((first as { kind: string }).kind, 'full');
  const advance = (ms: number) => {
    now += ms;
    t.mock.timers.tick(ms);
  };
  return { pulls, refreshes, state, advance };
}

test('findings the client holds change while other checks run: the refresh waits for them to end, then goes at once', (t) => {
  const { pulls, refreshes, state, advance } = setup(t);
  state.busy = true;
  // another file's edit made the Service appear: version 1's findings change
  pulls.offer(URI, 1, []);
  advance(1);
  advance(10);
  assert.deepEqual(refreshes, [], 'no refresh while the other re-checks of the edit run');
  state.busy = false;
  advance(1);
  assert.deepEqual(refreshes, ['workspace/diagnostic/refresh']);
  advance(100);
  assert.equal(refreshes.length, 1, 'one refresh for one change');
});

test('with nothing being checked, the refresh goes at the next turn of the timers', (t) => {
  const { pulls, refreshes, advance } = setup(t);
  pulls.offer(URI, 1, []);
  assert.deepEqual(refreshes, []);
  advance(0);
  assert.deepEqual(refreshes, ['workspace/diagnostic/refresh']);
});

test('a check that goes on (a large file) does not hold the refresh back for more than 50 ms', (t) => {
  const { pulls, refreshes, state, advance } = setup(t);
  state.busy = true;
  pulls.offer(URI, 1, []);
  for (let ms = 0; ms < 49; ms++) advance(1);
  assert.deepEqual(refreshes, []);
  advance(1);
  advance(1);
  assert.deepEqual(refreshes, ['workspace/diagnostic/refresh']);
});
