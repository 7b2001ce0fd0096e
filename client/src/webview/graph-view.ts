// The route graph view: its toolbar (filters, URL tester, zoom, export), the layout (dagre, left to right)
// and the SVG drawing of nodes and edges, with keyboard navigation between nodes.

import dagre from '@dagrejs/dagre';
import type { Graph as LayoutGraph } from '@dagrejs/dagre';
import type { GraphEdge, GraphNode, PreviewViewState, Problem, RouteGraph } from '../../../server/src/protocol/preview';
import { el, icon, selectField, setSvgText, setSvgTitle, svgEl, truncatePieces, visibleLength } from './dom';
import { renderDetails } from './graph-details';
import { applyTransform, exportSvg, fit, resetZoom, wirePanZoom, zoomBy } from './graph-canvas';
import type { Preview } from './state';

const NODE_W = { min: 120, max: 300 };
const LINE_H = 16;
const CHAR_W = 7;
const ICON_W = 16;

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

/** A padlock drawn in SVG (fonts in a webview may lack the emoji). */
function lockIcon(state: 'secure' | 'warning'): SVGElement {
  const g = svgEl('g', { class: `tls-icon ${state}`, transform: 'translate(9 6)', 'aria-hidden': 'true' });
  g.append(svgEl('path', { d: 'M 3 7 V 4.5 a 3.5 3.5 0 0 1 7 0 V 7', class: 'shackle' }), svgEl('rect', { x: 1, y: 7, width: 11, height: 8, rx: 1.5, class: 'body' }));
  return g;
}

function worst(problems: Problem[]): string {
  if (problems.some((p) => p.severity === 'error')) return 'error';
  if (problems.some((p) => p.severity === 'warning')) return 'warning';
  return '';
}

