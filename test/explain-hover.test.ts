// Plain-language hovers through the protocol: a whole NetworkPolicy (which pods, what it isolates,
// inferred policyTypes, what it allows and denies), a NetworkPolicy peer (AND vs OR), a whole Ingress
// (which Service, port and pods each path reaches). The field documentation stays under the
// explanation. Workspace: test/fixtures/navigation/shop indexed from disk, plus opened files.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MarkupContent, Range } from 'vscode-languageserver-protocol';
import { LspClient, ROOT } from './support/lsp-client';
import { cursorIn, rangeIn } from './support/text-position';

const NAV = path.join(ROOT, 'test', 'fixtures', 'navigation');
const SHOP = path.join(NAV, 'shop');

let client: LspClient;
before(async () => {
  client = await LspClient.start(
    {},
    { workspaceFolders: [{ uri: pathToFileURL(SHOP).toString(), name: 'shop' }] },
  );
  await client.waitFor(
    () => client.logs.some((l) => /indexed \d+ YAML files/.test(l)),
    'the workspace index',
  );
});
after(async () => {
  await client.stop();
});

const openedTexts = new Map<string, string>();

/** Open a fixture (`shop/x.yaml` under its own file URI, `explain/x.yaml` as a virtual document). */
async function open(rel: string): Promise<{ uri: string; text: string }> {
  const text = readFileSync(path.join(NAV, rel), 'utf8');
  const uri = rel.startsWith('shop/')
    ? pathToFileURL(path.join(NAV, rel)).toString()
    : client.uriFor(`explain-${path.basename(rel)}`);
  if (!openedTexts.has(uri)) {
    openedTexts.set(uri, text);
    await client.open(uri, text);
    await client.diagnostics(uri);
  }
  return { uri, text };
}

async function hoverAt(
  rel: string,
  needle: string,
  part = needle,
  nth = 0,
): Promise<{ markdown: string; range: Range | undefined; text: string }> {
  const { uri, text } = await open(rel);
  const h = await client.hover(uri, cursorIn(text, needle, part, nth));
  assert.ok(h, `a hover at "${part}" of "${needle}"`);
  return { markdown: (h.contents as MarkupContent).value, range: h.range, text };
}

/** The explanation is first; the field documentation follows after a rule. */
function parts(markdown: string): { explanation: string; field: string } {
  const i = markdown.indexOf('\n\n---\n\n');
  assert.ok(i > 0, `explanation and field docs separated:\n${markdown}`);
  return { explanation: markdown.slice(0, i), field: markdown.slice(i + 7) };
}

test('NetworkPolicy hover on its name: selected workloads, inferred policyTypes, allowed peer and port, what is denied; field docs kept', async () => {
  const { markdown, range, text } = await hoverAt('shop/policies.yaml', 'name: api-from-web', 'api-from-web');
  const { explanation, field } = parts(markdown);
  assert.deepEqual(explanation.split('\n\n'), [
    '**NetworkPolicy `shop/api-from-web`** in plain words',
    '**Applies to** pods labelled `app=api` in namespace `shop`: Deployment api, Deployment api-canary.',
    '`policyTypes` is not set, so Kubernetes infers it: **Ingress** always, plus **Egress** only when the policy has egress rules. Here that gives **Ingress** only: there is no egress rule, so outgoing traffic stays open (list `Egress` in policyTypes to restrict it).',
    [
      '**Incoming traffic allowed** (matching any one rule is enough):',
      "- rule 1: from pods labelled `app=web` in this policy's namespace `shop` (workloads: Deployment web), on TCP 8080",
      '**Denied:** every other connection to these pods — from anything not listed above, or on a port its rule does not list — unless another policy selecting the pods allows it.',
    ].join('\n'),
    '**Outgoing traffic (egress)** is not restricted by this policy: its policyTypes do not include Egress.',
    'Also selecting some of these pods: `canary-http`, `scrape-or`. Policies add up: a connection is allowed when any policy that isolates the pod allows it.',
  ]);
  assert.match(field, /^\*\*name\*\* · `string` · in ObjectMeta/);
  assert.deepEqual(range, rangeIn(text, 'name: api-from-web', 'api-from-web'));
});

