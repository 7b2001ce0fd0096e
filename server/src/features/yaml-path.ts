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

/** `\s` of a regular expression. */
function isWs(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

const isBlank = (c: number) => c === 32 || c === 9;
/** Characters a `.` of a regular expression does not match (`\n` never occurs inside a line). */
const isLineBreak = (c: number) => c === 13 || c === 0x2028 || c === 0x2029;

/** Characters that cannot start a plain key (besides `\s`): `#'"-?:,[]{}`. */
const NOT_KEY_START = new Set([35, 39, 34, 45, 63, 58, 44, 91, 93, 123, 125]);

/** Where a quoted scalar that starts at `p` ends (the index after its closing quote), or -1. */
function quotedEnd(line: string, p: number): number {
  const q = line.charCodeAt(p);
  for (let i = p + 1; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (q === 34 /* " */) {
      if (c === 92 /* \ */) {
        // an escape takes the next character, unless it is a line break
        if (i + 1 >= line.length || isLineBreak(line.charCodeAt(i + 1))) return -1;
        i++;
      } else if (c === 34) return i + 1;
    } else if (c === 39 /* ' */) {
      if (line.charCodeAt(i + 1) === 39) i++;
      else return i + 1;
    }
  }
  return -1;
}

/** The key of a `key: value` (or `key:`) that starts at `p`: its text (quotes kept) and the index
 * after its colon. A colon ends a key when a blank or the end of the line follows it; a plain key
 * holds no `#`. One pass over the line (regular expressions for this backtracked on long lines). */
export function keyAt(line: string, p: number): { key: string; end: number } | undefined {
  const n = line.length;
  if (p >= n) return undefined;
  const c = line.charCodeAt(p);
  const colonEndsKey = (j: number) =>
    line.charCodeAt(j) === 58 && (j + 1 === n || isBlank(line.charCodeAt(j + 1)));
  if (c === 34 || c === 39) {
    const q = quotedEnd(line, p);
    if (q < 0) return undefined;
    let j = q;
    while (j < n && isBlank(line.charCodeAt(j))) j++;
    return colonEndsKey(j) ? { key: line.slice(p, q), end: j + 1 } : undefined;
  }
  let min: number; // the key has at least this many characters
  if (c === 45 /* - */) {
    if (p + 1 >= n || isWs(line.charCodeAt(p + 1)) || line.charCodeAt(p + 1) === 35) return undefined;
    min = 2;
  } else {
    if (isWs(c) || NOT_KEY_START.has(c)) return undefined;
    min = 1;
  }
  let blankRun = -1; // start of the blanks just before i, or -1
  for (let i = p + min; i < n; i++) {
    const x = line.charCodeAt(i);
    if (x === 35 /* # */) return undefined;
    if (colonEndsKey(i)) {
      const keyEnd = blankRun >= 0 ? Math.max(p + min, blankRun) : i;
      return { key: line.slice(p, keyEnd), end: i + 1 };
    }
    if (isBlank(x)) {
      if (blankRun < 0) blankRun = i;
    } else blankRun = -1;
  }
  return undefined;
}

/** Split the text before the cursor after its dashes into `key: value`: the key (quotes kept) and
 * the value typed so far. The colon must be followed by a blank; a plain key holds no `:` or `#`. */
export function keyValueAt(rest: string): { key: string; value: string } | undefined {
  const n = rest.length;
  if (n === 0) return undefined;
  const valueAfter = (j: number): string | undefined => {
    // `j` is a colon: one or more blanks, then the value, which holds no line break
    if (rest.charCodeAt(j) !== 58 || !isBlank(rest.charCodeAt(j + 1))) return undefined;
    let v = j + 1;
    while (v < n && isBlank(rest.charCodeAt(v))) v++;
    for (let i = v; i < n; i++) if (isLineBreak(rest.charCodeAt(i))) return undefined;
    return rest.slice(v);
  };
  const c = rest.charCodeAt(0);
  if (c === 34 || c === 39) {
    const q = rest.indexOf(rest[0], 1);
    if (q >= 0) {
      let j = q + 1;
      while (j < n && isBlank(rest.charCodeAt(j))) j++;
      const value = valueAfter(j);
      if (value !== undefined) return { key: rest.slice(0, q + 1), value };
    }
    // not a quoted key: the quote may start a plain one
  }
  if (isWs(c) || c === 58 || c === 35) return undefined;
  let blankRun = -1;
  for (let i = 1; i < n; i++) {
    const x = rest.charCodeAt(i);
    if (x === 35) return undefined;
    if (x === 58) {
      const value = valueAfter(i);
      if (value === undefined) return undefined;
      return { key: rest.slice(0, blankRun >= 0 ? Math.max(1, blankRun) : i), value };
    }
    if (isBlank(x)) {
      if (blankRun < 0) blankRun = i;
    } else blankRun = -1;
  }
  return undefined;
}

/** A line without its comment: from the first `#` that no line break follows. */
function withoutComment(s: string): string {
  let from = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    if (isLineBreak(s.charCodeAt(i))) {
      from = i + 1;
      break;
    }
  }
  const h = s.indexOf('#', from);
  return h < 0 ? s : s.slice(0, h);
}

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
    const m = keyAt(line, p);
    if (m) {
      let key = m.key;
      if ((key.startsWith('"') && key.endsWith('"')) || (key.startsWith("'") && key.endsWith("'")))
        key = key.slice(1, -1);
      const rest = withoutComment(line.slice(m.end)).trim();
      out.push({ col: p, key, hasValue: rest.length > 0 });
    }
    return out;
  }
}

