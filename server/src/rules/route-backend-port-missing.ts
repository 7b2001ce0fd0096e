// A route's reference to a Service needs a port (the CRD's CEL rule "Must have port for Service
// reference"): a Service has no single port to default to. Applies to the backendRefs of every route
// kind and to the backendRef of a RequestMirror filter.

import type { Rule } from './types';
import { has, isGatewayApi, isServiceRef, itemAnchor, mapsAt, ROUTE_KINDS, scalar, text } from './gateway-ast';

const PLACES = [
  'spec.rules[].backendRefs[]',
  'spec.rules[].filters[].requestMirror.backendRef',
  'spec.rules[].backendRefs[].filters[].requestMirror.backendRef',
];

export const rule: Rule = {
  id: 'route-backend-port-missing',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ROUTE_KINDS,
  description: 'A route backendRef (or mirror backendRef) that names a Service without a port: the API server rejects it.',
  check(ctx) {
    if (!isGatewayApi(ctx.resource)) return;
    for (const place of PLACES) {
      for (const { node } of mapsAt(ctx.resource.node, place)) {
        if (!isServiceRef(node) || has(node, 'port')) continue;
        const name = text(node, 'name');
        ctx.report(scalar(node, 'name') ?? itemAnchor(node), `Service backend${name ? ` "${name}"` : ''} has no port: a reference to a Service must give the Service port to send traffic to (port: <number>)`);
      }
    }
  },
};
