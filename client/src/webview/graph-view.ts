// The route graph view: its toolbar (filters, URL tester, zoom, export), the layout (dagre, left to right)
// and the SVG drawing of nodes and edges, with keyboard navigation between nodes.

import type {
  GraphEdge,
  GraphNode,
  PreviewViewState,
  Problem,
  RouteGraph,
} from '../../../server/src/protocol/preview';
import { el, icon, selectField, setSvgText, setSvgTitle, svgEl } from './dom';
import {
  FONT,
  MIN_ZOOM,
  NODE_PAD,
  ROW_HEIGHT,
  columnsLayout,
  outlineLayout,
  textMeasurer,
} from './graph-layout';
import type { GraphLayout, PlacedEdge, PlacedNode } from './graph-layout';
import { fitToolbar } from './toolbar';
import type { TextPiece } from '../../../server/src/protocol/escape';
import { renderDetails } from './graph-details';
import { applyTransform, exportSvg, fit, resetZoom, wirePanZoom, zoomBy } from './graph-canvas';
import type { Preview } from './state';

/** A padlock drawn in SVG (fonts in a webview may lack the emoji). */
function lockIcon(state: 'secure' | 'warning'): SVGElement {
  const g = svgEl('g', { class: `tls-icon ${state}`, transform: 'translate(9 6)', 'aria-hidden': 'true' });
  // on a chip of the node's own colour, so that the highlight of a tested route never sits behind it
  g.append(
    svgEl('rect', { x: -1.5, y: -1.5, width: 16, height: 18, rx: 3, class: 'chip' }),
    svgEl('path', { d: 'M 3 7 V 4.5 a 3.5 3.5 0 0 1 7 0 V 7', class: 'shackle' }),
    svgEl('rect', { x: 1, y: 7, width: 11, height: 8, rx: 1.5, class: 'body' }),
  );
  return g;
}

function worst(problems: Problem[]): string {
  if (problems.some((p) => p.severity === 'error')) return 'error';
  if (problems.some((p) => p.severity === 'warning')) return 'warning';
  return '';
}

/** The nodes and edges that pass the namespace, host and IngressClass filters. */
function visibleGraph(
  g: RouteGraph,
  f: PreviewViewState['filters'],
): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const passes = (n: GraphNode) =>
    (!f.namespace || n.namespace === f.namespace) &&
    (!f.host || n.hosts.includes(f.host)) &&
    (!f.ingressClass || n.classes.includes(f.ingressClass));
  const keep = new Set<string>();
  for (const n of g.nodes) if (n.kind !== 'host' && passes(n)) keep.add(n.id);
  // Host nodes have no namespace of their own: they show when one of their routes does.
  for (const n of g.nodes) {
    if (n.kind !== 'host') continue;
    const hostOk =
      (!f.host || n.hosts.includes(f.host)) && (!f.ingressClass || n.classes.includes(f.ingressClass));
    if (hostOk && (!f.namespace || g.edges.some((e) => e.from === n.id && keep.has(e.to)))) keep.add(n.id);
  }
  return {
    nodes: g.nodes.filter((n) => keep.has(n.id)),
    edges: g.edges.filter((e) => keep.has(e.from) && keep.has(e.to)),
  };
}

