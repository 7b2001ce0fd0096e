// The Gateway API side of the route graph: each listener (of a Gateway or a ListenerSet) and each route
// rule as an entry, the rule's backendRefs as edges to the same Service facts as Ingress backends, and
// the problems of a backendRef that does not resolve (rule route-backend-not-resolved), worded here once
// for the rule, the preview and the CLI. Attachment and status come from the Gateway graph
// (engine/gateway/graph.ts); this file turns them into entries.

import type { Cluster, ServiceInfo } from '../types';
import { closest } from '../edit-distance';
import { gatewayGraph } from '../gateway/graph';
import type { ListenerState } from '../gateway/graph';
import type { BackendRefInfo, RouteRuleInfo } from '../gateway/types';
import type { BackendResolution } from '../gateway/refs';
import type {
  GatewayEntry,
  GatewayListenerEntry,
  Report,
  RouteBackendEdge,
  RouteEntry,
  RouteGraphProblem,
  RouteRuleEntry,
  ServiceTarget,
} from './graph-types';

export const gatewayEntryId = {
  listener: (key: string) => `listener:${key}`,
  rule: (kind: string, namespace: string, name: string, i: number) =>
    `rule:${kind}/${namespace}/${name}/${i}`,
};

/** A Service named by a route backendRef: "HTTPRoute shop/store" for the wording of Service facts. */
export function routeUsers(cluster: Cluster): Map<string, string> {
  const out = new Map<string, string>();
  for (const route of cluster.gatewayRoutes ?? [])
    for (const rule of route.rules)
      for (const b of rule.backendRefs)
        if (b.kind === 'Service' && (b.group === '' || b.group === 'core')) {
          const key = `${b.namespace}/${b.name}`;
          if (!out.has(key)) out.set(key, `${route.id.kind} "${route.id.name}"`);
        }
  return out;
}

/** The route-backend-not-resolved problem of a backendRef that does not resolve (undefined when it
 * resolves, or when the finding belongs elsewhere: a missing port is route-backend-port-missing's, a
 * kind the API rejects is gateway-value-invalid's, ServiceImport has Extended support). */
export function routeBackendProblem(
  cluster: Cluster,
  res: BackendResolution,
  fromKind: string,
  fromNamespace: string,
  servicesByNs: Map<string, ServiceInfo[]>,
): RouteGraphProblem | undefined {
  if (res.valid) return undefined;
  const ref = res.ref;
  const at = ref.nameSource ?? ref.source;
  if (res.reason === 'InvalidKind') {
    if (ref.kind === 'ServiceImport' && ref.group === 'multicluster.x-k8s.io') return undefined;
    if (!/^[a-zA-Z][-a-zA-Z0-9]*$/.test(ref.kind) || !/^[a-z0-9.-]*$/.test(ref.group)) return undefined;
    return {
      ruleId: 'route-backend-not-resolved',
      severity: 'information',
      message: `Backend ${ref.name} is a ${ref.kind}${ref.group ? ` (${ref.group})` : ''}, not a Service: only controllers that support this kind route to it; the others mark the route ResolvedRefs=False (InvalidKind) and answer its requests with HTTP 500`,
      at,
      data: { reason: 'InvalidKind' },
    };
  }
  if (res.reason === 'RefNotPermitted') {
    // certain when the workspace holds that namespace's Services; else the grant may live elsewhere
    const known = (servicesByNs.get(ref.namespace) ?? []).length > 0;
    return {
      ruleId: 'route-backend-not-resolved',
      severity: known ? 'error' : 'warning',
      message: `Backend ${ref.namespace}/${ref.name}: ${res.message}; its requests get HTTP 500`,
      at,
      data: {
        reason: 'RefNotPermitted',
        grant: { fromKind, fromNamespace, namespace: ref.namespace, name: ref.name },
      },
    };
  }
  // BackendNotFound
  if (ref.port === undefined) return undefined;
  if (!res.service) {
    // said only when the workspace holds Services of that namespace (routes are often kept apart)
    const inNs = (servicesByNs.get(ref.namespace) ?? []).map((s) => s.id.name);
    if (inNs.length === 0) return undefined;
    const suggestion = closest(ref.name, inNs);
    return {
      ruleId: 'route-backend-not-resolved',
      severity: 'warning',
      message:
        `No Service "${ref.name}" among the Services of namespace "${ref.namespace}" here: the requests it should get would receive HTTP 500` +
        (suggestion ? `; did you mean "${suggestion}"?` : ''),
      at,
      data: { reason: 'BackendNotFound', ...(suggestion && ref.nameSource ? { suggestion } : {}) },
    };
  }
  return {
    ruleId: 'route-backend-not-resolved',
    severity: 'error',
    message: `Backend port: ${res.message}; its requests get HTTP 500`,
    at: ref.portSource ?? at,
    data: {
      reason: 'BackendNotFound',
      ...(ref.portSource ? { ports: res.service.ports.map((p) => p.port) } : {}),
    },
  };
}