test('NetworkPolicy hover on `spec` and on `kind` give the same explanation', async () => {
  const onName = parts(
    (await hoverAt('shop/policies.yaml', 'name: scrape-and', 'scrape-and')).markdown,
  ).explanation;
  const onSpec = await hoverAt('shop/policies.yaml', 'spec:', 'spec', 2);
  assert.equal(parts(onSpec.markdown).explanation, onName);
  assert.match(parts(onSpec.markdown).field, /^\*\*spec\*\*/);
  const onKind = await hoverAt('shop/policies.yaml', 'kind: NetworkPolicy', 'NetworkPolicy', 2);
  assert.equal(parts(onKind.markdown).explanation, onName);
  // the apiVersion notes of `kind` are still there
  assert.match(
    parts(onKind.markdown).field,
    /\*\*NetworkPolicy\*\* `networking.k8s.io\/v1`: served from Kubernetes/,
  );
  assert.match(onName, /\*\*Applies to\*\* pods labelled `app=web` in namespace `shop`: Deployment web\./);
  assert.match(onName, /policyTypes: Ingress, Egress \(as written\)\./);
  assert.match(
    onName,
    /- rule 1: from pods labelled `app=prometheus` in namespaces labelled `team=ops` \(namespaces: monitoring; workloads: Deployment prometheus \(namespace monitoring\)\), on TCP 9090/,
  );
  assert.match(
    onName,
    /\*\*Outgoing traffic: all denied\.\*\* The policy isolates these pods for egress and has no egress rule, so no outgoing connection is allowed, DNS lookups included/,
  );
});

test('peer hover: two separate items are OR, in plain words, with the AND it probably meant', async () => {
  const needle = '        - podSelector:\n            matchLabels:\n              app: prometheus';
  const { markdown, range, text } = await hoverAt('shop/policies.yaml', needle, 'podSelector');
  const { explanation, field } = parts(markdown);
  assert.deepEqual(explanation.split('\n\n'), [
    '**Separate items: OR.** This `from` list has 2 items; each is an alternative, so the rule admits traffic from whatever matches **any one** of them:',
    [
      '- item 1: every pod in namespaces labelled `team=ops` (namespaces: monitoring; workloads: Deployment prometheus (namespace monitoring))',
      "- item 2 (this one): pods labelled `app=prometheus` in this policy's namespace `shop` (no workload of the workspace matches)",
    ].join('\n'),
    'If you meant pods labelled `app=prometheus` **in** namespaces labelled `team=ops` (AND), put both selectors in one item: delete the `-` before the second selector.',
  ]);
  assert.match(field, /^\*\*podSelector\*\* · `object \(LabelSelector\)` · in NetworkPolicyPeer/);
  assert.deepEqual(range, rangeIn(text, needle, 'podSelector'));
  // the first item of the same list says the same about the pair
  const first = await hoverAt('shop/policies.yaml', '- namespaceSelector:', 'namespaceSelector');
  assert.match(first.markdown, /^\*\*Separate items: OR\.\*\*/);
  assert.match(first.markdown, /- item 1 \(this one\): every pod in namespaces labelled `team=ops`/);
});

