// NetworkPolicy rules.
//
// Every test/fixtures/netpol/NAME.yaml is opened on its own in the language service, in-process (the
// facade the server and the CLI use); its diagnostics must match the annotations in its comments
// exactly (a missing and an extra finding both fail). Where a NAME.fixed.yaml golden exists, the
// preferred quick fix of each netpol-* diagnostic is applied (and the text checked again) until none
// is left, and the text must equal the golden. The multi-file tests below go through the built
// server over stdio: they open several files and follow edits across them.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient, ROOT, applyEdits, editsOf } from './support/lsp-client';
import { compare, parseAnnotations, type ActualLike } from './support/fixture';
import { defaultService, virtualUri } from './support/rule-fixtures';

const DIR = path.join(ROOT, 'test', 'fixtures', 'netpol');
let client: LspClient;
before(async () => {
  client = await LspClient.start();
});
after(async () => {
  await client.stop();
});

const isNetpol = (d: Diagnostic) => String(d.code).startsWith('netpol-');

const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml') && !f.endsWith('.fixed.yaml'))
  .sort();

for (const name of fixtures) {
  test(`netpol fixture ${name}: diagnostics match the annotations`, () => {
    const text = readFileSync(path.join(DIR, name), 'utf8');
    // a workspace of its own: each fixture sees only itself
    const { workspace, service } = defaultService();
    const uri = virtualUri(`netpol-${name}`);
    workspace.set(uri, text);
    const actual = service.doValidation(uri);
    const diff = compare(parseAnnotations(text), actual as ActualLike[]);
    assert.equal(diff, '', `diagnostics of netpol/${name} differ:\n${diff}`);
    for (const d of actual) {
      assert.equal(d.source, 'kube-netlens');
      assert.match(String(d.codeDescription?.href), new RegExp(`#${d.code}$`));
    }
  });
}

for (const name of fixtures.filter(
  (f) => existsSync(path.join(DIR, f.replace(/\.yaml$/, '.fixed.yaml'))) || process.env.UPDATE_GOLDEN === '1',
)) {
  const goldenPath = path.join(DIR, name.replace(/\.yaml$/, '.fixed.yaml'));
  test(`netpol quick fixes ${name}: the text after the fixes equals ${path.basename(goldenPath)}`, async () => {
    const uri = client.uriFor(`netpol-fix-${name}`);
    let text = readFileSync(path.join(DIR, name), 'utf8');
    await client.open(uri, text);
    try {
      const applied: string[] = [];
      for (let round = 0; round < 20; round++) {
        const diags = (await client.diagnostics(uri)).filter(isNetpol);
        let changed = false;
        for (const d of diags) {
          const actions = await client.codeActions(uri, [d]);
          const fix = actions.find((a) => a.isPreferred);
          if (!fix) continue;
          applied.push(`${d.code}: ${fix.title}`);
          text = applyEdits(text, editsOf(fix, uri));
          await client.change(uri, text);
          changed = true;
          break;
        }
        if (!changed) break;
      }
      if (process.env.UPDATE_GOLDEN === '1' && !existsSync(goldenPath)) writeFileSync(goldenPath, text);
      assert.ok(applied.length > 0, 'at least one quick fix applied');
      assert.equal(text, readFileSync(goldenPath, 'utf8'), `after applying:\n${applied.join('\n')}`);
    } finally {
      await client.close(uri);
    }
  });
}

const WEB = `apiVersion: apps/v1
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
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - name: http
          containerPort: 8080
`;

/** The message as text (the protocol also allows markup). */
const messageOf = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);

const rangeOf = (d: Diagnostic) =>
  `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;

test('netpol-egress-dns-blocked across files: a DNS policy in another open file silences it, closing that file brings it back', async () => {
  const a = client.uriFor('netpol-multi-dns-a.yaml');
  const b = client.uriFor('netpol-multi-dns-b.yaml');
  const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-egress
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes:
  - Egress
  egress:
  - to:
    - podSelector:
        matchLabels:
          app: db
`;
  const allowDns = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-dns
  namespace: shop
spec:
  podSelector: {}
  policyTypes:
  - Egress
  egress:
  - to:
    - namespaceSelector: {}
      podSelector:
        matchLabels:
          k8s-app: kube-dns
    ports:
    - protocol: UDP
      port: 53
    - protocol: TCP
      port: 53
