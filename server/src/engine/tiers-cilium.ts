// CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy compiled into CPolicy, with the labels Cilium
// sees on a pod (its namespace and the namespace's labels), entities, CIDRs and L7 conditions.

import { matchesSelector } from './selector';
import type { LabelSelector, Labels } from './selector';
import { selectorText } from './policy-match';
import type { CiliumPolicyInfo, CiliumRuleInfo, WorkloadInfo } from './types';
import { namedPort, namespaceLabels } from './reach-base';
import type { ConnPort, Direction, Endpoint, Match, ReachIndex } from './reach-base';
import type { CPolicy, CRule } from './tiers-compiled';
import { YES, compileAddresses } from './tiers-compiled';
import { ciliumFqdnMatches } from './reach-domain';

/** Cilium's labels, derived once per cluster and workload (the namespace's part once per namespace):
 * selectors run against them often. */
const labelMemo = new WeakMap<ReachIndex, { pods: WeakMap<WorkloadInfo, Labels>; ns: Map<string, Labels> }>();

function memoOf(idx: ReachIndex) {
  let m = labelMemo.get(idx);
  if (!m) labelMemo.set(idx, (m = { pods: new WeakMap(), ns: new Map() }));
  return m;
}

/** Cilium's labels of a pod: its labels, its namespace, its namespace's labels, its ServiceAccount
 * (`io.cilium.k8s.policy.serviceaccount`, `default` when the pod spec names none) and its cluster. */
export function ciliumLabels(idx: ReachIndex, w: WorkloadInfo): Labels {
  const m = memoOf(idx);
  let out = m.pods.get(w);
  if (out) return out;
  const ns = w.id.namespace;
  let nsPart = m.ns.get(ns);
  if (!nsPart) {
    nsPart = { [NS_KEY]: ns, 'io.cilium.k8s.policy.cluster': 'default' };
    for (const [k, v] of Object.entries(namespaceLabels(idx, ns))) nsPart[`${NS_LABELS}${k}`] = v;
    m.ns.set(ns, nsPart);
  }
  out = {
    ...w.podLabels,
    'io.cilium.k8s.policy.serviceaccount': w.serviceAccount ?? 'default',
    ...nsPart,
  };
  m.pods.set(w, out);
  return out;
}

/** Cilium writes label sources as prefixes (`k8s:app`, `any:app`); pods carry k8s labels. */
function ciliumKey(k: string): string {
  if (k.startsWith('k8s:')) return k.slice(4);
  if (k.startsWith('any:')) return k.slice(4);
  return k;
}

export function normaliseCiliumSelector(s: LabelSelector): LabelSelector {
  const out: LabelSelector = {};
  if (s.matchLabels)
    out.matchLabels = Object.fromEntries(Object.entries(s.matchLabels).map(([k, v]) => [ciliumKey(k), v]));
  if (s.matchExpressions)
    out.matchExpressions = s.matchExpressions.map((e) => ({ ...e, key: ciliumKey(e.key) }));
  return out;
}

const NS_KEY = 'io.kubernetes.pod.namespace';
const NS_LABELS = 'io.cilium.k8s.namespace.labels.';

function selectorKeys(s: LabelSelector): string[] {
  return [...Object.keys(s.matchLabels ?? {}), ...(s.matchExpressions ?? []).map((e) => e.key)].map(
    ciliumKey,
  );
}

/** Does an endpoint selector of a namespaced policy keep to the policy's namespace? Cilium adds the
 * policy's namespace unless the selector names a namespace (io.kubernetes.pod.namespace) or a
 * namespace's label (io.cilium.k8s.namespace.labels.*): pkg/k8s/apis/cilium.io/utils,
 * getEndpointSelector. */
export function ciliumKeepsToNamespace(s: LabelSelector): boolean {
  return !selectorKeys(s).some((k) => k === NS_KEY || k.startsWith(NS_LABELS));
}

/** An endpoint selector as Cilium matches it: label sources stripped, and in a namespaced policy the
 * policy's namespace added where Cilium adds it. */
