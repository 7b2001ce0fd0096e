// The status bar item: the language server's state in one word, shown while a YAML editor is active
// (and always when the server failed). A click opens the Kube NetLens output channel; the tooltip also
// offers a restart.

import * as vscode from 'vscode';

export type ServerState =
  | { kind: 'waiting' } // activated, but no YAML with networking resources opened yet
  | { kind: 'disabled' } // kubeNetlens.enable is false
  | { kind: 'starting' }
  | { kind: 'running' }
  | { kind: 'failed'; message: string };

export const SHOW_OUTPUT_COMMAND = 'kubeNetlens.showOutput';

const LOOK: Record<ServerState['kind'], { icon: string; word: string }> = {
  waiting: { icon: '$(circle-large-outline)', word: 'not started' },
  disabled: { icon: '$(circle-slash)', word: 'disabled' },
  starting: { icon: '$(loading~spin)', word: 'starting' },
  running: { icon: '$(check)', word: 'running' },
  failed: { icon: '$(error)', word: 'failed' },
};

function explain(state: ServerState): string {
  switch (state.kind) {
    case 'waiting':
      return 'The language server starts when a YAML file with Kubernetes networking resources (Ingress, Service, NetworkPolicy, Gateway API, …) is opened, or when a Kube NetLens command runs.';
    case 'disabled':
      return 'Turned off by the setting `kubeNetlens.enable`.';
    case 'starting':
      return 'The language server is starting and indexing the workspace.';
    case 'running':
      return 'The language server is checking your YAML files.';
    case 'failed':
      return `The language server failed: ${state.message}`;
  }
}

export class ServerStatus implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private state: ServerState = { kind: 'waiting' };
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    this.item = vscode.window.createStatusBarItem('kubeNetlens.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Kube NetLens';
    this.item.command = { command: SHOW_OUTPUT_COMMAND, title: 'Show Kube NetLens output' };
    this.disposables.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.updateVisibility()),
    );
    this.render();
  }

  get current(): ServerState {
    return this.state;
  }

  set(state: ServerState): void {
    this.state = state;
    this.render();
  }

  private render(): void {
    const { icon, word } = LOOK[this.state.kind];
    this.item.text = `${icon} Kube NetLens`;
    this.item.accessibilityInformation = { label: `Kube NetLens language server: ${word}`, role: 'button' };
    const tip = new vscode.MarkdownString(
      `**Kube NetLens: ${word}**\n\n${explain(this.state)}\n\n[Show output](command:${SHOW_OUTPUT_COMMAND}) · [Restart language server](command:kubeNetlens.restartServer)`,
    );
    tip.isTrusted = { enabledCommands: [SHOW_OUTPUT_COMMAND, 'kubeNetlens.restartServer'] };
    this.item.tooltip = tip;
    this.item.backgroundColor =
      this.state.kind === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.updateVisibility();
  }

  private updateVisibility(): void {
    const yaml = vscode.window.activeTextEditor?.document.languageId === 'yaml';
    if (yaml || this.state.kind === 'failed') this.item.show();
    else this.item.hide();
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
