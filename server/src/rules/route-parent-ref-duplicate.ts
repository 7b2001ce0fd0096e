// Two parentRefs of a route to the same parent, as the standard-channel CEL rules of every route kind
// check them: when a route names the same parent (group, kind, namespace and name, with the defaults
// gateway.networking.k8s.io, Gateway and the route's own namespace) more than once, every one of those
// references gives a sectionName, and no two give the same one.

import type { MapNode } from '../syntax/ast';
import type { Rule } from './types';
import { GATEWAY_GROUP, isGatewayApi, itemAnchor, mapsAt, ROUTE_KINDS, scalar, text } from './gateway-ast';

function parentKey(ref: MapNode): string {
  return [text(ref, 'group') ?? GATEWAY_GROUP, text(ref, 'kind') ?? 'Gateway', text(ref, 'namespace') ?? '', text(ref, 'name') ?? ''].join('|');
}

export const rule: Rule = {
  id: 'route-parent-ref-duplicate',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ROUTE_KINDS,
  description: 'A route names the same parent Gateway twice without telling the references apart by sectionName (or with the same sectionName): the API server rejects it.',
  check(ctx) {
    if (!isGatewayApi(ctx.resource)) return;
    const refs = mapsAt(ctx.resource.node, 'spec.parentRefs[]').map((l) => l.node);
    const groups = new Map<string, MapNode[]>();
    for (const ref of refs) {
      const k = parentKey(ref);
      const list = groups.get(k) ?? [];
      list.push(ref);
      groups.set(k, list);
    }
    for (const list of groups.values()) {
      if (list.length < 2) continue;
      const name = text(list[0], 'name') ?? '';
      const withSection = list.filter((r) => (text(r, 'sectionName') ?? '') !== '');
      if (withSection.length !== list.length) {
        for (const r of list.slice(1)) {
          ctx.report(scalar(r, 'name') ?? itemAnchor(r), `parentRefs name "${name}" ${list.length} times: when a route references the same parent more than once, each reference must give a sectionName (the listener it attaches to)`);
        }
        continue;
      }
      const seen = new Set<string>();
      for (const r of list) {
        const s = text(r, 'sectionName')!;
        if (seen.has(s)) ctx.report(scalar(r, 'sectionName')!, `parentRefs name "${name}" with sectionName "${s}" twice: each reference to the same parent must name a different listener`);
        seen.add(s);
      }
    }
  },
};
