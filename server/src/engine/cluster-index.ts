// Lookups over one Cluster, so that no cross-resource question scans every resource: workloads by
// namespace and by pod label, policies by namespace and by the first label their podSelector needs,
// namespaces and Ingresses by name. Each part is built once per array of the cluster (`arrayMemo`):
// the workspace builds one Cluster per revision but reuses the arrays of kinds that did not change.
//
// Every list keeps the order of the cluster's own arrays, so an answer through the index is the
// same, in the same order, as a filter over the whole array.

import type { Cluster, IngressInfo, NamespaceInfo, PolicyInfo, WorkloadInfo } from './types';
import type { LabelSelector, Labels } from './selector';
import { matchesSelector } from './selector';
import { memoOn, recall } from './memo';

/** Compute a value from a cluster once per Cluster object. */
export function clusterMemo<T>(cluster: Cluster, key: string, compute: () => T): T {
  return memoOn(cluster, key, [], compute);
}

export interface ClusterIndex {
  workloadsByNamespace: Map<string, WorkloadInfo[]>;
  /** namespace \0 key \0 value → workloads whose pods carry that label. */
  workloadsByLabel: Map<string, WorkloadInfo[]>;
  /** namespace \0 key → workloads whose pods carry that label key. */
  workloadsByLabelKey: Map<string, WorkloadInfo[]>;
  workloadPosition: Map<WorkloadInfo, number>;
  namespaces: Map<string, NamespaceInfo>;
  policiesByNamespace: Map<string, PolicyInfo[]>;
  /** namespace \0 key \0 value → policies whose podSelector requires that label (its first matchLabels
   * pair); namespace → the other policies of the namespace (no matchLabels), under `\0any`. */
  policiesByLabel: Map<string, PolicyInfo[]>;
  policyPosition: Map<PolicyInfo, number>;
  ingressesByNamespace: Map<string, IngressInfo[]>;
}

function push<K, T>(m: Map<K, T[]>, k: K, v: T): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** Compute a value from one array of a cluster once per array object. The workspace reuses a part's
 * array while no resource of its kinds changes, so what is derived from the workloads survives an
 * edit to a Service. */
export function arrayMemo<T>(array: readonly unknown[], key: string, compute: () => T): T {
  return memoOn(array, key, [], compute);
}

/** How an array of a cluster was made from the previous revision's: the same elements but for some
 * replaced one for one, at the same position, by an object of the same namespace (an edit of an
 * object that kept its name and namespace). */
export interface Replacement {
  prev: readonly unknown[];
  pairs: readonly (readonly [unknown, unknown])[];
}

const replacements = new WeakMap<readonly unknown[], Replacement>();

/** Record that `next` is `prev` with `pairs` (old, new) replaced: what is derived from `prev` per
 * namespace can be brought over to `next` instead of computed again (see byNamespaceOf). */
export function noteReplaced(
  prev: readonly unknown[],
  next: readonly unknown[],
  pairs: readonly (readonly [unknown, unknown])[],
): void {
  replacements.set(next, { prev, pairs });
}

/** The objects of an array of a cluster by namespace, in the array's order, once per array; an array
 * noted as made by replacing elements of one whose grouping is known gets that grouping with the
 * lists of the replaced elements' namespaces changed. */
export function byNamespaceOf<T extends { id: { namespace: string } }>(
  list: readonly T[],
  key = 'by-namespace',
): Map<string, T[]> {
  return arrayMemo(list, key, () => {
    const from = replacements.get(list);
    const before = from && recall<Map<string, T[]>>(from.prev, key, []);
    if (from && before) {
      const m = new Map(before.value);
      for (const [o, n] of from.pairs as [T, T][]) {
        const ns = o.id.namespace;
        const l = m.get(ns);
        const i = l ? l.indexOf(o) : -1;
        if (!l || i < 0 || n.id.namespace !== ns) return groupByNamespace(list);
        const copy = l.slice();
        copy[i] = n;
        m.set(ns, copy);
      }
      return m;
    }
    return groupByNamespace(list);
  });
}

function groupByNamespace<T extends { id: { namespace: string } }>(list: readonly T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of list) push(m, x.id.namespace, x);
  return m;
}

