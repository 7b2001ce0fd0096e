// The routing preview webview (dist/webview.js) in real headless Chromium. The page is the panel's own
// HTML and CSP; every request it makes is answered by the real language server (dist/server.js over
// stdio) for test/fixtures/preview/routes.yaml. Screenshots land in test-artifacts/webview/.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { WebviewHarness, chromiumMissing, THEMES } from './support/webview-harness';
import { ROOT } from './support/lsp-client';
import type { WebviewToHost } from '../server/src/protocol/preview';

const FIXTURE = readFileSync(path.join(ROOT, 'test/fixtures/preview/routes.yaml'), 'utf8');
const XSS = '<img src=x onerror=alert(1)>';
const missing = process.env.CI ? undefined : chromiumMissing();

mkdirSync(path.join(ROOT, 'test-artifacts', 'webview'), { recursive: true });

/**
 * Make a toolbar control visible as a user would: when the toolbar has no room for it, it sits in the More
 * menu, which is opened first.
 */
async function showControl(h: WebviewHarness, selector: string): Promise<void> {
  if (await h.page.locator(selector).isVisible()) return;
  if (
    (await h.page.locator('#toolbar-more').isVisible()) &&
    (await h.page.locator('#toolbar-more').getAttribute('aria-expanded')) !== 'true'
  )
    await h.page.click('#toolbar-more');
  await h.page.locator(selector).waitFor({ state: 'visible' });
}

/** Line (0-based) of the first line of the fixture that equals `text` after trimming, from `after`. */
function lineOf(text: string, from = 0): number {
  const lines = FIXTURE.split('\n');
  for (let i = from; i < lines.length; i++) if (lines[i].trim() === text) return i;
  throw new Error(`fixture has no line "${text}"`);
}

