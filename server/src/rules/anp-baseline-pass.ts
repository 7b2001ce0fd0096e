// Pass in the baseline tier: Pass hands a connection to the next tier, and after the baseline there is
// only the default (allow). A baseline rule with Pass therefore allows what it matches — say Accept (or
// Deny) instead. BaselineAdminNetworkPolicy (v1alpha1) has no Pass at all: its schema rejects it.

import { asSeq, getIn, getValue, stringValue } from '../syntax/ast';
import { isAdminPolicy } from '../model/policy-kinds';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'anp-baseline-pass',
  scope: 'file',
  defaultSeverity: 'warning',
  kinds: ['ClusterNetworkPolicy', 'BaselineAdminNetworkPolicy'],
  description:
    'A Pass action in the baseline tier: nothing comes after the baseline but the default allow, so Pass there allows what it matches.',
  check(ctx) {
    const r = ctx.resource;
    if (!isAdminPolicy(r)) return;
    const baseline =
      r.kind === 'BaselineAdminNetworkPolicy' || stringValue(getIn(r.node, ['spec', 'tier'])) === 'Baseline';
    if (!baseline) return;
    for (const dir of ['ingress', 'egress']) {
      (asSeq(getIn(r.node, ['spec', dir]))?.items ?? []).forEach((rule, i) => {
        const action = getValue(rule, 'action');
        if (stringValue(action) !== 'Pass' || !action) return;
        const accept = r.kind === 'BaselineAdminNetworkPolicy' ? 'Allow' : 'Accept';
        ctx.report(
          action,
          `${dir}[${i}] passes in the baseline tier: only the default allow comes after it, so this rule allows what it matches${r.kind === 'BaselineAdminNetworkPolicy' ? ' (and BaselineAdminNetworkPolicy accepts only Allow and Deny)' : ''}; write ${accept} or Deny`,
          {
            fixes: () => [
              {
                title: `Change Pass to ${accept}`,
                edits: [{ start: action.start, end: action.end, newText: accept }],
                preferred: true,
              },
              {
                title: 'Change Pass to Deny',
                edits: [{ start: action.start, end: action.end, newText: 'Deny' }],
              },
            ],
          },
        );
      });
    }
  },
};
