// List sizes the Gateway API CRDs bound (maxItems / minItems of the standard channel), and the CEL
// rule of HTTPRoute and GRPCRoute that caps the matches of all rules together at 128.

import type { Rule } from './types';
import { isGatewayApi, itemAnchor, keyNode, nodesAt, pathText } from './gateway-ast';
import { asSeq } from '../syntax/ast';

interface Bound {
  path: string;
  min?: number;
  max: number;
}

const LISTENERS: Bound[] = [
  { path: 'spec.listeners', min: 1, max: 64 },
  { path: 'spec.listeners[].allowedRoutes.kinds', max: 8 },
  { path: 'spec.listeners[].tls.certificateRefs', max: 64 },
];
const PARENTS: Bound = { path: 'spec.parentRefs', max: 32 };
const ONE_RULE: Bound[] = [
  PARENTS,
  { path: 'spec.rules', min: 1, max: 1 },
  { path: 'spec.rules[].backendRefs', min: 1, max: 16 },
];
const HEADER_MODIFIERS = ['requestHeaderModifier', 'responseHeaderModifier'].flatMap((m) =>
  ['add', 'set', 'remove'].flatMap((l) => [
    { path: `spec.rules[].filters[].${m}.${l}`, max: 16 },
    { path: `spec.rules[].backendRefs[].filters[].${m}.${l}`, max: 16 },
  ]),
);

const BOUNDS: Record<string, Bound[]> = {
  Gateway: [{ path: 'spec.addresses', max: 16 }, ...LISTENERS],
  ListenerSet: LISTENERS,
  HTTPRoute: [
    PARENTS,
    { path: 'spec.hostnames', max: 16 },
    { path: 'spec.rules', min: 1, max: 16 },
    { path: 'spec.rules[].matches', max: 64 },
    { path: 'spec.rules[].matches[].headers', max: 16 },
    { path: 'spec.rules[].matches[].queryParams', max: 16 },
    { path: 'spec.rules[].filters', max: 16 },
    { path: 'spec.rules[].backendRefs', max: 16 },
    { path: 'spec.rules[].backendRefs[].filters', max: 16 },
    ...HEADER_MODIFIERS,
  ],
  GRPCRoute: [
    PARENTS,
    { path: 'spec.hostnames', max: 16 },
    { path: 'spec.rules', max: 16 },
    { path: 'spec.rules[].matches', max: 64 },
    { path: 'spec.rules[].matches[].headers', max: 16 },
    { path: 'spec.rules[].filters', max: 16 },
    { path: 'spec.rules[].backendRefs', max: 16 },
    { path: 'spec.rules[].backendRefs[].filters', max: 16 },
    ...HEADER_MODIFIERS,
  ],
  TLSRoute: [...ONE_RULE, { path: 'spec.hostnames', min: 1, max: 1024 }],
  TCPRoute: ONE_RULE,
  UDPRoute: ONE_RULE,
  ReferenceGrant: [
    { path: 'spec.from', min: 1, max: 16 },
    { path: 'spec.to', min: 1, max: 16 },
  ],
  BackendTLSPolicy: [
    { path: 'spec.targetRefs', min: 1, max: 16 },
    { path: 'spec.validation.caCertificateRefs', max: 8 },
    { path: 'spec.validation.subjectAltNames', max: 5 },
  ],
};

/** All rules of a route together hold at most this many matches (a rule without matches counts 1). */
const MAX_TOTAL_MATCHES = 128;

export const rule: Rule = {
  id: 'gateway-limits-exceeded',
  scope: 'file',
  defaultSeverity: 'error',
  description:
    'A Gateway API list longer (or shorter) than its CRD allows: more than 64 listeners, 16 route rules, 64 matches per rule, 128 matches in all, 16 hostnames, 32 parentRefs, 16 backendRefs or filters, ... (TLS/TCP/UDP routes: exactly one rule).',
  check(ctx) {
    const r = ctx.resource;
    if (!isGatewayApi(r)) return;
    // TLSRoute, TCPRoute and UDPRoute of v1alpha2/v1alpha3 allowed up to 16 rules
    const legacyAlpha = /\/v1alpha[23]$/.test(r.apiVersion);
    for (const b of BOUNDS[r.kind] ?? []) {
      const dot = b.path.lastIndexOf('.');
      const parentPath = b.path.slice(0, dot);
      const key = b.path.slice(dot + 1);
      let max = b.max;
      let min = b.min;
      if (legacyAlpha && b.path === 'spec.rules') [min, max] = [1, 16];
      if (legacyAlpha && r.kind === 'TLSRoute' && b.path === 'spec.hostnames') [min, max] = [undefined, 16];
      for (const { node, path } of nodesAt(r.node, parentPath)) {
        const seq = asSeq(
          (node.type === 'map' && node.pairs.find((p) => p.keyText === key)?.value) || undefined,
        );
        if (!seq) continue;
        const n = seq.items.length;
        const where = pathText([...path, key]);
        if (n > max)
          ctx.report(
            itemAnchor(seq.items[max]),
            `${where} holds ${n} entries; at most ${max} ${max === 1 ? 'is' : 'are'} allowed`,
          );
        else if (min !== undefined && n < min)
          ctx.report(
            keyNode(node, key)!,
            `${where} must hold at least ${min} ${min === 1 ? 'entry' : 'entries'}${n === 0 ? ' (it is empty)' : ''}`,
          );
      }
    }
    if (r.kind === 'HTTPRoute' || r.kind === 'GRPCRoute') {
      const rules = nodesAt(r.node, 'spec.rules[]');
      let total = 0;
      for (const { node } of rules)
        total +=
          asSeq(node.type === 'map' ? node.pairs.find((p) => p.keyText === 'matches')?.value : undefined)
            ?.items.length ?? (r.kind === 'HTTPRoute' ? 1 : 0);
      if (total > MAX_TOTAL_MATCHES) {
        ctx.report(
          keyNode(nodesAt(r.node, 'spec')[0]?.node, 'rules')!,
          `The rules of this ${r.kind} hold ${total} matches together; at most ${MAX_TOTAL_MATCHES} are allowed in one route (split it into several routes)`,
        );
      }
    }
  },
};
