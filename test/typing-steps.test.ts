// While typing in a large file the server checks the edited documents with every rule and keeps the
// others' findings (crossOnly). What the edited documents' cross-file rules share (an Ingress's: the
// claims of every Ingress on a host and path, the route graph's slice of its namespace) is built in
// steps before they run, as a full check builds it, instead of in one go inside the first rule that
// asks: the server gives other requests a turn between two steps.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextWorkspace, newDocuments } from '../server/src/service/documents';
import { createLanguageService, DEFAULT_LANGUAGE_SETTINGS } from '../server/src/service/language-service';
import { createValidation } from '../server/src/service/validation';
import type { ParsedDocument } from '../server/src/syntax/parse';
import type { Diagnostic } from 'vscode-languageserver-types';
import * as A from './support/adversarial';

const URI = 'file:///ws/shape.yaml';
const SETTINGS = { ...DEFAULT_LANGUAGE_SETTINGS, timeBudgetMs: Infinity };
const CLAIMS = ['ingress-path-conflict:claims', ['Ingress']] as const;
const GROUPS = ['ingress-path-conflict:groups', ['Ingress', 'IngressClass']] as const;

/** The shape's text with Ingress web-<i>'s path changed. */
function edited(text: string, i: number): string {
  const at = text.indexOf(`name: web-${i}\n`);
  const path = text.indexOf('- path: /', at);
  return `${text.slice(0, path)}- path: /edited${text.slice(path + '- path: /'.length)}`;
}

test("an edit to one Ingress of 1,000 prepares the claims in steps before the edited Ingress's rules run, which find there what a full check finds", () => {
  const text = A.sameHost(1000).text;
  const ws = new TextWorkspace();
  ws.set(URI, text);
  const validate = createValidation(ws, () => SETTINGS);
  const g0 = validate(URI);
  let r0 = g0.next();
  while (!r0.done) r0 = g0.next();
  const previous = r0.value;
  ws.set(URI, edited(text, 500));
  const state = ws.store.get(URI)!;
  const crossOnly = new Set<ParsedDocument>(newDocuments(state));
  assert.equal(crossOnly.size, 1);
  assert.equal(ws.index.hasMemoKinds(CLAIMS[1], CLAIMS[0]), false);
  // step the edit's check until the claims and their groups are ready: many steps, none of them a
  // document's rules (no document is checked before)
  const g = validate(URI, { crossOnly });
  let steps = 0;
  for (; !ws.index.hasMemoKinds(GROUPS[1], GROUPS[0]); steps++) {
    const r = g.next();
    assert.equal(r.done, false, 'the check ended before the claims were prepared');
    assert.equal(r.value, undefined, 'a document was checked before the claims were prepared');
  }
  assert.ok(steps >= 10, `${steps} steps`);
  let r = g.next();
  while (!r.done) r = g.next();
  // the edited Ingress has what a full check of the edited text finds there; the others keep their
  // findings until typing pauses (the fast path)
  const [doc] = crossOnly;
  const first = state.document.positionAt(doc.base).line;
  const last = state.document.positionAt(doc.base + doc.text.length).line;
  const inEdited = (d: { range: { start: { line: number } } }) =>
    d.range.start.line >= first && d.range.start.line < last;
  const fresh = new TextWorkspace();
  fresh.set(URI, edited(text, 500));
  const full = createLanguageService(fresh, SETTINGS).doValidation(URI);
  const key = (d: Diagnostic) => `${d.range.start.line} ${String(d.code)} ${String(d.message)}`;
  assert.deepEqual(r.value.filter(inEdited).map(key), full.filter(inEdited).map(key));
  assert.deepEqual(
    r.value.filter((d) => !inEdited(d)).map(key),
    previous.filter((d) => !inEdited(d)).map(key),
  );
  // (its own path is no longer claimed twice; it was)
  const conflicts = (ds: typeof previous) =>
    ds.filter((d) => inEdited(d) && d.code === 'ingress-path-conflict').length;
  assert.deepEqual([conflicts(previous), conflicts(r.value)], [1, 0]);
});
