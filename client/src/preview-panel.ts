// The routing preview panel: hosts client/src/webview/ beside the editor, follows the active YAML editor,
// and relays the webview's requests to the language server (preview-messages.ts). It computes nothing itself.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { previewHtml, makeNonce } from './webview/html';
import { restoreViewState } from './webview/state';
import { IngressLensProvider, activeYamlUri, isYaml, updateContextKey } from './editor-context';
import { onWebviewMessage } from './preview-messages';
import type { PreviewHost } from './preview-messages';
import type { HostToWebview, PreviewViewState, Scope } from '../../server/src/protocol/preview';

const VIEW_TYPE = 'kubeNetlens.preview';
const REFRESH_DELAY_MS = 200;

type GetClient = () => LanguageClient | undefined;
type View = PreviewViewState['view'];

class PreviewPanel implements PreviewHost {
  static current: PreviewPanel | undefined;
  private uri: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly getClient: GetClient,
    private view: View,
    private scope: Scope,
    uri: string | undefined,
  ) {
    this.uri = uri;
    const dist = vscode.Uri.joinPath(extensionUri, 'dist');
    panel.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    panel.webview.html = previewHtml({
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
      codiconUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'codicon.css')).toString(),
      cspSource: panel.webview.cspSource,
      nonce: makeNonce((b) => globalThis.crypto.getRandomValues(b)),
      title: 'Kube NetLens routing preview',
    });
    this.updateTitle();
    panel.webview.onDidReceiveMessage((m) => void onWebviewMessage(m, this), undefined, this.disposables);
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
    vscode.window.onDidChangeActiveTextEditor(
      (e) => {
        if (!isYaml(e?.document) || e.document.uri.toString() === this.uri) return;
        this.uri = e.document.uri.toString();
        this.refreshSoon(0);
      },
      undefined,
      this.disposables,
    );
    vscode.workspace.onDidChangeTextDocument(
      (e) => {
        if (isYaml(e.document) && e.contentChanges.length) this.refreshSoon(REFRESH_DELAY_MS);
      },
      undefined,
      this.disposables,
    );
    vscode.workspace.onDidSaveTextDocument(
      (d) => {
        if (isYaml(d)) this.refreshSoon(REFRESH_DELAY_MS);
      },
      undefined,
      this.disposables,
    );
  }

  show(view: View, uri: string | undefined): void {
    this.view = view;
    if (uri) this.uri = uri;
    this.panel.reveal(vscode.ViewColumn.Beside, true);
    this.ready();
  }

  // PreviewHost

  client(): LanguageClient | undefined {
    return this.getClient();
  }

  post(m: HostToWebview): void {
    void this.panel.webview.postMessage(m);
  }

  ready(): void {
    this.post({
      type: 'init',
      view: this.view,
      scope: this.scope,
      ...(this.uri ? { uri: this.uri } : {}),
      title: this.fileTitle(),
    });
  }

  stateChanged(state: PreviewViewState): void {
    const s = restoreViewState(state);
    this.view = s.view;
    this.scope = s.scope;
    this.updateTitle();
  }

  private fileTitle(): string {
    return this.uri ? vscode.workspace.asRelativePath(vscode.Uri.parse(this.uri), false) : 'workspace';
  }

  private updateTitle(): void {
    this.panel.title = `${this.view === 'reach' ? 'Reachability' : 'Routes'}: ${this.uri ? this.fileTitle().split('/').pop() : 'workspace'}`;
  }

  private refreshSoon(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.updateTitle();
      this.post({ type: 'refresh', ...(this.uri ? { uri: this.uri } : {}), title: this.fileTitle() });
    }, delay);
  }

  dispose(): void {
    if (PreviewPanel.current === this) PreviewPanel.current = undefined;
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function open(context: vscode.ExtensionContext, getClient: GetClient, view: View): void {
  const uri = activeYamlUri();
  if (PreviewPanel.current) {
    PreviewPanel.current.show(view, uri);
    return;
  }
  const panel = vscode.window.createWebviewPanel(
    VIEW_TYPE,
    'Routes',
    { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
    { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist')] },
  );
  PreviewPanel.current = new PreviewPanel(
    panel,
    context.extensionUri,
    getClient,
    view,
    uri ? 'file' : 'workspace',
    uri,
  );
}

/** Commands, the panel serializer (restores the preview after a window reload) and the editor-title button's context key. */
export function registerPreview(context: vscode.ExtensionContext, getClient: GetClient): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('kubeNetlens.previewRoutes', () => open(context, getClient, 'routes')),
    vscode.commands.registerCommand('kubeNetlens.showReachability', () => open(context, getClient, 'reach')),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, saved: unknown) {
        const s = restoreViewState(saved);
        PreviewPanel.current?.panel.dispose();
        PreviewPanel.current = new PreviewPanel(
          panel,
          context.extensionUri,
          getClient,
          s.view,
          s.scope,
          s.uri ?? activeYamlUri(),
        );
      },
    }),
    vscode.languages.registerCodeLensProvider(
      [
        { language: 'yaml', scheme: 'file' },
        { language: 'yaml', scheme: 'untitled' },
      ],
      new IngressLensProvider(),
    ),
    vscode.window.onDidChangeActiveTextEditor(updateContextKey),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document)
        updateContextKey(vscode.window.activeTextEditor);
    }),
    { dispose: () => PreviewPanel.current?.panel.dispose() },
  );
  updateContextKey(vscode.window.activeTextEditor);
}
