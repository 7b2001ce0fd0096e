// Beside YAML by Red Hat (redhat.vscode-yaml). Its .vsix is on neither the npm registry nor Debian, so
// the end-to-end test cannot install it; what it runs is its language server, yaml-language-server
// (npm, the 1.x line its releases bundle), and that is what this test starts, over stdio, next to ours,
// on the same document, with the extension's default settings. With vscode-yaml installed our client
// sets kubeNetlens.syntaxErrors to "leave" (client/src/kube-content.ts), so: a YAML syntax error is
// reported once (by yaml-language-server), a Kubernetes mistake once (by us), no range carries a
// finding from both, and hover and completion answer from one server or the other, never twice.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic, Range } from 'vscode-languageserver-protocol';
import { LspClient, ROOT } from './support/lsp-client';

const YAML_SERVER = path.join(ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');

/** vscode-yaml's defaults for the `yaml` section, with the SchemaStore catalogue off (it is fetched from
 * the network; the file name below matches none of its patterns anyway). */
const VSCODE_YAML_DEFAULTS = {
  validate: true,
  hover: true,
  completion: true,
  format: { enable: true },
  schemaStore: { enable: false },
  schemas: {},
  customTags: [],
  maxItemsComputed: 5000,
};

const TEXT = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: store
spec:
  ingressClassName: traefik
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /cart
        pathType: Prefix
        backend:
          service:
            name: cart
            port:
              number: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: cart
  namespace: store
spec:
  selector:
    app: cart
  ports:
  - port: 80
---
settings: [unclosed, flow
`;
const BROKEN_LINE = 31;

let ours: LspClient;
let theirs: LspClient;
before(async () => {
  // a devDependency: without it the server could not start and the test would wait for an answer
  assert.ok(
    existsSync(YAML_SERVER),
    `${YAML_SERVER} is missing: run npm ci (yaml-language-server is a devDependency)`,
  );
  ours = await LspClient.start({ syntaxErrors: 'leave' });
  theirs = await LspClient.start(
    {},
    {
      server: {
        script: YAML_SERVER,
        configuration: (section) =>
          section === 'yaml' ? VSCODE_YAML_DEFAULTS : section === 'http' ? {} : null,
      },
    },
  );
});
after(async () => {
  await ours.stop();
  await theirs.stop();
});

const overlaps = (a: Range, b: Range) =>
  !(
    a.end.line < b.start.line ||
    (a.end.line === b.start.line && a.end.character <= b.start.character) ||
    b.end.line < a.start.line ||
    (b.end.line === a.start.line && b.end.character <= a.start.character)
  );

test('with vscode-yaml: the syntax error comes once, from yaml-language-server; the Kubernetes mistake once, from us', async () => {
  const uri = ours.uriFor('coexist-shop.yaml');
  await ours.open(uri, TEXT);
  await theirs.open(uri, TEXT);
  const mine = await ours.diagnostics(uri);
  const other: Diagnostic[] = await theirs.waitForDiagnostics(uri, (d) => d.length > 0);
  // theirs: the unclosed flow sequence, and nothing about Kubernetes (no schema is associated)
  assert.ok(
    other.every((d) => d.range.start.line >= BROKEN_LINE),
    JSON.stringify(other.map((d) => [d.range.start.line, d.message])),
  );
  assert.ok(other.some((d) => d.severity === 1 && d.range.start.line >= BROKEN_LINE));
  // ours: the Service's missing port (at the port number), its selector matching no pod, no syntax error
  assert.deepEqual(
    mine.map((d) => [d.code, d.severity, d.range.start.line]),
    [
      ['ingress-backend-port-missing', 1, 17],
      ['service-selector-no-match', 3, 25],
    ],
  );
  assert.match(String(mine[0].message), /8080/);
  assert.ok(mine.every((d) => d.range.start.line < BROKEN_LINE));
  for (const m of mine)
    for (const o of other)
      assert.ok(
        !overlaps(m.range, o.range),
        `both report at line ${m.range.start.line}: ${m.message} / ${o.message}`,
      );
});

test('with vscode-yaml: hover and completion answer from one server, not both', async () => {
  const uri = ours.uriFor('coexist-shop.yaml');
  const hoverAt = [
    { line: 12, character: 10 }, // pathType
    { line: 6, character: 4 }, // ingressClassName
    { line: 28, character: 6 }, // port
  ];
  for (const position of hoverAt) {
    const a = await ours.hover(uri, position);
    const b = await theirs.hover(uri, position);
    assert.ok(a, `our hover at ${JSON.stringify(position)}`);
    assert.equal(
      b,
      null,
      `yaml-language-server's hover at ${JSON.stringify(position)}: ${JSON.stringify(b)}`,
    );
  }
  // a new key under the Service's spec: our items are the spec's fields; theirs share none of them
  const at = { line: 25, character: 2 };
  const a = (await ours.completion(uri, at)).map((i) => i.label);
  const b = (await theirs.completion(uri, at)).map((i) => i.label);
  assert.ok(a.includes('type') && a.includes('sessionAffinity'), JSON.stringify(a));
  assert.deepEqual(
    b.filter((l) => a.includes(l)),
    [],
  );
});
