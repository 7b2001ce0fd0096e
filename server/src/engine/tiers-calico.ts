// projectcalico.org/v3 NetworkPolicy and GlobalNetworkPolicy compiled into CPolicy, with the labels
// Calico adds to pods and namespaces; and a Kubernetes NetworkPolicy as Calico's default tier sees it.

import { matchesSelector } from './selector';
import type { Labels } from './selector';
import { matchesCalico, parseCalicoSelector } from './calico-selector';
import type { CalicoSelector } from './calico-selector';
import type {
  CalicoEntityInfo,
  CalicoNetworkSetInfo,
  CalicoPolicyInfo,
  CalicoPortInfo,
  CalicoRuleInfo,
  PolicyInfo,
  PolicyRuleInfo,
  WorkloadInfo,
} from './types';
import { idText } from './types';
import { namedPort, namespaceLabels, portMatches } from './reach-base';
import { peerMatches } from './reach-peers';
import type { ConnPort, Direction, Endpoint, Match, ReachIndex } from './reach-base';
import type { Action, CPolicy, CRule } from './tiers-compiled';
import { NO, YES, compileAddresses } from './tiers-compiled';
import { calicoDomainMatches } from './reach-domain';

/** Calico's labels, derived once per cluster and workload (or namespace): selectors run against them often. */
const labelMemo = new WeakMap<
  ReachIndex,
  {
    calico: WeakMap<WorkloadInfo, Labels>;
    calicoNs: Map<string, Labels>;
    calicoSa: WeakMap<WorkloadInfo, Labels>;
    accounts?: Map<string, Labels>;
  }
>();

function memoOf(idx: ReachIndex) {
  let m = labelMemo.get(idx);
  if (!m) labelMemo.set(idx, (m = { calico: new WeakMap(), calicoNs: new Map(), calicoSa: new WeakMap() }));
  return m;
}

const SA_KEY = 'projectcalico.org/serviceaccount';

/** Calico's labels of a pod: its labels plus the namespace, orchestrator and ServiceAccount labels
 * Calico adds (libcalico-go k8s/conversion workload_endpoint_default.go; the ServiceAccount is
 * spec.serviceAccountName, which the API server sets to `default` when the pod names none, and the
 * label is left out from 63 characters on). */
export function calicoLabels(idx: ReachIndex, w: WorkloadInfo): Labels {
  const m = memoOf(idx).calico;
  let out = m.get(w);
  if (!out) {
    const sa = w.serviceAccount ?? 'default';
    m.set(
      w,
      (out = {
        ...w.podLabels,
        'projectcalico.org/namespace': w.id.namespace,
        'projectcalico.org/orchestrator': 'k8s',
        ...(sa.length < 63 ? { [SA_KEY]: sa } : {}),
      }),
    );
  }
  return out;
}

/** The labels of a pod's ServiceAccount that serviceAccountSelector and a rule's serviceAccounts
 * selector match: the ServiceAccount's labels and `projectcalico.org/name` (Calico's profile of the
 * account). A ServiceAccount the manifests do not hold is read as one without labels, as a namespace
 * the manifests do not define is. */
function calicoServiceAccountLabels(idx: ReachIndex, w: WorkloadInfo): Labels {
  const memo = memoOf(idx);
  let out = memo.calicoSa.get(w);
  if (out) return out;
  if (!memo.accounts) {
    memo.accounts = new Map();
    for (const sa of idx.cluster.serviceAccounts ?? [])
      if (!memo.accounts.has(`${sa.namespace}/${sa.name}`))
        memo.accounts.set(`${sa.namespace}/${sa.name}`, sa.labels);
  }
  const name = w.serviceAccount ?? 'default';
  out = { ...(memo.accounts.get(`${w.id.namespace}/${name}`) ?? {}), 'projectcalico.org/name': name };
  memo.calicoSa.set(w, out);
  return out;
}

function calicoNamespaceLabels(idx: ReachIndex, ns: string): Labels {
  const m = memoOf(idx).calicoNs;
  let out = m.get(ns);
  if (!out) m.set(ns, (out = { ...namespaceLabels(idx, ns), 'projectcalico.org/name': ns }));
  return out;
}

