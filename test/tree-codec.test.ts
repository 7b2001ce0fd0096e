// A parse thread sends each tree as numbers (syntax/tree-codec.ts); the calling thread must build the
// very tree the parser gave: every kind of node, style and value, spans, and the texts of keys.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFile } from '../server/src/syntax/file';
import type { AstNode, MapNode } from '../server/src/syntax/ast';
import { heldKey, makePair, Pair } from '../server/src/syntax/ast';
import { TreeReader, TreeWriter } from '../server/src/syntax/tree-codec';
import { EVERY_KIND } from './support/yaml-kinds';

/** The trees of `docs` written and read back, as a parse thread and the calling thread would. */
function roundTrip(docs: { root: AstNode | null; text: string }[], share?: (s: string) => string) {
  const writer = new TreeWriter();
  for (const d of docs) writer.document(d.root, d.text);
  // (through a structured clone and a moved buffer, as postMessage sends it)
  const sent = writer.finish();
  const received = structuredClone(sent, { transfer: [sent.words.buffer as ArrayBuffer] });
  const reader = new TreeReader(received, share);
  return docs.map((d) => reader.document(d.text));
}

test('every kind of YAML node comes back as the parser made it', () => {
  const text =
    EVERY_KIND +
    ['---', '# only a comment', '---', 'just a scalar', '---', 'broken: [unclosed', ''].join('\n');
  const file = parseFile(text);
  assert.ok(file.docs.length >= 4);
  assert.ok(file.docs.some((d) => d.root === null) || file.docs.some((d) => d.errors.length > 0));
  const back = roundTrip(file.docs);
  file.docs.forEach((d, i) => assert.deepStrictEqual(back[i], d.root, `document ${i}`));
  // (the special numbers keep their identity: NaN, infinities, negative zero)
  const data = (back[0] as MapNode).pairs.find((p) => p.keyText === 'data')!.value as MapNode;
  const value = (key: string) =>
    (data.pairs.find((p) => p.keyText === key)!.value as { value: unknown }).value;
  assert.ok(Number.isNaN(value('nan')));
  assert.equal(value('ninf'), -Infinity);
  assert.ok(Object.is(value('zero'), -0));
});

test('strings that are not the text at their span, and key texts of their own, are kept', () => {
  const text = 'a: b';
  const root: MapNode = {
    type: 'map',
    start: 0,
    end: 4,
    flow: false,
    pairs: [
      // a keyText the key would not give
      makePair({ type: 'scalar', start: 0, end: 1, value: 'a', source: 'a', style: 'plain' }, 'other', {
        type: 'scalar',
        start: 3,
        end: 4,
        value: 'not b',
        source: 'b',
        style: 'plain',
      }),
      // no keyText although the key has a value, and a source that is not the text at its span
      makePair(
        { type: 'scalar', start: 0, end: 1, value: 7, source: 'seven', style: 'double' },
        undefined,
        null,
      ),
      makePair({ type: 'scalar', start: 3, end: 4, value: 'same', source: 'same', style: 'single' }, 'same', {
        type: 'alias',
        start: 3,
        end: 4,
        name: 'anchor',
      }),
      // a key of plain text that is not the text at its span, held as its text
      makePair({ type: 'scalar', start: 0, end: 1, value: 'b', source: 'b', style: 'plain' }, 'b', null),
    ],
  };
  const [back] = roundTrip([{ root, text }]);
  assert.deepStrictEqual(back, root);
});

test('with a table of shared strings, equal short strings of the trees become one', () => {
  const text = 'name: web\nother: web\n';
  const file = parseFile(text);
  const table = new Map<string, string>();
  const share = (s: string) => table.get(s) ?? (table.set(s, s), s);
  const [a] = roundTrip(file.docs, share);
  const [b] = roundTrip(file.docs, share);
  assert.deepStrictEqual(a, file.docs[0].root);
  const values = (t: AstNode | null) =>
    (t as MapNode).pairs.map((p) => (p.value as { value: unknown }).value);
  // the same string object across both trees (the table's), keys included
  assert.ok(values(a)[0] === values(b)[1]);
  assert.ok(table.has('web') && table.has('name'));
});

test('a key of plain text is held as its text: its node is made when read, the same at every read', () => {
  const text = 'name: web\n"quoted": 1\n80: http\n';
  const root = parseFile(text).docs[0].root as MapNode;
  const [name, quoted, port] = root.pairs;
  assert.ok(name instanceof Pair && name.keyIsText);
  assert.equal(heldKey(name), undefined);
  assert.deepStrictEqual(name.key, {
    type: 'scalar',
    start: 0,
    end: 4,
    value: 'name',
    source: 'name',
    style: 'plain',
  });
  assert.equal(name.key, name.key);
  assert.deepStrictEqual([name.start, name.end], [0, 9]);
  // (any other key is kept as parsed)
  assert.ok(quoted instanceof Pair && !quoted.keyIsText);
  assert.deepStrictEqual(heldKey(quoted), {
    type: 'scalar',
    start: 10,
    end: 18,
    value: 'quoted',
    source: '"quoted"',
    style: 'double',
  });
  assert.ok(port instanceof Pair && !port.keyIsText && port.keyText === '80');
  assert.equal((port.key as { value: unknown }).value, 80);
  // and the thread's tree holds it the same way
  const [back] = roundTrip([{ root, text }]);
  const again = (back as MapNode).pairs[0];
  assert.ok(again instanceof Pair && again.keyIsText);
  assert.deepStrictEqual(back, parseFile(text).docs[0].root);
});
