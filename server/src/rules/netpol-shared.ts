// What the NetworkPolicy rules share: the policy of the resource being checked as engine input (with
// its YAML nodes alongside), and the signals that say whether the workspace holds the pods of a
// namespace at all.

import type { AstNode, MapNode, PairNode } from '../syntax/ast';
import { asMap, asScalar, asSeq, getPair, getValue } from '../syntax/ast';
import type { ResourceIndex } from '../model/index';
import type { Resource } from '../model/resource';
import { COVERED_KINDS } from '../model/resource';
import { policyInfo } from '../model/cluster';
import type { PolicyInfo, PolicyPeerInfo, PolicyRuleInfo } from '../engine/types';
import { labelKey, labelValue } from './k8s-values';

export interface PeerNodes {
  /** The list item (a map for a well-formed peer). */
  node: AstNode;
  info: PolicyPeerInfo;
}

export interface RuleNodes {
  direction: 'ingress' | 'egress';
  node: AstNode;
  info: PolicyRuleInfo;
  /** The `from` / `to` sequence. */
  peersNode?: AstNode;
  peers: PeerNodes[];
  /** The `ports` items. */
  ports: AstNode[];
}

export interface PolicyNodes {
  info: PolicyInfo;
  spec: MapNode | undefined;
  podSelectorPair: PairNode | undefined;
  rules: RuleNodes[];
}

const nodesCache = new WeakMap<Resource, { index: ResourceIndex; ns: string; value: PolicyNodes }>();

/** The policy of a NetworkPolicy resource, with the nodes each part came from. */
export function policyNodes(r: Resource, index: ResourceIndex): PolicyNodes {
  const cached = nodesCache.get(r);
  const ns = index.namespaceOf(r);
  if (cached && cached.index === index && cached.ns === ns) return cached.value;
  const info = policyInfo('', r, index);
  const spec = asMap(getValue(r.node, 'spec'));
  const rules: RuleNodes[] = [];
  for (const direction of ['ingress', 'egress'] as const) {
    const infos = direction === 'ingress' ? info.ingress : info.egress;
    (asSeq(getValue(spec, direction))?.items ?? []).forEach((node, i) => {
      const peersNode = getValue(node, direction === 'ingress' ? 'from' : 'to') ?? undefined;
      const peerInfos = infos[i].peers ?? [];
      rules.push({
        direction,
        node,
        info: infos[i],
        peersNode,
        peers: (asSeq(peersNode)?.items ?? []).map((p, j) => ({ node: p, info: peerInfos[j] })),
        ports: asSeq(getValue(node, 'ports'))?.items ?? [],
      });
    });
  }
  const value: PolicyNodes = { info, spec, podSelectorPair: spec ? getPair(spec, 'podSelector') : undefined, rules };
  nodesCache.set(r, { index, ns, value });
  return value;
}

/** A selector whose labels or operators the API would reject: other rules report it; these rules
 * stay silent rather than reason about it. */
export function selectorMalformed(node: AstNode | null | undefined): boolean {
  const m = asMap(node);
  if (!m) return false;
  const ml = getValue(m, 'matchLabels');
  if (ml && ml.type !== 'map' && !(ml.type === 'scalar' && ml.value === null)) return true;
  for (const p of asMap(ml)?.pairs ?? []) {
    if (p.keyText === undefined || labelKey(p.keyText) !== undefined) return true;
    const v = asScalar(p.value);
    if (p.value && !v) return true;
    if (v && v.value !== null && labelValue(String(v.value)) !== undefined) return true;
  }
  const me = getValue(m, 'matchExpressions');
  for (const e of asSeq(me)?.items ?? []) {
    const op = asScalar(getValue(e, 'operator'))?.value;
    if (op !== 'In' && op !== 'NotIn' && op !== 'Exists' && op !== 'DoesNotExist') return true;
    const values = asSeq(getValue(e, 'values'))?.items.length ?? 0;
    if ((op === 'In' || op === 'NotIn') && values === 0) return true;
    if ((op === 'Exists' || op === 'DoesNotExist') && values > 0) return true;
  }
  return false;
}

/** API groups of built-in kinds: anything else is a custom resource. */
function isBuiltIn(apiVersion: string): boolean {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return true; // core group, e.g. v1
  const group = apiVersion.slice(0, slash);
  return !group.includes('.') || group.endsWith('.k8s.io');
}

/** Does the namespace hold custom resources? An operator may create pods from them (a Prometheus,
 * an Alertmanager, a Rollout) whose labels the workspace never spells out. */
export function namespaceHasCustomResources(index: ResourceIndex, namespace: string): boolean {
  return index.memo(`netpol-cr:${namespace}`, () => {
    for (const { resource } of index.all()) {
      if (COVERED_KINDS.has(resource.kind) || isBuiltIn(resource.apiVersion)) continue;
      if (resource.kind === 'CustomResourceDefinition') continue;
      if (index.namespaceOf(resource) === namespace) return true;
    }
    return false;
  });
}
