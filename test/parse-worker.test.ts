// The server's parser thread (workspace/parse-worker.ts) sends its trees as numbers
// (syntax/tree-codec.ts) and the rest of each document cloned; the server's thread rebuilds each
// document. What it rebuilds must be what parseChunk() gives in the server's thread: every kind of
// node, value and style, spans, syntax errors and warnings, the caps on errors and on broken trees,
// skip notices, empty documents, and the same properties in the same order (one shape per kind).
// A large opened text has its small documents shared between the server's thread and the parser
// thread (lsp/documents.ts parseInTurns): the parse and the diagnostics are those of one thread,
// also when an edit comes meanwhile or the thread dies.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { IncrementalParser } from '../server/src/syntax/file';
import { DEFAULT_PARSE_LIMITS, DOCUMENT_TOO_COMPLEX, parseChunk } from '../server/src/syntax/parse';
import type { ParsedDocument, ParseLimits } from '../server/src/syntax/parse';
import { ShareClaims } from '../server/src/workspace/parse-worker';
import type { ParseWorker } from '../server/src/workspace/parse-worker';
import type { ChunkParser, IndexedChunk } from '../server/src/workspace/parse-worker';
import { ResourceIndex } from '../server/src/workspace/index';
import { SHARE_BYTES, SYNC_PARSE_BYTES } from '../server/src/lsp/documents';
import { TextWorkspace } from '../server/src/service/documents';
import { createLanguageService } from '../server/src/service/language-service';
import * as A from './support/adversarial';
import { drivenDocuments } from './support/open-documents';
import { HEAP_BOMB, UNBOUNDED_LIMITS, parseThreadBuilt as built, worker } from './support/parse-thread';
import { EVERY_KIND } from './support/yaml-kinds';

/** Start `w`'s thread and wait until it takes shares (it has no warm-up texts: at once). */
async function warm(w: ParseWorker): Promise<ParseWorker> {
  w.start();
  while (!w.warm) await new Promise((r) => setTimeout(r, 5));
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
  // merge keys (a map's own keys, merged ones from an anchor, a list of merges), an alias as a key
  'base: &b {x: 1, y: 2}\nk: &k key\nm:\n  x: 0\n  <<: [*b, {z: 3}]\n  w: *b\n*k : v\n',
  // refused as kubectl refuses them: a merge of a scalar, too many aliases
  'a: &a 1\nm:\n  <<: *a\n',
  A.aliasBomb(10).text,
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
    const n = CASES.length;
    assert.ok(
      here[n - 3].aliases?.length === 3 && here[n - 3].errors.every((e) => e.warning),
      'merged, with its aliases',
    );
    assert.ok(here[n - 2].errors.some((e) => e.code === 'MERGE_VALUE'));
    assert.ok(here[n - 1].errors.some((e) => e.code === 'EXCESSIVE_ALIASING') && here[n - 1].root === null);
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

const service = (i: number, name = 'web') =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}-${i % 700}\nspec:\n  selector:\n    app: web-${i % 7}\n  ports:\n  - port: ${80 + (i % 3)}\n    targetPort: http\n`;

/** A large text of small documents (more than SHARE_BYTES of them, so shared with the parser
 * thread), with broken ones, duplicate keys, duplicate objects and one document over
 * SYNC_PARSE_BYTES among them. */
function largeText(): string {
  const docs: string[] = [];
  for (let i = 0; i < 900; i++) {
    if (i % 97 === 5) docs.push('a: [1, 2\nb: {\n');
    else if (i % 89 === 7) docs.push(`${service(i)}  selector:\n    again: x\n`);
    else if (i === 450)
      docs.push(
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${Array.from({ length: 400 }, (_, k) => `  key${k}: value-${k}-0123456789\n`).join('')}`,
      );
    else docs.push(service(i));
  }
  const text = docs.join('---\n');
  const small = docs.filter((d) => d.length <= SYNC_PARSE_BYTES);
  assert.ok(small.reduce((n, d) => n + d.length, 0) >= SHARE_BYTES, 'the small documents are shared');
  assert.ok(docs.some((d) => d.length > SYNC_PARSE_BYTES));
  return text;
}

/** What a parse in one thread gives: the documents and the diagnostics. */
function oneThread(uri: string, text: string) {
  const workspace = new TextWorkspace(new ResourceIndex(), () => 16 * 1024 * 1024);
  workspace.set(uri, text);
  return {
    docs: workspace.file(uri)!.parsed!.docs,
    diagnostics: createLanguageService(workspace).doValidation(uri),
  };
}

/** A parser thread that takes the upper half of every share at once (so which side parses what is
 * known), parses it on the real thread, and answers when released (or at once). */
