// A document's tree straight from yaml's CST, for the documents most manifests are made of: block
// maps and block sequences of scalars, with comments and blank lines, and nothing else (no anchors,
// aliases, tags, flow collections, explicit keys, tabs, directives or syntax errors).
//
// yaml's Composer turns the CST into a Document of yaml's own nodes, which parse.ts then turned into
// the trees of ast.ts: for a file of many small documents that second and third copy of every value
// was over half the cost of reading it (2.6 MB of Services and Deployments: 1,155 ms to parse, of
// which 485 ms were yaml's lexer and CST parser). Here the tree is made from the CST in one walk.
//
// The walk gives what the Composer and parse.ts's convertNode give, or nothing: it answers only for
// documents the Composer would read without an error or a warning, and gives up (undefined) at the
// first token or shape outside that subset, or at anything the Composer would say something about
// (the checks below follow yaml's compose/ step by step: resolve-props, resolve-block-map,
// resolve-block-seq, compose-doc). A document it gives up on is composed by yaml as before. Scalars
// are resolved by yaml itself (CST.resolveAsScalar, then the schema's tags, in the Composer's order),
// so values, folding and escapes are yaml's. test/lean-compose.test.ts holds the two paths equal on
// every fixture, the real-world corpus and generated documents.

import { CST, Document, isScalar } from 'yaml';
import type { DocumentOptions, ParseOptions, ScalarTag, SchemaOptions } from 'yaml';
import type { AstNode, ScalarNode, SeqNode, MapNode } from './ast';
import { exactList, keyTextOf, makePair } from './ast';
import type { Pair } from './ast';
import { sharedString } from './shared-strings';

/** A duplicate key, as parse.ts files it (yaml's uniqueKeys rule, which parse.ts applies itself). */
export interface DuplicateKey {
  pos: [number, number];
  message: string;
  code: string;
}

/** What the walk gives up with: a shape outside its subset, or something the Composer reports. */
class GiveUp extends Error {}
const GIVE_UP = new GiveUp();

type Token = CST.Token;
type SourceToken = CST.SourceToken;

/** A node of the tree and where the Composer's range for it ends (`range[2]`: after the comments
 * and line breaks that follow it), which places the next item and the checks on it. */
interface Made {
  node: AstNode;
  after: number;
}

/** The schema and options the Composer uses for PARSE_OPTIONS (one Document made once: its schema
 * holds the tags in the Composer's order, the custom ones last). */
export interface LeanSchema {
  /** The tags a plain scalar is tested against, in order (default: true). */
  tags: ScalarTag[];
  /** The same for a plain scalar that is a key (default: true or 'key'). */
  keyTags: ScalarTag[];
  /** The options the tags resolve with. */
  options: Document['options'];
  /** Short plain scalars resolved so far (value and key readings), a cache like shared-strings.ts's:
   * a manifest repeats `v1`, `name`, `80`, `TCP` in every document. */
  memo: Map<string, ScalarNode['value']>;
  memoKeys: Map<string, ScalarNode['value']>;
}

/** The memo's bounds: sources up to this long, and this many before it starts again. */
const MEMO_SOURCE_MAX = 64;
const MEMO_MAX = 16_384;

export function leanSchema(parseOptions: DocumentOptions & SchemaOptions & ParseOptions): LeanSchema {
  const doc = new Document(undefined, null, parseOptions);
  const all = doc.schema.tags.filter((t): t is ScalarTag => !('collection' in t && t.collection));
  return {
    tags: all.filter((t) => t.default === true && t.test),
    keyTags: all.filter((t) => (t.default === true || t.default === 'key') && t.test),
    options: doc.options,
    memo: new Map(),
    memoKeys: new Map(),
  };
}

/** The tree of a document's CST tokens (what the parser yields for one chunk), or undefined when the
 * document is not one the walk reads (see the file's comment). `duplicates` gets the document's
 * duplicate keys, as convertNode files them. */
