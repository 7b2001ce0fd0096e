// The webview's side of the messages with the extension host, typed by server/src/protocol/preview.ts:
// requests to the language server (the host relays them) whose answers are checked before anyone uses
// them, and the host's own events (open a view, draw again). Malformed messages are dropped here.

import { isHostToWebview, resultError } from '../../../server/src/protocol/preview';
import type {
  HostToWebview,
  Location,
  PreviewMethodName,
  PreviewRequests,
  WebviewToHost,
} from '../../../server/src/protocol/preview';

/** The part of VS Code's webview API the preview uses (what acquireVsCodeApi() returns). */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** A message of the host that is not the answer to a request. */
export type HostEvent = Exclude<HostToWebview, { type: 'response' }>;

interface Pending {
  method: PreviewMethodName;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

export class HostRpc {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly api: VsCodeApi) {}

  /** Receive the host's messages (`message` events on the window): answers settle requests, the rest go to `onEvent`. */
  listen(target: Window, onEvent: (event: HostEvent) => void): void {
    target.addEventListener('message', (ev: MessageEvent) => {
      const m: unknown = ev.data;
      if (!isHostToWebview(m)) return; // not ours, or malformed: ignored
      if (m.type === 'response') this.settle(m);
      else onEvent(m);
    });
  }

  post(m: WebviewToHost): void {
    this.api.postMessage(m);
  }

  /** Ask the language server; the promise fails with the server's error or when the answer is malformed. */
  request<M extends PreviewMethodName>(
    method: M,
    params: PreviewRequests[M]['params'],
  ): Promise<PreviewRequests[M]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { method, resolve: resolve as (r: unknown) => void, reject });
      this.post({ type: 'request', id, method, params });
    });
  }

  /** Ask the editor to show a place in a manifest. */
  reveal(location: Location): void {
    this.post({ type: 'reveal', location });
  }

  private settle(m: Extract<HostToWebview, { type: 'response' }>): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.error !== undefined) return p.reject(new Error(m.error));
    const bad = resultError(p.method, m.result);
    if (bad) return p.reject(new Error(`unexpected answer from the language server: ${bad}`));
    p.resolve(m.result);
  }
}
