// Building the page without HTML parsing: every string becomes a text node or an attribute set with
// setAttribute.

import type { Location, Problem } from '../../../server/src/protocol/preview';

export const SVG_NS = 'http://www.w3.org/2000/svg';

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

export function svgEl(tag: string, attrs: Record<string, string | number> = {}): SVGElement {
  const e = document.createElementNS(SVG_NS, tag) as SVGElement;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

/** `s` cut to at most `chars` characters, ending in "…" when cut. */
export function truncate(s: string, chars: number): string {
  return s.length > chars ? s.slice(0, chars - 1) + '…' : s;
}

/** A codicon (VS Code's icon font, dist/codicon.css); decorative, so hidden from screen readers. */
export function icon(name: string): HTMLElement {
  return el('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

/** A labelled drop-down whose first entry (value "") means "all". */
export function selectField(id: string, label: string, options: string[], value: string, allLabel: string, onChange: (v: string) => void): HTMLElement {
  const s = el('select', { id, 'aria-label': label });
  s.append(el('option', { value: '' }, allLabel));
  for (const o of options) s.append(el('option', { value: o }, o));
  s.value = options.includes(value) ? value : '';
  s.addEventListener('change', () => onChange(s.value));
  return el('label', { class: 'field' }, el('span', {}, label), s);
}

/** A button that shows `location` in the editor; plain text when there is no location. */
export function linkButton(text: string, location: Location | undefined, reveal: (l: Location) => void, cls = 'link'): HTMLElement {
  if (!location) return el('span', {}, text);
  const b = el('button', { class: cls, type: 'button', title: 'Show in the editor' }, text);
  b.addEventListener('click', () => reveal(location));
  return b;
}

export function problemList(problems: Problem[], reveal: (l: Location) => void): HTMLElement {
  const ul = el('ul', { class: 'problems' });
  for (const p of problems) {
    const li = el('li', { class: `problem ${p.severity}` }, el('span', { class: 'sev' }, icon(p.severity === 'error' ? 'error' : p.severity === 'warning' ? 'warning' : 'info')), p.message);
    if (p.code) li.append(' ', el('span', { class: 'code' }, `(${p.code})`));
    if (p.location) li.append(' ', linkButton('show', p.location, reveal));
    ul.append(li);
  }
  return ul;
}
