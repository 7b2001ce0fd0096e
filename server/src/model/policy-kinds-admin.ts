// policy.networking.k8s.io: ClusterNetworkPolicy (v1alpha2, tier Admin or Baseline), AdminNetworkPolicy
// and BaselineAdminNetworkPolicy (v1alpha1), read into the engine's AdminPolicyInfo.

import type { AstNode } from '../syntax/ast';
import { asMap, asSeq, getValue, isNullish, stringValue } from '../syntax/ast';
import type { Resource } from './resource';
import { sourceOf } from './source';
import { num, protocol, selector, strings } from './policy-kinds-read';
import type {
  AdminAction,
  AdminPeerInfo,
  AdminPolicyInfo,
  AdminPortInfo,
  AdminRuleInfo,
  Protocol,
} from '../engine/types';

function namespacedPod(node: AstNode | null | undefined) {
  const m = asMap(node);
  if (!m) return undefined;
  return {
    namespaceSelector: selector(getValue(m, 'namespaceSelector')) ?? {},
    podSelector: selector(getValue(m, 'podSelector')) ?? {},
  };
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
function v1alpha1Ports(
  uri: string,
  r: Resource,
  node: AstNode | null | undefined,
): AdminPortInfo[] | undefined {
  const seq = asSeq(node);
  if (!seq) return undefined;
  return seq.items.flatMap((p): AdminPortInfo[] => {
    const source = sourceOf(uri, r, p);
    const number = asMap(getValue(p, 'portNumber'));
    if (number)
      return [
        { protocol: protocol(getValue(number, 'protocol')), port: num(getValue(number, 'port')), source },
      ];
    const named = stringValue(getValue(p, 'namedPort'));
    if (named !== undefined) return [{ protocol: 'TCP', name: named, source }];
    const range = asMap(getValue(p, 'portRange'));
    if (range)
      return [
        {
          protocol: protocol(getValue(range, 'protocol')),
          port: num(getValue(range, 'start')) ?? 0,
          endPort: num(getValue(range, 'end')) ?? 0,
          source,
        },
      ];
    return [];
  });
}

/** v1alpha2 `protocols`: tcp/udp/sctp with an optional destinationPort (number or range), or destinationNamedPort. */
function v1alpha2Protocols(
  uri: string,
  r: Resource,
  node: AstNode | null | undefined,
): AdminPortInfo[] | undefined {
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
      if (range)
        return [
          {
            protocol: proto,
            port: num(getValue(range, 'start')) ?? 0,
            endPort: num(getValue(range, 'end')) ?? 0,
            source,
          },
        ];
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

function adminRules(
  uri: string,
  r: Resource,
  node: AstNode | null | undefined,
  peersKey: 'from' | 'to',
  v2: boolean,
): AdminRuleInfo[] {
  return (asSeq(node)?.items ?? []).flatMap((item): AdminRuleInfo[] => {
    const actionText = stringValue(getValue(item, 'action')) ?? '';
    const action = adminAction(actionText);
    // An unknown action: the API rejects the object; the rule decides nothing here.
    if (!action) return [];
    return [
      {
        name: stringValue(getValue(item, 'name')),
        action,
        actionText,
        peers: adminPeers(uri, r, getValue(item, peersKey)),
        ports: v2
          ? v1alpha2Protocols(uri, r, getValue(item, 'protocols'))
          : v1alpha1Ports(uri, r, getValue(item, 'ports')),
        source: sourceOf(uri, r, item),
      },
    ];
  });
}

export function adminPolicyInfo(uri: string, r: Resource): AdminPolicyInfo | undefined {
  const spec = asMap(getValue(r.node, 'spec'));
  if (!spec) return undefined;
  const kind = r.kind as AdminPolicyInfo['kind'];
  const v2 = kind === 'ClusterNetworkPolicy';
  const tierText = stringValue(getValue(spec, 'tier'));
  const tier =
    kind === 'AdminNetworkPolicy'
      ? 'Admin'
      : kind === 'BaselineAdminNetworkPolicy'
        ? 'Baseline'
        : tierText === 'Admin' || tierText === 'Baseline'
          ? tierText
          : undefined;
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
