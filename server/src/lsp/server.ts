// The language server: maps protocol requests to features and findings to diagnostics.

import type { Connection, Diagnostic, InitializeParams, InitializeResult, CompletionItem, DocumentSymbol } from 'vscode-languageserver';
import {
  DidChangeWatchedFilesNotification,
  TextDocuments,
  TextDocumentSyncKind,
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  SymbolKind,
  CodeActionKind,
  DidChangeConfigurationNotification,
  FileChangeType,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { IncrementalParser, documentAt } from '../syntax/file';
import type { ParsedFile } from '../syntax/file';
import type { ParsedDocument } from '../syntax/parse';
import { ResourceIndex } from '../workspace/index';
import { resourcesOf } from '../model/resource';
import { ingressModel } from '../model/ingress';
import { getValue, stringValue } from '../syntax/ast';
import { checkParsedFileByDocument, precheck, applySeverity, shift } from '../rules/check';
import type { Finding } from '../rules/types';
import { complete } from '../features/completion';
import type { CompletionKind } from '../features/completion';
import { hover } from '../features/hover';
import { tlsHover } from '../features/hover-tls';
import { documentSymbols } from '../features/symbols';
import { registerNavigation } from './navigation';
import { explainHover, withExplanation } from '../features/hover-explain';
import { DEFAULT_SETTINGS, checkSettings, normalizeSettings } from './settings';
import type { ServerSettings } from './settings';
import { toCodeAction, toDiagnostic } from './convert';
import { warmUp } from './warmup';
import { WorkspaceIndexer } from './workspace';
import { registerPreview } from './preview';
import type { FixData } from './convert';

interface FileState {
  parser: IncrementalParser;
  parsed?: ParsedFile;
  /** Version the parse belongs to. */
  version: number;
  /** Why the file is not parsed (too large, binary, Helm). */
  skipped?: Finding;
  diagnostics: Diagnostic[];
  /** Documents of the parse before the current one: a document not among them is new or edited. */
  previousDocs?: Set<ParsedDocument>;
  /** A pending full cross-resource check after a fast-path one. */
  fullCheck?: NodeJS.Timeout;
}

/** Files with more documents than this take the fast path while typing: the edited documents get
 * every rule at once, the others keep their cross-resource findings until typing pauses. */
const FAST_PATH_DOCUMENTS = 40;
const FULL_CHECK_DELAY_MS = 250;

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

function isYamlUri(uri: string, languageId?: string): boolean {
  if (languageId) return languageId === 'yaml' || languageId === 'helm' || languageId === 'kubernetes';
  return /\.ya?ml$/i.test(uri);
}

const TRACE = !!process.env.KNL_TRACE;

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const files = new Map<string, FileState>();
  const index = new ResourceIndex();
  let settings: ServerSettings = DEFAULT_SETTINGS;
  let canPullConfig = false;
  let workspaceFolders: string[] = [];
  let filesExclude: string[] = [];
  let progressSupported = false;
  let folderEvents = false;
  let watchFiles = false;
  const indexer = new WorkspaceIndexer(index, (uri) => documents.get(uri) !== undefined, log);

  function indexOptions() {
    return {
      include: settings.index.include,
      exclude: [...settings.index.exclude, ...filesExclude],
      maxFiles: settings.index.maxFiles,
      maxFileBytes: settings.maxFileSize * 1024 * 1024,
    };
  }

  // Changes to the disk part of the index run one after the other, in the order they arrived: a
  // file event handled while an earlier one still reads its file must not be overtaken by it.
  // A failure is logged and never rejects (bad input must not take the server down).
  let indexQueue: Promise<void> = Promise.resolve();
  function serial(task: () => Promise<unknown>): Promise<void> {
    indexQueue = indexQueue.then(task).then(
      () => undefined,
      (e) => log(`index update failed: ${e instanceof Error ? e.message : String(e)}`),
    );
    return indexQueue;
  }

  function indexWorkspace(): Promise<void> {
    return serial(indexWorkspaceNow);
  }

  async function indexWorkspaceNow(): Promise<void> {
    if (!settings.index.enable || workspaceFolders.length === 0) {
      // indexing turned off, or the last folder removed: the disk files leave the index
      if (indexer.clear()) diagnoseOthers();
      return;
    }
    const reporter = progressSupported ? await connection.window.createWorkDoneProgress().catch(() => undefined) : undefined;
    await indexer.indexFolders(workspaceFolders, indexOptions(), reporter && {
      begin: (title, total) => reporter.begin(title, 0, `0/${total} files`, false),
      report: (done, total) => reporter.report(Math.round((done / Math.max(1, total)) * 100), `${done}/${total} files`),
      done: () => reporter.done(),
    });
    diagnoseOthers();
  }
  const pending = new Map<string, NodeJS.Immediate>();

  function log(message: string): void {
    connection.console.log(`[kube-netlens] ${message}`);
  }

  function update(doc: TextDocument): boolean {
    let state = files.get(doc.uri);
    if (!state) {
      state = { parser: new IncrementalParser(), version: -1, diagnostics: [] };
      files.set(doc.uri, state);
    }
    if (state.version === doc.version && (state.parsed || state.skipped)) return false;
    const text = doc.getText();
    state.version = doc.version;
    state.skipped = precheck(text, settings.maxFileSize * 1024 * 1024);
    state.previousDocs = state.parsed ? new Set(state.parsed.docs) : undefined;
    state.parsed = state.skipped ? undefined : state.parser.parse(text);
    const resources = state.parsed ? state.parsed.docs.flatMap((d) => resourcesOf(d)) : [];
    return index.setFile(doc.uri, resources);
  }

  /** Protocol diagnostics of one document, reused while its findings, position and settings are unchanged. */
  const diagCache = new WeakMap<ParsedDocument, { findings: Finding[]; base: number; baseLine: number; settings: ServerSettings; diags: Diagnostic[] }>();

  function diagnose(doc: TextDocument, fast = false, quietIfSame = false): void {
    const state = files.get(doc.uri);
    if (!state) return;
    if (state.fullCheck) clearTimeout(state.fullCheck);
    state.fullCheck = undefined;
    let crossOnly: Set<ParsedDocument> | undefined;
    if (fast && state.parsed && state.previousDocs && state.parsed.docs.length > FAST_PATH_DOCUMENTS) {
      const prev = state.previousDocs;
      crossOnly = new Set(state.parsed.docs.filter((d) => !prev.has(d)));
      if (crossOnly.size === state.parsed.docs.length) crossOnly = undefined;
      else {
        const version = doc.version;
        state.fullCheck = setTimeout(() => {
          state.fullCheck = undefined;
          const current = documents.get(doc.uri);
          if (current && current.version === version) diagnose(current, false, true);
        }, FULL_CHECK_DELAY_MS);
      }
    }
    let diagnostics: Diagnostic[] = [];
    const cs = checkSettings(settings);
    if (!settings.enable) diagnostics = [];
    else if (state.skipped) diagnostics = applySeverity([state.skipped], cs).map((f) => toDiagnostic(doc, f));
    else if (state.parsed) {
      const parsed = state.parsed;
      const perDoc = checkParsedFileByDocument(parsed, index, { settings: cs, reportSyntax: settings.syntaxErrors === 'report', uri: doc.uri, crossOnly });
      parsed.docs.forEach((d, i) => {
        const findings = perDoc[i];
        if (findings.length === 0) return;
        const baseLine = doc.positionAt(d.base).line;
        const c = diagCache.get(d);
        if (c && c.findings === findings && c.base === d.base && c.baseLine === baseLine && c.settings === settings) {
          for (const x of c.diags) diagnostics.push(x);
          return;
        }
        const diags = applySeverity(findings.map((f) => shift(f, d.base)), cs).map((f) => toDiagnostic(doc, f, positionOf));
        diagCache.set(d, { findings, base: d.base, baseLine, settings, diags });
        for (const x of diags) diagnostics.push(x);
      });
    }
    const unchanged = quietIfSame && diagnostics.length === state.diagnostics.length && diagnostics.every((d, i) => d === state.diagnostics[i]);
    state.diagnostics = diagnostics;
    if (!unchanged) void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  }

  function processUri(uri: string): void {
    pending.delete(uri);
    const doc = documents.get(uri);
    if (!doc || !isYamlUri(uri, doc.languageId)) return;
    try {
      const t0 = TRACE ? performance.now() : 0;
      const changed = update(doc);
      const t1 = TRACE ? performance.now() : 0;
      diagnose(doc, true);
      if (TRACE) process.stderr.write(`[kube-netlens] ${uri} v${doc.version}: update ${(t1 - t0).toFixed(1)} ms, diagnose ${(performance.now() - t1).toFixed(1)} ms\n`);
      // Other open files may read this one (a Service's ports, pod labels, a Secret's type).
      if (changed) diagnoseOthers(uri);
    } catch (e) {
      log(`failed to check ${uri}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
  }

  function positionOf(uri: string, offset: number) {
    const open = documents.get(uri);
    return open ? open.positionAt(offset) : indexer.positionOf(uri, offset);
  }

  function diagnoseOthers(except?: string): void {
    for (const other of documents.all()) if (other.uri !== except && files.has(other.uri)) diagnose(other);
    navigation.indexChanged();
  }

  function schedule(uri: string): void {
    if (pending.has(uri)) return;
    pending.set(uri, setImmediate(() => processUri(uri)));
  }

  function parsedFor(uri: string): { doc: TextDocument; parsed: ParsedFile } | undefined {
    const doc = documents.get(uri);
    if (!doc || !settings.enable) return undefined;
    const state = files.get(uri);
    if (!state || state.version !== doc.version) {
      const p = pending.get(uri);
      if (p) clearImmediate(p);
      processUri(uri);
    }
    const s = files.get(uri);
    if (!s?.parsed) return undefined;
    return { doc, parsed: s.parsed };
  }

  async function loadSettings(): Promise<void> {
    if (!canPullConfig) return;
    try {
      const [raw, exclude] = await connection.workspace.getConfiguration([{ section: 'kubeNetlens' }, { section: 'files.exclude' }]);
      settings = normalizeSettings(raw);
      filesExclude = exclude && typeof exclude === 'object' ? Object.entries(exclude as Record<string, unknown>).filter(([, on]) => on === true).map(([g]) => g) : [];
      index.setDefaultNamespace(settings.defaultNamespace);
    } catch (e) {
      log(`could not read settings: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  function recheckAll(): void {
    for (const s of files.values()) s.version = -1;
    for (const doc of documents.all()) processUri(doc.uri);
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    // Before answering: the client waits for this anyway, and the first file it opens is then
    // checked by warm code.
    const w = warmUp();
    log(`warmed up in ${w.ms.toFixed(0)} ms (${w.rounds} rounds)`);
    canPullConfig = !!params.capabilities.workspace?.configuration;
    progressSupported = !!params.capabilities.window?.workDoneProgress;
    folderEvents = !!params.capabilities.workspace?.workspaceFolders;
    // Editors other than our VS Code client (which watches files itself) are asked to send file
    // events, so that the workspace index follows files created, changed or deleted outside the editor.
    watchFiles = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration && !(params.initializationOptions as { clientWatchesFiles?: boolean } | undefined)?.clientWatchesFiles;
    navigation.initialize(params.capabilities);
    workspaceFolders = (params.workspaceFolders ?? []).map((f) => f.uri);
    if (workspaceFolders.length === 0 && params.rootUri) workspaceFolders = [params.rootUri];
    const init = params.initializationOptions as { settings?: unknown } | undefined;
    if (init?.settings) {
      settings = normalizeSettings(init.settings);
      index.setDefaultNamespace(settings.defaultNamespace);
    }
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: [':', ' ', '-'], resolveProvider: false },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        documentSymbolProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        codeLensProvider: { resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'kube-netlens', version: '0.1.0' },
    };
  });

  connection.onInitialized(async () => {
    if (watchFiles) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{yaml,yml}' }] }).catch((e) => log(`could not register file watchers: ${e instanceof Error ? e.message : String(e)}`));
    }
    if (canPullConfig) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'kubeNetlens' }).catch(() => undefined);
      await loadSettings();
      recheckAll();
    }
    if (folderEvents) {
      // a folder added to or removed from the workspace: index what is now in it (files of removed
      // folders leave the index at the end of the new indexing)
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        const removed = new Set(e.removed.map((f) => f.uri));
        workspaceFolders = [...workspaceFolders.filter((u) => !removed.has(u)), ...e.added.map((f) => f.uri).filter((u) => !workspaceFolders.includes(u))];
        void indexWorkspace();
      });
    }
    await indexWorkspace();
  });

  connection.onDidChangeWatchedFiles((params) => serial(async () => {
    let changed = false;
    for (const c of params.changes) {
      if (documents.get(c.uri)) continue;
      if (!/\.ya?ml$/i.test(c.uri)) {
        // a deleted folder takes its files with it
        if (c.type === FileChangeType.Deleted) changed = indexer.forgetUnder(c.uri) || changed;
        continue;
      }
      if (c.type === FileChangeType.Deleted) {
        indexer.forget(c.uri);
        changed = true;
      } else if (indexer.inWorkspace(c.uri, indexOptions())) {
        changed = (await indexer.indexFile(c.uri, indexOptions())) || changed;
      }
    }
    if (changed) diagnoseOthers();
  }));

  connection.onDidChangeConfiguration(async (change) => {
    const before = JSON.stringify([settings.index, filesExclude]);
    if (canPullConfig) await loadSettings();
    else {
      const raw = (change.settings as { kubeNetlens?: unknown } | undefined)?.kubeNetlens;
      settings = normalizeSettings(raw);
      index.setDefaultNamespace(settings.defaultNamespace);
    }
    recheckAll();
    // other include/exclude globs (or files.exclude): index what now matches, drop what no longer does
    if (JSON.stringify([settings.index, filesExclude]) !== before) await indexWorkspace();
  });

  documents.onDidOpen((e) => schedule(e.document.uri));
  documents.onDidChangeContent((e) => schedule(e.document.uri));
  documents.onDidClose((e) => {
    const p = pending.get(e.document.uri);
    if (p) clearImmediate(p);
    pending.delete(e.document.uri);
    files.delete(e.document.uri);
    index.removeFile(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    // the file on disk (if it is part of the workspace) is what counts again
    void serial(() => indexer.reloadFromDisk(e.document.uri, indexOptions())).then(() => diagnoseOthers(e.document.uri));
  });

  connection.onCompletion((params): CompletionItem[] => {
    const got = parsedFor(params.textDocument.uri);
    if (!got) return [];
    const offset = got.doc.offsetAt(params.position);
    const d = documentAt(got.parsed, offset);
    if (!d) return [];
    const entries = complete(d.text, offset - d.base);
    return entries.map((e) => ({
      label: e.label,
      kind: COMPLETION_KIND[e.kind],
      detail: e.detail,
      documentation: e.documentation ? { kind: MarkupKind.Markdown, value: e.documentation } : undefined,
      insertTextFormat: e.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      sortText: e.sortText,
      textEdit: { range: { start: got.doc.positionAt(d.base + e.replaceStart), end: params.position }, newText: e.insertText },
    }));
  });

  connection.onHover((params) => {
    const got = parsedFor(params.textDocument.uri);
    if (!got) return null;
    const offset = got.doc.offsetAt(params.position);
    const d = documentAt(got.parsed, offset);
    if (!d) return null;
    // TLS first: on a secretName or a TLS Secret it says more than the field's documentation.
    const h = withExplanation(explainHover(d, offset - d.base, got.doc.uri, index), tlsHover(d, offset - d.base, index, got.doc.uri) ?? hover(d, offset - d.base));
    if (!h) return null;
    return {
      contents: { kind: MarkupKind.Markdown, value: h.markdown },
      range: { start: got.doc.positionAt(d.base + h.start), end: got.doc.positionAt(d.base + h.end) },
    };
  });

  connection.onCodeAction((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return [];
    const state = files.get(doc.uri);
    const actions = [];
    for (const diag of params.context.diagnostics) {
      if (diag.source !== 'kube-netlens') continue;
      let data = diag.data as { fixes?: FixData[] } | undefined;
      if (!data?.fixes && state) {
        // Clients that drop `data`: find our own diagnostic by code and range.
        const same = state.diagnostics.find((x) => x.code === diag.code && x.range.start.line === diag.range.start.line && x.range.start.character === diag.range.start.character);
        data = same?.data as { fixes?: FixData[] } | undefined;
      }
      for (const fix of data?.fixes ?? []) actions.push(toCodeAction(doc.uri, diag, fix));
    }
    return actions;
  });

  connection.onDocumentSymbol((params): DocumentSymbol[] => {
    const got = parsedFor(params.textDocument.uri);
    if (!got) return [];
    return documentSymbols(got.parsed, settings.defaultNamespace).map((s) => ({
      name: s.name,
      detail: s.detail,
      kind: SYMBOL_KIND[s.kind] ?? SymbolKind.Object,
      range: { start: got.doc.positionAt(s.start), end: got.doc.positionAt(s.end) },
      selectionRange: { start: got.doc.positionAt(s.selectionStart), end: got.doc.positionAt(s.selectionEnd) },
    }));
  });

  registerPreview(connection, {
    index,
    flush: () => { for (const d of documents.all()) parsedFor(d.uri); },
    positionOf,
    openDiagnostics: () => documents.all().map((d) => ({ uri: d.uri, diagnostics: files.get(d.uri)?.diagnostics ?? [], offsetAt: (p) => d.offsetAt(p) })),
  }, log);

  const navigation = registerNavigation(connection, {
    index,
    parsedFor,
    flush: () => { for (const d of documents.all()) parsedFor(d.uri); },
    positionOf,
  });

  documents.listen(connection);
  connection.listen();
}

