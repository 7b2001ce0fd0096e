// Completion of Gateway API values from the workspace: Gateway (or ListenerSet) names, listener
// sectionNames and ports in a route's parentRefs; the Gateway in a ListenerSet's parentRef; Services
// and their ports in backendRefs; TLS Secrets in a listener's certificateRefs; GatewayClass names in
// gatewayClassName; a BackendTLSPolicy's target Services (and port names as sectionName) and CA
// ConfigMaps; the Gateway API kinds and their standard-channel apiVersions. Each item says where the
// value is defined.

import type { AstNode, MapNode, PairNode } from '../syntax/ast';
import { asMap, asSeq, getIn, getValue, scalarText, stringValue } from '../syntax/ast';
import type { ParsedDocument } from '../syntax/parse';
import type { IndexedResource, ResourceIndex } from '../workspace/index';
import { GATEWAY_API_KINDS } from '../model/resource';
import type { CompletionEntry } from './completion';
import { cursorContext } from './yaml-path';
import { headerOf } from './schema-path';
import { servicePorts } from './resource-refs';
import { STANDARD_VERSIONS } from '../rules/gateway-api-version';

const GROUP = 'gateway.networking.k8s.io';
const ROUTES = new Set(['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute']);

function isGateway(e: IndexedResource, kind: string): boolean {
  return e.resource.kind === kind && e.resource.apiVersion.startsWith(GROUP + '/');
}

/** The map whose key on the cursor's line (before the cursor) is being given a value. */
function pairOnLine(
  root: AstNode | null | undefined,
  text: string,
  offset: number,
  key: string,
): { map: MapNode; pair: PairNode; parents: AstNode[] } | undefined {
  let found: { map: MapNode; pair: PairNode; parents: AstNode[] } | undefined;
  const visit = (n: AstNode | null | undefined, parents: AstNode[]): void => {
    if (!n || found) return;
    if (n.type === 'map') {
      for (const p of n.pairs) {
        if (p.keyText === key && p.key.start <= offset && !text.slice(p.key.end, offset).includes('\n')) {
          found = { map: n, pair: p, parents };
          return;
        }
        visit(p.value, [...parents, n]);
      }
    } else if (n.type === 'seq') for (const i of n.items) visit(i, [...parents, n]);
  };
  visit(root, []);
  return found;
}

function where(index: ResourceIndex, e: IndexedResource): string {
  const file = e.uri.slice(e.uri.lastIndexOf('/') + 1);
  return `${e.resource.kind} ${index.namespaceOf(e.resource)}/${e.resource.name} in ${file}`;
}

function uniqueByName(list: IndexedResource[]): IndexedResource[] {
  const seen = new Set<string>();
  return list.filter((e) => !!e.resource.name && !seen.has(e.resource.name) && !!seen.add(e.resource.name));
}

function listenersOf(gw: IndexedResource): MapNode[] {
  return (asSeq(getIn(gw.resource.node, ['spec', 'listeners']))?.items ?? [])
    .map(asMap)
    .filter((m): m is MapNode => !!m);
}

/**
 * Completion entries for a Gateway API value at `offset` of document `doc` (its text and parse), with
 * the workspace index; empty where this module has nothing to say.
 */
