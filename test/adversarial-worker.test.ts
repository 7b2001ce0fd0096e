// Parsing off the server's thread (issue 9): a large new text is parsed on the parser thread
// (workspace/parse-worker.ts) while the server's thread stays free for other documents, the result
// is the same as a parse in the server's thread, and a document that exhausts the parser thread's
// heap gets one notice while the rest of the file is parsed and the server goes on. No time is
// asserted: what the server's thread does is observed (did update() hand the parse over or not).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { IncrementalParser, parseFile } from '../server/src/syntax/file';
import { DEFAULT_PARSE_LIMITS, DOCUMENT_TIME_BUDGET, DOCUMENT_TOO_COMPLEX } from '../server/src/syntax/parse';
import { languageSettings, normalizeSettings } from '../server/src/lsp/settings';
import type { ParsedDocument } from '../server/src/syntax/parse';
import type { ChunkParser, IndexedChunk } from '../server/src/workspace/parse-worker';
import { SPLIT_IN_TURNS_CHARS, SYNC_PARSE_BYTES } from '../server/src/lsp/documents';
import { createLanguageService } from '../server/src/service/language-service';
import * as A from './support/adversarial';
import { drivenDocuments } from './support/open-documents';
import { HEAP_BOMB, UNBOUNDED_LIMITS, parseThreadBuilt as built, worker } from './support/parse-thread';

const service = (i: number) => `apiVersion: v1
kind: Service
metadata:
  name: web-${i}
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: http
`;

test(
  'the parser thread gives the documents a parse in this thread gives (errors, skip notices and all)',
  { skip: !built && 'dist/parse-thread.js not built' },
  async () => {
    const text = [
      service(1),
      'a: [1, 2\nb: {\n',
      A.deepFlow(500).text,
      service(2),
      'key: value\nkey: again\n',
    ].join('---\n');
    const parser = new IncrementalParser();
    const missing = parser.missing(text);
    assert.equal(missing.chunks.length, 5);
    const docs = await worker().parseChunks(missing.chunks);
    const fromWorker = parser.parse(text, new Map(missing.chunks.map((c, i) => [c.index, docs[i]])));
    const here = parseFile(text);
    assert.deepEqual(fromWorker.docs, here.docs);
    assert.ok(here.docs[1].errors.length > 0, 'the broken document has syntax errors');
    assert.equal(here.docs[2].skipped?.ruleId, DOCUMENT_TOO_COMPLEX);
    assert.equal(here.docs[4].errors[0].code, 'DUPLICATE_KEY');
  },
);

test(
  "a document that exhausts the parser thread's heap gets one notice; the documents around it are parsed and the parser goes on",
  { skip: !built && 'dist/parse-thread.js not built' },
  async () => {
    // limits lifted so that only the heap stops this flow sequence of 3 million items
    const unbounded = UNBOUNDED_LIMITS;
    const logged: string[] = [];
    const w = worker({ maxHeapMb: 32, limits: unbounded, log: (m) => logged.push(m) });
    const bomb = HEAP_BOMB;
    const text = [service(1), bomb, service(2)].join('---\n');
    const chunks: IndexedChunk[] = new IncrementalParser().missing(text).chunks;
    const docs = await w.parseChunks(chunks);
    assert.equal(docs.length, 3);
    assert.ok(docs[0].root && !docs[0].skipped, 'the document before is parsed');
    assert.ok(docs[2].root && !docs[2].skipped, 'the document after is parsed');
    const notice = docs[1].skipped;
    assert.ok(notice, 'the document gets a notice');
    assert.equal(notice.ruleId, DOCUMENT_TOO_COMPLEX);
    assert.match(notice.message, /needed more than the 32 MB of memory allowed to the parser/);
    assert.equal(
      docs[1].text.slice(notice.start, notice.end),
      'i',
      'the notice is on the first character after the --- line',
    );
    assert.ok(
      logged.some((m) => /ran out of memory/.test(m)),
      logged.join('\n'),
    );
    // a fresh thread answers the next request
    const again = await w.parseChunks(new IncrementalParser().missing(service(3)).chunks);
    assert.equal(again.length, 1);
    assert.ok(again[0].root);
  },
);

