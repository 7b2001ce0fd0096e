// Where is the cursor, in schema terms? Worked out from the text's indentation so that it also
// works while the user is in the middle of typing (when the YAML does not parse yet).

export type Segment = string | '[]';

interface Anchor {
  col: number;
  /** undefined for a sequence dash */
  key?: string;
  /** for keys: is there a value after the colon on the same line? */
  hasValue?: boolean;
}

const KEY_RE = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"\-?:,[\]{}][^#]*?|-[^\s#][^#]*?)[ \t]*:(?=[ \t]|$)/;

/** Dashes and the key (if any) that start a line, with their columns. */
export function lineAnchors(line: string): Anchor[] {
  const out: Anchor[] = [];
  let p = 0;
  for (;;) {
    while (p < line.length && (line[p] === ' ' || line[p] === '\t')) p++;
    if (p >= line.length || line[p] === '#') return out;
    if (line[p] === '-' && (p + 1 === line.length || line[p + 1] === ' ' || line[p + 1] === '\t')) {
      out.push({ col: p });
      p++;
      continue;
    }
    const m = KEY_RE.exec(line.slice(p));
    if (m) {
      let key = m[1];
      if ((key.startsWith('"') && key.endsWith('"')) || (key.startsWith("'") && key.endsWith("'"))) key = key.slice(1, -1);
      const rest = line.slice(p + m[0].length).replace(/#.*$/, '').trim();
      out.push({ col: p, key, hasValue: rest.length > 0 });
    }
    return out;
  }
}

export interface CursorContext {
  /** Path from the document root to the map that holds the cursor's key (or to the key whose value is under the cursor). */
  path: Segment[];
  /** 'key': the cursor is where a key goes; 'value': after `key: ` on the same line. */
  mode: 'key' | 'value';
  /** Keys already present in the map at the cursor (for key mode). */
  existingKeys: Set<string>;
  /** Text typed so far for the key or the value. */
  prefix: string;
  /** Column where the key being typed starts. */
  column: number;
  /** True when the cursor is at the top level of an empty or near-empty document. */
  topLevel: boolean;
}

/**
 * `text` is one YAML document, `offset` the cursor inside it.
 */
export function cursorContext(text: string, offset: number): CursorContext | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = text.length;
  const before = text.slice(lineStart, offset);
  if (before.includes('#')) {
    // inside a comment? (a '#' preceded by a space or at line start)
    if (/(^|\s)#/.test(before)) return undefined;
  }
  const lines = text.slice(0, lineStart).split('\n');
  lines.pop(); // the empty string after the last newline
  const after = text.slice(lineEnd + 1).split('\n');

  // Parse the cursor line: dashes, then either a partial key or `key: partial-value`.
  const dashCols: number[] = [];
  let p = 0;
  for (;;) {
    while (p < before.length && before[p] === ' ') p++;
    if (before[p] === '-' && (p + 1 === before.length || before[p + 1] === ' ')) {
      dashCols.push(p);
      p++;
      continue;
    }
    break;
  }
  const rest = before.slice(p);
  let mode: 'key' | 'value' = 'key';
  let prefix = rest;
  let valueKey: string | undefined;
  const kv = /^("[^"]*"|'[^']*'|[^\s:#][^:#]*?)[ \t]*:[ \t]+(.*)$/.exec(rest);
  if (kv) {
    mode = 'value';
    valueKey = kv[1].replace(/^["']|["']$/g, '');
    prefix = kv[2];
  } else if (!/^[^\s:#]*$/.test(rest) && !/^["']?[\w./-]*$/.test(rest)) {
    return undefined;
  }
  const column = p;

  // Walk up to find the parents.
  const segs: Segment[] = []; // collected innermost-first
  const existing = new Set<string>();
  let c: number;
  let isDash: boolean;
  if (dashCols.length) {
    for (let i = dashCols.length - 1; i >= 0; i--) segs.push('[]');
    c = dashCols[0];
    isDash = true;
  } else {
    c = column;
    isDash = false;
  }
  const keyLevelCol = column;
  let collecting = dashCols.length === 0; // siblings above are in the same map only when no dash starts this line

  for (let i = lines.length - 1; i >= 0; i--) {
    const anchors = lineAnchors(lines[i]);
    if (anchors.length === 0) continue;
    if (anchors[0].col > c) {
      continue;
    }
    // a sibling at the same column and of the same type?
    const sib = anchors.findIndex((a) => a.col === c && (isDash ? a.key === undefined : a.key !== undefined));
    if (sib >= 0) {
      if (collecting && !isDash && anchors[sib].key !== undefined) existing.add(anchors[sib].key!);
      if (sib === 0) continue;
      collecting = false;
      for (let j = sib - 1; j >= 0; j--) segs.push(anchors[j].key ?? '[]');
      c = anchors[0].col;
      isDash = anchors[0].key === undefined;
      continue;
    }
    // the parent: rightmost anchor left of c (or a key at c holding a non-indented sequence)
    let j = -1;
    for (let k = anchors.length - 1; k >= 0; k--) {
      const a = anchors[k];
      if (a.col < c || (isDash && a.col === c && a.key !== undefined)) {
        j = k;
        break;
      }
    }
    if (j < 0) continue;
    collecting = false;
    for (let k = j; k >= 0; k--) segs.push(anchors[k].key ?? '[]');
    c = anchors[0].col;
    isDash = anchors[0].key === undefined;
    if (c === 0 && !isDash) break;
  }
  const path = segs.reverse();

  // Siblings below the cursor line in the same map.
  if (mode === 'key') {
    for (const line of after) {
      const anchors = lineAnchors(line);
      if (anchors.length === 0) continue;
      if (anchors[0].col < keyLevelCol) break;
      if (anchors[0].col === keyLevelCol) {
        if (anchors[0].key === undefined) break;
        existing.add(anchors[0].key);
      }
    }
  } else if (valueKey !== undefined) {
    path.push(valueKey);
  }
  const topLevel = path.length === 0 && mode === 'key' && dashCols.length === 0;
  return { path, mode, existingKeys: existing, prefix, column, topLevel };
}
