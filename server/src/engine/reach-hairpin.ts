// Service hairpin in the matrix and in `diff`: a pod that sits behind a Service may reach that Service
// and be sent back to itself by the proxy. On the matrix's port, that is the diagonal cell of a
// workload when a Service selecting it has a port (of the protocol asked) whose target port is that
// port on the workload; its verdict is evaluateReach's hairpin evaluation (the admin and baseline
// tiers apply; NetworkPolicy as the plugin treats hairpin traffic: engine/cni.ts). Without such a
// Service there is no hairpin path, and the diagonal stays empty.

import type { Cluster, Protocol, ServiceInfo, WorkloadInfo } from './types';
import { idText } from './types';
import { clusterMemo } from './cluster-index';
import { namedPort, reachIndex } from './reach-base';
import type { Endpoint, Reason, ReachResult, TierName } from './reach-base';
import { evaluateReach } from './reach';

export interface HairpinCell {
  /** The workload (as rows and columns name it), reaching itself. */
  workload: string;
  /** `ns/name` of the Service that sends the connection back (the first by name when several do). */
  service: string;
  allowed: boolean;
  /** The deciding tier, as the matrix cells carry it when policies beyond NetworkPolicy apply. */
  tier?: TierName;
  reasons?: Reason[];
}

/** The pods a Service's selector picks (its backends): same namespace, a non-empty selector that the
 * pod labels hold; a CronJob's pods are not long-lived backends. */
export function serviceSelects(svc: ServiceInfo, w: WorkloadInfo): boolean {
  const sel = svc.selector;
  if (!sel || w.id.namespace !== svc.id.namespace || w.id.kind === 'CronJob') return false;
  let any = false;
  for (const k in sel) {
    any = true;
    if (w.podLabels[k] !== sel[k]) return false;
  }
  return any;
}

function servicesByNamespace(cluster: Cluster): Map<string, ServiceInfo[]> {
  return clusterMemo(cluster, 'services-by-namespace', () => {
    const m = new Map<string, ServiceInfo[]>();
    for (const s of cluster.services) {
      const list = m.get(s.id.namespace);
      if (list) list.push(s);
      else m.set(s.id.namespace, [s]);
    }
    for (const list of m.values())
      list.sort((a, b) => (a.id.name < b.id.name ? -1 : a.id.name > b.id.name ? 1 : 0));
    return m;
  });
}

/** The Services (by name) that send a connection on `port`/`protocol` of the workload back to it: they
 * select it and have a port of that protocol whose target port is that port on the workload. A port
 * name resolves on the workload (undefined there: no hairpin). */
export function hairpinServices(
  cluster: Cluster,
  w: WorkloadInfo,
  port: number | string,
  protocol: Protocol,
): ServiceInfo[] {
  const number = typeof port === 'number' ? port : namedPort(w, port, protocol);
  if (number === undefined) return [];
  return (servicesByNamespace(cluster).get(w.id.namespace) ?? []).filter(
    (s) =>
      serviceSelects(s, w) &&
      s.ports.some(
        (sp) =>
          sp.protocol === protocol &&
          (typeof sp.targetPort === 'number' ? sp.targetPort : namedPort(w, sp.targetPort, protocol)) ===
            number,
      ),
  );
}

/** The deciding tier of a verdict: the denying side's, else the ingress side's unless Default. */
export function decidingTierOf(r: ReachResult): TierName {
  if (!r.egress.allowed) return r.egress.tier ?? 'NetworkPolicy';
  if (!r.ingress.allowed) return r.ingress.tier ?? 'NetworkPolicy';
  const i = r.ingress.tier ?? 'Default';
  return i !== 'Default' ? i : (r.egress.tier ?? 'Default');
}

/** The hairpin verdict of one workload on a port, through the first Service that hairpins it there;
 * undefined when no Service does. */
export function hairpinVerdict(
  cluster: Cluster,
  ep: Endpoint & { kind: 'workload' },
  port: number | string,
  protocol: Protocol,
  cni: string | undefined,
): { service: string; result: ReachResult } | undefined {
  const svc = hairpinServices(cluster, ep.workload, port, protocol)[0];
  if (!svc) return undefined;
  const service = idText(svc.id);
  return {
    service,
    result: evaluateReach(cluster, ep, ep, port, protocol, { cni, hairpin: true, service }),
  };
}

/** The diagonal of a matrix: every row behind a Service that hairpins it on the port. */
export function hairpinCells(
  cluster: Cluster,
  workloads: WorkloadInfo[],
  port: number | string,
  protocol: Protocol,
  options: { cni?: string; reasons?: boolean; tiered: boolean },
): HairpinCell[] {
  const idx = reachIndex(cluster);
  const out: HairpinCell[] = [];
  for (const w of workloads) {
    const ep = { kind: 'workload' as const, name: idx.labelOf.get(w)!, workload: w };
    const h = hairpinVerdict(cluster, ep, port, protocol, options.cni);
    if (!h) continue;
    out.push({
      workload: ep.name,
      service: h.service,
      allowed: h.result.allowed,
      ...(options.tiered ? { tier: decidingTierOf(h.result) } : {}),
      ...(options.reasons ? { reasons: h.result.reasons } : {}),
    });
  }
  return out;
}
