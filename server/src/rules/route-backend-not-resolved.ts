// A route backendRef (or mirror backendRef) that the engine cannot resolve (the reason a controller
// writes in the route's ResolvedRefs condition; the requests sent to it are answered with a 500):
// - RefNotPermitted: a Service in another namespace without a ReferenceGrant there that permits it
//   (error when the workspace holds that namespace's Services, else warning; quick fix: add the
//   ReferenceGrant, in the Service's namespace, to this file);
// - BackendNotFound: the Service is not defined (warning, said only when the workspace defines
//   Services in that namespace; quick fix: the near name), or has no such port (error; quick fix: the
//   Service's ports);
// - InvalidKind: a kind other than a core Service (information: implementations add their own backend
//   kinds; ServiceImport, of Extended support, gets nothing).
// - WeightZero: every backendRef of the rule has weight 0, so no backend gets a share and each request
//   the rule matches gets HTTP 500 (warning, at the first weight; not said when a RequestRedirect or an
//   ExtensionRef filter may answer the request).
// A Service reference without a port is rule route-backend-port-missing's (the API server rejects it).
// The rule is a view of the route graph: engine/route/gateway-facts.ts finds and words each problem,
// the same one the routing preview shows on the backend's edge.

import type { CrossFileRuleContext, QuickFix, ReportOptions, Rule, RuleContext } from './types';
import { isGatewayApi, ROUTE_KINDS } from './gateway-ast';
import { gatewayView, routeStateOf, spanOf } from './gateway-graph-view';
import { routeGraph } from '../engine/route/graph';
import type { RouteGraphProblem } from '../engine/route/graph';

/** The text of a ReferenceGrant letting `fromKind`s of `fromNs` refer to Service `name` in `ns`. */
export function referenceGrantText(
  fromKind: string,
  fromNs: string,
  toKind: string,
  ns: string,
  name: string,
): string {
  return [
    'apiVersion: gateway.networking.k8s.io/v1beta1',
    'kind: ReferenceGrant',
    'metadata:',
    `  name: allow-${fromNs}-${fromKind.toLowerCase()}s-to-${name}`.slice(0, 253),
    `  namespace: ${ns}`,
    'spec:',
    '  from:',
    '  - group: gateway.networking.k8s.io',
    `    kind: ${fromKind}`,
    `    namespace: ${fromNs}`,
    '  to:',
    `  - group: ""`,
    `    kind: ${toKind}`,
    `    name: ${name}`,
    '',
  ].join('\n');
}

/** A fix adding a document next to the manifest of the object it is about (right after that object's
 * YAML document, in its own file), or at the end of the checked resource's file when the workspace
 * does not hold that object. */
export function documentNextTo(
  ctx: CrossFileRuleContext,
  kind: string,
  namespace: string,
  name: string,
  title: string,
  text: string,
): QuickFix {
  const target = ctx.index.find(kind, namespace, name).filter((e) => e.resource.apiVersion === 'v1')[0];
  if (!target) return { title, edits: [appendDocument(ctx, text)], preferred: true };
  const doc = target.resource.doc;
  const sep = doc.text.endsWith('\n') ? '' : '\n';
  if (target.uri === ctx.uri && doc === ctx.resource.doc)
    return {
      title,
      edits: [{ start: doc.text.length, end: doc.text.length, newText: `${sep}---\n${text}` }],
      preferred: true,
    };
  const at = doc.base + doc.text.length;
  const file = target.uri.slice(target.uri.lastIndexOf('/') + 1);
  return {
    title: `${title} (in ${file}, next to ${kind} ${name})`,
    edits: [],
    otherFiles: [{ uri: target.uri, edits: [{ start: at, end: at, newText: `${sep}---\n${text}` }] }],
    preferred: true,
  };
}

/** An edit appending a document to the end of the file of the checked resource. */
export function appendDocument(ctx: RuleContext, text: string): QuickFix['edits'][number] {
  const doc = ctx.resource.doc;
  // offsets are relative to the document: its end is the end of its text
  const end = doc.text.length;
  const sep = doc.text.endsWith('\n') ? '' : '\n';
  return { start: end, end, newText: `${sep}---\n${text}` };
}

export const rule: Rule = {
  id: 'route-backend-not-resolved',
  scope: 'cross-file',
  defaultSeverity: 'error',
  kinds: ROUTE_KINDS,
  description:
    'A route backendRef that does not resolve, so its share of the requests gets HTTP 500: a Service in another namespace without a ReferenceGrant, a Service or port that does not exist, a kind that is not a Service. Also a rule whose backendRefs all have weight 0 (a warning): no backend gets its requests, so each gets HTTP 500.',
  check(ctx) {
    const r = ctx.resource;
    if (!isGatewayApi(r)) return;
    const view = gatewayView(ctx);
    const state = routeStateOf(ctx, view);
    if (!state) return;
    // The route graph finds and words each problem (engine/route/gateway-facts.ts); this rule reports
    // it at the backendRef and offers the fix its data makes certain.
    const graph = routeGraph(view.cluster);
    for (const ref of state.backends.keys()) {
      for (const p of graph.routeBackends.get(ref)?.problems ?? []) {
        if (!p.at) continue;
        const span = spanOf(ctx, p.at);
        ctx.report(span, p.message, { severity: p.severity, fixes: fixesOf(ctx, p, span) });
      }
    }
  },
};

function fixesOf(
  ctx: CrossFileRuleContext,
  p: RouteGraphProblem,
  span: { start: number; end: number },
): ReportOptions['fixes'] {
  const d = p.data;
  if (d?.grant) {
    const g = d.grant;
    const text = referenceGrantText(g.fromKind, g.fromNamespace, 'Service', g.namespace, g.name);
    return () => [
      documentNextTo(
        ctx,
        'Service',
        g.namespace,
        g.name,
        `Add a ReferenceGrant in namespace ${g.namespace} allowing this ${g.fromKind}`,
        text,
      ),
    ];
  }
  if (d?.suggestion) {
    const suggestion = d.suggestion;
    return () => [
      {
        title: `Change to "${suggestion}"`,
        edits: [{ start: span.start, end: span.end, newText: suggestion }],
        preferred: true,
      },
    ];
  }
  if (d?.ports) {
    const ports = d.ports;
    return () =>
      ports.map((port) => ({
        title: `Change port to ${port}`,
        edits: [{ start: span.start, end: span.end, newText: String(port) }],
        preferred: ports.length === 1,
      }));
  }
  return undefined;
}
