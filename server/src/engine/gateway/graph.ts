// The Gateway API state of a cluster, computed once per Cluster object: every route's attachments
// (per parentRef, per listener, with reasons), every backendRef resolved, each listener's attached
// and refused routes, and the status conditions a controller would write (route Accepted /
// ResolvedRefs per parent, listener attachedRoutes / ResolvedRefs). Rules, hover, the preview and the
// CLI read these facts from here.

import type { Cluster } from '../types';
import { clusterMemo } from '../cluster-index';
import type { BackendRefInfo, GatewayInfo, ListenerSetInfo, RouteInfo } from './types';
import type { ListenerRef, ListenerVerdict, ParentAttachment } from './attach';
import {
  attachRoute,
  compareByAge,
  gatewayListeners,
  listenerConflicts,
  listenerKinds,
  listenerSetsOf,
  namesGateway,
} from './attach';
import { intersectHostnames } from './hostname';
import type { ListenerConflict } from './conflicts';
import type { BackendResolution } from './refs';
import { findGrant, isMeshRoute, resolveBackendRef } from './refs';
import { GATEWAY_GROUP } from './types';

export interface Condition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
  /** On a False condition judged only because an object is missing from these manifests (it may
   * still exist in the cluster): a certificate Secret not in the workspace. */
  absent?: true;
}

/** A listener that cannot be configured (ListenerSetReasonListenersNotValid: "one or more Listeners
 * have an invalid or unsupported configuration"): not Accepted, or a reference that certainly does not
 * resolve (a kind that is not a Secret, a cross-namespace Secret no ReferenceGrant permits). Route
 * kinds it cannot carry only narrow it; a Secret missing from the manifests may exist elsewhere. */
function listenerValid(l: { conditions: Condition[] }): boolean {
  const accepted = l.conditions.find((c) => c.type === 'Accepted');
  const resolved = l.conditions.find((c) => c.type === 'ResolvedRefs');
  if (accepted?.status !== 'True') return false;
  return !(resolved?.status === 'False' && resolved.reason !== 'InvalidRouteKinds' && !resolved.absent);
}

/** Why a listener is not valid: its first False condition's message. */
function invalidMessage(l: { conditions: Condition[] }): string | undefined {
  return l.conditions.find((c) => c.status === 'False' && c.type !== 'Conflicted')?.message;
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
  /** Its own listeners, then those of the ListenerSets it accepts (in precedence order). */
  listeners: ListenerState[];
  /** status.attachedListenerSets: the ListenerSets it accepts with at least one valid listener. */
  attachedListenerSets: number;
}

/** A ListenerSet's Accepted and Programmed conditions (ListenerSetStatus): NotAllowed when its
 * Gateway's allowedListeners refuses it, ParentNotAccepted when the Gateway is not in the manifests,
 * ListenersNotValid when none of its listeners is valid (False) or some are not (True). */
export interface ListenerSetState {
  listenerSet: ListenerSetInfo;
  gateway?: GatewayInfo;
  accepted: boolean;
  reason: 'Accepted' | 'NotAllowed' | 'ParentNotAccepted' | 'ListenersNotValid';
  message: string;
  conditions: Condition[];
  /** Its listeners' states (empty when the Gateway does not accept it). */
  listeners: ListenerState[];
}

