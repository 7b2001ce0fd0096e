// A listener that the Gateway cannot accept because it is indistinct from another listener on the same
// port, across the Gateway and the ListenerSets attached to it (the engine's conflict computation,
// engine/gateway/conflicts.ts): a protocol conflict (TCP beside HTTP, HTTP beside HTTPS or TLS), or the
// same protocol family and hostname as a listener of another owner. Across owners the earlier listener
// wins (the Gateway's own first, then ListenerSets oldest first, then by namespace/name); within one
// Gateway or ListenerSet neither does. Two listeners of one owner with the same port, protocol and
// hostname are listener-conflict's (the CRD rejects them), not repeated here.

import type { AstNode, MapNode } from '../syntax/ast';
import { asScalar, getValue } from '../syntax/ast';
import type { Rule } from './types';
import { itemAnchor, mapsAt, text } from './gateway-ast';
import { isGatewayApi } from '../model/gateway';
import { gatewayStateOf, gatewayView, listenerSetStateOf } from './gateway-graph-view';
import type { ListenerState } from '../engine/gateway';
import { listenerConflicts } from '../engine/gateway';

export const rule: Rule = {
  id: 'listener-conflicted',
  scope: 'cross-file',
  defaultSeverity: 'error',
  kinds: ['Gateway', 'ListenerSet', 'XListenerSet'],
  description:
    'A listener that conflicts with another listener on its port across a Gateway and its ListenerSets (protocols that cannot share the port, or the same hostname): it is not accepted (Conflicted: ProtocolConflict or HostnameConflict).',
  check(ctx) {
    const r = ctx.resource;
    if (!isGatewayApi(r)) return;
    const view = gatewayView(ctx);
    let listeners: ListenerState[];
    if (r.kind === 'Gateway') {
      const st = gatewayStateOf(ctx, view);
      listeners = st?.listeners.filter((l) => !l.ref.listenerSet) ?? [];
    } else {
      listeners = listenerSetStateOf(ctx, view)?.listeners ?? [];
    }
    if (listeners.length === 0) return;
    const conflicts = listenerConflicts(view.cluster, listeners[0].ref.gateway);
    const nodes = new Map<string, MapNode>();
    for (const { node } of mapsAt(r.node, 'spec.listeners[]')) {
      const name = text(node, 'name');
      if (name !== undefined && !nodes.has(name)) nodes.set(name, node);
    }
    for (const l of listeners) {
      const c = conflicts.get(l.ref.key);
      if (!c) continue;
      if (c.sameOwner && c.reason === 'HostnameConflict') continue;
      const node = nodes.get(l.ref.listener.name);
      if (!node) continue;
      const anchor: AstNode =
        (c.reason === 'ProtocolConflict'
          ? asScalar(getValue(node, 'protocol'))
          : (asScalar(getValue(node, 'hostname')) ?? asScalar(getValue(node, 'port')))) ?? itemAnchor(node);
      const msg = c.message.charAt(0).toUpperCase() + c.message.slice(1);
      ctx.report(anchor, msg + (c.sameOwner ? '' : '; give it another port or hostname'));
    }
  },
};
