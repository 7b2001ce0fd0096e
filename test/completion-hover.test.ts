// Completion at a `$0` cursor and hover, through the protocol.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LspClient, ROOT, applyEdits } from './support/lsp-client';
import { cursor } from './support/fixture';

const DIR = path.join(ROOT, 'test', 'fixtures', 'completion');
let client: LspClient;
before(async () => {
  client = await LspClient.start();
});
after(async () => {
  await client.stop();
});

async function completeAt(file: string) {
  const c = cursor(readFileSync(path.join(DIR, file), 'utf8'));
  const uri = client.uriFor(`completion-${file}`);
  await client.open(uri, c.text);
  await client.diagnostics(uri);
  const items = await client.completion(uri, { line: c.line, character: c.character });
  return {
    items,
    labels: items.map((i) => i.label),
    text: c.text,
    pos: { line: c.line, character: c.character },
  };
}

test('completion in a new Ingress path entry offers its three fields, with docs', async () => {
  const { items, labels } = await completeAt('ingress-path-item.yaml');
  assert.deepEqual([...labels].sort(), ['backend', 'path', 'pathType']);
  const pathType = items.find((i) => i.label === 'pathType')!;
  assert.match(pathType.detail ?? '', /"Exact" \| "ImplementationSpecific" \| "Prefix" \(required\)/);
  assert.match(JSON.stringify(pathType.documentation), /Allowed values/);
});

test('completion of spec keys leaves out the keys already present', async () => {
  const { labels } = await completeAt('ingress-spec-keys.yaml');
  assert.deepEqual([...labels].sort(), ['defaultBackend', 'tls']);
});

test('completion of an enum value (pathType) in indented-sequence style', async () => {
  const { labels } = await completeAt('path-type-value.yaml');
  assert.deepEqual(labels, ['Exact', 'ImplementationSpecific', 'Prefix']);
});

test('completion of policyTypes list items', async () => {
  const { labels } = await completeAt('netpol-peer.yaml');
  assert.deepEqual(labels, ['Egress', 'Ingress']);
});

test('completion of Service port protocol values', async () => {
  const { labels } = await completeAt('service-protocol.yaml');
  assert.deepEqual(labels, ['SCTP', 'TCP', 'UDP']);
});

test('an empty document offers whole-resource snippets that insert valid manifests', async () => {
  const { items, text, pos } = await completeAt('empty-document.yaml');
  const snippets = items.filter((i) => i.kind === 15).map((i) => i.label);
  for (const label of [
    'Ingress: single service',
    'Ingress: simple fanout',
    'Ingress: name-based virtual hosting',
    'Ingress: TLS',
    'Service: ClusterIP',
    'Secret: TLS',
    'NetworkPolicy: default-deny ingress',
    'NetworkPolicy: default-deny egress',
    'NetworkPolicy: allow from namespace',
    'NetworkPolicy: allow DNS egress',
  ]) {
    assert.ok(snippets.includes(label), `snippet ${label} in ${snippets.join(', ')}`);
  }
  // Insert the TLS Ingress snippet with its placeholders filled by their defaults: no findings but the expected ones.
  const tls = items.find((i) => i.label === 'Ingress: TLS')!;
  const body = (tls.textEdit as { newText: string }).newText
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\d+/g, '');
  const inserted = applyEdits(text, [{ range: { start: pos, end: pos }, newText: body }]);
  const uri = client.uriFor('snippet-inserted.yaml');
  await client.open(uri, inserted);
  const diags = await client.diagnostics(uri);
  // Alone in the workspace, the snippet's Service is not defined yet: that warning is the only one.
  assert.deepEqual(
    diags.filter((d) => d.severity! <= 2).map((d) => d.message),
    ['Service "my-service" is not defined in namespace "default" in this workspace'],
  );
});

test('apiVersion completion lists current versions first and marks removed ones', async () => {
  const { items } = await completeAt('api-version.yaml');
  assert.equal(items[0].label, 'networking.k8s.io/v1');
  const sorted = [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
  assert.equal(sorted[0].label, 'networking.k8s.io/v1');
  assert.match(items.find((i) => i.label === 'extensions/v1beta1')!.detail!, /removed in 1\.22/);
});

test('legacy Ingress backends complete the legacy fields', async () => {
  const { labels } = await completeAt('legacy-backend.yaml');
  assert.deepEqual([...labels].sort(), ['resource', 'serviceName', 'servicePort']);
});

const HOVER_DOC = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
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
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: old
spec:
  backend:
    serviceName: web
    servicePort: 80
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: np
spec:
  podSelector: {}
  ingress:
  - from:
    - ipBlock:
        cidr: 10.0.0.0/8
`;

async function hoverAt(line: number, character: number): Promise<string> {
  const uri = client.uriFor('hover.yaml');
  await client.open(uri, HOVER_DOC);
  await client.diagnostics(uri);
  const h = await client.hover(uri, { line, character });
  return h ? (h.contents as { value: string }).value : '';
}

test('hover on pathType explains it, lists allowed values and links the reference', async () => {
  const md = await hoverAt(10, 10);
  assert.match(
    md,
    /^\*\*pathType\*\* · `"Exact" \| "ImplementationSpecific" \| "Prefix"` · required · in HTTPIngressPath/,
  );
  assert.match(md, /Allowed values: `Exact`, `ImplementationSpecific`, `Prefix`/);
  assert.match(
    md,
    /\[Kubernetes API reference: Ingress\]\(https:\/\/kubernetes\.io\/docs\/reference\/kubernetes-api\/service-resources\/ingress-v1\/\)/,
  );
});

test('hover on a value describes its field (service port number)', async () => {
  const md = await hoverAt(15, 24);
  assert.match(md, /^\*\*number\*\* · `integer`/);
});

test('hover on apiVersion tells which Kubernetes versions serve it', async () => {
  const current = await hoverAt(0, 20);
  assert.match(
    current,
    /\*\*Ingress\*\* `networking\.k8s\.io\/v1`: served from Kubernetes 1\.19 onwards \(current\)/,
  );
  const legacy = await hoverAt(17, 15);
  assert.match(legacy, /served in Kubernetes 1\.1–1\.21, \*\*removed in 1\.22\*\*/);
  assert.match(legacy, /Use `networking\.k8s\.io\/v1` instead/);
});

test('hover on legacy fields and NetworkPolicy fields', async () => {
  assert.match(await hoverAt(23, 6), /^\*\*serviceName\*\* · `string`/);
  assert.match(await hoverAt(35, 10), /^\*\*cidr\*\* · `string` · required · in IPBlock/);
  assert.match(await hoverAt(32, 3), /^\*\*ingress\*\*/);
});

test('document symbols list each resource as "Kind name (namespace)"', async () => {
  const uri = client.uriFor('hover.yaml');
  await client.open(uri, HOVER_DOC);
  const symbols = await client.symbols(uri);
  assert.deepEqual(
    symbols.map((s) => s.name),
    ['Ingress shop (default)', 'Ingress old (default)', 'NetworkPolicy np (default)'],
  );
  assert.deepEqual(symbols[1].selectionRange, {
    start: { line: 20, character: 8 },
    end: { line: 20, character: 11 },
  });
});
