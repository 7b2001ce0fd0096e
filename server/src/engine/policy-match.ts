// NetworkPolicy building blocks on plain engine values: which workloads and namespaces a selector
// picks, whether a policy port admits a container port, how a selector reads in plain words. Used by
// the NetworkPolicy rules and by the NetworkPolicy explanation (hover, CodeLens).

import type {
  Cluster,
  NamespaceInfo,
  PolicyInfo,
  PolicyPeerInfo,
  PolicyPortInfo,
  PolicyRuleInfo,
  Protocol,
  WorkloadInfo,
} from './types';
import type { LabelSelector, Labels } from './selector';
import { matchesSelector } from './selector';
import {
  clusterMemo,
  namespaceNamed,
  policiesSelectingPod,
  selectWorkloads,
  selectWorkloadsIn,
} from './cluster-index';

export const NAME_LABEL = 'kubernetes.io/metadata.name';

/** Namespaces every cluster has, whether or not the workspace defines them. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export function isEmptySelector(s: LabelSelector | undefined): boolean {
  return !s || (Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0);
}

/** kubectl-style text of a selector: `app=web, tier in (a, b), !legacy`. */
export function selectorText(s: LabelSelector | undefined): string {
  if (!s) return '';
  const parts = Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of s.matchExpressions ?? []) {
    const values = (e.values ?? []).join(', ');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${e.operator} (${values})`);
  }
  return parts.join(', ');
}

/** Label keys a selector constrains. */
export function selectorKeys(s: LabelSelector): string[] {
  return [...new Set([...Object.keys(s.matchLabels ?? {}), ...(s.matchExpressions ?? []).map((e) => e.key)])];
}

export function workloadText(w: WorkloadInfo): string {
  return `${w.id.kind} ${w.id.name}`;
}

/** Workloads in a namespace whose pods a podSelector selects. */
export function workloadsSelected(
  cluster: Cluster,
  namespace: string,
  selector: LabelSelector,
): WorkloadInfo[] {
  return selectWorkloads(cluster, namespace, selector);
}

/** The workloads whose pods a policy applies to. */
export function policyWorkloads(cluster: Cluster, policy: PolicyInfo): WorkloadInfo[] {
  return workloadsSelected(cluster, policy.id.namespace, policy.podSelector);
}

/** Labels of a namespace: from its manifest when the workspace has one, else only the name label. */
export function namespaceLabels(cluster: Cluster, name: string): Labels {
  return namespaceNamed(cluster, name)?.labels ?? { [NAME_LABEL]: name };
}

/** Namespaces the workspace knows (defined or used) that a namespaceSelector matches. */
export function namespacesMatching(cluster: Cluster, selector: LabelSelector): NamespaceInfo[] {
  // (once per cluster and selector: many peers use the same namespaceSelector)
  const memo = clusterMemo(cluster, 'namespaces-matching', () => new Map<string, NamespaceInfo[]>());
  const key = JSON.stringify(selector);
  let found = memo.get(key);
  if (!found) memo.set(key, (found = cluster.namespaces.filter((n) => matchesSelector(selector, n.labels))));
  return found;
}

/** Workloads of the workspace that a peer selects; undefined for an ipBlock (addresses, not pods). */
export function peerWorkloads(
  cluster: Cluster,
  policyNamespace: string,
  peer: PolicyPeerInfo,
): WorkloadInfo[] | undefined {
  if (peer.ipBlock || (!peer.podSelector && !peer.namespaceSelector)) return undefined;
  const pods = peer.podSelector ?? {};
  if (!peer.namespaceSelector) return workloadsSelected(cluster, policyNamespace, pods);
  // (once per cluster and pair of selectors: every policy of a workspace may repeat the same peer,
  // `namespaceSelector: {}` with the DNS pods, and each answer visits every namespace it matches)
  const memo = clusterMemo(cluster, 'peer-workloads', () => new Map<string, WorkloadInfo[]>());
  const key = `${JSON.stringify(peer.namespaceSelector)}\n${JSON.stringify(pods)}`;
  let found = memo.get(key);
  if (!found) {
    const names = new Set(namespacesMatching(cluster, peer.namespaceSelector).map((n) => n.name));
    memo.set(key, (found = selectWorkloadsIn(cluster, names, pods)));
  }
  return found;
}

/** Does a peer select a pod with these labels in this namespace? ipBlocks answer undefined. */
export function peerSelectsPod(
  peer: PolicyPeerInfo,
  policyNamespace: string,
  podNamespace: string,
  podLabels: Labels,
  podNamespaceLabels: Labels,
): boolean | undefined {
  if (peer.ipBlock) return undefined;
  if (!peer.podSelector && !peer.namespaceSelector) return false;
  if (peer.namespaceSelector) {
    if (!matchesSelector(peer.namespaceSelector, podNamespaceLabels)) return false;
  } else if (podNamespace !== policyNamespace) return false;
  return matchesSelector(peer.podSelector ?? {}, podLabels);
}

/** A rule with no peers allows every source (ingress) or destination (egress). */
export function ruleAllowsAnyPeer(rule: PolicyRuleInfo): boolean {
  return !rule.peers || rule.peers.length === 0;
}

export function ruleAllowsAnyPort(rule: PolicyRuleInfo): boolean {
  return !rule.ports || rule.ports.length === 0;
}

/** A container port as a policy sees it: number, optional name, protocol. */
export interface TargetPort {
  port: number;
  name?: string;
  protocol: Protocol;
}

export function portAdmits(p: PolicyPortInfo, target: TargetPort): boolean {
  if (p.protocol !== target.protocol) return false;
  if (p.port === undefined) return true;
  if (typeof p.port === 'string') return p.port === target.name;
  if (p.endPort !== undefined) return target.port >= p.port && target.port <= p.endPort;
  return p.port === target.port;
}

export function ruleAdmitsPort(rule: PolicyRuleInfo, target: TargetPort): boolean {
  return ruleAllowsAnyPort(rule) || rule.ports!.some((p) => portAdmits(p, target));
}

/** Policies of a namespace with this type whose podSelector selects pods with these labels. */
export function policiesSelecting(
  cluster: Cluster,
  namespace: string,
  podLabels: Labels,
  type: 'Ingress' | 'Egress',
): PolicyInfo[] {
  return policiesSelectingPod(cluster, namespace, podLabels).filter((p) => p.policyTypes.includes(type));
}

/** Find the container port a Service targetPort (number or name) lands on in a workload. */
export function resolveTargetPort(
  w: WorkloadInfo,
  targetPort: number | string,
  protocol: Protocol,
): TargetPort | undefined {
  for (const c of w.containers) {
    for (const p of c.ports) {
      // Kubernetes resolves a named targetPort by name and protocol, like a numbered one.
      if (
        p.protocol === protocol &&
        (typeof targetPort === 'string' ? p.name === targetPort : p.containerPort === targetPort)
      ) {
        return { port: p.containerPort, name: p.name, protocol: p.protocol };
      }
    }
  }
  // A numeric target need not be declared (containers may listen on undeclared ports).
  return typeof targetPort === 'number' ? { port: targetPort, protocol } : undefined;
}

export function portText(p: PolicyPortInfo): string {
  if (p.port === undefined) return `any ${p.protocol} port`;
  if (typeof p.port === 'string') return `${p.protocol} port "${p.port}"`;
  if (p.endPort !== undefined) return `${p.protocol} ${p.port}-${p.endPort}`;
  return `${p.protocol} ${p.port}`;
}

export function sameSelector(a: LabelSelector, b: LabelSelector): boolean {
  return selectorKey(a) === selectorKey(b);
}

/** A selector's text with its labels, expressions and values in order: equal for selectors that
 * sameSelector says are the same (a key to find them by). */
export function selectorKey(s: LabelSelector): string {
  return selectorText(normalise(s));
}

function normalise(s: LabelSelector): LabelSelector {
  const ml = Object.fromEntries(Object.entries(s.matchLabels ?? {}).sort(([x], [y]) => x.localeCompare(y)));
  const me = [...(s.matchExpressions ?? [])]
    .map((e) => ({ ...e, values: [...(e.values ?? [])].sort() }))
    .sort((x, y) => `${x.key}${x.operator}`.localeCompare(`${y.key}${y.operator}`));
  return { matchLabels: ml, matchExpressions: me };
}
