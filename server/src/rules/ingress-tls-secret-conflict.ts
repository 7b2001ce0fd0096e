// One host, two certificates: two Ingresses of the same class list the same host in their tls
// entries with Secrets that hold different certificates. The route graph (engine/route/tls-facts.ts)
// finds and words it, with the other Ingress as related information; this rule reports it on the host.

import { ingressModel } from '../model/ingress';
import type { Rule } from './types';
import { reportGraphProblems } from './route-graph-view';

export const rule: Rule = {
  id: 'ingress-tls-secret-conflict',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['Ingress'],
  description:
    'Two Ingresses of the same class give one host TLS Secrets that hold different certificates: the controller serves one certificate per host, so one is ignored (information when the Ingresses are in different files).',
  check(ctx) {
    for (const t of ingressModel(ctx.resource).tls)
      for (const host of t.hosts) reportGraphProblems(ctx, 'ingress-tls-secret-conflict', host);
  },
};
