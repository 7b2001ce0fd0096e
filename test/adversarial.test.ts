// A bounded cost for every document (issue 9): crafted shapes (test/support/adversarial.ts) that
// froze or crashed the server before, at the size of the report or above. For each: what the user
// sees (the diagnostic's message, range and severity; a completion that is answered). The in-process
// path is the one the server and the CLI run: precheck, parse, rules, completion. Times are not
// asserted here (scripts/bench-adversarial.mjs measures them); an unbounded implementation fails
// these tests by running past the suite's time limit or out of memory, and the linear scanners are
// checked against the regular expressions they replaced on short inputs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseFile, documentAt, MAX_DOCUMENTS, IncrementalParser } from '../server/src/syntax/file';
import type { ParsedFile } from '../server/src/syntax/file';
import {
  contentEnd,
  DEFAULT_PARSE_LIMITS,
  MAX_BROKEN_TREE_VALUES,
  parseChunk,
} from '../server/src/syntax/parse';
import type { ParseLimits } from '../server/src/syntax/parse';
import { precheck, checkParsedFile } from '../server/src/rules/check';
import { helmTemplateOffset } from '../server/src/rules/file-checks';
import { ResourceIndex } from '../server/src/workspace/index';
import type { IndexedResource } from '../server/src/workspace/index';
import { resourcesOf } from '../server/src/model/resource';
import { complete } from '../server/src/features/completion';
import { cursorContext, keyAt, keyValueAt } from '../server/src/features/yaml-path';
import { propsSuffix } from '../server/src/rules/migrate-legacy-ingress';
import { closest } from '../server/src/engine/edit-distance';
import * as A from './support/adversarial';
import type { Shape } from './support/adversarial';
import { LspClient } from './support/lsp-client';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Diagnostic } from 'vscode-languageserver-types';
import { TextWorkspace } from '../server/src/service/documents';
import { createLanguageService, DEFAULT_LANGUAGE_SETTINGS } from '../server/src/service/language-service';
import { MAX_PUBLISHED, publishedDiagnostics } from '../server/src/lsp/diagnostics';
import { LINE_OFFSETS_IN_TURNS_CHARS, lineOffsetsInTurns } from '../server/src/lsp/documents';

interface Seen {
  range: string;
  severity: string;
  rule: string;
  message: string;
}

/** No time budget: tests that aim at a limit must not depend on the machine's speed. */
const NO_BUDGET: ParseLimits = { ...DEFAULT_PARSE_LIMITS, budgetMs: Infinity };

function check(
  text: string,
  opts: { limits?: ParseLimits; budgetMs?: number } = {},
): { seen: Seen[]; parsed?: ParsedFile } {
  const doc = TextDocument.create('file:///crafted.yaml', 'yaml', 1, text);
  const pos = (o: number) => {
    const p = doc.positionAt(o);
    return `${p.line}:${p.character}`;
  };
  const skipped = precheck(text, 5 * 1024 * 1024);
  const parsed = skipped ? undefined : parseFile(text, opts.limits ?? NO_BUDGET);
  let findings = skipped ? [skipped] : [];
  if (parsed) {
    const index = new ResourceIndex();
    index.setFile(
      'file:///crafted.yaml',
      parsed.docs.flatMap((d) => resourcesOf(d)),
    );
    findings = checkParsedFile(parsed, index, {
      settings: { kubernetesVersion: '1.34', severities: {}, now: Date.UTC(2026, 11, 6) },
      reportSyntax: true,
      uri: 'file:///crafted.yaml',
      budgetMs: opts.budgetMs ?? Infinity,
    });
  }
  return {
    seen: findings.map((f) => ({
      range: `${pos(f.start)}-${pos(f.end)}`,
      severity: f.severity,
      rule: f.ruleId,
      message: f.message,
    })),
    parsed,
  };
}

function completionAt(shape: Shape, parsed: ParsedFile): string[] {
  const doc = TextDocument.create('file:///crafted.yaml', 'yaml', 1, shape.text);
  const offset = doc.offsetAt(shape.probe);
  const d = documentAt(parsed, offset);
  assert.ok(d, 'a document at the probe');
  return complete(d.text, offset - d.base).map((e) => e.label);
}

const NESTED =
  "Kube NetLens skipped this document: its YAML is nested more than 128 levels deep here, over the limit that keeps the parser's memory and stack bounded (broken indentation or an unclosed bracket above can nest every later line). Fix or flatten the nesting to have the document checked.";

/** A document after the crafted one, with a finding of its own: the rest of the file still works. */
const AFTER = `---
apiVersion: v1
kind: Service
metadata:
  name: after
spec:
  ports:
  - port: 70000
`;

test('an unclosed flow sequence before 6,000 blank lines: one syntax error, on the last content of the document', () => {
  // Mapping each YAML error to a range used to run a regex with nested quantifiers over the whole
  // document (2,000 blank lines took 20 s; the cost grows with the cube of the blank run).
  const { seen } = check(A.unclosedFlowBlankLines(6000).text);
  assert.deepEqual(seen, [
    {
      range: '6005:0-6005:1',
      severity: 'error',
      rule: 'yaml-syntax',
      message:
        'YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
    },
  ]);
});

test('contentEnd: trailing blank lines, whitespace and whole-line comments are not content', () => {
  assert.equal(contentEnd('a: [b\n\n  \n# note\n   # more\n\t\n'), 5);
  assert.equal(contentEnd('a: b # trailing\n\n'), 15);
  assert.equal(contentEnd('# only a comment\n\n'), 16);
  assert.equal(contentEnd('\n\n  \n'), 0);
  assert.equal(contentEnd(''), 0);
});

test('contentEnd agrees with the regular expression it replaced (short texts)', () => {
  const byRegex = (t: string) => t.replace(/(\n[ \t]*(#[^\n]*)?)*\s*$/, '').length;
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom('a', ':', ' ', '\t', '\n', '#', '\r', '\u00a0', 'x y', '# c\n'), {
        maxLength: 16,
      }),
      (parts) => {
        const t = parts.join('');
        assert.equal(contentEnd(t), byRegex(t), JSON.stringify(t));
      },
    ),
    { numRuns: 5000, seed: 9 },
  );
});

