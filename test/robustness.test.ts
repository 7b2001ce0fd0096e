// Bad input never takes the server down: an alias bomb, a 50 MB file, binary junk, one very long
// line, broken YAML, and random documents and edit sequences (fast-check). After each, the server
// still publishes diagnostics and answers hover, completion and symbols.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LspClient } from './support/lsp-client';

let client: LspClient;
before(async () => {
  // what is asserted here is counted (sizes, limits, answers), not timed: a time budget no busy machine
  // reaches keeps the clock's notice out of it
  client = await LspClient.start({ timeBudgetMs: 600_000 });
});
after(async () => {
  await client.stop();
});

const VALID = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
`;

/** The server is alive and answers: a hover and a completion on a small known-good document. */
async function stillAnswers(): Promise<void> {
  const uri = client.uriFor('robustness-probe.yaml');
  await client.open(uri, VALID);
  const diags = await client.diagnostics(uri);
  assert.deepEqual(
    diags.map((d) => d.code),
    [],
  );
  const hover = await client.hover(uri, { line: 10, character: 10 });
  assert.match(JSON.stringify(hover?.contents ?? ''), /Prefix/);
  const items = await client.completion(uri, { line: 10, character: 8 });
  assert.ok(Array.isArray(items));
  await client.close(uri);
}

test('an alias bomb (billion laughs) gets its diagnostics and the server goes on answering', async () => {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: lol', 'data:', '  a0: &a0 "lol"'];
  for (let i = 1; i <= 12; i++)
    lines.push(`  a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
  const uri = client.uriFor('alias-bomb.yaml');
  await client.open(uri, lines.join('\n') + '\n');
  await client.diagnostics(uri);
  const symbols = await client.symbols(uri);
  assert.ok(Array.isArray(symbols));
  await client.hover(uri, { line: 17, character: 4 });
  await client.close(uri);
  await stillAnswers();
});

test('a 50 MB file is skipped with one clear notice and the server keeps answering', async () => {
  const doc = VALID.replace(/name: web/g, 'name: web-NN');
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < 50 * 1024 * 1024; i++) {
    const p = doc.replace(/NN/g, String(i)) + '---\n';
    parts.push(p);
    size += p.length;
  }
  const uri = client.uriFor('huge.yaml');
  await client.open(uri, parts.join(''));
  const diags = await client.diagnostics(uri, 60000);
  assert.equal(diags.length, 1);
  assert.equal(diags[0].code, 'file-too-large');
  assert.equal(diags[0].severity, 3);
  assert.match(String(diags[0].message), /MB/);
  assert.deepEqual(diags[0].range.start, { line: 0, character: 0 });
  await client.close(uri);
  await stillAnswers();
});

test('binary junk gets one notice, never a flood or a crash', async () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 256;
  const junk = Array.from({ length: 200_000 }, () => String.fromCharCode(rnd())).join('');
  const uri = client.uriFor('junk.yaml');
  await client.open(uri, junk);
  const diags = await client.diagnostics(uri);
  assert.equal(diags.length, 1);
  assert.equal(diags[0].code, 'binary-file');
  await client.hover(uri, { line: 0, character: 3 });
  await client.completion(uri, { line: 0, character: 3 });
  await client.close(uri);
  await stillAnswers();
});

