// The policy kinds beyond networking.k8s.io NetworkPolicy, read into the engine's types:
// - policy.networking.k8s.io/v1alpha2 ClusterNetworkPolicy (tier Admin or Baseline)
// - policy.networking.k8s.io/v1alpha1 AdminNetworkPolicy and BaselineAdminNetworkPolicy
// - cilium.io/v2 CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy (`spec` and `specs`)
// - projectcalico.org/v3 NetworkPolicy, GlobalNetworkPolicy and Tier
// plus the resources that show which network plugin a workspace runs.

import type { AstNode } from '../syntax/ast';
import { asMap, asScalar, asSeq, getIn, getValue, isNullish, scalarText, stringValue, toPlain } from '../syntax/ast';
import type { ResourceStore } from './resource-store';
import type { Resource } from './resource';
import { sourceOf } from './source';
import { toLabelSelector } from '../engine/selector';
import type { LabelSelector } from '../engine/selector';
import type {
  AdminAction,
  AdminPeerInfo,
  AdminPolicyInfo,
  AdminPortInfo,
  AdminRuleInfo,
  CalicoEntityInfo,
  CalicoPolicyInfo,
  CalicoPortInfo,
  CalicoRuleInfo,
  CalicoTierInfo,
  CiliumPolicyInfo,
  CiliumRuleInfo,
  CiliumToPortsInfo,
  CniHint,
  Protocol,
} from '../engine/types';

export const ADMIN_KINDS = ['ClusterNetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'] as const;
export const CILIUM_KINDS = ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'] as const;
export const CALICO_KINDS = ['NetworkPolicy', 'GlobalNetworkPolicy'] as const;

export function isAdminPolicy(r: Resource): boolean {
  return r.apiVersion.startsWith('policy.networking.k8s.io/') && (ADMIN_KINDS as readonly string[]).includes(r.kind);
}

export function isCiliumPolicy(r: Resource): boolean {
  return r.apiVersion.startsWith('cilium.io/') && (CILIUM_KINDS as readonly string[]).includes(r.kind);
}

export function isCalicoPolicy(r: Resource): boolean {
  return r.apiVersion === 'projectcalico.org/v3' && (CALICO_KINDS as readonly string[]).includes(r.kind);
}

/** A Kubernetes NetworkPolicy (networking.k8s.io, or the legacy extensions group), not Calico's kind of the same name. */
export function isK8sNetworkPolicy(r: Resource): boolean {
  return r.kind === 'NetworkPolicy' && !r.apiVersion.startsWith('projectcalico.org/') && !r.apiVersion.startsWith('crd.projectcalico.org/');
}

function selector(node: AstNode | null | undefined): LabelSelector | undefined {
  if (isNullish(node)) return undefined;
  return toLabelSelector(toPlain(node)) ?? {};
}

function strings(node: AstNode | null | undefined): string[] | undefined {
  const seq = asSeq(node);
  if (!seq) return undefined;
  return seq.items.map((n) => scalarText(n)).filter((x): x is string => x !== undefined);
}

function num(node: AstNode | null | undefined): number | undefined {
  const s = asScalar(node);
  if (!s) return undefined;
  if (typeof s.value === 'number') return s.value;
  if (typeof s.value === 'string' && /^\d+$/.test(s.value)) return Number(s.value);
  return undefined;
}

function protocol(node: AstNode | null | undefined): Protocol {
  const p = stringValue(node)?.toUpperCase();
  return p === 'UDP' || p === 'SCTP' ? p : 'TCP';
}

// ---------------------------------------------------------------------------------------------------
// Admin tiers

function namespacedPod(node: AstNode | null | undefined) {
  const m = asMap(node);
  if (!m) return undefined;
  return { namespaceSelector: selector(getValue(m, 'namespaceSelector')) ?? {}, podSelector: selector(getValue(m, 'podSelector')) ?? {} };
}

function adminPeers(uri: string, r: Resource, node: AstNode | null | undefined): AdminPeerInfo[] {
  return (asSeq(node)?.items ?? []).map((p) => {
    const peer: AdminPeerInfo = { source: sourceOf(uri, r, p) };
    const m = asMap(p);
    if (!m) return peer;
    const ns = getValue(m, 'namespaces');
    if (!isNullish(ns)) peer.namespaces = selector(ns) ?? {};
    const pods = namespacedPod(getValue(m, 'pods'));
    if (pods) peer.pods = pods;
    const nodes = getValue(m, 'nodes');
    if (nodes !== undefined && asMap(nodes)) peer.nodes = selector(nodes) ?? {};
    const networks = strings(getValue(m, 'networks'));
    if (networks) peer.networks = networks;
    const domains = strings(getValue(m, 'domainNames'));
    if (domains) peer.domainNames = domains;
    return peer;
  });
}

