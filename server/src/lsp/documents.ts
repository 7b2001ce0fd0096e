// The editor's open documents as the language service's workspace: their texts (kept in sync by the
// protocol's TextDocuments manager), their parses (DocumentStore, which also puts their resources in
// the index, where an open document wins over its file on disk) and positions in disk files.

import type { Connection } from 'vscode-languageserver';
import { TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-types';
import type { ResourceIndex } from '../workspace/index';
import { DocumentStore } from '../service/documents';
import type { StoredFile } from '../service/documents';
import type { ServiceFile, ServiceWorkspace } from '../service/types';

export function isYamlUri(uri: string, languageId?: string): boolean {
  if (languageId) return languageId === 'yaml' || languageId === 'helm' || languageId === 'kubernetes';
  return /\.ya?ml$/i.test(uri);
}

export class OpenDocuments implements ServiceWorkspace {
  readonly texts = new TextDocuments(TextDocument);
  readonly store: DocumentStore;
  /** Called when a question arrives about a document whose parse is behind its text. */
  onStale: (uri: string) => void = () => undefined;

  constructor(
    readonly index: ResourceIndex,
    maxFileBytes: () => number,
    /** Positions in files that are not open (the workspace index read them from disk). */
    private diskPositionOf: (uri: string, offset: number) => Position | undefined,
  ) {
    this.store = new DocumentStore(index, maxFileBytes);
  }

  listen(connection: Connection): void {
    this.texts.listen(connection);
  }

  get(uri: string): TextDocument | undefined {
    return this.texts.get(uri);
  }

  all(): TextDocument[] {
    return this.texts.all();
  }

  isOpen(uri: string): boolean {
    return this.texts.get(uri) !== undefined;
  }

  /** The parse state of an open document (as of its last update). */
  state(uri: string): StoredFile | undefined {
    return this.store.get(uri);
  }

  /** Parse an open document's current text; true when its resources in the index changed. */
  update(doc: TextDocument): boolean {
    return this.store.update(doc);
  }

  close(uri: string): void {
    this.store.delete(uri);
  }

  // ServiceWorkspace: what the language service reads.

  file(uri: string): ServiceFile | undefined {
    const doc = this.texts.get(uri);
    if (!doc || !isYamlUri(uri, doc.languageId)) return undefined;
    const state = this.store.get(uri);
    if (!state || state.version !== doc.version) this.onStale(uri);
    return this.store.get(uri);
  }

  positionOf(uri: string, offset: number): Position | undefined {
    const open = this.texts.get(uri);
    return open ? open.positionAt(offset) : this.diskPositionOf(uri, offset);
  }

  flush(): void {
    for (const d of this.texts.all()) this.file(d.uri);
  }
}
