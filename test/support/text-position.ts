// Positions and ranges in fixture text, found by searching for a snippet (tests of navigation and hover).

import type { Position, Range } from 'vscode-languageserver-protocol';

export function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** Range of `part` inside the nth occurrence of `needle` in a text (part defaults to the needle). */
export function rangeIn(text: string, needle: string, part = needle, nth = 0): Range {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" #${nth} not found`);
  }
  const inner = needle.indexOf(part);
  if (inner < 0) throw new Error(`"${part}" not in "${needle}"`);
  return { start: positionAt(text, at + inner), end: positionAt(text, at + inner + part.length) };
}

/** A cursor one character into `part` of the nth `needle`. */
export function cursorIn(text: string, needle: string, part = needle, nth = 0): Position {
  const r = rangeIn(text, needle, part, nth);
  return { line: r.start.line, character: r.start.character + 1 };
}
