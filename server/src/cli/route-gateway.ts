// kube-netlens route --gateway: the answer of engine/gateway (listener, route, rule, match, filters,
// backends with weights, HTTP 500 for invalid backends, 404 with the reason) as JSON (docs/cli.md) or
// as text, and from the chosen Service on to its pods.

import type { Cluster, SourceRef } from '../engine/types';
import { findGateway, followTarget, gatewayGraph, parentConditions } from '../engine/gateway';
import type { FilterResult, GatewayRouteResult, ListenerState, ServiceFollow } from '../engine/gateway';
import { gatewayMatchFacts, routeGraph } from '../engine/route';
import type { GatewayMatchFacts, PodTarget, RouteGraphProblem, RouteProblem } from '../engine/route';
import type { Location } from './reach';

type Locate = (s: SourceRef | undefined) => Location | undefined;

/** A value without its engine source references, with `location` for `source`. */
function located<T extends { source?: SourceRef }>(value: T, locate: Locate): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    if (k !== 'source' && !k.endsWith('Source') && v !== undefined) out[k] = v;
  const location = locate(value.source);
  if (location) out.location = location;
  return out;
}

function filterJson(f: FilterResult, locate: Locate): Record<string, unknown> {
  return located(f, locate);
}

/** The step of a route an answer's graph finding belongs to (the Ingress contract's `problems[].step`). */
function stepOf(p: RouteGraphProblem): RouteProblem['step'] {
  switch (p.ruleId) {
    case 'route-backend-not-resolved':
      return 'backend';
    case 'service-selector-no-match':
      return 'workloads';
    case 'service-target-port':
      return 'targetPort';
    default:
      return 'service';
  }
}

/** The route graph's facts about an answer: its entries, the chosen backend followed on to the pods
 * (from the graph's edge), and the findings on the backends reached. */
export function gatewayAnswerFacts(
  cluster: Cluster,
  r: GatewayRouteResult,
): { facts?: GatewayMatchFacts; follow?: ServiceFollow; problems: RouteProblem[] } {
  const m = r.match;
  if (!m) return { problems: [] };
  const facts = gatewayMatchFacts(routeGraph(cluster).entries, m);
  const follow =
    m.backend && m.status !== 500 && facts.chosen?.target
      ? followTarget(facts.chosen.target, m.backend.port)
      : undefined;
  const problems: RouteProblem[] = facts.problems.map((p) => ({
    step: stepOf(p),
    message: p.message,
    ruleId: p.ruleId,
    severity: p.severity,
    ...(p.at ? { source: p.at } : {}),
  }));
  return { facts, follow, problems };
}

/** The TLS a listener terminates or passes through (HTTPS and TLS listeners), as the Ingress answer's `tls`. */
function listenerTls(facts: GatewayMatchFacts | undefined, locate: Locate) {
  const e = facts?.listener;
  const tls = e?.listener.tls;
  if (!e || !tls) return null;
  const gwNs = e.listenerSet?.id.namespace ?? e.gateway?.id.namespace ?? '';
  const refs = tls.certificateRefs.map((c) => ({
    kind: c.kind,
    namespace: c.namespace ?? gwNs,
    name: c.name,
  }));
  return located(
    {
      gateway: e.gateway ? `${e.gateway.id.namespace}/${e.gateway.id.name}` : null,
      listener: e.listener.name,
      mode: tls.mode,
      secretName: refs.find((c) => c.kind === 'Secret')?.name ?? null,
      certificateRefs: refs,
      hosts: e.listener.hostname ? [e.listener.hostname] : [],
      source: tls.source ?? e.source,
    },
    locate,
  );
}

/** The `route --gateway --json` document (version 1, see docs/cli.md). */
export function gatewayRouteJson(cluster: Cluster, r: GatewayRouteResult, locate: Locate) {
  const m = r.match;
  const { facts, follow, problems } = gatewayAnswerFacts(cluster, r);
  return {
    version: 1,
    url: r.url,
    scheme: r.scheme,
    host: r.host,
    port: r.port,
    path: r.path,
    method: r.method,
    headers: r.headers,
    gateway: r.gateway,
    ...(r.sni !== undefined ? { sni: r.sni } : {}),
    listener: r.listener,
    ...(r.misdirected ? { misdirected: r.misdirected } : {}),
    match: m
      ? {
          ...located({ ...m, backends: undefined, filters: undefined }, locate),
          backends: m.backends.map((b) => ({
            ...located({ ...b, filters: undefined }, locate),
            filters: b.filters.map((f) => filterJson(f, locate)),
          })),
          filters: m.filters.map((f) => filterJson(f, locate)),
          entries: { listener: facts?.listener?.id ?? null, rule: facts?.rule?.id ?? null },
        }
      : null,
    ...(r.reason !== undefined && !m ? { reason: r.reason } : {}),
    service: follow?.service
      ? located(
          {
            name: follow.service.name,
            type: follow.service.type,
            port: follow.service.port,
            selector: follow.service.selector,
            source: follow.service.source,
          },
          locate,
        )
      : null,
    tls: listenerTls(facts, locate),
    pods: (follow?.pods ?? []).map((p) => located(p, locate)),
    problems: problems.map((p) => located(p, locate)),
    outranked: r.outranked,
    refused: r.refused,
    status: gatewayStatus(cluster, r.gateway),
    notes: [...r.notes, ...(follow?.notes ?? [])],
  };
}

