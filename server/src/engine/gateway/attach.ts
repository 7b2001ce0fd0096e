// Route attachment: which listeners of which Gateway (or ListenerSet) accept each parentRef of each
// route, and for every refusal the reason a controller would write in the route's Accepted condition:
//   NoMatchingParent            the parent does not exist, or no listener has the sectionName / port
//   NotAllowedByListeners       the listeners' allowedRoutes refuse the route's kind or namespace
//   NoMatchingListenerHostname  the route's hostnames and the listeners' hostnames have none in common
// Semantics from the Gateway API spec (apis/v1 gateway_types.go, shared_types.go ParentReference,
// httproute_types.go Hostnames) and its conformance tests.

import type { Cluster, NamespaceInfo } from '../types';
import { matchesSelector } from '../selector';
import type {
  GatewayInfo,
  ListenerInfo,
  ListenerRef,
  ListenerSetInfo,
  ParentRefInfo,
  RouteGroupKind,
  RouteInfo,
  RouteKind,
} from './types';
import { GATEWAY_GROUP } from './types';
import { effectiveHostnames } from './hostname';
import { clusterMemo } from '../cluster-index';
import type { ListenerConflict } from './conflicts';
import { computeListenerConflicts } from './conflicts';

export type AcceptedReason =
  'Accepted' | 'NoMatchingParent' | 'NotAllowedByListeners' | 'NoMatchingListenerHostname';

export type { ListenerRef } from './types';

export interface ListenerVerdict {
  listener: ListenerRef;
  accepted: boolean;
  reason: Exclude<AcceptedReason, 'NoMatchingParent'>;
  message: string;
  /** The hostnames the route serves on this listener (undefined: every host); empty when refused. */
  hostnames: (string | undefined)[];
  /** Refused only because an HTTPRoute and a GRPCRoute would share host names on the listener
   * (grpcroute_types.go, Hostnames): a rule of the API that not every implementation enforces. */
  kindConflict?: true;
  /** Refused only because the route's namespace does not match the listener's namespace selector, and
   * the workspace does not define that Namespace: its labels in the cluster are not known (only
   * kubernetes.io/metadata.name is certain), so a controller may well accept the route. */
  namespaceUnknown?: true;
}

export interface ParentAttachment {
  route: RouteInfo;
  parentRef: ParentRefInfo;
  /** Index of the parentRef in the route. */
  index: number;
  gateway?: GatewayInfo;
  listenerSet?: ListenerSetInfo;
  accepted: boolean;
  reason: AcceptedReason;
  message: string;
  /** Every listener the parentRef selects (by sectionName and port), with its verdict. */
  listeners: ListenerVerdict[];
}

/** The route kinds a listener protocol carries (gateway_types.go, Listener.AllowedRoutes). A TLS
 * listener that terminates TLS may carry TCPRoute besides TLSRoute (the decrypted stream); one that
 * passes it through carries TLSRoute only (conformance: TLSRouteListenerPassthroughSupportedKinds).
 * A tls block without `mode` terminates: the CRD defaults mode to Terminate. */
export function kindsForProtocol(protocol: string, tlsMode: string | undefined): RouteKind[] {
  switch (protocol) {
    case 'HTTP':
      return ['HTTPRoute', 'GRPCRoute'];
    case 'HTTPS':
      return ['HTTPRoute', 'GRPCRoute'];
    case 'TLS':
      return (tlsMode ?? 'Terminate') === 'Terminate' ? ['TLSRoute', 'TCPRoute'] : ['TLSRoute'];
    case 'TCP':
      return ['TCPRoute'];
    case 'UDP':
      return ['UDPRoute'];
    default:
      return [];
  }
}

/** The route kinds a listener admits: allowedRoutes.kinds cut down to what its protocol carries, or
 * what its protocol carries when kinds is not written. `invalid` lists the kinds it names that it
 * cannot carry (the listener's ResolvedRefs condition: InvalidRouteKinds). */
