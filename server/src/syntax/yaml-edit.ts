// A read-only view of one YAML document for code that computes text edits (the legacy-Ingress
// migration): maps, sequences, scalars and aliases with their source ranges, quoting style and
// flow/block style, in plain types. The `yaml` package stays inside syntax/.

import { isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document } from 'yaml';

/** [start, value end, node end] offsets in the source text, as the parser gives them. */
export type EditRange = [number, number, number];

export interface EditScalar {
  kind: 'scalar';
  value: unknown;
  /** How the scalar is written: PLAIN, QUOTE_DOUBLE, QUOTE_SINGLE, BLOCK_LITERAL, BLOCK_FOLDED. */
  type?: string;
  range?: EditRange;
}

export interface EditPair {
  key: EditNode | null;
  value: EditNode | null;
}

export interface EditMap {
  kind: 'map';
  items: EditPair[];
  /** Written in flow style ({ a: 1 }). */
  flow: boolean;
  range?: EditRange;
}

export interface EditSeq {
  kind: 'seq';
  items: (EditNode | null)[];
  flow: boolean;
  range?: EditRange;
}

export interface EditAlias {
  kind: 'alias';
  /** The anchored node the alias stands for (undefined when the anchor is unknown). */
  readonly target: EditNode | undefined;
  range?: EditRange;
}

export type EditNode = EditScalar | EditMap | EditSeq | EditAlias;

export interface EditDocument {
  /** Parse errors: a document with any has untrustworthy ranges. */
  errors: number;
  contents: EditNode | null;
}

export const isEditMap = (n: unknown): n is EditMap => (n as EditNode | null)?.kind === 'map';
export const isEditSeq = (n: unknown): n is EditSeq => (n as EditNode | null)?.kind === 'seq';
export const isEditScalar = (n: unknown): n is EditScalar => (n as EditNode | null)?.kind === 'scalar';
export const isEditAlias = (n: unknown): n is EditAlias => (n as EditNode | null)?.kind === 'alias';

/** The edit view of a document parsed by `yaml` (with its node ranges into the source text). */
export function toEditDocument(doc: Document.Parsed): EditDocument {
  const seen = new Map<unknown, EditNode>();
  const range = (n: { range?: [number, number, number] | null }): EditRange | undefined =>
    n.range ? [n.range[0], n.range[1], n.range[2]] : undefined;
  const convert = (n: unknown): EditNode | null => {
    let out: EditNode | null = null;
    if (isMap(n))
      out = {
        kind: 'map',
        items: n.items.map((p) => ({ key: convert(p.key), value: convert(p.value) })),
        flow: !!n.flow,
        range: range(n),
      };
    else if (isSeq(n)) out = { kind: 'seq', items: n.items.map(convert), flow: !!n.flow, range: range(n) };
    else if (isScalar(n)) out = { kind: 'scalar', value: n.value, type: n.type, range: range(n) };
    else if (isAlias(n)) {
      const alias = n;
      out = {
        kind: 'alias',
        get target() {
          return seen.get(alias.resolve(doc));
        },
        range: range(n),
      };
    }
    if (out) seen.set(n, out);
    return out;
  };
  return { errors: doc.errors.length, contents: convert(doc.contents) };
}

/** Parse one document's text into its edit view. */
export function parseEditDocument(src: string): EditDocument {
  return toEditDocument(parseDocument(src, { keepSourceTokens: true }) as Document.Parsed);
}

/** Applies non-overlapping offset edits to `src` (order of the array does not matter). */
export function applyOffsetEdits(
  src: string,
  edits: { start: number; end: number; newText: string }[],
): string {
  const sorted = edits
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || a.i - b.i)
    .map((x) => x.e);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    if (e.start < pos || e.end < e.start || e.end > src.length) {
      throw new Error(`applyOffsetEdits: overlapping or invalid edit [${e.start}, ${e.end})`);
    }
    out += src.slice(pos, e.start) + e.newText;
    pos = e.end;
  }
  return out + src.slice(pos);
}
