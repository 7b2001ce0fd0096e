// A NetworkPolicy that restricts egress without letting its pods reach DNS (port 53): every name
// lookup of those pods times out, which rarely is what the author wanted.
//
// Policies add up, so DNS may come from another policy of the namespace that selects the same pods
// (the usual "default deny" + "allow DNS" pair): those count. A peer counts as a way to DNS when it
// is an ipBlock (DNS may be reached by address, a node-local cache), when it reaches kube-system (or
// names DNS in its labels: kube-dns, coredns, openshift-dns), or when it selects workloads that
// declare port 53. Warning when the workspace holds the pods the policy applies to; information
// otherwise (an example policy, pods defined elsewhere).

import { asMap, asScalar, asSeq, getPair, getValue, isNullish } from '../syntax/ast';
import type { AstNode, Span } from '../syntax/ast';
import { buildCluster } from '../model/cluster';
import {
  isEmptySelector,
  namespaceLabels,
  peerSelectsPod,
  policyWorkloads,
  sameSelector,
  selectorKey,
  workloadText,
} from '../engine/policy-match';
import { matchesSelector } from '../engine/selector';
import type { LabelSelector } from '../engine/selector';
import type {
  Cluster,
  PolicyInfo,
  PolicyPeerInfo,
  PolicyPortInfo,
  PolicyRuleInfo,
  Protocol,
  WorkloadInfo,
} from '../engine/types';
import type { QuickFix, Rule } from './types';
import type { ResourceIndex } from '../workspace/index';
import type { BlockValue, PolicyNodes } from './netpol-shared';
import {
  afterLineOf,
  columnOf,
  indentStyle,
  mapLines,
  policyNodes,
  selectorMalformed,
  seqLines,
  startsLine,
} from './netpol-shared';
import { arrayMemo, policiesInNamespace } from '../engine/cluster-index';
import { isK8sNetworkPolicy } from '../model/policy-kinds';

const DNS_PORT = 53;

/** The egress rule the quick fix adds: the cluster DNS pods (kube-dns / CoreDNS) on UDP and TCP 53. */
const DNS_RULE: { [key: string]: BlockValue } = {
  to: [
    {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    },
  ],
  ports: [
    { protocol: 'UDP', port: DNS_PORT },
    { protocol: 'TCP', port: DNS_PORT },
  ],
};

function portAdmitsDns(p: PolicyPortInfo, protocol: Protocol): boolean {
  if (p.protocol !== protocol) return false;
  if (p.port === undefined) return true;
  // CoreDNS names its ports "dns" (UDP) and "dns-tcp"
  if (typeof p.port === 'string') return /dns/i.test(p.port);
  if (p.endPort !== undefined) return p.port <= DNS_PORT && DNS_PORT <= p.endPort;
  return p.port === DNS_PORT;
}

function mentionsDns(s: LabelSelector): boolean {
  const words = [
    ...Object.entries(s.matchLabels ?? {}).flat(),
    ...(s.matchExpressions ?? []).flatMap((e) =>
      e.operator === 'In' || e.operator === 'Exists' ? [e.key, ...(e.values ?? [])] : [],
    ),
  ];
  return words.some((w) => /dns/i.test(w) || w === 'kube-system');
}

function peerMayReachDns(cluster: Cluster, namespace: string, peer: PolicyPeerInfo): boolean {
  if (peer.ipBlock) return true;
  if (!peer.podSelector && !peer.namespaceSelector) return false;
  const podsOk = !peer.podSelector || isEmptySelector(peer.podSelector) || mentionsDns(peer.podSelector);
  const nsOk = peer.namespaceSelector
    ? matchesSelector(peer.namespaceSelector, namespaceLabels(cluster, 'kube-system')) ||
      mentionsDns(peer.namespaceSelector)
    : namespace === 'kube-system';
  if (podsOk && nsOk) return true;
  // pods of the workspace that serve DNS (the few workloads declaring port 53, not every peer pod)
  return dnsWorkloads(cluster).some(
    (w) =>
      peerSelectsPod(
        peer,
        namespace,
        w.id.namespace,
        w.podLabels,
        namespaceLabels(cluster, w.id.namespace),
      ) === true,
  );
}