const PROTOCOL_NUMBERS: Record<string, string> = {
  '6': 'TCP',
  '17': 'UDP',
  '132': 'SCTP',
  '1': 'ICMP',
  '58': 'ICMPV6',
  '136': 'UDPLITE',
};

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
  if (p.name !== undefined)
    return e.kind === 'workload' && namedPort(e.workload, p.name, conn.protocol) === conn.number;
  if (p.port === undefined) return false;
  if (p.endPort !== undefined) return conn.number >= p.port && conn.number <= p.endPort;
  return conn.number === p.port;
}

/** A rule's source or destination compiled once (selectors parsed, address ranges read): does an
 * endpoint satisfy it (nets, selectors, namespaces)? */
function compileEntity(
  idx: ReachIndex,
  pol: CalicoPolicyInfo,
  ent: CalicoEntityInfo,
  role: string,
  /** An egress Allow rule's destination: the matched sets' allowedEgressDomains take effect. */
  domainsApply = false,
): (e: Endpoint) => Match {
  const nets = ent.nets?.length
    ? compileAddresses(idx, ent.nets, [], `${role} nets ${ent.nets.join(', ')}`)
    : undefined;
  const notNets = ent.notNets?.length
    ? compileAddresses(idx, ent.notNets, [], `${role} notNets ${ent.notNets.join(', ')}`)
    : undefined;
  const sel = parsed(ent.selector);
  const nsSel = parsed(ent.namespaceSelector);
  const notSel = parsed(ent.notSelector);
  const accounts = ent.serviceAccounts;
  const saSel = parsed(accounts?.selector);
  const unparsable: Match | undefined =
    sel === null || nsSel === null || notSel === null || saSel === null
      ? { matched: false, note: `a ${role} selector does not parse: the rule matches nothing` }
      : undefined;
  // serviceAccounts: pods running as the named accounts and as accounts whose labels match the selector
  // (ANDed with the selector; network sets run as no account)
  const accountHolds = (w: WorkloadInfo) =>
    !accounts ||
    ((!accounts.names || accounts.names.includes(calicoLabels(idx, w)[SA_KEY] ?? '')) &&
      (!saSel || matchesCalico(saSel, calicoServiceAccountLabels(idx, w))));
  const other: Match | undefined = ent.other?.length
    ? {
        matched: false,
        undecided: true,
        note: `${role} ${ent.other.join(', ')} cannot be decided from manifests: read as no match`,
      }
    : undefined;
  const sets =
    unparsable || accounts ? [] : networkSetsOf(idx, pol, sel ?? undefined, nsSel ?? undefined, role);
  const notSets =
    unparsable || !notSel ? [] : networkSetsOf(idx, pol, notSel, undefined, `${role} notSelector`);
  return (e) => {
    let note: string | undefined;
    if (nets) {
      const m = nets(e);
      if (!m.matched) return m;
      note = m.note;
    }
    if (notNets) {
      const m = notNets(e);
      if (m.matched) return { matched: false, note: m.note };
      if (m.undecided) return { matched: false, undecided: true, note: m.note };
    }
    if (unparsable) return unparsable;
    if (sel || nsSel || accounts) {
      // The selectors hold the pods they match and the addresses of the network sets they match.
      const own =
        e.kind === 'workload' &&
        endpointMatches(idx, pol, sel ?? undefined, nsSel ?? undefined, e.workload) &&
        accountHolds(e.workload);
      if (!own) {
        const viaSet = inNetworkSet(sets, e, domainsApply);
        if (!viaSet.matched) {
          if (viaSet.note) return viaSet;
          return e.kind === 'workload'
            ? NO
            : {
                matched: false,
                note: accounts
                  ? `${role} serviceAccounts match pods only, not the address ${e.name}`
                  : `${role} selectors match pods${sets.length ? ' and network sets' : ''}; ${sets.length ? 'none of the matched network sets holds' : 'no network set in the workspace matches them to'} the address ${e.name}`,
              };
        }
        note = note ? `${note}; ${viaSet.note}` : viaSet.note;
      }
    }
    if (notSel) {
      if (e.kind === 'workload' && matchesCalico(notSel, calicoLabels(idx, e.workload))) return NO;
      if (inNetworkSet(notSets, e).matched) return NO;
    }
    if (other) return other;
    return note ? { matched: true, note } : YES;
  };
}

