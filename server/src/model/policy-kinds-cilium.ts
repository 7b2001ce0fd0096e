// cilium.io/v2 CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy (`spec` and `specs`), read into
// the engine's CiliumPolicyInfo (one per spec).

import type { AstNode } from '../syntax/ast';
import { asMap, asScalar, asSeq, getValue, scalarText, stringValue, toPlain } from '../syntax/ast';
import type { ResourceStore } from './resource-store';
import type { Resource } from './resource';
import { sourceOf } from './source';
import { num, selector, strings } from './policy-kinds-read';
import { toLabelSelector } from '../engine/selector';
import type { CiliumPolicyInfo, CiliumRuleInfo, CiliumToPortsInfo } from '../engine/types';

function l7Text(rules: AstNode | null | undefined): string[] {
  const m = asMap(rules);
  if (!m) return [];
  const out: string[] = [];
  for (const h of asSeq(getValue(m, 'http'))?.items ?? []) {
    const method = stringValue(getValue(h, 'method'));
    const path = stringValue(getValue(h, 'path'));
    const host = stringValue(getValue(h, 'host'));
    const headers = strings(getValue(h, 'headers')) ?? [];
    out.push(
      `HTTP ${method ?? 'any method'} ${path ? `path matching ${path}` : 'any path'}${host ? ` host ${host}` : ''}${headers.length ? ` with headers ${headers.join(', ')}` : ''} (L7 rule: other requests get 403)`,
    );
  }
  for (const d of asSeq(getValue(m, 'dns'))?.items ?? []) {
    const pattern = stringValue(getValue(d, 'matchPattern'));
    const name = stringValue(getValue(d, 'matchName'));
    out.push(`DNS queries for ${name ?? pattern ?? 'any name'} (L7 DNS rule: other queries are refused)`);
  }
  if (getValue(m, 'kafka') !== undefined) out.push('Kafka requests matching the rule (L7 Kafka rule)');
  if (getValue(m, 'l7proto') !== undefined || getValue(m, 'l7') !== undefined)
    out.push('requests matching the generic L7 rule');
  return out;
}

function ciliumToPorts(node: AstNode | null | undefined): CiliumToPortsInfo[] | undefined {
  const seq = asSeq(node);
  if (!seq) return undefined;
  return seq.items.map((tp) => ({
    ports: (asSeq(getValue(tp, 'ports'))?.items ?? []).map((p) => {
      const portNode = getValue(p, 'port');
      const portText = scalarText(portNode);
      const port = portText === undefined ? undefined : /^\d+$/.test(portText) ? Number(portText) : portText;
      const proto = stringValue(getValue(p, 'protocol'))?.toUpperCase();
      return {
        port,
        endPort: num(getValue(p, 'endPort')),
        protocol: proto === 'UDP' || proto === 'SCTP' || proto === 'TCP' ? proto : 'ANY',
      };
    }),
    l7: l7Text(getValue(tp, 'rules')),
  }));
}

function ciliumRules(
  uri: string,
  r: Resource,
  node: AstNode | null | undefined,
  dir: 'from' | 'to',
): CiliumRuleInfo[] | undefined {
  const seq = asSeq(node);
  if (!seq) return undefined;
  return seq.items.map((item) => {
    const rule: CiliumRuleInfo = { source: sourceOf(uri, r, item) };
    const eps = asSeq(getValue(item, `${dir}Endpoints`));
    if (eps) rule.endpoints = eps.items.map((s) => toLabelSelector(toPlain(s)) ?? {});
    const entities = strings(getValue(item, `${dir}Entities`));
    if (entities) rule.entities = entities;
    const cidrs: { cidr: string; except: string[] }[] = [];
    for (const c of strings(getValue(item, `${dir}CIDR`)) ?? []) cidrs.push({ cidr: c, except: [] });
    const other: string[] = [];
    for (const c of asSeq(getValue(item, `${dir}CIDRSet`))?.items ?? []) {
      const cidr = stringValue(getValue(c, 'cidr'));
      if (cidr) cidrs.push({ cidr, except: strings(getValue(c, 'except')) ?? [] });
      else if (getValue(c, 'cidrGroupRef') !== undefined)
        other.push(`CIDR group ${scalarText(getValue(c, 'cidrGroupRef')) ?? ''}`.trim());
    }
    if (cidrs.length) rule.cidrs = cidrs;
    const nodes = asSeq(getValue(item, `${dir}Nodes`));
    if (nodes) rule.nodes = nodes.items.map((s) => toLabelSelector(toPlain(s)) ?? {});
    if (dir === 'to') {
      const fqdns = (asSeq(getValue(item, 'toFQDNs'))?.items ?? [])
        .map((f) => stringValue(getValue(f, 'matchName')) ?? stringValue(getValue(f, 'matchPattern')) ?? '')
        .filter(Boolean);
      if (fqdns.length) rule.fqdns = fqdns;
      if (getValue(item, 'toServices') !== undefined) other.push('toServices');
      if (getValue(item, 'toGroups') !== undefined) other.push('toGroups');
    }
    if (getValue(item, `${dir}Requires`) !== undefined) other.push(`${dir}Requires`);
    if (other.length) rule.other = other;
    const toPorts = ciliumToPorts(getValue(item, 'toPorts'));
    if (toPorts) rule.toPorts = toPorts;
    if (getValue(item, 'icmps') !== undefined && !toPorts) rule.icmpOnly = true;
    return rule;
  });
}

export function ciliumPolicyInfos(uri: string, r: Resource, index: ResourceStore): CiliumPolicyInfo[] {
  const specs: { node: AstNode; i?: number }[] = [];
  const spec = asMap(getValue(r.node, 'spec'));
  if (spec) specs.push({ node: spec });
  (asSeq(getValue(r.node, 'specs'))?.items ?? []).forEach((s, i) => specs.push({ node: s, i }));
  const kind = r.kind as CiliumPolicyInfo['kind'];
  return specs.map(({ node, i }) => {
    const dd = asMap(getValue(node, 'enableDefaultDeny'));
    const ddIn = asScalar(getValue(dd, 'ingress'))?.value;
    const ddOut = asScalar(getValue(dd, 'egress'))?.value;
    return {
      kind,
      ...(kind === 'CiliumNetworkPolicy' ? { namespace: index.namespaceOf(r) } : {}),
      name: r.name ?? '',
      ...(i !== undefined ? { specIndex: i } : {}),
      endpointSelector:
        getValue(node, 'endpointSelector') !== undefined
          ? (selector(getValue(node, 'endpointSelector')) ?? {})
          : undefined,
      nodeSelector:
        getValue(node, 'nodeSelector') !== undefined
          ? (selector(getValue(node, 'nodeSelector')) ?? {})
          : undefined,
      ingress: ciliumRules(uri, r, getValue(node, 'ingress'), 'from'),
      ingressDeny: ciliumRules(uri, r, getValue(node, 'ingressDeny'), 'from'),
      egress: ciliumRules(uri, r, getValue(node, 'egress'), 'to'),
      egressDeny: ciliumRules(uri, r, getValue(node, 'egressDeny'), 'to'),
      ...(dd
        ? {
            enableDefaultDeny: {
              ...(typeof ddIn === 'boolean' ? { ingress: ddIn } : {}),
              ...(typeof ddOut === 'boolean' ? { egress: ddOut } : {}),
            },
          }
        : {}),
      source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
    };
  });
}
