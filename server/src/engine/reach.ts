// NetworkPolicy reachability: may A reach B on port P, and which rule says so.
//
// Kubernetes semantics (networking.k8s.io/v1):
// - A pod is isolated for a direction only when some policy in its namespace selects it (podSelector)
//   and lists that direction in its (defaulted) policyTypes. A pod that is not isolated allows it all.
// - An isolated pod allows what at least one rule of at least one of those policies allows (a union).
// - A connection needs the source's egress side and the destination's ingress side; an end outside
//   the cluster (an IP address or CIDR) has no side of its own.
// - A rule with no peers (`from`/`to` omitted or empty) allows every peer, one with no ports every port.
//   A peer's namespaceSelector and podSelector hold together (AND); the peers of a rule are alternatives
//   (OR). A podSelector alone means the policy's own namespace.
// - Named ports resolve on the destination pod's container ports, for ingress and for egress rules.
// - ipBlock matches addresses outside the cluster; for pod-to-pod traffic it matches the peer pod's
//   status.podIPs when the manifests give them (network plugins differ there; the reason says so).
//
// evaluateReach explains one connection by walking the policies directly. reachMatrix answers every
// pair at once from bitsets precomputed per selector, per policy and per rule; the tests check that the
// two always agree.

import ipaddr from 'ipaddr.js';
import { matchesSelector } from './selector';
import { selectorText } from './policy-match';
import type { LabelSelector, Labels } from './selector';
import type { Cluster, PolicyInfo, PolicyPeerInfo, PolicyPortInfo, PolicyRuleInfo, Protocol, SourceRef, WorkloadInfo } from './types';
import { idText } from './types';
import { clusterMemo } from './cluster-index';
import { editDistance } from './edit-distance';

export type Direction = 'Ingress' | 'Egress';

type Addr = ipaddr.IPv4 | ipaddr.IPv6;

/** An address range; a single address is a /32 (IPv4) or /128 (IPv6). */
export interface IpRange {
  addr: Addr;
  bits: number;
  text: string;
}

/** One end of a connection: a Pod or workload of the manifests, or addresses outside the cluster. */
export type Endpoint =
  | { kind: 'workload'; name: string; workload: WorkloadInfo; /** The Pod IP it was named by. */ viaIP?: string }
  | { kind: 'external'; name: string; range: IpRange };

/** An endpoint that cannot be resolved: unknown, ambiguous or malformed. */
export class EndpointError extends Error {
  constructor(
    message: string,
    /** Names that would resolve: suggestions for an unknown name, the choices for an ambiguous one. */
    readonly candidates: string[] = [],
  ) {
    super(message);
  }
}

export type ReasonKind = 'outside-cluster' | 'not-isolated' | 'allowed-by-rule' | 'no-rule-allows' | 'self';

export interface Reason {
  side: 'egress' | 'ingress';
  kind: ReasonKind;
  message: string;
  /** The pod whose side this is (`ns/name`); absent for an end outside the cluster. */
  pod?: string;
  /** The policy (`ns/name`) that allows or isolates. */
  policy?: string;
  /** The rule that allows, e.g. `ingress[1]`. */
  rule?: string;
  ruleIndex?: number;
  /** Index of the matching peer in the rule's from/to; absent when the rule allows every peer. */
  peer?: number;
  /** Index of the matching entry in the rule's ports; absent when the rule allows every port. */
  port?: number;
  /** Extra facts: why each rule of an isolating policy does not match, ipBlock on pod IPs, ... */
  details?: string[];
  /** The rule (allowed-by-rule) or the policy (no-rule-allows) in the manifests. */
  source?: SourceRef;
}

export interface PolicyRef {
  name: string;
  source?: SourceRef;
}

export interface SideVerdict {
  direction: Direction;
  /** The pod whose side this is; absent when that end is outside the cluster. */
  pod?: string;
  allowed: boolean;
  /** Some policy selects the pod for this direction. */
  isolated: boolean;
  /** The policies that select the pod for this direction, sorted by name. */
  policies: PolicyRef[];
  reasons: Reason[];
}

