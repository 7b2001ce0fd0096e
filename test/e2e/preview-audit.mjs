// What a reader of the preview meets, measured inside the page from computed styles (run with
// frame.evaluate(previewAudit) in the real VS Code webview, or in the test harness's page):
// - the smallest text (CSS px on screen: SVG text counts the graph's zoom);
// - contrast of every visible text against what is behind it (4.5:1, 3:1 for large text) and of icons,
//   node borders and edge lines against the page (3:1), with colours as VS Code's theme gives them;
// - nothing cut off: the toolbar is one row, the status line and the details pane do not overflow, no graph
//   node sticks out of the canvas sideways, node text stays inside its box, no "…", edge labels overlap
//   neither each other nor nodes.
// Self-contained: the function goes into the page as source text (auditScript(): its text as written, so
// that a transpiler's helpers never end up in it).

import { readFileSync } from 'node:fs';

/** An expression that runs the audit in a page and gives its result: frame.evaluate(auditScript()). */
export function auditScript() {
  const src = readFileSync(new URL(import.meta.url), 'utf8');
  return `(${src.slice(src.lastIndexOf('function previewAudit()'))})()`;
}

export function previewAudit() {
  const failures = [];
  const ctx = (() => {
    const c = document.createElement('canvas');
    c.width = c.height = 1;
    return c.getContext('2d', { willReadFrequently: true });
  })();
  /** Any CSS colour (rgb(), color(srgb ...), color-mix results) as [r, g, b, a] through a canvas. */
  const parse = (color) => {
    if (!color || color === 'none' || color === 'transparent') return [0, 0, 0, 0];
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = '#00000000';
    ctx.fillStyle = color;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
    return [r, g, b, a / 255];
  };
  const over = (fg, bg) => [0, 1, 2].map((i) => fg[i] * fg[3] + bg[i] * (1 - fg[3])).concat(1);
  const lum = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const hex = (c) => '#' + c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
  const describe = (e) => {
    const id = e.id ? `#${e.id}` : '';
    const cls = typeof e.className === 'string' && e.className ? `.${e.className.trim().split(/\s+/).join('.')}` : e.getAttribute?.('class') ? `.${e.getAttribute('class').trim().split(/\s+/).join('.')}` : '';
    const owner = e.closest?.('[data-id]')?.getAttribute('data-id');
    return `${e.tagName.toLowerCase()}${id}${cls}${owner ? ` in ${owner}` : ''}`;
  };
  const opacityOf = (e) => {
    let o = 1;
    for (let x = e; x && x.nodeType === 1; x = x.parentElement) o *= Number(getComputedStyle(x).opacity || 1);
    return o;
  };
  /** The opaque colour behind an HTML element: its and its ancestors' backgrounds, composited. */
  const backgroundOf = (e) => {
    const chain = [];
    for (let x = e; x && x.nodeType === 1; x = x.parentElement) chain.push(parse(getComputedStyle(x).backgroundColor));
    let bg = [255, 255, 255, 1];
    for (const c of chain.reverse()) bg = over(c, bg);
    return bg;
  };
  const page = backgroundOf(document.body);
  /** Behind SVG content: its node's box (over the page) or the page. */
  const svgBackground = (e) => {
    const node = e.closest('g.node, g.node-ref');
    const rect = node?.querySelector(':scope > rect');
    const box = rect ? over(parse(getComputedStyle(rect).fill), page) : page;
    const chip = e.closest('g.tls-icon')?.querySelector('.chip');
    return chip ? over(parse(getComputedStyle(chip).fill), box) : box;
  };
  const visible = (e) => {
    if (!e.isConnected) return false;
    const r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return false;
    for (let x = e; x && x.nodeType === 1; x = x.parentElement) {
      const cs = getComputedStyle(x);
      if (cs.display === 'none' || cs.visibility === 'hidden') return false;
    }
    // hidden for the eye, kept for screen readers (clip-path inset 50%)
    if (getComputedStyle(e).clipPath?.startsWith('inset(50%')) return false;
    return true;
  };
  const ownText = (e) => Array.from(e.childNodes).some((n) => n.nodeType === 3 && n.nodeValue.trim());

  let minFont = Infinity;
  let minFontAt = '';
  let minText = Infinity;
  let minTextAt = '';
  let minMark = Infinity;
  let minMarkAt = '';
  let texts = 0;
  const checkText = (e, fg, bg, px, bold) => {
    texts++;
    if (px < minFont) {
      minFont = px;
      minFontAt = describe(e);
    }
    if (px < 11 - 0.01) failures.push(`text ${px.toFixed(1)}px < 11px: ${describe(e)} "${e.textContent.trim().slice(0, 40)}"`);
    const need = px >= 24 || (px >= 18.66 && bold) ? 3 : 4.5;
    const r = ratio(over(fg, bg), bg);
    if (r < minText) {
      minText = r;
      minTextAt = `${describe(e)} ${hex(over(fg, bg))} on ${hex(bg)}`;
    }
    if (r < need - 0.005) failures.push(`contrast ${r.toFixed(2)} < ${need}: ${describe(e)} "${e.textContent.trim().slice(0, 40)}" ${hex(over(fg, bg))} on ${hex(bg)}`);
  };
  const checkMark = (e, fg, bg, what) => {
    if (fg[3] === 0) return;
    const r = ratio(over(fg, bg), bg);
    if (r < minMark) {
      minMark = r;
      minMarkAt = `${what} ${describe(e)} ${hex(over(fg, bg))} on ${hex(bg)}`;
    }
    if (r < 3 - 0.005) failures.push(`${what} contrast ${r.toFixed(2)} < 3: ${describe(e)} ${hex(over(fg, bg))} on ${hex(bg)}`);
  };

  // HTML text and icons
  for (const e of Array.from(document.body.querySelectorAll('*'))) {
    if (e instanceof SVGElement || ['SCRIPT', 'STYLE', 'OPTION', 'TITLE'].includes(e.tagName) || !visible(e)) continue;
    const cs = getComputedStyle(e);
    if (e.classList.contains('codicon')) {
      const fg = parse(getComputedStyle(e, '::before').color || cs.color);
      fg[3] *= opacityOf(e);
      checkMark(e, fg, backgroundOf(e), 'icon');
      continue;
    }
    const isField = (e.tagName === 'INPUT' && e.value) || e.tagName === 'SELECT';
    if (!ownText(e) && !isField) continue;
    const fg = parse(cs.color);
    fg[3] *= opacityOf(e);
    checkText(e, fg, backgroundOf(e), parseFloat(cs.fontSize), Number(cs.fontWeight) >= 700);
  }
  // SVG text (its size on screen: the graph's zoom counts), node borders, edge lines, the TLS padlock
  for (const e of Array.from(document.querySelectorAll('svg text, svg tspan'))) {
    if (!ownText(e) || !visible(e)) continue;
    const cs = getComputedStyle(e);
    const scale = e.getScreenCTM?.()?.a ?? 1;
    const fg = parse(cs.fill);
    fg[3] *= Number(cs.fillOpacity || 1) * opacityOf(e);
    const bg = e.closest('g.edge') ? page : svgBackground(e);
    if (e.classList.contains('sign')) checkMark(e, fg, bg, 'icon');
    else checkText(e, fg, bg, parseFloat(cs.fontSize) * scale, Number(cs.fontWeight) >= 700);
  }
  for (const r of Array.from(document.querySelectorAll('g.node > rect, g.node-ref > rect'))) checkMark(r, parse(getComputedStyle(r).stroke), page, 'node border');
  for (const p of Array.from(document.querySelectorAll('g.edge > path'))) checkMark(p, parse(getComputedStyle(p).stroke), page, 'edge line');
  for (const p of Array.from(document.querySelectorAll('g.tls-icon .body'))) checkMark(p, parse(getComputedStyle(p).fill), svgBackground(p), 'icon');

  // nothing cut off
  const toolbar = document.querySelector('.toolbar');
  if (toolbar) {
    const tr = toolbar.getBoundingClientRect();
    if (toolbar.scrollWidth > toolbar.clientWidth + 1) failures.push(`toolbar overflows: ${toolbar.scrollWidth} > ${toolbar.clientWidth}`);
    for (const c of Array.from(toolbar.children)) {
      if (!visible(c)) continue;
      const r = c.getBoundingClientRect();
      if (r.right > tr.right + 1 || r.bottom > tr.bottom + 1 || r.top < tr.top - 1) failures.push(`toolbar item outside its one row: ${describe(c)}`);
    }
  }
  for (const sel of ['.status', '#details', '.toolbar-menu:not([hidden])']) {
    const e = document.querySelector(sel);
    if (e && visible(e) && e.scrollWidth > e.clientWidth + 1) failures.push(`${sel} overflows sideways: ${e.scrollWidth} > ${e.clientWidth}`);
  }
  const canvas = document.getElementById('canvas');
  const boxes = [];
  if (canvas && document.getElementById('graph')) {
    const cr = canvas.getBoundingClientRect();
    for (const n of Array.from(document.querySelectorAll('g.node, g.node-ref'))) {
      const rect = n.querySelector(':scope > rect');
      const r = rect.getBoundingClientRect();
      boxes.push({ what: `node ${n.getAttribute('data-id') ?? `reference to ${n.getAttribute('data-ref')}`}`, r });
      if (r.left < cr.left - 1 || r.right > cr.right + 1) failures.push(`node cut off at the side: ${n.getAttribute('data-id')} (${Math.round(r.left)}..${Math.round(r.right)} in ${Math.round(cr.left)}..${Math.round(cr.right)})`);
      for (const t of Array.from(n.querySelectorAll('text'))) {
        const b = t.getBoundingClientRect();
        if (b.left < r.left - 1 || b.right > r.right + 1 || b.top < r.top - 1 || b.bottom > r.bottom + 1) failures.push(`text outside its box in ${n.getAttribute('data-id')}: "${t.textContent.slice(0, 40)}"`);
      }
    }
    const labels = Array.from(document.querySelectorAll('g.edge text.edge-label')).map((t) => ({ what: `edge label "${t.textContent}" of ${t.closest('g.edge').getAttribute('data-id')}`, r: t.getBoundingClientRect() }));
    const overlap = (a, b) => Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) * Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
    labels.forEach((l, i) => {
      for (const o of [...labels.slice(i + 1), ...boxes]) if (overlap(l.r, o.r) > 2) failures.push(`${l.what} overlaps ${o.what}`);
    });
    for (const t of Array.from(document.querySelectorAll('#graph text'))) if (t.textContent.includes('…')) failures.push(`text cut with "…": ${t.textContent}`);
  }
  return {
    width: document.documentElement.clientWidth,
    layout: document.getElementById('graph') ? document.body.dataset.layout ?? null : null,
    moved: Number(document.body.dataset.toolbarMoved ?? 0),
    texts,
    minFont: Math.round(minFont * 10) / 10,
    minFontAt,
    minText: Math.round(minText * 100) / 100,
    minTextAt,
    minMark: Math.round(minMark * 100) / 100,
    minMarkAt,
    failures,
  };
}
