// nodePort outside the cluster's NodePort range: the API server refuses to allocate it, so the
// Service is not created. The range is the API server's --service-node-port-range (30000-32767 unless
// configured; setting kubeNetlens.nodePortRange, CLI --node-port-range). nodePort 0 means "not set"
// (one is allocated).

import { asScalar, asSeq, getIn, getValue } from '../syntax/ast';
import type { Rule } from './types';
import { DEFAULT_NODE_PORT_RANGE } from './types';

export const rule: Rule = {
  id: 'service-node-port-range',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['Service'],
  description:
    'A nodePort outside the NodePort range of the cluster (30000-32767 unless the API server sets --service-node-port-range; setting kubeNetlens.nodePortRange, CLI --node-port-range): the API server rejects the Service.',
  check(ctx) {
    const range = ctx.settings.nodePortRange ?? DEFAULT_NODE_PORT_RANGE;
    const isDefault = range.min === DEFAULT_NODE_PORT_RANGE.min && range.max === DEFAULT_NODE_PORT_RANGE.max;
    for (const p of asSeq(getIn(ctx.resource.node, ['spec', 'ports']))?.items ?? []) {
      const n = asScalar(getValue(p, 'nodePort'));
      if (!n || typeof n.value !== 'number' || n.value === 0) continue;
      if (n.value < range.min || n.value > range.max) {
        const where = isDefault
          ? `the default NodePort range ${range.min}-${range.max}: the API server rejects the Service (if the cluster sets another --service-node-port-range, give it in kubeNetlens.nodePortRange or --node-port-range)`
          : `the cluster's NodePort range ${range.min}-${range.max} (kubeNetlens.nodePortRange): the API server rejects the Service`;
        ctx.report(n, `nodePort ${n.value} is outside ${where}`);
      }
    }
  },
};
