// Values of Gateway API fields that the CRDs constrain with a pattern, a length or a range: names of
// listeners, hostnames, groups and kinds of references, header names, ports, weights, durations,
// controller names. The schema records which Gateway API value type a field has (`format`); the
// constraints below are those of the standard-channel CRDs (apis/v1/shared_types.go markers).

import type { AstNode, ScalarNode } from '../syntax/ast';
import type { SchemaType } from '../schema/types';
import { SCHEMA, rootDefName } from '../schema/schema';
import type { Rule, RuleContext } from './types';
import { dns1123Label, dns1123Subdomain, isIp } from './k8s-values';
import { isGatewayApi, pathText } from './gateway-ast';

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;
const KIND = /^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;
const CONTROLLER_PATH = /^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/;

function length(v: string, min: number, max: number): string | undefined {
  if (v.length < min) return min === 1 ? 'must not be empty' : `must be at least ${min} characters`;
  if (v.length > max) return `must be at most ${max} characters (it has ${v.length})`;
  return undefined;
}

function subdomain(v: string): string | undefined {
  return dns1123Subdomain(v);
}

/** A Gateway API Hostname: a DNS name, optionally with `*.` as its whole first label. */
function hostname(v: string): string | undefined {
  const l = length(v, 1, 253);
  if (l) return l;
  const rest = v.startsWith('*.') ? v.slice(2) : v;
  if (rest.includes('*')) return 'may use "*" only as the whole first label, as in "*.example.com"';
  if (/[A-Z]/.test(rest) && !subdomain(rest.toLowerCase())) return 'must be lowercase';
  if (v.includes(':') || v.includes('/')) return 'must be a host name only: no scheme, port or path';
  if (subdomain(rest))
    return "must be a DNS name of lowercase letters, digits, '-' and '.', each dot-separated label starting and ending with a letter or digit";
  return undefined;
}

function preciseHostname(v: string): string | undefined {
  const l = length(v, 1, 253);
  if (l) return l;
  if (v.includes('*')) return 'must be a precise host name: a wildcard is not allowed here';
  if (/[A-Z]/.test(v) && !subdomain(v.toLowerCase())) return 'must be lowercase';
  if (subdomain(v))
    return "must be a DNS name of lowercase letters, digits, '-' and '.', each dot-separated label starting and ending with a letter or digit";
  return undefined;
}

/** A CORS origin: "*", or http(s)://host[:port] where host may start with "*." (or be "*"). */
function corsOrigin(v: string): string | undefined {
  if (v === '*') return undefined;
  const m = /^(https?):\/\/([^:/]*)(?::([0-9]{1,5}))?$/.exec(v);
  const bad =
    'must be "*" or scheme://host[:port] with scheme http or https, no path, and "*" only as the whole host or its whole first label';
  if (!m) return bad;
  const host = m[2];
  if (host === '*') return undefined;
  const rest = host.startsWith('*.') ? host.slice(2) : host;
  return rest !== '' && rest.split('.').every((l) => /^[a-zA-Z0-9-]+$/.test(l)) ? undefined : bad;
}

const STRING_FORMATS: Record<string, (v: string) => string | undefined> = {
  Group: (v) =>
    length(v, 0, 253) ??
    (v === '' || !subdomain(v)
      ? undefined
      : 'must be empty (the core API group) or a DNS subdomain such as "gateway.networking.k8s.io"'),
  Kind: (v) =>
    length(v, 1, 63) ??
    (KIND.test(v)
      ? undefined
      : 'must start with a letter and hold only letters, digits and \'-\', as in "Service"'),
  ObjectName: (v) => length(v, 1, 253),
  Namespace: (v) => dns1123Label(v),
  SectionName: (v) =>
    length(v, 1, 253) ??
    (subdomain(v)
      ? "must consist of lowercase letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit"
      : undefined),
  Hostname: hostname,
  PreciseHostname: preciseHostname,
  HTTPHeaderName: (v) =>
    length(v, 1, 256) ??
    (HEADER_NAME.test(v)
      ? undefined
      : "must be an HTTP header name (letters, digits and !#$%&'*+-.^_`|~, no spaces, colons or slashes)"),
  HeaderName: (v) =>
    length(v, 1, 256) ??
    (HEADER_NAME.test(v)
      ? undefined
      : "must be an HTTP header name (letters, digits and !#$%&'*+-.^_`|~, no spaces, colons or slashes)"),
  GRPCHeaderName: (v) =>
    length(v, 1, 256) ??
    (HEADER_NAME.test(v)
      ? undefined
      : "must be a header name (letters, digits and !#$%&'*+-.^_`|~, no spaces, colons or slashes)"),
  CORSOrigin: corsOrigin,
  Duration: (v) =>
    DURATION.test(v)
      ? undefined
      : 'must be a Gateway API duration: up to four parts of 1-5 digits with a unit h, m, s or ms, as in "10s" or "1m30s"',
  GatewayController: (v) => {
    const l = length(v, 1, 253);
    if (l) return l;
    const slash = v.indexOf('/');
    if (
      slash <= 0 ||
      subdomain(v.slice(0, slash)) ||
      slash === v.length - 1 ||
      !CONTROLLER_PATH.test(v.slice(slash + 1))
    ) {
      return 'must be a domain-prefixed path such as "example.com/gateway-controller"';
    }
    return undefined;
  },
};