export function composeLean(
  tokens: readonly Token[],
  text: string,
  schema: LeanSchema,
  duplicates: DuplicateKey[],
): { root: AstNode; contentStart: number } | undefined {
  let doc: CST.Document | undefined;
  for (const t of tokens) {
    switch (t.type) {
      case 'document':
        if (doc) return undefined;
        doc = t;
        break;
      // (before or after the document: kept as comments, never reported)
      case 'comment':
      case 'newline':
      case 'space':
      case 'byte-order-mark':
        break;
      default:
        return undefined;
    }
  }
  if (!doc || !doc.value) return undefined;
  const value = doc.value;
  if (value.type !== 'block-map' && value.type !== 'block-seq') return undefined;
  try {
    // compose-doc: the `---` line's props
    const props = props0(doc.start, 'doc-start', true, doc.offset);
    if (props.found && !props.hasNewline) return undefined;
    const walk = new Walk(text, schema, duplicates);
    const made = walk.collection(value, 0);
    // compose-doc: what follows the document's value
    if (doc.end)
      for (const t of doc.end)
        if (t.type !== 'space' && t.type !== 'comment' && t.type !== 'newline') return undefined;
    return { root: made.node, contentStart: value.offset };
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

interface Props {
  found: SourceToken | null;
  hasNewline: boolean;
  /** Whether they hold a comment. */
  comment: boolean;
  /** Where the props end (after the last token, or `offset` when there is none). */
  end: number;
}

/** resolve-props for tokens that hold only blanks, line breaks, comments and at most one indicator
 * (`-`, `:`, `---`, or the comma before an item of a flow collection): gives up on anything else
 * (anchors, tags, stray tokens, tabs) and on what resolve-props reports (a comment not after a
 * blank, a second indicator). */
function props0(
  tokens: readonly SourceToken[],
  indicator: string,
  startOnNewline: boolean,
  offset: number,
): Props {
  let hasSpace = startOnNewline;
  let hasNewline = false;
  let found: SourceToken | null = null;
  let comment = false;
  for (const token of tokens) {
    switch (token.type) {
      case 'space':
        // (a tab may be an error or not, depending on where it is: left to the Composer)
        if (token.source.includes('\t')) throw GIVE_UP;
        hasSpace = true;
        break;
      case 'comment':
        if (!hasSpace) throw GIVE_UP;
        comment = true;
        break;
      case 'newline':
        hasNewline = true;
        hasSpace = true;
        break;
      default:
        if (token.type !== indicator || found) throw GIVE_UP;
        found = token;
        hasSpace = false;
    }
  }
  const last = tokens[tokens.length - 1];
  return { found, hasNewline, comment, end: last ? last.offset + last.source.length : offset };
}

/** Up to this many keys, a map's duplicate keys are found by searching the keys before (`includes`
 * compares as a Set does); past it, with a set. */
const SHORT_MAP_KEYS = 16;

/** A map's key values so far, for yaml's uniqueKeys rule (equal scalar values; `.nan` is never a
 * duplicate), which parse.ts applies itself: a list while short (most maps), a set past
 * SHORT_MAP_KEYS keys, instead of yaml's comparison of each key with every earlier one. Both readings
 * (convertNode and the walk here) file duplicates through it. */
export class MapKeys {
  private readonly list: unknown[] = [];
  private set: Set<unknown> | undefined;

  /** Files the key of value `v` at `start` as a duplicate when an earlier key has that value. */
  add(v: unknown, start: number, duplicates: DuplicateKey[]): void {
    if (typeof v === 'number' && Number.isNaN(v)) return;
    if (this.set ? this.set.has(v) : this.list.includes(v))
      duplicates.push({ pos: [start, start + 1], code: 'DUPLICATE_KEY', message: 'Map keys must be unique' });
    else if (this.set) this.set.add(v);
    else if (this.list.push(v) > SHORT_MAP_KEYS) this.set = new Set(this.list);
  }
}

/** A scalar of the tree at [start, end) of `text`, whose `value` (when a string) is shared already
 * (shared-strings.ts): its source is the value itself when the value is the text there (most plain
 * scalars), else the text (shared). What convertNode and the walk here both make. */
export function scalarNode(
  text: string,
  start: number,
  end: number,
  value: ScalarNode['value'],
  style: ScalarNode['style'],
): ScalarNode {
  if (typeof value === 'string' && value.length === end - start && text.startsWith(value, start))
    return { type: 'scalar', start, end, value, source: value, style };
  return { type: 'scalar', start, end, value, source: sharedString(text.slice(start, end)), style };
}

function isFlowScalar(t: Token): t is CST.FlowScalar {
  return t.type === 'scalar' || t.type === 'single-quoted-scalar' || t.type === 'double-quoted-scalar';
}

/** Where an empty value is placed (yaml's emptyScalarPosition, with no explicit position): after the
 * last token of `before` that is not a blank, a line break or a comment, and the blanks after it. */
function emptyPosition(offset: number, before: readonly SourceToken[]): number {
  for (let i = before.length - 1; i >= 0; --i) {
    const st = before[i];
    if (st.type === 'space' || st.type === 'comment' || st.type === 'newline') {
      offset -= st.source.length;
      continue;
    }
    let j = i + 1;
    while (j < before.length && before[j].type === 'space') offset += before[j++].source.length;
    break;
  }
  return offset;
}

const DEPTH_LIMIT = 200; // parse.ts's MAX_DEPTH: deeper, convertNode stops (the walk gives up)

class Walk {
  constructor(
    private readonly text: string,
    private readonly schema: LeanSchema,
    private readonly duplicates: DuplicateKey[],
  ) {}

  collection(token: Token, depth: number): Made {
    // (convertNode stops past DEPTH_LIMIT: left to it)
    if (depth >= DEPTH_LIMIT) throw GIVE_UP;
    if (token.type === 'block-map') return this.map(token, depth);
    if (token.type === 'block-seq') return this.seq(token, depth);
    throw GIVE_UP;
  }

  /** A value: a block collection, a flow collection of scalars, or a scalar. */
  node(token: Token, depth: number, atKey: boolean): Made {
    switch (token.type) {
      case 'block-map':
      case 'block-seq':
        return this.collection(token, depth);
      case 'flow-collection':
        return this.flow(token, depth);
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
      case 'block-scalar':
        if (depth > DEPTH_LIMIT) throw GIVE_UP;
        return this.scalar(token, atKey);
      default:
        throw GIVE_UP;
    }
  }

  /** The empty value after `before`, whose props are `props` (compose-node's composeEmptyNode: a
   * null plain scalar). */
  empty(offset: number, before: readonly SourceToken[], props: Props): Made {
    const at = emptyPosition(offset, before);
    // (an empty plain scalar resolves to null in the core schema; checked, not assumed)
    const value = this.resolvePlain('', false);
    if (value !== null) throw GIVE_UP;
    const node: ScalarNode = { type: 'scalar', start: at, end: at, value: null, source: '', style: 'plain' };
    // (composeEmptyNode ends its range after the props when they hold a comment)
    return { node, after: props.comment ? props.end : at };
  }

  scalar(token: CST.FlowScalar | CST.BlockScalar, atKey: boolean): Made {
    let failed = false;
    const r = CST.resolveAsScalar(token, true, () => {
      failed = true;
    });
    if (!r || failed) throw GIVE_UP;
    let value: ScalarNode['value'];
    let style: ScalarNode['style'];
    if (token.type === 'scalar') {
      // (a string from resolvePlain is shared already)
      value = this.resolvePlain(r.value, atKey);
      style = 'plain';
    } else {
      value = sharedString(r.value);
      style =
        token.type === 'block-scalar' ? 'block' : token.type === 'double-quoted-scalar' ? 'double' : 'single';
    }
    return { node: scalarNode(this.text, r.range[0], r.range[1], value, style), after: r.range[2] };
  }

  /** A plain scalar's value as the Composer resolves it (findScalarTagByTest, then the tag's
   * resolve), turned into a tree value as convertNode turns it. */
  resolvePlain(source: string, atKey: boolean): ScalarNode['value'] {
    if (source.length > MEMO_SOURCE_MAX) return this.resolveTags(source, atKey);
    const memo = atKey ? this.schema.memoKeys : this.schema.memo;
    const hit = memo.get(source);
    if (hit !== undefined) return hit;
    let value = this.resolveTags(source, atKey);
    if (typeof value === 'string') value = sharedString(value);
    if (memo.size >= MEMO_MAX) memo.clear();
    memo.set(source, value);
    return value;
  }

  private resolveTags(source: string, atKey: boolean): ScalarNode['value'] {
    let tag: ScalarTag | undefined;
    for (const t of atKey ? this.schema.keyTags : this.schema.tags)
      if (t.test!.test(source)) {
        tag = t;
        break;
      }
    if (!tag) return sharedString(source); // the string tag
    let failed = false;
    let res: unknown;
    try {
      res = tag.resolve(
        source,
        () => {
          failed = true;
        },
        this.schema.options,
      );
    } catch {
      // (the Composer reports a tag that throws: TAG_RESOLVE_FAILED)
      throw GIVE_UP;
    }
    if (failed) throw GIVE_UP;
    const v = isScalar(res) ? res.value : res;
    if (v === null || v === undefined) return null;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    if (typeof v === 'bigint') return Number(v);
    return String(v);
  }

  /** resolve-block-map, for items with an implicit scalar key. */
  map(bm: CST.BlockMap, depth: number): Made {
    const pairs: Pair[] = [];
    const keys = new MapKeys();
    let offset = bm.offset;
    let commentEnd: number | null = null;
    for (const item of bm.items) {
      if (item.explicitKey) throw GIVE_UP;
      const { start, key, sep, value } = item;
      const keyProps = props0(start, 'explicit-key-ind', true, offset);
      if (keyProps.found) throw GIVE_UP;
      if (!sep) {
        // an item of comments only (a key without `:` is reported by the Composer)
        if (key) throw GIVE_UP;
        commentEnd = keyProps.end;
        continue;
      }
      if (!key || key.type === 'block-seq') throw GIVE_UP;
      if ('indent' in key && key.indent !== bm.indent) throw GIVE_UP;
      if (key.type !== 'scalar' && key.type !== 'single-quoted-scalar' && key.type !== 'double-quoted-scalar')
        throw GIVE_UP;
      // an implicit key on one line (util-contains-newline)
      if (key.source.includes('\n')) throw GIVE_UP;
      if (key.end) for (const st of key.end) if (st.type === 'newline') throw GIVE_UP;
      const keyMade = this.scalar(key, true);
      const keyNode = keyMade.node as ScalarNode;
      const valueProps = props0(sep, 'map-value-ind', false, keyMade.after);
      if (!valueProps.found) throw GIVE_UP;
      offset = valueProps.end;
      if (value?.type === 'block-map' && !valueProps.hasNewline) throw GIVE_UP;
      // (strict: the `:` at most 1,024 characters after the key's start)
      if (keyProps.end < valueProps.found.offset - 1024) throw GIVE_UP;
      // convertNode: duplicate keys, then the value
      keys.add(keyNode.value, keyNode.start, this.duplicates);
      const valueMade = value ? this.node(value, depth + 1, false) : this.empty(offset, sep, valueProps);
      offset = valueMade.after;
      pairs.push(makePair(keyNode, keyTextOf(keyNode), valueMade.node));
    }
    // (a comment item followed by more of the map: the Composer reports it)
    if (commentEnd && commentEnd < offset) throw GIVE_UP;
    if (pairs.length === 0) throw GIVE_UP;
    const m: MapNode = {
      type: 'map',
      start: bm.offset,
      end: pairs[pairs.length - 1].end,
      flow: false,
      pairs: exactList(pairs),
    };
    return { node: m, after: commentEnd ?? offset };
  }

  /** resolve-flow-collection, for `[...]` of scalars and `{...}` of `key: scalar` pairs (what
   * manifests write in flow style: `[]`, `{}`, `["a", "b"]`, `{cpu: 100m}`); a trailing comma is
   * allowed, as in YAML. */
  flow(fc: CST.FlowCollection, depth: number): Made {
    if (depth >= DEPTH_LIMIT) throw GIVE_UP;
    const isMap = fc.start.source === '{';
    if (!isMap && fc.start.source !== '[') throw GIVE_UP;
    const items: AstNode[] = [];
    const pairs: Pair[] = [];
    const keys = new MapKeys();
    let offset = fc.offset + fc.start.source.length;
    const last = fc.items.length - 1;
    for (let i = 0; i <= last; i++) {
      const { start, key, sep, value } = fc.items[i];
      // (resolve-props in a flow collection: the comma before the item is its one indicator)
      const props = props0(start, 'comma', false, offset);
      const comma = props.found !== null;
      if (!key && !sep && !value) {
        // an empty item: only a trailing comma is not reported
        if (i === 0 || i < last || !comma) throw GIVE_UP;
        offset = props.end;
        continue;
      }
      if (i === 0 ? comma : !comma) throw GIVE_UP;
      if (!isMap) {
        if (key || sep || !value || !isFlowScalar(value)) throw GIVE_UP;
        const made = this.scalar(value, false);
        items.push(made.node);
        offset = made.after;
        continue;
      }
      if (!key || !sep || !isFlowScalar(key) || (value && !isFlowScalar(value))) throw GIVE_UP;
      const keyMade = this.scalar(key, true);
      const keyNode = keyMade.node as ScalarNode;
      const valueProps = props0(sep, 'map-value-ind', false, keyMade.after);
      if (!valueProps.found) throw GIVE_UP;
      keys.add(keyNode.value, keyNode.start, this.duplicates);
      const valueMade = value ? this.scalar(value, false) : this.empty(valueProps.end, sep, valueProps);
      pairs.push(makePair(keyNode, keyTextOf(keyNode), valueMade.node));
      offset = valueMade.after;
    }
    const [ce, ...rest] = fc.end;
    if (!ce || ce.source !== (isMap ? '}' : ']')) throw GIVE_UP;
    const cePos = ce.offset + ce.source.length;
    // what follows the closing bracket (resolve-end, strict: a comment after a blank)
    let after = cePos;
    let hasSpace = false;
    for (const t of rest) {
      if (t.type === 'space' || t.type === 'newline') hasSpace = true;
      else if (t.type !== 'comment' || !hasSpace) throw GIVE_UP;
      after += t.source.length;
    }
    const node: AstNode = isMap
      ? { type: 'map', start: fc.offset, end: cePos, flow: true, pairs: exactList(pairs) }
      : { type: 'seq', start: fc.offset, end: cePos, flow: true, items: exactList(items) };
    return { node, after };
  }

  /** resolve-block-seq. */
  seq(bs: CST.BlockSequence, depth: number): Made {
    const items: AstNode[] = [];
    let offset = bs.offset;
    let commentEnd: number | null = null;
    for (const { start, value } of bs.items) {
      const props = props0(start, 'seq-item-ind', true, offset);
      if (!props.found) {
        if (value) throw GIVE_UP;
        commentEnd = props.end;
        continue;
      }
      const made = value ? this.node(value, depth + 1, false) : this.empty(props.end, start, props);
      offset = made.after;
      items.push(made.node);
    }
    if (items.length === 0) throw GIVE_UP;
    const s: SeqNode = {
      type: 'seq',
      start: bs.offset,
      end: items[items.length - 1].end,
      flow: false,
      items: exactList(items),
    };
    return { node: s, after: commentEnd ?? offset };
  }
}
