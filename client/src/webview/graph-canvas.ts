// Moving around the drawn route graph (zoom, pan, fit; wheel and drag) and saving it as a standalone SVG.

import { showHiddenCharacters } from '../../../server/src/protocol/escape';
import { SVG_NS, svgEl } from './dom';
import { MIN_ZOOM } from './graph-layout';
import type { DrawnGraph, Preview } from './state';

/**
 * Draw at the saved zoom and scroll position. The canvas scrolls natively (scroll bars, the wheel, the
 * keyboard focus bring any node into view); the SVG is as large as the zoomed graph, centred when narrower.
 * saved.panX/panY are the negated scroll offsets.
 */
export function applyTransform(p: Preview): void {
  const s = p.state.saved;
  const { svg, viewport, size } = p.state.drawn;
  const canvas = document.getElementById('canvas');
  const offset = canvas ? Math.max(0, (canvas.clientWidth - size.width * s.zoom) / 2) : 0;
  viewport?.setAttribute('transform', `translate(${offset.toFixed(1)} 0) scale(${s.zoom})`);
  svg?.setAttribute('width', String(Math.ceil(size.width * s.zoom + offset)));
  svg?.setAttribute('height', String(Math.ceil(size.height * s.zoom)));
  if (canvas) {
    canvas.scrollLeft = Math.max(0, -s.panX);
    canvas.scrollTop = Math.max(0, -s.panY);
  }
}

/**
 * Zoom so that the graph fits the canvas, centred horizontally; never so far that text gets smaller than
 * MIN_TEXT_PX (a graph taller than the canvas then scrolls). The outline layout is as wide as the canvas:
 * it is shown at 100 % from the top.
 */
export function fit(p: Preview, canvas: HTMLElement): void {
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  const size = p.state.drawn.size;
  if (!size.width || !w || !h) return;
  const s = p.state.saved;
  s.zoom =
    p.state.drawn.mode === 'outline' ? 1 : Math.max(MIN_ZOOM, Math.min(1, w / size.width, h / size.height));
  s.panX = 0;
  s.panY = 0;
  applyTransform(p);
  p.save();
}

export function zoomBy(p: Preview, f: number): void {
  const s = p.state.saved;
  s.zoom = Math.min(4, Math.max(0.1, s.zoom * f));
  applyTransform(p);
  p.save();
}

export function resetZoom(p: Preview): void {
  const s = p.state.saved;
  s.zoom = 1;
  s.panX = 0;
  s.panY = 0;
  applyTransform(p);
  p.save();
}

/** The wheel and the scroll bars scroll, Ctrl/Cmd + wheel zooms, dragging the background scrolls. */
export function wirePanZoom(p: Preview, canvas: HTMLElement): void {
  const s = p.state.saved;
  canvas.addEventListener(
    'wheel',
    (ev) => {
      if (!ev.ctrlKey && !ev.metaKey) return;
      ev.preventDefault();
      zoomBy(p, ev.deltaY < 0 ? 1.1 : 1 / 1.1);
    },
    { passive: false },
  );
  let pending = false;
  canvas.addEventListener('scroll', () => {
    s.panX = -canvas.scrollLeft;
    s.panY = -canvas.scrollTop;
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      p.save();
    });
  });
  let drag: { x: number; y: number; left: number; top: number } | undefined;
  canvas.addEventListener('pointerdown', (ev) => {
    if ((ev.target as Element).closest('g.node, g.node-ref') || ev.button !== 0) return;
    drag = { x: ev.clientX, y: ev.clientY, left: canvas.scrollLeft, top: canvas.scrollTop };
    canvas.setPointerCapture(ev.pointerId);
  });
  canvas.addEventListener('pointermove', (ev) => {
    if (!drag) return;
    canvas.scrollLeft = drag.left - (ev.clientX - drag.x);
    canvas.scrollTop = drag.top - (ev.clientY - drag.y);
  });
  canvas.addEventListener('pointerup', () => {
    drag = undefined;
  });
}

const EXPORTED_STYLES = [
  'fill',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'font-size',
  'font-family',
  'font-weight',
  'opacity',
];

/**
 * The graph as a standalone SVG: computed theme colours written onto each element. Text and attributes
 * (ids built from names included) carry hidden characters only as their visible marks.
 */
export function exportSvg(drawn: DrawnGraph): string {
  const root = drawn.svg;
  if (!root) return '';
  const clone = root.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', SVG_NS);
  const src = root.querySelectorAll('*');
  const dst = clone.querySelectorAll('*');
  src.forEach((s, i) => {
    const cs = getComputedStyle(s);
    const d = dst[i] as SVGElement;
    for (const prop of EXPORTED_STYLES) {
      const v = cs.getPropertyValue(prop);
      if (v) d.setAttribute(prop, v);
    }
  });
  const bg = svgEl('rect', {
    x: 0,
    y: 0,
    width: '100%',
    height: '100%',
    fill: getComputedStyle(document.body).backgroundColor || 'white',
  });
  clone.insertBefore(bg, clone.firstChild);
  clone.querySelector('g.viewport')?.removeAttribute('transform');
  showHiddenIn(clone);
  return new XMLSerializer().serializeToString(clone);
}

/** Replace hidden characters by their marks in every attribute and text node under `root`. */
function showHiddenIn(root: Element): void {
  for (const e of [root, ...Array.from(root.querySelectorAll('*'))]) {
    for (const a of Array.from(e.attributes)) {
      const shown = showHiddenCharacters(a.value);
      if (shown !== a.value) e.setAttribute(a.name, shown);
    }
  }
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const shown = showHiddenCharacters(t.nodeValue ?? '');
    if (shown !== t.nodeValue) t.nodeValue = shown;
  }
}
