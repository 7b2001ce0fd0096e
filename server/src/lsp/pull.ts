// Pull diagnostics (LSP 3.17 `textDocument/diagnostic`), used when the client declares that it can
// pull (VS Code's language client does). The client asks for a document's diagnostics after it
// opens or edits it; the answer is the check of that version once it is ready, or `unchanged` when
// the findings are the same as those the client holds (the usual case for a keystroke in a large
// file: nothing is encoded, sent, decoded or drawn again). When the findings of a version the client
// already holds change later (another file changed what it depends on, the full check after the
// fast path while typing, the end of a large file's first check), the server asks the client to pull
// again (`workspace/diagnostic/refresh`).

import type {
  CancellationToken,
  Connection,
  Diagnostic,
  DocumentDiagnosticReport,
} from 'vscode-languageserver';
import { isDeepStrictEqual } from 'node:util';
import { DiagnosticRefreshRequest, LSPErrorCodes, ResponseError } from 'vscode-languageserver';

/** What the server tells the client in `initialize` when it pulls: findings depend on other files;
 * there is no workspace-wide pull (closed files get no diagnostics, as with publications). */
export const PULL_PROVIDER = { interFileDependencies: true, workspaceDiagnostics: false } as const;

/** After a change of findings the client holds, the server asks it to pull again once no check is
 * under way, so that the steps of one re-check (several files re-checked after one edit) make one
 * refresh; but at most this long after the change (ms): a long check (a large file's progress) does
 * not hold the refresh back. */
const REFRESH_DELAY_MS = 50;
/** How often a refresh waiting for the checks to end looks again (ms). */
const REFRESH_POLL_MS = 1;

/** How long after findings of a version the client has not pulled yet are ready the server expects
 * its pull (ms): a check under way waits between its slices meanwhile (as it does while a
 * publication is written), so that the pull is read and answered at once instead of after a slice. */
const EXPECT_PULL_MS = 50;

/** The findings ready for one version of a document. */
interface Ready {
  version: number;
  items: Diagnostic[];
  resultId: string;
}

interface Waiter {
  version: number;
  resolve: (report: DocumentDiagnosticReport) => void;
  previousResultId?: string;
}

export function sameDiagnostics(a: readonly Diagnostic[], b: readonly Diagnostic[]): boolean {
  // (diagnostics are plain data; a finding kept from the last check is the same object, compared at once)
  return isDeepStrictEqual(a, b);
}

export class PulledDiagnostics {
  private ready = new Map<string, Ready>();
  private waiters = new Map<string, Waiter[]>();
  /** The result id the client was last given per document (what it holds). */
  private given = new Map<string, string>();
  private nextId = 0;
  private refreshTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** With KNL_TRACE, each answer that waited says how long. */
  private readonly trace = !!process.env.KNL_TRACE;

  constructor(
    private connection: Connection,
    /** The version of an open document (undefined: not open). */
    private versionOf: (uri: string) => number | undefined,
    /** Is a check of the document's current text still to come (pending, parsing or under way)? */
    private checking: (uri: string) => boolean,
    /** Can the client be asked to pull again (workspace.diagnostics.refreshSupport)? */
    private canRefresh: () => boolean,
    /** Called when a pull is answered: a check under way then lets the answer be written before its
     * next slice, as after any request (see quietTurn). */
    private answered: () => void = () => undefined,
    /** Is any document's check scheduled, parsing or under way? */
    private busy: () => boolean = () => false,
  ) {}

  /** The findings of a version of a document are ready (what a publication would send). */
  offer(uri: string, version: number, items: Diagnostic[]): void {
    const before = this.ready.get(uri);
    const resultId = before && sameDiagnostics(before.items, items) ? before.resultId : String(++this.nextId);
    this.ready.set(uri, { version, items, resultId });
    const waiting = this.waiters.get(uri);
    let answered = false;
    if (waiting) {
      const still = waiting.filter((w) => {
        if (w.version > version) return true;
        this.answer(uri, w);
        answered = true;
        return false;
      });
      if (still.length) this.waiters.set(uri, still);
      else this.waiters.delete(uri);
    }
    // a version the client has not been given: it pulls it after its edit
    if (!answered && version > (this.pulledVersion.get(uri) ?? -Infinity))
      this.expected.set(uri, { version, at: performance.now() });
    // The client holds findings of this version (or pulls it on its own after an edit: then the
    // version is newer than what it was given and it asks anyway) that are no longer current.
    if (
      !answered &&
      this.given.has(uri) &&
      this.given.get(uri) !== resultId &&
      this.pulledVersion.get(uri) === version
    )
      this.refreshLater();
  }

