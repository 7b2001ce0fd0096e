// The server's parser thread (workspace/parse-worker.ts) sends its trees as numbers
// (syntax/tree-codec.ts) and the rest of each document cloned; the server's thread rebuilds each
// document. What it rebuilds must be what parseChunk() gives in the server's thread: every kind of
// node, value and style, spans, syntax errors and warnings, the caps on errors and on broken trees,
// skip notices, empty documents, and the same properties in the same order (one shape per kind).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { IncrementalParser } from '../server/src/syntax/file';
import { DEFAULT_PARSE_LIMITS, parseChunk } from '../server/src/syntax/parse';
import type { ParsedDocument } from '../server/src/syntax/parse';
import { ParseWorker } from '../server/src/workspace/parse-worker';
import * as A from './support/adversarial';

const ENTRY = path.resolve(__dirname, '..', 'dist', 'parse-thread.js');
const built = existsSync(ENTRY);
const workers: ParseWorker[] = [];
after(() => {
  for (const w of workers) w.dispose();
});

function worker(): ParseWorker {
  const w = new ParseWorker({ entry: ENTRY });
  workers.push(w);
  return w;
}

/** Every property name of `value` and of everything in it, in the order met: two values with the
 * same outline were built with their properties in the same order. */
function outline(value: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      out.push(`[${v.length}`);
      v.forEach(walk);
      out.push(']');
    } else if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v);
      out.push(`{${keys.join(',')}`);
      for (const k of keys) walk((v as Record<string, unknown>)[k]);
      out.push('}');
    } else out.push(typeof v);
  };
  walk(value);
  return out.join(' ');
}

const EVERY_KIND = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata: {name: "demo", labels: {app: web, tier: \'front\'}}',
  'data:',
  '  plain: hello world',
  '  quoted: "tab\\there"',
  "  single: 'it''s'",
  '  block: |',
  '    line one',
  '  folded: >-',
  '    folded',
  '    text',
  '  number: 8080',
  '  float: 1.5e3',
  '  hex: 0x1F',
  '  inf: .inf',
  '  ninf: -.inf',
  '  nan: .nan',
  '  zero: -0.0',
  '  yes: true',
  '  no: false',
  '  nothing: null',
  '  tilde: ~',
  '  empty:',
  '  list: [a, "b", 3, {c: d}]',
  '  anchored: &anchor {x: 1}',
  '  alias: *anchor',
  '  ? complex key',
  '  : complex value',
  '  ? [flow, key]',
  '  : value',
  '  80: numeric key',
  '  true: boolean key',
  '  null: null key',
  '  tagged: !custom value',
  '  seq:',
  '  - one',
  '  - - nested',
  '    - deeper',
  '  - key: value',
  '    other: 2',
  '',
].join('\n');

/** Documents that cover the error cases: broken YAML, duplicate keys, more errors than the cap, a
 * broken document too large to keep its tree, one nested too deep, empty ones. */
const CASES = [
  EVERY_KIND,
  'a: [1, 2\nb: {\n',
  'key: value\nkey: again\nlist:\n- x\n- x\n',
  A.manyErrors(300).text,
  A.repeatedBrokenLine(120_000).text,
  A.deepFlow(500).text,
  '# only a comment\n',
  '',
  '\n\n',
  'just a scalar\n',
  '- &a [1, 2]\n- *a\n- *missing\n',
  '"unterminated\n',
];

test(
  "the parser thread's documents are parseChunk()'s in this thread: every kind of node, every error case, the same shapes",
  { skip: !built && 'dist/parse-thread.js not built' },
  async () => {
    const text = CASES.join('---\n');
    const missing = new IncrementalParser().missing(text);
    assert.equal(missing.chunks.length, CASES.length);
    const fromThread = await worker().parseChunks(missing.chunks);
    const here: ParsedDocument[] = missing.chunks.map((c) => parseChunk(c, c.index));
    assert.deepStrictEqual(fromThread, here);
    assert.equal(outline(fromThread), outline(here));
    // the cases are what they claim to be
    assert.ok(here[1].errors.length > 0, 'broken');
    assert.ok(here[2].errors.some((e) => e.code === 'DUPLICATE_KEY'));
    assert.equal(here[3].errors.length, DEFAULT_PARSE_LIMITS.maxErrors + 1, 'errors capped, with a note');
    assert.ok(here[4].errors.length > 0 && here[4].root === null, 'a broken tree too large to keep');
    assert.ok(here[5].skipped, 'too deep: a notice');
    // the text is the chunk's own (put back, not a copy sent back)
    fromThread.forEach((d, i) => assert.equal(d.text, missing.chunks[i].text));
  },
);

test(
  "a request's own limits are the ones the thread parses with (the server's thread's, for documents it hands over)",
  { skip: !built && 'dist/parse-thread.js not built' },
  async () => {
    const limits = { ...DEFAULT_PARSE_LIMITS, maxErrors: 3, maxDepth: 4 };
    const text = [A.manyErrors(50).text, '{a: {b: {c: {d: {e: 1}}}}}\n', EVERY_KIND].join('---\n');
    const chunks = new IncrementalParser().missing(text).chunks;
    const fromThread = await worker().parseChunks(chunks, limits);
    const here = chunks.map((c) => parseChunk(c, c.index, limits));
    assert.deepStrictEqual(fromThread, here);
    assert.equal(here[0].errors.length, 4);
    assert.ok(here[1].skipped);
  },
);