/** Workloads that declare container port 53. */
function dnsWorkloads(cluster: Cluster): WorkloadInfo[] {
  return arrayMemo(cluster.workloads, 'netpol-dns-workloads', () =>
    cluster.workloads.filter((w) =>
      w.containers.some((c) => c.ports.some((p) => p.containerPort === DNS_PORT)),
    ),
  );
}

function rulesAllowDns(
  cluster: Cluster,
  namespace: string,
  rules: PolicyRuleInfo[],
  protocol: Protocol,
): boolean {
  return rules.some((r) => {
    const portOk = !r.ports || r.ports.length === 0 || r.ports.some((p) => portAdmitsDns(p, protocol));
    const peerOk =
      !r.peers || r.peers.length === 0 || r.peers.some((p) => peerMayReachDns(cluster, namespace, p));
    return portOk && peerOk;
  });
}

/** Does policy `other` apply to (at least) every pod `policy` applies to? */
function covers(cluster: Cluster, other: PolicyInfo, policy: PolicyInfo): boolean {
  if (isEmptySelector(other.podSelector) || sameSelector(other.podSelector, policy.podSelector)) return true;
  if (!(other.podSelector.matchExpressions ?? []).length) {
    const want = policy.podSelector.matchLabels ?? {};
    if (Object.entries(other.podSelector.matchLabels ?? {}).every(([k, v]) => want[k] === v)) return true;
  }
  const pods = policyWorkloads(cluster, policy);
  return pods.length > 0 && pods.every((w) => matchesSelector(other.podSelector, w.podLabels));
}

/** Where to point: the `Egress` of policyTypes, else the `egress` key. */
function anchor(policy: PolicyNodes): Span | undefined {
  const spec = policy.spec;
  if (!spec) return undefined;
  const types = asSeq(getPair(spec, 'policyTypes')?.value);
  const egressType = types?.items.find((n) => asScalar(n)?.value === 'Egress');
  if (egressType) return egressType;
  return getPair(spec, 'egress')?.key ?? policy.podSelectorPair?.key;
}

/** The quick fix: append the DNS rule to `egress`, or add `egress` with it, in the document's style. */
function dnsFix(policy: PolicyNodes, text: string, root: AstNode): QuickFix | undefined {
  const spec = policy.spec;
  if (!spec || spec.flow || spec.pairs.length === 0) return undefined;
  const style = indentStyle(root, text);
  const eol = style.eol;
  const title = 'Allow DNS egress (kube-dns in kube-system, UDP and TCP 53)';
  const egress = getPair(spec, 'egress');
  const seq = asSeq(egress?.value);
  let start: number;
  let end: number;
  let newText: string;
  if (egress && seq && !seq.flow && seq.items.length > 0) {
    if (!startsLine(text, seq.start)) return undefined;
    start = end = afterLineOf(text, seq);
    newText = seqLines([DNS_RULE], columnOf(text, seq.start), style).join(eol) + eol;
  } else if (egress && (isNullish(egress.value) || (seq && seq.items.length === 0))) {
    if (!startsLine(text, egress.key.start)) return undefined;
    start = text.indexOf(':', egress.key.end) + 1;
    if (start <= 0) return undefined;
    end = egress.value ? egress.value.end : start;
    newText = eol + seqLines([DNS_RULE], columnOf(text, egress.key.start) + style.seqIndent, style).join(eol);
  } else if (!egress) {
    const first = spec.pairs[0];
    if (!startsLine(text, first.start)) return undefined;
    start = end = afterLineOf(text, spec);
    newText = mapLines({ egress: [DNS_RULE] }, columnOf(text, first.start), style).join(eol) + eol;
  } else return undefined;
  if (start === text.length && !text.endsWith('\n') && !newText.startsWith(eol)) newText = eol + newText;
  return { title, edits: [{ start, end, newText }], preferred: true };
}

/**
 * The quick fix when DNS is allowed over one protocol only: in the first egress rule of this policy
 * that admits DNS over `present`, add a `missing` port 53 entry right after the entry that admits it.
 */
