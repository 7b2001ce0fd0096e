// One namespace's part of the route graph: its Services (workloads, ports, selector and targetPort
// problems), the entries and backend edges of its Ingresses, their tls entries and the Secret-type
// problems. Everything here reads objects of that namespace only (an Ingress backend names a Service
// of its own namespace; a tls entry a Secret of its own namespace), plus two workspace-wide values
// that the stamp records: the default IngressClass and which Gateway API route names each Service.
//
// A slice is kept from one revision of a workspace to the next while its stamp holds (the same
// objects, at the same offsets): an edit costs the slice of the namespace it touches, not the graph.
// What crosses namespaces (Gateway API entries, one host given two certificates) is computed in
// graph.ts from the slices.

import type {
  BackendInfo,
  Cluster,
  CertificateInfo,
  IngressInfo,
  IngressTlsInfo,
  SecretInfo,
  ServiceInfo,
  WorkloadInfo,
} from '../types';
import { idText } from '../types';
import { arrayMemo, byNamespaceOf, clusterIndex } from '../cluster-index';
import { memoOn, recall, remember } from '../memo';
import { runToEnd } from '../steps';
import type { Stamp } from '../memo';
import { defaultIngressClass } from './rule-index';
import { backendEdge, checkSelector, checkTargetPorts, serviceTarget } from './service-facts';
import { secretTypeProblem, tlsCoverage } from './tls-facts';
import { routeUsers } from './gateway-facts';
import type {
  BackendEdge,
  IngressEntry,
  Report,
  RouteGraphProblem,
  ServiceTarget,
  TlsEntryCoverage,
} from './graph-types';

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

export const bySource = (
  a: { source?: { uri: string; start: number } },
  b: { source?: { uri: string; start: number } },
) => cmp(a.source?.uri ?? '', b.source?.uri ?? '') || (a.source?.start ?? 0) - (b.source?.start ?? 0);

export interface GraphSlice {
  namespace: string;
  /** By "namespace/name". */
  services: Map<string, ServiceTarget>;
  /** Its Services in source order, each with the problems found on it (selector, then targetPorts). */
  serviceProblems: { target: ServiceTarget; problems: RouteGraphProblem[] }[];
  /** Its Ingresses in namespace/name order, each with its entries and backend problems. */
  ingresses: { ingress: IngressInfo; entries: IngressEntry[]; problems: RouteGraphProblem[] }[];
  backends: Map<BackendInfo, BackendEdge>;
  /** tls entries of its Ingresses (namespace/name order), each with the Secret-missing problems. */
  tls: { ingress: IngressInfo; covs: TlsEntryCoverage[]; problems: RouteGraphProblem[] }[];
  tlsOf: Map<IngressTlsInfo, TlsEntryCoverage>;
  /** ingress-tls-secret-type problems, in cluster order of the Secrets. */
  secretTypes: { secret: SecretInfo; problem: RouteGraphProblem }[];
  /** The tls entries whose Secret holds a certificate (what a host conflict compares). */
  certified: TlsEntryCoverage[];
  /** The problems by rule, file and start offset. */
  at: Map<string, RouteGraphProblem[]>;
  /** What problemsOf needs to check a second copy of an object of this namespace. */
  routedBy: Map<string, string>;
  secrets: Map<string, SecretInfo>;
  certificates: Map<string, string>;
  servicesInNs: ServiceInfo[];
  /** The Secret users of this namespace: "namespace/name" → the first Ingress naming it for TLS. */
  users: Map<string, IngressInfo>;
}

export function atKey(ruleId: string, uri: string, start: number): string {
  return `${ruleId}\n${uri}\n${start}`;
}

const NONE: never[] = [];

/** Objects of one array of the cluster by namespace, in the array's order (once per array). */
export function byNamespace<T extends { id: { namespace: string } }>(list: readonly T[]): Map<string, T[]> {
  return byNamespaceOf(list);
}

function certificatesByNamespace(list: readonly CertificateInfo[]): Map<string, CertificateInfo[]> {
  return arrayMemo(list, 'route-graph:by-namespace', () => {
    const m = new Map<string, CertificateInfo[]>();
    for (const c of list) push(m, c.namespace, c);
    return m;
  });
}

const SEP = Symbol('next list');

/** Every input of a namespace's slice: the objects (and where each starts: positions move in place
 * when a document above them grows), the default class, the route naming each Service. */
