// projectcalico.org/v3 NetworkPolicy, GlobalNetworkPolicy, Tier, NetworkSet and GlobalNetworkSet, read
// into the engine's CalicoPolicyInfo, CalicoTierInfo and CalicoNetworkSetInfo.

import type { AstNode } from '../syntax/ast';
import { asMap, asScalar, asSeq, getIn, getValue, scalarText, stringValue, toPlain } from '../syntax/ast';
import { toLabels } from '../engine/selector';
import type { ResourceStore } from './resource-store';
import type { Resource } from './resource';
import { sourceOf } from './source';
import { num, strings } from './policy-kinds-read';
import type {
  CalicoEntityInfo,
  CalicoNetworkSetInfo,
  CalicoPolicyInfo,
  CalicoPortInfo,
  CalicoRuleInfo,
  CalicoTierInfo,
} from '../engine/types';

function calicoPorts(node: AstNode | null | undefined): CalicoPortInfo[] | undefined {
  const seq = asSeq(node);
  if (!seq) return undefined;
  return seq.items.flatMap((p): CalicoPortInfo[] => {
    const s = asScalar(p);
    if (!s || s.value === null) return [];
    if (typeof s.value === 'number') return [{ port: s.value }];
    const text = String(s.value);
    const range = /^(\d+):(\d+)$/.exec(text);
    if (range) return [{ port: Number(range[1]), endPort: Number(range[2]) }];
    if (/^\d+$/.test(text)) return [{ port: Number(text) }];
    return [{ name: text }];
  });
}

function calicoEntity(uri: string, r: Resource, node: AstNode | null | undefined): CalicoEntityInfo {
  const m = asMap(node);
  if (!m) return {};
  const other: string[] = [];
  if (getValue(m, 'services') !== undefined) other.push('services');
  const sa = asMap(getValue(m, 'serviceAccounts'));
  const saNames = sa ? strings(getValue(sa, 'names')) : undefined;
  const saSelector = sa ? scalarText(getValue(sa, 'selector')) : undefined;
  const sel = getValue(m, 'selector');
  const nsSel = getValue(m, 'namespaceSelector');
  const notSel = getValue(m, 'notSelector');
  return {
    nets:
      strings(getValue(m, 'nets')) ??
      (stringValue(getValue(m, 'net')) ? [stringValue(getValue(m, 'net'))!] : undefined),
    notNets:
      strings(getValue(m, 'notNets')) ??
      (stringValue(getValue(m, 'notNet')) ? [stringValue(getValue(m, 'notNet'))!] : undefined),
    selector: scalarText(sel),
    notSelector: scalarText(notSel),
    namespaceSelector: scalarText(nsSel),
    ports: calicoPorts(getValue(m, 'ports')),
    notPorts: calicoPorts(getValue(m, 'notPorts')),
    ...(sa
      ? {
          serviceAccounts: {
            ...(saNames?.length ? { names: saNames } : {}),
            ...(saSelector !== undefined && saSelector.trim() !== '' ? { selector: saSelector } : {}),
          },
        }
      : {}),
    ...(other.length ? { other } : {}),
    source: sourceOf(uri, r, m),
    selectorSource: sourceOf(uri, r, sel),
    namespaceSelectorSource: sourceOf(uri, r, nsSel),
    notSelectorSource: sourceOf(uri, r, notSel),
  };
}

function calicoRules(uri: string, r: Resource, node: AstNode | null | undefined): CalicoRuleInfo[] {
  return (asSeq(node)?.items ?? []).map((item) => {
    const conditions: string[] = [];
    const http = asMap(getValue(item, 'http'));
    if (http) {
      const methods = strings(getValue(http, 'methods'));
      const paths = (asSeq(getValue(http, 'paths'))?.items ?? []).map(
        (p) => stringValue(getValue(p, 'exact')) ?? `${stringValue(getValue(p, 'prefix')) ?? ''}*`,
      );
      conditions.push(
        `HTTP ${methods?.length ? methods.join('/') : 'any method'}${paths.length ? ` on ${paths.join(', ')}` : ''} (Calico application-layer match)`,
      );
    }
    const proto = scalarText(getValue(item, 'protocol'));
    const icmp = getValue(item, 'icmp') !== undefined;
    return {
      action: stringValue(getValue(item, 'action')) ?? '',
      protocol: proto,
      notProtocol: scalarText(getValue(item, 'notProtocol')),
      source: calicoEntity(uri, r, getValue(item, 'source')),
      destination: calicoEntity(uri, r, getValue(item, 'destination')),
      conditions,
      ...(icmp ? { icmpOnly: true } : {}),
      ipVersion: num(getValue(item, 'ipVersion')),
      src: sourceOf(uri, r, item),
    };
  });
}

