// Anchors, aliases and merge keys, read as kubectl reads them (go-yaml v2, through sigs.k8s.io/yaml):
// what the tree holds, where its nodes point, and what kubectl refuses (syntax/refs.ts).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFile } from '../server/src/syntax/file';
import type { AstNode, MapNode } from '../server/src/syntax/ast';
import { getIn, toPlain } from '../server/src/syntax/ast';
import { DEFAULT_PARSE_LIMITS } from '../server/src/syntax/parse';
import type { ParsedDocument } from '../server/src/syntax/parse';
import { allowedAliasRatio } from '../server/src/syntax/refs';

function one(text: string, maxNodes = DEFAULT_PARSE_LIMITS.maxNodes): ParsedDocument {
  const docs = parseFile(text, { ...DEFAULT_PARSE_LIMITS, maxNodes, budgetMs: Infinity }).docs;
  assert.equal(docs.length, 1);
  return docs[0];
}

const errorsOf = (d: ParsedDocument) =>
  d.errors.map((e) => [e.code, d.text.slice(e.start, e.end), e.warning] as const);

test('an alias is the anchored value: its top node spans the alias, the nodes inside stay at the anchor', () => {
  const text = 'labels: &l\n  app: web\nselector: *l\n';
  const d = one(text);
  assert.deepEqual(toPlain(d.root), { labels: { app: 'web' }, selector: { app: 'web' } });
  const selector = getIn(d.root, ['selector']) as MapNode;
  assert.equal(text.slice(selector.start, selector.end), '*l');
  const inside = selector.pairs[0];
  assert.equal(text.slice(inside.start, inside.end), 'app: web');
  assert.deepEqual(d.aliases, [
    { start: text.indexOf('*l'), end: text.indexOf('*l') + 2, name: 'l', anchor: { start: 13, end: 21 } },
  ]);
  assert.deepEqual(d.errors, []);
});

test('a scalar alias keeps its value, style and source; an anchor defined again names the later value', () => {
  const d = one('a: &x "8080"\nb: *x\nc: &x yes\nd: *x\n');
  assert.deepEqual(toPlain(d.root), { a: '8080', b: '8080', c: true, d: true });
  const b = getIn(d.root, ['b']) as AstNode & { style: string; source: string };
  assert.deepEqual([b.style, b.source, b.end - b.start], ['double', '"8080"', 2]);
});

test('merge keys as go-yaml v2 sets them: in written order, a list of merges from its last map to its first', () => {
  const d = one(
    [
      'a: &a {x: a, q: a}',
      'b: &b {q: b, r: b}',
      // a key after the merge wins
      'after:',
      '  <<: *a',
      '  x: own',
      // a key before the merge is overwritten by it (with a warning): go-yaml v2 sets keys in order
      'before:',
      '  x: own',
      '  <<: *a',
      // in a list the earlier map wins; an inline map merges too
      'list:',
      '  <<: [*a, *b, {w: inline}]',
      // `!!merge` is a merge key; a quoted "<<" is a plain key
      'tagged:',
      '  !!merge <<: *b',
      'quoted:',
      '  "<<": *b',
      '',
    ].join('\n'),
  );
  assert.deepEqual(toPlain(d.root), {
    a: { x: 'a', q: 'a' },
    b: { q: 'b', r: 'b' },
    after: { x: 'own', q: 'a' },
    before: { x: 'a', q: 'a' },
    list: { x: 'a', q: 'a', r: 'b', w: 'inline' },
    tagged: { q: 'b', r: 'b' },
    quoted: { '<<': { q: 'b', r: 'b' } },
  });
  assert.deepEqual(errorsOf(d), [['MERGE_OVERRIDES_KEY', 'x', true]]);
  // a merged map spans its own lines; its merged pairs point into the anchored maps
  const after = getIn(d.root, ['after']) as MapNode;
  assert.equal(d.text.slice(after.start, after.end), '<<: *a\n  x: own');
  const q = after.pairs.find((p) => p.keyText === 'q')!;
  assert.equal(q.start, d.text.indexOf('q: a'));
});

test('a list of merges with an anchor merges, and is that list where it is aliased', () => {
  const d = one('a: &a {x: 1}\nb: &b {q: 2}\nm:\n  <<: &both [*a, *b]\nl: *both\n');
  assert.deepEqual(toPlain(d.root), {
    a: { x: 1 },
    b: { q: 2 },
    m: { x: 1, q: 2 },
    l: [{ x: 1 }, { q: 2 }],
  });
  assert.deepEqual(d.errors, []);
});