export function listenerKinds(l: ListenerInfo): { kinds: RouteGroupKind[]; invalid: RouteGroupKind[] } {
  const supported = kindsForProtocol(l.protocol, l.tls?.mode);
  if (!l.allowedRoutes.kinds)
    return { kinds: supported.map((kind) => ({ group: GATEWAY_GROUP, kind })), invalid: [] };
  const kinds: RouteGroupKind[] = [];
  const invalid: RouteGroupKind[] = [];
  for (const k of l.allowedRoutes.kinds) {
    if (k.group === GATEWAY_GROUP && (supported as string[]).includes(k.kind)) kinds.push(k);
    else invalid.push(k);
  }
  return { kinds, invalid };
}

function namespaceLabels(cluster: Cluster, name: string): NamespaceInfo['labels'] {
  const ns = cluster.namespaces.find((n) => n.name === name);
  return ns?.labels ?? { 'kubernetes.io/metadata.name': name };
}

/** Does `from` (Same / All / Selector) admit objects of namespace `ns` to an owner in `ownerNs`? */
export function namespaceAllowed(
  cluster: Cluster,
  from: string,
  selector: import('../selector').LabelSelector | undefined,
  ownerNs: string,
  ns: string,
): boolean {
  if (from === 'All') return true;
  if (from === 'Same') return ns === ownerNs;
  if (from === 'Selector') return !!selector && matchesSelector(selector, namespaceLabels(cluster, ns));
  return false;
}

/** Does a ListenerSet's parentRef name this Gateway? */
export function namesGateway(ls: ListenerSetInfo, gw: GatewayInfo): boolean {
  const p = ls.parentRef;
  return (
    p.kind === 'Gateway' &&
    p.group === GATEWAY_GROUP &&
    p.name === gw.id.name &&
    (p.namespace ?? ls.id.namespace) === gw.id.namespace
  );
}

function timeOf(t: string | undefined): number {
  const v = t ? Date.parse(t) : NaN;
  return Number.isNaN(v) ? Number.POSITIVE_INFINITY : v;
}

/** The Gateway API's precedence among objects of one kind (ListenerSets of a Gateway, conflicting
 * routes, policies for one target): the oldest creationTimestamp first (an object without one is taken
 * as the newest), then "namespace/name" alphabetically. */
