// Ingress → Service → pods rules on multi-file fixtures: every folder of test/fixtures/cross/ listed
// below is opened as a whole in the language service, in-process (the facade the server and the CLI
// use; as if all its files were open in the editor), and each file's diagnostics must match its
// annotations exactly. Related information, quick fixes and the order files are opened in are checked
// through the built server by the tests further down.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient, ROOT, applyEdits, editsOf } from './support/lsp-client';
import { compare, parseAnnotations, type ActualLike } from './support/fixture';
import { checkTogether } from './support/rule-fixtures';

const CROSS = path.join(ROOT, 'test', 'fixtures', 'cross');
const CASES = [
  'backends',
  'service-pods',
  'path-conflicts',
  'default-class',
  'ingress-class',
  'path-regex',
  'tls-conflicts',
  'duplicates',
];

let client: LspClient;
before(async () => {
  client = await LspClient.start();
});
after(async () => {
  await client.stop();
});

/** URI of a fixture file as the editor would name it (not a file the server reads from disk). */
function uriOf(folder: string, file: string): string {
  return pathToFileURL(path.join(ROOT, 'test', 'virtual', 'cross', folder, file)).toString();
}

/** Open files together and return once every one of them has been checked against all the others. */
async function openAll(files: { uri: string; text: string }[]): Promise<void> {
  for (const f of files) await client.open(f.uri, f.text);
  // A request on a document checks it first if it is still pending; the diagnostics of every file
  // checked before it are re-published ahead of the response (same stream, in order).
  for (const f of files) await client.symbols(f.uri);
}

async function closeAll(uris: string[]): Promise<void> {
  for (const u of uris) await client.close(u);
}

function folderFiles(folder: string): { name: string; uri: string; text: string }[] {
  return readdirSync(path.join(CROSS, folder))
    .filter((f) => f.endsWith('.yaml') && !f.endsWith('.fixed.yaml'))
    .sort()
    .map((name) => ({
      name,
      uri: uriOf(folder, name),
      text: readFileSync(path.join(CROSS, folder, name), 'utf8'),
    }));
}

for (const folder of CASES) {
  test(`cross/${folder}: every file's diagnostics match its annotations`, () => {
    const files = folderFiles(folder);
    const diagnostics = checkTogether(files);
    files.forEach((f, i) => {
      const actual = diagnostics[i];
      const diff = compare(parseAnnotations(f.text), actual as ActualLike[]);
      assert.equal(diff, '', `diagnostics of cross/${folder}/${f.name} differ:\n${diff}`);
      for (const d of actual) {
        assert.equal(d.source, 'kube-netlens');
        assert.match(String(d.codeDescription?.href), new RegExp(`#${d.code}$`));
      }
    });
  });
}

const text = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);

function find(diags: Diagnostic[], code: string, messagePart: string): Diagnostic {
  const d = diags.filter((x) => x.code === code && text(x).includes(messagePart));
  assert.equal(
    d.length,
    1,
    `one ${code} saying "${messagePart}"; got ${JSON.stringify(diags.map((x) => `${x.code}: ${x.message}`))}`,
  );
  return d[0];
}

/** 0-based line of the n-th (0-based) line of a text whose trimmed content is `line`. */
function lineOf(text: string, line: string, n = 0): number {
  const found = text.split('\n').flatMap((l, i) => (l.trim() === line ? [i] : []));
  assert.ok(found.length > n, `line "${line}" #${n + 1} in the fixture`);
  return found[n];
}

/** Apply the preferred quick fix of every diagnostic with this code, one at a time, until none is left. */
async function fixAll(uri: string, code: string): Promise<{ text: string; titles: string[] }> {
  let text = client.text(uri);
  const titles: string[] = [];
  for (let round = 0; round < 20; round++) {
    const d = (await client.diagnostics(uri)).find((x) => x.code === code);
    if (!d) break;
    const actions = await client.codeActions(uri, [d]);
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix, `a preferred quick fix for: ${d.message}`);
    titles.push(fix!.title);
    text = applyEdits(text, editsOf(fix!, uri));
    await client.change(uri, text);
  }
  return { text, titles };
}

