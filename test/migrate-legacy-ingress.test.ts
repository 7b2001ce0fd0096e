import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { Document as YAMLDocument, Lexer, isScalar, parseAllDocuments, parseDocument, visit } from 'yaml';
import type { Document } from 'yaml';
import {
  applyOffsetEdits,
  migrateLegacyIngress as migrateEditDocument,
} from '../server/src/rules/migrate-legacy-ingress';
import type { OffsetEdit } from '../server/src/rules/migrate-legacy-ingress';
import { toEditDocument } from '../server/src/syntax/yaml-edit';

/** The migration of a document parsed here by `yaml` (through the edit view of syntax/). */
const migrateLegacyIngress = (src: string, doc: Document.Parsed): OffsetEdit[] =>
  migrateEditDocument(src, toEditDocument(doc));

/**
 * Golden tests: test/fixtures/migrate/<name>.yaml → <name>.fixed.yaml.
 * Set UPDATE_GOLDEN=1 to (re)write missing golden files; review them before committing.
 */
const FIXTURES = fileURLToPath(new URL('./fixtures/migrate/', import.meta.url));
const V1 = 'networking.k8s.io/v1';
const LEGACY = new Set(['extensions/v1beta1', 'networking.k8s.io/v1beta1']);
const PATH_TYPES = new Set(['Exact', 'Prefix', 'ImplementationSpecific']);

type Obj = Record<string, any>;

function parseStream(src: string): Document.Parsed[] {
  const docs = parseAllDocuments(src, { keepSourceTokens: true });
  assert.ok(Array.isArray(docs), 'stream must hold documents');
  return docs;
}

function isLegacyIngress(js: unknown): boolean {
  const o = js as Obj | null;
  return !!o && typeof o === 'object' && o.kind === 'Ingress' && LEGACY.has(o.apiVersion);
}

function migrateStream(src: string): {
  edits: OffsetEdit[];
  perDoc: OffsetEdit[][];
  docs: Document.Parsed[];
} {
  const docs = parseStream(src);
  const perDoc = docs.map((d) => migrateLegacyIngress(src, d));
  for (const [i, edits] of perDoc.entries()) {
    const [docStart, , docEnd] = docs[i].range;
    let prevEnd = -1;
    for (const e of edits) {
      assert.ok(e.start <= e.end, `edit ${JSON.stringify(e)} has start > end`);
      assert.ok(e.start >= prevEnd, `edits of document ${i} overlap or are unsorted at ${e.start}`);
      assert.ok(e.start >= docStart && e.end <= docEnd, `edit ${JSON.stringify(e)} leaves document ${i}`);
      prevEnd = e.end;
    }
  }
  return { edits: perDoc.flat(), perDoc, docs };
}

/** Reference migration on plain JS values. */
function referenceMigrate(o: Obj): Obj {
  const r = structuredClone(o);
  r.apiVersion = V1;
  const spec = r.spec as Obj | undefined;
  if (!spec || typeof spec !== 'object') return r;
  if ('backend' in spec) {
    spec.defaultBackend = migrateBackendJs(spec.backend);
    delete spec.backend;
  }
  for (const rule of spec.rules ?? []) {
    for (const p of rule?.http?.paths ?? []) {
      if (!p || typeof p !== 'object') continue;
      if (!('pathType' in p)) p.pathType = 'ImplementationSpecific';
      if ('backend' in p) p.backend = migrateBackendJs(p.backend);
    }
  }
  return r;
}

function migrateBackendJs(b: any): any {
  if (!b || typeof b !== 'object' || 'resource' in b) return b;
  if (!('serviceName' in b) && !('servicePort' in b)) return b;
  const { serviceName, servicePort, ...rest } = b;
  const service: Obj = {};
  if ('serviceName' in b) service.name = serviceName;
  if ('servicePort' in b) {
    service.port =
      typeof servicePort === 'number' || /^[0-9]+$/.test(String(servicePort))
        ? { number: Number(servicePort) }
        : { name: servicePort };
  }
  return { ...rest, service };
}

function assertNoLegacyKeys(node: unknown, where: string): void {
  if (Array.isArray(node)) node.forEach((n, i) => assertNoLegacyKeys(n, `${where}[${i}]`));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      assert.ok(k !== 'serviceName' && k !== 'servicePort', `${where}.${k} left behind`);
      assertNoLegacyKeys(v, `${where}.${k}`);
    }
  }
}

