// The VS Code client: starts the language server and passes settings through. Thin on purpose.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import { registerPreview } from './preview-panel';
import { registerMigrate } from './migrate';
import type { LanguageClientOptions, ServerOptions, Location as LspLocation, Position as LspPosition } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

/** Heap limit of the language server process, in MB (scripts/bench-adversarial.mjs uses the same). */
const SERVER_HEAP_MB = 2048;

/** CodeLens commands arrive with protocol values; VS Code's showReferences wants its own Uri, Position and Locations. */
function withEditorArguments(lens: vscode.CodeLens): vscode.CodeLens {
  const cmd = lens.command;
  if (!client || cmd?.command !== 'editor.action.showReferences' || cmd.arguments?.length !== 3) return lens;
  const [uri, position, locations] = cmd.arguments as [string, LspPosition, LspLocation[]];
  const c = client.protocol2CodeConverter;
  lens.command = { ...cmd, arguments: [c.asUri(uri), c.asPosition(position), locations.map((l) => c.asLocation(l))] };
  return lens;
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  // An explicit heap limit: the server bounds what one document may cost (syntax/parse.ts limits),
  // and this bounds the whole process whatever the machine's default is.
  const heap = `--max-old-space-size=${SERVER_HEAP_MB}`;
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [heap] } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [heap, '--nolazy', '--inspect=6019'] } },
  };
  const outputChannel = vscode.window.createOutputChannel('Kube NetLens', { log: true });
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    synchronize: {
      configurationSection: 'kubeNetlens',
      // created, changed, deleted and renamed manifests keep the workspace index current
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}'),
    },
    outputChannel,
    // the file watcher above already sends file events: the server need not ask for its own
    initializationOptions: { clientWatchesFiles: true },
    middleware: {
      provideCodeLenses: async (document, token, next) => (await next(document, token))?.map(withEditorArguments),
    },
  };
  client = new LanguageClient('kubeNetlens', 'Kube NetLens', serverOptions, clientOptions);
  await client.start();
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.stop();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  registerPreview(context, () => client);
  registerMigrate(context, () => client);
  if (vscode.workspace.getConfiguration('kubeNetlens').get<boolean>('enable', true)) await start(context);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration('kubeNetlens.enable')) return;
      const enabled = vscode.workspace.getConfiguration('kubeNetlens').get<boolean>('enable', true);
      if (enabled && !client) await start(context);
      else if (!enabled && client) await stop();
    }),
    vscode.commands.registerCommand('kubeNetlens.restartServer', async () => {
      await stop();
      await start(context);
    }),
    { dispose: () => void stop() },
  );
}

export async function deactivate(): Promise<void> {
  await stop();
}
