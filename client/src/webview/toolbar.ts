// The toolbar stays one row at any width: the groups that do not fit move, least needed first, into a
// "More" menu at its end. A group says how early it may move with data-overflow (higher moves first);
// groups without it (the tabs) never move. The moved groups are the same elements, so their state and
// listeners go with them; the menu opens below its button and closes on Escape or a click elsewhere.

import { el, icon } from './dom';
import type { Shell } from './state';

const MENU_ID = 'toolbar-menu';

function overflowRank(e: Element): number {
  return Number((e as HTMLElement).dataset.overflow ?? 0);
}

function setOpen(shell: Shell, open: boolean, focusButton = false): void {
  const p = made.get(shell);
  if (!p) return;
  const { menu, more } = p;
  menu.hidden = !open;
  more.setAttribute('aria-expanded', String(open));
  shell.menuOpen = open;
  if (open) {
    const b = more.getBoundingClientRect();
    menu.style.top = `${Math.round(b.bottom + 2)}px`;
    menu.style.right = `${Math.max(4, Math.round(document.documentElement.clientWidth - b.right))}px`;
  } else if (focusButton) more.focus();
}

const made = new WeakMap<Shell, { menu: HTMLElement; more: HTMLElement }>();

/** The menu and its button, made once per page (the button leaves the DOM while the toolbar is built again). */
function parts(shell: Shell): { menu: HTMLElement; more: HTMLElement } {
  let p = made.get(shell);
  if (!p) {
    const menu = el('div', {
      id: MENU_ID,
      class: 'toolbar-menu',
      role: 'group',
      'aria-label': 'More controls',
    });
    menu.hidden = true;
    const more = el(
      'button',
      {
        type: 'button',
        id: 'toolbar-more',
        class: 'icon-button more',
        title: 'More controls',
        'aria-label': 'More controls',
        'aria-haspopup': 'true',
        'aria-expanded': 'false',
        'aria-controls': MENU_ID,
      },
      icon('ellipsis'),
    );
    more.addEventListener('click', () => setOpen(shell, menu.hidden));
    // a form sent from the menu (Apply a port) closes it; a filter changed there keeps it open
    menu.addEventListener('submit', () => setOpen(shell, false));
    document.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape' && !menu.hidden) setOpen(shell, false, true);
    });
    document.addEventListener('pointerdown', (ev) => {
      const t = ev.target as Node;
      if (!menu.hidden && !menu.contains(t) && !more.contains(t)) setOpen(shell, false);
    });
    shell.toolbar.after(menu);
    p = { menu, more };
    made.set(shell, p);
  }
  return p;
}

/** Move groups into the More menu until the toolbar fits its width on one row. */
export function fitToolbar(shell: Shell): void {
  const toolbar = shell.toolbar;
  const { menu, more } = parts(shell);
  // every group back in the toolbar, in the order it was added (new groups after the known ones)
  const groups = [
    ...(Array.from(toolbar.children) as HTMLElement[]),
    ...(Array.from(menu.children) as HTMLElement[]),
  ].filter((c) => c !== more);
  let next =
    Math.max(-1, ...groups.map((g) => (g.dataset.order === undefined ? -1 : Number(g.dataset.order)))) + 1;
  for (const g of groups) if (g.dataset.order === undefined) g.dataset.order = String(next++);
  groups.sort((a, b) => Number(a.dataset.order) - Number(b.dataset.order));
  toolbar.replaceChildren(...groups, more);
  more.hidden = true;
  const overflows = () => toolbar.scrollWidth > toolbar.clientWidth + 1;
  if (overflows()) {
    more.hidden = false;
    const movable = groups
      .filter((c) => overflowRank(c) > 0)
      .sort((a, b) => overflowRank(b) - overflowRank(a) || Number(b.dataset.order) - Number(a.dataset.order));
    for (const g of movable) {
      if (!overflows()) break;
      const after = (Array.from(menu.children) as HTMLElement[]).find(
        (m) => Number(m.dataset.order) > Number(g.dataset.order),
      );
      menu.insertBefore(g, after ?? null);
    }
  }
  if (!menu.children.length) more.hidden = true;
  setOpen(shell, !more.hidden && !!shell.menuOpen);
  document.body.dataset.toolbarMoved = String(menu.children.length);
  document.body.dataset.toolbarWidth = String(toolbar.clientWidth);
}

/** Forget the groups of an older toolbar (called when the toolbar is built again). */
export function clearToolbarMenu(shell: Shell): void {
  made.get(shell)?.menu.replaceChildren();
}

/** Fit the toolbar again whenever the page changes width, and when a font finishes loading: the
 * icon font (and any web font) loads after the first layout, and its glyphs can be wider than the
 * fallback's, which widens the groups without changing the toolbar's own width. */
export function watchToolbar(shell: Shell): void {
  let lastWidth = -1;
  new ResizeObserver(() => {
    const w = shell.toolbar.clientWidth;
    if (Math.abs(w - lastWidth) < 1) return;
    lastWidth = w;
    fitToolbar(shell);
  }).observe(shell.toolbar);
  const fonts = document.fonts;
  if (!fonts) return;
  fonts.addEventListener('loadingdone', () => fitToolbar(shell));
  void fonts.ready.then(() => {
    fitToolbar(shell);
    document.body.dataset.fontsFitted = 'true';
  });
}