function protocolFix(
  cluster: Cluster,
  policy: PolicyNodes,
  text: string,
  root: AstNode,
  present: Protocol,
  missing: Protocol,
): QuickFix | undefined {
  const ns = policy.info.id.namespace;
  for (const r of policy.rules) {
    if (r.direction !== 'egress') continue;
    const ports = r.info.ports ?? [];
    if (ports.length === 0 || ports.length !== r.ports.length) continue;
    if (!rulesAllowDns(cluster, ns, [r.info], present) || rulesAllowDns(cluster, ns, [r.info], missing))
      continue;
    const seq = asSeq(getValue(r.node, 'ports'));
    const i = ports.findIndex((p) => portAdmitsDns(p, present));
    const item = r.ports[i];
    if (!seq || seq.flow || i < 0 || !asMap(item) || asMap(item)!.flow || !startsLine(text, seq.start))
      return undefined;
    const style = indentStyle(root, text);
    const at = afterLineOf(text, item);
    let newText =
      seqLines([{ protocol: missing, port: DNS_PORT }], columnOf(text, seq.start), style).join(style.eol) +
      style.eol;
    if (at === text.length && !text.endsWith('\n')) newText = style.eol + newText.slice(0, -style.eol.length);
    return {
      title: `Allow DNS over ${missing} too (add ${missing} port 53 next to ${present} 53)`,
      edits: [{ start: at, end: at, newText }],
      preferred: true,
    };
  }
  return undefined;
}

/** The egress policies of a namespace, in order, and by what covers() reads of their podSelector:
 * empty, its selector's key, and (without matchExpressions) its matchLabels' key. */
interface EgressSelectors {
  all: PolicyInfo[];
  empty: PolicyInfo[];
  bySelector: Map<string, PolicyInfo[]>;
  byLabels: Map<string, PolicyInfo[]>;
}

