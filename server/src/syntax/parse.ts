// The only module (with migrate-legacy-ingress.ts) that imports `yaml`.
//
// A file is split into document chunks at `---` / `...` marker lines before parsing. Each chunk is
// parsed on its own and cached by its exact text, so a keystroke re-parses one document, not the
// whole stream. The YAML spec forbids `---` or `...` at the start of a line inside any scalar, so
// splitting on those lines is exact.

import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, Scalar } from 'yaml';
import type { Node as YNode, Document } from 'yaml';
import type { AstNode, MapNode, PairNode, ScalarNode, SeqNode } from './ast';

export interface SyntaxError {
  start: number;
  end: number;
  message: string;
  code: string;
  /** true for warnings from the parser (e.g. a tag it does not know). */
  warning: boolean;
}

/** One YAML document of a file. Offsets inside `root` and `errors` are relative to `base`. */
export interface ParsedDocument {
  /** Offset of the chunk in the file. Changes when earlier documents grow or shrink. */
  base: number;
  /** Index of the document in the file (0-based). */
  index: number;
  text: string;
  root: AstNode | null;
  errors: SyntaxError[];
  /** Offset (relative) where the document's content begins, after any `---` line. */
  contentStart: number;
}

export interface Chunk {
  start: number;
  text: string;
}

const MARKER = /^(---|\.\.\.)(?=[ \t\r\n]|$)/;

/** Split a YAML stream into document chunks. A chunk starts at a `---` line (included) and ends
 * before the next one; `...` closes a document (the marker stays with the document it closes). */
export function splitDocuments(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let chunkStart = 0;
  let lineStart = 0;
  let sawContent = false; // any non-blank, non-comment line in the current chunk
  let closed = false; // a `...` was seen: the next line starts a new chunk
  const n = text.length;
  while (lineStart <= n) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = n;
    const c = text.charCodeAt(lineStart);
    if (c === 45 /* - */ || c === 46 /* . */) {
      const line = text.slice(lineStart, Math.min(lineEnd, lineStart + 4));
      const m = MARKER.exec(line);
      if (m) {
        if (m[1] === '---') {
          if (lineStart > chunkStart && (sawContent || closed)) {
            chunks.push({ start: chunkStart, text: text.slice(chunkStart, lineStart) });
            chunkStart = lineStart;
          }
          sawContent = true;
          closed = false;
        } else {
          closed = true;
          const next = lineEnd === n ? n : lineEnd + 1;
          chunks.push({ start: chunkStart, text: text.slice(chunkStart, next) });
          chunkStart = next;
          sawContent = false;
          closed = false;
        }
        if (lineEnd === n) break;
        lineStart = lineEnd + 1;
        continue;
      }
    }
    if (!sawContent) {
      // blank lines and comments before the first marker belong to the first document
      let i = lineStart;
      while (i < lineEnd && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9 || text.charCodeAt(i) === 13)) i++;
      if (i < lineEnd && text.charCodeAt(i) !== 35 /* # */) sawContent = true;
    }
    if (lineEnd === n) break;
    lineStart = lineEnd + 1;
  }
  if (chunkStart < n || chunks.length === 0) chunks.push({ start: chunkStart, text: text.slice(chunkStart) });
  return chunks;
}

/** Parse one chunk. Never throws: whatever the input, the result holds errors instead. */
export function parseChunk(chunk: Chunk, index: number): ParsedDocument {
  const text = chunk.text;
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, {
      prettyErrors: false,
      uniqueKeys: true,
      strict: true,
      stringKeys: false,
    }) as Document.Parsed;
  } catch (e) {
    // The parser is robust, but a parser bug must never take the server down.
    const message = e instanceof Error ? e.message : String(e);
    return {
      base: chunk.start,
      index,
      text,
      root: null,
      errors: [{ start: 0, end: Math.min(text.length, 1), message: `YAML parser failure: ${message}`, code: 'PARSER', warning: false }],
      contentStart: 0,
    };
  }
  const errors: SyntaxError[] = [];
  for (const e of doc.errors) errors.push(toSyntaxError(e, text, false));
  for (const w of doc.warnings) errors.push(toSyntaxError(w, text, true));
  const root = doc.contents ? convert(doc.contents as YNode, text, 0) : null;
  const contentStart = doc.contents?.range ? doc.contents.range[0] : 0;
  return { base: chunk.start, index, text, root, errors, contentStart };
}

