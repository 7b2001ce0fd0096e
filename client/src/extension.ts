// The VS Code client: starts the language server and passes settings through. Thin on purpose.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

async function start(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
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
