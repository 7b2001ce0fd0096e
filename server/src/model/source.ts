// Source positions of engine values: a file and absolute offsets, kept in step when a document moves.

import type { Resource } from './resource';
import { exactList, keyEndOf } from '../syntax/ast';
import type { PairNode } from '../syntax/ast';
import type { SourceRef } from '../engine/types';

export function sourceOf(
  uri: string,
  r: Resource,
  node: { start: number; end: number } | null | undefined,
): SourceRef | undefined {
  if (!node) return undefined;
  return refAt(uri, r, node.start, node.end);
}

/** sourceOf the key of a pair (its node is not made for this: see Pair in syntax/ast.ts). */
export function keySourceOf(uri: string, r: Resource, pair: PairNode | undefined): SourceRef | undefined {
  return pair ? refAt(uri, r, pair.start, keyEndOf(pair)) : undefined;
}

function refAt(uri: string, r: Resource, start: number, end: number): SourceRef {
  const ref = { uri, start: r.doc.base + start, end: r.doc.base + end };
  let refs = sourcesOf.get(r);
  if (!refs) sourcesOf.set(r, (refs = { base: r.doc.base, refs: [] }));
  if (refs.base !== r.doc.base) moveSources(r);
  refs.refs.push(ref);
  return ref;
}

/** Every SourceRef made for a resource, with the document offset they were made at. */
const sourcesOf = new WeakMap<Resource, { base: number; refs: SourceRef[] }>();

/**
 * The document of a resource moved (a document above it grew or shrank): the engine infos made for
 * it keep their identity, and every position in them follows the document. Whatever was derived
 * from them (indexes, relations, the route graph) stays valid.
 */
export function moveSources(r: Resource): void {
  const entry = sourcesOf.get(r);
  if (!entry || entry.base === r.doc.base) return;
  const delta = r.doc.base - entry.base;
  for (const ref of entry.refs) {
    ref.start += delta;
    ref.end += delta;
  }
  entry.base = r.doc.base;
}

/** Let the list of a resource's SourceRefs hold no more room than it needs (called once its engine
 * infos are made): a list grown by push keeps room for 16 more, 130 bytes per resource for the 5
 * references of a small Service or Ingress. */
export function trimSources(r: Resource): void {
  const entry = sourcesOf.get(r);
  if (entry) entry.refs = exactList(entry.refs);
}
