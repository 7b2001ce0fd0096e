// Reachability building blocks shared by the NetworkPolicy evaluation (reach.ts), the tiers
// (tiers.ts) and the matrix (reach-matrix.ts): addresses, per-cluster lookups, endpoints, ports, and
// the Match answer of a peer (the NetworkPolicy peers themselves are in reach-peers.ts).

import ipaddr from 'ipaddr.js';
import type { Labels } from './selector';
import type { Cluster, PolicyPortInfo, Protocol, SourceRef, WorkloadInfo } from './types';
import { idText } from './types';
import { clusterMemo } from './cluster-index';
import { editDistance } from './edit-distance';
import { isDomainName } from './reach-domain';

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
  | {
      kind: 'workload';
      name: string;
      workload: WorkloadInfo;
      /** The Pod IP it was named by. */ viaIP?: string;
    }
  | {
      kind: 'external';
      name: string;
      /** The addresses; for a domain name, every address (which one DNS returns is not known). */
      range: IpRange;
      /** A domain name (`reach --to api.example.com`): its addresses come from DNS at run time. */
      domain?: string;
    };

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

export type ReasonKind =
  | 'outside-cluster'
  | 'not-isolated'
  | 'allowed-by-rule'
  | 'no-rule-allows'
  | 'self'
  /** A rule with action Deny (admin tiers, Cilium ingressDeny/egressDeny, Calico). */
  | 'denied-by-rule'
  /** No policy of an enforcing kind decides, after admin Pass or none: the default allows. */
  | 'default-allow';

/** The tier that decided a side: the admin tier, the NetworkPolicy tier (NetworkPolicy and the plugin
 * dialects; Calico tiers are named `calico:<tier>`), the baseline tier, or the default. */
export type TierName = 'Admin' | 'NetworkPolicy' | 'Baseline' | 'Default' | string;

/** One policy consulted on the way to a side's verdict, in evaluation order. */
export interface ChainStep {
  tier: TierName;
  /** `ns/name` for namespaced kinds, `name` for cluster-scoped ones. */
  policy: string;
  kind: string;
  /** pass, allow, deny: a rule of it decided or passed; no-match: none of its rules matched;
   * isolates: it selects the pod (a union tier); inert: the network plugin does not enforce its kind;
   * exempt: the tier does not apply to this connection (service hairpin under most plugins). */
  outcome: 'allow' | 'deny' | 'pass' | 'no-match' | 'isolates' | 'inert' | 'log' | 'exempt';
  rule?: string;
  source?: SourceRef;
}

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
  /** The tier of the deciding policy (absent for sides no policy decides). */
  tier?: TierName;
  /** The kind of the deciding policy when it is not a NetworkPolicy. */
  policyKind?: string;
  /** The rule's action as written (Accept, Allow, Deny, Pass). */
  action?: string;
  /** What the connection must also meet (L7 rules, ...): shown, never assumed. */
  conditions?: string[];
  /** Some peer of the deciding step could not be decided from the manifests. */
  undecided?: boolean;
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
  /** The tier that decided (Admin, NetworkPolicy, calico:<tier>, Baseline, Default). */
  tier?: TierName;
  /** The policies consulted in order, when policies beyond NetworkPolicy are present. */
  chain?: ChainStep[];
  /** Policies that select the pod but that the network plugin does not enforce. */
  inert?: PolicyRef[];
  /** Policies the plugin enforces that the engine does not evaluate (Antrea's own kinds in the pod's
   * namespace or cluster-wide): the verdict holds only if none of them decides first. */
  unevaluated?: PolicyRef[];
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
  /** The network plugin the verdict assumes (absent: plain NetworkPolicy semantics, no other kinds). */
  cni?: string;
  /** Conditions the connection must also meet (Cilium L7 rules, Calico http matches). */
  conditions?: string[];
  /** The pod reaches itself through a Service (service hairpin). */
  hairpin?: boolean;
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
  const addr = ipaddr.IPv4.isValidFourPartDecimal(head)
    ? ipaddr.IPv4.parse(head)
    : ipaddr.IPv6.isValid(head)
      ? ipaddr.IPv6.parse(head)
      : undefined;
  if (!addr || !/^\d{1,3}$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  if (bits > (addr.kind() === 'ipv4' ? 32 : 128)) return undefined;
  return { addr, bits, text };
}

