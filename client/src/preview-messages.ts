// The extension host's side of the routing preview's messages, typed once in server/src/protocol/preview.ts
// (the webview's side is client/src/webview/rpc.ts): a request from the webview is checked and relayed
// to the language server, reveal and export act in the editor, and the rest goes to the panel.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { isYaml } from './editor-context';
import { noteUrlTested } from './sample';
import { isWebviewToHost, paramsError } from '../../server/src/protocol/preview';
import type {
  HostToWebview,
  Location,
  PreviewMethodName,
  PreviewRequests,
  PreviewViewState,
  WebviewToHost,
} from '../../server/src/protocol/preview';

/** What the message handler needs from the panel. */
export interface PreviewHost {
  client(): LanguageClient | undefined;
  post(m: HostToWebview): void;
  /** The webview has loaded: tell it what to show. */
  ready(): void;
  /** The webview's saved state changed (view, scope, ...). */
  stateChanged(state: PreviewViewState): void;
}

type RequestMessage = Extract<WebviewToHost, { type: 'request' }>;

/** A preview request to the language server, its params and result typed by the protocol. */
export function sendPreviewRequest<M extends PreviewMethodName>(
  client: LanguageClient,
  method: M,
  params: PreviewRequests[M]['params'],
): Promise<PreviewRequests[M]['result']> {
  return client.sendRequest<PreviewRequests[M]['result']>(method, params);
}

/** Handle one message from the webview; a malformed one is ignored. */
export async function onWebviewMessage(raw: unknown, host: PreviewHost): Promise<void> {
  if (!isWebviewToHost(raw)) return;
  const m: WebviewToHost = raw;
  switch (m.type) {
    case 'ready':
      host.ready();
      return;
    case 'request':
      host.post(await relay(m, host.client()));
      return;
    case 'reveal':
      await reveal(m.location);
      return;
    case 'export':
      await exportFile(m.format, m.content);
      return;
    case 'state':
      host.stateChanged(m.state);
      return;
  }
}

/** The answer to a request from the webview: the server's result, or why there is none. */
async function relay(m: RequestMessage, client: LanguageClient | undefined): Promise<HostToWebview> {
  const bad = paramsError(m.method, m.params);
  if (bad) return { type: 'response', id: m.id, error: `${m.method}: ${bad}` };
  if (!client || !client.isRunning())
    return {
      type: 'response',
      id: m.id,
      error: 'The Kube NetLens language server is not running (setting kubeNetlens.enable).',
    };
  try {
    // paramsError() accepted the params for this method
    const result = await sendPreviewRequest(
      client,
      m.method,
      m.params as PreviewRequests[typeof m.method]['params'],
    );
    // the walkthrough's "Test a URL" step is done once a URL has been tested in the preview
    if (m.method === 'kubeNetlens/testUrl') noteUrlTested();
    return { type: 'response', id: m.id, result };
  } catch (e) {
    return { type: 'response', id: m.id, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Show `location` in an editor: the one already showing the file, else beside the preview, selected. */
async function reveal(location: Location): Promise<void> {
  const uri = vscode.Uri.parse(location.uri);
  const r = location.range;
  const range = new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
  const column =
    visible?.viewColumn ??
    vscode.window.visibleTextEditors.find((e) => isYaml(e.document))?.viewColumn ??
    vscode.ViewColumn.One;
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc, {
    viewColumn: column,
    selection: new vscode.Range(range.start, range.start),
    preserveFocus: false,
  });
  // anchored at the end, so the cursor (and the status bar's "Ln") sits where the object starts
  editor.selection = new vscode.Selection(range.end, range.start);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

async function exportFile(format: 'svg' | 'markdown', content: string): Promise<void> {
  const ext = format === 'svg' ? 'svg' : 'md';
  const base = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    filters: format === 'svg' ? { 'SVG image': ['svg'] } : { Markdown: ['md'] },
    ...(base
      ? { defaultUri: vscode.Uri.joinPath(base, format === 'svg' ? `routes.${ext}` : `reachability.${ext}`) }
      : {}),
  });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(content));
  void vscode.window.showInformationMessage(`Saved ${vscode.workspace.asRelativePath(target)}`);
}
