// The routing preview webview (dist/webview.js) in real headless Chromium, with a stand-in for the VS Code
// extension side: the page gets the same HTML and CSP as the panel (client/src/webview/html.ts), its
// requests go to the real language server (dist/server.js over stdio) and the answers come back as the
// panel would send them. Used by test/webview.test.ts and scripts/bench-preview.mjs.

import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { readFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { LspClient, ROOT } from './lsp-client';
import { previewHtml } from '../../client/src/webview/html';
import { isWebviewToHost } from '../../server/src/protocol/preview';
import type { HostToWebview, Location, WebviewToHost } from '../../server/src/protocol/preview';

export const CHROMIUM = '/usr/bin/chromium';

export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM)
    ? undefined
    : `${CHROMIUM} is not installed (apt-get install -y chromium, or .ci/install-e2e.sh)`;
}

/** Dark-theme values of the variables VS Code gives a webview, so that screenshots look like the editor. */
const DARK: Record<string, string> = {
  '--vscode-font-family': 'system-ui, sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': 'monospace',
  '--vscode-foreground': '#cccccc',
  '--vscode-editor-foreground': '#d4d4d4',
  '--vscode-editor-background': '#1e1e1e',
  '--vscode-editorWidget-background': '#252526',
  '--vscode-editorWidget-border': '#454545',
  '--vscode-panel-border': '#80808059',
  '--vscode-focusBorder': '#007fd4',
  '--vscode-input-background': '#3c3c3c',
  '--vscode-input-foreground': '#cccccc',
  '--vscode-dropdown-background': '#3c3c3c',
  '--vscode-dropdown-foreground': '#f0f0f0',
  '--vscode-button-background': '#0e639c',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-secondaryBackground': '#3a3d41',
  '--vscode-button-secondaryForeground': '#ffffff',
  '--vscode-textLink-foreground': '#3794ff',
  '--vscode-errorForeground': '#f48771',
  '--vscode-editorError-foreground': '#f14c4c',
  '--vscode-editorWarning-foreground': '#cca700',
  '--vscode-testing-iconPassed': '#73c991',
  '--vscode-editorLineNumber-foreground': '#858585',
  '--vscode-descriptionForeground': '#ccccccb3',
  '--vscode-editor-findMatchHighlightBackground': '#ea5c0055',
  '--vscode-editor-findMatchBorder': '#f2a33a',
};

const BASE = {
  '--vscode-font-family': DARK['--vscode-font-family'],
  '--vscode-font-size': DARK['--vscode-font-size'],
  '--vscode-editor-font-family': DARK['--vscode-editor-font-family'],
};

/** Light theme (VS Code's Light+ colours). */
const LIGHT: Record<string, string> = {
  ...BASE,
  '--vscode-foreground': '#616161',
  '--vscode-editor-foreground': '#000000',
  '--vscode-editor-background': '#ffffff',
  '--vscode-editorWidget-background': '#f3f3f3',
  '--vscode-editorWidget-border': '#c8c8c8',
  '--vscode-panel-border': '#80808059',
  '--vscode-focusBorder': '#0090f1',
  '--vscode-input-background': '#ffffff',
  '--vscode-input-foreground': '#616161',
  '--vscode-input-border': '#cecece',
  '--vscode-dropdown-background': '#ffffff',
  '--vscode-dropdown-foreground': '#616161',
  '--vscode-dropdown-border': '#cecece',
  '--vscode-button-background': '#007acc',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-secondaryBackground': '#5f6a79',
  '--vscode-button-secondaryForeground': '#ffffff',
  '--vscode-textLink-foreground': '#006ab1',
  '--vscode-errorForeground': '#a1260d',
  '--vscode-editorError-foreground': '#e51400',
  '--vscode-editorWarning-foreground': '#bf8803',
  '--vscode-testing-iconPassed': '#388a34',
  '--vscode-editorLineNumber-foreground': '#237893',
  '--vscode-descriptionForeground': '#717171',
  '--vscode-editor-findMatchHighlightBackground': '#ea5c0055',
  '--vscode-charts-blue': '#1a85ff',
  '--vscode-charts-purple': '#652d90',
  '--vscode-charts-green': '#388a34',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-yellow': '#bf8803',
};

