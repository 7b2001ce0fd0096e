// Entry point of the server's parser thread (workspace/parse-worker.ts): a bundle of its own
// (dist/parse-thread.js) that holds the bounded parser and nothing else of the server, so that the
// thread starts in a fraction of what loading the whole server bundle costs.

import './lsp/young-generation';
import { isChunkParseWorker, runChunkParseWorker } from './workspace/parse-worker';

if (isChunkParseWorker()) runChunkParseWorker();