export interface GatewayGraph {
  routes: RouteState[];
  routeState: Map<RouteInfo, RouteState>;
  gateways: GatewayState[];
  gatewayState: Map<GatewayInfo, GatewayState>;
  /** Listener state by ListenerRef key ("namespace/owner/listener"). */
  listenerState: Map<string, ListenerState>;
  listenerSets: ListenerSetState[];
  listenerSetState: Map<ListenerSetInfo, ListenerSetState>;
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
  const listenerSets: ListenerSetState[] = [];
  const listenerSetState = new Map<ListenerSetInfo, ListenerSetState>();
  for (const gw of cluster.gateways ?? []) {
    const conflicts = listenerConflicts(cluster, gw);
    const listeners = gatewayListeners(cluster, gw).map((ref): ListenerState => {
      const { kinds, invalid } = listenerKinds(ref.listener);
      const invalidKinds = invalid.map((k) => k.kind);
      const conditions = listenerConditions(cluster, ref, invalidKinds, kinds.length, conflicts.get(ref.key));
      const state: ListenerState = {
        ref,
        attached: [],
        refused: [],
        supportedKinds: kinds.map((k) => k.kind),
        invalidKinds,
        conditions,
      };
      listenerState.set(ref.key, state);
      return state;
    });
    let attachedListenerSets = 0;
    for (const ls of listenerSetsOf(cluster, gw)) {
      const own = listeners.filter((l) => l.ref.listenerSet === ls);
      const valid = own.filter(listenerValid);
      const invalid = own.length - valid.length;
      const name = `ListenerSet ${ls.id.namespace}/${ls.id.name}`;
      const st: ListenerSetState =
        valid.length === 0
          ? {
              listenerSet: ls,
              gateway: gw,
              accepted: false,
              reason: 'ListenersNotValid',
              message: `none of the listeners of ${name} is valid: ${own.map(invalidMessage).join('; ') || 'it has no listeners'}`,
              conditions: [],
              listeners: own,
            }
          : {
              listenerSet: ls,
              gateway: gw,
              accepted: true,
              reason: invalid ? 'ListenersNotValid' : 'Accepted',
              message: invalid
                ? `${invalid} of the ${own.length} listeners of ${name} are not valid; the others are attached to Gateway ${gw.id.namespace}/${gw.id.name}`
                : `${name} is attached to Gateway ${gw.id.namespace}/${gw.id.name}`,
              conditions: [],
              listeners: own,
            };
      if (st.accepted) attachedListenerSets++;
      listenerSets.push(st);
      listenerSetState.set(ls, st);
    }
    const st = { gateway: gw, listeners, attachedListenerSets };
    gateways.push(st);
    gatewayState.set(gw, st);
  }
  // ListenerSets no Gateway accepts: a missing parent, or allowedListeners refusing them
  for (const ls of cluster.listenerSets ?? []) {
    if (listenerSetState.has(ls)) continue;
    const p = ls.parentRef;
    const gw = (cluster.gateways ?? []).find((g) => namesGateway(ls, g));
    const name = `ListenerSet ${ls.id.namespace}/${ls.id.name}`;
    const st: ListenerSetState = gw
      ? {
          listenerSet: ls,
          gateway: gw,
          accepted: false,
          reason: 'NotAllowed',
          message: `Gateway ${gw.id.namespace}/${gw.id.name} does not allow ${name}: its spec.allowedListeners.namespaces.from is ${gw.allowedListeners.from}${gw.allowedListeners.from === 'None' ? ' (the default: no ListenerSet may attach)' : gw.allowedListeners.from === 'Same' ? ` (only ListenerSets of namespace ${gw.id.namespace})` : gw.allowedListeners.from === 'Selector' ? ` and namespace ${ls.id.namespace} does not match its selector` : ''}`,
          conditions: [],
          listeners: [],
        }
      : {
          listenerSet: ls,
          accepted: false,
          reason: 'ParentNotAccepted',
          message: `the parent of ${name}, ${p.kind} ${p.namespace ?? ls.id.namespace}/${p.name}, is not ${p.kind === 'Gateway' && p.group === GATEWAY_GROUP ? 'in these manifests' : 'a Gateway'}`,
          conditions: [],
          listeners: [],
        };
    listenerSets.push(st);
    listenerSetState.set(ls, st);
  }
  for (const st of listenerSets) {
    st.conditions = [
      { type: 'Accepted', status: st.accepted ? 'True' : 'False', reason: st.reason, message: st.message },
      {
        type: 'Programmed',
        status: st.accepted ? 'True' : 'False',
        reason: st.accepted ? 'Programmed' : st.reason,
        message: st.message,
      },
    ];
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
      for (const f of [...rule.filters, ...rule.backendRefs.flatMap((b) => b.filters)])
        if (f.requestMirror) refs.push(f.requestMirror.backendRef);
      for (const b of refs)
        backends.set(b, resolveBackendRef(cluster, b, route.id.kind, route.id.namespace, isMeshRoute(route)));
    }
    const firstInvalid = [...backends.values()].find((b) => !b.valid);
    const resolvedRefs: Condition = firstInvalid
      ? {
          type: 'ResolvedRefs',
          status: 'False',
          reason: firstInvalid.reason!,
          message: firstInvalid.message!,
        }
      : { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: 'all references resolved' };
    const st = { route, parents, backends, resolvedRefs };
    routes.push(st);
    routeState.set(route, st);
  }
  for (const ls of listenerState.values()) refuseKindConflicts(ls);
  return { routes, routeState, gateways, gatewayState, listenerState, listenerSets, listenerSetState };
}