/** High Contrast (dark): contrastBorder and contrastActiveBorder are defined only in high contrast themes. */
const HIGH_CONTRAST: Record<string, string> = {
  ...BASE,
  '--vscode-contrastBorder': '#6fc3df',
  '--vscode-contrastActiveBorder': '#f38518',
  '--vscode-foreground': '#ffffff',
  '--vscode-editor-foreground': '#ffffff',
  '--vscode-editor-background': '#000000',
  '--vscode-editorWidget-background': '#0c141f',
  '--vscode-editorWidget-border': '#6fc3df',
  '--vscode-panel-border': '#6fc3df',
  '--vscode-focusBorder': '#f38518',
  '--vscode-input-background': '#000000',
  '--vscode-input-foreground': '#ffffff',
  '--vscode-input-border': '#6fc3df',
  '--vscode-dropdown-background': '#000000',
  '--vscode-dropdown-foreground': '#ffffff',
  '--vscode-dropdown-border': '#6fc3df',
  '--vscode-button-background': '#000000',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-border': '#6fc3df',
  '--vscode-button-secondaryForeground': '#ffffff',
  '--vscode-textLink-foreground': '#21a6ff',
  '--vscode-errorForeground': '#f48771',
  '--vscode-editorError-foreground': '#f48771',
  '--vscode-editorWarning-foreground': '#fff000',
  '--vscode-testing-iconPassed': '#73c991',
  '--vscode-editorLineNumber-foreground': '#ffffff',
  '--vscode-descriptionForeground': '#ffffffb3',
  '--vscode-editor-findMatchBorder': '#f38518',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-yellow': '#cca700',
};

/** High Contrast Light. */
const HIGH_CONTRAST_LIGHT: Record<string, string> = {
  ...BASE,
  '--vscode-contrastBorder': '#0f4a85',
  '--vscode-contrastActiveBorder': '#006bbd',
  '--vscode-foreground': '#292929',
  '--vscode-editor-foreground': '#292929',
  '--vscode-editor-background': '#ffffff',
  '--vscode-editorWidget-background': '#ffffff',
  '--vscode-editorWidget-border': '#0f4a85',
  '--vscode-panel-border': '#0f4a85',
  '--vscode-focusBorder': '#006bbd',
  '--vscode-input-background': '#ffffff',
  '--vscode-input-foreground': '#292929',
  '--vscode-input-border': '#0f4a85',
  '--vscode-dropdown-background': '#ffffff',
  '--vscode-dropdown-foreground': '#292929',
  '--vscode-dropdown-border': '#0f4a85',
  '--vscode-button-background': '#0f4a85',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-border': '#0f4a85',
  '--vscode-button-secondaryForeground': '#292929',
  '--vscode-textLink-foreground': '#0f4a85',
  '--vscode-errorForeground': '#b5200d',
  '--vscode-editorError-foreground': '#b5200d',
  '--vscode-editorWarning-foreground': '#895503',
  '--vscode-testing-iconPassed': '#007100',
  '--vscode-editorLineNumber-foreground': '#292929',
  '--vscode-descriptionForeground': '#292929b3',
  '--vscode-editor-findMatchBorder': '#006bbd',
  '--vscode-charts-blue': '#0f4a85',
  '--vscode-charts-purple': '#652d90',
  '--vscode-charts-green': '#007100',
  '--vscode-charts-orange': '#b5200d',
  '--vscode-charts-yellow': '#895503',
};

export type ThemeKind = 'dark' | 'light' | 'high-contrast' | 'high-contrast-light';

/** The variables and the body class VS Code gives a webview for each kind of theme. */
export const THEMES: Record<ThemeKind, { bodyClass: string; vars: Record<string, string> }> = {
  dark: { bodyClass: 'vscode-dark', vars: DARK },
  light: { bodyClass: 'vscode-light', vars: LIGHT },
  'high-contrast': { bodyClass: 'vscode-high-contrast', vars: HIGH_CONTRAST },
  'high-contrast-light': { bodyClass: 'vscode-high-contrast-light', vars: HIGH_CONTRAST_LIGHT },
};

export interface HarnessOptions {
  view?: 'routes' | 'reach';
  scope?: 'file' | 'workspace';
  width?: number;
  height?: number;
  /** Theme colours and body class (default dark). */
  theme?: ThemeKind;
}

export class WebviewHarness {
  readonly received: WebviewToHost[] = [];
  readonly dialogs: string[] = [];
  readonly pageErrors: string[] = [];
  private waiters: (() => void)[] = [];
  private constructor(
    readonly lsp: LspClient,
    readonly context: BrowserContext,
    readonly page: Page,
    private readonly http: Server,
    private readonly profile: string,
    readonly uri: string,
  ) {}

