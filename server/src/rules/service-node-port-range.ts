// nodePort outside the default range: accepted only on clusters configured for it.

import { asScalar, asSeq, getIn, getValue } from '../syntax/ast';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'service-node-port-range',
  scope: 'file',
  defaultSeverity: 'warning',
  kinds: ['Service'],
  description: 'A nodePort outside the default NodePort range 30000-32767 (rejected unless the cluster sets --service-node-port-range).',
  check(ctx) {
    for (const p of asSeq(getIn(ctx.resource.node, ['spec', 'ports']))?.items ?? []) {
      const n = asScalar(getValue(p, 'nodePort'));
      if (!n || typeof n.value !== 'number' || n.value === 0) continue;
      if (n.value < 30000 || n.value > 32767) {
        ctx.report(n, `nodePort ${n.value} is outside the default NodePort range 30000-32767; the API server rejects it unless the cluster's --service-node-port-range includes it`);
      }
    }
  },
};
