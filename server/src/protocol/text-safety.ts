// Text from manifests made safe to look at: characters that are invisible or that change how the text around
// them is drawn (bidirectional overrides and isolates, zero-width characters, C0/C1 controls, line and
// paragraph separators, lone surrogates) are replaced by a visible mark such as ⟨U+202E⟩. A name holding
// U+202E cannot then reverse the text after it, and a name holding U+200B cannot pass for another name.
// Pure (no DOM, no Node), so the webview, the CLI and the server can all use it.

/**
 * Hidden or layout-changing characters: controls (Cc), format characters (Cf: bidi embeddings, overrides,
 * isolates and marks, the Arabic letter mark, zero-width space/joiners, soft hyphen, BOM, tags), lone
 * surrogates (Cs), line/paragraph separators (Zl, Zp) and every default-ignorable code point (variation
 * selectors, Hangul fillers, ...). One character class: linear in the text's length. Its contents are shared
 * with the terminal escaping of protocol/escape.ts, so both sides escape the same characters.
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
