// One Ingress -> the engine's IngressInfo: its rules, paths, backends (a Service, a resource, or an
// AWS Load Balancer Controller action), TLS entries and the cert-manager issuer annotation.

import { getIn, getValue, scalarText, stringValue } from '../syntax/ast';
import type { ResourceStore as ResourceIndex } from './resource-store';
import type { Resource } from './resource';
import { ingressAnnotations, ingressModel } from './ingress';
import type { IngressBackendModel } from './ingress';
import { sourceOf } from './source';
import { idOf, intOrString } from './cluster-infos';
import { ALB_ACTION_PREFIX } from '../engine/controller';
import type { BackendAction, BackendInfo, IngressInfo } from '../engine/types';

/** AWS Load Balancer Controller: a backend with port name `use-annotation` is the action that the
 * annotation `alb.ingress.kubernetes.io/actions.<service name>` defines (JSON with a `type`). */
function albAction(
  service: string,
  port: string | number | undefined,
  annotations: Record<string, string>,
): BackendAction | undefined {
  if (port !== 'use-annotation') return undefined;
  const annotation = `${ALB_ACTION_PREFIX}${service}`;
  const json = annotations[annotation];
  if (json === undefined) return undefined;
  let type: string | undefined;
  try {
    const parsed: unknown = JSON.parse(json);
    if (parsed && typeof parsed === 'object' && typeof (parsed as { type?: unknown }).type === 'string')
      type = (parsed as { type: string }).type;
  } catch {
    // not JSON: still the annotation's action (the annotation diagnostics report the value)
  }
  return { annotation, ...(type ? { type } : {}) };
}

function backendInfo(
  uri: string,
  r: Resource,
  b: IngressBackendModel | undefined,
  annotations: Record<string, string> = {},
): BackendInfo | undefined {
  if (!b) return undefined;
  const service = scalarText(b.serviceName);
  if (b.resource) {
    return {
      kind: 'resource',
      apiGroup: stringValue(getValue(b.resource, 'apiGroup')),
      resourceKind: stringValue(getValue(b.resource, 'kind')) ?? '',
      name: stringValue(getValue(b.resource, 'name')) ?? '',
      source: sourceOf(uri, r, b.node),
      ...(service
        ? {
            service,
            port: intOrString(b.servicePort),
            serviceSource: sourceOf(uri, r, b.serviceName),
            portSource: sourceOf(uri, r, b.servicePort),
          }
        : {}),
    };
  }
  if (!service) return undefined;
  const port = intOrString(b.servicePort);
  const action = albAction(service, port, annotations);
  return {
    kind: 'service',
    service,
    port,
    ...(action ? { action } : {}),
    source: sourceOf(uri, r, b.node),
    serviceSource: sourceOf(uri, r, b.serviceName),
    portSource: sourceOf(uri, r, b.servicePort),
  };
}

/** The class an Ingress names: spec.ingressClassName, else the deprecated annotation. */
export function ingressClassName(r: Resource): string | undefined {
  return (
    stringValue(ingressModel(r).className) ??
    stringValue(getIn(r.node, ['metadata', 'annotations', 'kubernetes.io/ingress.class']))
  );
}

export function ingressInfo(uri: string, r: Resource, index: ResourceIndex): IngressInfo {
  const m = ingressModel(r);
  const annotations = ingressAnnotations(r);
  return {
    id: idOf(r, index),
    apiVersion: r.apiVersion,
    className: ingressClassName(r),
    ingressClassName: stringValue(m.className),
    annotations,
    rules: m.rules.map((rule) => ({
      host: stringValue(rule.host),
      source: sourceOf(uri, r, rule.node),
      paths: rule.paths.map((p) => ({
        path: scalarText(p.path),
        pathType: stringValue(p.pathType) ?? (m.legacy ? 'ImplementationSpecific' : 'ImplementationSpecific'),
        backend: backendInfo(uri, r, p.backend, annotations),
        source: sourceOf(uri, r, p.node),
      })),
    })),
    defaultBackend: backendInfo(uri, r, m.defaultBackend, annotations),
    tls: m.tls.map((t) => {
      const hosts = t.hosts.filter((h) => !!scalarText(h));
      return {
        hosts: hosts.map((h) => scalarText(h)!),
        hostSources: hosts.map((h) => sourceOf(uri, r, h)),
        secretName: stringValue(t.secretName),
        source: sourceOf(uri, r, t.node),
        secretNameSource: sourceOf(uri, r, t.secretName),
      };
    }),
    source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
    namespaceSet: r.namespace !== undefined,
    certManager: certManagerAnnotation(r),
  };
}

/** The cert-manager issuer annotation of an Ingress (ClusterIssuer first), if any. */
function certManagerAnnotation(r: Resource): IngressInfo['certManager'] {
  for (const annotation of ['cert-manager.io/cluster-issuer', 'cert-manager.io/issuer']) {
    const issuer = stringValue(getIn(r.node, ['metadata', 'annotations', annotation]));
    if (issuer) return { annotation, issuer };
  }
  return undefined;
}
