// Relations between resources, derived once per index change: which workloads a Service selects,
// which Ingress backends point at a Service, and so on. Used by rules, navigation and CodeLens.

import type { ResourceStore as ResourceIndex } from './resource-store';
import { buildCluster } from './cluster';
import { WORKLOAD_KINDS } from './resource';
import type {
  Cluster,
  IngressInfo,
  ServiceInfo,
  WorkloadInfo,
  BackendInfo,
  PolicyInfo,
} from '../engine/types';
import { policiesSelectingPod, selectWorkloads } from '../engine/cluster-index';

// Which selector labels can be checked statically is the route graph's call (engine/route/graph.ts).
import { checkableSelector } from '../engine/route/graph';
export { RUNTIME_LABELS, checkableSelector } from '../engine/route/graph';

export interface BackendUse {
  ingress: IngressInfo;
  backend: Extract<BackendInfo, { kind: 'service' }>;
  /** Host and path of the rule, undefined for the default backend. */
  host?: string;
  path?: string;
}

/** A read-only lookup by "ns/name" (the inverse relations are answered per key, when asked). */
export interface Lookup<T> {
  get(key: string): T | undefined;
}

export interface Relations {
  cluster: Cluster;
  /** "ns/name" of a Service -> the workloads its selector matches. */
  serviceWorkloads: Map<string, WorkloadInfo[]>;
  /** "ns/name" of a Service -> the Ingress backends that route to it. */
  serviceUsers: Map<string, BackendUse[]>;
  /** "ns/name" of a workload -> Services that select it. */
  workloadServices: Map<string, ServiceInfo[]>;
  /** "ns/name" of a workload -> NetworkPolicies whose podSelector selects it (in cluster order). */
  workloadPolicies: Lookup<PolicyInfo[]>;
  /** "ns/name" of a policy -> the workloads it selects. */
  policyWorkloads: Map<string, WorkloadInfo[]>;
  /** "ns/name" of a Secret -> Ingresses naming it in tls. */
  secretUsers: Map<string, IngressInfo[]>;
}

const key = (ns: string, name: string) => `${ns}/${name}`;

function push<T>(m: Map<string, T[]>, k: string, v: T): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

const WORKLOADS = [...WORKLOAD_KINDS];

/** The relations. Each part is computed when first read, and recomputed only when a resource of
 * the kinds it reads changes: a rule that reads one part does not pay for the others. */
export function relations(index: ResourceIndex): Relations {
  return index.memo('relations', () => {
    const cluster = buildCluster(index);
    const selected = () =>
      index.memoKinds(['Service', ...WORKLOADS], 'relations:services', () => {
        const serviceWorkloads = new Map<string, WorkloadInfo[]>();
        const workloadServices = new Map<string, ServiceInfo[]>();
        for (const s of cluster.services) {
          // a Service selector is checked only against the workloads that carry its labels; the answer
          // per selector is kept by selectWorkloads while the workloads are unchanged
          const sel = s.selector ? checkableSelector(s.selector) : undefined;
          const matched = sel ? selectWorkloads(cluster, s.id.namespace, { matchLabels: sel }) : [];
          serviceWorkloads.set(key(s.id.namespace, s.id.name), matched);
          for (const w of matched) push(workloadServices, key(w.id.namespace, w.id.name), s);
        }
        return { serviceWorkloads, workloadServices };
      });
    const users = () =>
      index.memoKinds(['Ingress'], 'relations:ingresses', () => {
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
        return { serviceUsers, secretUsers };
      });
    const policyWorkloads = () =>
      index.memoKinds(['NetworkPolicy', ...WORKLOADS], 'relations:policies', () => {
        // each answer is selectWorkloads' shared array: no copy per policy
        const out = new Map<string, WorkloadInfo[]>();
        for (const p of cluster.policies)
          out.set(key(p.id.namespace, p.id.name), selectWorkloads(cluster, p.id.namespace, p.podSelector));
        return out;
      });
    // Policies per workload: answered per key from the label index (materialising the inverse for
    // every workload costs policies × workloads when they all share one selector).
    const workloadPolicies = () =>
      index.memoKinds(['NetworkPolicy', ...WORKLOADS], 'relations:workload-policies', () => {
        const byKey = new Map<string, WorkloadInfo[]>();
        for (const w of cluster.workloads) push(byKey, key(w.id.namespace, w.id.name), w);
        const answers = new Map<string, PolicyInfo[]>();
        return {
          get(k: string): PolicyInfo[] | undefined {
            let found = answers.get(k);
            if (found) return found.length ? found : undefined;
            const ws = byKey.get(k) ?? [];
            if (ws.length === 1) found = policiesSelectingPod(cluster, ws[0].id.namespace, ws[0].podLabels);
            else {
              // several workload kinds with one name: each matching policy once per workload it selects,
              // in cluster order (stable sort keeps the workloads' order for one policy)
              const at = new Map(cluster.policies.map((p, i) => [p, i]));
              found = ws
                .flatMap((w) => policiesSelectingPod(cluster, w.id.namespace, w.podLabels))
                .sort((a, b) => at.get(a)! - at.get(b)!);
            }
            answers.set(k, found);
            return found.length ? found : undefined;
          },
        } satisfies Lookup<PolicyInfo[]>;
      });
    return {
      cluster,
      get serviceWorkloads() {
        return selected().serviceWorkloads;
      },
      get workloadServices() {
        return selected().workloadServices;
      },
      get serviceUsers() {
        return users().serviceUsers;
      },
      get secretUsers() {
        return users().secretUsers;
      },
      get policyWorkloads() {
        return policyWorkloads();
      },
      get workloadPolicies() {
        return workloadPolicies();
      },
    };
  });
}
