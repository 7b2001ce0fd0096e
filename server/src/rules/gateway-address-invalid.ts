// Gateway spec.addresses, as the CRD checks them: type IPAddress (the default) holds an IPv4 or IPv6
// address, type Hostname a DNS name (optionally "*." first), and no IPAddress or Hostname value is
// listed twice. Other types (NamedAddress, domain-prefixed custom types) take any value.

import type { Rule } from './types';
import { isIp } from './k8s-values';
import { isGatewayApi, mapsAt, scalar, text } from './gateway-ast';

function validHostname(v: string): boolean {
  // label by label: linear whatever the input
  const rest = v.startsWith('*.') ? v.slice(2) : v;
  return rest.split('.').every((l) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(l));
}

export const rule: Rule = {
  id: 'gateway-address-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['Gateway'],
  description:
    'A Gateway address the API server rejects: an IPAddress value that is not an IP address, a Hostname value that is not a DNS name, or the same IPAddress or Hostname value listed twice.',
  check(ctx) {
    if (!isGatewayApi(ctx.resource)) return;
    const seen = new Set<string>();
    for (const { node } of mapsAt(ctx.resource.node, 'spec.addresses[]')) {
      const type = text(node, 'type') ?? 'IPAddress';
      const valueNode = scalar(node, 'value');
      if (!valueNode) continue;
      const v = String(valueNode.value);
      if (type === 'IPAddress' && !isIp(v)) {
        ctx.report(
          valueNode,
          `Address "${v}" is not an IP address: an address of type IPAddress (the default) must be an IPv4 or IPv6 address (for a DNS name, set type: Hostname)`,
        );
        continue;
      }
      if (type === 'Hostname' && v !== '' && !validHostname(v)) {
        ctx.report(
          valueNode,
          `Address "${v}" is not a valid host name: a Hostname address is a lowercase DNS name, optionally starting with "*.", without port or scheme`,
        );
        continue;
      }
      if (type !== 'IPAddress' && type !== 'Hostname') continue;
      const key = `${type}|${v}`;
      if (seen.has(key))
        ctx.report(valueNode, `${type} address "${v}" is listed twice: ${type} values must be unique`);
      seen.add(key);
    }
  },
};