function renderGraphControls(p: Preview, g: RouteGraph): void {
  const { state, shell } = p;
  const saved = state.saved;
  const filters = el(
    'div',
    { class: 'filters', role: 'group', 'aria-label': 'Filters', 'data-overflow': '6' },
    icon('filter'),
  );
  const setFilter = (k: keyof PreviewViewState['filters']) => (v: string) => {
    saved.filters[k] = v;
    p.save();
    p.refresh();
  };
  filters.append(
    selectField(
      'filter-namespace',
      'Namespace',
      g.namespaces,
      saved.filters.namespace,
      'all',
      setFilter('namespace'),
    ),
    selectField('filter-host', 'Host', g.hosts, saved.filters.host, 'all', setFilter('host')),
    selectField(
      'filter-class',
      'IngressClass',
      g.ingressClasses,
      saved.filters.ingressClass,
      'all',
      setFilter('ingressClass'),
    ),
  );
  const form = el('form', { class: 'url-tester', role: 'search', 'data-overflow': '1' });
  const input = el('input', {
    id: 'url',
    type: 'text',
    placeholder: 'https://host/path',
    title: 'https://host/path; against a Gateway also tls://SNI[:port], tcp://host:port, udp://host:port',
    'aria-label': 'URL to test',
    spellcheck: 'false',
  });
  input.value = saved.url;
  form.append(el('label', { class: 'field' }, el('span', {}, 'Test URL'), input));
  // Against a Gateway, the request's method and headers take part in matching.
  const gateways = g.gateways ?? [];
  const gatewaySelect = el('select', { id: 'url-gateway', 'aria-label': 'Resolve against' });
  gatewaySelect.append(el('option', { value: '' }, 'Ingresses'));
  for (const gw of gateways) gatewaySelect.append(el('option', { value: gw }, `Gateway ${gw}`));
  gatewaySelect.value = saved.gateway && gateways.includes(saved.gateway) ? saved.gateway : '';
  const method = el('input', {
    id: 'url-method',
    type: 'text',
    placeholder: 'GET',
    'aria-label': 'Request method',
    spellcheck: 'false',
    size: '6',
  });
  method.value = saved.method ?? '';
  const headers = el('input', {
    id: 'url-headers',
    type: 'text',
    placeholder: 'Name: value; Name2: value',
    'aria-label': 'Request headers',
    spellcheck: 'false',
  });
  headers.value = saved.headers ?? '';
  form.append(el('button', { type: 'submit', id: 'test-url' }, icon('play'), 'Test'));
  // The Gateway fields sit in a group of their own (it may move into the overflow menu); Enter in one of
  // them tests the URL as in the URL field.
  const requestFields = el(
    'div',
    { class: 'group request-fields', role: 'group', 'aria-label': 'Request', 'data-overflow': '5' },
    el('label', { class: 'field' }, el('span', {}, 'via'), gatewaySelect),
    el('label', { class: 'field' }, el('span', {}, 'Method'), method),
    el('label', { class: 'field' }, el('span', {}, 'Headers'), headers),
  );
  for (const f of [method, headers]) {
    f.addEventListener('keydown', (ev) => {
      if (ev.key !== 'Enter') return;
      ev.preventDefault();
      form.requestSubmit();
    });
  }
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    saved.url = input.value.trim();
    saved.gateway = gatewaySelect.value;
    saved.method = method.value.trim();
    saved.headers = headers.value.trim();
    p.save();
    p.refresh();
  });
  const exportBtn = el(
    'button',
    { type: 'button', id: 'export-svg', title: 'Save the route graph as an SVG file' },
    icon('export'),
    'Export SVG',
  );
  exportBtn.addEventListener('click', () =>
    p.rpc.post({ type: 'export', format: 'svg', content: exportSvg(state.drawn) }),
  );
  const zoomIn = el(
    'button',
    { type: 'button', 'aria-label': 'Zoom in', title: 'Zoom in', id: 'zoom-in', class: 'icon-button' },
    icon('zoom-in'),
  );
  const zoomOut = el(
    'button',
    { type: 'button', 'aria-label': 'Zoom out', title: 'Zoom out', id: 'zoom-out', class: 'icon-button' },
    icon('zoom-out'),
  );
  const zoomReset = el(
    'button',
    { type: 'button', 'aria-label': 'Reset zoom', title: 'Reset zoom', id: 'zoom-reset' },
    '1:1',
  );
  const zoomFit = el(
    'button',
    {
      type: 'button',
      'aria-label': 'Fit the graph into the view',
      title: 'Fit the graph into the view',
      id: 'zoom-fit',
      class: 'icon-button',
    },
    icon('screen-full'),
  );
  zoomFit.addEventListener('click', () => {
    const c = document.getElementById('canvas');
    if (c) fit(p, c);
  });
  zoomIn.addEventListener('click', () => zoomBy(p, 1.2));
  zoomOut.addEventListener('click', () => zoomBy(p, 1 / 1.2));
  zoomReset.addEventListener('click', () => resetZoom(p));
  shell.toolbar.append(
    form,
    ...(gateways.length ? [requestFields] : []),
    filters,
    el(
      'span',
      { class: 'group', role: 'group', 'aria-label': 'Zoom and export', 'data-overflow': '8' },
      zoomOut,
      zoomReset,
      zoomFit,
      zoomIn,
      exportBtn,
    ),
  );
}

