// Antrea-native policies: who an appliedTo entry or a rule peer holds (groups and their members,
// ServiceAccounts, namespaces bound by `Self` / `sameLabels`, nodeSelector and fqdn peers). The
// compilation into tiers and rule order is in tiers-antrea.ts, which documents the semantics.

import { matchesSelector } from './selector';
import type { Labels } from './selector';
import type { AntreaGroupInfo, AntreaPeerInfo, AntreaPolicyInfo, WorkloadInfo } from './types';
import { namespaceLabels } from './reach-base';
import type { Endpoint, Match, ReachIndex } from './reach-base';
import { NO, YES, compileAddresses } from './tiers-compiled';
import { antreaFqdnMatches } from './reach-domain';

export function nsLabels(idx: ReachIndex, ns: string): Labels {
  return namespaceLabels(idx, ns);
}

/** The namespace a `Self` / `sameLabels` peer is bound to: one compiled copy of the policy per namespace. */
export type Bound = string | undefined;

/** The group a policy names: a ClusterGroup for a ClusterNetworkPolicy, a Group of its namespace for a
 * NetworkPolicy; undefined when the manifests do not define it. */
function findGroup(idx: ReachIndex, p: AntreaPolicyInfo, name: string): AntreaGroupInfo | undefined {
  return (idx.cluster.antreaGroups ?? []).find(
    (g) =>
      g.name === name &&
      (p.namespace === undefined
        ? g.kind === 'ClusterGroup'
        : g.kind === 'Group' && g.namespace === p.namespace),
  );
}

/** Per cluster (its index): the same group info object may serve several clusters (the model reuses
 * infos of unchanged resources). */
const groupMatchers = new WeakMap<ReachIndex, Map<AntreaGroupInfo, (e: Endpoint) => Match>>();

/** A group's members (pods by selectors or a Service's selector, addresses by ipBlocks, the union of
 * its child groups, one level deep), as a test on an endpoint. */
function groupMembers(
  idx: ReachIndex,
  p: AntreaPolicyInfo,
  g: AntreaGroupInfo,
  nested = false,
): (e: Endpoint) => Match {
  let memo = groupMatchers.get(idx);
  if (!memo) groupMatchers.set(idx, (memo = new Map()));
  const hit = memo.get(g);
  if (hit && !nested) return hit;
  const what = `${g.kind} ${g.namespace !== undefined ? `${g.namespace}/` : ''}${g.name}`;
  let f: (e: Endpoint) => Match;
  if (g.childGroups) {
    if (nested) {
      f = () => ({
        matched: false,
        note: `${what} has childGroups nested more than one level: Antrea does not realize it`,
      });
    } else {
      const children = g.childGroups.map((c) => {
        const child = findGroup(idx, p, c);
        return child ? groupMembers(idx, p, child, true) : undefined;
      });
      const missing = g.childGroups.filter((_, i) => !children[i]);
      f = (e) => {
        for (const c of children) {
          const m = c?.(e);
          if (m?.matched) return m;
        }
        return missing.length
          ? {
              matched: false,
              undecided: true,
              note: `${what} includes ${missing.join(', ')}, not defined in these files: read as no match`,
            }
          : NO;
      };
    }
  } else if (g.ipBlocks) {
    const blocks = g.ipBlocks.map((b) =>
      compileAddresses(idx, [b.cidr], b.except, `${what} ipBlock ${b.cidr}`),
    );
    f = (e) => {
      let undecided: Match | undefined;
      for (const b of blocks) {
        const m = b(e);
        if (m.matched) return m;
        if (m.undecided) undecided ??= m;
      }
      return undecided ?? NO;
    };
  } else if (g.serviceReference) {
    const [ns, name] = g.serviceReference.split('/');
    const svc = idx.cluster.services.find((s) => s.id.namespace === ns && s.id.name === name);
    const sel = svc?.selector && Object.keys(svc.selector).length ? svc.selector : undefined;
    f = (e) =>
      e.kind === 'workload' &&
      sel &&
      e.workload.id.namespace === ns &&
      Object.entries(sel).every(([k, v]) => e.workload.podLabels[k] === v)
        ? { matched: true, note: `${what} holds the pods of Service ${g.serviceReference}` }
        : NO;
  } else if (g.nodeSelector) {
    f = (e) =>
      e.kind === 'workload'
        ? NO
        : {
            matched: false,
            undecided: true,
            note: `whether ${e.name} is a node of ${what} cannot be decided from the manifests`,
          };
  } else if (g.podSelector || g.namespaceSelector) {
    f = (e) => {
      if (e.kind !== 'workload') return NO;
      const w = e.workload;
      if (g.namespaceSelector) {
        if (!matchesSelector(g.namespaceSelector, nsLabels(idx, w.id.namespace))) return NO;
      } else if (g.namespace !== undefined && w.id.namespace !== g.namespace) return NO;
      if (g.podSelector && !matchesSelector(g.podSelector, w.podLabels)) return NO;
      return { matched: true, note: `${what} holds ${e.name}` };
    };
  } else f = () => NO;
  if (!nested) memo.set(g, f);
  return f;
}

/** Do the pods of a workload run as this ServiceAccount? A pod spec without one runs as `default`. */
function serviceAccountHolds(sa: { namespace: string; name: string }, w: WorkloadInfo): boolean {
  return w.id.namespace === sa.namespace && (w.serviceAccount ?? 'default') === sa.name;
}

/** Does an appliedTo entry select the pod? undefined: it cannot be decided (a group the manifests do
 * not define, serviceAccount). */
