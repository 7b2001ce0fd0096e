// Parse whole files with a per-document cache: unchanged documents are reused, not re-parsed.

import { countText } from './count';
import {
  DEFAULT_PARSE_LIMITS,
  DOCUMENT_TOO_COMPLEX,
  parseChunk,
  splitDocuments,
  splitDocumentsInSteps,
} from './parse';
import type { Chunk, ParsedDocument, ParseLimits } from './parse';

/** Documents parsed per file; the rest of a file past them gets one notice and is not parsed. */
export const MAX_DOCUMENTS = 20_000;

/** A file's document chunks as IncrementalParser reads them (the last one past MAX_DOCUMENTS holds
 * the rest of the text). */
export function splitFile(text: string): Chunk[] {
  return splitDocuments(text, MAX_DOCUMENTS + 1);
}

/** One span where a text differs from the one before it: [oldStart, oldEnd) of the old text became
 * [newStart, newEnd) of the new one. */
export interface EditSpan {
  oldStart: number;
  oldEnd: number;
  newStart: number;
  newEnd: number;
}

/** Where a text differs from the one before it: disjoint spans in text order (the rest is equal). */
export type TextEdit = readonly EditSpan[];

/** The edit that leads from a text to the next, given the edit that led to the text (`before`,
 * undefined when none) and the next change: [start, end) of the text replaced by `length` chars.
 * Spans the change touches or overlaps become one; the others stay apart (a change at the top and
 * one at the bottom of a file are two small spans, not one that covers the file). */
export function composeEdits(
  before: TextEdit | undefined,
  start: number,
  end: number,
  length: number,
): TextEdit {
  const spans = before ?? [];
  const delta = length - (end - start);
  const out: EditSpan[] = [];
  let i = 0;
  while (i < spans.length && spans[i].newEnd < start) out.push(spans[i++]);
  // (the text before `start` is shifted by the spans before it)
  const shift = i > 0 ? spans[i - 1].newEnd - spans[i - 1].oldEnd : 0;
  let oldStart = start - shift;
  let newStart = start;
  let oldEnd = end - shift;
  let newEnd = end;
  let j = i;
  while (j < spans.length && spans[j].newStart <= end) j++;
  if (j > i) {
    const first = spans[i];
    const last = spans[j - 1];
    oldStart = Math.min(oldStart, first.oldStart);
    newStart = Math.min(start, first.newStart);
    oldEnd = end <= last.newEnd ? last.oldEnd : end - (last.newEnd - last.oldEnd);
    newEnd = Math.max(end, last.newEnd);
  }
  out.push({ oldStart, oldEnd, newStart, newEnd: newEnd + delta });
  for (; j < spans.length; j++)
    out.push({ ...spans[j], newStart: spans[j].newStart + delta, newEnd: spans[j].newEnd + delta });
  return out;
}

/**
 * splitFile(text) from the chunks of the text before an edit: the chunks around each span of the
 * edit are split again, the others are kept (moved by what the spans before them added or removed).
 * The chunk texts of a file are what its documents are cached by, so the unchanged ones are found
 * again without reading (or hashing) the whole text. Undefined when the split of the whole text is
 * needed: the file is at its document limit, or the edit changes where a chunk that it did not touch
 * begins (a document left with only comments joins the next one).
 */
export function splitAfterEdit(
  text: { readonly length: number; slice(start: number, end?: number): string },
  previous: readonly Chunk[],
  edit: TextEdit,
): Chunk[] | undefined {
  const n = previous.length;
  if (n === 0 || n >= MAX_DOCUMENTS || previous[n - 1].overflow || edit.length === 0) return undefined;
  const endOf = (i: number) =>
    i + 1 < n ? previous[i + 1].start : previous[i].start + previous[i].text.length;
  const last = edit[edit.length - 1];
  if (endOf(n - 1) + last.newEnd - last.oldEnd !== text.length) return undefined;
  // per span, the chunks from the one before its first to the one after its last are split again (a
  // line inserted before a chunk's `---` belongs to the chunk before, a chunk emptied of content
  // joins the next one); windows that meet are one
  const windows: { first: number; last: number; spans: EditSpan[] }[] = [];
  let first = 0;
  for (const span of edit) {
    while (first + 1 < n && previous[first + 1].start < span.oldStart) first++;
    const from = Math.max(0, first - 1);
    let to = first;
    while (to + 1 < n && previous[to + 1].start <= span.oldEnd) to++;
    to = Math.min(n - 1, to + 1);
    const w = windows[windows.length - 1];
    if (w && from <= w.last + 1) {
      w.last = Math.max(w.last, to);
      w.spans.push(span);
    } else windows.push({ first: from, last: to, spans: [span] });
  }
  const out: Chunk[] = [];
  let i = 0;
  // (what the spans of the windows so far added to the text: the chunks after them moved by it)
  let shift = 0;
  for (const w of windows) {
    for (; i < w.first; i++) out.push({ start: previous[i].start + shift, text: previous[i].text });
    const from = previous[w.first].start + shift;
    const lastSpan = w.spans[w.spans.length - 1];
    shift = lastSpan.newEnd - lastSpan.oldEnd;
    const to = endOf(w.last) + shift;
    if (from > w.spans[0].newStart || to < lastSpan.newEnd) return undefined;
    if (w.last + 1 < n) {
      // the split of the region with the next chunk's first line: that chunk must still begin where
      // it began (then every chunk up to the next window does too: their text and what precedes
      // them is the same)
      const next = previous[w.last + 1].text;
      const eol = next.indexOf('\n');
      const region = splitDocuments(text.slice(from, to + (eol < 0 ? next.length : eol + 1)));
      const tail = region.pop();
      if (!tail || tail.start !== to - from) return undefined;
      for (const c of region) out.push({ start: from + c.start, text: c.text });
    } else {
      for (const c of splitDocuments(text.slice(from))) out.push({ start: from + c.start, text: c.text });
    }
    i = w.last + 1;
  }
  for (; i < n; i++) out.push({ start: previous[i].start + shift, text: previous[i].text });
  return out.length > MAX_DOCUMENTS ? undefined : out;
}

