// A Secret used by an Ingress tls entry needs tls.crt and tls.key, whatever its type.

import { getPair, getValue, stringValue } from '../syntax/ast';
import { tlsSecretUsers } from '../model/tls';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'tls-secret-keys-missing',
  scope: 'cross-file',
  defaultSeverity: 'error',
  kinds: ['Secret'],
  description:
    'A Secret used by an Ingress tls entry without tls.crt or tls.key: the controller has no certificate to serve.',
  check(ctx) {
    const r = ctx.resource;
    if (!r.name) return;
    // A kubernetes.io/tls Secret without them is reported by secret-tls-keys at the same place.
    if (stringValue(getValue(r.node, 'type')) === 'kubernetes.io/tls') return;
    const uses = tlsSecretUsers(ctx.index).get(`${ctx.index.namespaceOf(r)}/${r.name}`);
    if (!uses?.length) return;
    const keys = new Set<string>();
    for (const field of ['data', 'stringData']) {
      const map = getValue(r.node, field);
      if (map && map.type === 'map') for (const p of map.pairs) if (p.keyText) keys.add(p.keyText);
    }
    const missing = ['tls.crt', 'tls.key'].filter((k) => !keys.has(k));
    if (!missing.length) return;
    const anchor =
      getPair(r.node, 'data')?.key ?? getPair(r.node, 'stringData')?.key ?? r.nameNode ?? r.kindNode;
    ctx.report(
      anchor,
      `Secret "${r.name}" is used for TLS by Ingress "${uses[0].ingress.name ?? '<unnamed>'}" but has no ${missing.join(' and ')}: the controller cannot load a certificate from it`,
    );
  },
};
