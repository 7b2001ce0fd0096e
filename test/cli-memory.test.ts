// What the CLI does to hold less over a large workspace must not change a single finding: equal short
// strings of the trees are made one string (the trees stay equal), and a file checked once keeps
// nothing for a later check (its diagnostics are those of a check that keeps everything).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './support/lsp-client';
import { parseFile } from '../server/src/syntax/file';
import { shareStrings } from '../server/src/cli/parse-workers';
import { TextWorkspace } from '../server/src/service/documents';
import { createLanguageService, DEFAULT_LANGUAGE_SETTINGS } from '../server/src/service/language-service';
import { ParsedWorkspace } from '../server/src/service/parsed-workspace';
import { ResourceIndex } from '../server/src/workspace/index';
import { resourcesOf } from '../server/src/model/resource';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const f = path.join(dir, name);
      return statSync(f).isDirectory() ? yamlFiles(f) : /\.ya?ml$/.test(name) ? [f] : [];
    });
}

/** Every rule's fixtures: valid and invalid manifests of every kind the rules read. */
const FIXTURES = yamlFiles(path.join(ROOT, 'test', 'fixtures', 'rules'));

const SHAPES = `apiVersion: v1
kind: ConfigMap
metadata:
  name: shapes
  labels: {app: web, "quoted": 'single', tier: "web"}
data:
  1: number key
  true: bool key
  ? [a, b]
  : complex key
  ~: null key
  plain: web
  double: "web"
  escaped: "w\\x65b"
  folded: >
    web
  literal: |
    web
  long: ${'x'.repeat(100)}
  number: 0x1F
  empty:
  list: [web, "web", 'web', 80, null]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {ports: [{port: 80, targetPort: web}], selector: {app: web}}
`;

test('shared strings leave every tree as it was parsed (keys, values, sources, numbers, nulls)', () => {
  assert.ok(FIXTURES.length > 100, `rule fixtures found: ${FIXTURES.length}`);
  const shared = new Map<string, string>();
  for (const [name, text] of [
    ['shapes', SHAPES],
    ...FIXTURES.map((f) => [f, readFileSync(f, 'utf8')]),
  ] as const) {
    const parsed = parseFile(text);
    // (another parse of the same text: a clone would not keep the pairs' class)
    const before = parseFile(text).docs.map((d) => d.root);
    shareStrings(parsed, shared);
    assert.deepStrictEqual(
      parsed.docs.map((d) => d.root),
      before,
      name,
    );
  }
  // (the table holds each short string once, across files)
  assert.ok(shared.has('web') && shared.has('apiVersion'));
  assert.ok(![...shared.keys()].some((s) => s.length > 64));
});

test('a file checked once gets the diagnostics of a check that keeps them, and a later check the same', () => {
  const uris = FIXTURES.filter((f) => !f.includes(`${path.sep}ignored${path.sep}`));
  const settings = { ...DEFAULT_LANGUAGE_SETTINGS, reportSyntax: true };
  // one workspace of every fixture (cross-file rules see the others), checked both ways
  const keeping = new TextWorkspace();
  const once = new TextWorkspace();
  for (const f of uris) {
    const text = readFileSync(f, 'utf8');
    keeping.set(f, text);
    once.set(f, text);
  }
  const kept = createLanguageService(keeping, settings);
  const single = createLanguageService(once, settings);
  let findings = 0;
  for (const uri of uris) {
    const want = kept.doValidation(uri);
    findings += want.length;
    assert.deepStrictEqual(single.doValidation(uri, { once: true }), want, uri);
    // nothing stale left behind: the file checked again, keeping this time, says the same
    assert.deepStrictEqual(single.doValidation(uri), want, uri);
  }
  assert.ok(findings > 100, `findings over the fixtures: ${findings}`);
});

test("the CLI's workspace lets a checked file's document go and still answers for it", () => {
  const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n';
  const index = new ResourceIndex();
  const parsed = parseFile(text);
  index.setFile(
    'a.yaml',
    parsed.docs.flatMap((d) => resourcesOf(d)),
  );
  const ws = new ParsedWorkspace(index, [{ uri: 'a.yaml', text, parsed }]);
  const before = ws.file('a.yaml')!;
  assert.deepEqual(ws.positionOf('a.yaml', text.indexOf('web')), { line: 3, character: 8 });
  ws.release('a.yaml');
  // positions in it (others' related locations) and the file itself, made again from its text
  assert.deepEqual(ws.positionOf('a.yaml', text.indexOf('web')), { line: 3, character: 8 });
  const again = ws.file('a.yaml')!;
  assert.notEqual(again, before);
  assert.equal(again.document.getText(), text);
  assert.equal(again.parsed, parsed);
  assert.equal(ws.positionOf('b.yaml', 0), undefined);
});
