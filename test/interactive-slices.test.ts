// While the user is at work in the editor (hovering, asking for completions, typing, reading the
// diagnostics just shown), a long check must not keep a request waiting: its slices are short then,
// and a request that comes while the check waits for quiet after the previous one is answered before
// the next slice, not after it.

import assert from 'node:assert/strict';
import test from 'node:test';
import type { Connection, Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DiagnosticsScheduler,
  INTERACTIVE_MS,
  INTERACTIVE_SLICE_MS,
  REQUEST_QUIET_MS,
  quietTurn,
} from '../server/src/lsp/diagnostics';
import { SLICE_MS, giveTurn } from '../server/src/lsp/documents';
import type { OpenDocuments } from '../server/src/lsp/documents';
import { pingServer } from './support/ping-server';
import { TextWorkspace } from '../server/src/service/documents';
import { LspClient } from './support/lsp-client';
import { createLanguageService } from '../server/src/service/language-service';
import type { LanguageService } from '../server/src/service/language-service';

function scheduler(lastChangeAt: number, lastRequestAt: number): DiagnosticsScheduler {
  const documents = { lastChangeAt } as OpenDocuments;
  const s = new DiagnosticsScheduler(
    {} as Connection,
    documents,
    {} as LanguageService,
    () => undefined,
    () => undefined,
  );
  s.lastRequest = () => lastRequestAt;
  return s;
}

test('a check works in short slices for a while after an edit or a request, and in long ones otherwise', () => {
  const now = 100_000;
  assert.equal(scheduler(-Infinity, -Infinity).sliceMs(now), SLICE_MS, 'nothing asked or edited yet');
  assert.equal(scheduler(now - 10, -Infinity).sliceMs(now), INTERACTIVE_SLICE_MS, 'just after an edit');
  assert.equal(scheduler(-Infinity, now - 10).sliceMs(now), INTERACTIVE_SLICE_MS, 'just after a request');
  assert.equal(
    scheduler(now - INTERACTIVE_MS - 1, now - INTERACTIVE_MS - 1).sliceMs(now),
    SLICE_MS,
    'long after both',
  );
  const shown = scheduler(-Infinity, -Infinity);
  shown.shownAt = now - 10;
  assert.equal(shown.sliceMs(now), INTERACTIVE_SLICE_MS, 'just after a publication');
  assert.ok(INTERACTIVE_SLICE_MS < SLICE_MS);
});

test("a publication (a first check's progress in a file of thousands of documents) makes the next slices short", () => {
  const sent: unknown[] = [];
  const connection = {
    sendDiagnostics: (p: unknown) => (sent.push(p), Promise.resolve()),
  } as unknown as Connection;
  const s = new DiagnosticsScheduler(
    connection,
    { lastChangeAt: -Infinity } as OpenDocuments,
    {} as LanguageService,
    () => undefined,
    () => undefined,
  );
  assert.equal(s.sliceMs(), SLICE_MS);
  const doc = { uri: 'file:///ws/big.yaml', version: 1 } as TextDocument;
  (s as unknown as { send(d: TextDocument, ds: Diagnostic[], what: string): void }).send(doc, [], 'progress');
  assert.equal(sent.length, 1);
  assert.equal(s.sliceMs(), INTERACTIVE_SLICE_MS);
  assert.equal(s.sliceMs(performance.now() + INTERACTIVE_MS + 1), SLICE_MS, 'and long again later');
});

test('the check asks for the length of each slice anew: a shorter one takes effect at the next slice', async () => {
  const ws = new TextWorkspace();
  const uri = 'file:///ws/many.yaml';
  const docs: string[] = [];
  for (let i = 0; i < 60; i++)
    docs.push(`apiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\nspec:\n  ports:\n    - port: 80\n`);
  ws.set(uri, docs.join('---\n'));
  const service = createLanguageService(ws);
  const turnsWith = async (sliceMs: number | (() => number)) => {
    let turns = 0;
    const diagnostics = await service.doValidationAsync(uri, {
      sliceMs,
      turn: async () => {
        turns++;
      },
    });
    return { turns, diagnostics };
  };
  const long = await turnsWith(1e9);
  assert.equal(long.turns, 0, 'one slice for the whole check');
  // long until the first turn that the check takes for itself cannot come: the slice is asked again
  // only after a turn, so a function that answers "long" first gives one slice too
  let asked = 0;
  const first = await turnsWith(() => (asked++ === 0 ? 1e9 : 0));
  assert.equal(first.turns, 0);
  assert.equal(asked, 1, 'asked once at the start');
  // a zero-length slice from the start: a turn after every step, and the length asked at each
  asked = 0;
  const short = await turnsWith(() => {
    asked++;
    return 0;
  });
  assert.ok(short.turns >= 60, `${short.turns} turns for 60 documents`);
  assert.equal(asked, short.turns + 1, 'asked at the start and after every turn');
  assert.deepEqual(short.diagnostics, long.diagnostics, 'the same findings');
});

