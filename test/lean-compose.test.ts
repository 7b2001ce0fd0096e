// Most documents are read into trees straight from yaml's CST (syntax/lean-compose.ts); the others
// through yaml's Composer, as every document was before. The two readings must give the same
// document: the same tree (spans, values, styles, keys), the same syntax errors and duplicate keys.
// These tests read documents both ways (parseChunk's `lean` switch) and compare: every YAML file of
// the project's tests and examples, the real-world corpus when it is there, generated documents full
// of the shapes where the Composer reports something or resolves a value in its own way, and a table
// of single cases. They also check that the direct reading is taken where it should be (else the
// comparisons would hold trivially).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { Parser } from 'yaml';
import { splitFile } from '../server/src/syntax/file';
import { parseChunk } from '../server/src/syntax/parse';
import { composeLean, leanSchema } from '../server/src/syntax/lean-compose';
import type { AstNode } from '../server/src/syntax/ast';

const ROOT = path.resolve(__dirname, '..');
const CORPUS = path.resolve(ROOT, '..', 'shared', 'corpus', 'realworld');

const SCHEMA = leanSchema({ prettyErrors: false, uniqueKeys: false, strict: true, stringKeys: false });

/** Whether the direct reading takes this document (its CST as the parser gives it). */
function readsDirectly(text: string): boolean {
  return composeLean([...new Parser().parse(text)], text, SCHEMA, []) !== undefined;
}

/** Both readings of each document of `text`, compared; returns how many documents were read. */
function sameBothWays(text: string, where: string): number {
  const chunks = splitFile(text);
  chunks.forEach((chunk, i) => {
    const composed = parseChunk(chunk, i, undefined, false);
    const direct = parseChunk(chunk, i, undefined, true);
    assert.deepStrictEqual(direct, composed, `${where}, document ${i + 1}:\n${chunk.text.slice(0, 400)}`);
  });
  return chunks.length;
}

function* yamlFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = path.join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) yield* yamlFiles(p);
    else if (/\.ya?ml$/.test(name) && st.size < 2_000_000) yield p;
  }
}

test('every YAML file of the tests and examples reads the same both ways', () => {
  let docs = 0;
  let files = 0;
  for (const dir of ['test', 'examples'])
    for (const file of yamlFiles(path.join(ROOT, dir))) {
      docs += sameBothWays(readFileSync(file, 'utf8'), path.relative(ROOT, file));
      files++;
    }
  assert.ok(files > 100 && docs > 500, `${files} files, ${docs} documents`);
});

test('the real-world corpus reads the same both ways', (t) => {
  if (!existsSync(CORPUS)) {
    t.skip(`the corpus is not here (${CORPUS}): compared on the project's own files only`);
    return;
  }
  let docs = 0;
  for (const file of yamlFiles(CORPUS))
    docs += sameBothWays(readFileSync(file, 'utf8'), path.relative(CORPUS, file));
  assert.ok(docs > 200, `${docs} documents`);
});

