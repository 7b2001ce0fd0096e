// Completion of the values the workspace defines (issue 13), through the language service facade the
// server answers textDocument/completion with, and once over the protocol: Service names (same
// namespace first) and ports in Ingress backends, TLS Secrets, IngressClasses, label keys and values
// in selectors, container port names, namespaces; on an empty value, a partial one and in flow style.
// Each item says where the value is defined.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem } from 'vscode-languageserver-types';
import { TextWorkspace } from '../server/src/service/documents';
import { createLanguageService } from '../server/src/service/language-service';
import { languageSettings, normalizeSettings } from '../server/src/lsp/settings';
import { LspClient } from './support/lsp-client';
import { MAX_COMPLETION_VALUES } from '../server/src/features/completion-bound';

const DEFS = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    team: storefront
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: http
  - name: https
    port: 443
    targetPort: 8443
---
apiVersion: v1
kind: Service
metadata:
  name: billing
  namespace: payments
spec:
  ports:
  - port: 9000
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
        tier: frontend
    spec:
      containers:
      - name: web
        image: registry.example/web:1
        ports:
        - name: http
          containerPort: 8080
        - name: metrics
          containerPort: 9090
---
apiVersion: v1
kind: Secret
metadata:
  name: shop-tls
  namespace: shop
type: kubernetes.io/tls
data: {}
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
  annotations:
    ingressclass.kubernetes.io/is-default-class: "true"
spec:
  controller: k8s.io/ingress-nginx
`;

const INGRESS_HEAD = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
spec:
`;

function service() {
  const settings = normalizeSettings({});
  const ws = new TextWorkspace(undefined, () => settings.maxFileSize * 1024 * 1024);
  const svc = createLanguageService(ws);
  svc.configure(languageSettings(settings));
  ws.set('file:///ws/defs.yaml', DEFS);
  return { ws, svc };
}

