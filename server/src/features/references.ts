// Find references: what uses a resource, and what a selector selects.
// - Service (anywhere but its selector): the Ingress backends that route to it.
// - Service `selector`, NetworkPolicy `podSelector` (or anywhere else on the policy): the workloads selected.
// - A NetworkPolicy peer (`from`/`to` item): the workloads that peer admits.
// - Secret: the Ingress tls entries naming it. IngressClass: the Ingresses of that class.
// - A workload: the Services and NetworkPolicies whose selectors pick its pods.
// - On an Ingress backend name, `secretName` or `ingressClassName`: the other uses of that resource.
// - Gateway API (references-gateway.ts): a Gateway's routes, a GatewayClass's Gateways; route backendRefs
//   count as uses of a Service, listener certificateRefs as uses of a Secret.

import type { ParsedDocument } from '../syntax/parse';
import { anchorTokenOf } from '../syntax/refs';
import type { ResourceIndex } from '../workspace/index';
import type { Resource } from '../model/resource';
import { WORKLOAD_KINDS } from '../model/resource';
import { ingressModel } from '../model/ingress';
import { relations } from '../model/relations';
import { policyInfo } from '../model/cluster';
import type { AstNode } from '../syntax/ast';
import { asMap, asSeq, getIn, getValue } from '../syntax/ast';
import type { PolicyPeerInfo, ResourceId, SourceRef, WorkloadInfo } from '../engine/types';
import { peerWorkloads } from '../engine/policy-match';
import { certificateRefsTo, gatewayReferences, routeBackendRefsTo } from './references-gateway';
import {
  ingressBackends,
  ingressClassesNamed,
  ingressClassNode,
  inside,
  nameRef,
  pairIn,
  refOf,
  resourceAt,
  resourcesFor,
  secretsNamed,
  servicesNamed,
  uniqueRefs,
} from './resource-refs';

export interface ReferencesResult {
  /** Where the thing itself is declared (returned when the client asks to include the declaration). */
  declarations: SourceRef[];
  references: SourceRef[];
}

const key = (ns: string, name: string) => `${ns}/${name}`;