/** v1alpha1 `ports`: portNumber, namedPort or portRange. */
function v1alpha1Ports(uri: string, r: Resource, node: AstNode | null | undefined): AdminPortInfo[] | undefined {
  const seq = asSeq(node);
  if (!seq) return undefined;
  return seq.items.flatMap((p): AdminPortInfo[] => {
    const source = sourceOf(uri, r, p);
    const number = asMap(getValue(p, 'portNumber'));
    if (number) return [{ protocol: protocol(getValue(number, 'protocol')), port: num(getValue(number, 'port')), source }];
    const named = stringValue(getValue(p, 'namedPort'));
    if (named !== undefined) return [{ protocol: 'TCP', name: named, source }];
    const range = asMap(getValue(p, 'portRange'));
    if (range) return [{ protocol: protocol(getValue(range, 'protocol')), port: num(getValue(range, 'start')) ?? 0, endPort: num(getValue(range, 'end')) ?? 0, source }];
    return [];
  });
}

/** v1alpha2 `protocols`: tcp/udp/sctp with an optional destinationPort (number or range), or destinationNamedPort. */
function v1alpha2Protocols(uri: string, r: Resource, node: AstNode | null | undefined): AdminPortInfo[] | undefined {
  const seq = asSeq(node);
  if (!seq) return undefined;
  return seq.items.flatMap((p): AdminPortInfo[] => {
    const source = sourceOf(uri, r, p);
    const named = stringValue(getValue(p, 'destinationNamedPort'));
    if (named !== undefined) return [{ protocol: 'TCP', name: named, source }];
    for (const key of ['tcp', 'udp', 'sctp'] as const) {
      const v = getValue(p, key);
      if (v === undefined) continue;
      const proto = key.toUpperCase() as Protocol;
      const dp = asMap(getValue(v, 'destinationPort'));
      if (!dp) return [{ protocol: proto, source }];
      const range = asMap(getValue(dp, 'range'));
      if (range) return [{ protocol: proto, port: num(getValue(range, 'start')) ?? 0, endPort: num(getValue(range, 'end')) ?? 0, source }];
      return [{ protocol: proto, port: num(getValue(dp, 'number')), source }];
    }
    return [];
  });
}

function adminAction(text: string | undefined): AdminAction | undefined {
  if (text === 'Accept' || text === 'Allow') return 'Accept';
  if (text === 'Deny' || text === 'Pass') return text;
  return undefined;
}

function adminRules(uri: string, r: Resource, node: AstNode | null | undefined, peersKey: 'from' | 'to', v2: boolean): AdminRuleInfo[] {
  return (asSeq(node)?.items ?? []).flatMap((item): AdminRuleInfo[] => {
    const actionText = stringValue(getValue(item, 'action')) ?? '';
    const action = adminAction(actionText);
    // An unknown action: the API rejects the object; the rule decides nothing here.
    if (!action) return [];
    return [{
      name: stringValue(getValue(item, 'name')),
      action,
      actionText,
      peers: adminPeers(uri, r, getValue(item, peersKey)),
      ports: v2 ? v1alpha2Protocols(uri, r, getValue(item, 'protocols')) : v1alpha1Ports(uri, r, getValue(item, 'ports')),
      source: sourceOf(uri, r, item),
    }];
  });
}