function sliceStamp(cluster: Cluster, ns: string): Stamp {
  const stamp: unknown[] = [defaultIngressClass(cluster)];
  const withPlace = (list: readonly { source?: { start: number } }[]) => {
    for (const x of list) stamp.push(x, x.source?.start);
    stamp.push(SEP);
  };
  const services = byNamespace(cluster.services).get(ns) ?? NONE;
  withPlace(services);
  withPlace(byNamespace(cluster.ingresses).get(ns) ?? NONE);
  withPlace(byNamespace(cluster.secrets).get(ns) ?? NONE);
  for (const w of clusterIndex(cluster).workloadsByNamespace.get(ns) ?? NONE) stamp.push(w);
  stamp.push(SEP);
  for (const c of certificatesByNamespace(cluster.certificates ?? NONE).get(ns) ?? NONE) stamp.push(c);
  stamp.push(SEP);
  const routes = routesNaming(cluster);
  for (const s of services) stamp.push(routes.get(idText(s.id)));
  return stamp;
}

/** The stamp of a namespace's slice, once per Cluster object (positions move only between revisions,
 * each of which has its own Cluster): the steps that build a slice and the graph that reads it
 * compare the same stamp. */
function stampOf(cluster: Cluster, ns: string): Stamp {
  return memoOn(cluster, `route-graph:stamp:${ns}`, [], () => sliceStamp(cluster, ns));
}

export function routesNaming(cluster: Cluster): Map<string, string> {
  const routes = cluster.gatewayRoutes ?? NONE;
  return arrayMemo(routes, 'route-graph:route-users', () => routeUsers(cluster));
}

/** The slice of one namespace, kept across revisions of a workspace while its inputs are the same
 * (on the cluster's lineage; a cluster without one keeps its slices on itself). */
export function graphSlice(cluster: Cluster, ns: string): GraphSlice {
  return memoOn(cluster.lineage ?? cluster, `route-graph:slice:${ns}`, stampOf(cluster, ns), () =>
    runToEnd(buildSlice(cluster, ns)),
  );
}

/** The same slice, built in steps when it is not kept already: a generator that yields every few
 * objects (its caller gives other requests a turn in between) and returns the slice, kept as
 * graphSlice keeps it. A namespace of thousands of Services and Ingresses is then never built in one
 * go. */
export function* graphSliceInSteps(cluster: Cluster, ns: string): Generator<void, GraphSlice> {
  const owner = cluster.lineage ?? cluster;
  const key = `route-graph:slice:${ns}`;
  const stamp = stampOf(cluster, ns);
  const hit = recall<GraphSlice>(owner, key, stamp);
  if (hit) return hit.value;
  yield;
  return remember(owner, key, stamp, yield* buildSlice(cluster, ns));
}

/** A list as the slice keeps it: a list grown by push keeps room for 16 more, and a slice lives until
 * its namespace changes (two such lists per Service and Ingress of a namespace of thousands). */
function atSize<T>(list: T[]): T[] {
  return list.length > 0 && list.length < 64 ? list.slice() : list;
}

/** Objects of a slice built between two yields. */
const OBJECTS_PER_STEP = 25;

