// The Gateway API state of a cluster, computed once per Cluster object: every route's attachments
// (per parentRef, per listener, with reasons), every backendRef resolved, each listener's attached
// and refused routes, and the status conditions a controller would write (route Accepted /
// ResolvedRefs per parent, listener attachedRoutes / ResolvedRefs). Rules, hover, the preview and the
// CLI read these facts from here.

import type { Cluster } from '../types';
import { clusterMemo } from '../cluster-index';
import type { BackendRefInfo, GatewayInfo, RouteInfo } from './types';
import type { ListenerRef, ListenerVerdict, ParentAttachment } from './attach';
import { attachRoute, gatewayListeners, listenerKinds } from './attach';
import type { BackendResolution } from './refs';
import { findGrant, resolveBackendRef } from './refs';
import { GATEWAY_GROUP } from './types';

export interface Condition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
}

export interface RouteState {
  route: RouteInfo;
  parents: ParentAttachment[];
  /** Each backendRef of each rule (and of each mirror filter) and what it resolves to. */
  backends: Map<BackendRefInfo, BackendResolution>;
  /** ResolvedRefs: True, or False with the reason of the first invalid reference. */
  resolvedRefs: Condition;
}

export interface ListenerState {
  ref: ListenerRef;
  /** Routes accepted on this listener (a route counts once however many parentRefs select it). */
  attached: { route: RouteInfo; verdict: ListenerVerdict; attachment: ParentAttachment }[];
  /** Routes whose parentRef selected this listener and were refused by it. */
  refused: { route: RouteInfo; verdict: ListenerVerdict; attachment: ParentAttachment }[];
  /** The route kinds it admits, and the kinds allowedRoutes names that its protocol cannot carry. */
  supportedKinds: string[];
  invalidKinds: string[];
  conditions: Condition[];
}

export interface GatewayState {
  gateway: GatewayInfo;
  listeners: ListenerState[];
}

export interface GatewayGraph {
  routes: RouteState[];
  routeState: Map<RouteInfo, RouteState>;
  gateways: GatewayState[];
  gatewayState: Map<GatewayInfo, GatewayState>;
  /** Listener state by ListenerRef key ("namespace/owner/listener"). */
  listenerState: Map<string, ListenerState>;
}

export function gatewayGraph(cluster: Cluster): GatewayGraph {
  return clusterMemo(cluster, 'gateway-graph', () => buildGatewayGraph(cluster));
}

export function routeKey(r: RouteInfo): string {
  return `${r.id.namespace}/${r.id.name}`;
}

export function buildGatewayGraph(cluster: Cluster): GatewayGraph {
  const gateways: GatewayState[] = [];
  const gatewayState = new Map<GatewayInfo, GatewayState>();
  const listenerState = new Map<string, ListenerState>();
  for (const gw of cluster.gateways ?? []) {
    const listeners = gatewayListeners(cluster, gw).map((ref): ListenerState => {
      const { kinds, invalid } = listenerKinds(ref.listener);
      const invalidKinds = invalid.map((k) => k.kind);
      const conditions = listenerConditions(cluster, ref, invalidKinds, kinds.length);
      const state: ListenerState = { ref, attached: [], refused: [], supportedKinds: kinds.map((k) => k.kind), invalidKinds, conditions };
      listenerState.set(ref.key, state);
      return state;
    });
    const st = { gateway: gw, listeners };
    gateways.push(st);
    gatewayState.set(gw, st);
  }

  const routes: RouteState[] = [];
  const routeState = new Map<RouteInfo, RouteState>();
  for (const route of cluster.gatewayRoutes ?? []) {
    const parents = attachRoute(cluster, route);
    for (const p of parents) {
      for (const v of p.listeners) {
        const ls = listenerState.get(v.listener.key);
        if (!ls) continue;
        const list = v.accepted ? ls.attached : ls.refused;
        if (!list.some((x) => x.route === route)) list.push({ route, verdict: v, attachment: p });
      }
    }
    const backends = new Map<BackendRefInfo, BackendResolution>();
    for (const rule of route.rules) {
      const refs = [...rule.backendRefs];
      for (const f of [...rule.filters, ...rule.backendRefs.flatMap((b) => b.filters)]) if (f.requestMirror) refs.push(f.requestMirror.backendRef);
      for (const b of refs) backends.set(b, resolveBackendRef(cluster, b, route.id.kind, route.id.namespace));
    }
    const firstInvalid = [...backends.values()].find((b) => !b.valid);
    const resolvedRefs: Condition = firstInvalid
      ? { type: 'ResolvedRefs', status: 'False', reason: firstInvalid.reason!, message: firstInvalid.message! }
      : { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: 'all references resolved' };
    const st = { route, parents, backends, resolvedRefs };
    routes.push(st);
    routeState.set(route, st);
  }
  return { routes, routeState, gateways, gatewayState, listenerState };
}

