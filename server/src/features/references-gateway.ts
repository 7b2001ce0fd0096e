// References among Gateway API resources, read from the engine's cluster (every copy resolved once):
// - a Gateway (or ListenerSet): the parentRefs of routes that name it;
// - a GatewayClass: the Gateways of that class;
// - a Service: the backendRefs (and mirror backendRefs) of routes that send traffic to it;
// - a Secret: the listener certificateRefs that name it.

import type { ResourceIndex } from '../workspace/index';
import type { Resource } from '../model/resource';
import { buildCluster } from '../model/cluster';
import type { SourceRef } from '../engine/types';
import type { BackendRefInfo } from '../engine/gateway';
import { uniqueRefs } from './resource-refs';

const GROUP = 'gateway.networking.k8s.io';

/** The parentRefs of routes (and the parentRef of ListenerSets) naming a Gateway or ListenerSet. */
export function parentRefsTo(
  index: ResourceIndex,
  kind: string,
  namespace: string,
  name: string,
): SourceRef[] {
  const c = buildCluster(index);
  const out: (SourceRef | undefined)[] = [];
  for (const r of c.gatewayRoutes ?? []) {
    for (const p of r.parentRefs)
      if (p.group === GROUP && p.kind === kind && p.namespace === namespace && p.name === name)
        out.push(p.source);
  }
  if (kind === 'Gateway') {
    for (const s of c.listenerSets ?? []) {
      const p = s.parentRef;
      if (p.kind === 'Gateway' && (p.namespace ?? s.id.namespace) === namespace && p.name === name)
        out.push(p.source);
    }
  }
  return uniqueRefs(out);
}

/** The backendRefs of routes (rules, backend filters and mirrors) that name a Service. */
export function routeBackendRefsTo(index: ResourceIndex, namespace: string, service: string): SourceRef[] {
  const c = buildCluster(index);
  const out: (SourceRef | undefined)[] = [];
  const visit = (b: BackendRefInfo) => {
    if (
      (b.group === '' || b.group === 'core') &&
      b.kind === 'Service' &&
      b.namespace === namespace &&
      b.name === service
    )
      out.push(b.nameSource ?? b.source);
  };
  for (const r of c.gatewayRoutes ?? []) {
    for (const rule of r.rules) {
      for (const b of rule.backendRefs) {
        visit(b);
        for (const f of b.filters) if (f.requestMirror) visit(f.requestMirror.backendRef);
      }
      for (const f of rule.filters) if (f.requestMirror) visit(f.requestMirror.backendRef);
    }
  }
  return uniqueRefs(out);
}

/** Listener certificateRefs naming a Secret. */
export function certificateRefsTo(index: ResourceIndex, namespace: string, secret: string): SourceRef[] {
  const c = buildCluster(index);
  const out: (SourceRef | undefined)[] = [];
  for (const owner of [...(c.gateways ?? []), ...(c.listenerSets ?? [])]) {
    for (const l of owner.listeners) {
      for (const ref of l.tls?.certificateRefs ?? []) {
        if (
          (ref.group === '' || ref.group === 'core') &&
          ref.kind === 'Secret' &&
          (ref.namespace ?? owner.id.namespace) === namespace &&
          ref.name === secret
        )
          out.push(ref.source);
      }
    }
  }
  return uniqueRefs(out);
}

/** References to a Gateway API resource (Gateway, ListenerSet, GatewayClass), or undefined. */
export function gatewayReferences(r: Resource, index: ResourceIndex): SourceRef[] | undefined {
  if (!r.apiVersion.startsWith(GROUP + '/') || !r.name) return undefined;
  const ns = index.namespaceOf(r);
  if (r.kind === 'Gateway' || r.kind === 'ListenerSet') return parentRefsTo(index, r.kind, ns, r.name);
  if (r.kind === 'GatewayClass')
    return uniqueRefs(
      (buildCluster(index).gateways ?? [])
        .filter((g) => g.className === r.name)
        .map((g) => g.classNameSource ?? g.source),
    );
  return undefined;
}