test('one very long line (4 MB) is checked without hanging', async () => {
  const uri = client.uriFor('long-line.yaml');
  const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: long\ndata:\n  blob: "${'x'.repeat(4 * 1024 * 1024)}"\n`;
  await client.open(uri, text);
  assert.deepEqual(
    (await client.diagnostics(uri, 60000)).map((d) => d.code),
    [],
  );
  await client.hover(uri, { line: 5, character: 100000 });
  await client.close(uri);
  await stillAnswers();
});

// Fragments that random documents are made of: Kubernetes keys, YAML punctuation, Helm braces.
const FRAGMENTS = [
  'apiVersion: ',
  'networking.k8s.io/v1',
  'extensions/v1beta1',
  'v1',
  'kind: ',
  'Ingress',
  'Service',
  'NetworkPolicy',
  'Secret',
  'List',
  '\n',
  '\n  ',
  '\n    - ',
  'metadata:',
  'name: ',
  'spec:',
  'rules:',
  'paths:',
  'path: /',
  'pathType: ',
  'Prefix',
  'backend:',
  'service:',
  'port:',
  'number: 80',
  'podSelector: {}',
  'policyTypes: [Egress]',
  'ipBlock:',
  'cidr: 10.0.0.0/8',
  'except: [10.1.0.0/16]',
  'data:',
  'tls.crt: ',
  'LS0t',
  '&a ',
  '*a',
  '<<: *a',
  '!!binary ',
  '{{ .Values.x }}',
  '"',
  "'",
  '[',
  ']',
  '{',
  '}',
  ':',
  '#',
  '---\n',
  '...\n',
  '\t',
  '|\n  ',
  '>-\n  ',
  '%YAML 1.2\n',
  '\u0000',
  '\ufeff',
  '😀',
  // neighbours of the crafted shapes of test/support/adversarial.ts: deep nesting, long blank runs,
  // long lines, `${{` runs, many small flow items, broken lines that nest
  '['.repeat(200),
  '- '.repeat(150),
  '\n'.repeat(400),
  '  \n'.repeat(200),
  ' '.repeat(3000),
  '${{'.repeat(200),
  '1,'.repeat(2000),
  '- a: b: c\n'.repeat(30),
  'a: b: c\n'.repeat(150),
];

test('fuzz: random documents never crash the server; every request is answered', async () => {
  const uri = client.uriFor('fuzz-docs.yaml');
  let version = 0;
  await client.open(uri, '');
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 60 }),
      fc.nat(),
      async (parts, at) => {
        const text = parts.join('');
        version = await client.change(uri, text);
        const diags = await client.diagnostics(uri);
        assert.ok(Array.isArray(diags), `diagnostics for version ${version}`);
        const lines = text.split('\n');
        const line = at % Math.max(1, lines.length);
        const character = lines[line] ? at % (lines[line].length + 1) : 0;
        await client.hover(uri, { line, character });
        await client.completion(uri, { line, character });
        await client.symbols(uri);
        await client.codeActions(uri, diags.slice(0, 3));
      },
    ),
    { numRuns: 150, seed: 20261201 },
  );
  await client.close(uri);
  await stillAnswers();
});

type Edit = { at: number; del: number; insert: string };

test('fuzz: random edit sequences on a real manifest keep the server up and in sync', async () => {
  const uri = client.uriFor('fuzz-edits.yaml');
  await client.open(uri, VALID);
  await client.diagnostics(uri);
  const edit = fc.record({
    at: fc.nat(),
    del: fc.nat({ max: 12 }),
    insert: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 6 })),
  });
  await fc.assert(
    fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 15 }), async (edits: Edit[]) => {
      let text = VALID;
      for (const e of edits) {
        const at = e.at % (text.length + 1);
        text = text.slice(0, at) + e.insert + text.slice(at + e.del);
        await client.change(uri, text);
      }
      const diags = await client.diagnostics(uri);
      for (const d of diags) {
        // every range lies inside the document as the server now sees it
        const lines = text.split('\n');
        assert.ok(
          d.range.start.line < lines.length && d.range.end.line < lines.length,
          `range ${JSON.stringify(d.range)} inside ${lines.length} lines`,
        );
      }
      await client.hover(uri, { line: 0, character: 0 });
      await client.completion(uri, { line: 1, character: 0 });
    }),
    { numRuns: 60, seed: 1201 },
  );
  // back to the original text: exactly the original (empty) findings again
  await client.change(uri, VALID);
  assert.deepEqual(
    (await client.diagnostics(uri)).map((d) => d.code),
    [],
  );
  await client.close(uri);
  await stillAnswers();
});
