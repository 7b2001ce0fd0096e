// Hover for Gateway API resources: on apiVersion, which channel serves it; on a hostname, how the
// Gateway API wildcard differs from the Ingress one; on the kind, name or `spec` of a route
// (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute), a plain-language summary of it (where it
// attaches, what each rule matches, what it changes on the way, where it sends traffic; for TLS, TCP
// and UDP which connections it takes); on those of a Gateway, its listeners; on those of a
// BackendTLSPolicy, what it validates and the certificates its targets serve (./hover-backend-tls.ts).

import type { AstNode, MapNode } from '../syntax/ast';
import { asMap, asSeq, getIn, getValue, scalarText } from '../syntax/ast';
import type { ParsedDocument } from '../syntax/parse';
import type { Resource } from '../model/resource';
import type { ResourceIndex } from '../workspace/index';
import { EXPERIMENTAL_VERSIONS, STANDARD_VERSIONS } from '../rules/gateway-api-version';
import { inside, pairIn, resourceAt } from './resource-refs';
import { buildCluster } from '../model/cluster';
import { backendTlsGraph, gatewayGraph } from '../engine/gateway';
import { backendTlsMarkdown } from './hover-backend-tls';
import type { GatewayState, RouteState } from '../engine/gateway';

export interface GatewayHover {
  markdown: string;
  start: number;
  end: number;
  /** Shown instead of the field documentation (else above it). */
  replaces?: boolean;
}

const GROUP = 'gateway.networking.k8s.io';