/** Places of everything, from the cache while the shape, the mode and the width stay the same (typing keeps the graph still). */
function layout(p: Preview, nodes: GraphNode[], edges: GraphEdge[], canvasWidth: number): GraphLayout {
  const drawn = p.state.drawn;
  const layoutStart = performance.now();
  const shape = JSON.stringify([
    nodes.map((n) => [n.id, n.label, n.details, !!n.tls, n.tls?.state, n.problems.length]),
    edges.map((e) => [e.from, e.to, e.label, e.problems.length]),
  ]);
  const measure = (drawn.measure ??= textMeasurer());
  let columns = drawn.layout?.key === shape && drawn.layout.columns ? drawn.layout.columns : undefined;
  if (!columns) columns = columnsLayout(nodes, edges, measure);
  // The columns when they fit the canvas at a legible zoom; else the outline, as wide as the canvas.
  const fits = !canvasWidth || columns.width * MIN_ZOOM <= canvasWidth;
  let chosen = columns;
  if (!fits) {
    const cached = drawn.layout?.key === shape ? drawn.layout.outline : undefined;
    chosen =
      cached && cached.width === canvasWidth ? cached : outlineLayout(nodes, edges, canvasWidth, measure);
  }
  drawn.layout = { key: shape, columns, ...(chosen.mode === 'outline' ? { outline: chosen } : {}) };
  drawn.mode = chosen.mode;
  drawn.laidWidth = canvasWidth;
  document.body.dataset.layoutMs = (performance.now() - layoutStart).toFixed(1);
  document.body.dataset.layout = chosen.mode;
  document.body.dataset.laidWidth = String(canvasWidth);
  return chosen;
}

/** A <text> of wrapped rows: one <tspan> per row, so that its textContent is still the whole text. */
function wrappedText(
  x: number,
  y: number,
  rows: TextPiece[][],
  rowH: number,
  attrs: Record<string, string | number>,
): SVGElement {
  const t = svgEl('text', { x, y, ...attrs });
  rows.forEach((row, i) => {
    const span = svgEl('tspan', { x, ...(i ? { dy: rowH } : {}) });
    setSvgText(span, row);
    t.append(span);
  });
  return t;
}

function drawEdge(pe: PlacedEdge, highlighted: boolean): SVGElement {
  const e = pe.edge;
  const cls = ['edge', e.refused ? 'refused' : worst(e.problems), highlighted ? 'hl' : '']
    .filter(Boolean)
    .join(' ');
  const ge = svgEl('g', { class: cls, 'data-id': e.id, 'data-from': e.from, 'data-to': e.to });
  const d = pe.points.map((pt, i) => `${i ? 'L' : 'M'} ${pt.x.toFixed(1)} ${pt.y.toFixed(1)}`).join(' ');
  ge.append(svgEl('path', { d, 'marker-end': 'url(#arrow)' }));
  const tip = [e.label ?? '', ...e.problems.map((pr) => pr.message)].filter(Boolean);
  if (tip.length) {
    const t = svgEl('title');
    setSvgTitle(t, tip);
    ge.append(t);
  }
  if (pe.label) {
    // on a patch of the page's colour: the line it sits on does not run through the letters
    const { x, y, w, rows, anchor } = pe.label;
    const left = anchor === 'middle' ? x - w / 2 : x - 2;
    ge.append(
      svgEl('rect', {
        class: 'edge-label-bg',
        x: left.toFixed(1),
        y: (y - FONT.edge + 1).toFixed(1),
        width: w.toFixed(1),
        height: rows.length * ROW_HEIGHT.edge,
        rx: 2,
      }),
    );
    ge.append(wrappedText(x, y, rows, ROW_HEIGHT.edge, { class: 'edge-label', 'text-anchor': anchor }));
  }
  return ge;
}