function assertV1Backend(b: any, where: string, strict: boolean): void {
  assert.ok(b && typeof b === 'object', `${where} must be a map`);
  if ('resource' in b) {
    assert.ok(!('service' in b), `${where} has both resource and service`);
    return;
  }
  const s = b.service;
  assert.ok(s && typeof s === 'object', `${where}.service missing`);
  if (strict || 'name' in s)
    assert.ok(typeof s.name === 'string' && s.name.length > 0, `${where}.service.name`);
  if (strict || 'port' in s) {
    const port = s.port;
    assert.ok(port && typeof port === 'object', `${where}.service.port missing`);
    const hasNumber = 'number' in port;
    const hasName = 'name' in port;
    assert.ok(hasNumber !== hasName, `${where}.service.port needs exactly one of number/name`);
    if (hasNumber)
      assert.ok(Number.isInteger(port.number), `${where}.service.port.number must be an integer`);
    if (hasName)
      assert.ok(typeof port.name === 'string' && port.name.length > 0, `${where}.service.port.name`);
  }
}

/** Every path has pathType; every backend has service.name and service.port.number|name. */
function assertV1Shape(o: Obj, strict: boolean): void {
  assert.equal(o.apiVersion, V1);
  assert.equal(o.kind, 'Ingress');
  const spec = (o.spec ?? {}) as Obj;
  assert.ok(!('backend' in spec), 'spec.backend left behind');
  assertNoLegacyKeys(spec, 'spec');
  if ('defaultBackend' in spec) assertV1Backend(spec.defaultBackend, 'spec.defaultBackend', strict);
  for (const [ri, rule] of (spec.rules ?? []).entries()) {
    for (const [pi, p] of (rule?.http?.paths ?? []).entries()) {
      const where = `spec.rules[${ri}].http.paths[${pi}]`;
      assert.ok(PATH_TYPES.has(p.pathType), `${where}.pathType missing or invalid`);
      assertV1Backend(p.backend, `${where}.backend`, strict);
    }
  }
}

/** Comment tokens, in order, as the YAML lexer sees them. */
function comments(src: string): string[] {
  return [...new Lexer().lex(src)].filter((t) => t.startsWith('#')).map((t) => t.trimEnd());
}

