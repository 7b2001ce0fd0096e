// Where things are written, read from the current syntax trees of the indexed resources: the name of
// a resource, the ports of a Service, the container ports of a workload, the backends and tls entries
// of an Ingress. Navigation, references and CodeLens use these; the engine answers *which* resources
// relate, these helpers answer *where* they are, so positions never lag behind an edit.

import type { AstNode, MapNode, PairNode, ScalarNode, Span } from '../syntax/ast';
import { asMap, asScalar, asSeq, getIn, getPair, getValue, scalarText, stringValue } from '../syntax/ast';
import type { ParsedDocument } from '../syntax/parse';
import type { IndexedResource, ResourceIndex } from '../workspace/index';
import type { Resource } from '../model/resource';
import { resourcesOf } from '../model/resource';
import { ingressModel } from '../model/ingress';
import type { IngressBackendModel } from '../model/ingress';
import { podTemplateOf } from '../model/workload';
import { sourceOf } from '../model/cluster';
import type { ResourceId, SourceRef } from '../engine/types';

export function inside(span: Span | null | undefined, offset: number): boolean {
  return !!span && offset >= span.start && offset <= span.end;
}

/** The resource of a document that holds a document-relative offset. */
export function resourceAt(doc: ParsedDocument, offset: number): Resource | undefined {
  if (!doc.root) return undefined;
  return resourcesOf(doc).find((r) => offset >= r.node.start && offset <= r.node.end);
}

/** A span of a resource as a file location. */
export function refOf(uri: string, r: Resource, node: Span | null | undefined): SourceRef | undefined {
  return sourceOf(uri, r, node);
}

/** The location naming a resource: its metadata.name value (its kind when it has no name). */
export function nameRef(e: IndexedResource): SourceRef {
  return sourceOf(e.uri, e.resource, e.resource.nameNode ?? e.resource.kindNode)!;
}

/** Indexed resources behind an engine id (several when the workspace defines one twice). */
export function resourcesFor(index: ResourceIndex, id: ResourceId): IndexedResource[] {
  return index.find(id.kind, id.namespace, id.name);
}

export function servicesNamed(index: ResourceIndex, namespace: string, name: string): IndexedResource[] {
  return index.find('Service', namespace, name).filter((e) => e.resource.apiVersion === 'v1');
}

export function secretsNamed(index: ResourceIndex, namespace: string, name: string): IndexedResource[] {
  return index.find('Secret', namespace, name).filter((e) => e.resource.apiVersion === 'v1');
}

/** IngressClasses are cluster-scoped: any namespace written (or assumed) is ignored. */
export function ingressClassesNamed(index: ResourceIndex, name: string): IndexedResource[] {
  const out: IndexedResource[] = [];
  for (const e of index.all())
    if (e.resource.kind === 'IngressClass' && e.resource.name === name) out.push(e);
  return out;
}

/** Every backend of an Ingress: the default backend, then each rule's paths. */
export function ingressBackends(r: Resource): IngressBackendModel[] {
  const m = ingressModel(r);
  const out: IngressBackendModel[] = [];
  if (m.defaultBackend) out.push(m.defaultBackend);
  for (const rule of m.rules) for (const p of rule.paths) if (p.backend) out.push(p.backend);
  return out;
}

/** The `ingressClassName` value, else the deprecated annotation's value. */
export function ingressClassNode(r: Resource): ScalarNode | undefined {
  const m = ingressModel(r);
  if (m.className) return m.className;
  return asScalar(getIn(r.node, ['metadata', 'annotations', 'kubernetes.io/ingress.class']));
}

export interface ServicePortNode {
  item: MapNode;
  name?: ScalarNode;
  port?: ScalarNode;
  targetPort?: ScalarNode;
  protocol: string;
}

export function servicePorts(r: Resource): ServicePortNode[] {
  const out: ServicePortNode[] = [];
  for (const item of asSeq(getIn(r.node, ['spec', 'ports']))?.items ?? []) {
    const m = asMap(item);
    if (!m) continue;
    out.push({
      item: m,
      name: asScalar(getValue(m, 'name')),
      port: asScalar(getValue(m, 'port')),
      targetPort: asScalar(getValue(m, 'targetPort')),
      protocol: stringValue(getValue(m, 'protocol')) ?? 'TCP',
    });
  }
  return out;
}

/** Service ports a backend's port (number or name) refers to; the span to show is the port's name or number. */
export function servicePortsMatching(r: Resource, port: ScalarNode): ScalarNode[] {
  const out: ScalarNode[] = [];
  for (const p of servicePorts(r)) {
    if (typeof port.value === 'number') {
      if (p.port && p.port.value === port.value) out.push(p.port);
    } else if (typeof port.value === 'string') {
      if (p.name && p.name.value === port.value) out.push(p.name);
    }
  }
  return out;
}

export interface ContainerPortNode {
  container: string;
  name?: ScalarNode;
  containerPort?: ScalarNode;
  protocol: string;
}

export function containerPorts(r: Resource): ContainerPortNode[] {
  const tpl = podTemplateOf(r);
  const spec = asMap(getValue(tpl, 'spec'));
  const out: ContainerPortNode[] = [];
  for (const list of ['containers', 'initContainers']) {
    for (const c of asSeq(getValue(spec, list))?.items ?? []) {
      const cm = asMap(c);
      if (!cm) continue;
      for (const p of asSeq(getValue(cm, 'ports'))?.items ?? []) {
        const pm = asMap(p);
        if (!pm) continue;
        out.push({
          container: scalarText(getValue(cm, 'name')) ?? '',
          name: asScalar(getValue(pm, 'name')),
          containerPort: asScalar(getValue(pm, 'containerPort')),
          protocol: stringValue(getValue(pm, 'protocol')) ?? 'TCP',
        });
      }
    }
  }
  return out;
}

/** Container ports a Service targetPort (name, or number with protocol) lands on; the span is the
 * port's name for a named target, its containerPort for a number. */
export function containerPortsMatching(r: Resource, target: string | number, protocol: string): ScalarNode[] {
  const out: ScalarNode[] = [];
  for (const p of containerPorts(r)) {
    if (typeof target === 'string') {
      if (p.name && p.name.value === target) out.push(p.name);
    } else if (p.containerPort && p.containerPort.value === target && p.protocol === protocol)
      out.push(p.containerPort);
  }
  return out;
}

/** The pair under a map (e.g. `selector` of a Service spec), for pointing at its key. */
export function pairIn(node: AstNode | null | undefined, path: string[]): PairNode | undefined {
  if (path.length === 0) return undefined;
  const parent = asMap(path.length > 1 ? getIn(node, path.slice(0, -1)) : node);
  return parent ? getPair(parent, path[path.length - 1]) : undefined;
}

/** Dedupe locations (a resource defined twice can yield the same span twice). */
export function uniqueRefs(refs: (SourceRef | undefined)[]): SourceRef[] {
  const seen = new Set<string>();
  const out: SourceRef[] = [];
  for (const r of refs) {
    if (!r) continue;
    const k = `${r.uri}\0${r.start}\0${r.end}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(r);
  }
  return out;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