test('a plain manifest is read directly, to the same tree', () => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web   # the name
  labels: 
    app: web
    "quoted key": 'x'
spec:
  replicas: 3
  paused: no
  template:
    spec:
      containers:
      - name: web
        image: nginx:1.27
        args:
          - --port=8080
          -
        env:
        - name: A
          value: "1"
        command: |
          echo hi
      # trailing comment
`;
  assert.equal(readsDirectly(text), true);
  assert.equal(sameBothWays(text, 'manifest'), 1);
  const doc = parseChunk(splitFile(text)[0], 0);
  const spec = doc.root?.type === 'map' ? doc.root.pairs.find((p) => p.keyText === 'spec')?.value : undefined;
  const get = (n: AstNode | null | undefined, key: string) =>
    n?.type === 'map' ? n.pairs.find((p) => p.keyText === key)?.value : undefined;
  // values as Kubernetes reads them: a number, and `no` as YAML 1.1's false
  assert.deepEqual(
    [get(spec, 'replicas'), get(spec, 'paused')].map((n) => (n?.type === 'scalar' ? n.value : n)),
    [3, false],
  );
  assert.deepEqual(doc.errors, []);
});

test('documents outside the direct reading go through the Composer, and read the same', () => {
  const cases: [string, string][] = [
    ['anchor and alias', 'a: &x 1\nb: *x\n'],
    ['merge key', 'base: &b {a: 1}\nm:\n  <<: *b\n'],
    ['tag', 'a: !!str 1\n'],
    ['flow collection in a flow collection', 'a: [1, [2]]\n'],
    ['pair in a flow sequence', 'a: [b: 1]\n'],
    ['empty item in a flow sequence', 'a: [1, , 2]\n'],
    ['leading comma', 'a: [, 1]\n'],
    ['flow map key without value', 'a: {b}\n'],
    ['comment right after a flow collection', 'a: [1]#c\n'],
    ['flow collection not closed', 'a: [1, 2\nb: 1\n'],
    ['missing comma', 'a: {b: 1 c: 2}\n'],
    ['explicit key', '? a\n: 1\n'],
    ['tab indentation', 'a:\n\tb: 1\n'],
    ['tab after the colon', 'a:\t1\n'],
    ['directive', '%YAML 1.2\n---\na: 1\n'],
    ['block collection after ---', '--- a: 1\n'],
    ['key over 1024 characters', `${'k'.repeat(1100)}: 1\n`],
    ['multi-line implicit key', '"a\n b": 1\n'],
    ['comment without a blank', 'a: 1 #ok\nb: "x"#bad\n'],
    ['nested map on the key line', 'a: b: c\n'],
    ['bad indentation', 'a: 1\n b: 2\n'],
    ['line without a colon', 'a: 1\nb\nc: 2\n'],
    ['root scalar', 'just text\n'],
    ['unclosed quote', 'a: "open\nb: 1\n'],
    ['reserved character', 'a: @x\n'],
  ];
  for (const [name, text] of cases) {
    assert.equal(readsDirectly(text), false, `${name}: read directly`);
    sameBothWays(text, name);
  }
});

test('documents inside the direct reading that the Composer reads in its own way read the same', () => {
  const cases: [string, string][] = [
    [
      'core schema values',
      'a: 0x1F\nb: 0o17\nc: 017\nd: 1e3\ne: .inf\nf: -.Inf\ng: .nan\nh: ~\ni: Null\nj: +12\nk: 1_000\nl: 3.\n',
    ],
    ['YAML 1.1 booleans', 'a: yes\nb: No\nc: on\nd: OFF\ne: y\nf: N\ng: True\nh: FALSE\n'],
    ['keys that are not strings', '80: a\ntrue: b\n~: c\n1.5: d\n'],
    ['duplicate keys', 'a: 1\nb: 2\na: 3\n"a": 4\n80: x\n0x50: y\n.nan: p\n.nan: q\n'],
    [
      'many keys and a duplicate',
      `${Array.from({ length: 30 }, (_, i) => `k${i}: ${i}`).join('\n')}\nk7: again\n`,
    ],
    ['empty values', 'a:\nb: # comment\nc:\n  - \n  -\n  - # c\nd: 1\n'],
    ['quoted values', 'a: "tab\\t and \\u00e9 and \\"q\\""\nb: \'it\'\'s\'\nc: ""\nd: \'\'\n'],
    ['multi-line plain and quoted values', 'a: one\n  two\n\n  three\nb: "x\n  y"\nc: \'p\n\n  q\'\n'],
    [
      'block scalars',
      'a: |\n  line\n   more\n\nb: >-\n  folded\n  text\nc: |+\n  keep\n\nd: |2\n    indented\n',
    ],
    [
      'comments everywhere',
      '# top\na: # after key\n  # before value\n  b: 1 # end\n  # between\n  c: 2\n# bottom\n',
    ],
    ['sequences of maps', 'a:\n- b: 1\n  c: 2\n-   d: 3\n- - x\n  - y\n'],
    ['scalars that look like other things', 'a: foo#bar\nb: x -y\nc: a:b\nd: "- x"\ne: -1\nf: 1:2\n'],
    ['document markers', '---\na: 1\n...\n'],
    ['marker with comment', '--- # c\na: 1\n'],
    [
      'flow collections of scalars',
      'a: []\nb: {}\nc: ["x", \'y\', 80, yes]\nd: {cpu: 100m, memory: "1Gi",}\ne: [a, b,] # c\n',
    ],
    ['flow collections over lines', 'a: [\n  x,  # one\n  y\n  ]\nb: {k: v,\n  n: ~}\n'],
    ['flow map with duplicates and empty values', 'a: {x: 1, y: , x: 2, "y": 3}\n'],
  ];
  let direct = 0;
  for (const [name, text] of cases) {
    if (readsDirectly(text)) direct++;
    sameBothWays(text, name);
  }
  assert.ok(direct >= cases.length - 3, `${direct} of ${cases.length} read directly`);
});

// Generated documents: block maps and sequences of the pieces below, with comments, blank lines,
// empty values and indentation that is sometimes off by one.
const SCALARS = [
  'v1',
  'web',
  '80',
  '0x1F',
  '1e3',
  '.inf',
  '.nan',
  '~',
  'null',
  'true',
  'yes',
  'Off',
  'y',
  '1_000',
  '-0',
  '"quoted"',
  '"esc \\t \\n"',
  "'single ''q'''",
  '""',
  "''",
  'two words',
  'foo#bar',
  'x #comment',
  'a: b',
  '- x',
  '@bad',
  '!tag x',
  '&anchor x',
  '*alias',
  '[1, 2]',
  '{a: 1}',
  '[]',
  '{}',
  '["a", b, 3,]',
  '{k: v, "q": 1, k: ~}',
  '[a, [b]]',
  '{a}',
  '|\n  block\n',
  '>-\n  folded\n  text\n',
  '"open',
  'trailing   ',
  'tab\tin',
];
const KEYS = ['a', 'b', 'name', '80', 'true', '"a"', "'b'", 'with space', '? x', 'a#b', ''];

const indentArb = fc.constantFrom(2, 2, 2, 1, 3, 4);

const valueArb: fc.Memo<string> = fc.memo((n) =>
  n <= 1
    ? fc.constantFrom(...SCALARS)
    : fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...SCALARS) },
        { weight: 2, arbitrary: mapArb(n - 1) },
        { weight: 1, arbitrary: seqArb(n - 1) },
      ),
);

function mapArb(n: number): fc.Arbitrary<string> {
  return fc
    .array(
      fc.record({
        key: fc.constantFrom(...KEYS),
        value: fc.option(valueArb(n), { nil: undefined }),
        comment: fc.constantFrom('', '', '', ' # c', '#c'),
        blank: fc.constantFrom('', '', '', '\n', '# line\n', '  # indented\n'),
        indent: indentArb,
      }),
      { minLength: 1, maxLength: 5 },
    )
    .map((items) => `\x00map\x00${JSON.stringify(items)}`);
}

function seqArb(n: number): fc.Arbitrary<string> {
  return fc
    .array(
      fc.record({
        value: fc.option(valueArb(n), { nil: undefined }),
        compact: fc.boolean(),
        indent: fc.constantFrom(0, 0, 2, 1),
      }),
      { minLength: 1, maxLength: 4 },
    )
    .map((items) => `\x00seq\x00${JSON.stringify(items)}`);
}

/** The YAML text of a generated value at `indent` (a collection starts on its own line). */
function render(v: string, indent: number): { inline: string; block: string } {
  const pad = ' '.repeat(indent);
  if (v.startsWith('\x00map\x00')) {
    const items = JSON.parse(v.slice(5)) as {
      key: string;
      value?: string;
      comment: string;
      blank: string;
      indent: number;
    }[];
    let out = '';
    for (const it of items) {
      out += it.blank;
      if (it.value === undefined) out += `${pad}${it.key}:${it.comment}\n`;
      else {
        const r = render(it.value, indent + it.indent);
        out += r.block
          ? `${pad}${it.key}:${it.comment}\n${r.block}`
          : `${pad}${it.key}: ${indentScalar(r.inline, indent + it.indent)}${it.comment}\n`;
      }
    }
    return { inline: '', block: out };
  }
  if (v.startsWith('\x00seq\x00')) {
    const items = JSON.parse(v.slice(5)) as { value?: string; compact: boolean; indent: number }[];
    let out = '';
    for (const it of items) {
      const ipad = ' '.repeat(indent + it.indent);
      if (it.value === undefined) out += `${ipad}-\n`;
      else {
        const r = render(it.value, indent + it.indent + 2);
        if (!r.block) out += `${ipad}- ${indentScalar(r.inline, indent + it.indent + 2)}\n`;
        else if (it.compact) out += `${ipad}- ${r.block.replace(/^ */, '')}`;
        else out += `${ipad}-\n${r.block}`;
      }
    }
    return { inline: '', block: out };
  }
  return { inline: v, block: '' };
}

/** A scalar's continuation lines (block scalars, generated with two spaces) at `indent`. */
function indentScalar(s: string, indent: number): string {
  return s.replace(/\n(?=.)/g, `\n${' '.repeat(indent)}`).replace(/\n$/, '');
}

test('generated documents read the same both ways', () => {
  let docs = 0;
  let direct = 0;
  fc.assert(
    fc.property(fc.array(mapArb(3), { minLength: 1, maxLength: 3 }), fc.boolean(), (maps, marker) => {
      const text = maps.map((m) => (marker ? '---\n' : '') + render(m, 0).block).join('---\n');
      for (const chunk of splitFile(text)) {
        docs++;
        if (readsDirectly(chunk.text)) direct++;
      }
      sameBothWays(text, 'generated');
    }),
    { numRuns: 400, seed: 24 },
  );
  // (the comparison means something only if both readings happen often)
  assert.ok(direct > docs / 10 && direct < docs, `${direct} of ${docs} documents read directly`);
});
