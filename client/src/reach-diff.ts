// "Compare Reachability with HEAD": asks the language server which pod/workload pairs and ports the
// uncommitted changes of the open file's folder open or close (git HEAD → the editor's text, unsaved
// edits included) and shows the report as a read-only Markdown document.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { GeneratedDocuments } from './text-documents';
import { REACH_DIFF_HEAD_COMMAND, REACH_DIFF_HEAD_METHOD } from '../../server/src/protocol/reach-diff';
import type { ReachDiffHeadParams, ReachDiffHeadResult } from '../../server/src/protocol/reach-diff';

const SCHEME = 'kube-netlens-reach-diff';

export function registerReachDiff(
  context: vscode.ExtensionContext,
  getClient: () => LanguageClient | undefined,
): void {
  const docs = new GeneratedDocuments();
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, docs),
    vscode.commands.registerCommand(REACH_DIFF_HEAD_COMMAND, async (target?: vscode.Uri) => {
      const source = target instanceof vscode.Uri ? target : vscode.window.activeTextEditor?.document.uri;
      if (!source || source.scheme !== 'file') {
        void vscode.window.showErrorMessage(
          'Kube NetLens: open a manifest of a git repository to compare its folder with HEAD.',
        );
        return;
      }
      const client = getClient();
      if (!client) {
        void vscode.window.showErrorMessage('Kube NetLens: the language server is not running.');
        return;
      }
      let result: ReachDiffHeadResult;
      try {
        result = await vscode.window.withProgress(
          {
            location: vscode.ProgressLocation.Window,
            title: 'Kube NetLens: comparing reachability with HEAD',
          },
          () =>
            client.sendRequest<ReachDiffHeadResult>(REACH_DIFF_HEAD_METHOD, {
              uri: source.toString(),
            } satisfies ReachDiffHeadParams),
        );
      } catch (e) {
        void vscode.window.showErrorMessage(`Kube NetLens: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
      const report = vscode.Uri.from({
        scheme: SCHEME,
        path: `/${vscode.workspace.asRelativePath(source, false).replace(/\.ya?ml$/, '')}.reachability-diff.md`,
      });
      docs.set(report, result.markdown);
      const doc = await vscode.workspace.openTextDocument(report);
      await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
      await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    }),
  );
}
