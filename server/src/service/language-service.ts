// The language service: every editor feature behind one facade, in the shape of
// vscode-json-languageservice. Each feature takes a file's uri (and a position) and answers with plain
// protocol-shaped data; the workspace says what the files and the index hold. The language server
// (lsp/), the CLI and the tests call the same functions.

import { annotationHover } from '../features/hover-annotation';
import type {
  CodeAction,
  CodeLens,
  CompletionItem,
  CompletionList,
  Diagnostic,
  DocumentSymbol,
  Hover,
  Location,
  LocationLink,
  Position,
  Range,
} from 'vscode-languageserver-types';
import { CompletionItemKind, InsertTextFormat, MarkupKind, SymbolKind } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { documentAt } from '../syntax/file';
import type { ParsedDocument } from '../syntax/parse';
import type { SourceRef } from '../engine/types';
import { startBudget } from '../rules/check';
import { completeBounded } from '../features/completion';
import { boundValues } from '../features/completion-bound';
import { completeGatewayValues } from '../features/completion-gateway';
import type { CompletionKind } from '../features/completion';
import { hover } from '../features/hover';
import { tlsHover } from '../features/hover-tls';
import { explainHover, withExplanation } from '../features/hover-explain';
import { gatewayHover } from '../features/hover-gateway';
import { documentSymbols } from '../features/symbols';
import { definition } from '../features/definition';
import { references } from '../features/references';
import { codeLenses } from '../features/code-lens';
import { createValidation } from './validation';
import { PROGRESS_DOCUMENTS } from './types';
import { codeActions } from './code-actions';
import type {
  AsyncValidationOptions,
  CodeActionContextLike,
  DefinitionOptions,
  LanguageSettings,
  ServiceFile,
  ServiceWorkspace,
  ValidationOptions,
} from './types';

export interface LanguageService {
  /** Settings for every later answer (rule severities, Kubernetes version, namespace). */
  configure(settings: LanguageSettings): void;
  readonly settings: LanguageSettings;
  /** The diagnostics of a file, all at once. */
  doValidation(uri: string, options?: ValidationOptions): Diagnostic[];
  /** The same diagnostics, giving the event loop a turn between documents when the check runs long;
   * undefined when it was cancelled on the way. */
  doValidationAsync(uri: string, options?: AsyncValidationOptions): Promise<Diagnostic[] | undefined>;
  doHover(uri: string, position: Position): Hover | null;
  /** The completion items at a position (a long list of workspace values cut: see doCompleteList). */
  doComplete(uri: string, position: Position): CompletionItem[];
  /** The same items, with `isIncomplete` set when more workspace values matched than one answer
   * takes: the editor asks again as the user types. */
  doCompleteList(uri: string, position: Position): CompletionList;
  findDefinition(
    uri: string,
    position: Position,
    options?: DefinitionOptions,
  ): Location[] | LocationLink[] | null;
  findReferences(
    uri: string,
    position: Position,
    context: { includeDeclaration: boolean },
  ): Location[] | null;
  getCodeLenses(uri: string): CodeLens[];
  /** Quick fixes for the given diagnostics, computed now by the rules that reported them. */
  getCodeActions(uri: string, range: Range, context: CodeActionContextLike): CodeAction[];
  findDocumentSymbols(uri: string): DocumentSymbol[];
}

export const DEFAULT_LANGUAGE_SETTINGS: LanguageSettings = {
  enable: true,
  check: { kubernetesVersion: '1.34', severities: {} },
  reportSyntax: true,
  defaultNamespace: 'default',
};

/** The command VS Code runs to show a list of locations (the client converts the arguments). */
export const SHOW_REFERENCES = 'editor.action.showReferences';

const COMPLETION_KIND: Record<CompletionKind, CompletionItemKind> = {
  field: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  enum: CompletionItemKind.EnumMember,
  snippet: CompletionItemKind.Snippet,
};

const SYMBOL_KIND: Record<string, SymbolKind> = {
  Ingress: SymbolKind.Interface,
  IngressClass: SymbolKind.Class,
  Service: SymbolKind.Module,
  Secret: SymbolKind.Key,
  NetworkPolicy: SymbolKind.Event,
  Namespace: SymbolKind.Namespace,
};

const DEFAULT_SLICE_MS = 20;