test('a repeated broken line (200 KB, 20,000 errors): the first 100 errors, then one note where reading stopped', () => {
  const { seen, parsed } = check(A.repeatedBrokenLine(200_000).text);
  assert.equal(parsed!.docs[0].errors.length, 101);
  assert.equal(parsed!.docs[0].root, null);
  assert.equal(seen.length, 101);
  assert.deepEqual(
    seen.filter((s) => s.rule !== 'yaml-syntax' || s.severity !== 'error'),
    [],
  );
  assert.deepEqual(seen[0], {
    range: '4:0-4:1',
    severity: 'error',
    rule: 'yaml-syntax',
    message: 'YAML syntax error: A block sequence may not be used as an implicit map key',
  });
  // the note sits where the 101st error is: the 100th is on the line before
  assert.deepEqual(
    seen.slice(99).map((s) => `${s.range} ${s.message}`),
    [
      '101:5-101:6 YAML syntax error: Nested mappings are not allowed in compact mappings',
      '102:5-102:6 Kube NetLens stopped reading this document here, at its YAML syntax error number 101: only the first 100 are shown and nothing in this document is checked. Fix the errors above first.',
    ],
  );
});

test('a large broken document is read only to its 101st syntax error: what follows it is never read', () => {
  // Past the errors, in the same document, a flow sequence of 200,000 values: read, it would make
  // the document "too complex" (and cost its parse). The parser stops at the 101st error before it.
  const tail = `x: [${'1,'.repeat(200_000)}1]\n`;
  const { seen } = check(A.manyErrors(40_000).text + tail);
  assert.equal(seen.length, 101);
  assert.deepEqual([...new Set(seen.map((s) => s.rule))], ['yaml-syntax']);
  assert.match(
    seen[100].message,
    /^Kube NetLens stopped reading this document here, at its YAML syntax error number 101:/,
  );
  // a small broken document is read to its end: every error is counted
  const small = check(A.manyErrors(1_000).text);
  assert.equal(small.seen.length, 101);
  assert.match(small.seen[100].message, /^[\d,]+ more YAML syntax errors in this document are not shown/);
});

test('40,000 lines that each hold an error: 100 errors and a note, and the document after them is checked', () => {
  const { seen } = check(A.manyErrors(40_000).text + AFTER);
  assert.equal(seen.filter((s) => s.rule === 'yaml-syntax').length, 101);
  assert.deepEqual(seen[0], {
    range: '5:11-6:0',
    severity: 'error',
    rule: 'yaml-syntax',
    message: 'YAML syntax error: Missing closing "quote',
  });
  assert.equal(
    seen.filter((s) => s.rule === 'port-invalid').length,
    1,
    JSON.stringify(seen.filter((s) => s.rule !== 'yaml-syntax')),
  );
});

test('Helm check: 500,000 blank lines and no apiVersion is not a Helm template, in one pass', () => {
  // `^\s*apiVersion:` with the m flag restarted its \s* run at every line: 100,000 blank lines took 9 s.
  const text = A.blankLinesNoApiVersion(500_000).text;
  assert.equal(helmTemplateOffset(text), -1);
  assert.deepEqual(check(text).seen, []);
  // with an apiVersion line after the blanks, the same braces are a template
  const withApi = `apiVersion: v1\n${text}`;
  const at = withApi.indexOf('{{');
  assert.equal(helmTemplateOffset(withApi), at);
  assert.deepEqual(check(withApi).seen, [
    {
      range: '500003:5-500003:7',
      severity: 'hint',
      rule: 'helm-template',
      message:
        'Helm template: Kube NetLens checks rendered manifests, so this file is skipped (run `helm template` and check the output)',
    },
  ]);
});

test('Helm check: one 1 MB line of `${{` with a `}}` at its end is GitHub Actions syntax, not Helm', () => {
  // each `{{` used to search for its `}}` and for its line start: quadratic on one long line
  const shape = A.dollarBracesLine(1_000_000);
  assert.equal(helmTemplateOffset(shape.text), -1);
  assert.deepEqual(check(shape.text).seen, []);
  // the same line with one `{{` not after a `$` (in the middle) is a template, found at its offset
  const mid = shape.text.indexOf('${{', shape.text.length / 2);
  const broken = shape.text.slice(0, mid) + ' {{ .Release.Name' + shape.text.slice(mid + 3);
  assert.equal(helmTemplateOffset(broken), mid + 1);
  // without a word only Helm knows, braces inside a value are data (as in a PrometheusRule's alert text)
  const data = shape.text.slice(0, mid) + ' {{' + shape.text.slice(mid + 3);
  assert.equal(helmTemplateOffset(data), -1);
});

/** The `{{` that the first Helm check (regular expressions and a scan per `{{`) took for template
 * actions: not after `$`, not on a line whose text starts with `#`, a `}}` after it, in a text with
 * `apiVersion:` and `kind:` lines. Lines end at any YAML line break. */
