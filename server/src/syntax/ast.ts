// A small, parser-independent view of a YAML document. Every layer above syntax/ works on these
// nodes, so nothing else imports `yaml`. Offsets are relative to the start of the document chunk
// (see parse.ts); `ParsedDocument.base` turns them into offsets in the file.

export interface Span {
  start: number;
  end: number;
}

export interface ScalarNode extends Span {
  type: 'scalar';
  /** Resolved value under the YAML 1.2 core schema. */
  value: string | number | boolean | null;
  /** The exact source text of the scalar (quotes included). */
  source: string;
  style: 'plain' | 'single' | 'double' | 'block';
}

export interface PairNode extends Span {
  key: AstNode;
  /** The key as text when it is a scalar, else undefined. */
  keyText: string | undefined;
  /** Null when the key has no value at all (`key:`); an explicit `null` is a scalar. */
  value: AstNode | null;
}

export interface MapNode extends Span {
  type: 'map';
  flow: boolean;
  pairs: PairNode[];
}

export interface SeqNode extends Span {
  type: 'seq';
  flow: boolean;
  items: AstNode[];
}

export interface AliasNode extends Span {
  type: 'alias';
  name: string;
}

export type AstNode = ScalarNode | MapNode | SeqNode | AliasNode;

/** A pair's keyText as the parser gives it: the key's value as text when the key is a scalar with a
 * value, else undefined. (One rule for every maker of trees: parse.ts, and tree-codec.ts, which
 * rebuilds the trees a parse thread sent and must give the same.) */
export function keyTextOf(key: AstNode): string | undefined {
  return key.type === 'scalar' && key.value !== null ? String(key.value) : undefined;
}

/** A list as the trees keep it: an array grown by push keeps room for 16 more items, and the trees of
 * a large workspace stay in memory as long as it is open, so a short list (most of them) is copied at
 * its exact size. */
export function exactList<T>(list: T[]): T[] {
  return list.length > 0 && list.length < 64 ? list.slice() : list;
}

export function getPair(map: MapNode, key: string): PairNode | undefined {
  for (const p of map.pairs) if (p.keyText === key) return p;
  return undefined;
}

export function getValue(node: AstNode | null | undefined, key: string): AstNode | null | undefined {
  if (!node || node.type !== 'map') return undefined;
  return getPair(node, key)?.value;
}

/** Follow a path of keys and sequence indices. */
export function getIn(
  node: AstNode | null | undefined,
  path: (string | number)[],
): AstNode | null | undefined {
  let cur: AstNode | null | undefined = node;
  for (const seg of path) {
    if (!cur) return undefined;
    if (typeof seg === 'number') {
      if (cur.type !== 'seq') return undefined;
      cur = cur.items[seg];
    } else {
      cur = getValue(cur, seg);
    }
  }
  return cur;
}

export function asMap(node: AstNode | null | undefined): MapNode | undefined {
  return node && node.type === 'map' ? node : undefined;
}

export function asSeq(node: AstNode | null | undefined): SeqNode | undefined {
  return node && node.type === 'seq' ? node : undefined;
}

export function asScalar(node: AstNode | null | undefined): ScalarNode | undefined {
  return node && node.type === 'scalar' ? node : undefined;
}

/** The string value of a scalar node, or undefined for anything else (numbers stay numbers). */
export function stringValue(node: AstNode | null | undefined): string | undefined {
  return node && node.type === 'scalar' && typeof node.value === 'string' ? node.value : undefined;
}

/** A scalar value turned to text (numbers and booleans included), undefined for null and collections. */
export function scalarText(node: AstNode | null | undefined): string | undefined {
  if (!node || node.type !== 'scalar' || node.value === null) return undefined;
  return String(node.value);
}

export function isNullish(node: AstNode | null | undefined): boolean {
  return !node || (node.type === 'scalar' && node.value === null);
}

/** Plain JS value of a node (aliases become undefined: they are never expanded, so alias bombs stay harmless). */
export function toPlain(node: AstNode | null | undefined): unknown {
  if (!node) return null;
  switch (node.type) {
    case 'scalar':
      return node.value;
    case 'alias':
      return undefined;
    case 'seq':
      return node.items.map(toPlain);
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const p of node.pairs) if (p.keyText !== undefined) out[p.keyText] = toPlain(p.value);
      return out;
    }
  }
}

/** The innermost node whose span contains the offset (ends inclusive, so a cursor at the end counts). */
export function nodePathAt(root: AstNode, offset: number): (AstNode | PairNode)[] {
  const path: (AstNode | PairNode)[] = [];
  let cur: AstNode | undefined = root;
  while (cur) {
    path.push(cur);
    let next: AstNode | undefined;
    if (cur.type === 'map') {
      for (const p of cur.pairs) {
        if (offset >= p.start && offset <= p.end) {
          path.push(p);
          if (offset >= p.key.start && offset <= p.key.end) {
            path.push(p.key);
            return path;
          }
          if (p.value && offset >= p.value.start && offset <= p.value.end) next = p.value;
          break;
        }
      }
    } else if (cur.type === 'seq') {
      for (const item of cur.items) {
        if (offset >= item.start && offset <= item.end) {
          next = item;
          break;
        }
      }
    }
    cur = next;
  }
  return path;
}
