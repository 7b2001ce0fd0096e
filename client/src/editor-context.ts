// Which editors the routing preview cares about: YAML documents on disk or untitled, the context key that
// shows the editor-title button when a file holds networking resources, and the "Preview routes" CodeLens.

import * as vscode from 'vscode';

const NETWORKING_KIND = /^kind:\s*["']?(Ingress|Service|NetworkPolicy)["']?\s*(#.*)?$/m;

export function isYaml(doc: vscode.TextDocument | undefined): doc is vscode.TextDocument {
  return !!doc && doc.languageId === 'yaml' && (doc.uri.scheme === 'file' || doc.uri.scheme === 'untitled');
}

export function activeYamlUri(): string | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  return isYaml(doc) ? doc.uri.toString() : undefined;
}

export function updateContextKey(editor: vscode.TextEditor | undefined): void {
  const has = isYaml(editor?.document) && NETWORKING_KIND.test(editor.document.getText());
  void vscode.commands.executeCommand('setContext', 'kubeNetlens.editorHasNetworking', has);
}

/** "Preview routes" over each Ingress (each `kind: Ingress` line of a YAML document). */
export class IngressLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const lenses: vscode.CodeLens[] = [];
    if (doc.lineCount > 100_000) return lenses;
    for (let i = 0; i < doc.lineCount; i++) {
      const text = doc.lineAt(i).text;
      if (!/^\s*(- )?kind:\s*["']?Ingress["']?\s*(#.*)?$/.test(text)) continue;
      lenses.push(
        new vscode.CodeLens(new vscode.Range(i, 0, i, text.length), {
          title: 'Preview routes',
          command: 'kubeNetlens.previewRoutes',
          tooltip: 'Open the routing preview for this file',
        }),
      );
    }
    return lenses;
  }
}
