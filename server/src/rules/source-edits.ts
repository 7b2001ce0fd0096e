// Edits to a document's source text as offset ranges (OffsetEdit), for quick fixes that rewrite YAML
// in place: line and column arithmetic, indentation shifts, the tag/anchor properties before a node,
// and a scalar replaced in its own quoting style. Subclasses (rules/migrate-legacy-ingress.ts) decide
// what to change; `finish` returns the edits sorted, checked for overlaps, inserts at one place merged.

import type { EditMap, EditNode as Node, EditPair, EditScalar as Scalar } from '../syntax/yaml-edit';
import { isEditScalar as isScalar } from '../syntax/yaml-edit';
import type { OffsetEdit } from './types';

export class SourceEdits {
  private readonly edits: OffsetEdit[] = [];
  /** The document's line break (CRLF when its first line ends so). */
  protected readonly eol: string;

  constructor(protected readonly src: string) {
    const nl = src.indexOf('\n');
    this.eol = nl > 0 && src[nl - 1] === '\r' ? '\r\n' : '\n';
  }

  finish(): OffsetEdit[] {
    const sorted = this.edits
      .map((e, i) => ({ e, i }))
      .sort((a, b) => a.e.start - b.e.start || a.e.end - a.e.start - (b.e.end - b.e.start) || a.i - b.i)
      .map((x) => x.e);
    const out: OffsetEdit[] = [];
    for (const e of sorted) {
      const last = out[out.length - 1];
      if (last && e.start < last.end) {
        throw new Error(`overlapping edits at ${e.start}`);
      }
      // Edits sharing a start offset (inserts at the same place) are merged so that their order
      // is explicit for every consumer.
      if (last && last.start === e.start && last.end === e.start) {
        out[out.length - 1] = { start: last.start, end: e.end, newText: last.newText + e.newText };
      } else {
        out.push({ ...e });
      }
    }
    return out;
  }

  protected add(start: number, end: number, newText: string): void {
    this.edits.push({ start, end, newText });
  }

  protected lineStart(off: number): number {
    return this.src.lastIndexOf('\n', off - 1) + 1;
  }

  /** Offset of the line break (or end of text) of the line holding `off`. */
  protected lineEnd(off: number): number {
    const nl = this.src.indexOf('\n', off);
    if (nl < 0) return this.src.length;
    return nl > 0 && this.src[nl - 1] === '\r' ? nl - 1 : nl;
  }

  /** Offset just after the line break of the line holding `off`. */
  protected nextLineStart(off: number): number {
    const nl = this.src.indexOf('\n', off);
    return nl < 0 ? this.src.length : nl + 1;
  }

  protected col(off: number): number {
    return off - this.lineStart(off);
  }

  /** End of a node's value, without the trailing line break that block scalars include. */
  protected contentEnd(node: Node): number {
    const [start, valueEnd] = node.range!;
    let e = valueEnd;
    while (e > start && (this.src[e - 1] === '\n' || this.src[e - 1] === '\r')) e--;
    return e;
  }

  /** Inserts `n` spaces at the start of every non-empty line after the one holding `from`,
   *  up to and including the line holding `to`. */
  protected shiftLines(from: number, to: number, n: number): void {
    if (n <= 0) return;
    for (let ls = this.nextLineStart(from); ls <= to && ls < this.src.length; ls = this.nextLineStart(ls)) {
      const c = this.src[ls];
      if (c === '\n' || c === '\r') continue;
      this.add(ls, ls, ' '.repeat(n));
    }
  }

  /** Start of the tag/anchor properties written on the same line right before `start`. */
  protected propsStart(start: number): { start: number; anchors: string[] } {
    const before = this.src.slice(this.lineStart(start), start);
    const props = before.slice(propsSuffix(before));
    if (!props) return { start, anchors: [] };
    const anchors = props.split(/[ \t]+/).filter((t) => t.startsWith('&'));
    return { start: start - props.length, anchors };
  }

  /** Replaces a scalar's text with `text`, keeping its quoting style. */
  replaceScalar(node: Scalar, text: string): void {
    if (!node.range) return;
    this.add(node.range[0], this.contentEnd(node), quoteLike(node, text));
  }
}

/** The pair of a map whose key is the plain or quoted scalar `key`. */
export function findPair(map: EditMap, key: string): EditPair | undefined {
  for (const p of map.items as EditPair[]) {
    if (isScalar(p.key) && p.key.value === key) return p;
  }
  return undefined;
}

/** `text` in the quoting style of `node` (double, single or plain). */
export function quoteLike(node: unknown, text: string): string {
  const type = isScalar(node) ? node.type : undefined;
  if (type === 'QUOTE_DOUBLE') return `"${text}"`;
  if (type === 'QUOTE_SINGLE') return `'${text}'`;
  return text;
}

const isWs = (c: string) => /\s/.test(c);
const PROP_STOP = new Set([',', '[', ']', '{', '}']);

/** Where the tag and anchor properties (`!tag &anchor `, each followed by blanks) at the end of
 * `before` begin (at its start or after whitespace), or `before.length` if there are none. Found
 * backwards token by token: linear, where a regular expression tried every start on a long line. */
export function propsSuffix(before: string): number {
  let found = before.length;
  let p = before.length;
  for (;;) {
    let i = p;
    while (i > 0 && (before[i - 1] === ' ' || before[i - 1] === '\t')) i--;
    if (i === p) return found; // a property is followed by at least one blank
    let j = i;
    while (j > 0 && !isWs(before[j - 1]) && !PROP_STOP.has(before[j - 1])) j--;
    if (j === i || (before[j] !== '!' && before[j] !== '&') || (j > 0 && !isWs(before[j - 1]))) return found;
    found = p = j;
  }
}
