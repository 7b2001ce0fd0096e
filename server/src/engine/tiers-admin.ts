// ClusterNetworkPolicy, AdminNetworkPolicy and BaselineAdminNetworkPolicy compiled into CPolicy: the
// admin and baseline tiers (first match, by priority).

import { matchesSelector } from './selector';
import { selectorText } from './policy-match';
import type { AdminPeerInfo, AdminPolicyInfo, AdminPortInfo, AdminRuleInfo, WorkloadInfo } from './types';
import { namedPort, namespaceLabels } from './reach-base';
import type { ConnPort, Endpoint, Match, ReachIndex } from './reach-base';
import type { CPolicy, CRule } from './tiers-compiled';
import { NO, YES, compileAddresses } from './tiers-compiled';
import { npaDomainMatches } from './reach-domain';

function adminPortMatches(p: AdminPortInfo, conn: ConnPort, dest: Endpoint): boolean {
  if (p.name !== undefined) {
    if (dest.kind !== 'workload' || conn.number === undefined) return false;
    return namedPort(dest.workload, p.name, conn.protocol) === conn.number;
  }
  if (p.protocol !== conn.protocol) return false;
  if (p.port === undefined) return true;
  if (conn.number === undefined) return false;
  if (p.endPort !== undefined) return conn.number >= p.port && conn.number <= p.endPort;
  return conn.number === p.port;
}

function adminPeerMatch(
  idx: ReachIndex,
  peer: AdminPeerInfo,
  remote: Endpoint,
  action: AdminRuleInfo['action'],
  networks: ((e: Endpoint) => Match) | undefined,
): Match {
  const set =
    (peer.namespaces ? 1 : 0) +
    (peer.pods ? 1 : 0) +
    (peer.nodes ? 1 : 0) +
    (peer.networks ? 1 : 0) +
    (peer.domainNames ? 1 : 0);
  if (set !== 1) {
    // The API rejects it; an implementation fails closed: Accept matches nothing, Deny and Pass everything.
    const matched = action !== 'Accept';
    return {
      matched,
      note: `a peer with ${set === 0 ? 'no' : 'several'} fields set fails closed (${matched ? 'matches everything' : 'matches nothing'})`,
    };
  }
  // host-network pods have their node's address: the API leaves them out of namespaces and pods
  // peers (and of subjects); a nodes peer selects them through their node
  if ((peer.namespaces || peer.pods) && remote.kind === 'workload' && remote.workload.hostNetwork)
    return {
      matched: false,
      note: `${remote.name} runs on its node's network: ${peer.pods ? 'pods' : 'namespaces'} peers do not select host-network pods (a nodes or networks peer does)`,
    };
  if (peer.namespaces) {
    if (remote.kind !== 'workload') return NO;
    return matchesSelector(peer.namespaces, namespaceLabels(idx, remote.workload.id.namespace)) ? YES : NO;
  }
  if (peer.pods) {
    if (remote.kind !== 'workload') return NO;
    const w = remote.workload;
    return matchesSelector(peer.pods.namespaceSelector, namespaceLabels(idx, w.id.namespace)) &&
      matchesSelector(peer.pods.podSelector, w.podLabels)
      ? YES
      : NO;
  }
  if (networks) return networks(remote);
  if (peer.nodes) {
    if (remote.kind === 'workload' && remote.workload.hostNetwork) {
      const n = peer.nodes;
      if (!Object.keys(n.matchLabels ?? {}).length && !(n.matchExpressions ?? []).length)
        return {
          matched: true,
          note: `${remote.name} runs on its node's network, and an empty nodes selector selects every node`,
        };
      return {
        matched: false,
        undecided: true,
        note: `${remote.name} runs on its node's network: whether its node has {${selectorText(n)}} cannot be decided from manifests (node labels are not in them): read as no match`,
      };
    }
    if (remote.kind === 'workload' || remote.domain !== undefined) return { matched: false };
    return {
      matched: false,
      undecided: true,
      note: `whether ${remote.name} is the address of a node matching {${selectorText(peer.nodes)}} cannot be decided from manifests: read as no match`,
    };
  }
  if (remote.kind === 'workload') return { matched: false };
  if (remote.domain !== undefined) {
    const hit = peer.domainNames!.find((d) => npaDomainMatches(d, remote.domain!));
    return hit ? { matched: true, note: `domainNames ${hit} matches ${remote.name}` } : NO;
  }
  return {
    matched: false,
    undecided: true,
    note: `whether ${remote.name} is an address of ${peer.domainNames!.join(', ')} cannot be decided from manifests (DNS): read as no match`,
  };
}

function compileAdminRule(idx: ReachIndex, r: AdminRuleInfo, label: string): CRule {
  const networks = r.peers.map((p) =>
    p.networks ? compileAddresses(idx, p.networks, [], `networks ${p.networks.join(', ')}`) : undefined,
  );
  return {
    label,
    name: r.name,
    action: r.action === 'Accept' ? 'allow' : r.action === 'Deny' ? 'deny' : 'pass',
    actionText: r.actionText,
    peer(remote) {
      const notes: string[] = [];
      let undecided = false;
      for (let i = 0; i < r.peers.length; i++) {
        const m = adminPeerMatch(idx, r.peers[i], remote, r.action, networks[i]);
        if (m.matched) return m;
        if (m.undecided) undecided = true;
        if (m.note) notes.push(m.note);
      }
      return undecided || notes.length
        ? { matched: false, undecided, note: notes.join('; ') || undefined }
        : NO;
    },
    port: (conn, dest) => !r.ports || r.ports.some((p) => adminPortMatches(p, conn, dest)),
    source: r.source,
  };
}

function adminSubjectSelects(idx: ReachIndex, p: AdminPolicyInfo, w: WorkloadInfo): boolean {
  // "host-networked pods are not included in subject selection" (clusternetworkpolicy_types.go)
  if (w.hostNetwork) return false;
  const ns = namespaceLabels(idx, w.id.namespace);
  if (p.subject.namespaces) return matchesSelector(p.subject.namespaces, ns);
  if (p.subject.pods)
    return (
      matchesSelector(p.subject.pods.namespaceSelector, ns) &&
      matchesSelector(p.subject.pods.podSelector, w.podLabels)
    );
  return false;
}

export function compileAdmin(idx: ReachIndex, p: AdminPolicyInfo): CPolicy {
  return {
    family: p.kind === 'ClusterNetworkPolicy' ? 'ClusterNetworkPolicy' : 'AdminNetworkPolicy',
    kind: p.kind,
    name: p.name,
    tier: p.tier,
    // A BaselineAdminNetworkPolicy has no priority: it comes after the baseline ClusterNetworkPolicies.
    rank: p.kind === 'BaselineAdminNetworkPolicy' ? 1001 : p.priority,
    ingress: p.ingress.map((r, i) => compileAdminRule(idx, r, `ingress[${i}]`)),
    egress: p.egress.map((r, i) => compileAdminRule(idx, r, `egress[${i}]`)),
    selects: (w, dir) =>
      (dir === 'Ingress' ? p.ingress.length > 0 : p.egress.length > 0) && adminSubjectSelects(idx, p, w),
    source: p.source,
  };
}