const PROTOCOLS = new Set(['HTTP', 'HTTPS', 'TLS', 'TCP', 'UDP']);

/** A listener's Accepted, ResolvedRefs and Programmed conditions (ListenerStatus.conditions): the
 * protocol, the route kinds it names, and its TLS certificate references (kind, ReferenceGrant,
 * existence). */
function listenerConditions(cluster: Cluster, ref: ListenerRef, invalidKinds: string[], kindCount: number): Condition[] {
  const l = ref.listener;
  const owner = ref.listenerSet ?? ref.gateway;
  const accepted: Condition = PROTOCOLS.has(l.protocol) || l.protocol.includes('/')
    ? { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'listener accepted' }
    : { type: 'Accepted', status: 'False', reason: 'UnsupportedProtocol', message: `protocol "${l.protocol}" is not HTTP, HTTPS, TLS, TCP or UDP` };
  let resolved: Condition = { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: 'all references resolved' };
  if (invalidKinds.length) {
    resolved = { type: 'ResolvedRefs', status: 'False', reason: 'InvalidRouteKinds', message: `allowedRoutes.kinds names ${invalidKinds.join(', ')}, which a ${l.protocol} listener cannot carry${kindCount ? '' : ': no route can attach'}` };
  } else if (l.tls && l.tls.mode === 'Terminate') {
    for (const c of l.tls.certificateRefs) {
      const ns = c.namespace ?? owner.id.namespace;
      if (!(c.group === '' || c.group === 'core') || c.kind !== 'Secret') {
        resolved = { type: 'ResolvedRefs', status: 'False', reason: 'InvalidCertificateRef', message: `certificateRef kind ${c.kind}${c.group ? ` of group ${c.group}` : ''} is not a Secret` };
        break;
      }
      if (ns !== owner.id.namespace && !findGrant(cluster, { group: GATEWAY_GROUP, kind: ref.listenerSet ? ref.listenerSet.id.kind : 'Gateway', namespace: owner.id.namespace }, { group: '', kind: 'Secret', namespace: ns, name: c.name })) {
        resolved = { type: 'ResolvedRefs', status: 'False', reason: 'RefNotPermitted', message: `the certificateRef to Secret ${ns}/${c.name} crosses namespaces and no ReferenceGrant in namespace ${ns} permits it` };
        break;
      }
      if (!cluster.secrets.some((s) => s.id.namespace === ns && s.id.name === c.name)) {
        resolved = { type: 'ResolvedRefs', status: 'False', reason: 'InvalidCertificateRef', message: `Secret ${ns}/${c.name} does not exist in these manifests` };
        break;
      }
    }
    if (resolved.status === 'True' && l.tls.certificateRefs.length === 0) resolved = { type: 'ResolvedRefs', status: 'False', reason: 'InvalidCertificateRef', message: 'the listener terminates TLS but names no certificateRefs' };
  }
  const programmed: Condition = accepted.status === 'True' && (resolved.status === 'True' || resolved.reason === 'InvalidRouteKinds')
    ? { type: 'Programmed', status: 'True', reason: 'Programmed', message: 'listener can serve' }
    : { type: 'Programmed', status: 'False', reason: 'Invalid', message: accepted.status === 'False' ? accepted.message : resolved.message };
  return [accepted, resolved, programmed];
}

/** The conditions of one parent of a route (RouteParentStatus.conditions). */
export function parentConditions(state: RouteState, parent: ParentAttachment): Condition[] {
  return [{ type: 'Accepted', status: parent.accepted ? 'True' : 'False', reason: parent.reason, message: parent.message }, state.resolvedRefs];
}
