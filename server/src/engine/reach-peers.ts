// NetworkPolicy peers (networking.k8s.io/v1 `from`/`to` entries): does a peer select the other end of a
// connection (ipBlock, namespaceSelector, podSelector), and why not, in plain words. Shared by the
// single-pair evaluation (reach.ts), the matrix (reach-matrix.ts) and Calico's view of a Kubernetes
// NetworkPolicy (tiers-calico.ts).

import { matchesSelector } from './selector';
import { selectorText } from './policy-match';
import type { PolicyInfo, PolicyPeerInfo } from './types';
import { contains, namespaceLabels, overlaps, rangeOf } from './reach-base';
import type { Endpoint, IpRange, Match, ReachIndex } from './reach-base';

export function ipBlockMatches(
  idx: ReachIndex,
  block: { cidr: string; except: string[] },
  remote: Endpoint,
): Match {
  const cidr = rangeOf(idx, block.cidr);
  if (!cidr) return { matched: false, note: `ipBlock cidr "${block.cidr}" is not a valid CIDR` };
  const excepts = block.except.map((e) => rangeOf(idx, e)).filter((e): e is IpRange => !!e);
  const inBlock = (r: IpRange) => contains(cidr, r) && !excepts.some((e) => overlaps(e, r));
  if (remote.kind === 'external' && remote.domain !== undefined) {
    if (cidr.bits === 0 && !excepts.length)
      return {
        matched: true,
        note: `ipBlock ${block.cidr} holds every ${cidr.addr.kind() === 'ipv4' ? 'IPv4' : 'IPv6'} address, so whatever ${remote.name} resolves to (if ${cidr.addr.kind() === 'ipv4' ? 'IPv4' : 'IPv6'})`,
      };
    return {
      matched: false,
      undecided: true,
      note: `whether ipBlock ${block.cidr} holds the addresses of ${remote.name} depends on DNS at run time: read as no match`,
    };
  }
  if (remote.kind === 'external') return { matched: inBlock(remote.range) };
  for (const ip of remote.workload.podIPs) {
    const r = rangeOf(idx, ip);
    if (r && inBlock(r)) {
      return {
        matched: true,
        note: `ipBlock ${block.cidr} matched pod IP ${ip} of ${remote.name} (from status.podIPs; whether ipBlock applies to pod IPs depends on the network plugin)`,
      };
    }
  }
  return { matched: false };
}

export function peerMatches(
  idx: ReachIndex,
  policy: PolicyInfo,
  peer: PolicyPeerInfo,
  remote: Endpoint,
): Match {
  const hasSelector = !!peer.podSelector || !!peer.namespaceSelector;
  let note: string | undefined;
  if (peer.ipBlock) {
    const m = ipBlockMatches(idx, peer.ipBlock, remote);
    // ipBlock together with a selector is rejected by the API; read it as both must hold.
    if (!m.matched || !hasSelector) return m;
    note = m.note;
  } else if (!hasSelector) {
    return { matched: false }; // an empty peer: the API rejects it, it matches nothing here
  }
  if (remote.kind !== 'workload') return { matched: false };
  const w = remote.workload;
  if (peer.namespaceSelector) {
    if (!matchesSelector(peer.namespaceSelector, namespaceLabels(idx, w.id.namespace)))
      return { matched: false };
  } else if (w.id.namespace !== policy.id.namespace) {
    return { matched: false };
  }
  if (peer.podSelector && !matchesSelector(peer.podSelector, w.podLabels)) return { matched: false };
  return { matched: true, note };
}

/** Why a peer does not select the remote end, in plain words. */
export function peerMiss(
  idx: ReachIndex,
  policy: PolicyInfo,
  peer: PolicyPeerInfo,
  remote: Endpoint,
): string {
  const hasSelector = !!peer.podSelector || !!peer.namespaceSelector;
  if (peer.ipBlock) {
    const block = `ipBlock ${peer.ipBlock.cidr}${peer.ipBlock.except.length ? ` except ${peer.ipBlock.except.join(', ')}` : ''}`;
    const m = ipBlockMatches(idx, peer.ipBlock, remote);
    if (!m.matched) {
      if (m.undecided && m.note) return m.note;
      if (remote.kind === 'external') return `${block} does not hold ${remote.name}`;
      if (!remote.workload.podIPs.length)
        return `${block} matches addresses, and the manifests give no status.podIPs for ${remote.name}`;
      return `${block} does not hold the pod IPs of ${remote.name} (${remote.workload.podIPs.join(', ')})`;
    }
    if (!hasSelector) return 'matches'; // not reached: a matching peer is not a miss
  } else if (!hasSelector) {
    return 'sets no podSelector, namespaceSelector or ipBlock: the API rejects such a peer and it matches nothing';
  }
  if (remote.kind !== 'workload') return `selects pods, and ${remote.name} is outside the cluster`;
  const w = remote.workload;
  if (peer.namespaceSelector) {
    if (!matchesSelector(peer.namespaceSelector, namespaceLabels(idx, w.id.namespace))) {
      return `namespaceSelector {${selectorText(peer.namespaceSelector)}} does not match namespace ${w.id.namespace}`;
    }
  } else if (w.id.namespace !== policy.id.namespace) {
    return `podSelector without namespaceSelector selects pods of namespace ${policy.id.namespace} only, and ${remote.name} is in ${w.id.namespace}`;
  }
  if (peer.podSelector && !matchesSelector(peer.podSelector, w.podLabels)) {
    const labels = Object.entries(w.podLabels)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    return `podSelector {${selectorText(peer.podSelector)}} does not match the labels of ${remote.name} (${labels || 'none'})`;
  }
  return 'matches';
}
