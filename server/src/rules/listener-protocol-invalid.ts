// A listener whose protocol a controller refuses, or whose allowedRoutes.kinds names route kinds that
// protocol cannot carry (apis/v1 gateway_types.go: ProtocolType, Listener.AllowedRoutes, the listener
// conditions UnsupportedProtocol and InvalidRouteKinds; the conformance tests
// GatewayInvalidListenersUnsupportedProtocol and GatewayInvalidRouteKind). The CRD's pattern admits any
// name, so the API server takes these; the controller does not:
// - a protocol other than HTTP, HTTPS, TLS, TCP and UDP without a domain prefix: un-prefixed names are
//   reserved for the API's own protocols, so a controller that does not define it refuses the listener
//   (Accepted: False, UnsupportedProtocol). A warning: an implementation may still define one; not said
//   for HBONE on a Gateway of Istio's own classes (istio-waypoint, istio-east-west, ...), which define it. A name that differs from one of the five only in case gets a
//   "did you mean": the comparison is case-sensitive;
// - allowedRoutes.kinds naming a Gateway API kind the protocol does not carry (an HTTPRoute on a TCP
//   listener, a kind the API does not have): ResolvedRefs False, InvalidRouteKinds, and the kind is left
//   out of supportedKinds. An error when no kind it names is carried (no route can attach), else a
//   warning. Kinds of other groups are an implementation's own and are not judged; neither are the
//   kinds of a listener whose protocol is not one of the five.

import type { Rule } from './types';
import { GATEWAY_GROUP, isGatewayApi, mapsAt, scalar, text } from './gateway-ast';
import { definesProtocol, kindsForProtocol } from '../engine/gateway';
import { asScalar, getValue } from '../syntax/ast';

const PROTOCOLS = ['HTTP', 'HTTPS', 'TLS', 'TCP', 'UDP'];

export const rule: Rule = {
  id: 'listener-protocol-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['Gateway', 'ListenerSet'],
  description:
    'A listener a controller refuses or limits for its protocol: a protocol that is not HTTP, HTTPS, TLS, TCP or UDP and has no domain prefix (Accepted: False, UnsupportedProtocol; a warning, since an implementation may define one), or allowedRoutes.kinds naming route kinds the protocol cannot carry (ResolvedRefs: False, InvalidRouteKinds; an error when none of the kinds it names can attach).',
  check(ctx) {
    if (!isGatewayApi(ctx.resource)) return;
    const className =
      ctx.resource.kind === 'Gateway'
        ? text(getValue(ctx.resource.node, 'spec'), 'gatewayClassName')
        : undefined;
    for (const { node } of mapsAt(ctx.resource.node, 'spec.listeners[]')) {
      const protocolNode = scalar(node, 'protocol');
      const protocol = text(node, 'protocol');
      if (!protocolNode || protocol === undefined || protocol === '') continue;
      const name = text(node, 'name') ?? '(unnamed)';
      if (!PROTOCOLS.includes(protocol)) {
        // domain-prefixed: an implementation's own protocol (the CRD's pattern); not judged
        if (protocol.includes('/')) continue;
        // a protocol the Gateway's own class defines (Istio's HBONE on its waypoint classes)
        if (definesProtocol(className, protocol)) continue;
        const near = PROTOCOLS.find((p) => p === protocol.toUpperCase());
        ctx.report(
          protocolNode,
          `Listener "${name}" uses protocol "${protocol}", which is not one of the Gateway API's (HTTP, HTTPS, TLS, TCP, UDP): a controller that does not define it refuses the listener (Accepted: False, UnsupportedProtocol) and it serves nothing; ${near ? `protocols are case-sensitive: did you mean ${near}?` : "an implementation's own protocol takes a domain prefix (example.com/name)"}`,
          { severity: 'warning' },
        );
        continue;
      }
      const kinds = mapsAt(node, 'allowedRoutes.kinds[]');
      if (!kinds.length) continue;
      const carried: string[] = kindsForProtocol(protocol, text(getValue(node, 'tls'), 'mode'));
      const judged = kinds.map(({ node: k }) => {
        const group = text(k, 'group') ?? GATEWAY_GROUP;
        const kind = text(k, 'kind') ?? '';
        return { k, group, kind, ok: group !== GATEWAY_GROUP || carried.includes(kind) };
      });
      const none = judged.every((j) => !j.ok);
      for (const j of judged) {
        if (j.ok || j.kind === '') continue;
        ctx.report(
          asScalar(getValue(j.k, 'kind')) ?? j.k,
          `allowedRoutes.kinds of listener "${name}" names ${j.kind}, which ${protocol.startsWith('HTTP') ? 'an' : 'a'} ${protocol} listener cannot carry (it carries ${carried.join(', ')}): the controller sets the listener's ResolvedRefs to False (InvalidRouteKinds)${none ? ' and, as no kind it names is one it carries, no route can attach to it' : ' and leaves the kind out'}`,
          none ? undefined : { severity: 'warning' },
        );
      }
    }
  },
};
