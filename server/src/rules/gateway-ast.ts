// Reading Gateway API resources straight from the YAML tree, for the file-local checks that the CRDs
// make with OpenAPI constraints and CEL rules (every node keeps its span, so findings point at the
// exact characters). Defaults are those of the CRDs: a reference's group is "" (core) for backends and
// gateway.networking.k8s.io for parents, its kind Service for backends and Gateway for parents.

import type { AstNode, MapNode, ScalarNode, SeqNode } from '../syntax/ast';
import { asMap, asScalar, asSeq, getPair, getValue } from '../syntax/ast';
import type { Resource } from '../model/resource';

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** The resource belongs to the Gateway API (not, say, Istio's own `Gateway` kind). */
export function isGatewayApi(r: Resource, ...kinds: string[]): boolean {
  if (!r.apiVersion.startsWith(GATEWAY_GROUP + '/')) return false;
  return kinds.length === 0 || kinds.includes(r.kind);
}

/** Kinds of route whose spec has parentRefs, hostnames (most) and rules with backendRefs. */
export const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'];

export interface Located<T extends AstNode = AstNode> {
  readonly node: T;
  /** Path from the resource root, e.g. ['spec', 'rules', 0, 'filters', 1]. */
  readonly path: (string | number)[];
}

/** A step of a walk: the node and how it was reached (the path is built only when read). */
class Step implements Located {
  constructor(
    readonly node: AstNode,
    private readonly parent: Step | undefined,
    private readonly key: string | undefined,
    private readonly index: number | undefined,
  ) {}

  get path(): (string | number)[] {
    const out: (string | number)[] = [];
    for (let s: Step | undefined = this; s; s = s.parent) {
      if (s.index !== undefined) out.push(s.index);
      if (s.key !== undefined) out.push(s.key);
    }
    return out.reverse();
  }
}

/**
 * Every node at a dotted path where `[]` steps into each item of a list, e.g.
 * `spec.rules[].backendRefs[]`. Missing steps, nulls and wrong shapes are skipped. Each step links to
 * the one before instead of copying the path, so a walk costs one object per node it reaches.
 */
export function nodesAt(root: AstNode, pattern: string): Located[] {
  let cur: Step[] = [new Step(root, undefined, undefined, undefined)];
  for (const raw of pattern.split('.')) {
    const each = raw.endsWith('[]');
    const key = each ? raw.slice(0, -2) : raw;
    const next: Step[] = [];
    for (const step of cur) {
      const v = getValue(step.node, key);
      if (!v) continue;
      if (!each) {
        next.push(new Step(v, step, key, undefined));
        continue;
      }
      const seq = asSeq(v);
      if (!seq) continue;
      // the list itself is one step (key), each item another (index)
      const list = new Step(v, step, key, undefined);
      for (let i = 0; i < seq.items.length; i++) next.push(new Step(seq.items[i], list, undefined, i));
    }
    cur = next;
  }
  return cur;
}

export function mapsAt(root: AstNode, pattern: string): Located<MapNode>[] {
  return nodesAt(root, pattern).filter((l): l is Located<MapNode> => l.node.type === 'map');
}

export function seqAt(map: AstNode | null | undefined, key: string): SeqNode | undefined {
  return asSeq(getValue(map, key));
}

/** The scalar value of a field as text ('' for an explicit empty string), undefined if absent/null. */
export function text(map: AstNode | null | undefined, key: string): string | undefined {
  const s = asScalar(getValue(map, key));
  if (!s || s.value === null) return undefined;
  return String(s.value);
}

export function scalar(map: AstNode | null | undefined, key: string): ScalarNode | undefined {
  const s = asScalar(getValue(map, key));
  return s && s.value !== null ? s : undefined;
}

/** A field is set: present with a value other than null (the API server treats null as unset). */
export function has(map: AstNode | null | undefined, key: string): boolean {
  const m = asMap(map);
  if (!m) return false;
  const p = getPair(m, key);
  if (!p || !p.value) return false;
  return !(p.value.type === 'scalar' && p.value.value === null);
}

/** The key node of a field, to point at "this field should not be here". */
export function keyNode(map: AstNode | null | undefined, key: string): AstNode | undefined {
  const m = asMap(map);
  return m ? getPair(m, key)?.key : undefined;
}

/** Where to point for an item of a list: its first key, or the item itself. */
export function itemAnchor(item: AstNode): AstNode {
  if (item.type === 'map' && item.pairs.length > 0) return item.pairs[0].key;
  return item;
}

export function pathText(path: (string | number)[]): string {
  let s = '';
  for (const seg of path) s += typeof seg === 'number' ? `[${seg}]` : s ? `.${seg}` : seg;
  return s;
}

/** A backend reference points at a core Service (the defaults when group and kind are left out). */
export function isServiceRef(ref: AstNode): boolean {
  return (text(ref, 'group') ?? '') === '' && (text(ref, 'kind') ?? 'Service') === 'Service';
}
