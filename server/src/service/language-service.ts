// The language service: every editor feature behind one facade, in the shape of
// vscode-json-languageservice. Each feature takes a file's uri (and a position) and answers with plain
// protocol-shaped data; the workspace says what the files and the index hold. The language server
// (lsp/), the CLI and the tests call the same functions.

import { annotationHover } from '../features/hover-annotation';
import { MIGRATE_COMMAND } from '../protocol/migrate';
import type {
  CodeAction,
  CodeLens,
  CompletionItem,
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
import { resourcesOf } from '../model/resource';
import type { SourceRef } from '../engine/types';
import { applySeverity, budgetNotice, checkDocument, fixesFor, shift, startBudget } from '../rules/check';
import type { CheckBudget } from '../rules/check';
import type { CheckSettings, Finding } from '../rules/types';
import { complete } from '../features/completion';
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
import { ingressAt } from '../features/migrate';
import { ownDiagnostic, toCodeAction, toDiagnostic } from './convert';
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
  doComplete(uri: string, position: Position): CompletionItem[];
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

/** Protocol diagnostics of one document, reused while its findings, position and settings hold. */
interface DocumentDiagnostics {
  findings: Finding[];
  base: number;
  baseLine: number;
  settings: LanguageSettings;
  diags: Diagnostic[];
}

export function createLanguageService(
  workspace: ServiceWorkspace,
  initial: LanguageSettings = DEFAULT_LANGUAGE_SETTINGS,
): LanguageService {
  let settings = initial;
  const diagCache = new WeakMap<ParsedDocument, DocumentDiagnostics>();

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

  const positionOf = (u: string, o: number) => workspace.positionOf(u, o);

  /** Checks a file document by document, yielding after each; returns its diagnostics. */
  function* validationSteps(
    uri: string,
    options: ValidationOptions = {},
    budget: CheckBudget = startBudget(settings.timeBudgetMs),
  ): Generator<void, Diagnostic[]> {
    const f = workspace.file(uri);
    if (!f || !settings.enable) return [];
    const cs: CheckSettings = settings.check;
    const doc = f.document;
    if (f.skipped) return applySeverity([f.skipped], cs).map((x) => toDiagnostic(doc, x));
    if (!f.parsed) return [];
    const { parsed } = f;
    const mine = settings;
    const perDoc = parsed.docs.map((d) => resourcesOf(d));
    const fileIsKubernetes = perDoc.some((rs) => rs.length > 0);
    const out: Diagnostic[] = [];
    // one time budget for the rules of the whole file (what did not run is named in one notice)
    for (let i = 0; i < parsed.docs.length; i++) {
      const d = parsed.docs[i];
      const reuseCross = options.crossOnly ? !options.crossOnly.has(d) : false;
      let findings = checkDocument(
        d,
        perDoc[i],
        workspace.index,
        cs,
        mine.reportSyntax,
        fileIsKubernetes,
        uri,
        reuseCross,
        budget,
      );
      if (budget.firstSkipped && i === parsed.docs.length - 1) {
        const first = budget.firstSkipped;
        const at = parsed.docs.indexOf(first);
        const notice = applySeverity([shift(budgetNotice(first, budget), first.base)], cs).map((x) =>
          toDiagnostic(doc, x),
        );
        if (at === i) findings = [...findings, budgetNotice(first, budget)];
        else out.push(...notice);
      }
      if (findings.length > 0) {
        const baseLine = doc.positionAt(d.base).line;
        const c = diagCache.get(d);
        if (
          c &&
          c.findings === findings &&
          c.base === d.base &&
          c.baseLine === baseLine &&
          c.settings === mine
        ) {
          for (const x of c.diags) out.push(x);
        } else {
          const diags = applySeverity(
            findings.map((x) => shift(x, d.base)),
            cs,
          ).map((x) => toDiagnostic(doc, x, positionOf));
          diagCache.set(d, { findings, base: d.base, baseLine, settings: mine, diags });
          for (const x of diags) out.push(x);
        }
      }
      yield;
    }
    return out;
  }

  function fileOf(
    uri: string,
    position: Position,
  ): { document: TextDocument; d: ParsedDocument; offset: number } | undefined {
    const a = at(uri, position);
    return a && { document: a.doc, d: a.d, offset: a.offset };
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
      const slice = options.sliceMs ?? DEFAULT_SLICE_MS;
      let started = performance.now();
      for (;;) {
        const r = steps.next();
        if (r.done) return r.value;
        if (performance.now() - started > slice) {
          // a long check: let requests, edits and `exit` through before going on (the time they
          // take does not count against this file's budget)
          const paused = performance.now();
          await new Promise<void>((resolve) => setImmediate(resolve));
          if (options.isCancelled?.()) return undefined;
          started = performance.now();
          budget.deadline += started - paused;
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
      workspace.flush?.();
      const a = fileOf(uri, position);
      if (!a) return [];
      const { d, offset, document } = a;
      const locate = (s: { uri: string; offset: number }) => {
        const pos = workspace.positionOf(s.uri, s.offset);
        if (!pos) return undefined;
        const name = decodeURIComponent(s.uri.slice(s.uri.lastIndexOf('/') + 1));
        return `${name}:${pos.line + 1}`;
      };
      return [
        ...complete(d.text, offset, { doc: d, index: workspace.index, locate }),
        ...completeGatewayValues(d, offset, workspace.index),
      ].map((e) => ({
        label: e.label,
        kind: COMPLETION_KIND[e.kind],
        detail: e.detail,
        documentation: e.documentation ? { kind: MarkupKind.Markdown, value: e.documentation } : undefined,
        insertTextFormat: e.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
        sortText: e.sortText,
        textEdit: {
          range: { start: document.positionAt(d.base + e.replaceStart), end: position },
          newText: e.insertText,
        },
      }));
    },

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
      const asked = context && typeof context === 'object' ? context.diagnostics : undefined;
      if (!f || !Array.isArray(asked)) return [];
      const actions: CodeAction[] = [];
      const migrating = new Set<string>();
      for (const raw of asked) {
        const diag = ownDiagnostic(raw);
        if (!diag) continue;
        const start = f.document.offsetAt(diag.range.start);
        const end = f.document.offsetAt(diag.range.end);
        const d = documentAt(f.parsed, start);
        if (!d || end < start) continue;
        if (diag.code === 'ingress-nginx-retired') {
          // the retirement notice's action: the migration of that Ingress (the client shows a diff first)
          const ingress = ingressAt(f.parsed, start, workspace.index);
          if (ingress && !migrating.has(ingress)) {
            migrating.add(ingress);
            actions.push({
              title: 'Migrate to Gateway API',
              kind: 'refactor.rewrite',
              diagnostics: [diag],
              command: {
                title: 'Migrate to Gateway API',
                command: MIGRATE_COMMAND,
                arguments: [{ scope: 'ingress', uri, ingress }],
              },
            });
          }
          continue;
        }
        const fixes = fixesFor(d, workspace.index, settings.check, uri, {
          ruleId: String(diag.code),
          start: start - d.base,
          end: end - d.base,
          message: String(diag.message),
        });
        for (const fix of fixes) {
          const shifted = {
            ...fix,
            edits: fix.edits.map((e) => ({ ...e, start: e.start + d.base, end: e.end + d.base })),
          };
          actions.push(toCodeAction(f.document, diag, shifted, positionOf));
        }
      }
      // every Ingress, whatever its controller: the migration as a refactoring where the cursor is
      const here =
        range && typeof range === 'object' && range.start
          ? ingressAt(f.parsed, f.document.offsetAt(range.start), workspace.index)
          : undefined;
      if (here && !migrating.has(here)) {
        actions.push({
          title: 'Migrate this Ingress to Gateway API',
          kind: 'refactor.rewrite',
          command: {
            title: 'Migrate this Ingress to Gateway API',
            command: MIGRATE_COMMAND,
            arguments: [{ scope: 'ingress', uri, ingress: here }],
          },
        });
      }
      const only = context.only;
      if (Array.isArray(only) && only.every((k) => typeof k === 'string')) {
        return actions.filter((a) =>
          only.some((k: string) => a.kind === k || (a.kind ?? '').startsWith(`${k}.`)),
        );
      }
      return actions;
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