function distinctIds<T extends { id: ResourceId }>(list: T[]): ResourceId[] {
  const seen = new Set<string>();
  const out: ResourceId[] = [];
  for (const x of list) {
    const k = `${x.id.kind}/${x.id.namespace}/${x.id.name}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(x.id);
    }
  }
  return out;
}

/** The service-name spans of every Ingress backend that routes to a Service. */
export function backendRefsTo(index: ResourceIndex, namespace: string, service: string): SourceRef[] {
  const uses = relations(index).serviceUsers.get(key(namespace, service)) ?? [];
  const refs: (SourceRef | undefined)[] = [];
  for (const id of distinctIds(uses.map((u) => u.ingress))) {
    for (const e of resourcesFor(index, id)) {
      for (const b of ingressBackends(e.resource)) {
        if (b.serviceName && b.serviceName.value !== null && String(b.serviceName.value) === service)
          refs.push(refOf(e.uri, e.resource, b.serviceName));
      }
    }
  }
  return uniqueRefs(refs);
}

/** The `secretName` spans of every Ingress tls entry naming a Secret. */
export function tlsRefsTo(index: ResourceIndex, namespace: string, secret: string): SourceRef[] {
  const users = relations(index).secretUsers.get(key(namespace, secret)) ?? [];
  const refs: (SourceRef | undefined)[] = [];
  for (const id of distinctIds(users)) {
    for (const e of resourcesFor(index, id)) {
      for (const t of ingressModel(e.resource).tls)
        if (t.secretName && t.secretName.value === secret) refs.push(refOf(e.uri, e.resource, t.secretName));
    }
  }
  return uniqueRefs(refs);
}

/** The class spans of every Ingress of an IngressClass. */
export function classRefsTo(index: ResourceIndex, className: string): SourceRef[] {
  const refs: (SourceRef | undefined)[] = [];
  for (const e of index.all()) {
    if (e.resource.kind !== 'Ingress') continue;
    const n = ingressClassNode(e.resource);
    if (n && n.value === className) refs.push(refOf(e.uri, e.resource, n));
  }
  return uniqueRefs(refs);
}

/** The name spans of workloads. */
export function workloadRefs(index: ResourceIndex, workloads: WorkloadInfo[]): SourceRef[] {
  return uniqueRefs(distinctIds(workloads).flatMap((id) => resourcesFor(index, id).map(nameRef)));
}

/** The `selector` keys of Services and `podSelector` keys of NetworkPolicies that select a workload. */
export function selectorRefsOf(index: ResourceIndex, namespace: string, workload: string): SourceRef[] {
  const rel = relations(index);
  const refs: (SourceRef | undefined)[] = [];
  for (const id of distinctIds(rel.workloadServices.get(key(namespace, workload)) ?? [])) {
    for (const e of resourcesFor(index, id))
      refs.push(refOf(e.uri, e.resource, pairIn(e.resource.node, ['spec', 'selector'])?.key));
  }
  for (const id of distinctIds(rel.workloadPolicies.get(key(namespace, workload)) ?? [])) {
    for (const e of resourcesFor(index, id)) {
      const pair = pairIn(e.resource.node, ['spec', 'podSelector']);
      refs.push(refOf(e.uri, e.resource, pair?.key ?? e.resource.nameNode));
    }
  }
  return uniqueRefs(refs);
}

/** The peer (`from`/`to` item) of a NetworkPolicy under an offset, with its position in the rules. */
export function peerAt(
  r: Resource,
  offset: number,
): { direction: 'ingress' | 'egress'; rule: number; peer: number; node: AstNode } | undefined {
  for (const direction of ['ingress', 'egress'] as const) {
    const rules = asSeq(getIn(r.node, ['spec', direction]))?.items ?? [];
    for (let i = 0; i < rules.length; i++) {
      if (!inside(rules[i], offset)) continue;
      const peers = asSeq(getValue(asMap(rules[i]), direction === 'ingress' ? 'from' : 'to'))?.items ?? [];
      for (let j = 0; j < peers.length; j++)
        if (inside(peers[j], offset)) return { direction, rule: i, peer: j, node: peers[j] };
    }
  }
  return undefined;
}

export function peerInfoAt(
  uri: string,
  r: Resource,
  index: ResourceIndex,
  at: { direction: 'ingress' | 'egress'; rule: number; peer: number },
): PolicyPeerInfo | undefined {
  const info = policyInfo(uri, r, index);
  return (at.direction === 'ingress' ? info.ingress : info.egress)[at.rule]?.peers?.[at.peer];
}

/** On an anchor (`&web`) or one of its aliases (`*web`): the anchor, and every alias of it in the
 * document. */
function anchorReferences(doc: ParsedDocument, offset: number, uri: string): ReferencesResult | undefined {
  const uses = doc.aliases;
  if (!uses) return undefined;
  for (const u of uses) {
    const token = anchorTokenOf(doc.text, u);
    if (!(offset >= u.start && offset <= u.end) && !(offset >= token.start && offset <= token.end)) continue;
    const at = (s: { start: number; end: number }) => ({
      uri,
      start: doc.base + s.start,
      end: doc.base + s.end,
    });
    return {
      declarations: [at(token)],
      references: uses
        .filter((x) => x.anchor.start === u.anchor.start && x.anchor.end === u.anchor.end)
        .map(at),
    };
  }
  return undefined;
}

/** `offset` is relative to the document. */
export function references(
  doc: ParsedDocument,
  offset: number,
  uri: string,
  index: ResourceIndex,
): ReferencesResult | undefined {
  const anchor = anchorReferences(doc, offset, uri);
  if (anchor) return anchor;
  const r = resourceAt(doc, offset);
  if (!r || !r.name) return undefined;
  const ns = index.namespaceOf(r);
  const self = refOf(uri, r, r.nameNode);
  const selfDecl = self ? [self] : [];
  const rel = relations(index);
  if (r.kind === 'Service' && r.apiVersion === 'v1') {
    if (inside(pairIn(r.node, ['spec', 'selector']), offset)) {
      return {
        declarations: selfDecl,
        references: workloadRefs(index, rel.serviceWorkloads.get(key(ns, r.name)) ?? []),
      };
    }
    return {
      declarations: selfDecl,
      references: uniqueRefs([...backendRefsTo(index, ns, r.name), ...routeBackendRefsTo(index, ns, r.name)]),
    };
  }
  if (r.kind === 'NetworkPolicy') {
    const at = peerAt(r, offset);
    if (at) {
      const peer = peerInfoAt(uri, r, index, at);
      const selected = peer ? peerWorkloads(rel.cluster, ns, peer) : undefined;
      return { declarations: [], references: selected ? workloadRefs(index, selected) : [] };
    }
    return {
      declarations: selfDecl,
      references: workloadRefs(index, rel.policyWorkloads.get(key(ns, r.name)) ?? []),
    };
  }
  if (r.kind === 'Secret' && r.apiVersion === 'v1')
    return {
      declarations: selfDecl,
      references: uniqueRefs([...tlsRefsTo(index, ns, r.name), ...certificateRefsTo(index, ns, r.name)]),
    };
  const gatewayRefs = gatewayReferences(r, index);
  if (gatewayRefs) return { declarations: selfDecl, references: gatewayRefs };
  if (r.kind === 'IngressClass') return { declarations: selfDecl, references: classRefsTo(index, r.name) };
  if (WORKLOAD_KINDS.has(r.kind))
    return { declarations: selfDecl, references: selectorRefsOf(index, ns, r.name) };
  if (r.kind === 'Ingress') {
    for (const b of ingressBackends(r)) {
      if (!b.serviceName || b.serviceName.value === null || !inside(b.serviceName, offset)) continue;
      const name = String(b.serviceName.value);
      return {
        declarations: servicesNamed(index, ns, name).map(nameRef),
        references: backendRefsTo(index, ns, name),
      };
    }
    for (const t of ingressModel(r).tls) {
      if (!t.secretName || typeof t.secretName.value !== 'string' || !inside(t.secretName, offset)) continue;
      return {
        declarations: secretsNamed(index, ns, t.secretName.value).map(nameRef),
        references: tlsRefsTo(index, ns, t.secretName.value),
      };
    }
    const cls = ingressClassNode(r);
    if (cls && typeof cls.value === 'string' && inside(cls, offset)) {
      return {
        declarations: ingressClassesNamed(index, cls.value).map(nameRef),
        references: classRefsTo(index, cls.value),
      };
    }
  }
  return undefined;
}
