// Names that refer to other objects must be names the API accepts for that kind, or the API server
// refuses the object (pkg/apis/networking/validation): an Ingress's ingressClassName (a DNS-1123
// subdomain, like every IngressClass name), its backend Service names (DNS-1035 labels, like every
// Service name) and its TLS secretName (a DNS-1123 subdomain, like every Secret name; empty means
// "none"). A reference that only differs by case gets a quick fix to the lowercase name.

import type { ScalarNode } from '../syntax/ast';
import { ingressModel } from '../model/ingress';
import type { QuickFix, Rule, RuleContext } from './types';
import { dns1035Label, dns1123Subdomain } from './k8s-values';

const NAME_RULES = {
  IngressClass: dns1123Subdomain,
  Service: dns1035Label,
  Secret: dns1123Subdomain,
} as const;

/** True when no object of this kind can ever have this name (this rule reports it): the rules that
 * say such a reference is "not defined" stay silent on it, so it gets one finding, not two. */
export function impossibleName(kind: keyof typeof NAME_RULES, name: string | undefined): boolean {
  return typeof name === 'string' && name !== '' && NAME_RULES[kind](name) !== undefined;
}

function check(
  ctx: RuleContext,
  node: ScalarNode | undefined,
  what: string,
  kind: string,
  rule: (v: string) => string | undefined,
  ruleName: string,
): void {
  if (!node || typeof node.value !== 'string') return;
  const v = node.value;
  const problem = rule(v);
  if (!problem) return;
  const lower = v.toLowerCase();
  const fixes = (): QuickFix[] =>
    lower !== v && !rule(lower)
      ? [
          {
            title: `Change to "${lower}"`,
            edits: [{ start: node.start, end: node.end, newText: lower }],
            preferred: true,
          },
        ]
      : [];
  ctx.report(
    node,
    `${what} "${v}" can never name ${/^[AEIOU]/.test(kind) ? 'an' : 'a'} ${kind}: ${kind} names are ${ruleName}, and this ${problem}; the API server rejects the ${ctx.resource.kind}`,
    { fixes },
  );
}

export const rule: Rule = {
  id: 'reference-name-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['Ingress'],
  description:
    'A reference to another object by a name that object could never have (ingressClassName, backend Service name, TLS secretName not valid DNS names): the API server rejects the resource.',
  check(ctx) {
    const m = ingressModel(ctx.resource);
    check(ctx, m.className, 'ingressClassName', 'IngressClass', dns1123Subdomain, 'DNS-1123 subdomains');
    const backends = [m.defaultBackend, ...m.rules.flatMap((r) => r.paths.map((p) => p.backend))];
    for (const b of backends)
      check(
        ctx,
        b?.serviceName,
        m.legacy ? 'serviceName' : 'Service name',
        'Service',
        dns1035Label,
        'DNS-1035 labels',
      );
    for (const t of m.tls) {
      if (t.secretName?.value === '') continue; // no Secret: the controller's default certificate
      check(ctx, t.secretName, 'secretName', 'Secret', dns1123Subdomain, 'DNS-1123 subdomains');
    }
  },
};