export function createLanguageService(
  workspace: ServiceWorkspace,
  initial: LanguageSettings = DEFAULT_LANGUAGE_SETTINGS,
): LanguageService {
  let settings = initial;
  // the initial settings count like a later configure(): the index keys resources by the namespace
  // assumed for those without one
  workspace.index.setDefaultNamespace(initial.defaultNamespace);
  const validationSteps = createValidation(workspace, () => settings);

  function current(uri: string): (ServiceFile & { parsed: NonNullable<ServiceFile['parsed']> }) | undefined {
    if (!settings.enable) return undefined;
    const f = workspace.file(uri);
    return f?.parsed ? (f as ServiceFile & { parsed: NonNullable<ServiceFile['parsed']> }) : undefined;
  }

  /** The document under a position, with the offset relative to it. */
  function at(uri: string, position: Position) {
    const f = current(uri);
    if (!f) return undefined;
    const offset = f.document.offsetAt(position);
    const d = documentAt(f.parsed, offset);
    return d ? { d, offset: offset - d.base, doc: f.document } : undefined;
  }

  function toLocation(ref: SourceRef): Location | undefined {
    const start = workspace.positionOf(ref.uri, ref.start);
    const end = workspace.positionOf(ref.uri, ref.end);
    return start && end ? { uri: ref.uri, range: { start, end } } : undefined;
  }

  function locations(refs: SourceRef[]): Location[] {
    return refs.map(toLocation).filter((l): l is Location => !!l);
  }

  function fileOf(
    uri: string,
    position: Position,
  ): { document: TextDocument; d: ParsedDocument; offset: number } | undefined {
    const a = at(uri, position);
    return a && { document: a.doc, d: a.d, offset: a.offset };
  }

  function completeList(uri: string, position: Position): CompletionList {
    workspace.flush?.();
    const a = fileOf(uri, position);
    if (!a) return { isIncomplete: false, items: [] };
    const { d, offset, document } = a;
    const locate = (s: { uri: string; offset: number }) => {
      const pos = workspace.positionOf(s.uri, s.offset);
      if (!pos) return undefined;
      const name = decodeURIComponent(s.uri.slice(s.uri.lastIndexOf('/') + 1));
      return `${name}:${pos.line + 1}`;
    };
    const own = completeBounded(d.text, offset, { doc: d, index: workspace.index, locate });
    const gateway = completeGatewayValues(d, offset, workspace.index);
    // (the Gateway API values all replace the same typed text)
    const typed = gateway.length ? d.text.slice(gateway[0].replaceStart, offset) : '';
    const gw = boundValues(gateway, typed, (e) => e.sortText ?? e.label);
    // every item replaces from one of a few offsets: each is turned into a position once
    const starts = new Map<number, Position>();
    const startOf = (at: number) => {
      let p = starts.get(at);
      if (!p) starts.set(at, (p = document.positionAt(d.base + at)));
      return p;
    };
    const items = [...own.entries, ...gw.kept].map((e): CompletionItem => ({
      label: e.label,
      kind: COMPLETION_KIND[e.kind],
      detail: e.detail,
      documentation: e.documentation ? { kind: MarkupKind.Markdown, value: e.documentation } : undefined,
      insertTextFormat: e.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      sortText: e.sortText,
      textEdit: { range: { start: startOf(e.replaceStart), end: position }, newText: e.insertText },
    }));
    return { isIncomplete: own.incomplete || gw.cut, items };
  }

  return {
    configure(next: LanguageSettings) {
      settings = next;
      workspace.index.setDefaultNamespace(next.defaultNamespace);
    },
    get settings() {
      return settings;
    },

    doValidation(uri, options) {
      const steps = validationSteps(uri, options);
      for (;;) {
        const r = steps.next();
        if (r.done) return r.value;
      }
    },

    async doValidationAsync(uri, options = {}) {
      const budget = startBudget(settings.timeBudgetMs);
      const steps = validationSteps(uri, options, budget);
      const sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
      const sliceNow = typeof sliceMs === 'number' ? () => sliceMs : sliceMs;
      let slice = sliceNow();
      let started = performance.now();
      let nextProgress = PROGRESS_DOCUMENTS;
      for (;;) {
        const r = steps.next();
        if (r.done) return r.value;
        const p = r.value;
        // (at PROGRESS_DOCUMENTS documents, then each time twice as many: every publication sends
        // all the diagnostics so far, so a fixed interval would send a quadratic amount; an edit's
        // snapshot is offered once, when it comes)
        let published = false;
        if (p && options.onProgress && p.snapshot) {
          options.onProgress(p.diagnostics.slice(), p.checked, p.total, true);
          published = true;
        } else if (p && options.onProgress && p.checked === nextProgress && p.checked < p.total) {
          options.onProgress(p.diagnostics.slice(), p.checked, p.total);
          nextProgress *= 2;
          published = true;
        }
        if (published || performance.now() - started > slice) {
          // a long check: let requests, edits and `exit` through before going on (the time they
          // take does not count against this file's budget); after a publication at once, so that
          // it is written before the rest of the check
          const paused = performance.now();
          await (options.turn ? options.turn() : new Promise<void>((resolve) => setImmediate(resolve)));
          if (options.isCancelled?.()) return undefined;
          started = performance.now();
          budget.deadline += started - paused;
          slice = sliceNow();
        }
      }
    },

    doHover(uri, position) {
      const a = fileOf(uri, position);
      if (!a) return null;
      const { d, offset, document } = a;
      // TLS first: on a secretName or a TLS Secret it says more than the field's documentation.
      const gw = gatewayHover(d, offset, workspace.index, uri);
      const h = gw?.replaces
        ? gw
        : withExplanation(
            gw ?? explainHover(d, offset, uri, workspace.index),
            tlsHover(d, offset, workspace.index, uri) ?? annotationHover(d, offset) ?? hover(d, offset),
          );
      if (!h) return null;
      return {
        contents: { kind: MarkupKind.Markdown, value: h.markdown },
        range: { start: document.positionAt(d.base + h.start), end: document.positionAt(d.base + h.end) },
      };
    },

    doComplete(uri, position) {
      return completeList(uri, position).items;
    },

    doCompleteList: completeList,

    findDefinition(uri, position, options = {}) {
      workspace.flush?.();
      const a = fileOf(uri, position);
      if (!a) return null;
      const result = definition(a.d, a.offset, uri, workspace.index);
      if (!result) return null;
      const targets = locations(result.targets);
      if (!options.linkSupport) return targets;
      // Links also say which characters were asked from, so the editor underlines the whole name.
      const origin = {
        start: a.document.positionAt(a.d.base + result.origin.start),
        end: a.document.positionAt(a.d.base + result.origin.end),
      };
      return targets.map((t): LocationLink => ({
        originSelectionRange: origin,
        targetUri: t.uri,
        targetRange: t.range,
        targetSelectionRange: t.range,
      }));
    },

    findReferences(uri, position, context) {
      workspace.flush?.();
      const a = fileOf(uri, position);
      if (!a) return null;
      const result = references(a.d, a.offset, uri, workspace.index);
      if (!result) return null;
      return locations(
        context.includeDeclaration ? [...result.declarations, ...result.references] : result.references,
      );
    },

    getCodeLenses(uri) {
      workspace.flush?.();
      const f = current(uri);
      if (!f) return [];
      return codeLenses(f.parsed, uri, workspace.index).map((lens) => {
        const position = f.document.positionAt(lens.offset);
        const locs = locations(lens.locations);
        return {
          range: { start: position, end: position },
          // With nothing to list, the lens is plain text (an empty command is not clickable).
          command: locs.length
            ? { title: lens.title, command: SHOW_REFERENCES, arguments: [uri, position, locs] }
            : { title: lens.title, command: '' },
        };
      });
    },

    getCodeActions(uri, range, context) {
      const f = current(uri);
      return f ? codeActions(workspace, settings, f, uri, range, context) : [];
    },

    findDocumentSymbols(uri) {
      const f = current(uri);
      if (!f) return [];
      const doc = f.document;
      return documentSymbols(f.parsed, settings.defaultNamespace).map((s) => ({
        name: s.name,
        detail: s.detail,
        kind: SYMBOL_KIND[s.kind] ?? SymbolKind.Object,
        range: { start: doc.positionAt(s.start), end: doc.positionAt(s.end) },
        selectionRange: { start: doc.positionAt(s.selectionStart), end: doc.positionAt(s.selectionEnd) },
      }));
    },
  };
}