/** A parser that records what it was asked and answers when told to (the test drives the order). */
class HeldParser implements ChunkParser {
  asked: IndexedChunk[][] = [];
  private waiting: (() => void)[] = [];
  parseChunks(chunks: IndexedChunk[]): Promise<ParsedDocument[]> {
    if (chunks.length === 0) return Promise.resolve([]);
    this.asked.push(chunks);
    return new Promise((resolve) =>
      this.waiting.push(() => resolve(chunks.map((c) => parseFile(c.text).docs[0]))),
    );
  }
  release(): void {
    for (const w of this.waiting.splice(0)) w();
  }
  dispose(): void {}
}

/** A ConfigMap larger than SYNC_PARSE_BYTES (it goes to the parser thread), then `count` Services
 * (small documents: parsed in the server's thread, a few at a time). */
function many(count: number, name = 'web'): string {
  const big = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}-big\ndata:\n${Array.from({ length: 400 }, (_, i) => `  key${i}: value-${i}-0123456789\n`).join('')}`;
  assert.ok(big.length > SYNC_PARSE_BYTES);
  return [big, ...Array.from({ length: count }, (_, i) => service(i).replace('web-', `${name}-`))].join(
    '---\n',
  );
}

test('a large new text is parsed on the parser thread; meanwhile the other documents answer and this one waits', async () => {
  const held = new HeldParser();
  const { docs, open, change } = drivenDocuments(held, 5 * 1024 * 1024);
  const ls = createLanguageService(docs);
  const small = open('file:///small.yaml', service(9999));
  assert.equal(docs.update(small), true, 'a small file is parsed at once');
  const text = many(200);
  assert.ok(text.length > SYNC_PARSE_BYTES);
  const big = open('file:///big.yaml', text);
  const pending = docs.update(big);
  assert.ok(pending instanceof Promise, 'the big file goes to the parser thread');
  await new Promise((r) => setImmediate(r));
  assert.equal(held.asked.length, 1);
  assert.deepEqual(
    held.asked[0].map((c) => c.index),
    [0],
    'the large ConfigMap went to the parser thread',
  );
  // the small document answers; the big one gives no answer from a parse it does not have yet
  assert.match(JSON.stringify(ls.doHover(small.uri, { line: 1, character: 7 })), /Service/);
  assert.equal(
    docs.index.find('Service', 'default', 'web-150')[0],
    undefined,
    'the big file is not entered yet',
  );
  assert.equal(docs.file(big.uri), undefined);
  assert.equal(ls.doHover(big.uri, { line: 1, character: 7 }), null);
  held.release();
  assert.equal(await pending, true);
  assert.equal(docs.file(big.uri)?.parsed?.docs.length, 201);
  assert.equal(docs.index.find('ConfigMap', 'default', 'web-big')[0]?.uri, big.uri);
  assert.equal(docs.index.find('Service', 'default', 'web-150')[0]?.uri, big.uri);
  assert.match(JSON.stringify(ls.doHover(big.uri, { line: 1, character: 7 })), /ConfigMap/);

  // one keystroke re-parses one document, here
  const edited = change(big.uri, 2, text.replace('name: web-150', 'name: web-15x'));
  assert.equal(docs.update(edited), true);
  assert.equal(held.asked.length, 1, 'nothing more went to the parser thread');
  assert.ok(docs.index.find('Service', 'default', 'web-15x')[0]);
});

test('a large new text: split in turns, its large documents parsed on the parser thread in groups, the same parse as here', async () => {
  const held = new HeldParser();
  const { docs, open } = drivenDocuments(held, 5 * 1024 * 1024);
  const ls = createLanguageService(docs);
  const small = open('file:///small.yaml', service(9999));
  assert.equal(docs.update(small), true);
  const configMap = (i: number) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big-${i}\ndata:\n${Array.from({ length: 300 }, (_, k) => `  key${k}: value-${k}-0123456789\n`).join('')}`;
  assert.ok(configMap(0).length > SYNC_PARSE_BYTES);
  const count = Math.ceil(SPLIT_IN_TURNS_CHARS / configMap(0).length) + 2;
  const text = Array.from({ length: count }, (_, i) => configMap(i)).join('---\n');
  assert.ok(text.length > SPLIT_IN_TURNS_CHARS);
  const big = open('file:///big.yaml', text);
  const pending = docs.update(big);
  assert.ok(pending instanceof Promise);
  assert.equal(held.asked.length, 0, 'not even split before the event loop had a turn');
  // the other document answers meanwhile
  assert.match(JSON.stringify(ls.doHover(small.uri, { line: 1, character: 7 })), /Service/);
  let settled = false;
  void pending.then(() => (settled = true));
  while (!settled && held.asked.flat().length < count) await new Promise((r) => setImmediate(r));
  assert.ok(held.asked.length > 1, `${held.asked.length} requests`);
  assert.ok(held.asked.every((g) => g.reduce((n, c) => n + c.text.length, 0) < 300 * 1024));
  assert.deepEqual(
    held.asked.flat().map((c) => c.index),
    Array.from({ length: count }, (_, i) => i),
    'every document, in order',
  );
  assert.equal(docs.file(big.uri), undefined, 'no answer from a parse not entered yet');
  held.release();
  assert.equal(await pending, true);
  const here = parseFile(text);
  assert.equal(docs.file(big.uri)?.parsed?.docs.length, count);
  assert.deepEqual(
    docs.file(big.uri)?.parsed?.docs.map((d) => [d.base, d.index, d.text]),
    here.docs.map((d) => [d.base, d.index, d.text]),
  );
  assert.equal(docs.index.find('ConfigMap', 'default', `big-${count - 1}`)[0]?.uri, big.uri);
});