function braceCandidates(text: string): number[] {
  if (!/^\s*apiVersion:/m.test(text) || !/^\s*kind:/m.test(text)) return [];
  const out: number[] = [];
  for (let i = text.indexOf('{{'); i >= 0; i = text.indexOf('{{', i + 1)) {
    if (text.indexOf('}}', i + 2) < 0) break;
    const lineStart =
      Math.max(...['\n', '\r', '\u2028', '\u2029'].map((b) => text.lastIndexOf(b, i - 1))) + 1;
    if (!/^\s*#/.test(text.slice(lineStart, i)) && text[i - 1] !== '$') out.push(i);
  }
  return out;
}

test('Helm check: the action it reports is a brace pair the first check took, and one that begins a line always counts (short texts)', () => {
  const frag = fc.constantFrom(
    'apiVersion:',
    'kind:',
    'apiVersion: v1',
    ' ',
    '\t',
    '\n',
    '\r',
    '\u2028',
    '#',
    '$',
    '{',
    '{{',
    '}}',
    '}',
    'x',
    'a',
    'k',
    '\u00a0',
    '.Values',
    ': ',
    '- ',
  );
  fc.assert(
    fc.property(fc.array(frag, { maxLength: 30 }), (parts) => {
      const t = parts.join('');
      const got = helmTemplateOffset(t);
      const candidates = braceCandidates(t);
      if (got >= 0) assert.ok(candidates.includes(got), JSON.stringify(t));
      // the first candidate, when it is the first text of its line and nothing before it opened a
      // string, a block scalar or an action, is what the check reports
      const first = candidates[0];
      if (first !== undefined && !/[|>'"]|{{/.test(t.slice(0, first))) {
        const lineStart =
          Math.max(...['\n', '\r', '\u2028', '\u2029'].map((b) => t.lastIndexOf(b, first - 1))) + 1;
        if (/^[ \t\u00a0]*$/.test(t.slice(lineStart, first))) assert.equal(got, first, JSON.stringify(t));
      }
    }),
    { numRuns: 20000, seed: 17 },
  );
});

test('completion under a line of 400,000 spaces answers with the fields of the map', () => {
  // the key regex backtracked on the spaces (4.6 s per completion at 100,000; quadratic)
  const shape = A.longLineOfSpaces(400_000);
  const { parsed } = check(shape.text);
  const labels = completionAt(shape, parsed!);
  assert.ok(
    labels.includes('type') && labels.includes('ports') && labels.includes('selector'),
    labels.join(','),
  );
  // and on the long line itself (key position after the spaces)
  const line = shape.text.split('\n')[4];
  assert.equal(keyAt(line, 2), undefined);
  assert.equal(keyValueAt(line.slice(2)), undefined);
});

const KEY_RE = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"\-?:,[\]{}][^#]*?|-[^\s#][^#]*?)[ \t]*:(?=[ \t]|$)/;
const KEY_VALUE_RE = /^("[^"]*"|'[^']*'|[^\s:#][^:#]*?)[ \t]*:[ \t]+(.*)$/;

test('the completion key scanners agree with the regular expressions they replaced (short lines)', () => {
  const frag = fc.constantFrom(
    'a',
    'a',
    'b',
    ': ',
    ':',
    ' ',
    ' ',
    '\t',
    '#',
    '"',
    "'",
    '\\',
    '-',
    '?',
    ',',
    '[',
    '{',
    '\r',
    '\u2028',
    '\u00a0',
    'x y',
  );
  fc.assert(
    fc.property(fc.array(frag, { maxLength: 14 }), (parts) => {
      const line = parts.join('');
      const m = KEY_RE.exec(line);
      const k = keyAt(line, 0);
      assert.deepEqual(
        k ? [k.key, k.end] : null,
        m ? [m[1], m[0].length] : null,
        `key of ${JSON.stringify(line)}`,
      );
      const kv = KEY_VALUE_RE.exec(line);
      const kv2 = keyValueAt(line);
      assert.deepEqual(
        kv2 ? [kv2.key, kv2.value] : null,
        kv ? [kv[1], kv[2]] : null,
        `key/value of ${JSON.stringify(line)}`,
      );
    }),
    { numRuns: 50000, seed: 23 },
  );
});

test('a flow sequence of 2.5 million items (4.8 MB): one notice at its `[`, and the next document is checked', () => {
  // yaml built every node before any limit applied: 2.8 GB and a crash. The parser now counts values
  // as it reads and stops at the limit, before the nodes exist.
  const { seen, parsed } = check(A.hugeFlowSequence(2_500_000).text + AFTER);
  assert.equal(parsed!.docs[0].root, null);
  assert.deepEqual(seen[0], {
    range: '5:9-5:10',
    severity: 'information',
    rule: 'document-too-complex',
    message:
      "Kube NetLens skipped this document: it holds more than 100,000 YAML values (this flow sequence alone holds over 99,991 values), over the limit that keeps the editor's memory and response time bounded. Split it into smaller documents (`---`) or files to have it checked.",
  });
  assert.deepEqual(
    seen.slice(1).map((s) => `${s.range} ${s.rule}`),
    ['13:10-13:15 port-invalid'],
  );
});

test('a flow sequence of 4 million commas (no values): the token limit stops it', () => {
  const text = `apiVersion: v1\nkind: ConfigMap\ndata:\n  x: [${','.repeat(4_000_000)}]\n`;
  const { seen } = check(text);
  assert.equal(seen.length, 1);
  assert.equal(seen[0].rule, 'document-too-complex');
  assert.match(
    seen[0].message,
    /^Kube NetLens skipped this document: it holds more than 100,000 YAML values \(this flow sequence alone holds over [\d,]+ values\)/,
  );
  assert.equal(seen[0].range, '3:5-3:6');
});

test('nesting 100,000 deep (`[[[…`, `- - - …`) and block maps 3,000 deep: one notice where the limit is crossed, no stack overflow', () => {
  assert.deepEqual(
    check(A.deepFlow(100_000).text + AFTER).seen.map(
      (s) => `${s.range} ${s.severity}[${s.rule}] ${s.message}`,
    ),
    [
      `5:130-5:131 information[document-too-complex] ${NESTED}`,
      '13:10-13:15 error[port-invalid] port must be between 1 and 65535 (it is 70000)',
    ],
  );
  assert.deepEqual(check(A.deepDashes(100_000).text).seen, [
    { range: '6:252-6:253', severity: 'information', rule: 'document-too-complex', message: NESTED },
  ]);
  assert.deepEqual(check(A.deepBlockMaps(3000).text).seen, [
    { range: '131:128-131:129', severity: 'information', rule: 'document-too-complex', message: NESTED },
  ]);
  // 100 levels is fine (CRD schemas nest deep): no notice, only what the schema says of the
  // ConfigMap's data value (a list where a string goes)
  assert.deepEqual(
    check(A.deepFlow(100).text).seen.map((s) => `${s.rule} ${s.message}`),
    ['schema-type data.x must be a string, not a list'],
  );
});

test('a map with 45,000 keys: a duplicate key is still reported, with a hash set instead of a scan per key', () => {
  // yaml's own uniqueKeys check compares each key with every earlier key (10,000 keys: 3.6 s)
  const shape = A.manyKeys(45_000);
  const { seen } = check(`${shape.text}  k7: again\n`);
  assert.deepEqual(seen, [
    {
      range: '45005:2-45005:3',
      severity: 'error',
      rule: 'yaml-syntax',
      message: 'YAML syntax error: Map keys must be unique',
    },
  ]);
  // equal values count, whatever their spelling: 1 and "1" differ, 0x1 and 1 do not
  assert.deepEqual(
    check('apiVersion: v1\nkind: ConfigMap\ndata:\n  1: a\n  "1": b\n  0x1: c\n').seen.map(
      (s) => `${s.range} ${s.message}`,
    ),
    ['5:2-5:3 YAML syntax error: Map keys must be unique'],
  );
});

test('a million empty documents: the first 20,000 are parsed, one notice where the rest begins', () => {
  const text = A.manyDocuments(1_000_000).text;
  const { seen, parsed } = check(text);
  assert.equal(parsed!.docs.length, MAX_DOCUMENTS + 1);
  assert.deepEqual(seen, [
    {
      range: '20000:0-20000:3',
      severity: 'information',
      rule: 'document-too-complex',
      message:
        "Kube NetLens skipped the rest of this file from here: it holds more than 20,000 YAML documents, over the limit that keeps the editor's memory and response time bounded. Split the file to have the rest checked.",
    },
  ]);
});

test('empty documents are answered without the parser, exactly as the parser answers them', () => {
  // a run of empty documents cost one yaml parse each (20,000 of them on the server's thread)
  const nullAt = (at: number) => ({
    root: { type: 'scalar', start: at, end: at, value: null, source: '', style: 'plain' },
    errors: [],
    contentStart: at,
  });
  const cases: [string, object][] = [
    ['---\n', nullAt(3)],
    ['---', nullAt(3)],
    ['---   \n\n  \n', nullAt(6)],
    ['---\r\n', nullAt(3)],
    ['\n\n', { root: null, errors: [], contentStart: 0 }],
    ['---\n# only a comment\n', nullAt(3)],
  ];
  for (const [text, want] of cases) {
    const d = parseChunk({ start: 7, text }, 2, NO_BUDGET);
    assert.deepEqual(
      { root: d.root, errors: d.errors, contentStart: d.contentStart },
      want,
      JSON.stringify(text),
    );
    assert.equal(d.base, 7);
    assert.equal(d.index, 2);
  }
});

test('a file of many equal documents is parsed document by document: each copy counts as text to parse', () => {
  // the server parses new text over 8 KB in turns; copies of one document were counted once, so
  // 20,000 of them were parsed at once on its thread
  const one = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: same\n';
  const text = Array.from({ length: 3000 }, () => one).join('---\n');
  const parser = new IncrementalParser(NO_BUDGET);
  const first = parser.missing(text);
  assert.equal(first.chunks.length, 3000);
  assert.ok(first.bytes > 3000 * one.length);
  // parsed elsewhere (in turns), then entered: nothing is parsed again
  const docs = first.chunks.map((c) => parseChunk(c, c.index, NO_BUDGET));
  const file = parser.parse(text, new Map(first.chunks.map((c, i) => [c.index, docs[i]])));
  assert.equal(file.docs.length, 3000);
  assert.ok(file.docs.every((d, i) => d === docs[i] && d.index === i));
  // the same text again: a cached document serves one copy of each text (the first document has no
  // `---`, the 2,999 after it are equal), the other copies are listed again
  assert.equal(parser.missing(text).chunks.length, 2998);
});

test('documents parsed for a version that a newer one overtook are kept for the newer one', () => {
  const a = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n';
  const b = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: b\n';
  const parser = new IncrementalParser(NO_BUDGET);
  const old = parser.missing(`${a}---\n${b}`);
  parser.remember(old.chunks.slice(0, 1).map((c) => parseChunk(c, c.index, NO_BUDGET)));
  // only the document not parsed yet is missing from the newer text
  const now = parser.missing(`${a}---\n${b}---\n${a.replace('name: a', 'name: c')}`);
  assert.deepEqual(
    now.chunks.map((c) => c.index),
    [1, 2],
  );
});

test('completion in a map of 200,000 keys knows the keys above and below the cursor', () => {
  const lines = ['apiVersion: v1', 'kind: Service', 'metadata:', '  name: x', 'spec:'];
  for (let i = 0; i < 100_000; i++) lines.push(`  k${i}: v`);
  lines.push('  type: ClusterIP', '  ', '  ports: []');
  for (let i = 0; i < 100_000; i++) lines.push(`  z${i}: v`);
  const text = '\n' + lines.join('\n') + '\n';
  const offset = text.indexOf('\n  \n') + 3;
  const ctx = cursorContext(text, offset);
  assert.deepEqual(ctx?.path, ['spec']);
  assert.ok(ctx?.existingKeys.has('type') && ctx.existingKeys.has('ports') && ctx.existingKeys.has('k0'));
  assert.equal(ctx?.existingKeys.size, 200_002);
  const labels = complete(text, offset).map((e) => e.label);
  assert.ok(
    labels.includes('selector') && !labels.includes('type') && !labels.includes('ports'),
    labels.join(),
  );
});

test('a file with thousands of findings: the editor gets the first 2,000 (errors first) and one notice counting the rest', () => {
  // 2,000 Ingresses for one host made 44,000 findings, a 27 MB message per check (now one finding per
  // Ingress path, below); 4,200 Services whose selector matches no workload still make one each
  const ws = new TextWorkspace();
  const uri = 'file:///many-findings.yaml';
  const broken = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: bad\nspec:\n  ports:\n  - port: 99999\n';
  const services = Array.from(
    { length: 4200 },
    (_, i) =>
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: web-${i}\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n`,
  );
  ws.set(uri, `${services.join('---\n')}---\n${broken}`);
  const service = createLanguageService(ws, { ...DEFAULT_LANGUAGE_SETTINGS, timeBudgetMs: Infinity });
  const all = service.doValidation(uri);
  assert.ok(all.length >= 4200, `${all.length} findings`);
  const errors = all.filter((d) => d.severity === DiagnosticSeverity.Error);
  assert.ok(errors.length > 0 && errors.length < 100, `${errors.length} errors`);
  const sent = publishedDiagnostics(all);
  assert.equal(sent.length, MAX_PUBLISHED);
  assert.deepEqual(sent[0], {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    code: 'document-too-complex',
    codeDescription: sent[0].codeDescription,
    source: 'kube-netlens',
    message: `Kube NetLens shows 1,999 of the ${all.length.toLocaleString('en-US')} findings in this file (errors first): the other ${(all.length - 1999).toLocaleString('en-US')} are left out to keep the editor responsive. \`kube-netlens check\` on the file lists them all.`,
  });
  // every error is among them (the last one is at the end of the file), and the rest keep document order
  for (const e of errors) assert.ok(sent.includes(e), String(e.message));
  const rest = sent.slice(1);
  for (let i = 1; i < rest.length; i++) assert.ok(all.indexOf(rest[i - 1]) < all.indexOf(rest[i]));
  // a file under the limit is sent as it is
  const under = all.slice(0, MAX_PUBLISHED);
  assert.equal(publishedDiagnostics(under), under);
});

test('thousands of Ingresses on one host and path: one finding per Ingress path names the first three others, counts the rest and points at twenty', () => {
  const { seen } = check(A.sameHost(300).text);
  const conflicts = seen.filter((s) => s.rule === 'ingress-path-conflict');
  assert.equal(conflicts.length, 300, 'one per Ingress, not one per pair');
  assert.deepEqual(conflicts[0], {
    range: '9:14-9:15',
    severity: 'warning',
    rule: 'ingress-path-conflict',
    message:
      'Host shop.example.com, path / (Prefix) is also claimed by 299 Ingresses: default/web-1 (backend web-1:80), default/web-2 (backend web-2:80), default/web-3 (backend web-3:80) and 296 more. Which one serves it depends on the controller',
  });
  assert.match(
    conflicts[299].message,
    /by 299 Ingresses: default\/web-0 \(backend web-0:80\), default\/web-1 /,
  );
  // the related locations: the first twenty others, each at its path
  const ws = new TextWorkspace();
  const uri = 'file:///same-host.yaml';
  const text = A.sameHost(300).text;
  ws.set(uri, text);
  const diags = createLanguageService(ws, { ...DEFAULT_LANGUAGE_SETTINGS, timeBudgetMs: Infinity })
    .doValidation(uri)
    .filter((d) => d.code === 'ingress-path-conflict');
  const related = diags[0].relatedInformation ?? [];
  assert.equal(related.length, 20);
  const pathLines = text.split('\n').flatMap((l, i) => (l === '      - path: /' ? [i] : []));
  assert.deepEqual(
    related.map((r) => [r.location.range.start.line, r.message]),
    pathLines
      .slice(1, 21)
      .map((line, i) => [line, `Ingress default/web-${i + 1} claims the same host and path here`]),
  );
});

/** Runs `fn` with `obj[name]` replaced by what `wrap` makes of it, and puts the original back after
 * (the tests below count the calls a rule makes, instead of timing it). */
function whilePatched<T extends object, K extends keyof T, R>(
  obj: T,
  name: K,
  wrap: (original: T[K]) => T[K],
  fn: () => R,
): R {
  const original = obj[name];
  obj[name] = wrap(original);
  try {
    return fn();
  } finally {
    obj[name] = original;
  }
}

/** Runs `fn` while the method `obj[name]` counts its calls (those whose arguments `counts` accepts:
 * all by default); the result and that count. */
function countingCalls<T extends object, K extends keyof T, R>(
  obj: T,
  name: K,
  fn: () => R,
  counts: (args: unknown[]) => boolean = () => true,
): { result: R; calls: number } {
  let calls = 0;
  const result = whilePatched(
    obj,
    name,
    (original) =>
      function (this: unknown, ...args: unknown[]) {
        if (counts(args)) calls++;
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      } as T[K],
    fn,
  );
  return { result, calls };
}

/** Runs `fn` while Array.prototype.includes counts how often it is asked for 'Egress' (a policy's
 * types are asked whether they hold Egress); the result and that count. */
function countingEgressQuestions<R>(fn: () => R): { result: R; asked: number } {
  const { result, calls } = countingCalls(Array.prototype, 'includes', fn, (args) => args[0] === 'Egress');
  return { result, asked: calls };
}

test('many Services and Deployments in one namespace: service-selector-no-match looks at no workload per Service when none is defined twice (it looked at every one: pairs)', () => {
  // counted, not timed: the index's duplicate lookups during the whole check; the cluster model
  // asks once per resource, and the rule asked once per Service and workload of its namespace
  const count = 200;
  const {
    result: { seen },
    calls,
  } = countingCalls(ResourceIndex.prototype, 'isDuplicated', () => check(A.servicesAndWorkloads(count).text));
  assert.deepEqual(
    seen.filter((s) => s.rule === 'service-selector-no-match'),
    [],
  );
  assert.ok(calls > 0 && calls <= 4 * 2 * count, `${calls} duplicate lookups for ${2 * count} resources`);
});

test('many Services and their EndpointSlices in one namespace: service-endpoints-port-mismatch finds each Service its slices without visiting every slice of the namespace per Service (pairs)', () => {
  // counted, not timed: the index's lookups of an object by kind, namespace and name during the
  // whole check; the rule looked up every slice of the namespace for each Service
  const count = 200;
  const {
    result: { seen },
    calls,
  } = countingCalls(ResourceIndex.prototype, 'find', () => check(A.servicesAndEndpointSlices(count, 7).text));
  const found = seen.filter((s) => s.rule === 'service-endpoints-port-mismatch');
  assert.equal(found.length, 1);
  assert.match(
    found[0].message,
    /^Service port "http" TCP has no endpoint port .* in EndpointSlice svc-7-abc \(their ports: "web" 8080\/TCP\)/,
  );
  assert.ok(calls > 0 && calls <= 10 * 2 * count, `${calls} lookups for ${2 * count} resources`);
});

/** The findings of one rule in a crafted file, checked against an index prepared by `prepare`. */
function findingsOf(text: string, rule: string, prepare: (index: ResourceIndex) => void): string[] {
  const parsed = parseFile(text, NO_BUDGET);
  const index = new ResourceIndex();
  index.setFile(
    'file:///crafted.yaml',
    parsed.docs.flatMap((d) => resourcesOf(d)),
  );
  prepare(index);
  return checkParsedFile(parsed, index, {
    settings: { kubernetesVersion: '1.34', severities: {}, now: Date.UTC(2026, 11, 6) },
    reportSyntax: true,
    uri: 'file:///crafted.yaml',
    budgetMs: Infinity,
  })
    .filter((f) => f.ruleId === rule)
    .map((f) => f.message);
}

test('many egress policies that all select the same pods: netpol-egress-dns-blocked goes through the pods once, not once per policy, nor through the policies once per pod (pairs)', () => {
  // counted, not timed: the lookups in the rule's table of what the pods of a namespace get from the
  // policies that select them (kept per index version), which the rule consulted for every pod of
  // every policy; and how often a policy's types are asked for Egress, which the rule did for every
  // policy selecting each pod when it filled that table (a pod times a policy)
  const count = 200;
  let gets = 0;
  class Counted<K, V> extends Map<K, V> {
    override get(k: K): V | undefined {
      gets++;
      return super.get(k);
    }
  }
  const { result: found, asked } = countingEgressQuestions(() =>
    findingsOf(A.egressPolicies(count).text, 'netpol-egress-dns-blocked', (index) =>
      index.memo('netpol-dns-per-pod', () => new Counted()),
    ),
  );
  assert.equal(found.length, count);
  assert.match(
    found[0],
    /^Egress is restricted but no rule allows DNS .* of Pod pod-0, Pod pod-1, Pod pod-2, \.\.\. will time out/,
  );
  assert.ok(gets > 0 && gets <= 2 * count, `${gets} lookups for ${count} policies over ${count} pods`);
  assert.ok(asked > 0 && asked <= 10 * count, `${asked} questions for ${count} policies over ${count} pods`);
});

test('many egress policies that select no pod: netpol-egress-dns-blocked finds the policies that cover each by their selectors, without asking about every other policy (pairs)', () => {
  // counted, not timed: how often a policy's types are asked for Egress during the rule's check
  const count = 200;
  const { result: found, asked } = countingEgressQuestions(() =>
    findingsOf(A.egressPolicies(count, false).text, 'netpol-egress-dns-blocked', () => {}),
  );
  assert.equal(found.length, count);
  assert.match(found[0], /^Egress is restricted but no rule allows DNS .* of these pods will time out/);
  assert.ok(asked > 0 && asked <= 10 * count, `${asked} questions for ${count} policies`);
});

test('one object defined hundreds of times: resource-duplicate reads a bounded part of the list of copies for each copy (it read the whole list twice: pairs)', () => {
  // counted, not timed: reads of the lists of copies the index hands out, during the whole check
  const count = 300;
  const text = Array.from(
    { length: count },
    () => 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n',
  ).join('---\n');
  let reads = 0;
  const counted = new WeakMap<object, IndexedResource[]>();
  const { seen } = whilePatched(
    ResourceIndex.prototype,
    'find',
    (find) =>
      function (this: ResourceIndex, ...args: Parameters<typeof find>) {
        const list = find.apply(this, args);
        let p = counted.get(list);
        if (!p) {
          p = new Proxy(list, {
            get(target, key, receiver) {
              if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
              return Reflect.get(target, key, receiver);
            },
          });
          counted.set(list, p);
        }
        return p;
      },
    () => check(text),
  );
  const found = seen.filter((s) => s.rule === 'resource-duplicate');
  assert.equal(found.length, count);
  assert.match(found[0].message, /^Service default\/web is defined 300 times in this workspace/);
  assert.ok(reads > 0 && reads <= 40 * count, `${reads} reads for ${count} copies`);
});

test("an alias bomb is refused where go-yaml's alias guard refuses it: one error, nothing expanded", () => {
  const shape = A.aliasBomb(30);
  const { seen, parsed } = check(shape.text + AFTER);
  // go-yaml v2 counts the values it decodes (the document, each key and value, each alias and what
  // it stands for) and those through an alias: 14 before a1; a1 is 1 + 10 x 2 = 21 values, a2
  // 1 + 10 x 22 = 221, a3 2,221; after a3, 2,480 values of which 2,430 through aliases (98%). The
  // first *a3 of a4 brings it to 4,651 of 4,704 (98.9%), the second to 6,872 of 6,926 (99.2%), over
  // the 99% it allows: kubectl stops there, and so does the parse (no tree, nothing else reported)
  const a4 = shape.text.split('\n').findIndex((l) => l.startsWith('  a4:'));
  const second = shape.text.split('\n')[a4].indexOf('*a3', shape.text.split('\n')[a4].indexOf('*a3') + 1);
  assert.deepEqual(seen[0], {
    range: `${a4}:${second}-${a4}:${second + 3}`,
    severity: 'error',
    rule: 'yaml-syntax',
    message:
      'YAML syntax error: The aliases of this document expand to 6,872 of the 6,926 values read up to here: kubectl refuses it ("yaml: document contains excessive aliasing"), since go-yaml v2 stops once more than 99% of the values of a document of this size come through aliases (its guard against alias bombs). Alias less, or write the repeated values out.',
  });
  assert.deepEqual(
    seen.slice(1).map((s) => s.rule),
    ['port-invalid'],
  );
  assert.equal(parsed!.docs[0].root, null);
});

test('aliases that expand past the value limit: one notice at the alias, the document skipped', () => {
  // a document large enough that go-yaml would allow the expansion (1% of its values are its own),
  // but whose aliases bring more values than the document limit
  const limits = { ...NO_BUDGET, maxNodes: 1000 };
  const lines = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: big',
    'data:',
    '  a0: &a0 [x, x, x, x, x, x, x, x, x]',
  ];
  for (let i = 1; i <= 200; i++) lines.push(`  k${i}: v`);
  for (let i = 1; i <= 120; i++) lines.push(`  a${i}: *a0`);
  const text = lines.join('\n') + '\n';
  const { seen, parsed } = check(text + AFTER, { limits });
  // each *a0 brings 10 values: the 101st passes 1,000
  const line = lines.indexOf('  a101: *a0');
  assert.deepEqual(seen[0], {
    range: `${line}:8-${line}:11`,
    severity: 'information',
    rule: 'document-too-complex',
    message:
      "Kube NetLens skipped this document: its aliases expand to more than 1,000 values (the expansion passes that count at this alias), over the limit that keeps the editor's memory and response time bounded. Alias less, or split the document (`---`), to have it checked.",
  });
  assert.deepEqual(
    seen.slice(1).map((s) => s.rule),
    ['port-invalid'],
  );
  assert.equal(parsed!.docs[0].root, null);
});

