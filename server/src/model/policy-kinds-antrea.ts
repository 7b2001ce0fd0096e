// crd.antrea.io ClusterNetworkPolicy (ACNP), NetworkPolicy (ANNP) and Tier, read into the engine's
// AntreaPolicyInfo and AntreaTierInfo (docs/antrea-network-policy.md of antrea-io/antrea).

import type { AstNode } from '../syntax/ast';
import { asMap, asScalar, asSeq, getValue, isNullish, scalarText, stringValue } from '../syntax/ast';
import type { ResourceStore } from './resource-store';
import type { Resource } from './resource';
import { sourceOf } from './source';
import { num, protocol, selector, strings } from './policy-kinds-read';
import type {
  AntreaGroupInfo,
  AntreaPeerInfo,
  AntreaPolicyInfo,
  AntreaPortInfo,
  AntreaRuleInfo,
  AntreaTierInfo,
} from '../engine/types';

export const ANTREA_POLICY_KINDS = ['ClusterNetworkPolicy', 'NetworkPolicy'] as const;

export function isAntreaPolicy(r: Resource): boolean {
  return (
    r.apiVersion.startsWith('crd.antrea.io/') && (ANTREA_POLICY_KINDS as readonly string[]).includes(r.kind)
  );
}

/** A number written as an integer or a decimal (Antrea priorities are floats). */
function decimal(node: AstNode | null | undefined): number | undefined {
  const s = asScalar(node);
  if (!s) return undefined;
  if (typeof s.value === 'number') return s.value;
  if (typeof s.value === 'string' && /^\d+(\.\d+)?$/.test(s.value)) return Number(s.value);
  return undefined;
}

function peers(uri: string, r: Resource, node: AstNode | null | undefined): AntreaPeerInfo[] {
  return (asSeq(node)?.items ?? []).map((p) => {
    const peer: AntreaPeerInfo = { source: sourceOf(uri, r, p) };
    const m = asMap(p);
    if (!m) return peer;
    const pod = getValue(m, 'podSelector');
    if (!isNullish(pod)) peer.podSelector = selector(pod) ?? {};
    const ns = getValue(m, 'namespaceSelector');
    if (!isNullish(ns)) peer.namespaceSelector = selector(ns) ?? {};
    const namespaces = asMap(getValue(m, 'namespaces'));
    if (namespaces) {
      if (stringValue(getValue(namespaces, 'match')) === 'Self') peer.namespacesSelf = true;
      const same = strings(getValue(namespaces, 'sameLabels'));
      if (same) peer.sameLabels = same;
    }
    const block = asMap(getValue(m, 'ipBlock'));
    if (block) {
      const cidr = stringValue(getValue(block, 'cidr'));
      if (cidr) peer.ipBlock = { cidr, except: strings(getValue(block, 'except')) ?? [] };
    }
    const group = scalarText(getValue(m, 'group'));
    const sa = asMap(getValue(m, 'serviceAccount'));
    const node = getValue(m, 'nodeSelector');
    const fqdn = scalarText(getValue(m, 'fqdn'));
    const svc = asMap(getValue(m, 'service'));
    if (group !== undefined) {
      peer.group = group;
      peer.other = { field: 'group', text: `group ${group}` };
    } else if (sa) {
      const saNs = stringValue(getValue(sa, 'namespace'));
      const saName = stringValue(getValue(sa, 'name'));
      if (saNs && saName) peer.serviceAccount = { namespace: saNs, name: saName };
      peer.other = { field: 'serviceAccount', text: `serviceAccount ${saNs ?? '?'}/${saName ?? '?'}` };
    } else if (!isNullish(node)) peer.other = { field: 'nodeSelector', text: 'nodeSelector' };
    else if (fqdn !== undefined) peer.other = { field: 'fqdn', text: `fqdn ${fqdn}` };
    else if (svc)
      peer.other = {
        field: 'service',
        text: `service ${stringValue(getValue(svc, 'namespace')) ?? '?'}/${stringValue(getValue(svc, 'name')) ?? '?'}`,
      };
    return peer;
  });
}

function ports(node: AstNode | null | undefined): AntreaPortInfo[] | undefined {
  const seq = asSeq(node);
  if (!seq) return undefined;
  return seq.items.map((p) => {
    const portText = scalarText(getValue(p, 'port'));
    return {
      protocol: protocol(getValue(p, 'protocol')),
      ...(portText !== undefined ? { port: /^\d+$/.test(portText) ? Number(portText) : portText } : {}),
      ...(num(getValue(p, 'endPort')) !== undefined ? { endPort: num(getValue(p, 'endPort')) } : {}),
      ...(getValue(p, 'sourcePort') !== undefined || getValue(p, 'sourceEndPort') !== undefined
        ? { sourcePort: true }
        : {}),
    };
  });
}

