// Manifest text made safe to show, in one place for every output (the CLI's text, the hovers, the
// webview's graph, details and matrix, the exported SVG and Markdown):
// - hidden or layout-changing characters (bidi embeddings, overrides and isolates, zero-width
//   characters, C0/C1 controls, line/paragraph separators, lone surrogates, every default-ignorable
//   code point) are made visible: as a mark such as ⟨U+202E⟩ where text is drawn (showHiddenCharacters,
//   splitHiddenCharacters), as an escape such as \u{202e} or \x1b where it is printed (printable), so a
//   name holding U+202E cannot reverse the text after it, one holding U+200B cannot pass for another,
//   and one holding ESC cannot drive the terminal or a CI log;
// - Markdown link, image, HTML, entity, code-span and table syntax is escaped (escapeMarkdown,
//   markdownCode), so `[x](javascript:…)` stays literal.
// One character class for both sides: linear in the text's length. Pure (no DOM, no Node).

/**
 * Hidden or layout-changing characters: controls (Cc), format characters (Cf: bidi embeddings, overrides,
 * isolates and marks, the Arabic letter mark, zero-width space/joiners, soft hyphen, BOM, tags), lone
 * surrogates (Cs), line/paragraph separators (Zl, Zp) and every default-ignorable code point (variation
 * selectors, Hangul fillers, ...). One character class: linear in the text's length. Marks and
 * terminal escapes use this one class, so both sides make the same characters visible.
 */
export const HIDDEN_CLASS = '\\p{Cc}\\p{Cf}\\p{Cs}\\p{Zl}\\p{Zp}\\p{Default_Ignorable_Code_Point}';
const HIDDEN_SOURCE = `[${HIDDEN_CLASS}]`;
const HIDDEN = new RegExp(HIDDEN_SOURCE, 'u');
const HIDDEN_ALL = new RegExp(HIDDEN_SOURCE, 'gu');

/** Names of the characters most often used to disguise text (shown in tooltips beside the mark). */
const NAMES: Record<number, string> = {
  0x061c: 'ARABIC LETTER MARK',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x00ad: 'SOFT HYPHEN',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
  0x0000: 'NULL',
  0x0007: 'BELL',
  0x0008: 'BACKSPACE',
  0x0009: 'CHARACTER TABULATION',
  0x000a: 'LINE FEED',
  0x000d: 'CARRIAGE RETURN',
  0x001b: 'ESCAPE',
  0x007f: 'DELETE',
};

/** A piece of text: plain characters, or one hidden character shown as its mark. */
export interface TextPiece {
  /** The text to draw: the original characters, or the mark (e.g. "⟨U+202E⟩"). */
  text: string;
  /** Set when `text` is the mark of a hidden character. */
  hidden?: { codePoint: number; name?: string };
}

/** Whether `s` holds a character that would be invisible or reorder the text around it. */
export function hasHiddenCharacters(s: string): boolean {
  return HIDDEN.test(s);
}

/** The visible mark of one code point: ⟨U+202E⟩. */
export function hiddenCharacterMark(codePoint: number): string {
  return `⟨U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}⟩`;
}

/** The Unicode name of a commonly abused hidden character, when we know it. */
export function hiddenCharacterName(codePoint: number): string | undefined {
  return NAMES[codePoint];
}

/** `s` with every hidden character replaced by its mark (for plain-text places: tooltips, exports, terminals). */
export function showHiddenCharacters(s: string): string {
  if (!HIDDEN.test(s)) return s;
  return s.replace(HIDDEN_ALL, (c) => hiddenCharacterMark(c.codePointAt(0)!));
}

/** `s` cut into plain pieces and marks, so that a renderer can draw the marks in their own style. */
export function splitHiddenCharacters(s: string): TextPiece[] {
  if (!HIDDEN.test(s)) return s ? [{ text: s }] : [];
  const pieces: TextPiece[] = [];
  let last = 0;
  for (const m of s.matchAll(HIDDEN_ALL)) {
    const at = m.index!;
    if (at > last) pieces.push({ text: s.slice(last, at) });
    const codePoint = m[0].codePointAt(0)!;
    const name = NAMES[codePoint];
    pieces.push({ text: hiddenCharacterMark(codePoint), hidden: name ? { codePoint, name } : { codePoint } });
    last = at + m[0].length;
  }
  if (last < s.length) pieces.push({ text: s.slice(last) });
  return pieces;
}

/** Characters that are never printed raw: controls (C0 but tab and newline, DEL, C1), format
 * characters (bidi embeddings, overrides, isolates and marks, zero-width space and joiners, soft
 * hyphen, BOM), lone surrogates, the line/paragraph separators and every other default-ignorable code
 * point: the same set the webview shows as marks (HIDDEN_CLASS above), so a name holding U+200B
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
