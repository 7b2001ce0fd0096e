// The VS Code client: starts the language server (once a YAML file with Kubernetes networking resources
// is open, or a command needs it), shows its state in the status bar and passes settings through.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerPreview } from './preview-panel';
import { registerMigrate } from './migrate';
import { registerReachDiff } from './reach-diff';
import { isYaml } from './editor-context';
import { holdsNetworkingResource } from './kube-content';
import { registerSample } from './sample';
import { SHOW_OUTPUT_COMMAND, ServerStatus } from './status';
import type * as LanguageClientModule from './language-client';

let client: LanguageClient | undefined;

/** dist/language-client.js, a bundle of its own (scripts/build.mjs), loaded when the server first starts. */
function languageClientModule(): typeof LanguageClientModule {
  return require(path.join(__dirname, 'language-client.js')) as typeof LanguageClientModule;
}

/** Created once and reused by every start (a restart does not add a second "Kube NetLens" channel). */
let outputChannel: vscode.LogOutputChannel | undefined;
let watcher: vscode.FileSystemWatcher | undefined;
let status: ServerStatus | undefined;
/** The start in progress or done, so that concurrent callers share one server. */
let starting: Promise<void> | undefined;

function enabled(): boolean {
  return vscode.workspace.getConfiguration('kubeNetlens').get<boolean>('enable', true);
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function createClient(context: vscode.ExtensionContext): LanguageClient {
  outputChannel ??= vscode.window.createOutputChannel('Kube NetLens', { log: true });
  watcher ??= vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}');
  const c = languageClientModule().createClient(context, outputChannel, watcher, (state) => {
    if (client !== c) return; // a client being replaced by a restart
    if (state === 'starting') status?.set({ kind: 'starting' });
    else if (state === 'running') status?.set({ kind: 'running' });
    // not stopped by us (stop() forgets the client first): the process exited and the client gave up
    else status?.set({ kind: 'failed', message: 'the language server stopped; its output has the reason' });
  });
  return c;
}

/** Start the language server unless it runs or is starting; the client exists as soon as this returns
 * (requests sent while it starts wait for it). */
function ensureStarted(context: vscode.ExtensionContext): Promise<void> {
  if (starting) return starting;
  if (!enabled()) {
    status?.set({ kind: 'disabled' });
    return Promise.resolve();
  }
  const c = createClient(context);
  client = c;
  status?.set({ kind: 'starting' });
  const t0 = Date.now();
  starting = c.start().then(
    () => outputChannel?.info(`language server started in ${Date.now() - t0} ms`),
    (e) => {
      status?.set({ kind: 'failed', message: describe(e) });
      outputChannel?.error(`language server failed to start: ${describe(e)}`);
    },
  );
  return starting;
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  const pending = starting;
  starting = undefined;
  if (!c) return;
  await pending?.catch(() => undefined);
  // dispose = stop (shutdown + exit, then kill after 2 s) and release the client's registrations
  if (c.needsStop())
    await c
      .dispose()
      .catch((e: unknown) => outputChannel?.warn(`stopping the language server: ${describe(e)}`));
}

/** Until the server runs: start it when an open (or newly opened, or edited) YAML document holds a
 * Kubernetes networking resource. The listeners go away once it has started. */
function startOnNetworkingYaml(context: vscode.ExtensionContext): void {
  const listeners: vscode.Disposable[] = [];
  const pending = new Map<vscode.TextDocument, ReturnType<typeof setTimeout>>();
  const done = (): void => {
    for (const d of listeners.splice(0)) d.dispose();
    for (const t of pending.values()) clearTimeout(t);
    pending.clear();
  };
  const consider = (doc: vscode.TextDocument): boolean => {
    if (starting || !isYaml(doc) || !holdsNetworkingResource(doc.getText())) return false;
    done();
    void ensureStarted(context);
    return true;
  };
  if (vscode.workspace.textDocuments.some(consider)) return;
  listeners.push(
    vscode.workspace.onDidOpenTextDocument(consider),
    // typing a networking resource into an empty or plain YAML file: look again once typing pauses
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (!isYaml(e.document)) return;
      clearTimeout(pending.get(e.document));
      pending.set(
        e.document,
        setTimeout(() => {
          pending.delete(e.document);
          consider(e.document);
        }, 300),
      );
    }),
  );
  context.subscriptions.push({ dispose: done });
}

/** The client for the preview and the migration commands: running them starts the server if needed. */
function clientFor(context: vscode.ExtensionContext): () => LanguageClient | undefined {
  return () => {
    if (!client) void ensureStarted(context);
    return client;
  };
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  status = new ServerStatus();
  context.subscriptions.push(status);
  registerPreview(context, clientFor(context));
  registerMigrate(context, clientFor(context));
  registerReachDiff(context, clientFor(context));
  registerSample(context);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration('kubeNetlens.enable')) return;
      if (enabled() && !client) await ensureStarted(context);
      else if (!enabled() && client) {
        await stop();
        status?.set({ kind: 'disabled' });
      }
    }),
    vscode.commands.registerCommand('kubeNetlens.restartServer', async () => {
      await stop();
      if (!enabled()) {
        status?.set({ kind: 'disabled' });
        void vscode.window.showInformationMessage('Kube NetLens is turned off (setting kubeNetlens.enable).');
        return;
      }
      outputChannel?.info('restarting the language server');
      await ensureStarted(context);
    }),
    vscode.commands.registerCommand(SHOW_OUTPUT_COMMAND, () => {
      outputChannel ??= vscode.window.createOutputChannel('Kube NetLens', { log: true });
      outputChannel.show(true);
    }),
    { dispose: () => void stop() },
    { dispose: () => watcher?.dispose() },
  );
  if (!enabled()) status.set({ kind: 'disabled' });
  else startOnNetworkingYaml(context);
}

export async function deactivate(): Promise<void> {
  await stop();
}