  /** Open `text` as a document in a fresh server and the preview page on it. */
  static async start(fileName: string, text: string, opts: HarnessOptions = {}): Promise<WebviewHarness> {
    const lsp = await LspClient.start({});
    const uri = lsp.uriFor(fileName);
    await lsp.open(uri, text);
    await lsp.diagnostics(uri);

    const nonce = randomBytes(16).toString('base64url');
    const files: Record<string, [string, string]> = {
      '/webview.js': [path.join(ROOT, 'dist', 'webview.js'), 'text/javascript'],
      '/webview.css': [path.join(ROOT, 'dist', 'webview.css'), 'text/css'],
      '/codicon.css': [path.join(ROOT, 'dist', 'codicon.css'), 'text/css'],
      '/codicon.ttf': [path.join(ROOT, 'dist', 'codicon.ttf'), 'font/ttf'],
    };
    let origin = '';
    const http = createServer((req, res) => {
      const url = (req.url ?? '/').split('?')[0];
      if (url === '/') {
        const t = THEMES[opts.theme ?? 'dark'];
        const theme =
          Object.entries(t.vars)
            .map(
              ([k, v]) =>
                `document.documentElement.style.setProperty(${JSON.stringify(k)}, ${JSON.stringify(v)});`,
            )
            .join('') +
          `document.body.classList.add(${JSON.stringify(t.bodyClass)}); document.body.dataset.vscodeThemeKind = ${JSON.stringify(t.bodyClass)};`;
        const fake = `window.__violations = []; document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
window.__state = undefined;
window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__toHost(JSON.parse(JSON.stringify(m))), getState: () => window.__state, setState: (s) => { window.__state = s; } });`;
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(
          previewHtml({
            scriptUri: `${origin}/webview.js`,
            styleUri: `${origin}/webview.css`,
            codiconUri: `${origin}/codicon.css`,
            cspSource: origin,
            nonce,
            title: 'Routing preview',
            inlineScripts: [theme, fake],
          }),
        );
        return;
      }
      const f = files[url];
      if (!f) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': f[1] });
      res.end(readFileSync(f[0]));
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const addr = http.address();
    origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;

    const profile = mkdtempSync(path.join(tmpdir(), 'knl-webview-'));
    // A persistent context is how Playwright takes a fresh --user-data-dir.
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
      viewport: { width: opts.width ?? 1400, height: opts.height ?? 900 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const h = new WebviewHarness(lsp, context, page, http, profile, uri);
    page.on('dialog', (d) => {
      h.dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => h.pageErrors.push(e.message));
    await page.exposeFunction('__toHost', (m: unknown) => h.fromWebview(m, opts));
    await page.goto(origin + '/');
    return h;
  }

  private fromWebview(m: unknown, opts: HarnessOptions): void {
    if (!isWebviewToHost(m)) throw new Error(`the webview sent a malformed message: ${JSON.stringify(m)}`);
    this.received.push(m);
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
    if (m.type === 'ready')
      this.send({
        type: 'init',
        view: opts.view ?? 'routes',
        scope: opts.scope ?? 'file',
        uri: this.uri,
        title: path.basename(this.uri),
      }).catch(() => undefined);
    else if (m.type === 'request') {
      this.lsp.conn
        .sendRequest(m.method, m.params)
        .then(
          (result) => this.send({ type: 'response', id: m.id, result }),
          (e: Error) => this.send({ type: 'response', id: m.id, error: e.message }),
        )
        .catch(() => undefined); // the page went away (reload) before the answer
    }
  }

  async send(m: HostToWebview): Promise<void> {
    await this.page.evaluate((msg) => window.dispatchEvent(new MessageEvent('message', { data: msg })), m);
  }

  /** Wait until the webview has sent a message that satisfies `ok`. */
  async waitForMessage<T extends WebviewToHost>(
    ok: (m: WebviewToHost) => m is T,
    timeoutMs = 10000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(ok);
      if (found) return found;
      if (Date.now() > deadline) throw new Error('timed out waiting for a message from the webview');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, Math.max(0, deadline - Date.now()));
      });
    }
  }

  reveals(): Location[] {
    return this.received.flatMap((m) => (m.type === 'reveal' ? [m.location] : []));
  }

  async screenshot(name: string): Promise<string> {
    const file = path.join(ROOT, 'test-artifacts', 'webview', `${name}.png`);
    await this.page.screenshot({ path: file, fullPage: false });
    return file;
  }

  async stop(): Promise<void> {
    await this.context.close().catch(() => undefined);
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
    await this.lsp.stop();
    rmSync(this.profile, { recursive: true, force: true });
  }
}
