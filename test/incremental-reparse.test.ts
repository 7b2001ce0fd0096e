// Typing in a large open file splits again only the documents around the edit (splitAfterEdit over
// the edits the server noted, composeEdits), and the result is the same as from scratch: the same
// chunks as splitting the whole new text, the same documents, trees, syntax errors and diagnostics as
// a parse of the new text, after any sequence of random edits (markers, comments, `...`, blank lines,
// broken YAML included).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { composeEdits, IncrementalParser, splitAfterEdit, splitFile } from '../server/src/syntax/file';
import type { TextEdit } from '../server/src/syntax/file';
import type { Chunk, ParsedDocument } from '../server/src/syntax/parse';
import { OpenDocuments } from '../server/src/lsp/documents';
import { ResourceIndex } from '../server/src/workspace/index';
import { createLanguageService } from '../server/src/service/language-service';
import { TextWorkspace } from '../server/src/service/documents';
import type { ChunkParser, IndexedChunk } from '../server/src/workspace/parse-worker';
import type { ServiceWorkspace } from '../server/src/service/types';
import { parseChunk } from '../server/src/syntax/parse';
import { precheck } from '../server/src/rules/check';
import { listenTo } from './support/open-documents';

const PIECES = [
  '---\n',
  '...\n',
  '--- # c\n',
  '# comment\n',
  '\n',
  '  \n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  ports:\n  - port: 80\n',
  'kind: ConfigMap\ndata:\n  k: "v"\n',
  'a: [1, 2\n',
  'key: value\n',
  '-- -\n',
  '----\n',
  '---',
  '...',
  'x: |\n  ---x\n  text\n',
  '\r\n',
  'name: {{ .Values.name }}\n',
  'image: "{{ $labels.x }}"\n',
  'b: }\n',
  'c: {\n',
];
const INSERTS = [
  '-',
  '--',
  '---',
  '\n',
  '---\n',
  '...\n',
  '.',
  '#',
  ' ',
  'k',
  'v: 1\n',
  '\n---\n',
  '',
  'a: b',
  '}',
  '{',
  '{{ .Values.a }}',
  '\0',
];
/** A comment over the first 64 KB of a text: the part where binary data is looked for. */
const PAD = `# ${'x'.repeat(66_000)}\n`;

const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 14 }).map((xs) => xs.join(''));
const edit = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 12 }),
  insert: fc.constantFrom(...INSERTS),
});

const chunksOf = (docs: readonly ParsedDocument[]): Chunk[] =>
  docs.map((d) => ({ start: d.base, text: d.text }));
const plain = (cs: readonly Chunk[]) =>
  cs.map((c) => ({ start: c.start, text: c.text, overflow: c.overflow }));

test('splitAfterEdit after random edits gives the chunks of splitting the whole text', () => {
  fc.assert(
    fc.property(text, fc.array(edit, { minLength: 1, maxLength: 5 }), (start, edits) => {
      let current = start;
      let chunks = splitFile(current);
      let noted: TextEdit | undefined;
      for (const e of edits) {
        const at = e.at % (current.length + 1);
        const end = Math.min(current.length, at + e.remove);
        current = current.slice(0, at) + e.insert + current.slice(end);
        noted = composeEdits(noted, at, end, e.insert.length);
      }
      // the noted edit covers every change: the texts agree outside its spans (in order, disjoint)
      let oldAt = 0;
      let newAt = 0;
      for (const s of noted!) {
        assert.ok(
          s.oldStart >= oldAt && s.newStart >= newAt && s.oldEnd >= s.oldStart && s.newEnd >= s.newStart,
        );
        assert.equal(current.slice(newAt, s.newStart), start.slice(oldAt, s.oldStart));
        oldAt = s.oldEnd;
        newAt = s.newEnd;
      }
      assert.equal(current.slice(newAt), start.slice(oldAt));
      const incremental = splitAfterEdit(current, chunks, noted!);
      const whole = splitFile(current);
      if (incremental) assert.deepEqual(plain(incremental), plain(whole));
      chunks = incremental ?? whole;
      // every chunk's text is where it says in the new text
      for (const c of chunks) assert.equal(current.slice(c.start, c.start + c.text.length), c.text);
    }),
    { numRuns: 3000, seed: 8 },
  );
});

/** A file of `n` ConfigMaps named c0, c1, … separated by `---`. */
const configMaps = (n: number): string =>
  Array.from({ length: n }, (_, i) => `kind: ConfigMap\nmetadata:\n  name: c${i}\n`).join('---\n');

test('splitAfterEdit keeps the chunks before the edit and moves those after it (same texts)', () => {
  const before = configMaps(50);
  const chunks = splitFile(before);
  const at = before.indexOf('name: c25') + 'name: c25'.length;
  const after = before.slice(0, at) + 'x\n  labels: {}' + before.slice(at);
  const got = splitAfterEdit(after, chunks, [{ oldStart: at, oldEnd: at, newStart: at, newEnd: at + 14 }])!;
  assert.deepEqual(plain(got), plain(splitFile(after)));
  for (let i = 0; i < 24; i++) assert.equal(got[i].text, chunks[i].text);
  for (let i = 27; i < 50; i++) {
    assert.equal(got[i].start, chunks[i].start + 14);
    assert.equal(got[i].text, chunks[i].text);
  }
});

