// A tls entry without hosts binds its certificate to no host name.

import { getPair } from '../syntax/ast';
import { ingressModel } from '../model/ingress';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'ingress-tls-no-hosts',
  scope: 'file',
  defaultSeverity: 'information',
  kinds: ['Ingress'],
  description: 'A tls entry with no hosts: the certificate is not tied to any host name, so the controller decides (usually its default certificate).',
  check(ctx) {
    for (const t of ingressModel(ctx.resource).tls) {
      if (t.hosts.length > 0) continue;
      const key = getPair(t.node, 'hosts')?.key;
      ctx.report(key ?? t.node, 'This tls entry lists no hosts: its certificate is not bound to any host name, so the controller falls back to its own default (list the hosts it covers)');
    }
  },
};
