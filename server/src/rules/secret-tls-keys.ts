// A kubernetes.io/tls Secret must hold tls.crt and tls.key.

import { asMap, getPair, getValue } from '../syntax/ast';
import type { Rule } from './types';
import { tlsKeysMissing } from '../engine/route/facts';

export const rule: Rule = {
  id: 'secret-tls-keys',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['Secret'],
  description: 'A Secret of type kubernetes.io/tls without tls.crt or tls.key (the API server rejects it).',
  check(ctx) {
    const r = ctx.resource;
    const typeNode = getValue(r.node, 'type');
    if (!typeNode || typeNode.type !== 'scalar' || typeNode.value !== 'kubernetes.io/tls') return;
    const keys = new Set<string>();
    for (const field of ['data', 'stringData']) {
      for (const p of asMap(getValue(r.node, field))?.pairs ?? []) if (p.keyText) keys.add(p.keyText);
    }
    const missing = ['tls.crt', 'tls.key'].filter((k) => !keys.has(k));
    if (missing.length) {
      const anchor = getPair(r.node, 'data')?.key ?? getPair(r.node, 'stringData')?.key ?? typeNode;
      ctx.report(anchor, tlsKeysMissing(missing).message);
    }
  },
};
