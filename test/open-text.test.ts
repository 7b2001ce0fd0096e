// The server holds an open document's text in pieces (lsp/open-text.ts) so that a keystroke does not
// copy a large text; everything a caller sees must be what the protocol library's TextDocument gives:
// the text, any range of it, positions, offsets and the line count, after any sequence of
// incremental and whole-text changes (line breaks \n, \r\n and \r, edits across pieces, ranges given
// backwards or past the end of a line).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { PieceTextDocument } from '../server/src/lsp/open-text';

const ALPHABET = ['a', 'b', ' ', '-', ':', '\n', '\r\n', '\r', '}}', 'xyz\n'];
const textArb = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 60 }).map((xs) => xs.join(''));
const positionArb = fc.record({
  line: fc.integer({ min: -1, max: 25 }),
  character: fc.integer({ min: -1, max: 12 }),
});
const changeArb: fc.Arbitrary<TextDocumentContentChangeEvent> = fc.oneof(
  {
    weight: 9,
    arbitrary: fc.record({ range: fc.record({ start: positionArb, end: positionArb }), text: textArb }),
  },
  { weight: 1, arbitrary: fc.record({ text: textArb }) },
);

function same(
  piece: PieceTextDocument,
  lib: TextDocument,
  probes: { line: number; character: number }[],
): void {
  const text = lib.getText();
  assert.equal(piece.getText(), text);
  assert.equal(piece.length, text.length);
  assert.equal(piece.lineCount, lib.lineCount);
  assert.equal(piece.version, lib.version);
  for (let o = -1; o <= text.length + 1; o++)
    assert.deepEqual(piece.positionAt(o), lib.positionAt(o), `positionAt(${o})`);
  for (const p of probes) {
    assert.equal(piece.offsetAt(p), lib.offsetAt(p), `offsetAt(${JSON.stringify(p)})`);
    const range = { start: probes[0], end: p };
    assert.equal(piece.getText(range), lib.getText(range));
  }
  for (let a = 0; a <= text.length; a += 3)
    for (let b = a; b <= text.length + 2; b += 5) assert.equal(piece.slice(a, b), text.slice(a, b));
}

test('a text held in pieces reads as the library TextDocument after random changes', () => {
  fc.assert(
    fc.property(
      textArb,
      fc.integer({ min: 1, max: 7 }),
      fc.array(fc.array(changeArb, { minLength: 1, maxLength: 3 }), { maxLength: 12 }),
      fc.array(positionArb, { minLength: 1, maxLength: 8 }),
      (initial, pieceChars, events, probes) => {
        const piece = new PieceTextDocument('file:///a.yaml', 'yaml', 1, initial, pieceChars);
        let lib = TextDocument.create('file:///a.yaml', 'yaml', 1, initial);
        same(piece, lib, probes);
        let version = 1;
        for (const changes of events) {
          version++;
          // (the server applies one change at a time, as lsp/documents.ts does; a client sends lines
          // of the document only, a character past a line's end is allowed)
          for (const change of changes) {
            const inText = (q: { line: number; character: number }) => ({
              line: Math.min(Math.max(q.line, 0), lib.lineCount - 1),
              character: q.character,
            });
            const c =
              'range' in change
                ? {
                    range: { start: inText(change.range.start), end: inText(change.range.end) },
                    text: change.text,
                  }
                : change;
            piece.update([c], version);
            lib = TextDocument.update(lib, [c], version);
          }
          same(piece, lib, probes);
        }
      },
    ),
    { numRuns: 400 },
  );
});

test('a large text is read in pieces: an edit in the middle leaves the rest of the text as it was', () => {
  const line = 'metadata:\n  name: x\n';
  const initial = line.repeat(20_000);
  const doc = PieceTextDocument.create('file:///big.yaml', 'yaml', 1, initial);
  const lib = TextDocument.create('file:///big.yaml', 'yaml', 1, initial);
  const at = { line: 20_001, character: 8 };
  for (const [v, text] of [
    [2, 'y'],
    [3, '\n  more: 1'],
  ] as const) {
    const change = { range: { start: at, end: { line: at.line, character: 9 } }, text };
    doc.update([change], v);
    TextDocument.update(lib, [change], v);
  }
  assert.equal(doc.getText(), lib.getText());
  assert.equal(doc.lineCount, lib.lineCount);
  const offset = lib.offsetAt(at);
  assert.equal(doc.slice(offset - 10, offset + 20), lib.getText().slice(offset - 10, offset + 20));
  assert.deepEqual(doc.positionAt(initial.length - 3), lib.positionAt(initial.length - 3));
});
