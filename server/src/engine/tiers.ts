// Every policy that decides a connection, tier by tier, for one side (the source's egress or the
// destination's ingress):
//
// 1. Admin tier: ClusterNetworkPolicy (tier Admin, v1alpha2) and AdminNetworkPolicy (v1alpha1), by
//    priority (lower first), each policy's rules in order; the first rule that matches decides:
//    Accept/Allow ends evaluation allowed, Deny ends it denied, Pass hands the connection to the next tier.
// 2. NetworkPolicy tier, as the network plugin implements it:
//    - Kubernetes NetworkPolicy alone: an isolated pod allows the union of the rules; final.
//    - Cilium: NetworkPolicy, CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy together: a deny
//      rule (ingressDeny/egressDeny) that matches wins; a pod in default deny (a policy with rules for
//      the direction, or enableDefaultDeny) allows the union of the allow rules; final when isolated.
//    - Calico: projectcalico.org/v3 tiers in order (Tier.spec.order; the default tier at 1,000,000);
//      in a tier, the policies that apply by `order` (none: last), then name; the first rule that
//      matches decides (Allow, Deny) or hands on (Pass); Log goes on; when a policy of the tier applied
//      and no rule matched, the tier's default action (Deny) ends it. Kubernetes NetworkPolicies are
//      policies of the default tier with order 1000.
// 3. Baseline tier: ClusterNetworkPolicy (tier Baseline) and BaselineAdminNetworkPolicy, first match.
// 4. Nothing decided: allowed.
//
// Peers the manifests cannot decide (a pod IP that is not written, nodes, domain names, services) are
// read as not matching and the verdict says so. Cilium L7 rules and Calico http matches allow the
// connection under conditions the verdict lists.
//
// The same compiled rules drive the single-pair explanation (evaluateTieredSide) and the matrix
// (tieredSideBits), so the two cannot disagree.

import { matchesSelector } from './selector';
import type { LabelSelector, Labels } from './selector';
import { matchesCalico, parseCalicoSelector } from './calico-selector';
import type { CalicoSelector } from './calico-selector';
import { chooseCni, enforces } from './cni';
import type { CniCapabilities, CniChoice, PolicyFamily } from './cni';
import { clusterMemo } from './cluster-index';
import { selectorText } from './policy-match';
import type {
  AdminPeerInfo,
  AdminPolicyInfo,
  AdminPortInfo,
  AdminRuleInfo,
  CalicoEntityInfo,
  CalicoPolicyInfo,
  CalicoPortInfo,
  CalicoRuleInfo,
  CiliumPolicyInfo,
  CiliumRuleInfo,
  Cluster,
  PolicyInfo,
  PolicyRuleInfo,
  SourceRef,
  WorkloadInfo,
} from './types';
import { idText } from './types';
import { cmp, contains, namedPort, namespaceLabels, peerMatches, portMatches, portText, rangeOf, reachIndex } from './reach-base';
import type { ChainStep, ConnPort, Direction, Endpoint, IpRange, Match, PolicyRef, Reason, ReachIndex, SideVerdict, TierName } from './reach-base';

type Action = 'allow' | 'deny' | 'pass' | 'log';

/** Shared answers without notes (the matrix asks millions of times: no allocation for them). */
const YES: Match = Object.freeze({ matched: true });
const NO: Match = Object.freeze({ matched: false });

/** One rule, compiled once per cluster: who it matches, on which ports, and what it does. */
export interface CRule {
  /** `ingress[0]`, `egressDeny[1]`, `specs[1].ingress[0]`. */
  label: string;
  name?: string;
  action: Action;
  actionText: string;
  /** Does the rule match the other end of the connection? */
  peer(remote: Endpoint): Match;
  /** Does the rule admit the connection's port on its destination? */
  port(conn: ConnPort, dest: Endpoint): boolean;
  /** Conditions on the side's own pod (Calico rules may test the selected pod too). */
  subject?(subject: Endpoint): Match;
  /** L7 conditions the connection must also meet when this rule allows it on this port. */
  conditions?(conn: ConnPort, dest: Endpoint): string[];
  source?: SourceRef;
}

export interface CPolicy {
  family: PolicyFamily;
  kind: string;
  /** `ns/name` or the name of a cluster-scoped policy (Cilium specs: `ns/name#1`). */
  name: string;
  tier: TierName;
  /** Within the tier: priority (admin tiers) or order (Calico), lower first; undefined last. */
  rank?: number;
  ingress: CRule[];
  egress: CRule[];
  /** Does the policy apply to this pod in this direction? */
  selects(w: WorkloadInfo, dir: Direction): boolean;
  /** Cilium: does it put the pod in default deny for this direction? */
  defaultDeny?: (dir: Direction) => boolean;
  source?: SourceRef;
}

export interface CalicoTierStage {
  tier: string;
  order?: number;
  endAction: 'Deny' | 'Pass';
  policies: CPolicy[];
}

/** Everything compiled for one cluster and one network plugin. */
export interface TierContext {
  idx: ReachIndex;
  choice: CniChoice;
  caps: CniCapabilities;
  admin: CPolicy[];
  baseline: CPolicy[];
  cilium: CPolicy[];
  calicoTiers: CalicoTierStage[];
  /** How Kubernetes NetworkPolicies are evaluated: alone, with Cilium's kinds, inside Calico's default tier, or not at all. */
  npMode: 'k8s' | 'cilium' | 'calico' | 'none';
  /** Kubernetes NetworkPolicies compiled as Calico policies (npMode calico). */
  inert: CPolicy[];
  /** True when anything beyond plain NetworkPolicy semantics applies. */
  tiered: boolean;
}

// ---------------------------------------------------------------------------------------------------
// Labels as each dialect sees them

/** Labels derived once per cluster and workload (or namespace): selectors run against them often. */
const labelMemo = new WeakMap<ReachIndex, { cilium: WeakMap<WorkloadInfo, Labels>; calico: WeakMap<WorkloadInfo, Labels>; calicoNs: Map<string, Labels> }>();

function memoOf(idx: ReachIndex) {
  let m = labelMemo.get(idx);
  if (!m) labelMemo.set(idx, (m = { cilium: new WeakMap(), calico: new WeakMap(), calicoNs: new Map() }));
  return m;
}

