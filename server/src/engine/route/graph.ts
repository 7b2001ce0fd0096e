// The route graph: every way into the cluster that the manifests declare (an Ingress path, an Ingress
// default backend, a Gateway API listener, a route rule of an HTTPRoute, GRPCRoute, TLSRoute, TCPRoute
// or UDPRoute),
// the edges down to Service → port → targetPort → workloads → container port, the TLS coverage of
// each tls entry, and the problems found on the way. Each problem carries the rule id it is reported
// under, one severity and one message: the rules, the preview and `kube-netlens route` all read them
// from here, so a fact has one wording everywhere.
//
// Built once per workspace revision: routeGraph() memoises it on the revision's Cluster object through
// clusterMemo, the engine's one per-cluster memo.
//
// The Service side (selectors, ports, backends) is in ./service-facts.ts, the TLS side in ./tls-facts.ts,
// the Gateway API side in ./gateway-facts.ts.

import type {
  BackendInfo,
  Cluster,
  IngressInfo,
  IngressTlsInfo,
  SecretInfo,
  ServiceInfo,
  SourceRef,
} from '../types';
import { idText } from '../types';
import { clusterIndex, clusterMemo } from '../cluster-index';
import { effectiveIngressClass } from './rule-index';
import { backendEdge, checkSelector, checkTargetPorts, serviceTarget } from './service-facts';
import {
  checkSecretTypes,
  checkTlsConflicts,
  secretTypeProblem,
  tlsClaims,
  tlsCoverage,
  tlsUsers,
} from './tls-facts';
import { gatewayEntries, routeUsers } from './gateway-facts';
import type { BackendRefInfo } from '../gateway/types';

export { RUNTIME_LABELS, checkableSelector } from './service-facts';

export * from './graph-types';
import type {
  BackendEdge,
  RouteBackendEdge,
  RouteEntry,
  RouteGraph,
  RouteGraphProblem,
  ServiceTarget,
  TlsEntryCoverage,
  Report,
} from './graph-types';

