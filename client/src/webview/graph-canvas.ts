// Moving around the drawn route graph (zoom, pan, fit; wheel and drag) and saving it as a standalone SVG.

import { showHiddenCharacters } from '../../../server/src/protocol/text-safety';
import { SVG_NS, svgEl } from './dom';
import type { DrawnGraph, Preview } from './state';

export function applyTransform(p: Preview): void {
  const s = p.state.saved;
  p.state.drawn.viewport?.setAttribute('transform', `translate(${s.panX} ${s.panY}) scale(${s.zoom})`);
}

/** Zoom so that the graph fits the canvas (never below 60 %), centred horizontally. */
export function fit(p: Preview, canvas: HTMLElement): void {
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  const size = p.state.drawn.size;
  if (!size.width || !w || !h) return;
  const s = p.state.saved;
  // Readable first: never below 60 % (a big graph is then panned with the wheel or by dragging).
  s.zoom = Math.max(0.6, Math.min(1, w / size.width, h / size.height));
  s.panX = Math.max(0, (w - size.width * s.zoom) / 2);
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

/** Wheel pans (Ctrl/Cmd + wheel zooms), dragging the background pans. */
export function wirePanZoom(p: Preview, canvas: HTMLElement): void {
  const s = p.state.saved;
  canvas.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    if (ev.ctrlKey || ev.metaKey) {
      zoomBy(p, ev.deltaY < 0 ? 1.1 : 1 / 1.1);
      return;
    }
    s.panX -= ev.shiftKey ? ev.deltaY : ev.deltaX;
    s.panY -= ev.shiftKey ? 0 : ev.deltaY;
    applyTransform(p);
    p.save();
  }, { passive: false });
  let drag: { x: number; y: number; px: number; py: number } | undefined;
  canvas.addEventListener('pointerdown', (ev) => {
    if ((ev.target as Element).closest('g.node')) return;
    drag = { x: ev.clientX, y: ev.clientY, px: s.panX, py: s.panY };
    canvas.setPointerCapture(ev.pointerId);
  });
  canvas.addEventListener('pointermove', (ev) => {
    if (!drag) return;
    s.panX = drag.px + ev.clientX - drag.x;
    s.panY = drag.py + ev.clientY - drag.y;
    applyTransform(p);
  });
  canvas.addEventListener('pointerup', () => {
    if (drag) p.save();
    drag = undefined;
  });
}

const EXPORTED_STYLES = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'font-size', 'font-family', 'font-weight', 'opacity'];

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
  const bg = svgEl('rect', { x: 0, y: 0, width: '100%', height: '100%', fill: getComputedStyle(document.body).backgroundColor || 'white' });
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