/** Does a pod satisfy a rule entity's selector and namespace selector (or the policy's own namespace)? */
function endpointMatches(
  idx: ReachIndex,
  pol: CalicoPolicyInfo,
  sel: CalicoSelector | undefined,
  nsSel: CalicoSelector | undefined,
  w: WorkloadInfo,
): boolean {
  if (nsSel) {
    if (!matchesCalico(nsSel, calicoNamespaceLabels(idx, w.id.namespace))) return false;
  } else if (pol.namespace !== undefined && w.id.namespace !== pol.namespace) {
    return false;
  }
  return !sel || matchesCalico(sel, calicoLabels(idx, w));
}

interface MatchedSet {
  set: CalicoNetworkSetInfo;
  what: string;
  addresses: (e: Endpoint) => Match;
}

/** The NetworkSets and GlobalNetworkSets a rule entity's selectors match. Without a namespace selector,
 * a namespaced policy's rule sees the NetworkSets of its own namespace, a GlobalNetworkPolicy's rule every
 * set; a namespace selector picks the NetworkSets of the namespaces it matches, and `global()` the
 * GlobalNetworkSets. */
function networkSetsOf(
  idx: ReachIndex,
  pol: CalicoPolicyInfo,
  sel: CalicoSelector | undefined,
  nsSel: CalicoSelector | undefined,
  role: string,
): MatchedSet[] {
  const out: MatchedSet[] = [];
  if (!sel && !nsSel) return out;
  for (const set of idx.cluster.calicoNetworkSets ?? []) {
    const isGlobal = set.namespace === undefined;
    if (nsSel) {
      const nsOk = isGlobal
        ? matchesCalico(nsSel, {}, true)
        : matchesCalico(nsSel, calicoNamespaceLabels(idx, set.namespace!));
      if (!nsOk) continue;
    } else if (pol.namespace !== undefined && set.namespace !== pol.namespace) continue;
    if (sel && !matchesCalico(sel, set.labels, isGlobal)) continue;
    const what = `${role} selector matches ${set.kind} ${set.namespace !== undefined ? `${set.namespace}/` : ''}${set.name} (nets ${set.nets.join(', ') || 'none'}), which`;
    out.push({ set, what, addresses: compileAddresses(idx, set.nets, [], what) });
  }
  return out;
}

/** Is the endpoint's address in one of the matched network sets? Pods count by their status.podIPs; a
 * domain name by the sets' allowedEgressDomains, which count only in an egress Allow rule's destination. */
function inNetworkSet(sets: MatchedSet[], e: Endpoint, domainsApply = false): Match {
  let undecided: Match | undefined;
  if (e.kind === 'external' && e.domain !== undefined) {
    for (const s of sets) {
      const hit = s.set.domains?.find((d) => calicoDomainMatches(d, e.domain!));
      if (!hit) continue;
      if (domainsApply)
        return {
          matched: true,
          note: `${s.what} lists ${hit} in allowedEgressDomains: allowed to the addresses DNS returns for ${e.name} (Calico Enterprise and Calico Cloud; Calico Open Source ignores the field)`,
        };
      // its nets may still hold the name's addresses: that part depends on DNS
      undecided ??= {
        matched: false,
        ...(s.set.nets.length ? { undecided: true } : {}),
        note: `${s.what} lists ${hit} in allowedEgressDomains, which counts only in the destination of an egress Allow rule${s.set.nets.length ? `; whether its nets hold the addresses of ${e.name} depends on DNS at run time` : ''}`,
      };
    }
  }
  for (const s of sets) {
    if (!s.set.nets.length) continue;
    const m = s.addresses(e);
    if (m.matched) return m.note ? m : { matched: true, note: `${s.what} holds ${e.name}` };
    if (m.undecided && !undecided) undecided = m;
  }
  return undecided ?? NO;
}

