// Ingress hosts: a DNS name, optionally with "*." as the whole first label; never an IP or a port.

import type { ScalarNode } from '../syntax/ast';
import { ingressModel } from '../model/ingress';
import type { Rule, RuleContext } from './types';
import { dns1123Subdomain, isIp } from './k8s-values';

export function hostProblem(host: string): string | undefined {
  if (isIp(host))
    return 'must be a DNS name, not an IP address (an Ingress rule matches the HTTP Host header by name; leave host out to match any host)';
  if (/:\d*$/.test(host))
    return 'must not include a port: the port of the request is ignored when matching hosts';
  if (host.includes('*')) {
    if (!host.startsWith('*.') || host.indexOf('*', 1) >= 0)
      return 'may use "*" only as the whole first label, as in "*.example.com"';
    const rest = host.slice(2);
    const p = dns1123Subdomain(rest);
    return p ? `is not a valid wildcard DNS name: "${rest}" ${p}` : undefined;
  }
  const p = dns1123Subdomain(host);
  return p ? `is not a valid DNS name: it ${p}` : undefined;
}

function check(ctx: RuleContext, node: ScalarNode | undefined, where: string, emptyIsUnset = false): void {
  if (!node || typeof node.value !== 'string') return;
  if (emptyIsUnset && node.value === '') return;
  const problem = hostProblem(node.value);
  if (problem) {
    const lower = node.value.toLowerCase();
    const fixes =
      /[A-Z]/.test(node.value) && !hostProblem(lower)
        ? () => [
            {
              title: `Change to "${lower}"`,
              edits: [{ start: node.start, end: node.end, newText: lower }],
              preferred: true,
            },
          ]
        : undefined;
    ctx.report(node, `${where} "${node.value}" ${problem}`, { fixes });
  }
}

export const rule: Rule = {
  id: 'ingress-host-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['Ingress'],
  description:
    'An Ingress host that the API server rejects: an IP address, a port, a misplaced wildcard or an invalid DNS name.',
  check(ctx) {
    const m = ingressModel(ctx.resource);
    // a rule's empty host is no host (the API server validates it only when non-empty: every host);
    // a TLS host must always be a name
    for (const r of m.rules) check(ctx, r.host, 'Host', true);
    for (const t of m.tls) for (const h of t.hosts) check(ctx, h, 'TLS host');
  },
};