function hostsMeet(a: (string | undefined)[], b: (string | undefined)[]): boolean {
  for (const x of a)
    for (const y of b)
      if (x === undefined || y === undefined || intersectHostnames(x, y) !== null) return true;
  return false;
}

/** An HTTPRoute and a GRPCRoute on one listener whose hostnames meet: only one of them is accepted,
 * the older (then the first by namespace/name); the other is refused on that listener
 * (grpcroute_types.go, Hostnames). A route refused on every listener of a parentRef is not accepted. */
function refuseKindConflicts(ls: ListenerState): void {
  const web = ls.attached.filter((a) => a.route.id.kind === 'HTTPRoute' || a.route.id.kind === 'GRPCRoute');
  if (!web.some((a) => a.route.id.kind === 'GRPCRoute') || !web.some((a) => a.route.id.kind === 'HTTPRoute'))
    return;
  const kept: typeof web = [];
  const lost = new Set<(typeof web)[number]>();
  for (const a of [...web].sort((x, y) => compareByAge(x.route, y.route))) {
    const other = kept.find(
      (k) => k.route.id.kind !== a.route.id.kind && hostsMeet(k.verdict.hostnames, a.verdict.hostnames),
    );
    if (!other) {
      kept.push(a);
      continue;
    }
    const o = other.route;
    const hosts = (h: (string | undefined)[]) => h.map((x) => x ?? 'every host').join(', ');
    a.verdict.accepted = false;
    a.verdict.reason = 'NotAllowedByListeners';
    a.verdict.message = `listener "${ls.ref.listener.name}" of ${ls.ref.listenerSet ? 'ListenerSet' : 'Gateway'} ${(ls.ref.listenerSet ?? ls.ref.gateway).id.namespace}/${(ls.ref.listenerSet ?? ls.ref.gateway).id.name} already serves ${o.id.kind} ${o.id.namespace}/${o.id.name} on ${hosts(other.verdict.hostnames)}, which meets this ${a.route.id.kind}'s ${hosts(a.verdict.hostnames)}: an HTTPRoute and a GRPCRoute may not share host names on one listener, and the older one (then the first by namespace/name) is kept`;
    a.verdict.hostnames = [];
    a.verdict.kindConflict = true;
    lost.add(a);
  }
  if (lost.size === 0) return;
  ls.attached = ls.attached.filter((a) => !lost.has(a));
  for (const a of lost) {
    if (!ls.refused.some((x) => x.route === a.route)) ls.refused.push(a);
    const p = a.attachment;
    if (!p.listeners.some((v) => v.accepted)) {
      p.accepted = false;
      p.reason = 'NotAllowedByListeners';
      p.message = p.listeners.map((v) => v.message).join('; ');
    }
  }
}

const PROTOCOLS = new Set(['HTTP', 'HTTPS', 'TLS', 'TCP', 'UDP']);

/** A listener's Accepted, ResolvedRefs and Programmed conditions (ListenerStatus.conditions): the
 * protocol, the route kinds it names, and its TLS certificate references (kind, ReferenceGrant,
 * existence). */
