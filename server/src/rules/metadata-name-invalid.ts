// metadata.name and metadata.namespace must be valid DNS names of the kind the API expects.

import { asScalar, getIn, getPair, isNullish } from '../syntax/ast';
import type { Rule } from './types';
import { COVERED_KINDS } from '../model/resource';
import { KINDS_WITH_HISTORY } from '../model/api-versions';
import { dns1035Label, dns1123Label, dns1123Subdomain } from './k8s-values';

export const rule: Rule = {
  id: 'metadata-name-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: [...new Set([...COVERED_KINDS, ...KINDS_WITH_HISTORY])],
  description:
    'metadata.name is missing, or metadata.name / metadata.namespace is not a valid DNS name (DNS-1123 subdomain; Service and Namespace names are DNS labels).',
  check(ctx) {
    const r = ctx.resource;
    const name = r.nameNode;
    if (r.name === undefined || r.name === '') {
      // generateName asks the API server to make the name up
      if (!isNullish(getIn(r.node, ['metadata', 'generateName']))) return;
      const metadataPair = getPair(r.node, 'metadata');
      const anchor = name ?? metadataPair?.key ?? r.kindNode;
      ctx.report(
        anchor,
        `This ${r.kind} has no metadata.name: the API server refuses an object without a name (or metadata.generateName), and nothing can refer to it`,
      );
      return;
    }
    // name formats differ outside the covered kinds (RBAC names are path segments, "a:b" is fine)
    if (!COVERED_KINDS.has(r.kind)) return;
    if (name && typeof name.value === 'string') {
      let problem: string | undefined;
      let what = 'a DNS-1123 subdomain';
      if (r.kind === 'Service') {
        problem = dns1035Label(name.value);
        what = 'a DNS-1035 label';
      } else if (r.kind === 'Namespace') {
        problem = dns1123Label(name.value);
        what = 'a DNS-1123 label';
      } else {
        problem = dns1123Subdomain(name.value);
      }
      if (problem) ctx.report(name, `${r.kind} name "${name.value}" is not ${what}: it ${problem}`);
    }
    const ns = asScalar(getIn(r.node, ['metadata', 'namespace']));
    if (ns && typeof ns.value === 'string') {
      const problem = dns1123Label(ns.value);
      if (problem) ctx.report(ns, `Namespace "${ns.value}" is not a DNS-1123 label: it ${problem}`);
    }
  },
};
