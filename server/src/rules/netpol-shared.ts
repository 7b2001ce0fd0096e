// What the NetworkPolicy rules share: the policy of the resource being checked as engine input (with
// its YAML nodes alongside), and the signals that say whether the workspace holds the pods of a
// namespace at all.

import type { AstNode, MapNode, PairNode } from '../syntax/ast';
import { asMap, asScalar, asSeq, getPair, getValue } from '../syntax/ast';
import type { ResourceIndex } from '../workspace/index';
import type { Resource } from '../model/resource';
import { COVERED_KINDS } from '../model/resource';
import { clusterPolicyInfo, policyInfo } from '../model/cluster';
import type { PolicyInfo, PolicyPeerInfo, PolicyRuleInfo } from '../engine/types';
import { labelKey, labelValue } from './k8s-values';
import { memoOn } from '../engine/memo';

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

/** The policy of a NetworkPolicy resource, with the nodes each part came from. */
export function policyNodes(r: Resource, index: ResourceIndex): PolicyNodes {
  return memoOn(r, 'policy-nodes', [index, index.namespaceOf(r)], () => readPolicyNodes(r, index));
}

function readPolicyNodes(r: Resource, index: ResourceIndex): PolicyNodes {
  // the info the cluster is built from (not a second one), found through the file that holds `r`
  const at = r.name
    ? index.find(r.kind, index.namespaceOf(r), r.name).find((x) => x.resource === r)
    : undefined;
  const info = (at && clusterPolicyInfo(at.uri, r, index)) ?? policyInfo('', r, index);
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
  return {
    info,
    spec,
    podSelectorPair: spec ? getPair(spec, 'podSelector') : undefined,
    rules,
  };
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
  // one pass per workspace revision gives every namespace holding custom resources
  const namespaces = index.memo('netpol-cr', () => {
    const out = new Set<string>();
    for (const { resource } of index.all()) {
      if (COVERED_KINDS.has(resource.kind) || isBuiltIn(resource.apiVersion)) continue;
      if (resource.kind === 'CustomResourceDefinition') continue;
      out.add(index.namespaceOf(resource));
    }
    return out;
  });
  return namespaces.has(namespace);
}

// ---- Text edits in the style of the document (for the NetworkPolicy quick fixes) ----

/** How a document lays out block collections: the indentation step of nested maps, how far a block
 * sequence's dashes sit right of their key (0: `key:\n- item`), the line ending. */
export interface IndentStyle {
  step: number;
  seqIndent: number;
  eol: string;
}

export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

export function columnOf(text: string, offset: number): number {
  return offset - lineStartOf(text, offset);
}

/** The offset just past the line on which a node's content ends (after its line break). */
export function afterLineOf(text: string, node: { start: number; end: number }): number {
  let p = node.end;
  while (p > node.start && /\s/.test(text[p - 1])) p--;
  const nl = text.indexOf('\n', p);
  return nl < 0 ? text.length : nl + 1;
}

/** Is a block node the first thing on its line (only spaces, or a `- ` dash, before it)? */
export function startsLine(text: string, offset: number): boolean {
  return /^[ \t-]*$/.test(text.slice(lineStartOf(text, offset), offset));
}

export function indentStyle(root: AstNode, text: string): IndentStyle {
  let step: number | undefined;
  let seqIndent: number | undefined;
  const onOwnLine = (key: AstNode, value: AstNode) => text.slice(key.end, value.start).includes('\n');
  const walk = (n: AstNode | null | undefined, depth: number) => {
    if (!n || depth > 12 || (step !== undefined && seqIndent !== undefined)) return;
    if (n.type === 'map' && !n.flow) {
      for (const p of n.pairs) {
        const v = p.value;
        if (v && (v.type === 'map' || v.type === 'seq') && !v.flow && onOwnLine(p.key, v)) {
          const d = columnOf(text, v.start) - columnOf(text, p.key.start);
          if (v.type === 'map' && step === undefined && d > 0) step = d;
          if (v.type === 'seq' && seqIndent === undefined && d >= 0) seqIndent = d;
        }
        walk(v, depth + 1);
      }
    } else if (n.type === 'seq' && !n.flow) for (const i of n.items) walk(i, depth + 1);
  };
  walk(root, 0);
  return { step: step ?? 2, seqIndent: seqIndent ?? 0, eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

/** A plain value to write as block YAML: maps, sequences of maps, and scalars written as given. */
export type BlockValue = string | number | { [key: string]: BlockValue } | BlockValue[];

/** Block YAML lines for a map at a column, in the document's style. */
export function mapLines(value: { [key: string]: BlockValue }, col: number, style: IndentStyle): string[] {
  const out: string[] = [];
  const pad = ' '.repeat(col);
  for (const [k, v] of Object.entries(value)) {
    if (Array.isArray(v)) {
      out.push(`${pad}${k}:`);
      out.push(...seqLines(v, col + style.seqIndent, style));
    } else if (typeof v === 'object') {
      out.push(`${pad}${k}:`);
      out.push(...mapLines(v, col + style.step, style));
    } else out.push(`${pad}${k}: ${v}`);
  }
  return out;
}

/** Block YAML lines for a sequence whose dashes sit at a column. */
export function seqLines(items: BlockValue[], col: number, style: IndentStyle): string[] {
  const out: string[] = [];
  for (const item of items) {
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      const lines = mapLines(item, col + 2, style);
      if (lines.length === 0) out.push(`${' '.repeat(col)}- {}`);
      else out.push(`${' '.repeat(col)}- ${lines[0].slice(col + 2)}`, ...lines.slice(1));
    } else out.push(`${' '.repeat(col)}- ${String(item)}`);
  }
  return out;
}
