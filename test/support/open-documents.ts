// Feeding the server's open-document manager (lsp/documents.ts) in-process, as the protocol
// connection would: used by the incremental-reparse test and scripts/bench-keystroke.ts.

import type { OpenDocuments } from '../../server/src/lsp/documents';

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