export interface ReachResult {
  allowed: boolean;
  from: string;
  to: string;
  /** As asked: a number or a port name. */
  port: number | string;
  /** The number a port name stands for on the destination pod; absent when it is not declared there. */
  resolvedPort?: number;
  protocol: Protocol;
  /** What decided: when allowed, both sides' reasons; when denied, the reasons of the denying side(s). */
  reasons: Reason[];
  egress: SideVerdict;
  ingress: SideVerdict;
}

// ---------------------------------------------------------------------------------------------------
// Addresses

function parseAddress(text: string): Addr | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (ipaddr.IPv6.isValid(text)) {
    const a = ipaddr.IPv6.parse(text);
    return a.isIPv4MappedAddress() ? a.toIPv4Address() : a;
  }
  return undefined;
}

/** An IP address or CIDR (`10.0.0.0/8`, `2001:db8::/32`); undefined when malformed. */
export function parseIpRange(text: string): IpRange | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) {
    const addr = parseAddress(text);
    return addr && { addr, bits: addr.kind() === 'ipv4' ? 32 : 128, text };
  }
  const head = text.slice(0, slash);
  const bitsText = text.slice(slash + 1);
  const addr = ipaddr.IPv4.isValidFourPartDecimal(head) ? ipaddr.IPv4.parse(head) : ipaddr.IPv6.isValid(head) ? ipaddr.IPv6.parse(head) : undefined;
  if (!addr || !/^\d{1,3}$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  if (bits > (addr.kind() === 'ipv4' ? 32 : 128)) return undefined;
  return { addr, bits, text };
}

/** Every address of `inner` lies in `outer`. */
function contains(outer: IpRange, inner: IpRange): boolean {
  return outer.addr.kind() === inner.addr.kind() && inner.bits >= outer.bits && inner.addr.match(outer.addr, outer.bits);
}

/** CIDR blocks are nested or disjoint. */
function overlaps(a: IpRange, b: IpRange): boolean {
  return contains(a, b) || contains(b, a);
}

// ---------------------------------------------------------------------------------------------------
// Per-cluster lookups (names, namespaces, pod IPs), computed once per Cluster object

export interface ReachIndex {
  cluster: Cluster;
  /** One entry per kind/namespace/name (the first one written wins), sorted by namespace, name, kind. */
  workloads: WorkloadInfo[];
  labelOf: Map<WorkloadInfo, string>;
  /** `ns/name` → workloads with that namespace and name. */
  byKey: Map<string, WorkloadInfo[]>;
  nsLabels: Map<string, Labels>;
  ranges: Map<string, IpRange | null>;
}

/** Lookups over one cluster, computed once per Cluster object (the helpers below are shared with
 * the matrix in reach-matrix.ts). */
export function reachIndex(cluster: Cluster): ReachIndex {
  return clusterMemo(cluster, 'reach-index', () => buildReachIndex(cluster));
}

