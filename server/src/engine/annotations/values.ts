// Checks an annotation value against its format, as the controller parses it. Every check is linear in
// the value's length: plain loops, and the controllers' own regular expressions through re2js.

import ipaddr from 'ipaddr.js';
import { RE2JS } from 're2js';
import type { ValueFormat } from './types';

/** Go's strconv.ParseBool spellings. */
export const GO_BOOLS = new Set([
  '1',
  't',
  'T',
  'TRUE',
  'true',
  'True',
  '0',
  'f',
  'F',
  'FALSE',
  'false',
  'False',
]);
const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

/** The boolean an ingress-nginx annotation value stands for (undefined when it is no Go boolean). */
export function goBool(value: string | undefined): boolean | undefined {
  if (value === undefined || !GO_BOOLS.has(value)) return undefined;
  return TRUE.has(value);
}

/** Go's strconv.Atoi: an optional sign and decimal digits (no spaces, no unit). */
export function goInt(value: string): number | undefined {
  return /^[+-]?[0-9]{1,15}$/.test(value) ? Number(value) : undefined;
}

const compiled = new Map<string, RE2JS>();
function re2(pattern: string): RE2JS {
  let re = compiled.get(pattern);
  if (!re) compiled.set(pattern, (re = RE2JS.compile(pattern)));
  return re;
}

/** Describes the format for messages and hover ("a boolean as a string", ...). */
export function describeFormat(f: ValueFormat): string {
  switch (f.type) {
    case 'bool':
      return '"true" or "false"';
    case 'int': {
      const range =
        f.min !== undefined && f.max !== undefined
          ? ` from ${f.min} to ${f.max}`
          : f.min !== undefined && f.min > 0
            ? ` of at least ${f.min}`
            : '';
      return f.unit
        ? `a whole number of ${f.unit}${range}${f.unit === 'seconds' ? ' (no unit)' : ''}`
        : `a whole number${range}`;
    }
    case 'size':
      return 'an nginx size: digits with an optional k, m or g (e.g. 8m)';
    case 'cidrs':
      return 'CIDRs or IP addresses separated by commas (e.g. 10.0.0.0/8,192.168.1.7)';
    case 'options':
      return `one of ${f.options.map((o) => `"${o}"`).join(', ')}`;
    case 'pattern':
      return f.describe;
    case 'snippet':
      return 'nginx configuration text';
    case 'service-name':
      return 'a Service name (lower-case letters, digits and "-", starting with a letter)';
    case 'server-names':
      return f.list ? 'host names separated by commas' : 'a host name';
    case 'common-name':
      return '"CN=" followed by a regular expression';
    case 'json':
      return 'a JSON document';
    case 'duration':
      return 'a duration such as 30s, 5m or 1h30m';
    case 'text':
      return 'text';
  }
}

/** The value does not fit: `detail` says what is wrong when more can be said than "not this format". */
export interface ValueProblem {
  detail?: string;
}

/** Checks a value; undefined when it fits the format. */
export function checkValue(f: ValueFormat, value: string): ValueProblem | undefined {
  switch (f.type) {
    case 'bool':
      return GO_BOOLS.has(value) ? undefined : {};
    case 'int': {
      const n = goInt(value);
      if (n === undefined) {
        const unit = /^[0-9]+\s*[a-zA-Z]+$/.test(value.trim());
        return unit && f.unit?.startsWith('seconds')
          ? { detail: `"${value}" has a unit; write the number of seconds alone` }
          : {};
      }
      if (f.min !== undefined && n < f.min) return { detail: `${n} is below ${f.min}` };
      if (f.max !== undefined && n > f.max) return { detail: `${n} is above ${f.max}` };
      return undefined;
    }
    case 'size':
      return /^[0-9]+[bkmgBKMG]?$/.test(value) ? undefined : {};
    case 'cidrs': {
      if (value === '') return undefined;
      for (const raw of value.split(',')) {
        const part = raw.trim();
        if (part.includes('/') ? !isCidr(part) : !isPlainIp(part)) return { detail: `"${part}" is neither` };
      }
      return undefined;
    }
    case 'options': {
      const v = f.caseInsensitive ? value.trim().toLowerCase() : value.trim();
      return f.options.includes(v) ? undefined : {};
    }
    case 'pattern': {
      const v = f.removeSpaces ? value.replaceAll(' ', '') : value;
      if (/[\r\n]/.test(v)) return { detail: 'the value holds a line break, which the controller refuses' };
      return re2(f.pattern).matcher(v).find() ? undefined : {};
    }
    case 'service-name':
      return /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value) ? undefined : {};
    case 'server-names': {
      const names = f.list ? value.split(',') : [value];
      for (const n of names)
        if (!/^[-._~a-zA-Z0-9/:^$[\](){}*+?|&=\\]*$/.test(n.trim()))
          return { detail: `"${n.trim()}" is not one` };
      return undefined;
    }
    case 'common-name':
      if (!value.startsWith('CN=')) return { detail: `"${value}" does not start with "CN="` };
      try {
        RE2JS.compile(value.slice(3));
      } catch {
        return { detail: `"${value.slice(3)}" is not a valid regular expression` };
      }
      return undefined;
    case 'json':
      try {
        JSON.parse(value);
        return undefined;
      } catch {
        return { detail: 'it is not valid JSON' };
      }
    case 'duration':
      return /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/.test(value) || value === '0' ? undefined : {};
    case 'snippet':
    case 'text':
      return undefined;
  }
}

function isCidr(s: string): boolean {
  try {
    ipaddr.parseCIDR(s);
    return isPlainIp(s.slice(0, s.indexOf('/')));
  } catch {
    return false;
  }
}

/** Go's net.ParseIP: dotted IPv4 with four decimal parts, or IPv6 (ipaddr.js also accepts "10" or "0x0a"). */
function isPlainIp(s: string): boolean {
  if (s.includes(':')) return ipaddr.IPv6.isValid(s);
  return /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/.test(
    s,
  );
}
