// The editor's features on and inside anchors and aliases, through the language service: findings
// through an alias point at sensible text, hover and definition read the resolved values, and a
// quick fix that would edit an anchored value says that its aliases change too.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextWorkspace } from '../server/src/service/documents';
import { createLanguageService, DEFAULT_LANGUAGE_SETTINGS } from '../server/src/service/language-service';

const INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
spec:
  ingressClassName: traefik
  rules:
  - host: a.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: &web
          service:
            name: web
            port: {number: 80}
  - host: b.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: *web
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
`;

const WORKERS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: workers
spec:
  selector:
    matchLabels: &labels {app: workers}
  template:
    metadata:
      labels: *labels
    spec:
      containers:
      - &worker
        name: fast
        image: example/worker:2.0
        imagePullPolcy: IfNotPresent
      - <<: *worker
        name: slow
      - name: other
        image: example/other:1.0
        imagePullPolcy: Always
`;

function service(files: Record<string, string>) {
  const ws = new TextWorkspace();
  for (const [name, text] of Object.entries(files)) ws.set(`file:///ws/${name}`, text);
  return createLanguageService(ws, DEFAULT_LANGUAGE_SETTINGS);
}

/** The position of the `nth` (0-based) occurrence of `what` in `text`, `plus` characters in. */
function at(text: string, what: string, nth = 0, plus = 0) {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(what, i + 1);
  assert.ok(i >= 0, what);
  const before = text.slice(0, i + plus);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

test('hover and definition read the anchored value, at the anchor and through the alias', () => {
  const svc = service({ 'ingress.yaml': INGRESS, 'service.yaml': SERVICE });
  // no finding: the second rule's backend is the first one's (before, an unresolved alias)
  assert.deepEqual(
    svc.doValidation('file:///ws/ingress.yaml').map((d) => d.code),
    [],
  );
  // the Service name inside the anchored backend leads to the Service
  const def = svc.findDefinition('file:///ws/ingress.yaml', at(INGRESS, 'name: web', 0, 7));
  assert.deepEqual(def, [
    {
      uri: 'file:///ws/service.yaml',
      range: { start: { line: 3, character: 8 }, end: { line: 3, character: 11 } },
    },
  ]);
  // the alias is hovered as the field it stands for
  const hover = svc.doHover('file:///ws/ingress.yaml', at(INGRESS, '*web', 0, 2));
  const markdown = (hover?.contents as { value: string }).value;
  assert.match(markdown, /^\*\*backend\*\* · `object \(IngressBackend\)`/);
  assert.match(
    markdown,
    /`\*web` stands for the value anchored as `&web` above: kubectl reads that value here\.$/,
  );
  // references on the anchor (or an alias) list the anchor and every alias of it
  const anchor = at(INGRESS, '&web');
  const aliasAt = at(INGRESS, '*web');
  const found = svc.findReferences('file:///ws/ingress.yaml', at(INGRESS, '&web', 0, 1), {
    includeDeclaration: true,
  });
  assert.deepEqual(
    found?.map((l) => [l.range.start, l.range.end.character - l.range.start.character]),
    [
      [anchor, 4],
      [aliasAt, 4],
    ],
  );
  // no completion in the middle of an alias
  assert.deepEqual(svc.doComplete('file:///ws/ingress.yaml', at(INGRESS, '*web', 0, 2)), []);
  // definition on the alias goes to its anchor
  assert.deepEqual(svc.findDefinition('file:///ws/ingress.yaml', at(INGRESS, '*web', 0, 2)), [
    {
      uri: 'file:///ws/ingress.yaml',
      range: { start: anchor, end: { line: anchor.line, character: anchor.character + 4 } },
    },
  ]);
});

test('a quick fix inside an anchored value says that the aliases of it change too, and is not preferred', () => {
  const svc = service({ 'workers.yaml': WORKERS });
  const uri = 'file:///ws/workers.yaml';
  const found = svc.doValidation(uri).map((d) => ({
    line: d.range.start.line,
    message: String(d.message),
    fixes: svc
      .getCodeActions(uri, d.range, { diagnostics: [d] })
      .map((a) => [a.title, a.isPreferred ?? false]),
  }));
  const anchored = at(WORKERS, 'imagePullPolcy').line;
  const own = at(WORKERS, 'imagePullPolcy', 1).line;
  const through =
    'Rename to "imagePullPolicy" (edits the value anchored as &worker, so its alias changes too)';
  assert.deepEqual(found, [
    // the mistake in the anchored container is reported for it and for the container that merges it,
    // both at the anchored text
    {
      line: anchored,
      message:
        'Unknown field "imagePullPolcy" in spec.template.spec.containers[0] (Container); did you mean "imagePullPolicy"?',
      fixes: [[through, false]],
    },
    {
      line: anchored,
      message:
        'Unknown field "imagePullPolcy" in spec.template.spec.containers[1] (Container); did you mean "imagePullPolicy"?',
      fixes: [[through, false]],
    },
    {
      line: own,
      message:
        'Unknown field "imagePullPolcy" in spec.template.spec.containers[2] (Container); did you mean "imagePullPolicy"?',
      fixes: [['Rename to "imagePullPolicy"', true]],
    },
  ]);
});

test("the outline's selection stays inside each object when its name or kind is merged in", () => {
  const list = `apiVersion: v1
kind: List
items:
- &web
  apiVersion: v1
  kind: Service
  metadata: {name: web}
  spec: {selector: {app: web}, ports: [{port: 80}]}
- <<: *web
  metadata: {name: web-copy}
- <<: *web
`;
  const svc = service({ 'list.yaml': list });
  const symbols = svc.findDocumentSymbols('file:///ws/list.yaml');
  const inside = (s: (typeof symbols)[number]) => {
    const { range: r, selectionRange: sel } = s;
    const before = (a: { line: number; character: number }, b: typeof a) =>
      a.line < b.line || (a.line === b.line && a.character <= b.character);
    return before(r.start, sel.start) && before(sel.end, r.end);
  };
  assert.deepEqual(
    symbols.map((s) => [s.name, inside(s)]),
    [
      ['Service web (default)', true],
      ['Service web-copy (default)', true],
      ['Service web (default)', true],
    ],
  );
  // the third, whose name is all merged, is selected at its own start
  assert.deepEqual(symbols[2].selectionRange, {
    start: { line: 10, character: 2 },
    end: { line: 10, character: 2 },
  });
});
