// Certificates generated at test time (no certificate or key is checked in): a self-signed
// certificate with the DNS names and validity a test asks for, its private key, and the YAML of a
// kubernetes.io/tls Secret holding them.

import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const DAY = 24 * 60 * 60 * 1000;
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface TestCertificate {
  /** PEM of the certificate. */
  certPem: string;
  /** PEM of the (unencrypted PKCS#8) private key. */
  keyPem: string;
  /** The body lines of the key PEM (what must never be shown anywhere). */
  keyBody: string;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 fingerprint as colon-separated upper-case hex. */
  fingerprint256: string;
}

export interface CertificateOptions {
  commonName?: string;
  dnsNames?: string[];
  /** URI subject alternative names (a SPIFFE id, say). */
  uris?: string[];
  /** Days from now (negative: in the past). Defaults: -1 and +365. */
  notBeforeDays?: number;
  notAfterDays?: number;
  /** Use this key pair's private key in `keyPem` instead of the certificate's own (a mismatch). */
  otherKey?: boolean;
  /** Issued (signed) by this CA instead of self-signed. */
  issuer?: TestCa;
}

/** A certificate authority made at test time: its certificate and the key it signs with. */
export interface TestCa {
  name: string;
  certPem: string;
  keys: CryptoKeyPair;
}

/** A CA certificate (basicConstraints CA:TRUE, keyCertSign), self-signed or issued by `issuer`. */
export async function makeCertificateAuthority(commonName: string, issuer?: TestCa): Promise<TestCa> {
  const keys = await keyPair();
  const name = `CN=${commonName}, O=Kube NetLens Tests`;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8)))
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    subject: name,
    issuer: issuer?.name ?? name,
    notBefore: new Date(Math.floor((now - DAY) / 1000) * 1000),
    notAfter: new Date(Math.floor((now + 3650 * DAY) / 1000) * 1000),
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: (issuer?.keys ?? keys).privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  return { name, certPem: cert.toString('pem') + '\n', keys };
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

async function keyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
}

export async function makeCertificate(o: CertificateOptions = {}): Promise<TestCertificate> {
  const keys = await keyPair();
  const now = Date.now();
  // whole seconds: X.509 times have no milliseconds
  const notBefore = new Date(Math.floor((now + (o.notBeforeDays ?? -1) * DAY) / 1000) * 1000);
  const notAfter = new Date(Math.floor((now + (o.notAfterDays ?? 365) * DAY) / 1000) * 1000);
  const dnsNames = o.dnsNames ?? [];
  const extensions: x509.Extension[] = [new x509.BasicConstraintsExtension(false, undefined, true)];
  const uris = o.uris ?? [];
  if (dnsNames.length || uris.length)
    extensions.push(
      new x509.SubjectAlternativeNameExtension([
        ...dnsNames.map((value) => ({ type: 'dns' as const, value })),
        ...uris.map((value) => ({ type: 'url' as const, value })),
      ]),
    );
  const serialNumber = Buffer.from(webcrypto.getRandomValues(new Uint8Array(8)))
    .toString('hex')
    .replace(/^[89a-f]/, '1');
  const name = `CN=${o.commonName ?? dnsNames[0] ?? 'test'}, O=Kube NetLens Tests`;
  const cert = o.issuer
    ? await x509.X509CertificateGenerator.create({
        serialNumber,
        subject: name,
        issuer: o.issuer.name,
        notBefore,
        notAfter,
        signingAlgorithm: ALG,
        publicKey: keys.publicKey,
        signingKey: o.issuer.keys.privateKey,
        extensions,
      })
    : await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber,
        name,
        notBefore,
        notAfter,
        signingAlgorithm: ALG,
        keys,
        extensions,
      });
  const privateKey = o.otherKey ? (await keyPair()).privateKey : keys.privateKey;
  const keyPem = pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', privateKey));
  const thumb = Buffer.from(await cert.getThumbprint('SHA-256'));
  return {
    certPem: cert.toString('pem') + '\n',
    keyPem,
    keyBody: keyPem
      .split('\n')
      .filter((l) => l && !l.startsWith('-----'))
      .join(''),
    notBefore,
    notAfter,
    fingerprint256: [...thumb].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':'),
  };
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** A TLS Secret document with the certificate and key base64-encoded under `data`. */
export function tlsSecretYaml(
  name: string,
  c: Pick<TestCertificate, 'certPem' | 'keyPem'>,
  opts: { namespace?: string; type?: string | null } = {},
): string {
  return [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    `  name: ${name}`,
    ...(opts.namespace ? [`  namespace: ${opts.namespace}`] : []),
    ...(opts.type === null ? [] : [`type: ${opts.type ?? 'kubernetes.io/tls'}`]),
    'data:',
    `  tls.crt: ${b64(c.certPem)}`,
    `  tls.key: ${b64(c.keyPem)}`,
    '',
  ].join('\n');
}

/** The same with the PEM text as block scalars under `stringData`. */
export function tlsSecretStringDataYaml(
  name: string,
  c: Pick<TestCertificate, 'certPem' | 'keyPem'>,
): string {
  const block = (s: string) =>
    s
      .trimEnd()
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n');
  return [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    `  name: ${name}`,
    'type: kubernetes.io/tls',
    'stringData:',
    '  tls.crt: |',
    block(c.certPem),
    '  tls.key: |',
    block(c.keyPem),
    '',
  ].join('\n');
}

/** A CA bundle ConfigMap (what BackendTLSPolicy's caCertificateRefs name): the certificates' PEM
 * text, one after the other, as a block scalar under `data.ca.crt`. */
export function caConfigMapYaml(name: string, namespace: string, cas: Pick<TestCa, 'certPem'>[]): string {
  const pem = cas.map((c) => c.certPem.trimEnd()).join('\n');
  return [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    'data:',
    '  ca.crt: |',
    ...pem.split('\n').map((l) => `    ${l}`),
    '',
  ].join('\n');
}