export function ciliumEndpointSelector(s: LabelSelector, policyNamespace: string | undefined): LabelSelector {
  const n = normaliseCiliumSelector(s);
  if (policyNamespace === undefined || !ciliumKeepsToNamespace(s)) return n;
  return { ...n, matchLabels: { ...(n.matchLabels ?? {}), [NS_KEY]: policyNamespace } };
}

const POD_ENTITIES = new Set(['all', 'cluster']);
const KNOWN_ENTITIES = new Set([
  'all',
  'world',
  'world-ipv4',
  'world-ipv6',
  'cluster',
  'host',
  'remote-node',
  'kube-apiserver',
  'init',
  'health',
  'unmanaged',
  'ingress',
]);

function ciliumPeerMatch(
  idx: ReachIndex,
  pol: CiliumPolicyInfo,
  r: CiliumRuleInfo,
  remote: Endpoint,
  selectors: LabelSelector[],
  cidrs: ((e: Endpoint) => Match)[],
): Match {
  const notes: string[] = [];
  let undecided = false;
  if (remote.kind === 'workload') {
    const labels = ciliumLabels(idx, remote.workload);
    for (let i = 0; i < selectors.length; i++) if (matchesSelector(selectors[i], labels)) return YES;
    for (const e of r.entities ?? [])
      if (POD_ENTITIES.has(e)) return { matched: true, note: `entity ${e} holds every pod` };
    if (r.cidrs?.length)
      notes.push(`CIDR rules select addresses outside the cluster, not pods like ${remote.name}`);
  } else {
    for (const e of r.entities ?? []) {
      if (e === 'all' || e === 'world') return { matched: true, note: `entity ${e} holds ${remote.name}` };
      if (e === 'world-ipv4' || e === 'world-ipv6') {
        if (remote.domain !== undefined) {
          undecided = true;
          notes.push(
            `entity ${e} holds ${remote.name} only if DNS returns ${e === 'world-ipv4' ? 'IPv4' : 'IPv6'} addresses for it`,
          );
          continue;
        }
        if ((e === 'world-ipv4') === (remote.range.addr.kind() === 'ipv4'))
          return { matched: true, note: `entity ${e} holds ${remote.name}` };
        continue;
      }
      if (!KNOWN_ENTITIES.has(e)) continue;
      if (e !== 'init' && e !== 'health' && e !== 'unmanaged' && e !== 'ingress') {
        undecided = true;
        notes.push(`whether ${remote.name} belongs to entity ${e} cannot be decided from manifests`);
      }
    }
    for (let i = 0; i < cidrs.length; i++) {
      const c = r.cidrs![i];
      const m = cidrs[i](remote);
      if (m.undecided) {
        undecided = true;
        if (m.note) notes.push(m.note);
      }
      if (m.matched)
        return {
          matched: true,
          note: `CIDR ${c.cidr}${c.except.length ? ` except ${c.except.join(', ')}` : ''} holds ${remote.name}`,
        };
    }
    if (r.nodes?.length && remote.domain === undefined) {
      undecided = true;
      notes.push(`whether ${remote.name} is a node's address cannot be decided from manifests`);
    }
    if (r.fqdns?.length && remote.domain !== undefined) {
      const hit = r.fqdns.find((f) => ciliumFqdnMatches(f, remote.domain!));
      if (hit)
        return {
          matched: true,
          note: `toFQDNs ${hit} matches ${remote.name} (Cilium allows the addresses its DNS proxy sees returned for it)`,
        };
    } else if (r.fqdns?.length) {
      undecided = true;
      notes.push(
        `allowed only if ${remote.name} is an address of ${r.fqdns.join(', ')} (toFQDNs, decided by DNS at run time)`,
      );
    }
  }
  if (r.other?.length) {
    undecided = true;
    notes.push(`${r.other.join(', ')} cannot be decided from manifests`);
  }
  void pol;
  return { matched: false, undecided, note: notes.join('; ') || undefined };
}

