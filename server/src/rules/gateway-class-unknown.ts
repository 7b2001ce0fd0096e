// gatewayClassName naming a GatewayClass that the workspace does not define, while it defines others.
// GatewayClasses usually come with the controller's installation, so:
// - a workspace that defines none says nothing;
// - the classes a platform or controller creates by itself are never reported: GKE's (gke-l7-*),
//   Istio's (istio, istio-remote, istio-waypoint, istio-east-west, created by istiod) and Cilium's
//   (cilium, created by the operator when its Gateway API support is on);
// - a name close to a defined class is a likely typo (warning, with a quick fix); any other name is
//   information (it may come from a Helm chart or an operator outside the workspace).

import { asScalar, getIn } from '../syntax/ast';
import type { Rule } from './types';
import { isGatewayApi } from './gateway-ast';
import { gatewayView } from './gateway-graph-view';
import { closest } from '../engine/edit-distance';

/** GatewayClasses that exist without a manifest: created by the platform or by the controller. */
const SELF_CREATED = new Set([
  'gke-l7-global-external-managed',
  'gke-l7-global-external-managed-mc',
  'gke-l7-regional-external-managed',
  'gke-l7-regional-external-managed-mc',
  'gke-l7-cross-regional-internal-managed-mc',
  'gke-l7-rilb',
  'gke-l7-rilb-mc',
  'gke-l7-gxlb',
  'gke-l7-gxlb-mc',
  'istio',
  'istio-remote',
  'istio-waypoint',
  'istio-east-west',
  'cilium',
]);

export const rule: Rule = {
  id: 'gateway-class-unknown',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['Gateway'],
  description:
    'gatewayClassName names a GatewayClass that the workspace does not define, while it defines others: no controller takes the Gateway. A warning when the name is close to a defined class (a typo); information otherwise, since the class may come with a controller installed outside the workspace. Classes that GKE, Istio and Cilium create by themselves are not reported.',
  check(ctx) {
    if (!isGatewayApi(ctx.resource)) return;
    const node = asScalar(getIn(ctx.resource.node, ['spec', 'gatewayClassName']));
    const name = node && typeof node.value === 'string' ? node.value : undefined;
    if (!node || !name) return;
    const classes = [...new Set((gatewayView(ctx).cluster.gatewayClasses ?? []).map((c) => c.name))];
    if (classes.length === 0 || classes.includes(name) || SELF_CREATED.has(name)) return;
    const suggestion = closest(name, classes);
    ctx.report(
      node,
      `GatewayClass "${name}" is not defined in this workspace (defined: ${classes.join(', ')}): ` +
        (suggestion
          ? `no controller would program this Gateway; did you mean "${suggestion}"?`
          : 'unless it comes with a controller installed outside the workspace, no controller programs this Gateway'),
      {
        ...(suggestion ? {} : { severity: 'information' as const }),
        fixes:
          suggestion && node.style === 'plain'
            ? () => [
                {
                  title: `Change to "${suggestion}"`,
                  edits: [{ start: node.start, end: node.end, newText: suggestion }],
                  preferred: true,
                },
              ]
            : undefined,
      },
    );
  },
};