test('binary junk with NUL bytes: one notice', () => {
  assert.deepEqual(check(A.binaryJunk(200_000).text).seen, [
    {
      range: '0:0-0:0',
      severity: 'information',
      rule: 'binary-file',
      message: 'Kube NetLens skipped this file: it holds binary data, not YAML text',
    },
  ]);
});

test('parse budget: a document that takes longer than its budget gets one notice at its start', () => {
  const { seen } = check(A.manyKeys(5000).text + AFTER, { limits: { ...DEFAULT_PARSE_LIMITS, budgetMs: 0 } });
  assert.deepEqual(seen[0], {
    range: '0:0-0:1',
    severity: 'information',
    rule: 'document-time-budget',
    message:
      'Kube NetLens skipped this document: reading its YAML took longer than the 0 ms budget per document that keeps the editor responsive. Split it into smaller documents (`---`) or files to have it checked.',
  });
  // the small document after it has its own budget
  assert.deepEqual(
    seen.slice(1).map((s) => s.rule),
    ['port-invalid'],
  );
});

test("check budget: rules stop once the file's budget is spent, and one notice names what did not run", () => {
  const shape = A.sameHost(20);
  const full = check(shape.text);
  assert.ok(full.seen.length > 0);
  assert.ok(!full.seen.some((s) => s.rule === 'document-time-budget'));
  const { seen } = check(shape.text, { budgetMs: 0 });
  const notices = seen.filter((s) => s.rule === 'document-time-budget');
  assert.equal(notices.length, 1);
  assert.equal(notices[0].range, '0:0-0:1');
  assert.equal(notices[0].severity, 'information');
  assert.match(
    notices[0].message,
    /^Kube NetLens stopped checking this file here after the 0 ms budget per file that keeps the editor responsive: from this document on, these rules did not run: [a-z0-9-]+(, [a-z0-9-]+)*( and \d+ more)?\. Split the file \(or this document\) to have it fully checked\.$/,
  );
  assert.ok(seen.length < full.seen.length);
});