/** A key of some labels: equal for the same labels in any order. */
function labelsKey(entries: [string, string][]): string {
  return JSON.stringify([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function pushTo(m: Map<string, PolicyInfo[]>, k: string, q: PolicyInfo): void {
  const list = m.get(k);
  if (list) list.push(q);
  else m.set(k, [q]);
}

/** A policy with more matchLabels than this looks for the policies that cover it one by one (a
 * lookup per subset of its labels otherwise). */
const MAX_SUBSET_LABELS = 10;

/**
 * Whether the other egress policies of the namespace that cover a policy whose podSelector selects no
 * pod of the workspace (see covers(): an empty podSelector, the same one, or matchLabels among its
 * own) let its pods reach DNS over UDP and over TCP. Found by their selectors (kept once per index
 * version and namespace) instead of asking covers() of every policy of the namespace: 2,000 egress
 * policies selecting no pod took 4 million questions, about two seconds, and ran into the time
 * budget per file.
 */
function coveringDns(
  index: ResourceIndex,
  cluster: Cluster,
  info: PolicyInfo,
  dns: (q: PolicyInfo) => { UDP: boolean; TCP: boolean },
): { UDP: boolean; TCP: boolean } {
  const ns = info.id.namespace;
  const byNs = index.memo('netpol-dns-egress-selectors', () => new Map<string, EgressSelectors>());
  let sel = byNs.get(ns);
  if (!sel) {
    sel = { all: [], empty: [], bySelector: new Map(), byLabels: new Map() };
    for (const q of policiesInNamespace(cluster, ns)) {
      if (!q.policyTypes.includes('Egress')) continue;
      sel.all.push(q);
      if (isEmptySelector(q.podSelector)) sel.empty.push(q);
      pushTo(sel.bySelector, selectorKey(q.podSelector), q);
      if (!(q.podSelector.matchExpressions ?? []).length)
        pushTo(sel.byLabels, labelsKey(Object.entries(q.podSelector.matchLabels ?? {})), q);
    }
    byNs.set(ns, sel);
  }
  const out = { UDP: false, TCP: false };
  const add = (q: PolicyInfo) => {
    if (q.id.name === info.id.name) return;
    const v = dns(q);
    out.UDP ||= v.UDP;
    out.TCP ||= v.TCP;
  };
  const labels = Object.entries(info.podSelector.matchLabels ?? {});
  if (labels.length > MAX_SUBSET_LABELS) {
    for (const q of sel.all) if (covers(cluster, q, info)) add(q);
    return out;
  }
  for (const q of sel.empty) add(q);
  for (const q of sel.bySelector.get(selectorKey(info.podSelector)) ?? []) add(q);
  // (the policies whose matchLabels are some of this one's: a lookup per subset of its labels)
  for (let mask = 1; mask < 1 << labels.length; mask++)
    for (const q of sel.byLabels.get(labelsKey(labels.filter((_, i) => mask & (1 << i)))) ?? []) add(q);
  return out;
}

/** Whether DNS is allowed over UDP, over TCP. */
interface Dns {
  UDP: boolean;
  TCP: boolean;
}

const NO_DNS: Dns = { UDP: false, TCP: false };

/**
 * What the egress policies of a namespace give its pods: per pod that some policy allowing DNS
 * selects, whether one allows it over UDP, over TCP (a pod that is not in the table gets neither).
 * Worked out from the policies' side, once per index version and namespace: each policy that allows
 * DNS marks the pods it selects (policies that share a selector share their list of pods, marked
 * once). Asking, for each pod, about every policy that selects it took a pod times a policy: 2,000
 * egress policies with an empty podSelector over 2,000 pods made 4 million steps (about 0.3 s) in
 * the check of the first policy alone, with no turn for other requests.
 */
function dnsPerPod(cluster: Cluster, ns: string, policyDns: (q: PolicyInfo) => Dns): Map<WorkloadInfo, Dns> {
  const out = new Map<WorkloadInfo, Dns>();
  const marked = new Map<WorkloadInfo[], Dns>();
  for (const q of policiesInNamespace(cluster, ns)) {
    if (!q.policyTypes.includes('Egress')) continue;
    const v = policyDns(q);
    if (!v.UDP && !v.TCP) continue;
    const pods = policyWorkloads(cluster, q);
    const done = marked.get(pods);
    if (done && (done.UDP || !v.UDP) && (done.TCP || !v.TCP)) continue;
    marked.set(pods, { UDP: v.UDP || !!done?.UDP, TCP: v.TCP || !!done?.TCP });
    for (const w of pods) {
      const was = out.get(w);
      if (!was) out.set(w, { UDP: v.UDP, TCP: v.TCP });
      else {
        was.UDP ||= v.UDP;
        was.TCP ||= v.TCP;
      }
    }
  }
  return out;
}

/** Whether every pod of a list reaches DNS over UDP and TCP through the egress policies that select
 * it, and those that do not over UDP (in the list's order). */
interface PodsDns {
  UDP: boolean;
  TCP: boolean;
  noUdp: WorkloadInfo[];
}

export const rule: Rule = {
  id: 'netpol-egress-dns-blocked',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['NetworkPolicy'],
  applies: isK8sNetworkPolicy,
  description:
    'A NetworkPolicy that restricts egress but lets its pods reach no DNS server on port 53 (UDP, and TCP for large answers), counting the other policies that select the same pods. Quick fix: add a DNS egress rule, or, when DNS is allowed over one protocol only, the missing UDP or TCP 53 entry next to the allowed one.',
  check(ctx) {
    const policy = policyNodes(ctx.resource, ctx.index);
    const info = policy.info;
    if (!info.policyTypes.includes('Egress')) return;
    if (policy.podSelectorPair && selectorMalformed(policy.podSelectorPair.value)) return;
    const cluster = buildCluster(ctx.index);
    const ns = info.id.namespace;
    const allowedFor = (rules: PolicyRuleInfo[]) => ({
      UDP: rulesAllowDns(cluster, ns, rules, 'UDP'),
      TCP: rulesAllowDns(cluster, ns, rules, 'TCP'),
    });
    const pods = policyWorkloads(cluster, info);
    let udp: boolean;
    let tcp: boolean;
    let blocked: WorkloadInfo[] = [];
    // Policies add up: a pod reaches DNS when any egress policy selecting it allows it.
    // (once per index version and policy or workload: every policy of the namespace asks about the same
    // pods and policies)
    const byPolicy = ctx.index.memo(
      'netpol-dns-per-policy',
      () => new Map<PolicyInfo, { UDP: boolean; TCP: boolean }>(),
    );
    const policyDns = (q: PolicyInfo) => {
      let v = byPolicy.get(q);
      if (!v) byPolicy.set(q, (v = allowedFor(q.egress)));
      return v;
    };
    if (pods.length > 0) {
      const byNs = ctx.index.memo('netpol-dns-per-pod', () => new Map<string, Map<WorkloadInfo, Dns>>());
      let table = byNs.get(ns);
      if (!table) byNs.set(ns, (table = dnsPerPod(cluster, ns, policyDns)));
      const byPod = table;
      const own = allowedFor(info.egress);
      const podDns = (w: WorkloadInfo) => byPod.get(w) ?? NO_DNS;
      // What the other policies give these pods, once per list of pods: the policies that select the
      // same pods share the list (the cluster index keeps one per selector), and each of them went
      // through every pod (2,000 egress policies with an empty podSelector over 2,000 pods: 4 million
      // steps, most of the file's check).
      const byPods = ctx.index.memo('netpol-dns-per-pods', () => new WeakMap<WorkloadInfo[], PodsDns>());
      let all = byPods.get(pods);
      if (!all) {
        all = { UDP: true, TCP: true, noUdp: [] };
        for (const w of pods) {
          const v = podDns(w);
          if (!v.UDP) {
            all.UDP = false;
            all.noUdp.push(w);
          }
          if (!v.TCP) all.TCP = false;
        }
        byPods.set(pods, all);
      }
      udp = own.UDP || all.UDP;
      tcp = own.TCP || all.TCP;
      blocked = own.UDP ? [] : all.noUdp;
    } else {
      // (this policy's rules and those of the policies that cover it: any of them may allow DNS)
      const own = allowedFor(info.egress);
      const others = coveringDns(ctx.index, cluster, info, policyDns);
      udp = own.UDP || others.UDP;
      tcp = own.TCP || others.TCP;
    }
    if (udp && tcp) return;
    const at = anchor(policy);
    if (!at) return;
    // Pods that talk to other pods by selector find them through Service names: they need DNS. A
    // policy that allows only addresses or ports (the API server by IP), or nothing (a deliberate
    // default deny), may not: information then.
    const talksToPods = info.egress.some((r) =>
      (r.peers ?? []).some((p) => !p.ipBlock && (p.podSelector || p.namespaceSelector)),
    );
    const severity = pods.length > 0 && talksToPods ? 'warning' : 'information';
    if (!udp) {
      const who = blocked.length
        ? `${blocked.slice(0, 3).map(workloadText).join(', ')}${blocked.length > 3 ? ', ...' : ''}`
        : 'these pods';
      const message = tcp
        ? `Egress is restricted and DNS is allowed over TCP only: lookups use UDP port 53 first, so those of ${who} will time out. Allow UDP 53 to the cluster DNS as well`
        : `Egress is restricted but no rule allows DNS (port 53, UDP and TCP): every name lookup of ${who} will time out. Allow egress to the cluster DNS (pods k8s-app=kube-dns in kube-system)`;
      const text = ctx.resource.doc.text;
      const fixes = () => {
        const fix =
          (tcp ? protocolFix(cluster, policy, text, ctx.resource.node, 'TCP', 'UDP') : undefined) ??
          dnsFix(policy, text, ctx.resource.node);
        return fix ? [fix] : [];
      };
      ctx.report(at, message, { severity, fixes });
      return;
    }
    const fixes = () => {
      const fix = protocolFix(cluster, policy, ctx.resource.doc.text, ctx.resource.node, 'UDP', 'TCP');
      return fix ? [fix] : [];
    };
    ctx.report(
      at,
      'DNS is allowed over UDP but not over TCP port 53: answers too large for UDP are retried over TCP, and those lookups will fail',
      { severity: 'information', fixes },
    );
  },
};
