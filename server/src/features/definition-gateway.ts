// Go to definition from Gateway API references: a route's parentRef name to the Gateway (or
// ListenerSet), its sectionName to the listener, its port to the listeners on that port; a backendRef
// name (and a mirror's) to the Service, its port to the Service port; a listener certificateRef to the
// Secret; gatewayClassName to the GatewayClass; a ListenerSet's parentRef to its Gateway.

import type { AstNode, MapNode, ScalarNode } from '../syntax/ast';
import { asMap, asScalar, asSeq, getIn, getValue, scalarText } from '../syntax/ast';
import type { Resource } from '../model/resource';
import type { IndexedResource, ResourceIndex } from '../workspace/index';
import type { SourceRef } from '../engine/types';
import {
  inside,
  nameRef,
  refOf,
  secretsNamed,
  servicePorts,
  servicesNamed,
  uniqueRefs,
} from './resource-refs';

const GROUP = 'gateway.networking.k8s.io';
const ROUTES = new Set(['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute']);

export interface GatewayDefinition {
  origin: { start: number; end: number };
  targets: SourceRef[];
}

function maps(node: AstNode | null | undefined): MapNode[] {
  return (asSeq(node)?.items ?? []).map(asMap).filter((m): m is MapNode => !!m);
}

function scalarAt(map: MapNode, key: string, offset: number): ScalarNode | undefined {
  const s = asScalar(getValue(map, key));
  return s && s.value !== null && inside(s, offset) ? s : undefined;
}

function gatewayObjects(
  index: ResourceIndex,
  kind: string,
  ns: string | undefined,
  name: string,
): IndexedResource[] {
  const list = ns === undefined ? index.ofKind(kind) : index.find(kind, ns, name);
  return list.filter((e) => e.resource.name === name && e.resource.apiVersion.startsWith(GROUP + '/'));
}

function listeners(e: IndexedResource): MapNode[] {
  return maps(getIn(e.resource.node, ['spec', 'listeners']));
}

/** Every backendRef-shaped map of a route (rule backends and mirror targets). */
function backendMaps(r: Resource): MapNode[] {
  const out: MapNode[] = [];
  for (const rule of maps(getIn(r.node, ['spec', 'rules']))) {
    const refs = maps(getValue(rule, 'backendRefs'));
    out.push(...refs);
    for (const f of [
      ...maps(getValue(rule, 'filters')),
      ...refs.flatMap((b) => maps(getValue(b, 'filters'))),
    ]) {
      const m = asMap(getIn(f, ['requestMirror', 'backendRef']));
      if (m) out.push(m);
    }
  }
  return out;
}

export function gatewayDefinition(
  r: Resource,
  offset: number,
  index: ResourceIndex,
): GatewayDefinition | undefined {
  if (!r.apiVersion.startsWith(GROUP + '/')) return undefined;
  const ns = index.namespaceOf(r);
  if (ROUTES.has(r.kind) || r.kind === 'ListenerSet') {
    const parents =
      r.kind === 'ListenerSet'
        ? [asMap(getIn(r.node, ['spec', 'parentRef']))].filter((m): m is MapNode => !!m)
        : maps(getIn(r.node, ['spec', 'parentRefs']));
    for (const p of parents) {
      const kind = scalarText(getValue(p, 'kind')) ?? 'Gateway';
      const name = scalarText(getValue(p, 'name'));
      if (!name) continue;
      const targets = gatewayObjects(index, kind, scalarText(getValue(p, 'namespace')) ?? ns, name);
      const nameNode = scalarAt(p, 'name', offset);
      if (nameNode) return { origin: nameNode, targets: targets.map(nameRef) };
      const section = scalarAt(p, 'sectionName', offset);
      if (section) {
        const found = targets.flatMap((e) =>
          listeners(e)
            .map((l) => asScalar(getValue(l, 'name')))
            .filter((n) => n?.value === section.value)
            .map((n) => refOf(e.uri, e.resource, n)),
        );
        return { origin: section, targets: uniqueRefs(found) };
      }
      const port = scalarAt(p, 'port', offset);
      if (port) {
        const found = targets.flatMap((e) =>
          listeners(e)
            .map((l) => asScalar(getValue(l, 'port')))
            .filter((n) => n?.value === port.value)
            .map((n) => refOf(e.uri, e.resource, n)),
        );
        return { origin: port, targets: uniqueRefs(found) };
      }
    }
  }
  if (ROUTES.has(r.kind)) {
    for (const b of backendMaps(r)) {
      if (
        (scalarText(getValue(b, 'group')) ?? '') !== '' ||
        (scalarText(getValue(b, 'kind')) ?? 'Service') !== 'Service'
      )
        continue;
      const name = scalarText(getValue(b, 'name'));
      if (!name) continue;
      const services = servicesNamed(index, scalarText(getValue(b, 'namespace')) ?? ns, name);
      const nameNode = scalarAt(b, 'name', offset);
      if (nameNode) return { origin: nameNode, targets: services.map(nameRef) };
      const port = scalarAt(b, 'port', offset);
      if (port) {
        const found = services.flatMap((e) =>
          servicePorts(e.resource)
            .filter((p) => p.port?.value === port.value)
            .map((p) => refOf(e.uri, e.resource, p.port)),
        );
        return { origin: port, targets: uniqueRefs(found) };
      }
    }
  }
  if (r.kind === 'Gateway' || r.kind === 'ListenerSet') {
    const cls = asScalar(getIn(r.node, ['spec', 'gatewayClassName']));
    if (cls && typeof cls.value === 'string' && inside(cls, offset))
      return {
        origin: cls,
        targets: gatewayObjects(index, 'GatewayClass', undefined, cls.value).map(nameRef),
      };
    for (const l of maps(getIn(r.node, ['spec', 'listeners']))) {
      for (const c of maps(getIn(l, ['tls', 'certificateRefs']))) {
        const nameNode = scalarAt(c, 'name', offset);
        if (!nameNode || (scalarText(getValue(c, 'kind')) ?? 'Secret') !== 'Secret') continue;
        return {
          origin: nameNode,
          targets: secretsNamed(
            index,
            scalarText(getValue(c, 'namespace')) ?? ns,
            String(nameNode.value),
          ).map(nameRef),
        };
      }
    }
  }
  return undefined;
}
