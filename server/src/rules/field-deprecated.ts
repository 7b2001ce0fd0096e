// Fields and annotations the API still accepts but that no longer do what they say: Service
// spec.loadBalancerIP (deprecated in Kubernetes 1.24: implementations read it differently and it
// cannot express dual-stack) and the Namespace annotation net.beta.kubernetes.io/network-policy (the
// isolation switch of the beta NetworkPolicy API, ignored since NetworkPolicy v1 in 1.7: a namespace
// carrying it is not isolated).

import { asMap, getIn, getPair } from '../syntax/ast';
import type { Rule } from './types';

export const LEGACY_NETPOL_ANNOTATION = 'net.beta.kubernetes.io/network-policy';

export const rule: Rule = {
  id: 'field-deprecated',
  scope: 'file',
  defaultSeverity: 'information',
  extraIds: [
    {
      id: 'namespace-legacy-isolation',
      defaultSeverity: 'warning',
      description:
        'A Namespace annotated net.beta.kubernetes.io/network-policy: the annotation has had no effect since Kubernetes 1.7, so its pods are not isolated by it (write a default-deny NetworkPolicy).',
    },
  ],
  kinds: ['Service', 'Namespace'],
  description:
    'A deprecated field the API still accepts: Service spec.loadBalancerIP (deprecated since Kubernetes 1.24; non-portable, no dual-stack).',
  check(ctx) {
    const r = ctx.resource;
    if (r.kind === 'Service') {
      const spec = asMap(getIn(r.node, ['spec']));
      const pair = spec && getPair(spec, 'loadBalancerIP');
      if (pair) {
        ctx.report(
          pair.key,
          "spec.loadBalancerIP is deprecated since Kubernetes 1.24: each load balancer implementation reads it differently and it cannot hold an IPv6 address next to an IPv4 one; use the annotation of your implementation (MetalLB metallb.io/loadBalancerIPs, Cilium lbipam.cilium.io/ips, a cloud provider's own), which it may still honour",
          { tags: ['deprecated'] },
        );
      }
      return;
    }
    const annotations = asMap(getIn(r.node, ['metadata', 'annotations']));
    const pair = annotations && getPair(annotations, LEGACY_NETPOL_ANNOTATION);
    if (pair) {
      ctx.report(
        pair.key,
        `${LEGACY_NETPOL_ANNOTATION} has had no effect since Kubernetes 1.7 (it switched on isolation in the beta NetworkPolicy API): the pods of this Namespace are not isolated by it. Isolate them with a NetworkPolicy that selects every pod (podSelector: {}) and allows nothing`,
        { ruleId: 'namespace-legacy-isolation', tags: ['deprecated'] },
      );
    }
  },
};