test('tag and anchor properties before a node are found backwards, as the regular expression found them (short lines)', () => {
  const byRegex = (before: string) => {
    const m = /(?:^|(?<=[\s]))((?:[!&][^\s,[\]{}]*[ \t]+)+)$/.exec(before);
    return m ? before.length - m[1].length : before.length;
  };
  fc.assert(
    fc.property(
      fc.array(
        fc.constantFrom('!', '&', '!t', '&a', ' ', '\t', 'x', ',', '[', '{', '- ', '\u00a0', 'key: '),
        { maxLength: 14 },
      ),
      (parts) => {
        const before = parts.join('');
        assert.equal(propsSuffix(before), byRegex(before), JSON.stringify(before));
      },
    ),
    { numRuns: 20000, seed: 31 },
  );
  // a 300,000-character line of properties: one backward pass (the regex tried every start)
  const long = '!t '.repeat(100_000);
  assert.equal(propsSuffix(long), 0);
  assert.equal(propsSuffix(`x${long}`), 4); // `x!t` is not a property: the run starts at the next one
});

test('"did you mean" skips words longer than a Kubernetes name can be', () => {
  const long = 'a'.repeat(200_000);
  // two equal-length 200,000-character names: the edit distance would be 4·10¹⁰ steps
  assert.equal(closest(long, [`${long.slice(1)}b`]), undefined);
  assert.equal(closest('wbe', ['web', long]), 'web');
});

