// The annotations of a resource as the annotation rules read them: each key with its pair (for exact
// ranges) and its value when the value is a string (non-strings are the schema rule's).

import type { PairNode, ScalarNode } from '../syntax/ast';
import { asMap, asScalar, getIn } from '../syntax/ast';
import type { Resource } from '../model/resource';

export interface AnnotationPair {
  key: string;
  pair: PairNode;
  keyNode: PairNode['key'];
  /** The value node when it is a scalar. */
  valueNode?: ScalarNode;
  /** The value when it is a string (a quoted, plain or block scalar holding text). */
  value?: string;
}

export function annotationPairs(r: Resource): AnnotationPair[] {
  const map = asMap(getIn(r.node, ['metadata', 'annotations']));
  if (!map) return [];
  const out: AnnotationPair[] = [];
  for (const pair of map.pairs) {
    if (pair.keyText === undefined) continue;
    const valueNode = asScalar(pair.value);
    out.push({
      key: pair.keyText,
      pair,
      keyNode: pair.key,
      valueNode,
      value: valueNode && typeof valueNode.value === 'string' ? valueNode.value : undefined,
    });
  }
  return out;
}

/** The pair of one annotation key. */
export function annotationPair(r: Resource, key: string): AnnotationPair | undefined {
  return annotationPairs(r).find((a) => a.key === key);
}