function workloadPart(workloads: WorkloadInfo[]) {
  return arrayMemo(workloads, 'cluster-index', () => {
    const byNamespace = new Map<string, WorkloadInfo[]>();
    const byLabel = new Map<string, WorkloadInfo[]>();
    const byLabelKey = new Map<string, WorkloadInfo[]>();
    const position = new Map<WorkloadInfo, number>();
    workloads.forEach((w, i) => {
      const ns = w.id.namespace;
      position.set(w, i);
      push(byNamespace, ns, w);
      for (const [k, v] of Object.entries(w.podLabels)) {
        push(byLabel, `${ns}\0${k}\0${v}`, w);
        push(byLabelKey, `${ns}\0${k}`, w);
      }
    });
    return { byNamespace, byLabel, byLabelKey, position };
  });
}

function policyPart(policies: PolicyInfo[]) {
  return arrayMemo(policies, 'cluster-index', () => {
    const byNamespace = new Map<string, PolicyInfo[]>();
    const byLabel = new Map<string, PolicyInfo[]>();
    const position = new Map<PolicyInfo, number>();
    policies.forEach((p, i) => {
      const ns = p.id.namespace;
      position.set(p, i);
      push(byNamespace, ns, p);
      const first = Object.entries(p.podSelector.matchLabels ?? {})[0];
      push(byLabel, first ? `${ns}\0${first[0]}\0${first[1]}` : `${ns}\0any`, p);
    });
    return { byNamespace, byLabel, position };
  });
}

export function clusterIndex(cluster: Cluster): ClusterIndex {
  return clusterMemo(cluster, 'cluster-index', () => {
    const w = workloadPart(cluster.workloads);
    const p = policyPart(cluster.policies);
    const namespaces = arrayMemo(cluster.namespaces, 'cluster-index', () => {
      const m = new Map<string, NamespaceInfo>();
      for (const n of cluster.namespaces) if (!m.has(n.name)) m.set(n.name, n);
      return m;
    });
    const ingressesByNamespace = arrayMemo(cluster.ingresses, 'cluster-index', () => {
      const m = new Map<string, IngressInfo[]>();
      for (const ing of cluster.ingresses) push(m, ing.id.namespace, ing);
      return m;
    });
    return {
      workloadsByNamespace: w.byNamespace,
      workloadsByLabel: w.byLabel,
      workloadsByLabelKey: w.byLabelKey,
      workloadPosition: w.position,
      namespaces,
      policiesByNamespace: p.byNamespace,
      policiesByLabel: p.byLabel,
      policyPosition: p.position,
      ingressesByNamespace,
    };
  });
}

const NONE: never[] = [];

/** The workloads of a namespace a selector may select: the shortest list among the namespace's and
 * those of each label the selector requires. Filter with matchesSelector for the answer. */
function candidates(idx: ClusterIndex, namespace: string, selector: LabelSelector): WorkloadInfo[] {
  let best = idx.workloadsByNamespace.get(namespace) ?? NONE;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    const list = idx.workloadsByLabel.get(`${namespace}\0${k}\0${v}`) ?? NONE;
    if (list.length < best.length) best = list;
  }
  for (const e of selector.matchExpressions ?? []) {
    if (e.operator !== 'In' && e.operator !== 'Exists') continue;
    const list = idx.workloadsByLabelKey.get(`${namespace}\0${e.key}`) ?? NONE;
    if (list.length < best.length) best = list;
  }
  return best;
}

/** Workloads in a namespace whose pods a selector selects, in cluster order. */
export function selectWorkloads(
  cluster: Cluster,
  namespace: string,
  selector: LabelSelector,
): WorkloadInfo[] {
  // (once per selector and namespace while the workloads are unchanged: many policies and Services
  // repeat the same selector; the answer is shared, callers do not change it)
  const memo = arrayMemo(cluster.workloads, 'select-workloads', () => new Map<string, WorkloadInfo[]>());
  const key = `${namespace}\n${JSON.stringify(selector)}`;
  let found = memo.get(key);
  if (!found)
    memo.set(
      key,
      (found = candidates(clusterIndex(cluster), namespace, selector).filter((w) =>
        matchesSelector(selector, w.podLabels),
      )),
    );
  return found;
}

/** Workloads in any of these namespaces whose pods a selector selects, in cluster order. */
export function selectWorkloadsIn(
  cluster: Cluster,
  namespaces: Iterable<string>,
  selector: LabelSelector,
): WorkloadInfo[] {
  const idx = clusterIndex(cluster);
  const out: WorkloadInfo[] = [];
  let lists = 0;
  for (const ns of namespaces) {
    const found = candidates(idx, ns, selector).filter((w) => matchesSelector(selector, w.podLabels));
    if (found.length) lists++;
    for (const w of found) out.push(w);
  }
  if (lists > 1) out.sort((a, b) => idx.workloadPosition.get(a)! - idx.workloadPosition.get(b)!);
  return out;
}