`;
  await client.open(a, `${WEB}---\n${policy}`);
  try {
    const dns = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'netpol-egress-dns-blocked');
    const first = dns(await client.diagnostics(a));
    assert.deepEqual(
      first.map((d) => [rangeOf(d), d.severity, messageOf(d)]),
      [
        [
          '31:4-31:10',
          2,
          'Egress is restricted but no rule allows DNS (port 53, UDP and TCP): every name lookup of Deployment web will time out. Allow egress to the cluster DNS (pods k8s-app=kube-dns in kube-system)',
        ],
      ],
    );
    await client.open(b, allowDns);
    await client.waitForDiagnostics(a, (ds) => dns(ds).length === 0);
    assert.deepEqual(dns(await client.diagnostics(b)), [], 'the DNS policy itself is fine');
    await client.close(b);
    const back = await client.waitForDiagnostics(a, (ds) => dns(ds).length === 1);
    assert.equal(rangeOf(dns(back)[0]), '31:4-31:10');
  } finally {
    await client.close(a);
    await client.close(b);
  }
});

/** 0-based line of the `podSelector:` key of the NetworkPolicy named `name` in a fixture. */
function podSelectorLine(text: string, name: string): number {
  const lines = text.split('\n');
  const at = lines.findIndex((l, i) => l === `  name: ${name}` && lines[i - 2] === 'kind: NetworkPolicy');
  return lines.findIndex(
    (l, i) => (i > at && l === '  podSelector:') || (i > at && l.startsWith('  podSelector: ')),
  );
}

test('netpol-ingress-controller-blocked: related information points at the Ingress backend; the controller setting changes who must be admitted', async () => {
  const text = readFileSync(path.join(DIR, 'ingress-controller.yaml'), 'utf8');
  const lines = text.split('\n');
  const blocked = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'netpol-ingress-controller-blocked');
  const summary = (ds: Diagnostic[]) =>
    blocked(ds)
      .map((d) => [
        d.range.start.line,
        d.range.start.character,
        d.range.end.character,
        d.severity,
        /"([^"]+)"/.exec(messageOf(d))?.[1],
      ])
      .sort();
  const uri = client.uriFor('netpol-controller-default.yaml');
  await client.open(uri, text);
  try {
    const web = blocked(await client.diagnostics(uri)).find((d) => messageOf(d).startsWith('Ingress "web"'));
    assert.ok(web, 'the web route is reported');
    // the backend `name: web` of Ingress web (the Ingress follows the Service of the same name)
    const ingressAt = lines.findIndex((l, i) => l === 'kind: Ingress' && lines[i + 2] === '  name: web');
    const backendLine = lines.findIndex((l, i) => i > ingressAt && l === '            name: web');
    assert.deepEqual(
      web!.relatedInformation?.map((r) => [
        r.location.uri,
        r.location.range.start.line,
        r.location.range.start.character,
        r.message,
      ]),
      [[uri, backendLine, 18, 'Ingress "web" routes to Service "web" here']],
    );
  } finally {
    await client.close(uri);
  }
  const traefik = await LspClient.start({
    ingressController: { namespace: 'traefik', podLabels: { 'app.kubernetes.io/name': 'traefik' } },
  });
  try {
    const u = traefik.uriFor('netpol-controller-traefik.yaml');
    await traefik.open(u, text);
    const ds = await traefik.diagnostics(u);
    // blog now admits its controller; the policies that admit only ingress-nginx now block, and the
    // store's default deny and its allow policy both isolate the shop pods
    assert.deepEqual(
      summary(ds),
      [
        [podSelectorLine(text, 'web-from-frontend'), 2, 13, 2, 'web'],
        [podSelectorLine(text, 'api-wrong-port'), 2, 13, 2, 'api'],
        [podSelectorLine(text, 'shop-deny'), 2, 13, 2, 'web'],
        [podSelectorLine(text, 'default-deny'), 2, 13, 2, 'shop'],
        [podSelectorLine(text, 'shop-from-controller'), 2, 13, 2, 'shop'],
      ].sort(),
    );
    for (const d of blocked(ds))
      assert.match(
        messageOf(d),
        /admits the ingress controller \(namespace traefik, pods app\.kubernetes\.io\/name=traefik\): the route exists but its traffic will be dropped$/,
      );
  } finally {
    await traefik.stop();
  }
});

test('netpol-peers-or-meant-and: without evidence the merge fix is offered but not preferred, and merges the two items', async () => {
  const text = readFileSync(path.join(DIR, 'peers-or.yaml'), 'utf8');
  const uri = client.uriFor('netpol-peers-or-hint.yaml');
  await client.open(uri, text);
  try {
    const hint = (await client.diagnostics(uri)).find(
      (d) => d.code === 'netpol-peers-or-meant-and' && d.severity === 4,
    );
    assert.ok(hint, 'the hint is published');
    const actions = await client.codeActions(uri, [hint!]);
    assert.deepEqual(
      actions.map((a) => [a.title, !!a.isPreferred]),
      [['Merge into one peer (pods matching the podSelector in the selected namespaces)', false]],
    );
    const after = applyEdits(text, editsOf(actions[0], uri)).split('\n');
    const line = hint!.range.start.line;
    assert.equal(after[line], '      podSelector:');
    assert.equal(after[line - 3], '    - namespaceSelector:');
  } finally {
    await client.close(uri);
  }
});

test('netpol-egress-dns-blocked quick fix keeps CRLF line endings and silences the finding', async () => {
  const text = `${WEB}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-egress
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  egress:
  - to:
    - podSelector:
        matchLabels:
          app: db
