// A route's parentRef that no listener accepts, as the engine's attachment decides it (the reason a
// controller writes in the route's Accepted condition): the parent does not exist, no listener has the
// sectionName or port, or each selected listener refuses the route (allowedRoutes namespace or kind,
// hostnames without overlap), each listener named with its reason.
// A parent the workspace does not define is a warning when the workspace defines Gateways (a typo, or
// a missing file), and not said when it defines none (routes are often kept apart from the Gateways).
// Quick fix where it is certain: a sectionName naming a listener that refuses the route's hostnames is
// pointed at the listener of the same Gateway that accepts them.

import type { AstNode, MapNode } from '../syntax/ast';
import { asScalar, getValue } from '../syntax/ast';
import { attachParent } from '../engine/gateway';
import type { QuickFix, Rule } from './types';
import { isGatewayApi, itemAnchor, mapsAt, ROUTE_KINDS } from './gateway-ast';
import { gatewayView, routeStateOf } from './gateway-graph-view';
import { closest } from '../engine/edit-distance';

export const rule: Rule = {
  id: 'route-parent-not-accepted',
  scope: 'cross-file',
  defaultSeverity: 'error',
  kinds: ROUTE_KINDS,
  description:
    'A route parentRef that attaches to no listener: the Gateway (or ListenerSet) is missing, has no such sectionName or port, or every listener refuses the route (namespace, kind or hostnames), each named with its reason. An HTTPRoute and a GRPCRoute refused only for sharing host names on a listener is a warning: the API requires it, some implementations serve both. So is a route refused only by namespace selectors when the workspace does not define its Namespace (its labels are not known).',
  check(ctx) {
    const r = ctx.resource;
    if (!isGatewayApi(r)) return;
    const view = gatewayView(ctx);
    const state = routeStateOf(ctx, view);
    if (!state) return;
    const refs = mapsAt(r.node, 'spec.parentRefs[]').map((l) => l.node);
    for (const p of state.parents) {
      if (p.accepted) continue;
      const ref: MapNode | undefined = refs[p.index];
      if (!ref) continue;
      const nameNode: AstNode = asScalar(getValue(ref, 'name')) ?? itemAnchor(ref);
      const kind = p.parentRef.kind;
      // parents of other kinds (a Service for mesh routes, GAMMA) are not attached through listeners
      if (p.parentRef.group !== 'gateway.networking.k8s.io' || (kind !== 'Gateway' && kind !== 'ListenerSet'))
        continue;
      if (p.reason === 'NoMatchingParent' && !p.gateway && !p.listenerSet) {
        const known =
          kind === 'ListenerSet' ? (view.cluster.listenerSets ?? []) : (view.cluster.gateways ?? []);
        // said only when the workspace defines parents of that kind (routes are often kept apart)
        if (known.length === 0) continue;
        const inNs = known.filter((g) => g.id.namespace === p.parentRef.namespace).map((g) => g.id.name);
        const suggestion = closest(p.parentRef.name, inNs);
        const nameScalar = asScalar(getValue(ref, 'name'));
        ctx.report(
          nameNode,
          `${kind} "${p.parentRef.namespace}/${p.parentRef.name}" is not defined in this workspace: the route attaches to nothing here` +
            (suggestion ? `; did you mean "${suggestion}"?` : ''),
          {
            severity: 'warning',
            fixes:
              suggestion && nameScalar?.style === 'plain'
                ? () => [
                    {
                      title: `Change to "${suggestion}"`,
                      edits: [{ start: nameScalar.start, end: nameScalar.end, newText: suggestion }],
                      preferred: true,
                    },
                  ]
                : undefined,
          },
        );
        continue;
      }
      const section = asScalar(getValue(ref, 'sectionName'));
      const port = asScalar(getValue(ref, 'port'));
      if (p.reason === 'NoMatchingParent') {
        // no such listener (sectionName / port), or a ListenerSet its Gateway does not accept
        const listeners = p.listenerSet?.listeners ?? p.gateway?.listeners ?? [];
        const sectionMissing =
          p.parentRef.sectionName !== undefined && !listeners.some((l) => l.name === p.parentRef.sectionName);
        const anchor =
          sectionMissing && section
            ? section
            : p.parentRef.port !== undefined && port && listeners.length > 0
              ? port
              : nameNode;
        const names = listeners.map((l) => l.name);
        const suggestion =
          anchor === section && p.parentRef.sectionName ? closest(p.parentRef.sectionName, names) : undefined;
        ctx.report(
          anchor,
          `The route is not attached: ${p.message}` +
            (anchor === section && names.length ? ` (listeners: ${names.join(', ')})` : '') +
            (suggestion ? `; did you mean "${suggestion}"?` : ''),
          {
            fixes:
              suggestion && section?.style === 'plain'
                ? () => [
                    {
                      title: `Change sectionName to "${suggestion}"`,
                      edits: [{ start: section.start, end: section.end, newText: suggestion }],
                      preferred: true,
                    },
                  ]
                : undefined,
          },
        );
        continue;
      }
      const owner = p.listenerSet
        ? `ListenerSet "${p.listenerSet.id.namespace}/${p.listenerSet.id.name}"`
        : `Gateway "${p.parentRef.namespace}/${p.parentRef.name}"`;
      const why = p.listeners.map((v) => v.message).join('; ');
      const fixes = (): QuickFix[] => {
        // another listener of the same parent that would accept the route, for a sectionName refused for its hostnames
        if (!section || section.style !== 'plain' || p.reason !== 'NoMatchingListenerHostname' || !p.gateway)
          return [];
        const others = (p.listenerSet?.listeners ?? p.gateway.listeners).filter(
          (l) => l.name !== p.parentRef.sectionName,
        );
        const accepting = others.filter(
          (l) =>
            attachParent(
              view.cluster,
              state.route,
              { ...p.parentRef, sectionName: l.name, port: undefined },
              p.index,
            ).accepted,
        );
        return accepting.map((l) => ({
          title: `Attach to listener "${l.name}" (${l.hostname ?? 'any host'})`,
          edits: [{ start: section.start, end: section.end, newText: l.name }],
          preferred: accepting.length === 1,
        }));
      };
      // refused only for sharing host names with a route of the other kind (HTTPRoute, GRPCRoute): the
      // API's rule, which some implementations do not enforce (they serve both), so a warning
      const kindConflict =
        p.listeners.some((v) => v.kindConflict) && p.listeners.every((v) => v.accepted || v.kindConflict);
      if (kindConflict) {
        ctx.report(
          section ?? nameNode,
          `The route attaches to no listener of ${owner} under the Gateway API's rule (Accepted: False, NotAllowedByListeners): ${why}. Implementations differ here (some serve both kinds on the same host names); to be portable, give the HTTPRoute and the GRPCRoute distinct host names or different listeners`,
          { severity: 'warning' },
        );
        continue;
      }
      // refused only by namespace selectors, for a namespace whose labels the workspace does not show:
      // the Namespace may carry matching labels in the cluster, so a warning
      const namespaceUnknown = p.listeners.length > 0 && p.listeners.every((v) => v.namespaceUnknown);
      if (namespaceUnknown) {
        ctx.report(
          section ?? nameNode,
          `The route attaches to no listener of ${owner}: ${why}. If Namespace ${state.route.id.namespace} carries labels that match in the cluster, the route is accepted; define the Namespace with its labels here to have this checked`,
          { severity: 'warning' },
        );
        continue;
      }
      ctx.report(section ?? nameNode, `The route attaches to no listener of ${owner}: ${why}`, { fixes });
    }
  },
};
