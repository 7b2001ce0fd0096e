// The language client, in a bundle of its own (dist/language-client.js): extension.ts loads it only when
// the server starts, so activating the extension on a plain YAML file does not load
// vscode-languageclient (about 400 KB of the client's 450 KB; scripts/bench-listing.mjs measures both).

import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, RevealOutputChannelOn, State, TransportKind } from 'vscode-languageclient/node';
import type {
  LanguageClientOptions,
  ServerOptions,
  Location as LspLocation,
  Position as LspPosition,
} from 'vscode-languageclient/node';
import { RED_HAT_YAML, syntaxErrorsOwner } from './kube-content';

/** Heap limit of the language server process, in MB (scripts/bench-adversarial.mjs uses the same). */
const SERVER_HEAP_MB = 2048;

export type ClientState = 'starting' | 'running' | 'stopped';

/** CodeLens commands arrive with protocol values; VS Code's showReferences wants its own Uri, Position and Locations. */
function withEditorArguments(client: LanguageClient, lens: vscode.CodeLens): vscode.CodeLens {
  const cmd = lens.command;
  if (cmd?.command !== 'editor.action.showReferences' || cmd.arguments?.length !== 3) return lens;
  const [uri, position, locations] = cmd.arguments as [string, LspPosition, LspLocation[]];
  const c = client.protocol2CodeConverter;
  lens.command = {
    ...cmd,
    arguments: [c.asUri(uri), c.asPosition(position), locations.map((l) => c.asLocation(l))],
  };
  return lens;
}

/** The `kubeNetlens.syntaxErrors` the server gets: what the user set in any scope, else decided by
 * whether YAML by Red Hat is installed (it reports syntax errors too). */
function syntaxErrorsSetting(): 'report' | 'leave' {
  const i = vscode.workspace.getConfiguration('kubeNetlens').inspect<string>('syntaxErrors');
  const chosen = i?.workspaceFolderValue ?? i?.workspaceValue ?? i?.globalValue;
  return syntaxErrorsOwner(chosen, vscode.extensions.getExtension(RED_HAT_YAML) !== undefined);
}

/** The `kubeNetlens` section as the server gets it: the values of every scope merged (what a
 * configuration request answers), with the syntax-error owner decided above. */
function serverSettings(section: unknown): unknown {
  return section && typeof section === 'object'
    ? { ...section, syntaxErrors: syntaxErrorsSetting() }
    : section;
}

export function createClient(
  context: vscode.ExtensionContext,
  outputChannel: vscode.LogOutputChannel,
  fileEvents: vscode.FileSystemWatcher,
  onState: (state: ClientState) => void,
): LanguageClient {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  // An explicit heap limit: the server bounds what one document may cost (syntax/parse.ts limits),
  // and this bounds the whole process whatever the machine's default is.
  const heap = `--max-old-space-size=${SERVER_HEAP_MB}`;
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [heap] } },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: [heap, '--nolazy', '--inspect=6019'] },
    },
  };
  let client: LanguageClient | undefined;
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    synchronize: {
      configurationSection: 'kubeNetlens',
      // created, changed, deleted and renamed manifests keep the workspace index current
      fileEvents,
    },
    outputChannel,
    // the server lets the client pull diagnostics (LSP 3.17): when a file opens and after each edit
    // (the server asks for a new pull when other files change its findings); a keystroke that
    // changes no finding is answered `unchanged` instead of every finding sent and drawn again
    diagnosticPullOptions: { onChange: true, onSave: false },
    // the status bar item reports failures; the output channel opens only when the user asks
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    // the file watcher above already sends file events: the server need not ask for its own; the
    // settings go with initialize, so that the first check of a file opened with the window uses
    // them (the server reads them again once initialized and checks again only if they differ)
    initializationOptions: () => ({
      clientWatchesFiles: true,
      settings: serverSettings(vscode.workspace.getConfiguration().get('kubeNetlens')),
    }),
    middleware: {
      workspace: {
        // the server pulls its settings: hand it the syntax-error owner decided above
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) return result;
          return result.map((value: unknown, i: number) =>
            params.items[i]?.section === 'kubeNetlens' ? serverSettings(value) : value,
          );
        },
      },
      provideCodeLenses: async (document, token, next) =>
        (await next(document, token))?.map((lens) => (client ? withEditorArguments(client, lens) : lens)),
    },
  };
  client = new LanguageClient('kubeNetlens', 'Kube NetLens', serverOptions, clientOptions);
  client.onDidChangeState((e) =>
    onState(
      e.newState === State.Starting ? 'starting' : e.newState === State.Running ? 'running' : 'stopped',
    ),
  );
  return client;
}
