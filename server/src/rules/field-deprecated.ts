// Fields and annotations the API still accepts but that no longer do what they say: Service
// spec.loadBalancerIP (deprecated in Kubernetes 1.24: implementations read it differently and it
// cannot express dual-stack) and the Namespace annotation net.beta.kubernetes.io/network-policy (the
// isolation switch of the beta NetworkPolicy API, ignored since NetworkPolicy v1 in 1.7: a namespace
// carrying it is not isolated).

import { asMap, asScalar, asSeq, getIn, getPair, getValue, stringValue } from '../syntax/ast';
import type { MapNode } from '../syntax/ast';
import type { Rule, RuleContext } from './types';
import { versionAtLeast } from './version';
import { isHeadlessService, serviceTypeOf } from '../model/api-defaults';

const TOPOLOGY_HINTS = 'service.kubernetes.io/topology-aware-hints';
const TOPOLOGY_MODE = 'service.kubernetes.io/topology-mode';

/** The Service deprecations that came after loadBalancerIP, each from the release that deprecated
 * it (the API server warns about each: GetWarningsForService). */
function laterServiceDeprecations(ctx: RuleContext, spec: MapNode | undefined): void {
  const version = ctx.settings.kubernetesVersion;
  const annotations = asMap(getIn(ctx.resource.node, ['metadata', 'annotations']));
  const hints = annotations && getPair(annotations, TOPOLOGY_HINTS);
  if (hints && versionAtLeast(version, '1.27'))
    ctx.report(
      hints.key,
      `${TOPOLOGY_HINTS} is deprecated since Kubernetes 1.27: ${TOPOLOGY_MODE} replaces it (same values: Auto to turn topology-aware routing on). Rename the annotation`,
      {
        tags: ['deprecated'],
        // (with both present, service-spec-invalid asks to remove the old one instead)
        fixes: getPair(annotations, TOPOLOGY_MODE)
          ? undefined
          : () => [
              {
                title: `Rename to ${TOPOLOGY_MODE}`,
                edits: [{ start: hints.key.start, end: hints.key.end, newText: TOPOLOGY_MODE }],
                preferred: true,
              },
            ],
      },
    );
  if (!spec) return;
  const type = serviceTypeOf(spec);
  const headless = isHeadlessService(spec);
  const externalIPs = getPair(spec, 'externalIPs');
  // (on a headless or ExternalName Service they are ignored anyway: service-field-ignored says so)
  if (
    externalIPs &&
    (asSeq(externalIPs.value)?.items.length ?? 0) > 0 &&
    !headless &&
    type !== 'ExternalName' &&
    versionAtLeast(version, '1.36')
  )
    ctx.report(
      externalIPs.key,
      'spec.externalIPs is deprecated since Kubernetes 1.36 (any user who can create a Service can claim any address with it, CVE-2020-8554) and kube-proxy is to stop implementing it in a later release: expose the Service with type LoadBalancer (MetalLB, Cilium LB-IPAM or a cloud load balancer) or a Gateway instead',
      // (with the type left out, a kustomize patch's base may be an ExternalName Service)
      { tags: ['deprecated'], missing: getPair(spec, 'type') ? undefined : 'spec.type' },
    );
  const distribution = asScalar(getValue(spec, 'trafficDistribution'));
  if (distribution && stringValue(distribution) === 'PreferClose' && versionAtLeast(version, '1.35'))
    ctx.report(
      distribution,
      "trafficDistribution PreferClose is deprecated since Kubernetes 1.35: PreferSameZone means the same (prefer endpoints in the client's zone) and says so. Change it to PreferSameZone (available by default since 1.34)",
      {
        tags: ['deprecated'],
        fixes: () => [
          {
            title: 'Change to PreferSameZone',
            edits: [{ start: distribution.start, end: distribution.end, newText: 'PreferSameZone' }],
            preferred: true,
          },
        ],
      },
    );
}

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
    'A deprecated field the API still accepts: Service spec.loadBalancerIP (deprecated since Kubernetes 1.24; non-portable, no dual-stack), spec.externalIPs (since 1.36), trafficDistribution PreferClose (since 1.35, now PreferSameZone), the topology-aware-hints annotation (since 1.27, now topology-mode).',
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
      laterServiceDeprecations(ctx, spec);
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
