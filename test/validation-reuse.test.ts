// Typing in a large file: the documents that did not change keep the diagnostics of their last
// complete check (the fast path, `crossOnly`), so a keystroke costs the edited document. What those
// diagnostics depend on besides the text is held: another severity setting, another default
// namespace, and documents whose last check ran out of time are checked again, and the answer is
// the same as a check from scratch.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextWorkspace } from '../server/src/service/documents';
import { createLanguageService, DEFAULT_LANGUAGE_SETTINGS } from '../server/src/service/language-service';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { LanguageSettings } from '../server/src/service/types';
import type { ParsedDocument } from '../server/src/syntax/parse';

const URI = 'file:///ws/big.yaml';

function documents(port: number): string {
  const docs: string[] = [];
  for (let i = 0; i < 30; i++) {
    docs.push(
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${i}\n  namespace: ns-${i % 3}\nspec:\n  selector:\n    app: app-${i}\n  ports:\n  - name: Http_${i}\n    port: ${i === 7 ? port : 80}\n`,
    );
    docs.push(
      `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ing-${i}\nspec:\n  rules:\n  - host: h${i}.example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: svc-${i}\n            port:\n              number: 80\n`,
    );
  }
  return docs.join('---\n');
}

const text = (ds: Diagnostic[]) =>
  ds.map((d) => `${d.range.start.line} ${d.code} ${d.severity} ${d.message}`);

function fresh(content: string, settings: LanguageSettings) {
  const ws = new TextWorkspace();
  const service = createLanguageService(ws);
  service.configure(settings);
  ws.set(URI, content);
  return text(service.doValidation(URI));
}

/** Edit the file and check it the way the server does while typing: only the edited documents run
 * the cross-file rules. */
function typeIn(ws: TextWorkspace, service: ReturnType<typeof createLanguageService>, content: string) {
  const before = new Set(ws.file(URI)!.parsed!.docs);
  ws.set(URI, content);
  const changed = new Set<ParsedDocument>(ws.file(URI)!.parsed!.docs.filter((d) => !before.has(d)));
  assert.equal(changed.size, 1, 'one document changed');
  return text(service.doValidation(URI, { crossOnly: changed }));
}

test('a keystroke re-checks the edited document and gives the others their last diagnostics', () => {
  const ws = new TextWorkspace();
  const service = createLanguageService(ws);
  ws.set(URI, documents(80));
  assert.deepEqual(text(service.doValidation(URI)), fresh(documents(80), DEFAULT_LANGUAGE_SETTINGS));
  for (const port of [81, 82, 80, 83]) {
    const got = typeIn(ws, service, documents(port));
    assert.deepEqual(got, fresh(documents(port), DEFAULT_LANGUAGE_SETTINGS), `port ${port}`);
    assert.ok(
      got.some((d) => d.includes('port-name-invalid') || d.includes('Http_')),
      'the unchanged documents keep their findings',
    );
  }
});

test('another severity or default namespace is followed by the unchanged documents too', () => {
  const ws = new TextWorkspace();
  const service = createLanguageService(ws);
  ws.set(URI, documents(80));
  service.doValidation(URI);
  const quieter: LanguageSettings = {
    ...DEFAULT_LANGUAGE_SETTINGS,
    check: { ...DEFAULT_LANGUAGE_SETTINGS.check, severities: { 'port-name-invalid': 'hint' } },
  };
  service.configure(quieter);
  assert.deepEqual(typeIn(ws, service, documents(81)), fresh(documents(81), quieter));
  const elsewhere: LanguageSettings = { ...quieter, defaultNamespace: 'ns-0' };
  service.configure(elsewhere);
  assert.deepEqual(typeIn(ws, service, documents(82)), fresh(documents(82), elsewhere));
});

test('documents whose last check ran out of time are checked again, not given their partial diagnostics', () => {
  const ws = new TextWorkspace();
  // no time at all: the first check stops at once and says so
  const settings: LanguageSettings = { ...DEFAULT_LANGUAGE_SETTINGS, timeBudgetMs: 0 };
  const service = createLanguageService(ws, settings);
  ws.set(URI, documents(80));
  const cut = text(service.doValidation(URI));
  assert.ok(
    cut.some((d) => d.includes('budget')),
    'the first check was cut short',
  );
  // the same settings (object) with time again: only the time budget differs from the first check
  settings.timeBudgetMs = undefined;
  assert.deepEqual(typeIn(ws, service, documents(81)), fresh(documents(81), DEFAULT_LANGUAGE_SETTINGS));
});

test('the settings given when the service is created set the namespace assumed for resources without one', () => {
  // an Ingress in namespace shop whose Service has no namespace: found only when shop is the default
  const content =
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n' +
    '---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  rules:\n  - host: shop.example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: web\n            port:\n              number: 80\n';
  const check = (create: (ws: TextWorkspace) => ReturnType<typeof createLanguageService>) => {
    const ws = new TextWorkspace();
    const service = create(ws);
    ws.set(URI, content);
    return text(service.doValidation(URI)).filter((d) => d.includes('ingress-backend-service-missing'));
  };
  const shop = { ...DEFAULT_LANGUAGE_SETTINGS, defaultNamespace: 'shop' };
  assert.equal(
    check((ws) => createLanguageService(ws)).length,
    1,
    'namespace default: the Service is missing',
  );
  assert.deepEqual(
    check((ws) => createLanguageService(ws, shop)),
    [],
  );
  assert.deepEqual(
    check((ws) => createLanguageService(ws, shop)),
    check((ws) => {
      const s = createLanguageService(ws);
      s.configure(shop);
      return s;
    }),
  );
});

test('an edit that overtakes the first check of a large file shows at once: the edited document first, then the rest', async () => {
  const count = 1200;
  const service = (i: number, port: number) =>
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: lonely-${i}\nspec:\n  selector:\n    app: lonely-${i}\n  ports:\n  - port: ${port}\n`;
  const file = (port: number) =>
    Array.from({ length: count }, (_, i) => service(i, i === 1100 ? port : 80)).join('---\n');
  const ws = new TextWorkspace();
  const ls = createLanguageService(ws);
  ws.set(URI, file(80));
  // the first check is overtaken after its first progress (500 documents)
  let progressed = 0;
  const first = await ls.doValidationAsync(URI, {
    sliceMs: 0,
    onProgress: () => progressed++,
    isCancelled: () => progressed > 0,
  });
  assert.equal(first, undefined, 'the first check was cancelled');
  // the edit: document 1100 gets a port out of range
  const before = new Set(ws.file(URI)!.parsed!.docs);
  ws.set(URI, file(70000));
  const docs = ws.file(URI)!.parsed!.docs;
  const crossOnly = new Set<ParsedDocument>(docs.filter((d) => !before.has(d)));
  assert.equal(crossOnly.size, 1);
  const editedLine = ws.file(URI)!.document.positionAt(docs[1100].base).line;
  const shown: { diagnostics: Diagnostic[]; checked: number; snapshot?: boolean }[] = [];
  const final = await ls.doValidationAsync(URI, {
    crossOnly,
    sliceMs: 0,
    onProgress: (diagnostics, checked, total, snapshot) => {
      assert.equal(total, count);
      shown.push({ diagnostics, checked, snapshot });
    },
  });
  assert.ok(final);
  // first publication: the edited document's finding and the documents checked before the edit
  assert.equal(shown.length, 1, 'one snapshot, then the whole file');
  const snap = shown[0];
  assert.equal(snap.snapshot, true);
  const lines = snap.diagnostics.map((d) => d.range.start.line);
  const invalid = snap.diagnostics.filter((d) => d.code === 'port-invalid');
  assert.equal(invalid.length, 1);
  assert.equal(invalid[0].range.start.line, editedLine + 9);
  // (every document has one finding of its selector)
  assert.equal(snap.diagnostics.filter((d) => d.code === 'service-selector-no-match').length, snap.checked);
  assert.ok(snap.checked >= 501 && snap.checked < count, String(snap.checked));
  // ... and not yet those of the documents the first check did not reach
  const lineOf = (i: number) => ws.file(URI)!.document.positionAt(docs[i].base).line;
  assert.ok(!lines.some((l) => l >= lineOf(1000) && l < lineOf(1100)));
  // the end: the same diagnostics as a check of the file from scratch
  assert.deepEqual(text(final), fresh(file(70000), DEFAULT_LANGUAGE_SETTINGS));
});

test('a line typed above unchanged documents moves their kept diagnostics with them', () => {
  const ws = new TextWorkspace();
  const service = createLanguageService(ws);
  const base = documents(80);
  ws.set(URI, base);
  service.doValidation(URI);
  // a blank line and a comment line inside the 5th document: every document after it moves down
  const at = base.indexOf('name: svc-2\n') + 'name: svc-2\n'.length;
  let current = base;
  for (const inserted of ['\n', '  # note\n', '\n\n']) {
    current = current.slice(0, at) + inserted + current.slice(at);
    const got = typeIn(ws, service, current);
    assert.deepEqual(got, fresh(current, DEFAULT_LANGUAGE_SETTINGS), JSON.stringify(inserted));
  }
  // and back up again
  current = base;
  assert.deepEqual(typeIn(ws, service, current), fresh(current, DEFAULT_LANGUAGE_SETTINGS));
});
