// Fixture annotations live in YAML comments so the fixture stays valid YAML:
//
//   apiVersion: extensions/v1beta1
//   #           ^^^^^^^^^^^^^^^^^^ error[ingress-legacy-api]: Ingress extensions/v1beta1 is no longer served...
//
// The carets mark columns of the nearest line above that is not an annotation. A message ending in
// "..." matches by prefix. A range that starts at column 0 is written `#@ 0-4 severity[rule]: ...`
// (columns of that same line); one that spans lines uses `#@ L:C-L:C severity[rule]: ...` with
// 0-based lines and columns, as in LSP.

export interface Expected {
  startLine: number;
  startChar: number;
  endLine: number;
  endChar: number;
  severity: 'error' | 'warning' | 'information' | 'hint';
  code: string;
  message: string;
}

const CARET = /^(\s*)#(\s*)(\^+)\s+(error|warning|information|hint)\[([a-z0-9-]+)\]:\s?(.*)$/;
const EXPLICIT =
  /^\s*#@\s*(\d+):(\d+)-(\d+):(\d+)\s+(error|warning|information|hint)\[([a-z0-9-]+)\]:\s?(.*)$/;
const COLUMNS = /^\s*#@\s*(\d+)-(\d+)\s+(error|warning|information|hint)\[([a-z0-9-]+)\]:\s?(.*)$/;

export function parseAnnotations(text: string): Expected[] {
  const lines = text.split('\n');
  const out: Expected[] = [];
  let target = -1;
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const ex = EXPLICIT.exec(line);
    if (ex) {
      out.push({
        startLine: +ex[1],
        startChar: +ex[2],
        endLine: +ex[3],
        endChar: +ex[4],
        severity: ex[5] as Expected['severity'],
        code: ex[6],
        message: ex[7],
      });
      return;
    }
    const cols = COLUMNS.exec(line);
    if (cols) {
      out.push({
        startLine: target,
        startChar: +cols[1],
        endLine: target,
        endChar: +cols[2],
        severity: cols[3] as Expected['severity'],
        code: cols[4],
        message: cols[5],
      });
      return;
    }
    const m = CARET.exec(line);
    if (m) {
      const start = line.indexOf('^');
      out.push({
        startLine: target,
        startChar: start,
        endLine: target,
        endChar: start + m[3].length,
        severity: m[4] as Expected['severity'],
        code: m[5],
        message: m[6],
      });
      return;
    }
    target = i;
  });
  return out;
}

const SEVERITY_NAME = ['', 'error', 'warning', 'information', 'hint'];

export interface ActualLike {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity?: number;
  code?: string | number;
  message: string;
}

export function describe(a: ActualLike): string {
  return `${a.range.start.line}:${a.range.start.character}-${a.range.end.line}:${a.range.end.character} ${SEVERITY_NAME[a.severity ?? 0]}[${a.code}]: ${a.message}`;
}

export function describeExpected(e: Expected): string {
  return `${e.startLine}:${e.startChar}-${e.endLine}:${e.endChar} ${e.severity}[${e.code}]: ${e.message}`;
}

function matches(e: Expected, a: ActualLike): boolean {
  if (a.range.start.line !== e.startLine || a.range.start.character !== e.startChar) return false;
  if (a.range.end.line !== e.endLine || a.range.end.character !== e.endChar) return false;
  if (SEVERITY_NAME[a.severity ?? 0] !== e.severity || String(a.code) !== e.code) return false;
  return e.message.endsWith('...') ? a.message.startsWith(e.message.slice(0, -3)) : a.message === e.message;
}

/** Exact comparison: every expected finding present, nothing else. Returns a readable diff or ''. */
export function compare(expected: Expected[], actual: ActualLike[]): string {
  const left = [...actual];
  const missing: Expected[] = [];
  for (const e of expected) {
    const i = left.findIndex((a) => matches(e, a));
    if (i >= 0) left.splice(i, 1);
    else missing.push(e);
  }
  if (!missing.length && !left.length) return '';
  return [
    ...missing.map((e) => `missing:    ${describeExpected(e)}`),
    ...left.map((a) => `unexpected: ${describe(a)}`),
  ].join('\n');
}

/** Remove the `$0` cursor mark; return the text and the cursor position. */
export function cursor(text: string): { text: string; line: number; character: number } {
  const i = text.indexOf('$0');
  if (i < 0) throw new Error('fixture has no $0 cursor');
  const before = text.slice(0, i);
  const line = before.split('\n').length - 1;
  const character = i - (before.lastIndexOf('\n') + 1);
  return { text: text.slice(0, i) + text.slice(i + 2), line, character };
}