export function adminPolicyInfo(uri: string, r: Resource): AdminPolicyInfo | undefined {
  const spec = asMap(getValue(r.node, 'spec'));
  if (!spec) return undefined;
  const kind = r.kind as AdminPolicyInfo['kind'];
  const v2 = kind === 'ClusterNetworkPolicy';
  const tierText = stringValue(getValue(spec, 'tier'));
  const tier = kind === 'AdminNetworkPolicy' ? 'Admin' : kind === 'BaselineAdminNetworkPolicy' ? 'Baseline' : tierText === 'Admin' || tierText === 'Baseline' ? tierText : undefined;
  if (!tier) return undefined;
  const subject = asMap(getValue(spec, 'subject'));
  const subjectNs = getValue(subject, 'namespaces');
  return {
    kind,
    apiVersion: r.apiVersion,
    name: r.name ?? '',
    tier,
    priority: num(getValue(spec, 'priority')) ?? 0,
    subject: {
      ...(subjectNs !== undefined && asMap(subjectNs) ? { namespaces: selector(subjectNs) ?? {} } : {}),
      ...(namespacedPod(getValue(subject, 'pods')) ? { pods: namespacedPod(getValue(subject, 'pods')) } : {}),
    },
    ingress: adminRules(uri, r, getValue(spec, 'ingress'), 'from', v2),
    egress: adminRules(uri, r, getValue(spec, 'egress'), 'to', v2),
    source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
    prioritySource: sourceOf(uri, r, getValue(spec, 'priority')),
  };
}

// ---------------------------------------------------------------------------------------------------
// Cilium

function l7Text(rules: AstNode | null | undefined): string[] {
  const m = asMap(rules);
  if (!m) return [];
  const out: string[] = [];
  for (const h of asSeq(getValue(m, 'http'))?.items ?? []) {
    const method = stringValue(getValue(h, 'method'));
    const path = stringValue(getValue(h, 'path'));
    const host = stringValue(getValue(h, 'host'));
    const headers = strings(getValue(h, 'headers')) ?? [];
    out.push(`HTTP ${method ?? 'any method'} ${path ? `path matching ${path}` : 'any path'}${host ? ` host ${host}` : ''}${headers.length ? ` with headers ${headers.join(', ')}` : ''} (L7 rule: other requests get 403)`);
  }
  for (const d of asSeq(getValue(m, 'dns'))?.items ?? []) {
    const pattern = stringValue(getValue(d, 'matchPattern'));
    const name = stringValue(getValue(d, 'matchName'));
    out.push(`DNS queries for ${name ?? pattern ?? 'any name'} (L7 DNS rule: other queries are refused)`);
  }
  if (getValue(m, 'kafka') !== undefined) out.push('Kafka requests matching the rule (L7 Kafka rule)');
  if (getValue(m, 'l7proto') !== undefined || getValue(m, 'l7') !== undefined) out.push('requests matching the generic L7 rule');
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
      return { port, endPort: num(getValue(p, 'endPort')), protocol: proto === 'UDP' || proto === 'SCTP' || proto === 'TCP' ? proto : 'ANY' };
    }),
    l7: l7Text(getValue(tp, 'rules')),
  }));
}

function ciliumRules(uri: string, r: Resource, node: AstNode | null | undefined, dir: 'from' | 'to'): CiliumRuleInfo[] | undefined {
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
      else if (getValue(c, 'cidrGroupRef') !== undefined) other.push(`CIDR group ${scalarText(getValue(c, 'cidrGroupRef')) ?? ''}`.trim());
    }
    if (cidrs.length) rule.cidrs = cidrs;
    const nodes = asSeq(getValue(item, `${dir}Nodes`));
    if (nodes) rule.nodes = nodes.items.map((s) => toLabelSelector(toPlain(s)) ?? {});
    if (dir === 'to') {
      const fqdns = (asSeq(getValue(item, 'toFQDNs'))?.items ?? []).map((f) => stringValue(getValue(f, 'matchName')) ?? stringValue(getValue(f, 'matchPattern')) ?? '').filter(Boolean);
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
      endpointSelector: getValue(node, 'endpointSelector') !== undefined ? selector(getValue(node, 'endpointSelector')) ?? {} : undefined,
      nodeSelector: getValue(node, 'nodeSelector') !== undefined ? selector(getValue(node, 'nodeSelector')) ?? {} : undefined,
      ingress: ciliumRules(uri, r, getValue(node, 'ingress'), 'from'),
      ingressDeny: ciliumRules(uri, r, getValue(node, 'ingressDeny'), 'from'),
      egress: ciliumRules(uri, r, getValue(node, 'egress'), 'to'),
      egressDeny: ciliumRules(uri, r, getValue(node, 'egressDeny'), 'to'),
      ...(dd ? { enableDefaultDeny: { ...(typeof ddIn === 'boolean' ? { ingress: ddIn } : {}), ...(typeof ddOut === 'boolean' ? { egress: ddOut } : {}) } } : {}),
      source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
    };
  });
}

