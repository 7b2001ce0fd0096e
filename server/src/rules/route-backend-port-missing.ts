// A route's reference to a Service needs a port (the CRD's CEL rule "Must have port for Service
// reference"): a Service has no single port to default to. Applies to the backendRefs of every route
// kind and to the backendRef of a RequestMirror filter. Quick fix: a port of that Service when the
// workspace defines it (one fix per port; the only one is preferred), which is why the rule reads the
// index.

import type { MapNode } from '../syntax/ast';
import type { QuickFix, Rule } from './types';
import {
  has,
  isGatewayApi,
  isServiceRef,
  itemAnchor,
  mapsAt,
  ROUTE_KINDS,
  scalar,
  text,
} from './gateway-ast';
import { buildCluster } from '../model/cluster';

const PLACES = [
  'spec.rules[].backendRefs[]',
  'spec.rules[].filters[].requestMirror.backendRef',
  'spec.rules[].backendRefs[].filters[].requestMirror.backendRef',
];

/** Inserts `port: N` as the last field of a block-style backendRef map, at its indentation. */
function addPort(text: string, ref: MapNode, port: number): QuickFix['edits'] | undefined {
  if (ref.flow || ref.pairs.length === 0) return undefined;
  const first = ref.pairs[0].key;
  const lineStart = text.lastIndexOf('\n', first.start - 1) + 1;
  const prefix = text.slice(lineStart, first.start);
  // "- name: x" puts the first key after the dash: the other keys sit under it
  const indent = ' '.repeat(prefix.length);
  const last = ref.pairs[ref.pairs.length - 1];
  const lineEnd = text.indexOf('\n', last.end);
  const at = lineEnd < 0 ? text.length : lineEnd;
  return [{ start: at, end: at, newText: `\n${indent}port: ${port}` }];
}

export const rule: Rule = {
  id: 'route-backend-port-missing',
  scope: 'cross-file',
  defaultSeverity: 'error',
  kinds: ROUTE_KINDS,
  description:
    'A route backendRef (or mirror backendRef) that names a Service without a port: the API server rejects it.',
  check(ctx) {
    const r = ctx.resource;
    if (!isGatewayApi(r)) return;
    const ns = ctx.index.namespaceOf(r);
    for (const place of PLACES) {
      for (const { node } of mapsAt(r.node, place)) {
        if (!isServiceRef(node) || has(node, 'port')) continue;
        const name = text(node, 'name');
        const fixes = (): QuickFix[] => {
          if (!name) return [];
          const svc = buildCluster(ctx.index).services.find(
            (s) => s.id.namespace === (text(node, 'namespace') ?? ns) && s.id.name === name,
          );
          const ports = svc?.ports.map((p) => p.port).filter((p): p is number => typeof p === 'number') ?? [];
          return ports.flatMap((p) => {
            const edits = addPort(r.doc.text, node, p);
            return edits ? [{ title: `Add port: ${p}`, edits, preferred: ports.length === 1 }] : [];
          });
        };
        ctx.report(
          scalar(node, 'name') ?? itemAnchor(node),
          `Service backend${name ? ` "${name}"` : ''} has no port: a reference to a Service must give the Service port to send traffic to (port: <number>)`,
          { fixes },
        );
      }
    }
  },
};
