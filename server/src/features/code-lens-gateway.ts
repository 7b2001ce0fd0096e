// CodeLens over Gateway API resources, read from the engine's Gateway graph:
//   Gateway: "3 routes attached · 1 refused" (the routes, attached or refused, as its locations)
//   route:   "attached to infra/shared (https) · refused by infra/shared (http)" (the listeners)

import type { Resource } from '../model/resource';
import type { ResourceIndex } from '../workspace/index';
import { buildCluster } from '../model/cluster';
import { gatewayGraph } from '../engine/gateway';
import { clusterMemo } from '../engine/cluster-index';
import type { SourceRef } from '../engine/types';
import type { RouteInfo } from '../engine/gateway';
import { plural, uniqueRefs } from './resource-refs';

export interface GatewayLens {
  title: string;
  locations: SourceRef[];
}

const ROUTES = new Set(['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute']);

export function gatewayLens(uri: string, r: Resource, index: ResourceIndex): GatewayLens | undefined {
  if (!r.apiVersion.startsWith('gateway.networking.k8s.io/') || !index.isPrimary(uri, r)) return undefined;
  const at = r.doc.base + (r.nameNode ?? r.kindNode).start;
  const same = (s: SourceRef | undefined) => !!s && s.uri === uri && s.start === at;
  const graph = gatewayGraph(buildCluster(index));
  if (r.kind === 'Gateway') {
    const st = graph.gateways.find((g) => same(g.gateway.source));
    if (!st) return undefined;
    const attached = new Set<RouteInfo>();
    const refused = new Set<RouteInfo>();
    for (const l of st.listeners) {
      for (const a of l.attached) attached.add(a.route);
      for (const a of l.refused) refused.add(a.route);
    }
    // a route refused by one listener but attached to another counts as attached
    for (const a of attached) refused.delete(a);
    return {
      title: `${plural(attached.size, 'route')} attached${refused.size ? ` · ${refused.size} refused` : ''}`,
      locations: uniqueRefs([...attached, ...refused].map((x) => x.source)),
    };
  }
  if (ROUTES.has(r.kind)) {
    const st = graph.routes.find((s) => same(s.route.source));
    if (!st || st.parents.length === 0) return undefined;
    const on = new Set<string>();
    const off = new Set<string>();
    const locations: (SourceRef | undefined)[] = [];
    for (const p of st.parents) {
      const owner = p.listenerSet ?? p.gateway;
      const name = owner
        ? `${owner.id.namespace}/${owner.id.name}`
        : `${p.parentRef.namespace}/${p.parentRef.name}`;
      if (!owner) off.add(`${name} (not found)`);
      for (const v of p.listeners) {
        (v.accepted ? on : off).add(`${name} (${v.listener.listener.name})`);
        locations.push(v.listener.listener.source);
      }
      if (owner && p.listeners.length === 0 && !p.accepted) off.add(name);
    }
    const parts = [];
    if (on.size) parts.push(`attached to ${[...on].join(', ')}`);
    if (off.size) parts.push(`refused by ${[...off].join(', ')}`);
    return { title: parts.join(' · ') || 'attached to no listener', locations: uniqueRefs(locations) };
  }
  return undefined;
}

/** The Gateway API routes (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute) whose backendRefs (or
 * mirror filters) name a Service, with those backendRefs, by "namespace/name" of the Service; built
 * once per cluster. */
export function gatewayRoutesToService(
  index: ResourceIndex,
  namespace: string,
  name: string,
): { routes: RouteInfo[]; refs: SourceRef[] } {
  const cluster = buildCluster(index);
  const byService = clusterMemo(cluster, 'gateway-routes-by-service', () => {
    const m = new Map<string, { routes: RouteInfo[]; refs: SourceRef[] }>();
    for (const st of gatewayGraph(cluster).routes) {
      for (const b of st.backends.keys()) {
        if (b.kind !== 'Service' || (b.group !== '' && b.group !== 'core')) continue;
        const key = `${b.namespace}/${b.name}`;
        let e = m.get(key);
        if (!e) m.set(key, (e = { routes: [], refs: [] }));
        if (!e.routes.includes(st.route)) e.routes.push(st.route);
        if (b.nameSource) e.refs.push(b.nameSource);
      }
    }
    return m;
  });
  return byService.get(`${namespace}/${name}`) ?? { routes: [], refs: [] };
}
