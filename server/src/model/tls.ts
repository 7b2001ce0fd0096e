// Typed view of a TLS Secret: its certificate read with Node's built-in X.509 support, and whether
// its private key belongs to that certificate.
//
// Key material never leaves this module and ./tls-pem.ts, which reads the PEM text. The result holds
// spans, descriptions of problems (never quoting the value), the key's type and size, and
// `keyMatches`; no key bytes or text. The parsed KeyObject lives only inside `readTlsSecret` and is
// dropped when it returns. What a certificate says is read in ./tls-certificate.ts; who uses a Secret
// for TLS is at the end of this file.

import type { X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { AstNode, Span } from '../syntax/ast';
import { asMap, getPair, getValue, stringValue } from '../syntax/ast';
import type { Resource } from './resource';
import type { ResourceStore as ResourceIndex } from './resource-store';
import type { IngressTlsModel } from './ingress';
import { ingressModel } from './ingress';
import type { TlsCertificateInfo } from './tls-certificate';
import { describeCertificate, describeKey } from './tls-certificate';
import { readCertificates, readPrivateKey, where } from './tls-pem';
import { memoOn, recall } from '../engine/memo';

export type { TlsCertificateInfo } from './tls-certificate';
export {
  DAY,
  certificateCovers,
  certificateNames,
  formatDays,
  formatUtc,
  isIpHost,
  normalizeIp,
} from './tls-certificate';

/** Where a `tls.crt` / `tls.key` value was found. */
export interface TlsValueRef {
  /** `stringData` wins over `data`: the API server merges stringData over data on write. */
  source: 'data' | 'stringData';
  keySpan: Span;
  /** The value node; the key when the value is missing (`tls.crt:` with nothing after it). */
  valueSpan: Span;
}

export interface TlsSecretInfo {
  crt?: TlsValueRef;
  key?: TlsValueRef;
  /** A `data` value that is not base64: the base64 rule reports it, nothing more to say here. */
  crtNotBase64: boolean;
  keyNotBase64: boolean;
  /** The leaf (first) certificate of tls.crt. */
  certificate?: TlsCertificateInfo;
  /** Number of CERTIFICATE blocks in tls.crt (leaf first, then intermediates). */
  chainLength: number;
  /** Why tls.crt cannot be used, as a full sentence (never quoting the value). */
  certificateProblem?: string;
  /** e.g. "EC P-256"; never the key itself. */
  keyType?: string;
  /** Why tls.key cannot be used, as a full sentence (never quoting the value). */
  keyProblem?: string;
  /** Whether tls.key is the private key of the leaf certificate; undefined when either is unusable. */
  keyMatches?: boolean;
}

interface RawValue {
  ref: TlsValueRef;
  /** undefined: not base64 (data), null: no text value at all. */
  bytes: Buffer | undefined | null;
}

/** Does this Secret hold a certificate or key under the TLS key names? */
export function hasTlsData(r: Resource): boolean {
  return findValue(r, 'tls.crt') !== undefined || findValue(r, 'tls.key') !== undefined;
}

/** The certificate and key of a Secret (any type), read once per parsed document. */
export function readTlsSecret(r: Resource): TlsSecretInfo {
  return memoOn(r.node, 'tls-secret', [], () => compute(r));
}

/** SHA-256 fingerprint of the leaf certificate in tls.crt, if it parses (read once per parsed document;
 * only the certificate, not the key, when nothing asked for the whole Secret yet). */
export function certificateFingerprint(r: Resource): string | undefined {
  const whole = recall<TlsSecretInfo>(r.node, 'tls-secret', []);
  if (whole) return whole.value.certificate?.fingerprint256;
  return memoOn(r.node, 'tls-fingerprint', [], () => {
    const crt = rawValue(r, 'tls.crt');
    if (!crt?.bytes || crt.bytes.length === 0) return undefined;
    const res = readCertificates(crt.bytes, crt.ref.source);
    return 'problem' in res ? undefined : res.certs[0]?.fingerprint256;
  });
}

/** The PEM text of each certificate in tls.crt (leaf first), when they all parse (read once per parsed
 * document). */
export function tlsCertificatePems(r: Resource): string[] {
  return memoOn(r.node, 'tls-chain-pem', [], () => {
    const crt = rawValue(r, 'tls.crt');
    if (!crt?.bytes || crt.bytes.length === 0) return [];
    const res = readCertificates(crt.bytes, crt.ref.source);
    return 'problem' in res ? [] : res.certs.map((c) => c.toString());
  });
}

function findValue(
  r: Resource,
  name: string,
): { source: 'data' | 'stringData'; key: AstNode; value: AstNode | null } | undefined {
  for (const source of ['stringData', 'data'] as const) {
    const map = asMap(getValue(r.node, source));
    const pair = map ? getPair(map, name) : undefined;
    if (pair) return { source, key: pair.key, value: pair.value };
  }
  return undefined;
}

function rawValue(r: Resource, name: string): RawValue | undefined {
  const found = findValue(r, name);
  if (!found) return undefined;
  const ref: TlsValueRef = {
    source: found.source,
    keySpan: span(found.key),
    valueSpan: span(found.value ?? found.key),
  };
  const v = found.value;
  if (!v || v.type !== 'scalar' || v.value === null) return { ref, bytes: null };
  const text = String(v.value);
  if (found.source === 'stringData') return { ref, bytes: Buffer.from(text, 'utf8') };
  const compact = text.replace(/[\r\n]/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) return { ref, bytes: undefined };
  return { ref, bytes: Buffer.from(compact, 'base64') };
}

function span(n: Span): Span {
  return { start: n.start, end: n.end };
}

function compute(r: Resource): TlsSecretInfo {
  const info: TlsSecretInfo = { crtNotBase64: false, keyNotBase64: false, chainLength: 0 };
  const crt = rawValue(r, 'tls.crt');
  const key = rawValue(r, 'tls.key');
  let leaf: X509Certificate | undefined;
  if (crt) {
    info.crt = crt.ref;
    if (crt.bytes === undefined) info.crtNotBase64 = true;
    else if (crt.bytes === null || crt.bytes.length === 0)
      info.certificateProblem = `${where('tls.crt', crt.ref.source)} is empty: it must hold a PEM certificate`;
    else {
      const res = readCertificates(crt.bytes, crt.ref.source);
      if ('problem' in res) info.certificateProblem = res.problem;
      else {
        leaf = res.certs[0];
        info.chainLength = res.certs.length;
        info.certificate = describeCertificate(leaf);
      }
    }
  }
  if (key) {
    info.key = key.ref;
    if (key.bytes === undefined) info.keyNotBase64 = true;
    else if (key.bytes === null || key.bytes.length === 0)
      info.keyProblem = `${where('tls.key', key.ref.source)} is empty: it must hold a PEM private key`;
    else {
      const res = readPrivateKey(key.bytes, key.ref.source);
      if ('problem' in res) info.keyProblem = res.problem;
      else {
        info.keyType = describeKey(res.key);
        if (leaf) info.keyMatches = keyMatches(leaf, res.key);
      }
    }
  }
  return info;
}

function keyMatches(cert: X509Certificate, key: KeyObject): boolean {
  try {
    return cert.checkPrivateKey(key);
  } catch {
    // A key of another algorithm than the certificate's public key.
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Who uses a Secret for TLS

export interface TlsSecretUse {
  uri: string;
  ingress: Resource;
  entry: IngressTlsModel;
}

/** namespace/secretName → the Ingress tls entries naming it (whole index, memoised until a change). */
export function tlsSecretUsers(index: ResourceIndex): Map<string, TlsSecretUse[]> {
  return index.memoKinds(['Ingress'], 'tls-secret-uses', () => {
    const m = new Map<string, TlsSecretUse[]>();
    for (const { uri, resource } of index.all()) {
      // an Ingress without a name is refused by the API server: it uses no Secret
      if (resource.kind !== 'Ingress' || resource.name === undefined) continue;
      for (const entry of ingressModel(resource).tls) {
        const name = stringValue(entry.secretName);
        if (!name) continue;
        const key = `${index.namespaceOf(resource)}/${name}`;
        let list = m.get(key);
        if (!list) m.set(key, (list = []));
        list.push({ uri, ingress: resource, entry });
      }
    }
    return m;
  });
}

/** The Secret a tls entry names, preferring one in the same file when the workspace has several. */
export function findTlsSecret(
  index: ResourceIndex,
  namespace: string,
  name: string,
  uri?: string,
): { uri: string; resource: Resource } | undefined {
  const found = index.find('Secret', namespace, name);
  return found.find((f) => f.uri === uri) ?? found[0];
}
