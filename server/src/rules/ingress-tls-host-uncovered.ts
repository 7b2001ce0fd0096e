// A host served by a rule but listed in no tls entry, while the Ingress has TLS for other hosts.

import { stringValue } from '../syntax/ast';
import { ingressModel } from '../model/ingress';
import { hostCovers } from '../engine/host-name';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'ingress-tls-host-uncovered',
  scope: 'file',
  defaultSeverity: 'warning',
  kinds: ['Ingress'],
  description:
    'A rule host listed in no tls entry of an Ingress that has TLS for other hosts: it is served over plain HTTP or with the default certificate.',
  check(ctx) {
    const m = ingressModel(ctx.resource);
    if (m.tls.length === 0) return;
    // A tls entry without hosts means different things to different controllers: say nothing then
    // (ingress-tls-no-hosts already points at it).
    if (m.tls.some((t) => t.hosts.length === 0)) return;
    const tlsHosts = m.tls.flatMap((t) => t.hosts.map((h) => stringValue(h)).filter((h): h is string => !!h));
    if (tlsHosts.length === 0) return;
    for (const rule of m.rules) {
      const host = stringValue(rule.host);
      if (!host || !rule.host) continue;
      if (tlsHosts.some((p) => hostCovers(p, host))) continue;
      ctx.report(
        rule.host,
        `Host "${host}" is listed in no tls entry while this Ingress has TLS for ${tlsHosts.length === 1 ? `"${tlsHosts[0]}"` : 'other hosts'}: it is served over plain HTTP or with the controller's default certificate (add it to the hosts of a tls entry)`,
      );
    }
  },
};
