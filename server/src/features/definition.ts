// Go to definition across files: from an Ingress backend's service name to the Service, from its port
// (name or number) to that Service port, from a tls `secretName` to the Secret, from
// `ingressClassName` (or the deprecated annotation) to the IngressClass, and from a Service's
// `targetPort` to the container ports of the workloads the Service selects.

import type { ParsedDocument } from '../syntax/parse';
import type { ResourceIndex } from '../model/index';
import { ingressModel } from '../model/ingress';
import { relations } from '../model/relations';
import type { SourceRef } from '../engine/types';
import {
  containerPortsMatching,
  ingressBackends,
  ingressClassesNamed,
  ingressClassNode,
  inside,
  nameRef,
  refOf,
  resourceAt,
  resourcesFor,
  secretsNamed,
  servicePorts,
  servicePortsMatching,
  servicesNamed,
  uniqueRefs,
} from './resource-refs';

export interface DefinitionResult {
  /** The span the definition was asked from (document-relative), for the editor to underline. */
  origin: { start: number; end: number };
  targets: SourceRef[];
}

/** `offset` is relative to the document; `uri` is the file holding it. */
export function definition(doc: ParsedDocument, offset: number, uri: string, index: ResourceIndex): DefinitionResult | undefined {
  const r = resourceAt(doc, offset);
  if (!r) return undefined;
  const ns = index.namespaceOf(r);
  if (r.kind === 'Ingress') {
    for (const b of ingressBackends(r)) {
      const name = b.serviceName && b.serviceName.value !== null ? String(b.serviceName.value) : undefined;
      if (!name) continue;
      if (inside(b.serviceName, offset)) {
        return { origin: b.serviceName!, targets: servicesNamed(index, ns, name).map(nameRef) };
      }
      if (b.servicePort && inside(b.servicePort, offset)) {
        const targets = servicesNamed(index, ns, name).flatMap((s) => servicePortsMatching(s.resource, b.servicePort!).map((n) => refOf(s.uri, s.resource, n)));
        return { origin: b.servicePort, targets: uniqueRefs(targets) };
      }
    }
    for (const t of ingressModel(r).tls) {
      const name = t.secretName && typeof t.secretName.value === 'string' ? t.secretName.value : undefined;
      if (name && inside(t.secretName, offset)) return { origin: t.secretName!, targets: secretsNamed(index, ns, name).map(nameRef) };
    }
    const cls = ingressClassNode(r);
    if (cls && typeof cls.value === 'string' && inside(cls, offset)) {
      return { origin: cls, targets: ingressClassesNamed(index, cls.value).map(nameRef) };
    }
    return undefined;
  }
  if (r.kind === 'Service' && r.name) {
    for (const p of servicePorts(r)) {
      if (!p.targetPort || !inside(p.targetPort, offset)) continue;
      const target = p.targetPort.value;
      if (typeof target !== 'string' && typeof target !== 'number') return undefined;
      const workloads = relations(index).serviceWorkloads.get(`${ns}/${r.name}`) ?? [];
      const targets = workloads.flatMap((w) => resourcesFor(index, w.id).flatMap((e) => containerPortsMatching(e.resource, target, p.protocol).map((n) => refOf(e.uri, e.resource, n))));
      return { origin: p.targetPort, targets: uniqueRefs(targets) };
    }
    return undefined;
  }
  return undefined;
}

