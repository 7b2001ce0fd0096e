// gatewayClassName naming a GatewayClass that the workspace does not define, while it defines others
// (GatewayClasses usually come with the controller's installation, so a workspace without any says
// nothing).

import { asScalar, getIn } from '../syntax/ast';
import type { Rule } from './types';
import { isGatewayApi } from './gateway-ast';
import { gatewayView } from './gateway-graph-view';
import { closest } from '../engine/edit-distance';

export const rule: Rule = {
  id: 'gateway-class-unknown',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['Gateway'],
  description:
    'gatewayClassName names a GatewayClass that the workspace does not define, while it defines others: no controller takes the Gateway.',
  check(ctx) {
    if (!isGatewayApi(ctx.resource)) return;
    const node = asScalar(getIn(ctx.resource.node, ['spec', 'gatewayClassName']));
    const name = node && typeof node.value === 'string' ? node.value : undefined;
    if (!node || !name) return;
    const classes = [...new Set((gatewayView(ctx).cluster.gatewayClasses ?? []).map((c) => c.name))];
    if (classes.length === 0 || classes.includes(name)) return;
    const suggestion = closest(name, classes);
    ctx.report(
      node,
      `GatewayClass "${name}" is not defined in this workspace (defined: ${classes.join(', ')}): no controller would program this Gateway` +
        (suggestion ? `; did you mean "${suggestion}"?` : ''),
      {
        fixes:
          suggestion && node.style === 'plain'
            ? () => [
                {
                  title: `Change to "${suggestion}"`,
                  edits: [{ start: node.start, end: node.end, newText: suggestion }],
                  preferred: true,
                },
              ]
            : undefined,
      },
    );
  },
};
