// Listener names are unique within a Gateway (and within a ListenerSet): the CRD's CEL rule
// `self.all(l1, self.exists_one(l2, l1.name == l2.name))`, and a route's sectionName names one.

import type { Rule } from './types';
import { isGatewayApi, mapsAt, scalar } from './gateway-ast';

export const rule: Rule = {
  id: 'listener-name-duplicate',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['Gateway', 'ListenerSet'],
  description:
    "Two listeners of one Gateway (or ListenerSet) have the same name: the API server rejects the resource (a route's sectionName must name exactly one listener).",
  check(ctx) {
    if (!isGatewayApi(ctx.resource)) return;
    const first = new Map<string, number>();
    mapsAt(ctx.resource.node, 'spec.listeners[]').forEach(({ node }, i) => {
      const name = scalar(node, 'name');
      if (!name) return;
      const v = String(name.value);
      const prev = first.get(v);
      if (prev === undefined) first.set(v, i);
      else
        ctx.report(
          name,
          `Listener name "${v}" is already used by listener ${prev + 1} of this ${ctx.resource.kind}: listener names must be unique`,
        );
    });
  },
};
