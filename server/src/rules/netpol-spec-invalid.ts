// NetworkPolicy spec rules of the API server's validation (ValidateNetworkPolicySpec and
// ValidateNetworkPolicyPeer in pkg/apis/networking/validation): a peer must name exactly one kind of
// peer when it has an ipBlock, must name at least one, and policyTypes holds at most two entries.
// Port, CIDR and selector values have their own rules (netpol-end-port, port-invalid, cidr-invalid,
// selector-expression-invalid, label-invalid).

import { asMap, asSeq, getPair, getValue, isNullish } from '../syntax/ast';
import type { MapNode } from '../syntax/ast';
import type { Rule, RuleContext } from './types';
import { isK8sNetworkPolicy } from '../model/policy-kinds';

const PEER_FIELDS = ['podSelector', 'namespaceSelector', 'ipBlock'] as const;

function checkPeer(ctx: RuleContext, peer: MapNode, dir: 'from' | 'to'): void {
  // a field the API does not know is the schema rule's to explain (dropped without strict validation)
  if (
    peer.pairs.some((p) => p.keyText === undefined || !(PEER_FIELDS as readonly string[]).includes(p.keyText))
  )
    return;
  const set = PEER_FIELDS.filter((f) => !isNullish(getValue(peer, f)));
  if (set.length === 0) {
    ctx.report(
      peer,
      `This "${dir}" peer names nothing: the API server rejects a peer without podSelector, namespaceSelector or ipBlock ("must specify a peer"). Give one of them, or remove the peer (to match every source, remove "${dir}" instead)`,
    );
    return;
  }
  if (set.length > 1 && set.includes('ipBlock')) {
    const others = set.filter((f) => f !== 'ipBlock').join(' and ');
    ctx.report(
      getPair(peer, 'ipBlock')!.key,
      `A peer with an ipBlock cannot also have ${others}: the API server rejects it ("may not specify both ipBlock and another peer"). Make them two peers (two list items), which allows traffic matching either`,
    );
  }
}

export const rule: Rule = {
  id: 'netpol-spec-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['NetworkPolicy'],
  applies: isK8sNetworkPolicy,
  description:
    'A NetworkPolicy the API server rejects: a peer that names nothing, an ipBlock in the same peer as a selector, more than two policyTypes.',
  check(ctx) {
    const spec = asMap(getValue(ctx.resource.node, 'spec'));
    if (!spec) return;
    for (const [dir, peers] of [
      ['ingress', 'from'],
      ['egress', 'to'],
    ] as const) {
      for (const ruleNode of asSeq(getValue(spec, dir))?.items ?? []) {
        for (const peer of asSeq(getValue(ruleNode, peers))?.items ?? []) {
          const m = asMap(peer);
          if (m) checkPeer(ctx, m, peers);
        }
      }
    }
    const typesPair = getPair(spec, 'policyTypes');
    const types = asSeq(typesPair?.value);
    if (typesPair && types && types.items.length > 2)
      ctx.report(
        typesPair.key,
        `policyTypes lists ${types.items.length} entries: the API server accepts at most two ("may not specify more than two policyTypes"). List each of Ingress and Egress once`,
      );
  },
};