/** The route graph of a cluster, built once per Cluster object (the workspace builds one per revision). */
export function routeGraph(cluster: Cluster): RouteGraph {
  return clusterMemo(cluster, 'route-graph', () => buildRouteGraph(cluster));
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const bySource = (a: { source?: SourceRef }, b: { source?: SourceRef }) =>
  cmp(a.source?.uri ?? '', b.source?.uri ?? '') || (a.source?.start ?? 0) - (b.source?.start ?? 0);

export function buildRouteGraph(cluster: Cluster): RouteGraph {
  const problems: RouteGraphProblem[] = [];
  const at = new Map<string, RouteGraphProblem[]>();
  const report = (p: RouteGraphProblem, into: RouteGraphProblem[]) => {
    into.push(p);
    problems.push(p);
    if (p.at) push(at, `${p.ruleId}\n${p.at.uri}\n${p.at.start}`, p);
  };

  // Workloads by namespace and by label (the engine's cluster index): a selector is checked only
  // against the workloads carrying its first label.
  const { workloadsByNamespace: workloadsByNs, workloadsByLabel: byLabel } = clusterIndex(cluster);
  const servicesByNs = new Map<string, ServiceInfo[]>();
  for (const s of cluster.services) push(servicesByNs, s.id.namespace, s);
  const secretsByNs = new Map<string, SecretInfo[]>();
  for (const s of cluster.secrets) push(secretsByNs, s.id.namespace, s);
  const secrets = new Map<string, SecretInfo>();
  for (const s of [...cluster.secrets].sort(bySource))
    if (!secrets.has(idText(s.id))) secrets.set(idText(s.id), s);
  const certificates = new Map<string, string>();
  for (const c of cluster.certificates ?? []) certificates.set(`${c.namespace}/${c.secretName}`, c.name);

  // Who routes to a Service: the first Ingress backend naming it (default backend first, in workspace
  // order), else the first Gateway API route rule naming it.
  const routedBy = new Map<string, string>();
  for (const ing of cluster.ingresses) {
    const note = (b: BackendInfo | undefined) => {
      if (b?.kind === 'service' && !routedBy.has(`${ing.id.namespace}/${b.service}`))
        routedBy.set(`${ing.id.namespace}/${b.service}`, `Ingress "${ing.id.name}"`);
    };
    note(ing.defaultBackend);
    for (const r of ing.rules) for (const p of r.paths) note(p.backend);
  }
  for (const [key, by] of routeUsers(cluster)) if (!routedBy.has(key)) routedBy.set(key, by);

  // Services, their workloads and ports.
  const services = new Map<string, ServiceTarget>();
  for (const svc of [...cluster.services].sort(bySource)) {
    const key = idText(svc.id);
    const target = serviceTarget(svc, byLabel);
    if (!services.has(key)) services.set(key, target);
    checkSelector(target, workloadsByNs, routedBy, report);
    checkTargetPorts(target, report);
  }

  // Entry points and their backends.
  const entries: RouteEntry[] = [];
  const backends = new Map<BackendInfo, BackendEdge>();
  const ingresses = [...cluster.ingresses].sort((a, b) => cmp(idText(a.id), idText(b.id)));
  for (const ing of ingresses) {
    const ingressClass = effectiveIngressClass(cluster, ing.className) ?? null;
    const edge = (b: BackendInfo | undefined) => {
      if (!b) return undefined;
      const e = backendEdge(ing, b, services, servicesByNs, workloadsByNs, report);
      backends.set(b, e);
      return e;
    };
    ing.rules.forEach((rule, ri) => {
      rule.paths.forEach((path, pi) => {
        entries.push({
          kind: 'ingress-path',
          id: `path:${idText(ing.id)}/${ri}/${pi}`,
          ingress: ing,
          ingressClass,
          host: rule.host?.toLowerCase() || null,
          rule: ri,
          index: pi,
          path,
          backend: edge(path.backend),
          source: path.source,
        });
      });
    });
    if (ing.defaultBackend) {
      entries.push({
        kind: 'ingress-default',
        id: `default:${idText(ing.id)}`,
        ingress: ing,
        ingressClass,
        hosts: [...new Set(ing.rules.map((r) => r.host?.toLowerCase() || null))],
        backend: edge(ing.defaultBackend),
        source: ing.defaultBackend.source,
      });
    }
  }

  // Gateway API: listeners and route rules, their backendRefs leading to the same Service facts.
  const routeBackends = new Map<BackendRefInfo, RouteBackendEdge>();
  entries.push(...gatewayEntries(cluster, services, servicesByNs, routeBackends, report));

  // TLS: each tls entry and its Secret; Secrets used for TLS that are not TLS Secrets.
  const tls: TlsEntryCoverage[] = [];
  const tlsOf = new Map<IngressTlsInfo, TlsEntryCoverage>();
  for (const ing of ingresses) {
    for (const entry of ing.tls) {
      const cov = tlsCoverage(ing, entry, secrets, secretsByNs, certificates, report);
      tls.push(cov);
      tlsOf.set(entry, cov);
    }
  }
  const users = tlsUsers(cluster);
  checkSecretTypes(cluster, users, tls, report);
  // One host, two certificates: tls entries of Ingresses of one class, compared host by host.
  const classOf = (ing: IngressInfo) => effectiveIngressClass(cluster, ing.className) ?? '';
  const claims = tlsClaims(tls, classOf);
  for (const cov of tls) checkTlsConflicts(cov, claims, classOf, report);

  return {
    entries,
    services,
    tls,
    backends,
    tlsOf,
    routeBackends,
    problems,
    problemsAt: (ruleId, uri, start) => at.get(`${ruleId}\n${uri}\n${start}`) ?? [],
    problemsOf: (other) => {
      const out: RouteGraphProblem[] = [];
      const collect: Report = (p, into) => {
        into.push(p);
        out.push(p);
      };
      if ('ingress' in other) {
        const ing = other.ingress;
        for (const b of [ing.defaultBackend, ...ing.rules.flatMap((r) => r.paths.map((x) => x.backend))])
          if (b) backendEdge(ing, b, services, servicesByNs, workloadsByNs, collect);
        for (const entry of ing.tls) {
          const cov = tlsCoverage(ing, entry, secrets, secretsByNs, certificates, collect);
          checkTlsConflicts(cov, claims, classOf, collect);
        }
      } else if ('service' in other) {
        // A second copy is matched as the object it duplicates: the workloads of the first copy.
        const first = services.get(idText(other.service.id));
        const t = serviceTarget(other.service, byLabel);
        if (first) t.workloads = first.workloads;
        checkSelector(t, workloadsByNs, routedBy, collect);
        checkTargetPorts(t, collect);
      } else {
        const p = secretTypeProblem(other.secret, users);
        if (p) out.push(p);
      }
      return out;
    },
  };
}
