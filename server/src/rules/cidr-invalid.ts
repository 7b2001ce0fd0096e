// Addresses and CIDRs in the fields the API server validates leniently ("legacy" IP fields):
// NetworkPolicy ipBlock cidr and except, Service clusterIP(s), externalIPs, loadBalancerIP and
// loadBalancerSourceRanges. What does not parse, and an ipBlock.except range that is not strictly
// inside its cidr, are errors (cidr-invalid). What parses only leniently gets the warnings the API
// server answers with (GetWarningsForIP / GetWarningsForCIDR in apimachinery's validation/ip.go;
// the StrictIPCIDRValidation feature gate that turns them into errors is still off by default):
// IPv4 parts with leading zeros (read as decimal here, as octal by much other software), IPv4
// written as IPv4-mapped IPv6, a CIDR with bits set past its prefix length (is 10.0.0.1/8 the range
// or the address?), and IPv6 not in RFC 5952 form (ip-non-standard). The checks of these Service
// addresses that the API server refuses are service-spec-invalid's.

import ipaddr from 'ipaddr.js';
import type { AstNode, ScalarNode } from '../syntax/ast';
import { asMap, asScalar, asSeq, getIn, getValue, stringValue } from '../syntax/ast';
import type { Rule, RuleContext } from './types';
import { cidrStrictlyInside, parseCidr } from './k8s-values';
import type { ParsedCidr } from './k8s-values';
import { parseIpSloppy } from './service-spec-invalid';
import { isK8sNetworkPolicy } from '../model/policy-kinds';

const NON_STANDARD = 'ip-non-standard';

type Addr = ipaddr.IPv4 | ipaddr.IPv6;

/** An IPv4 address with a part written with a leading zero ("010.0.0.1"). */
function hasLeadingZeros(text: string): boolean {
  return /(^|\.)0\d/.test(text) && !text.includes(':');
}

/** An IPv6 text holding an IPv4-mapped address ("::ffff:10.0.0.1"). */
function isMapped(text: string): boolean {
  return text.includes(':') && ipaddr.IPv6.isValid(text) && ipaddr.IPv6.parse(text).isIPv4MappedAddress();
}

/** The address with every bit past `bits` cleared. */
function masked(addr: Addr, bits: number): Addr {
  const bytes = addr.toByteArray().map((b, i) => {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    return keep === 8 ? b : b & ((0xff << (8 - keep)) & 0xff);
  });
  return ipaddr.fromByteArray(bytes);
}

/** Quick fixes that replace the value with each of `texts` (the first preferred when `prefer`). */
function replaceWith(node: ScalarNode, texts: string[], prefer: boolean) {
  return () =>
    texts.map((t, i) => ({
      title: `Change to ${t}`,
      edits: [{ start: node.start, end: node.end, newText: t }],
      preferred: prefer && i === 0,
    }));
}

function addrText(a: Addr): string {
  return a.kind() === 'ipv6' ? (a as ipaddr.IPv6).toRFC5952String() : a.toString();
}

/** Parse a CIDR as the API server does (leniently), reporting an error when it does not parse and
 * the API server's warnings when it parses only leniently. */
function parse(ctx: RuleContext, node: ScalarNode | undefined, what: string): ParsedCidr | undefined {
  if (!node) return undefined;
  const v = stringValue(node);
  if (v === undefined) return undefined;
  const slash = v.indexOf('/');
  const host = slash < 0 ? v : v.slice(0, slash);
  const bitsText = slash < 0 ? '' : v.slice(slash + 1);
  let c = parseCidr(v);
  if (typeof c === 'string' && hasLeadingZeros(host) && /^\d{1,3}$/.test(bitsText)) {
    // (the lenient parser reads "010" as 10)
    const addr = parseIpSloppy(host);
    if (addr && Number(bitsText) <= 32) c = { addr, bits: Number(bitsText) };
  }
  if (typeof c === 'string') {
    ctx.report(node, `${what} "${v}" is not a valid CIDR: ${c}`);
    return undefined;
  }
  // an IPv4-mapped address counts as IPv4, its prefix length less the 96 bits in front
  const mapped = isMapped(host);
  const addr = mapped ? (c.addr as ipaddr.IPv6).toIPv4Address() : c.addr;
  const bits = mapped ? Math.max(0, c.bits - 96) : c.bits;
  const network = masked(addr, bits);
  const standard = `${addrText(network)}/${bits}`;
  const full = addr.kind() === 'ipv4' ? 32 : 128;
  if (network.toString() !== addr.toString())
    ctx.report(
      node,
      `${what} "${v}" has bits set past its /${bits} prefix: the API server accepts it with a warning that it is ambiguous, and network plugins read it as the whole range ${standard}, not as the one address ${addrText(addr)}. Write "${standard}", or "${addrText(addr)}/${full}" for that address`,
      { ruleId: NON_STANDARD, fixes: replaceWith(node, [standard, `${addrText(addr)}/${full}`], false) },
    );
  else if (hasLeadingZeros(host) || (bitsText.length > 1 && bitsText.startsWith('0')) || mapped)
    ctx.report(
      node,
      `${what} "${v}" is not written in standard form${mapped ? ' (an IPv4 range written as IPv4-mapped IPv6)' : ' (leading zeros)'}: the API server still accepts it, reading it as ${standard}, but warns that a future Kubernetes release will refuse it${mapped ? '' : ', and other software may read a part with a leading zero as octal'}. Write "${standard}"`,
      { ruleId: NON_STANDARD, fixes: replaceWith(node, [standard], true) },
    );
  else if (addr.kind() === 'ipv6' && v !== standard)
    ctx.report(
      node,
      `${what} "${v}" is not in the canonical IPv6 form (RFC 5952: lowercase, zeros compressed): the API server accepts it with a warning. Write "${standard}"`,
      { ruleId: NON_STANDARD, severity: 'information', fixes: replaceWith(node, [standard], true) },
    );
  return c;
}

