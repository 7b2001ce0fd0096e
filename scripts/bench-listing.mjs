// What a user pays for installing the extension: the bundle sizes (what the .vsix ships) and the time
// from VS Code loading the extension to a working language server. Prints numbers; asserts nothing.
// Run after `npm run build` (npm run bench does): node scripts/bench-listing.mjs [rounds]
//
// Activation is measured in fresh Node processes, each loading dist/extension.js against a small
// stand-in for the `vscode` module (the extension host's own cost is not ours) and calling activate()
// with no YAML document open: the server does not start then (client/src/kube-content.ts). The server
// start is measured separately: spawn dist/server.js, send `initialize`, wait for its result, then open
// the walkthrough's sample and wait for its first diagnostics. The e2e test logs the activation time
// VS Code itself shows in *Running Extensions* (scenario server-waits-for-networking-yaml).

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Number(process.argv[2] ?? 7);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

// ---- 1. sizes
console.log('Bundle sizes (what the .vsix ships)');
const shipped = [
  'dist/extension.js',
  'dist/language-client.js',
  'dist/server.js',
  'dist/server-main.js',
  'dist/cli.js',
  'dist/webview.js',
  'dist/webview.css',
  'dist/codicon.ttf',
];
let total = 0;
for (const f of shipped) {
  const p = path.join(root, f);
  if (!fs.existsSync(p)) {
    console.log(`  ${f.padEnd(22)} missing: run npm run build`);
    continue;
  }
  const bytes = fs.readFileSync(p);
  total += bytes.length;
  console.log(`  ${f.padEnd(22)} ${kb(bytes.length).padStart(10)}  (gzip ${kb(gzipSync(bytes).length)})`);
}
console.log(`  ${'total'.padEnd(22)} ${kb(total).padStart(10)}`);
const vsix = path.join(root, 'kube-netlens.vsix');
if (fs.existsSync(vsix)) {
  const age = (Date.now() - fs.statSync(vsix).mtimeMs) / 60_000;
  console.log(
    `  ${'kube-netlens.vsix'.padEnd(22)} ${kb(fs.statSync(vsix).size).padStart(10)}  (built ${age.toFixed(0)} min ago by npm run package)`,
  );
} else console.log('  kube-netlens.vsix      not built (npm run package)');

// ---- 2. activation: require + activate() in a fresh process, with a stand-in `vscode` module
const probe = `
const Module = require('node:module');
const t0 = performance.now();
const noop = () => {};
const disposable = { dispose: noop };
const event = () => disposable;
const item = { show: noop, hide: noop, dispose: noop };
// a namespace (window, workspace, ...): the members spelled out, any other function returns a disposable
const ns = (o) => new Proxy(o, { get: (t, k) => (k in t || typeof k === 'symbol' ? t[k] : () => disposable) });
// what activate() calls is spelled out; any other export (classes the language client extends at load
// time) is an empty class
const known = {
  StatusBarAlignment: { Left: 1, Right: 2 },
  ViewColumn: { One: 1, Beside: -2 },
  TextEditorRevealType: { InCenter: 2 },
  ThemeColor: class { constructor(id) { this.id = id; } },
  MarkdownString: class { constructor(v) { this.value = v; } },
  Uri: { joinPath: (u, ...p) => ({ ...u, path: [u.path, ...p].join('/') }), file: (p) => ({ scheme: 'file', path: p }), parse: (s) => ({ toString: () => s }) },
  window: ns({ createStatusBarItem: () => item, onDidChangeActiveTextEditor: event, registerWebviewPanelSerializer: () => disposable, createOutputChannel: () => ({ info: noop, warn: noop, error: noop, show: noop, dispose: noop }), activeTextEditor: undefined, visibleTextEditors: [] }),
  workspace: ns({ textDocuments: [], onDidOpenTextDocument: event, onDidChangeTextDocument: event, onDidCloseTextDocument: event, onDidChangeConfiguration: event, getConfiguration: () => ({ get: (_k, d) => d }), createFileSystemWatcher: () => ({ dispose: noop }) }),
  commands: ns({ registerCommand: () => disposable, executeCommand: async () => undefined }),
  languages: ns({ registerCodeLensProvider: () => disposable }),
};
known.EventEmitter = class { constructor() { this.event = () => disposable; } fire() {} dispose() {} };
// any other member: an empty class, enough for the language client's module-level \`class … extends vscode.X\`
const vscode = new Proxy(known, { get: (t, k) => (k in t || typeof k === 'symbol' ? t[k] : (t[k] = class {})) });
const resolve = Module._resolveFilename;
Module._resolveFilename = function (req, ...rest) { return req === 'vscode' ? 'vscode' : resolve.call(this, req, ...rest); };
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };
const ext = require(process.argv[1]);
const t1 = performance.now();
const context = { subscriptions: [], extensionUri: { scheme: 'file', path: ${JSON.stringify(root)} }, asAbsolutePath: (p) => require('node:path').join(${JSON.stringify(root)}, p) };
Promise.resolve(ext.activate(context)).then(() => {
  const t2 = performance.now();
  // what the first server start adds: the language client's own bundle
  require(require('node:path').join(require('node:path').dirname(process.argv[1]), 'language-client.js'));
  const t3 = performance.now();
  process.stdout.write(JSON.stringify({ requireMs: t1 - t0, activateMs: t2 - t1, clientMs: t3 - t2 }));
  for (const d of context.subscriptions) try { d.dispose(); } catch {}
});
`;
const act = [];
for (let i = 0; i < ROUNDS; i++) {
  const r = spawnSync(process.execPath, ['-e', probe, path.join(root, 'dist/extension.js')], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0) {
    console.log(
      `\nActivation probe failed (${r.status}): ${(r.stderr || '').split('\n').slice(0, 5).join(' | ')}`,
    );
    break;
  }
  act.push(JSON.parse(r.stdout));
}
if (act.length) {
  const req = median(act.map((a) => a.requireMs));
  const activate = median(act.map((a) => a.activateMs));
  console.log(`\nActivation (median of ${act.length} fresh processes; no YAML open, so no server)`);
  console.log(`  load dist/extension.js   ${req.toFixed(1)} ms`);
  console.log(`  activate()               ${activate.toFixed(1)} ms`);
  console.log(`  total                    ${(req + activate).toFixed(1)} ms`);
  console.log(
    `  then, when the server first starts: load dist/language-client.js ${median(act.map((a) => a.clientMs)).toFixed(1)} ms`,
  );
}