test('peer hover: namespaceSelector and podSelector in one item are AND', async () => {
  const needle = '          podSelector:\n            matchLabels:\n              app: prometheus';
  const { explanation } = parts((await hoverAt('shop/policies.yaml', needle, 'podSelector')).markdown);
  assert.deepEqual(explanation.split('\n\n'), [
    '**One item, two selectors: AND.** This `from` item has both `namespaceSelector` and `podSelector`, so both must hold: it admits traffic from pods labelled `app=prometheus` **in** namespaces labelled `team=ops` (namespaces: monitoring; workloads: Deployment prometheus (namespace monitoring)).',
    'Written as two separate items (a `-` before `podSelector`), they would mean OR instead: every pod in those namespaces, **or** pods labelled `app=prometheus` in `shop`.',
  ]);
  // inside the selector's labels only the field docs: the reading belongs on the peer's own keys
  const inLabels = await hoverAt('shop/policies.yaml', needle, 'app: prometheus');
  assert.ok(!inLabels.markdown.includes('One item, two selectors'), inLabels.markdown);
});

test('peer hover: a single podSelector says it means the policy namespace only', async () => {
  const { explanation } = parts(
    (
      await hoverAt(
        'shop/policies.yaml',
        '        - podSelector:\n            matchLabels:\n              app: web',
        'podSelector',
      )
    ).markdown,
  );
  assert.deepEqual(explanation.split('\n\n'), [
    "**A single peer.** This `from` item admits traffic from pods labelled `app=web` in this policy's namespace `shop` (workloads: Deployment web).",
    "A `podSelector` alone means this policy's own namespace (`shop`); add a `namespaceSelector` to the same item to pick pods of other namespaces.",
  ]);
});

test('policyTypes omitted with an egress rule: both types inferred; an ipBlock peer in words; an allow-all rule denies nothing', async () => {
  await open('explain/edge-ingress.yaml');
  const { explanation } = parts(
    (await hoverAt('explain/edge-backends.yaml', 'name: front-egress', 'front-egress')).markdown,
  );
  assert.match(explanation, /Here that gives \*\*Ingress and Egress\*\* \(it has 1 egress rule\)\./);
  assert.match(
    explanation,
    /\*\*Incoming traffic: all denied\.\*\* The policy isolates these pods for ingress and has no ingress rule/,
  );
  assert.match(
    explanation,
    /- rule 1: to IP addresses in `10\.0\.0\.0\/8` except `10\.1\.0\.0\/16`, on TCP 5432/,
  );
  assert.match(
    explanation,
    /\*\*Denied:\*\* every other connection from these pods — to anything not listed above/,
  );
  const openDoor = parts(
    (await hoverAt('explain/edge-backends.yaml', 'name: open-door', 'open-door')).markdown,
  ).explanation;
  assert.match(
    openDoor,
    /\*\*Applies to\*\* pods labelled `app=nothing-has-this` in namespace `edge` — no workload of the workspace has such pods, so today it applies to nothing\./,
  );
  assert.match(
    openDoor,
    /- rule 1: from anywhere \(every pod, every namespace, every address\), on every port/,
  );
  assert.match(openDoor, /\*\*Denied:\*\* nothing incoming: rule 1 allows every source on every port\./);
});

test('Ingress hover: each host and path with its Service, port and pods; TLS; apiVersion notes kept', async () => {
  const { markdown, range, text } = await hoverAt('shop/ingress.yaml', 'kind: Ingress', 'Ingress');
  const { explanation, field } = parts(markdown);
  assert.deepEqual(explanation.split('\n\n'), [
    '**Ingress `shop/storefront`** — class `nginx`: where each request goes',
    [
      '- `shop.example.com/api` (Prefix) → Service `api` port `http` (80) → target port `http` → Deployment api (3 replicas, container port 8080), Deployment api-canary (1 replica, container port 8081)',
      '- `shop.example.com/` (Prefix) → Service `web` port 80 → Deployment web (2 replicas, container port 8080)',
    ].join('\n'),
    'TLS: `shop.example.com` with Secret `shop-tls`.',
  ]);
  assert.match(field, /^\*\*Ingress\*\* `networking.k8s.io\/v1`: served from Kubernetes 1\.19/);
  assert.deepEqual(range, rangeIn(text, 'kind: Ingress', 'Ingress'));
});

