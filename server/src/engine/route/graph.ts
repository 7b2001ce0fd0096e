// The route graph: every way into the cluster that the manifests declare (an Ingress path, an Ingress
// default backend, a Gateway API listener, a route rule of an HTTPRoute, GRPCRoute, TLSRoute, TCPRoute
// or UDPRoute),
// the edges down to Service → port → targetPort → workloads → container port, the TLS coverage of
// each tls entry, and the problems found on the way. Each problem carries the rule id it is reported
// under, one severity and one message: the rules, the preview and `kube-netlens route` all read them
// from here, so a fact has one wording everywhere.
//
// Built per namespace (./graph-slice.ts): a namespace's Services, Ingresses, tls entries and their
// problems form one slice, kept from one revision of a workspace to the next while its inputs are the
// same objects, so an edit rebuilds the slice it touches. What crosses namespaces is computed from the
// slices when asked: the Gateway API entries (./gateway-facts.ts) and one host given two certificates
// (./tls-facts.ts). The whole-graph lists (entries, problems, tls, the maps) are put together from the
// slices, in the order a single pass over the cluster gives, only when something reads them (the
// preview, `kube-netlens route`); a rule asks for the problems at one value of one namespace.
//
// routeGraph() memoises the graph on the revision's Cluster object through clusterMemo.

import type { BackendInfo, Cluster, IngressInfo, IngressTlsInfo, SecretInfo, ServiceInfo } from '../types';
import { idText } from '../types';
import { clusterMemo } from '../cluster-index';
import { effectiveIngressClass } from './rule-index';
import { backendEdge, checkSelector, checkTargetPorts, serviceTarget } from './service-facts';
import { checkTlsConflicts, secretTypeProblem, tlsClaims, tlsCoverage } from './tls-facts';
import { gatewayEntries } from './gateway-facts';
import type { BackendRefInfo } from '../gateway/types';
import { clusterIndex } from '../cluster-index';
import {
  atKey,
  byNamespace,
  bySource,
  cmp,
  graphSlice,
  push,
  routesNaming,
  workloadsOf,
} from './graph-slice';
import type { GraphSlice } from './graph-slice';

export { RUNTIME_LABELS, checkableSelector } from './service-facts';

export * from './graph-types';
import type {
  BackendEdge,
  RouteBackendEdge,
  RouteEntry,
  RouteGraph,
  RouteGraphProblem,
  RouteGraphRuleId,
  ServiceTarget,
  TlsEntryCoverage,
  Report,
} from './graph-types';
import { NAMESPACE_GRAPH_RULES } from './graph-types';

/** The route graph of a cluster, built once per Cluster object (the workspace builds one per revision). */
export function routeGraph(cluster: Cluster): RouteGraph {
  return clusterMemo(cluster, 'route-graph', () => buildRouteGraph(cluster));
}

/** Rules whose problems a namespace's slice holds (the others: Gateway API, host conflicts). */
const SLICE_RULES = new Set<RouteGraphRuleId>(NAMESPACE_GRAPH_RULES);

function lazy<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value;
  };
}

/** A read-only map whose `get` answers from one place and whose listing is put together on first use. */
class ComposedMap<K, V> implements ReadonlyMap<K, V> {
  private all: () => Map<K, V>;
  constructor(
    private find: (key: K) => V | undefined,
    whole: () => Map<K, V>,
  ) {
    this.all = lazy(whole);
  }
  get(key: K): V | undefined {
    return this.find(key);
  }
  has(key: K): boolean {
    return this.find(key) !== undefined;
  }
  get size(): number {
    return this.all().size;
  }
  forEach(f: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void {
    for (const [k, v] of this.all()) f(v, k, this);
  }
  entries(): MapIterator<[K, V]> {
    return this.all().entries();
  }
  keys(): MapIterator<K> {
    return this.all().keys();
  }
  values(): MapIterator<V> {
    return this.all().values();
  }
  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.all()[Symbol.iterator]();
  }
}

const byIngressId = <T extends { ingress: IngressInfo }>(a: T, b: T) =>
  cmp(idText(a.ingress.id), idText(b.ingress.id));

