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
  /** The exact source text of the scalar (quotes included); for an alias of a scalar, the anchored
   * scalar's text (its span is the alias's: see syntax/refs.ts). */
  source: string;
  style: 'plain' | 'single' | 'double' | 'block';
}

export interface PairNode extends Span {
  readonly key: AstNode;
  /** The key as text when it is a scalar, else undefined. */
  keyText: string | undefined;
  /** Null when the key has no value at all (`key:`); an explicit `null` is a scalar. */
  value: AstNode | null;
  /** From the key's start to the end of its value (or of the key, when it has none). */
  readonly end: number;
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

/** An alias that names no anchor above it in its document (kubectl refuses the document: its error
 * is on the document). A resolved alias is the anchored value itself (see syntax/refs.ts). */
export interface AliasNode extends Span {
  type: 'alias';
  name: string;
}

export type AstNode = ScalarNode | MapNode | SeqNode | AliasNode;

/**
 * A map's pair as the parsers make it (parse.ts, and tree-codec.ts for the trees of a parse thread).
 * Most keys are plain text (`name:`, `port:`): the pair keeps that text (keyText) and where the key
 * ends, and makes the key's node only when it is read, which few do (a rule that points at a key, a
 * hover, a quick fix); the node made is kept aside (madeKeys), so every read gives the same node and
 * the pair itself does not change (two parses of a text stay deeply equal whichever keys were read).
 * Any other key (quoted, a number, a collection, none) is kept as parsed. 4,000 small documents held
 * 50,000 key nodes that the young generation's collections copied twice each before they settled,
 * for the few hundred that a first check reads.
 */
export class Pair implements PairNode {
  constructor(
    public keyText: string | undefined,
    public value: AstNode | null,
    readonly start: number,
    /** The key's node when it is not plain text (see makePair), else null. */
    private readonly keyNode: AstNode | null,
  ) {}

  /** Where the key ends (a key held as text is the text at its span: it ends where that text does). */
  get keyEnd(): number {
    return this.keyNode ? this.keyNode.end : this.start + this.keyText!.length;
  }

  get key(): AstNode {
    if (this.keyNode) return this.keyNode;
    let made = madeKeys.get(this);
    if (!made) {
      const text = this.keyText!;
      made = {
        type: 'scalar',
        start: this.start,
        end: this.keyEnd,
        value: text,
        source: text,
        style: 'plain',
      };
      madeKeys.set(this, made);
    }
    return made;
  }

  get end(): number {
    const v = this.value;
    return v && v.end > this.keyEnd ? v.end : this.keyEnd;
  }

  /** Whether the key is held as its text only (keyText): its node is made when read. */
  get keyIsText(): boolean {
    return this.keyNode === null;
  }
}

/** The key nodes made for pairs that hold their key as text (see Pair). */
const madeKeys = new WeakMap<Pair, ScalarNode>();

/** A pair of `key` and `value` (see Pair: a key that is plain text is kept as its text). */
export function makePair(key: AstNode, keyText: string | undefined, value: AstNode | null): Pair {
  const plain = keyText !== undefined && isPlainText(key, keyText);
  return new Pair(keyText, value, key.start, plain ? null : key);
}

/** Whether `key` is the plain scalar whose value and source are `text`, as long as its span (what
 * Pair.key makes). */
function isPlainText(key: AstNode, text: string): boolean {
  return (
    key.type === 'scalar' &&
    key.style === 'plain' &&
    key.value === text &&
    key.source === text &&
    key.end - key.start === text.length
  );
}

/** A pair's key node when the pair holds one, undefined when it holds only the key's text (a walk
 * that visits every node, e.g. to share strings or to send the tree, need not make one). */
export function heldKey(p: PairNode): AstNode | undefined {
  return p instanceof Pair && p.keyIsText ? undefined : p.key;
}

/** Where a pair's key ends (without making the node of a key held as text, see Pair). */
export function keyEndOf(p: PairNode): number {
  return p instanceof Pair ? p.keyEnd : p.key.end;
}

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

/** Plain JS value of a node (an unresolved alias becomes undefined; resolved ones are the anchored
 * values, whose expansion the parser bounds: see syntax/refs.ts). */
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