/** splitFile a step at a time (see splitDocumentsInSteps). */
export function splitFileInSteps(text: string): Generator<void, Chunk[]> {
  return splitDocumentsInSteps(text, MAX_DOCUMENTS + 1);
}

function overflowDocument(chunk: Chunk, index: number): ParsedDocument {
  return {
    base: chunk.start,
    index,
    text: chunk.text,
    root: null,
    errors: [],
    contentStart: 0,
    skipped: {
      ruleId: DOCUMENT_TOO_COMPLEX,
      message: `Kube NetLens skipped the rest of this file from here: it holds more than ${countText(MAX_DOCUMENTS)} YAML documents, over the limit that keeps the editor's memory and response time bounded. Split the file to have the rest checked.`,
      start: 0,
      end: Math.min(chunk.text.length, 3),
    },
  };
}

export interface ParsedFile {
  text: string;
  docs: ParsedDocument[];
}

/** Keeps the documents of the previous parse of one file and reuses those whose text is unchanged. */
export class IncrementalParser {
  private previous = new Map<string, ParsedDocument>();

  constructor(private readonly limits: ParseLimits = DEFAULT_PARSE_LIMITS) {}

  /** The chunks of `text` that parse() would have to parse (not in the cache), with their index in
   * the file, and their total length. A text that occurs more than once in the file is reused from
   * the cache at most once (each occurrence is a document of its own): the others are counted too,
   * so that a file of many equal documents is parsed in turns like any other large text. */
  missing(
    text: string,
    split: Chunk[] = splitFile(text),
  ): { chunks: (Chunk & { index: number })[]; bytes: number } {
    const chunks: (Chunk & { index: number })[] = [];
    const reused = new Set<string>();
    let bytes = 0;
    split.forEach((chunk, index) => {
      if (chunk.overflow) return;
      if (this.previous.has(chunk.text) && !reused.has(chunk.text)) {
        reused.add(chunk.text);
        return;
      }
      chunks.push({ ...chunk, index });
      bytes += chunk.text.length;
    });
    return { chunks, bytes };
  }

  /** Keep documents parsed for a text that was not entered (a newer version overtook it): the next
   * parse reuses those whose text it still holds, and nothing else is parsed now. */
  remember(docs: readonly ParsedDocument[]): void {
    for (const d of docs) if (!this.previous.has(d.text)) this.previous.set(d.text, d);
  }

  /** Parse `text`, reusing cached documents and, for chunks parsed elsewhere (another thread, or
   * earlier in turns), the documents in `supplied` (keyed by the chunk's index in the file, as
   * missing() lists them for the same text). `split` is the text's splitFile(), when known. */
  parse(
    text: string,
    supplied?: ReadonlyMap<number, ParsedDocument>,
    split: Chunk[] = splitFile(text),
  ): ParsedFile {
    const chunks = split;
    const next = new Map<string, ParsedDocument>();
    const docs: ParsedDocument[] = [];
    chunks.forEach((chunk, index) => {
      if (chunk.overflow) {
        docs.push(overflowDocument(chunk, index));
        return;
      }
      const cached = this.previous.get(chunk.text);
      let doc: ParsedDocument;
      if (cached && !next.has(chunk.text)) {
        // Same document object, moved: caches keyed on it (findings, resources) stay valid because
        // everything inside is relative to `base`. The previous parse of this file is discarded.
        cached.base = chunk.start;
        cached.index = index;
        doc = cached;
        next.set(chunk.text, doc);
      } else {
        const given = supplied?.get(index);
        if (given) {
          given.base = chunk.start;
          given.index = index;
        }
        doc = given ?? parseChunk(chunk, index, this.limits);
        if (!next.has(chunk.text)) next.set(chunk.text, doc);
      }
      docs.push(doc);
    });
    this.previous = next;
    return { text, docs };
  }
}

export function parseFile(text: string, limits: ParseLimits = DEFAULT_PARSE_LIMITS): ParsedFile {
  return new IncrementalParser(limits).parse(text);
}

/** The document that holds a file offset. */
export function documentAt(file: ParsedFile, offset: number): ParsedDocument | undefined {
  let found: ParsedDocument | undefined;
  for (const d of file.docs) {
    if (d.base <= offset) found = d;
    else break;
  }
  return found;
}