// ---------------------------------------------------------------------------------------------------
// Calico

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
  if (getValue(m, 'serviceAccounts') !== undefined) other.push('serviceAccounts');
  if (getValue(m, 'services') !== undefined) other.push('services');
  const sel = getValue(m, 'selector');
  const nsSel = getValue(m, 'namespaceSelector');
  const notSel = getValue(m, 'notSelector');
  return {
    nets: strings(getValue(m, 'nets')) ?? (stringValue(getValue(m, 'net')) ? [stringValue(getValue(m, 'net'))!] : undefined),
    notNets: strings(getValue(m, 'notNets')) ?? (stringValue(getValue(m, 'notNet')) ? [stringValue(getValue(m, 'notNet'))!] : undefined),
    selector: scalarText(sel),
    notSelector: scalarText(notSel),
    namespaceSelector: scalarText(nsSel),
    ports: calicoPorts(getValue(m, 'ports')),
    notPorts: calicoPorts(getValue(m, 'notPorts')),
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
      const paths = (asSeq(getValue(http, 'paths'))?.items ?? []).map((p) => stringValue(getValue(p, 'exact')) ?? `${stringValue(getValue(p, 'prefix')) ?? ''}*`);
      conditions.push(`HTTP ${methods?.length ? methods.join('/') : 'any method'}${paths.length ? ` on ${paths.join(', ')}` : ''} (Calico application-layer match)`);
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
    : ([...(ingress.length || !egress.length ? ['Ingress'] : []), ...(egress.length ? ['Egress'] : [])] as ('Ingress' | 'Egress')[]);
  const orderNode = asScalar(getValue(spec, 'order'));
  const order = orderNode && typeof orderNode.value === 'number' ? orderNode.value : orderNode && typeof orderNode.value === 'string' && !isNaN(Number(orderNode.value)) ? Number(orderNode.value) : undefined;
  const sel = getValue(spec, 'selector');
  return {
    kind: r.kind as CalicoPolicyInfo['kind'],
    ...(r.kind === 'NetworkPolicy' ? { namespace: index.namespaceOf(r) } : {}),
    name: r.name ?? '',
    tier: stringValue(getValue(spec, 'tier')) ?? 'default',
    order,
    selector: scalarText(sel) ?? '',
    namespaceSelector: r.kind === 'GlobalNetworkPolicy' ? scalarText(getValue(spec, 'namespaceSelector')) : undefined,
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
  return { name: r.name, ...(order && typeof order.value === 'number' ? { order: order.value } : {}), ...(da === 'Pass' || da === 'Deny' ? { defaultAction: da } : {}) };
}

// ---------------------------------------------------------------------------------------------------
// Network plugin resources

const PLUGIN_DAEMONSETS: Record<string, string> = {
  cilium: 'cilium',
  'calico-node': 'calico',
  canal: 'canal',
  'kube-flannel-ds': 'flannel',
  'kube-flannel': 'flannel',
  flannel: 'flannel',
  'weave-net': 'weave',
  ovnkube: 'ovn-kubernetes',
  'ovnkube-node': 'ovn-kubernetes',
  'antrea-agent': 'antrea',
  'kube-network-policies': 'kube-network-policies',
};

const PLUGIN_CONFIGMAPS: Record<string, string> = {
  'cilium-config': 'cilium',
  'calico-config': 'calico',
  'canal-config': 'canal',
  'kube-flannel-cfg': 'flannel',
  'antrea-config': 'antrea',
};

/** The network plugin a resource shows, if any. */
export function cniHintOf(r: Resource): CniHint | undefined {
  const what = `${r.kind} ${r.name ?? ''}`.trim();
  const group = r.apiVersion.split('/')[0];
  if (group === 'cilium.io') return { cni: 'cilium', evidence: what };
  if (group === 'projectcalico.org' || group === 'crd.projectcalico.org' || group === 'operator.tigera.io') return { cni: 'calico', evidence: what };
  if (group === 'k8s.ovn.org') return { cni: 'ovn-kubernetes', evidence: what };
  if (group.endsWith('antrea.io')) return { cni: 'antrea', evidence: what };
  if (r.kind === 'DaemonSet' && r.name && PLUGIN_DAEMONSETS[r.name]) return { cni: PLUGIN_DAEMONSETS[r.name], evidence: what };
  if (r.kind === 'ConfigMap' && r.name && PLUGIN_CONFIGMAPS[r.name]) return { cni: PLUGIN_CONFIGMAPS[r.name], evidence: what };
  return undefined;
}