test('merges inside anchored maps are resolved before the map is aliased', () => {
  const d = one('base: &base {image: nginx}\nweb: &web\n  <<: *base\n  name: web\ncopy: *web\n');
  assert.deepEqual(toPlain(getIn(d.root, ['copy'])), { image: 'nginx', name: 'web' });
});

test('what kubectl refuses: one error at the alias or the merge value, the rest of the tree kept', () => {
  const cases: [string, [string, string][]][] = [
    ['a: *nowhere\n', [['UNKNOWN_ANCHOR', '*nowhere']]],
    ['a: *later\nb: &later 1\n', [['UNKNOWN_ANCHOR', '*later']]],
    ['a: &self\n  b: *self\n', [['ANCHOR_CONTAINS_ITSELF', '*self']]],
    ['a: &n 1\nb:\n  <<: *n\n', [['MERGE_VALUE', '*n']]],
    ['b:\n  <<: [{x: 1}, 2]\n', [['MERGE_VALUE', '2']]],
    ['b:\n  <<:\n', [['MERGE_VALUE', '<<']]],
  ];
  for (const [text, expected] of cases) {
    const d = one(text);
    assert.deepEqual(
      d.errors.map((e) => [e.code, text.slice(e.start, e.end)]),
      expected,
      text,
    );
    assert.ok(d.root, text);
  }
  // the messages say what kubectl says
  assert.match(one('a: *x\n').errors[0].message, /"yaml: unknown anchor 'x' referenced"/);
  assert.match(one('a: *x\nb: &x 1\n').errors[0].message, /comes before its anchor &x/);
});

test('an anchor in another document does not count: each document is read on its own', () => {
  const docs = parseFile('a: &x 1\n---\nb: *x\n').docs;
  assert.deepEqual(docs[0].errors, []);
  assert.deepEqual(
    docs[1].errors.map((e) => e.code),
    ['UNKNOWN_ANCHOR'],
  );
  assert.match(docs[1].errors[0].message, /Each document \(between `---` lines\) is read on its own/);
});

/** A document of `own` plain values (pairs k1..: v) and then aliases of a list of `size - 1` items
 * (the list itself and its items: `size` values an alias brings), `aliases` of them. */
function aliasing(own: number, size: number, aliases: number): string {
  const lines = [`big: &big [${Array.from({ length: size - 1 }, () => 'x').join(', ')}]`];
  for (let i = 0; i < own; i++) lines.push(`k${i}: v`);
  for (let i = 0; i < aliases; i++) lines.push(`a${i}: *big`);
  return lines.join('\n') + '\n';
}

test("go-yaml's alias guard, counted as its decoder counts: refused just past 99% through aliases", () => {
  // values go-yaml decodes: the document (1), the root map (1), `big` (key 1 + list `size`), each
  // own pair (2), each alias pair (key 1 + alias 1 + the list's `size`, through the alias)
  const count = (own: number, size: number, aliases: number) => {
    const decodes = 2 + 1 + size + 2 * own + aliases * (2 + size);
    return { decodes, aliased: aliases * size };
  };
  // an alias pair costs go-yaml two values of its own (key, alias): with lists of 1,000 values the
  // share can pass 99%, after some 100,000 values through aliases (over our own limit of expansion:
  // raised here, so that go-yaml's guard is what stops the document)
  const own = 9;
  const size = 1000;
  const limit = 1_000_000;
  let n = 1;
  for (; ; n++) {
    const { decodes, aliased } = count(own, size, n);
    if (aliased > 100 && decodes > 1000 && aliased / decodes > allowedAliasRatio(decodes)) break;
  }
  assert.equal(n, 127);
  const under = one(aliasing(own, size, n - 1), limit);
  assert.deepEqual(under.errors, []);
  assert.equal(under.aliases?.length, n - 1);
  const over = one(aliasing(own, size, n), limit);
  assert.deepEqual(
    over.errors.map((e) => [e.code, over.text.slice(e.start, e.end)]),
    [['EXCESSIVE_ALIASING', '*big']],
  );
  assert.equal(over.text.slice(0, over.errors[0].start).split('\n').length - 1, 1 + own + n - 1);
  assert.equal(over.root, null);
});

test('the ratio go-yaml allows falls from 99% to 10% between 400,000 and 4,000,000 values', () => {
  assert.equal(allowedAliasRatio(1000), 0.99);
  assert.equal(allowedAliasRatio(400_000), 0.99);
  assert.ok(Math.abs(allowedAliasRatio(2_200_000) - 0.545) < 1e-9);
  assert.equal(allowedAliasRatio(4_000_000), 0.1);
  assert.equal(allowedAliasRatio(9_000_000), 0.1);
});

test('documents without anchors, aliases or merge keys have no alias list', () => {
  const d = one('apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n');
  assert.equal('aliases' in d, false);
});
