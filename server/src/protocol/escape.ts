// Making manifest text safe to show: in a terminal or CI log (control characters would move the
// cursor, set the window title, clear the screen; bidi controls would reorder what is read), and in
// Markdown (a name must never become a link, an image, HTML or a table column). Used by the CLI, the
// hovers and the webview's Markdown export, so every side escapes the same way.

import { HIDDEN_CLASS } from './text-safety';

/** Characters that are never printed raw: controls (C0 but tab and newline, DEL, C1), format
 * characters (bidi embeddings, overrides, isolates and marks, zero-width space and joiners, soft
 * hyphen, BOM), lone surrogates, the line/paragraph separators and every other default-ignorable code
 * point: the same set the webview shows as marks (protocol/text-safety.ts), so a name holding U+200B
 * cannot pass for another name in a terminal either. One character class: linear in the text. */
const UNSAFE = new RegExp(`(?![\\t\\n])[${HIDDEN_CLASS}]`, 'gu');
const UNSAFE_WITH_NEWLINES = new RegExp(`(?!\\t)[${HIDDEN_CLASS}]`, 'gu');

function escapeChar(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  return `\\u{${code.toString(16)}}`;
}

/** Text with its control, bidi and invisible characters written as escapes (`\x1b`, `\u{202e}`): safe to print
 * in a terminal. Tabs stay; newlines stay unless `oneLine` (then `\n`, so a value cannot fake a line
 * of output). */
export function printable(text: string, oneLine = false): string {
  return text.replace(oneLine ? UNSAFE_WITH_NEWLINES : UNSAFE, escapeChar);
}

/** Does the text hold a character that `printable` would escape? */
export function hasUnprintable(text: string): boolean {
  UNSAFE_WITH_NEWLINES.lastIndex = 0;
  const found = UNSAFE_WITH_NEWLINES.test(text);
  UNSAFE_WITH_NEWLINES.lastIndex = 0;
  return found;
}

/** Text for Markdown prose or a table cell: the characters that make links, images, autolinks, HTML,
 * entities, code spans and table columns are escaped with a backslash (so `[x](javascript:…)`,
 * `![i](…)`, `<b>`, `&amp;`, `|` and backticks stay literal), line breaks become spaces, control and
 * bidi characters become escapes. Emphasis characters are left alone: they can only change the look. */
export function escapeMarkdown(text: string): string {
  return printable(text.replace(/\r\n?|\n/g, ' ')).replace(/[\\`[\]()<>!|&]/g, (c) => `\\${c}`);
}

/** A name as inline code when it is plain (letters, digits, `.-_/:@`), else as escaped text: a
 * backtick in the name cannot end the code span early. */
export function markdownCode(text: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/.test(text) ? `\`${text}\`` : escapeMarkdown(text);
}
