// The Secret named by an Ingress tls entry must exist in the Ingress's namespace.

import { stringValue } from '../syntax/ast';
import { ingressModel } from '../model/ingress';
import { certManagerSource } from '../model/tls';
import type { Rule } from './types';
import { missingSeverity } from './refs';

export const rule: Rule = {
  id: 'ingress-tls-secret-missing',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['Ingress'],
  description: 'An Ingress tls entry names a Secret that the workspace does not define in the Ingress namespace: the controller falls back to its default certificate.',
  check(ctx) {
    const r = ctx.resource;
    const ns = ctx.index.namespaceOf(r);
    for (const t of ingressModel(r).tls) {
      const name = stringValue(t.secretName);
      if (!name || !t.secretName) continue;
      if (ctx.index.find('Secret', ns, name).length > 0) continue;
      const creator = certManagerSource(ctx.index, r, name);
      if (creator) {
        ctx.report(t.secretName, `Secret "${name}" is not in the workspace: cert-manager will create it in namespace "${ns}" (${creator})`, { severity: 'information' });
        continue;
      }
      const severity = missingSeverity(ctx.index, ns, ['Secret'], 'warning');
      const why = severity === 'information' ? ` (the workspace defines no Secrets in "${ns}": it may be created elsewhere)` : '';
      ctx.report(t.secretName, `Secret "${name}" is not defined in namespace "${ns}": without it the controller serves its default certificate for this entry${why}`, { severity });
    }
  },
};
