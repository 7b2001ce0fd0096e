// Calico's selector expression language (projectcalico.org/v3 `selector`, `namespaceSelector`,
// rule `selector` / `notSelector`), parsed in one left-to-right pass with one token of look-ahead:
//
//   expr    := and ('||' and)*
//   and     := unary ('&&' unary)*
//   unary   := '!' unary | '(' expr ')' | 'all()' | 'global()' | 'has(' key ')' | key test
//   test    := '==' str | '!=' str | 'in' '{' strs '}' | 'not' 'in' '{' strs '}'
//            | 'contains' str | 'starts' 'with' str | 'ends' 'with' str
//   str     := '"' ... '"' | "'" ... "'"
//
// The empty expression is all(). A parse error names the offending token and its exact range (offsets
// in the expression text), so a diagnostic can underline it. Nesting is bounded (128 levels), so a
// hostile expression costs linear time and bounded stack.

import type { Labels } from './selector';

export type CalicoSelector =
  | { op: 'all' }
  | { op: 'global' }
  | { op: 'has'; key: string }
  | { op: 'eq' | 'ne' | 'contains' | 'starts' | 'ends'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'not'; arg: CalicoSelector }
  | { op: 'and' | 'or'; args: CalicoSelector[] };

export interface CalicoSelectorError {
  message: string;
  /** Offsets in the expression text; end is exclusive. */
  start: number;
  end: number;
}

export type CalicoParse = { ok: true; selector: CalicoSelector } | { ok: false; error: CalicoSelectorError };

type TokKind = 'key' | 'str' | '(' | ')' | '{' | '}' | ',' | '!' | '&&' | '||' | '==' | '!=' | 'eof';

interface Tok {
  kind: TokKind;
  text: string;
  start: number;
  end: number;
}

const KEY_CHAR = /[A-Za-z0-9_.\/\-]/;
const MAX_DEPTH = 128;

class ParseError extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}

function tokenize(text: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '&&' || two === '||' || two === '==' || two === '!=') {
      toks.push({ kind: two, text: two, start: i, end: i + 2 });
      i += 2;
      continue;
    }
    if (c === '(' || c === ')' || c === '{' || c === '}' || c === ',' || c === '!') {
      toks.push({ kind: c, text: c, start: i, end: i + 1 });
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const close = text.indexOf(c, i + 1);
      if (close < 0) throw new ParseError(`unterminated string: no closing ${c}`, i, text.length);
      toks.push({ kind: 'str', text: text.slice(i + 1, close), start: i, end: close + 1 });
      i = close + 1;
      continue;
    }
    if (KEY_CHAR.test(c)) {
      const start = i;
      while (i < text.length && KEY_CHAR.test(text[i])) i++;
      toks.push({ kind: 'key', text: text.slice(start, i), start, end: i });
      continue;
    }
    if (c === '&' || c === '|' || c === '=')
      throw new ParseError(`unexpected "${c}": did you mean "${c}${c}"?`, i, i + 1);
    throw new ParseError(`unexpected character "${c}"`, i, i + 1);
  }
  toks.push({ kind: 'eof', text: '', start: text.length, end: text.length });
  return toks;
}

class Parser {
  private pos = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(): Tok {
    return this.toks[this.pos];
  }

  private next(): Tok {
    return this.toks[this.pos++];
  }

  private fail(t: Tok, expected: string): never {
    const found =
      t.kind === 'eof' ? 'the end of the selector' : `"${t.kind === 'str' ? this.quoted(t) : t.text}"`;
    throw new ParseError(
      `expected ${expected}, found ${found}`,
      t.kind === 'eof' ? Math.max(0, t.start - 1) : t.start,
      t.kind === 'eof' ? t.start : t.end,
    );
  }

  private quoted(t: Tok): string {
    return `'${t.text}'`;
  }

  private expect(kind: TokKind, expected: string): Tok {
    const t = this.next();
    if (t.kind !== kind) {
      this.pos--;
      this.fail(t, expected);
    }
    return t;
  }

  parseAll(): CalicoSelector {
    if (this.peek().kind === 'eof') return { op: 'all' };
    const e = this.expr(0);
    const t = this.peek();
    if (t.kind !== 'eof') this.fail(t, '"&&", "||" or the end of the selector');
    return e;
  }

  private expr(depth: number): CalicoSelector {
    const args = [this.and(depth)];
    while (this.peek().kind === '||') {
      this.next();
      args.push(this.and(depth));
    }
    return args.length === 1 ? args[0] : { op: 'or', args };
  }

  private and(depth: number): CalicoSelector {
    const args = [this.unary(depth)];
    while (this.peek().kind === '&&') {
      this.next();
      args.push(this.unary(depth));
    }
    return args.length === 1 ? args[0] : { op: 'and', args };
  }

