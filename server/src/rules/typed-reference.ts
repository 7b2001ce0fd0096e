// The checks the API server makes of a typed reference to an object of any kind, such as an Ingress
// backend's `resource` and an IngressClass's `parameters` (validateIngressTypedLocalObjectReference and
// validateIngressClassParametersReference in pkg/apis/networking/validation): an apiGroup, when given,
// is a DNS subdomain, and kind and name are non-empty path segments. A kind or name left out is
// schema-required's to report.

import type { MapNode } from '../syntax/ast';
import { asScalar, getValue } from '../syntax/ast';
import type { RuleContext } from './types';
import { dns1123Subdomain } from './k8s-values';

/** Why a value cannot be a path segment of an API URL (IsPathSegmentName), or undefined. */
export function pathSegmentProblem(v: string): string | undefined {
  if (v === '') return 'must not be empty';
  if (v === '.' || v === '..') return `may not be "${v}"`;
  if (v.includes('/')) return 'may not contain "/"';
  if (v.includes('%')) return 'may not contain "%"';
  return undefined;
}

/** Reports the apiGroup, kind and name of `ref` (`what` names it, e.g. "parameters", and `owner` the
 * object the API server rejects, e.g. "IngressClass"). */
export function checkTypedReference(ctx: RuleContext, ref: MapNode, what: string, owner: string): void {
  const group = asScalar(getValue(ref, 'apiGroup'));
  if (group && typeof group.value === 'string') {
    const problem = dns1123Subdomain(group.value);
    if (problem)
      ctx.report(
        group,
        `${what}.apiGroup "${group.value}" is not a valid API group: it ${problem}; the API server rejects the ${owner}${group.value === '' ? ' (leave apiGroup out for the core group)' : ''}`,
      );
  }
  for (const key of ['kind', 'name']) {
    const node = asScalar(getValue(ref, key));
    if (!node || typeof node.value !== 'string') continue;
    const problem = pathSegmentProblem(node.value);
    if (problem)
      ctx.report(
        node,
        `${what}.${key} ${node.value === '' ? '' : `"${node.value}" `}${problem}: the API server rejects the ${owner}`,
      );
  }
}
