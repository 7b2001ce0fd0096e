// endPort: needs a numeric port, and must not be below it.

import { asScalar, asSeq, getIn, getValue } from '../syntax/ast';
import type { Rule } from './types';
import { isK8sNetworkPolicy } from '../model/policy-kinds';

export const rule: Rule = {
  id: 'netpol-end-port',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['NetworkPolicy'],
  applies: isK8sNetworkPolicy,
  description:
    'A NetworkPolicy port range whose endPort is below its port, or used with a named port or without a port.',
  check(ctx) {
    for (const dir of ['ingress', 'egress']) {
      for (const ruleNode of asSeq(getIn(ctx.resource.node, ['spec', dir]))?.items ?? []) {
        for (const p of asSeq(getValue(ruleNode, 'ports'))?.items ?? []) {
          const end = asScalar(getValue(p, 'endPort'));
          if (!end || typeof end.value !== 'number') continue;
          const portNode = asScalar(getValue(p, 'port'));
          const port = portNode?.value;
          if (port === undefined || port === null)
            ctx.report(end, 'endPort needs a numeric "port" to start the range');
          else if (typeof port === 'string')
            ctx.report(
              end,
              `endPort cannot be used with a named port ("${port}"): give the first port of the range as a number`,
            );
          else if (typeof port === 'number' && end.value < port)
            ctx.report(end, `endPort ${end.value} is below port ${port}: the range would be empty`);
        }
      }
    }
  },
};
