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

import { matchesSelector } from './selector';
import type { Cluster, PolicyInfo, PolicyRuleInfo, Protocol, WorkloadInfo } from './types';
import { idText } from './types';
import { pluginView } from './cni-view';
import {
  cmp,
  connPort,
  portEntryText,
  portMatches,
  portText,
  reachIndex,
  resolveEndpoint,
  EndpointError,
} from './reach-base';
import { peerMatches, peerMiss } from './reach-peers';
import type {
  ConnPort,
  Direction,
  Endpoint,
  Reason,
  ReachIndex,
  ReachResult,
  SideVerdict,
} from './reach-base';
import { evaluateTieredSide, tierContext } from './tiers';

export * from './reach-base';
export * from './reach-peers';

// ---------------------------------------------------------------------------------------------------
// One connection

function selects(policy: PolicyInfo, w: WorkloadInfo): boolean {
  return policy.id.namespace === w.id.namespace && matchesSelector(policy.podSelector, w.podLabels);
}

function policyOrder(a: PolicyInfo, b: PolicyInfo): number {
  return (
    cmp(a.id.namespace, b.id.namespace) ||
    cmp(a.id.name, b.id.name) ||
    cmp(a.source?.uri ?? '', b.source?.uri ?? '') ||
    (a.source?.start ?? 0) - (b.source?.start ?? 0)
  );
}

function rulesOf(policy: PolicyInfo, dir: Direction): PolicyRuleInfo[] {
  return dir === 'Ingress' ? policy.ingress : policy.egress;
}

function evaluateSide(
  idx: ReachIndex,
  dir: Direction,
  subject: Endpoint,
  remote: Endpoint,
  conn: ConnPort,
  dest: Endpoint,
): SideVerdict {
  const side = dir === 'Ingress' ? 'ingress' : 'egress';
  const key = side; // ingress[i] / egress[i]
  const peersKey = dir === 'Ingress' ? 'from' : 'to';
  if (subject.kind !== 'workload') {
    return {
      direction: dir,
      allowed: true,
      isolated: false,
      policies: [],
      reasons: [
        {
          side,
          kind: 'outside-cluster',
          message: `${subject.name} is outside the cluster: no NetworkPolicy applies to its ${side}`,
        },
      ],
    };
  }
  const pod = subject.name;
  const policies = idx.cluster.policies
    .filter((p) => p.policyTypes.includes(dir) && selects(p, subject.workload))
    .sort(policyOrder);
  const refs = policies.map((p) => ({ name: idText(p.id), source: p.source }));
  if (policies.length === 0) {
    return {
      direction: dir,
      pod,
      allowed: true,
      isolated: false,
      policies: [],
      reasons: [
        { side, kind: 'not-isolated', pod, message: `no policy selects ${pod} for ${dir} (not isolated)` },
      ],
    };
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
        const pluginNote = port !== undefined ? rule.ports![port].pluginNote : undefined;
        if (pluginNote) notes.push(pluginNote);
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
        if (!portOk)
          why.push(`${portText(conn)} is not among its ports (${rule.ports!.map(portEntryText).join(', ')})`);
        misses.push(`${ruleName}: ${why.join('; ')}`);
      }
    });
    if (rules.length === 0) {
      denies.push({
        side,
        kind: 'no-rule-allows',
        pod,
        policy: name,
        message: `${name} isolates ${pod} for ${dir} and has no ${side} rules (denies all ${side})`,
        source: p.source,
      });
    } else if (misses.length === rules.length) {
      denies.push({
        side,
        kind: 'no-rule-allows',
        pod,
        policy: name,
        message: `${name} isolates ${pod} for ${dir}; none of its ${side} rules allows ${remote.name} on ${portText(conn)}`,
        details: misses,
        source: p.source,
      });
    }
  }
  if (allows.length)
    return { direction: dir, pod, allowed: true, isolated: true, policies: refs, reasons: allows };
  return { direction: dir, pod, allowed: false, isolated: true, policies: refs, reasons: denies };
}

/** The tier of a plain NetworkPolicy side: NetworkPolicy when a policy isolates the pod, else Default. */
function withTier(v: SideVerdict): SideVerdict {
  return { ...v, tier: v.isolated ? 'NetworkPolicy' : 'Default' };
}