function l7(node: AstNode | null | undefined): string[] | undefined {
  const seq = asSeq(node);
  if (!seq) return undefined;
  const out: string[] = [];
  for (const item of seq.items) {
    const http = getValue(item, 'http');
    if (http !== undefined) {
      const method = stringValue(getValue(http, 'method'));
      const path = stringValue(getValue(http, 'path'));
      const host = stringValue(getValue(http, 'host'));
      out.push(
        `HTTP ${method ?? 'any method'} ${path ? `path ${path}` : 'any path'}${host ? ` host ${host}` : ''} (Antrea L7 rule: other requests are rejected)`,
      );
    } else if (getValue(item, 'tls') !== undefined) {
      const sni = stringValue(getValue(getValue(item, 'tls'), 'sni'));
      out.push(`TLS with SNI ${sni ?? 'any'} (Antrea L7 rule)`);
    }
  }
  return out;
}

function rules(
  uri: string,
  r: Resource,
  node: AstNode | null | undefined,
  peersKey: 'from' | 'to',
): AntreaRuleInfo[] {
  return (asSeq(node)?.items ?? []).map((item) => {
    const toServices = (asSeq(getValue(item, 'toServices'))?.items ?? []).map(
      (s) => `${stringValue(getValue(s, 'namespace')) ?? '?'}/${stringValue(getValue(s, 'name')) ?? '?'}`,
    );
    const appliedTo = getValue(item, 'appliedTo');
    const p = ports(getValue(item, 'ports'));
    const protocols = asSeq(getValue(item, 'protocols'));
    const conditions = l7(getValue(item, 'l7Protocols'));
    return {
      name: stringValue(getValue(item, 'name')),
      action: stringValue(getValue(item, 'action')) ?? '',
      peers: peers(uri, r, getValue(item, peersKey)),
      ...(toServices.length ? { toServices } : {}),
      ...(asSeq(appliedTo) ? { appliedTo: peers(uri, r, appliedTo) } : {}),
      ...(p ? { ports: p } : {}),
      ...(!p && protocols?.items.length ? { nonPortProtocolsOnly: true } : {}),
      ...(conditions?.length ? { l7: conditions } : {}),
      source: sourceOf(uri, r, item),
    };
  });
}

export function antreaPolicyInfo(
  uri: string,
  r: Resource,
  index: ResourceStore,
): AntreaPolicyInfo | undefined {
  if (!isAntreaPolicy(r) || !r.name) return undefined;
  const spec = asMap(getValue(r.node, 'spec'));
  const appliedTo = getValue(spec, 'appliedTo');
  return {
    kind: r.kind as AntreaPolicyInfo['kind'],
    apiVersion: r.apiVersion,
    ...(r.kind === 'NetworkPolicy' ? { namespace: index.namespaceOf(r) } : {}),
    name: r.name,
    tier: stringValue(getValue(spec, 'tier')) ?? 'application',
    priority: decimal(getValue(spec, 'priority')),
    ...(asSeq(appliedTo) ? { appliedTo: peers(uri, r, appliedTo) } : {}),
    ingress: rules(uri, r, getValue(spec, 'ingress'), 'from'),
    egress: rules(uri, r, getValue(spec, 'egress'), 'to'),
    source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
  };
}

export function antreaTierInfo(uri: string, r: Resource): AntreaTierInfo | undefined {
  if (!r.apiVersion.startsWith('crd.antrea.io/') || r.kind !== 'Tier' || !r.name) return undefined;
  return {
    name: r.name,
    priority: decimal(getValue(asMap(getValue(r.node, 'spec')), 'priority')),
    source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
  };
}

export const ANTREA_GROUP_KINDS = ['ClusterGroup', 'Group'] as const;

export function antreaGroupInfo(uri: string, r: Resource, index: ResourceStore): AntreaGroupInfo | undefined {
  if (!r.apiVersion.startsWith('crd.antrea.io/') || !r.name) return undefined;
  if (r.kind !== 'ClusterGroup' && r.kind !== 'Group') return undefined;
  const spec = asMap(getValue(r.node, 'spec'));
  const info: AntreaGroupInfo = {
    kind: r.kind,
    ...(r.kind === 'Group' ? { namespace: index.namespaceOf(r) } : {}),
    name: r.name,
    source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
  };
  const pod = getValue(spec, 'podSelector');
  if (!isNullish(pod)) info.podSelector = selector(pod) ?? {};
  const ns = getValue(spec, 'namespaceSelector');
  if (!isNullish(ns)) info.namespaceSelector = selector(ns) ?? {};
  const blocks = [
    ...(asMap(getValue(spec, 'ipBlock')) ? [getValue(spec, 'ipBlock')] : []),
    ...(asSeq(getValue(spec, 'ipBlocks'))?.items ?? []),
  ].flatMap((b) => {
    const cidr = stringValue(getValue(b, 'cidr'));
    return cidr ? [{ cidr, except: strings(getValue(b, 'except')) ?? [] }] : [];
  });
  if (blocks.length) info.ipBlocks = blocks;
  const svc = asMap(getValue(spec, 'serviceReference'));
  if (svc)
    info.serviceReference = `${stringValue(getValue(svc, 'namespace')) ?? info.namespace ?? ''}/${stringValue(getValue(svc, 'name')) ?? ''}`;
  const children = strings(getValue(spec, 'childGroups'));
  if (children) info.childGroups = children;
  if (!isNullish(getValue(spec, 'nodeSelector'))) info.nodeSelector = true;
  return info;
}