/** Cilium's labels of a pod: its labels, its namespace, and its namespace's labels. */
function ciliumLabels(idx: ReachIndex, w: WorkloadInfo): Labels {
  const m = memoOf(idx).cilium;
  let out = m.get(w);
  if (out) return out;
  out = { ...w.podLabels, 'io.kubernetes.pod.namespace': w.id.namespace, 'io.cilium.k8s.policy.cluster': 'default' };
  for (const [k, v] of Object.entries(namespaceLabels(idx, w.id.namespace))) out[`io.cilium.k8s.namespace.labels.${k}`] = v;
  m.set(w, out);
  return out;
}

/** Cilium writes label sources as prefixes (`k8s:app`, `any:app`); pods carry k8s labels. */
function ciliumKey(k: string): string {
  if (k.startsWith('k8s:')) return k.slice(4);
  if (k.startsWith('any:')) return k.slice(4);
  return k;
}

function normaliseCiliumSelector(s: LabelSelector): LabelSelector {
  const out: LabelSelector = {};
  if (s.matchLabels) out.matchLabels = Object.fromEntries(Object.entries(s.matchLabels).map(([k, v]) => [ciliumKey(k), v]));
  if (s.matchExpressions) out.matchExpressions = s.matchExpressions.map((e) => ({ ...e, key: ciliumKey(e.key) }));
  return out;
}

const NS_KEY = 'io.kubernetes.pod.namespace';

function mentionsNamespace(s: LabelSelector): boolean {
  return Object.keys(s.matchLabels ?? {}).some((k) => ciliumKey(k) === NS_KEY) || (s.matchExpressions ?? []).some((e) => ciliumKey(e.key) === NS_KEY);
}

/** Calico's labels of a pod: its labels plus the namespace and orchestrator labels Calico adds. */
function calicoLabels(idx: ReachIndex, w: WorkloadInfo): Labels {
  const m = memoOf(idx).calico;
  let out = m.get(w);
  if (!out) m.set(w, (out = { ...w.podLabels, 'projectcalico.org/namespace': w.id.namespace, 'projectcalico.org/orchestrator': 'k8s' }));
  return out;
}

