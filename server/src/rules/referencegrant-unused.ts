// A ReferenceGrant that permits nothing that exists in the workspace: for each from/to pair, either no
// object of the `from` kind lives in the `from` namespace, or no object of the `to` kind (and name)
// lives in the grant's namespace. Information: the objects may be applied from elsewhere, but more
// often the grant names the wrong namespace or kind (a grant lives in the namespace of the target).

import type { Rule } from './types';
import { isGatewayApi } from './gateway-ast';
import { gatewayView } from './gateway-graph-view';
import type { Cluster } from '../engine/types';

function fromExists(c: Cluster, group: string, kind: string, ns: string): boolean {
  if (group !== 'gateway.networking.k8s.io') return false;
  if (kind === 'Gateway') return (c.gateways ?? []).some((g) => g.id.namespace === ns);
  if (kind === 'ListenerSet') return (c.listenerSets ?? []).some((g) => g.id.namespace === ns);
  return (c.gatewayRoutes ?? []).some((r) => r.id.kind === kind && r.id.namespace === ns);
}

function toExists(c: Cluster, group: string, kind: string, ns: string, name: string | undefined): boolean {
  if (group !== '' && group !== 'core') return true; // other groups: not ours to judge
  const list = kind === 'Service' ? c.services : kind === 'Secret' ? c.secrets : undefined;
  if (!list) return true;
  return list.some((o) => o.id.namespace === ns && (name === undefined || name === '' || o.id.name === name));
}

export const rule: Rule = {
  id: 'referencegrant-unused',
  scope: 'cross-file',
  defaultSeverity: 'information',
  kinds: ['ReferenceGrant'],
  description:
    'A ReferenceGrant that permits nothing that exists in the workspace: no object of its `from` kind in the `from` namespace, or no `to` object in its own namespace.',
  check(ctx) {
    const r = ctx.resource;
    if (!isGatewayApi(r) || !ctx.index.isPrimary(ctx.uri, r)) return;
    const { cluster } = gatewayView(ctx);
    const grant = (cluster.referenceGrants ?? []).find(
      (g) => g.source?.uri === ctx.uri && g.source.start === r.doc.base + (r.nameNode ?? r.kindNode).start,
    );
    if (!grant || grant.from.length === 0 || grant.to.length === 0) return;
    const ns = grant.id.namespace;
    const froms = grant.from.filter((f) => fromExists(cluster, f.group, f.kind, f.namespace));
    const tos = grant.to.filter((t) => toExists(cluster, t.group, t.kind, ns, t.name));
    if (froms.length > 0 && tos.length > 0) return;
    const why =
      froms.length === 0
        ? `no ${grant.from.map((f) => `${f.kind} in namespace "${f.namespace}"`).join(' or ')} is defined in this workspace`
        : `no ${grant.to.map((t) => `${t.kind}${t.name ? ` "${t.name}"` : ''}`).join(' or ')} is defined in namespace "${ns}" (a ReferenceGrant lives in the namespace of the objects it opens up)`;
    ctx.report(
      r.nameNode ?? r.kindNode,
      `ReferenceGrant "${r.name ?? ''}" permits nothing that exists here: ${why}`,
    );
  },
};
