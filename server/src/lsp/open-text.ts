// The text of an open document held in pieces, so that a keystroke in a large file costs what the
// edit touches, not the whole text.
//
// vscode-languageserver-textdocument keeps one string per document and builds a new one on every
// change; its next read of a character copies the whole text into a fresh string (V8 flattens the
// concatenation). For a 1.3 MB file that string is a large object of its own: allocating and filling
// it cost 4-8 ms of CPU per keystroke (about 4 ns per character, against about 1 ns below V8's
// large-object size), the largest single cost of a keystroke at 50k lines. Here the text is a row of
// pieces of a few KB: an edit rebuilds the pieces it falls in, and the whole text is a
// concatenation made when asked (V8 copies it only when something reads it, which nothing on the
// keystroke path does: the server reads the edited region, see OpenDocuments.update). Positions,
// offsets and line offsets behave exactly as the library's FullTextDocument (a test compares them
// after random edits).

import type { TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { Position, Range } from 'vscode-languageserver-types';

/** Pieces are cut to this size when a text is opened (or a long insertion arrives); a piece that
 * grows past four times this (typing into it) is cut again. */
const PIECE_CHARS = 8 * 1024;

/** Anything that can hand out parts of a text: a string, or an open document's text. */
export interface TextSlices {
  readonly length: number;
  slice(start: number, end?: number): string;
}

function isEOL(c: number): boolean {
  return c === 13 || c === 10;
}

/** Line starts of `text` (as the library computes them: after \n, \r and \r\n), shifted by `at`. */
function lineOffsetsOf(text: string, atLineStart: boolean, at = 0): number[] {
  const out = atLineStart ? [at] : [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isEOL(c)) {
      if (c === 13 && i + 1 < text.length && text.charCodeAt(i + 1) === 10) i++;
      out.push(at + i + 1);
    }
  }
  return out;
}