function listenerConditions(
  cluster: Cluster,
  ref: ListenerRef,
  invalidKinds: string[],
  kindCount: number,
  conflict: ListenerConflict | undefined,
): Condition[] {
  const l = ref.listener;
  const owner = ref.listenerSet ?? ref.gateway;
  const accepted: Condition =
    PROTOCOLS.has(l.protocol) || l.protocol.includes('/')
      ? { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'listener accepted' }
      : {
          type: 'Accepted',
          status: 'False',
          reason: 'UnsupportedProtocol',
          message: `protocol "${l.protocol}" is not HTTP, HTTPS, TLS, TCP or UDP`,
        };
  let resolved: Condition = {
    type: 'ResolvedRefs',
    status: 'True',
    reason: 'ResolvedRefs',
    message: 'all references resolved',
  };
  if (invalidKinds.length) {
    resolved = {
      type: 'ResolvedRefs',
      status: 'False',
      reason: 'InvalidRouteKinds',
      message: `allowedRoutes.kinds names ${invalidKinds.join(', ')}, which a ${l.protocol} listener cannot carry${kindCount ? '' : ': no route can attach'}`,
    };
  } else if (l.tls && l.tls.mode === 'Terminate') {
    for (const c of l.tls.certificateRefs) {
      const ns = c.namespace ?? owner.id.namespace;
      if (!(c.group === '' || c.group === 'core') || c.kind !== 'Secret') {
        resolved = {
          type: 'ResolvedRefs',
          status: 'False',
          reason: 'InvalidCertificateRef',
          message: `certificateRef kind ${c.kind}${c.group ? ` of group ${c.group}` : ''} is not a Secret`,
        };
        break;
      }
      if (
        ns !== owner.id.namespace &&
        !findGrant(
          cluster,
          {
            group: GATEWAY_GROUP,
            kind: ref.listenerSet ? ref.listenerSet.id.kind : 'Gateway',
            namespace: owner.id.namespace,
          },
          { group: '', kind: 'Secret', namespace: ns, name: c.name },
        )
      ) {
        resolved = {
          type: 'ResolvedRefs',
          status: 'False',
          reason: 'RefNotPermitted',
          message: `the certificateRef to Secret ${ns}/${c.name} crosses namespaces and no ReferenceGrant in namespace ${ns} permits it`,
        };
        break;
      }
      if (!cluster.secrets.some((s) => s.id.namespace === ns && s.id.name === c.name)) {
        resolved = {
          type: 'ResolvedRefs',
          status: 'False',
          reason: 'InvalidCertificateRef',
          message: `Secret ${ns}/${c.name} does not exist in these manifests`,
          absent: true,
        };
        break;
      }
    }
    if (resolved.status === 'True' && l.tls.certificateRefs.length === 0)
      resolved = {
        type: 'ResolvedRefs',
        status: 'False',
        reason: 'InvalidCertificateRef',
        message: 'the listener terminates TLS but names no certificateRefs',
      };
  }
  const programmed: Condition =
    accepted.status === 'True' && (resolved.status === 'True' || resolved.reason === 'InvalidRouteKinds')
      ? { type: 'Programmed', status: 'True', reason: 'Programmed', message: 'listener can serve' }
      : {
          type: 'Programmed',
          status: 'False',
          reason: 'Invalid',
          message: accepted.status === 'False' ? accepted.message : resolved.message,
        };
  if (conflict) {
    // a conflicted listener is not accepted and not programmed, whatever else holds
    return [
      { type: 'Accepted', status: 'False', reason: conflict.reason, message: conflict.message },
      resolved,
      { type: 'Programmed', status: 'False', reason: conflict.reason, message: conflict.message },
      { type: 'Conflicted', status: 'True', reason: conflict.reason, message: conflict.message },
    ];
  }
  return [
    accepted,
    resolved,
    programmed,
    { type: 'Conflicted', status: 'False', reason: 'NoConflicts', message: 'no conflicts' },
  ];
}

/** The conditions of one parent of a route (RouteParentStatus.conditions). */
export function parentConditions(state: RouteState, parent: ParentAttachment): Condition[] {
  return [
    {
      type: 'Accepted',
      status: parent.accepted ? 'True' : 'False',
      reason: parent.reason,
      message: parent.message,
    },
    state.resolvedRefs,
  ];
}
