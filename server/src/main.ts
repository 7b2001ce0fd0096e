// Entry point: `node dist/server.js --stdio` (any editor), or node IPC when VS Code starts it.

import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './lsp/server';

const connection = createConnection(ProposedFeatures.all);
process.on('uncaughtException', (e) => {
  connection.console.error(`[kube-netlens] uncaught: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
});
startServer(connection);