/** The nodes and edges that pass the namespace, host and IngressClass filters. */
function visibleGraph(g: RouteGraph, f: PreviewViewState['filters']): { nodes: GraphNode[]; edges: GraphEdge[] } {
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

function renderGraphControls(p: Preview, g: RouteGraph): void {
  const { state, shell } = p;
  const saved = state.saved;
  const filters = el('div', { class: 'filters', role: 'group', 'aria-label': 'Filters' }, icon('filter'));
  const setFilter = (k: keyof PreviewViewState['filters']) => (v: string) => {
    saved.filters[k] = v;
    p.save();
    p.refresh();
  };
  filters.append(
    selectField('filter-namespace', 'Namespace', g.namespaces, saved.filters.namespace, 'all', setFilter('namespace')),
    selectField('filter-host', 'Host', g.hosts, saved.filters.host, 'all', setFilter('host')),
    selectField('filter-class', 'IngressClass', g.ingressClasses, saved.filters.ingressClass, 'all', setFilter('ingressClass')),
  );
  const form = el('form', { class: 'url-tester', role: 'search' });
  const input = el('input', { id: 'url', type: 'text', placeholder: 'https://host/path', 'aria-label': 'URL to test', spellcheck: 'false' });
  input.value = saved.url;
  form.append(el('label', { class: 'field' }, el('span', {}, 'Test URL'), input));
  // Against a Gateway, the request's method and headers take part in matching.
  const gateways = g.gateways ?? [];
  const gatewaySelect = el('select', { id: 'url-gateway', 'aria-label': 'Resolve against' });
  gatewaySelect.append(el('option', { value: '' }, 'Ingresses'));
  for (const gw of gateways) gatewaySelect.append(el('option', { value: gw }, `Gateway ${gw}`));
  gatewaySelect.value = saved.gateway && gateways.includes(saved.gateway) ? saved.gateway : '';
  const method = el('input', { id: 'url-method', type: 'text', placeholder: 'GET', 'aria-label': 'Request method', spellcheck: 'false', size: '6' });
  method.value = saved.method ?? '';
  const headers = el('input', { id: 'url-headers', type: 'text', placeholder: 'Name: value; Name2: value', 'aria-label': 'Request headers', spellcheck: 'false' });
  headers.value = saved.headers ?? '';
  if (gateways.length) form.append(el('label', { class: 'field' }, el('span', {}, 'via'), gatewaySelect), el('label', { class: 'field' }, el('span', {}, 'Method'), method), el('label', { class: 'field' }, el('span', {}, 'Headers'), headers));
  form.append(el('button', { type: 'submit', id: 'test-url' }, icon('play'), 'Test'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    saved.url = input.value.trim();
    saved.gateway = gatewaySelect.value;
    saved.method = method.value.trim();
    saved.headers = headers.value.trim();
    p.save();
    p.refresh();
  });
  const exportBtn = el('button', { type: 'button', id: 'export-svg', title: 'Save the route graph as an SVG file' }, icon('export'), 'Export SVG');
  exportBtn.addEventListener('click', () => p.rpc.post({ type: 'export', format: 'svg', content: exportSvg(state.drawn) }));
  const zoomIn = el('button', { type: 'button', 'aria-label': 'Zoom in', title: 'Zoom in', id: 'zoom-in', class: 'icon-button' }, icon('zoom-in'));
  const zoomOut = el('button', { type: 'button', 'aria-label': 'Zoom out', title: 'Zoom out', id: 'zoom-out', class: 'icon-button' }, icon('zoom-out'));
  const zoomReset = el('button', { type: 'button', 'aria-label': 'Reset zoom', title: 'Reset zoom', id: 'zoom-reset' }, '1:1');
  const zoomFit = el('button', { type: 'button', 'aria-label': 'Fit the graph into the view', title: 'Fit the graph into the view', id: 'zoom-fit', class: 'icon-button' }, icon('screen-full'));
  zoomFit.addEventListener('click', () => {
    const c = document.getElementById('canvas');
    if (c) fit(p, c);
  });
  zoomIn.addEventListener('click', () => zoomBy(p, 1.2));
  zoomOut.addEventListener('click', () => zoomBy(p, 1 / 1.2));
  zoomReset.addEventListener('click', () => resetZoom(p));
  shell.toolbar.append(filters, form, el('span', { class: 'group' }, zoomOut, zoomReset, zoomFit, zoomIn, exportBtn));
}

const edgeLabelWidth = (e: GraphEdge) => (e.label ? Math.min(160, visibleLength(e.label) * 6.5) : 0);

/** Sizes of the nodes, and their places from dagre (kept from the last time when the shape is the same). */
function layout(p: Preview, nodes: GraphNode[], edges: GraphEdge[]): { laid: Map<string, Laid>; lay: LayoutGraph } {
  const laid = new Map<string, Laid>();
  for (const n of nodes) {
    const lines = nodeLines(n);
    const longest = Math.max(...lines.map(visibleLength));
    const extra = (n.tls ? ICON_W : 0) + (n.problems.length ? 28 : 0);
    const w = Math.min(NODE_W.max + extra, Math.max(NODE_W.min, longest * CHAR_W + 24 + extra));
    const h = lines.length * LINE_H + 14;
    laid.set(n.id, { node: n, x: 0, y: 0, w, h, lines });
  }
  // While typing, most edits keep the graph's shape: the previous layout is kept, so nothing moves.
  const key = JSON.stringify([[...laid.values()].map((l) => [l.node.id, l.w, l.h]), edges.map((e) => [e.from, e.to, edgeLabelWidth(e)])]);
  const drawn = p.state.drawn;
  const layoutStart = performance.now();
  let lay: LayoutGraph;
  if (drawn.layout?.key === key) lay = drawn.layout.lay;
  else {
    lay = new dagre.graphlib.Graph({ multigraph: false });
    lay.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 70, marginx: 16, marginy: 16, ranker: 'longest-path' });
    lay.setDefaultEdgeLabel(() => ({}));
    for (const l of laid.values()) lay.setNode(l.node.id, { width: l.w, height: l.h });
    for (const e of edges) lay.setEdge(e.from, e.to, { width: edgeLabelWidth(e), height: e.label ? 14 : 0, labelpos: 'c' });
    dagre.layout(lay);
    drawn.layout = { key, lay };
  }
  document.body.dataset.layoutMs = (performance.now() - layoutStart).toFixed(1);
  return { laid, lay };
}

