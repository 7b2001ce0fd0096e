// The routing preview panel: hosts client/src/webview/ beside the editor and relays its requests to the
// language server (kubeNetlens/routeGraph, ...). It computes nothing itself.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { previewHtml, makeNonce } from './webview/html';
import { isPreviewMethod, isWebviewToHost, paramsError } from '../../server/src/protocol/preview';
import type { HostToWebview, Location, PreviewViewState, WebviewToHost } from '../../server/src/protocol/preview';

const VIEW_TYPE = 'kubeNetlens.preview';
const REFRESH_DELAY_MS = 200;
const NETWORKING_KIND = /^kind:\s*["']?(Ingress|Service|NetworkPolicy)["']?\s*(#.*)?$/m;

type GetClient = () => LanguageClient | undefined;
type View = 'routes' | 'reach';

function isYaml(doc: vscode.TextDocument | undefined): doc is vscode.TextDocument {
  return !!doc && doc.languageId === 'yaml' && (doc.uri.scheme === 'file' || doc.uri.scheme === 'untitled');
}

class PreviewPanel {
  static current: PreviewPanel | undefined;
  private uri: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly getClient: GetClient,
    private view: View,
    private scope: 'file' | 'workspace',
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
    panel.webview.onDidReceiveMessage((m) => void this.onMessage(m), undefined, this.disposables);
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
    vscode.window.onDidChangeActiveTextEditor((e) => {
      if (!isYaml(e?.document) || e.document.uri.toString() === this.uri) return;
      this.uri = e.document.uri.toString();
      this.refreshSoon(0);
    }, undefined, this.disposables);
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (isYaml(e.document) && e.contentChanges.length) this.refreshSoon(REFRESH_DELAY_MS);
    }, undefined, this.disposables);
    vscode.workspace.onDidSaveTextDocument((d) => {
      if (isYaml(d)) this.refreshSoon(REFRESH_DELAY_MS);
    }, undefined, this.disposables);
  }

  show(view: View, uri: string | undefined): void {
    this.view = view;
    if (uri) this.uri = uri;
    this.panel.reveal(vscode.ViewColumn.Beside, true);
    this.post({ type: 'init', view, scope: this.scope, ...(this.uri ? { uri: this.uri } : {}), title: this.fileTitle() });
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

  private post(m: HostToWebview): void {
    void this.panel.webview.postMessage(m);
  }

  private async onMessage(raw: unknown): Promise<void> {
    if (!isWebviewToHost(raw)) return; // malformed: ignored
    const m: WebviewToHost = raw;
    switch (m.type) {
      case 'ready':
        this.post({ type: 'init', view: this.view, scope: this.scope, ...(this.uri ? { uri: this.uri } : {}), title: this.fileTitle() });
        return;
      case 'request': {
        const client = this.getClient();
        if (!isPreviewMethod(m.method)) return;
        const bad = paramsError(m.method, m.params);
        if (bad) {
          this.post({ type: 'response', id: m.id, error: `${m.method}: ${bad}` });
          return;
        }
        if (!client || !client.isRunning()) {
          this.post({ type: 'response', id: m.id, error: 'The Kube NetLens language server is not running (setting kubeNetlens.enable).' });
          return;
        }
        try {
          const result: unknown = await client.sendRequest(m.method, m.params);
          this.post({ type: 'response', id: m.id, result });
        } catch (e) {
          this.post({ type: 'response', id: m.id, error: e instanceof Error ? e.message : String(e) });
        }
        return;
      }
      case 'reveal':
        await reveal(m.location);
        return;
      case 'export':
        await exportFile(m.format, m.content);
        return;
      case 'state':
        this.view = m.state.view === 'reach' ? 'reach' : 'routes';
        this.scope = m.state.scope === 'workspace' ? 'workspace' : 'file';
        this.updateTitle();
        return;
    }
  }

  dispose(): void {
    if (PreviewPanel.current === this) PreviewPanel.current = undefined;
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

async function reveal(location: Location): Promise<void> {
  const uri = vscode.Uri.parse(location.uri);
  const r = location.range;
  const range = new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
  const column = visible?.viewColumn ?? vscode.window.visibleTextEditors.find((e) => isYaml(e.document))?.viewColumn ?? vscode.ViewColumn.One;
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: column, selection: new vscode.Range(range.start, range.start), preserveFocus: false });
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

async function exportFile(format: 'svg' | 'markdown', content: string): Promise<void> {
  const ext = format === 'svg' ? 'svg' : 'md';
  const base = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    filters: format === 'svg' ? { 'SVG image': ['svg'] } : { Markdown: ['md'] },
    ...(base ? { defaultUri: vscode.Uri.joinPath(base, format === 'svg' ? `routes.${ext}` : `reachability.${ext}`) } : {}),
  });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(content));
  void vscode.window.showInformationMessage(`Saved ${vscode.workspace.asRelativePath(target)}`);
}

function activeYamlUri(): string | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  return isYaml(doc) ? doc.uri.toString() : undefined;
}

function open(context: vscode.ExtensionContext, getClient: GetClient, view: View): void {
  const uri = activeYamlUri();
  if (PreviewPanel.current) {
    PreviewPanel.current.show(view, uri);
    return;
  }
  const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Routes', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist')] });
  PreviewPanel.current = new PreviewPanel(panel, context.extensionUri, getClient, view, uri ? 'file' : 'workspace', uri);
}

function updateContextKey(editor: vscode.TextEditor | undefined): void {
  const has = isYaml(editor?.document) && NETWORKING_KIND.test(editor.document.getText());
  void vscode.commands.executeCommand('setContext', 'kubeNetlens.editorHasNetworking', has);
}

/** "Preview routes" over each Ingress (each `kind: Ingress` line of a YAML document). */
class IngressLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const lenses: vscode.CodeLens[] = [];
    if (doc.lineCount > 100_000) return lenses;
    for (let i = 0; i < doc.lineCount; i++) {
      const text = doc.lineAt(i).text;
      if (!/^\s*(- )?kind:\s*["']?Ingress["']?\s*(#.*)?$/.test(text)) continue;
      lenses.push(new vscode.CodeLens(new vscode.Range(i, 0, i, text.length), { title: 'Preview routes', command: 'kubeNetlens.previewRoutes', tooltip: 'Open the routing preview for this file' }));
    }
    return lenses;
  }
}

/** Commands, the panel serializer (restores the preview after a window reload) and the editor-title button's context key. */
export function registerPreview(context: vscode.ExtensionContext, getClient: GetClient): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('kubeNetlens.previewRoutes', () => open(context, getClient, 'routes')),
    vscode.commands.registerCommand('kubeNetlens.showReachability', () => open(context, getClient, 'reach')),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, saved: unknown) {
        const s = (saved ?? {}) as Partial<PreviewViewState>;
        PreviewPanel.current?.panel.dispose();
        PreviewPanel.current = new PreviewPanel(panel, context.extensionUri, getClient, s.view === 'reach' ? 'reach' : 'routes', s.scope === 'workspace' ? 'workspace' : 'file', typeof s.uri === 'string' ? s.uri : activeYamlUri());
      },
    }),
    vscode.languages.registerCodeLensProvider([{ language: 'yaml', scheme: 'file' }, { language: 'yaml', scheme: 'untitled' }], new IngressLensProvider()),
    vscode.window.onDidChangeActiveTextEditor(updateContextKey),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document) updateContextKey(vscode.window.activeTextEditor);
    }),
    { dispose: () => PreviewPanel.current?.panel.dispose() },
  );
  updateContextKey(vscode.window.activeTextEditor);
}