function appliedToEntry(
  idx: ReachIndex,
  p: AntreaPolicyInfo,
  e: AntreaPeerInfo,
  w: WorkloadInfo,
): boolean | undefined {
  if (e.group !== undefined) {
    const g = findGroup(idx, p, e.group);
    if (!g) return undefined;
    // a group of addresses in appliedTo: the policy has no effect
    if (g.ipBlocks) return false;
    const m = groupMembers(idx, p, g)({ kind: 'workload', name: '', workload: w });
    return m.matched ? true : m.undecided ? undefined : false;
  }
  if (e.serviceAccount) return serviceAccountHolds(e.serviceAccount, w);
  if (e.other) return e.other.field === 'serviceAccount' ? undefined : false;
  if (!e.podSelector && !e.namespaceSelector) return false;
  if (p.namespace !== undefined && w.id.namespace !== p.namespace) return false;
  if (e.namespaceSelector && !matchesSelector(e.namespaceSelector, nsLabels(idx, w.id.namespace)))
    return false;
  return !e.podSelector || matchesSelector(e.podSelector, w.podLabels);
}

export function appliedToMatches(
  idx: ReachIndex,
  p: AntreaPolicyInfo,
  entries: AntreaPeerInfo[],
  w: WorkloadInfo,
): boolean {
  return entries.some((e) => appliedToEntry(idx, p, e, w) === true);
}

/** The appliedTo entries the manifests cannot decide (a group they do not define, serviceAccount), in words. */
export function undecidedAppliedTo(idx: ReachIndex, p: AntreaPolicyInfo): string[] {
  const all = [...(p.appliedTo ?? []), ...[...p.ingress, ...p.egress].flatMap((r) => r.appliedTo ?? [])];
  return all
    .filter((e) =>
      e.group !== undefined
        ? !findGroup(idx, p, e.group)
        : e.other?.field === 'serviceAccount' && !e.serviceAccount,
    )
    .map((e) => (e.group !== undefined ? `${e.other!.text} (not defined in these files)` : e.other!.text));
}

export function peerMatch(
  idx: ReachIndex,
  p: AntreaPolicyInfo,
  peer: AntreaPeerInfo,
  remote: Endpoint,
  bound: Bound,
  addresses: ((e: Endpoint) => Match) | undefined,
): Match {
  if (peer.other?.field === 'fqdn' && remote.kind === 'external' && remote.domain !== undefined) {
    const pattern = peer.other.text.slice('fqdn '.length);
    return antreaFqdnMatches(pattern, remote.domain)
      ? {
          matched: true,
          note: `fqdn ${pattern} matches ${remote.name} (Antrea allows the addresses DNS returns for it)`,
        }
      : NO;
  }
  if (peer.group !== undefined) {
    const g = findGroup(idx, p, peer.group);
    if (g) return groupMembers(idx, p, g)(remote);
  }
  if (peer.serviceAccount) {
    const sa = peer.serviceAccount;
    return remote.kind === 'workload' && serviceAccountHolds(sa, remote.workload)
      ? {
          matched: true,
          note: `${remote.name} runs as ServiceAccount ${sa.namespace}/${sa.name}${remote.workload.serviceAccount === undefined ? ' (the default one: its pod spec names none)' : ''}`,
        }
      : NO;
  }
  if (peer.other?.field === 'nodeSelector') {
    // a nodeSelector peer holds node addresses: a pod only when it uses its node's network
    if (remote.kind === 'workload' && !remote.workload.hostNetwork) return NO;
    return {
      matched: false,
      undecided: true,
      note:
        remote.kind === 'workload'
          ? `${remote.name} uses the host network, so its address is its node's; whether that node matches the nodeSelector cannot be decided from the manifests (they hold no Nodes and no scheduling): read as no match`
          : `whether ${remote.name} is an address of a node the nodeSelector matches cannot be decided from the manifests (they hold no Nodes): read as no match`,
    };
  }
  if (peer.other) {
    const f = peer.other.field;
    if (remote.kind === 'external' && remote.domain !== undefined && (f === 'nodeSelector' || f === 'fqdn'))
      return NO;
    if (remote.kind === 'workload' && (f === 'nodeSelector' || f === 'fqdn' || f === 'service')) return NO;
    return {
      matched: false,
      undecided: true,
      note: `${peer.other.text} cannot be decided from the manifests for ${remote.name}: read as no match`,
    };
  }
  if (peer.ipBlock) return addresses ? addresses(remote) : NO;
  const hasSelector =
    !!peer.podSelector || !!peer.namespaceSelector || peer.namespacesSelf || peer.sameLabels;
  if (!hasSelector || remote.kind !== 'workload') return NO;
  const w = remote.workload;
  const ns = w.id.namespace;
  if (peer.namespacesSelf) {
    if (ns !== bound) return NO;
  } else if (peer.sameLabels) {
    if (bound === undefined) return NO;
    const own = nsLabels(idx, bound);
    const theirs = nsLabels(idx, ns);
    if (!peer.sameLabels.every((k) => own[k] !== undefined && theirs[k] === own[k])) return NO;
  } else if (peer.namespaceSelector) {
    if (!matchesSelector(peer.namespaceSelector, nsLabels(idx, ns))) return NO;
  } else if (p.namespace !== undefined && ns !== p.namespace) {
    // an Antrea NetworkPolicy's podSelector alone: its own namespace; a ClusterNetworkPolicy's: every namespace
    return NO;
  }
  if (peer.podSelector && !matchesSelector(peer.podSelector, w.podLabels)) return NO;
  return YES;
}