const SOURCE_PORTS: Match = Object.freeze({
  matched: false,
  undecided: true,
  note: "source ports are the client's ephemeral ports: read as no match",
});

function compileCalicoRule(
  idx: ReachIndex,
  pol: CalicoPolicyInfo,
  r: CalicoRuleInfo,
  label: string,
  dir: Direction,
): CRule {
  // (Log, and an action Calico would refuse, which calico-invalid reports: the rule matches and
  // evaluation goes on to the next one)
  const action: Action =
    r.action === 'Allow' ? 'allow' : r.action === 'Deny' ? 'deny' : r.action === 'Pass' ? 'pass' : 'log';
  const remoteEnt = dir === 'Ingress' ? r.source : r.destination;
  const ownEnt = dir === 'Ingress' ? r.destination : r.source;
  const sourcePorts = !!(r.source.ports?.length || r.source.notPorts?.length);
  const remote = compileEntity(
    idx,
    pol,
    remoteEnt,
    dir === 'Ingress' ? 'source' : 'destination',
    dir === 'Egress' && action === 'allow',
  );
  const own = compileEntity(idx, pol, ownEnt, dir === 'Ingress' ? 'destination' : 'source');
  const proto = r.protocol !== undefined ? calicoProtocol(r.protocol) : undefined;
  const notProto = r.notProtocol !== undefined ? calicoProtocol(r.notProtocol) : undefined;
  return {
    label,
    action,
    actionText: r.action,
    peer: remote,
    subject: (e) => (sourcePorts ? SOURCE_PORTS : own(e)),
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

export function compileCalico(idx: ReachIndex, p: CalicoPolicyInfo): CPolicy {
  const sel = parsed(p.selector.trim() === '' ? 'all()' : p.selector);
  const nsSel = parsed(p.namespaceSelector);
  const saSel = parsed(p.serviceAccountSelector);
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
      if (nsSel !== undefined && !matchesCalico(nsSel, calicoNamespaceLabels(idx, w.id.namespace)))
        return false;
      if (saSel === null) return false;
      if (saSel !== undefined && !matchesCalico(saSel, calicoServiceAccountLabels(idx, w))) return false;
      return matchesCalico(sel, calicoLabels(idx, w));
    },
    source: p.source,
  };
}

/** A Kubernetes NetworkPolicy as Calico evaluates it: a policy of the default tier with order 1000. */
export function compileK8sForCalico(idx: ReachIndex, p: PolicyInfo): CPolicy {
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
    selects: (w, dir) =>
      p.policyTypes.includes(dir) &&
      p.id.namespace === w.id.namespace &&
      matchesSelector(p.podSelector, w.podLabels),
    source: p.source,
  };
}

/** The Calico rules whose selectors match a network set: where its nets (and, for an egress Allow
 * destination, its allowedEgressDomains) count. */
export function rulesUsingNetworkSet(
  idx: ReachIndex,
  set: CalicoNetworkSetInfo,
): {
  policy: CalicoPolicyInfo;
  rule: string;
  role: 'source' | 'destination';
  action: string;
  not: boolean;
}[] {
  const out: ReturnType<typeof rulesUsingNetworkSet> = [];
  for (const pol of idx.cluster.calicoPolicies ?? []) {
    for (const [dir, rules] of [
      ['ingress', pol.ingress],
      ['egress', pol.egress],
    ] as const) {
      rules.forEach((r, i) => {
        for (const role of ['source', 'destination'] as const) {
          const ent = r[role];
          const sel = parsed(ent.selector);
          const nsSel = parsed(ent.namespaceSelector);
          const notSel = parsed(ent.notSelector);
          if (sel === null || nsSel === null || notSel === null) continue;
          const hits = networkSetsOf(idx, pol, sel, nsSel, role).some((m) => m.set === set);
          const notHits =
            !!notSel && networkSetsOf(idx, pol, notSel, undefined, role).some((m) => m.set === set);
          if (hits || notHits)
            out.push({ policy: pol, rule: `${dir}[${i}]`, role, action: r.action, not: !hits && notHits });
        }
      });
    }
  }
  return out;
}