test('Ingress hover across opened files: a missing Service, an undeclared named targetPort, a rule without host, a resource backend', async () => {
  await open('explain/edge-backends.yaml');
  const { explanation } = parts((await hoverAt('explain/edge-ingress.yaml', 'name: edge', 'edge')).markdown);
  assert.deepEqual(explanation.split('\n\n'), [
    '**Ingress `edge/edge`**: where each request goes',
    [
      '- `edge.example.com/old` (Exact) → ⚠ Service `retired`, which is not defined in namespace `edge`',
      '- `edge.example.com/` (Prefix) → Service `front` port 80 → target port `web` → Deployment front (1 replica, ⚠ declares no port named `web`)',
      '- `/static` on every host (Prefix) → resource `StorageBucket assets` (not a Service; not followed further)',
    ].join('\n'),
  ]);
});

test('the Ingress hover follows an edit of the Service it routes to', async () => {
  const { uri, text } = await open('explain/edge-backends.yaml');
  const fixed = text.replace('targetPort: web', 'targetPort: http');
  await client.change(uri, fixed);
  await client.diagnostics(uri);
  const { explanation } = parts((await hoverAt('explain/edge-ingress.yaml', 'name: edge', 'edge')).markdown);
  assert.match(
    explanation,
    /- `edge\.example\.com\/` \(Prefix\) → Service `front` port 80 → target port `http` → Deployment front \(1 replica, container port 8080\)/,
  );
  await client.change(uri, text);
  await client.diagnostics(uri);
});

test('no explanation where none belongs: other fields keep only their docs', async () => {
  const { markdown } = await hoverAt('shop/ingress.yaml', 'pathType: Prefix', 'pathType');
  assert.ok(!markdown.includes('where each request goes'));
  assert.ok(!markdown.includes('\n\n---\n\n'));
  assert.match(markdown, /^\*\*pathType\*\*/);
});

test('odd NetworkPolicy and Ingress shapes: hovers, definitions and references answer without failing', async () => {
  const uri = client.uriFor('explain-odd.yaml');
  const text = [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    '  name: odd',
    'spec:',
    '  podSelector: [1, 2]',
    '  policyTypes: Ingress',
    '  ingress:',
    '    - from: notalist',
    '      ports:',
    '        - port: {}',
    '    - from:',
    '        - {}',
    '        - podSelector: null',
    '          namespaceSelector:',
    '        - ipBlock: {cidr: 7}',
    '    - 42',
    '  egress: {}',
    '---',
    'apiVersion: networking.k8s.io/v1',
    'kind: Ingress',
    'metadata:',
    '  name: odd',
    'spec:',
    '  defaultBackend: {service: {name: [x], port: {name: 3}}}',
    '  rules:',
    '    - http: {paths: [{backend: 1}, null]}',
    '    - 7',
    '  tls: [{secretName: {a: b}}]',
    '',
  ].join('\n');
  await client.open(uri, text);
  await client.diagnostics(uri);
  const lines = text.split('\n');
  for (let line = 0; line < lines.length; line++) {
    for (let character = 0; character <= lines[line].length; character += 3) {
      await client.hover(uri, { line, character });
      await client.definition(uri, { line, character });
      await client.references(uri, { line, character }, true);
    }
  }
  await client.codeLens(uri);
  assert.equal(client.exited, false);
  const policy = (await client.hover(uri, { line: 3, character: 9 }))!.contents as MarkupContent;
  assert.match(policy.value, /^\*\*NetworkPolicy `default\/odd`\*\* in plain words/);
  assert.match(policy.value, /\*\*Incoming traffic allowed\*\*/);
  const ingress = (await client.hover(uri, { line: 22, character: 9 }))!.contents as MarkupContent;
  assert.match(ingress.value, /^\*\*Ingress `default\/odd`\*\*: where each request goes/);
  assert.ok(!client.stderr.includes('Error'), client.stderr);
});

