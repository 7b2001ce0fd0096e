// What the language service needs from its host, and what it answers with. Protocol-shaped data
// only (vscode-languageserver-types): no connection, no transport, no scheduling.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Position } from 'vscode-languageserver-types';
import type { ParsedFile } from '../syntax/file';
import type { ResourceIndex } from '../workspace/index';
import type { CheckSettings, Finding } from '../rules/types';

/** One file the service answers for: its text and, unless it was skipped, its parse. */
export interface ServiceFile {
  document: TextDocument;
  parsed?: ParsedFile;
  /** Why the file is not parsed (too large, binary, Helm template). */
  skipped?: Finding;
}

/**
 * The workspace as the service sees it: the files it can answer for (open documents in the editor,
 * the inputs of a CLI run, the texts of a test) and the index of every resource the cross-file rules
 * and the navigation read. The server's open-document store, the CLI loader and the in-memory
 * workspace of the tests implement it; the workspace layer slots in behind the same interface.
 */
export interface ServiceWorkspace {
  readonly index: ResourceIndex;
  /** The current parse of a file (brought up to date first), undefined when it is unknown. */
  file(uri: string): ServiceFile | undefined;
  /** Position of an offset in any known file (open, loaded or indexed from disk). */
  positionOf(uri: string, offset: number): Position | undefined;
  /** Bring every file's parse and index entries up to date (before a question about other files). */
  flush?(): void;
}

export interface LanguageSettings {
  /** false: no diagnostics and no answers. */
  enable: boolean;
  check: CheckSettings;
  /** Report YAML syntax errors (off when another YAML extension already does). */
  reportSyntax: boolean;
  defaultNamespace: string;
  /** Time budget (ms) for the rules of one file (default CHECK_BUDGET_MS); what did not run is named in one notice. */
  timeBudgetMs?: number;
}

export interface ValidationOptions {
  /** When given, only these documents re-run the cross-file rules; the others keep the cross-file
   * findings of their last full check (the server's fast path while typing in a big file). */
  crossOnly?: Set<unknown>;
  /** The file is checked once and never again (the CLI): nothing is kept for a later check (the
   * diagnostics of each document, its findings), so that a run over many files holds less. */
  once?: boolean;
  /** With crossOnly, while the file's first check is still under way: the documents whose findings
   * the client was shown (the first ones of a progress publication, and those edited since). An edit's
   * snapshot (see onProgress) then holds their findings and the edited documents', not those of
   * documents checked after that publication: what the client sees changes only where the edit
   * changed something. */
  shown?: ReadonlySet<unknown>;
}

export interface AsyncValidationOptions extends ValidationOptions {
  /** Longest stretch of work (ms) before the check gives the event loop a turn; a function is asked
   * at the start of each slice (the server shortens them while the user types or asks for things). */
  sliceMs?: number | (() => number);
  /** Asked at each turn: true abandons the check (a newer version arrived, the server exits). */
  isCancelled?: () => boolean;
  /** In a file of more than PROGRESS_DOCUMENTS documents, called after PROGRESS_DOCUMENTS of them,
   * then after twice, four times... as many, with the diagnostics so far (syntax errors and findings
   * of the documents checked), so that they can be shown while the check goes on. With `snapshot`,
   * called once before the rest of the file is checked, with the diagnostics of `checked` documents
   * that are not only the first ones: the edited documents (checked first) and the others' from
   * their last complete check (see ValidationProgress). */
  onProgress?: (diagnostics: Diagnostic[], checked: number, total: number, snapshot?: boolean) => void;
  /** How the check gives the event loop a turn (default: one setImmediate); it also takes one right
   * after each onProgress call, so that what was published goes out before the check goes on. */
  turn?: () => Promise<void>;
}

/** How many documents a check runs before its first onProgress call. */
export const PROGRESS_DOCUMENTS = 500;

export interface DefinitionOptions {
  /** Answer with LocationLinks (the client supports them): the origin range is underlined. */
  linkSupport?: boolean;
}

export interface CodeActionContextLike {
  /** The diagnostics the editor asks about, as received (validated by the service). */
  diagnostics: unknown;
  /** The kinds of action asked for (LSP CodeActionContext.only): an action is returned when its kind
   * is one of them or below one (`refactor` covers `refactor.rewrite`); all kinds when absent. */
  only?: unknown;
}
