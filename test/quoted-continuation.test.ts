// Multi-line quoted values whose continuation lines are indented no more than their key: read as
// Kubernetes' parser (go-yaml) reads them, with one note per such line; everything else about quotes
// stays as strict as before.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';
import { LENIENT_QUOTES } from '../server/src/syntax/quoted-continuation';
import { QUOTED_CONTINUATION, parseChunk } from '../server/src/syntax/parse';
import type { AstNode } from '../server/src/syntax/ast';
import { createLanguageService } from '../server/src/service/language-service';
import { TextWorkspace } from '../server/src/service/documents';
import { ROOT } from './support/lsp-client';

/** The value at a path of plain keys in a converted tree. */
function valueAt(root: AstNode | null, ...keys: string[]): unknown {
  let node: AstNode | null | undefined = root;
  for (const k of keys) {
    if (!node || node.type !== 'map') return undefined;
    node = node.pairs.find((p) => p.keyText === k)?.value;
  }
  return node?.type === 'scalar' ? node.value : undefined;
}

const parse = (text: string) => parseChunk({ text, start: 0 }, 0);

const ANNOTATED = `apiVersion: v1
kind: ConfigMap
metadata:
  name: notes
  annotations:
    description: "first line
    second line"
    owner: 'platform
  team'
data:
  k: v
`;

test("this version of yaml's lexer has what the lenient reading hooks", () => {
  // (a yaml upgrade that renames the hooked methods turns the reading strict again: this fails then)
  assert.equal(LENIENT_QUOTES, true);
});

test('an under-indented continuation line is read as kubectl reads it, with one note per line', () => {
  const doc = parse(ANNOTATED);
  assert.equal(valueAt(doc.root, 'metadata', 'annotations', 'description'), 'first line second line');
  assert.equal(valueAt(doc.root, 'metadata', 'annotations', 'owner'), 'platform team');
  assert.equal(valueAt(doc.root, 'data', 'k'), 'v');
  const notes = doc.errors.map((e) => ({
    code: e.code,
    warning: e.warning,
    text: ANNOTATED.slice(e.start, e.end),
    needed: e.needed,
  }));
  assert.deepEqual(notes, [
    { code: QUOTED_CONTINUATION, warning: true, text: 'second line"', needed: 5 },
    { code: QUOTED_CONTINUATION, warning: true, text: "team'", needed: 5 },
  ]);
  // what the strict reading gave before: a missing quote and a broken structure
  const [strict] = parseAllDocuments(ANNOTATED) as Document[];
  assert.ok(strict.errors.some((e) => e.code === 'MISSING_CHAR'));
});

test('a quote left open, or closed only past a document marker, stays a syntax error', () => {
  const open = parse(
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: "web\nspec:\n  ports:\n  - port: 80\n',
  );
  assert.ok(open.errors.some((e) => !e.warning && /Missing closing "quote/.test(e.message)));
  assert.ok(!open.errors.some((e) => e.code === QUOTED_CONTINUATION));
  // go-yaml ends a quoted value at a marker line too (the file splitter never hands one over inside a
  // document; a chunk that starts with one keeps it as its first line)
  const marker = parse('a: "x\n...\nb"\n');
  assert.ok(marker.errors.some((e) => !e.warning));
  assert.ok(!marker.errors.some((e) => e.code === QUOTED_CONTINUATION));
});

test('values indented as YAML 1.2 wants get no note and no second reading', () => {
  const doc = parse('a:\n  b: "one\n    two"\n  c: plain\n');
  assert.deepEqual(doc.errors, []);
  assert.equal(valueAt(doc.root, 'a', 'b'), 'one two');
});

test('the document is checked through the language service, the note is information, and its fix leaves a file strict YAML reads the same', () => {
  // (the quick-fix fixture: test/quickfix.test.ts applies the fix through the built server)
  const text = readFileSync(
    path.join(ROOT, 'test', 'fixtures', 'fixes', 'yaml-quoted-continuation.yaml'),
    'utf8',
  );
  const workspace = new TextWorkspace();
  const service = createLanguageService(workspace);
  workspace.set('file:///shop.yaml', text);
  const diagnostics = service.doValidation('file:///shop.yaml');
  const byRule = diagnostics.map(
    (d) => `${d.range.start.line}:${d.range.start.character} ${d.severity} ${d.code}`,
  );
  // the Ingress is read and checked: its missing Service is found as in any other file
  assert.ok(byRule.includes('6:4 3 yaml-quoted-continuation'), byRule.join('\n'));
  assert.ok(
    diagnostics.some((d) => d.code === 'ingress-backend-service-missing'),
    byRule.join('\n'),
  );
  assert.ok(!diagnostics.some((d) => d.code === 'yaml-syntax'));
  const note = diagnostics.find((d) => d.code === 'yaml-quoted-continuation')!;
  // (the Ingress also offers its migration to the Gateway API, as a refactoring)
  const actions = service
    .getCodeActions('file:///shop.yaml', note.range, { diagnostics: [note] })
    .filter((a) => a.kind === 'quickfix');
  assert.deepEqual(
    actions.map((a) => [a.title, a.isPreferred]),
    [['Indent this line to 5 spaces', true]],
  );
  const edit = actions[0].edit!.changes!['file:///shop.yaml'][0];
  assert.deepEqual(edit.range, { start: { line: 6, character: 0 }, end: { line: 6, character: 4 } });
  const lines = text.split('\n');
  lines[6] = edit.newText + lines[6].slice(4);
  const fixed = lines.join('\n');
  const [doc] = parseAllDocuments(fixed) as Document[];
  assert.deepEqual(doc.errors, []);
  assert.equal(
    doc.getIn(['metadata', 'annotations', 'description']),
    "The shop's public entry, served by the web Service",
  );
});
