// The trees a parse thread hands back, as numbers: a reply carries each document's tree as a run of
// 32-bit words in one buffer (moved to the calling thread, not copied) and the few strings and numbers
// that are not the text at a node's span beside it. The calling thread builds each node again with
// the object literals parse.ts's convert uses (its keyText and list rules are ast.ts's keyTextOf and
// exactList), slicing scalars out of the document's text. Both parse threads use it: the CLI's
// (cli/parse-workers.ts) and the server's (workspace/parse-worker.ts).
//
// Why not let postMessage copy the trees: V8's deserializer rebuilt them property by property, about
// as slowly as parsing the text in the calling thread (6,000 files, load 8: the CLI's main thread
// spent nearly as much on the half of the files a parse thread sent as on the half it parsed), so a
// parse thread saved the main thread little. The trees built here also have the hidden classes of
// the ones parsed in the calling thread: the rules that read both see one shape per kind of node.

import type { AliasNode, AstNode, MapNode, ScalarNode, SeqNode } from './ast';
import { exactList, heldKey, keyTextOf, makePair } from './ast';
import type { Pair } from './ast';
import { sharedString } from './shared-strings';

const SCALAR = 0;
const MAP = 1;
const SEQ = 2;
const ALIAS = 3;
/** A map or sequence in flow style (`{a: 1}`, `[1, 2]`). */
const FLOW = 1 << 2;

const STYLES: readonly ScalarNode['style'][] = ['plain', 'single', 'double', 'block'];

// A scalar's value (bits 4-6 of its first word); its source is the text at its span unless
// SOURCE_OWN is set (then it is in the strings).
/** Value and source are one string: the text at the span. */
const V_TEXT = 0;
/** Value and source are one string, not the text at the span. */
const V_SAME = 1;
const V_STRING = 2;
const V_NUMBER = 3;
const V_TRUE = 4;
const V_FALSE = 5;
const V_NULL = 6;
const SOURCE_OWN = 1 << 7;

/** A pair whose keyText is not what its key gives (see keyTextOf): it is written out. */
const KEY_TEXT_OWN = 1;
const HAS_VALUE = 2;

/** Whether `source` is the text of `text` from `start` to `end` (without a copy of that text). */
function isTextAt(source: string, text: string, start: number, end: number): boolean {
  return source.length === end - start && text.startsWith(source, start);
}

/** The trees of one reply as written by TreeWriter. */
export interface EncodedTrees {
  words: Int32Array;
  strings: string[];
  numbers: number[];
}

/** Writes the trees of a reply's documents, in order (a parse thread's side). */
export class TreeWriter {
  private words = new Int32Array(8192);
  private length = 0;
  private readonly strings: string[] = [];
  private readonly numbers: number[] = [];

  /** One document: its tree (null for none) with offsets into `text`, the document's text. */
  document(root: AstNode | null, text: string): void {
    this.push(root ? 1 : 0);
    if (root) this.node(root, text);
  }

  /** What was written, and the buffer to transfer with it. */
  finish(): EncodedTrees {
    return { words: this.words.subarray(0, this.length), strings: this.strings, numbers: this.numbers };
  }

  private push(word: number): void {
    if (this.length === this.words.length) {
      const more = new Int32Array(this.words.length * 2);
      more.set(this.words);
      this.words = more;
    }
    this.words[this.length++] = word;
  }

  private string(s: string): void {
    this.push(this.strings.length);
    this.strings.push(s);
  }

  /** A key held as its text (see Pair): the plain scalar Pair.key would make. */
  private plainText(value: string, start: number, end: number, text: string): void {
    const inText = isTextAt(value, text, start, end);
    this.push(SCALAR | ((inText ? V_TEXT : V_SAME) << 4));
    this.push(start);
    this.push(end);
    if (!inText) this.string(value);
  }

