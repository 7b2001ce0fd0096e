// Relations between resources, derived once per index change: which workloads a Service selects,
// which Ingress backends point at a Service, and so on. Used by rules, navigation and CodeLens.

import type { ResourceStore as ResourceIndex } from './resource-store';
import { buildCluster } from './cluster';
import type { Cluster, IngressInfo, ServiceInfo, WorkloadInfo, BackendInfo, PolicyInfo } from '../engine/types';
import { matchesMap } from '../engine/selector';
import { selectWorkloads } from '../engine/cluster-index';

/** Pod labels that controllers add at run time; a selector on them cannot be checked statically. */
export const RUNTIME_LABELS = new Set([
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'pod-template-hash',
  'controller-revision-hash',
  'pod-template-generation',
  'batch.kubernetes.io/job-name',
  'batch.kubernetes.io/controller-uid',
  'job-name',
  'controller-uid',
]);

export interface BackendUse {
  ingress: IngressInfo;
  backend: Extract<BackendInfo, { kind: 'service' }>;
  /** Host and path of the rule, undefined for the default backend. */
  host?: string;
  path?: string;
}

export interface Relations {
  cluster: Cluster;
  /** "ns/name" of a Service -> the workloads its selector matches. */
  serviceWorkloads: Map<string, WorkloadInfo[]>;
  /** "ns/name" of a Service -> the Ingress backends that route to it. */
  serviceUsers: Map<string, BackendUse[]>;
  /** "ns/name" of a workload -> Services that select it. */
  workloadServices: Map<string, ServiceInfo[]>;
  /** "ns/name" of a workload -> NetworkPolicies whose podSelector selects it. */
  workloadPolicies: Map<string, PolicyInfo[]>;
  /** "ns/name" of a policy -> the workloads it selects. */
  policyWorkloads: Map<string, WorkloadInfo[]>;
  /** "ns/name" of a Secret -> Ingresses naming it in tls. */
  secretUsers: Map<string, IngressInfo[]>;
}

const key = (ns: string, name: string) => `${ns}/${name}`;
const labelKey = (ns: string, k: string, v: string) => `${ns}\n${k}\n${v}`;

function push<T>(m: Map<string, T[]>, k: string, v: T): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** A Service selector with its run-time-only labels removed; undefined when nothing checkable is left. */
export function checkableSelector(selector: Record<string, string>): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  let n = 0;
  for (const [k, v] of Object.entries(selector)) {
    if (RUNTIME_LABELS.has(k)) continue;
    out[k] = v;
    n++;
  }
  return n > 0 ? out : undefined;
}

export function relations(index: ResourceIndex): Relations {
  return index.memo('relations', () => {
    const cluster = buildCluster(index);
    // namespace + label key + value -> workloads whose pods carry it: a Service selector is checked
    // only against the workloads that have its first label, not against every workload
    const byLabel = new Map<string, WorkloadInfo[]>();
    for (const w of cluster.workloads) {
      // a Pod owned by nothing and a controller of the same pods are both listed: fine for navigation
      for (const [k, v] of Object.entries(w.podLabels)) push(byLabel, labelKey(w.id.namespace, k, v), w);
    }
    const serviceWorkloads = new Map<string, WorkloadInfo[]>();
    const workloadServices = new Map<string, ServiceInfo[]>();
    for (const s of cluster.services) {
      const sel = s.selector ? checkableSelector(s.selector) : undefined;
      const first = sel ? Object.entries(sel)[0] : undefined;
      const candidates = first ? byLabel.get(labelKey(s.id.namespace, first[0], first[1])) ?? [] : [];
      const matched = sel ? candidates.filter((w) => matchesMap(sel, w.podLabels)) : [];
      serviceWorkloads.set(key(s.id.namespace, s.id.name), matched);
      for (const w of matched) push(workloadServices, key(w.id.namespace, w.id.name), s);
    }
    const serviceUsers = new Map<string, BackendUse[]>();
    const secretUsers = new Map<string, IngressInfo[]>();
    for (const ing of cluster.ingresses) {
      const add = (b: BackendInfo | undefined, host?: string, path?: string) => {
        if (!b || b.kind !== 'service') return;
        push(serviceUsers, key(ing.id.namespace, b.service), { ingress: ing, backend: b, host, path });
      };
      add(ing.defaultBackend);
      for (const r of ing.rules) for (const p of r.paths) add(p.backend, r.host, p.path);
      for (const t of ing.tls) {
        if (!t.secretName) continue;
        const k = key(ing.id.namespace, t.secretName);
        const list = secretUsers.get(k) ?? [];
        if (!list.includes(ing)) list.push(ing);
        secretUsers.set(k, list);
      }
    }
    const workloadPolicies = new Map<string, PolicyInfo[]>();
    const policyWorkloads = new Map<string, WorkloadInfo[]>();
    for (const p of cluster.policies) {
      const matched = selectWorkloads(cluster, p.id.namespace, p.podSelector);
      policyWorkloads.set(key(p.id.namespace, p.id.name), matched);
      for (const w of matched) push(workloadPolicies, key(w.id.namespace, w.id.name), p);
    }
    return { cluster, serviceWorkloads, serviceUsers, workloadServices, workloadPolicies, policyWorkloads, secretUsers };
  });
}