/** Number fields without a named type whose CRD gives a range, by definition.field. */
const NUMBER_RANGES: Record<string, [number, number]> = {
  'BackendRef.weight': [0, 1000000],
  'HTTPBackendRef.weight': [0, 1000000],
  'GRPCBackendRef.weight': [0, 1000000],
  'HTTPRequestMirrorFilter.percent': [0, 100],
  'Fraction.denominator': [1, 2147483647],
  'Fraction.numerator': [0, 2147483647],
};

/** Number fields the CRD restricts to a set of values, by definition.field. */
const NUMBER_ENUMS: Record<string, number[]> = {
  'HTTPRequestRedirectFilter.statusCode': [301, 302, 303, 307, 308],
};

class Walker {
  constructor(private ctx: RuleContext) {}

  walk(node: AstNode | null, type: SchemaType, path: (string | number)[], rangeKey?: string): void {
    if (!node || node.type === 'alias') return;
    switch (type.t) {
      case 'ref': {
        if (node.type !== 'map') return;
        const def = SCHEMA.definitions[type.name];
        if (!def) return;
        const short = type.name.slice(type.name.lastIndexOf('.') + 1);
        for (const p of node.pairs) {
          const field = p.keyText === undefined ? undefined : def.fields[p.keyText];
          if (!field || field.experimental || p.keyText === 'metadata' || p.keyText === 'status') continue;
          // one path array for the whole walk (pushed and popped), turned into text only to report
          path.push(p.keyText!);
          this.walk(p.value, field.type, path, `${short}.${p.keyText}`);
          path.pop();
        }
        return;
      }
      case 'array':
        if (node.type === 'seq') {
          node.items.forEach((item, i) => {
            path.push(i);
            this.walk(item, type.items, path, rangeKey);
            path.pop();
          });
        }
        return;
      case 'map':
        return;
      case 'string':
        if (node.type === 'scalar' && typeof node.value === 'string')
          this.string(node, node.value, type.format, path);
        return;
      case 'number':
        if (node.type === 'scalar' && typeof node.value === 'number')
          this.number(node, node.value, type.format, path, rangeKey);
        return;
      default:
        return;
    }
  }

  private string(node: ScalarNode, v: string, format: string | undefined, path: (string | number)[]): void {
    if (!format) return;
    const check = STRING_FORMATS[format];
    const problem = check?.(v);
    const where = pathText(path);
    if (problem) {
      this.ctx.report(node, `${where} "${v}" ${problem}`);
      return;
    }
    if (format === 'Hostname' && isIp(v.startsWith('*.') ? v.slice(2) : v)) {
      // TLSRoute's CRD rejects IPs with a CEL rule; elsewhere the pattern lets an IPv4 address through,
      // but the API says "IPs are not allowed" and controllers match host names only
      const tls = this.ctx.resource.kind === 'TLSRoute';
      this.ctx.report(
        node,
        `${where} "${v}" must be a host name, not an IP address` +
          (tls
            ? ''
            : ' (the pattern lets it through, but a route or listener hostname matches the Host header or SNI by name)'),
        {
          severity: tls ? 'error' : 'warning',
        },
      );
    }
  }

  private number(
    node: ScalarNode,
    v: number,
    format: string | undefined,
    path: (string | number)[],
    rangeKey: string | undefined,
  ): void {
    const allowed = rangeKey ? NUMBER_ENUMS[rangeKey] : undefined;
    if (allowed && !allowed.includes(v)) {
      this.ctx.report(node, `${pathText(path)} must be one of ${allowed.join(', ')} (it is ${v})`);
      return;
    }
    const range =
      format === 'PortNumber'
        ? ([1, 65535] as [number, number])
        : rangeKey
          ? NUMBER_RANGES[rangeKey]
          : undefined;
    if (!range || !Number.isInteger(v)) return;
    if (v < range[0] || v > range[1])
      this.ctx.report(node, `${pathText(path)} must be between ${range[0]} and ${range[1]} (it is ${v})`);
  }
}

export const rule: Rule = {
  id: 'gateway-value-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  description:
    'A Gateway API value the CRD rejects: a listener or rule name, hostname, reference group/kind/namespace, header name, port, weight, redirect status code, duration or controller name outside its pattern, range or set (a hostname that is an IP address: error for TLSRoute, warning elsewhere).',
  check(ctx) {
    const r = ctx.resource;
    if (!isGatewayApi(r)) return;
    const def = rootDefName(r.apiVersion, r.kind);
    if (!def) return;
    new Walker(ctx).walk(r.node, { t: 'ref', name: def }, []);
  },
};
