// CodeLens with live counts over each Service, Ingress and NetworkPolicy of a file:
//   Service:        "2 ingresses route here · selects 3 workloads"
//   NetworkPolicy:  "selects 2 workloads · allows from 1 peer · denies all egress"
//   Ingress:        "3 paths → 2 services"
//   Gateway API:    "3 routes attached · 1 refused" on a Gateway, its listeners on a route
//                   (code-lens-gateway.ts)
// Each lens carries the locations it counts, for the editor to show as references.

import type { ParsedFile } from '../syntax/file';
import { asMap, getIn } from '../syntax/ast';
import type { ResourceIndex } from '../workspace/index';
import type { Resource } from '../model/resource';
import { resourcesOf } from '../model/resource';
import { relations } from '../model/relations';
import { ingressInfo, policyInfo } from '../model/cluster';
import type { BackendInfo, PolicyInfo, SourceRef } from '../engine/types';
import { ruleAllowsAnyPeer } from '../engine/policy-match';
import { nameRef, plural, servicesNamed, uniqueRefs } from './resource-refs';
import { backendRefsTo, workloadRefs } from './references';
import { gatewayLens, gatewayRoutesToService } from './code-lens-gateway';
import { isK8sNetworkPolicy } from '../model/policy-kinds';

export interface Lens {
  /** Absolute offset in the file where the lens sits (the start of the resource). */
  offset: number;
  title: string;
  /** What the counts count (empty when there is nothing to show). */
  locations: SourceRef[];
}

function directionText(info: PolicyInfo, direction: 'ingress' | 'egress'): string | undefined {
  const type = direction === 'ingress' ? 'Ingress' : 'Egress';
  if (!info.policyTypes.includes(type)) return undefined;
  const rules = info[direction];
  if (rules.length === 0) return `denies all ${direction}`;
  if (rules.some(ruleAllowsAnyPeer))
    return direction === 'ingress' ? 'allows ingress from anywhere' : 'allows egress anywhere';
  const peers = rules.reduce((n, r) => n + (r.peers?.length ?? 0), 0);
  return `allows ${direction === 'ingress' ? 'from' : 'to'} ${plural(peers, 'peer')}`;
}

function serviceLens(uri: string, r: Resource, index: ResourceIndex): Omit<Lens, 'offset'> {
  const rel = relations(index);
  const key = `${index.namespaceOf(r)}/${r.name}`;
  const ingresses = new Set(
    (rel.serviceUsers.get(key) ?? []).map((u) => `${u.ingress.id.namespace}/${u.ingress.id.name}`),
  ).size;
  const gw = gatewayRoutesToService(index, index.namespaceOf(r), r.name!);
  const gwText = gw.routes.length === 1 ? '1 Gateway route' : `${gw.routes.length} Gateway routes`;
  const routes =
    gw.routes.length > 0 && ingresses === 0
      ? `${gwText} send${gw.routes.length === 1 ? 's' : ''} here`
      : (ingresses === 0
          ? 'no ingress routes here'
          : ingresses === 1
            ? '1 ingress routes here'
            : `${ingresses} ingresses route here`) + (gw.routes.length ? ` · ${gwText}` : '');
  const hasSelector = (asMap(getIn(r.node, ['spec', 'selector']))?.pairs.length ?? 0) > 0;
  const workloads = rel.serviceWorkloads.get(key) ?? [];
  const selects = hasSelector ? `selects ${plural(workloads.length, 'workload')}` : 'no selector';
  return {
    title: `${routes} · ${selects}`,
    locations: uniqueRefs([
      ...backendRefsTo(index, index.namespaceOf(r), r.name!),
      ...gw.refs,
      ...workloadRefs(index, workloads),
    ]),
  };
}

function policyLens(uri: string, r: Resource, index: ResourceIndex): Omit<Lens, 'offset'> {
  const rel = relations(index);
  const info = policyInfo(uri, r, index);
  const workloads = rel.policyWorkloads.get(`${info.id.namespace}/${info.id.name}`) ?? [];
  const parts = [`selects ${plural(workloads.length, 'workload')}`];
  for (const d of ['ingress', 'egress'] as const) {
    const t = directionText(info, d);
    if (t) parts.push(t);
  }
  return { title: parts.join(' · '), locations: workloadRefs(index, workloads) };
}

function ingressLens(uri: string, r: Resource, index: ResourceIndex): Omit<Lens, 'offset'> {
  const info = ingressInfo(uri, r, index);
  const ns = info.id.namespace;
  const paths = info.rules.reduce((n, rule) => n + rule.paths.length, 0);
  const backends: (BackendInfo | undefined)[] = [
    info.defaultBackend,
    ...info.rules.flatMap((rule) => rule.paths.map((p) => p.backend)),
  ];
  const names = [...new Set(backends.flatMap((b) => (b && b.kind === 'service' ? [b.service] : [])))];
  const found = names.map((n) => servicesNamed(index, ns, n));
  const missing = found.filter((f) => f.length === 0).length;
  const services = `${plural(names.length, 'service')}${missing ? ` (${missing} missing)` : ''}`;
  let title: string;
  if (paths === 0 && info.defaultBackend) title = `default backend → ${services}`;
  else title = `${plural(paths, 'path')}${info.defaultBackend ? ' + default backend' : ''} → ${services}`;
  return { title, locations: uniqueRefs(found.flat().map(nameRef)) };
}

/** The lenses of one file. */
export function codeLenses(file: ParsedFile, uri: string, index: ResourceIndex): Lens[] {
  const out: Lens[] = [];
  for (const doc of file.docs) {
    for (const r of resourcesOf(doc)) {
      if (!r.name) continue;
      let lens: Omit<Lens, 'offset'> | undefined;
      if (r.kind === 'Service' && r.apiVersion === 'v1') lens = serviceLens(uri, r, index);
      else if (isK8sNetworkPolicy(r)) lens = policyLens(uri, r, index);
      else if (r.kind === 'Ingress') lens = ingressLens(uri, r, index);
      else lens = gatewayLens(uri, r, index);
      if (lens) out.push({ offset: doc.base + r.node.start, ...lens });
    }
  }
  return out;
}
