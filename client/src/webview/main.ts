// The routing preview webview: draws what the language server computed (route graph, URL test,
// reachability matrix) as SVG and DOM. This entry point builds the page, holds the one state object and
// dispatches to the views: rpc.ts (messages with the host), state.ts, graph-*.ts, matrix-view.ts, dom.ts.
// Every string from a manifest goes in through a text node or setAttribute (dom.ts); nothing is parsed as
// HTML, and hidden characters in names are drawn as visible marks.

import './style.css';
import { PreviewMethod } from '../../../server/src/protocol/preview';
import type { Scope } from '../../../server/src/protocol/preview';
import { el, icon, visibleText } from './dom';
import { renderRoutes } from './graph-view';
import { loadMatrix } from './matrix-view';
import { HostRpc } from './rpc';
import type { HostEvent, VsCodeApi } from './rpc';
import { createState, stateSaver } from './state';
import { clearToolbarMenu, watchToolbar } from './toolbar';
import type { Preview, Shell } from './state';
import { showHiddenCharacters } from '../../../server/src/protocol/escape';

declare function acquireVsCodeApi(): VsCodeApi;

function createShell(app: HTMLElement): Shell {
  const toolbar = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Preview controls' });
  const statusLine = el('div', { class: 'status', role: 'status', 'aria-live': 'polite', id: 'status' });
  const main = el('div', { class: 'main' });
  // the details pane: a title bar with a fold button (beside a wide graph it folds to a thin strip, under a
  // narrow one to its title line), then the body the views fill
  const detailsBody = el('div', { class: 'details-body', id: 'details-body' });
  const toggle = el(
    'button',
    { type: 'button', class: 'details-toggle', id: 'details-toggle', 'aria-controls': 'details-body' },
    icon('chevron-right'),
    el('span', { class: 'details-title' }, 'Details'),
  );
  const details = el(
    'aside',
    { class: 'details', id: 'details', 'aria-label': 'Details' },
    el('div', { class: 'details-bar' }, toggle),
    detailsBody,
  );
  app.append(toolbar, statusLine, main);
  const shell: Shell = {
    toolbar,
    main,
    details,
    detailsBody,
    setDetailsCollapsed(collapsed) {
      details.classList.toggle('collapsed', collapsed);
      detailsBody.hidden = collapsed;
      toggle.setAttribute('aria-expanded', String(!collapsed));
      toggle.title = collapsed ? 'Show the details pane' : 'Hide the details pane';
    },
    setStatus(text, kind = 'info') {
      // the text in the theme's text colour (wrapped, never cut); a found route or an error shows by its icon
      const sign = kind === 'ok' ? [icon('pass')] : kind === 'bad' ? [icon('error')] : [];
      statusLine.replaceChildren(...sign, ...visibleText(text));
      statusLine.title = showHiddenCharacters(text);
      statusLine.className = `status ${kind}`;
    },
  };
  watchToolbar(shell);
  return shell;
}

/** Tabs, scope and the file's name; the current view appends its own controls after them. */
function renderToolbar(p: Preview): void {
  const { state, shell } = p;
  shell.toolbar.replaceChildren();
  clearToolbarMenu(shell);
  const tab = (view: 'routes' | 'reach', text: string) => {
    const b = el(
      'button',
      { type: 'button', class: 'tab', 'aria-pressed': String(state.saved.view === view), id: `tab-${view}` },
      icon(view === 'routes' ? 'type-hierarchy' : 'shield'),
      text,
    );
    b.addEventListener('click', () => {
      if (state.saved.view === view) return;
      state.saved.view = view;
      p.save();
      p.refresh();
    });
    return b;
  };
  const scope = el('select', { id: 'scope', 'aria-label': 'Scope' });
  scope.append(
    el('option', { value: 'file' }, 'This file'),
    el('option', { value: 'workspace' }, 'Whole workspace'),
  );
  scope.value = state.saved.scope;
  scope.addEventListener('change', () => {
    state.saved.scope = scope.value as Scope;
    p.save();
    p.refresh();
  });
  const tabs = el('span', { class: 'group tabs' }, tab('routes', 'Routes'), tab('reach', 'Reachability'));
  shell.toolbar.append(
    tabs,
    el('label', { class: 'field', 'data-overflow': '7' }, el('span', {}, 'Scope'), scope),
    el('span', { class: 'title', 'data-overflow': '9', title: state.title }, state.title),
  );
}

/** Ask the server for what the current view shows and draw it; an answer to an older refresh is dropped. */
async function refresh(p: Preview): Promise<void> {
  const { state, rpc } = p;
  const gen = ++state.generation;
  const s = state.saved;
  try {
    if (s.view === 'routes') {
      const g = await rpc.request(PreviewMethod.routeGraph, {
        scope: s.scope,
        ...(s.uri ? { uri: s.uri } : {}),
      });
      if (gen !== state.generation) return;
      state.graph = g;
      const gateway = s.gateway && g.gateways?.includes(s.gateway) ? s.gateway : undefined;
      const viaGateway = gateway
        ? {
            gateway,
            ...(s.method ? { method: s.method } : {}),
            headers: (s.headers ?? '')
              .split(/[;\n]/)
              .map((h) => h.trim())
              .filter(Boolean),
          }
        : {};
      state.urlResult = s.url
        ? await rpc.request(PreviewMethod.testUrl, {
            url: s.url,
            ...(s.filters.ingressClass && !gateway ? { ingressClass: s.filters.ingressClass } : {}),
            ...viaGateway,
          })
        : undefined;
      if (gen !== state.generation) return;
      renderRoutes(p);
    } else {
      await loadMatrix(p, gen);
    }
  } catch (e) {
    if (gen === state.generation) p.shell.setStatus((e as Error).message, 'bad');
  }
}

/** The host opened a view (init) or something changed in the editor (refresh). */
function onHostEvent(p: Preview, m: HostEvent): void {
  const { state } = p;
  state.title = m.title;
  state.refreshStarted = performance.now();
  if (m.type === 'init') {
    state.saved.view = m.view;
    state.saved.scope = m.scope;
  }
  state.saved.uri = m.uri ?? state.saved.uri;
  p.save();
  p.refresh();
}

function start(): void {
  const api = acquireVsCodeApi();
  const state = createState(api.getState());
  const rpc = new HostRpc(api);
  const shell = createShell(document.getElementById('app')!);
  const save = stateSaver(state, api, rpc);
  const p: Preview = {
    state,
    rpc,
    shell,
    save,
    refresh: () => void refresh(p),
    renderToolbar: () => renderToolbar(p),
    reveal: (location) => rpc.reveal(location),
  };
  shell.setDetailsCollapsed(state.saved.detailsCollapsed === true);
  shell.details.querySelector('#details-toggle')!.addEventListener('click', () => {
    const collapsed = state.saved.detailsCollapsed !== true;
    if (collapsed) state.saved.detailsCollapsed = true;
    else delete state.saved.detailsCollapsed;
    shell.setDetailsCollapsed(collapsed);
    p.save();
  });
  rpc.listen(window, (m) => onHostEvent(p, m));
  p.renderToolbar();
  shell.setStatus('Waiting for the language server…');
  rpc.post({ type: 'ready' });
}

start();