export function calicoPolicyInfo(uri: string, r: Resource, index: ResourceStore): CalicoPolicyInfo {
  const spec = asMap(getValue(r.node, 'spec'));
  const ingress = calicoRules(uri, r, getValue(spec, 'ingress'));
  const egress = calicoRules(uri, r, getValue(spec, 'egress'));
  const typesSeq = strings(getValue(spec, 'types'));
  // Omitted types: Ingress when there are ingress rules or none at all, Egress when there are egress rules.
  const types = typesSeq?.length
    ? (typesSeq.filter((t) => t === 'Ingress' || t === 'Egress') as ('Ingress' | 'Egress')[])
    : ([...(ingress.length || !egress.length ? ['Ingress'] : []), ...(egress.length ? ['Egress'] : [])] as (
        'Ingress' | 'Egress'
      )[]);
  const orderNode = asScalar(getValue(spec, 'order'));
  const order =
    orderNode && typeof orderNode.value === 'number'
      ? orderNode.value
      : orderNode && typeof orderNode.value === 'string' && !isNaN(Number(orderNode.value))
        ? Number(orderNode.value)
        : undefined;
  const sel = getValue(spec, 'selector');
  const saSel = scalarText(getValue(spec, 'serviceAccountSelector'));
  return {
    kind: r.kind as CalicoPolicyInfo['kind'],
    ...(r.kind === 'NetworkPolicy' ? { namespace: index.namespaceOf(r) } : {}),
    name: r.name ?? '',
    tier: stringValue(getValue(spec, 'tier')) ?? 'default',
    order,
    selector: scalarText(sel) ?? '',
    namespaceSelector:
      r.kind === 'GlobalNetworkPolicy' ? scalarText(getValue(spec, 'namespaceSelector')) : undefined,
    ...(saSel !== undefined && saSel.trim() !== '' ? { serviceAccountSelector: saSel } : {}),
    types,
    ingress,
    egress,
    source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
    selectorSource: sourceOf(uri, r, sel),
  };
}

export function calicoTierInfo(r: Resource): CalicoTierInfo | undefined {
  if (r.apiVersion !== 'projectcalico.org/v3' || r.kind !== 'Tier' || !r.name) return undefined;
  const order = asScalar(getIn(r.node, ['spec', 'order']));
  const da = stringValue(getIn(r.node, ['spec', 'defaultAction']));
  return {
    name: r.name,
    ...(order && typeof order.value === 'number' ? { order: order.value } : {}),
    ...(da === 'Pass' || da === 'Deny' ? { defaultAction: da } : {}),
  };
}

export const CALICO_NETWORK_SET_KINDS = ['NetworkSet', 'GlobalNetworkSet'] as const;

export function calicoNetworkSetInfo(
  uri: string,
  r: Resource,
  index: ResourceStore,
): CalicoNetworkSetInfo | undefined {
  if (r.apiVersion !== 'projectcalico.org/v3' || !r.name) return undefined;
  if (r.kind !== 'NetworkSet' && r.kind !== 'GlobalNetworkSet') return undefined;
  const spec = asMap(getValue(r.node, 'spec'));
  const domains = strings(getValue(spec, 'allowedEgressDomains'));
  return {
    kind: r.kind,
    ...(r.kind === 'NetworkSet' ? { namespace: index.namespaceOf(r) } : {}),
    name: r.name,
    labels: toLabels(toPlain(getIn(r.node, ['metadata', 'labels']))),
    nets: strings(getValue(spec, 'nets')) ?? [],
    ...(domains?.length ? { domains } : {}),
    source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
  };
}
