// The Gateway API part of the routing preview's graph: Gateway → listener → route rule → Service (→
// pods, drawn by the Service part), with the filters on the rule's edges, and each refused attachment
// as a refused edge carrying the reason. Every fact comes from the engine's gateway graph
// (engine/gateway/graph.ts); this file only maps it to nodes and edges.

import { gatewayGraph, parentConditions } from '../engine/gateway';
import type {
  BackendResolution,
  FilterInfo,
  ListenerState,
  ParentAttachment,
  RouteInfo,
  RouteRuleInfo,
} from '../engine/gateway';
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
}

export const gatewayNodeId = {
  gateway: (ns: string, name: string) => `gw:${ns}/${name}`,
  listener: (key: string) => `listener:${key}`,
  rule: (r: RouteInfo, i: number) => `rule:${r.id.kind}/${r.id.namespace}/${r.id.name}/${i}`,
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

function listenerLabel(ls: ListenerState): string {
  return ls.ref.listener.name || '(unnamed listener)';
}

export function addGatewayRoutes(api: GraphApi, cluster: Cluster): void {
  const g = gatewayGraph(cluster);
  const gwIds = new Map<string, string>();
  for (const st of g.gateways) {
    const gw = st.gateway;
    const gid = gatewayNodeId.gateway(gw.id.namespace, gw.id.name);
    gwIds.set(`${gw.id.namespace}/${gw.id.name}`, gid);
    const gn = api.addNode(
      {
        id: gid,
        kind: 'gateway',
        label: gw.id.name,
        namespace: gw.id.namespace,
        details: [
          `Gateway${gw.className ? ` (class ${gw.className})` : ''}`,
          `${st.listeners.length} listener${st.listeners.length === 1 ? '' : 's'}`,
        ],
      },
      gw.source,
    );
    api.claim(api.range(`Gateway/${gw.id.namespace}/${gw.id.name}`), { node: gn });
    for (const ls of st.listeners) {
      const l = ls.ref.listener;
      const lid = gatewayNodeId.listener(ls.ref.key);
      const attached = ls.attached.length;
      const ln = api.addNode(
        {
          id: lid,
          kind: 'listener',
          label: listenerLabel(ls),
          namespace: (ls.ref.listenerSet ?? gw).id.namespace,
          details: [
            `${l.protocol} :${l.port}`,
            l.hostname ?? '* (any host)',
            `${attached} route${attached === 1 ? '' : 's'} attached${ls.refused.length ? ` · ${ls.refused.length} refused` : ''}`,
          ],
        },
        l.source,
      );
      api.tag(ln, hostTag(l.hostname), undefined);
      api.claim(l.source, { node: ln });
      for (const c of ls.conditions)
        if (c.status === 'False')
          ln.problems.push({
            severity: c.type === 'Programmed' ? 'warning' : 'error',
            message: `${c.type} ${c.reason}: ${c.message}`,
          });
      api.addEdge(gid, lid);
    }
  }

  const ruleNodes = new Map<string, GraphNode>();
  const ruleNode = (route: RouteInfo, i: number): GraphNode => {
    const id = gatewayNodeId.rule(route, i);
    const existing = ruleNodes.get(id);
    if (existing) return existing;
    const rule = route.rules[i];
    const n = api.addNode(
      {
        id,
        kind: 'rule',
        label: `${route.id.name} #${i}${rule?.name ? ` ${rule.name}` : ''}`,
        namespace: route.id.namespace,
        details: rule
          ? ruleDetails(route, rule)
          : [`${route.id.kind} ${route.id.namespace}/${route.id.name} (no rules)`],
      },
      rule?.source ?? route.source,
    );
    api.claim(rule?.source, { node: n });
    ruleNodes.set(id, n);
    return n;
  };

  for (const rs of g.routes) {
    const route = rs.route;
    const routeRange = api.range(`${route.id.kind}/${route.id.namespace}/${route.id.name}`);
    const ruleCount = Math.max(1, route.rules.length);
    // Where each rule leads: the backendRefs (weights and filters on the edges); a redirect is on the rule.
    route.rules.forEach((rule, i) => {
      const rn = ruleNode(route, i);
      const redirect = rule.filters.find((f) => f.requestRedirect);
      if (redirect) rn.details.push(filterText(redirect));
      const total = rule.backendRefs.reduce((s, b) => s + Math.max(0, b.weight), 0);
      const ruleFilters = rule.filters.filter((f) => !f.requestRedirect).map(filterText);
      for (const b of rule.backendRefs) {
        const res: BackendResolution | undefined = rs.backends.get(b);
        const problem: Problem[] =
          res && !res.valid
            ? [
                {
                  severity: 'error',
                  message: `${res.reason}: ${res.message} (requests sent to it get HTTP 500)`,
                  location: api.location(b.source),
                },
              ]
            : [];
        const isService = b.kind === 'Service' && (b.group === '' || b.group === 'core');
        const sn = isService
          ? api.serviceNode(b.namespace, b.name, b.nameSource ?? b.source, res && !res.service ? problem : [])
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
        const share =
          rule.backendRefs.length > 1
            ? ` weight ${b.weight}${total ? ` (${Math.round((100 * Math.max(0, b.weight)) / total)}%)` : ''}`
            : '';
        const filters = [...ruleFilters, ...b.filters.map(filterText)];
        const e = api.addEdge(
          rn.id,
          sn.id,
          `${b.port !== undefined ? `:${b.port}` : '(no port)'}${share}${filters.length ? ` · ${filters.join('; ')}` : ''}`,
          b.source,
        );
        if (filters.length) e.filters = [...new Set([...(e.filters ?? []), ...filters])];
        api.claim(b.source, { edge: e });
        e.problems.push(...problem);
      }
      if (!redirect && rule.backendRefs.length === 0)
        rn.problems.push({
          severity: 'warning',
          message:
            'this rule has no backendRefs and no redirect: the Gateway answers its requests with HTTP 500',
          location: api.location(rule.source),
        });
    });
    if (route.rules.length === 0) ruleNode(route, 0);
    // Attachments: accepted listener → rule edges; refused ones drawn as refused edges with the reason.
    for (const p of rs.parents) {
      const conds = parentConditions(rs, p);
      const accepted = conds[0];
      if (p.accepted) {
        for (const v of p.listeners) {
          if (!v.accepted) continue;
          const lid = gatewayNodeId.listener(v.listener.key);
          for (let i = 0; i < ruleCount; i++) {
            const rn = ruleNode(route, i);
            const hostnames = v.hostnames.map((h) => h ?? '*');
            for (const h of v.hostnames) api.tag(rn, hostTag(h), undefined);
            const e = api.addEdge(lid, rn.id, hostnames.join(', '), p.parentRef.source);
            api.claim(p.parentRef.source, { edge: e });
          }
        }
        continue;
      }
      // Refused: from the listeners that refused (or the Gateway, when no listener was selected).
      const rn = ruleNode(route, 0);
      const from = p.listeners.length
        ? p.listeners
            .filter((v) => !v.accepted)
            .map((v) => ({ id: gatewayNodeId.listener(v.listener.key), reason: `${v.reason}: ${v.message}` }))
        : p.gateway
          ? [
              {
                id: gwIds.get(`${p.gateway.id.namespace}/${p.gateway.id.name}`)!,
                reason: `${accepted.reason}: ${accepted.message}`,
              },
            ]
          : [];
      for (const f of from) {
        if (!f.id) continue;
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
    const first = ruleNodes.get(gatewayNodeId.rule(route, 0));
    if (first) api.claim(routeRange, { node: first });
  }
}
