// The routing preview webview: draws what the language server computed (route graph, URL test,
// reachability matrix) as SVG and DOM. Every string from a manifest goes in through textContent or an
// attribute set with setAttribute; nothing is parsed as HTML.

import dagre from '@dagrejs/dagre';
import type { Graph as LayoutGraph } from '@dagrejs/dagre';
import './style.css';
import { PreviewMethod, isHostToWebview, resultError } from '../../../server/src/protocol/preview';
import { escapeMarkdown } from '../../../server/src/protocol/escape';
import type {
  ExplainCellResult,
  GraphEdge,
  GraphNode,
  HostToWebview,
  Location,
  PreviewMethodName,
  PreviewRequests,
  PreviewViewState,
  Problem,
  Protocol,
  ReachMatrixResult,
  RouteGraph,
  Scope,
  TestUrlResult,
  WebviewToHost,
} from '../../../server/src/protocol/preview';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const SVG = 'http://www.w3.org/2000/svg';

function post(m: WebviewToHost): void {
  vscode.postMessage(m);
}

// ---------------------------------------------------------------------------------------------------
// State

const initial = vscode.getState() as Partial<PreviewViewState> | undefined;
const state: PreviewViewState = {
  view: initial?.view === 'reach' ? 'reach' : 'routes',
  scope: initial?.scope === 'workspace' ? 'workspace' : 'file',
  uri: typeof initial?.uri === 'string' ? initial.uri : undefined,
  zoom: typeof initial?.zoom === 'number' && initial.zoom > 0 ? initial.zoom : 1,
  panX: typeof initial?.panX === 'number' ? initial.panX : 0,
  panY: typeof initial?.panY === 'number' ? initial.panY : 0,
  selected: typeof initial?.selected === 'string' ? initial.selected : undefined,
  filters: { namespace: '', host: '', ingressClass: '', ...(initial?.filters ?? {}) },
  url: typeof initial?.url === 'string' ? initial.url : '',
  port: typeof initial?.port === 'string' ? initial.port : '80',
  protocol: initial?.protocol === 'UDP' || initial?.protocol === 'SCTP' ? initial.protocol : 'TCP',
  matrixNamespace: typeof initial?.matrixNamespace === 'string' ? initial.matrixNamespace : '',
};
let saveTimer: ReturnType<typeof setTimeout> | undefined;
function saveState(): void {
  vscode.setState(state);
  if (saveTimer) clearTimeout(saveTimer);
  saveTimer = setTimeout(() => post({ type: 'state', state }), 300);
}

let graph: RouteGraph | undefined;
let urlResult: TestUrlResult | undefined;
let matrix: ReachMatrixResult | undefined;
let title = '';
let generation = 0;
let refreshStarted = 0;

// ---------------------------------------------------------------------------------------------------
// Requests to the language server (through the extension)

let nextId = 1;
const pending = new Map<number, { method: PreviewMethodName; resolve: (r: unknown) => void; reject: (e: Error) => void }>();

function request<M extends PreviewMethodName>(method: M, params: PreviewRequests[M]['params']): Promise<PreviewRequests[M]['result']> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { method, resolve: resolve as (r: unknown) => void, reject });
    post({ type: 'request', id, method, params });
  });
}

window.addEventListener('message', (ev: MessageEvent) => {
  const m: unknown = ev.data;
  if (!isHostToWebview(m)) return; // not ours, or malformed: ignored
  handle(m);
});

function handle(m: HostToWebview): void {
  if (m.type === 'response') {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error !== undefined) return p.reject(new Error(m.error));
    const bad = resultError(p.method, m.result);
    if (bad) return p.reject(new Error(`unexpected answer from the language server: ${bad}`));
    p.resolve(m.result);
    return;
  }
  title = m.title;
  refreshStarted = performance.now();
  if (m.type === 'init') {
    state.view = m.view;
    state.scope = m.scope;
  }
  state.uri = m.uri ?? state.uri;
  saveState();
  void refresh();
}

// ---------------------------------------------------------------------------------------------------
// DOM helpers

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

