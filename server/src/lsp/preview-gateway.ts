// The Gateway API part of the routing preview's graph: Gateway → listener → route rule → Service (→
// pods, drawn by the Service part), with the filters on the rule's edges, each refused attachment as a
// refused edge carrying the reason, and the listeners of ListenerSets (a refused ListenerSet's or a
// conflicted listener behind a refused edge). The listeners and rules are the route graph's Gateway
// entries (engine/route/gateway-facts.ts), with the backend problems worded there; status conditions
// come from the Gateway graph. This file only maps them to nodes and edges.

import { gatewayGraph, parentConditions } from '../engine/gateway';
import type { FilterInfo, GatewayInfo, RouteInfo, RouteRuleInfo } from '../engine/gateway';
import { gatewayEntryId, routeGraph } from '../engine/route';
import type { RouteGraphProblem } from '../engine/route';
import type { Cluster, SourceRef } from '../engine/types';
import type { GraphEdge, GraphNode, Problem } from '../protocol/preview';

/** What the graph under construction offers this part (see routeGraphView). */
export interface GraphApi {
  addNode(
    n: Omit<GraphNode, 'problems' | 'hosts' | 'classes'> & Partial<GraphNode>,
    ref?: SourceRef,
  ): GraphNode;
  addEdge(from: string, to: string, label?: string, ref?: SourceRef): GraphEdge;
  /** The Service node (with its workloads), or a "missing" node with these problems. */
  serviceNode(ns: string, name: string, ref: SourceRef | undefined, missing: Problem[]): GraphNode;
  claim(ref: SourceRef | undefined, target: { node?: GraphNode; edge?: GraphEdge }): void;
  tag(n: GraphNode, host: string | undefined, cls: string | undefined): void;
  /** The whole resource's range, by "Kind/namespace/name". */
  range(key: string): SourceRef | undefined;
  location(ref: SourceRef | undefined): GraphNode['location'];
  /** A route graph problem as the preview shows it (none when its rule is off). */
  problem(p: RouteGraphProblem): Problem[];
}

/** Node ids: a listener's and a rule's are the route graph's entry ids. */
export const gatewayNodeId = {
  gateway: (ns: string, name: string) => `gw:${ns}/${name}`,
  listener: gatewayEntryId.listener,
  rule: (r: RouteInfo, i: number) => gatewayEntryId.rule(r.id.kind, r.id.namespace, r.id.name, i),
};

/** The host filter's value for a hostname (undefined: every host). */
function hostTag(h: string | undefined): string {
  return h ?? '';
}

function filterText(f: FilterInfo): string {
  if (f.requestRedirect) {
    const r = f.requestRedirect;
    const path = r.path
      ? ` path ${r.path.type === 'ReplaceFullPath' ? r.path.replaceFullPath : `${r.path.replacePrefixMatch} (prefix)`}`
      : '';
    return `redirect ${r.statusCode}${r.scheme ? ` ${r.scheme}://` : ''}${r.hostname ? ` ${r.hostname}` : ''}${r.port ? ` :${r.port}` : ''}${path}`;
  }
  if (f.urlRewrite) {
    const u = f.urlRewrite;
    const path = u.path
      ? ` path ${u.path.type === 'ReplaceFullPath' ? u.path.replaceFullPath : `${u.path.replacePrefixMatch} (prefix)`}`
      : '';
    return `rewrite${u.hostname ? ` host ${u.hostname}` : ''}${path}`;
  }
  const mod = f.requestHeaderModifier ?? f.responseHeaderModifier;
  if (mod) {
    const parts = [
      ...mod.set.map((h) => `set ${h.name}`),
      ...mod.add.map((h) => `add ${h.name}`),
      ...mod.remove.map((n) => `remove ${n}`),
    ];
    return `${f.type === 'ResponseHeaderModifier' ? 'response' : 'request'} headers: ${parts.join(', ')}`;
  }
  if (f.requestMirror)
    return `mirror to ${f.requestMirror.backendRef.name}${f.requestMirror.percent !== undefined ? ` (${f.requestMirror.percent}%)` : ''}`;
  if (f.extensionRef) return `extension ${f.extensionRef.kind} ${f.extensionRef.name}`;
  return f.type;
}

function ruleDetails(route: RouteInfo, rule: RouteRuleInfo): string[] {
  const out: string[] = [];
  if (route.id.kind === 'GRPCRoute') {
    for (const m of rule.grpcMatches)
      out.push(
        `${m.method?.service ?? '*'}/${m.method?.method ?? '*'}${m.headers.length ? ` + ${m.headers.length} header${m.headers.length > 1 ? 's' : ''}` : ''}`,
      );
    if (!rule.grpcMatches.length) out.push('every gRPC method');
  } else if (route.id.kind === 'TLSRoute') {
    // TLSRoute rules match nothing themselves: the route's hostnames select the SNI
    out.push(route.hostnames.length ? `SNI ${route.hostnames.join(', ')}` : 'every SNI the listener takes');
  } else if (route.id.kind === 'TCPRoute' || route.id.kind === 'UDPRoute') {
    out.push(`every ${route.id.kind === 'UDPRoute' ? 'datagram' : 'connection'} on the listener`);
  } else {
    for (const m of rule.matches) {
      const extra = [
        m.method,
        ...m.headers.map((h) => `${h.name}${h.type === 'RegularExpression' ? '~' : '='}${h.value}`),
        ...m.queryParams.map((q) => `?${q.name}=${q.value}`),
      ].filter(Boolean);
      out.push(`${m.path.type} ${m.path.value}${extra.length ? ` ${extra.join(' ')}` : ''}`);
    }
  }
  out.push(`${route.id.kind} ${route.id.namespace}/${route.id.name}`);
  return out.slice(0, 6);
}

