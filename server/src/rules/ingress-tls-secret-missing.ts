// The Secret named by an Ingress tls entry must exist in the Ingress's namespace. The route graph
// (engine/route/graph.ts) finds and words it (cert-manager creating it is information); this rule
// reports it on secretName.

import { ingressModel } from '../model/ingress';
import type { Rule } from './types';
import { reportGraphProblems } from './route-graph-view';
import { impossibleName } from './reference-name-invalid';
import { stringValue } from '../syntax/ast';

export const rule: Rule = {
  id: 'ingress-tls-secret-missing',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['Ingress'],
  description:
    'An Ingress tls entry names a Secret that the workspace does not define in the Ingress namespace: the controller falls back to its default certificate.',
  check(ctx) {
    for (const t of ingressModel(ctx.resource).tls) {
      // a name no Secret can have: reference-name-invalid says so, once
      if (t.secretName && !impossibleName('Secret', stringValue(t.secretName)))
        reportGraphProblems(ctx, 'ingress-tls-secret-missing', t.secretName);
    }
  },
};