/** Every address of `inner` lies in `outer`. */
export function contains(outer: IpRange, inner: IpRange): boolean {
  return (
    outer.addr.kind() === inner.addr.kind() &&
    inner.bits >= outer.bits &&
    inner.addr.match(outer.addr, outer.bits)
  );
}

/** CIDR blocks are nested or disjoint. */
export function overlaps(a: IpRange, b: IpRange): boolean {
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
  workloads.sort(
    (a, b) => cmp(a.id.namespace, b.id.namespace) || cmp(a.id.name, b.id.name) || cmp(a.id.kind, b.id.kind),
  );
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

export function rangeOf(idx: ReachIndex, text: string): IpRange | undefined {
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

/** A domain name endpoint: outside the cluster, its addresses unknown until DNS answers. */
export function domainEndpoint(name: string): Endpoint {
  const n = name.toLowerCase().replace(/\.$/, '');
  return { kind: 'external', name: n, range: parseIpRange('0.0.0.0/0')!, domain: n };
}

/** Resolve `ns/name` (a Pod first, then a workload of any kind), `Kind/ns/name`, a bare name that is
 * unique across namespaces, or an IP address / CIDR (a Pod's IP from status.podIPs resolves to it). */
export function resolveEndpoint(cluster: Cluster, text: string): Endpoint {
  const idx = reachIndex(cluster);
  const t = text.trim();
  if (!t) throw new EndpointError('an empty name is neither a workload nor an IP address');
  if (/^dns:/i.test(t)) {
    const name = t.slice(4);
    if (!isDomainName(name)) throw new EndpointError(`"${name}" is not a domain name (like api.example.com)`);
    return domainEndpoint(name);
  }
  if (!t.includes('/') && isDomainName(t)) {
    // a dotted name: a workload of that name if the manifests define one, else a domain name
    const named = [...idx.byKey.keys()].some((k) => k.slice(k.indexOf('/') + 1) === t);
    if (!named) return domainEndpoint(t);
  }
  if (IP_LIKE.test(t)) {
    const range = parseIpRange(t);
    if (!range) throw new EndpointError(`"${t}" is not a valid IP address or CIDR`);
    if (range.bits === (range.addr.kind() === 'ipv4' ? 32 : 128)) {
      const owners = idx.workloads.filter((w) =>
        w.podIPs.some((ip) => {
          const r = rangeOf(idx, ip);
          return !!r && contains(r, range) && contains(range, r);
        }),
      );
      if (owners.length === 1)
        return { kind: 'workload', name: idx.labelOf.get(owners[0])!, workload: owners[0], viaIP: t };
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
    const w = (idx.byKey.get(`${ns}/${name}`) ?? []).find(
      (x) => x.id.kind.toLowerCase() === kind.toLowerCase(),
    );
    if (w) return { kind: 'workload', name: idx.labelOf.get(w)!, workload: w };
    throw unknown(idx, t, `${ns}/${name}`);
  }
  if (parts.length === 2) return byKey(idx, t, t);
  if (parts.length === 1) {
    const keys = [...idx.byKey.keys()].filter((k) => k.slice(k.indexOf('/') + 1) === t);
    if (keys.length === 1) return byKey(idx, keys[0], t);
    if (keys.length > 1)
      throw new EndpointError(
        `"${t}" names workloads in several namespaces; say which with ns/name: ${keys.join(', ')}`,
        keys,
      );
    const sets = [
      ...new Set(idx.workloads.filter((w) => w.id.kind === 'StatefulSet').map((w) => w.id.namespace)),
    ].filter((ns) => statefulSetPod(idx, `${ns}/${t}`));
    if (sets.length === 1) return byKey(idx, `${sets[0]}/${t}`, t);
    throw unknown(idx, t, t);
  }
  throw new EndpointError(`"${t}" is neither ns/name, Kind/ns/name nor an IP address`);
}

/** `ns/name-N`: pod N of a StatefulSet `ns/name` with more than N replicas (StatefulSet pods are named so). */
function statefulSetPod(idx: ReachIndex, key: string): WorkloadInfo | undefined {
  const m = /^(.*)-(\d+)$/.exec(key);
  if (!m) return undefined;
  const set = (idx.byKey.get(m[1]) ?? []).find((w) => w.id.kind === 'StatefulSet');
  return set && Number(m[2]) < (set.replicas ?? 1) ? set : undefined;
}

function byKey(idx: ReachIndex, key: string, asked: string): Endpoint {
  const list = idx.byKey.get(key);
  if (!list) {
    const set = statefulSetPod(idx, key);
    if (set) return { kind: 'workload', name: idx.labelOf.get(set)!, workload: set };
    throw unknown(idx, asked, key);
  }
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
      return {
        l,
        d: sameName ? 0 : Math.min(editDistance(key, k), editDistance(name, k.slice(k.indexOf('/') + 1))),
      };
    })
    .filter((x) => x.d <= Math.max(2, Math.floor(name.length / 3)))
    .sort((a, b) => a.d - b.d || cmp(a.l, b.l))
    .slice(0, 3)
    .map((x) => x.l);
  const hint = scored.length
    ? `; did you mean ${scored.join(', ')}?`
    : labels.length
      ? ''
      : ' (the manifests define no Pods or workloads)';
  return new EndpointError(`no Pod or workload "${asked}" in the manifests${hint}`, scored);
}

// ---------------------------------------------------------------------------------------------------
// Ports

/** The connection's port as seen on its destination. */
export interface ConnPort {
  protocol: Protocol;
  /** undefined: a port name the destination does not declare. */
  number?: number;
  name?: string;
  /** `ns/name` of the Service whose cluster IP the connection is addressed to (the proxy then picks the
   * destination pod); undefined: addressed to the pod itself. */
  service?: string;
}

export function namedPort(w: WorkloadInfo, name: string, protocol: Protocol): number | undefined {
  for (const c of w.containers)
    for (const p of c.ports) if (p.name === name && p.protocol === protocol) return p.containerPort;
  return undefined;
}

/** The number a port name stands for on a Pod or workload (its containers' ports of that protocol). */
export function resolvePortName(
  w: WorkloadInfo,
  name: string,
  protocol: Protocol = 'TCP',
): number | undefined {
  return namedPort(w, name, protocol);
}

export function connPort(port: number | string, protocol: Protocol, dest: Endpoint): ConnPort {
  if (typeof port === 'number') return { protocol, number: port };
  return {
    protocol,
    name: port,
    number: dest.kind === 'workload' ? namedPort(dest.workload, port, protocol) : undefined,
  };
}

export function portText(c: ConnPort): string {
  if (c.name === undefined) return `${c.number}/${c.protocol}`;
  return c.number === undefined ? `${c.name}/${c.protocol}` : `${c.name} (${c.number})/${c.protocol}`;
}

export function portEntryText(p: PolicyPortInfo): string {
  const note = p.pluginNote ? ` [${p.pluginNote}]` : '';
  if (p.port === undefined) return `all ${p.protocol} ports${note}`;
  if (typeof p.port === 'number' && p.endPort !== undefined)
    return `${p.port}-${p.endPort}/${p.protocol}${note}`;
  return `${p.port}/${p.protocol}${note}`;
}

export function portMatches(p: PolicyPortInfo, conn: ConnPort, dest: Endpoint): boolean {
  if (p.protocol !== conn.protocol || p.inert) return false;
  if (p.port === undefined) return true;
  if (conn.number === undefined) return false;
  if (typeof p.port === 'number') {
    if (p.endPort !== undefined && p.endPort >= p.port)
      return conn.number >= p.port && conn.number <= p.endPort;
    return conn.number === p.port;
  }
  // A named port resolves on the destination pod, for ingress and egress rules alike.
  return dest.kind === 'workload' && namedPort(dest.workload, p.port, p.protocol) === conn.number;
}

// ---------------------------------------------------------------------------------------------------
// Peers

export interface Match {
  matched: boolean;
  note?: string;
  /** The manifests cannot decide it (a pod IP not written, a node, a domain name): read as no match. */
  undecided?: boolean;
}
