// The server's bundle (dist/server-main.js), which dist/server.js runs with V8's code cache
// (server-loader.ts). Started as `node dist/server.js --stdio` (any editor), or over node IPC when
// VS Code starts it. The server's parser thread (workspace/parse-worker.ts) runs dist/parse-thread.js,
// or this bundle when that file is missing.

// (first: before anything else allocates)
import './lsp/young-generation';
import { existsSync } from 'node:fs';
import path from 'node:path';
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
  // the parser thread's own bundle, beside this one (this bundle can run it too, only slower to start)
  const thread = path.join(__dirname, 'parse-thread.js');
  startServer(connection, { parseWorkerEntry: existsSync(thread) ? thread : __filename });
}
