// A ListenerSet its Gateway does not attach (ListenerSet Accepted=False): the Gateway's
// spec.allowedListeners does not admit it (NotAllowed; the default None admits none), or none of its
// listeners is valid (ListenersNotValid). A parent Gateway the workspace does not define is a warning
// when the workspace defines Gateways (a typo, or a missing file) and not said when it defines none.

import type { AstNode } from '../syntax/ast';
import { asScalar, getIn } from '../syntax/ast';
import type { Rule } from './types';
import { isGatewayApi } from '../model/gateway';
import { gatewayView, listenerSetStateOf } from './gateway-graph-view';
import { closest } from '../engine/edit-distance';

export const rule: Rule = {
  id: 'listenerset-not-accepted',
  scope: 'cross-file',
  defaultSeverity: 'error',
  kinds: ['ListenerSet', 'XListenerSet'],
  description:
    "A ListenerSet its Gateway does not attach: the Gateway's allowedListeners does not admit its namespace (by default no ListenerSet may attach), its parent Gateway is missing, or none of its listeners is valid.",
  check(ctx) {
    const r = ctx.resource;
    if (!isGatewayApi(r)) return;
    const view = gatewayView(ctx);
    const st = listenerSetStateOf(ctx, view);
    if (!st || st.accepted) return;
    const nameNode = asScalar(getIn(r.node, ['spec', 'parentRef', 'name']));
    const anchor: AstNode = nameNode ?? r.nameNode ?? r.kindNode;
    if (st.reason === 'ParentNotAccepted') {
      const gateways = view.cluster.gateways ?? [];
      if (gateways.length === 0) return;
      const p = st.listenerSet.parentRef;
      const ns = p.namespace ?? st.listenerSet.id.namespace;
      const suggestion =
        p.kind === 'Gateway'
          ? closest(
              p.name,
              gateways.filter((g) => g.id.namespace === ns).map((g) => g.id.name),
            )
          : undefined;
      ctx.report(
        anchor,
        `The ListenerSet is not attached: ${st.message}${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
        {
          severity: 'warning',
          fixes:
            suggestion && nameNode?.style === 'plain'
              ? () => [
                  {
                    title: `Change to "${suggestion}"`,
                    edits: [{ start: nameNode.start, end: nameNode.end, newText: suggestion }],
                    preferred: true,
                  },
                ]
              : undefined,
        },
      );
      return;
    }
    if (st.reason === 'NotAllowed') {
      ctx.report(
        anchor,
        `The ListenerSet is not attached (NotAllowed): ${st.message}. Its listeners serve nothing until the Gateway sets spec.allowedListeners.namespaces.from to Same, All or a Selector that admits namespace ${st.listenerSet.id.namespace}`,
      );
      return;
    }
    ctx.report(anchor, `The ListenerSet is not attached (ListenersNotValid): ${st.message}`);
  },
};