function buildReachIndex(cluster: Cluster): ReachIndex {
  const seen = new Set<string>();
  const workloads: WorkloadInfo[] = [];
  for (const w of cluster.workloads) {
    const k = `${w.id.kind}/${w.id.namespace}/${w.id.name}`;
    if (seen.has(k)) continue;
    seen.add(k);
    workloads.push(w);
  }
  workloads.sort((a, b) => cmp(a.id.namespace, b.id.namespace) || cmp(a.id.name, b.id.name) || cmp(a.id.kind, b.id.kind));
  const byKey = new Map<string, WorkloadInfo[]>();
  for (const w of workloads) {
    const k = idText(w.id);
    const list = byKey.get(k);
    if (list) list.push(w);
    else byKey.set(k, [w]);
  }
  // The shortest name that resolves back to the workload: `ns/name`, or `Kind/ns/name` when another
  // workload shares its namespace and name (a Pod keeps `ns/name`: Pods are looked up first).
  const labelOf = new Map<WorkloadInfo, string>();
  for (const [k, list] of byKey) {
    for (const w of list) labelOf.set(w, list.length === 1 || w.id.kind === 'Pod' ? k : `${w.id.kind}/${k}`);
  }
  const nsLabels = new Map<string, Labels>();
  for (const ns of cluster.namespaces) if (!nsLabels.has(ns.name)) nsLabels.set(ns.name, ns.labels);
  return { cluster, workloads, labelOf, byKey, nsLabels, ranges: new Map() };
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function namespaceLabels(idx: ReachIndex, ns: string): Labels {
  return idx.nsLabels.get(ns) ?? { 'kubernetes.io/metadata.name': ns };
}

function rangeOf(idx: ReachIndex, text: string): IpRange | undefined {
  let r = idx.ranges.get(text);
  if (r === undefined) {
    r = parseIpRange(text) ?? null;
    idx.ranges.set(text, r);
  }
  return r ?? undefined;
}

/** The name reachMatrix and evaluateReach use for a workload: `ns/name`, or `Kind/ns/name` when needed. */
export function workloadName(cluster: Cluster, w: WorkloadInfo): string {
  return reachIndex(cluster).labelOf.get(w) ?? idText(w.id);
}

// ---------------------------------------------------------------------------------------------------
// Endpoints

const IP_LIKE = /^[0-9.]+(\/\d*)?$|:/;

/** Resolve `ns/name` (a Pod first, then a workload of any kind), `Kind/ns/name`, a bare name that is
 * unique across namespaces, or an IP address / CIDR (a Pod's IP from status.podIPs resolves to it). */
export function resolveEndpoint(cluster: Cluster, text: string): Endpoint {
  const idx = reachIndex(cluster);
  const t = text.trim();
  if (!t) throw new EndpointError('an empty name is neither a workload nor an IP address');
  if (IP_LIKE.test(t)) {
    const range = parseIpRange(t);
    if (!range) throw new EndpointError(`"${t}" is not a valid IP address or CIDR`);
    if (range.bits === (range.addr.kind() === 'ipv4' ? 32 : 128)) {
      const owners = idx.workloads.filter((w) => w.podIPs.some((ip) => {
        const r = rangeOf(idx, ip);
        return !!r && contains(r, range) && contains(range, r);
      }));
      if (owners.length === 1) return { kind: 'workload', name: idx.labelOf.get(owners[0])!, workload: owners[0], viaIP: t };
      if (owners.length > 1) {
        const names = owners.map((w) => idx.labelOf.get(w)!);
        throw new EndpointError(`${t} is the IP of several Pods: ${names.join(', ')}`, names);
      }
    }
    return { kind: 'external', name: t, range };
  }
  const parts = t.split('/');
  if (parts.length === 3) {
    const [kind, ns, name] = parts;
    const w = (idx.byKey.get(`${ns}/${name}`) ?? []).find((x) => x.id.kind.toLowerCase() === kind.toLowerCase());
    if (w) return { kind: 'workload', name: idx.labelOf.get(w)!, workload: w };
    throw unknown(idx, t, `${ns}/${name}`);
  }
  if (parts.length === 2) return byKey(idx, t, t);
  if (parts.length === 1) {
    const keys = [...idx.byKey.keys()].filter((k) => k.slice(k.indexOf('/') + 1) === t);
    if (keys.length === 1) return byKey(idx, keys[0], t);
    if (keys.length > 1) throw new EndpointError(`"${t}" names workloads in several namespaces; say which with ns/name: ${keys.join(', ')}`, keys);
    throw unknown(idx, t, t);
  }
  throw new EndpointError(`"${t}" is neither ns/name, Kind/ns/name nor an IP address`);
}

function byKey(idx: ReachIndex, key: string, asked: string): Endpoint {
  const list = idx.byKey.get(key);
  if (!list) throw unknown(idx, asked, key);
  const pods = list.filter((w) => w.id.kind === 'Pod');
  const w = pods.length === 1 ? pods[0] : list.length === 1 ? list[0] : undefined;
  if (w) return { kind: 'workload', name: idx.labelOf.get(w)!, workload: w };
  const names = list.map((x) => idx.labelOf.get(x)!);
  throw new EndpointError(`"${asked}" is ambiguous: ${names.join(', ')}; name one as Kind/ns/name`, names);
}

function unknown(idx: ReachIndex, asked: string, key: string): EndpointError {
  const labels = idx.workloads.map((w) => idx.labelOf.get(w)!);
  const name = key.slice(key.indexOf('/') + 1);
  const scored = labels
    .map((l) => {
      const k = l.split('/').slice(-2).join('/');
      const sameName = k.slice(k.indexOf('/') + 1) === name;
      return { l, d: sameName ? 0 : Math.min(editDistance(key, k), editDistance(name, k.slice(k.indexOf('/') + 1))) };
    })
    .filter((x) => x.d <= Math.max(2, Math.floor(name.length / 3)))
    .sort((a, b) => a.d - b.d || cmp(a.l, b.l))
    .slice(0, 3)
    .map((x) => x.l);
  const hint = scored.length ? `; did you mean ${scored.join(', ')}?` : labels.length ? '' : ' (the manifests define no Pods or workloads)';
  return new EndpointError(`no Pod or workload "${asked}" in the manifests${hint}`, scored);
}

// ---------------------------------------------------------------------------------------------------
// Ports

/** The connection's port as seen on its destination. */
interface ConnPort {
  protocol: Protocol;
  /** undefined: a port name the destination does not declare. */
  number?: number;
  name?: string;
}

function namedPort(w: WorkloadInfo, name: string, protocol: Protocol): number | undefined {
  for (const c of w.containers) for (const p of c.ports) if (p.name === name && p.protocol === protocol) return p.containerPort;
  return undefined;
}

/** The number a port name stands for on a Pod or workload (its containers' ports of that protocol). */
export function resolvePortName(w: WorkloadInfo, name: string, protocol: Protocol = 'TCP'): number | undefined {
  return namedPort(w, name, protocol);
}

export function connPort(port: number | string, protocol: Protocol, dest: Endpoint): ConnPort {
  if (typeof port === 'number') return { protocol, number: port };
  return { protocol, name: port, number: dest.kind === 'workload' ? namedPort(dest.workload, port, protocol) : undefined };
}

function portText(c: ConnPort): string {
  if (c.name === undefined) return `${c.number}/${c.protocol}`;
  return c.number === undefined ? `${c.name}/${c.protocol}` : `${c.name} (${c.number})/${c.protocol}`;
}

function portEntryText(p: PolicyPortInfo): string {
  if (p.port === undefined) return `all ${p.protocol} ports`;
  if (typeof p.port === 'number' && p.endPort !== undefined) return `${p.port}-${p.endPort}/${p.protocol}`;
  return `${p.port}/${p.protocol}`;
}

export function portMatches(p: PolicyPortInfo, conn: ConnPort, dest: Endpoint): boolean {
  if (p.protocol !== conn.protocol) return false;
  if (p.port === undefined) return true;
  if (conn.number === undefined) return false;
  if (typeof p.port === 'number') {
    if (p.endPort !== undefined && p.endPort >= p.port) return conn.number >= p.port && conn.number <= p.endPort;
    return conn.number === p.port;
  }
  // A named port resolves on the destination pod, for ingress and egress rules alike.
  return dest.kind === 'workload' && namedPort(dest.workload, p.port, p.protocol) === conn.number;
}

// ---------------------------------------------------------------------------------------------------
// Peers

interface Match {
  matched: boolean;
  note?: string;
}

export function ipBlockMatches(idx: ReachIndex, block: { cidr: string; except: string[] }, remote: Endpoint): Match {
  const cidr = rangeOf(idx, block.cidr);
  if (!cidr) return { matched: false, note: `ipBlock cidr "${block.cidr}" is not a valid CIDR` };
  const excepts = block.except.map((e) => rangeOf(idx, e)).filter((e): e is IpRange => !!e);
  const inBlock = (r: IpRange) => contains(cidr, r) && !excepts.some((e) => overlaps(e, r));
  if (remote.kind === 'external') return { matched: inBlock(remote.range) };
  for (const ip of remote.workload.podIPs) {
    const r = rangeOf(idx, ip);
    if (r && inBlock(r)) {
      return { matched: true, note: `ipBlock ${block.cidr} matched pod IP ${ip} of ${remote.name} (from status.podIPs; whether ipBlock applies to pod IPs depends on the network plugin)` };
    }
  }
  return { matched: false };
}

function peerMatches(idx: ReachIndex, policy: PolicyInfo, peer: PolicyPeerInfo, remote: Endpoint): Match {
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
    if (!matchesSelector(peer.namespaceSelector, namespaceLabels(idx, w.id.namespace))) return { matched: false };
  } else if (w.id.namespace !== policy.id.namespace) {
    return { matched: false };
  }
  if (peer.podSelector && !matchesSelector(peer.podSelector, w.podLabels)) return { matched: false };
  return { matched: true, note };
}