class HalfShare implements ChunkParser {
  shares: { chunks: IndexedChunk[]; claims: ShareClaims; mine: number[] }[] = [];
  private waiting: (() => void)[] = [];
  constructor(
    private readonly thread: ParseWorker,
    private readonly hold = false,
  ) {}
  parseChunks(chunks: IndexedChunk[], limits?: ParseLimits): Promise<ParsedDocument[]> {
    return this.thread.parseChunks(chunks, limits);
  }
  async share(chunks: IndexedChunk[], claims: ShareClaims, limits?: ParseLimits) {
    const mine: number[] = [];
    for (let i = chunks.length - 1; i >= chunks.length >> 1; i--)
      if (Atomics.compareExchange(claims.words, i, 0, ShareClaims.THREAD) === 0) mine.push(i);
    this.shares.push({ chunks, claims, mine });
    if (this.hold) await new Promise<void>((resolve) => this.waiting.push(resolve));
    const docs = await this.thread.parseChunks(
      mine.map((i) => chunks[i]),
      limits,
    );
    const out: (ParsedDocument | undefined)[] = new Array(chunks.length);
    mine.forEach((i, k) => (out[i] = docs[k]));
    return out;
  }
  release(): void {
    for (const w of this.waiting.splice(0)) w();
  }
  dispose(): void {}
}

test(
  'a large opened text whose small documents are parsed half here and half on the parser thread: the parse and the diagnostics of one thread',
  { skip: !built && 'dist/parse-thread.js not built' },
  async () => {
    const text = largeText();
    const uri = 'file:///large.yaml';
    const half = new HalfShare(worker());
    const { docs, open } = drivenDocuments(half, 16 * 1024 * 1024);
    const pending = docs.update(open(uri, text));
    assert.ok(pending instanceof Promise);
    assert.equal(await pending, true);
    assert.equal(half.shares.length, 1);
    assert.ok(half.shares[0].mine.length > 400, 'the thread parsed the upper half');
    const ref = oneThread(uri, text);
    const parsed = docs.file(uri)!.parsed!.docs;
    assert.deepStrictEqual(parsed, ref.docs);
    assert.equal(outline(parsed), outline(ref.docs));
    const diagnostics = createLanguageService(docs).doValidation(uri);
    assert.deepStrictEqual(diagnostics, ref.diagnostics);
    assert.ok(diagnostics.length > 10, `${diagnostics.length} diagnostics`);
  },
);

test(
  'the real parser thread shares a large opened text (whatever part it takes): the same parse and diagnostics as one thread',
  { skip: !built && 'dist/parse-thread.js not built' },
  async () => {
    const text = largeText();
    const uri = 'file:///large.yaml';
    const w = await warm(worker());
    const { docs, open } = drivenDocuments(w, 16 * 1024 * 1024);
    assert.equal(await docs.update(open(uri, text)), true);
    const ref = oneThread(uri, text);
    assert.deepStrictEqual(docs.file(uri)!.parsed!.docs, ref.docs);
    assert.deepStrictEqual(createLanguageService(docs).doValidation(uri), ref.diagnostics);
  },
);

test(
  'an edit that comes while the parser thread still parses its share: the edited text is parsed right',
  { skip: !built && 'dist/parse-thread.js not built' },
  async () => {
    const text = largeText();
    const uri = 'file:///large.yaml';
    const half = new HalfShare(worker(), true);
    const { docs, open, change } = drivenDocuments(half, 16 * 1024 * 1024);
    const first = docs.update(open(uri, text));
    // this thread parses its half (up to the first chunk the thread took), then waits for the thread's
    while (half.shares.length === 0) await new Promise((r) => setImmediate(r));
    const { claims, mine } = half.shares[0];
    const last = mine[mine.length - 1] - 1;
    while (claims.owner(last) !== ShareClaims.HERE) await new Promise((r) => setImmediate(r));
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    const edited = text
      .replace('name: web-3\n', 'name: web-3x\n')
      .replace('name: web-600\n', 'name: web-600x\n');
    assert.notEqual(edited, text);
    const second = docs.update(change(uri, 2, edited));
    half.release();
    assert.equal(await first, false, 'the first version was overtaken');
    assert.equal(await second, true);
    assert.equal(docs.file(uri)?.document.version, 2);
    const ref = oneThread(uri, edited);
    assert.deepStrictEqual(docs.file(uri)!.parsed!.docs, ref.docs);
    assert.deepStrictEqual(createLanguageService(docs).doValidation(uri), ref.diagnostics);
    assert.ok(docs.index.find('Service', 'default', 'web-600x')[0]);
    assert.equal(
      docs.index.find('Service', 'default', 'web-3')[0]?.uri,
      uri,
      'web-3 is still in another document',
    );
  },
);

