// Parse whole files with a per-document cache: unchanged documents are reused, not re-parsed.

import { parseChunk, splitDocuments } from './parse';
import type { ParsedDocument } from './parse';

export interface ParsedFile {
  text: string;
  docs: ParsedDocument[];
}

/** Keeps the documents of the previous parse of one file and reuses those whose text is unchanged. */
export class IncrementalParser {
  private previous = new Map<string, ParsedDocument>();

  parse(text: string): ParsedFile {
    const chunks = splitDocuments(text);
    const next = new Map<string, ParsedDocument>();
    const docs: ParsedDocument[] = [];
    chunks.forEach((chunk, index) => {
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
        doc = parseChunk(chunk, index);
        if (!next.has(chunk.text)) next.set(chunk.text, doc);
      }
      docs.push(doc);
    });
    this.previous = next;
    return { text, docs };
  }
}

export function parseFile(text: string): ParsedFile {
  return new IncrementalParser().parse(text);
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