function svgEl(tag: string, attrs: Record<string, string | number> = {}): SVGElement {
  const e = document.createElementNS(SVG, tag) as SVGElement;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

/** A codicon (VS Code's icon font, dist/codicon.css); decorative, so hidden from screen readers. */
function icon(name: string): HTMLElement {
  return el('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

/** The codicon of each node kind, used in the details panel and the legend. */
const KIND_ICON: Record<GraphNode['kind'], string> = {
  host: 'globe',
  entry: 'radio-tower',
  path: 'link',
  default: 'link',
  service: 'server',
  missing: 'error',
  workload: 'package',
};

function select(id: string, label: string, options: string[], value: string, allLabel: string, onChange: (v: string) => void): HTMLElement {
  const s = el('select', { id, 'aria-label': label });
  s.append(el('option', { value: '' }, allLabel));
  for (const o of options) s.append(el('option', { value: o }, o));
  s.value = options.includes(value) ? value : '';
  s.addEventListener('change', () => onChange(s.value));
  return el('label', { class: 'field' }, el('span', {}, label), s);
}

function linkButton(text: string, location: Location | undefined, cls = 'link'): HTMLElement {
  if (!location) return el('span', {}, text);
  const b = el('button', { class: cls, type: 'button', title: 'Show in the editor' }, text);
  b.addEventListener('click', () => post({ type: 'reveal', location }));
  return b;
}

function problemList(problems: Problem[]): HTMLElement {
  const ul = el('ul', { class: 'problems' });
  for (const p of problems) {
    const li = el('li', { class: `problem ${p.severity}` }, el('span', { class: 'sev' }, icon(p.severity === 'error' ? 'error' : p.severity === 'warning' ? 'warning' : 'info')), p.message);
    if (p.code) li.append(' ', el('span', { class: 'code' }, `(${p.code})`));
    if (p.location) li.append(' ', linkButton('show', p.location));
    ul.append(li);
  }
  return ul;
}

// ---------------------------------------------------------------------------------------------------
// Skeleton

const app = document.getElementById('app')!;
const toolbar = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Preview controls' });
const statusLine = el('div', { class: 'status', role: 'status', 'aria-live': 'polite', id: 'status' });
const main = el('div', { class: 'main' });
const details = el('aside', { class: 'details', id: 'details', 'aria-label': 'Details' });
app.append(toolbar, statusLine, main);

function setStatus(text: string, kind: 'info' | 'ok' | 'bad' = 'info'): void {
  statusLine.textContent = text;
  statusLine.title = text; // one line (no layout shift); the whole text on hover and in the side panel
  statusLine.className = `status ${kind}`;
}

async function refresh(): Promise<void> {
  const gen = ++generation;
  try {
    if (state.view === 'routes') {
      const g = await request(PreviewMethod.routeGraph, { scope: state.scope, ...(state.uri ? { uri: state.uri } : {}) });
      if (gen !== generation) return;
      graph = g;
      urlResult = state.url ? await request(PreviewMethod.testUrl, { url: state.url, ...(state.filters.ingressClass ? { ingressClass: state.filters.ingressClass } : {}) }) : undefined;
      if (gen !== generation) return;
      renderRoutes();
    } else {
      await loadMatrix(gen);
    }
  } catch (e) {
    if (gen === generation) setStatus((e as Error).message, 'bad');
  }
}

function renderToolbar(): void {
  toolbar.replaceChildren();
  const tab = (view: 'routes' | 'reach', text: string) => {
    const b = el('button', { type: 'button', class: 'tab', 'aria-pressed': String(state.view === view), id: `tab-${view}` }, icon(view === 'routes' ? 'type-hierarchy' : 'shield'), text);
    b.addEventListener('click', () => {
      if (state.view === view) return;
      state.view = view;
      saveState();
      void refresh();
    });
    return b;
  };
  const scope = el('select', { id: 'scope', 'aria-label': 'Scope' });
  scope.append(el('option', { value: 'file' }, 'This file'), el('option', { value: 'workspace' }, 'Whole workspace'));
  scope.value = state.scope;
  scope.addEventListener('change', () => {
    state.scope = scope.value as Scope;
    saveState();
    void refresh();
  });
  toolbar.append(tab('routes', 'Routes'), tab('reach', 'Reachability'), el('label', { class: 'field' }, el('span', {}, 'Scope'), scope), el('span', { class: 'title' }, title));
}

// ---------------------------------------------------------------------------------------------------
// Route graph

const NODE_W = { min: 120, max: 300 };
const LINE_H = 16;
const CHAR_W = 7;

interface Laid {
  node: GraphNode;
  x: number;
  y: number;
  w: number;
  h: number;
  lines: string[];
}

function nodeLines(n: GraphNode): string[] {
  const head = n.tls?.state === 'warning' ? `⚠ ${n.label}` : n.label;
  return [head, ...n.details];
}

const ICON_W = 16;

/** A padlock drawn in SVG (fonts in a webview may lack the emoji). */
function lockIcon(state: 'secure' | 'warning'): SVGElement {
  const g = svgEl('g', { class: `tls-icon ${state}`, transform: 'translate(9 6)', 'aria-hidden': 'true' });
  g.append(svgEl('path', { d: 'M 3 7 V 4.5 a 3.5 3.5 0 0 1 7 0 V 7', class: 'shackle' }), svgEl('rect', { x: 1, y: 7, width: 11, height: 8, rx: 1.5, class: 'body' }));
  return g;
}

function truncate(s: string, chars: number): string {
  return s.length > chars ? s.slice(0, chars - 1) + '…' : s;
}

function visibleGraph(g: RouteGraph): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const f = state.filters;
  const passes = (n: GraphNode) =>
    (!f.namespace || n.namespace === f.namespace) && (!f.host || n.hosts.includes(f.host)) && (!f.ingressClass || n.classes.includes(f.ingressClass));
  const keep = new Set<string>();
  for (const n of g.nodes) if (n.kind !== 'host' && passes(n)) keep.add(n.id);
  // Host nodes have no namespace of their own: they show when one of their routes does.
  for (const n of g.nodes) {
    if (n.kind !== 'host') continue;
    const hostOk = (!f.host || n.hosts.includes(f.host)) && (!f.ingressClass || n.classes.includes(f.ingressClass));
    if (hostOk && (!f.namespace || g.edges.some((e) => e.from === n.id && keep.has(e.to)))) keep.add(n.id);
  }
  return { nodes: g.nodes.filter((n) => keep.has(n.id)), edges: g.edges.filter((e) => keep.has(e.from) && keep.has(e.to)) };
}

let svgRoot: SVGSVGElement | undefined;
let layoutCache: { key: string; lay: LayoutGraph } | undefined;
let viewport: SVGGElement | undefined;

function applyTransform(): void {
  viewport?.setAttribute('transform', `translate(${state.panX} ${state.panY}) scale(${state.zoom})`);
}

function renderRoutes(): void {
  const started = performance.now();
  renderToolbar();
  const g = graph!;
  const filters = el('div', { class: 'filters', role: 'group', 'aria-label': 'Filters' }, icon('filter'));
  const setFilter = (k: keyof PreviewViewState['filters']) => (v: string) => {
    state.filters[k] = v;
    saveState();
    void refresh();
  };
  filters.append(
    select('filter-namespace', 'Namespace', g.namespaces, state.filters.namespace, 'all', setFilter('namespace')),
    select('filter-host', 'Host', g.hosts, state.filters.host, 'all', setFilter('host')),
    select('filter-class', 'IngressClass', g.ingressClasses, state.filters.ingressClass, 'all', setFilter('ingressClass')),
  );
  const form = el('form', { class: 'url-tester', role: 'search' });
  const input = el('input', { id: 'url', type: 'text', placeholder: 'https://host/path', 'aria-label': 'URL to test', spellcheck: 'false' });
  input.value = state.url;
  form.append(el('label', { class: 'field' }, el('span', {}, 'Test URL'), input), el('button', { type: 'submit', id: 'test-url' }, icon('play'), 'Test'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    state.url = input.value.trim();
    saveState();
    void refresh();
  });
  const exportBtn = el('button', { type: 'button', id: 'export-svg', title: 'Save the route graph as an SVG file' }, icon('export'), 'Export SVG');
  exportBtn.addEventListener('click', () => post({ type: 'export', format: 'svg', content: exportSvg() }));
  const zoomIn = el('button', { type: 'button', 'aria-label': 'Zoom in', title: 'Zoom in', id: 'zoom-in', class: 'icon-button' }, icon('zoom-in'));
  const zoomOut = el('button', { type: 'button', 'aria-label': 'Zoom out', title: 'Zoom out', id: 'zoom-out', class: 'icon-button' }, icon('zoom-out'));
  const zoomReset = el('button', { type: 'button', 'aria-label': 'Reset zoom', title: 'Reset zoom', id: 'zoom-reset' }, '1:1');
  const zoomFit = el('button', { type: 'button', 'aria-label': 'Fit the graph into the view', title: 'Fit the graph into the view', id: 'zoom-fit', class: 'icon-button' }, icon('screen-full'));
  zoomFit.addEventListener('click', () => {
    const c = document.getElementById('canvas');
    if (c) fit(c);
  });
  zoomIn.addEventListener('click', () => zoomBy(1.2));
  zoomOut.addEventListener('click', () => zoomBy(1 / 1.2));
  zoomReset.addEventListener('click', () => {
    state.zoom = 1;
    state.panX = 0;
    state.panY = 0;
    applyTransform();
    saveState();
  });
  toolbar.append(filters, form, el('span', { class: 'group' }, zoomOut, zoomReset, zoomFit, zoomIn, exportBtn));

  const { nodes, edges } = visibleGraph(g);
  const laid = new Map<string, Laid>();
  for (const n of nodes) {
    const lines = nodeLines(n);
    const longest = Math.max(...lines.map((l) => l.length));
    const extra = (n.tls ? ICON_W : 0) + (n.problems.length ? 28 : 0);
    const w = Math.min(NODE_W.max + extra, Math.max(NODE_W.min, longest * CHAR_W + 24 + extra));
    const h = lines.length * LINE_H + 14;
    laid.set(n.id, { node: n, x: 0, y: 0, w, h, lines });
  }
  const edgeLabelWidth = (e: GraphEdge) => (e.label ? Math.min(160, e.label.length * 6.5) : 0);
  // While typing, most edits keep the graph's shape: the previous layout is kept, so nothing moves.
  const key = JSON.stringify([[...laid.values()].map((l) => [l.node.id, l.w, l.h]), edges.map((e) => [e.from, e.to, edgeLabelWidth(e)])]);
  let lay: LayoutGraph;
  const layoutStart = performance.now();
  if (layoutCache?.key === key) lay = layoutCache.lay;
  else {
    lay = new dagre.graphlib.Graph({ multigraph: false });
    lay.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 70, marginx: 16, marginy: 16, ranker: 'longest-path' });
    lay.setDefaultEdgeLabel(() => ({}));
    for (const l of laid.values()) lay.setNode(l.node.id, { width: l.w, height: l.h });
    for (const e of edges) lay.setEdge(e.from, e.to, { width: edgeLabelWidth(e), height: e.label ? 14 : 0, labelpos: 'c' });
    dagre.layout(lay);
    layoutCache = { key, lay };
  }
  document.body.dataset.layoutMs = (performance.now() - layoutStart).toFixed(1);
  const gl = lay.graph() as { width?: number; height?: number };

  const svg = svgEl('svg', { id: 'graph', role: 'group', 'aria-label': `Route graph: ${nodes.length} nodes, ${edges.length} edges`, width: '100%', height: '100%' }) as SVGSVGElement;
  graphSize = { width: gl.width ?? 0, height: gl.height ?? 0 };
  const vp = svgEl('g', { class: 'viewport' }) as SVGGElement;
  svg.append(vp);
  const defs = svgEl('defs');
  const marker = svgEl('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' });
  marker.append(svgEl('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrowhead' }));
  defs.append(marker);
  vp.append(defs);

  const hlNodes = new Set(urlResult?.highlight.nodes ?? []);
  const hlEdges = new Set(urlResult?.highlight.edges ?? []);
  const nearest = urlResult?.nearest?.node;
  const edgeLayer = svgEl('g', { class: 'edges' });
  const nodeLayer = svgEl('g', { class: 'nodes' });
  vp.append(edgeLayer, nodeLayer);

  for (const e of edges) {
    const le = lay.edge(e.from, e.to) as { points: { x: number; y: number }[]; x?: number; y?: number } | undefined;
    if (!le) continue;
    const cls = ['edge', worst(e.problems), hlEdges.has(e.id) ? 'hl' : ''].filter(Boolean).join(' ');
    const ge = svgEl('g', { class: cls, 'data-id': e.id, 'data-from': e.from, 'data-to': e.to });
    const d = le.points.map((p, i) => `${i ? 'L' : 'M'} ${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(' ');
    ge.append(svgEl('path', { d, 'marker-end': 'url(#arrow)' }));
    const tip = [e.label ?? '', ...e.problems.map((p) => p.message)].filter(Boolean).join('\n');
    if (tip) {
      const t = svgEl('title');
      t.textContent = tip;
      ge.append(t);
    }
    if (e.label || e.problems.length) {
      const mid = le.points[Math.floor(le.points.length / 2)];
      const label = svgEl('text', { x: (le.x ?? mid.x).toFixed(1), y: ((le.y ?? mid.y) + 4).toFixed(1), class: 'edge-label', 'text-anchor': 'middle' });
      label.textContent = `${e.problems.length ? '⚠ ' : ''}${e.label ?? ''}`;
      ge.append(label);
    }
    edgeLayer.append(ge);
  }

  for (const l of laid.values()) {
    const p = lay.node(l.node.id) as { x: number; y: number };
    l.x = p.x - l.w / 2;
    l.y = p.y - l.h / 2;
    const n = l.node;
    const cls = ['node', `kind-${n.kind}`, worst(n.problems), n.tls ? `tls-${n.tls.state}` : '', hlNodes.has(n.id) ? 'hl' : '', nearest === n.id ? 'nearest' : '', state.selected === n.id ? 'selected' : '']
      .filter(Boolean)
      .join(' ');
    const gn = svgEl('g', { class: cls, 'data-id': n.id, tabindex: 0, role: 'button', transform: `translate(${l.x.toFixed(1)} ${l.y.toFixed(1)})` });
    gn.setAttribute('aria-label', `${n.kind} ${l.lines.join(', ')}${n.problems.length ? `, ${n.problems.length} problem${n.problems.length > 1 ? 's' : ''}` : ''}`);
    gn.append(svgEl('rect', { width: l.w, height: l.h, rx: 5, ry: 5 }));
    if (n.tls) gn.append(lockIcon(n.tls.state));
    const indent = n.tls ? ICON_W : 0;
    const room = l.w - 20 - indent - (n.problems.length ? 28 : 0);
    l.lines.forEach((line, i) => {
      const t = svgEl('text', { x: 10 + (i === 0 ? indent : 0), y: 18 + i * LINE_H, class: i === 0 ? 'label' : 'detail' });
      t.textContent = truncate(line, Math.floor((i === 0 ? room : l.w - 20) / (i === 0 ? CHAR_W : 6.2)));
      gn.append(t);
    });
    if (n.problems.length) {
      const badge = svgEl('text', { x: l.w - 8, y: 16, class: 'badge', 'text-anchor': 'end' });
      badge.textContent = `${worst(n.problems) === 'error' ? '✖' : '⚠'}${n.problems.length}`;
      gn.append(badge);
    }
    const tip = svgEl('title');
    tip.textContent = [...l.lines, ...(n.tls ? [n.tls.message] : []), ...n.problems.map((p) => `${p.severity}: ${p.message}`)].join('\n');
    gn.append(tip);
    gn.addEventListener('click', () => selectNode(n, true));
    gn.addEventListener('keydown', (ev) => {
      const ke = ev as KeyboardEvent;
      if (ke.key === 'Enter' || ke.key === ' ') {
        ke.preventDefault();
        selectNode(n, true);
      } else if (ke.key.startsWith('Arrow')) {
        ke.preventDefault();
        moveFocus(n, ke.key, edges);
      }
    });
    nodeLayer.append(gn);
  }

  svgRoot = svg as SVGSVGElement;
  viewport = vp;
  applyTransform();
  const canvas = el('div', { class: 'canvas', id: 'canvas' });
  canvas.append(svg);
  wirePanZoom(canvas);
  main.replaceChildren(canvas, details);
  if (!fitted && !restored) fit(canvas);
  fitted = true;
  if (!nodes.length) canvas.append(el('p', { class: 'empty' }, g.nodes.length ? 'No route passes the filters.' : 'No Ingress, entry Service or route in scope. Open a file with an Ingress or Service, or choose "Whole workspace".'));
  renderDetails();
  const ms = performance.now() - started;
  document.body.dataset.renderMs = ms.toFixed(1);
  // from the host's message to the drawn graph (request round trip included)
  document.body.dataset.refreshMs = (performance.now() - refreshStarted).toFixed(1);
  document.body.dataset.rendered = String(generation);
  if (urlResult) setStatus(urlResult.summary, urlResult.matched ? 'ok' : 'bad');
  else setStatus(`${nodes.length} nodes, ${edges.length} edges. Click a node to show its YAML; type a URL to see the route it takes.`);
}

function worst(problems: Problem[]): string {
  if (problems.some((p) => p.severity === 'error')) return 'error';
  if (problems.some((p) => p.severity === 'warning')) return 'warning';
  return '';
}

function moveFocus(from: GraphNode, key: string, edges: GraphEdge[]): void {
  const ids = key === 'ArrowRight' ? edges.filter((e) => e.from === from.id).map((e) => e.to) : key === 'ArrowLeft' ? edges.filter((e) => e.to === from.id).map((e) => e.from) : [];
  let target: string | undefined = ids[0];
  if (key === 'ArrowDown' || key === 'ArrowUp') {
    const all = Array.from(document.querySelectorAll<SVGGElement>('g.node'));
    const i = all.findIndex((x) => x.dataset.id === from.id);
    target = all[i + (key === 'ArrowDown' ? 1 : -1)]?.dataset.id;
  }
  if (target) document.querySelector<SVGGElement>(`g.node[data-id="${CSS.escape(target)}"]`)?.focus();
}

function selectNode(n: GraphNode, reveal: boolean): void {
  state.selected = n.id;
  saveState();
  for (const x of Array.from(document.querySelectorAll('g.node.selected'))) x.classList.remove('selected');
  document.querySelector(`g.node[data-id="${CSS.escape(n.id)}"]`)?.classList.add('selected');
  renderDetails();
  if (reveal && n.location) post({ type: 'reveal', location: n.location });
}

/** What the shapes and colours of the graph mean. */
function legend(): HTMLElement {
  const sec = el('section', { class: 'legend', id: 'legend', 'aria-label': 'Legend' }, el('h2', {}, 'Legend'));
  const ul = el('ul');
  const kinds: [GraphNode['kind'], string][] = [
    ['host', 'Host (entry point of an Ingress)'],
    ['entry', 'NodePort, LoadBalancer or externalIPs Service'],
    ['path', 'Path with its pathType, or default backend'],
    ['service', 'Service and port'],
    ['workload', 'Workload with replicas and container ports'],
    ['missing', 'Referenced but not defined'],
  ];
  for (const [kind, text] of kinds) ul.append(el('li', { class: `kind-${kind}` }, el('span', { class: 'swatch', 'aria-hidden': 'true' }), icon(KIND_ICON[kind]), text));
  ul.append(
    el('li', { class: 'tls secure' }, icon('lock'), 'TLS covers the host'),
    el('li', { class: 'tls warning' }, icon('warning'), 'TLS Secret missing, wrong type, or a certificate finding'),
    el('li', { class: 'problem error' }, el('span', { class: 'sev' }, icon('error')), 'A problem from the language server (hover the node)'),
  );
  sec.append(ul);
  return sec;
}

function renderDetails(): void {
  details.replaceChildren();
  if (urlResult) {
    const r = urlResult;
    const box = el('section', { class: `url-result ${r.matched ? 'ok' : 'bad'}`, id: 'url-result' });
    const kind = r.matchKind === 'exact' ? 'Exact match' : r.matchKind === 'prefix' ? 'Longest Prefix match' : r.matchKind === 'regex' ? 'Regular expression match' : r.matchKind === 'default-backend' ? 'Default backend' : 'No match';
    box.append(el('h2', {}, icon(r.matched ? 'pass' : 'error'), kind), el('p', { id: 'url-summary' }, r.summary));
    if (r.location) box.append(linkButton('Show the matching rule', r.location));
    if (r.nearest) box.append(el('p', {}, 'Nearest rule: ', linkButton(`${r.nearest.host ?? '(any host)'} ${r.nearest.pathType ?? ''} ${r.nearest.path ?? ''}`.trim(), r.nearest.location)));
    if (r.problems.length) box.append(problemList(r.problems));
    for (const note of r.notes) box.append(el('p', { class: 'note' }, note));
    details.append(box);
  }
  const n = graph?.nodes.find((x) => x.id === state.selected);
  if (!n) {
    if (!urlResult) details.append(el('p', { class: 'hint' }, 'Select a node (click, or Tab and Enter) to see its details.'));
    details.append(legend());
    return;
  }
  const sec = el('section', { id: 'node-details' });
  sec.append(el('h2', {}, icon(KIND_ICON[n.kind] ?? 'circle'), n.label), el('p', { class: 'kind' }, n.kind));
  const ul = el('ul');
  for (const d of n.details) ul.append(el('li', {}, d));
  sec.append(ul);
  if (n.tls) sec.append(el('p', { class: `tls ${n.tls.state}` }, icon(n.tls.state === 'secure' ? 'lock' : 'warning'), `TLS: ${n.tls.message}`));
  if (n.location) sec.append(linkButton('Show in the editor', n.location));
  if (n.problems.length) sec.append(problemList(n.problems));
  const edgeProblems = (graph?.edges ?? []).filter((e) => (e.from === n.id || e.to === n.id) && e.problems.length);
  for (const e of edgeProblems) sec.append(el('h3', {}, `${e.from === n.id ? '→' : '←'} ${e.label ?? ''}`), problemList(e.problems));
  details.append(sec);
}

let graphSize = { width: 0, height: 0 };
let fitted = false;
/** Whether the view came back from saved state (then its zoom and pan are kept). */
const restored = initial !== undefined;

function fit(canvas: HTMLElement): void {
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  if (!graphSize.width || !w || !h) return;
  // Readable first: never below 60 % (a big graph is then panned with the wheel or by dragging).
  state.zoom = Math.max(0.6, Math.min(1, w / graphSize.width, h / graphSize.height));
  state.panX = Math.max(0, (w - graphSize.width * state.zoom) / 2);
  state.panY = 0;
  applyTransform();
  saveState();
}

function zoomBy(f: number): void {
  state.zoom = Math.min(4, Math.max(0.1, state.zoom * f));
  applyTransform();
  saveState();
}

function wirePanZoom(canvas: HTMLElement): void {
  canvas.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    if (ev.ctrlKey || ev.metaKey) {
      zoomBy(ev.deltaY < 0 ? 1.1 : 1 / 1.1);
      return;
    }
    state.panX -= ev.shiftKey ? ev.deltaY : ev.deltaX;
    state.panY -= ev.shiftKey ? 0 : ev.deltaY;
    applyTransform();
    saveState();
  }, { passive: false });
  let drag: { x: number; y: number; px: number; py: number } | undefined;
  canvas.addEventListener('pointerdown', (ev) => {
    if ((ev.target as Element).closest('g.node')) return;
    drag = { x: ev.clientX, y: ev.clientY, px: state.panX, py: state.panY };
    canvas.setPointerCapture(ev.pointerId);
  });
  canvas.addEventListener('pointermove', (ev) => {
    if (!drag) return;
    state.panX = drag.px + ev.clientX - drag.x;
    state.panY = drag.py + ev.clientY - drag.y;
    applyTransform();
  });
  canvas.addEventListener('pointerup', () => {
    if (drag) saveState();
    drag = undefined;
  });
}

/** The graph as a standalone SVG: computed theme colours written onto each element. */
function exportSvg(): string {
  if (!svgRoot) return '';
  const clone = svgRoot.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', SVG);
  const src = svgRoot.querySelectorAll('*');
  const dst = clone.querySelectorAll('*');
  src.forEach((s, i) => {
    const cs = getComputedStyle(s);
    const d = dst[i] as SVGElement;
    for (const prop of ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'font-size', 'font-family', 'font-weight', 'opacity']) {
      const v = cs.getPropertyValue(prop);
      if (v) d.setAttribute(prop, v);
    }
  });
  const bg = svgEl('rect', { x: 0, y: 0, width: '100%', height: '100%', fill: getComputedStyle(document.body).backgroundColor || 'white' });
  clone.insertBefore(bg, clone.firstChild);
  clone.querySelector('g.viewport')?.removeAttribute('transform');
  return new XMLSerializer().serializeToString(clone);
}

// ---------------------------------------------------------------------------------------------------
// Reachability matrix

async function loadMatrix(gen: number): Promise<void> {
  const port: number | string = /^\d+$/.test(state.port) ? Number(state.port) : state.port;
  renderToolbar();
  renderMatrixControls();
  try {
    matrix = await request(PreviewMethod.reachMatrix, { scope: state.scope, ...(state.uri ? { uri: state.uri } : {}), port, protocol: state.protocol, ...(state.matrixNamespace ? { namespace: state.matrixNamespace } : {}) });
  } catch (e) {
    if (gen === generation) {
      main.replaceChildren(el('p', { class: 'empty' }, (e as Error).message));
      setStatus((e as Error).message, 'bad');
    }
    return;
  }
  if (gen !== generation) return;
  renderMatrixControls();
  renderMatrix();
}

function renderMatrixControls(): void {
  toolbar.querySelector('.matrix-controls')?.remove();
  const form = el('form', { class: 'matrix-controls' });
  const port = el('input', { id: 'port', type: 'text', 'aria-label': 'Port (number or name)', size: '8', spellcheck: 'false' });
  port.value = state.port;
  const proto = el('select', { id: 'protocol', 'aria-label': 'Protocol' });
  for (const p of ['TCP', 'UDP', 'SCTP']) proto.append(el('option', { value: p }, p));
  proto.value = state.protocol;
  form.append(el('label', { class: 'field' }, el('span', {}, 'Port'), port), el('label', { class: 'field' }, el('span', {}, 'Protocol'), proto));
  form.append(select('matrix-namespace', 'Namespace', matrix?.namespaces ?? [], state.matrixNamespace, 'all', (v) => {
    state.matrixNamespace = v;
    saveState();
    void refresh();
  }));
  const apply = el('button', { type: 'submit', id: 'apply-port' }, 'Apply');
  const md = el('button', { type: 'button', id: 'export-md', title: 'Save the matrix as a Markdown table' }, icon('export'), 'Export Markdown');
  md.addEventListener('click', () => post({ type: 'export', format: 'markdown', content: matrixMarkdown() }));
  form.append(apply, md);
  const submit = () => {
    state.port = port.value.trim();
    state.protocol = proto.value as Protocol;
    saveState();
    void refresh();
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submit();
  });
  proto.addEventListener('change', submit);
  toolbar.append(form);
}

function renderMatrix(): void {
  const m = matrix!;
  const table = el('table', { class: 'matrix', id: 'matrix' });
  table.append(el('caption', {}, `May the row reach the column on ${m.port}/${m.protocol}? Click a cell for the policies and rules that decide it.`));
  const head = el('tr', {}, el('th', { scope: 'col' }, 'from \\ to'));
  for (const w of m.workloads) head.append(el('th', { scope: 'col' }, linkButton(w.name, w.location)));
  table.append(el('thead', {}, head));
  const body = el('tbody');
  m.workloads.forEach((from, i) => {
    const tr = el('tr', {}, el('th', { scope: 'row' }, linkButton(from.name, from.location)));
    m.workloads.forEach((to, j) => {
      const v = m.allowed[i]?.[j];
      if (v === null || v === undefined) {
        tr.append(el('td', { class: 'self' }, '—'));
        return;
      }
      const b = el('button', { type: 'button', class: `cell ${v ? 'allow' : 'deny'}`, 'data-from': from.name, 'data-to': to.name, 'aria-label': `${from.name} to ${to.name}: ${v ? 'allowed' : 'denied'}`, title: `${from.name} → ${to.name}: ${v ? 'allowed' : 'denied'}` }, icon(v ? 'check' : 'close'));
      b.addEventListener('click', () => void explain(from.name, to.name, b));
      tr.append(el('td', {}, b));
    });
    body.append(tr);
  });
  table.append(body);
  const wrap = el('div', { class: 'matrix-wrap' }, table);
  main.replaceChildren(wrap, details);
  details.replaceChildren(el('p', { class: 'hint' }, 'Click a cell (or Tab to it and press Enter) to see why.'));
  if (!m.workloads.length) wrap.append(el('p', { class: 'empty' }, 'No Pods or workloads in scope.'));
  document.body.dataset.rendered = String(generation);
  setStatus(`${m.workloads.length} workloads, port ${m.port}/${m.protocol}: ${m.allowed.flat().filter((x) => x === true).length} allowed, ${m.allowed.flat().filter((x) => x === false).length} denied.`);
}

async function explain(from: string, to: string, cell: HTMLElement): Promise<void> {
  for (const x of Array.from(document.querySelectorAll('button.cell.selected'))) x.classList.remove('selected');
  cell.classList.add('selected');
  const m = matrix!;
  let r: ExplainCellResult;
  try {
    r = await request(PreviewMethod.explainCell, { from, to, port: m.port, protocol: m.protocol });
  } catch (e) {
    setStatus((e as Error).message, 'bad');
    return;
  }
  const sec = el('section', { id: 'explanation', class: r.allowed ? 'ok' : 'bad' });
  sec.append(el('h2', {}, icon(r.allowed ? 'pass' : 'error'), `${r.from} → ${r.to}: ${r.allowed ? 'allowed' : 'denied'}`), el('p', {}, `port ${r.port}/${r.protocol}`));
  if (r.error) sec.append(el('p', { class: 'problem error' }, r.error));
  const ul = el('ul', { class: 'reasons' });
  for (const reason of r.reasons) {
    const li = el('li', { class: `reason ${reason.side}` }, el('strong', {}, `${reason.side}: `), reason.message);
    if (reason.location) li.append(' ', linkButton(reason.rule ? `${reason.policy} ${reason.rule}` : reason.policy ?? 'show', reason.location));
    if (reason.details.length) {
      const dl = el('ul');
      for (const d of reason.details) dl.append(el('li', {}, d));
      li.append(dl);
    }
    ul.append(li);
  }
  sec.append(ul);
  if (r.policies.length) {
    const pl = el('ul', { class: 'policies', 'aria-label': 'Policies' });
    for (const p of r.policies) pl.append(el('li', {}, linkButton(`${p.name} (${p.side})`, p.location)));
    sec.append(el('h3', {}, icon('shield'), 'Policies'), pl);
  }
  details.replaceChildren(sec);
}

function matrixMarkdown(): string {
  const m = matrix;
  if (!m) return '';
  // names from manifests: never a link, an image, HTML or an extra column (shared with the CLI)
  const esc = escapeMarkdown;
  const lines = [`Reachability on ${m.port}/${m.protocol}${m.namespace ? ` in namespace ${esc(m.namespace)}` : ''} (row → column):`, ''];
  lines.push(`| from \\ to | ${m.workloads.map((w) => esc(w.name)).join(' | ')} |`);
  lines.push(`|---|${m.workloads.map(() => ':-:').join('|')}|`);
  m.workloads.forEach((w, i) => lines.push(`| ${esc(w.name)} | ${m.workloads.map((_, j) => (m.allowed[i][j] === null ? '—' : m.allowed[i][j] ? '✅ allow' : '❌ deny')).join(' | ')} |`));
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------------

renderToolbar();
setStatus('Waiting for the language server…');
post({ type: 'ready' });