`.replace(/\n/g, '\r\n');
  const uri = client.uriFor('netpol-dns-crlf.yaml');
  await client.open(uri, text);
  try {
    const d = (await client.diagnostics(uri)).find((x) => x.code === 'netpol-egress-dns-blocked');
    assert.ok(d, 'finding published');
    assert.equal(rangeOf(d!), '30:2-30:8', 'points at the egress key (policyTypes omitted)');
    const [fix] = (await client.codeActions(uri, [d!])).filter((a) => a.isPreferred);
    const after = applyEdits(text, editsOf(fix, uri));
    assert.ok(!/[^\r]\n/.test(after), 'every line ends with CRLF');
    assert.ok(after.endsWith('      port: 53\r\n'));
    await client.change(uri, after);
    const left = await client.diagnostics(uri);
    assert.deepEqual(
      left.filter((x) => x.code === 'netpol-egress-dns-blocked' || x.severity === 1).map(messageOf),
      [],
    );
  } finally {
    await client.close(uri);
  }
});

test('kubeNetlens.ingressController: the defaults sent as values count as not configured; a change at run time re-checks', async () => {
  const text = readFileSync(path.join(DIR, 'ingress-controller.yaml'), 'utf8');
  const blog = (ds: Diagnostic[]) =>
    ds.filter(
      (d) => d.code === 'netpol-ingress-controller-blocked' && messageOf(d).startsWith('Ingress "blog"'),
    );
  const c = await LspClient.start({
    ingressController: {
      namespace: 'ingress-nginx',
      podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' },
    },
  });
  try {
    const u = c.uriFor('netpol-controller-defaults.yaml');
    await c.open(u, text);
    const first = blog(await c.diagnostics(u));
    assert.deepEqual(
      first.map((d) => d.severity),
      [3],
      'still information for the traefik-class Ingress',
    );
    await c.configure({ ingressController: { namespace: 'traefik', podLabels: {} } });
    // every pod of namespace traefik counts as the controller now: blog is admitted
    await c.waitForDiagnostics(
      u,
      (ds) => blog(ds).length === 0 && ds.some((d) => /namespace traefik\)/.test(messageOf(d))),
    );
  } finally {
    await c.stop();
  }
});

test('netpol-egress-dns-blocked: UDP-only DNS at the end of a file without a final line break gets TCP 53 added, and the finding goes', async () => {
  const text = `${WEB}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-egress
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes:
  - Egress
  egress:
  - to:
    - namespaceSelector: {}
      podSelector:
        matchLabels:
          k8s-app: kube-dns
    ports:
    - protocol: UDP
      port: 53`;
  const uri = client.uriFor('netpol-dns-udp-only-eof.yaml');
  await client.open(uri, text);
  try {
    const d = (await client.diagnostics(uri)).find((x) => x.code === 'netpol-egress-dns-blocked');
    assert.ok(d, 'finding published');
    assert.equal(
      messageOf(d!),
      'DNS is allowed over UDP but not over TCP port 53: answers too large for UDP are retried over TCP, and those lookups will fail',
    );
    const [fix] = (await client.codeActions(uri, [d!])).filter((a) => a.isPreferred);
    assert.equal(fix.title, 'Allow DNS over TCP too (add TCP port 53 next to UDP 53)');
    const after = applyEdits(text, editsOf(fix, uri));
    assert.ok(
      after.endsWith('    - protocol: UDP\n      port: 53\n    - protocol: TCP\n      port: 53'),
      after.slice(-80),
    );
    await client.change(uri, after);
    const left = await client.waitForDiagnostics(
      uri,
      (ds) => !ds.some((x) => x.code === 'netpol-egress-dns-blocked'),
    );
    assert.deepEqual(left.filter((x) => x.severity === 1).map(messageOf), []);
  } finally {
    await client.close(uri);
  }
});