  private unary(depth: number): CalicoSelector {
    const t = this.peek();
    if (depth > MAX_DEPTH)
      throw new ParseError(`the selector nests deeper than ${MAX_DEPTH} levels`, t.start, t.end);
    // Negation chains are iterative, so `!!!!…x` costs no stack.
    let negations = 0;
    while (this.peek().kind === '!') {
      this.next();
      negations++;
    }
    let e = this.primary(depth);
    for (let i = 0; i < negations; i++) e = { op: 'not', arg: e };
    return e;
  }

  private primary(depth: number): CalicoSelector {
    const t = this.next();
    if (t.kind === '(') {
      const e = this.expr(depth + 1);
      this.expect(')', '")"');
      return e;
    }
    if (t.kind !== 'key') {
      this.pos--;
      this.fail(t, 'a label key, "has(", "all()", "!" or "("');
    }
    if ((t.text === 'all' || t.text === 'global') && this.peek().kind === '(') {
      this.next();
      this.expect(')', `")" (${t.text}() takes no argument)`);
      return { op: t.text };
    }
    if (t.text === 'has' && this.peek().kind === '(') {
      this.next();
      const key = this.expect('key', 'a label key inside has(...)');
      this.expect(')', '")"');
      return { op: 'has', key: key.text };
    }
    const key = t.text;
    const op = this.next();
    switch (op.kind) {
      case '==':
      case '!=':
        return {
          op: op.kind === '==' ? 'eq' : 'ne',
          key,
          value: this.expect('str', 'a quoted value such as "web"').text,
        };
      case 'key':
        if (op.text === 'in') return { op: 'in', key, values: this.set() };
        if (op.text === 'not') {
          const inTok = this.next();
          if (inTok.kind !== 'key' || inTok.text !== 'in') {
            this.pos--;
            this.fail(inTok, '"in" after "not"');
          }
          return { op: 'notin', key, values: this.set() };
        }
        if (op.text === 'contains')
          return { op: 'contains', key, value: this.expect('str', 'a quoted value').text };
        if (op.text === 'starts' || op.text === 'ends') {
          const w = this.next();
          if (w.kind !== 'key' || w.text !== 'with') {
            this.pos--;
            this.fail(w, `"with" after "${op.text}"`);
          }
          return { op: op.text, key, value: this.expect('str', 'a quoted value').text };
        }
        break;
    }
    this.pos--;
    this.fail(
      op,
      `"==", "!=", "in", "not in", "contains", "starts with" or "ends with" after label "${key}"`,
    );
  }

  private set(): string[] {
    this.expect('{', '"{" to open the set of values');
    const values: string[] = [];
    if (this.peek().kind === '}') {
      this.next();
      return values;
    }
    for (;;) {
      values.push(this.expect('str', 'a quoted value in the set').text);
      const t = this.next();
      if (t.kind === '}') return values;
      if (t.kind !== ',') {
        this.pos--;
        this.fail(t, '"," or "}"');
      }
    }
  }
}

const parseCache = new Map<string, CalicoParse>();

/** Parse a Calico selector expression (memoised per text). */
export function parseCalicoSelector(text: string): CalicoParse {
  let r = parseCache.get(text);
  if (r) return r;
  try {
    r = { ok: true, selector: new Parser(tokenize(text)).parseAll() };
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    r = { ok: false, error: { message: e.message, start: e.start, end: e.end } };
  }
  if (parseCache.size > 10_000) parseCache.clear();
  parseCache.set(text, r);
  return r;
}

/** Does a selector hold for these labels? `global()` holds only for non-namespaced endpoints. */
export function matchesCalico(s: CalicoSelector, labels: Labels, isGlobal = false): boolean {
  switch (s.op) {
    case 'all':
      return true;
    case 'global':
      return isGlobal;
    case 'has':
      return Object.prototype.hasOwnProperty.call(labels, s.key);
    case 'not':
      return !matchesCalico(s.arg, labels, isGlobal);
    case 'and':
      for (const a of s.args) if (!matchesCalico(a, labels, isGlobal)) return false;
      return true;
    case 'or':
      for (const a of s.args) if (matchesCalico(a, labels, isGlobal)) return true;
      return false;
  }
  const v = Object.prototype.hasOwnProperty.call(labels, s.key) ? labels[s.key] : undefined;
  switch (s.op) {
    case 'eq':
      return v === s.value;
    case 'ne':
      return v !== s.value;
    case 'contains':
      return v !== undefined && v.includes(s.value);
    case 'starts':
      return v !== undefined && v.startsWith(s.value);
    case 'ends':
      return v !== undefined && v.endsWith(s.value);
    case 'in':
      return v !== undefined && s.values.includes(v);
    case 'notin':
      return v === undefined || !s.values.includes(v);
  }
}

/** Label keys an expression tests (for did-you-mean on labels). */
export function calicoSelectorKeys(s: CalicoSelector): string[] {
  const out = new Set<string>();
  const walk = (x: CalicoSelector) => {
    if ('key' in x) out.add(x.key);
    if (x.op === 'not') walk(x.arg);
    if (x.op === 'and' || x.op === 'or') x.args.forEach(walk);
  };
  walk(s);
  return [...out];
}