test('two changes far apart in one didChange give the split of the whole text, the documents between moved', () => {
  const before = configMaps(60);
  const chunks = splitFile(before);
  // a line added in document 5 and one removed from document 50, as lspbench's completion sites do
  const at = before.indexOf('name: c5\n') + 'name: c5\n'.length;
  let after = before.slice(0, at) + '  labels: {}\n' + before.slice(at);
  const cut = after.indexOf('metadata:\n  name: c50');
  after = after.slice(0, cut) + after.slice(cut + 'metadata:\n'.length);
  let noted = composeEdits(undefined, at, at, 13);
  noted = composeEdits(noted, cut, cut + 'metadata:\n'.length, 0);
  assert.equal(noted.length, 2);
  const got = splitAfterEdit(after, chunks, noted)!;
  assert.deepEqual(plain(got), plain(splitFile(after)));
  // the documents between the two are the same texts, moved by the added line
  for (let i = 8; i < 48; i++) {
    assert.equal(got[i].text, chunks[i].text);
    assert.equal(got[i].start, chunks[i].start + 13);
  }
});

test('a document emptied of its content joins the next one: the whole text is split again', () => {
  const before = 'a: 1\n---\nb: 2\n---\nc: 3\n---\nd: 4\n---\ne: 5\n';
  const chunks = splitFile(before);
  // the first document loses its content and keeps a comment: it joins the second
  const after = '# a\n---\nb: 2\n---\nc: 3\n---\nd: 4\n---\ne: 5\n';
  const incremental = splitAfterEdit(after, chunks, [{ oldStart: 0, oldEnd: 4, newStart: 0, newEnd: 3 }]);
  assert.deepEqual(plain(incremental ?? splitFile(after)), plain(splitFile(after)));
  assert.equal(splitFile(after)[0].text, '# a\n---\nb: 2\n');
});

const positionIn = (t: string, offset: number) =>
  TextDocument.create('file:///x', 'yaml', 0, t).positionAt(offset);

/** A parser thread that parses in this thread (the OpenDocuments path without a worker). */
const inline: ChunkParser = {
  parseChunks: async (chunks: IndexedChunk[]) => chunks.map((c) => parseChunk(c, c.index)),
  dispose: () => undefined,
};

/** Trees and syntax errors of a parse, as plain data. */
function shape(docs: readonly ParsedDocument[]) {
  return docs.map((d) => ({
    base: d.base,
    index: d.index,
    text: d.text,
    root: d.root,
    errors: d.errors,
    contentStart: d.contentStart,
    skipped: d.skipped,
  }));
}

test('the open documents after random protocol edits hold the parse and diagnostics of a fresh parse of their text', async () => {
  await fc.assert(
    fc.asyncProperty(
      text,
      fc.boolean(),
      fc.array(fc.array(edit, { minLength: 1, maxLength: 3 }), { maxLength: 6 }),
      async (body, padded, batches) => {
        // (padded: the edits fall after the first 64 KB, where binary data is not looked for again)
        const pad = padded ? PAD : '';
        const start = pad + body;
        const uri = 'file:///ws/typed.yaml';
        const open = new OpenDocuments(
          new ResourceIndex(),
          () => 5 * 1024 * 1024,
          () => undefined,
          inline,
        );
        const ws: ServiceWorkspace = {
          index: open.index,
          file: (u) => open.state(u),
          positionOf: (u, o) => open.state(u)?.document.positionAt(o),
        };
        const service = createLanguageService(ws);
        const protocol = listenTo(open);
        protocol.open({ textDocument: { uri, languageId: 'yaml', version: 1, text: start } });
        let d = open.get(uri)!;
        await open.update(d);
        for (const batch of batches) {
          // one didChange of several changes, each in the coordinates of the text before it
          const changes = [];
          let current = d.getText();
          for (const e of batch) {
            const at = pad.length + (e.at % (current.length - pad.length + 1));
            const end = Math.min(current.length, at + e.remove);
            // (the text as the protocol's document model makes it: a position inside a CRLF stays before it)
            const change = {
              range: { start: positionIn(current, at), end: positionIn(current, end) },
              text: e.insert,
            };
            changes.push(change);
            current = TextDocument.update(
              TextDocument.create('file:///x', 'yaml', 0, current),
              [change],
              1,
            ).getText();
          }
          protocol.change({ textDocument: { uri, version: d.version + 1 }, contentChanges: changes });
          d = open.get(uri)!;
          assert.equal(d.getText(), current);
          await open.update(d);
          // skipped (binary, a Helm template) exactly when a fresh look at the text says so
          const skipped = precheck(current, 5 * 1024 * 1024);
          assert.deepEqual(open.state(uri)!.skipped, skipped);
          if (skipped) continue;
          const fresh = new IncrementalParser().parse(current);
          assert.deepEqual(shape(open.state(uri)!.parsed!.docs), shape(fresh.docs));
        }
        const scratch = new TextWorkspace();
        scratch.set(uri, d.getText());
        assert.deepEqual(service.doValidation(uri), createLanguageService(scratch).doValidation(uri));
      },
    ),
    { numRuns: 400, seed: 14 },
  );
});
