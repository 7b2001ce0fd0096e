// A Service targetPort that the selected pods do not expose, or with another protocol. The route
// graph (engine/route/graph.ts) finds and words it; this rule reports it on the targetPort (or the
// port, when targetPort is left out).

import { asScalar, asSeq, getIn, getValue } from '../syntax/ast';
import type { Rule } from './types';
import { reportGraphProblems } from './route-graph-view';

export const rule: Rule = {
  id: 'service-target-port',
  scope: 'cross-file',
  defaultSeverity: 'error',
  kinds: ['Service'],
  description:
    'A named targetPort that the selected pods (in the workspace) do not declare, or declare for another protocol (error: it resolves to nothing, the Service gets no endpoints); a numeric targetPort no selected container declares, or declares for another protocol (information: the process may listen anyway).',
  check(ctx) {
    for (const p of asSeq(getIn(ctx.resource.node, ['spec', 'ports']))?.items ?? []) {
      const anchor = asScalar(getValue(p, 'targetPort')) ?? asScalar(getValue(p, 'port'));
      if (anchor) reportGraphProblems(ctx, 'service-target-port', anchor);
    }
  },
};