test('Service hover: the Ingresses routing to it, the workloads selected, where each port lands, the policies on its pods', async () => {
  const { markdown, range, text } = await hoverAt('shop/services.yaml', '  name: api\n', 'api');
  const { explanation, field } = parts(markdown);
  assert.deepEqual(explanation.split('\n\n'), [
    '**Service `shop/api`** (ClusterIP)',
    '**Routed to by** Ingress `admin` (default backend, port 80), Ingress `storefront` (`shop.example.com/api`, port http).',
    '**Selects** `app=api`: Deployment api (3 replicas), Deployment api-canary (1 replica).',
    '- port `http` 80/TCP → target port `http` → Deployment api: 8080, Deployment api-canary: 8081',
    'NetworkPolicies selecting these pods: `api-from-web`, `canary-http`, `scrape-or`.',
  ]);
  assert.match(field, /^\*\*name\*\* · `string` · in ObjectMeta/);
  assert.deepEqual(range, rangeIn(text, '  name: api\n', 'api'));
  await open('explain/edge-ingress.yaml');
  const front = parts(
    (await hoverAt('explain/edge-backends.yaml', 'kind: Service', 'Service')).markdown,
  ).explanation;
  assert.deepEqual(front.split('\n\n'), [
    '**Service `edge/front`** (ClusterIP)',
    '**Routed to by** Ingress `edge` (`edge.example.com/`, port 80).',
    '**Selects** `app=front`: Deployment front (1 replica).',
    '- port 80/TCP → target port `web` → Deployment front: ⚠ no port named `web`',
    'NetworkPolicies selecting these pods: `front-egress`.',
  ]);
});

test('ingress rules under policyTypes [Egress] are said to have no effect', async () => {
  const uri = client.uriFor('explain-egress-only.yaml');
  const text =
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: egress-only\n  namespace: edge\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  ingress:\n    - from:\n        - podSelector: {}\n  egress:\n    - {}\n';
  await client.open(uri, text);
  await client.diagnostics(uri);
  const h = (await client.hover(uri, cursorIn(text, 'name: egress-only', 'egress-only')))!
    .contents as MarkupContent;
  const { explanation } = parts(h.value);
  assert.match(
    explanation,
    /\*\*Incoming traffic \(ingress\)\*\* is not restricted by this policy: its policyTypes do not include Ingress\. Its 1 ingress rule therefore has no effect\./,
  );
  assert.match(
    explanation,
    /\*\*Denied:\*\* nothing outgoing: rule 1 allows every destination on every port\./,
  );
  assert.match(explanation, /\*\*Applies to\*\* every pod in namespace `edge`: Deployment front\./);
});

test('workload hover: the Services in front of it, the Ingresses reaching it, the policies on its pods', async () => {
  const { explanation, field } = parts(
    (await hoverAt('shop/workloads.yaml', 'name: api-canary', 'api-canary')).markdown,
  );
  assert.deepEqual(explanation.split('\n\n'), [
    '**Deployment `shop/api-canary`** (1 replica), pods labelled `app=api, track=canary`',
    '**Behind Services:** `api` (`http` 80 → 8081).',
    '**Reached from outside through** Ingress `admin` (default backend), Ingress `storefront` (`shop.example.com/api`).',
    '**NetworkPolicies selecting its pods:** `api-from-web` (isolates ingress), `canary-http` (isolates ingress), `scrape-or` (isolates ingress).',
  ]);
  assert.match(field, /^\*\*name\*\* · `string` · in ObjectMeta/);
  const prometheus = parts(
    (await hoverAt('shop/cluster.yaml', 'name: prometheus', 'prometheus')).markdown,
  ).explanation;
  assert.deepEqual(prometheus.split('\n\n'), [
    '**Deployment `monitoring/prometheus`** (1 replica), pods labelled `app=prometheus`',
    'No Service of the workspace selects these pods.',
    'No NetworkPolicy selects its pods: all traffic to and from them is allowed.',
  ]);
});