// ---- 3. server start: initialize, then the sample's first diagnostics
function lspRound() {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [path.join(root, 'dist/server.js'), '--stdio'], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    let buf = Buffer.alloc(0);
    let initMs;
    const send = (msg) => {
      const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...msg }));
      child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
      child.stdin.write(body);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('server did not answer within 60 s'));
    }, 60_000);
    child.stdout.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const sep = buf.indexOf('\r\n\r\n');
        if (sep < 0) return;
        const len = Number(/Content-Length: (\d+)/i.exec(buf.subarray(0, sep).toString())?.[1]);
        if (buf.length < sep + 4 + len) return;
        const msg = JSON.parse(buf.subarray(sep + 4, sep + 4 + len).toString());
        buf = buf.subarray(sep + 4 + len);
        if (msg.id === 1 && msg.result) {
          initMs = performance.now() - t0;
          send({ method: 'initialized', params: {} });
          const text = fs.readFileSync(path.join(root, 'media/walkthrough/sample-shop.yaml'), 'utf8');
          send({
            method: 'textDocument/didOpen',
            params: { textDocument: { uri: 'untitled:Untitled-1', languageId: 'yaml', version: 1, text } },
          });
        } else if (msg.id !== undefined && msg.method) {
          send({
            id: msg.id,
            result:
              msg.method === 'workspace/configuration' ? (msg.params?.items ?? []).map(() => null) : null,
          });
        } else if (
          msg.method === 'textDocument/publishDiagnostics' &&
          msg.params.uri === 'untitled:Untitled-1' &&
          msg.params.diagnostics.length
        ) {
          const diagMs = performance.now() - t0;
          clearTimeout(timer);
          send({ id: 2, method: 'shutdown' });
          send({ method: 'exit' });
          child.on('exit', () => resolve({ initMs, diagMs }));
          setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
        }
      }
    });
    send({
      id: 1,
      method: 'initialize',
      params: { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: {} },
    });
  });
}
const starts = [];
for (let i = 0; i < Math.min(ROUNDS, 5); i++) {
  try {
    starts.push(await lspRound());
  } catch (e) {
    console.log(`\nServer start failed: ${e.message}`);
    break;
  }
}
if (starts.length) {
  console.log(`\nLanguage server start (median of ${starts.length} fresh servers, no workspace folder)`);
  console.log(
    `  spawn → initialize result                    ${median(starts.map((s) => s.initMs)).toFixed(0)} ms`,
  );
  console.log(
    `  spawn → first diagnostics of the sample      ${median(starts.map((s) => s.diagMs)).toFixed(0)} ms`,
  );
}