/** Policies of a namespace whose podSelector selects pods with these labels, in cluster order. */
export function policiesSelectingPod(cluster: Cluster, namespace: string, podLabels: Labels): PolicyInfo[] {
  // (once per namespace and label set while the policies are unchanged: replicas share their labels)
  const memo = arrayMemo(cluster.policies, 'policies-selecting-pod', () => new Map<string, PolicyInfo[]>());
  const key = `${namespace}\n${JSON.stringify(podLabels)}`;
  let found = memo.get(key);
  if (!found) memo.set(key, (found = computePoliciesSelectingPod(cluster, namespace, podLabels)));
  return found;
}

function computePoliciesSelectingPod(cluster: Cluster, namespace: string, podLabels: Labels): PolicyInfo[] {
  const idx = clusterIndex(cluster);
  const out: PolicyInfo[] = [];
  let lists = 0;
  const add = (list: PolicyInfo[] | undefined) => {
    if (!list) return;
    let any = false;
    for (const p of list) {
      if (!matchesSelector(p.podSelector, podLabels)) continue;
      out.push(p);
      any = true;
    }
    if (any) lists++;
  };
  add(idx.policiesByLabel.get(`${namespace}\0any`));
  for (const [k, v] of Object.entries(podLabels)) add(idx.policiesByLabel.get(`${namespace}\0${k}\0${v}`));
  if (lists > 1) out.sort((a, b) => idx.policyPosition.get(a)! - idx.policyPosition.get(b)!);
  return out;
}

/** The pod labels of the workloads of some namespaces, for "no pod there carries it" questions. */
export interface LabelCensus {
  /** How many workloads the namespaces hold. */
  workloads: number;
  /** Whether every one of the namespaces holds a workload. */
  everyNamespaceHasWorkloads: boolean;
  /** label key → value → the first workload carrying it; keys and values in order of first sight
   * (namespaces in the order given, workloads in cluster order). */
  labels: Map<string, Map<string, WorkloadInfo>>;
}

/** The label census of these namespaces' workloads, once per cluster and list of namespaces (a
 * peer's `namespaceSelector: {}` in every policy asks about every namespace each time). */
export function labelCensus(cluster: Cluster, namespaces: readonly string[]): LabelCensus {
  // (a list kept by a memo is asked again as the same array: no key to build)
  return memoOn(namespaces, 'label-census', [cluster], () => computeLabelCensus(cluster, namespaces));
}

function computeLabelCensus(cluster: Cluster, namespaces: readonly string[]): LabelCensus {
  const memo = clusterMemo(cluster, 'label-census', () => new Map<string, LabelCensus>());
  const key = namespaces.join('\0');
  let found = memo.get(key);
  if (!found) {
    const idx = clusterIndex(cluster);
    const labels = new Map<string, Map<string, WorkloadInfo>>();
    let workloads = 0;
    let everyNamespaceHasWorkloads = true;
    for (const ns of namespaces) {
      const list = idx.workloadsByNamespace.get(ns) ?? NONE;
      if (list.length === 0) everyNamespaceHasWorkloads = false;
      workloads += list.length;
      for (const w of list) {
        for (const [k, v] of Object.entries(w.podLabels)) {
          let values = labels.get(k);
          if (!values) labels.set(k, (values = new Map()));
          if (!values.has(v)) values.set(v, w);
        }
      }
    }
    memo.set(key, (found = { workloads, everyNamespaceHasWorkloads, labels }));
  }
  return found;
}

export function policiesInNamespace(cluster: Cluster, namespace: string): PolicyInfo[] {
  return clusterIndex(cluster).policiesByNamespace.get(namespace) ?? NONE;
}

export function workloadsInNamespace(cluster: Cluster, namespace: string): WorkloadInfo[] {
  return clusterIndex(cluster).workloadsByNamespace.get(namespace) ?? NONE;
}

export function ingressesInNamespace(cluster: Cluster, namespace: string): IngressInfo[] {
  return clusterIndex(cluster).ingressesByNamespace.get(namespace) ?? NONE;
}

/** The first Namespace of that name (defined or implied). */
export function namespaceNamed(cluster: Cluster, name: string): NamespaceInfo | undefined {
  return clusterIndex(cluster).namespaces.get(name);
}
