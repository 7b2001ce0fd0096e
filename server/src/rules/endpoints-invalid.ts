// Hand-written endpoints, as written for a Service without a selector (an external database, a
// service on other machines), that the API server's validation refuses:
// - Endpoints (ValidateEndpoints in pkg/apis/core/validation): a subset with neither addresses nor
//   notReadyAddresses; an address that is not an IP address, or one the API server keeps out of
//   endpoints (unspecified, loopback, link-local: ValidateNonSpecialIP); an unnamed port in a subset
//   with several ports;
// - EndpointSlice (pkg/apis/discovery/validation): an endpoint with no address or more than 100, an
//   address of another family than the slice's addressType (or, for FQDN, not a DNS name), a
//   special address as above, two ports with one name, a port name that is not a DNS label.

import type { AstNode } from '../syntax/ast';
import { asMap, asScalar, asSeq, getPair, getValue, stringValue } from '../syntax/ast';
import { dns1123Label, dns1123Subdomain } from './k8s-values';
import { parseIpSloppy, specialIpProblem } from './service-spec-invalid';
import type { Rule, RuleContext } from './types';

const MAX_ADDRESSES = 100;

function checkAddress(ctx: RuleContext, node: AstNode | null | undefined, family?: 'IPv4' | 'IPv6'): void {
  const s = asScalar(node);
  const v = s ? stringValue(s) : undefined;
  if (!s || v === undefined) return;
  const addr = parseIpSloppy(v);
  if (!addr) {
    ctx.report(
      s,
      `"${v}" is not an IP address: endpoints hold addresses, and the API server rejects the object. For a name, use a Service of type ExternalName instead`,
    );
    return;
  }
  const kind = addr.kind() === 'ipv4' ? 'IPv4' : 'IPv6';
  if (family && kind !== family) {
    ctx.report(
      s,
      `"${v}" is an ${kind} address in an EndpointSlice of addressType ${family}: a slice holds one family, and the API server rejects it. Put it in a slice of addressType ${kind}`,
    );
    return;
  }
  const special = specialIpProblem(addr);
  if (special)
    ctx.report(
      s,
      `"${v}" is ${special}: it would point each node at itself, and the API server refuses such addresses in endpoints. Give the address the backend is reached at`,
    );
}

function checkEndpoints(ctx: RuleContext): void {
  for (const subset of asSeq(getValue(ctx.resource.node, 'subsets'))?.items ?? []) {
    const ready = asSeq(getValue(subset, 'addresses'))?.items ?? [];
    const notReady = asSeq(getValue(subset, 'notReadyAddresses'))?.items ?? [];
    if (ready.length === 0 && notReady.length === 0)
      ctx.report(
        // (on the subset's first key: a range over the whole subset would cover its ports)
        asMap(subset)?.pairs[0]?.key ?? subset,
        'This subset has no addresses: the API server rejects it ("must specify `addresses` or `notReadyAddresses`"). List the backend addresses under addresses, or remove the subset',
      );
    for (const a of [...ready, ...notReady]) checkAddress(ctx, getValue(a, 'ip'));
    const ports = asSeq(getValue(subset, 'ports'))?.items ?? [];
    if (ports.length > 1)
      for (const p of ports) {
        if (!stringValue(getValue(p, 'name')))
          ctx.report(
            p,
            'With several ports in a subset each needs a name (the name of the Service port it serves): the API server rejects an unnamed one. Name it after its Service port',
          );
      }
  }
}

function checkSlice(ctx: RuleContext): void {
  const node = ctx.resource.node;
  const type = stringValue(getValue(node, 'addressType'));
  const family = type === 'IPv4' || type === 'IPv6' ? type : undefined;
  for (const e of asSeq(getValue(node, 'endpoints'))?.items ?? []) {
    const m = asMap(e);
    const pair = m ? getPair(m, 'addresses') : undefined;
    const addresses = asSeq(pair?.value)?.items ?? [];
    if (addresses.length === 0 || addresses.length > MAX_ADDRESSES)
      ctx.report(
        pair?.key ?? e,
        addresses.length === 0
          ? 'An endpoint needs an address: the API server rejects one without ("must contain at least 1 address")'
          : `An endpoint holds at most ${MAX_ADDRESSES} addresses (it has ${addresses.length}): the API server rejects it. Split them into several endpoints`,
      );
    for (const a of addresses) {
      if (family) checkAddress(ctx, a, family);
      else if (type === 'FQDN') {
        const s = asScalar(a);
        const v = s ? stringValue(s) : undefined;
        const problem = v === undefined ? undefined : dns1123Subdomain(v);
        if (s && problem)
          ctx.report(
            s,
            `"${v}" is not a DNS name: it ${problem}; an EndpointSlice of addressType FQDN holds names, and the API server rejects it`,
          );
      }
    }
  }
  const seen = new Set<string>();
  for (const p of asSeq(getValue(node, 'ports'))?.items ?? []) {
    const n = asScalar(getValue(p, 'name'));
    const name = n ? stringValue(n) : undefined;
    if (!n || name === undefined || name === '') continue;
    const problem = dns1123Label(name);
    if (problem)
      ctx.report(
        n,
        `EndpointSlice port name "${name}" is not valid: it ${problem}; the API server rejects the slice`,
      );
    else if (seen.has(name))
      ctx.report(
        n,
        `Port name "${name}" is used twice in this EndpointSlice: each port is matched to its Service port by name, and the API server rejects the slice ("Duplicate value"). Give each port its own name`,
      );
    seen.add(name);
  }
}

export const rule: Rule = {
  id: 'endpoints-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['Endpoints', 'EndpointSlice'],
  description:
    'Hand-written Endpoints or EndpointSlice the API server rejects: an address that is not an IP (or of the wrong family), a loopback or link-local address, a subset or endpoint without addresses, unnamed or duplicate port names.',
  check(ctx) {
    if (ctx.resource.kind === 'Endpoints') checkEndpoints(ctx);
    else checkSlice(ctx);
  },
};