  private node(node: AstNode, text: string): void {
    if (node.type === 'scalar') {
      const style = STYLES.indexOf(node.style);
      if (style < 0) throw new Error(`scalar style ${String(node.style)} cannot be sent`);
      const { value, source } = node;
      const inText = isTextAt(source, text, node.start, node.end);
      if (typeof value === 'string' && value === source) {
        this.push(SCALAR | (style << 2) | ((inText ? V_TEXT : V_SAME) << 4));
        this.push(node.start);
        this.push(node.end);
        if (!inText) this.string(source);
        return;
      }
      const kind =
        typeof value === 'string'
          ? V_STRING
          : typeof value === 'number'
            ? V_NUMBER
            : value === true
              ? V_TRUE
              : value === false
                ? V_FALSE
                : V_NULL;
      if (kind === V_NULL && value !== null) throw new Error(`scalar value ${String(value)} cannot be sent`);
      this.push(SCALAR | (style << 2) | (kind << 4) | (inText ? 0 : SOURCE_OWN));
      this.push(node.start);
      this.push(node.end);
      if (kind === V_STRING) this.string(value as string);
      else if (kind === V_NUMBER) {
        this.push(this.numbers.length);
        this.numbers.push(value as number);
      }
      if (!inText) this.string(source);
    } else if (node.type === 'map') {
      this.push(MAP | (node.flow ? FLOW : 0));
      this.push(node.start);
      this.push(node.end);
      this.push(node.pairs.length);
      for (const p of node.pairs) {
        // (a pair's span is its key's start and its value's end: not written, see makePair)
        const key = heldKey(p);
        const ownKeyText = key !== undefined && p.keyText !== keyTextOf(key);
        this.push((ownKeyText ? KEY_TEXT_OWN : 0) | (p.value ? HAS_VALUE : 0));
        if (ownKeyText) {
          if (p.keyText === undefined) this.push(-1);
          else this.string(p.keyText);
        }
        if (key) this.node(key, text);
        else this.plainText(p.keyText!, p.start, (p as Pair).keyEnd, text);
        if (p.value) this.node(p.value, text);
      }
    } else if (node.type === 'seq') {
      this.push(SEQ | (node.flow ? FLOW : 0));
      this.push(node.start);
      this.push(node.end);
      this.push(node.items.length);
      for (const item of node.items) this.node(item, text);
    } else {
      this.push(ALIAS);
      this.push(node.start);
      this.push(node.end);
      this.string(node.name);
    }
  }
}

/**
 * Reads the trees a TreeWriter wrote, in the same order (the calling thread's side). `share` makes
 * equal short strings one: by default from the table parse.ts takes them from (shared-strings.ts),
 * so the trees come out as a parse in this thread leaves them; the CLI gives its own table (see
 * shareStrings in cli/parse-workers.ts).
 */
export class TreeReader {
  private at = 0;

  constructor(
    private readonly trees: EncodedTrees,
    private readonly share: (s: string) => string = sharedString,
  ) {}

  /** The next document's tree (null for none), its offsets into `text`, the document's text. */
  document(text: string): AstNode | null {
    return this.trees.words[this.at++] === 1 ? this.node(text) : null;
  }

  private node(text: string): AstNode {
    const words = this.trees.words;
    const head = words[this.at];
    const start = words[this.at + 1];
    const end = words[this.at + 2];
    this.at += 3;
    const type = head & 3;
    if (type === SCALAR) {
      const style = STYLES[(head >> 2) & 3];
      const kind = (head >> 4) & 7;
      if (kind === V_TEXT) {
        const s = this.share(text.slice(start, end));
        return { type: 'scalar', start, end, value: s, source: s, style } satisfies ScalarNode;
      }
      if (kind === V_SAME) {
        const s = this.share(this.trees.strings[words[this.at++]]);
        return { type: 'scalar', start, end, value: s, source: s, style } satisfies ScalarNode;
      }
      let value: ScalarNode['value'];
      if (kind === V_STRING) value = this.share(this.trees.strings[words[this.at++]]);
      else if (kind === V_NUMBER) value = this.trees.numbers[words[this.at++]];
      else value = kind === V_TRUE ? true : kind === V_FALSE ? false : null;
      const source = this.share(
        head & SOURCE_OWN ? this.trees.strings[words[this.at++]] : text.slice(start, end),
      );
      return { type: 'scalar', start, end, value, source, style } satisfies ScalarNode;
    }
    if (type === MAP) {
      const count = words[this.at++];
      const pairs: Pair[] = [];
      for (let i = 0; i < count; i++) {
        const flags = words[this.at++];
        let own: string | undefined;
        if (flags & KEY_TEXT_OWN) {
          const k = words[this.at++];
          own = k < 0 ? undefined : this.trees.strings[k];
        }
        const key = this.node(text);
        let keyText = flags & KEY_TEXT_OWN ? own : keyTextOf(key);
        // (as shareStrings leaves it: the key's own string when they are equal)
        if (keyText !== undefined)
          keyText = key.type === 'scalar' && key.value === keyText ? key.value : this.share(keyText);
        const value = flags & HAS_VALUE ? this.node(text) : null;
        pairs.push(makePair(key, keyText, value));
      }
      return {
        type: 'map',
        start,
        end,
        flow: (head & FLOW) !== 0,
        pairs: exactList(pairs),
      } satisfies MapNode;
    }
    if (type === SEQ) {
      const count = words[this.at++];
      const items: AstNode[] = [];
      for (let i = 0; i < count; i++) items.push(this.node(text));
      return {
        type: 'seq',
        start,
        end,
        flow: (head & FLOW) !== 0,
        items: exactList(items),
      } satisfies SeqNode;
    }
    return { type: 'alias', start, end, name: this.trees.strings[words[this.at++]] } satisfies AliasNode;
  }
}
