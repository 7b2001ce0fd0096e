// Go to definition across files: from an Ingress backend's service name to the Service, from its port
// (name or number) to that Service port, from a tls `secretName` to the Secret, from
// `ingressClassName` (or the deprecated annotation) to the IngressClass, and from a Service's
// `targetPort` to the container ports of the workloads the Service selects, and from a named port of
// a NetworkPolicy rule to the container ports of that name on the destination pods; and from a YAML
// alias (`*web`) to its anchor (`&web`).

import { asScalar, asSeq, getIn, getValue, stringValue } from '../syntax/ast';
import type { ParsedDocument } from '../syntax/parse';
import { anchorTokenOf } from '../syntax/refs';
import type { Resource } from '../model/resource';
import { policyInfo } from '../model/cluster';
import type { WorkloadInfo } from '../engine/types';
import { peerWorkloads, ruleAllowsAnyPeer } from '../engine/policy-match';
import type { ResourceIndex } from '../workspace/index';
import { gatewayDefinition } from './definition-gateway';
import { ingressModel } from '../model/ingress';
import { relations } from '../model/relations';
import type { SourceRef } from '../engine/types';
import {
  containerPorts,
  containerPortsMatching,
  ingressBackends,
  ingressClassesNamed,
  ingressClassNode,
  inside,
  nameRef,
  refOf,
  resourceAt,
  resourcesFor,
  secretsNamed,
  servicePorts,
  servicePortsMatching,
  servicesNamed,
  uniqueRefs,
} from './resource-refs';
import { isK8sNetworkPolicy } from '../model/policy-kinds';

export interface DefinitionResult {
  /** The span the definition was asked from (document-relative), for the editor to underline. */
  origin: { start: number; end: number };
  targets: SourceRef[];
}

/** `offset` is relative to the document; `uri` is the file holding it. */
export function definition(
  doc: ParsedDocument,
  offset: number,
  uri: string,
  index: ResourceIndex,
): DefinitionResult | undefined {
  // an alias leads to its anchor (`&name`), above it in the same document
  const alias = doc.aliases?.find((u) => offset >= u.start && offset <= u.end);
  if (alias) {
    const at = anchorTokenOf(doc.text, alias);
    return { origin: alias, targets: [{ uri, start: doc.base + at.start, end: doc.base + at.end }] };
  }
  const r = resourceAt(doc, offset);
  if (!r) return undefined;
  const ns = index.namespaceOf(r);
  const gateway = gatewayDefinition(r, offset, index);
  if (gateway) return gateway;
  if (r.kind === 'Ingress') {
    for (const b of ingressBackends(r)) {
      const name = b.serviceName && b.serviceName.value !== null ? String(b.serviceName.value) : undefined;
      if (!name) continue;
      if (inside(b.serviceName, offset)) {
        return { origin: b.serviceName!, targets: servicesNamed(index, ns, name).map(nameRef) };
      }
      if (b.servicePort && inside(b.servicePort, offset)) {
        const targets = servicesNamed(index, ns, name).flatMap((s) =>
          servicePortsMatching(s.resource, b.servicePort!).map((n) => refOf(s.uri, s.resource, n)),
        );
        return { origin: b.servicePort, targets: uniqueRefs(targets) };
      }
    }
    for (const t of ingressModel(r).tls) {
      const name = t.secretName && typeof t.secretName.value === 'string' ? t.secretName.value : undefined;
      if (name && inside(t.secretName, offset))
        return { origin: t.secretName!, targets: secretsNamed(index, ns, name).map(nameRef) };
    }
    const cls = ingressClassNode(r);
    if (cls && typeof cls.value === 'string' && inside(cls, offset)) {
      return { origin: cls, targets: ingressClassesNamed(index, cls.value).map(nameRef) };
    }
    return undefined;
  }
  if (r.kind === 'Service' && r.name) {
    for (const p of servicePorts(r)) {
      if (!p.targetPort || !inside(p.targetPort, offset)) continue;
      const target = p.targetPort.value;
      if (typeof target !== 'string' && typeof target !== 'number') return undefined;
      const workloads = relations(index).serviceWorkloads.get(`${ns}/${r.name}`) ?? [];
      const targets = workloads.flatMap((w) =>
        resourcesFor(index, w.id).flatMap((e) =>
          containerPortsMatching(e.resource, target, p.protocol).map((n) => refOf(e.uri, e.resource, n)),
        ),
      );
      return { origin: p.targetPort, targets: uniqueRefs(targets) };
    }
    return undefined;
  }
  if (isK8sNetworkPolicy(r)) return policyPortDefinition(r, offset, uri, index);
  return undefined;
}

/** A named port in a NetworkPolicy rule → the container ports of that name on the destination pods:
 * the pods the policy selects for an ingress rule, the pods its peers select for an egress rule. */
function policyPortDefinition(
  r: Resource,
  offset: number,
  uri: string,
  index: ResourceIndex,
): DefinitionResult | undefined {
  const rel = relations(index);
  const ns = index.namespaceOf(r);
  for (const direction of ['ingress', 'egress'] as const) {
    const rules = asSeq(getIn(r.node, ['spec', direction]))?.items ?? [];
    for (let i = 0; i < rules.length; i++) {
      for (const p of asSeq(getValue(rules[i], 'ports'))?.items ?? []) {
        const port = asScalar(getValue(p, 'port'));
        if (!port || typeof port.value !== 'string' || !inside(port, offset)) continue;
        let workloads: WorkloadInfo[];
        if (direction === 'ingress') workloads = rel.policyWorkloads.get(`${ns}/${r.name}`) ?? [];
        else {
          const rule = policyInfo(uri, r, index).egress[i];
          workloads = !rule
            ? []
            : ruleAllowsAnyPeer(rule)
              ? rel.cluster.workloads
              : (rule.peers ?? []).flatMap((peer) => peerWorkloads(rel.cluster, ns, peer) ?? []);
        }
        const name = port.value;
        const protocol = stringValue(getValue(p, 'protocol')) ?? 'TCP';
        const targets = workloads.flatMap((w) =>
          resourcesFor(index, w.id).flatMap((e) =>
            containerPorts(e.resource)
              .filter((c) => c.name?.value === name && c.protocol === protocol)
              .map((c) => refOf(e.uri, e.resource, c.name)),
          ),
        );
        return { origin: port, targets: uniqueRefs(targets) };
      }
    }
  }
  return undefined;
}