export function completeGatewayValues(
  doc: ParsedDocument,
  offset: number,
  index: ResourceIndex,
): CompletionEntry[] {
  const text = doc.text;
  const ctx = cursorContext(text, offset);
  if (!ctx || ctx.mode !== 'value') return [];
  const replaceStart = offset - ctx.prefix.length;
  const header = headerOf(text);
  const key = ctx.path[ctx.path.length - 1];
  const out: CompletionEntry[] = [];
  const value = (label: string, detail: string, documentation?: string, sort?: string): void => {
    out.push({
      label,
      kind: 'value',
      detail,
      documentation,
      insertText: label,
      snippet: false,
      replaceStart,
      sortText: sort,
    });
  };

  if (ctx.path.length === 1 && key === 'kind') {
    for (const k of GATEWAY_API_KINDS) value(k, `${GROUP} (Gateway API)`);
    return out;
  }
  if (ctx.path.length === 1 && key === 'apiVersion') {
    const versions = header.kind ? STANDARD_VERSIONS[header.kind] : undefined;
    versions?.forEach((v, i) => value(`${GROUP}/${v}`, 'Gateway API standard channel', undefined, `0${i}`));
    return out;
  }
  if (!header.apiVersion?.startsWith(GROUP + '/') || !header.kind) return out;
  const ownNs = stringValue(getIn(doc.root, ['metadata', 'namespace'])) ?? index.defaultNamespace;
  const path = ctx.path.join('.');
  const at = pairOnLine(doc.root, text, offset, String(key));
  const sibling = (k: string) => (at ? scalarText(getValue(at.map, k)) : undefined);

  if (header.kind === 'Gateway' && path === 'spec.gatewayClassName') {
    for (const e of uniqueByName(index.ofKind('GatewayClass').filter((e) => isGateway(e, 'GatewayClass')))) {
      value(
        e.resource.name!,
        `GatewayClass (${stringValue(getIn(e.resource.node, ['spec', 'controllerName'])) ?? 'no controllerName'})`,
        `Defined as ${where(index, e)}`,
      );
    }
    return out;
  }

  if (ROUTES.has(header.kind) && /^spec\.parentRefs\.\[\]\.(name|sectionName|port)$/.test(path)) {
    const parentKind = sibling('kind') ?? 'Gateway';
    const ns = sibling('namespace') ?? ownNs;
    const parents = index.ofKind(parentKind, ns).filter((e) => isGateway(e, parentKind));
    if (key === 'name') {
      for (const e of uniqueByName(parents)) {
        const ls = listenersOf(e);
        value(
          e.resource.name!,
          `${parentKind} with ${ls.length} listener${ls.length === 1 ? '' : 's'}`,
          `Defined as ${where(index, e)}`,
        );
      }
      return out;
    }
    const name = sibling('name');
    const parent = parents.find((e) => e.resource.name === name);
    if (!parent) return out;
    const seenPorts = new Set<string>();
    for (const l of listenersOf(parent)) {
      const lname = scalarText(getValue(l, 'name'));
      const protocol = scalarText(getValue(l, 'protocol')) ?? '?';
      const port = scalarText(getValue(l, 'port'));
      const host = scalarText(getValue(l, 'hostname'));
      const detail = `listener ${lname ?? '(unnamed)'}: ${protocol} ${port ?? '?'}${host ? ` ${host}` : ''}`;
      if (key === 'sectionName' && lname) value(lname, detail, `Listener of ${where(index, parent)}`);
      if (key === 'port' && port && !seenPorts.has(port)) {
        seenPorts.add(port);
        value(port, detail, `Listener of ${where(index, parent)}`);
      }
    }
    return out;
  }

  // backendRefs of routes (and the backendRef of a mirror filter): Services and their ports
  if (/(^|\.)backendRefs\.\[\]\.(name|port)$|requestMirror\.backendRef\.(name|port)$/.test(path)) {
    const kind = sibling('kind') ?? 'Service';
    const group = sibling('group') ?? '';
    if (kind !== 'Service' || group !== '') return out;
    const ns = sibling('namespace') ?? ownNs;
    const services = index.ofKind('Service', ns).filter((e) => e.resource.apiVersion === 'v1');
    if (key === 'name') {
      for (const e of uniqueByName(services)) {
        const ports = servicePorts(e.resource)
          .map((p) => scalarText(p.port))
          .filter(Boolean);
        value(
          e.resource.name!,
          `Service, port${ports.length === 1 ? '' : 's'} ${ports.join(', ') || 'none'}`,
          `Defined as ${where(index, e)}${ns !== ownNs ? `\n\nIn another namespace: the reference needs a ReferenceGrant in "${ns}".` : ''}`,
        );
      }
      return out;
    }
    const svc = services.find((e) => e.resource.name === sibling('name'));
    if (!svc) return out;
    for (const p of servicePorts(svc.resource)) {
      const port = scalarText(p.port);
      if (!port) continue;
      value(
        port,
        `port${p.name ? ` ${scalarText(p.name)}` : ''} (${p.protocol}${p.targetPort ? ` → ${scalarText(p.targetPort)}` : ''})`,
        `Port of ${where(index, svc)}`,
      );
    }
    return out;
  }

  // a ListenerSet's parent: the Gateways of its namespace (or of parentRef.namespace), with whether
  // their allowedListeners admit ListenerSets at all
  if ((header.kind === 'ListenerSet' || header.kind === 'XListenerSet') && path === 'spec.parentRef.name') {
    const ns = sibling('namespace') ?? ownNs;
    for (const e of uniqueByName(index.ofKind('Gateway', ns).filter((e) => isGateway(e, 'Gateway')))) {
      const from =
        stringValue(getIn(e.resource.node, ['spec', 'allowedListeners', 'namespaces', 'from'])) ?? 'None';
      value(
        e.resource.name!,
        `Gateway, allowedListeners from ${from}`,
        `Defined as ${where(index, e)}${from === 'None' ? '\n\nIts spec.allowedListeners.namespaces.from is None (the default): it accepts no ListenerSet until that changes.' : ''}`,
        `${from === 'None' ? 1 : 0}${e.resource.name}`,
      );
    }
    return out;
  }

  // a BackendTLSPolicy's targets (Services of its own namespace, and their port names as sectionName)
  // and its CA bundles (ConfigMaps of its namespace, those with a ca.crt first)
  if (header.kind === 'BackendTLSPolicy' && /^spec\.targetRefs\.\[\]\.(name|sectionName)$/.test(path)) {
    const kind = sibling('kind') ?? 'Service';
    const group = sibling('group') ?? '';
    if (kind !== 'Service' || !(group === '' || group === 'core')) return out;
    const services = index.ofKind('Service', ownNs).filter((e) => e.resource.apiVersion === 'v1');
    if (key === 'name') {
      for (const e of uniqueByName(services)) {
        const names = servicePorts(e.resource)
          .map((p) => scalarText(p.name))
          .filter(Boolean);
        value(
          e.resource.name!,
          `Service${names.length ? `, ports ${names.join(', ')}` : ''}`,
          `Defined as ${where(index, e)}`,
        );
      }
      return out;
    }
    const svc = services.find((e) => e.resource.name === sibling('name'));
    if (!svc) return out;
    for (const p of servicePorts(svc.resource)) {
      const name = scalarText(p.name);
      if (!name) continue;
      value(name, `port ${scalarText(p.port) ?? '?'} (${p.protocol})`, `Port of ${where(index, svc)}`);
    }
    return out;
  }
  if (header.kind === 'BackendTLSPolicy' && path === 'spec.validation.caCertificateRefs.[].name') {
    const kind = sibling('kind') ?? 'ConfigMap';
    if (kind !== 'ConfigMap') return out;
    for (const e of uniqueByName(
      index.ofKind('ConfigMap', ownNs).filter((e) => e.resource.apiVersion === 'v1'),
    )) {
      const hasCa = getValue(asMap(getValue(e.resource.node, 'data')), 'ca.crt') !== undefined;
      value(
        e.resource.name!,
        `ConfigMap${hasCa ? ' with ca.crt' : ' (no ca.crt key)'}`,
        `Defined as ${where(index, e)}${hasCa ? '' : '\n\nA BackendTLSPolicy reads the CA certificate from the key ca.crt, which this ConfigMap does not have.'}`,
        `${hasCa ? 0 : 1}${e.resource.name}`,
      );
    }
    return out;
  }

  // a listener's certificate: Secrets of type kubernetes.io/tls first
  if (/^spec\.listeners\.\[\]\.tls\.certificateRefs\.\[\]\.name$/.test(path)) {
    const ns = sibling('namespace') ?? ownNs;
    for (const e of uniqueByName(index.ofKind('Secret', ns).filter((e) => e.resource.apiVersion === 'v1'))) {
      const type = stringValue(getValue(e.resource.node, 'type')) ?? 'Opaque';
      const tls = type === 'kubernetes.io/tls';
      value(
        e.resource.name!,
        `Secret (${type})`,
        `Defined as ${where(index, e)}${tls ? '' : '\n\nNot of type kubernetes.io/tls: controllers expect tls.crt and tls.key in such a Secret.'}`,
        `${tls ? 0 : 1}${e.resource.name}`,
      );
    }
    return out;
  }
  return out;
}