for (const [name, code, titles] of [
  [
    'ingress-class-annotation',
    'ingress-class-annotation',
    [
      'Replace the annotation with spec.ingressClassName: nginx',
      'Replace the annotation with spec.ingressClassName: internal',
    ],
  ],
  [
    'path-regex',
    'ingress-path-regex',
    ['Change pathType to ImplementationSpecific', 'Change pathType to ImplementationSpecific'],
  ],
] as const) {
  test(`quick fix golden file: cross/fixes/${name}.yaml (${code})`, async () => {
    const uri = uriOf('fixes', `${name}.yaml`);
    await client.open(uri, readFileSync(path.join(CROSS, 'fixes', `${name}.yaml`), 'utf8'));
    try {
      const before = (await client.diagnostics(uri)).filter((d) => d.code === code);
      assert.equal(
        before.length,
        titles.length,
        `findings before the fixes: ${JSON.stringify(before.map((d) => d.message))}`,
      );
      const fixed = await fixAll(uri, code);
      assert.deepEqual(fixed.titles, titles);
      assert.equal(fixed.text, readFileSync(path.join(CROSS, 'fixes', `${name}.fixed.yaml`), 'utf8'));
      // what is left is not a mistake: the class nginx Ingress is served by the retired ingress-nginx
      assert.deepEqual(
        (await client.diagnostics(uri)).map((d) => `${d.code}: ${d.message}`),
        [
          'ingress-nginx-retired: ingress-nginx (class nginx) is retired: no releases or security fixes after March 2026; migrate this Ingress to the Gateway API',
        ],
        'nothing but the retirement notice left after the fixes',
      );
    } finally {
      await client.close(uri);
    }
  });
}

test('a conflict between two Ingresses points at both, each with related information on the other', async () => {
  const files = folderFiles('path-conflicts');
  await openAll(files);
  try {
    const [a, b] = files;
    // (a is published as soon as it is checked, and checked again once b is in the index: wait for
    // the publication that knows b, rather than take whichever came first)
    const da = await client.waitForDiagnostics(a.uri, (ds) =>
      ds.some((x) => x.code === 'ingress-path-conflict' && text(x).includes('shop-canary')),
    );
    const db = await client.diagnostics(b.uri);
    const rel = (d: Diagnostic) =>
      d.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line, r.message]);
    // same file: shop and shop-static claim shop.example.com /static, each pointing at the other
    const shopStatic = find(da, 'ingress-path-conflict', 'also claimed by Ingress default/shop-static');
    const staticShop = find(da, 'ingress-path-conflict', 'also claimed by Ingress default/shop (');
    assert.equal(shopStatic.severity, 2);
    assert.equal(shopStatic.range.start.line, lineOf(a.text, '- path: /static', 0));
    assert.equal(staticShop.range.start.line, lineOf(a.text, '- path: /static', 1));
    assert.deepEqual(rel(shopStatic), [
      [
        a.uri,
        lineOf(a.text, '- path: /static', 1),
        'Ingress default/shop-static claims the same host and path here',
      ],
    ]);
    assert.deepEqual(rel(staticShop), [
      [
        a.uri,
        lineOf(a.text, '- path: /static', 0),
        'Ingress default/shop claims the same host and path here',
      ],
    ]);
    // across files: shop-canary (b) and shop (a) claim shop.example.com / — information on both sides
    const inA = find(da, 'ingress-path-conflict', 'shop-canary');
    const inB = find(db, 'ingress-path-conflict', 'also claimed by Ingress default/shop (');
    assert.equal(inA.severity, 3);
    assert.equal(inB.severity, 3);
    assert.deepEqual(rel(inA), [
      [b.uri, lineOf(b.text, '- path: /'), 'Ingress default/shop-canary claims the same host and path here'],
    ]);
    assert.deepEqual(rel(inB), [
      [a.uri, lineOf(a.text, '- path: /'), 'Ingress default/shop claims the same host and path here'],
    ]);
    // a duplicate and a shadowed path point at the path that wins
    const winner = lineOf(a.text, '- path: /api');
    for (const part of [
      'Duplicate path /api (Prefix) in this rule',
      'This path /api/ (Prefix, the same requests as /api) is never reached',
    ]) {
      const d = find(da, 'ingress-path-conflict', part);
      assert.equal(d.severity, 2);
      assert.deepEqual(
        d.relatedInformation?.map((r) => [r.location.uri, r.location.range, r.message]),
        [
          [
            a.uri,
            { start: { line: winner, character: 14 }, end: { line: winner, character: 18 } },
            'the Prefix path that wins (backend api:80)',
          ],
        ],
      );
      assert.deepEqual(d.tags, [1], 'shown as unreachable (unnecessary) code');
    }
  } finally {
    await closeAll(files.map((f) => f.uri));
  }
});

test('two default IngressClasses: each names the other and points at it', async () => {
  const files = folderFiles('ingress-class');
  await openAll(files);
  try {
    const classes = files.find((f) => f.name === 'classes.yaml')!;
    const d = await client.diagnostics(classes.uri);
    const nginx = find(
      d,
      'ingress-class-multiple-default',
      'IngressClass "nginx" and "traefik" are both marked default',
    );
    assert.deepEqual(
      nginx.relatedInformation?.map((r) => [r.location.uri, r.location.range.start, r.message]),
      [
        [
          classes.uri,
          { line: lineOf(classes.text, 'name: traefik'), character: 8 },
          'IngressClass "traefik" is also marked default',
        ],
      ],
    );
    const traefik = find(d, 'ingress-class-multiple-default', 'IngressClass "traefik" and "nginx"');
    assert.deepEqual(
      traefik.relatedInformation?.map((r) => [r.location.range.start.line, r.message]),
      [[lineOf(classes.text, 'name: nginx'), 'IngressClass "nginx" is also marked default']],
    );
  } finally {
    await closeAll(files.map((f) => f.uri));
  }
});