/** Completion at the `|` of `text` (the bar is removed). */
function completeAt(text: string): { items: CompletionItem[]; labels: string[] } {
  const { ws, svc } = service();
  const offset = text.indexOf('|');
  const clean = text.slice(0, offset) + text.slice(offset + 1);
  ws.set('file:///ws/doc.yaml', clean);
  const before = clean.slice(0, offset).split('\n');
  const items = svc.doComplete('file:///ws/doc.yaml', {
    line: before.length - 1,
    character: before[before.length - 1].length,
  });
  const sorted = [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
  return { items: sorted, labels: sorted.map((i) => i.label) };
}

const backend = (service: string) => `${INGRESS_HEAD}  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
${service}`;

test('Ingress backend service.name: Services of the Ingress namespace first, each with where it is defined', () => {
  const { items, labels } = completeAt(backend('          service:\n            name: |\n'));
  assert.deepEqual(labels, ['web', 'billing']);
  assert.match(items[0].detail ?? '', /^Service in shop, ports http, https \(defs\.yaml:11\)$/);
  assert.match(items[1].detail ?? '', /another namespace/);
  // the edit replaces what was typed (here: nothing)
  const edit = items[0].textEdit as {
    range: { start: { character: number }; end: { character: number } };
    newText: string;
  };
  assert.equal(edit.newText, 'web');
  assert.equal(edit.range.start.character, edit.range.end.character);
});

test('a partial value is replaced, and flow style works', () => {
  const partial = completeAt(backend('          service:\n            name: we|\n'));
  assert.ok(partial.labels.includes('web'));
  const edit = partial.items.find((i) => i.label === 'web')!.textEdit as {
    range: { start: { character: number }; end: { character: number } };
  };
  assert.equal(edit.range.end.character - edit.range.start.character, 2);
  const flow = completeAt(backend('          service: {name: w|\n'));
  assert.deepEqual(flow.labels, ['web', 'billing']);
});

test('backend ports: numbers and names of the named Service', () => {
  assert.deepEqual(
    completeAt(
      backend('          service:\n            name: web\n            port:\n              number: |\n'),
    ).labels,
    ['443', '80'],
  );
  assert.deepEqual(
    completeAt(backend('          service:\n            name: web\n            port: {name: |}\n')).labels,
    ['http', 'https'],
  );
});

test('tls secretName and ingressClassName', () => {
  const tls = completeAt(`${INGRESS_HEAD}  tls:\n  - hosts: [shop.example.com]\n    secretName: |\n`);
  assert.deepEqual(tls.labels, ['shop-tls']);
  assert.match(tls.items[0].detail ?? '', /Secret in shop, type kubernetes\.io\/tls \(defs\.yaml:\d+\)/);
  const cls = completeAt(`${INGRESS_HEAD}  ingressClassName: |\n`);
  assert.deepEqual(cls.labels, ['nginx']);
  assert.match(cls.items[0].detail ?? '', /controller k8s\.io\/ingress-nginx \(default\)/);
});

const SVC = `apiVersion: v1
kind: Service
metadata:
  name: web2
  namespace: shop
spec:
`;

test('Service selector: label keys, then values of that key on the pods', () => {
  const keys = completeAt(`${SVC}  selector:\n    |\n`);
  assert.ok(keys.labels.includes('app') && keys.labels.includes('tier'), keys.labels.join());
  assert.equal(
    (keys.items.find((i) => i.label === 'tier')!.textEdit as { newText: string }).newText,
    'tier: ',
  );
  assert.deepEqual(completeAt(`${SVC}  selector:\n    tier: |\n`).labels, ['frontend']);
  assert.deepEqual(completeAt(`${SVC}  selector: {app: |}\n`).labels, ['web']);
});

test('Service targetPort: container port names of the selected pods', () => {
  const r = completeAt(`${SVC}  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: |\n`);
  assert.deepEqual(r.labels, ['http', 'metrics']);
  assert.match(r.items[0].detail ?? '', /container port 8080\/TCP of web in Deployment web \(shop\)/);
});

const NP = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
  - from:
`;

test('NetworkPolicy selectors: pod labels, Namespace labels, matchExpressions, named ports', () => {
  assert.deepEqual(completeAt(`${NP}    - podSelector:\n        matchLabels:\n          tier: |\n`).labels, [
    'frontend',
  ]);
  const ns = completeAt(`${NP}    - namespaceSelector:\n        matchLabels:\n          |\n`);
  assert.ok(
    ns.labels.includes('kubernetes.io/metadata.name') && ns.labels.includes('team'),
    ns.labels.join(),
  );
  assert.ok(
    completeAt(
      `${NP}    - namespaceSelector:\n        matchLabels: {kubernetes.io/metadata.name: |}\n`,
    ).labels.includes('shop'),
  );
  assert.ok(
    completeAt(`${NP}    - podSelector:\n        matchExpressions:\n        - key: |\n`).labels.includes(
      'tier',
    ),
  );
  assert.deepEqual(
    completeAt(
      `${NP}    - podSelector:\n        matchExpressions:\n        - key: tier\n          operator: In\n          values: [|]\n`,
    ).labels,
    ['frontend'],
  );
  assert.deepEqual(completeAt(`${NP}    - podSelector: {}\n    ports:\n    - port: |\n`).labels, [
    'http',
    'metrics',
  ]);
});

test('metadata.namespace: the namespaces the workspace defines or uses', () => {
  const r = completeAt(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: |\n`);
  assert.deepEqual(r.labels, ['shop', 'payments']);
});

let client: LspClient;
before(async () => {
  client = await LspClient.start();
});
after(async () => {
  await client.stop();
});

test('over the protocol: textDocument/completion offers the Services of the open files with their location', async () => {
  const defs = client.uriFor('completion-ws-defs.yaml');
  await client.open(defs, DEFS);
  const text = backend('          service:\n            name: \n');
  const uri = client.uriFor('completion-ws-ingress.yaml');
  await client.open(uri, text);
  await client.diagnostics(uri);
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.endsWith('name: '));
  const items = await client.completion(uri, { line, character: lines[line].length });
  const web = items.find((i) => i.label === 'web');
  assert.ok(web, items.map((i) => i.label).join());
  assert.match(web.detail ?? '', /completion-ws-defs\.yaml:11\)$/);
});

