// A rule with no host catches every host name: worth knowing, not wrong.

import { ingressModel } from '../model/ingress';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'ingress-rule-no-host',
  scope: 'file',
  defaultSeverity: 'hint',
  kinds: ['Ingress'],
  description: 'An Ingress rule without "host" matches requests for every host name.',
  check(ctx) {
    for (const r of ingressModel(ctx.resource).rules) {
      // (an empty host is no host: the API server validates a rule's host only when it is non-empty)
      if (r.host && r.host.value !== null && r.host.value !== '') continue;
      const first = r.node.pairs[0];
      const span = first ? { start: first.key.start, end: first.key.end } : r.node;
      ctx.report(span, 'This rule has no host, so it matches requests for every host name');
    }
  },
};
