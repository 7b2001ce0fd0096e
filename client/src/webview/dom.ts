// Building the page without HTML parsing: every string becomes a text node or an attribute set with
// setAttribute. Text from manifests may hold bidi controls or other hidden characters; these helpers draw
// each as a visible mark (⟨U+202E⟩) in its own style, so no name can reorder or hide the text around it.

import { showHiddenCharacters, splitHiddenCharacters } from '../../../server/src/protocol/escape';
import type { TextPiece } from '../../../server/src/protocol/escape';
import type { Location, Problem } from '../../../server/src/protocol/preview';

export const SVG_NS = 'http://www.w3.org/2000/svg';
/** The class of a hidden character's visible mark, in HTML and in SVG. */
export const MARK_CLASS = 'char-mark';

/**
 * An attribute's value as shown to the user: hidden characters as marks. data-* attributes (keys the
 * code looks up) and option values (compared with the server's values) keep the original text.
 */
function attrValue(name: string, value: string): string {
  return name.startsWith('data-') || name === 'value' ? value : showHiddenCharacters(value);
}

/** `pieces` as DOM nodes: plain text, and each mark in its own element of `MARK_CLASS`. */
function pieceNodes(pieces: TextPiece[], markElement: (p: TextPiece) => Element): Node[] {
  return pieces.map((p) => {
    if (!p.hidden) return document.createTextNode(p.text);
    const m = markElement(p);
    m.setAttribute('class', MARK_CLASS);
    m.textContent = p.text;
    return m;
  });
}

/** Text for an HTML element, hidden characters drawn as marks (hover a mark for the character's name). */
export function visibleText(s: string): Node[] {
  return pieceNodes(splitHiddenCharacters(s), (p) => {
    const span = document.createElement('span');
    span.title = p.hidden?.name ? `${p.text} ${p.hidden.name}` : p.text;
    return span;
  });
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, attrValue(k, v));
  for (const c of children) {
    if (typeof c !== 'string') e.append(c);
    else if (tag === 'option' || tag === 'title')
      e.append(showHiddenCharacters(c)); // plain text only inside
    else e.append(...visibleText(c));
  }
  return e;
}

export function svgEl(tag: string, attrs: Record<string, string | number> = {}): SVGElement {
  const e = document.createElementNS(SVG_NS, tag) as SVGElement;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, attrValue(k, String(v)));
  return e;
}

/** Set an SVG <text>'s content; marks go in <tspan>s. */
export function setSvgText(text: SVGElement, content: string | TextPiece[]): void {
  const pieces = typeof content === 'string' ? splitHiddenCharacters(content) : content;
  text.replaceChildren(...pieceNodes(pieces, () => document.createElementNS(SVG_NS, 'tspan')));
}

/** Set an SVG <title> (a tooltip: plain text, one line per entry, marks as text). */
export function setSvgTitle(title: SVGElement, lines: string[]): void {
  title.textContent = lines.map(showHiddenCharacters).join('\n');
}

/** A codicon (VS Code's icon font, dist/codicon.css); decorative, so hidden from screen readers. */
export function icon(name: string): HTMLElement {
  return el('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

/** A labelled drop-down whose first entry (value "") means "all". */
export function selectField(
  id: string,
  label: string,
  options: string[],
  value: string,
  allLabel: string,
  onChange: (v: string) => void,
): HTMLElement {
  const s = el('select', { id, 'aria-label': label });
  s.append(el('option', { value: '' }, allLabel));
  for (const o of options) s.append(el('option', { value: o }, o));
  s.value = options.includes(value) ? value : '';
  s.addEventListener('change', () => onChange(s.value));
  return el('label', { class: 'field' }, el('span', {}, label), s);
}

/** A button that shows `location` in the editor; plain text when there is no location. */
export function linkButton(
  text: string,
  location: Location | undefined,
  reveal: (l: Location) => void,
  cls = 'link',
): HTMLElement {
  if (!location) return el('span', {}, text);
  const b = el('button', { class: cls, type: 'button', title: 'Show in the editor' }, text);
  b.addEventListener('click', () => reveal(location));
  return b;
}

export function problemList(problems: Problem[], reveal: (l: Location) => void): HTMLElement {
  const ul = el('ul', { class: 'problems' });
  for (const p of problems) {
    const li = el(
      'li',
      { class: `problem ${p.severity}` },
      el(
        'span',
        { class: 'sev' },
        icon(p.severity === 'error' ? 'error' : p.severity === 'warning' ? 'warning' : 'info'),
      ),
      p.message,
    );
    if (p.code) li.append(' ', el('span', { class: 'code' }, `(${p.code})`));
    if (p.location) li.append(' ', linkButton('show', p.location, reveal));
    ul.append(li);
  }
  return ul;
}