// Thousands of values of one label key (issue 9): past MAX_COMPLETION_VALUES the answer keeps what
// matches the typed text, at most that many, and says it was cut, so the editor asks again as the
// user types; a typed text that few values match gets exactly those, as a whole list.

const MANY = 3000;
/** Pods labelled app=svc-0 … svc-2994 and app=zeta-0 … zeta-4 in shop, and app=far-0 … far-9 in
 * another namespace. */
function manyPods(): string {
  const pods: string[] = [];
  const pod = (name: string, ns: string, app: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n  labels:\n    app: ${app}\n`;
  for (let i = 0; i < MANY - 5; i++) pods.push(pod(`p-${i}`, 'shop', `svc-${i}`));
  for (let i = 0; i < 5; i++) pods.push(pod(`z-${i}`, 'shop', `zeta-${i}`));
  for (let i = 0; i < 10; i++) pods.push(pod(`f-${i}`, 'far', `far-${i}`));
  return pods.join('---\n');
}

/** Completion of `app` values in a Service selector of shop, after `typed`. */
function manyValues(typed: string, flow = false) {
  const { ws, svc } = service();
  ws.set('file:///ws/pods.yaml', manyPods());
  const head = `${SVC}  selector:${flow ? ' {app: ' : '\n    app: '}${typed}`;
  ws.set('file:///ws/doc.yaml', `${head}${flow ? '}' : ''}\n`);
  const lines = head.split('\n');
  const position = { line: lines.length - 1, character: lines[lines.length - 1].length };
  const list = svc.doCompleteList('file:///ws/doc.yaml', position);
  return {
    list,
    labels: list.items.map((i) => i.label),
    plain: svc.doComplete('file:///ws/doc.yaml', position),
  };
}

const inOrder = (label: string, typed: string) => {
  let at = 0;
  for (const ch of label.toLowerCase()) if (ch === typed.toLowerCase()[at]) at++;
  return at === typed.length;
};
const bySortText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

test('thousands of label values: the list is cut at the cap, says so, same namespace first', () => {
  const { list, labels, plain } = manyValues('');
  assert.equal(list.isIncomplete, true);
  assert.equal(list.items.length, MAX_COMPLETION_VALUES);
  assert.equal(new Set(labels).size, labels.length);
  // the far namespace's values sort last: the cap keeps the shop values
  assert.ok(!labels.some((l) => l.startsWith('far-')));
  // what the editor shows first: the first values in sortText order
  const shop = [...Array(MANY - 5).keys()]
    .map((i) => `svc-${i}`)
    .concat([0, 1, 2, 3, 4].map((i) => `zeta-${i}`));
  assert.deepEqual([...labels].sort(bySortText), shop.sort(bySortText).slice(0, MAX_COMPLETION_VALUES));
  // doComplete gives the same items, as a plain list
  assert.deepEqual(plain, list.items);
});

test('thousands of label values: what was typed is matched on the server, prefix matches first', () => {
  // 1,111 values start with svc-1: more than the cap, all of the kept ones start with it
  const many = manyValues('svc-1');
  assert.equal(many.list.isIncomplete, true);
  assert.equal(many.labels.length, MAX_COMPLETION_VALUES);
  assert.ok(many.labels.every((l) => l.startsWith('svc-1')));
  // few matches: exactly the values holding the typed characters in order (the editor's fuzzy filter
  // shows no other), every value that starts with them among them, and the list is whole
  for (const flow of [false, true]) {
    const few = manyValues('svc-29', flow);
    assert.equal(few.list.isIncomplete, false);
    const want = [...Array(MANY - 5).keys()].map((i) => `svc-${i}`).filter((l) => inOrder(l, 'svc-29'));
    assert.deepEqual([...few.labels].sort(bySortText), want.sort(bySortText));
    assert.ok(['svc-29', 'svc-290', 'svc-2994'].every((l) => few.labels.includes(l)));
    // the edit replaces the typed text
    const edit = few.list.items[0].textEdit as {
      range: { start: { character: number }; end: { character: number } };
    };
    assert.equal(edit.range.end.character - edit.range.start.character, 'svc-29'.length);
  }
  const zeta = manyValues('zeta');
  assert.deepEqual(zeta.labels.sort(), ['zeta-0', 'zeta-1', 'zeta-2', 'zeta-3', 'zeta-4']);
  assert.equal(zeta.list.isIncomplete, false);
  // (case does not matter, as in the editor's filter)
  assert.equal(manyValues('ZETA').labels.length, 5);
});

test('thousands of Services in an HTTPRoute backendRef: the same cut', () => {
  const { ws, svc } = service();
  const services: string[] = [];
  for (let i = 0; i < 1500; i++)
    services.push(
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: api-${i}\n  namespace: web\nspec:\n  ports:\n  - port: 80\n`,
    );
  ws.set('file:///ws/services.yaml', services.join('---\n'));
  const at = (typed: string) => {
    const head = `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: store\n  namespace: web\nspec:\n  rules:\n  - backendRefs:\n    - name: ${typed}`;
    ws.set('file:///ws/route.yaml', `${head}\n`);
    const lines = head.split('\n');
    return svc.doCompleteList('file:///ws/route.yaml', {
      line: lines.length - 1,
      character: lines[lines.length - 1].length,
    });
  };
  const all = at('');
  assert.equal(all.isIncomplete, true);
  assert.equal(all.items.length, MAX_COMPLETION_VALUES);
  const few = at('api-149');
  assert.equal(few.isIncomplete, false);
  assert.deepEqual(
    few.items.map((i) => i.label).sort(bySortText),
    [...Array(1500).keys()]
      .map((i) => `api-${i}`)
      .filter((l) => inOrder(l, 'api-149'))
      .sort(bySortText),
  );
});

