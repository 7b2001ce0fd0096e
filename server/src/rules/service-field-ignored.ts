// Service fields the API server accepts but that do nothing for the Service's type: it answers the
// apply with a warning (GetWarningsForService in kubernetes pkg/api/service/warnings.go) and stores
// them, so the manifest keeps promising something that never happens. A headless Service
// (type ClusterIP, clusterIP None) has no virtual IP: kube-proxy programs nothing for it, so a load
// balancer IP, external IPs and session affinity have nothing to act on; an ExternalName Service is
// only a DNS alias, so it takes no external IPs; and externalName is read for type ExternalName only.

import type { MapNode } from '../syntax/ast';
import { asMap, asSeq, getIn, getPair, getValue, scalarText, stringValue } from '../syntax/ast';
import type { Rule, RuleContext } from './types';
import { isHeadlessService, serviceTypeOf } from '../model/api-defaults';

/** The types whose Service has a virtual IP (an unknown type is schema-enum's to explain). */
const PROXIED_TYPES = new Set(['ClusterIP', 'NodePort', 'LoadBalancer']);

/** Reports on `key`; `missing` when the finding rests on the type's default (ClusterIP), which a
 * kustomize patch leaves to its base. */
function reportKey(ctx: RuleContext, spec: MapNode, key: string, message: string): void {
  const pair = getPair(spec, key);
  if (!pair) return;
  const missing = getPair(spec, 'type') ? undefined : 'spec.type';
  const text = ctx.resource.doc.text;
  const lineStart = text.lastIndexOf('\n', pair.start - 1) + 1;
  const next = text.indexOf('\n', pair.end);
  const lineEnd = next < 0 ? text.length : next + 1;
  // (a key on a line of its own in a block map: its lines go; not preferred, the fix may as well be
  // the type)
  const removable = !spec.flow && text.slice(lineStart, pair.start).trim() === '';
  ctx.report(pair.key, message, {
    ...(missing ? { missing } : {}),
    ...(removable
      ? {
          fixes: () => [
            {
              title: `Remove ${key}`,
              edits: [{ start: lineStart, end: lineEnd, newText: '' }],
              preferred: false,
            },
          ],
        }
      : {}),
  });
}

export const rule: Rule = {
  id: 'service-field-ignored',
  scope: 'file',
  defaultSeverity: 'warning',
  kinds: ['Service'],
  description:
    'A Service field the API server stores but ignores for this type, and warns about: loadBalancerIP, externalIPs or session affinity on a headless Service, externalIPs on an ExternalName Service, externalName on a Service that is not of type ExternalName.',
  check(ctx) {
    const spec = asMap(getIn(ctx.resource.node, ['spec']));
    if (!spec) return;
    const type = serviceTypeOf(spec);
    const headless = isHeadlessService(spec);
    const externalIPs = asSeq(getValue(spec, 'externalIPs'))?.items.length ?? 0;
    if (headless) {
      const why =
        "a headless Service (clusterIP: None) has no virtual IP: its DNS name resolves to the pods' own addresses";
      if (scalarText(getValue(spec, 'loadBalancerIP')))
        reportKey(
          ctx,
          spec,
          'loadBalancerIP',
          `loadBalancerIP is ignored here: ${why} (the API server warns "spec.loadBalancerIP is ignored for headless services"). Remove it, or give the Service a cluster IP and type LoadBalancer`,
        );
      if (externalIPs > 0)
        reportKey(
          ctx,
          spec,
          'externalIPs',
          `externalIPs is ignored here: ${why}, and no node accepts traffic for these addresses on its behalf (the API server warns "spec.externalIPs is ignored for headless services"). Remove it, or remove clusterIP: None`,
        );
      const affinity = stringValue(getValue(spec, 'sessionAffinity'));
      if (affinity !== undefined && affinity !== 'None')
        reportKey(
          ctx,
          spec,
          'sessionAffinity',
          `sessionAffinity ${affinity} is ignored here: ${why}, so no proxy keeps a client on one pod (the API server warns "spec.SessionAffinity is ignored for headless services"). Remove it, or remove clusterIP: None`,
        );
    }
    if (type === 'ExternalName' && externalIPs > 0)
      reportKey(
        ctx,
        spec,
        'externalIPs',
        'externalIPs is ignored on an ExternalName Service: such a Service is only a DNS alias (a CNAME record) and no node accepts traffic for it (the API server warns "spec.externalIPs is ignored when spec.type is \\"ExternalName\\""). Remove externalIPs',
      );
    if (PROXIED_TYPES.has(type) && scalarText(getValue(spec, 'externalName')))
      reportKey(
        ctx,
        spec,
        'externalName',
        `externalName is ignored: it is read only when type is ExternalName, and this Service is of type ${type} (the API server warns "spec.externalName is ignored when spec.type is not \\"ExternalName\\""). Set type: ExternalName (and remove the selector and cluster IP), or remove externalName`,
      );
  },
};
