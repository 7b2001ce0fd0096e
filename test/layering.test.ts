// Layering: the table of which folders may import which, checked against every import of every source
// file in server/src and client/src (read with the TypeScript compiler's own import scanner, so type-only
// imports, re-exports, `import()` and `require()` count too). Also: no import cycle between files, every
// folder is in the table, and the packages that belong to one layer (the YAML parser, the editor
// protocol, VS Code) are imported only there. docs/architecture.md shows the same table.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { ROOT } from './support/lsp-client';

type Layer =
  | 'protocol'
  | 'syntax'
  | 'schema'
  | 'engine'
  | 'model'
  | 'workspace'
  | 'rules'
  | 'features'
  | 'service'
  | 'lsp'
  | 'cli'
  | 'client'
  | 'webview';

/**
 * Which folders each folder may import (besides itself). Read bottom-up: text → syntax → model →
 * workspace → rules → language service (features/, service/) → lsp → client and webview; cli/ sits beside
 * lsp/ and uses the same layers. engine/ imports nothing of ours: it owns its input types, and the model
 * and the workspace adapt to them. protocol/ is what the server and the webview share: the typed messages
 * and pure text helpers (escaping); it imports nothing, so the language service may use it.
 * schema/ is the generated Kubernetes schema.
 */
export const ALLOWED: Record<Layer, Layer[]> = {
  protocol: [],
  syntax: [],
  schema: [],
  engine: [],
  model: ['syntax', 'schema', 'engine'],
  workspace: ['syntax', 'schema', 'model', 'engine'],
  rules: ['syntax', 'schema', 'model', 'workspace', 'engine'],
  features: ['syntax', 'schema', 'model', 'workspace', 'engine', 'rules', 'protocol'],
  service: ['syntax', 'schema', 'model', 'workspace', 'engine', 'rules', 'features', 'protocol'],
  lsp: ['syntax', 'schema', 'model', 'workspace', 'engine', 'rules', 'features', 'service', 'protocol'],
  cli: ['syntax', 'schema', 'model', 'workspace', 'engine', 'rules', 'features', 'service', 'protocol'],
  client: ['protocol', 'webview'],
  webview: ['protocol'],
};

/** Packages that belong to some layers only. */
const PACKAGE_OWNERS: { test: (spec: string) => boolean; name: string; layers: Layer[] }[] = [
  { name: 'yaml (the YAML parser)', test: (s) => s === 'yaml' || s.startsWith('yaml/'), layers: ['syntax'] },
  {
    name: 'vscode-languageserver (the LSP connection)',
    test: (s) => s === 'vscode-languageserver' || s.startsWith('vscode-languageserver/'),
    layers: ['lsp'],
  },
  {
    name: 'LSP types and text documents',
    test: (s) => s === 'vscode-languageserver-types' || s === 'vscode-languageserver-textdocument',
    layers: ['service', 'lsp'],
  },
  {
    name: 'vscode and vscode-languageclient (the editor)',
    test: (s) => s === 'vscode' || s.startsWith('vscode-languageclient'),
    layers: ['client'],
  },
];

/** Layers that may import only these packages (no Node built-ins either): pure code, or code for a browser. */
const PACKAGES_ONLY: Partial<Record<Layer, string[]>> = {
  engine: ['ipaddr.js', 're2js'],
  protocol: [],
  webview: ['@dagrejs/dagre'],
};

const SERVER = path.join(ROOT, 'server', 'src');
const CLIENT = path.join(ROOT, 'client', 'src');

