// The Gateway API objects other than routes as the engine's plain input (engine/gateway/types.ts):
// GatewayClass, Gateway and ListenerSet (their listeners), ReferenceGrant, BackendTLSPolicy, and the
// ConfigMaps a BackendTLSPolicy reads its CA from, with the API's defaults applied. Read from the views
// of ./gateway.ts; routes are adapted in ./gateway-route-info.ts.

import { asMap, getIn, getValue, scalarText, stringValue, toPlain } from '../syntax/ast';
import type { Resource } from './resource';
import type { ResourceStore } from './resource-store';
import { sourceOf } from './source';
import { caBundle } from './tls-chain';
import { toLabelSelector } from '../engine/selector';
import { normalizeHost } from '../engine/host-name';
import { GATEWAY_GROUP } from '../engine/gateway/types';
import type {
  BackendTlsPolicyInfo,
  ConfigMapInfo,
  GatewayClassInfo,
  GatewayInfo,
  ListenerInfo,
  ListenerSetInfo,
  ObjectRefInfo,
  ReferenceGrantInfo,
} from '../engine/gateway/types';
import type { ListenerModel, RefModel } from './gateway';
import { gatewayModel, listenerSetModel, maps, num, referenceGrantModel, text } from './gateway';

function listenerInfo(uri: string, r: Resource, l: ListenerModel): ListenerInfo {
  const protocol = text(l.protocol) ?? '';
  const info: ListenerInfo = {
    name: text(l.name) ?? '',
    hostname: text(l.hostname) ? normalizeHost(text(l.hostname)!) : undefined,
    port: num(l.port) ?? 0,
    protocol,
    allowedRoutes: {
      from: text(l.from) ?? 'Same',
      selector: l.selector ? (toLabelSelector(toPlain(l.selector)) ?? {}) : undefined,
      kinds: l.kinds?.map((k) => ({
        group: text(k.group) ?? GATEWAY_GROUP,
        kind: text(k.kind) ?? '',
        source: sourceOf(uri, r, k.node),
      })),
      source: sourceOf(uri, r, l.allowedRoutes),
    },
    source: sourceOf(uri, r, l.node),
    hostnameSource: sourceOf(uri, r, l.hostname),
  };
  if (l.tls || protocol === 'HTTPS' || protocol === 'TLS') {
    info.tls = {
      mode: text(l.tlsMode) ?? 'Terminate',
      certificateRefs: l.certificateRefs.map((c) => objectRef(uri, r, c, '', 'Secret')),
      source: sourceOf(uri, r, l.tls),
    };
  }
  return info;
}

function objectRef(uri: string, r: Resource, m: RefModel, group: string, kind: string): ObjectRefInfo {
  return {
    group: text(m.group) ?? group,
    kind: text(m.kind) ?? kind,
    name: text(m.name) ?? '',
    namespace: text(m.namespace),
    source: sourceOf(uri, r, m.node),
  };
}

export function gatewayClassInfo(uri: string, r: Resource): GatewayClassInfo {
  return {
    name: r.name ?? '',
    controllerName: stringValue(getIn(r.node, ['spec', 'controllerName'])),
    source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
  };
}

export function gatewayInfo(uri: string, r: Resource, index: ResourceStore): GatewayInfo {
  const m = gatewayModel(r);
  return {
    id: { kind: 'Gateway', namespace: index.namespaceOf(r), name: r.name ?? '' },
    className: text(m.className),
    listeners: m.listeners.map((l) => listenerInfo(uri, r, l)),
    allowedListeners: {
      from: text(getIn(m.spec, ['allowedListeners', 'namespaces', 'from'])) ?? 'None',
      selector: asMap(getIn(m.spec, ['allowedListeners', 'namespaces', 'selector']))
        ? (toLabelSelector(toPlain(getIn(m.spec, ['allowedListeners', 'namespaces', 'selector']))) ?? {})
        : undefined,
    },
    source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
    classNameSource: sourceOf(uri, r, m.className),
  };
}