function fixtureNames(): string[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.yaml') && !f.endsWith('.fixed.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

describe('migrateLegacyIngress golden files', () => {
  for (const name of fixtureNames()) {
    test(name, () => {
      const src = readFileSync(join(FIXTURES, `${name}.yaml`), 'utf8');
      const goldenPath = join(FIXTURES, `${name}.fixed.yaml`);
      const { edits, perDoc, docs } = migrateStream(src);
      const out = applyOffsetEdits(src, edits);
      if (!existsSync(goldenPath) && process.env.UPDATE_GOLDEN) {
        writeFileSync(goldenPath, out);
      }
      const golden = readFileSync(goldenPath, 'utf8');
      assert.equal(out, golden);

      // The same edits come out when a single document is parsed with parseDocument.
      if (docs.length === 1) {
        const single = parseDocument(src, { keepSourceTokens: true });
        assert.deepEqual(migrateLegacyIngress(src, single), edits);
      }

      // The result is valid YAML with the same documents.
      const outDocs = parseStream(out);
      assert.equal(outDocs.length, docs.length);
      for (const d of outDocs) {
        assert.deepEqual(
          d.errors.map((e) => e.message),
          [],
        );
        assert.deepEqual(
          d.warnings.map((e) => e.message),
          [],
        );
      }

      let migrated = 0;
      for (const [i, d] of docs.entries()) {
        const before = d.toJS() as unknown;
        const after = outDocs[i].toJS() as unknown;
        if (isLegacyIngress(before)) {
          migrated++;
          assert.ok(perDoc[i].length > 0, `document ${i} should be migrated`);
          assertV1Shape(after as Obj, !name.startsWith('partial-'));
          assert.deepEqual(after, referenceMigrate(before as Obj), `document ${i} content`);
        } else {
          assert.deepEqual(perDoc[i], [], `document ${i} is not a legacy Ingress and must stay untouched`);
          assert.deepEqual(after, before);
        }
      }
      assert.ok(migrated > 0, 'fixture should contain a legacy Ingress');

      // Comments survive, in order (split-* fixtures move a key, and its comment, on purpose);
      // line endings are not mixed.
      if (name.startsWith('split-')) assert.deepEqual(comments(out).sort(), comments(src).sort());
      else assert.deepEqual(comments(out), comments(src));
      if (src.includes('\r\n')) assert.ok(!/(^|[^\r])\n/.test(out), 'LF line break in a CRLF file');
      else assert.ok(!out.includes('\r'), 'CR in an LF file');

      // Idempotent: the result is no longer legacy.
      assert.deepEqual(migrateStream(out).edits, []);
    });
  }
});

describe('migrateLegacyIngress', () => {
  test('seed-05: the Secret document stays byte for byte and yields no edits', () => {
    const src = readFileSync(join(FIXTURES, 'seed-05-tls.yaml'), 'utf8');
    const { perDoc, docs } = migrateStream(src);
    assert.equal(docs.length, 2);
    assert.deepEqual(perDoc[0], []);
    assert.ok(perDoc[1].length > 0);
    const out = applyOffsetEdits(src, perDoc.flat());
    const secret = src.slice(0, src.indexOf('---'));
    assert.ok(out.startsWith(secret));
  });

  test('multi-document stream: both legacy Ingresses migrate, the Service in between does not', () => {
    const src = readFileSync(join(FIXTURES, 'multi-document.yaml'), 'utf8');
    const { perDoc, docs } = migrateStream(src);
    assert.deepEqual(
      docs.map((d) => (d.toJS() as Obj).kind),
      ['Ingress', 'Service', 'Ingress'],
    );
    assert.ok(perDoc[0].length > 0);
    assert.deepEqual(perDoc[1], []);
    assert.ok(perDoc[2].length > 0);
    // each document's edits work on their own, too
    for (const i of [0, 2]) {
      const out = applyOffsetEdits(src, perDoc[i]);
      const outDocs = parseStream(out);
      assert.equal((outDocs[i].toJS() as Obj).apiVersion, V1);
      assert.equal((outDocs[2 - i].toJS() as Obj).apiVersion, (docs[2 - i].toJS() as Obj).apiVersion);
    }
  });

  test('returns [] for documents that are not legacy Ingresses', () => {
    const cases = [
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nspec:\n  defaultBackend:\n    service: {name: a, port: {number: 80}}\n',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n',
      'apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: a\n',
      '- apiVersion: extensions/v1beta1\n  kind: Ingress\n',
      '',
      '# just a comment\n',
      'apiVersion: extensions/v1beta1\nkind: Ingress\nspec: [\n', // parse error: ranges are not trusted
    ];
    for (const src of cases) {
      const doc = parseDocument(src, { keepSourceTokens: true });
      assert.deepEqual(migrateLegacyIngress(src, doc), [], JSON.stringify(src));
    }
  });

  test('edits are minimal: a single-path Ingress changes only the spans that differ', () => {
    const src = readFileSync(join(FIXTURES, 'seed-01-single-path.yaml'), 'utf8');
    const edits = migrateLegacyIngress(src, parseDocument(src, { keepSourceTokens: true }));
    assert.deepEqual(
      edits.map((e) => [src.slice(e.start, e.end), e.newText]),
      [
        ['extensions/v1beta1', 'networking.k8s.io/v1'],
        ['', '\n        pathType: ImplementationSpecific'],
        ['serviceName', 'service:\n            name'],
        ['', '  '],
        ['servicePort', 'port:\n              number'],
      ],
    );
  });

  test('applyOffsetEdits accepts any order and rejects overlaps', () => {
    assert.equal(
      applyOffsetEdits('abcdef', [
        { start: 4, end: 5, newText: 'E' },
        { start: 0, end: 1, newText: 'A' },
        { start: 2, end: 2, newText: '+' },
      ]),
      'Ab+cdEf',
    );
    assert.throws(() =>
      applyOffsetEdits('abcdef', [
        { start: 0, end: 3, newText: '' },
        { start: 2, end: 4, newText: '' },
      ]),
    );
  });
});

describe('migrateLegacyIngress on generated documents', () => {
  // Random legacy Ingresses, written out by `yaml` with random layout (indent 2-4, indented or
  // flush sequences, quoting, flow collections, comments, CRLF); the migration must always give
  // valid YAML whose content equals the reference migration, keep every comment, and be final.
  const portArb = fc.oneof(
    fc.integer({ min: 1, max: 65535 }),
    fc.integer({ min: 1, max: 65535 }).map(String),
    fc.constantFrom('http', 'https', 'grpc-web', 'metrics'),
  );
  const nameArb = fc.constantFrom('svc', 'my-svc', 'web', '123', 'null', 'yes', 'a.b');
  const backendArb = fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .record({ serviceName: nameArb, servicePort: portArb }, { requiredKeys: [] })
        .filter((b) => Object.keys(b).length > 0),
    },
    {
      weight: 1,
      arbitrary: fc.constant({ resource: { apiGroup: 'k8s.example.com', kind: 'Bucket', name: 'b' } }),
    },
  );
  const pathArb = fc.record(
    {
      path: fc.constantFrom('/', '/api', '/a b', '/#frag'),
      pathType: fc.constantFrom('Exact', 'Prefix'),
      backend: backendArb,
    },
    { requiredKeys: ['backend'] },
  );
  const ingressArb = fc.record(
    {
      apiVersion: fc.constantFrom('extensions/v1beta1', 'networking.k8s.io/v1beta1'),
      kind: fc.constant('Ingress'),
      metadata: fc.record({ name: fc.constant('gen') }),
      spec: fc.record(
        {
          backend: backendArb,
          rules: fc.array(
            fc.record(
              {
                host: fc.constant('foo.example.com'),
                http: fc.record({ paths: fc.array(pathArb, { minLength: 1, maxLength: 3 }) }),
              },
              { requiredKeys: ['http'] },
            ),
            { maxLength: 3 },
          ),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: ['apiVersion', 'kind', 'metadata', 'spec'] },
  );
  const layoutArb = fc.record({
    indent: fc.integer({ min: 2, max: 4 }),
    indentSeq: fc.boolean(),
    stringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE') as fc.Arbitrary<
      'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE'
    >,
    keyQuoted: fc.boolean(),
    crlf: fc.boolean(),
    seed: fc.integer(),
  });

  test('property: valid, equivalent, comment-preserving, idempotent', () => {
    fc.assert(
      fc.property(ingressArb, layoutArb, (obj, layout) => {
        let rnd = layout.seed | 0;
        const coin = (p: number) => {
          rnd = (Math.imul(rnd, 1103515245) + 12345) | 0;
          return ((rnd >>> 8) & 0xffff) / 0x10000 < p;
        };
        const doc = new YAMLDocument(obj);
        let n = 0;
        visit(doc, {
          Map(_, node) {
            if (coin(0.25)) node.flow = true;
          },
          Pair(_, pair) {
            if (isScalar(pair.key) && coin(0.2)) pair.key.commentBefore = ` c${n++}`;
            if (isScalar(pair.value) && coin(0.2)) pair.value.comment = ` t${n++}`;
          },
        });
        let src = doc.toString({
          indent: layout.indent,
          indentSeq: layout.indentSeq,
          defaultStringType: layout.stringType,
          defaultKeyType: layout.keyQuoted ? layout.stringType : 'PLAIN',
        });
        if (layout.crlf) src = src.replace(/\n/g, '\r\n');
        const parsed = parseDocument(src, { keepSourceTokens: true });
        if (parsed.errors.length > 0) return; // the generator wrote something unparsable: not our concern
        const edits = migrateLegacyIngress(src, parsed);
        const out = applyOffsetEdits(src, edits);
        const outDoc = parseDocument(out);
        assert.deepEqual(
          outDoc.errors.map((e) => e.message),
          [],
          `${src}\n---->\n${out}`,
        );
        assert.deepEqual(outDoc.toJS(), referenceMigrate(parsed.toJS() as Obj), `${src}\n---->\n${out}`);
        assertV1Shape(outDoc.toJS() as Obj, false);
        assert.deepEqual(comments(out), comments(src), `${src}\n---->\n${out}`);
        assert.deepEqual(migrateLegacyIngress(out, parseDocument(out, { keepSourceTokens: true })), []);
      }),
      { numRuns: Number(process.env.MIGRATE_PROPERTY_RUNS ?? 400) },
    );
  });
});