/** Why a peer does not select the remote end, in plain words. */
function peerMiss(idx: ReachIndex, policy: PolicyInfo, peer: PolicyPeerInfo, remote: Endpoint): string {
  const hasSelector = !!peer.podSelector || !!peer.namespaceSelector;
  if (peer.ipBlock) {
    const block = `ipBlock ${peer.ipBlock.cidr}${peer.ipBlock.except.length ? ` except ${peer.ipBlock.except.join(', ')}` : ''}`;
    if (!ipBlockMatches(idx, peer.ipBlock, remote).matched) {
      if (remote.kind === 'external') return `${block} does not hold ${remote.name}`;
      if (!remote.workload.podIPs.length) return `${block} matches addresses, and the manifests give no status.podIPs for ${remote.name}`;
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
    const labels = Object.entries(w.podLabels).map(([k, v]) => `${k}=${v}`).join(', ');
    return `podSelector {${selectorText(peer.podSelector)}} does not match the labels of ${remote.name} (${labels || 'none'})`;
  }
  return 'matches';
}

// ---------------------------------------------------------------------------------------------------
// One connection

function selects(policy: PolicyInfo, w: WorkloadInfo): boolean {
  return policy.id.namespace === w.id.namespace && matchesSelector(policy.podSelector, w.podLabels);
}

function policyOrder(a: PolicyInfo, b: PolicyInfo): number {
  return cmp(a.id.namespace, b.id.namespace) || cmp(a.id.name, b.id.name) || cmp(a.source?.uri ?? '', b.source?.uri ?? '') || (a.source?.start ?? 0) - (b.source?.start ?? 0);
}

function rulesOf(policy: PolicyInfo, dir: Direction): PolicyRuleInfo[] {
  return dir === 'Ingress' ? policy.ingress : policy.egress;
}

function evaluateSide(idx: ReachIndex, dir: Direction, subject: Endpoint, remote: Endpoint, conn: ConnPort, dest: Endpoint): SideVerdict {
  const side = dir === 'Ingress' ? 'ingress' : 'egress';
  const key = side; // ingress[i] / egress[i]
  const peersKey = dir === 'Ingress' ? 'from' : 'to';
  if (subject.kind !== 'workload') {
    return {
      direction: dir,
      allowed: true,
      isolated: false,
      policies: [],
      reasons: [{ side, kind: 'outside-cluster', message: `${subject.name} is outside the cluster: no NetworkPolicy applies to its ${side}` }],
    };
  }
  const pod = subject.name;
  const policies = idx.cluster.policies.filter((p) => p.policyTypes.includes(dir) && selects(p, subject.workload)).sort(policyOrder);
  const refs = policies.map((p) => ({ name: idText(p.id), source: p.source }));
  if (policies.length === 0) {
    return { direction: dir, pod, allowed: true, isolated: false, policies: [], reasons: [{ side, kind: 'not-isolated', pod, message: `no policy selects ${pod} for ${dir} (not isolated)` }] };
  }
  const allows: Reason[] = [];
  const denies: Reason[] = [];
  for (const p of policies) {
    const name = idText(p.id);
    const rules = rulesOf(p, dir);
    const misses: string[] = [];
    rules.forEach((rule, i) => {
      const notes: string[] = [];
      let peer: number | undefined;
      let peerOk = true;
      if (rule.peers && rule.peers.length > 0) {
        peerOk = false;
        for (let j = 0; j < rule.peers.length; j++) {
          const m = peerMatches(idx, p, rule.peers[j], remote);
          if (m.matched) {
            peer = j;
            peerOk = true;
            if (m.note) notes.push(m.note);
            break;
          }
        }
      }
      let port: number | undefined;
      let portOk = true;
      if (rule.ports && rule.ports.length > 0) {
        portOk = false;
        for (let j = 0; j < rule.ports.length; j++) {
          if (portMatches(rule.ports[j], conn, dest)) {
            port = j;
            portOk = true;
            break;
          }
        }
      }
      const ruleName = `${key}[${i}]`;
      if (peerOk && portOk) {
        const peerText = peer === undefined ? `any peer` : `${peersKey}[${peer}] matches ${remote.name}`;
        const portPart = port === undefined ? 'any port' : `ports[${port}] allows ${portText(conn)}`;
        allows.push({
          side,
          kind: 'allowed-by-rule',
          pod,
          message: `allowed by ${name} ${ruleName} (${peerText}; ${portPart})`,
          policy: name,
          rule: ruleName,
          ruleIndex: i,
          ...(peer !== undefined ? { peer } : {}),
          ...(port !== undefined ? { port } : {}),
          ...(notes.length ? { details: notes } : {}),
          source: rule.source ?? p.source,
        });
      } else {
        const why: string[] = [];
        if (!peerOk) {
          const each = rule.peers!.map((x, j) => `${peersKey}[${j}] ${peerMiss(idx, p, x, remote)}`);
          why.push(`no ${peersKey} peer matches ${remote.name} (${each.join('; ')})`);
        }
        if (!portOk) why.push(`${portText(conn)} is not among its ports (${rule.ports!.map(portEntryText).join(', ')})`);
        misses.push(`${ruleName}: ${why.join('; ')}`);
      }
    });
    if (rules.length === 0) {
      denies.push({ side, kind: 'no-rule-allows', pod, policy: name, message: `${name} isolates ${pod} for ${dir} and has no ${side} rules (denies all ${side})`, source: p.source });
    } else if (misses.length === rules.length) {
      denies.push({ side, kind: 'no-rule-allows', pod, policy: name, message: `${name} isolates ${pod} for ${dir}; none of its ${side} rules allows ${remote.name} on ${portText(conn)}`, details: misses, source: p.source });
    }
  }
  if (allows.length) return { direction: dir, pod, allowed: true, isolated: true, policies: refs, reasons: allows };
  return { direction: dir, pod, allowed: false, isolated: true, policies: refs, reasons: denies };
}

/** May `from` open a connection to `to` on `port` (a number, or a name resolved on the destination)?
 * Strings are resolved with resolveEndpoint (which throws EndpointError). */
export function evaluateReach(cluster: Cluster, from: Endpoint | string, to: Endpoint | string, port: number | string, protocol: Protocol = 'TCP'): ReachResult {
  const idx = reachIndex(cluster);
  const src = typeof from === 'string' ? resolveEndpoint(cluster, from) : from;
  const dst = typeof to === 'string' ? resolveEndpoint(cluster, to) : to;
  if (src.kind === 'external' && dst.kind === 'external') {
    throw new EndpointError(`neither ${src.name} nor ${dst.name} is a Pod or workload: NetworkPolicies only decide traffic to or from pods`);
  }
  const conn = connPort(port, protocol, dst);
  const base = { from: src.name, to: dst.name, port, ...(typeof port === 'string' && conn.number !== undefined ? { resolvedPort: conn.number } : {}), protocol };
  if (src.kind === 'workload' && dst.kind === 'workload' && src.workload === dst.workload && src.workload.id.kind === 'Pod') {
    const self = (side: 'egress' | 'ingress', direction: Direction): SideVerdict => ({
      direction,
      pod: src.name,
      allowed: true,
      isolated: false,
      policies: [],
      reasons: [{ side, kind: 'self', pod: src.name, message: `a pod cannot block traffic to itself (${src.name})` }],
    });
    const egress = self('egress', 'Egress');
    return { allowed: true, ...base, reasons: egress.reasons, egress, ingress: self('ingress', 'Ingress') };
  }
  const egress = evaluateSide(idx, 'Egress', src, dst, conn, dst);
  const ingress = evaluateSide(idx, 'Ingress', dst, src, conn, dst);
  const allowed = egress.allowed && ingress.allowed;
  const reasons = allowed ? [...egress.reasons, ...ingress.reasons] : [...(egress.allowed ? [] : egress.reasons), ...(ingress.allowed ? [] : ingress.reasons)];
  return { allowed, ...base, reasons, egress, ingress };
}