export function listenerSetInfo(uri: string, r: Resource, index: ResourceStore): ListenerSetInfo {
  const m = listenerSetModel(r);
  return {
    id: { kind: r.kind, namespace: index.namespaceOf(r), name: r.name ?? '' },
    parentRef: m.parentRef
      ? objectRef(uri, r, m.parentRef, GATEWAY_GROUP, 'Gateway')
      : { group: GATEWAY_GROUP, kind: 'Gateway', name: '' },
    listeners: m.listeners.map((l) => listenerInfo(uri, r, l)),
    creationTimestamp: text(getIn(r.node, ['metadata', 'creationTimestamp'])),
    source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
    parentRefSource: sourceOf(uri, r, m.parentRef?.node),
  };
}

export function referenceGrantInfo(uri: string, r: Resource, index: ResourceStore): ReferenceGrantInfo {
  const m = referenceGrantModel(r);
  return {
    id: { kind: 'ReferenceGrant', namespace: index.namespaceOf(r), name: r.name ?? '' },
    from: m.from.map((f) => ({
      group: text(f.group) ?? '',
      kind: text(f.kind) ?? '',
      namespace: text(f.namespace) ?? '',
      source: sourceOf(uri, r, f.node),
    })),
    to: m.to.map((t) => ({
      group: text(t.group) ?? '',
      kind: text(t.kind) ?? '',
      name: text(t.name),
      source: sourceOf(uri, r, t.node),
    })),
    source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
  };
}

export function backendTlsPolicyInfo(uri: string, r: Resource, index: ResourceStore): BackendTlsPolicyInfo {
  const spec = asMap(getValue(r.node, 'spec'));
  const validation = asMap(getValue(spec, 'validation'));
  return {
    id: { kind: 'BackendTLSPolicy', namespace: index.namespaceOf(r), name: r.name ?? '' },
    creationTimestamp: text(getIn(r.node, ['metadata', 'creationTimestamp'])),
    targetRefs: maps(getValue(spec, 'targetRefs')).map((t) => ({
      group: text(getValue(t, 'group')) ?? '',
      kind: text(getValue(t, 'kind')) ?? '',
      name: text(getValue(t, 'name')) ?? '',
      sectionName: text(getValue(t, 'sectionName')) || undefined,
      source: sourceOf(uri, r, t),
    })),
    caCertificateRefs: maps(getValue(validation, 'caCertificateRefs')).map((c) => ({
      group: text(getValue(c, 'group')) ?? '',
      kind: text(getValue(c, 'kind')) ?? '',
      name: text(getValue(c, 'name')) ?? '',
      source: sourceOf(uri, r, c),
    })),
    wellKnownCACertificates: text(getValue(validation, 'wellKnownCACertificates')) || undefined,
    hostname: text(getValue(validation, 'hostname')),
    ...(getValue(validation, 'subjectAltNames') !== undefined
      ? {
          subjectAltNames: maps(getValue(validation, 'subjectAltNames')).map((s) => ({
            type: text(getValue(s, 'type')) ?? '',
            ...(text(getValue(s, 'hostname'))
              ? { hostname: text(getValue(s, 'hostname'))!.toLowerCase() }
              : {}),
            ...(text(getValue(s, 'uri')) ? { uri: text(getValue(s, 'uri')) } : {}),
          })),
          subjectAltNamesSource: sourceOf(uri, r, getValue(validation, 'subjectAltNames')),
        }
      : {}),
    hostnameSource: sourceOf(uri, r, getValue(validation, 'hostname')),
    source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
  };
}

/** A ConfigMap's keys and whether its `ca.crt` is a PEM certificate bundle (BackendTLSPolicy CAs). */
export function configMapInfo(uri: string, r: Resource, index: ResourceStore): ConfigMapInfo {
  const keys: string[] = [];
  let ca: string | undefined;
  for (const field of ['data', 'binaryData']) {
    const m = asMap(getValue(r.node, field));
    for (const p of m?.pairs ?? []) {
      if (p.keyText === undefined) continue;
      keys.push(p.keyText);
      if (p.keyText === 'ca.crt' && field === 'data') ca = scalarText(p.value) ?? '';
    }
  }
  const caCrt = !keys.includes('ca.crt')
    ? 'missing'
    : ca !== undefined && /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.test(ca)
      ? 'pem'
      : 'not-pem';
  const bundle = caCrt === 'pem' && ca !== undefined ? caBundle(ca) : undefined;
  return {
    id: { kind: 'ConfigMap', namespace: index.namespaceOf(r), name: r.name ?? '' },
    keys,
    caCrt,
    ...(bundle ? { ca: bundle } : {}),
    source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
  };
}
