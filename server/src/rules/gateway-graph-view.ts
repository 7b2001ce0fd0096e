// The cross-resource Gateway API rules are views of the engine's Gateway graph (engine/gateway/graph.ts):
// attachment of routes to listeners with a reason for each refusal, backendRefs resolved with
// ReferenceGrants, listener certificate references. The engine decides and words the fact; a rule
// finds the state of the resource it checks and reports at the right characters.

import type { Span } from '../syntax/ast';
import type { SourceRef } from '../engine/types';
import { buildCluster } from '../model/cluster';
import { backendTlsGraph, gatewayGraph } from '../engine/gateway';
import { isGatewayApi } from './gateway-ast';
import { clusterMemo } from '../engine/cluster-index';
import type { GatewayGraph, GatewayState, ListenerSetState, RouteState } from '../engine/gateway';
import type { Cluster } from '../engine/types';
import type { CrossFileRuleContext } from './types';

export interface GatewayView {
  cluster: Cluster;
  graph: GatewayGraph;
}

export function gatewayView(ctx: CrossFileRuleContext): GatewayView {
  const cluster = buildCluster(ctx.index);
  return { cluster, graph: gatewayGraph(cluster) };
}

/** Is this source inside the resource being checked (same file, same document)? */
function ofResource(ctx: CrossFileRuleContext, src: SourceRef | undefined): boolean {
  if (!src || src.uri !== ctx.uri) return false;
  const base = ctx.resource.doc.base;
  return src.start >= base + ctx.resource.node.start && src.end <= base + ctx.resource.node.end;
}

/** A source (file offsets) as a span of the checked resource's document. */
export function spanOf(ctx: CrossFileRuleContext, src: SourceRef): Span {
  const base = ctx.resource.doc.base;
  return { start: src.start - base, end: src.end - base };
}

/** The state of the route being checked (undefined for a second copy of a duplicated route: the
 * cluster holds the first one). */
export function routeStateOf(ctx: CrossFileRuleContext, view = gatewayView(ctx)): RouteState | undefined {
  if (!ctx.index.isPrimary(ctx.uri, ctx.resource)) return undefined;
  return inFile(view, 'routes', ctx.uri).find(
    (s) => s.route.id.kind === ctx.resource.kind && ofResource(ctx, s.route.source),
  );
}

export function gatewayStateOf(ctx: CrossFileRuleContext, view = gatewayView(ctx)): GatewayState | undefined {
  if (!ctx.index.isPrimary(ctx.uri, ctx.resource)) return undefined;
  return inFile(view, 'gateways', ctx.uri).find((s) => ofResource(ctx, s.gateway.source));
}

export function listenerSetStateOf(
  ctx: CrossFileRuleContext,
  view = gatewayView(ctx),
): ListenerSetState | undefined {
  if (!ctx.index.isPrimary(ctx.uri, ctx.resource)) return undefined;
  return inFile(view, 'listenerSets', ctx.uri).find((s) => ofResource(ctx, s.listenerSet.source));
}

/** The graph's routes (or Gateways) defined in one file, bucketed once per cluster revision: each
 * resource's check looks through its own file's states instead of every state of the workspace. */
function inFile<K extends 'routes' | 'gateways' | 'listenerSets'>(
  view: GatewayView,
  part: K,
  uri: string,
): GatewayGraph[K] {
  const byUri = clusterMemo(view.cluster, `gateway-graph-${part}-by-uri`, () => {
    const m = new Map<string, GatewayGraph[K][number][]>();
    for (const s of view.graph[part] as GatewayGraph[K][number][]) {
      const src =
        'route' in s ? s.route.source : 'listenerSet' in s ? s.listenerSet.source : s.gateway.source;
      if (!src) continue;
      const list = m.get(src.uri);
      if (list) list.push(s);
      else m.set(src.uri, [s]);
    }
    return m;
  });
  return (byUri.get(uri) ?? []) as GatewayGraph[K];
}

type BackendTlsState = ReturnType<typeof backendTlsGraph>['policies'][number];

/** The state of the BackendTLSPolicy being checked (undefined for a second copy of a duplicated one,
 * or a resource outside the Gateway API group), with the view it was read from. */
export function backendTlsStateOf(
  ctx: CrossFileRuleContext,
): { state: BackendTlsState; view: GatewayView } | undefined {
  const r = ctx.resource;
  if (!isGatewayApi(r) || !ctx.index.isPrimary(ctx.uri, r)) return undefined;
  const view = gatewayView(ctx);
  const at = r.doc.base + (r.nameNode ?? r.kindNode).start;
  const state = backendTlsGraph(view.cluster).policies.find(
    (p) => p.policy.source?.uri === ctx.uri && p.policy.source.start === at,
  );
  return state ? { state, view } : undefined;
}
