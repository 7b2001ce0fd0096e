// The Gateway API engine: attachment of routes to listeners, ReferenceGrants, backendRef resolution,
// the state a controller would report (gateway/graph.ts), and request resolution (gateway/resolve.ts).
// Pure TypeScript over the plain input of gateway/types.ts.

export type * from './gateway/types';
export { GATEWAY_GROUP, ROUTE_KINDS } from './gateway/types';
export {
  gatewayHostMatches,
  intersectHostnames,
  effectiveHostnames,
  hostSpecificity,
} from './gateway/hostname';
export {
  attachParent,
  attachRoute,
  compareByAge,
  gatewayListeners,
  listenerConflicts,
  listenerKinds,
  listenerSetsOf,
  namesGateway,
  namespaceAllowed,
  kindsForProtocol,
} from './gateway/attach';
export { conflictBetween } from './gateway/conflicts';
export {
  AWS_GATEWAY_PARAMETERS_GROUP,
  definesProtocol,
  readsOpaqueCertificate,
} from './gateway/implementations';
export type { ConflictReason, ListenerConflict } from './gateway/conflicts';
export type { AcceptedReason, ListenerRef, ListenerVerdict, ParentAttachment } from './gateway/attach';
export { findGrant, grantPermits, resolveBackendRef, backendText as backendRefText } from './gateway/refs';
export type { BackendResolution, BackendRefusal, ReferenceFrom, ReferenceTo } from './gateway/refs';
export { gatewayGraph, buildGatewayGraph, parentConditions, routeKey } from './gateway/graph';
export type {
  Condition,
  GatewayGraph,
  GatewayState,
  ListenerSetState,
  ListenerState,
  RouteState,
} from './gateway/graph';
export { resolveGatewayRoute, findGateway } from './gateway/resolve';
export { streamScheme } from './gateway/resolve-stream';
export type {
  BackendResult,
  BackendTarget,
  FilterResult,
  GatewayMatch,
  GatewayRouteOptions,
  GatewayRouteResult,
} from './gateway/resolve';
export { parseGatewayRequest, parseHeaderArg } from './gateway/request';
export type { GatewayRequest } from './gateway/request';
export { replacePrefix, modifyPath, computeRedirect, computeRewrite } from './gateway/filters';
export type { RedirectResult, RewriteResult } from './gateway/filters';
export { pathPrefixMatches, httpMatch, grpcMatch } from './gateway/match';
export { followService, followTarget } from './gateway/follow';
export { backendTlsFor, backendTlsGraph } from './gateway/backend-tls';
export type {
  AppliedBackendTls,
  BackendTlsGraph,
  BackendTlsPolicyState,
  CaRefState,
  CertificateCheck,
  TargetState,
} from './gateway/backend-tls';
export type { ServiceFollow } from './gateway/follow';
