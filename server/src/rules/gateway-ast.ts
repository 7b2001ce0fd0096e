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
  node: T;
  /** Path from the resource root, e.g. ['spec', 'rules', 0, 'filters', 1]. */
  path: (string | number)[];
}

/**
 * Every node at a dotted path where `[]` steps into each item of a list, e.g.
 * `spec.rules[].backendRefs[]`. Missing steps, nulls and wrong shapes are skipped.
 */
export function nodesAt(root: AstNode, pattern: string): Located[] {
  let cur: Located[] = [{ node: root, path: [] }];
  for (const raw of pattern.split('.')) {
    const each = raw.endsWith('[]');
    const key = each ? raw.slice(0, -2) : raw;
    const next: Located[] = [];
    for (const { node, path } of cur) {
      const v = getValue(node, key);
      if (!v) continue;
      if (!each) {
        next.push({ node: v, path: [...path, key] });
        continue;
      }
      const seq = asSeq(v);
      seq?.items.forEach((item, i) => next.push({ node: item, path: [...path, key, i] }));
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
