// Texts the language service answers for, parsed document by document and entered into the index.
// The server keeps its open documents here, the tests and the CLI their inputs (TextWorkspace).

import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-types';
import { IncrementalParser } from '../syntax/file';
import type { ParsedDocument } from '../syntax/parse';
import { ResourceIndex } from '../workspace/index';
import { WorkspaceOverlay } from '../workspace/overlay';
import { listDiff } from '../workspace/list-diff';
import { resourcesOf } from '../model/resource';
import { precheck } from '../rules/check';
import type { PrecheckKnown } from '../rules/check';
import { DEFAULT_MAX_FILE_BYTES } from '../workspace/disk';
import type { ServiceFile, ServiceWorkspace } from './types';

export interface StoredFile extends ServiceFile {
  parser: IncrementalParser;
  /** Version the parse belongs to (-1: parse again). */
  version: number;
  /** Documents of the parse before the current one: a document not among them is new or edited
   * (see newDocuments). */
  previousDocs?: readonly ParsedDocument[];
}

/** The documents of a file's current parse that its previous parse did not have (new or edited),
 * in order; all of them when there was no previous parse. */
export function newDocuments(state: StoredFile): ParsedDocument[] {
  if (!state.parsed) return [];
  if (!state.previousDocs) return state.parsed.docs.slice();
  return listDiff(state.previousDocs, state.parsed.docs).added;
}

export class DocumentStore {
  private files = new Map<string, StoredFile>();

  constructor(
    readonly index: ResourceIndex,
    /** Files larger than this are skipped with a notice (read at each parse: a setting). */
    private maxFileBytes: () => number = () => DEFAULT_MAX_FILE_BYTES,
    /** Where the documents' resources go: over the disk versions of the same files, if any. */
    readonly overlay: WorkspaceOverlay = new WorkspaceOverlay(index),
  ) {}

  /** Parse a document unless this version is parsed already; true when its index entries changed. */
  update(document: TextDocument): boolean {
    const state = this.stateOf(document);
    if (this.isCurrent(document)) return false;
    const text = document.getText();
    const skipped = precheck(text, this.maxFileBytes());
    return this.commit(document, skipped, skipped ? undefined : state.parser.parse(text));
  }

  /** The parse state of a document (created empty, never parsed, on first use). */
  stateOf(document: TextDocument): StoredFile {
    let state = this.files.get(document.uri);
    if (!state) {
      state = { document, parser: new IncrementalParser(), version: -1 };
      this.files.set(document.uri, state);
    }
    state.document = document;
    return state;
  }

  /** Is this version of the document parsed already? */
  isCurrent(document: TextDocument): boolean {
    const state = this.files.get(document.uri);
    return !!state && state.version === document.version && !!(state.parsed || state.skipped);
  }

  /** Why a text would not be parsed at all (too large, binary, a Helm template), if it would not. */
  precheck(text: string, known?: PrecheckKnown): ReturnType<typeof precheck> {
    return precheck(text, this.maxFileBytes(), known);
  }

  /** Enter a parse of this version of the document (made here or on another thread); true when its
   * index entries changed. */
  commit(document: TextDocument, skipped: StoredFile['skipped'], parsed: StoredFile['parsed']): boolean {
    const state = this.stateOf(document);
    state.version = document.version;
    state.skipped = skipped;
    state.previousDocs = state.parsed?.docs;
    state.parsed = skipped ? undefined : parsed;
    const resources = state.parsed ? state.parsed.docs.flatMap((d) => resourcesOf(d)) : [];
    return this.overlay.setOpen(document.uri, resources);
  }

  get(uri: string): StoredFile | undefined {
    return this.files.get(uri);
  }

  has(uri: string): boolean {
    return this.files.has(uri);
  }

  /** Forget a file: its resources leave the index (the disk version of the file, if the overlay
   * holds one, takes its place). */
  delete(uri: string): void {
    this.files.delete(uri);
    this.overlay.close(uri);
  }

  /** Make every file parse again at its next update (settings changed). */
  invalidate(): void {
    for (const s of this.files.values()) s.version = -1;
  }
}

/**
 * A workspace of texts held in memory: what the tests (and any embedder) hand to the language
 * service. `set` replaces a file's text (a new version); positions of other files come from their
 * texts.
 */
export class TextWorkspace implements ServiceWorkspace {
  readonly store: DocumentStore;
  private versions = new Map<string, number>();

  constructor(
    readonly index: ResourceIndex = new ResourceIndex(),
    maxFileBytes?: () => number,
  ) {
    this.store = new DocumentStore(index, maxFileBytes);
  }

  set(uri: string, text: string, languageId = 'yaml'): TextDocument {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    const document = TextDocument.create(uri, languageId, version, text);
    this.store.update(document);
    return document;
  }

  delete(uri: string): void {
    this.versions.delete(uri);
    this.store.delete(uri);
  }

  file(uri: string): ServiceFile | undefined {
    return this.store.get(uri);
  }

  positionOf(uri: string, offset: number): Position | undefined {
    return this.store.get(uri)?.document.positionAt(offset);
  }
}
