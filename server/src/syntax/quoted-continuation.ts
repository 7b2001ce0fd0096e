// Quoted scalars whose continuation lines are indented less than YAML 1.2 allows, read the way
// Kubernetes reads them.
//
// YAML 1.2 ends a multi-line "double" or 'single' quoted value at the first continuation line that is
// not indented more than the mapping or sequence that holds the value; the `yaml` package then reports
// a missing closing quote and reads the rest of the line as a new key. The parser behind kubectl, Helm
// and kustomize (go-yaml, a port of libyaml) checks no indentation inside quotes: a quoted value runs
// to its closing quote, and only a `---` or `...` marker at the start of a line ends it early. So
//
//     annotations:
//       description: "first line
//       second line"
//
// is applied by kubectl as `first line second line`. The lexer below reads quoted values that way and
// notes each continuation line that YAML 1.2 would have refused; parseChunk uses it only for a
// document whose strict parse reports a missing closing quote, and keeps its result only when that
// reading has no error at all (so a quote the user has just opened while typing still shows as a
// syntax error). Leading blanks of a continuation line are folded away in a quoted value, so
// indenting such a line more never changes the value: that is the quick fix.
//
// It hooks two methods of yaml's Lexer that its typings keep private: `parseQuotedScalar` (kept
// as it is, with a flag set while it runs) and `continueScalar` (asked, for each line break inside the
// quotes, whether the next line continues the value). If a later version of yaml renames them,
// LENIENT_QUOTES is false, documents are read strictly as before, and test/quoted-continuation.test.ts
// fails.

import { Lexer } from 'yaml';

interface LexerInternals {
  buffer: string;
  indentNext: number;
  parseQuotedScalar(): Generator<string, string>;
  continueScalar(offset: number): number;
}

/** A continuation line of a quoted value that YAML 1.2 refuses for its indentation. */
export interface UnderIndentedLine {
  /** Offset of the line's first character that is not a blank. */
  start: number;
  /** Offset of the end of the line's content (before its line break and trailing blanks). */
  end: number;
  /** Its indentation (columns of leading blanks). */
  indent: number;
  /** The least indentation YAML 1.2 accepts there. */
  needed: number;
}

const strict = Lexer.prototype as unknown as Partial<LexerInternals>;
const strictQuoted = strict.parseQuotedScalar;
const strictContinue = strict.continueScalar;

/** Whether this version of yaml's lexer has the two methods the lenient reading hooks. */
export const LENIENT_QUOTES = typeof strictQuoted === 'function' && typeof strictContinue === 'function';

/** A lexer that reads quoted values as go-yaml does and notes the lines YAML 1.2 refuses. */
export class KubernetesQuotesLexer extends Lexer {
  readonly underIndented: UnderIndentedLine[] = [];
  inQuoted = false;
}

/** Is there a document marker (`---` or `...` then a blank or the end) at `offset`? */
function documentMarkerAt(text: string, offset: number): boolean {
  const three = text.slice(offset, offset + 3);
  if (three !== '---' && three !== '...') return false;
  const next = text.charCodeAt(offset + 3);
  return Number.isNaN(next) || next === 32 || next === 9 || next === 10 || next === 13;
}

if (strictQuoted && strictContinue) {
  type Lenient = LexerInternals & { inQuoted: boolean; underIndented: UnderIndentedLine[] };
  const proto = KubernetesQuotesLexer.prototype as unknown as LexerInternals;
  proto.parseQuotedScalar = function* (this: Lenient): Generator<string, string> {
    this.inQuoted = true;
    try {
      return yield* strictQuoted.call(this);
    } finally {
      this.inQuoted = false;
    }
  };
  proto.continueScalar = function (this: Lenient, offset: number): number {
    const at = strictContinue.call(this, offset);
    if (at !== -1 || !this.inQuoted) return at;
    const text = this.buffer;
    if (documentMarkerAt(text, offset)) return -1;
    let start = offset;
    while (text[start] === ' ' || text[start] === '\t') start++;
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    while (end > start && (text[end - 1] === ' ' || text[end - 1] === '\t' || text[end - 1] === '\r')) end--;
    this.underIndented.push({ start, end, indent: start - offset, needed: this.indentNext });
    return start;
  };
}