function* buildSlice(cluster: Cluster, ns: string): Generator<void, GraphSlice> {
  let done = 0;
  const at = new Map<string, RouteGraphProblem[]>();
  let current: RouteGraphProblem[] = [];
  const report: Report = (p, into) => {
    into.push(p);
    current.push(p);
    if (p.at) push(at, atKey(p.ruleId, p.at.uri, p.at.start), p);
  };
  const idx = clusterIndex(cluster);
  const workloadsByNs = idx.workloadsByNamespace;
  const byLabel = idx.workloadsByLabel;
  const servicesInNs = byNamespace(cluster.services).get(ns) ?? NONE;
  const ingressesInNs = byNamespace(cluster.ingresses).get(ns) ?? NONE;
  const secretsInNs = byNamespace(cluster.secrets).get(ns) ?? NONE;
  const servicesByNs = new Map<string, ServiceInfo[]>(servicesInNs.length ? [[ns, servicesInNs]] : []);
  const secretsByNs = new Map<string, SecretInfo[]>(secretsInNs.length ? [[ns, secretsInNs]] : []);
  const secrets = new Map<string, SecretInfo>();
  for (const s of [...secretsInNs].sort(bySource))
    if (!secrets.has(idText(s.id))) secrets.set(idText(s.id), s);
  const certificates = new Map<string, string>();
  for (const c of certificatesByNamespace(cluster.certificates ?? NONE).get(ns) ?? NONE)
    certificates.set(`${c.namespace}/${c.secretName}`, c.name);

  // Who routes to a Service: the first Ingress backend naming it (default backend first, in workspace
  // order), else the first Gateway API route rule naming it.
  const routedBy = new Map<string, string>();
  for (const ing of ingressesInNs) {
    const note = (b: BackendInfo | undefined) => {
      if (b?.kind === 'service' && !routedBy.has(`${ns}/${b.service}`))
        routedBy.set(`${ns}/${b.service}`, `Ingress "${ing.id.name}"`);
    };
    note(ing.defaultBackend);
    for (const r of ing.rules) for (const p of r.paths) note(p.backend);
  }
  const routes = routesNaming(cluster);
  for (const s of servicesInNs) {
    const key = idText(s.id);
    const by = routes.get(key);
    if (by !== undefined && !routedBy.has(key)) routedBy.set(key, by);
  }

  // Services, their workloads and ports.
  const services = new Map<string, ServiceTarget>();
  const serviceProblems: GraphSlice['serviceProblems'] = [];
  for (const svc of [...servicesInNs].sort(bySource)) {
    if (++done % OBJECTS_PER_STEP === 0) yield;
    const key = idText(svc.id);
    const target = serviceTarget(svc, byLabel);
    if (!services.has(key)) services.set(key, target);
    current = [];
    checkSelector(target, workloadsByNs, routedBy, report);
    checkTargetPorts(target, report);
    serviceProblems.push({ target, problems: atSize(current) });
  }

  // Entry points and their backends.
  // (each name read once, not twice per comparison: the sort of 2,000 Ingresses built 40,000 strings)
  const ingresses = ingressesInNs
    .map((ing) => ({ ing, key: idText(ing.id) }))
    .sort((a, b) => cmp(a.key, b.key))
    .map((x) => x.ing);
  const ingressParts: GraphSlice['ingresses'] = [];
  const backends = new Map<BackendInfo, BackendEdge>();
  const defaultClass = defaultIngressClass(cluster);
  for (const ing of ingresses) {
    if (++done % OBJECTS_PER_STEP === 0) yield;
    const ingressClass = (ing.className || defaultClass) ?? null;
    current = [];
    const entries: IngressEntry[] = [];
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
    ingressParts.push({ ingress: ing, entries: atSize(entries), problems: atSize(current) });
  }

  // TLS: each tls entry and its Secret.
  const tls: GraphSlice['tls'] = [];
  const tlsOf = new Map<IngressTlsInfo, TlsEntryCoverage>();
  const certified: TlsEntryCoverage[] = [];
  for (const ing of ingresses) {
    if (++done % OBJECTS_PER_STEP === 0) yield;
    current = [];
    const covs: TlsEntryCoverage[] = [];
    for (const entry of ing.tls) {
      const cov = tlsCoverage(ing, entry, secrets, secretsByNs, certificates, report);
      covs.push(cov);
      tlsOf.set(entry, cov);
    }
    if (covs.length) tls.push({ ingress: ing, covs, problems: current });
  }

  // Secrets used for TLS that are not TLS Secrets (the users: the first Ingress naming each Secret,
  // in workspace order).
  const users = new Map<string, IngressInfo>();
  for (const ing of ingressesInNs)
    for (const entry of ing.tls)
      if (entry.secretName && !users.has(`${ns}/${entry.secretName}`))
        users.set(`${ns}/${entry.secretName}`, ing);
  const coverageOf = new Map<SecretInfo, TlsEntryCoverage[]>();
  for (const part of tls) for (const t of part.covs) if (t.secret) push(coverageOf, t.secret, t);
  const secretTypes: GraphSlice['secretTypes'] = [];
  for (const s of secretsInNs) {
    const problem = secretTypeProblem(s, users);
    if (!problem) continue;
    current = [];
    report(problem, []);
    secretTypes.push({ secret: s, problem });
    for (const t of coverageOf.get(s) ?? []) t.problems.push(problem);
  }
  for (const part of tls)
    for (const cov of part.covs)
      if (cov.secret?.certificateFingerprint && cov.secretName) certified.push(cov);

  return {
    namespace: ns,
    services,
    serviceProblems,
    ingresses: ingressParts,
    backends,
    tls,
    tlsOf,
    secretTypes,
    certified,
    at,
    routedBy,
    secrets,
    certificates,
    servicesInNs,
    users,
  };
}

/** The workloads of a namespace (for checking a second copy of a Service). */
export function workloadsOf(cluster: Cluster, ns: string): WorkloadInfo[] {
  return clusterIndex(cluster).workloadsByNamespace.get(ns) ?? NONE;
}