/** route-backend-not-resolved for a rule whose backendRefs all have weight 0: no backend gets a share,
 * so every request the rule matches gets HTTP 500 (gRPC: UNAVAILABLE; a TCP or TLS connection is
 * closed), as when all its backends are invalid (httproute_types.go / grpcroute_types.go, BackendRefs;
 * shared_types.go, weight 0: no traffic for that entry; Istio writes a direct 500 response, and sends
 * TCP to a black hole); `kube-netlens route` answers the same. Not said when a filter of the rule answers
 * the request itself (RequestRedirect) or is an implementation's own (ExtensionRef). */
function allWeightsZeroProblem(kind: string, rule: RouteRuleInfo): RouteGraphProblem | undefined {
  const refs = rule.backendRefs;
  if (refs.length === 0 || refs.some((b) => b.weight > 0)) return undefined;
  if (rule.filters.some((f) => f.requestRedirect || f.extensionRef)) return undefined;
  const outcome =
    kind === 'HTTPRoute'
      ? 'no backend gets any of its requests: the Gateway answers each request the rule matches with HTTP 500'
      : kind === 'GRPCRoute'
        ? 'no backend gets any of its requests: the Gateway answers each call the rule matches with gRPC status UNAVAILABLE'
        : kind === 'UDPRoute'
          ? 'no backend gets any of its traffic: the Gateway drops the datagrams the rule matches'
          : 'no backend gets any of its connections: the Gateway closes each connection the rule matches';
  return {
    ruleId: 'route-backend-not-resolved',
    severity: 'warning',
    message: `Every backendRef of this rule has weight 0, so ${outcome}. Give a backendRef a weight above 0 (weight 0 is for a backend that should get no traffic while others do)`,
    at: refs[0].weightSource ?? refs[0].source,
    data: { reason: 'WeightZero' },
  };
}

function listenerEntry(ls: ListenerState): GatewayListenerEntry {
  const ref = ls.ref;
  const accepted = ls.conditions.find((c) => c.type === 'Accepted');
  const serving = accepted?.status !== 'False';
  return {
    kind: 'gateway-listener',
    id: gatewayEntryId.listener(ref.key),
    gateway: ref.gateway,
    ...(ref.listenerSet ? { listenerSet: ref.listenerSet } : {}),
    listener: ref.listener,
    host: ref.listener.hostname ?? null,
    state: ls,
    serving,
    ...(serving ? {} : { refusal: accepted }),
    source: ref.listener.source,
  };
}

/** The Gateway API entries of a cluster: listeners (Gateway by Gateway, its own then its ListenerSets';
 * then the listeners of ListenerSets no Gateway accepts), then route rules (routes in workspace
 * order), with each backendRef's edge recorded in `edges`. */