/** The status a controller would write for the Gateway and the routes that name it: per listener
 * attachedRoutes, supportedKinds and conditions; per route and parentRef the Accepted and ResolvedRefs
 * conditions (reasons as in the Gateway API: NotAllowedByListeners, NoMatchingListenerHostname,
 * NoMatchingParent, RefNotPermitted, InvalidKind, BackendNotFound, ...). */
export function gatewayStatus(cluster: Cluster, gateway: string | null) {
  if (!gateway) return null;
  const gw = findGateway(cluster, gateway);
  if ('error' in gw) return null;
  const g = gatewayGraph(cluster);
  const st = g.gatewayState.get(gw);
  const routes = g.routes
    .map((rs) => ({
      route: `${rs.route.id.namespace}/${rs.route.id.name}`,
      kind: rs.route.id.kind,
      parents: rs.parents
        .filter(
          (p) =>
            p.gateway === gw ||
            (p.parentRef.kind === 'Gateway' &&
              p.parentRef.namespace === gw.id.namespace &&
              p.parentRef.name === gw.id.name) ||
            (p.listenerSet && g.listenerSetState.get(p.listenerSet)?.gateway === gw),
        )
        .map((p) => ({
          parentRef: {
            name: p.parentRef.name,
            namespace: p.parentRef.namespace,
            kind: p.parentRef.kind,
            ...(p.parentRef.sectionName !== undefined ? { sectionName: p.parentRef.sectionName } : {}),
            ...(p.parentRef.port !== undefined ? { port: p.parentRef.port } : {}),
          },
          conditions: parentConditions(rs, p),
        })),
    }))
    .filter((r) => r.parents.length > 0);
  const listenerJson = (l: ListenerState) => ({
    name: l.ref.listener.name,
    ...(l.ref.listenerSet
      ? { listenerSet: `${l.ref.listenerSet.id.namespace}/${l.ref.listenerSet.id.name}` }
      : {}),
    attachedRoutes: l.attached.length,
    supportedKinds: l.supportedKinds,
    conditions: l.conditions,
  });
  return {
    gateway: `${gw.id.namespace}/${gw.id.name}`,
    attachedListenerSets: st?.attachedListenerSets ?? 0,
    listeners: (st?.listeners ?? []).map(listenerJson),
    // every ListenerSet whose parentRef names this Gateway, accepted or not
    listenerSets: g.listenerSets
      .filter((s) => s.gateway === gw)
      .map((s) => ({
        name: `${s.listenerSet.id.namespace}/${s.listenerSet.id.name}`,
        conditions: s.conditions,
        listeners: s.listeners.map(listenerJson),
      })),
    routes,
  };
}

function podText(p: PodTarget): string {
  const replicas = p.replicas === null ? '' : ` (${p.replicas} replica${p.replicas === 1 ? '' : 's'})`;
  if (p.problem) return `${p.workload}${replicas}: ${p.problem}`;
  const port =
    p.containerPort === null
      ? 'no port'
      : `port ${p.containerPort}${p.portName ? ` "${p.portName}"` : ''}/${p.protocol}`;
  return `${p.workload}${replicas} → ${p.container ? `container ${p.container} ` : ''}${port}${p.declared ? '' : ' (not declared by any container)'}`;
}

function filterText(f: FilterResult): string {
  if (f.redirect) return `RequestRedirect ${f.redirect.statusCode} → ${f.redirect.location}`;
  if (f.rewrite) return `URLRewrite → Host ${f.rewrite.hostname}, path ${f.rewrite.path}`;
  if (f.mirror)
    return `RequestMirror → Service ${f.mirror.namespace}/${f.mirror.service}${f.mirror.port !== null ? `:${f.mirror.port}` : ''} (${f.mirror.percent}%)${f.mirror.invalid ? `: ${f.mirror.reason}` : ''}`;
  if (f.set || f.add || f.remove) {
    const parts = [
      ...(f.set ?? []).map((h) => `set ${h.name}: ${h.value}`),
      ...(f.add ?? []).map((h) => `add ${h.name}: ${h.value}`),
      ...(f.remove ?? []).map((n) => `remove ${n}`),
    ];
    return `${f.type} ${parts.join(', ')}`;
  }
  if (f.extensionRef)
    return `ExtensionRef ${f.extensionRef.kind} ${f.extensionRef.name}${f.extensionRef.group ? ` (${f.extensionRef.group})` : ''}`;
  return f.type;
}

