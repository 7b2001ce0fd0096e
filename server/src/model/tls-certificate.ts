// What a certificate says, for messages and hovers: subject, issuer, names, dates and key type; the
// dates and names formatted; whether a certificate covers a host.

import { X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { hostCovers } from '../engine/host-name';

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
  /** URI subject alternative names (a SPIFFE id, say), as written. */
  uris: string[];
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

// ---------------------------------------------------------------------------------------------
// Describing a certificate

const CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

export function describeKey(k: KeyObject): string {
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

export function formatName(name: string): string {
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

export function describeCertificate(c: X509Certificate): TlsCertificateInfo {
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  const uris: string[] = [];
  for (const entry of c.subjectAltName ? splitNodeList(c.subjectAltName, /, /y) : []) {
    const colon = entry.indexOf(':');
    const type = entry.slice(0, colon);
    const value = unquote(entry.slice(colon + 1));
    if (type === 'DNS') dnsNames.push(value);
    else if (type === 'IP Address') ipAddresses.push(normalizeIp(value));
    else if (type === 'URI') uris.push(value);
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
    uris,
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
