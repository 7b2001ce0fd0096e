// The value rules of the Kubernetes API server (apimachinery validation), as predicates returning
// a reason when a value is rejected. Facts from the API's validation; code and wording are ours.

import ipaddr from 'ipaddr.js';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

export function dns1123Label(v: string): string | undefined {
  if (v.length === 0) return 'must not be empty';
  if (v.length > 63) return `must be at most 63 characters (it has ${v.length})`;
  if (/[A-Z]/.test(v) && DNS1123_LABEL.test(v.toLowerCase())) return 'must be lowercase';
  if (!DNS1123_LABEL.test(v))
    return "must consist of lowercase letters, digits and '-', and start and end with a letter or digit";
  return undefined;
}

export function dns1035Label(v: string): string | undefined {
  if (v.length === 0) return 'must not be empty';
  if (v.length > 63) return `must be at most 63 characters (it has ${v.length})`;
  if (/[A-Z]/.test(v) && DNS1035_LABEL.test(v.toLowerCase())) return 'must be lowercase';
  if (!DNS1035_LABEL.test(v))
    return "must consist of lowercase letters, digits and '-', start with a letter and end with a letter or digit";
  return undefined;
}

export function dns1123Subdomain(v: string): string | undefined {
  if (v.length === 0) return 'must not be empty';
  if (v.length > 253) return `must be at most 253 characters (it has ${v.length})`;
  if (/[A-Z]/.test(v) && isSubdomain(v.toLowerCase())) return 'must be lowercase';
  if (!isSubdomain(v))
    return "must consist of lowercase letters, digits, '-' and '.', and each dot-separated part must start and end with a letter or digit";
  return undefined;
}

function isSubdomain(v: string): boolean {
  return v.split('.').every((part) => DNS1123_LABEL.test(part));
}

/** Label keys: optional DNS subdomain prefix and '/', then a name of at most 63 characters. */
export function labelKey(v: string): string | undefined {
  let name = v;
  const slash = v.indexOf('/');
  if (slash >= 0) {
    const prefix = v.slice(0, slash);
    name = v.slice(slash + 1);
    const p = dns1123Subdomain(prefix);
    if (p) return `prefix "${prefix}" ${p}`;
  }
  if (name.length === 0) return 'name part must not be empty';
  if (name.length > 63) return `name part must be at most 63 characters (it has ${name.length})`;
  if (!LABEL_NAME.test(name))
    return "name part must consist of letters, digits, '-', '_' and '.', and start and end with a letter or digit";
  return undefined;
}

export function labelValue(v: string): string | undefined {
  if (v.length === 0) return undefined;
  if (v.length > 63) return `must be at most 63 characters (it has ${v.length})`;
  if (!LABEL_NAME.test(v))
    return "must be empty or consist of letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
  return undefined;
}

/** IANA service names, used for container port names and named target ports. */
export function portName(v: string): string | undefined {
  if (v.length === 0) return 'must not be empty';
  if (v.length > 15) return `must be at most 15 characters (it has ${v.length})`;
  if (!/^[-a-z0-9]+$/.test(v)) return "must consist of lowercase letters, digits and '-'";
  if (!/[a-z]/.test(v)) return 'must contain at least one letter';
  if (v.includes('--')) return "must not contain '--'";
  if (v.startsWith('-') || v.endsWith('-')) return "must not start or end with '-'";
  return undefined;
}

export function portNumber(v: number): string | undefined {
  if (!Number.isInteger(v) || v < 1 || v > 65535) return `must be between 1 and 65535 (it is ${v})`;
  return undefined;
}

export function isIp(v: string): boolean {
  // an IPv4 address here is four decimal parts, an IPv6 one has a colon: names are rejected at once
  // (ipaddr's own check is slow on ordinary host names)
  if (!v.includes(':') && !/^[0-9.]+$/.test(v)) return false;
  return (
    ipaddr.isValid(v) &&
    (ipaddr.IPv4.isValidFourPartDecimal(v) || (v.includes(':') && ipaddr.IPv6.isValid(v)))
  );
}

export interface ParsedCidr {
  addr: ipaddr.IPv4 | ipaddr.IPv6;
  bits: number;
}

export function parseCidr(v: string): ParsedCidr | string {
  const slash = v.indexOf('/');
  if (slash < 0) return 'must be a CIDR such as 10.0.0.0/16 (the "/prefix-length" is missing)';
  const host = v.slice(0, slash);
  const bitsText = v.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bitsText)) return `prefix length "${bitsText}" is not a number`;
  if (!isIp(host)) return `"${host}" is not an IP address`;
  const addr = ipaddr.parse(host);
  const bits = Number(bitsText);
  const max = addr.kind() === 'ipv4' ? 32 : 128;
  if (bits > max)
    return `prefix length must be at most ${max} for ${addr.kind() === 'ipv4' ? 'IPv4' : 'IPv6'}`;
  return { addr, bits };
}

/** Is `inner` a strict subset of `outer` (same family, longer prefix, inside)? */
export function cidrStrictlyInside(inner: ParsedCidr, outer: ParsedCidr): boolean {
  if (inner.addr.kind() !== outer.addr.kind()) return false;
  if (inner.bits <= outer.bits) return false;
  // ipaddr's match takes a [range, bits] pair of the same family
  return (inner.addr as ipaddr.IPv4).match(outer.addr as ipaddr.IPv4, outer.bits);
}

/** Standard base64 with padding, as Kubernetes decodes Secret data. Spaces and tabs are not allowed. */
export function base64Problem(raw: string): string | undefined {
  // Go's decoder skips line breaks, so a wrapped block scalar is fine
  const v = raw.replace(/[\r\n]/g, '');
  if (v.length === 0) return undefined;
  if (/\s/.test(v)) {
    const at = v.search(/\s/);
    return `contains whitespace at character ${at + 1}`;
  }
  const bad = v.search(/[^A-Za-z0-9+/=]/);
  // The character itself is not quoted: it belongs to a secret.
  if (bad >= 0) return `has a character that is not base64 at position ${bad + 1}`;
  if (v.length % 4 !== 0) return `has length ${v.length}, not a multiple of 4 (missing padding?)`;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v)) return "has '=' padding in the middle";
  return undefined;
}