export interface CursorContext {
  /** Path from the document root to the map that holds the cursor's key (or to the key whose value is under the cursor). */
  readonly path: readonly Segment[];
  /** 'key': the cursor is where a key goes; 'value': after `key: ` on the same line. */
  mode: 'key' | 'value';
  /** Keys already present in the map at the cursor (for key mode). */
  readonly existingKeys: ReadonlySet<string>;
  /** Text typed so far for the key or the value. */
  prefix: string;
  /** Column where the key being typed starts. */
  column: number;
  /** True when the cursor is at the top level of an empty or near-empty document. */
  topLevel: boolean;
}

/** Column of a line's first character that is not a blank (space or tab), or -1 for a blank line
 * or a comment line (neither holds an anchor). */
function anchorColumn(text: string, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) break;
    i++;
  }
  return i >= end || text.charCodeAt(i) === 35 /* # */ ? -1 : i - start;
}

let lastContext: { text: string; offset: number; ctx: CursorContext | undefined } | undefined;

/**
 * `text` is one YAML document, `offset` the cursor inside it. Reads the lines around the cursor only
 * as far as its parents and its siblings reach (no copy of the text; lines indented deeper than the
 * map being walked are skipped by their indentation alone), so a request costs at most one pass over
 * the document. The last answer is kept (completion asks twice for the same cursor): it is shared,
 * hence read-only.
 */
export function cursorContext(text: string, offset: number): CursorContext | undefined {
  if (lastContext && lastContext.offset === offset && lastContext.text === text) return lastContext.ctx;
  const ctx = computeCursorContext(text, offset);
  lastContext = { text, offset, ctx };
  return ctx;
}

