// Plain-language hovers over whole resources:
// - a NetworkPolicy (on its kind, metadata.name or the `spec` key): which pods it applies to (naming
//   the workloads), what it isolates (with the policyTypes Kubernetes infers when omitted), what it
//   allows and on which ports, and what it therefore denies;
// - a NetworkPolicy peer (`from`/`to` item): whether its selectors combine with AND (one item) or
//   OR (separate items);
// - an Ingress (on its kind, metadata.name or `spec`): for each host and path, which Service, port and
//   pods it reaches;
// - a Service (the same places): the Ingresses routing to it, the workloads it selects, where each port
//   lands, and the NetworkPolicies selecting its pods;
// - a workload (the same places): the Services in front of it, the Ingresses reaching it, the
//   NetworkPolicies selecting its pods.
// The words are built from the engine's plain values; field documentation is kept by the caller. One
// file per kind: hover-explain-policy.ts, -ingress.ts, -service.ts (Services and workloads), over the
// shared words of hover-explain-words.ts; this file finds what the cursor is on.

import type { ParsedDocument } from '../syntax/parse';
import type { ResourceIndex } from '../workspace/index';
import type { Resource } from '../model/resource';
import { relations } from '../model/relations';
import { ingressInfo, policyInfo, serviceInfo, workloadInfo } from '../model/cluster';
import { WORKLOAD_KINDS } from '../model/resource';
import type { HoverResult } from './hover';
import { asMap } from '../syntax/ast';
import { inside, pairIn, resourceAt } from './resource-refs';
import { peerAt } from './references';
import { isTierHoverResource, tierPolicyMarkdown } from './hover-tiers';
import { isK8sNetworkPolicy } from '../model/policy-kinds';
import { peerMarkdown, policyMarkdown } from './hover-explain-policy';
import { ingressMarkdown } from './hover-explain-ingress';
import { serviceMarkdown, workloadMarkdown } from './hover-explain-service';

function wholeResourceSpan(r: Resource, offset: number) {
  for (const span of [r.kindNode, r.nameNode, pairIn(r.node, ['spec'])?.key])
    if (span && inside(span, offset)) return span;
  return undefined;
}

/** A plain-language explanation at a document-relative offset, or undefined. */
export function explainHover(
  doc: ParsedDocument,
  offset: number,
  uri: string,
  index: ResourceIndex,
): HoverResult | undefined {
  try {
    return explain(doc, offset, uri, index);
  } catch {
    // Half-typed YAML must never cost the user the field documentation.
    return undefined;
  }
}

function explain(
  doc: ParsedDocument,
  offset: number,
  uri: string,
  index: ResourceIndex,
): HoverResult | undefined {
  const r = resourceAt(doc, offset);
  if (!r) return undefined;
  const tierMd = isTierHoverResource(r) ? wholeResourceSpan(r, offset) : undefined;
  if (tierMd) {
    const md = tierPolicyMarkdown(r, index);
    return md ? { markdown: md, start: tierMd.start, end: tierMd.end } : undefined;
  }
  if (r.kind === 'NetworkPolicy' && isK8sNetworkPolicy(r)) {
    const rel = relations(index);
    // On the keys of a peer item (podSelector, namespaceSelector, ipBlock): the AND/OR reading.
    const at = peerAt(r, offset);
    if (at && asMap(at.node)?.pairs.some((p) => inside(p.key, offset))) {
      const md = peerMarkdown(rel.cluster, policyInfo(uri, r, index), at.direction, at.rule, at.peer);
      return md ? { markdown: md, start: at.node.start, end: at.node.end } : undefined;
    }
    const span = wholeResourceSpan(r, offset);
    if (!span) return undefined;
    return {
      markdown: policyMarkdown(rel.cluster, policyInfo(uri, r, index)),
      start: span.start,
      end: span.end,
    };
  }
  if (r.kind === 'Service' && r.apiVersion === 'v1') {
    const span = wholeResourceSpan(r, offset);
    if (!span) return undefined;
    return {
      markdown: serviceMarkdown(relations(index), serviceInfo(uri, r, index)),
      start: span.start,
      end: span.end,
    };
  }
  if (WORKLOAD_KINDS.has(r.kind) && r.name) {
    const span = wholeResourceSpan(r, offset);
    if (!span) return undefined;
    const w = workloadInfo(uri, r, index);
    return w
      ? { markdown: workloadMarkdown(relations(index), w), start: span.start, end: span.end }
      : undefined;
  }
  if (r.kind === 'Ingress') {
    const span = wholeResourceSpan(r, offset);
    if (!span) return undefined;
    const rel = relations(index);
    return {
      markdown: ingressMarkdown(rel.cluster, rel.serviceWorkloads, ingressInfo(uri, r, index)),
      start: span.start,
      end: span.end,
    };
  }
  return undefined;
}

/** The explanation first, then the field documentation (never lost), over the field's span. */
export function withExplanation(
  explanation: HoverResult | undefined,
  field: HoverResult | undefined,
): HoverResult | undefined {
  if (!explanation) return field;
  if (!field) return explanation;
  return {
    markdown: `${explanation.markdown}\n\n---\n\n${field.markdown}`,
    start: field.start,
    end: field.end,
  };
}