test('a 400,000-character label value that opens a placeholder and never closes it: judged in one pass', () => {
  // the placeholder test runs on the text of each finding; a name run followed by an overlapping run
  // backtracked quadratically here (20,000 characters: 190 ms; this: about a minute)
  const value = `\${${'a'.repeat(400_000)}`;
  const service = (v: string) =>
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n    app: "${v}"\nspec:\n  ports:\n  - port: 80\n`;
  const labels = (text: string) =>
    check(text)
      .seen.filter((f) => f.rule === 'label-invalid')
      .map((f) => `${f.range} ${f.message.slice(-40)}`);
  assert.deepEqual(labels(service(value)), ['5:9-5:400013 be at most 63 characters (it has 400002)']);
  // closed, the same value is a placeholder: judged once substituted
  assert.deepEqual(labels(service(`${value}}`)), []);
});

test('random mixes of the crafted shapes: every range lies in the text, at most one limit notice per document', () => {
  const pieces = A.allShapes(0.002)
    .filter((s) => s.name !== 'binary junk')
    .map((s) => s.text);
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 4 }), (chosen) => {
      const text = chosen.join('---\n');
      const { seen, parsed } = check(text, { limits: DEFAULT_PARSE_LIMITS });
      const lines = text.split('\n');
      for (const s of seen) {
        const [a, b] = s.range.split('-').map((p) => p.split(':').map(Number));
        assert.ok(
          a[0] < lines.length &&
            b[0] < lines.length &&
            a[1] <= lines[a[0]].length &&
            b[1] <= lines[b[0]].length,
          `${s.range} in ${lines.length} lines`,
        );
      }
      for (const d of parsed?.docs ?? [])
        assert.ok(d.errors.filter((e) => !e.warning).length <= DEFAULT_PARSE_LIMITS.maxErrors + 1);
      assert.ok(
        !seen.some((s) => s.message.startsWith('Internal error')),
        JSON.stringify(seen.filter((s) => s.message.startsWith('Internal error'))),
      );
    }),
    { numRuns: 60, seed: 41 },
  );
});

test('every shape, at a tenth of its size, is checked and answers a completion', () => {
  for (const shape of A.allShapes(0.1)) {
    const { seen, parsed } = check(shape.text, { limits: DEFAULT_PARSE_LIMITS, budgetMs: undefined });
    assert.ok(Array.isArray(seen), shape.name);
    if (parsed) assert.ok(Array.isArray(completionAt(shape, parsed)), shape.name);
  }
});

// One protocol round against the built server: crafted documents get their notice, the rest of the
// file is checked, and a small document is answered meanwhile.
let client: LspClient;
before(async () => {
  // the counted limits (depth, values, tokens, errors) are what this round asserts: a time budget far
  // above them keeps a busy machine from answering with the clock's notice instead
  client = await LspClient.start({ timeBudgetMs: 600_000 });
});
after(async () => {
  await client.stop();
});

test('protocol: the built server gives each crafted document its notice and keeps answering', async () => {
  const small = client.uriFor('adversarial-small.yaml');
  await client.open(
    small,
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: ClusterIP\n  ports:\n  - port: 80\n',
  );
  assert.deepEqual(await client.diagnostics(small), []);
  const deep = client.uriFor('adversarial-deep.yaml');
  await client.open(deep, A.deepFlow(100_000).text + AFTER);
  const huge = client.uriFor('adversarial-huge.yaml');
  await client.open(huge, A.hugeFlowSequence(2_500_000).text);
  const errors = client.uriFor('adversarial-errors.yaml');
  await client.open(errors, A.unclosedFlowBlankLines(6000).text);
  const d1 = await client.diagnostics(deep, 60000);
  assert.deepEqual(
    d1.map((d) => [d.code, d.severity, d.range.start, d.message]),
    [
      ['document-too-complex', 3, { line: 5, character: 130 }, NESTED],
      ['port-invalid', 1, { line: 13, character: 10 }, 'port must be between 1 and 65535 (it is 70000)'],
    ],
  );
  const d2 = await client.diagnostics(huge, 60000);
  assert.equal(d2.length, 1);
  assert.equal(d2[0].code, 'document-too-complex');
  assert.deepEqual(d2[0].range.start, { line: 5, character: 9 });
  const d3 = await client.diagnostics(errors, 60000);
  assert.deepEqual(
    d3.map((d) => [d.code, d.range.start.line]),
    [['yaml-syntax', 6005]],
  );
  const hover = await client.hover(small, { line: 5, character: 4 });
  assert.match(JSON.stringify(hover?.contents ?? ''), /ClusterIP/);
  const items = await client.completion(deep, { line: 12, character: 2 });
  assert.ok(
    items.some((i) => i.label === 'ports'),
    JSON.stringify(items.map((i) => i.label)),
  );
  for (const u of [small, deep, huge, errors]) await client.close(u);
});

test('protocol: the first check of a file of thousands of documents shows its findings every 500 documents, with a notice, until the whole file is checked', async () => {
  const uri = client.uriFor('adversarial-progress.yaml');
  const count = 1200;
  const text = Array.from(
    { length: count },
    (_, i) =>
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: lonely-${i}\nspec:\n  selector:\n    app: lonely-${i}\n  ports:\n  - port: 80\n`,
  ).join('---\n');
  client.keepHistory = true;
  try {
    await client.open(uri, text);
    const done = (d: Diagnostic[]) =>
      d.length === count && !d.some((x) => /still checking/.test(String(x.message)));
    const final = await client.waitForDiagnostics(uri, done, 120_000);
    assert.ok(final.every((d) => d.code === 'service-selector-no-match'));
    const partial = (client.history.get(uri) ?? []).map((p) => p.diagnostics).filter((d) => !done(d));
    assert.ok(partial.length >= 2, `${partial.length} publications before the end`);
    for (const d of partial) {
      const m =
        /^Kube NetLens is still checking this file: these are the findings of its first (\d+(?:,\d+)?) documents of 1,200 and of those edited since; the others follow\.$/.exec(
          String(d[0].message),
        );
      assert.ok(m, String(d[0].message));
      assert.equal(d[0].severity, DiagnosticSeverity.Information);
      assert.deepEqual(d[0].range.start, { line: 0, character: 0 });
      const checked = Number(m[1].replace(',', ''));
      assert.ok(checked === 500 || checked === 1000, m[1]);
      // exactly the findings of the documents checked so far, as the full check has them
      assert.deepEqual(d.slice(1), final.slice(0, checked));
    }
  } finally {
    client.keepHistory = false;
    await client.close(uri);
  }
});