function drawEdge(e: GraphEdge, lay: LayoutGraph, highlighted: boolean): SVGElement | undefined {
  const le = lay.edge(e.from, e.to) as { points: { x: number; y: number }[]; x?: number; y?: number } | undefined;
  if (!le) return undefined;
  const cls = ['edge', e.refused ? 'refused' : worst(e.problems), highlighted ? 'hl' : ''].filter(Boolean).join(' ');
  const ge = svgEl('g', { class: cls, 'data-id': e.id, 'data-from': e.from, 'data-to': e.to });
  const d = le.points.map((pt, i) => `${i ? 'L' : 'M'} ${pt.x.toFixed(1)} ${pt.y.toFixed(1)}`).join(' ');
  ge.append(svgEl('path', { d, 'marker-end': 'url(#arrow)' }));
  const tip = [e.label ?? '', ...e.problems.map((pr) => pr.message)].filter(Boolean);
  if (tip.length) {
    const t = svgEl('title');
    setSvgTitle(t, tip);
    ge.append(t);
  }
  if (e.label || e.problems.length) {
    const mid = le.points[Math.floor(le.points.length / 2)];
    const label = svgEl('text', { x: (le.x ?? mid.x).toFixed(1), y: ((le.y ?? mid.y) + 4).toFixed(1), class: 'edge-label', 'text-anchor': 'middle' });
    setSvgText(label, `${e.problems.length ? '⚠ ' : ''}${e.label ?? ''}`);
    ge.append(label);
  }
  return ge;
}

function drawNode(p: Preview, l: Laid, edges: GraphEdge[]): SVGElement {
  const { urlResult, saved } = p.state;
  const n = l.node;
  const cls = ['node', `kind-${n.kind}`, worst(n.problems), n.tls ? `tls-${n.tls.state}` : '', urlResult?.highlight.nodes.includes(n.id) ? 'hl' : '', urlResult?.nearest?.node === n.id ? 'nearest' : '', saved.selected === n.id ? 'selected' : '']
    .filter(Boolean)
    .join(' ');
  const ariaLabel = `${n.kind} ${l.lines.join(', ')}${n.problems.length ? `, ${n.problems.length} problem${n.problems.length > 1 ? 's' : ''}` : ''}`;
  const gn = svgEl('g', { class: cls, 'data-id': n.id, tabindex: 0, role: 'button', transform: `translate(${l.x.toFixed(1)} ${l.y.toFixed(1)})`, 'aria-label': ariaLabel });
  gn.append(svgEl('rect', { width: l.w, height: l.h, rx: 5, ry: 5 }));
  if (n.tls) gn.append(lockIcon(n.tls.state));
  const indent = n.tls ? ICON_W : 0;
  const room = l.w - 20 - indent - (n.problems.length ? 28 : 0);
  l.lines.forEach((line, i) => {
    const t = svgEl('text', { x: 10 + (i === 0 ? indent : 0), y: 18 + i * LINE_H, class: i === 0 ? 'label' : 'detail' });
    setSvgText(t, truncatePieces(line, Math.floor((i === 0 ? room : l.w - 20) / (i === 0 ? CHAR_W : 6.2))));
    gn.append(t);
  });
  if (n.problems.length) {
    const badge = svgEl('text', { x: l.w - 8, y: 16, class: 'badge', 'text-anchor': 'end' });
    badge.textContent = `${worst(n.problems) === 'error' ? '✖' : '⚠'}${n.problems.length}`;
    gn.append(badge);
  }
  const tip = svgEl('title');
  setSvgTitle(tip, [...l.lines, ...(n.tls ? [n.tls.message] : []), ...n.problems.map((pr) => `${pr.severity}: ${pr.message}`)]);
  gn.append(tip);
  gn.addEventListener('click', () => selectNode(p, n, true));
  gn.addEventListener('keydown', (ev) => {
    const ke = ev as KeyboardEvent;
    if (ke.key === 'Enter' || ke.key === ' ') {
      ke.preventDefault();
      selectNode(p, n, true);
    } else if (ke.key.startsWith('Arrow')) {
      ke.preventDefault();
      moveFocus(n, ke.key, edges);
    }
  });
  return gn;
}