test('a large new text of one document: a request that came with it is answered before the text goes to the parser thread', async () => {
  const held = new HeldParser();
  const { docs, open } = drivenDocuments(held, 5 * 1024 * 1024);
  const text = A.hugeFlowSequence(600_000).text;
  assert.ok(text.length > SPLIT_IN_TURNS_CHARS);
  const pending = docs.update(open('file:///big.yaml', text));
  assert.ok(pending instanceof Promise);
  // (the protocol library dispatches a message read meanwhile from a setImmediate)
  const handedOver: number[] = [];
  setImmediate(() => handedOver.push(held.asked.length));
  while (held.asked.length === 0) await new Promise((r) => setImmediate(r));
  assert.deepEqual(handedOver, [0], 'the request came before the hand-over');
  held.release();
  assert.equal(await pending, true);
  assert.equal(docs.file('file:///big.yaml')?.parsed?.docs.length, 1);
});

test('versions parsed on the parser thread are entered in order; a version overtaken before its turn is not parsed', async () => {
  const held = new HeldParser();
  const { docs, open, change, close } = drivenDocuments(held, 5 * 1024 * 1024);
  const uri = 'file:///big.yaml';
  const p1 = docs.update(open(uri, many(200)));
  await new Promise((r) => setImmediate(r));
  assert.equal(held.asked.length, 1);
  const p2 = docs.update(change(uri, 2, many(300, 'two')));
  const v3 = many(250).replace('name: web-big', 'name: web-big3');
  const p3 = docs.update(change(uri, 3, v3));
  assert.ok(p1 instanceof Promise && p2 instanceof Promise && p3 instanceof Promise);
  held.release();
  // v1 was overtaken while it was parsed: not entered, but its documents are kept for v3
  assert.equal(await p1, false);
  assert.equal(await p2, false);
  await new Promise((r) => setImmediate(r));
  assert.equal(held.asked.length, 2, 'v2 was never parsed');
  assert.deepEqual(
    held.asked[1].map((c) => c.text.includes('web-big3')),
    [true],
    'v3 sends only its new ConfigMap',
  );
  held.release();
  assert.equal(await p3, true);
  assert.equal(docs.file(uri)?.parsed?.docs.length, 251);
  assert.equal(docs.file(uri)?.document.version, 3);
  assert.ok(docs.index.find('ConfigMap', 'default', 'web-big3')[0]);
  assert.equal(docs.index.find('Service', 'default', 'two-1')[0], undefined);
  // closed while parsing: nothing enters the index
  const p4 = docs.update(change(uri, 4, many(260, 'gone')));
  await new Promise((r) => setImmediate(r));
  close(uri);
  held.release();
  assert.equal(await p4, false);
  assert.equal(docs.index.find('Service', 'default', 'gone-1')[0], undefined);
  assert.equal(docs.index.find('Service', 'default', 'web-1')[0], undefined);
});

