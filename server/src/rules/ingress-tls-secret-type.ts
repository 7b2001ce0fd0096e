// A Secret named in an Ingress tls entry should be a kubernetes.io/tls Secret.

import { getPair, getValue, stringValue } from '../syntax/ast';
import { ingressModel } from '../model/ingress';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'ingress-tls-secret-type',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['Secret'],
  description: 'A Secret used by an Ingress tls entry whose type is not kubernetes.io/tls: controllers expect tls.crt and tls.key in a TLS Secret.',
  check(ctx) {
    const r = ctx.resource;
    if (!r.name) return;
    const typeNode = getValue(r.node, 'type');
    const type = stringValue(typeNode) ?? 'Opaque';
    if (type === 'kubernetes.io/tls') return;
    const users = ctx.index.memoKinds(['Ingress'], 'tls-secret-users', () => {
      // namespace/secretName -> the first Ingress naming it in a tls entry
      const m = new Map<string, string>();
      for (const { resource } of ctx.index.all()) {
        if (resource.kind !== 'Ingress') continue;
        for (const t of ingressModel(resource).tls) {
          const name = stringValue(t.secretName);
          const key = `${ctx.index.namespaceOf(resource)}/${name}`;
          if (name && !m.has(key)) m.set(key, resource.name ?? '<unnamed>');
        }
      }
      return m;
    });
    const usedBy = users.get(`${ctx.index.namespaceOf(r)}/${r.name}`);
    if (!usedBy) return;
    const message = `Secret "${r.name}" is used for TLS by Ingress "${usedBy}" but its type is ${type}: make it type kubernetes.io/tls (with tls.crt and tls.key)`;
    if (typeNode && typeNode.type === 'scalar') {
      ctx.report(typeNode, message, { fixes: [{ title: 'Change type to kubernetes.io/tls', edits: [{ start: typeNode.start, end: typeNode.end, newText: 'kubernetes.io/tls' }], preferred: true }] });
    } else {
      // `type:` goes where kubectl writes it: before data (or stringData), else before kind
      const before = getPair(r.node, 'data') ?? getPair(r.node, 'stringData') ?? getPair(r.node, 'kind')!;
      const lineStart = r.doc.text.lastIndexOf('\n', before.start - 1) + 1;
      const indent = r.doc.text.slice(lineStart, before.start);
      const anchor = r.nameNode ?? r.kindNode;
      ctx.report(anchor, message, {
        fixes: /^\s*$/.test(indent) && !r.node.flow
          ? [{ title: 'Add type: kubernetes.io/tls', edits: [{ start: lineStart, end: lineStart, newText: `${indent}type: kubernetes.io/tls\n` }], preferred: true }]
          : undefined,
      });
    }
  },
};