test('check budget: time spent building what every file shares (cluster, route graph) is not charged to the file that happened to build it', (t) => {
  // a clock that moves only while the index computes a shared value: 5 s per computation, so the
  // file's own rules take no time at all and a 1 s budget must not cut them short
  let clock = 0;
  t.mock.method(performance, 'now', () => clock);
  class SlowSharedIndex extends ResourceIndex {
    override memo<T>(key: string, compute: () => T): T {
      return super.memo(key, () => {
        clock += 5000;
        return compute();
      });
    }
  }
  const text = A.sameHost(5).text;
  const run = (index: ResourceIndex, budgetMs: number) => {
    const parsed = parseFile(text, NO_BUDGET);
    index.setFile(
      'file:///crafted.yaml',
      parsed.docs.flatMap((d) => resourcesOf(d)),
    );
    return checkParsedFile(parsed, index, {
      settings: { kubernetesVersion: '1.34', severities: {}, now: Date.UTC(2026, 11, 6) },
      reportSyntax: true,
      uri: 'file:///crafted.yaml',
      budgetMs,
    }).map((f) => `${f.start}-${f.end} ${f.ruleId} ${f.message}`);
  };
  const slow = new SlowSharedIndex();
  const budgeted = run(slow, 1000);
  assert.ok(clock >= 5000, `a shared value was computed (${clock} ms on the fake clock)`);
  assert.ok(slow.sharedMs >= clock - 1, `${slow.sharedMs} ms counted as shared`);
  assert.ok(!budgeted.some((f) => f.includes('document-time-budget')), budgeted.join('\n'));
  assert.deepEqual(budgeted, run(new ResourceIndex(), Infinity));
});

