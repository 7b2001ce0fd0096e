// The walkthrough's sample: a small shop with deliberate mistakes, shipped in the extension
// (media/walkthrough/sample-shop.yaml) and opened as an untitled YAML document, so nothing is cloned or
// written to disk. A helper command puts the cursor on the legacy apiVersion and opens the quick fix
// menu; a context key tells the walkthrough when the migration fix was applied.

import * as vscode from 'vscode';

export const SAMPLE_PATH = ['media', 'walkthrough', 'sample-shop.yaml'];
const LEGACY = /^apiVersion:[ \t]*(extensions\/v1beta1)[ \t]*$/m;

let sample: vscode.TextDocument | undefined;

async function openSample(context: vscode.ExtensionContext): Promise<void> {
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, ...SAMPLE_PATH));
  const doc = await vscode.workspace.openTextDocument({
    language: 'yaml',
    content: new TextDecoder().decode(bytes),
  });
  sample = doc;
  void vscode.commands.executeCommand('setContext', 'kubeNetlens.sampleMigrated', false);
  // the walkthrough ticks "Test a URL" when this becomes true (client/src/preview-messages.ts): a URL
  // tested before the sample opened does not count
  urlTested = false;
  void vscode.commands.executeCommand('setContext', URL_TESTED, false);
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
}

/** Resolves once `uri` has a diagnostic of `rule` (the server checks a new document within a moment), or after `ms`. */
function diagnosticArrives(uri: vscode.Uri, rule: string, ms: number): Promise<void> {
  const has = () =>
    vscode.languages
      .getDiagnostics(uri)
      .some((d) => (typeof d.code === 'object' ? d.code.value : d.code) === rule);
  if (has()) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      sub.dispose();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString()) && has()) done();
    });
  });
}

/** The sample (else a visible YAML editor) with a legacy Ingress apiVersion: put the cursor on it and open
 * the quick fixes. Opens the sample when neither is there. */
async function showMigrationFix(context: vscode.ExtensionContext): Promise<void> {
  let doc: vscode.TextDocument | undefined =
    sample && !sample.isClosed && LEGACY.test(sample.getText()) ? sample : undefined;
  doc ??= vscode.window.visibleTextEditors
    .map((e) => e.document)
    .find((d) => d.languageId === 'yaml' && LEGACY.test(d.getText()));
  if (!doc) {
    if (sample && !sample.isClosed) {
      void vscode.window.showInformationMessage(
        "Kube NetLens: the sample's Ingress already uses networking.k8s.io/v1.",
      );
      return;
    }
    await openSample(context);
    doc = sample;
    if (!doc) return;
  }
  const editor = await vscode.window.showTextDocument(doc, {
    viewColumn:
      vscode.window.visibleTextEditors.find((e) => e.document === doc)?.viewColumn ?? vscode.ViewColumn.One,
    preview: false,
  });
  const m = LEGACY.exec(editor.document.getText());
  if (!m) return;
  const start = editor.document.positionAt(m.index + m[0].indexOf(m[1]));
  editor.selection = new vscode.Selection(start, start);
  editor.revealRange(new vscode.Range(start, start), vscode.TextEditorRevealType.InCenter);
  // the fix comes with the diagnostic: on a document opened a moment ago, wait for it
  await diagnosticArrives(editor.document.uri, 'ingress-legacy-api', 10_000);
  await vscode.commands.executeCommand('editor.action.quickFix');
}

/** The walkthrough's buttons run a command on the sample: bring the sample back into view first (the
 * walkthrough is the active editor when its button is clicked, and the preview follows the active YAML
 * editor), opening it if it was closed. */
async function withSample(context: vscode.ExtensionContext, command: unknown): Promise<void> {
  if (typeof command !== 'string' || !WITH_SAMPLE.includes(command)) return;
  if (sample && !sample.isClosed)
    await vscode.window.showTextDocument(sample, { viewColumn: vscode.ViewColumn.One, preview: false });
  else await openSample(context);
  await vscode.commands.executeCommand(command);
  // a command run by an extension does not count as the walkthrough's onCommand event: tick the step here
  void vscode.commands.executeCommand('setContext', WITH_SAMPLE_DONE[command], true);
}

/** The commands the walkthrough runs on the sample. */
const WITH_SAMPLE = ['kubeNetlens.previewRoutes', 'kubeNetlens.showReachability'];
const WITH_SAMPLE_DONE: Record<string, string> = {
  'kubeNetlens.previewRoutes': 'kubeNetlens.walkthrough.routesShown',
  'kubeNetlens.showReachability': 'kubeNetlens.walkthrough.reachabilityShown',
};

export function registerSample(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('kubeNetlens.withSample', (command: unknown) =>
      withSample(context, command),
    ),
    vscode.commands.registerCommand('kubeNetlens.openSample', () => openSample(context)),
    vscode.commands.registerCommand('kubeNetlens.showMigrationFix', () => showMigrationFix(context)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document !== sample) return;
      void vscode.commands.executeCommand(
        'setContext',
        'kubeNetlens.sampleMigrated',
        !LEGACY.test(e.document.getText()),
      );
    }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (d === sample) sample = undefined;
    }),
  );
}

const URL_TESTED = 'kubeNetlens.walkthrough.urlTested';
let urlTested = false;

/** A URL was tested in the preview: tick the walkthrough's "Test a URL" step (once per opening of the
 * sample; the preview tests its URL again on every refresh, which need not reach the workbench). */
export function noteUrlTested(): void {
  if (urlTested) return;
  urlTested = true;
  void vscode.commands.executeCommand('setContext', URL_TESTED, true);
}
