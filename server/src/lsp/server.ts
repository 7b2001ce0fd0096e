// The language server: wires the protocol connection to the language service. Open documents live in
// documents.ts, the timing of diagnostics in diagnostics.ts, request mapping in handlers.ts; this file
// holds the session (initialize, settings, workspace folders, file events, shutdown).

import type { Connection, InitializeParams, InitializeResult } from 'vscode-languageserver';
import {
  DidChangeWatchedFilesNotification,
  TextDocumentSyncKind,
  CodeActionKind,
  DidChangeConfigurationNotification,
  FileChangeType,
  ErrorCodes,
  ResponseError,
} from 'vscode-languageserver';
import { ResourceIndex } from '../workspace/index';
import type { FileChange } from '../workspace/overlay';
import { filesToRecheck } from '../workspace/dependents';
import { createLanguageService } from '../service/language-service';
import { DEFAULT_SETTINGS, languageSettings, normalizeSettings, sameSettings } from './settings';
import type { ServerSettings } from './settings';
import { warmUp, warmUpText } from './warmup';
import { growYoungGenerationToCap } from './young-generation';
import { WorkspaceIndexer } from './workspace';
import { registerPreview } from './preview';
import { registerMigrate } from './migrate';
import { registerReachDiff } from './reach-diff';
import type { PreviewHost } from './preview-claims';
import { OpenDocuments } from './documents';
import { DiagnosticsScheduler, publishedFields } from './diagnostics';
import { ShutdownGuard, registerHandlers } from './handlers';
import { PULL_PROVIDER, PulledDiagnostics } from './pull';
import { ParseWorker } from '../workspace/parse-worker';
import { DEFAULT_PARSE_LIMITS } from '../syntax/parse';

const TRACE = !!process.env.KNL_TRACE;

export interface ServerOptions {
  /** Script of the parser thread (the server bundle; see workspace/parse-worker.ts). Without it,
   * every parse runs in the server's thread. */
  parseWorkerEntry?: string;
}

/** On the parser thread a slow document holds no other request: the counted limits (values, tokens,
 * depth) decide, and the clock only stops a parse that none of them catches, after five times the
 * per-file time budget (10 s by default). (In the server's own thread, which only parses small new
 * texts, the 2 s budget stays.) */
const PARSER_THREAD_BUDGET_FACTOR = 5;

/** Past this many changed files between two re-checks (an indexing), every open document is
 * re-checked instead of asking which depend on them. */
