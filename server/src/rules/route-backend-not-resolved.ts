// A route backendRef (or mirror backendRef) that the engine cannot resolve (the reason a controller
// writes in the route's ResolvedRefs condition; its requests get HTTP 500):
// - RefNotPermitted: a Service in another namespace without a ReferenceGrant there that permits it
//   (error when the workspace holds that namespace's Services, else warning; quick fix: add the
//   ReferenceGrant, in the Service's namespace, to this file);
// - BackendNotFound: the Service is not defined (warning, said only when the workspace defines
//   Services in that namespace; quick fix: the near name), or has no such port (error; quick fix: the
//   Service's ports);
// - InvalidKind: a kind other than a core Service (information: implementations add their own backend
//   kinds; ServiceImport, of Extended support, gets nothing).
// A Service reference without a port is rule route-backend-port-missing's (the API server rejects it).

import type { CrossFileRuleContext, QuickFix, Rule, RuleContext } from './types';
import { isGatewayApi, ROUTE_KINDS } from './gateway-ast';
import { gatewayView, routeStateOf, spanOf } from './gateway-graph-view';
import { closest } from '../engine/edit-distance';

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
    'A route backendRef that does not resolve, so its share of the requests gets HTTP 500: a Service in another namespace without a ReferenceGrant, a Service or port that does not exist, a kind that is not a Service.',
  check(ctx) {
    const r = ctx.resource;
    if (!isGatewayApi(r)) return;
    const view = gatewayView(ctx);
    const state = routeStateOf(ctx, view);
    if (!state) return;
    for (const b of state.backends.values()) {
      if (b.valid || !b.ref.source) continue;
      const ref = b.ref;
      const nameSpan = ref.nameSource ? spanOf(ctx, ref.nameSource) : spanOf(ctx, ref.source!);
      if (b.reason === 'InvalidKind') {
        // ServiceImport (multi-cluster Services) has Extended support in the API: not worth a word
        if (ref.kind === 'ServiceImport' && ref.group === 'multicluster.x-k8s.io') continue;
        // a group or kind the API rejects is gateway-value-invalid's finding
        if (!/^[a-zA-Z][-a-zA-Z0-9]*$/.test(ref.kind) || !/^[a-z0-9.-]*$/.test(ref.group)) continue;
        ctx.report(
          nameSpan,
          `Backend ${ref.name} is a ${ref.kind}${ref.group ? ` (${ref.group})` : ''}, not a Service: only controllers that support this kind route to it; the others mark the route ResolvedRefs=False (InvalidKind) and answer its requests with HTTP 500`,
          { severity: 'information' },
        );
        continue;
      }
      if (b.reason === 'RefNotPermitted') {
        const text = referenceGrantText(
          state.route.id.kind,
          state.route.id.namespace,
          'Service',
          ref.namespace,
          ref.name,
        );
        // certain when the workspace holds that namespace's Services; else the grant may live elsewhere
        const known = view.cluster.services.some((s) => s.id.namespace === ref.namespace);
        ctx.report(
          nameSpan,
          `Backend ${ref.namespace}/${ref.name}: ${b.message}; its requests get HTTP 500`,
          {
            severity: known ? 'error' : 'warning',
            fixes: () => [
              documentNextTo(
                ctx,
                'Service',
                ref.namespace,
                ref.name,
                `Add a ReferenceGrant in namespace ${ref.namespace} allowing this ${state.route.id.kind}`,
                text,
              ),
            ],
          },
        );
        continue;
      }
      // BackendNotFound
      if (ref.port === undefined) continue; // the API server's own rejection: route-backend-port-missing
      if (!b.service) {
        // said only when the workspace holds Services of that namespace (routes are often kept apart)
        const inNs = view.cluster.services
          .filter((s) => s.id.namespace === ref.namespace)
          .map((s) => s.id.name);
        if (inNs.length === 0) continue;
        const suggestion = closest(ref.name, inNs);
        const nameNode = ref.nameSource ? nameSpan : undefined;
        ctx.report(
          nameSpan,
          `No Service "${ref.name}" among the Services of namespace "${ref.namespace}" here: the requests it should get would receive HTTP 500` +
            (suggestion ? `; did you mean "${suggestion}"?` : ''),
          {
            severity: 'warning',
            fixes:
              suggestion && nameNode
                ? [
                    {
                      title: `Change to "${suggestion}"`,
                      edits: [{ start: nameNode.start, end: nameNode.end, newText: suggestion }],
                      preferred: true,
                    },
                  ]
                : undefined,
          },
        );
        continue;
      }
      const portSpan = ref.portSource ? spanOf(ctx, ref.portSource) : nameSpan;
      const ports = b.service.ports.map((p) => p.port);
      ctx.report(portSpan, `Backend port: ${b.message}; its requests get HTTP 500`, {
        fixes: () =>
          ports.map((p) => ({
            title: `Change port to ${p}`,
            edits: [{ start: portSpan.start, end: portSpan.end, newText: String(p) }],
            preferred: ports.length === 1,
          })),
      });
    }
  },
};
