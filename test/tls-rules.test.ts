// TLS rules and the TLS hover through the protocol, with certificates generated at test time
// (test/support/certs.ts): valid, expired, not yet valid, expiring soon, wrong host, wildcard and a
// key that belongs to another certificate. Key material must never reach a hover, a diagnostic or
// the server's log.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic, Hover } from 'vscode-languageserver-protocol';
import { LspClient, applyEdits, editsOf } from './support/lsp-client';
import {
  makeCertificate,
  tlsSecretYaml,
  tlsSecretStringDataYaml,
  type TestCertificate,
} from './support/certs';

const DAY = 24 * 60 * 60 * 1000;
/** Our diagnostics carry plain-text messages. */
type Diag = Omit<Diagnostic, 'message'> & { message: string };
let client: LspClient;
const certs: Record<string, TestCertificate> = {};
/** Every text that must never be shown: each key's PEM body, its base64 as written under data. */
const secrets: string[] = [];
const hoverTexts: string[] = [];

before(async () => {
  client = await LspClient.start();
  const specs = {
    valid: { dnsNames: ['shop.example.com', 'www.shop.example.com'] },
    expired: { dnsNames: ['shop.example.com'], notBeforeDays: -90, notAfterDays: -1.5 },
    notYetValid: { dnsNames: ['shop.example.com'], notBeforeDays: 2.5, notAfterDays: 90 },
    expiringSoon: { dnsNames: ['shop.example.com'], notAfterDays: 10.5 },
    wrongHost: { dnsNames: ['other.example.com'] },
    wildcard: { dnsNames: ['*.example.com'] },
    mismatch: { dnsNames: ['shop.example.com'], otherKey: true },
  };
  for (const [name, spec] of Object.entries(specs)) certs[name] = await makeCertificate(spec);
  for (const c of Object.values(certs)) {
    secrets.push(
      c.keyBody.slice(0, 40),
      c.keyBody.slice(-40),
      Buffer.from(c.keyPem).toString('base64').slice(0, 60),
      Buffer.from(c.keyPem).toString('base64').slice(100, 160),
    );
  }
});

after(async () => {
  await client.stop();
});

let counter = 0;
function uri(name: string): string {
  return client.uriFor(`tls-${++counter}-${name}`);
}

interface IngressOptions {
  name?: string;
  namespace?: string;
  secretName?: string;
  tlsHosts?: string[];
  ruleHosts?: string[];
  annotations?: Record<string, string>;
}

function ingressYaml(o: IngressOptions = {}): string {
  const lines = [
    'apiVersion: networking.k8s.io/v1',
    'kind: Ingress',
    'metadata:',
    `  name: ${o.name ?? 'shop'}`,
  ];
  if (o.namespace) lines.push(`  namespace: ${o.namespace}`);
  if (o.annotations)
    lines.push('  annotations:', ...Object.entries(o.annotations).map(([k, v]) => `    ${k}: ${v}`));
  lines.push(
    'spec:',
    '  tls:',
    '  - hosts:',
    ...(o.tlsHosts ?? ['shop.example.com']).map((h) => `    - ${h.startsWith('*') ? `"${h}"` : h}`),
    `    secretName: ${o.secretName ?? 'shop-tls'}`,
    '  rules:',
  );
  for (const h of o.ruleHosts ?? o.tlsHosts ?? ['shop.example.com']) {
    lines.push(
      `  - host: ${h.startsWith('*') ? `"${h}"` : h}`,
      '    http:',
      '      paths:',
      '      - path: /',
      '        pathType: Prefix',
      '        backend:',
      '          service:',
      '            name: web',
      '            port:',
      '              number: 80',
    );
  }
  return lines.join('\n') + '\n';
}

const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n';

/** One file holding the documents, opened; returns its URI, text and diagnostics. */
let opened: string[] = [];
async function closeOpened(): Promise<void> {
  for (const o of opened) await client.close(o);
  opened = [];
}

async function check(
  docs: string[],
  name = 'case.yaml',
): Promise<{ uri: string; text: string; diags: Diag[] }> {
  // each case on its own: the files of earlier cases leave the index
  await closeOpened();
  const u = uri(name);
  opened = [u];
  const text = [...docs, SERVICE].join('---\n');
  await client.open(u, text);
  return { uri: u, text, diags: (await client.diagnostics(u)) as Diag[] };
}