const esc = (s: string): string => s.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
const code = (s: string): string => '`' + s.replace(/`/g, "'") + '`';

function maps(node: AstNode | null | undefined): MapNode[] {
  return (asSeq(node)?.items ?? []).map(asMap).filter((m): m is MapNode => !!m);
}

function apiVersionMarkdown(r: Resource): string {
  const version = r.apiVersion.slice(GROUP.length + 1);
  const standard = STANDARD_VERSIONS[r.kind] ?? [];
  const lines = [
    `**${r.kind}** · ${code(r.apiVersion)} · Gateway API (a CRD, installed with the Gateway API release, not part of Kubernetes itself)`,
  ];
  if (standard.includes(version))
    lines.push(
      `Served by the **standard channel** (release v1.6 serves ${standard.map((v) => code(`${GROUP}/${v}`)).join(' and ')}).`,
    );
  else if (EXPERIMENTAL_VERSIONS[r.kind]?.includes(version))
    lines.push(
      `Served only by the **experimental channel**, deprecated there: the standard channel serves ${code(`${GROUP}/${standard[0]}`)}.`,
    );
  else
    lines.push(
      `Not served by any current release: the standard channel serves ${standard.map((v) => code(`${GROUP}/${v}`)).join(' and ') || 'no such kind'}.`,
    );
  return lines.join('\n\n');
}

const WILDCARD_NOTE = [
  '**Wildcards in the Gateway API**: `*.example.com` matches any host *ending* in `.example.com`, with any number of labels in front (`a.example.com` and `a.b.example.com`), but not `example.com` itself.',
  'An **Ingress** host `*.example.com` matches exactly one label (`a.example.com`, not `a.b.example.com`).',
  'A route attaches to a listener only when their hostnames intersect (a listener without hostname accepts every route hostname); the request then matches the most specific one.',
].join('\n\n');

function parentText(ref: MapNode, ownNs: string): string {
  const kind = scalarText(getValue(ref, 'kind')) ?? 'Gateway';
  const ns = scalarText(getValue(ref, 'namespace')) ?? ownNs;
  const name = scalarText(getValue(ref, 'name')) ?? '?';
  const section = scalarText(getValue(ref, 'sectionName'));
  const port = scalarText(getValue(ref, 'port'));
  return `${kind} ${code(`${ns}/${name}`)}${section ? ` listener ${code(section)}` : ' (every listener that accepts it)'}${port ? ` port ${port}` : ''}`;
}

function matchText(m: MapNode): string {
  const parts: string[] = [];
  const path = asMap(getValue(m, 'path'));
  if (path) {
    const type = scalarText(getValue(path, 'type')) ?? 'PathPrefix';
    const value = scalarText(getValue(path, 'value')) ?? '/';
    parts.push(
      type === 'Exact'
        ? `path exactly ${code(value)}`
        : type === 'PathPrefix'
          ? `path under ${code(value)}`
          : `path matching the regular expression ${code(value)} (its dialect is up to the implementation)`,
    );
  }
  const method = scalarText(getValue(m, 'method'));
  if (method) parts.push(`method ${method}`);
  for (const h of maps(getValue(m, 'headers'))) {
    const type = scalarText(getValue(h, 'type')) ?? 'Exact';
    parts.push(
      `header ${code(scalarText(getValue(h, 'name')) ?? '?')} ${type === 'Exact' ? '=' : '~'} ${code(scalarText(getValue(h, 'value')) ?? '')}`,
    );
  }
  for (const q of maps(getValue(m, 'queryParams')))
    parts.push(
      `query ${code(scalarText(getValue(q, 'name')) ?? '?')} = ${code(scalarText(getValue(q, 'value')) ?? '')}`,
    );
  const grpc = asMap(getValue(m, 'method'));
  if (grpc)
    parts.push(
      `gRPC ${code(`${scalarText(getValue(grpc, 'service')) ?? '*'}/${scalarText(getValue(grpc, 'method')) ?? '*'}`)}`,
    );
  return parts.length ? parts.join(' and ') : 'every request';
}

function filterText(f: MapNode): string {
  const type = scalarText(getValue(f, 'type')) ?? '?';
  switch (type) {
    case 'RequestRedirect': {
      const r = asMap(getValue(f, 'requestRedirect'));
      const bits = ['scheme', 'hostname', 'port']
        .map((k) => [k, scalarText(getValue(r, k))] as const)
        .filter(([, v]) => v)
        .map(([k, v]) => `${k} ${code(v!)}`);
      const path = asMap(getValue(r, 'path'));
      if (path)
        bits.push(
          `path ${code(scalarText(getValue(path, 'replaceFullPath')) ?? scalarText(getValue(path, 'replacePrefixMatch')) ?? '?')}${scalarText(getValue(path, 'type')) === 'ReplacePrefixMatch' ? ' (in place of the matched prefix)' : ''}`,
        );
      return `answers with a redirect (${scalarText(getValue(r, 'statusCode')) ?? '302'}) to ${bits.join(', ') || 'the same URL'}`;
    }
    case 'URLRewrite': {
      const r = asMap(getValue(f, 'urlRewrite'));
      const bits: string[] = [];
      const host = scalarText(getValue(r, 'hostname'));
      if (host) bits.push(`Host ${code(host)}`);
      const path = asMap(getValue(r, 'path'));
      if (path)
        bits.push(
          `path ${code(scalarText(getValue(path, 'replaceFullPath')) ?? scalarText(getValue(path, 'replacePrefixMatch')) ?? '?')}${scalarText(getValue(path, 'type')) === 'ReplacePrefixMatch' ? ' in place of the matched prefix' : ''}`,
        );
      return `rewrites ${bits.join(' and ') || 'nothing'} before forwarding`;
    }
    case 'RequestHeaderModifier':
    case 'ResponseHeaderModifier': {
      const m = asMap(
        getValue(f, type === 'RequestHeaderModifier' ? 'requestHeaderModifier' : 'responseHeaderModifier'),
      );
      const names = (k: string) =>
        maps(getValue(m, k)).map((h) => code(scalarText(getValue(h, 'name')) ?? '?'));
      const removed = (asSeq(getValue(m, 'remove'))?.items ?? []).map((i) => code(scalarText(i) ?? '?'));
      const bits = [
        names('set').length ? `sets ${names('set').join(', ')}` : '',
        names('add').length ? `adds ${names('add').join(', ')}` : '',
        removed.length ? `removes ${removed.join(', ')}` : '',
      ].filter(Boolean);
      return `${bits.join(', ') || 'changes no'} ${type === 'RequestHeaderModifier' ? 'request' : 'response'} header${bits.length ? 's' : 's'}`;
    }
    case 'RequestMirror': {
      const b = asMap(getIn(f, ['requestMirror', 'backendRef']));
      return `mirrors requests to ${code(`${scalarText(getValue(b, 'name')) ?? '?'}:${scalarText(getValue(b, 'port')) ?? '?'}`)} (its answers are ignored)`;
    }
    case 'CORS':
      return 'answers CORS preflight requests and adds the CORS response headers';
    case 'ExtensionRef':
      return `applies the implementation-specific filter ${code(scalarText(getIn(f, ['extensionRef', 'name'])) ?? '?')}`;
    default:
      return `applies filter ${esc(type)}`;
  }
}

function backendsText(rule: MapNode, ownNs: string): string {
  const refs = maps(getValue(rule, 'backendRefs'));
  if (refs.length === 0) return '';
  const weights = refs.map((b) => Number(scalarText(getValue(b, 'weight')) ?? 1));
  const total = weights.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  const parts = refs.map((b, i) => {
    const kind = scalarText(getValue(b, 'kind')) ?? 'Service';
    const ns = scalarText(getValue(b, 'namespace'));
    const target = `${kind === 'Service' ? '' : `${kind} `}${code(`${ns && ns !== ownNs ? `${ns}/` : ''}${scalarText(getValue(b, 'name')) ?? '?'}${scalarText(getValue(b, 'port')) ? `:${scalarText(getValue(b, 'port'))}` : ''}`)}`;
    const share = refs.length > 1 && total > 0 ? ` (${Math.round((weights[i] / total) * 1000) / 10}%)` : '';
    return target + share;
  });
  return `sends it to ${parts.join(', ')}`;
}

function attachmentText(state: RouteState | undefined, i: number): string {
  const p = state?.parents.find((x) => x.index === i);
  if (!p) return '';
  if (p.accepted)
    return ` — **attached** to ${p.listeners
      .filter((v) => v.accepted)
      .map((v) => code(v.listener.listener.name))
      .join(', ')}`;
  if (!p.gateway && !p.listenerSet) return ` — not in this workspace (${esc(p.message)})`;
  return ` — **refused**: ${esc(p.message)}`;
}

const STREAM_KINDS = new Set(['TLSRoute', 'TCPRoute', 'UDPRoute']);

/** What a TLSRoute, TCPRoute or UDPRoute does with a connection: which connections it takes (by SNI for
 * TLS), whether the listener decrypts TLS or passes it through, and where each rule sends them. */
function streamRulesText(
  kind: string,
  rules: MapNode[],
  ownNs: string,
  state: RouteState | undefined,
): string[] {
  const out: string[] = [];
  const listeners = (state?.parents ?? []).flatMap((p) =>
    p.listeners.filter((v) => v.accepted).map((v) => v.listener.listener),
  );
  if (kind === 'TLSRoute') {
    const modes = [...new Set(listeners.map((l) => l.tls?.mode ?? 'Terminate'))];
    out.push(
      'Takes TLS connections by their SNI (the server name the client sends before any HTTP): the most specific matching host name wins, then the oldest route.' +
        (modes.length === 0
          ? ''
          : modes.includes('Passthrough') && modes.length === 1
            ? ' Its listeners pass TLS through: the backend gets the encrypted stream and must hold the certificate.'
            : modes.length === 1
              ? ' Its listeners terminate TLS: the backend gets the decrypted stream.'
              : ' One of its listeners passes TLS through, another terminates it.'),
    );
  } else {
    out.push(
      `Takes every ${kind === 'UDPRoute' ? 'UDP datagram' : 'TCP connection'} that reaches its listener's port: nothing about a connection is matched, and when several ${kind}s attach to one listener the oldest (then the first by namespace/name) takes them all.`,
    );
  }
  if (rules.length === 0) out.push('No rules: no backend, every connection is closed.');
  rules.forEach((rule, i) => {
    const name = scalarText(getValue(rule, 'name'));
    const backends = backendsText(rule, ownNs);
    out.push(
      `${i + 1}. ${name ? `${code(name)}: ` : ''}${backends || 'no backendRefs: every connection is closed'}`,
    );
  });
  return out;
}

function routeMarkdown(r: Resource, ownNs: string, state: RouteState | undefined): string {
  const spec = asMap(getValue(r.node, 'spec'));
  const lines = [`**${r.kind} ${code(`${ownNs}/${r.name ?? '?'}`)}** in plain words`];
  const parents = maps(getValue(spec, 'parentRefs'));
  if (parents.length === 0)
    lines.push('Names no parent (`parentRefs`): it attaches to no Gateway and serves nothing.');
  else
    lines.push(
      ['Parents:', ...parents.map((p, i) => `- ${parentText(p, ownNs)}${attachmentText(state, i)}`)].join(
        '\n',
      ),
    );
  const hosts = (asSeq(getValue(spec, 'hostnames'))?.items ?? [])
    .map((h) => scalarText(h))
    .filter((h): h is string => !!h);
  lines.push(
    hosts.length
      ? `Host names: ${hosts.map(code).join(', ')}${hosts.some((h) => h.startsWith('*.')) ? ' (a wildcard covers any number of labels)' : ''}.`
      : 'No hostnames: it takes every host name its listeners accept.',
  );
  const rules = maps(getValue(spec, 'rules'));
  if (STREAM_KINDS.has(r.kind)) {
    lines.push(...streamRulesText(r.kind, rules, ownNs, state));
    return lines.join('\n\n');
  }
  if (rules.length === 0)
    lines.push(
      'No rules: it gets the default rule (every path under `/`) with no backend, so no Service receives its requests.',
    );
  rules.forEach((rule, i) => {
    const matches = maps(getValue(rule, 'matches'));
    const what = matches.length
      ? matches.map(matchText).join(', or ')
      : r.kind === 'HTTPRoute'
        ? 'every request (path under `/`)'
        : 'every request';
    const filters = maps(getValue(rule, 'filters')).map(filterText);
    const backends = backendsText(rule, ownNs);
    const name = scalarText(getValue(rule, 'name'));
    const does = [...filters, backends].filter(Boolean);
    lines.push(
      `${i + 1}. ${name ? `${code(name)}: ` : ''}${what} → ${does.length ? does.join('; ') : 'no backendRefs: no Service receives it (the implementation answers with an error)'}`,
    );
  });
  return lines.join('\n\n');
}

function routesOn(state: GatewayState | undefined, listener: string): string {
  const ls = state?.listeners.find((l) => !l.ref.listenerSet && l.ref.listener.name === listener);
  if (!ls) return '';
  const name = (x: { route: { id: { kind: string; namespace: string; name: string } } }) =>
    code(`${x.route.id.namespace}/${x.route.id.name}`);
  const parts = [`routes: ${ls.attached.length ? ls.attached.map(name).join(', ') : 'none'}`];
  if (ls.refused.length)
    parts.push(`refused: ${ls.refused.map((x) => `${name(x)} (${esc(x.verdict.message)})`).join(', ')}`);
  return `; ${parts.join('; ')}`;
}

function gatewayMarkdown(r: Resource, ownNs: string, state?: GatewayState): string {
  const spec = asMap(getValue(r.node, 'spec'));
  const lines = [
    `**Gateway ${code(`${ownNs}/${r.name ?? '?'}`)}** of GatewayClass ${code(scalarText(getValue(spec, 'gatewayClassName')) ?? '?')}`,
  ];
  const listeners = maps(getValue(spec, 'listeners'));
  for (const l of listeners) {
    const protocol = scalarText(getValue(l, 'protocol')) ?? '?';
    const host = scalarText(getValue(l, 'hostname'));
    const tls = asMap(getValue(l, 'tls'));
    const certs = maps(getValue(tls, 'certificateRefs')).map((c) =>
      code(`${scalarText(getValue(c, 'namespace')) ?? ownNs}/${scalarText(getValue(c, 'name')) ?? '?'}`),
    );
    const from = scalarText(getIn(l, ['allowedRoutes', 'namespaces', 'from'])) ?? 'Same';
    const admits =
      from === 'All'
        ? 'routes of every namespace'
        : from === 'Selector'
          ? 'routes of the namespaces its selector picks'
          : `routes of namespace ${code(ownNs)} only`;
    const tlsText =
      protocol === 'HTTPS' || protocol === 'TLS'
        ? scalarText(getValue(tls, 'mode')) === 'Passthrough'
          ? ', passes TLS through untouched'
          : certs.length
            ? `, terminates TLS with ${certs.join(', ')}`
            : ', terminates TLS with no certificate named'
        : '';
    lines.push(
      `- ${code(scalarText(getValue(l, 'name')) ?? '?')}: ${protocol} on port ${scalarText(getValue(l, 'port')) ?? '?'}, ${host ? `host ${code(host)}${host.startsWith('*.') ? ' (any number of labels in front)' : ''}` : 'any host'}${tlsText}; admits ${admits}${routesOn(state, scalarText(getValue(l, 'name')) ?? '')}`,
    );
  }
  if (listeners.length === 0) lines.push('No listeners.');
  lines.push(WILDCARD_NOTE.split('\n\n')[0]);
  return lines.join('\n\n');
}

function hostnameAt(r: Resource, offset: number): AstNode | undefined {
  const candidates: (AstNode | null | undefined)[] = [];
  for (const l of maps(getIn(r.node, ['spec', 'listeners']))) candidates.push(getValue(l, 'hostname'));
  for (const h of asSeq(getIn(r.node, ['spec', 'hostnames']))?.items ?? []) candidates.push(h);
  return candidates.find((n): n is AstNode => !!n && inside(n, offset));
}

/** The Gateway API explanation at a document-relative offset, or undefined. */
export function gatewayHover(
  doc: ParsedDocument,
  offset: number,
  index: ResourceIndex,
  uri = '',
): GatewayHover | undefined {
  try {
    const r = resourceAt(doc, offset);
    if (!r || !r.apiVersion.startsWith(GROUP + '/')) return undefined;
    const ownNs = index.namespaceOf(r);
    if (inside(r.apiVersionNode, offset))
      return {
        markdown: apiVersionMarkdown(r),
        start: r.apiVersionNode.start,
        end: r.apiVersionNode.end,
        replaces: true,
      };
    const host = hostnameAt(r, offset);
    if (host) return { markdown: WILDCARD_NOTE, start: host.start, end: host.end };
    for (const span of [r.kindNode, r.nameNode, pairIn(r.node, ['spec'])?.key]) {
      if (!span || !inside(span, offset)) continue;
      const at = r.doc.base + (r.nameNode ?? r.kindNode).start;
      const graph = () => gatewayGraph(buildCluster(index));
      const own = (s: { uri: string; start: number } | undefined) => !!s && s.start === at && s.uri === uri;
      if (r.kind === 'HTTPRoute' || r.kind === 'GRPCRoute' || STREAM_KINDS.has(r.kind)) {
        const state = graph().routes.find((x) => own(x.route.source));
        return {
          markdown: routeMarkdown(r, ownNs, state),
          start: span.start,
          end: span.end,
          replaces: span === r.kindNode,
        };
      }
      if (r.kind === 'Gateway') {
        const state = graph().gateways.find((x) => own(x.gateway.source));
        return {
          markdown: gatewayMarkdown(r, ownNs, state),
          start: span.start,
          end: span.end,
          replaces: span === r.kindNode,
        };
      }
      if (r.kind === 'BackendTLSPolicy') {
        const st = backendTlsGraph(buildCluster(index)).policies.find((x) => own(x.policy.source));
        if (st)
          return {
            markdown: backendTlsMarkdown(st),
            start: span.start,
            end: span.end,
            replaces: span === r.kindNode,
          };
      }
      if (span === r.kindNode)
        return { markdown: apiVersionMarkdown(r), start: span.start, end: span.end, replaces: true };
    }
    return undefined;
  } catch {
    // half-typed YAML must never cost the user the field documentation
    return undefined;
  }
}