  /** The version each document's last answer was for. */
  private pulledVersion = new Map<string, number>();
  /** Per document, findings ready for a version the client has not pulled yet, and since when. */
  private expected = new Map<string, { version: number; at: number }>();

  /** Is a pull expected now: findings of a version not pulled yet became ready less than
   * EXPECT_PULL_MS ago? */
  expecting(now = performance.now()): boolean {
    for (const [uri, e] of this.expected) {
      if (now - e.at < EXPECT_PULL_MS) return true;
      this.expected.delete(uri);
    }
    return false;
  }

  private answer(uri: string, w: Waiter): void {
    const r = this.ready.get(uri);
    if (!r) {
      w.resolve({ kind: 'full', items: [] });
      return;
    }
    this.given.set(uri, r.resultId);
    this.pulledVersion.set(uri, r.version);
    const e = this.expected.get(uri);
    if (e && e.version <= r.version) this.expected.delete(uri);
    this.answered();
    w.resolve(
      w.previousResultId === r.resultId
        ? { kind: 'unchanged', resultId: r.resultId }
        : { kind: 'full', resultId: r.resultId, items: r.items },
    );
  }

  /** A check of the document ended without findings to offer (nothing to check, failed): waiting pulls
   * get what is known. */
  settled(uri: string): void {
    if (this.checking(uri)) return;
    const waiting = this.waiters.get(uri);
    if (!waiting) return;
    this.waiters.delete(uri);
    for (const w of waiting) this.answer(uri, w);
  }

  /** The client asks for a document's diagnostics. */
  pull(
    uri: string,
    previousResultId: string | undefined,
    token: CancellationToken,
  ): Promise<DocumentDiagnosticReport> | DocumentDiagnosticReport {
    const version = this.versionOf(uri);
    // not open (or closed meanwhile): no findings (closed files get none, as with publications)
    if (version === undefined) return { kind: 'full', items: [] };
    const w: Waiter = { version, previousResultId, resolve: () => undefined };
    const r = this.ready.get(uri);
    if (r && r.version >= version) {
      let report: DocumentDiagnosticReport = { kind: 'full', items: [] };
      w.resolve = (x) => void (report = x);
      this.answer(uri, w);
      return report;
    }
    const t0 = this.trace ? performance.now() : 0;
    return new Promise<DocumentDiagnosticReport>((resolve, reject) => {
      w.resolve = (report) => {
        sub.dispose();
        if (this.trace)
          process.stderr.write(
            `[kube-netlens] pull ${uri} v${version}: ${report.kind} after ${(performance.now() - t0).toFixed(1)} ms\n`,
          );
        resolve(report);
      };
      const sub = token.onCancellationRequested(() => {
        const list = this.waiters.get(uri);
        if (list) {
          const rest = list.filter((x) => x !== w);
          if (rest.length) this.waiters.set(uri, rest);
          else this.waiters.delete(uri);
        }
        reject(new ResponseError(LSPErrorCodes.RequestCancelled, 'textDocument/diagnostic: cancelled'));
      });
      this.waiters.set(uri, [...(this.waiters.get(uri) ?? []), w]);
      // nothing is coming for this text (not YAML, not checked): answer with what is known
      if (!this.checking(uri)) this.settled(uri);
    });
  }

  /** A document closed: its findings are forgotten (the client clears them itself). */
  closed(uri: string): void {
    this.ready.delete(uri);
    this.given.delete(uri);
    this.pulledVersion.delete(uri);
    this.expected.delete(uri);
    const waiting = this.waiters.get(uri);
    this.waiters.delete(uri);
    for (const w of waiting ?? []) w.resolve({ kind: 'full', items: [] });
  }

  /** After `shutdown`: waiting pulls are refused, no refresh is asked for. */
  stop(): void {
    this.stopped = true;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const [uri, list] of this.waiters)
      for (const w of list) w.resolve({ kind: 'full', items: this.ready.get(uri)?.items ?? [] });
    this.waiters.clear();
  }

  /** Ask the client to pull again once no check is under way (the other re-checks of the same edit
   * then come with this one), at most REFRESH_DELAY_MS after findings it holds changed. */
  private refreshLater(): void {
    if (!this.canRefresh() || this.refreshTimer || this.stopped) return;
    const since = performance.now();
    const tick = () => {
      this.refreshTimer = undefined;
      if (this.stopped) return;
      if (this.busy() && performance.now() - since < REFRESH_DELAY_MS) {
        this.refreshTimer = setTimeout(tick, REFRESH_POLL_MS);
        return;
      }
      void this.connection.sendRequest(DiagnosticRefreshRequest.type).catch(() => undefined);
    };
    this.refreshTimer = setTimeout(tick, 0);
  }
}