/** Range of the n-th occurrence of `needle` on a line starting (after spaces) with `linePrefix`. */
function rangeOf(text: string, linePrefix: string, needle: string, n = 0) {
  const lines = text.split('\n');
  const found = lines.flatMap((l, i) => (l.trimStart().startsWith(linePrefix) ? [i] : []));
  assert.ok(found.length > n, `line starting with ${linePrefix}`);
  const line = found[n];
  const character = lines[line].indexOf(needle, lines[line].indexOf(linePrefix));
  assert.ok(character >= 0);
  return { start: { line, character }, end: { line, character: character + needle.length } };
}

function only(diags: Diag[] | Diagnostic[], code: string): Diag[] {
  return (diags as Diag[]).filter((d) => d.code === code);
}

function tlsFindings(diags: Diag[]): string[] {
  return diags.filter((d) => /tls|secret/.test(String(d.code))).map((d) => `${d.code}: ${d.message}`);
}

function utc(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function b64(s: string): string {
  return Buffer.from(s).toString('base64');
}

async function hoverText(u: string, pos: { line: number; character: number }): Promise<string> {
  const h: Hover | null = await client.hover(u, pos);
  assert.ok(h, 'a hover');
  const c = h!.contents as { kind: string; value: string };
  assert.equal(c.kind, 'markdown');
  hoverTexts.push(c.value);
  return c.value;
}

test('a valid certificate and key for the Ingress hosts: no TLS finding', async () => {
  const r = await check([
    tlsSecretYaml('shop-tls', certs.valid),
    ingressYaml({ tlsHosts: ['shop.example.com', 'www.shop.example.com'] }),
  ]);
  assert.deepEqual(
    r.diags.map((d) => `${d.code}: ${d.message}`),
    [],
  );
});

test('the PEM as plain text under stringData is read the same way', async () => {
  const r = await check([tlsSecretStringDataYaml('shop-tls', certs.valid), ingressYaml()]);
  assert.deepEqual(
    r.diags.map((d) => `${d.code}: ${d.message}`),
    [],
  );
  const bad = await check([tlsSecretStringDataYaml('shop-tls', certs.wrongHost), ingressYaml()]);
  assert.deepEqual(
    only(bad.diags, 'tls-certificate-hosts').map((d) => d.range),
    [rangeOf(bad.text, '- shop.example.com', 'shop.example.com')],
  );
});

test('an expired certificate is an error on tls.crt', async () => {
  const r = await check([tlsSecretYaml('shop-tls', certs.expired), ingressYaml()]);
  const [d, ...rest] = only(r.diags, 'tls-certificate-expiry');
  assert.equal(rest.length, 0);
  assert.equal(d.severity, 1);
  assert.equal(
    d.message,
    `The certificate expired on ${utc(certs.expired.notAfter)} (1 day ago): clients reject it, renew it`,
  );
  assert.deepEqual(d.range, rangeOf(r.text, 'tls.crt:', b64(certs.expired.certPem)));
  assert.deepEqual(tlsFindings(r.diags), [`tls-certificate-expiry: ${d.message}`]);
});

test('a certificate that is not valid yet is an error', async () => {
  const r = await check([tlsSecretYaml('shop-tls', certs.notYetValid), ingressYaml()]);
  const d = only(r.diags, 'tls-certificate-expiry');
  assert.deepEqual(
    d.map((x) => [x.severity, x.message]),
    [
      [
        1,
        `The certificate is not valid before ${utc(certs.notYetValid.notBefore)} (in 2 days): clients reject it until then`,
      ],
    ],
  );
});

test('a certificate expiring within the configured days is a warning; the setting moves the threshold', async () => {
  const docs = [tlsSecretYaml('shop-tls', certs.expiringSoon), ingressYaml()];
  const r = await check(docs);
  const d = only(r.diags, 'tls-certificate-expiry');
  assert.deepEqual(
    d.map((x) => [x.severity, x.message, x.range]),
    [
      [
        2,
        `The certificate expires on ${utc(certs.expiringSoon.notAfter)}, in 10 days (warning threshold: 30 days): renew it`,
        rangeOf(r.text, 'tls.crt:', b64(certs.expiringSoon.certPem)),
      ],
    ],
  );
  await client.configure({ tls: { expiryWarningDays: 7 } });
  await client.waitForDiagnostics(r.uri, (ds) => only(ds, 'tls-certificate-expiry').length === 0);
  await client.configure({ tls: { expiryWarningDays: 60 } });
  const again = await client.waitForDiagnostics(
    r.uri,
    (ds) => only(ds, 'tls-certificate-expiry').length === 1,
  );
  assert.match(only(again, 'tls-certificate-expiry')[0].message, /\(warning threshold: 60 days\)/);
  await client.configure({});
  await client.waitForDiagnostics(r.uri, (ds) =>
    /threshold: 30 days/.test(only(ds, 'tls-certificate-expiry')[0]?.message ?? ''),
  );
});

test('a certificate for another host: error on the uncovered host of the tls entry', async () => {
  const r = await check([tlsSecretYaml('shop-tls', certs.wrongHost), ingressYaml()]);
  const d = only(r.diags, 'tls-certificate-hosts');
  assert.deepEqual(
    d.map((x) => [x.severity, x.message, x.range]),
    [
      [
        1,
        'The certificate in Secret "shop-tls" does not cover host "shop.example.com": its subject alternative names are other.example.com',
        rangeOf(r.text, '- shop.example.com', 'shop.example.com'),
      ],
    ],
  );
});

test('*.example.com covers a.example.com, not example.com nor a.b.example.com', async () => {
  const r = await check([
    tlsSecretYaml('shop-tls', certs.wildcard),
    ingressYaml({ tlsHosts: ['a.example.com', 'example.com', 'a.b.example.com'] }),
  ]);
  const d = only(r.diags, 'tls-certificate-hosts');
  assert.deepEqual(
    d.map((x) => [x.message, x.range.start.line]),
    [
      [
        'The certificate in Secret "shop-tls" does not cover host "example.com": its subject alternative names are *.example.com (*.example.com does not cover the domain itself)',
        rangeOf(r.text, '- example.com', 'example.com').start.line,
      ],
      [
        'The certificate in Secret "shop-tls" does not cover host "a.b.example.com": its subject alternative names are *.example.com (*.example.com stands for exactly one label)',
        rangeOf(r.text, '- a.b.example.com', 'a.b.example.com').start.line,
      ],
    ],
  );
  assert.ok(d.every((x) => x.severity === 1));
});

test('a rule host served through a wildcard tls host is checked against the certificate', async () => {
  const r = await check([
    tlsSecretYaml('shop-tls', certs.wildcard),
    ingressYaml({ tlsHosts: ['*.example.com'], ruleHosts: ['a.example.com', 'a.b.example.com'] }),
  ]);
  // *.example.com (tls) covers a.example.com only; a.b.example.com is in no tls entry
  assert.deepEqual(only(r.diags, 'tls-certificate-hosts'), []);
  const uncovered = only(r.diags, 'ingress-tls-host-uncovered');
  assert.deepEqual(
    uncovered.map((x) => [x.severity, x.range]),
    [[2, rangeOf(r.text, '- host: a.b.example.com', 'a.b.example.com')]],
  );
});

test('a host served by a rule but missing from every tls entry while others are present', async () => {
  const r = await check([
    tlsSecretYaml('shop-tls', certs.valid),
    ingressYaml({ tlsHosts: ['shop.example.com'], ruleHosts: ['shop.example.com', 'admin.example.com'] }),
  ]);
  const d = only(r.diags, 'ingress-tls-host-uncovered');
  assert.deepEqual(
    d.map((x) => [x.severity, x.message, x.range]),
    [
      [
        2,
        'Host "admin.example.com" is listed in no tls entry while this Ingress has TLS for "shop.example.com": it is served over plain HTTP or with the controller\'s default certificate (add it to the hosts of a tls entry)',
        rangeOf(r.text, '- host: admin.example.com', 'admin.example.com'),
      ],
    ],
  );
  // an Ingress without any tls entry serves everything over HTTP on purpose: nothing to say
  const plain = await check([
    ingressYaml({ tlsHosts: ['shop.example.com'] }).replace(
      / {2}tls:\n(?: {2}- hosts:\n(?: {4}- .*\n)+ {4}secretName: .*\n)/,
      '',
    ),
  ]);
  assert.deepEqual(only(plain.diags, 'ingress-tls-host-uncovered'), []);
});

test('a key that belongs to another certificate: error on tls.key', async () => {
  const r = await check([tlsSecretYaml('shop-tls', certs.mismatch), ingressYaml()]);
  const d = only(r.diags, 'tls-key-mismatch');
  assert.deepEqual(
    d.map((x) => [x.severity, x.message, x.range]),
    [
      [
        1,
        'tls.key (EC P-256) is not the private key of the certificate in tls.crt (CN=shop.example.com, O=Kube NetLens Tests, public key EC P-256): the controller cannot serve this pair',
        rangeOf(r.text, 'tls.key:', b64(certs.mismatch.keyPem)),
      ],
    ],
  );
});

test('a certificate or key that does not parse, whatever the way it is broken', async () => {
  const pem = certs.valid.certPem;
  const cases: [string, string, string, RegExp][] = [
    [
      'truncated',
      b64(pem.slice(0, 200)),
      'tls-certificate-invalid',
      /^tls\.crt is truncated: its "-----BEGIN CERTIFICATE-----" line has no matching "-----END CERTIFICATE-----" line$/,
    ],
    ['base64 twice', b64(b64(pem)), 'tls-certificate-invalid', /^tls\.crt is base64-encoded twice/],
    [
      'DER',
      Buffer.from(
        pem
          .split('\n')
          .filter((l) => l && !l.startsWith('-----'))
          .join(''),
        'base64',
      ).toString('base64'),
      'tls-certificate-invalid',
      /^tls\.crt holds DER \(binary\), not PEM/,
    ],
    [
      'swapped',
      b64(certs.valid.keyPem),
      'tls-certificate-invalid',
      /^tls\.crt holds a PEM "PRIVATE KEY" block but no CERTIFICATE \(are tls\.crt and tls\.key swapped\?\)$/,
    ],
    [
      'damaged',
      b64(pem.replace(/^(-----BEGIN CERTIFICATE-----\n)MII/, '$1AAA')),
      'tls-certificate-invalid',
      /^tls\.crt: its CERTIFICATE block does not parse as an X\.509 certificate/,
    ],
  ];
  for (const [what, crt, code, message] of cases) {
    const text = tlsSecretYaml('shop-tls', certs.valid).replace(/tls\.crt: .*/, `tls.crt: ${crt}`);
    const r = await check([text, ingressYaml()], `${what}.yaml`);
    const d = only(r.diags, code);
    assert.equal(d.length, 1, `${what}: ${JSON.stringify(r.diags.map((x) => x.message))}`);
    assert.match(d[0].message, message, what);
    assert.equal(d[0].severity, 1);
    assert.deepEqual(d[0].range, rangeOf(r.text, 'tls.crt:', crt), what);
    assert.deepEqual(
      only(r.diags, 'tls-certificate-hosts'),
      [],
      `${what}: no host finding without a certificate`,
    );
  }
  const keyCases: [string, string, RegExp][] = [
    ['truncated key', b64(certs.valid.keyPem.slice(0, 100)), /^tls\.key is truncated/],
    [
      'swapped key',
      b64(certs.valid.certPem),
      /^tls\.key holds a PEM "CERTIFICATE" block but no PRIVATE KEY \(are tls\.crt and tls\.key swapped\?\)$/,
    ],
    [
      'encrypted key',
      b64(
        '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----\n',
      ),
      /^tls\.key is encrypted with a passphrase/,
    ],
  ];
  for (const [what, key, message] of keyCases) {
    const text = tlsSecretYaml('shop-tls', certs.valid).replace(/tls\.key: .*/, `tls.key: ${key}`);
    const r = await check([text, ingressYaml()], `${what.replace(/ /g, '-')}.yaml`);
    const d = only(r.diags, 'tls-key-invalid');
    assert.equal(d.length, 1, `${what}: ${JSON.stringify(r.diags.map((x) => x.message))}`);
    assert.match(d[0].message, message, what);
    assert.deepEqual(d[0].range, rangeOf(r.text, 'tls.key:', key), what);
    assert.deepEqual(only(r.diags, 'tls-key-mismatch'), []);
    for (const s of secrets) assert.ok(!d[0].message.includes(s));
  }
});

test('a Secret used for TLS that is not type kubernetes.io/tls: the quick fix sets the type', async () => {
  for (const [what, type, title] of [
    ['Opaque', 'Opaque', 'Change type to kubernetes.io/tls'],
    ['no type', null, 'Add type: kubernetes.io/tls'],
  ] as const) {
    const r = await check(
      [tlsSecretYaml('shop-tls', certs.valid, { type }), ingressYaml()],
      `type-${what.replace(/ /g, '-')}.yaml`,
    );
    const [d, ...rest] = only(r.diags, 'ingress-tls-secret-type');
    assert.equal(rest.length, 0);
    assert.equal(d.severity, 2);
    assert.equal(
      d.message,
      `Secret "shop-tls" is used for TLS by Ingress "shop" but its type is ${type ?? 'Opaque'}: make it type kubernetes.io/tls (with tls.crt and tls.key)`,
    );
    assert.deepEqual(
      d.range,
      type ? rangeOf(r.text, 'type:', 'Opaque') : rangeOf(r.text, 'name: shop-tls', 'shop-tls'),
    );
    const fix = (await client.codeActions(r.uri, [d])).find((a) => a.isPreferred);
    assert.equal(fix?.title, title);
    const fixed = applyEdits(r.text, editsOf(fix!, r.uri));
    assert.equal(fixed, [tlsSecretYaml('shop-tls', certs.valid), ingressYaml(), SERVICE].join('---\n'));
    await client.change(r.uri, fixed);
    assert.deepEqual(
      (await client.diagnostics(r.uri)).map((x) => `${x.code}: ${x.message}`),
      [],
    );
  }
});

test('a TLS Secret without tls.key, used by an Ingress', async () => {
  const secret = tlsSecretYaml('shop-tls', certs.valid, { type: 'Opaque' }).replace(/ {2}tls\.key: .*\n/, '');
  const r = await check([secret, ingressYaml()]);
  const d = only(r.diags, 'tls-secret-keys-missing');
  assert.deepEqual(
    d.map((x) => [x.severity, x.message, x.range]),
    [
      [
        1,
        'Secret "shop-tls" is used for TLS by Ingress "shop" but has no tls.key: the controller cannot load a certificate from it',
        { start: { line: 5, character: 0 }, end: { line: 5, character: 4 } },
      ],
    ],
  );
});

test('secretName missing: warning where the namespace has Secrets, information where it has none or cert-manager creates it', async () => {
  const other = tlsSecretYaml('other-tls', certs.valid);
  const r = await check([other, ingressYaml({ secretName: 'shop-tls' })]);
  const d = only(r.diags, 'ingress-tls-secret-missing');
  assert.deepEqual(
    d.map((x) => [x.severity, x.message, x.range]),
    [
      [
        2,
        'Secret "shop-tls" is not defined in namespace "default": without it the controller serves its default certificate for this entry',
        rangeOf(r.text, 'secretName:', 'shop-tls'),
      ],
    ],
  );
  const none = await check([ingressYaml({ namespace: 'shop' })]);
  assert.deepEqual(
    only(none.diags, 'ingress-tls-secret-missing').map((x) => [x.severity, x.message]),
    [
      [
        3,
        'Secret "shop-tls" is not defined in namespace "shop": without it the controller serves its default certificate for this entry (the workspace defines no Secrets in "shop": it may be created elsewhere)',
      ],
    ],
  );
  const cm = await check([
    other,
    ingressYaml({ annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' } }),
  ]);
  assert.deepEqual(
    only(cm.diags, 'ingress-tls-secret-missing').map((x) => [x.severity, x.message]),
    [
      [
        3,
        'Secret "shop-tls" is not in the workspace: cert-manager will create it in namespace "default" (the Ingress annotation cert-manager.io/cluster-issuer: letsencrypt)',
      ],
    ],
  );
});

test('editing the Secret in another open file re-checks the Ingress that uses it', async () => {
  await closeOpened();
  const ing = uri('ingress.yaml');
  const sec = uri('secret.yaml');
  await client.open(ing, ingressYaml() + '---\n' + SERVICE);
  await client.open(sec, tlsSecretYaml('shop-tls', certs.valid));
  await client.waitForDiagnostics(ing, (d) => d.length === 0);
  await client.change(sec, tlsSecretYaml('shop-tls', certs.wrongHost));
  const d = await client.waitForDiagnostics(ing, (x) => only(x, 'tls-certificate-hosts').length === 1);
  assert.match(only(d, 'tls-certificate-hosts')[0].message, /does not cover host "shop\.example\.com"/);
  await client.close(sec);
  const gone = await client.waitForDiagnostics(
    ing,
    (x) => only(x, 'ingress-tls-secret-missing').length === 1,
  );
  assert.deepEqual(only(gone, 'tls-certificate-hosts'), []);
  await client.close(ing);
});

test('hover on secretName: subject, names, issuer, validity, fingerprint, key type; never the key', async () => {
  await closeOpened();
  const ing = uri('hover-ingress.yaml');
  const sec = uri('hover-secret.yaml');
  const ingText = ingressYaml({ tlsHosts: ['shop.example.com', 'admin.example.com'] }) + '---\n' + SERVICE;
  const secText = tlsSecretYaml('shop-tls', certs.valid);
  await client.open(sec, secText);
  await client.open(ing, ingText);
  await client.diagnostics(ing);
  const at = rangeOf(ingText, 'secretName:', 'shop-tls');
  const md = await hoverText(ing, { line: at.start.line, character: at.start.character + 2 });
  const c = certs.valid;
  assert.match(md, /\*\*TLS Secret\*\* `default\/shop-tls` \(in tls-\d+-hover-secret\.yaml\)/);
  assert.ok(md.includes('| Subject | CN=shop.example.com, O=Kube NetLens Tests |'), md);
  assert.ok(md.includes('| Names | shop.example.com, www.shop.example.com |'), md);
  assert.ok(md.includes('| Issuer | CN=shop.example.com, O=Kube NetLens Tests (self-signed) |'), md);
  assert.ok(md.includes(`| Valid | ${utc(c.notBefore)} → ${utc(c.notAfter)} — `), md);
  assert.ok(md.includes(`| SHA-256 | \`${c.fingerprint256}\` |`), md);
  assert.ok(md.includes('| Private key | EC P-256, matches the certificate |'), md);
  assert.ok(md.includes('Hosts of this tls entry: shop.example.com ✓, admin.example.com ✗ not covered'), md);
  // on the Secret itself: its name, tls.crt and tls.key show the same table
  for (const [prefix, needle] of [
    ['name:', 'shop-tls'],
    ['tls.crt:', 'tls.crt'],
    ['tls.key:', 'tls.key'],
  ]) {
    const r = rangeOf(secText, prefix, needle);
    const s = await hoverText(sec, { line: r.start.line, character: r.start.character + 1 });
    assert.ok(s.includes(`| SHA-256 | \`${c.fingerprint256}\` |`), `${prefix} ${s}`);
    assert.ok(!s.includes('BEGIN'), 'no PEM text');
  }
  const keyValue = rangeOf(secText, 'tls.key:', b64(c.keyPem));
  const onValue = await hoverText(sec, {
    line: keyValue.start.line,
    character: keyValue.start.character + 30,
  });
  assert.ok(onValue.includes('| Private key | EC P-256, matches the certificate |'));
  await client.close(ing);
  await client.close(sec);
});

test('hover on a secretName whose Secret has a problem says what is wrong, still without key material', async () => {
  const docs = [tlsSecretYaml('shop-tls', certs.mismatch), ingressYaml()];
  const r = await check(docs, 'hover-mismatch.yaml');
  const at = rangeOf(r.text, 'secretName:', 'shop-tls');
  const md = await hoverText(r.uri, at.start);
  assert.ok(md.includes('| Private key | EC P-256, **does not match** the certificate |'), md);
  const expired = await check(
    [tlsSecretYaml('shop-tls', certs.expired), ingressYaml()],
    'hover-expired.yaml',
  );
  const e = await hoverText(expired.uri, rangeOf(expired.text, 'secretName:', 'shop-tls').start);
  assert.ok(e.includes(`— **expired** 1 day ago`), e);
  const missing = await check([ingressYaml({ secretName: 'nowhere-tls' })], 'hover-missing.yaml');
  const m = await hoverText(missing.uri, rangeOf(missing.text, 'secretName:', 'nowhere-tls').start);
  // the words of rule ingress-tls-secret-missing (escaped for Markdown)
  assert.equal(
    m,
    '**TLS Secret** `default/nowhere-tls`\n\nSecret "nowhere-tls" is not defined in namespace "default": without it the controller serves its default certificate for this entry \\(the workspace defines no Secrets in "default": it may be created elsewhere\\)',
  );
});

test('diagnostics never quote key material', async () => {
  const r = await check([
    tlsSecretYaml('shop-tls', certs.mismatch).replace('kubernetes.io/tls', 'Opaque'),
    ingressYaml({ tlsHosts: ['other.example.com'] }),
  ]);
  assert.ok(r.diags.length >= 3);
  for (const d of r.diags) for (const s of secrets) assert.ok(!d.message.includes(s), d.message);
  assert.ok(Date.now() - certs.valid.notBefore.getTime() < 2 * DAY);
});

test('stringData: a PEM that is not a certificate, or base64 where PEM text is expected', async () => {
  const good = tlsSecretStringDataYaml('shop-tls', certs.valid);
  const asBase64 = good.replace(
    /( {2}tls\.crt: \|\n)((?: {4}.*\n)+?)( {2}tls\.key)/,
    (_m, head, _body, tail) => `${head}    ${b64(certs.valid.certPem)}\n${tail}`,
  );
  const r = await check([asBase64, ingressYaml()], 'stringdata-base64.yaml');
  assert.deepEqual(
    only(r.diags, 'tls-certificate-invalid').map((x) => x.message),
    [
      'stringData tls.crt holds base64 text, but stringData takes the PEM as plain text: paste the PEM, or move the value under data',
    ],
  );
  const notPem = good.replace(
    /( {2}tls\.crt: \|\n)((?: {4}.*\n)+?)( {2}tls\.key)/,
    (_m, head, _body, tail) => `${head}    this is not a certificate\n${tail}`,
  );
  const r2 = await check([notPem, ingressYaml()], 'stringdata-text.yaml');
  const d = only(r2.diags, 'tls-certificate-invalid');
  assert.deepEqual(
    d.map((x) => [x.severity, x.message]),
    [[1, 'stringData tls.crt is not PEM: expected a "-----BEGIN CERTIFICATE-----" block']],
  );
});

test('the command line and the routing preview never print key material either', async () => {
  const { spawnSync } = await import('node:child_process');
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const { ROOT } = await import('./support/lsp-client');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'knl-tls-cli-'));
  try {
    const file = path.join(dir, 'tls.yaml');
    const text = [
      tlsSecretYaml('shop-tls', certs.mismatch).replace('kubernetes.io/tls', 'Opaque'),
      ingressYaml({ tlsHosts: ['other.example.com'] }),
      SERVICE,
    ].join('---\n');
    writeFileSync(file, text);
    for (const format of ['text', 'json', 'sarif']) {
      const out = spawnSync(
        process.execPath,
        [path.join(ROOT, 'dist', 'cli.js'), 'check', file, '--format', format],
        { encoding: 'utf8' },
      );
      assert.ok(
        out.stdout.includes('tls-key-mismatch'),
        `${format}: ${out.stdout.slice(0, 300)} ${out.stderr}`,
      );
      for (const s of secrets)
        assert.ok(!out.stdout.includes(s) && !out.stderr.includes(s), `${format} output shows key material`);
    }
    const r = await check([text.split('---\n').slice(0, 2).join('---\n')], 'preview.yaml');
    const graph = await client.conn.sendRequest('kubeNetlens/routeGraph', { scope: 'file', uri: r.uri });
    const json = JSON.stringify(graph);
    assert.ok(
      json.includes('shop-tls') || json.includes('other.example.com'),
      `the graph describes the Ingress: ${json.slice(0, 300)}`,
    );
    for (const s of secrets) assert.ok(!json.includes(s), 'the route graph shows key material');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Last: everything above has run through this server.
test('no key material in any hover, in the server log or on its stderr', async () => {
  assert.ok(hoverTexts.length >= 6, 'the hovers were looked at');
  assert.ok(client.logs.length > 0, 'the server logged something');
  assert.ok(secrets.length >= 28);
  for (const s of secrets) {
    for (const h of hoverTexts) assert.ok(!h.includes(s), 'a hover shows key material');
    assert.ok(!client.stderr.includes(s), 'stderr shows key material');
    for (const l of client.logs) assert.ok(!l.includes(s), 'the log shows key material');
  }
  // and the check itself can fail: the key text was there to be found in what the client sent
  assert.ok(secrets.some((s) => [...client['texts'].values()].some((t: string) => t.includes(s))));
});
