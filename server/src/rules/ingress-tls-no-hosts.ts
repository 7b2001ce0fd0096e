// A tls entry without hosts: the Ingress API ties the Secret to no host, but controllers still use it.
// ingress-nginx looks for each rule host first in the tls hosts, then in the certificates of the tls
// entries (their SAN/CN names); Traefik and GKE pick among the certificates by the name the client asks
// for (SNI). So the Secret serves the hosts its certificate covers, and the default certificate the rest.

import { getPair } from '../syntax/ast';
import { ingressModel } from '../model/ingress';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'ingress-tls-no-hosts',
  scope: 'file',
  defaultSeverity: 'information',
  kinds: ['Ingress'],
  description:
    'A tls entry with no hosts: controllers still serve its Secret for the hosts its certificate names (SAN/CN), and their default certificate for the others; listing the hosts makes that explicit.',
  check(ctx) {
    for (const t of ingressModel(ctx.resource).tls) {
      if (t.hosts.length > 0) continue;
      const key = getPair(t.node, 'hosts')?.key;
      const secret =
        t.secretName && typeof t.secretName.value === 'string' && t.secretName.value
          ? `Secret "${t.secretName.value}"`
          : 'its Secret';
      ctx.report(
        key ?? t.node,
        `This tls entry lists no hosts: controllers (ingress-nginx, Traefik, GKE) still serve ${secret} for the hosts its certificate names, and their default certificate for any other host; list the hosts it covers to say so explicitly`,
      );
    }
  },
};