test('a list within the cap is whole and unfiltered, as before', () => {
  const { ws, svc } = service();
  const text = `${SVC}  selector:\n    app: x\n`;
  ws.set('file:///ws/doc.yaml', text);
  const list = svc.doCompleteList('file:///ws/doc.yaml', { line: 7, character: 10 });
  assert.equal(list.isIncomplete, false);
  // `x` matches no value: the editor filters, the server does not
  assert.deepEqual(
    list.items.map((i) => i.label),
    ['web'],
  );
});

test('over the protocol: a cut list comes as a CompletionList with isIncomplete, at most the cap', async () => {
  const pods = client.uriFor('completion-ws-many-pods.yaml');
  await client.open(pods, manyPods());
  await client.diagnostics(pods);
  const text = `${SVC}  selector:\n    app: \n`;
  const uri = client.uriFor('completion-ws-many-service.yaml');
  await client.open(uri, text);
  await client.diagnostics(uri);
  const answer = await client.completionAnswer(uri, { line: 7, character: 9 });
  assert.ok(answer && !Array.isArray(answer), JSON.stringify(answer).slice(0, 300));
  assert.equal(answer.isIncomplete, true);
  assert.equal(answer.items.length, MAX_COMPLETION_VALUES);
  assert.ok(answer.items.every((i) => i.label.startsWith('svc-') || i.label.startsWith('zeta-')));
  // a typed text that few values match: a plain list of those, as for a small workspace
  const typed = client.uriFor('completion-ws-many-typed.yaml');
  await client.open(typed, `${SVC}  selector:\n    app: zeta\n`);
  await client.diagnostics(typed);
  const few = await client.completionAnswer(typed, { line: 7, character: 13 });
  assert.ok(Array.isArray(few), 'a plain list');
  assert.deepEqual(few.map((i) => i.label).sort(), ['zeta-0', 'zeta-1', 'zeta-2', 'zeta-3', 'zeta-4']);
});