function calicoNamespaceLabels(idx: ReachIndex, ns: string): Labels {
  const m = memoOf(idx).calicoNs;
  let out = m.get(ns);
  if (!out) m.set(ns, (out = { ...namespaceLabels(idx, ns), 'projectcalico.org/name': ns }));
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Addresses of pods (for networks, CIDR and nets peers)

/** Does a list of CIDRs (minus exceptions) hold the endpoint? Pods are matched on status.podIPs; a pod
 * without them matches only an all-addresses block (0.0.0.0/0 or ::/0), otherwise it is undecided. */
function addressMatch(idx: ReachIndex, cidrs: string[], except: string[], e: Endpoint, what: string): Match {
  const ranges = cidrs.map((c) => rangeOf(idx, c)).filter((r): r is IpRange => !!r);
  const excepts = except.map((c) => rangeOf(idx, c)).filter((r): r is IpRange => !!r);
  const inside = (r: IpRange) => ranges.some((c) => contains(c, r)) && !excepts.some((x) => contains(x, r) || contains(r, x));
  if (e.kind === 'external') return { matched: inside(e.range) };
  const ips = e.workload.podIPs.map((ip) => rangeOf(idx, ip)).filter((r): r is IpRange => !!r);
  if (ips.length) {
    const hit = ips.find(inside);
    return hit ? { matched: true, note: `${what} holds pod IP ${hit.text} of ${e.name}` } : { matched: false };
  }
  const v4 = ranges.some((r) => r.bits === 0 && r.addr.kind() === 'ipv4');
  const v6 = ranges.some((r) => r.bits === 0 && r.addr.kind() === 'ipv6');
  if (v4 && v6 && !excepts.length) return { matched: true, note: `${what} holds every address, so every pod IP of ${e.name}` };
  if ((v4 || v6) && !excepts.length) return { matched: true, note: `${what} holds every ${v4 ? 'IPv4' : 'IPv6'} address; ${e.name} is assumed to have one (no status.podIPs in the manifests)` };
  if (!ranges.length) return { matched: false };
  return { matched: false, undecided: true, note: `${what} may hold the pod IP of ${e.name}, which the manifests do not give (status.podIPs): read as no match` };
}

// ---------------------------------------------------------------------------------------------------
// Admin tiers

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

function adminPeerMatch(idx: ReachIndex, peer: AdminPeerInfo, remote: Endpoint, action: AdminRuleInfo['action']): Match {
  const set = (peer.namespaces ? 1 : 0) + (peer.pods ? 1 : 0) + (peer.nodes ? 1 : 0) + (peer.networks ? 1 : 0) + (peer.domainNames ? 1 : 0);
  if (set !== 1) {
    // The API rejects it; an implementation fails closed: Accept matches nothing, Deny and Pass everything.
    const matched = action !== 'Accept';
    return { matched, note: `a peer with ${set === 0 ? 'no' : 'several'} fields set fails closed (${matched ? 'matches everything' : 'matches nothing'})` };
  }
  if (peer.namespaces) {
    if (remote.kind !== 'workload') return NO;
    return matchesSelector(peer.namespaces, namespaceLabels(idx, remote.workload.id.namespace)) ? YES : NO;
  }
  if (peer.pods) {
    if (remote.kind !== 'workload') return NO;
    const w = remote.workload;
    return matchesSelector(peer.pods.namespaceSelector, namespaceLabels(idx, w.id.namespace)) && matchesSelector(peer.pods.podSelector, w.podLabels) ? YES : NO;
  }
  if (peer.networks) return addressMatch(idx, peer.networks, [], remote, `networks ${peer.networks.join(', ')}`);
  if (peer.nodes) {
    if (remote.kind === 'workload') return { matched: false };
    return { matched: false, undecided: true, note: `whether ${remote.name} is the address of a node matching {${selectorText(peer.nodes)}} cannot be decided from manifests: read as no match` };
  }
  if (remote.kind === 'workload') return { matched: false };
  return { matched: false, undecided: true, note: `whether ${remote.name} is an address of ${peer.domainNames!.join(', ')} cannot be decided from manifests (DNS): read as no match` };
}

function compileAdminRule(idx: ReachIndex, r: AdminRuleInfo, label: string): CRule {
  return {
    label,
    name: r.name,
    action: r.action === 'Accept' ? 'allow' : r.action === 'Deny' ? 'deny' : 'pass',
    actionText: r.actionText,
    peer(remote) {
      const notes: string[] = [];
      let undecided = false;
      for (const p of r.peers) {
        const m = adminPeerMatch(idx, p, remote, r.action);
        if (m.matched) return m;
        if (m.undecided) undecided = true;
        if (m.note) notes.push(m.note);
      }
      return undecided || notes.length ? { matched: false, undecided, note: notes.join('; ') || undefined } : NO;
    },
    port: (conn, dest) => !r.ports || r.ports.some((p) => adminPortMatches(p, conn, dest)),
    source: r.source,
  };
}

function adminSubjectSelects(idx: ReachIndex, p: AdminPolicyInfo, w: WorkloadInfo): boolean {
  const ns = namespaceLabels(idx, w.id.namespace);
  if (p.subject.namespaces) return matchesSelector(p.subject.namespaces, ns);
  if (p.subject.pods) return matchesSelector(p.subject.pods.namespaceSelector, ns) && matchesSelector(p.subject.pods.podSelector, w.podLabels);
  return false;
}

function compileAdmin(idx: ReachIndex, p: AdminPolicyInfo): CPolicy {
  return {
    family: p.kind === 'ClusterNetworkPolicy' ? 'ClusterNetworkPolicy' : 'AdminNetworkPolicy',
    kind: p.kind,
    name: p.name,
    tier: p.tier,
    // A BaselineAdminNetworkPolicy has no priority: it comes after the baseline ClusterNetworkPolicies.
    rank: p.kind === 'BaselineAdminNetworkPolicy' ? 1001 : p.priority,
    ingress: p.ingress.map((r, i) => compileAdminRule(idx, r, `ingress[${i}]`)),
    egress: p.egress.map((r, i) => compileAdminRule(idx, r, `egress[${i}]`)),
    selects: (w, dir) => (dir === 'Ingress' ? p.ingress.length > 0 : p.egress.length > 0) && adminSubjectSelects(idx, p, w),
    source: p.source,
  };
}

// ---------------------------------------------------------------------------------------------------
// Cilium

const POD_ENTITIES = new Set(['all', 'cluster']);
const KNOWN_ENTITIES = new Set(['all', 'world', 'world-ipv4', 'world-ipv6', 'cluster', 'host', 'remote-node', 'kube-apiserver', 'init', 'health', 'unmanaged', 'ingress']);

function ciliumPeerMatch(idx: ReachIndex, pol: CiliumPolicyInfo, r: CiliumRuleInfo, remote: Endpoint, selectors: LabelSelector[]): Match {
  const notes: string[] = [];
  let undecided = false;
  if (remote.kind === 'workload') {
    const labels = ciliumLabels(idx, remote.workload);
    for (let i = 0; i < selectors.length; i++) if (matchesSelector(selectors[i], labels)) return YES;
    for (const e of r.entities ?? []) if (POD_ENTITIES.has(e)) return { matched: true, note: `entity ${e} holds every pod` };
    if (r.cidrs?.length) notes.push(`CIDR rules select addresses outside the cluster, not pods like ${remote.name}`);
  } else {
    for (const e of r.entities ?? []) {
      if (e === 'all' || e === 'world') return { matched: true, note: `entity ${e} holds ${remote.name}` };
      if (e === 'world-ipv4' || e === 'world-ipv6') {
        if ((e === 'world-ipv4') === (remote.range.addr.kind() === 'ipv4')) return { matched: true, note: `entity ${e} holds ${remote.name}` };
        continue;
      }
      if (!KNOWN_ENTITIES.has(e)) continue;
      if (e !== 'init' && e !== 'health' && e !== 'unmanaged' && e !== 'ingress') {
        undecided = true;
        notes.push(`whether ${remote.name} belongs to entity ${e} cannot be decided from manifests`);
      }
    }
    for (const c of r.cidrs ?? []) if (addressMatch(idx, [c.cidr], c.except, remote, c.cidr).matched) return { matched: true, note: `CIDR ${c.cidr}${c.except.length ? ` except ${c.except.join(', ')}` : ''} holds ${remote.name}` };
    if (r.nodes?.length) {
      undecided = true;
      notes.push(`whether ${remote.name} is a node's address cannot be decided from manifests`);
    }
    if (r.fqdns?.length) {
      undecided = true;
      notes.push(`allowed only if ${remote.name} is an address of ${r.fqdns.join(', ')} (toFQDNs, decided by DNS at run time)`);
    }
  }
  if (r.other?.length) {
    undecided = true;
    notes.push(`${r.other.join(', ')} cannot be decided from manifests`);
  }
  void pol;
  return { matched: false, undecided, note: notes.join('; ') || undefined };
}

function ciliumPortMatches(p: { port?: number | string; endPort?: number; protocol: string }, conn: ConnPort, dest: Endpoint): boolean {
  if (p.protocol !== 'ANY' && p.protocol !== conn.protocol) return false;
  if (p.port === undefined || p.port === 0) return true;
  if (conn.number === undefined) return false;
  if (typeof p.port === 'string') return dest.kind === 'workload' && namedPort(dest.workload, p.port, conn.protocol) === conn.number;
  if (p.endPort !== undefined && p.endPort >= p.port) return conn.number >= p.port && conn.number <= p.endPort;
  return conn.number === p.port;
}

const EMPTY_RULE: Match = Object.freeze({ matched: false, note: 'an empty rule matches nothing (it only puts the pod in default deny)' });

function compileCiliumRule(idx: ReachIndex, pol: CiliumPolicyInfo, r: CiliumRuleInfo, label: string, deny: boolean): CRule {
  const selectors = (r.endpoints ?? []).map((s) => {
    const n = normaliseCiliumSelector(s);
    // In a namespaced policy, an endpoint selector that does not name a namespace means the policy's own.
    if (pol.namespace !== undefined && !mentionsNamespace(s)) return { ...n, matchLabels: { ...(n.matchLabels ?? {}), [NS_KEY]: pol.namespace } };
    return n;
  });
  const hasL3 = !!(r.endpoints?.length || r.entities?.length || r.cidrs?.length || r.nodes?.length || r.fqdns?.length || r.other?.length);
  const portEntries = r.toPorts;
  return {
    label,
    action: deny ? 'deny' : 'allow',
    actionText: deny ? 'Deny' : 'Allow',
    peer(remote) {
      // No L3 peer: with toPorts the rule holds for every peer; an empty rule ({}) matches nothing.
      if (!hasL3) return r.toPorts?.length ? YES : EMPTY_RULE;
      return ciliumPeerMatch(idx, pol, r, remote, selectors);
    },
    port(conn, dest) {
      if (r.icmpOnly) return false;
      if (!portEntries?.length) return true;
      return portEntries.some((tp) => !tp.ports.length || tp.ports.some((p) => ciliumPortMatches(p, conn, dest)));
    },
    conditions(conn, dest) {
      const out: string[] = [];
      for (const tp of portEntries ?? []) if (tp.l7.length && (!tp.ports.length || tp.ports.some((p) => ciliumPortMatches(p, conn, dest)))) out.push(...tp.l7);
      return out;
    },
    source: r.source,
  };
}

function compileCilium(idx: ReachIndex, p: CiliumPolicyInfo): CPolicy {
  const prefix = p.specIndex !== undefined ? `specs[${p.specIndex}].` : '';
  const name = (p.namespace !== undefined ? `${p.namespace}/${p.name}` : p.name) + (p.specIndex !== undefined ? `#${p.specIndex}` : '');
  const list = (rules: CiliumRuleInfo[] | undefined, key: string, deny: boolean) => (rules ?? []).map((r, i) => compileCiliumRule(idx, p, r, `${prefix}${key}[${i}]`, deny));
  const sel = p.endpointSelector ? normaliseCiliumSelector(p.endpointSelector) : undefined;
  const hasDir = (dir: Direction) => (dir === 'Ingress' ? !!(p.ingress?.length || p.ingressDeny?.length) : !!(p.egress?.length || p.egressDeny?.length));
  return {
    family: 'Cilium',
    kind: p.kind,
    name,
    tier: 'NetworkPolicy',
    ingress: [...list(p.ingressDeny, 'ingressDeny', true), ...list(p.ingress, 'ingress', false)],
    egress: [...list(p.egressDeny, 'egressDeny', true), ...list(p.egress, 'egress', false)],
    selects(w, dir) {
      if (!sel || !hasDir(dir) && p.enableDefaultDeny?.[dir === 'Ingress' ? 'ingress' : 'egress'] !== true) return false;
      if (p.namespace !== undefined && w.id.namespace !== p.namespace) return false;
      return matchesSelector(sel, ciliumLabels(idx, w));
    },
    defaultDeny: (dir) => {
      const explicit = p.enableDefaultDeny?.[dir === 'Ingress' ? 'ingress' : 'egress'];
      return explicit ?? hasDir(dir);
    },
    source: p.source,
  };
}

// ---------------------------------------------------------------------------------------------------
// Calico

const PROTOCOL_NUMBERS: Record<string, string> = { '6': 'TCP', '17': 'UDP', '132': 'SCTP', '1': 'ICMP', '58': 'ICMPV6', '136': 'UDPLITE' };

function calicoProtocol(p: string): string {
  return PROTOCOL_NUMBERS[p] ?? p.toUpperCase();
}

function parsed(text: string | undefined): CalicoSelector | null | undefined {
  if (text === undefined) return undefined;
  const r = parseCalicoSelector(text);
  return r.ok ? r.selector : null; // null: does not parse, matches nothing
}

function calicoPortMatches(p: CalicoPortInfo, conn: ConnPort, e: Endpoint): boolean {
  if (conn.number === undefined) return false;
  if (p.name !== undefined) return e.kind === 'workload' && namedPort(e.workload, p.name, conn.protocol) === conn.number;
  if (p.port === undefined) return false;
  if (p.endPort !== undefined) return conn.number >= p.port && conn.number <= p.endPort;
  return conn.number === p.port;
}

/** Does an endpoint satisfy a rule's source or destination (nets, selectors, namespaces)? */
function calicoEntityMatch(idx: ReachIndex, pol: CalicoPolicyInfo, ent: CalicoEntityInfo, e: Endpoint, role: string): Match {
  const notes: string[] = [];
  if (ent.nets?.length) {
    const m = addressMatch(idx, ent.nets, [], e, `${role} nets ${ent.nets.join(', ')}`);
    if (!m.matched) return m;
    if (m.note) notes.push(m.note);
  }
  if (ent.notNets?.length) {
    const m = addressMatch(idx, ent.notNets, [], e, `${role} notNets ${ent.notNets.join(', ')}`);
    if (m.matched) return { matched: false, note: m.note };
    if (m.undecided) return { matched: false, undecided: true, note: m.note };
  }
  const sel = parsed(ent.selector);
  const nsSel = parsed(ent.namespaceSelector);
  const notSel = parsed(ent.notSelector);
  if (sel === null || nsSel === null || notSel === null) return { matched: false, note: `a ${role} selector does not parse: the rule matches nothing` };
  if (sel !== undefined || nsSel !== undefined) {
    if (e.kind !== 'workload') return { matched: false, note: `${role} selectors select endpoints, not the address ${e.name}` };
    const w = e.workload;
    if (nsSel !== undefined) {
      if (!matchesCalico(nsSel, calicoNamespaceLabels(idx, w.id.namespace))) return NO;
    } else if (pol.namespace !== undefined && w.id.namespace !== pol.namespace) {
      return NO;
    }
    if (sel !== undefined && !matchesCalico(sel, calicoLabels(idx, w))) return NO;
  }
  if (notSel !== undefined && e.kind === 'workload' && matchesCalico(notSel, calicoLabels(idx, e.workload))) return NO;
  if (ent.other?.length) return { matched: false, undecided: true, note: `${role} ${ent.other.join(', ')} cannot be decided from manifests: read as no match` };
  return notes.length ? { matched: true, note: notes.join('; ') } : YES;
}

function compileCalicoRule(idx: ReachIndex, pol: CalicoPolicyInfo, r: CalicoRuleInfo, label: string, dir: Direction): CRule {
  const action: Action = r.action === 'Allow' ? 'allow' : r.action === 'Deny' ? 'deny' : r.action === 'Pass' ? 'pass' : r.action === 'Log' ? 'log' : 'log';
  const remoteEnt = dir === 'Ingress' ? r.source : r.destination;
  const ownEnt = dir === 'Ingress' ? r.destination : r.source;
  const proto = r.protocol !== undefined ? calicoProtocol(r.protocol) : undefined;
  const notProto = r.notProtocol !== undefined ? calicoProtocol(r.notProtocol) : undefined;
  return {
    label,
    action,
    actionText: r.action,
    peer: (remote) => calicoEntityMatch(idx, pol, remoteEnt, remote, dir === 'Ingress' ? 'source' : 'destination'),
    subject: (own) => {
      if (r.source.ports?.length || r.source.notPorts?.length) return { matched: false, undecided: true, note: 'source ports are the client\'s ephemeral ports: read as no match' };
      return calicoEntityMatch(idx, pol, ownEnt, own, dir === 'Ingress' ? 'destination' : 'source');
    },
    port(conn, dest) {
      if (r.icmpOnly) return false;
      if (proto !== undefined && proto !== conn.protocol) return false;
      if (notProto !== undefined && notProto === conn.protocol) return false;
      const d = r.destination;
      if (d.ports?.length && !d.ports.some((p) => calicoPortMatches(p, conn, dest))) return false;
      if (d.notPorts?.length && d.notPorts.some((p) => calicoPortMatches(p, conn, dest))) return false;
      return true;
    },
    conditions: () => r.conditions,
    source: r.src,
  };
}

function compileCalico(idx: ReachIndex, p: CalicoPolicyInfo): CPolicy {
  const sel = parsed(p.selector.trim() === '' ? 'all()' : p.selector);
  const nsSel = parsed(p.namespaceSelector);
  return {
    family: 'Calico',
    kind: p.kind === 'NetworkPolicy' ? 'NetworkPolicy.projectcalico.org' : 'GlobalNetworkPolicy',
    name: p.namespace !== undefined ? `${p.namespace}/${p.name}` : p.name,
    tier: `calico:${p.tier}`,
    rank: p.order,
    ingress: p.ingress.map((r, i) => compileCalicoRule(idx, p, r, `ingress[${i}]`, 'Ingress')),
    egress: p.egress.map((r, i) => compileCalicoRule(idx, p, r, `egress[${i}]`, 'Egress')),
    selects(w, dir) {
      if (!p.types.includes(dir) || !sel) return false;
      if (p.namespace !== undefined && w.id.namespace !== p.namespace) return false;
      if (nsSel === null) return false;
      if (nsSel !== undefined && !matchesCalico(nsSel, calicoNamespaceLabels(idx, w.id.namespace))) return false;
      return matchesCalico(sel, calicoLabels(idx, w));
    },
    source: p.source,
  };
}

/** A Kubernetes NetworkPolicy as Calico evaluates it: a policy of the default tier with order 1000. */
function compileK8sForCalico(idx: ReachIndex, p: PolicyInfo): CPolicy {
  const rule = (r: PolicyRuleInfo, label: string): CRule => ({
    label,
    action: 'allow',
    actionText: 'Allow',
    peer(remote) {
      if (!r.peers || r.peers.length === 0) return YES;
      for (const peer of r.peers) {
        const m = peerMatches(idx, p, peer, remote);
        if (m.matched) return m;
      }
      return NO;
    },
    port: (conn, dest) => !r.ports || r.ports.length === 0 || r.ports.some((x) => portMatches(x, conn, dest)),
    source: r.source ?? p.source,
  });
  return {
    family: 'NetworkPolicy',
    kind: 'NetworkPolicy',
    name: idText(p.id),
    tier: 'calico:default',
    rank: 1000,
    ingress: p.ingress.map((r, i) => rule(r, `ingress[${i}]`)),
    egress: p.egress.map((r, i) => rule(r, `egress[${i}]`)),
    selects: (w, dir) => p.policyTypes.includes(dir) && p.id.namespace === w.id.namespace && matchesSelector(p.podSelector, w.podLabels),
    source: p.source,
  };
}

// ---------------------------------------------------------------------------------------------------
// The context: every policy compiled once per cluster and plugin

function byRank(a: CPolicy, b: CPolicy): number {
  const ra = a.rank ?? Infinity;
  const rb = b.rank ?? Infinity;
  return ra !== rb ? (ra < rb ? -1 : 1) : cmp(a.name, b.name);
}

export function hasTieredPolicies(cluster: Cluster): boolean {
  return !!(cluster.adminPolicies?.length || cluster.ciliumPolicies?.length || cluster.calicoPolicies?.length);
}

/** The compiled policies of a cluster under a network plugin (`auto` or undefined: detected). */
export function tierContext(cluster: Cluster, cni?: string): TierContext {
  return clusterMemo(cluster, `tier-context:${cni ?? 'auto'}`, () => buildContext(cluster, cni));
}

function buildContext(cluster: Cluster, cni: string | undefined): TierContext {
  const idx = reachIndex(cluster);
  const choice = chooseCni(cni, cluster.cniHints);
  const caps = choice.caps;
  const inert: CPolicy[] = [];
  const keep = (p: CPolicy) => {
    if (enforces(caps, p.family)) return true;
    inert.push(p);
    return false;
  };
  const admins = (cluster.adminPolicies ?? []).map((p) => compileAdmin(idx, p));
  const admin = admins.filter((p) => p.tier === 'Admin').filter(keep).sort(byRank);
  const baseline = admins.filter((p) => p.tier === 'Baseline').filter(keep).sort(byRank);
  const cilium = (cluster.ciliumPolicies ?? []).filter((p) => !p.nodeSelector).map((p) => compileCilium(idx, p)).filter(keep);
  const calico = (cluster.calicoPolicies ?? []).map((p) => compileCalico(idx, p)).filter(keep);
  const npEnforced = caps.networkPolicy;
  let npMode: TierContext['npMode'] = npEnforced ? 'k8s' : 'none';
  if (cilium.length || (caps.name === 'cilium' && npEnforced)) npMode = 'cilium';
  else if (calico.length && npEnforced) npMode = 'calico';
  if (!npEnforced) for (const p of cluster.policies) inert.push(compileK8sForCalico(idx, p));
  // Calico tiers, in Tier order (the default tier at 1,000,000; a tier without order last).
  const tierInfo = new Map((cluster.calicoTiers ?? []).map((t) => [t.name, t]));
  const byTier = new Map<string, CPolicy[]>();
  const add = (tier: string, p: CPolicy) => {
    const list = byTier.get(tier);
    if (list) list.push(p);
    else byTier.set(tier, [p]);
  };
  for (const p of calico) add(p.tier.slice('calico:'.length), p);
  if (npMode === 'calico') for (const p of cluster.policies) add('default', compileK8sForCalico(idx, p));
  const calicoTiers: CalicoTierStage[] = [...byTier.entries()]
    .map(([tier, policies]) => {
      const info = tierInfo.get(tier);
      const order = info?.order ?? (tier === 'default' ? 1_000_000 : undefined);
      return { tier, order, endAction: info?.defaultAction ?? 'Deny', policies: policies.sort(byRank) } as CalicoTierStage;
    })
    .sort((a, b) => {
      const oa = a.order ?? Infinity;
      const ob = b.order ?? Infinity;
      return oa !== ob ? (oa < ob ? -1 : 1) : cmp(a.tier, b.tier);
    });
  const tiered = admins.length > 0 || cilium.length > 0 || calico.length > 0 || inert.length > 0 || npMode !== 'k8s' || caps.name !== 'generic';
  return { idx, choice, caps, admin, baseline, cilium, calicoTiers, npMode, inert, tiered };
}

// ---------------------------------------------------------------------------------------------------
// One side of one connection

/** The policies of a list that apply to a pod in a direction (a loop: it runs per pod and direction). */
function selecting(policies: CPolicy[], w: WorkloadInfo, dir: Direction): CPolicy[] {
  const out: CPolicy[] = [];
  for (let i = 0; i < policies.length; i++) if (policies[i].selects(w, dir)) out.push(policies[i]);
  return out;
}

function rulesFor(p: CPolicy, dir: Direction): CRule[] {
  return dir === 'Ingress' ? p.ingress : p.egress;
}

interface RuleHit {
  policy: CPolicy;
  rule: CRule;
  match: Match;
  conditions: string[];
}

/** Does this rule match the connection, seen from the subject's side? */
function ruleMatches(rule: CRule, subject: Endpoint, remote: Endpoint, conn: ConnPort, dest: Endpoint, notes: string[]): Match {
  if (rule.subject) {
    const s = rule.subject(subject);
    if (!s.matched) {
      if (s.undecided && s.note) notes.push(`${rule.label}: ${s.note}`);
      return { matched: false, undecided: s.undecided };
    }
  }
  if (!rule.port(conn, dest)) return { matched: false };
  const m = rule.peer(remote);
  if (!m.matched && m.undecided && m.note) notes.push(`${rule.label}: ${m.note}`);
  return m;
}

function ref(p: CPolicy): PolicyRef {
  return { name: p.name, source: p.source };
}

const ACTION_WORD: Record<Action, string> = { allow: 'allowed', deny: 'denied', pass: 'passed to the next tier', log: 'logged' };

function tierWords(t: TierName): string {
  if (t.startsWith('calico:')) return `Calico tier ${t.slice(7)}`;
  return t === 'NetworkPolicy' ? 'NetworkPolicy tier' : `${t} tier`;
}

function hitReason(side: 'egress' | 'ingress', pod: string, hit: RuleHit, remote: Endpoint, conn: ConnPort, tier: TierName, notes: string[]): Reason {
  const { policy, rule } = hit;
  const named = rule.name ? ` "${rule.name}"` : '';
  const rank = policy.rank !== undefined && policy.family !== 'Cilium' ? (policy.family === 'Calico' || policy.tier.startsWith('calico:') ? `, order ${policy.rank}` : policy.kind === 'BaselineAdminNetworkPolicy' ? '' : `, priority ${policy.rank}`) : '';
  const verb = rule.action === 'allow' ? (rule.actionText === 'Accept' ? 'accepted' : 'allowed') : ACTION_WORD[rule.action];
  const details = [...(hit.match.note ? [hit.match.note] : []), ...notes];
  return {
    side,
    kind: rule.action === 'allow' ? 'allowed-by-rule' : 'denied-by-rule',
    pod,
    message: `${verb} by ${policy.kind} ${policy.name} ${rule.label}${named} (${tierWords(tier)}${rank}; action ${rule.actionText}; matches ${remote.name} on ${portText(conn)})`,
    policy: policy.name,
    policyKind: policy.kind,
    rule: rule.label,
    ruleIndex: Number(/\[(\d+)\]$/.exec(rule.label)?.[1] ?? 0),
    tier,
    action: rule.actionText,
    ...(hit.conditions.length ? { conditions: hit.conditions } : {}),
    ...(details.length ? { details } : {}),
    ...(notes.length ? { undecided: true } : {}),
    source: rule.source ?? policy.source,
  };
}

/** First-match evaluation of an ordered list of policies. Returns the deciding hit (allow, deny or
 * pass) or undefined when no rule matched; records each policy consulted. */
function firstMatch(policies: CPolicy[], dir: Direction, subject: Endpoint, remote: Endpoint, conn: ConnPort, dest: Endpoint, chain: ChainStep[], notes: string[]): RuleHit | undefined {
  for (const p of policies) {
    let passedLog = false;
    for (const rule of rulesFor(p, dir)) {
      const m = ruleMatches(rule, subject, remote, conn, dest, notes);
      if (!m.matched) continue;
      if (rule.action === 'log') {
        passedLog = true;
        chain.push({ tier: p.tier, policy: p.name, kind: p.kind, outcome: 'log', rule: rule.label, source: rule.source });
        continue;
      }
      chain.push({ tier: p.tier, policy: p.name, kind: p.kind, outcome: rule.action, rule: rule.label, source: rule.source });
      return { policy: p, rule, match: m, conditions: rule.conditions?.(conn, dest) ?? [] };
    }
    if (!passedLog) chain.push({ tier: p.tier, policy: p.name, kind: p.kind, outcome: 'no-match', source: p.source });
  }
  return undefined;
}

/** The side's verdict through every tier. `npSide` is the plain NetworkPolicy evaluation (reach.ts). */
export function evaluateTieredSide(ctx: TierContext, dir: Direction, subject: Endpoint, remote: Endpoint, conn: ConnPort, dest: Endpoint, npSide: () => SideVerdict): SideVerdict {
  const side = dir === 'Ingress' ? 'ingress' : 'egress';
  if (subject.kind !== 'workload') {
    const v = npSide();
    return { ...v, tier: 'Default' };
  }
  const w = subject.workload;
  const pod = subject.name;
  const chain: ChainStep[] = [];
  const notes: string[] = [];
  const inert = selecting(ctx.inert, w, dir);
  for (const p of inert) chain.push({ tier: p.tier, policy: p.name, kind: p.kind, outcome: 'inert', source: p.source });
  const inertNote = inert.length ? [`not enforced by ${ctx.caps.label}: ${inert.map((p) => `${p.kind} ${p.name}`).join(', ')}`] : [];
  const policies: PolicyRef[] = [];
  const finish = (allowed: boolean, tier: TierName, reasons: Reason[], isolated: boolean, extra: Partial<SideVerdict> = {}): SideVerdict => {
    if (inertNote.length) for (const r of reasons) r.details = [...(r.details ?? []), ...inertNote];
    return { direction: dir, pod, allowed, isolated, policies: [...policies, ...(extra.policies ?? [])], reasons, tier, chain, ...(inert.length ? { inert: inert.map(ref) } : {}) };
  };
  const decide = (hit: RuleHit, tier: TierName): SideVerdict | undefined => {
    if (hit.rule.action === 'pass') return undefined;
    return finish(hit.rule.action === 'allow', tier, [hitReason(side, pod, hit, remote, conn, tier, notes)], true);
  };

  // 1. Admin tier
  const admin = selecting(ctx.admin, w, dir);
  policies.push(...admin.map(ref));
  const a = firstMatch(admin, dir, subject, remote, conn, dest, chain, notes);
  if (a) {
    const v = decide(a, 'Admin');
    if (v) return v;
  }

  // 2. NetworkPolicy tier: Calico's tiers first (they hold the Kubernetes NetworkPolicies under Calico),
  // then NetworkPolicy alone or with Cilium's kinds.
  for (const stage of ctx.calicoTiers) {
    const applied = selecting(stage.policies, w, dir);
    if (!applied.length) continue;
    policies.push(...applied.map(ref));
    const tier: TierName = `calico:${stage.tier}`;
    const hit = firstMatch(applied, dir, subject, remote, conn, dest, chain, notes);
    if (hit) {
      const v = decide(hit, tier);
      if (v) return v;
      continue;
    }
    if (stage.endAction === 'Pass') continue;
    return finish(false, tier, [{ side, kind: 'no-rule-allows', pod, tier, message: `no rule of the ${applied.length} polic${applied.length === 1 ? 'y' : 'ies'} of Calico tier ${stage.tier} that apply to ${pod} matches ${remote.name} on ${portText(conn)}: the tier's end denies (${applied.map((p) => p.name).join(', ')})`, policy: applied[0].name, policyKind: applied[0].kind, ...(notes.length ? { details: [...notes], undecided: true } : {}), source: applied[0].source }], true);
  }
  if (ctx.npMode === 'k8s' || ctx.npMode === 'cilium') {
    const np = npSide();
    policies.push(...np.policies);
    for (const pr of np.policies) chain.push({ tier: 'NetworkPolicy', policy: pr.name, kind: 'NetworkPolicy', outcome: 'isolates', source: pr.source });
    if (ctx.npMode === 'k8s') {
      if (np.isolated) return finish(np.allowed, 'NetworkPolicy', np.reasons.map((r) => ({ ...r, tier: 'NetworkPolicy' })), true);
    } else {
      const cil = selecting(ctx.cilium, w, dir);
      policies.push(...cil.map(ref));
      let isolated = np.isolated;
      const allows: RuleHit[] = [];
      let deny: RuleHit | undefined;
      for (const p of cil) {
        if (p.defaultDeny?.(dir)) isolated = true;
        let any = false;
        for (const rule of rulesFor(p, dir)) {
          const m = ruleMatches(rule, subject, remote, conn, dest, notes);
          if (!m.matched) continue;
          any = true;
          const hit = { policy: p, rule, match: m, conditions: rule.conditions?.(conn, dest) ?? [] };
          if (rule.action === 'deny') deny ??= hit;
          else allows.push(hit);
        }
        chain.push({ tier: 'NetworkPolicy', policy: p.name, kind: p.kind, outcome: deny?.policy === p ? 'deny' : any ? 'allow' : isolated ? 'isolates' : 'no-match', source: p.source });
      }
      if (deny) return finish(false, 'NetworkPolicy', [hitReason(side, pod, deny, remote, conn, 'NetworkPolicy', notes)], isolated);
      if (isolated) {
        if (np.isolated && np.allowed) return finish(true, 'NetworkPolicy', np.reasons.map((r) => ({ ...r, tier: 'NetworkPolicy' })), true);
        if (allows.length) return finish(true, 'NetworkPolicy', allows.map((h) => hitReason(side, pod, h, remote, conn, 'NetworkPolicy', notes)), true);
        const denies: Reason[] = np.isolated ? np.reasons.map((r) => ({ ...r, tier: 'NetworkPolicy' })) : [];
        for (const p of cil.filter((x) => x.defaultDeny?.(dir))) {
          denies.push({ side, kind: 'no-rule-allows', pod, policy: p.name, policyKind: p.kind, tier: 'NetworkPolicy', message: `${p.kind} ${p.name} puts ${pod} in default deny for ${dir}; no allow rule of any policy matches ${remote.name} on ${portText(conn)}`, ...(notes.length ? { details: [...notes], undecided: true } : {}), source: p.source });
        }
        return finish(false, 'NetworkPolicy', denies, true);
      }
    }
  }

  // 3. Baseline tier
  const base = selecting(ctx.baseline, w, dir);
  policies.push(...base.map(ref));
  const b = firstMatch(base, dir, subject, remote, conn, dest, chain, notes);
  if (b) {
    const v = decide(b, 'Baseline');
    if (v) return v;
  }

  // 4. Default
  const passed = chain.filter((s) => s.outcome === 'pass').map((s) => `${s.kind} ${s.policy} ${s.rule} passed`);
  const message = passed.length
    ? `no policy decides ${dir.toLowerCase()} of ${pod} after ${passed.join(', ')}: allowed by default`
    : chain.length
      ? `no rule of the policies that select ${pod} for ${dir} decides: allowed by default`
      : `no policy selects ${pod} for ${dir} (not isolated)`;
  const reason: Reason = { side, kind: chain.length ? 'default-allow' : 'not-isolated', pod, message, tier: 'Default', ...(notes.length ? { details: [...notes], undecided: true } : {}) };
  return finish(true, 'Default', [reason], false);
}

// ---------------------------------------------------------------------------------------------------
// Every pair at once (the matrix)

type Bits = Uint32Array;

/** Codes of the deciding tier in the matrix's per-pair tier bytes (Calico tiers from `calico` on). */
export const TIER_CODE = { Default: 0, Admin: 1, NetworkPolicy: 2, Baseline: 3, calico: 10 } as const;

/** The tier name of a code of tieredSideBits. */
export function tierOfCode(ctx: TierContext, code: number): TierName {
  if (code >= TIER_CODE.calico) return `calico:${ctx.calicoTiers[code - TIER_CODE.calico]?.tier ?? '?'}`;
  return code === 1 ? 'Admin' : code === 2 ? 'NetworkPolicy' : code === 3 ? 'Baseline' : 'Default';
}

export interface MatrixTierInput {
  eps: Endpoint[];
  conns: ConnPort[];
  words: number;
  all: Bits;
  /** The plain NetworkPolicy answer per subject and direction (null: not isolated). */
  npIn: (Bits | null)[];
  npOut: (Bits | null)[];
}

/** Allowed sets per subject: in[t] = the sources t admits, out[s] = the destinations s may send to. */
export function tieredSideBits(ctx: TierContext, m: MatrixTierInput): { inAllowed: Bits[]; outAllowed: Bits[]; inTier: Uint8Array[]; outTier: Uint8Array[] } {
  const n = m.eps.length;
  let dec = new Uint8Array(n);
  const mark = (k: number, hit: number, code: number) => {
    for (let b = 0; b < 32 && hit; b++, hit >>>= 1) if (hit & 1) dec[(k << 5) + b] = code;
  };
  const peerCache = new Map<CRule, Bits>();
  const peerBits = (rule: CRule): Bits => {
    let b = peerCache.get(rule);
    if (!b) {
      b = new Uint32Array(m.words);
      for (let i = 0; i < n; i++) if (rule.peer(m.eps[i]).matched) b[i >>> 5] |= 1 << (i & 31);
      peerCache.set(rule, b);
    }
    return b;
  };
  const portCache = new Map<CRule, Bits>();
  const destPortBits = (rule: CRule): Bits => {
    let b = portCache.get(rule);
    if (!b) {
      b = new Uint32Array(m.words);
      for (let t = 0; t < n; t++) if (rule.port(m.conns[t], m.eps[t])) b[t >>> 5] |= 1 << (t & 31);
      portCache.set(rule, b);
    }
    return b;
  };
  /** The remotes a rule matches for subject i. */
  const ruleBits = (rule: CRule, dir: Direction, i: number, out: Bits): boolean => {
    if (rule.subject && !rule.subject(m.eps[i]).matched) return false;
    const peers = peerBits(rule);
    if (dir === 'Ingress') {
      if (!rule.port(m.conns[i], m.eps[i])) return false;
      out.set(peers);
    } else {
      const ports = destPortBits(rule);
      for (let k = 0; k < m.words; k++) out[k] = peers[k] & ports[k];
    }
    return true;
  };
  const scratch = new Uint32Array(m.words);
  /** First-match over policies: moves matched remotes from `pending` to allow or out; pass goes to `passed`. */
  const firstMatchBits = (policies: CPolicy[], dir: Direction, i: number, pending: Bits, allow: Bits, passed: Bits, code: number) => {
    for (const p of policies) {
      for (const rule of rulesFor(p, dir)) {
        if (rule.action === 'log') continue;
        if (!ruleBits(rule, dir, i, scratch)) continue;
        for (let k = 0; k < m.words; k++) {
          const hit = scratch[k] & pending[k];
          if (!hit) continue;
          if (rule.action === 'allow') allow[k] |= hit;
          else if (rule.action === 'pass') passed[k] |= hit;
          if (rule.action !== 'pass') mark(k, hit, code);
          pending[k] &= ~hit;
        }
      }
    }
  };
  const side = (dir: Direction, i: number): Bits => {
    const w = (m.eps[i] as Extract<Endpoint, { kind: 'workload' }>).workload;
    const allow = new Uint32Array(m.words);
    let next = new Uint32Array(m.all);
    // 1. admin
    {
      const pending = next;
      const passed = new Uint32Array(m.words);
      firstMatchBits(selecting(ctx.admin, w, dir), dir, i, pending, allow, passed, TIER_CODE.Admin);
      for (let k = 0; k < m.words; k++) pending[k] |= passed[k];
      next = pending;
    }
    // 2. NetworkPolicy tier: Calico's tiers, then NetworkPolicy alone or with Cilium's kinds
    ctx.calicoTiers.forEach((stage, si) => {
      const applied = selecting(stage.policies, w, dir);
      if (!applied.length) return;
      const passed = new Uint32Array(m.words);
      firstMatchBits(applied, dir, i, next, allow, passed, TIER_CODE.calico + si);
      if (stage.endAction === 'Pass') for (let k = 0; k < m.words; k++) next[k] |= passed[k];
      else {
        for (let k = 0; k < m.words; k++) mark(k, next[k], TIER_CODE.calico + si);
        next = passed;
      }
    });
    const np = dir === 'Ingress' ? m.npIn[i] : m.npOut[i];
    if (ctx.npMode === 'k8s') {
      if (np) {
        for (let k = 0; k < m.words; k++) {
          allow[k] |= next[k] & np[k];
          mark(k, next[k], TIER_CODE.NetworkPolicy);
        }
        return allow;
      }
    } else if (ctx.npMode === 'cilium') {
      const cil = selecting(ctx.cilium, w, dir);
      let isolated = !!np;
      const allowU = np ? new Uint32Array(np) : new Uint32Array(m.words);
      const denyU = new Uint32Array(m.words);
      for (const p of cil) {
        if (p.defaultDeny?.(dir)) isolated = true;
        for (const rule of rulesFor(p, dir)) {
          if (!ruleBits(rule, dir, i, scratch)) continue;
          const target = rule.action === 'deny' ? denyU : allowU;
          for (let k = 0; k < m.words; k++) target[k] |= scratch[k];
        }
      }
      if (isolated) {
        for (let k = 0; k < m.words; k++) {
          allow[k] |= next[k] & ~denyU[k] & allowU[k];
          mark(k, next[k], TIER_CODE.NetworkPolicy);
        }
        return allow;
      }
      for (let k = 0; k < m.words; k++) {
        mark(k, next[k] & denyU[k], TIER_CODE.NetworkPolicy);
        next[k] &= ~denyU[k];
      }
    }
    // 3. baseline, then 4. default allow
    const passed = new Uint32Array(m.words);
    firstMatchBits(selecting(ctx.baseline, w, dir), dir, i, next, allow, passed, TIER_CODE.Baseline);
    for (let k = 0; k < m.words; k++) allow[k] |= next[k] | passed[k];
    return allow;
  };
  const inAllowed: Bits[] = [];
  const outAllowed: Bits[] = [];
  const inTier: Uint8Array[] = [];
  const outTier: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    dec = new Uint8Array(n);
    inAllowed.push(side('Ingress', i));
    inTier.push(dec);
    dec = new Uint8Array(n);
    outAllowed.push(side('Egress', i));
    outTier.push(dec);
  }
  return { inAllowed, outAllowed, inTier, outTier };
}

/** Plain-language text of a Cilium-style selector, for messages. */
export function ciliumSelectorText(s: LabelSelector | undefined): string {
  return selectorText(s ? normaliseCiliumSelector(s) : undefined);
}