export function gatewayEntries(
  cluster: Cluster,
  services: ReadonlyMap<string, ServiceTarget>,
  servicesByNs: Map<string, ServiceInfo[]>,
  edges: Map<BackendRefInfo, RouteBackendEdge>,
  report: Report,
): GatewayEntry[] {
  const g = gatewayGraph(cluster);
  const entries: GatewayEntry[] = [];
  for (const st of g.gateways)
    for (const ls of st.listeners) {
      const e = listenerEntry(ls);
      if (ls.ref.listenerSet) e.listenerSetState = g.listenerSetState.get(ls.ref.listenerSet);
      entries.push(e);
    }
  for (const lss of g.listenerSets) {
    if (lss.accepted || lss.listeners.length) continue;
    const set = lss.listenerSet;
    const refusal = lss.conditions.find((c) => c.type === 'Accepted');
    for (const l of set.listeners)
      entries.push({
        kind: 'gateway-listener',
        id: gatewayEntryId.listener(`${set.id.namespace}/${set.id.name}/${l.name}`),
        ...(lss.gateway ? { gateway: lss.gateway } : {}),
        listenerSet: set,
        listener: l,
        host: l.hostname ?? null,
        listenerSetState: lss,
        serving: false,
        ...(refusal ? { refusal } : {}),
        source: l.source,
      });
  }
  for (const rs of g.routes) {
    const route = rs.route;
    const attached = rs.parents.flatMap((p) =>
      p.accepted
        ? p.listeners
            .filter((v) => v.accepted)
            .map((v) => ({ listener: gatewayEntryId.listener(v.listener.key), verdict: v, attachment: p }))
        : [],
    );
    const edgeOf = (ref: BackendRefInfo, mirror: boolean): RouteBackendEdge => {
      const known = edges.get(ref);
      if (known) return known;
      const resolution =
        rs.backends.get(ref) ??
        ({ ref, valid: false, reason: 'BackendNotFound', message: 'not resolved' } as BackendResolution);
      const edge: RouteBackendEdge = { ref, resolution, mirror, problems: [] };
      if (resolution.service) {
        const target = services.get(`${ref.namespace}/${ref.name}`);
        if (target) {
          edge.target = target;
          edge.port = target.ports.find((p) => p.port.port === ref.port);
        }
      }
      const p = routeBackendProblem(cluster, resolution, route.id.kind, route.id.namespace, servicesByNs);
      if (p) report(p, edge.problems);
      edges.set(ref, edge);
      return edge;
    };
    const rules = route.rules.length ? route.rules : [undefined];
    rules.forEach((rule, i) => {
      const backends: RouteBackendEdge[] = [];
      if (rule) {
        for (const b of rule.backendRefs) backends.push(edgeOf(b, false));
        for (const f of [...rule.filters, ...rule.backendRefs.flatMap((b) => b.filters)])
          if (f.requestMirror) backends.push(edgeOf(f.requestMirror.backendRef, true));
        const zero = allWeightsZeroProblem(route.id.kind, rule);
        if (zero && backends.length) report(zero, backends[0].problems);
      }
      const entry: RouteRuleEntry = {
        kind: 'route-rule',
        id: gatewayEntryId.rule(route.id.kind, route.id.namespace, route.id.name, i),
        route,
        rule: i,
        ...(rule ? { ruleInfo: rule } : {}),
        parents: rs.parents,
        attached,
        backends,
        source: rule?.source ?? route.source,
      };
      entries.push(entry);
    });
  }
  return entries;
}

/** What the route graph holds about one answer of the Gateway resolver: the listener's entry, the
 * matched rule's entry, the edges of the backends that get a share of the traffic (weight > 0; the
 * chosen one first), and the problems on those edges (a backendRef that does not resolve, the Service's
 * selector and targetPort), each once. The preview's URL tester and `route --gateway` read a match's
 * facts from here, so both word them as the rules do. */
export interface GatewayMatchFacts {
  listener?: GatewayListenerEntry;
  rule?: RouteRuleEntry;
  /** The edge of the backend the answer names (the only or the heaviest). */
  chosen?: RouteBackendEdge;
  edges: RouteBackendEdge[];
  problems: RouteGraphProblem[];
}

interface MatchKey {
  gateway: string;
  listener: string;
  listenerSet?: string;
  route: string;
  routeKind: string;
  rule: number;
  backend: { service: string; namespace: string; port: number | null } | null;
  backends: { service: string; namespace: string; port: number | null; weight: number; kind?: string }[];
}

export function gatewayMatchFacts(entries: readonly RouteEntry[], m: MatchKey): GatewayMatchFacts {
  const slash = m.route.indexOf('/');
  const ruleId = gatewayEntryId.rule(m.routeKind, m.route.slice(0, slash), m.route.slice(slash + 1), m.rule);
  const listenerId = gatewayEntryId.listener(`${m.listenerSet ?? m.gateway}/${m.listener}`);
  let rule: RouteRuleEntry | undefined;
  let listener: GatewayListenerEntry | undefined;
  for (const e of entries) {
    if (e.kind === 'route-rule' && e.id === ruleId) rule = e;
    else if (e.kind === 'gateway-listener' && e.id === listenerId) listener = e;
  }
  const out: GatewayMatchFacts = { edges: [], problems: [] };
  if (listener) out.listener = listener;
  if (!rule) return out;
  out.rule = rule;
  const edgeOf = (b: { service: string; namespace: string; port: number | null }) =>
    rule.backends.find(
      (e) =>
        !e.mirror &&
        e.ref.name === b.service &&
        e.ref.namespace === b.namespace &&
        (e.ref.port ?? null) === b.port,
    );
  if (m.backend) {
    const chosen = edgeOf(m.backend);
    if (chosen) {
      out.chosen = chosen;
      out.edges.push(chosen);
    }
  }
  for (const b of m.backends) {
    if (b.weight <= 0) continue;
    const e = edgeOf(b);
    if (e && !out.edges.includes(e)) out.edges.push(e);
  }
  for (const e of out.edges)
    for (const p of [...e.problems, ...(e.target?.problems ?? []), ...(e.port?.problems ?? [])])
      if (!out.problems.includes(p)) out.problems.push(p);
  return out;
}