const MAX_TRACKED_CHANGES = 1000;

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const index = new ResourceIndex();
  const parseWorker = options.parseWorkerEntry
    ? new ParseWorker({
        entry: options.parseWorkerEntry,
        log,
        limits: () => ({
          ...DEFAULT_PARSE_LIMITS,
          budgetMs: PARSER_THREAD_BUDGET_FACTOR * settings.timeBudgetMs,
        }),
        warmUp: Array.from({ length: 12 }, (_, i) => warmUpText(i)),
      })
    : undefined;
  let settings: ServerSettings = DEFAULT_SETTINGS;
  let canPullConfig = false;
  let workspaceFolders: string[] = [];
  let filesExclude: string[] = [];
  let progressSupported = false;
  let folderEvents = false;
  let watchFiles = false;
  const documents: OpenDocuments = new OpenDocuments(
    index,
    () => settings.maxFileSize * 1024 * 1024,
    (uri, offset) => indexer.positionOf(uri, offset),
    parseWorker,
  );
  // open documents over disk files: what the index holds per file, and every change of it
  const overlay = documents.store.overlay;
  const indexer: WorkspaceIndexer = new WorkspaceIndexer(overlay, log, parseWorker);
  const service = createLanguageService(documents, languageSettings(settings));
  const guard = new ShutdownGuard();
  const handlers = registerHandlers(connection, service, guard, log);
  const diagnostics = new DiagnosticsScheduler(connection, documents, service, log, () =>
    handlers.indexChanged(),
  );
  // After a change of the index only the open documents whose findings can depend on the changed
  // objects are checked again (workspace/dependents.ts); past MAX_TRACKED_CHANGES files, all of them.
  let changes: FileChange[] | 'all' = [];
  overlay.onChange((c) => {
    if (changes === 'all') return;
    if (changes.length >= MAX_TRACKED_CHANGES) changes = 'all';
    else changes.push(c);
  });
  diagnostics.lastRequest = () => guard.lastRequestAt;
  diagnostics.dependents = () => {
    const since = changes;
    changes = [];
    if (since === 'all') return undefined;
    return filesToRecheck(
      index,
      since,
      documents.all().map((d) => d.uri),
    );
  };

  /** Take settings the client sent; false when they are the ones in use (nothing to check again:
   * an editor sends its settings at start and again on any change of the section, often the same). */
  function applySettings(next: ServerSettings): boolean {
    if (sameSettings(settings, next)) return false;
    settings = next;
    service.configure(languageSettings(next));
    return true;
  }

  /** Settings changed: check every open document again. */
  function recheckOpen(): void {
    const open = documents.all().length;
    if (open > 0) log(`settings changed: checking the ${open} open file${open === 1 ? '' : 's'} again`);
    diagnostics.recheckAll();
  }

  function diagnoseOthers(except?: string): void {
    diagnostics.diagnoseOthers(except);
  }

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

  // What the last indexing queued was asked for (folders and index settings): an editor sends its
  // settings at start and again on changes of other settings of the section, so an indexing is
  // queued only when what it would index differs (VS Code walked the whole folder three times at
  // start: once at initialized, then for each of its two configuration notifications).
  let indexedFor: string | undefined;
  function indexWorkspace(): Promise<void> {
    const wanted = JSON.stringify([workspaceFolders, indexOptions(), settings.index.enable]);
    if (wanted === indexedFor) return indexQueue;
    indexedFor = wanted;
    return serial(indexWorkspaceNow);
  }

  async function indexWorkspaceNow(): Promise<void> {
    if (!settings.index.enable || workspaceFolders.length === 0) {
      // indexing turned off, or the last folder removed: the disk files leave the index
      if (indexer.clear()) diagnoseOthers();
      return;
    }
    const reporter = progressSupported
      ? await connection.window.createWorkDoneProgress().catch(() => undefined)
      : undefined;
    await indexer.indexFolders(
      workspaceFolders,
      indexOptions(),
      reporter && {
        begin: (title, total) => reporter.begin(title, 0, `0/${total} files`, false),
        report: (done, total) =>
          reporter.report(Math.round((done / Math.max(1, total)) * 100), `${done}/${total} files`),
        done: () => reporter.done(),
      },
    );
    diagnoseOthers();
  }
  function log(message: string): void {
    connection.console.log(`[kube-netlens] ${message}`);
  }

  /** Read the settings from the client; true when they changed. */
  async function loadSettings(): Promise<boolean> {
    if (!canPullConfig) return false;
    try {
      const [raw, exclude] = await connection.workspace.getConfiguration([
        { section: 'kubeNetlens' },
        { section: 'files.exclude' },
      ]);
      const changed = applySettings(normalizeSettings(raw));
      filesExclude =
        exclude && typeof exclude === 'object'
          ? Object.entries(exclude as Record<string, unknown>)
              .filter(([, on]) => on === true)
              .map(([g]) => g)
          : [];
      return changed;
    } catch (e) {
      log(`could not read settings: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    // Before answering: the client waits for this anyway, and the first file it opens is then
    // checked by warm code. (The parser thread starts when a document large enough for it first
    // comes: a session that never opens one does not pay its memory.)
    const w = warmUp();
    log(`warmed up in ${w.ms.toFixed(0)} ms (${w.rounds} rounds)`);
    // (the warm-up ran with the young generation at its starting size: see young-generation.ts)
    growYoungGenerationToCap();
    canPullConfig = !!params.capabilities.workspace?.configuration;
    progressSupported = !!params.capabilities.window?.workDoneProgress;
    folderEvents = !!params.capabilities.workspace?.workspaceFolders;
    // Editors other than our VS Code client (which watches files itself) are asked to send file
    // events, so that the workspace index follows files created, changed or deleted outside the editor.
    watchFiles =
      !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration &&
      !(params.initializationOptions as { clientWatchesFiles?: boolean } | undefined)?.clientWatchesFiles;
    handlers.initialize(params.capabilities);
    diagnostics.fields = publishedFields(params.capabilities);
    // A client that can pull diagnostics (LSP 3.17) asks for them instead of receiving publications:
    // after a keystroke whose findings did not change, the answer is `unchanged` instead of every
    // finding of the file encoded, sent and drawn again.
    const pulls = !!params.capabilities.textDocument?.diagnostic;
    if (pulls) {
      const refresh = !!params.capabilities.workspace?.diagnostics?.refreshSupport;
      diagnostics.pulls = new PulledDiagnostics(
        connection,
        (uri) => documents.get(uri)?.version,
        (uri) => diagnostics.checking(uri),
        () => refresh,
        () => (guard.lastRequestAt = performance.now()),
        () => diagnostics.busy(),
      );
    }
    workspaceFolders = (params.workspaceFolders ?? []).map((f) => f.uri);
    if (workspaceFolders.length === 0 && params.rootUri) workspaceFolders = [params.rootUri];
    const init = params.initializationOptions as { settings?: unknown } | undefined;
    if (init?.settings) applySettings(normalizeSettings(init.settings));
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
        ...(pulls ? { diagnosticProvider: PULL_PROVIDER } : {}),
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'kube-netlens', version: '0.1.0' },
    };
  });

  connection.onInitialized(async () => {
    if (watchFiles) {
      void connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{yaml,yml}' }] })
        .catch((e) => log(`could not register file watchers: ${e instanceof Error ? e.message : String(e)}`));
    }
    if (canPullConfig) {
      void connection.client
        .register(DidChangeConfigurationNotification.type, { section: 'kubeNetlens' })
        .catch(() => undefined);
      if (await loadSettings()) recheckOpen();
    }
    if (folderEvents) {
      // a folder added to or removed from the workspace: index what is now in it (files of removed
      // folders leave the index at the end of the new indexing)
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        const removed = new Set(e.removed.map((f) => f.uri));
        workspaceFolders = [
          ...workspaceFolders.filter((u) => !removed.has(u)),
          ...e.added.map((f) => f.uri).filter((u) => !workspaceFolders.includes(u)),
        ];
        void indexWorkspace();
      });
    }
    await indexWorkspace();
  });

  connection.onDidChangeWatchedFiles((params) =>
    serial(async () => {
      let changed = false;
      for (const c of params.changes) {
        // (a file open in the editor is read too: its disk version is what counts once it is closed)
        if (!/\.ya?ml$/i.test(c.uri)) {
          // a deleted folder takes its files with it
          if (c.type === FileChangeType.Deleted) changed = indexer.forgetUnder(c.uri) || changed;
          continue;
        }
        if (c.type === FileChangeType.Deleted) {
          changed = indexer.forget(c.uri) || changed;
        } else if (indexer.inWorkspace(c.uri, indexOptions())) {
          changed = (await indexer.indexFile(c.uri, indexOptions())) || changed;
        }
      }
      if (changed) diagnoseOthers();
    }),
  );

  connection.onDidChangeConfiguration(async (change) => {
    const raw = (change.settings as { kubeNetlens?: unknown } | undefined)?.kubeNetlens;
    const changed = canPullConfig ? await loadSettings() : applySettings(normalizeSettings(raw));
    if (changed) recheckOpen();
    // other include/exclude globs (or files.exclude): index what now matches, drop what no longer does
    await indexWorkspace();
  });

  // (a pull is refused after shutdown like any request; it counts as one for a check's turns once
  // it is answered, not while it waits for that check: see pull.ts)
  connection.languages.diagnostics.on((params, token) => {
    if (TRACE) {
      // how long after the document's latest change the client asked (its own work in between)
      const came = documents.changeCame.get(params.textDocument.uri);
      if (came)
        process.stderr.write(
          `[kube-netlens] pull ${params.textDocument.uri} v${documents.get(params.textDocument.uri)?.version}: came ${(performance.now() - came.at).toFixed(1)} ms after the change\n`,
        );
    }
    if (guard.isShutDown)
      return new ResponseError(
        ErrorCodes.InvalidRequest,
        'textDocument/diagnostic: the server is shutting down',
        {
          retriggerRequest: false,
        },
      );
    const uri = params.textDocument.uri;
    if (!diagnostics.pulls) return { kind: 'full', items: diagnostics.current(uri) };
    return diagnostics.pulls.pull(uri, params.previousResultId, token);
  });

  documents.texts.onDidOpen((e) => diagnostics.schedule(e.document.uri));
  documents.texts.onDidChangeContent((e) => diagnostics.schedule(e.document.uri));
  documents.texts.onDidClose((e) => {
    diagnostics.closed(e.document.uri);
    documents.close(e.document.uri);
    // the file on disk (if it is part of the workspace) is what counts again: the overlay put its
    // last disk version back; it is read again in case it changed meanwhile
    diagnoseOthers(e.document.uri);
    void serial(async () => {
      if (await indexer.reloadFromDisk(e.document.uri, indexOptions())) diagnoseOthers(e.document.uri);
    });
  });

  connection.onShutdown(() => {
    // later requests are refused; checks under way stop at their next turn
    guard.shutDown();
    diagnostics.stop();
    parseWorker?.dispose();
  });

  const previewHost: PreviewHost = {
    index,
    flush: () => {
      documents.flush();
      diagnostics.settle();
    },
    positionOf: (uri, offset) => documents.positionOf(uri, offset),
    openDiagnostics: () =>
      documents.all().map((d) => ({
        uri: d.uri,
        diagnostics: diagnostics.current(d.uri),
        offsetAt: (p) => d.offsetAt(p),
      })),
    severities: () => service.settings.check.severities,
    cni: () => (settings.cni !== 'auto' ? settings.cni : undefined),
  };
  registerPreview(guard.guarded(connection), previewHost, log);
  registerMigrate(guard.guarded(connection), previewHost, log);
  registerReachDiff(guard.guarded(connection), previewHost, log);

  documents.listen(connection);
  connection.listen();
  // when the client's messages are read (the transport the protocol library chose from the command
  // line: VS Code's is IPC, lspbench's and most editors' stdio): a check's turn gives more rounds
  // while they come in (see quietTurn); with KNL_TRACE each request says how long it waited after it
  let inputAt = -Infinity;
  const noteInput = () => void (inputAt = performance.now());
  if (process.argv.includes('--stdio')) process.stdin.on('data', noteInput);
  else if (process.argv.includes('--node-ipc')) process.on('message', noteInput);
  diagnostics.lastInput = () => inputAt;
  guard.lastInput = () => inputAt;
}