export class PieceTextDocument implements TextDocument, TextSlices {
  private pieces: string[] = [];
  /** Offset of each piece in the text. */
  private starts: number[] = [];
  private size = 0;
  /** The whole text, once asked for (until the next change). */
  private whole: string | undefined;
  /** Line start offsets (same name and meaning as the library's field: lineOffsetsInTurns fills
   * it in turns for a large text). */
  _lineOffsets: number[] | undefined = undefined;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    private _version: number,
    content: string,
    /** Size of the pieces cut (tests use tiny ones). */
    private readonly pieceChars = PIECE_CHARS,
  ) {
    this.reset(content);
  }

  static create(uri: string, languageId: string, version: number, content: string): PieceTextDocument {
    return new PieceTextDocument(uri, languageId, version, content);
  }

  /** `text` as pieces, appended to `into`: whole up to 4 pieces' size, else cut to pieceChars. */
  private cut(text: string, into: string[]): void {
    if (text.length <= 4 * this.pieceChars) {
      into.push(text);
      return;
    }
    for (let i = 0; i < text.length; i += this.pieceChars) into.push(text.slice(i, i + this.pieceChars));
  }

  get version(): number {
    return this._version;
  }

  get length(): number {
    return this.size;
  }

  get lineCount(): number {
    return this.lineOffsets().length;
  }

  private reset(content: string): void {
    this.pieces = [];
    this.cut(content, this.pieces);
    if (this.pieces.length === 0) this.pieces.push('');
    this.size = content.length;
    this.whole = content;
    this.restart(0);
    this._lineOffsets = undefined;
  }

  /** Recompute the piece offsets from piece `from` on. */
  private restart(from: number): void {
    this.starts.length = this.pieces.length;
    let at = from > 0 ? this.starts[from - 1] + this.pieces[from - 1].length : 0;
    for (let i = from; i < this.pieces.length; i++) {
      this.starts[i] = at;
      at += this.pieces[i].length;
    }
  }

  /** The piece that holds `offset` (the last one for the end of the text). */
  private pieceAt(offset: number): number {
    let low = 0;
    let high = this.pieces.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  charCodeAt(offset: number): number {
    if (offset < 0 || offset >= this.size) return NaN;
    const i = this.pieceAt(offset);
    return this.pieces[i].charCodeAt(offset - this.starts[i]);
  }

  /** Characters [start, end) of the text, like String.prototype.slice with non-negative bounds. */
  slice(start = 0, end = this.size): string {
    start = Math.max(0, Math.min(start, this.size));
    end = Math.max(start, Math.min(end, this.size));
    if (this.whole !== undefined && start === 0 && end === this.size) return this.whole;
    if (start === end) return '';
    const i = this.pieceAt(start);
    const j = this.pieceAt(end - 1);
    if (i === j) return this.pieces[i].slice(start - this.starts[i], end - this.starts[i]);
    let out = this.pieces[i].slice(start - this.starts[i]);
    for (let k = i + 1; k < j; k++) out += this.pieces[k];
    return out + this.pieces[j].slice(0, end - this.starts[j]);
  }

  getText(range?: Range): string {
    if (range) {
      // (as String.prototype.substring, which the library uses: bounds in either order)
      const a = this.offsetAt(range.start);
      const b = this.offsetAt(range.end);
      return this.slice(Math.min(a, b), Math.max(a, b));
    }
    // (a concatenation: V8 copies it into one string only when its characters are read)
    if (this.whole === undefined) {
      let s = '';
      for (const p of this.pieces) s += p;
      this.whole = s;
    }
    return this.whole;
  }

  private lineOffsets(): number[] {
    if (this._lineOffsets === undefined) this._lineOffsets = lineOffsetsOf(this.getText(), true);
    return this._lineOffsets;
  }

  private ensureBeforeEOL(offset: number, lineOffset: number): number {
    while (offset > lineOffset && isEOL(this.charCodeAt(offset - 1))) offset--;
    return offset;
  }

  positionAt(offset: number): Position {
    offset = Math.max(Math.min(offset, this.size), 0);
    const lineOffsets = this.lineOffsets();
    let low = 0;
    let high = lineOffsets.length;
    if (high === 0) return { line: 0, character: offset };
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      if (lineOffsets[mid] > offset) high = mid;
      else low = mid + 1;
    }
    const line = low - 1;
    offset = this.ensureBeforeEOL(offset, lineOffsets[line]);
    return { line, character: offset - lineOffsets[line] };
  }

  offsetAt(position: Position): number {
    const lineOffsets = this.lineOffsets();
    if (position.line >= lineOffsets.length) return this.size;
    if (position.line < 0) return 0;
    const lineOffset = lineOffsets[position.line];
    if (position.character <= 0) return lineOffset;
    const next = position.line + 1 < lineOffsets.length ? lineOffsets[position.line + 1] : this.size;
    return this.ensureBeforeEOL(Math.min(lineOffset + position.character, next), lineOffset);
  }

  getLineRange(line: number): Range {
    const lineOffsets = this.lineOffsets();
    if (line >= lineOffsets.length) {
      const last = lineOffsets.length - 1;
      return {
        start: { line: last, character: 0 },
        end: { line: last, character: this.size - lineOffsets[last] },
      };
    }
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const start = lineOffsets[line];
    const next = line + 1 < lineOffsets.length ? lineOffsets[line + 1] : this.size;
    const end = this.ensureBeforeEOL(next, start);
    return { start: { line, character: 0 }, end: { line, character: end - start } };
  }

  getEOLCharacters(line: number): string {
    const lineOffsets = this.lineOffsets();
    if (line >= lineOffsets.length || line < 0) return '';
    const next = line + 1 < lineOffsets.length ? lineOffsets[line + 1] : this.size;
    return this.slice(this.ensureBeforeEOL(next, lineOffsets[line]), next);
  }

  /** Replace [start, end) of the text by `text`: only the pieces it falls in are rebuilt. */
  private replace(start: number, end: number, text: string): void {
    const i = this.pieceAt(start);
    const j = end > start ? this.pieceAt(end - 1) : i;
    const rebuilt =
      this.pieces[i].slice(0, start - this.starts[i]) + text + this.pieces[j].slice(end - this.starts[j]);
    const replacement: string[] = [];
    if (rebuilt.length > 0) this.cut(rebuilt, replacement);
    if (replacement.length === 0 && this.pieces.length === j - i + 1) replacement.push('');
    this.pieces.splice(i, j - i + 1, ...replacement);
    this.size += text.length - (end - start);
    this.whole = undefined;
    this.restart(i);
  }

  /** Apply changes as the protocol sends them (the library's TextDocument.update, in place). */
  update(changes: TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if (!('range' in change)) {
        this.reset(change.text);
        continue;
      }
      let { start, end } = change.range;
      if (start.line > end.line || (start.line === end.line && start.character > end.character))
        [start, end] = [end, start];
      const startOffset = this.offsetAt(start);
      const endOffset = this.offsetAt(end);
      this.replace(startOffset, endOffset, change.text);
      const insertedEnd = startOffset + change.text.length;
      const crlf = (at: number) => this.charCodeAt(at - 1) === 13 && this.charCodeAt(at) === 10;
      if (crlf(startOffset) || crlf(insertedEnd)) {
        // a \r\n pair across the edit's bounds: the line starts are counted again when asked
        this._lineOffsets = undefined;
        continue;
      }
      const startLine = Math.max(start.line, 0);
      const endLine = Math.max(end.line, 0);
      let lineOffsets = this._lineOffsets!;
      const added = lineOffsetsOf(change.text, false, startOffset);
      if (endLine - startLine === added.length) {
        for (let k = 0; k < added.length; k++) lineOffsets[k + startLine + 1] = added[k];
      } else if (added.length < 10000) {
        lineOffsets.splice(startLine + 1, endLine - startLine, ...added);
      } else {
        this._lineOffsets = lineOffsets = lineOffsets
          .slice(0, startLine + 1)
          .concat(added, lineOffsets.slice(endLine + 1));
      }
      const diff = change.text.length - (endOffset - startOffset);
      if (diff !== 0)
        for (let k = startLine + 1 + added.length; k < lineOffsets.length; k++) lineOffsets[k] += diff;
    }
    this._version = version;
  }
}
