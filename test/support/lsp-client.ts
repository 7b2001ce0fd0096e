// A small LSP client for tests: starts the built server over stdio, as an editor would.

import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import type {
  Diagnostic,
  CompletionItem,
  Hover,
  CodeAction,
  Position,
  DocumentSymbol,
  TextEdit,
  Location,
  LocationLink,
  CodeLens,
} from 'vscode-languageserver-protocol';

export const ROOT = path.resolve(__dirname, '..', '..');
export const SERVER = path.join(ROOT, 'dist', 'server.js');

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
}

/** A pull's answer: every finding (`full`), or `unchanged` since the result id the client gave. */
export type PulledReport =
  { kind: 'full'; resultId?: string; items: Diagnostic[] } | { kind: 'unchanged'; resultId: string };

export class LspClient {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly conn: MessageConnection;
  private published = new Map<string, PublishedDiagnostics>();
  private publications = new Map<string, number>();
  /** The document of every publication, in the order they came, kept while `keepHistory` is set. */
  readonly order: string[] = [];
  /** Every publication per document, in order, kept while `keepHistory` is set. */
  keepHistory = false;
  readonly history = new Map<string, PublishedDiagnostics[]>();
  private waiters: (() => void)[] = [];
  private versions = new Map<string, number>();
  private texts = new Map<string, string>();
  stderr = '';
  settings: unknown = {};
  /** What the client answers for the `files.exclude` section. */
  filesExclude: Record<string, boolean> = {};
  /** `$/progress` notifications received, in order (work done progress while indexing). */
  progress: {
    token: string | number;
    value: { kind: 'begin' | 'report' | 'end'; title?: string; message?: string; percentage?: number };
  }[] = [];
  /** `window/logMessage` texts received. */
  logs: string[] = [];
  /** `workspace/configuration` requests received. */
  configurationRequests = 0;
  /** While set, configuration requests are answered only once it settles (an editor answering late). */
  configurationGate: Promise<void> | undefined;
  /** `workspace/codeLens/refresh` requests received. */
  codeLensRefreshes = 0;
  /** `workspace/diagnostic/refresh` requests received (a client that pulls diagnostics). */
  diagnosticRefreshes = 0;
  /** The server's answer to `initialize`. */
  initializeResult: { capabilities: Record<string, unknown> } | undefined;
  /** Capabilities the server registered dynamically (`client/registerCapability`). */
  registrations: { method: string; registerOptions?: unknown }[] = [];
  exited = false;

  /** Answers `workspace/configuration` per section when set (another server than ours asks for its own). */
  configuration: ((section: string | undefined) => unknown) | undefined;