/** Draw the route graph of `p.state.graph` (with the URL test's highlight) and its details pane. */
export function renderRoutes(p: Preview): void {
  const started = performance.now();
  const { state, shell } = p;
  p.renderToolbar();
  const g = state.graph!;
  renderGraphControls(p, g);

  const { nodes, edges } = visibleGraph(g, state.saved.filters);
  const { laid, lay } = layout(p, nodes, edges);
  const gl = lay.graph() as { width?: number; height?: number };
  const svg = svgEl('svg', { id: 'graph', role: 'group', 'aria-label': `Route graph: ${nodes.length} nodes, ${edges.length} edges`, width: '100%', height: '100%' }) as SVGSVGElement;
  state.drawn.size = { width: gl.width ?? 0, height: gl.height ?? 0 };
  const vp = svgEl('g', { class: 'viewport' }) as SVGGElement;
  svg.append(vp);
  const defs = svgEl('defs');
  const marker = svgEl('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' });
  marker.append(svgEl('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrowhead' }));
  defs.append(marker);
  vp.append(defs);

  const hlEdges = new Set(state.urlResult?.highlight.edges ?? []);
  const edgeLayer = svgEl('g', { class: 'edges' });
  const nodeLayer = svgEl('g', { class: 'nodes' });
  vp.append(edgeLayer, nodeLayer);
  for (const e of edges) {
    const drawnEdge = drawEdge(e, lay, hlEdges.has(e.id));
    if (drawnEdge) edgeLayer.append(drawnEdge);
  }
  for (const l of laid.values()) {
    const pos = lay.node(l.node.id) as { x: number; y: number };
    l.x = pos.x - l.w / 2;
    l.y = pos.y - l.h / 2;
    nodeLayer.append(drawNode(p, l, edges));
  }

  state.drawn.svg = svg;
  state.drawn.viewport = vp;
  applyTransform(p);
  const canvas = el('div', { class: 'canvas', id: 'canvas' });
  canvas.append(svg);
  wirePanZoom(p, canvas);
  shell.main.replaceChildren(canvas, shell.details);
  if (!state.drawn.fitted && !state.restored) fit(p, canvas);
  state.drawn.fitted = true;
  if (!nodes.length) canvas.append(el('p', { class: 'empty' }, g.nodes.length ? 'No route passes the filters.' : 'No Ingress, entry Service or route in scope. Open a file with an Ingress or Service, or choose "Whole workspace".'));
  renderDetails(p);
  const ms = performance.now() - started;
  document.body.dataset.renderMs = ms.toFixed(1);
  // from the host's message to the drawn graph (request round trip included)
  document.body.dataset.refreshMs = (performance.now() - state.refreshStarted).toFixed(1);
  document.body.dataset.rendered = String(state.generation);
  const r = state.urlResult;
  if (r) shell.setStatus(r.summary, r.matched ? 'ok' : 'bad');
  else shell.setStatus(`${nodes.length} nodes, ${edges.length} edges. Click a node to show its YAML; type a URL to see the route it takes.`);
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

function selectNode(p: Preview, n: GraphNode, reveal: boolean): void {
  p.state.saved.selected = n.id;
  p.save();
  for (const x of Array.from(document.querySelectorAll('g.node.selected'))) x.classList.remove('selected');
  document.querySelector(`g.node[data-id="${CSS.escape(n.id)}"]`)?.classList.add('selected');
  renderDetails(p);
  if (reveal && n.location) p.reveal(n.location);
}