function toSyntaxError(e: { pos: [number, number]; message: string; code: string }, text: string, warning: boolean): SyntaxError {
  let [start, end] = e.pos;
  // Errors found at the end of the document (an unclosed bracket) point at its last character
  // rather than at the next document's `---` line.
  const contentEnd = text.replace(/(\n[ \t]*(#[^\n]*)?)*\s*$/, '').length;
  const last = Math.max(0, contentEnd - 1);
  start = Math.max(0, Math.min(start, text.length));
  if (start >= contentEnd) start = last;
  end = Math.max(start, Math.min(end, text.length));
  if (end <= start) end = Math.min(text.length, start + 1);
  const nl = text.indexOf('\n', start);
  if (nl >= 0 && end > nl && nl > start) end = nl;
  const message = e.message.replace(/ at line \d+, column \d+:?$/s, '').trim();
  return { start, end, message, code: e.code, warning };
}

const MAX_DEPTH = 200;

function convert(node: YNode, text: string, depth: number): AstNode {
  const range = node.range ?? [0, 0, 0];
  const start = range[0];
  const end = range[1];
  if (depth > MAX_DEPTH) {
    return { type: 'scalar', start, end, value: null, source: '', style: 'plain' };
  }
  if (isScalar(node)) {
    const v = node.value;
    let value: ScalarNode['value'];
    if (v === null || v === undefined) value = null;
    else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') value = v;
    else if (typeof v === 'bigint') value = Number(v);
    else value = String(v);
    let style: ScalarNode['style'] = 'plain';
    if (node.type === Scalar.QUOTE_DOUBLE) style = 'double';
    else if (node.type === Scalar.QUOTE_SINGLE) style = 'single';
    else if (node.type === Scalar.BLOCK_FOLDED || node.type === Scalar.BLOCK_LITERAL) style = 'block';
    return { type: 'scalar', start, end, value, source: text.slice(start, end), style };
  }
  if (isAlias(node)) {
    return { type: 'alias', start, end, name: node.source };
  }
  if (isMap(node)) {
    const pairs: PairNode[] = [];
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const keyNode = item.key as YNode | null;
      const key: AstNode = keyNode && typeof keyNode === 'object' && 'range' in keyNode
        ? convert(keyNode, text, depth + 1)
        : { type: 'scalar', start, end: start, value: null, source: '', style: 'plain' };
      let keyText: string | undefined;
      if (key.type === 'scalar' && key.value !== null) keyText = String(key.value);
      const valueNode = item.value as YNode | null;
      const value = valueNode && typeof valueNode === 'object' && 'range' in valueNode ? convert(valueNode, text, depth + 1) : null;
      const pStart = key.start;
      const pEnd = value ? Math.max(value.end, key.end) : key.end;
      pairs.push({ key, keyText, value, start: pStart, end: pEnd });
    }
    // Block collections' ranges run on to the next line; end them at their last value instead.
    const mEnd = !node.flow && pairs.length ? pairs[pairs.length - 1].end : end;
    const m: MapNode = { type: 'map', start, end: mEnd, flow: !!node.flow, pairs };
    return m;
  }
  if (isSeq(node)) {
    const items: AstNode[] = [];
    for (const item of node.items) {
      if (item && typeof item === 'object' && 'range' in (item as object)) items.push(convert(item as YNode, text, depth + 1));
      else if (isPair(item)) {
        // `- a: b` inside a flow sequence is a single-pair map
        const k = item.key as YNode;
        const sub = convert(k, text, depth + 1);
        items.push(sub);
      }
    }
    const sEnd = !node.flow && items.length ? items[items.length - 1].end : end;
    const s: SeqNode = { type: 'seq', start, end: sEnd, flow: !!node.flow, items };
    return s;
  }
  return { type: 'scalar', start, end, value: null, source: '', style: 'plain' };
}

export type { Document };
