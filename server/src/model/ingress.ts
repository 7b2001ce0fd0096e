// Typed view of an Ingress (v1 and the legacy v1beta1 shapes map onto the same model).

import type { AstNode, MapNode, ScalarNode, SeqNode } from '../syntax/ast';
import { asMap, asScalar, asSeq, exactList, getIn, getPair, getValue, stringValue } from '../syntax/ast';
import type { Resource } from './resource';
import type { ControllerClass, ControllerDecision, ControllerInput } from '../engine/controller';
import { decideController } from '../engine/controller';
import { isUnsetValue } from './api-defaults';

export interface IngressBackendModel {
  node: MapNode;
  /** v1: service.name; legacy: serviceName */
  serviceName?: ScalarNode;
  /** v1: service.port.number or .name; legacy: servicePort */
  servicePort?: ScalarNode;
  resource?: MapNode;
}

export interface IngressPathModel {
  node: MapNode;
  path?: ScalarNode;
  pathType?: ScalarNode;
  backend?: IngressBackendModel;
}

export interface IngressRuleModel {
  node: MapNode;
  host?: ScalarNode;
  paths: IngressPathModel[];
}

export interface IngressTlsModel {
  node: MapNode;
  hosts: ScalarNode[];
  hostsNode?: SeqNode;
  secretName?: ScalarNode;
}

export interface IngressModel {
  legacy: boolean;
  className?: ScalarNode;
  defaultBackend?: IngressBackendModel;
  defaultBackendKey?: AstNode;
  rules: IngressRuleModel[];
  tls: IngressTlsModel[];
}

export const LEGACY_INGRESS_VERSIONS = new Set(['extensions/v1beta1', 'networking.k8s.io/v1beta1']);

function backendOf(node: AstNode | null | undefined, legacy: boolean): IngressBackendModel | undefined {
  const map = asMap(node);
  if (!map) return undefined;
  const resource = asMap(getValue(map, 'resource'));
  if (legacy) {
    return {
      node: map,
      serviceName: asScalar(getValue(map, 'serviceName')),
      servicePort: asScalar(getValue(map, 'servicePort')),
      resource,
    };
  }
  const service = asMap(getValue(map, 'service'));
  const port = asMap(getValue(service, 'port'));
  // number 0 and name "" mean "not set" (the API validates whichever of the two is non-zero)
  const numberNode = asScalar(getValue(port, 'number'));
  const nameNode = asScalar(getValue(port, 'name'));
  const servicePort =
    (!isUnsetValue(numberNode) ? numberNode : undefined) ??
    (!isUnsetValue(nameNode) ? nameNode : undefined) ??
    numberNode ??
    nameNode;
  return { node: map, serviceName: asScalar(getValue(service, 'name')), servicePort, resource };
}

/** Each Ingress's model, read once per tree: about twenty rules and the cluster read it, and a file
 * of 2,000 Ingresses walked each tree twenty times. A tree is never changed once parsed (an edit
 * parses a new one), so the model holds while its tree lives; keyed per version kind (v1 or legacy). */
const models = new WeakMap<MapNode, IngressModel>();
const legacyModels = new WeakMap<MapNode, IngressModel>();

/** The typed view of an Ingress (one object per tree: callers read it, never change it). */
export function ingressModel(r: Resource): IngressModel {
  const legacy = LEGACY_INGRESS_VERSIONS.has(r.apiVersion);
  const memo = legacy ? legacyModels : models;
  let m = memo.get(r.node);
  if (!m) memo.set(r.node, (m = readIngressModel(r, legacy)));
  return m;
}

function readIngressModel(r: Resource, legacy: boolean): IngressModel {
  const spec = asMap(getValue(r.node, 'spec'));
  const dbPair = spec ? getPair(spec, legacy ? 'backend' : 'defaultBackend') : undefined;
  const rules: IngressRuleModel[] = [];
  for (const item of asSeq(getValue(spec, 'rules'))?.items ?? []) {
    const rm = asMap(item);
    if (!rm) continue;
    const paths: IngressPathModel[] = [];
    for (const p of asSeq(getIn(rm, ['http', 'paths']))?.items ?? []) {
      const pm = asMap(p);
      if (!pm) continue;
      paths.push({
        node: pm,
        path: asScalar(getValue(pm, 'path')),
        pathType: asScalar(getValue(pm, 'pathType')),
        backend: backendOf(getValue(pm, 'backend'), legacy),
      });
    }
    rules.push({ node: rm, host: asScalar(getValue(rm, 'host')), paths: exactList(paths) });
  }
  const tls: IngressTlsModel[] = [];
  for (const item of asSeq(getValue(spec, 'tls'))?.items ?? []) {
    const tm = asMap(item);
    if (!tm) continue;
    const hostsNode = asSeq(getValue(tm, 'hosts'));
    const hosts = (hostsNode?.items ?? []).filter((h): h is ScalarNode => h.type === 'scalar');
    tls.push({ node: tm, hosts, hostsNode, secretName: asScalar(getValue(tm, 'secretName')) });
  }
  return {
    legacy,
    className: asScalar(getValue(spec, 'ingressClassName')),
    defaultBackend: backendOf(dbPair?.value, legacy),
    defaultBackendKey: dbPair?.key,
    // (lists grown by push keep room for 16 more: the model lives as long as its tree)
    rules: exactList(rules),
    tls: exactList(tls),
  };
}

/** metadata.annotations whose values are scalars, as text (`"true"` and `true` both give "true": the
 * value-format diagnostics tell them apart; the controllers only ever see strings). */
export function ingressAnnotations(r: Resource): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of asMap(getIn(r.node, ['metadata', 'annotations']))?.pairs ?? []) {
    if (p.keyText === undefined) continue;
    const v = asScalar(p.value);
    if (v) out[p.keyText] = v.value === null ? '' : String(v.value);
  }
  return out;
}

/** What engine/controller.ts needs to decide an Ingress's controller. */
export function controllerInput(r: Resource, namespace?: string): ControllerInput {
  return {
    namespace: namespace ?? r.namespace,
    name: r.name,
    ingressClassName: stringValue(asScalar(getIn(r.node, ['spec', 'ingressClassName']))),
    annotations: ingressAnnotations(r),
  };
}

/** The controller that serves an Ingress: file-local rules pass no classes (the class annotation, the
 * conventional class names and the annotation families decide); cross-file views pass the workspace's. */
export function ingressController(
  r: Resource,
  classes: readonly ControllerClass[] = [],
  namespace?: string,
): ControllerDecision {
  return decideController(controllerInput(r, namespace), classes);
}