test(
  'a share on the real thread: the thread parses from the last chunk down what nobody claimed, and nothing once the caller claimed the rest',
  { skip: !built && 'dist/parse-thread.js not built' },
  async () => {
    const text = Array.from({ length: 40 }, (_, i) => service(i)).join('---\n');
    const chunks = new IncrementalParser().missing(text).chunks;
    const w = await warm(worker());
    // the caller has the first 10
    const claims = new ShareClaims(chunks.length);
    for (let i = 0; i < 10; i++) assert.ok(claims.claim(i));
    const docs = (await w.share(chunks, claims))!;
    for (let i = 0; i < chunks.length; i++) {
      if (i < 10) assert.equal(docs[i], undefined);
      else {
        assert.equal(claims.owner(i), ShareClaims.THREAD);
        assert.deepStrictEqual(docs[i], parseChunk(chunks[i], chunks[i].index));
      }
    }
    const none = new ShareClaims(chunks.length);
    none.claimRest(0);
    const nothing = (await w.share(chunks, none))!;
    assert.equal(nothing.filter((d) => d !== undefined).length, 0);
  },
);

test(
  'the parser thread dying in a share: the document it was on gets the notice, the caller parses the ones it did not answer',
  { skip: !built && 'dist/parse-thread.js not built' },
  async () => {
    const unbounded = UNBOUNDED_LIMITS;
    const logged: string[] = [];
    const w = await warm(worker({ maxHeapMb: 32, limits: unbounded, log: (m) => logged.push(m) }));
    const bomb = HEAP_BOMB;
    const text = [service(1), bomb, service(2), service(3)].join('---\n');
    const chunks = new IncrementalParser().missing(text).chunks;
    const docs = (await w.share(chunks, new ShareClaims(chunks.length), unbounded))!;
    assert.equal(docs[0], undefined, 'never claimed: the caller parses it');
    assert.equal(docs[1]?.skipped?.ruleId, DOCUMENT_TOO_COMPLEX);
    assert.match(docs[1]?.skipped?.message ?? '', /needed more than the 32 MB of memory/);
    for (const i of [2, 3])
      if (docs[i]) assert.deepStrictEqual(docs[i], parseChunk(chunks[i], chunks[i].index, unbounded));
    assert.ok(
      logged.some((m) => /ran out of memory on document 2/.test(m)),
      logged.join('\n'),
    );
    // a new thread takes the next request
    const again = await w.parseChunks(new IncrementalParser().missing(service(4)).chunks);
    assert.ok(again[0].root);
  },
);

test(
  'the parser thread dying while a large opened text is shared: the document it was on gets the notice, every other document is parsed as in one thread',
  { skip: !built && 'dist/parse-thread.js not built' },
  async () => {
    // the parser thread runs out of memory on a document over SYNC_PARSE_BYTES (its limits lifted)
    const unbounded = UNBOUNDED_LIMITS;
    const w = await warm(worker({ maxHeapMb: 32, limits: unbounded }));
    const bomb = HEAP_BOMB;
    const text = `${largeText()}---\n${bomb}`;
    const uri = 'file:///large.yaml';
    const { docs, open } = drivenDocuments(w, 16 * 1024 * 1024);
    assert.equal(await docs.update(open(uri, text)), true);
    const parsed = docs.file(uri)!.parsed!.docs;
    const ref = oneThread(uri, text);
    assert.equal(parsed.length, ref.docs.length);
    assert.deepStrictEqual(parsed.slice(0, -1), ref.docs.slice(0, -1));
    assert.match(parsed[parsed.length - 1].skipped?.message ?? '', /needed more than the 32 MB of memory/);
  },
);

test(
  'a parser thread still running cold code takes no share; once warm (its warm-up done) it does',
  { skip: !built && 'dist/parse-thread.js not built' },
  async () => {
    const chunks = new IncrementalParser().missing(
      Array.from({ length: 40 }, (_, i) => service(i)).join('---\n'),
    ).chunks;
    const w = worker({
      warmUp: Array.from({ length: 4 }, () => EVERY_KIND.repeat(20).replace(/\n  /g, '\n  k')),
    });
    assert.equal(w.share(chunks, new ShareClaims(chunks.length)), undefined, 'no thread yet');
    w.start();
    assert.equal(w.warm, false);
    assert.equal(w.share(chunks, new ShareClaims(chunks.length)), undefined, 'warming up');
    while (!w.warm) await new Promise((r) => setTimeout(r, 5));
    const docs = await w.share(chunks, new ShareClaims(chunks.length));
    assert.ok(docs);
    assert.deepStrictEqual(
      docs,
      chunks.map((c) => parseChunk(c, c.index)),
    );
  },
);
