// The routing preview at the widths people give it (beside an editor at 480, 640 and 800 px, and full
// width), in headless Chromium with the real language server: no text under 11 px, nothing cut off, a
// one-row toolbar whose extra groups sit in a More menu, the details below the graph when narrow. The same
// audit (test/e2e/preview-audit.mjs) runs inside real VS Code in the e2e with the real theme colours.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { WebviewHarness, chromiumMissing } from './support/webview-harness';
import { ROOT } from './support/lsp-client';
import { auditScript } from './e2e/preview-audit.mjs';
import type { PreviewAudit } from './e2e/preview-audit.mjs';
import { wrapText } from '../client/src/webview/graph-layout';

const SHOP = readFileSync(path.join(ROOT, 'test/e2e/workspace/shop-platform.yaml'), 'utf8');
const missing = process.env.CI ? undefined : chromiumMissing();
mkdirSync(path.join(ROOT, 'test-artifacts', 'webview'), { recursive: true });

test('long names wrap after separators, a word only when it is wider than a line', () => {
  const width = (s: string) => s.length * 10;
  const lines = (s: string, max: number) => wrapText(s, max, width).map((l) => l.map((p) => p.text).join(''));
  assert.deepEqual(lines('shop.example.com', 1000), ['shop.example.com']);
  assert.deepEqual(lines('checkout.shop.example.com', 120), ['checkout.', 'shop.', 'example.com']);
  assert.deepEqual(lines('/api/v1/orders/export', 90), ['/api/v1/', 'orders/', 'export']);
  assert.deepEqual(lines('Ingress shop/storefront', 150), ['Ingress shop/', 'storefront']);
  assert.deepEqual(lines('abcdefghijkl', 50), ['abcde', 'fghij', 'kl']);
  // a hidden character's mark is one piece, never split, and stays marked
  const marked = wrapText('pay\u202Ements.example.com', 100, width);
  assert.ok(marked.flat().some((p) => p.hidden && p.text === '⟨U+202E⟩'));
});

