// Feeding the server's open-document manager (lsp/documents.ts) in-process, as the protocol
// connection would: used by the parser-thread and incremental-reparse tests and
// scripts/bench-keystroke.ts.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { OpenDocuments } from '../../server/src/lsp/documents';
import type { ChunkParser } from '../../server/src/workspace/parse-worker';
import { ResourceIndex } from '../../server/src/workspace/index';

/** The protocol's document notifications, sent to `open` as the connection would send them. */
export function listenTo(
  open: OpenDocuments,
): Record<'open' | 'change' | 'close', (params: unknown) => void> {
  const on: Record<string, (params: unknown) => void> = {};
  const hook = (name: string) => (h: (params: unknown) => void) => {
    on[name] = h;
    return { dispose: () => undefined };
  };
  open.listen({
    onDidOpenTextDocument: hook('open'),
    onDidChangeTextDocument: hook('change'),
    onDidCloseTextDocument: hook('close'),
    onWillSaveTextDocument: hook('willSave'),
    onWillSaveTextDocumentWaitUntil: hook('willSaveWaitUntil'),
    onDidSaveTextDocument: hook('save'),
  } as unknown as Parameters<OpenDocuments['listen']>[0]);
  return on;
}

/** Open documents over an index of their own, parsing with `offload`, driven as the protocol drives
 * them (a whole new text per change). */
export function drivenDocuments(offload: ChunkParser, maxFileBytes: number) {
  const docs = new OpenDocuments(
    new ResourceIndex(),
    () => maxFileBytes,
    () => undefined,
    offload,
  );
  const on = listenTo(docs);
  return {
    docs,
    open(uri: string, text: string): TextDocument {
      on.open({ textDocument: { uri, languageId: 'yaml', version: 1, text } });
      return docs.get(uri)!;
    },
    change(uri: string, version: number, text: string): TextDocument {
      on.change({ textDocument: { uri, version }, contentChanges: [{ text }] });
      return docs.get(uri)!;
    },
    close(uri: string): void {
      on.close({ textDocument: { uri } });
      docs.close(uri);
    },
  };
}