/** The API server's warnings for an address that parses (its errors are service-spec-invalid's). */
function checkAddress(ctx: RuleContext, node: AstNode | null | undefined, what: string): void {
  const s = asScalar(node);
  const v = s ? stringValue(s) : undefined;
  if (!s || v === undefined || v === '' || v === 'None') return;
  const addr = parseIpSloppy(v);
  if (!addr) return;
  const standard = addrText(addr);
  if (hasLeadingZeros(v) || isMapped(v))
    ctx.report(
      s,
      `${what} "${v}" is not written in standard form${isMapped(v) ? ' (an IPv4 address written as IPv4-mapped IPv6)' : ' (leading zeros)'}: the API server still accepts it, reading it as ${standard}, but warns that a future Kubernetes release will refuse it${isMapped(v) ? '' : ', and other software may read a part with a leading zero as octal'}. Write "${standard}"`,
      { ruleId: NON_STANDARD, fixes: replaceWith(s, [standard], true) },
    );
  else if (addr.kind() === 'ipv6' && v !== standard)
    ctx.report(
      s,
      `${what} "${v}" is not in the canonical IPv6 form (RFC 5952: lowercase, zeros compressed): the API server accepts it with a warning. Write "${standard}"`,
      { ruleId: NON_STANDARD, severity: 'information', fixes: replaceWith(s, [standard], true) },
    );
}

export const rule: Rule = {
  id: 'cidr-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  extraIds: [
    {
      id: NON_STANDARD,
      defaultSeverity: 'warning',
      description:
        'An address or CIDR the API server accepts only leniently and warns about: leading zeros, IPv4-mapped IPv6, bits set past the prefix length (ambiguous), IPv6 not in RFC 5952 form.',
    },
  ],
  kinds: ['NetworkPolicy', 'Service'],
  applies: (r) => r.kind === 'Service' || isK8sNetworkPolicy(r),
  description: 'A CIDR that does not parse, or an ipBlock.except range that is not strictly inside its cidr.',
  check(ctx) {
    const r = ctx.resource;
    if (r.kind === 'Service') {
      const spec = asMap(getIn(r.node, ['spec']));
      for (const n of asSeq(getValue(spec, 'loadBalancerSourceRanges'))?.items ?? [])
        parse(ctx, asScalar(n), 'loadBalancerSourceRanges entry');
      const clusterIPs = asSeq(getValue(spec, 'clusterIPs'))?.items ?? [];
      const clusterIP = asScalar(getValue(spec, 'clusterIP'));
      // (clusterIP is clusterIPs[0]: the same text is reported once)
      if (clusterIP && stringValue(clusterIP) !== stringValue(clusterIPs[0]))
        checkAddress(ctx, clusterIP, 'clusterIP');
      for (const n of clusterIPs) checkAddress(ctx, n, 'clusterIPs entry');
      for (const n of asSeq(getValue(spec, 'externalIPs'))?.items ?? [])
        checkAddress(ctx, n, 'externalIPs entry');
      checkAddress(ctx, getValue(spec, 'loadBalancerIP'), 'loadBalancerIP');
      return;
    }
    for (const dir of ['ingress', 'egress'] as const) {
      for (const ruleNode of asSeq(getIn(r.node, ['spec', dir]))?.items ?? []) {
        for (const peer of asSeq(getValue(ruleNode, dir === 'ingress' ? 'from' : 'to'))?.items ?? []) {
          const block = asMap(getValue(peer, 'ipBlock'));
          if (!block) continue;
          const cidr = parse(ctx, asScalar(getValue(block, 'cidr')), 'ipBlock.cidr');
          for (const e of asSeq(getValue(block, 'except'))?.items ?? []) {
            const node = asScalar(e);
            const ex = parse(ctx, node, 'ipBlock.except entry');
            if (ex && cidr && node && !cidrStrictlyInside(ex, cidr)) {
              ctx.report(
                node,
                `except range "${node.value}" must lie strictly inside cidr "${stringValue(getValue(block, 'cidr'))}"`,
              );
            }
          }
        }
      }
    }
  },
};
