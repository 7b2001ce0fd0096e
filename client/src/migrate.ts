// "Migrate to Gateway API": asks the language server for the migration of an Ingress, a file or the
// workspace, shows it in a diff editor (title: probes and differences) and writes it only when asked.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { GeneratedDocuments } from './text-documents';
import { MIGRATE_COMMAND, MIGRATE_METHOD } from '../../server/src/protocol/migrate';
import type { MigrateParams, MigrateResult } from '../../server/src/protocol/migrate';

const SCHEME = 'kube-netlens-migration';

/** The file the migration is written to: next to the source, `<name>.gateway.yaml`. */
function targetUri(source: vscode.Uri | undefined): vscode.Uri | undefined {
  if (source?.scheme === 'file')
    return source.with({ path: source.path.replace(/(\.ya?ml)?$/, '.gateway.yaml') });
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, 'gateway-api.yaml') : undefined;
}

export function registerMigrate(
  context: vscode.ExtensionContext,
  getClient: () => LanguageClient | undefined,
): void {
  const docs = new GeneratedDocuments();
  let counter = 0;
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, docs),
    vscode.commands.registerCommand(MIGRATE_COMMAND, async (args?: MigrateParams) => {
      const client = getClient();
      if (!client) {
        void vscode.window.showErrorMessage('Kube NetLens: the language server is not running.');
        return;
      }
      let params = args;
      if (!params) {
        const editor = vscode.window.activeTextEditor;
        const pick = await vscode.window.showQuickPick(
          [
            ...(editor ? [{ label: 'The Ingresses of this file', scope: 'file' as const }] : []),
            { label: 'Every Ingress of the workspace', scope: 'workspace' as const },
          ],
          { title: 'Migrate to Gateway API' },
        );
        if (!pick) return;
        params = {
          scope: pick.scope,
          ...(pick.scope === 'file' && editor ? { uri: editor.document.uri.toString() } : {}),
        };
      }
      const gatewayClass = await vscode.window.showInputBox({
        title: 'Migrate to Gateway API',
        prompt: 'GatewayClass of the generated Gateway',
        value: 'gateway',
        validateInput: (v) =>
          /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(v)
            ? undefined
            : 'a GatewayClass name (lower-case letters, digits, - and .)',
      });
      if (gatewayClass === undefined) return;
      const result = await client.sendRequest<MigrateResult>(MIGRATE_METHOD, { ...params, gatewayClass });
      const source = params.uri ? vscode.Uri.parse(params.uri) : undefined;
      const migrated = vscode.Uri.from({
        scheme: SCHEME,
        path: `/${++counter}/${source ? source.path.split('/').pop() : 'workspace.yaml'}`,
      });
      docs.set(migrated, result.yaml);
      const left = source ?? vscode.Uri.from({ scheme: SCHEME, path: `/${counter}/empty.yaml` });
      await vscode.commands.executeCommand('vscode.diff', left, migrated, result.title, { preview: true });
      const target = targetUri(source);
      const problems = result.unconverted.length + result.probes.differences.length;
      const detail = `${result.unconverted.length} item${result.unconverted.length === 1 ? '' : 's'} not converted, ${result.probes.differences.length} of ${result.probes.count} probes route differently${problems ? ' (written as comments in the YAML; kube-netlens migrate lists them)' : ''}.`;
      if (!target) {
        void vscode.window.showInformationMessage(`${result.title}. ${detail}`);
        return;
      }
      const answer = await vscode.window.showInformationMessage(
        `${result.title}. ${detail} Write it to ${vscode.workspace.asRelativePath(target)}?`,
        'Write',
        'Cancel',
      );
      if (answer !== 'Write') return;
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(result.yaml));
      await vscode.window.showTextDocument(target, { preview: false });
    }),
  );
}