test('line offsets of a large text computed in turns are the ones the document computes itself (\\n, \\r, \\r\\n, across slices)', async () => {
  // a CRLF pair straddles the 64 K scan boundary; lone CRs and LFs elsewhere
  let text = 'a'.repeat(65535) + '\r\n';
  while (text.length < LINE_OFFSETS_IN_TURNS_CHARS + 1000) text += 'key: value\r\nx\ry\n\n\r\r\n';
  const mine = TextDocument.create('file:///big.yaml', 'yaml', 1, text);
  const theirs = TextDocument.create('file:///big.yaml', 'yaml', 1, text);
  await lineOffsetsInTurns(mine, () => false);
  assert.ok(
    Array.isArray((mine as unknown as { _lineOffsets?: number[] })._lineOffsets),
    'offsets installed',
  );
  assert.equal(mine.lineCount, theirs.lineCount);
  const offsets = (d: TextDocument) => (d as unknown as { getLineOffsets(): number[] }).getLineOffsets();
  assert.ok(
    offsets(mine).length === offsets(theirs).length &&
      offsets(mine).every((o, i) => o === offsets(theirs)[i]),
  );
  for (const o of [0, 65534, 65535, 65536, 65537, 65538, 100_000, text.length - 3, text.length]) {
    assert.deepEqual(mine.positionAt(o), theirs.positionAt(o), `offset ${o}`);
    const p = theirs.positionAt(o);
    assert.equal(mine.offsetAt(p), theirs.offsetAt(p));
  }
  // only \n (line ends found by string search, counted first): the same offsets, also after edits
  for (const end of ['', '\n']) {
    const lf = `${'key: value\n\n'.repeat(LINE_OFFSETS_IN_TURNS_CHARS / 12 + 1000)}last${end}`;
    let a = TextDocument.create('file:///lf.yaml', 'yaml', 1, lf);
    let b = TextDocument.create('file:///lf.yaml', 'yaml', 1, lf);
    await lineOffsetsInTurns(a, () => false);
    assert.ok(Array.isArray((a as unknown as { _lineOffsets?: number[] })._lineOffsets), 'offsets installed');
    const same = () =>
      offsets(a).length === offsets(b).length && offsets(a).every((o, i) => o === offsets(b)[i]);
    assert.ok(same(), `LF text ending with ${JSON.stringify(end)}`);
    const edits = [
      { range: { start: { line: 3, character: 0 }, end: { line: 5, character: 0 } }, text: 'a\nb\nc\nd\n' },
      { range: { start: { line: 10, character: 2 }, end: { line: 20_000, character: 0 } }, text: 'x' },
    ];
    a = TextDocument.update(a, edits, 2);
    b = TextDocument.update(b, edits, 2);
    assert.ok(same(), 'after edits');
    assert.equal(a.getText(), b.getText());
  }
  // a short text is left to the document
  const small = TextDocument.create('file:///s.yaml', 'yaml', 1, 'a: 1\n');
  await lineOffsetsInTurns(small, () => false);
  assert.equal((small as unknown as { _lineOffsets?: number[] })._lineOffsets, undefined);
});

test('a broken document with more values than MAX_BROKEN_TREE_VALUES keeps its syntax errors but no tree; a smaller one keeps its tree', () => {
  const big = A.repeatedBrokenLine(200_000);
  const { seen, parsed } = check(big.text);
  assert.equal(parsed!.docs[0].root, null);
  assert.ok(seen.length > 0 && seen.every((s) => s.rule === 'yaml-syntax'), JSON.stringify(seen.slice(0, 3)));
  const small = A.repeatedBrokenLine(2_000);
  const again = check(small.text);
  assert.notEqual(again.parsed!.docs[0].root, null);
  assert.deepEqual([...new Set(again.seen.map((s) => s.rule))], ['yaml-syntax']);
  // the limit counts values: just over it, no tree
  const line = '- a: b: c\n';
  const n = Math.ceil(MAX_BROKEN_TREE_VALUES / 3) + 10;
  assert.equal(parseFile(`${line.repeat(n)}`, NO_BUDGET).docs[0].root, null);
  assert.notEqual(parseFile(`${line.repeat(100)}`, NO_BUDGET).docs[0].root, null);
});