function listenerLabel(name: string): string {
  return name || '(unnamed listener)';
}

export function addGatewayRoutes(api: GraphApi, cluster: Cluster): void {
  const graph = routeGraph(cluster);
  const gwIds = new Map<string, string>();
  const gatewayNode = (gw: GatewayInfo): string => {
    const key = `${gw.id.namespace}/${gw.id.name}`;
    const known = gwIds.get(key);
    if (known) return known;
    const gid = gatewayNodeId.gateway(gw.id.namespace, gw.id.name);
    gwIds.set(key, gid);
    const st = gatewayGraph(cluster).gatewayState.get(gw);
    const count = st?.listeners.length ?? gw.listeners.length;
    const sets = st?.attachedListenerSets ?? 0;
    const gn = api.addNode(
      {
        id: gid,
        kind: 'gateway',
        label: gw.id.name,
        namespace: gw.id.namespace,
        details: [
          `Gateway${gw.className ? ` (class ${gw.className})` : ''}`,
          `${count} listener${count === 1 ? '' : 's'}${sets ? ` (${sets} ListenerSet${sets === 1 ? '' : 's'} attached)` : ''}`,
        ],
      },
      gw.source,
    );
    api.claim(api.range(`Gateway/${gw.id.namespace}/${gw.id.name}`), { node: gn });
    return gid;
  };

  // Listeners: of each Gateway, of the ListenerSets it accepts, and of the ListenerSets it refuses (or
  // whose Gateway is not in the manifests), the refused ones behind a refused edge saying why.
  for (const entry of graph.entries) {
    if (entry.kind !== 'gateway-listener') continue;
    const l = entry.listener;
    const set = entry.listenerSet;
    const ls = entry.state;
    const attached = ls?.attached.length ?? 0;
    const refused = ls?.refused.length ?? 0;
    const conflicted = ls?.conditions.find((c) => c.type === 'Conflicted' && c.status === 'True');
    const ln = api.addNode(
      {
        id: entry.id,
        kind: 'listener',
        label: listenerLabel(l.name),
        namespace: (set ?? entry.gateway)?.id.namespace,
        details: [
          `${l.protocol} :${l.port}`,
          l.hostname ?? '* (any host)',
          ...(set ? [`ListenerSet ${set.id.namespace}/${set.id.name}`] : []),
          ...(conflicted ? [`Conflicted (${conflicted.reason}): serves nothing`] : []),
          ...(entry.listenerSetState && !entry.listenerSetState.accepted
            ? [`not attached (${entry.listenerSetState.reason})`]
            : []),
          `${attached} route${attached === 1 ? '' : 's'} attached${refused ? ` · ${refused} refused` : ''}`,
        ],
      },
      l.source,
    );
    api.tag(ln, hostTag(l.hostname), undefined);
    api.claim(l.source, { node: ln });
    if (set) api.claim(api.range(`${set.id.kind}/${set.id.namespace}/${set.id.name}`), { node: ln });
    // Conflicted is the one condition whose False is good news (no conflict)
    for (const c of ls?.conditions ?? [])
      if (c.type !== 'Conflicted' && c.status === 'False' && !(conflicted && c.type !== 'ResolvedRefs'))
        ln.problems.push({
          severity: c.type === 'Programmed' ? 'warning' : 'error',
          message: `${c.type} ${c.reason}: ${c.message}`,
          location: api.location(l.source),
        });
    const lss = entry.listenerSetState;
    const refusal = conflicted ?? (lss && !lss.accepted ? entry.refusal : undefined);
    if (!entry.gateway) {
      // a ListenerSet whose Gateway is not in the manifests: the listener stands alone
      if (refusal)
        ln.problems.push({
          severity: 'error',
          message: `${refusal.reason}: ${refusal.message}`,
          location: api.location(set?.parentRefSource ?? l.source),
        });
      continue;
    }
    const e = api.addEdge(gatewayNode(entry.gateway), entry.id);
    if (refusal) {
      e.refused = true;
      e.label = conflicted ? `conflicted (${conflicted.reason})` : 'refused';
      e.problems.push({
        severity: 'error',
        message: `${conflicted ? 'Conflicted' : 'Not attached'} (${refusal.reason}): ${refusal.message}`,
        location: api.location(conflicted ? l.source : (set?.parentRefSource ?? l.source)),
      });
    }
  }

  for (const entry of graph.entries) {
    if (entry.kind !== 'route-rule') continue;
    const route = entry.route;
    const rule = entry.ruleInfo;
    const rn = api.addNode(
      {
        id: entry.id,
        kind: 'rule',
        label: `${route.id.name} #${entry.rule}${rule?.name ? ` ${rule.name}` : ''}`,
        namespace: route.id.namespace,
        details: rule
          ? ruleDetails(route, rule)
          : [`${route.id.kind} ${route.id.namespace}/${route.id.name} (no rules)`],
      },
      entry.source,
    );
    if (rule) api.claim(rule.source, { node: rn });
    if (entry.rule === 0)
      api.claim(api.range(`${route.id.kind}/${route.id.namespace}/${route.id.name}`), { node: rn });
    // Where the rule leads: the backendRefs (weights and filters on the edges, mirrors marked as such);
    // a redirect is on the rule.
    if (rule) {
      const redirect = rule.filters.find((f) => f.requestRedirect);
      if (redirect) rn.details.push(filterText(redirect));
      const total = rule.backendRefs.reduce((s, b) => s + Math.max(0, b.weight), 0);
      const ruleFilters = rule.filters.filter((f) => !f.requestRedirect && !f.requestMirror).map(filterText);
      for (const be of entry.backends) {
        const b = be.ref;
        const problems = be.problems.flatMap((p) => api.problem(p));
        const isService = b.kind === 'Service' && (b.group === '' || b.group === 'core');
        const sn = isService
          ? api.serviceNode(b.namespace, b.name, b.nameSource ?? b.source, problems)
          : api.addNode(
              {
                id: `res:${b.namespace}/${b.kind}/${b.name}`,
                kind: 'missing',
                label: b.name,
                namespace: b.namespace,
                details: [`${b.group ? `${b.group}/` : ''}${b.kind} (not a Service)`],
              },
              b.source,
            );
        const port = b.port !== undefined ? `:${b.port}` : '(no port)';
        let label: string;
        if (be.mirror) label = `mirror ${port}`;
        else {
          const share =
            rule.backendRefs.length > 1
              ? ` weight ${b.weight}${total ? ` (${Math.round((100 * Math.max(0, b.weight)) / total)}%)` : ''}`
              : '';
          const filters = [...ruleFilters, ...b.filters.map(filterText)];
          label = `${port}${share}${filters.length ? ` · ${filters.join('; ')}` : ''}`;
        }
        const e = api.addEdge(rn.id, sn.id, label, b.source);
        if (!be.mirror) {
          const filters = [...rule.filters.filter((f) => !f.requestRedirect), ...b.filters].map(filterText);
          if (filters.length) e.filters = [...new Set([...(e.filters ?? []), ...filters])];
        }
        api.claim(b.source, { edge: e });
        if (sn.kind === 'missing' && isService) continue; // shown on the missing Service's node
        for (const p of problems) if (!e.problems.some((x) => x.message === p.message)) e.problems.push(p);
      }
      if (!redirect && rule.backendRefs.length === 0)
        rn.problems.push({
          severity: 'warning',
          message:
            'this rule has no backendRefs and no redirect: the Gateway answers its requests with HTTP 500',
          location: api.location(rule.source),
        });
    }
    // Attachments: accepted listener → rule edges; refused ones drawn as refused edges with the reason.
    for (const a of entry.attached) {
      for (const h of a.verdict.hostnames) api.tag(rn, hostTag(h), undefined);
      const e = api.addEdge(
        a.listener,
        rn.id,
        a.verdict.hostnames.map((h) => h ?? '*').join(', '),
        a.attachment.parentRef.source,
      );
      api.claim(a.attachment.parentRef.source, { edge: e });
    }
    if (entry.rule !== 0) continue;
    const rs = gatewayGraph(cluster).routeState.get(route);
    for (const p of entry.parents) {
      if (p.accepted || !rs) continue;
      const accepted = parentConditions(rs, p)[0];
      // Refused: from the listeners that refused (or the Gateway, when no listener was selected).
      const from = p.listeners.length
        ? p.listeners
            .filter((v) => !v.accepted)
            .map((v) => ({ id: gatewayNodeId.listener(v.listener.key), reason: `${v.reason}: ${v.message}` }))
        : p.gateway
          ? [{ id: gatewayNode(p.gateway), reason: `${accepted.reason}: ${accepted.message}` }]
          : [];
      for (const f of from) {
        const e = api.addEdge(f.id, rn.id, 'refused', p.parentRef.source);
        e.refused = true;
        e.problems.push({
          severity: 'error',
          message: `${route.id.kind} ${route.id.namespace}/${route.id.name} is not attached: ${f.reason}`,
          location: api.location(p.parentRef.source),
        });
        api.claim(p.parentRef.source, { edge: e });
      }
      if (!from.length)
        rn.problems.push({
          severity: 'error',
          message: `not attached (${accepted.reason}): ${accepted.message}`,
          location: api.location(p.parentRef.source),
        });
    }
  }
}