/** The layer of a file or folder path, or undefined when it lies outside the source folders. */
function layerOf(file: string): Layer | 'unknown' | undefined {
  for (const [base, isClient] of [
    [SERVER, false],
    [CLIENT, true],
  ] as const) {
    const rel = path.relative(base, file);
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    const parts = rel.split(path.sep);
    if (isClient)
      return parts.length > 1 && parts[0] === 'webview'
        ? 'webview'
        : parts.length === 1
          ? 'client'
          : 'unknown';
    if (parts.length === 1) return parts[0] === 'cli.ts' ? 'cli' : 'lsp'; // main.ts starts the language server
    return parts[0] in ALLOWED ? (parts[0] as Layer) : 'unknown';
  }
  return undefined;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'generated') sourceFiles(p, out);
    } else if (/\.(ts|mts|cts)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

interface Import {
  file: string;
  line: number;
  spec: string;
  /** The file it resolves to (relative imports), else undefined (a package). */
  target?: string;
}

function resolveRelative(from: string, spec: string): string {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')])
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return base;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles.map((f) => {
    const line = text.slice(0, f.pos).split('\n').length;
    const spec = f.fileName;
    return { file, line, spec, target: spec.startsWith('.') ? resolveRelative(file, spec) : undefined };
  });
}

const FILES = [...sourceFiles(SERVER), ...sourceFiles(CLIENT)];
const IMPORTS = FILES.flatMap(importsOf);
const rel = (f: string) => path.relative(ROOT, f).split(path.sep).join('/');

test('the layering table itself has no cycle (it is an order of layers)', () => {
  const state = new Map<Layer, 'visiting' | 'done'>();
  const visit = (l: Layer, trail: Layer[]) => {
    if (state.get(l) === 'done') return;
    assert.notEqual(state.get(l), 'visiting', `the table has a cycle: ${[...trail, l].join(' → ')}`);
    state.set(l, 'visiting');
    for (const d of ALLOWED[l]) visit(d, [...trail, l]);
    state.set(l, 'done');
  };
  for (const l of Object.keys(ALLOWED) as Layer[]) visit(l, []);
});

test('every source folder is in the layering table', () => {
  const unknown = [
    ...new Set(FILES.filter((f) => layerOf(f) === 'unknown').map((f) => rel(path.dirname(f)))),
  ];
  assert.ok(
    unknown.length === 0,
    `folders not in the layering table of test/layering.test.ts (add them with the layers they may import): ${unknown.join(', ')}`,
  );
});

test('every import between folders follows the layering table', () => {
  const breaches: string[] = [];
  for (const imp of IMPORTS) {
    if (!imp.target) continue;
    const from = layerOf(imp.file) as Layer;
    const to = layerOf(imp.target);
    const where = `${rel(imp.file)}:${imp.line} imports "${imp.spec}"`;
    if (to === undefined)
      breaches.push(
        `${where}: ${rel(imp.target)} is outside server/src and client/src; sources import only sources`,
      );
    else if (to === 'unknown')
      breaches.push(`${where}: ${rel(imp.target)} is in a folder the table does not know`);
    else if (to !== from && !ALLOWED[from].includes(to)) {
      breaches.push(
        `${where}: ${from}/ may not import ${to}/ (${from}/ may import ${ALLOWED[from].length ? ALLOWED[from].map((l) => `${l}/`).join(', ') : 'no other folder'})`,
      );
    }
  }
  assert.ok(breaches.length === 0, `imports against the layering table:\n${breaches.join('\n')}`);
});

test('packages that belong to one layer are imported only there; pure layers import only their packages', () => {
  const breaches: string[] = [];
  for (const imp of IMPORTS) {
    if (imp.target) continue;
    const from = layerOf(imp.file) as Layer;
    const where = `${rel(imp.file)}:${imp.line} imports "${imp.spec}"`;
    for (const owner of PACKAGE_OWNERS) {
      if (owner.test(imp.spec) && !owner.layers.includes(from))
        breaches.push(
          `${where}: ${owner.name} belongs to ${owner.layers.map((l) => `${l}/`).join(', ')} only`,
        );
    }
    const only = PACKAGES_ONLY[from];
    if (only && !only.includes(imp.spec))
      breaches.push(
        `${where}: ${from}/ may import ${only.length ? `only the packages ${only.join(', ')}` : 'no package'} (no Node built-ins, no editor or parser)`,
      );
  }
  assert.ok(breaches.length === 0, `package imports against the layering table:\n${breaches.join('\n')}`);
});

test('no import cycle between files (type-only imports count: a cycle of types is still a knot)', () => {
  const graph = new Map<string, string[]>();
  for (const f of FILES) graph.set(f, []);
  for (const imp of IMPORTS) if (imp.target && graph.has(imp.target)) graph.get(imp.file)!.push(imp.target);
  // Tarjan's strongly connected components
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const connect = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)!) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)!.includes(v)) cycles.push(component.sort());
    }
  };
  for (const f of FILES) if (!index.has(f)) connect(f);
  const text = cycles.map((c) => {
    const inside = new Set(c);
    const edges = c.flatMap((a) =>
      graph
        .get(a)!
        .filter((b) => inside.has(b))
        .map((b) => `${rel(a)} → ${rel(b)}`),
    );
    return `files that import each other: ${c.map(rel).join(', ')} (${[...new Set(edges)].join('; ')})`;
  });
  assert.ok(text.length === 0, text.join('\n'));
});

test('the scanner sees every kind of import (so the tests above cannot pass by seeing nothing)', () => {
  const specs = (src: string) => ts.preProcessFile(src, true, true).importedFiles.map((f) => f.fileName);
  assert.deepEqual(
    specs(
      "import type { A } from './a';\nexport * from './b';\nconst c = require('./c');\nvoid import('./d');\nimport './e';",
    ),
    ['./a', './b', './c', './d', './e'],
  );
  assert.ok(FILES.length > 100, `${FILES.length} source files found`);
  assert.ok(
    IMPORTS.some((i) => i.spec === 'yaml' && layerOf(i.file) === 'syntax'),
    'syntax/ imports yaml',
  );
  assert.equal(layerOf(path.join(SERVER, 'engine', 'route', 'match.ts')), 'engine');
  assert.equal(layerOf(path.join(SERVER, 'main.ts')), 'lsp');
  assert.equal(layerOf(path.join(SERVER, 'cli.ts')), 'cli');
  assert.equal(layerOf(path.join(CLIENT, 'webview', 'main.ts')), 'webview');
  assert.equal(layerOf(path.join(CLIENT, 'extension.ts')), 'client');
});

test('docs/architecture.md shows the same table', () => {
  const doc = readFileSync(path.join(ROOT, 'docs', 'architecture.md'), 'utf8');
  const shown: Partial<Record<Layer, Layer[]>> = {};
  for (const m of doc.matchAll(/^\| `(server|client)\/src\/([a-z]*)\/?`[^|]*\|[^|]*\| ([^|]+) \|$/gm)) {
    const layer = (m[1] === 'client' ? (m[2] === 'webview' ? 'webview' : 'client') : m[2]) as Layer;
    shown[layer] = m[3].trim() === 'nothing' ? [] : (m[3].split(',').map((s) => s.trim()) as Layer[]);
  }
  assert.deepEqual(shown, ALLOWED);
});
