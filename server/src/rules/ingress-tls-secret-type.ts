// A Secret named in an Ingress tls entry should be a kubernetes.io/tls Secret. The route graph
// (engine/route/graph.ts) finds and words it; this rule reports it on `type` (or the name when
// `type` is left out) with a fix that sets the type.

import { getPair, getValue } from '../syntax/ast';
import type { QuickFix, Rule } from './types';
import { graphProblemsAt } from './route-graph-view';

export const rule: Rule = {
  id: 'ingress-tls-secret-type',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['Secret'],
  description:
    'A Secret used by an Ingress tls entry whose type is not kubernetes.io/tls: controllers expect tls.crt and tls.key in a TLS Secret.',
  check(ctx) {
    const r = ctx.resource;
    const typeNode = getValue(r.node, 'type');
    const scalarType = typeNode && typeNode.type === 'scalar' ? typeNode : undefined;
    const anchor = scalarType ?? r.nameNode ?? r.kindNode;
    const fixes = (): QuickFix[] => {
      let fixes: QuickFix[] = [];
      if (scalarType) {
        fixes = [
          {
            title: 'Change type to kubernetes.io/tls',
            edits: [{ start: scalarType.start, end: scalarType.end, newText: 'kubernetes.io/tls' }],
            preferred: true,
          },
        ];
      } else {
        // `type:` goes where kubectl writes it: before data (or stringData), else before kind
        const before = getPair(r.node, 'data') ?? getPair(r.node, 'stringData') ?? getPair(r.node, 'kind')!;
        const lineStart = r.doc.text.lastIndexOf('\n', before.start - 1) + 1;
        const indent = r.doc.text.slice(lineStart, before.start);
        if (/^\s*$/.test(indent) && !r.node.flow)
          fixes = [
            {
              title: 'Add type: kubernetes.io/tls',
              edits: [{ start: lineStart, end: lineStart, newText: `${indent}type: kubernetes.io/tls\n` }],
              preferred: true,
            },
          ];
      }
      return fixes;
    };
    for (const p of graphProblemsAt(ctx, 'ingress-tls-secret-type', anchor)) {
      ctx.report(anchor, p.message, { severity: p.severity, fixes });
    }
  },
};
