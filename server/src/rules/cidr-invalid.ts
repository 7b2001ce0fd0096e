// CIDR syntax in NetworkPolicy ipBlocks and Service loadBalancerSourceRanges; except inside cidr.

import type { ScalarNode } from '../syntax/ast';
import { asMap, asScalar, asSeq, getIn, getValue, stringValue } from '../syntax/ast';
import type { Rule, RuleContext } from './types';
import { cidrStrictlyInside, parseCidr } from './k8s-values';
import type { ParsedCidr } from './k8s-values';
import { isK8sNetworkPolicy } from '../model/policy-kinds';

function parse(ctx: RuleContext, node: ScalarNode | undefined, what: string): ParsedCidr | undefined {
  if (!node) return undefined;
  const v = stringValue(node);
  if (v === undefined) return undefined;
  const c = parseCidr(v);
  if (typeof c === 'string') {
    ctx.report(node, `${what} "${v}" is not a valid CIDR: ${c}`);
    return undefined;
  }
  return c;
}

export const rule: Rule = {
  id: 'cidr-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['NetworkPolicy', 'Service'],
  applies: (r) => r.kind === 'Service' || isK8sNetworkPolicy(r),
  description: 'A CIDR that does not parse, or an ipBlock.except range that is not strictly inside its cidr.',
  check(ctx) {
    const r = ctx.resource;
    if (r.kind === 'Service') {
      for (const n of asSeq(getIn(r.node, ['spec', 'loadBalancerSourceRanges']))?.items ?? [])
        parse(ctx, asScalar(n), 'loadBalancerSourceRanges entry');
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
