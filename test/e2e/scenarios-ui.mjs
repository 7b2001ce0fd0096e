// The route preview as people see it in real VS Code: beside an editor at 480, 640 and 800 px and at full
// width, in the Light+, Dark+, High Contrast and High Contrast Light themes (VS Code's own colours, set
// through the user settings). At each width and theme the page is audited from inside the webview
// (preview-audit.mjs: smallest text, contrast of every text and icon, nothing cut off) and photographed.
// With KNL_E2E_DOCS_IMAGES=1 the photographs the README uses are written to docs/images/:
//   preview-<480|640|800|full>-<light|dark>.png, preview-full-<hc|hc-light>.png,
//   preview-gateway-<light|dark>.png, reachability-<light|dark|hc|hc-light>.png, and the three-step sequence
//   preview-step-<1-opened|2-tested|3-gateway>.png (Light+, 800 px)
// (otherwise everything goes to test-artifacts/e2e/ only, so that an ordinary run leaves the tree clean).

import fs from 'node:fs';
import path from 'node:path';
import { auditScript } from './preview-audit.mjs';

const THEMES = [
  { key: 'light', id: 'Default Light+', label: 'Light+', kind: 'vscode-light' },
  { key: 'dark', id: 'Default Dark+', label: 'Dark+', kind: 'vscode-dark' },
  { key: 'hc', id: 'Default High Contrast', label: 'Dark High Contrast', kind: 'vscode-high-contrast' },
  { key: 'hc-light', id: 'Default High Contrast Light', label: 'Light High Contrast', kind: 'vscode-high-contrast-light' },
];
const WIDTHS = [480, 640, 800, 'full'];
const SHOP = 'shop-platform.yaml';
const GATEWAY = 'gateway-routes.yaml';

export const UI_SCENARIOS = ['preview-widths-themes', 'reachability-themes'];

/** Open the More menu when `selector` is a toolbar control that sits in it (a narrow panel). */
export async function showControl(frame, selector) {
  if (await frame.locator(selector).isVisible()) return;
  const more = frame.locator('#toolbar-more');
  if ((await more.isVisible()) && (await more.getAttribute('aria-expanded')) !== 'true') await more.click();
  await frame.locator(selector).waitFor({ state: 'visible', timeout: 10_000 });
}

