// A workspace of files parsed elsewhere (the CLI parses its inputs in worker threads and enters them
// into an index): the language service answers for them as it does for the editor's open documents.

import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-types';
import type { ParsedFile } from '../syntax/file';
import type { ResourceIndex } from '../workspace/index';
import type { Finding } from '../rules/types';
import type { ServiceFile, ServiceWorkspace } from './types';

export interface ParsedInput {
  /** The file's key in the index (a path for the CLI). */
  uri: string;
  text: string;
  parsed?: ParsedFile;
  /** Why the file was not parsed (too large, binary, Helm template). */
  skipped?: Finding;
}

/** Files whose line table positionOf keeps after their own check let theirs go (see release). */
const KEPT_FOR_POSITIONS = 64;

export class ParsedWorkspace implements ServiceWorkspace {
  private inputs = new Map<string, ParsedInput>();
  /** The files' documents, made when first asked for (a document keeps the line table of its text). */
  private documents = new Map<string, ServiceFile>();
  /** Documents made again for positions in files already let go, the most recent last. */
  private recent = new Map<string, TextDocument>();

  /** The inputs' resources must already be in `index` (entered when they were parsed). */
  constructor(
    readonly index: ResourceIndex,
    inputs: ParsedInput[],
  ) {
    for (const f of inputs) this.inputs.set(f.uri, f);
  }

  file(uri: string): ServiceFile | undefined {
    const known = this.documents.get(uri);
    if (known) return known;
    const f = this.inputs.get(uri);
    if (!f) return undefined;
    const made = { document: this.recent.get(uri) ?? document(f), parsed: f.parsed, skipped: f.skipped };
    this.recent.delete(uri);
    this.documents.set(uri, made);
    return made;
  }

  /** Let go of the document of a file whose check is done (the CLI checks each file once): a run
   * over thousands of files no longer holds every line table. Asked again, it is made again. */
  release(uri: string): void {
    this.documents.delete(uri);
  }

  positionOf(uri: string, offset: number): Position | undefined {
    const known = this.documents.get(uri)?.document;
    if (known) return known.positionAt(offset);
    const kept = this.recent.get(uri);
    if (kept) {
      // (the most recent last)
      this.recent.delete(uri);
      this.recent.set(uri, kept);
      return kept.positionAt(offset);
    }
    const f = this.inputs.get(uri);
    if (!f) return undefined;
    // (a file others' findings point into, after its own check: a few are kept)
    const made = document(f);
    this.recent.set(uri, made);
    if (this.recent.size > KEPT_FOR_POSITIONS) this.recent.delete(this.recent.keys().next().value!);
    return made.positionAt(offset);
  }
}

function document(f: ParsedInput): TextDocument {
  return TextDocument.create(f.uri, 'yaml', 1, f.text);
}