function computeCursorContext(text: string, offset: number): CursorContext | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = text.length;
  const before = text.slice(lineStart, offset);
  if (before.includes('#')) {
    // inside a comment? (a '#' preceded by a space or at line start)
    if (/(^|\s)#/.test(before)) return undefined;
  }

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
  const kv = keyValueAt(rest);
  if (kv) {
    mode = 'value';
    valueKey = kv.key.replace(/^["']|["']$/g, '');
    prefix = kv.value;
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

  // the lines above the cursor line, last first (`end` is the index of the line's `\n`)
  for (let end = lineStart - 1; end >= 0;) {
    const start = end > 0 ? text.lastIndexOf('\n', end - 1) + 1 : 0;
    const lineEndAt = end;
    end = start - 1;
    const col = anchorColumn(text, start, lineEndAt);
    // blank, comment, or deeper than the map being walked: no sibling or parent there
    if (col < 0 || col > c) continue;
    const anchors = lineAnchors(text.slice(start, lineEndAt));
    if (anchors.length === 0) continue;
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

  // Siblings below the cursor line in the same map: read when a question about the existing keys
  // is first asked (a map of 200,000 keys took 120 ms to read, for a completion that offers no key
  // at all: the data of a ConfigMap)
  let below = mode === 'key';
  const siblingsBelow = () => {
    below = false;
    for (let start = lineEnd + 1; start < text.length;) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const from = start;
      start = end + 1;
      const col = anchorColumn(text, from, end);
      if (col < 0 || col > keyLevelCol) continue;
      // only the line's first anchor matters here: a dash ends the map, a key is a sibling
      const line = text.slice(from, end);
      const d = line.charCodeAt(col + 1);
      const dash = line.charCodeAt(col) === 45 /* - */ && (col + 1 === line.length || d === 32 || d === 9);
      const m = dash ? undefined : keyAt(line, col);
      if (!dash && !m) continue;
      if (col < keyLevelCol || !m) break;
      existing.add(unquote(m.key));
    }
    return existing;
  };
  if (mode !== 'key' && valueKey !== undefined) path.push(valueKey);
  const topLevel = path.length === 0 && mode === 'key' && dashCols.length === 0;
  return {
    path,
    mode,
    get existingKeys(): ReadonlySet<string> {
      return below ? siblingsBelow() : existing;
    },
    prefix,
    column,
    topLevel,
  };
}

/**
 * The position inside a flow collection that a value starts (`{name: we`, `[a, b`), for completion
 * in flow style: the keys and sequence steps from the outermost `{`/`[` to the cursor, whether a key
 * or a value is being typed, and what was typed of it. Undefined when the text opens no collection
 * (or closes every one it opens). One pass over the text.
 */
export function flowPosition(
  text: string,
): { segs: Segment[]; mode: 'key' | 'value'; prefix: string } | undefined {
  const stack: { seq: boolean; key?: string; afterColon: boolean }[] = [];
  let token = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if ((c === 34 || c === 39) && token.trim() === '') {
      const end = quotedEnd(text, i);
      if (end < 0) {
        token = text.slice(i);
        break;
      }
      token = text.slice(i, end);
      i = end;
      continue;
    }
    const top = stack[stack.length - 1];
    if (c === 123 /* { */ || c === 91 /* [ */) {
      stack.push({ seq: c === 91, afterColon: false });
      token = '';
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      stack.pop();
      if (stack.length === 0) return undefined;
      token = '';
    } else if (c === 44 /* , */) {
      if (top && !top.seq) {
        top.key = undefined;
        top.afterColon = false;
      }
      token = '';
    } else if (
      c === 58 /* : */ &&
      top &&
      !top.seq &&
      !top.afterColon &&
      (i + 1 === n || isBlank(text.charCodeAt(i + 1)) || text[i + 1] === ',' || text[i + 1] === '}')
    ) {
      top.key = unquote(token.trim());
      top.afterColon = true;
      token = '';
    } else token += text[i];
    i++;
  }
  if (stack.length === 0) return undefined;
  const segs: Segment[] = [];
  for (let k = 0; k < stack.length - 1; k++) {
    const s = stack[k];
    if (s.seq) segs.push('[]');
    else if (s.afterColon && s.key !== undefined) segs.push(s.key);
    else return undefined;
  }
  const inner = stack[stack.length - 1];
  const prefix = token.replace(/^\s+/, '');
  if (inner.seq) return { segs: [...segs, '[]'], mode: 'value', prefix };
  if (inner.afterColon && inner.key !== undefined)
    return { segs: [...segs, inner.key], mode: 'value', prefix };
  return { segs, mode: 'key', prefix };
}

function unquote(s: string): string {
  return (s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'"))
    ? s.slice(1, -1)
    : s;
}