/** The outline's reference to a node drawn higher up: a click or Enter moves the focus to it. */
function drawRef(l: PlacedNode): SVGElement {
  const n = l.node;
  const g = svgEl('g', {
    class: `node-ref kind-${n.kind}`,
    'data-ref': n.id,
    tabindex: 0,
    role: 'button',
    transform: `translate(${l.x.toFixed(1)} ${l.y.toFixed(1)})`,
    'aria-label': `${n.kind} ${n.label}, shown above`,
  });
  g.append(svgEl('rect', { width: l.w, height: l.h, rx: 5, ry: 5 }));
  let y = NODE_PAD.y;
  l.texts.forEach((t) => {
    const rowH = ROW_HEIGHT[t.cls];
    g.append(wrappedText(NODE_PAD.x, y + rowH - 4, t.rows, rowH, { class: t.cls }));
    y += rowH * t.rows.length;
  });
  const go = () => document.querySelector<SVGGElement>(`g.node[data-id="${CSS.escape(n.id)}"]`)?.focus();
  g.addEventListener('click', go);
  g.addEventListener('keydown', (ev) => {
    const ke = ev as KeyboardEvent;
    if (ke.key !== 'Enter' && ke.key !== ' ') return;
    ke.preventDefault();
    go();
  });
  return g;
}

function drawNode(p: Preview, l: PlacedNode, edges: GraphEdge[]): SVGElement {
  if (l.repeat) return drawRef(l);
  const { urlResult, saved } = p.state;
  const n = l.node;
  const cls = [
    'node',
    `kind-${n.kind}`,
    worst(n.problems),
    n.tls ? `tls-${n.tls.state}` : '',
    urlResult?.highlight.nodes.includes(n.id) ? 'hl' : '',
    urlResult?.nearest?.node === n.id ? 'nearest' : '',
    saved.selected === n.id ? 'selected' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const lines = l.texts.map((t) => t.text);
  const ariaLabel = `${n.kind} ${lines.join(', ')}${n.problems.length ? `, ${n.problems.length} problem${n.problems.length > 1 ? 's' : ''}` : ''}`;
  const gn = svgEl('g', {
    class: cls,
    'data-id': n.id,
    tabindex: 0,
    role: 'button',
    transform: `translate(${l.x.toFixed(1)} ${l.y.toFixed(1)})`,
    'aria-label': ariaLabel,
  });
  gn.append(svgEl('rect', { width: l.w, height: l.h, rx: 5, ry: 5 }));
  if (n.tls) gn.append(lockIcon(n.tls.state));
  let y = NODE_PAD.y;
  l.texts.forEach((t, i) => {
    const rowH = ROW_HEIGHT[t.cls];
    const x = NODE_PAD.x + (i === 0 && n.tls ? NODE_PAD.tls : 0);
    gn.append(wrappedText(x, y + rowH - 4, t.rows, rowH, { class: t.cls }));
    y += rowH * t.rows.length;
  });
  if (n.problems.length) {
    // the sign in the severity's colour (an icon), the count in the text colour
    const badge = svgEl('text', {
      x: l.w - 8,
      y: NODE_PAD.y + ROW_HEIGHT.label - 4,
      class: 'badge',
      'text-anchor': 'end',
    });
    const sign = svgEl('tspan', { class: 'sign' });
    sign.textContent = worst(n.problems) === 'error' ? '✖' : '⚠';
    const count = svgEl('tspan', { class: 'count' });
    count.textContent = String(n.problems.length);
    badge.append(sign, count);
    gn.append(badge);
  }
  const tip = svgEl('title');
  setSvgTitle(tip, [
    ...lines,
    ...(n.tls ? [n.tls.message] : []),
    ...n.problems.map((pr) => `${pr.severity}: ${pr.message}`),
  ]);
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

/** Draw the route graph again when the canvas gets wider or narrower (the panel or the window resized). */
function watchWidth(p: Preview): void {
  const drawn = p.state.drawn;
  if (drawn.resizeObserver) return;
  let pending = false;
  drawn.resizeObserver = new ResizeObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      const canvas = document.getElementById('canvas');
      if (!canvas || p.state.saved.view !== 'routes' || !p.state.graph) return;
      const width = canvas.clientWidth;
      if (Math.abs(width - (drawn.laidWidth ?? 0)) < 2) return;
      drawn.refit = true;
      renderRoutes(p);
    });
  });
  drawn.resizeObserver.observe(p.shell.main);
}