  /** `script`: the server to start (default: ours, built), run by this Node with `args`. */
  constructor(script = SERVER, args = ['--stdio']) {
    this.proc = spawn(process.execPath, [script, ...args], { stdio: 'pipe' });
    this.proc.stderr.on('data', (d) => {
      this.stderr += d.toString();
      this.notify();
    });
    this.proc.on('exit', () => {
      this.exited = true;
      this.notify();
    });
    this.conn = createMessageConnection(
      new StreamMessageReader(this.proc.stdout),
      new StreamMessageWriter(this.proc.stdin),
    );
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
      this.published.set(p.uri, p);
      this.publications.set(p.uri, (this.publications.get(p.uri) ?? 0) + 1);
      if (this.keepHistory) {
        this.history.set(p.uri, [...(this.history.get(p.uri) ?? []), p]);
        this.order.push(p.uri);
      }
      this.notify();
    });
    this.conn.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
      this.notify();
    });
    this.conn.onRequest('workspace/configuration', async (params: { items: { section?: string }[] }) => {
      this.configurationRequests++;
      this.notify();
      if (this.configurationGate) await this.configurationGate;
      return params.items.map((i) =>
        this.configuration
          ? this.configuration(i.section)
          : i.section === 'files.exclude'
            ? this.filesExclude
            : this.settings,
      );
    });
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.onNotification('$/progress', (p: LspClient['progress'][number]) => {
      this.progress.push(p);
      this.notify();
    });
    this.conn.onRequest(
      'client/registerCapability',
      (p: { registrations: { method: string; registerOptions?: unknown }[] }) => {
        this.registrations.push(...p.registrations);
        this.notify();
        return null;
      },
    );
    this.conn.onRequest('workspace/codeLens/refresh', () => {
      this.codeLensRefreshes++;
      this.notify();
      return null;
    });
    this.conn.onRequest('workspace/diagnostic/refresh', () => {
      this.diagnosticRefreshes++;
      this.notify();
      return null;
    });
    this.conn.listen();
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** `rootUri`/`workspaceFolders`: a workspace on disk for the server to index. */
  static async start(
    settings: unknown = {},
    opts: {
      pullConfig?: boolean;
      rootUri?: string;
      workspaceFolders?: { uri: string; name: string }[];
      filesExclude?: Record<string, boolean>;
      /** See configurationGate. */
      configurationGate?: Promise<void>;
      definitionLinks?: boolean;
      /** The client declares no optional diagnostic fields (links, related locations, tags). */
      plainDiagnostics?: boolean;
      watchFiles?: boolean;
      clientWatchesFiles?: boolean;
      /** The client pulls diagnostics (LSP 3.17 textDocument/diagnostic, with refresh support), as VS Code does. */
      pullDiagnostics?: boolean;
      /** Another language server (a script run by Node with `--stdio`), answering configuration with this. */
      server?: { script: string; configuration: (section: string | undefined) => unknown };
    } = {},
  ): Promise<LspClient> {
    const c = opts.server ? new LspClient(opts.server.script) : new LspClient();
    c.configuration = opts.server?.configuration;
    c.settings = settings;
    c.filesExclude = opts.filesExclude ?? {};
    c.configurationGate = opts.configurationGate;
    c.initializeResult = await c.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: opts.rootUri ?? null,
      workspaceFolders: opts.workspaceFolders ?? null,
      capabilities: {
        window: { workDoneProgress: true },
        workspace: {
          configuration: opts.pullConfig !== false,
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: opts.watchFiles !== false },
          codeLens: { refreshSupport: true },
          workspaceFolders: true,
          ...(opts.pullDiagnostics ? { diagnostics: { refreshSupport: true } } : {}),
        },
        textDocument: {
          // (as VS Code declares it: the server leaves out what a client does not read)
          publishDiagnostics: opts.plainDiagnostics
            ? { versionSupport: true }
            : {
                versionSupport: true,
                relatedInformation: true,
                codeDescriptionSupport: true,
                tagSupport: { valueSet: [1, 2] },
              },
          completion: { completionItem: { snippetSupport: true } },
          hover: { contentFormat: ['markdown'] },
          definition: { linkSupport: opts.definitionLinks === true },
          ...(opts.pullDiagnostics
            ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } }
            : {}),
        },
      },
      initializationOptions: opts.clientWatchesFiles ? { settings, clientWatchesFiles: true } : { settings },
    });
    await c.conn.sendNotification('initialized', {});
    return c;
  }

  uriFor(name: string): string {
    return pathToFileURL(path.join(ROOT, 'test', 'virtual', name)).toString();
  }

  async open(uri: string, text: string, languageId = 'yaml'): Promise<void> {
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    this.published.delete(uri);
    await this.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId, version: 1, text },
    });
  }

  /** How many times diagnostics were published for a document since the client started. */
  publishCount(uri: string): number {
    return this.publications.get(uri) ?? 0;
  }

  text(uri: string): string {
    return this.texts.get(uri) ?? '';
  }

  async change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    await this.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Pull a document's diagnostics (textDocument/diagnostic), with the result id of the last pull if given. */
  pull(uri: string, previousResultId?: string): Promise<PulledReport> {
    return this.conn.sendRequest<PulledReport>('textDocument/diagnostic', {
      textDocument: { uri },
      ...(previousResultId ? { previousResultId } : {}),
    });
  }

  /** Wait until diagnostics for the document's current version have been published. */
  async diagnostics(uri: string, timeoutMs = 20000): Promise<Diagnostic[]> {
    const version = this.versions.get(uri);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const p = this.published.get(uri);
      if (p && (version === undefined || p.version === undefined || p.version >= version))
        return p.diagnostics;
      if (this.exited)
        throw new Error(`server exited while waiting for diagnostics of ${uri}\n${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no diagnostics for ${uri} (version ${version}) within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Wait until the latest published diagnostics of a document satisfy a condition. */
  async waitForDiagnostics(
    uri: string,
    ok: (d: Diagnostic[]) => boolean,
    timeoutMs = 20000,
  ): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const p = this.published.get(uri);
      if (p && ok(p.diagnostics)) return p.diagnostics;
      if (this.exited)
        throw new Error(`server exited while waiting for diagnostics of ${uri}\n${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `diagnostics of ${uri} did not reach the expected state within ${timeoutMs} ms: ${JSON.stringify(p?.diagnostics.map((d) => d.message))}`,
        );
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const r = await this.conn.sendRequest<CompletionItem[] | { items: CompletionItem[] } | null>(
      'textDocument/completion',
      { textDocument: { uri }, position },
    );
    if (!r) return [];
    return Array.isArray(r) ? r : r.items;
  }

  /** The completion answer as the server sent it: a plain list, or a CompletionList with isIncomplete. */
  async completionAnswer(
    uri: string,
    position: Position,
  ): Promise<CompletionItem[] | { isIncomplete: boolean; items: CompletionItem[] } | null> {
    return this.conn.sendRequest('textDocument/completion', { textDocument: { uri }, position });
  }

  async hover(uri: string, position: Position): Promise<Hover | null> {
    return this.conn.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
  }

  async codeActions(uri: string, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? {
      start: { line: 0, character: 0 },
      end: { line: 0, character: 0 },
    };
    return (
      (await this.conn.sendRequest<CodeAction[] | null>('textDocument/codeAction', {
        textDocument: { uri },
        range,
        context: { diagnostics },
      })) ?? []
    );
  }

  async definition(uri: string, position: Position): Promise<Location[]> {
    const r = await this.conn.sendRequest<Location | Location[] | null>('textDocument/definition', {
      textDocument: { uri },
      position,
    });
    return !r ? [] : Array.isArray(r) ? r : [r];
  }

  /** Definition as LocationLinks (for a client started with `definitionLinks`). */
  async definitionLinks(uri: string, position: Position): Promise<LocationLink[]> {
    return (
      (await this.conn.sendRequest<LocationLink[] | null>('textDocument/definition', {
        textDocument: { uri },
        position,
      })) ?? []
    );
  }

  async references(uri: string, position: Position, includeDeclaration = false): Promise<Location[]> {
    return (
      (await this.conn.sendRequest<Location[] | null>('textDocument/references', {
        textDocument: { uri },
        position,
        context: { includeDeclaration },
      })) ?? []
    );
  }

  async codeLens(uri: string): Promise<CodeLens[]> {
    return (
      (await this.conn.sendRequest<CodeLens[] | null>('textDocument/codeLens', { textDocument: { uri } })) ??
      []
    );
  }

  async symbols(uri: string): Promise<DocumentSymbol[]> {
    return (
      (await this.conn.sendRequest<DocumentSymbol[] | null>('textDocument/documentSymbol', {
        textDocument: { uri },
      })) ?? []
    );
  }

  async configure(settings: unknown): Promise<void> {
    this.settings = settings;
    await this.conn.sendNotification('workspace/didChangeConfiguration', {
      settings: { kubeNetlens: settings },
    });
  }

  /** Wait until a condition on what the client received (progress, logs) holds. */
  async waitFor(ok: () => boolean, what: string, timeoutMs = 20000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ok()) {
      if (this.exited) throw new Error(`server exited while waiting for ${what}\n${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async workspaceFoldersChanged(
    added: { uri: string; name: string }[],
    removed: { uri: string; name: string }[],
  ): Promise<void> {
    await this.conn.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added, removed } });
  }

  async watchedFilesChanged(changes: { uri: string; type: 1 | 2 | 3 }[]): Promise<void> {
    await this.conn.sendNotification('workspace/didChangeWatchedFiles', { changes });
  }

  async stop(): Promise<void> {
    if (!this.exited) {
      try {
        await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 3000))]);
        await this.conn.sendNotification('exit');
      } catch {
        // already gone
      }
    }
    await new Promise<void>((resolve) => {
      if (this.exited) return resolve();
      const t = setTimeout(() => {
        this.proc.kill('SIGKILL');
        resolve();
      }, 3000);
      this.proc.on('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
    this.conn.dispose();
  }
}

/** Apply LSP text edits to a text (edits must not overlap). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const off = (p: Position) => Math.min(text.length, (starts[p.line] ?? text.length) + p.character);
  const sorted = [...edits].sort((a, b) => off(b.range.start) - off(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}

export function editsOf(action: CodeAction, uri: string): TextEdit[] {
  const changes = action.edit?.changes?.[uri];
  if (changes) return changes;
  const dc = action.edit?.documentChanges ?? [];
  return dc.flatMap((c) => ('edits' in c && c.textDocument.uri === uri ? (c.edits as TextEdit[]) : []));
}