function ciliumPortMatches(
  p: { port?: number | string; endPort?: number; protocol: string },
  conn: ConnPort,
  dest: Endpoint,
): boolean {
  if (p.protocol !== 'ANY' && p.protocol !== conn.protocol) return false;
  if (p.port === undefined || p.port === 0) return true;
  if (conn.number === undefined) return false;
  if (typeof p.port === 'string')
    return dest.kind === 'workload' && namedPort(dest.workload, p.port, conn.protocol) === conn.number;
  if (p.endPort !== undefined && p.endPort >= p.port)
    return conn.number >= p.port && conn.number <= p.endPort;
  return conn.number === p.port;
}

const EMPTY_RULE: Match = Object.freeze({
  matched: false,
  note: 'an empty rule matches nothing (it only puts the pod in default deny)',
});

function compileCiliumRule(
  idx: ReachIndex,
  pol: CiliumPolicyInfo,
  r: CiliumRuleInfo,
  label: string,
  deny: boolean,
): CRule {
  const selectors = (r.endpoints ?? []).map((s) => ciliumEndpointSelector(s, pol.namespace));
  const hasL3 = !!(
    r.endpoints?.length ||
    r.entities?.length ||
    r.cidrs?.length ||
    r.nodes?.length ||
    r.fqdns?.length ||
    r.other?.length
  );
  const portEntries = r.toPorts;
  const cidrs = (r.cidrs ?? []).map((c) => compileAddresses(idx, [c.cidr], c.except, c.cidr));
  return {
    label,
    action: deny ? 'deny' : 'allow',
    actionText: deny ? 'Deny' : 'Allow',
    peer(remote) {
      // No L3 peer: with toPorts the rule holds for every peer; an empty rule ({}) matches nothing.
      if (!hasL3) return r.toPorts?.length ? YES : EMPTY_RULE;
      return ciliumPeerMatch(idx, pol, r, remote, selectors, cidrs);
    },
    port(conn, dest) {
      if (r.icmpOnly) return false;
      if (!portEntries?.length) return true;
      return portEntries.some(
        (tp) => !tp.ports.length || tp.ports.some((p) => ciliumPortMatches(p, conn, dest)),
      );
    },
    conditions(conn, dest) {
      const out: string[] = [];
      for (const tp of portEntries ?? [])
        if (tp.l7.length && (!tp.ports.length || tp.ports.some((p) => ciliumPortMatches(p, conn, dest))))
          out.push(...tp.l7);
      return out;
    },
    source: r.source,
  };
}

export function compileCilium(idx: ReachIndex, p: CiliumPolicyInfo): CPolicy {
  const prefix = p.specIndex !== undefined ? `specs[${p.specIndex}].` : '';
  const name =
    (p.namespace !== undefined ? `${p.namespace}/${p.name}` : p.name) +
    (p.specIndex !== undefined ? `#${p.specIndex}` : '');
  const list = (rules: CiliumRuleInfo[] | undefined, key: string, deny: boolean) =>
    (rules ?? []).map((r, i) => compileCiliumRule(idx, p, r, `${prefix}${key}[${i}]`, deny));
  const sel = p.endpointSelector ? normaliseCiliumSelector(p.endpointSelector) : undefined;
  const hasDir = (dir: Direction) =>
    dir === 'Ingress'
      ? !!(p.ingress?.length || p.ingressDeny?.length)
      : !!(p.egress?.length || p.egressDeny?.length);
  return {
    family: 'Cilium',
    kind: p.kind,
    name,
    tier: 'NetworkPolicy',
    ingress: [...list(p.ingressDeny, 'ingressDeny', true), ...list(p.ingress, 'ingress', false)],
    egress: [...list(p.egressDeny, 'egressDeny', true), ...list(p.egress, 'egress', false)],
    selects(w, dir) {
      if (!sel || (!hasDir(dir) && p.enableDefaultDeny?.[dir === 'Ingress' ? 'ingress' : 'egress'] !== true))
        return false;
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

/** Plain-language text of a Cilium-style selector, for messages. */
export function ciliumSelectorText(s: LabelSelector | undefined): string {
  return selectorText(s ? normaliseCiliumSelector(s) : undefined);
}