/** Draw the route graph of `p.state.graph` (with the URL test's highlight) and its details pane. */
export function renderRoutes(p: Preview): void {
  const started = performance.now();
  const { state, shell } = p;
  p.renderToolbar();
  const g = state.graph!;
  renderGraphControls(p, g);

  const { nodes, edges } = visibleGraph(g, state.saved.filters);
  // the canvas goes in first: the layout depends on its width
  const canvas = el('div', { class: 'canvas', id: 'canvas' });
  shell.main.replaceChildren(canvas, shell.details);
  renderDetails(p);
  const laid = layout(p, nodes, edges, canvas.clientWidth);
  const svg = svgEl('svg', {
    id: 'graph',
    role: 'group',
    'aria-label': `Route graph: ${nodes.length} nodes, ${edges.length} edges`,
    'data-layout': laid.mode,
  }) as SVGSVGElement;
  state.drawn.size = { width: laid.width, height: laid.height };
  const vp = svgEl('g', { class: 'viewport' }) as SVGGElement;
  svg.append(vp);
  const defs = svgEl('defs');
  const marker = svgEl('marker', {
    id: 'arrow',
    viewBox: '0 0 10 10',
    refX: 10,
    refY: 5,
    markerWidth: 9,
    markerHeight: 9,
    markerUnits: 'userSpaceOnUse',
    orient: 'auto-start-reverse',
  });
  marker.append(svgEl('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrowhead' }));
  defs.append(marker);
  vp.append(defs);

  const hlEdges = new Set(state.urlResult?.highlight.edges ?? []);
  const edgeLayer = svgEl('g', { class: 'edges' });
  const nodeLayer = svgEl('g', { class: 'nodes' });
  vp.append(edgeLayer, nodeLayer);
  // highlighted edges last, so that a shared connector shows the highlight
  const placedEdges = [...laid.edges].sort(
    (a, b) => Number(hlEdges.has(a.edge.id)) - Number(hlEdges.has(b.edge.id)),
  );
  for (const pe of placedEdges) edgeLayer.append(drawEdge(pe, hlEdges.has(pe.edge.id)));
  for (const l of laid.nodes) nodeLayer.append(drawNode(p, l, edges));

  state.drawn.svg = svg;
  state.drawn.viewport = vp;
  canvas.append(svg);
  applyTransform(p);
  wirePanZoom(p, canvas);
  if (state.drawn.refit || (!state.drawn.fitted && !state.restored)) fit(p, canvas);
  state.drawn.fitted = true;
  state.drawn.refit = false;
  watchWidth(p);
  fitToolbar(shell);
  if (!nodes.length)
    canvas.append(
      el(
        'p',
        { class: 'empty' },
        g.nodes.length
          ? 'No route passes the filters.'
          : 'No Ingress, entry Service or route in scope. Open a file with an Ingress or Service, or choose "Whole workspace".',
      ),
    );
  const ms = performance.now() - started;
  document.body.dataset.renderMs = ms.toFixed(1);
  // from the host's message to the drawn graph (request round trip included)
  document.body.dataset.refreshMs = (performance.now() - state.refreshStarted).toFixed(1);
  document.body.dataset.rendered = String(state.generation);
  const r = state.urlResult;
  if (r) shell.setStatus(r.summary, r.matched ? 'ok' : 'bad');
  else
    shell.setStatus(
      `${nodes.length} nodes, ${edges.length} edges. Click a node to show its YAML; type a URL to see the route it takes.`,
    );
}

function moveFocus(from: GraphNode, key: string, edges: GraphEdge[]): void {
  const ids =
    key === 'ArrowRight'
      ? edges.filter((e) => e.from === from.id).map((e) => e.to)
      : key === 'ArrowLeft'
        ? edges.filter((e) => e.to === from.id).map((e) => e.from)
        : [];
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
