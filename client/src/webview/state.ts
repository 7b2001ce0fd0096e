// Everything the preview remembers, in one object: what is saved across reloads (PreviewViewState, also
// sent to the host so the panel serializer can restore the panel), the server's last answers, and what the
// graph view has drawn. The views read and change it through a Preview context; nothing else is global.

import type { GraphLayout, TextWidth } from './graph-layout';
import type {
  Location,
  PreviewViewState,
  ReachMatrixResult,
  RouteGraph,
  TestUrlResult,
} from '../../../server/src/protocol/preview';
import type { HostRpc, VsCodeApi } from './rpc';

/** What the graph view drew last, for zoom, pan, fit and export. */
export interface DrawnGraph {
  svg?: SVGSVGElement;
  viewport?: SVGGElement;
  /** The last layouts and the shape they were computed for: kept while an edit leaves the shape alone. */
  layout?: { key: string; columns?: GraphLayout; outline?: GraphLayout };
  /** Which layout is drawn, and the canvas width it was chosen for. */
  mode?: GraphLayout['mode'];
  laidWidth?: number;
  size: { width: number; height: number };
  /** Whether the graph was fitted into the view once already (later refreshes keep zoom and pan). */
  fitted: boolean;
  /** Fit again at the next drawing (the canvas changed width). */
  refit?: boolean;
  measure?: TextWidth;
  resizeObserver?: ResizeObserver;
}

export interface WebviewState {
  /** Saved across reloads (vscode.setState) and sent to the host. */
  saved: PreviewViewState;
  /** Whether `saved` came back from an earlier session: then its zoom and pan are kept. */
  restored: boolean;
  /** The file (or "workspace") the host says the preview is showing. */
  title: string;
  /** Counts refreshes: an answer to an older refresh is dropped. */
  generation: number;
  /** When the host's latest message arrived (performance.now()), to time the round trip to a drawn graph. */
  refreshStarted: number;
  graph?: RouteGraph;
  urlResult?: TestUrlResult;
  matrix?: ReachMatrixResult;
  drawn: DrawnGraph;
}

/** The page's fixed parts. */
export interface Shell {
  toolbar: HTMLElement;
  main: HTMLElement;
  /** The details pane (title bar + body); views put it beside or under their content. */
  details: HTMLElement;
  /** Where the views write the details: the URL test's verdict, the selection, the legend. */
  detailsBody: HTMLElement;
  /** Fold the details pane to its title bar, or open it again. */
  setDetailsCollapsed(collapsed: boolean): void;
  /** Whether the toolbar's More menu is open (kept while the toolbar is built again). */
  menuOpen?: boolean;
  setStatus(text: string, kind?: 'info' | 'ok' | 'bad'): void;
}

/** What a view gets: the state, the host, the page, and the two actions every control ends with. */
export interface Preview {
  state: WebviewState;
  rpc: HostRpc;
  shell: Shell;
  /** Remember the state now; tell the host shortly after (edits in a row send one message). */
  save(): void;
  /** Ask the server again and redraw the current view. */
  refresh(): void;
  /** Redraw the toolbar's common part (tabs, scope, title); the view appends its own controls. */
  renderToolbar(): void;
  reveal(location: Location): void;
}

/**
 * The saved state of an earlier session, each field checked (it may come from an older version or be
 * damaged). The webview restores itself from it, and the panel serializer reopens the panel from it.
 */
export function restoreViewState(saved: unknown): PreviewViewState {
  const s = (typeof saved === 'object' && saved !== null ? saved : {}) as Partial<PreviewViewState>;
  const f = (typeof s.filters === 'object' && s.filters !== null ? s.filters : {}) as Partial<
    PreviewViewState['filters']
  >;
  const text = (x: unknown) => (typeof x === 'string' ? x : '');
  return {
    view: s.view === 'reach' ? 'reach' : 'routes',
    scope: s.scope === 'workspace' ? 'workspace' : 'file',
    uri: typeof s.uri === 'string' ? s.uri : undefined,
    zoom: typeof s.zoom === 'number' && s.zoom > 0 ? s.zoom : 1,
    panX: typeof s.panX === 'number' ? s.panX : 0,
    panY: typeof s.panY === 'number' ? s.panY : 0,
    selected: typeof s.selected === 'string' ? s.selected : undefined,
    filters: { namespace: text(f.namespace), host: text(f.host), ingressClass: text(f.ingressClass) },
    url: typeof s.url === 'string' ? s.url : '',
    // URL tester against a Gateway (kept only when saved: older states have none)
    ...(typeof s.gateway === 'string' ? { gateway: s.gateway } : {}),
    ...(typeof s.method === 'string' ? { method: s.method } : {}),
    ...(typeof s.headers === 'string' ? { headers: s.headers } : {}),
    port: typeof s.port === 'string' ? s.port : '80',
    protocol: s.protocol === 'UDP' || s.protocol === 'SCTP' ? s.protocol : 'TCP',
    matrixNamespace: typeof s.matrixNamespace === 'string' ? s.matrixNamespace : '',
    ...(s.detailsCollapsed === true ? { detailsCollapsed: true } : {}),
  };
}

/** The state at start-up, from what VS Code kept for this webview (undefined on a first open). */
export function createState(saved: unknown): WebviewState {
  return {
    saved: restoreViewState(saved),
    restored: saved !== undefined,
    title: '',
    generation: 0,
    refreshStarted: 0,
    drawn: { size: { width: 0, height: 0 }, fitted: false },
  };
}

const TELL_HOST_AFTER_MS = 300;

/** A save(): the webview's own copy at once, the host's after a pause. */
export function stateSaver(state: WebviewState, api: VsCodeApi, rpc: HostRpc): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    api.setState(state.saved);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => rpc.post({ type: 'state', state: state.saved }), TELL_HOST_AFTER_MS);
  };
}