export function compareByAge(
  a: { creationTimestamp?: string; id: { namespace: string; name: string } },
  b: { creationTimestamp?: string; id: { namespace: string; name: string } },
): number {
  const ta = timeOf(a.creationTimestamp);
  const tb = timeOf(b.creationTimestamp);
  if (ta !== tb) return ta < tb ? -1 : 1;
  const na = `${a.id.namespace}/${a.id.name}`;
  const nb = `${b.id.namespace}/${b.id.name}`;
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** The ListenerSets a Gateway accepts (spec.allowedListeners; the default None admits none), in
 * precedence order. */
export function listenerSetsOf(cluster: Cluster, gw: GatewayInfo): ListenerSetInfo[] {
  const out: ListenerSetInfo[] = [];
  for (const ls of cluster.listenerSets ?? []) {
    if (!namesGateway(ls, gw)) continue;
    if (
      !namespaceAllowed(
        cluster,
        gw.allowedListeners.from,
        gw.allowedListeners.selector,
        gw.id.namespace,
        ls.id.namespace,
      )
    )
      continue;
    out.push(ls);
  }
  return out.sort(compareByAge);
}

/** Every listener a Gateway serves: its own, then those of the ListenerSets it accepts. */
export function gatewayListeners(cluster: Cluster, gw: GatewayInfo): ListenerRef[] {
  const own = gw.listeners.map((listener) => ({
    key: `${gw.id.namespace}/${gw.id.name}/${listener.name}`,
    gateway: gw,
    listener,
  }));
  const sets = listenerSetsOf(cluster, gw).flatMap((ls) =>
    ls.listeners.map((listener) => ({
      key: `${ls.id.namespace}/${ls.id.name}/${listener.name}`,
      gateway: gw,
      listenerSet: ls,
      listener,
    })),
  );
  return [...own, ...sets];
}

const HOSTNAME_KINDS = new Set<string>(['HTTPRoute', 'GRPCRoute', 'TLSRoute']);

function judgeListener(cluster: Cluster, route: RouteInfo, ref: ListenerRef): ListenerVerdict {
  const l = ref.listener;
  const owner = ref.listenerSet ?? ref.gateway;
  const where = `listener "${l.name}" of ${ref.listenerSet ? 'ListenerSet' : 'Gateway'} ${owner.id.namespace}/${owner.id.name}`;
  const { kinds } = listenerKinds(l);
  if (!kinds.some((k) => k.kind === route.id.kind)) {
    const admitted = kinds.map((k) => k.kind).join(', ') || 'no route kind';
    return {
      listener: ref,
      accepted: false,
      reason: 'NotAllowedByListeners',
      message: `${where} (${l.protocol}) admits ${admitted}, not ${route.id.kind}`,
      hostnames: [],
    };
  }
  const ar = l.allowedRoutes;
  if (!namespaceAllowed(cluster, ar.from, ar.selector, owner.id.namespace, route.id.namespace)) {
    const namespaceUnknown =
      ar.from === 'Selector' && !cluster.namespaces.some((n) => n.name === route.id.namespace && !n.implied);
    const why =
      ar.from === 'Same'
        ? `admits routes of namespace ${owner.id.namespace} only (allowedRoutes.namespaces.from: Same)`
        : ar.from === 'Selector'
          ? namespaceUnknown
            ? `admits routes of namespaces whose labels match its selector, and namespace ${route.id.namespace} does not match (this workspace does not define it: only its kubernetes.io/metadata.name label is known)`
            : `admits routes of namespaces whose labels match its selector, and namespace ${route.id.namespace} does not match`
          : `admits routes from "${ar.from}", which is not Same, All or Selector`;
    return {
      listener: ref,
      accepted: false,
      reason: 'NotAllowedByListeners',
      message: `${where} ${why}`,
      hostnames: [],
      ...(namespaceUnknown ? { namespaceUnknown: true as const } : {}),
    };
  }
  const hostnames = HOSTNAME_KINDS.has(route.id.kind)
    ? effectiveHostnames(l.hostname, route.hostnames)
    : [l.hostname];
  if (hostnames.length === 0) {
    return {
      listener: ref,
      accepted: false,
      reason: 'NoMatchingListenerHostname',
      message: `${where} serves host ${l.hostname}, and none of the route's hostnames (${route.hostnames.join(', ')}) falls under it`,
      hostnames: [],
    };
  }
  return { listener: ref, accepted: true, reason: 'Accepted', message: `accepted by ${where}`, hostnames };
}

/** How one parentRef of a route attaches: the listeners it selects and each one's verdict. */
export function attachParent(
  cluster: Cluster,
  route: RouteInfo,
  parentRef: ParentRefInfo,
  index: number,
): ParentAttachment {
  const base = { route, parentRef, index, listeners: [] as ListenerVerdict[] };
  const refused = (message: string): ParentAttachment => ({
    ...base,
    accepted: false,
    reason: 'NoMatchingParent',
    message,
  });
  if (
    parentRef.group !== GATEWAY_GROUP ||
    (parentRef.kind !== 'Gateway' && parentRef.kind !== 'ListenerSet')
  ) {
    return refused(
      `parentRef kind ${parentRef.kind} of group ${parentRef.group || '(core)'} is not a Gateway or a ListenerSet`,
    );
  }
  let gateway: GatewayInfo | undefined;
  let listenerSet: ListenerSetInfo | undefined;
  let candidates: ListenerRef[];
  if (parentRef.kind === 'Gateway') {
    gateway = (cluster.gateways ?? []).find(
      (g) => g.id.namespace === parentRef.namespace && g.id.name === parentRef.name,
    );
    if (!gateway)
      return refused(`Gateway ${parentRef.namespace}/${parentRef.name} does not exist in these manifests`);
    candidates = gateway.listeners.map((listener) => ({
      key: `${gateway!.id.namespace}/${gateway!.id.name}/${listener.name}`,
      gateway: gateway!,
      listener,
    }));
  } else {
    listenerSet = (cluster.listenerSets ?? []).find(
      (s) => s.id.namespace === parentRef.namespace && s.id.name === parentRef.name,
    );
    if (!listenerSet)
      return refused(
        `ListenerSet ${parentRef.namespace}/${parentRef.name} does not exist in these manifests`,
      );
    const p = listenerSet.parentRef;
    gateway = (cluster.gateways ?? []).find(
      (g) => g.id.namespace === (p.namespace ?? listenerSet!.id.namespace) && g.id.name === p.name,
    );
    if (!gateway)
      return {
        ...refused(
          `the Gateway ${p.namespace ?? listenerSet.id.namespace}/${p.name} of ListenerSet ${listenerSet.id.namespace}/${listenerSet.id.name} does not exist in these manifests`,
        ),
        listenerSet,
      };
    if (!listenerSetsOf(cluster, gateway).includes(listenerSet)) {
      return {
        ...refused(
          `Gateway ${gateway.id.namespace}/${gateway.id.name} does not accept ListenerSet ${listenerSet.id.namespace}/${listenerSet.id.name} (spec.allowedListeners)`,
        ),
        gateway,
        listenerSet,
      };
    }
    candidates = listenerSet.listeners.map((listener) => ({
      key: `${listenerSet!.id.namespace}/${listenerSet!.id.name}/${listener.name}`,
      gateway: gateway!,
      listenerSet,
      listener,
    }));
  }
  const owner = listenerSet
    ? `ListenerSet ${listenerSet.id.namespace}/${listenerSet.id.name}`
    : `Gateway ${gateway.id.namespace}/${gateway.id.name}`;
  if (parentRef.sectionName !== undefined) {
    candidates = candidates.filter((c) => c.listener.name === parentRef.sectionName);
    if (candidates.length === 0)
      return {
        ...refused(`${owner} has no listener named "${parentRef.sectionName}"`),
        gateway,
        listenerSet,
      };
  }
  if (parentRef.port !== undefined) {
    const before = candidates;
    candidates = candidates.filter((c) => c.listener.port === parentRef.port);
    if (candidates.length === 0) {
      const what =
        parentRef.sectionName !== undefined
          ? `listener "${parentRef.sectionName}" of ${owner} listens on port ${before[0].listener.port}, not ${parentRef.port}`
          : `${owner} has no listener on port ${parentRef.port}`;
      return { ...refused(what), gateway, listenerSet };
    }
  }
  if (candidates.length === 0) return { ...refused(`${owner} has no listeners`), gateway, listenerSet };
  // a conflicted listener is not accepted by the Gateway: it serves no route
  const conflicts = listenerConflicts(cluster, gateway);
  const live = candidates.filter((c) => !conflicts.has(c.key));
  if (live.length === 0) {
    return {
      ...refused(candidates.map((c) => conflicts.get(c.key)!.message).join('; ')),
      gateway,
      listenerSet,
    };
  }
  candidates = live;
  const listeners = candidates.map((c) => judgeListener(cluster, route, c));
  const ok = listeners.filter((v) => v.accepted);
  if (ok.length > 0)
    return {
      ...base,
      gateway,
      listenerSet,
      accepted: true,
      reason: 'Accepted',
      message: `accepted by ${ok.map((v) => `listener "${v.listener.listener.name}"`).join(', ')} of ${owner}`,
      listeners,
    };
  const hostnameOnly = listeners.some((v) => v.reason === 'NoMatchingListenerHostname');
  return {
    ...base,
    gateway,
    listenerSet,
    accepted: false,
    reason: hostnameOnly ? 'NoMatchingListenerHostname' : 'NotAllowedByListeners',
    message: listeners.map((v) => v.message).join('; '),
    listeners,
  };
}

/** Every parentRef of a route, attached. */
export function attachRoute(cluster: Cluster, route: RouteInfo): ParentAttachment[] {
  return route.parentRefs.map((p, i) => attachParent(cluster, route, p, i));
}

/** The conflicted listeners of one Gateway's merged listener list (engine/gateway/conflicts.ts), by
 * ListenerRef key, memoised per cluster. */
export function listenerConflicts(cluster: Cluster, gw: GatewayInfo): Map<string, ListenerConflict> {
  const all = clusterMemo(
    cluster,
    'gateway-listener-conflicts',
    () => new Map<GatewayInfo, Map<string, ListenerConflict>>(),
  );
  let m = all.get(gw);
  if (!m) all.set(gw, (m = computeListenerConflicts(gatewayListeners(cluster, gw))));
  return m;
}