for (const width of [480, 640, 800, 1400]) {
  describe(`routing preview ${width} px wide`, { skip: missing }, () => {
    let h: WebviewHarness;
    before(async () => {
      h = await WebviewHarness.start('shop-platform.yaml', SHOP, { width, height: 800, theme: 'light' });
      await h.page.waitForSelector('#graph g.node');
      await h.page.waitForFunction(
        () =>
          document.body.dataset.rendered &&
          document.body.dataset.fontsFitted === 'true' &&
          Number(document.body.dataset.laidWidth) === document.getElementById('canvas')?.clientWidth,
      );
    });
    after(async () => {
      await h?.stop();
    });

    test('text at 11 px or more, every column inside the canvas, the toolbar on one row', async () => {
      const audit = await h.page.evaluate<PreviewAudit>(auditScript());
      assert.deepEqual(audit.failures, []);
      assert.ok(audit.minFont >= 11, `smallest text ${audit.minFont}px at ${audit.minFontAt}`);
      assert.equal(audit.layout, width >= 1400 ? 'columns' : 'outline', `layout at ${width}px`);
      if (width < 900) {
        // the details pane sits under the graph and spans the page
        const [canvas, details] = await h.page.evaluate(() =>
          ['#canvas', '#details'].map((s) => document.querySelector(s)!.getBoundingClientRect().toJSON()),
        );
        assert.ok(details.top >= canvas.bottom - 1, 'details below the graph');
        assert.ok(details.width >= width - 2, `details ${details.width}px wide`);
      }
      await h.screenshot(`layout-${width}`);
    });

    test('the groups that do not fit are in the More menu and work from there', async () => {
      const moved = await h.page.evaluate(() => Number(document.body.dataset.toolbarMoved));
      if (width <= 800) assert.ok(moved > 0, 'some groups moved');
      if (!moved) {
        assert.equal(await h.page.locator('#toolbar-more').isVisible(), false);
        return;
      }
      assert.equal(await h.page.locator('#toolbar-menu').isVisible(), false);
      assert.equal(await h.page.locator('#url').isVisible(), true, 'the URL tester stays in the toolbar');
      await h.page.click('#toolbar-more');
      assert.equal(await h.page.locator('#toolbar-more').getAttribute('aria-expanded'), 'true');
      assert.equal(await h.page.locator('#toolbar-menu').isVisible(), true);
      await h.page.selectOption('#filter-host', 'api.shop.example.com');
      await h.page.waitForFunction(
        () => !document.querySelector('g.node[data-id="host:www.shop.example.com"]'),
      );
      const audit = await h.page.evaluate<PreviewAudit>(auditScript());
      assert.deepEqual(audit.failures, []);
      // the menu stays open across the redraw, closes on Escape and gives the focus back to its button
      assert.equal(await h.page.locator('#filter-host').isVisible(), true);
      await h.page.selectOption('#filter-host', '');
      await h.page.waitForSelector('g.node[data-id="host:www.shop.example.com"]');
      await h.page.keyboard.press('Escape');
      assert.equal(await h.page.locator('#toolbar-menu').isVisible(), false);
      assert.equal(await h.page.evaluate(() => document.activeElement?.id), 'toolbar-more');
    });

    test('the details pane folds to its title bar, gives the graph the room, and stays folded', async () => {
      const box = (sel: string) =>
        h.page.evaluate((s) => document.querySelector(s)!.getBoundingClientRect().toJSON(), sel);
      const toggle = h.page.locator('#details-toggle');
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
      assert.equal(await h.page.locator('#details-body').isVisible(), true);
      const [canvasOpen, paneOpen] = [await box('#canvas'), await box('#details')];
      await toggle.click();
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
      assert.equal(await toggle.getAttribute('title'), 'Show the details pane');
      assert.equal(await h.page.locator('#details-body').isVisible(), false);
      const [canvasFolded, paneFolded] = [await box('#canvas'), await box('#details')];
      if (width < 900) {
        // under the graph: one title line remains, and the graph takes the height
        assert.ok(paneFolded.height < 40, `folded pane ${paneFolded.height}px high`);
        assert.ok(canvasFolded.height > canvasOpen.height, 'the graph grew taller');
      } else {
        // beside the graph: a thin strip remains, and the graph takes the width
        assert.ok(paneFolded.width < 48, `folded pane ${paneFolded.width}px wide`);
        assert.ok(canvasFolded.width > canvasOpen.width + paneOpen.width - 60, 'the graph grew wider');
      }
      const audit = await h.page.evaluate<PreviewAudit>(auditScript());
      assert.deepEqual(audit.failures, []);
      // kept in the webview's saved state (so a reload or a restored panel stays folded)
      assert.equal(await h.page.evaluate(() => (window as any).__state?.detailsCollapsed), true);
      await h.page.keyboard.press('Enter'); // the button keeps the focus: Enter opens it again
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
      assert.equal(await h.page.locator('#details-body').isVisible(), true);
      assert.equal(await h.page.evaluate(() => (window as any).__state?.detailsCollapsed), undefined);
    });

    test('the URL tester result reads in full in the details pane', async () => {
      await h.page.fill('#url', 'https://www.shop.example.com/api/v1/orders?page=2');
      await h.page.click('#test-url');
      await h.page.waitForSelector('#url-result');
      await h.page.waitForSelector('g.node.hl');
      const audit = await h.page.evaluate<PreviewAudit>(auditScript());
      assert.deepEqual(audit.failures, []);
      const summary = await h.page
        .locator('#url-summary')
        .evaluate((e) => ({ text: e.textContent, sw: e.scrollWidth, cw: e.clientWidth }));
      assert.match(summary.text ?? '', /shop\.example\.com\/api\/v1\/orders/);
      assert.ok(summary.sw <= summary.cw + 1, 'the summary wraps instead of overflowing');
    });
  });
}
