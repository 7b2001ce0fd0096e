// The messages between the VS Code client and the preview's webview, with their checks, and the
// state the webview keeps across reloads. Imported through ./preview.ts.

import { isPreviewMethod } from './preview-types';
import type { Location, Position, PreviewMethodName, Protocol, Scope } from './preview-types';
import { isObject, isScope, isStr, optStr } from './preview-check';

/** State the webview keeps across reloads (vscode.setState) and the panel serializer restores. */
export interface PreviewViewState {
  view: 'routes' | 'reach';
  scope: Scope;
  uri?: string;
  zoom: number;
  panX: number;
  panY: number;
  selected?: string;
  filters: { namespace: string; host: string; ingressClass: string };
  url: string;
  /** URL tester: the Gateway to resolve against ('' = the Ingresses), the method and the headers (one "Name: value" a line). */
  gateway?: string;
  method?: string;
  headers?: string;
  port: string;
  protocol: Protocol;
  matrixNamespace: string;
  /** The details pane is folded to its title bar (the user's choice, kept across reloads). */
  detailsCollapsed?: boolean;
}

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'request'; id: number; method: PreviewMethodName; params: unknown }
  | { type: 'reveal'; location: Location }
  | { type: 'export'; format: 'svg' | 'markdown'; content: string }
  | { type: 'state'; state: PreviewViewState };

export type HostToWebview =
  | { type: 'init'; view: 'routes' | 'reach'; scope: Scope; uri?: string; title: string }
  | { type: 'refresh'; uri?: string; title: string }
  | { type: 'response'; id: number; result?: unknown; error?: string };

function isPosition(x: unknown): x is Position {
  return (
    isObject(x) &&
    Number.isInteger(x.line) &&
    Number.isInteger(x.character) &&
    (x.line as number) >= 0 &&
    (x.character as number) >= 0
  );
}

export function isLocation(x: unknown): x is Location {
  return (
    isObject(x) && isStr(x.uri) && isObject(x.range) && isPosition(x.range.start) && isPosition(x.range.end)
  );
}

export function isWebviewToHost(x: unknown): x is WebviewToHost {
  if (!isObject(x)) return false;
  switch (x.type) {
    case 'ready':
      return true;
    case 'request':
      return Number.isInteger(x.id) && isPreviewMethod(x.method);
    case 'reveal':
      return isLocation(x.location);
    case 'export':
      return (x.format === 'svg' || x.format === 'markdown') && isStr(x.content, 50_000_000);
    case 'state':
      return isObject(x.state);
  }
  return false;
}

export function isHostToWebview(x: unknown): x is HostToWebview {
  if (!isObject(x)) return false;
  switch (x.type) {
    case 'init':
      return (
        (x.view === 'routes' || x.view === 'reach') && isScope(x.scope) && optStr(x.uri) && isStr(x.title)
      );
    case 'refresh':
      return optStr(x.uri) && isStr(x.title);
    case 'response':
      return Number.isInteger(x.id) && optStr(x.error, 100000);
  }
  return false;
}
