// Two parentRefs of a route to the same parent, as the standard-channel CEL rules of every route kind
// check them: when a route names the same parent (group, kind, namespace and name, with the defaults
// gateway.networking.k8s.io, Gateway and the route's own namespace) more than once, every one of those
// references gives a sectionName, and no two give the same one. Quick fix (why the rule reads the
// index): a sectionName naming a listener of that Gateway that no other reference names.

import type { MapNode } from '../syntax/ast';
import type { CrossFileRuleContext, QuickFix, Rule } from './types';
import { GATEWAY_GROUP, isGatewayApi, itemAnchor, mapsAt, ROUTE_KINDS, scalar, text } from './gateway-ast';
import { buildCluster } from '../model/cluster';

/** Quick fixes giving a parentRef the sectionName of each listener of its Gateway (when the workspace
 * defines it) that no other reference to that Gateway names yet. */
function sectionFixes(ctx: CrossFileRuleContext, ref: MapNode, siblings: MapNode[]): QuickFix[] {
  if (ref.flow || (text(ref, 'kind') ?? 'Gateway') !== 'Gateway') return [];
  const ns = text(ref, 'namespace') ?? ctx.index.namespaceOf(ctx.resource);
  const gw = (buildCluster(ctx.index).gateways ?? []).find(
    (g) => g.id.namespace === ns && g.id.name === text(ref, 'name'),
  );
  if (!gw) return [];
  const taken = new Set(siblings.map((s) => text(s, 'sectionName')).filter(Boolean));
  const nameNode = scalar(ref, 'name');
  if (!nameNode) return [];
  const src = ctx.resource.doc.text;
  const first = ref.pairs[0].key;
  const indent = ' '.repeat(first.start - (src.lastIndexOf('\n', first.start - 1) + 1));
  const lineEnd = src.indexOf('\n', nameNode.end);
  const at = lineEnd < 0 ? src.length : lineEnd;
  const free = gw.listeners.map((l) => l.name).filter((n) => !taken.has(n));
  return free.map((n) => ({
    title: `Add sectionName: ${n}`,
    edits: [{ start: at, end: at, newText: `\n${indent}sectionName: ${n}` }],
    preferred: free.length === 1,
  }));
}

function parentKey(ref: MapNode): string {
  return [
    text(ref, 'group') ?? GATEWAY_GROUP,
    text(ref, 'kind') ?? 'Gateway',
    text(ref, 'namespace') ?? '',
    text(ref, 'name') ?? '',
  ].join('|');
}

export const rule: Rule = {
  id: 'route-parent-ref-duplicate',
  scope: 'cross-file',
  defaultSeverity: 'error',
  kinds: ROUTE_KINDS,
  description:
    'A route names the same parent Gateway twice without telling the references apart by sectionName (or with the same sectionName): the API server rejects it.',
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
          const fixes = () => (text(r, 'sectionName') ? [] : sectionFixes(ctx, r, list));
          ctx.report(
            scalar(r, 'name') ?? itemAnchor(r),
            `parentRefs name "${name}" ${list.length} times: when a route references the same parent more than once, each reference must give a sectionName (the listener it attaches to)`,
            { fixes },
          );
        }
        continue;
      }
      const seen = new Set<string>();
      for (const r of list) {
        const s = text(r, 'sectionName')!;
        if (seen.has(s))
          ctx.report(
            scalar(r, 'sectionName')!,
            `parentRefs name "${name}" with sectionName "${s}" twice: each reference to the same parent must name a different listener`,
          );
        seen.add(s);
      }
    }
  },
};