test('an object defined twice: each copy points at the others, and each file sees its nearest copy whatever order the files are opened in', async () => {
  // opened in reverse path order: c-ingress.yaml, b-overlay.yaml (Service web, port 8080), a-base.yaml (port 80)
  const files = folderFiles('duplicates').reverse();
  await openAll(files);
  try {
    const a = files.find((f) => f.name === 'a-base.yaml')!;
    const b = files.find((f) => f.name === 'b-overlay.yaml')!;
    const c = files.find((f) => f.name === 'c-ingress.yaml')!;
    // (a-base.yaml is opened last: the files opened before it are checked again once it is in, and
    // their diagnostics are read from the publication that knows it)
    const knowsBoth = (ds: Diagnostic[]) =>
      ds.some(
        (d) => d.code === 'resource-duplicate' && text(d).includes('Service default/web is defined twice'),
      );
    const da = await client.waitForDiagnostics(a.uri, knowsBoth);
    const db = await client.waitForDiagnostics(b.uri, knowsBoth);
    const dc = await client.waitForDiagnostics(c.uri, (ds) =>
      ds.some((d) => d.code === 'ingress-backend-port-missing'),
    );
    const rel = (d: Diagnostic) =>
      d.relatedInformation?.map((r) => [r.location.uri, r.location.range.start, r.message]);
    const first = find(da, 'resource-duplicate', 'Service default/web is defined twice');
    assert.equal(first.severity, 3);
    assert.deepEqual(rel(first), [
      [b.uri, { line: lineOf(b.text, 'name: web'), character: 8 }, 'another copy of Service default/web'],
    ]);
    const second = find(db, 'resource-duplicate', 'Service default/web is defined twice');
    assert.deepEqual(rel(second), [
      [a.uri, { line: lineOf(a.text, 'name: web'), character: 8 }, 'another copy of Service default/web'],
    ]);
    // b-overlay.yaml's Ingress reads the copy in its own file (port 8080): nothing missing
    assert.equal(db.filter((d) => d.code === 'ingress-backend-port-missing').length, 0);
    // c-ingress.yaml has no copy: the first in file path order (a-base.yaml, port 80), not the one opened first
    assert.match(
      String(find(dc, 'ingress-backend-port-missing', 'no port 8080').message),
      /its ports: 80 \(http\)/,
    );
  } finally {
    await closeAll(files.map((f) => f.uri));
  }
});

test('a backend naming the container port: the quick fix changes it to the Service port in front of it', async () => {
  const files = folderFiles('backends');
  await openAll(files);
  try {
    const ing = files.find((f) => f.name === 'ingress.yaml')!;
    // (ingress.yaml is opened before services.yaml: read the publication that knows the Services)
    const d = find(
      await client.waitForDiagnostics(ing.uri, (ds) =>
        ds.some((x) => x.code === 'ingress-backend-port-missing'),
      ),
      'ingress-backend-port-missing',
      '8080 is the targetPort (container port) behind its port 80',
    );
    const [fix] = (await client.codeActions(ing.uri, [d])).filter((a) => a.isPreferred);
    assert.equal(fix?.title, 'Change to 80');
    assert.deepEqual(editsOf(fix!, ing.uri), [{ range: d.range, newText: '80' }]);
  } finally {
    await closeAll(files.map((f) => f.uri));
  }
});

test('resources without metadata.namespace are in the configured default namespace; severities follow the settings', async () => {
  const service =
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: team\nspec:\n  ports:\n  - port: 80\n';
  const ingress =
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: api\nspec:\n  defaultBackend:\n    service:\n      name: api\n      port:\n        number: 80\n';
  const files = [
    { uri: uriOf('namespaces', 'service.yaml'), text: service },
    { uri: uriOf('namespaces', 'ingress.yaml'), text: ingress },
  ];
  await openAll(files);
  try {
    const ing = files[1].uri;
    const before = find(
      await client.diagnostics(ing),
      'ingress-backend-service-missing',
      'Service "api" is not defined in namespace "default"',
    );
    assert.equal(before.severity, 2);
    assert.deepEqual(before.range, { start: { line: 7, character: 12 }, end: { line: 7, character: 15 } });
    await client.configure({ defaultNamespace: 'team' });
    await client.waitForDiagnostics(ing, (d) => d.length === 0);
    await client.configure({ rules: { 'ingress-backend-service-missing': 'error' } });
    const d = await client.waitForDiagnostics(ing, (x) =>
      x.some((y) => y.code === 'ingress-backend-service-missing' && y.severity === 1),
    );
    assert.equal(d.length, 1);
    await client.configure({ rules: { 'ingress-backend-service-missing': 'off' } });
    await client.waitForDiagnostics(ing, (x) => x.length === 0);
  } finally {
    await client.configure({});
    await closeAll(files.map((f) => f.uri));
  }
});