test(
  'the parser thread starts with the first request and ends when idle; the next request starts a new one',
  { skip: !built && 'dist/parse-thread.js not built' },
  async () => {
    const w = worker({ idleMs: 20 });
    assert.equal(w.threadRunning, false, 'no thread before any large text');
    const first = await w.parseChunks(new IncrementalParser().missing(service(1)).chunks);
    assert.ok(first[0].root);
    while (w.threadRunning) await new Promise((r) => setTimeout(r, 10));
    const second = await w.parseChunks(new IncrementalParser().missing(service(2)).chunks);
    assert.deepEqual(second, parseFile(service(2)).docs);
  },
);

test(
  'start(): the thread runs before any request (the server starts it at initialize), answers the first request, and ends when idle',
  { skip: !built && 'dist/parse-thread.js not built' },
  async () => {
    const w = worker({ idleMs: 20 });
    w.start();
    assert.equal(w.threadRunning, true);
    while (w.threadRunning) await new Promise((r) => setTimeout(r, 10));
    w.start();
    assert.equal(w.threadRunning, true);
    const docs = await w.parseChunks(new IncrementalParser().missing(service(3)).chunks);
    assert.deepEqual(docs, parseFile(service(3)).docs);
  },
);

test(
  'the parser thread reads its limits again for each request (the time budget follows kubeNetlens.timeBudgetMs)',
  { skip: !built && 'dist/parse-thread.js not built' },
  async () => {
    let budgetMs = Infinity;
    const w = worker({ limits: () => ({ ...DEFAULT_PARSE_LIMITS, budgetMs }) });
    // one document of more than 4,096 tokens (the clock is read every 4,096 tokens)
    const text = `${service(0)}  externalIPs:\n${Array.from({ length: 3000 }, (_, i) => `  - 10.0.${i >> 8}.${i & 255}\n`).join('')}`;
    const chunk = (): IndexedChunk[] => [{ start: 0, text, index: 0 }];
    const [first] = await w.parseChunks(chunk());
    assert.equal(first.skipped, undefined);
    budgetMs = 0;
    const [second] = await w.parseChunks(chunk());
    assert.equal(second.skipped?.ruleId, DOCUMENT_TIME_BUDGET);
    assert.match(second.skipped?.message ?? '', /took longer than the 0 ms budget per document/);
  },
);

test('kubeNetlens.timeBudgetMs: a number of at least 200 ms is taken, anything else keeps the 2 s default', () => {
  assert.equal(languageSettings(normalizeSettings({ timeBudgetMs: 15000 })).timeBudgetMs, 15000);
  assert.equal(normalizeSettings({ timeBudgetMs: 50 }).timeBudgetMs, 2000);
  assert.equal(normalizeSettings({ timeBudgetMs: '9000' }).timeBudgetMs, 2000);
  assert.equal(normalizeSettings({}).timeBudgetMs, 2000);
});
