// Protocol requests mapped to the language service, one line each. After `shutdown` every request
// is refused with InvalidRequest, as the protocol asks; a handler that fails answers with an empty
// result and a log line, never an internal error.

import type { ClientCapabilities, Connection, RequestHandler } from 'vscode-languageserver';
import { CodeLensRefreshRequest, ErrorCodes, ResponseError } from 'vscode-languageserver';
import type { LanguageService } from '../service/language-service';

const REFRESH_DELAY_MS = 200;

const TRACE = !!process.env.KNL_TRACE;

/** Refuses requests once the client has asked the server to shut down. */
export class ShutdownGuard {
  private down = false;
  /** When the last request was answered (performance.now(); -Infinity before the first): a long
   * check waits for a quiet moment after it (see DiagnosticsScheduler). */
  lastRequestAt = -Infinity;
  /** When a message from the client was last read (performance.now(); the server notes it on its
   * transport): with KNL_TRACE each request handled says how long after that its handler started,
   * which is how long it waited in the server (behind a check's slice, GC) when it was the last. */
  lastInput: () => number = () => -Infinity;

  get isShutDown(): boolean {
    return this.down;
  }

  shutDown(): void {
    this.down = true;
  }

  /** A request handler that answers InvalidRequest after shutdown and `fallback` when it throws. */
  wrap<P, R>(
    name: string,
    handler: (params: P) => R,
    fallback: R,
    log: (message: string) => void,
  ): RequestHandler<P, R, void> {
    return ((params: P) => {
      if (this.down)
        return new ResponseError<void>(ErrorCodes.InvalidRequest, `${name}: the server is shutting down`);
      const start = TRACE ? performance.now() : 0;
      try {
        return handler(params);
      } catch (e) {
        log(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return fallback;
      } finally {
        this.lastRequestAt = performance.now();
        if (TRACE)
          process.stderr.write(
            `[kube-netlens] ${name}: handler started ${(start - this.lastInput()).toFixed(1)} ms after the last read from the client, took ${(this.lastRequestAt - start).toFixed(1)} ms\n`,
          );
      }
    }) as RequestHandler<P, R, void>;
  }

  /** The connection as seen by code that registers its own requests (the preview): the same,
   * except that its request handlers are refused after shutdown too. */
  guarded(connection: Connection): Connection {
    const onRequest = ((type: unknown, handler: (...args: unknown[]) => unknown) =>
      connection.onRequest(type as string, (...args: unknown[]) => {
        if (this.down)
          return new ResponseError<void>(ErrorCodes.InvalidRequest, 'the server is shutting down');
        try {
          return handler(...args);
        } finally {
          this.lastRequestAt = performance.now();
        }
      })) as Connection['onRequest'];
    return new Proxy(connection, {
      get: (target, prop, receiver) =>
        prop === 'onRequest' ? onRequest : Reflect.get(target, prop, receiver),
    });
  }
}

export interface Handlers {
  /** Read what the client supports (from `initialize`). */
  initialize(capabilities: ClientCapabilities): void;
  /** Other files changed what the code lenses count: ask the client to fetch them again once
   * typing pauses (the edited document's own lenses are re-requested by the editor anyway). */
  indexChanged(): void;
}

export function registerHandlers(
  connection: Connection,
  service: LanguageService,
  guard: ShutdownGuard,
  log: (message: string) => void,
): Handlers {
  let linkSupport = false;
  let refreshSupported = false;
  let refreshTimer: NodeJS.Timeout | undefined;

  connection.onCompletion(
    guard.wrap(
      'completion',
      (p) => {
        // a cut list says so (the editor asks again as the user types); a whole one stays a plain array
        const list = service.doCompleteList(p.textDocument.uri, p.position);
        return list.isIncomplete ? list : list.items;
      },
      [],
      log,
    ),
  );
  connection.onHover(guard.wrap('hover', (p) => service.doHover(p.textDocument.uri, p.position), null, log));
  connection.onCodeAction(
    guard.wrap('codeAction', (p) => service.getCodeActions(p.textDocument.uri, p.range, p.context), [], log),
  );
  connection.onDocumentSymbol(
    guard.wrap('documentSymbol', (p) => service.findDocumentSymbols(p.textDocument.uri), [], log),
  );
  connection.onDefinition(
    guard.wrap(
      'definition',
      (p) => service.findDefinition(p.textDocument.uri, p.position, { linkSupport }),
      null,
      log,
    ),
  );
  connection.onReferences(
    guard.wrap(
      'references',
      (p) =>
        service.findReferences(p.textDocument.uri, p.position, {
          includeDeclaration: !!p.context?.includeDeclaration,
        }),
      null,
      log,
    ),
  );
  connection.onCodeLens(guard.wrap('codeLens', (p) => service.getCodeLenses(p.textDocument.uri), [], log));

  return {
    initialize(c) {
      refreshSupported = !!c.workspace?.codeLens?.refreshSupport;
      linkSupport = !!c.textDocument?.definition?.linkSupport;
    },
    indexChanged() {
      if (!refreshSupported) return;
      if (refreshTimer) clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => {
        refreshTimer = undefined;
        if (!guard.isShutDown)
          void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
      }, REFRESH_DELAY_MS);
    },
  };
}
