// Typed view of a TLS Secret: its certificate read with Node's built-in X.509 support, and whether
// its private key belongs to that certificate.
//
// Key material never leaves this module. The result holds spans, descriptions of problems (written
// here, never quoting the value), the key's type and size, and `keyMatches`; no key bytes or text.
// The parsed KeyObject lives only inside `readTlsSecret` and is dropped when it returns.

import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { AstNode, Span } from '../syntax/ast';
import { asMap, getPair, getValue, stringValue } from '../syntax/ast';
import type { Resource } from './resource';
import type { ResourceStore as ResourceIndex } from './resource-store';
import { hostCovers } from '../engine/host-name';
import type { IngressTlsModel } from './ingress';
import { ingressModel } from './ingress';

/** Where a `tls.crt` / `tls.key` value was found. */
export interface TlsValueRef {
  /** `stringData` wins over `data`: the API server merges stringData over data on write. */
  source: 'data' | 'stringData';
  keySpan: Span;
  /** The value node; the key when the value is missing (`tls.crt:` with nothing after it). */
  valueSpan: Span;
}

export interface TlsCertificateInfo {
  /** e.g. "CN=shop.example.com, O=Shop" */
  subject: string;
  commonName?: string;
  issuer: string;
  /** Subject and issuer are the same name. */
  selfSigned: boolean;
  /** DNS subject alternative names, lower case as written in the certificate. */
  dnsNames: string[];
  /** IP subject alternative names, normalised (`2001:db8::1`). */
  ipAddresses: string[];
  /** The certificate has no DNS or IP SANs: `dnsNames` then holds its Common Name (which modern
   * clients ignore). */
  namesFromCommonName: boolean;
  /** Milliseconds since the epoch. */
  notBefore: number;
  notAfter: number;
  /** Colon-separated upper-case hex, as `openssl x509 -fingerprint -sha256` prints it. */
  fingerprint256: string;
  serialNumber: string;
  /** e.g. "RSA 2048", "EC P-256", "Ed25519" */
  publicKey: string;
  isCa: boolean;
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

interface PemBlock {
  label: string;
  /** The whole block, BEGIN and END lines included. */
  text: string;
  headers: boolean;
}

const cache = new WeakMap<AstNode, TlsSecretInfo>();

/** Does this Secret hold a certificate or key under the TLS key names? */
export function hasTlsData(r: Resource): boolean {
  return findValue(r, 'tls.crt') !== undefined || findValue(r, 'tls.key') !== undefined;
}

/** The certificate and key of a Secret (any type), read once per parsed document. */
export function readTlsSecret(r: Resource): TlsSecretInfo {
  let info = cache.get(r.node);
  if (!info) {
    info = compute(r);
    cache.set(r.node, info);
  }
  return info;
}

function findValue(r: Resource, name: string): { source: 'data' | 'stringData'; key: AstNode; value: AstNode | null } | undefined {
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
  const ref: TlsValueRef = { source: found.source, keySpan: span(found.key), valueSpan: span(found.value ?? found.key) };
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
    else if (crt.bytes === null || crt.bytes.length === 0) info.certificateProblem = `${where('tls.crt', crt.ref.source)} is empty: it must hold a PEM certificate`;
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
    else if (key.bytes === null || key.bytes.length === 0) info.keyProblem = `${where('tls.key', key.ref.source)} is empty: it must hold a PEM private key`;
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
// PEM

const BEGIN = /-----BEGIN ([A-Z0-9 ]+)-----/g;

/** PEM blocks of a text, or the label of the first BEGIN line that has no END line. */
function pemBlocks(text: string): { blocks: PemBlock[]; truncated?: string } {
  const blocks: PemBlock[] = [];
  BEGIN.lastIndex = 0;
  for (let m = BEGIN.exec(text); m; m = BEGIN.exec(text)) {
    const label = m[1];
    const endLine = `-----END ${label}-----`;
    const end = text.indexOf(endLine, m.index + m[0].length);
    if (end < 0) return { blocks, truncated: label };
    const blockText = text.slice(m.index, end + endLine.length);
    blocks.push({ label, text: blockText + '\n', headers: /^[A-Za-z-]+:/m.test(blockText.slice(m[0].length, end - m.index)) });
    BEGIN.lastIndex = end + endLine.length;
  }
  return { blocks };
}

function where(field: string, source: 'data' | 'stringData'): string {
  return source === 'stringData' ? `stringData ${field}` : field;
}

/** Why a value that should be PEM is not, with what it looks like instead. */
function notPem(field: string, source: 'data' | 'stringData', bytes: Buffer, expected: string, looksDer: () => boolean): string {
  const w = where(field, source);
  const text = bytes.toString('latin1').trim();
  if (text.length === 0) return `${w} is empty`;
  if (/^LS0tLS1CRUdJTi/.test(text)) {
    return source === 'stringData'
      ? `${w} holds base64 text, but stringData takes the PEM as plain text: paste the PEM, or move the value under data`
      : `${w} is base64-encoded twice: it decodes to base64 text instead of PEM (encode the PEM file once)`;
  }
  if (bytes[0] === 0x30 && looksDer()) {
    return `${w} holds DER (binary), not PEM: controllers expect PEM text (convert it with openssl to PEM${source === 'data' ? ', then base64-encode that' : ''})`;
  }
  return source === 'stringData'
    ? `${w} is not PEM: expected a "-----BEGIN ${expected}-----" block`
    : `${w} is base64 but does not decode to PEM: expected a "-----BEGIN ${expected}-----" block`;
}

function readCertificates(bytes: Buffer, source: 'data' | 'stringData'): { certs: X509Certificate[] } | { problem: string } {
  const w = where('tls.crt', source);
  const text = bytes.toString('latin1');
  const { blocks, truncated } = pemBlocks(text);
  const certBlocks = blocks.filter((b) => b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE');
  if (truncated && (truncated.endsWith('CERTIFICATE') || certBlocks.length === 0)) {
    return { problem: `${w} is truncated: its "-----BEGIN ${truncated}-----" line has no matching "-----END ${truncated}-----" line` };
  }
  if (blocks.length === 0) {
    return {
      problem: notPem('tls.crt', source, bytes, 'CERTIFICATE', () => {
        try {
          new X509Certificate(bytes);
          return true;
        } catch {
          return false;
        }
      }),
    };
  }
  if (certBlocks.length === 0) {
    const label = blocks[0].label;
    return { problem: `${w} holds a PEM "${label}" block but no CERTIFICATE${label.includes('PRIVATE KEY') ? ' (are tls.crt and tls.key swapped?)' : ''}` };
  }
  const certs: X509Certificate[] = [];
  for (let i = 0; i < certBlocks.length; i++) {
    try {
      certs.push(new X509Certificate(certBlocks[i].text));
    } catch {
      const which = certBlocks.length === 1 ? 'its CERTIFICATE block' : `certificate ${i + 1} of ${certBlocks.length}`;
      return { problem: `${w}: ${which} does not parse as an X.509 certificate (the base64 between the BEGIN and END lines is damaged or is not a certificate)` };
    }
  }
  return { certs };
}

function readPrivateKey(bytes: Buffer, source: 'data' | 'stringData'): { key: KeyObject } | { problem: string } {
  const w = where('tls.key', source);
  const text = bytes.toString('latin1');
  const { blocks, truncated } = pemBlocks(text);
  const keyBlock = blocks.find((b) => b.label.endsWith('PRIVATE KEY'));
  if (truncated && !keyBlock) {
    return { problem: `${w} is truncated: its "-----BEGIN ${truncated}-----" line has no matching "-----END ${truncated}-----" line` };
  }
  if (blocks.length === 0) {
    return {
      problem: notPem('tls.key', source, bytes, 'PRIVATE KEY', () => {
        for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
          try {
            createPrivateKey({ key: bytes, format: 'der', type });
            return true;
          } catch {
            // try the next encoding
          }
        }
        return false;
      }),
    };
  }
  if (!keyBlock) {
    const label = blocks[0].label;
    return { problem: `${w} holds a PEM "${label}" block but no PRIVATE KEY${label.includes('CERTIFICATE') ? ' (are tls.crt and tls.key swapped?)' : ''}` };
  }
  if (keyBlock.label === 'ENCRYPTED PRIVATE KEY' || (keyBlock.headers && /Proc-Type:\s*4,ENCRYPTED/.test(keyBlock.text))) {
    return { problem: `${w} is encrypted with a passphrase: controllers need the unencrypted key (decrypt it with openssl pkey)` };
  }
  try {
    return { key: createPrivateKey({ key: keyBlock.text, format: 'pem' }) };
  } catch {
    // Node's message names decoder routines, never the key; ours says even less.
    return { problem: `${w}: its "${keyBlock.label}" block does not parse as a private key (the base64 between the BEGIN and END lines is damaged or is not a key)` };
  }
}

// ---------------------------------------------------------------------------------------------
// Describing a certificate

const CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

function describeKey(k: KeyObject): string {
  const type = k.asymmetricKeyType ?? 'unknown';
  const d = k.asymmetricKeyDetails ?? {};
  switch (type) {
    case 'rsa':
    case 'rsa-pss':
      return `${type === 'rsa' ? 'RSA' : 'RSA-PSS'}${d.modulusLength ? ` ${d.modulusLength}` : ''}`;
    case 'ec':
      return `EC${d.namedCurve ? ` ${CURVES[d.namedCurve] ?? d.namedCurve}` : ''}`;
    case 'ed25519':
      return 'Ed25519';
    case 'ed448':
      return 'Ed448';
    default:
      return type.toUpperCase();
  }
}

/** Split Node's comma-separated name lists, where ambiguous values are JSON-quoted strings. */
function splitNodeList(s: string, separator: RegExp): string[] {
  const out: string[] = [];
  let cur = '';
  let inQuote = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inQuote) {
      cur += c;
      if (c === '\\') cur += s[++i] ?? '';
      else if (c === '"') inQuote = false;
      continue;
    }
    if (c === '"') {
      inQuote = true;
      cur += c;
      continue;
    }
    separator.lastIndex = i;
    const m = separator.exec(s);
    if (m && m.index === i) {
      out.push(cur);
      cur = '';
      i += m[0].length - 1;
      continue;
    }
    cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

function unquote(v: string): string {
  if (v.startsWith('"') && v.endsWith('"')) {
    try {
      return JSON.parse(v) as string;
    } catch {
      return v.slice(1, -1);
    }
  }
  return v;
}

/** "CN=a\nO=b" → [["CN","a"],["O","b"]] */
function nameParts(name: string): [string, string][] {
  return splitNodeList(name, /\n/y).map((line) => {
    const eq = line.indexOf('=');
    return [line.slice(0, eq), unquote(line.slice(eq + 1))] as [string, string];
  });
}

function formatName(name: string): string {
  return nameParts(name)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

export function normalizeIp(ip: string): string {
  try {
    return ipaddr.parse(ip).toString();
  } catch {
    return ip.toLowerCase();
  }
}

function describeCertificate(c: X509Certificate): TlsCertificateInfo {
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  for (const entry of c.subjectAltName ? splitNodeList(c.subjectAltName, /, /y) : []) {
    const colon = entry.indexOf(':');
    const type = entry.slice(0, colon);
    const value = unquote(entry.slice(colon + 1));
    if (type === 'DNS') dnsNames.push(value);
    else if (type === 'IP Address') ipAddresses.push(normalizeIp(value));
  }
  const subjectParts = nameParts(c.subject);
  const commonName = subjectParts.find(([k]) => k === 'CN')?.[1];
  const namesFromCommonName = dnsNames.length === 0 && ipAddresses.length === 0 && commonName !== undefined;
  if (namesFromCommonName) dnsNames.push(commonName!);
  const pk = c.publicKey;
  return {
    subject: formatName(c.subject),
    commonName,
    issuer: formatName(c.issuer),
    selfSigned: c.subject === c.issuer,
    dnsNames,
    ipAddresses,
    namesFromCommonName,
    notBefore: Date.parse(c.validFrom),
    notAfter: Date.parse(c.validTo),
    fingerprint256: c.fingerprint256,
    serialNumber: c.serialNumber,
    publicKey: describeKey(pk),
    isCa: c.ca,
  };
}

// ---------------------------------------------------------------------------------------------
// Dates

export const DAY = 24 * 60 * 60 * 1000;

/** "2026-12-05 18:41 UTC" */
export function formatUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Whole days in a duration: "less than a day", "1 day", "12 days". */
export function formatDays(ms: number): string {
  const n = Math.floor(Math.abs(ms) / DAY);
  return n === 0 ? 'less than a day' : n === 1 ? '1 day' : `${n} days`;
}

// ---------------------------------------------------------------------------------------------
// Host names

export function isIpHost(h: string): boolean {
  return isIP(h.replace(/^\[|\]$/g, '')) !== 0;
}

/** Which of the certificate's names covers the host (IP hosts match IP SANs only), if any. */
export function certificateCovers(c: TlsCertificateInfo, host: string): boolean {
  if (isIpHost(host)) {
    const ip = normalizeIp(host.replace(/^\[|\]$/g, ''));
    return c.ipAddresses.includes(ip);
  }
  return c.dnsNames.some((n) => hostCovers(n, host));
}

/** The certificate's names for a message: DNS names, then IPs. */
export function certificateNames(c: TlsCertificateInfo, max = 10): string {
  const all = [...c.dnsNames, ...c.ipAddresses];
  if (all.length === 0) return '(none)';
  return all.length > max ? `${all.slice(0, max).join(', ')} and ${all.length - max} more` : all.join(', ');
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
export function findTlsSecret(index: ResourceIndex, namespace: string, name: string, uri?: string): { uri: string; resource: Resource } | undefined {
  const found = index.find('Secret', namespace, name);
  return found.find((f) => f.uri === uri) ?? found[0];
}

/** cert-manager resources that will create the Secret: the Ingress's issuer annotation, or a
 * Certificate in the namespace whose spec.secretName is this name. */
export function certManagerSource(index: ResourceIndex, ingress: Resource, secretName: string): string | undefined {
  const annotations = asMap(getValue(asMap(getValue(ingress.node, 'metadata')), 'annotations'));
  for (const a of ['cert-manager.io/cluster-issuer', 'cert-manager.io/issuer']) {
    const v = annotations ? stringValue(getValue(annotations, a)) : undefined;
    if (v) return `the Ingress annotation ${a}: ${v}`;
  }
  const certificates = index.memoKinds(['Certificate'], 'cert-manager-certificates', () => {
    const m = new Map<string, string>();
    for (const { resource } of index.all()) {
      if (resource.kind !== 'Certificate' || !resource.apiVersion.startsWith('cert-manager.io/') || resource.name === undefined) continue;
      const s = stringValue(getValue(asMap(getValue(resource.node, 'spec')), 'secretName'));
      if (s) m.set(`${index.namespaceOf(resource)}/${s}`, resource.name);
    }
    return m;
  });
  const cert = certificates.get(`${index.namespaceOf(ingress)}/${secretName}`);
  return cert ? `the cert-manager Certificate "${cert}"` : undefined;
}