/** Human-readable answer: the decision first, then each step with where it is written. */
export function gatewayRouteText(cluster: Cluster, r: GatewayRouteResult, locate: Locate): string {
  const lines: string[] = [];
  const push = (label: string, text: string, source?: SourceRef) => {
    lines.push(`  ${label.padEnd(9)}${text}`);
    const l = locate(source);
    if (l) lines.push(`  ${' '.repeat(9)}at ${l.file}:${l.line}:${l.column}`);
  };
  const m = r.match;
  const request =
    (r.method ? `${r.method} ${r.url}` : r.url) +
    (r.match && r.sni !== undefined && r.sni !== r.host ? ` (SNI ${r.sni})` : '');
  if (!m) {
    const what = r.reason?.startsWith('rejected: ')
      ? 'connection rejected'
      : r.misdirected
        ? '421 Misdirected Request'
        : '404';
    lines.push(
      `NO MATCH (${what}): ${request}${r.sni !== undefined && r.sni !== r.host ? ` (SNI ${r.sni})` : ''}`,
    );
    push('gateway', `${r.gateway ?? '?'}${r.listener ? `, listener "${r.listener}"` : ''}`);
    push('reason', (r.reason ?? 'no rule matches').replace(/^(404|421|rejected): /, ''));
    for (const x of r.refused) push('refused', `${x.route}: ${x.reason}: ${x.message}`);
  } else {
    const head = m.redirect
      ? `${m.status} redirect → ${m.redirect.location}`
      : m.status === 500
        ? `HTTP 500${m.backend ? ` (backend ${m.backend.namespace}/${m.backend.service})` : ''}`
        : `Service ${m.backend?.namespace}/${m.backend?.service}${m.backend?.port !== null ? `:${m.backend?.port}` : ''}`;
    lines.push(`${request} → ${head}`);
    push(
      'gateway',
      `${m.gateway}, listener "${m.listener}"${m.listenerSet ? ` (ListenerSet ${m.listenerSet})` : ''}`,
    );
    push('route', `${m.routeKind} ${m.route}${m.hostname ? ` (hostname ${m.hostname})` : ''}`, m.routeSource);
    push(
      'rule',
      `rule ${m.rule}${m.ruleName ? ` "${m.ruleName}"` : ''}${m.matchIndex !== null ? `, match ${m.matchIndex}` : ''}: ${m.why}`,
      m.source,
    );
    m.filters.forEach((f, i) => push(i === 0 ? 'filters' : '', filterText(f), f.source));
    if (m.backends.length > 1 || m.backends.some((b) => b.invalid)) {
      m.backends.forEach((b, i) =>
        push(
          i === 0 ? 'backends' : '',
          `${b.kind ? `${b.kind} ` : ''}${b.namespace}/${b.service}${b.port !== null ? `:${b.port}` : ''} weight ${b.weight} (${b.percent}%)${b.invalid ? `: invalid (${b.reasonCode}): ${b.reason}` : ''}`,
          b.source,
        ),
      );
    }
    if (m.invalid) push('status', m.status === 500 ? `500: ${m.reason ?? ''}` : (m.reason ?? ''));
    const { follow, problems } = gatewayAnswerFacts(cluster, r);
    if (follow?.service) {
      const p = follow.service.port;
      push(
        'service',
        `${follow.service.name} (${follow.service.type})${p ? ` port ${p.port}${p.name ? ` "${p.name}"` : ''}/${p.protocol} → targetPort ${p.targetPort}` : ''}`,
        follow.service.portSource ?? follow.service.source,
      );
      follow.pods.forEach((p, i) => push(i === 0 ? 'pods' : '', podText(p), p.portSource ?? p.source));
      for (const n of follow.notes) push('note', n);
    }
    for (const p of problems) push('problem', p.message, p.source);
    for (const o of r.outranked.slice(0, 3)) push('outranks', `${o.route} rule ${o.rule}: ${o.why}`);
  }
  for (const n of r.notes) push('note', n);
  return lines.join('\n') + '\n';
}

/** Exit status: 0 when the Gateway forwards the request to a valid backend or redirects it; 1 for a 404 or a 500. */
export function gatewayExitCode(r: GatewayRouteResult): number {
  return r.match && !r.match.invalid ? 0 : 1;
}
