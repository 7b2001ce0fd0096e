// The workspace keeps what it derived from files that did not change (per kind, per file): an edit
// must still be seen everywhere it matters. Edits go through the incremental parser, as in the
// editor: unchanged documents keep their objects, and documents below an edit move.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IncrementalParser } from '../server/src/syntax/file';
import { resourcesOf } from '../server/src/model/resource';
import { WorkspaceIndex } from '../server/src/workspace/index';
import { checkParsedFile } from '../server/src/rules/check';
import type { ParsedFile } from '../server/src/syntax/file';

const settings = { kubernetesVersion: '1.34', severities: {} };

function ingress(name: string, port: number): string {
  return `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ${name}\nspec:\n  rules:\n  - host: shop.example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: web\n            port:\n              number: ${port}\n`;
}

function service(port: number): string {
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - name: http\n    port: ${port}\n`;
}

class Workspace {
  index = new WorkspaceIndex();
  private parsers = new Map<string, IncrementalParser>();
  parsed = new Map<string, ParsedFile>();
  set(uri: string, text: string): void {
    let p = this.parsers.get(uri);
    if (!p) this.parsers.set(uri, (p = new IncrementalParser()));
    const parsed = p.parse(text);
    this.parsed.set(uri, parsed);
    this.index.setFile(
      uri,
      parsed.docs.flatMap((d) => resourcesOf(d)),
    );
  }
  check(uri: string) {
    return checkParsedFile(this.parsed.get(uri)!, this.index, { settings, reportSyntax: true, uri });
  }
}

test('an edit to a Service is seen by the Ingress of another file, and back', () => {
  const ws = new Workspace();
  ws.set('a.yaml', ingress('shop', 80));
  ws.set('b.yaml', `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: default\n---\n${service(80)}`);
  const missing = () =>
    ws
      .check('a.yaml')
      .filter((f) => f.ruleId === 'ingress-backend-port-missing')
      .map((f) => f.message);
  assert.deepEqual(missing(), []);
  for (let i = 0; i < 3; i++) {
    ws.set('b.yaml', `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: default\n---\n${service(8080)}`);
    assert.deepEqual(missing(), ['Service "web" has no port 80; its ports: 8080 (http)']);
    ws.set('b.yaml', `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: default\n---\n${service(80)}`);
    assert.deepEqual(missing(), []);
  }
});

test('positions in another file follow its documents when a document above them grows', () => {
  const ws = new Workspace();
  ws.set('a.yaml', ingress('shop', 80));
  const other = (pad: string) =>
    `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: default${pad}\n---\n${ingress('shop-canary', 80)}`;
  const relatedStart = () => {
    const f = ws.check('a.yaml').find((x) => x.ruleId === 'ingress-path-conflict');
    assert.ok(f, 'the two Ingresses claim the same host and path');
    return f.related![0].start;
  };
  for (const pad of ['', 'x', '-and-a-much-longer-suffix', '']) {
    const text = other(pad);
    ws.set('b.yaml', text);
    // the claim of shop-canary is its `- path: /` item, in the second document
    assert.equal(relatedStart(), text.indexOf('path: /'), `after renaming the Namespace to default${pad}`);
  }
});

test('a copy added in another file changes which copy the checks use only when it comes first in path order', () => {
  const ws = new Workspace();
  ws.set('m.yaml', service(80));
  ws.set('z.yaml', ingress('shop', 8080));
  const missing = () => ws.check('z.yaml').some((f) => f.ruleId === 'ingress-backend-port-missing');
  assert.equal(missing(), true);
  ws.set('x.yaml', service(8080)); // after m.yaml: m.yaml's copy (port 80) is still the one used
  assert.equal(missing(), true);
  ws.set('a.yaml', service(8080)); // before m.yaml: now the first copy has port 8080
  assert.equal(missing(), false);
  ws.index.removeFile('a.yaml');
  assert.equal(missing(), true);
});
