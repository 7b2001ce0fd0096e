// References out of Gateway API objects: ReferenceGrant checks for references into another namespace,
// and backendRef resolution (kind, ReferenceGrant, Service, port), each refusal with the reason a
// controller would put in the route's ResolvedRefs condition (InvalidKind, RefNotPermitted,
// BackendNotFound) and a message saying what is wrong.

import type { Cluster, ServiceInfo, ServicePortInfo } from '../types';
import type { BackendRefInfo, ReferenceGrantInfo, RouteInfo } from './types';
import { GATEWAY_GROUP } from './types';

/** The object a reference comes from (group, kind, namespace). */
export interface ReferenceFrom {
  group: string;
  kind: string;
  namespace: string;
}

/** The object a reference points at. */
export interface ReferenceTo {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

/** Groups name the core API with "" (an omitted group); "core" is read the same way. */
function sameGroup(a: string, b: string): boolean {
  const n = (g: string) => (g === 'core' ? '' : g);
  return n(a) === n(b);
}

/** Does a ReferenceGrant allow this reference? A grant lives in the target's namespace; it permits a
 * reference when one `from` entry names the referrer's group, kind and namespace and one `to` entry
 * names the target's group and kind (and its name, when the entry names one). */
export function grantPermits(grant: ReferenceGrantInfo, from: ReferenceFrom, to: ReferenceTo): boolean {
  if (grant.id.namespace !== to.namespace) return false;
  const fromOk = grant.from.some(
    (f) => sameGroup(f.group, from.group) && f.kind === from.kind && f.namespace === from.namespace,
  );
  if (!fromOk) return false;
  return grant.to.some(
    (t) =>
      sameGroup(t.group, to.group) &&
      t.kind === to.kind &&
      (t.name === undefined || t.name === '' || t.name === to.name),
  );
}

/** The grant that permits a reference across namespaces (undefined when none does). A reference
 * inside one namespace needs none: callers check that first. */
export function findGrant(
  cluster: Cluster,
  from: ReferenceFrom,
  to: ReferenceTo,
): ReferenceGrantInfo | undefined {
  for (const g of cluster.referenceGrants ?? []) if (grantPermits(g, from, to)) return g;
  return undefined;
}

export type BackendRefusal = 'InvalidKind' | 'RefNotPermitted' | 'BackendNotFound';

export interface BackendResolution {
  ref: BackendRefInfo;
  valid: boolean;
  /** The ResolvedRefs reason when invalid. */
  reason?: BackendRefusal;
  /** Why it is invalid (undefined when valid). */
  message?: string;
  /** The Service it names, when it exists. */
  service?: ServiceInfo;
  /** The Service port it names, when it exists. */
  servicePort?: ServicePortInfo;
  /** The ReferenceGrant that permits a cross-namespace reference. */
  grant?: ReferenceGrantInfo;
}

export function backendText(ref: BackendRefInfo): string {
  const kind =
    ref.kind === 'Service' && ref.group === '' ? 'Service' : `${ref.kind}${ref.group ? `.${ref.group}` : ''}`;
  return `${kind} ${ref.namespace}/${ref.name}${ref.port !== undefined ? `:${ref.port}` : ''}`;
}

/** Resolve one backendRef of a route (or a mirror filter) written in namespace `fromNamespace` by an
 * object of kind `fromKind`. Only core Services are known backends: other kinds are InvalidKind. */
/** A mesh route (GAMMA): every parentRef names a Service. GEP-1294: such a route may send traffic to
 * backendRefs in any namespace without a ReferenceGrant (it augments Services that are reachable
 * anyway; access control is a NetworkPolicy's). A route that also has a Gateway parent keeps the rule. */
export function isMeshRoute(route: RouteInfo): boolean {
  return (
    route.parentRefs.length > 0 &&
    route.parentRefs.every((p) => (p.group === '' || p.group === 'core') && p.kind === 'Service')
  );
}

export function resolveBackendRef(
  cluster: Cluster,
  ref: BackendRefInfo,
  fromKind: string,
  fromNamespace: string,
  mesh = false,
): BackendResolution {
  const isService = sameGroup(ref.group, '') && ref.kind === 'Service';
  if (!isService) {
    return {
      ref,
      valid: false,
      reason: 'InvalidKind',
      message: `backendRef kind ${ref.kind}${ref.group ? ` of group ${ref.group}` : ' (core group)'} is not supported: only a core Service can be a backend`,
    };
  }
  let grant: ReferenceGrantInfo | undefined;
  if (ref.namespace !== fromNamespace && !mesh) {
    grant = findGrant(
      cluster,
      { group: GATEWAY_GROUP, kind: fromKind, namespace: fromNamespace },
      { group: '', kind: 'Service', namespace: ref.namespace, name: ref.name },
    );
    if (!grant) {
      return {
        ref,
        valid: false,
        reason: 'RefNotPermitted',
        message: `the reference from ${fromKind} in namespace ${fromNamespace} to Service ${ref.namespace}/${ref.name} is not permitted: no ReferenceGrant in namespace ${ref.namespace} allows ${fromKind}s of namespace ${fromNamespace} to refer to it`,
      };
    }
  }
  const service = cluster.services.find((s) => s.id.namespace === ref.namespace && s.id.name === ref.name);
  if (!service)
    return {
      ref,
      valid: false,
      reason: 'BackendNotFound',
      message: `Service ${ref.namespace}/${ref.name} does not exist in these manifests`,
      grant,
    };
  if (ref.port === undefined)
    return {
      ref,
      valid: false,
      reason: 'BackendNotFound',
      message: `the backendRef to Service ${ref.namespace}/${ref.name} has no port (a Service backend must name one)`,
      service,
      grant,
    };
  const servicePort = service.ports.find((p) => p.port === ref.port);
  if (!servicePort) {
    const ports = service.ports.map((p) => String(p.port)).join(', ');
    return {
      ref,
      valid: false,
      reason: 'BackendNotFound',
      message: `Service ${ref.namespace}/${ref.name} has no port ${ref.port}${ports ? ` (its ports: ${ports})` : ' (it declares no ports)'}`,
      service,
      grant,
    };
  }
  return { ref, valid: true, service, servicePort, grant };
}