export function buildRouteGraph(cluster: Cluster): RouteGraph {
  const slices = new Map<string, GraphSlice>();
  const sliceOf = (ns: string): GraphSlice => {
    let s = slices.get(ns);
    if (!s) slices.set(ns, (s = graphSlice(cluster, ns)));
    return s;
  };
  /** Every namespace holding a Service, an Ingress or a Secret (the others have empty slices). */
  const allSlices = lazy(() => {
    const names = new Set<string>();
    for (const m of [
      byNamespace(cluster.services),
      byNamespace(cluster.ingresses),
      byNamespace(cluster.secrets),
    ])
      for (const ns of m.keys()) names.add(ns);
    return [...names].map(sliceOf);
  });
  const findService = (key: string) => sliceOf(key.slice(0, key.indexOf('/'))).services.get(key);

  const services = new ComposedMap<string, ServiceTarget>(findService, () => {
    const targets = allSlices().flatMap((s) => [...s.services.values()]);
    return new Map(
      targets.sort((a, b) => bySource(a.service, b.service)).map((t) => [idText(t.service.id), t]),
    );
  });

  // Gateway API: listeners and route rules, their backendRefs leading to the same Service facts.
  const gateway = lazy(() => {
    const problems: RouteGraphProblem[] = [];
    const at = new Map<string, RouteGraphProblem[]>();
    const report: Report = (p, into) => {
      into.push(p);
      problems.push(p);
      if (p.at) push(at, atKey(p.ruleId, p.at.uri, p.at.start), p);
    };
    const routeBackends = new Map<BackendRefInfo, RouteBackendEdge>();
    const entries = gatewayEntries(cluster, services, byNamespace(cluster.services), routeBackends, report);
    return { problems, at, routeBackends, entries };
  });

  // One host, two certificates: tls entries of Ingresses of one class, compared host by host.
  const classOf = (ing: IngressInfo) => effectiveIngressClass(cluster, ing.className) ?? '';
  const conflicts = lazy(() => {
    const certified = allSlices()
      .flatMap((s) => s.certified)
      .sort(byIngressId);
    const claims = tlsClaims(certified, classOf);
    const problems: RouteGraphProblem[] = [];
    const at = new Map<string, RouteGraphProblem[]>();
    const extra = new Map<TlsEntryCoverage, RouteGraphProblem[]>();
    for (const cov of certified) {
      checkTlsConflicts(cov, claims, classOf, (p) => {
        problems.push(p);
        push(extra, cov, p);
        if (p.at) push(at, atKey(p.ruleId, p.at.uri, p.at.start), p);
      });
    }
    // a tls entry's coverage with its conflicts (the slice's own object stays as the slice made it)
    const withConflicts = new Map<TlsEntryCoverage, TlsEntryCoverage>();
    for (const [cov, ps] of extra) withConflicts.set(cov, { ...cov, problems: [...cov.problems, ...ps] });
    return { claims, problems, at, withConflicts };
  });
  const coverage = (cov: TlsEntryCoverage) =>
    cov.secret?.certificateFingerprint ? (conflicts().withConflicts.get(cov) ?? cov) : cov;

  const ingressParts = lazy(() =>
    allSlices()
      .flatMap((s) => s.ingresses)
      .sort(byIngressId),
  );
  const tlsParts = lazy(() =>
    allSlices()
      .flatMap((s) => s.tls)
      .sort(byIngressId),
  );

  const entries = lazy((): RouteEntry[] => [
    ...ingressParts().flatMap((p) => p.entries),
    ...gateway().entries,
  ]);
  const tls = lazy(() => tlsParts().flatMap((p) => p.covs.map(coverage)));
  const problems = lazy(() => {
    const secretOrder = new Map<SecretInfo, number>(cluster.secrets.map((s, i) => [s, i]));
    return [
      ...allSlices()
        .flatMap((s) => s.serviceProblems)
        .sort((a, b) => bySource(a.target.service, b.target.service))
        .flatMap((x) => x.problems),
      ...ingressParts().flatMap((p) => p.problems),
      ...gateway().problems,
      ...tlsParts().flatMap((p) => p.problems),
      ...allSlices()
        .flatMap((s) => s.secretTypes)
        .sort((a, b) => secretOrder.get(a.secret)! - secretOrder.get(b.secret)!)
        .map((x) => x.problem),
      ...conflicts().problems,
    ];
  });
  const allAt = lazy(() => {
    const at = new Map<string, RouteGraphProblem[]>();
    for (const p of problems()) if (p.at) push(at, atKey(p.ruleId, p.at.uri, p.at.start), p);
    return at;
  });

  const backends = lazy(
    () =>
      new Map<BackendInfo, BackendEdge>(
        ingressParts().flatMap((p) =>
          p.entries.flatMap((e): [BackendInfo, BackendEdge][] =>
            e.backend ? [[e.backend.backend, e.backend]] : [],
          ),
        ),
      ),
  );
  const tlsOf = lazy(() => new Map<IngressTlsInfo, TlsEntryCoverage>(tls().map((cov) => [cov.entry, cov])));

  return {
    get entries() {
      return entries();
    },
    services,
    get tls() {
      return tls();
    },
    get backends() {
      return backends();
    },
    get tlsOf() {
      return tlsOf();
    },
    get routeBackends() {
      return gateway().routeBackends;
    },
    get problems() {
      return problems();
    },
    backendOf: (ing, b) => sliceOf(ing.id.namespace).backends.get(b),
    coverageOf: (ing, entry) => {
      const cov = sliceOf(ing.id.namespace).tlsOf.get(entry);
      return cov && coverage(cov);
    },
    problemsAt: (ruleId, uri, start, namespace) => {
      const key = atKey(ruleId, uri, start);
      if (namespace === undefined) return allAt().get(key) ?? [];
      if (SLICE_RULES.has(ruleId)) return sliceOf(namespace).at.get(key) ?? [];
      if (ruleId === 'ingress-tls-secret-conflict') {
        // no certificate in this namespace's tls entries: nothing here can conflict
        if (sliceOf(namespace).certified.length === 0) return [];
        return conflicts().at.get(key) ?? [];
      }
      return gateway().at.get(key) ?? [];
    },
    problemsOf: (other) => {
      const out: RouteGraphProblem[] = [];
      const collect: Report = (p, into) => {
        into.push(p);
        out.push(p);
      };
      const workloadsByNs = clusterIndex(cluster).workloadsByNamespace;
      if ('ingress' in other) {
        const ing = other.ingress;
        const ns = ing.id.namespace;
        const slice = sliceOf(ns);
        const inNs = new Map([[ns, byNamespace(cluster.services).get(ns) ?? []]]);
        for (const b of [ing.defaultBackend, ...ing.rules.flatMap((r) => r.paths.map((x) => x.backend))])
          if (b) backendEdge(ing, b, slice.services, inNs, workloadsByNs, collect);
        const secretsInNs = new Map([[ns, byNamespace(cluster.secrets).get(ns) ?? []]]);
        for (const entry of ing.tls) {
          const cov = tlsCoverage(ing, entry, slice.secrets, secretsInNs, slice.certificates, collect);
          checkTlsConflicts(cov, conflicts().claims, classOf, collect);
        }
      } else if ('service' in other) {
        // A second copy is matched as the object it duplicates: the workloads of the first copy.
        const ns = other.service.id.namespace;
        const slice = sliceOf(ns);
        const key = idText(other.service.id);
        const first = slice.services.get(key);
        const t = serviceTarget(other.service, clusterIndex(cluster).workloadsByLabel);
        if (first) t.workloads = first.workloads;
        const by = slice.routedBy.get(key) ?? routesNaming(cluster).get(key);
        checkSelector(t, new Map([[ns, workloadsOf(cluster, ns)]]), new Map(by ? [[key, by]] : []), collect);
        checkTargetPorts(t, collect);
      } else {
        const p = secretTypeProblem(other.secret, sliceOf(other.secret.id.namespace).users);
        if (p) out.push(p);
      }
      return out;
    },
  };
}
