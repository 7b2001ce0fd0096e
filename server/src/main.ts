// Entry point: `node dist/server.js --stdio` (any editor), or node IPC when VS Code starts it. The
// same bundle runs the server's parser thread (workspace/parse-worker.ts).

import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './lsp/server';
import { isChunkParseWorker, runChunkParseWorker } from './workspace/parse-worker';

if (isChunkParseWorker()) runChunkParseWorker();
else {
  const connection = createConnection(ProposedFeatures.all);
  process.on('uncaughtException', (e) => {
    connection.console.error(
      `[kube-netlens] uncaught: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
    );
  });
  startServer(connection, { parseWorkerEntry: __filename });
}