describe('routing preview webview in Chromium', { skip: missing }, () => {
  let h: WebviewHarness;

  before(async () => {
    h = await WebviewHarness.start('routes.yaml', FIXTURE);
    await h.page.waitForSelector('#graph g.node');
  });

  after(async () => {
    await h?.stop();
  });

  const nodeText = (id: string) =>
    h.page.locator(`g.node[data-id="${id}"]`).evaluate((e) =>
      Array.from(e.querySelectorAll('text'))
        .map((t) => t.textContent)
        .join(' | '),
    );
  const nodeClass = (id: string) => h.page.locator(`g.node[data-id="${id}"]`).getAttribute('class');

  test('the graph shows hosts, paths, Services and workloads with their edges and labels', async () => {
    const ids = await h.page.$$eval('g.node', (ns) => ns.map((n) => n.getAttribute('data-id')));
    for (const id of [
      'host:shop.example.com',
      'host:*.shop.example.com',
      'host:api.example.com',
      'path:shop/storefront/0/1',
      'svc:shop/storefront',
      'wl:Deployment/shop/storefront',
      'svc:shop/orders',
      'entry:shop/admin',
      'wl:Deployment/shop/api',
    ]) {
      assert.ok(ids.includes(id), `node ${id} is drawn (drawn: ${ids.join(', ')})`);
    }
    assert.equal(
      await nodeText('path:shop/storefront/0/1'),
      '/healthz | Exact | Ingress shop/storefront | class nginx',
    );
    assert.match(await nodeText('wl:Deployment/shop/storefront'), /2 replicas \| web: 8080 \(http\)\/TCP/);
    assert.match(await nodeText('entry:shop/admin'), /^NodePort :30080/);
    // a valid certificate covers shop.example.com; api-tls is not defined
    assert.match((await nodeClass('host:shop.example.com'))!, /\btls-secure\b/);
    assert.match((await nodeClass('host:api.example.com'))!, /\btls-warning\b/);
    // the missing Service and the edge to a port that does not exist carry the rules' findings, with the
    // rules' severity (as in the Problems panel: a warning for the Service the workspace lacks, an error
    // for the port the Service in the workspace does not have)
    assert.match((await nodeClass('svc:shop/orders'))!, /\bkind-missing\b.*\bwarning\b/);
    const edge = h.page.locator('g.edge[data-id="path:shop/api/0/2->svc:shop/api"]');
    assert.match((await edge.getAttribute('class'))!, /\berror\b/);
    assert.equal(await edge.locator('text').textContent(), '⚠ :9999');
    assert.match((await edge.locator('title').textContent())!, /Service "api" has no port 9999/);
    assert.equal(
      await h.page
        .locator('g.edge[data-id="path:shop/storefront/0/0->svc:shop/storefront"] text')
        .textContent(),
      'port "http"',
    );
    const edgeCount = await h.page.locator('g.edge').count();
    assert.equal(edgeCount, 16);
    await h.screenshot('graph');
  });

  test('a manifest string holding markup shows as text and runs nothing', async () => {
    const label = await h.page.locator('g.node[data-id="path:shop/api/0/2"] text.label').textContent();
    assert.equal(label, `/${XSS}`);
    assert.equal(await h.page.locator('img').count(), 0, 'no <img> element was created');
    await h.page.locator('g.node[data-id="path:shop/api/0/2"]').click();
    assert.equal(await h.page.locator('#node-details h2').textContent(), `/${XSS}`);
    assert.equal(await h.page.locator('img').count(), 0);
    assert.deepEqual(h.dialogs, [], 'no dialog opened');
    assert.deepEqual(h.pageErrors, []);
    assert.deepEqual(
      await h.page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
      [],
      'no CSP violation',
    );
  });

  test('clicking a node asks the editor to reveal its YAML', async () => {
    const before = h.reveals().length;
    await h.page.locator('g.node[data-id="svc:shop/api"]').click();
    await h.waitForMessage(
      (m): m is Extract<WebviewToHost, { type: 'reveal' }> =>
        m.type === 'reveal' && h.reveals().length > before,
    );
    const loc = h.reveals().at(-1)!;
    assert.equal(loc.uri, h.uri);
    // the Service's metadata.name, after "kind: Service" of the api Service
    const svcLine = lineOf('name: api', lineOf('kind: Service', lineOf('name: api')));
    assert.equal(loc.range.start.line, svcLine);
    assert.equal(await h.page.locator('#node-details h2').textContent(), 'api');
  });

  test('the keyboard reaches nodes, with a visible focus ring, and Enter reveals', async () => {
    await h.page.locator('g.node[data-id="host:shop.example.com"]').focus();
    await h.page.keyboard.press('ArrowRight');
    const focused = await h.page.evaluate(() => document.activeElement?.getAttribute('data-id'));
    assert.match(focused ?? '', /^path:shop\/storefront\/0\//);
    const outline = await h.page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    assert.notEqual(outline, 'none');
    const before = h.reveals().length;
    await h.page.keyboard.press('Enter');
    await h.waitForMessage((m): m is WebviewToHost => m.type === 'reveal' && h.reveals().length > before);
  });

  test('the URL tester lights up the Exact path and says why', async () => {
    await h.page.fill('#url', 'https://shop.example.com/healthz');
    await h.page.click('#test-url');
    await h.page.waitForSelector('g.node.hl');
    const lit = await h.page.$$eval('g.node.hl', (ns) => ns.map((n) => n.getAttribute('data-id')).sort());
    assert.deepEqual(
      lit,
      [
        'host:shop.example.com',
        'path:shop/storefront/0/1',
        'svc:shop/storefront',
        'wl:Deployment/shop/storefront',
      ].sort(),
    );
    const litEdges = await h.page.$$eval('g.edge.hl', (es) =>
      es.map((e) => e.getAttribute('data-id')).sort(),
    );
    assert.deepEqual(
      litEdges,
      [
        'host:shop.example.com->path:shop/storefront/0/1',
        'path:shop/storefront/0/1->svc:shop/storefront',
        'svc:shop/storefront->wl:Deployment/shop/storefront',
      ].sort(),
    );
    assert.equal(await h.page.locator('#url-result h2').textContent(), 'Exact match');
    assert.match(
      (await h.page.locator('#url-summary').textContent())!,
      /Exact \/healthz in Ingress shop\/storefront, chosen as Exact match \(wins over 1 Prefix/,
    );
    await h.screenshot('url-exact');
  });

  test('the URL tester explains the longest Prefix, and names the nearest rule when nothing matches', async () => {
    await h.page.fill('#url', 'https://shop.example.com/cart/items');
    await h.page.click('#test-url');
    await h.page.waitForFunction(
      () => document.querySelector('#url-result h2')?.textContent === 'Longest Prefix match',
    );
    assert.ok(await h.page.locator('g.node.hl[data-id="path:shop/storefront/0/0"]').count());

    await h.page.fill('#url', 'https://apx.example.com/v2/orders');
    await h.page.click('#test-url');
    await h.page.waitForFunction(() => document.querySelector('#url-result h2')?.textContent === 'No match');
    assert.equal(await h.page.locator('g.node.hl').count(), 0);
    assert.match((await nodeClass('path:shop/api/0/1'))!, /\bnearest\b/);
    assert.match(
      (await h.page.locator('#url-summary').textContent())!,
      /No rule matches https:\/\/apx\.example\.com\/v2\/orders: .*Nearest rule: api\.example\.com Exact \/v2\/orders in Ingress shop\/api \(host api\.example\.com differs from apx\.example\.com by one label/,
    );
    await h.screenshot('url-no-match');
  });

  test("the host filter keeps only that host's routes", async () => {
    await h.page.fill('#url', '');
    await h.page.click('#test-url');
    await showControl(h, '#filter-host');
    await h.page.selectOption('#filter-host', 'api.example.com');
    await h.page.waitForFunction(() => !document.querySelector('g.node[data-id="host:shop.example.com"]'));
    const ids = await h.page.$$eval('g.node', (ns) => ns.map((n) => n.getAttribute('data-id')).sort());
    assert.deepEqual(
      ids,
      [
        'host:api.example.com',
        'path:shop/api/0/0',
        'path:shop/api/0/1',
        'path:shop/api/0/2',
        'svc:shop/api',
        'svc:shop/orders',
        'wl:Deployment/shop/api',
      ].sort(),
    );
    await showControl(h, '#filter-host');
    await h.page.selectOption('#filter-host', '');
    await h.page.waitForSelector('g.node[data-id="host:shop.example.com"]');
  });

  test('an edit in the YAML shows after a refresh, keeping zoom and selection', async () => {
    await showControl(h, '#zoom-in');
    await h.page.click('#zoom-in');
    await h.page.keyboard.press('Escape'); // closes the More menu if the zoom buttons were in it
    await h.page.locator('g.node[data-id="svc:shop/storefront"]').click();
    const transform = await h.page.locator('g.viewport').getAttribute('transform');
    const rendered = await h.page.evaluate(() => document.body.dataset.rendered);
    await h.lsp.change(h.uri, FIXTURE.replace('      - path: /healthz\n', '      - path: /status\n'));
    await h.send({ type: 'refresh', uri: h.uri, title: 'routes.yaml' });
    await h.page.waitForFunction((r) => document.body.dataset.rendered !== r, rendered);
    assert.equal(
      await h.page.locator('g.node[data-id="path:shop/storefront/0/1"] text.label').textContent(),
      '/status',
    );
    assert.equal(await h.page.locator('g.viewport').getAttribute('transform'), transform);
    assert.match((await nodeClass('svc:shop/storefront'))!, /\bselected\b/);
    await h.lsp.change(h.uri, FIXTURE);
  });

  test('Export SVG sends a standalone SVG of the graph', async () => {
    const before = h.received.length;
    await showControl(h, '#export-svg');
    await h.page.click('#export-svg');
    const m = await h.waitForMessage(
      (x): x is Extract<WebviewToHost, { type: 'export' }> =>
        x.type === 'export' && x.format === 'svg' && h.received.indexOf(x) >= before,
    );
    assert.match(m.content, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.ok(m.content.includes('shop.example.com'));
    assert.ok(m.content.includes('/&lt;img src=x onerror=alert(1)&gt;'), 'markup is escaped in the export');
  });

  test('the reachability matrix answers per port and a cell explains itself with links', async () => {
    await h.page.click('#tab-reach');
    await h.page.waitForSelector('#matrix');
    await showControl(h, '#port');
    await h.page.fill('#port', '5432');
    await showControl(h, '#apply-port');
    await h.page.click('#apply-port');
    await h.page.waitForFunction(() =>
      document.querySelector('#matrix caption')?.textContent?.includes('5432/TCP'),
    );
    const cell = (from: string, to: string) =>
      h.page.locator(`button.cell[data-from="${from}"][data-to="${to}"]`);
    assert.match((await cell('shop/api', 'shop/db').getAttribute('class'))!, /\ballow\b/);
    assert.equal(await cell('shop/api', 'shop/db').locator('.codicon-check').count(), 1);
    assert.equal(
      await cell('shop/api', 'shop/db').getAttribute('aria-label'),
      'shop/api to shop/db: allowed',
    );
    assert.match((await cell('shop/storefront', 'shop/db').getAttribute('class'))!, /\bdeny\b/);
    assert.equal(await cell('shop/storefront', 'shop/db').locator('.codicon-close').count(), 1);
    await cell('shop/storefront', 'shop/db').click();
    await h.page.waitForSelector('#explanation');
    assert.equal(await h.page.locator('#explanation h2').textContent(), 'shop/storefront → shop/db: denied');
    const reasons = await h.page.$$eval('#explanation li.reason', (ls) => ls.map((l) => l.textContent));
    assert.ok(
      reasons.some((r) =>
        r?.includes(
          'shop/db-from-api isolates shop/db for Ingress; none of its ingress rules allows shop/storefront on 5432/TCP',
        ),
      ),
      reasons.join('\n'),
    );
    assert.ok(
      reasons.some((r) => r?.includes('egress[1]: no to peer matches shop/db')),
      reasons.join('\n'),
    );
    const before = h.reveals().length;
    await h.page.locator('#explanation .policies button', { hasText: 'shop/db-from-api (ingress)' }).click();
    await h.waitForMessage((m): m is WebviewToHost => m.type === 'reveal' && h.reveals().length > before);
    assert.equal(h.reveals().at(-1)!.range.start.line, lineOf('name: db-from-api'));
    await h.screenshot('matrix');
  });

  test('Export Markdown writes the matrix as a table', async () => {
    const before = h.received.length;
    await showControl(h, '#export-md');
    await h.page.click('#export-md');
    const m = await h.waitForMessage(
      (x): x is Extract<WebviewToHost, { type: 'export' }> =>
        x.type === 'export' && x.format === 'markdown' && h.received.indexOf(x) >= before,
    );
    const lines = m.content.split('\n');
    assert.equal(lines[0], 'Reachability on 5432/TCP (row → column):');
    assert.equal(lines[2], '| from \\ to | shop/api | shop/db | shop/storefront |');
    assert.equal(lines[4], '| shop/api | — | ✅ allow | ❌ deny |');
    assert.equal(lines[6], '| shop/storefront | ❌ deny | ❌ deny | — |');
  });

  test('malformed messages from the host are ignored', async () => {
    await h.page.evaluate(() => {
      window.dispatchEvent(
        new MessageEvent('message', { data: { type: 'response', id: 'x', result: '<b>' } }),
      );
      window.dispatchEvent(new MessageEvent('message', { data: { type: 'init', view: 'nope' } }));
      window.dispatchEvent(new MessageEvent('message', { data: '<script>' }));
    });
    assert.equal(await h.page.locator('#matrix').count(), 1);
    assert.deepEqual(h.pageErrors, []);
    assert.deepEqual(h.dialogs, []);
  });
});

describe('names with bidi controls and invisible characters in Chromium', { skip: missing }, () => {
  // Bidi embeddings, overrides, isolates and marks, the Arabic letter mark, zero-width characters, controls.
  const RAW =
    /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u200B-\u200D\uFEFF\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
  const TEXT = readFileSync(path.join(ROOT, 'test/fixtures/preview/hidden-characters.yaml'), 'utf8');
  let h: WebviewHarness;

  before(async () => {
    h = await WebviewHarness.start('hidden-characters.yaml', TEXT);
    await h.page.waitForSelector('#graph g.node');
  });

  after(async () => {
    await h?.stop();
  });

  /** Text the user can read: text nodes, and every attribute shown or spoken (not the data-* keys). */
  const shownText = () =>
    h.page.evaluate(() => {
      const attrs = Array.from(document.querySelectorAll('#app *')).flatMap((e) =>
        Array.from(e.attributes)
          .filter((a) => !a.name.startsWith('data-') && a.name !== 'value')
          .map((a) => a.value),
      );
      return [document.getElementById('app')!.textContent ?? '', ...attrs].join('\n');
    });

  test('a node named with U+202E shows the visible mark in its own style and no raw control', async () => {
    const svc = h.page.locator('g.node.kind-service');
    assert.equal(await svc.count(), 1);
    assert.equal(await svc.locator('text.label').textContent(), 'invoice⟨U+202E⟩fdp.exe');
    const mark = svc.locator('text.label tspan.char-mark');
    assert.equal(await mark.textContent(), '⟨U+202E⟩');
    const fills = await svc
      .locator('text.label')
      .evaluate((t) => [
        getComputedStyle(t).fill,
        getComputedStyle(t.querySelector('tspan.char-mark')!).fill,
      ]);
    assert.notEqual(fills[1], fills[0], 'the mark is drawn in a colour of its own');
    const path = h.page.locator('g.node.kind-path').first();
    assert.equal(await path.locator('text.label').textContent(), '/doc⟨U+202E⟩fdp.exe');
    assert.match((await path.locator('title').textContent())!, /Ingress billing\/bills⟨U\+2067⟩⟨U\+2066⟩x/);
    // the missing Service "pay\u200Fments" (a right-to-left mark, not the zero-width space of the Deployment)
    assert.equal(await h.page.locator('g.node.kind-missing text.label').textContent(), 'pay⟨U+200F⟩ments');
    const shown = await shownText();
    assert.ok(shown.includes('⟨U+202E⟩'));
    assert.doesNotMatch(shown, RAW, 'no raw control anywhere on the page');
    await h.screenshot('hidden-characters');
  });

  test('the details pane shows the marks, with the character named on hover', async () => {
    await h.page.locator('g.node.kind-service').click();
    assert.equal(await h.page.locator('#node-details h2').textContent(), 'invoice⟨U+202E⟩fdp.exe');
    const mark = h.page.locator('#node-details h2 span.char-mark');
    assert.equal(await mark.getAttribute('title'), '⟨U+202E⟩ RIGHT-TO-LEFT OVERRIDE');
    assert.doesNotMatch(await shownText(), RAW);
  });

  test('the exported SVG carries the marks and no raw control', async () => {
    const before = h.received.length;
    await showControl(h, '#export-svg');
    await h.page.click('#export-svg');
    const m = await h.waitForMessage(
      (x): x is Extract<WebviewToHost, { type: 'export' }> =>
        x.type === 'export' && x.format === 'svg' && h.received.indexOf(x) >= before,
    );
    assert.ok(m.content.includes('invoice<tspan class="char-mark"'), 'the mark is its own tspan');
    assert.ok(m.content.includes('⟨U+202E⟩fdp.exe'));
    assert.doesNotMatch(m.content, RAW);
  });

  test("the matrix, a cell's explanation and the Markdown export show the marks", async () => {
    await h.page.click('#tab-reach');
    await h.page.waitForSelector('#matrix');
    await showControl(h, '#port');
    await h.page.fill('#port', '8080');
    await showControl(h, '#apply-port');
    await h.page.click('#apply-port');
    await h.page.waitForFunction(() =>
      document.querySelector('#matrix caption')?.textContent?.includes('8080/TCP'),
    );
    const heads = await h.page.$$eval('#matrix thead th', (ths) => ths.map((t) => t.textContent));
    assert.deepEqual(heads, ['from \\ to', 'billing/invoice⟨U+202E⟩fdp.exe', 'billing/pay⟨U+200B⟩ments']);
    // the diagonal: the invoice pod reaches itself through its own Service (service hairpin)
    await h.page.locator('button.cell.hairpin').first().click();
    await h.page.waitForFunction(() =>
      document.querySelector('#explanation h2')?.textContent?.includes('itself through Service'),
    );
    assert.match(
      (await h.page.locator('#explanation h2').textContent())!,
      /^billing\/invoice⟨U\+202E⟩fdp\.exe → itself through Service billing\/invoice⟨U\+202E⟩fdp\.exe: allowed$/,
    );
    await h.page.locator('button.cell:not(.hairpin)').first().click();
    await h.page.waitForFunction(() =>
      document.querySelector('#explanation h2')?.textContent?.includes('pay'),
    );
    assert.match(
      (await h.page.locator('#explanation h2').textContent())!,
      /^billing\/invoice⟨U\+202E⟩fdp\.exe → billing\/pay⟨U\+200B⟩ments: allowed$/,
    );
    assert.doesNotMatch(await shownText(), RAW);
    const before = h.received.length;
    await showControl(h, '#export-md');
    await h.page.click('#export-md');
    const m = await h.waitForMessage(
      (x): x is Extract<WebviewToHost, { type: 'export' }> =>
        x.type === 'export' && x.format === 'markdown' && h.received.indexOf(x) >= before,
    );
    assert.equal(
      m.content.split('\n')[2],
      '| from \\ to | billing/invoice⟨U+202E⟩fdp.exe | billing/pay⟨U+200B⟩ments |',
    );
    assert.doesNotMatch(m.content, RAW);
    assert.deepEqual(h.pageErrors, []);
  });
});

/** 'rgb(r, g, b)' / 'rgba(r, g, b, a)' as numbers. */
function rgb(css: string): [number, number, number, number] {
  const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(css);
  if (!m) throw new Error(`not a colour: ${css}`);
  return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
}

function hexToRgb(hex: string): string {
  const n = parseInt(hex.slice(1, 7), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}

/** WCAG contrast ratio of two opaque colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = rgb(c)
      .slice(0, 3)
      .map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

for (const theme of ['high-contrast', 'high-contrast-light', 'light'] as const) {
  const hc = theme.startsWith('high-contrast');
  describe(`routing preview in the ${theme} theme`, { skip: missing }, () => {
    let h: WebviewHarness;
    const vars = THEMES[theme].vars;
    const style = (selector: string, prop: string) =>
      h.page
        .locator(selector)
        .first()
        .evaluate((e, p) => getComputedStyle(e).getPropertyValue(p), prop);

    before(async () => {
      h = await WebviewHarness.start('routes.yaml', FIXTURE, { theme });
      await h.page.waitForSelector('#graph g.node');
    });

    after(async () => {
      await h?.stop();
    });

    test('the page carries the theme class and the codicon font loads under the CSP', async () => {
      assert.ok(await h.page.evaluate((c) => document.body.classList.contains(c), THEMES[theme].bodyClass));
      const font = await h.page.evaluate(async () => {
        await document.fonts.ready;
        const faces: FontFace[] = [];
        document.fonts.forEach((f) => faces.push(f));
        return faces.filter((f) => f.family.replace(/["']/g, '') === 'codicon').map((f) => f.status);
      });
      assert.deepEqual(font, ['loaded']);
      // a toolbar icon is drawn by the font: its ::before holds a glyph and is 14px wide
      await showControl(h, '#zoom-in');
      const glyph = await h.page.locator('#zoom-in .codicon').evaluate((e) => ({
        content: getComputedStyle(e, '::before').content,
        width: e.getBoundingClientRect().width,
      }));
      assert.notEqual(glyph.content, 'none');
      assert.ok(glyph.width >= 12 && glyph.width <= 16, `icon width ${glyph.width}`);
      assert.deepEqual(
        await h.page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
        [],
      );
      assert.deepEqual(h.pageErrors, []);
    });

    test('graph: borders, focus outline and highlight are visible and labels contrast with their nodes', async () => {
      const rectStroke = await style('g.node[data-id="svc:shop/storefront"] rect', 'stroke-width');
      assert.equal(rectStroke, hc ? '2px' : '1px');
      // toolbar buttons: the contrast border in high contrast, none in the light theme
      const border = await style('#zoom-in', 'border-top-color');
      if (hc) {
        assert.equal(border, hexToRgb(vars['--vscode-contrastBorder']));
        assert.equal(await style('#zoom-in', 'border-top-style'), 'solid');
        assert.equal(
          await style('.toolbar', 'border-bottom-color'),
          hexToRgb(vars['--vscode-contrastBorder']),
        );
      } else {
        assert.equal(rgb(border)[3], 0, `transparent button border in ${theme}, got ${border}`);
      }
      // label text against the node's fill, button text against the button
      const label = await style('g.node[data-id="svc:shop/storefront"] text.label', 'fill');
      const fill = await style('g.node[data-id="svc:shop/storefront"] rect', 'fill');
      assert.ok(
        contrast(label, fill) >= (hc ? 7 : 4.5),
        `label contrast ${contrast(label, fill).toFixed(2)} (${label} on ${fill})`,
      );
      // every toolbar button's text against its background (the page's where the button has none)
      const page = await style('body', 'background-color');
      for (const id of [
        'tab-routes',
        'tab-reach',
        'test-url',
        'zoom-out',
        'zoom-reset',
        'zoom-fit',
        'zoom-in',
        'export-svg',
      ]) {
        const fg = await style(`#${id}`, 'color');
        const bg = await style(`#${id}`, 'background-color');
        const ratio = contrast(fg, rgb(bg)[3] === 0 ? page : bg);
        assert.ok(ratio >= 4.5, `#${id}: contrast ${ratio.toFixed(2)} (${fg} on ${bg})`);
      }

      // keyboard focus on a node: a solid outline in the theme's (active) focus colour
      await h.page.locator('g.node[data-id="host:shop.example.com"]').focus();
      await h.page.keyboard.press('ArrowRight');
      const focus = await h.page.evaluate(() => {
        const cs = getComputedStyle(document.activeElement!);
        return {
          id: document.activeElement!.getAttribute('data-id'),
          style: cs.outlineStyle,
          color: cs.outlineColor,
          width: cs.outlineWidth,
        };
      });
      assert.match(focus.id ?? '', /^path:shop\/storefront\/0\//);
      assert.equal(focus.style, 'solid');
      assert.equal(focus.width, '2px');
      assert.equal(
        focus.color,
        hexToRgb(hc ? vars['--vscode-contrastActiveBorder'] : vars['--vscode-focusBorder']),
      );
      // Tab from the URL field to its button: the button shows the same ring
      await h.page.locator('#url').focus();
      await h.page.keyboard.press('Tab');
      const btnFocus = await h.page.evaluate(() => ({
        id: document.activeElement!.id,
        style: getComputedStyle(document.activeElement!).outlineStyle,
      }));
      assert.deepEqual(btnFocus, { id: 'test-url', style: 'solid' });

      // the URL tester's highlight: in high contrast an outline in the active border colour, not a fill
      await h.page.fill('#url', 'https://shop.example.com/healthz');
      await h.page.click('#test-url');
      await h.page.waitForSelector('g.node.hl');
      const hl = await style('g.node.hl[data-id="svc:shop/storefront"] rect', 'stroke');
      if (hc) {
        assert.equal(hl, hexToRgb(vars['--vscode-contrastActiveBorder']));
        assert.equal(await style('g.node.hl[data-id="svc:shop/storefront"] rect', 'stroke-width'), '4px');
      } else assert.notEqual(hl, await style('g.node[data-id="svc:shop/api"] rect', 'stroke'));
      await h.page.locator('g.node[data-id="path:shop/storefront/0/1"]').focus();
      await h.screenshot(`graph-${theme}`);
    });

    test('matrix: cell borders and the selected cell are visible, the explanation shows', async () => {
      await h.page.click('#tab-reach');
      await h.page.waitForSelector('#matrix');
      await showControl(h, '#port');
      await h.page.fill('#port', '5432');
      await showControl(h, '#apply-port');
      await h.page.click('#apply-port');
      await h.page.waitForFunction(() =>
        document.querySelector('#matrix caption')?.textContent?.includes('5432/TCP'),
      );
      if (hc)
        assert.equal(
          await style('table.matrix td', 'border-top-color'),
          hexToRgb(vars['--vscode-contrastBorder']),
        );
      const cell = h.page.locator('button.cell[data-from="shop/storefront"][data-to="shop/db"]');
      await cell.click();
      await h.page.waitForSelector('#explanation');
      assert.equal(
        await h.page.locator('#explanation h2').textContent(),
        'shop/storefront → shop/db: denied',
      );
      const sel = await cell.evaluate((e) => ({
        style: getComputedStyle(e).outlineStyle,
        color: getComputedStyle(e).outlineColor,
      }));
      assert.equal(sel.style, 'solid');
      assert.equal(
        sel.color,
        hexToRgb(hc ? vars['--vscode-contrastActiveBorder'] : vars['--vscode-focusBorder']),
      );
      // allowed and denied differ by icon, not only by colour
      assert.equal(
        await h.page.locator('button.cell.deny .codicon-close').count(),
        await h.page.locator('button.cell.deny').count(),
      );
      assert.equal(
        await h.page.locator('button.cell.allow .codicon-check').count(),
        await h.page.locator('button.cell.allow').count(),
      );
      const deny = await style('button.cell.deny', 'color');
      assert.ok(
        contrast(deny, await style('body', 'background-color')) >= (hc ? 4.5 : 3),
        `deny icon contrast ${deny}`,
      );
      await h.screenshot(`matrix-${theme}`);
    });
  });
}
