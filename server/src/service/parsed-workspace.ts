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

export class ParsedWorkspace implements ServiceWorkspace {
  private files = new Map<string, ServiceFile>();

  /** The inputs' resources must already be in `index` (entered when they were parsed). */
  constructor(
    readonly index: ResourceIndex,
    inputs: ParsedInput[],
  ) {
    for (const f of inputs)
      this.files.set(f.uri, {
        document: TextDocument.create(f.uri, 'yaml', 1, f.text),
        parsed: f.parsed,
        skipped: f.skipped,
      });
  }

  file(uri: string): ServiceFile | undefined {
    return this.files.get(uri);
  }

  positionOf(uri: string, offset: number): Position | undefined {
    return this.files.get(uri)?.document.positionAt(offset);
  }
}