/** A turn that waits for quiet after a request just answered, and a new request that comes as that
 * wait ends: read from the client (its dispatch queued) in the event loop's round in which the wait's
 * timer fires. Says whether it was answered (the answer written) when the turn ended, that is before
 * the next slice. */
async function answeredBeforeNextSlice(
  turn: (lastRequest: () => number, sleep: (ms: number) => Promise<void>) => Promise<void>,
): Promise<boolean> {
  // (a turn whose first rounds took MAX_TURN_WAIT_MS already, on a machine busy elsewhere, does not
  // wait at all: then the case did not happen, and it is taken again)
  for (let attempt = 0; ; attempt++) {
    const server = pingServer();
    let waited = false;
    // (quiet needed until the wait ends)
    const lastRequest = () => (waited ? -Infinity : performance.now());
    const sleep = () =>
      new Promise<void>((resolve) => {
        waited = true;
        server.send();
        // the request is read and its dispatch queued; the timer fires right after that step
        setImmediate(resolve);
      });
    await turn(lastRequest, sleep);
    const answered = server.answered();
    for (let i = 0; i < 3; i++) await giveTurn();
    server.dispose();
    if (!waited && attempt < 5) continue;
    assert.ok(waited, 'the turn waited for quiet');
    assert.ok(answered || server.answered(), 'answered in the end');
    return answered;
  }
}

test('a request that comes as the wait for quiet ends is answered in that turn, before the next slice', async () => {
  const turn = (lastRequest: () => number, sleep: (ms: number) => Promise<void>) =>
    quietTurn({ lastRequest, writing: () => false, stopped: () => false, sleep });
  assert.equal(await answeredBeforeNextSlice(turn), true);
});

test('control: a turn that gives the event loop its rounds only before the wait answers it after the next slice', async () => {
  const roundsFirstOnly = async (lastRequest: () => number, sleep: (ms: number) => Promise<void>) => {
    await giveTurn();
    for (;;) {
      const wait = REQUEST_QUIET_MS - (performance.now() - lastRequest());
      if (wait <= 0) return;
      await sleep(Math.ceil(wait));
    }
  };
  assert.equal(await answeredBeforeNextSlice(roundsFirstOnly), false);
});

/** A turn with no request to wait for, and a request read in its last round of the event loop (the
 * rounds are immediates queued one after the other: this one is read after the turn's third). Says
 * whether it was answered when the turn ended. */
async function answeredWhenReadInLastRound(noteInput: boolean): Promise<boolean> {
  const server = pingServer();
  let inputAt = -Infinity;
  const ended = quietTurn({
    lastRequest: () => -Infinity,
    writing: () => false,
    stopped: () => false,
    lastInput: () => inputAt,
  });
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  server.send();
  if (noteInput) inputAt = performance.now();
  await ended;
  const answered = server.answered();
  for (let i = 0; i < 3; i++) await giveTurn();
  assert.ok(server.answered(), 'answered in the end');
  server.dispose();
  return answered;
}

test('a request read in the last round of a turn is answered before the turn ends', async () => {
  assert.equal(await answeredWhenReadInLastRound(true), true);
});

test('control: when the turn does not know that it came, the request is answered after the next slice', async () => {
  assert.equal(await answeredWhenReadInLastRound(false), false);
});

test('with KNL_TRACE, each request says how long after it was read its handler started', async () => {
  process.env.KNL_TRACE = '1';
  const client = await LspClient.start();
  delete process.env.KNL_TRACE;
  try {
    const uri = client.uriFor('interactive-trace.yaml');
    await client.open(
      uri,
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n',
    );
    await client.diagnostics(uri);
    await client.hover(uri, { line: 1, character: 2 });
    await client.waitFor(
      () => /hover: handler started [\d.]+ ms after the last read/.test(client.stderr),
      'the trace line',
    );
    const line = client.stderr.split('\n').find((l) => l.includes('hover: handler started'))!;
    const waited = Number(/started ([\d.]+) ms/.exec(line)![1]);
    // (a read time is known on stdio: the line does not say Infinity)
    assert.ok(Number.isFinite(waited) && waited >= 0, line);
  } finally {
    await client.stop();
  }
});