/** May `from` open a connection to `to` on `port` (a number, or a name resolved on the destination)?
 * Strings are resolved with resolveEndpoint (which throws EndpointError). */
export interface ReachOptions {
  /** The network plugin: a name of engine/cni.ts, or `auto`/undefined to detect it from the workspace. */
  cni?: string;
  /** The connection goes through a Service whose proxy sends it back to the source pod itself (service
   * hairpin): `from` and `to` must be the same Pod or workload. */
  hairpin?: boolean;
  /** `ns/name` of the Service the connection is addressed to (its cluster IP); the destination is the
   * backend the proxy picks. Rules that match Services (Antrea toServices) read it. */
  service?: string;
}

export function evaluateReach(
  cluster: Cluster,
  from: Endpoint | string,
  to: Endpoint | string,
  port: number | string,
  protocol: Protocol = 'TCP',
  options: ReachOptions = {},
): ReachResult {
  cluster = pluginView(cluster, options.cni);
  const idx = reachIndex(cluster);
  const src = typeof from === 'string' ? resolveEndpoint(cluster, from) : from;
  const dst = typeof to === 'string' ? resolveEndpoint(cluster, to) : to;
  if (src.kind === 'external' && dst.kind === 'external') {
    throw new EndpointError(
      `neither ${src.name} nor ${dst.name} is a Pod or workload: NetworkPolicies only decide traffic to or from pods`,
    );
  }
  const conn: ConnPort = {
    ...connPort(port, protocol, dst),
    ...(options.service !== undefined ? { service: options.service } : {}),
  };
  const base = {
    from: src.name,
    to: dst.name,
    port,
    ...(typeof port === 'string' && conn.number !== undefined ? { resolvedPort: conn.number } : {}),
    protocol,
  };
  const hairpin = !!options.hairpin;
  if (hairpin && (src.kind !== 'workload' || dst.kind !== 'workload' || src.workload !== dst.workload))
    throw new EndpointError(
      `a service hairpin connection goes from a pod back to itself; ${src.name} and ${dst.name} differ`,
    );
  if (
    !hairpin &&
    src.kind === 'workload' &&
    dst.kind === 'workload' &&
    src.workload === dst.workload &&
    src.workload.id.kind === 'Pod'
  ) {
    const self = (side: 'egress' | 'ingress', direction: Direction): SideVerdict => ({
      direction,
      pod: src.name,
      allowed: true,
      isolated: false,
      policies: [],
      reasons: [
        { side, kind: 'self', pod: src.name, message: `a pod cannot block traffic to itself (${src.name})` },
      ],
    });
    const egress = self('egress', 'Egress');
    return { allowed: true, ...base, reasons: egress.reasons, egress, ingress: self('ingress', 'Ingress') };
  }
  const ctx = tierContext(cluster, options.cni);
  let egress: SideVerdict;
  let ingress: SideVerdict;
  if (!ctx.tiered && !hairpin) {
    egress = withTier(evaluateSide(idx, 'Egress', src, dst, conn, dst));
    ingress = withTier(evaluateSide(idx, 'Ingress', dst, src, conn, dst));
  } else {
    egress = evaluateTieredSide(
      ctx,
      'Egress',
      src,
      dst,
      conn,
      dst,
      () => evaluateSide(idx, 'Egress', src, dst, conn, dst),
      hairpin,
    );
    ingress = evaluateTieredSide(
      ctx,
      'Ingress',
      dst,
      src,
      conn,
      dst,
      () => evaluateSide(idx, 'Ingress', dst, src, conn, dst),
      hairpin,
    );
  }
  const allowed = egress.allowed && ingress.allowed;
  const reasons = allowed
    ? [...egress.reasons, ...ingress.reasons]
    : [...(egress.allowed ? [] : egress.reasons), ...(ingress.allowed ? [] : ingress.reasons)];
  const conditions = allowed ? [...new Set(reasons.flatMap((r) => r.conditions ?? []))] : [];
  return {
    allowed,
    ...base,
    reasons,
    egress,
    ingress,
    ...(ctx.tiered || hairpin ? { cni: ctx.caps.name } : {}),
    ...(hairpin ? { hairpin: true } : {}),
    ...(conditions.length ? { conditions } : {}),
  };
}