export async function runUiScenarios(ctx) {
  const { page, scenario, waitFor, runCommand, log, userDataDir, ROOT, ARTIFACTS } = ctx;
  const docs = process.env.KNL_E2E_DOCS_IMAGES === '1';
  const docsDir = path.join(ROOT, 'docs', 'images');
  const table = [];
  let startTheme;

  const photo = async (name, forDocs) => {
    const file = path.join(ARTIFACTS, `${name}.png`);
    await page.mouse.move(1, 600); // no tooltip of whatever the pointer rested on
    // a tab's tooltip from the last click fades on its own once the pointer has left
    await waitFor('no tooltip over the photograph', async () => {
      const shown = await page.evaluate(() =>
        [...document.querySelectorAll('.workbench-hover-container, .monaco-hover')].some((h) => {
          const r = h.getBoundingClientRect();
          return r.width > 0 && r.height > 0 && getComputedStyle(h).visibility !== 'hidden' && !h.classList.contains('hidden');
        }),
      );
      return !shown || { ok: false, seen: 'a hover is shown' };
    }, { timeout: 10_000, interval: 250 }).catch(() => log(`${name}: a tooltip stayed on screen`));
    await page.screenshot({ path: file });
    if (docs && forDocs) fs.copyFileSync(file, path.join(docsDir, `${name}.png`));
  };

  /** The webview frame whose document answers `probe` (a selector or a check run in the frame). */
  const previewFrame = (what, probe) =>
    waitFor(what, async () => {
      for (const f of page.frames()) {
        const ok = await f.evaluate(probe).catch(() => false);
        if (ok) return f;
      }
      return { ok: false, seen: `${page.frames().length} frames` };
    }, { timeout: 60_000 });

  /** Choose the theme as a user does: Preferences: Color Theme, its label, Enter. */
  const setTheme = async (frame, theme) => {
    const current = await frame.evaluate(() => document.body.dataset.vscodeThemeId);
    if (current !== theme.id) {
      await runCommand(page, 'Preferences: Color Theme', /Preferences: Color Theme(?!s)/i);
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(theme.label);
      await waitFor(`the theme ${theme.label} in the picker`, async () => {
        const picked = await page.evaluate((label) => {
          const row = [...document.querySelectorAll('.quick-input-widget .quick-input-list .monaco-list-row')].find((r) => r.querySelector('.label-name')?.textContent?.trim() === label);
          if (!row) return [...document.querySelectorAll('.quick-input-widget .quick-input-list .label-name')].map((l) => l.textContent).join(', ');
          row.click();
          return true;
        }, theme.label);
        return picked === true || { ok: false, seen: picked };
      }, { timeout: 20_000 });
    }
    await waitFor(`the preview to take the theme ${theme.id}`, async () => {
      const seen = await frame.evaluate(() => ({ id: document.body.dataset.vscodeThemeId, cls: document.body.className }));
      return (seen.id === theme.id && seen.cls.split(/\s+/).includes(theme.kind)) || { ok: false, seen };
    }, { timeout: 30_000 });
  };

  const frameWidth = (frame) => frame.evaluate(() => document.documentElement.clientWidth);
  /** Toggle the preview's editor group maximized until the preview is wide (or narrow) as asked. */
  const maximize = async (frame, wanted) => {
    const done = async () => ((await frameWidth(frame)) > 1000) === wanted;
    await waitFor(wanted ? 'the preview to fill the editor area' : 'the editor beside the preview again', async () => {
      if (await done()) return true;
      await page.locator('.tabs-container .tab').filter({ hasText: /^(Routes|Reachability): / }).first().click();
      await runCommand(page, 'View: Toggle Maximize Editor Group', /View: Toggle Maximize Editor Group/i);
      const after = await waitFor('the editor layout to change', async () => (await done()) || { ok: false }, { timeout: 5_000 }).catch(() => false);
      return after || { ok: false, seen: await frameWidth(frame) };
    }, { timeout: 60_000, interval: 500 });
  };

  /** Full width: the preview's editor group maximized; else drag the sash beside it until it is `target` px wide. */
  const resize = async (frame, target) => {
    if (target === 'full') return maximize(frame, true);
    await maximize(frame, false);
    await waitFor(`the preview ${target} px wide`, async () => {
      const w = await frameWidth(frame);
      if (Math.abs(w - target) <= 2) return true;
      const sash = page.locator('.part.editor .monaco-sash.vertical').filter({ visible: true }).first();
      const box = await sash.boundingBox();
      if (!box) return { ok: false, seen: 'no sash between the editor groups' };
      const x = box.x + box.width / 2;
      const y = box.y + box.height / 2;
      await page.mouse.move(x, y);
      await page.mouse.down();
      await page.mouse.move(x + (w - target), y, { steps: 4 });
      await page.mouse.up();
      return { ok: false, seen: w };
    }, { timeout: 30_000, interval: 300 });
  };

  /** The page has drawn itself for its current width (graph laid out and toolbar fitted). */
  const settled = (frame) =>
    waitFor('the preview to settle at its width', () =>
      frame.evaluate(() => {
        const toolbar = document.querySelector('.toolbar');
        const canvas = document.getElementById('canvas');
        const toolbarOk = toolbar && Number(document.body.dataset.toolbarWidth) === toolbar.clientWidth;
        const graphOk = !canvas || Math.abs(Number(document.body.dataset.laidWidth) - canvas.clientWidth) < 2;
        return (toolbarOk && graphOk) || { ok: false, seen: { toolbar: document.body.dataset.toolbarWidth, laid: document.body.dataset.laidWidth, canvas: canvas?.clientWidth } };
      }), { timeout: 30_000 });

  const audit = async (frame, where) => {
    await settled(frame);
    const a = await frame.evaluate(auditScript());
    table.push({ where, ...a });
    log(`${where}: ${a.width}px ${a.layout ?? 'matrix'}, ${a.texts} texts, smallest ${a.minFont}px, text contrast ≥ ${a.minText} (${a.minTextAt}), icons/borders ≥ ${a.minMark}, ${a.moved} group(s) in More`);
    return a.failures.map((f) => `${where}: ${f}`);
  };

  const openFile = async (file, marker) => {
    await runCommand(page, 'View: Focus First Editor Group', /View: Focus First Editor Group/i);
    const row = page.locator('.explorer-folders-view .monaco-list-row').filter({ hasText: file }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await row.dblclick();
    await page.locator(`.tabs-container .tab.active[data-resource-name="${file}"]`).waitFor({ state: 'visible', timeout: 30_000 });
    await waitFor(`the editor to show ${file}`, async () => (await ctx.editorText(page))?.includes(marker), { timeout: 30_000 });
  };

  await scenario('preview-widths-themes', async () => {
    if (docs) fs.mkdirSync(docsDir, { recursive: true });
    await runCommand(page, 'View: Hide Panel', /View: Hide Panel/i); // the editor and the preview, full height
    await openFile(SHOP, 'kind: Namespace');
    await runCommand(page, 'Kube NetLens: Preview Routes', /Kube NetLens: Preview Routes/i);
    const frame = await previewFrame('the preview of the shop', () => !!document.querySelector('#graph g.node[data-id="host:api.shop.example.com"]'));
    // the theme the scenarios after these should find again (the tour's photographs use it)
    startTheme = await frame.evaluate(() => {
      const id = document.body.dataset.vscodeThemeId;
      const kind = ['vscode-high-contrast-light', 'vscode-high-contrast', 'vscode-light', 'vscode-dark'].find((k) => document.body.classList.contains(k));
      return { key: 'start', id, label: id.replace(/^Default /, ''), kind };
    });
    // the README's three-step sequence, in Light+ at 800 px: the preview as it opens, a tested URL, a Gateway
    await setTheme(frame, THEMES[0]);
    await resize(frame, 800);
    // as it opens for a new user: no URL tested yet (an earlier scenario's is remembered)
    await frame.locator('#url').fill('');
    await frame.locator('#test-url').click();
    await waitFor('the preview without a tested URL', async () => (await frame.locator('g.node.hl').count()) === 0 || { ok: false }, { timeout: 30_000 });
    await settled(frame);
    await photo('preview-step-1-opened', true);
    // a tested URL: the route lit up and the verdict in the details pane
    // fill and send again while a redraw (the preview following the newly opened file) replaced the field
    await waitFor('the orders route to light up', async () => {
      const lit = await frame.locator('g.node.hl').evaluateAll((ns) => ns.map((n) => n.getAttribute('data-id')));
      if (lit.includes('svc:store/orders') && lit.includes('host:api.shop.example.com')) return true;
      await frame.locator('#url').fill('https://api.shop.example.com/v1/orders/1042');
      await frame.locator('#test-url').click();
      return { ok: false, seen: lit };
    }, { timeout: 45_000, interval: 1_000 });
    await settled(frame);
    await photo('preview-step-2-tested', true);
    const failures = [];
    for (const theme of THEMES) {
      await setTheme(frame, theme);
      for (const width of WIDTHS) {
        await resize(frame, width);
        failures.push(...(await audit(frame, `${theme.key} ${width}`)));
        const layout = await frame.evaluate(() => document.body.dataset.layout);
        if (width !== 'full' && layout !== 'outline') failures.push(`${theme.key} ${width}: expected the outline layout beside an editor, got ${layout}`);
        await photo(`preview-${width}-${theme.key}`, theme.key === 'light' || theme.key === 'dark' || width === 'full');
      }
    }
    // the details pane folds to its title line and opens again (audited folded, beside an editor)
    await resize(frame, 480);
    const foldState = async () => frame.locator('#details-toggle').getAttribute('aria-expanded');
    await frame.locator('#details-toggle').click();
    await waitFor('the details pane to fold', async () => (await foldState()) === 'false' || { ok: false, seen: await foldState() }, { timeout: 10_000 });
    failures.push(...(await audit(frame, 'folded details 480')));
    await frame.locator('#details-toggle').click();
    await waitFor('the details pane to open again', async () => (await foldState()) === 'true' || { ok: false, seen: await foldState() }, { timeout: 10_000 });
    // the Gateway API graph at full width, tested with the canary header (light and dark)
    await openFile(GATEWAY, 'kind: Gateway');
    await waitFor('the preview to follow the Gateway file', async () => (await frame.locator('#graph g.node[data-id="gw:edge/public"]').count()) > 0 || { ok: false, seen: 'no Gateway node' }, { timeout: 30_000 });
    await showControl(frame, '#url-gateway');
    await frame.locator('#url-gateway').selectOption('edge/public');
    await frame.locator('#url-headers').fill('x-canary: yes');
    await frame.locator('#url').click(); // outside the More menu: it closes
    await frame.locator('#url').fill('http://shop.example.com/cart');
    await frame.locator('#test-url').click();
    await waitFor('the canary rule to light up', async () => {
      const lit = await frame.locator('g.node.hl').evaluateAll((ns) => ns.map((n) => n.getAttribute('data-id')));
      return lit.includes('rule:HTTPRoute/edge/shop/1') || { ok: false, seen: lit };
    }, { timeout: 30_000 });
    for (const key of ['light', 'dark']) {
      const theme = THEMES.find((t) => t.key === key);
      await setTheme(frame, theme);
      if (key === 'light') {
        await resize(frame, 800);
        await settled(frame);
        await photo('preview-step-3-gateway', true);
      }
      await resize(frame, 'full');
      failures.push(...(await audit(frame, `gateway ${key} full`)));
      await photo(`preview-gateway-${key}`, true);
    }
    await resize(frame, 640); // the editor beside the preview again for what runs next
    console.log('# | where | width | layout | smallest text px | min text contrast | min icon/border contrast |');
    for (const r of table) console.log(`# | ${r.where} | ${r.width} | ${r.layout ?? 'matrix'} | ${r.minFont} | ${r.minText} | ${r.minMark} |`);
    if (failures.length) throw new Error(`${failures.length} finding(s): ${failures.slice(0, 12).join(' | ')}`);
  });

  await scenario('reachability-themes', async () => {
    await openFile(SHOP, 'kind: Namespace');
    await runCommand(page, 'Kube NetLens: Show Reachability', /Kube NetLens: Show Reachability/i);
    const frame = await previewFrame('the reachability matrix of the shop', () => [...document.querySelectorAll('#matrix thead th')].some((t) => t.textContent === 'store/catalog'));
    await resize(frame, 640);
    await showControl(frame, '#port');
    await frame.locator('#port').fill('http');
    await frame.locator('#apply-port').click();
    await waitFor('the matrix for http/TCP', async () => ((await frame.locator('#matrix caption').textContent().catch(() => '')) || '').includes('http/TCP') || { ok: false }, { timeout: 30_000 });
    const cell = frame.locator('button.cell[data-from="store/storefront"][data-to="store/catalog"]');
    if (!/\ballow\b/.test((await cell.getAttribute('class')) || '')) throw new Error('storefront → catalog on http is not allowed');
    await cell.click();
    await waitFor('the explanation of storefront → catalog', async () => ((await frame.locator('#explanation h2').textContent().catch(() => '')) || '').includes('allowed') || { ok: false }, { timeout: 30_000 });
    const failures = [];
    for (const theme of THEMES) {
      await setTheme(frame, theme);
      failures.push(...(await audit(frame, `reachability ${theme.key} 640`)));
      await photo(`reachability-${theme.key}`, true);
    }
    // back to the theme the ui scenarios started with, for whatever runs next
    await setTheme(frame, startTheme ?? THEMES[1]);
    if (failures.length) throw new Error(`${failures.length} finding(s): ${failures.slice(0, 12).join(' | ')}`);
  });
}
