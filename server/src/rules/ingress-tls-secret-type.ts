// A Secret named in an Ingress tls entry should be a kubernetes.io/tls Secret.

import { getPair, getValue, stringValue } from '../syntax/ast';
import { ingressModel } from '../model/ingress';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'ingress-tls-secret-type',
  defaultSeverity: 'warning',
  kinds: ['Secret'],
  description: 'A Secret used by an Ingress tls entry whose type is not kubernetes.io/tls: controllers expect tls.crt and tls.key in a TLS Secret.',
  check(ctx) {
    const r = ctx.resource;
    if (!r.name) return;
    const typeNode = getValue(r.node, 'type');
    const type = stringValue(typeNode) ?? 'Opaque';
    if (type === 'kubernetes.io/tls') return;
    const ns = ctx.index.namespaceOf(r);
    let usedBy: string | undefined;
    for (const { resource } of ctx.index.all()) {
      if (resource.kind !== 'Ingress' || ctx.index.namespaceOf(resource) !== ns) continue;
      if (ingressModel(resource).tls.some((t) => stringValue(t.secretName) === r.name)) {
        usedBy = resource.name ?? '<unnamed>';
        break;
      }
    }
    if (!usedBy) return;
    const message = `Secret "${r.name}" is used for TLS by Ingress "${usedBy}" but its type is ${type}: make it type kubernetes.io/tls (with tls.crt and tls.key)`;
    if (typeNode && typeNode.type === 'scalar') {
      ctx.report(typeNode, message, { fixes: [{ title: 'Change type to kubernetes.io/tls', edits: [{ start: typeNode.start, end: typeNode.end, newText: 'kubernetes.io/tls' }], preferred: true }] });
    } else {
      const kindPair = getPair(r.node, 'kind')!;
      const lineStart = r.doc.text.lastIndexOf('\n', kindPair.start - 1) + 1;
      const indent = r.doc.text.slice(lineStart, kindPair.start);
      const anchor = r.nameNode ?? r.kindNode;
      ctx.report(anchor, message, {
        fixes: /^\s*$/.test(indent) && !r.node.flow
          ? [{ title: 'Add type: kubernetes.io/tls', edits: [{ start: lineStart, end: lineStart, newText: `${indent}type: kubernetes.io/tls\n` }], preferred: true }]
          : undefined,
      });
    }
  },
};
