// The webview's "Export Markdown" of the reachability matrix, with Pods whose names carry Markdown
// and HTML: the exported table never holds a link, an image, a tag or an extra column. Real headless
// Chromium and the real language server, as in webview.test.ts.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { WebviewHarness, chromiumMissing } from './support/webview-harness';
import type { WebviewToHost } from '../server/src/protocol/preview';

const missing = process.env.CI ? undefined : chromiumMissing();
const LINK = '[x](javascript:alert(1))';
const HTML = 'a|b<img src=x onerror=alert(1)>';
const pod = (name: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${JSON.stringify(name)}\n  namespace: ns\nspec:\n  containers:\n  - name: c\n    image: x\n    ports:\n    - containerPort: 80\n`;
// a Service makes the file one the preview opens on
const TEXT = [
  pod(LINK),
  pod(HTML),
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: ns\nspec:\n  ports:\n  - port: 80\n',
].join('---\n');

describe('Export Markdown of the matrix with hostile names', { skip: missing }, () => {
  let h: WebviewHarness;
  before(async () => {
    h = await WebviewHarness.start('hostile.yaml', TEXT);
  });
  after(async () => {
    await h?.stop();
  });

  test('names are escaped: no link, no tag, one column per workload', async () => {
    await h.page.click('#tab-reach');
    await h.page.waitForSelector('#matrix');
    await h.page.fill('#port', '80');
    await h.page.click('#apply-port');
    await h.page.waitForFunction(() =>
      document.querySelector('#matrix caption')?.textContent?.includes('80/TCP'),
    );
    const before = h.received.length;
    await h.page.click('#export-md');
    const m = await h.waitForMessage(
      (x): x is Extract<WebviewToHost, { type: 'export' }> =>
        x.type === 'export' && x.format === 'markdown' && h.received.indexOf(x) >= before,
    );
    assert.ok(!m.content.includes('[x](javascript:'), m.content);
    assert.doesNotMatch(m.content, /(^|[^\\])</, 'no tag opens');
    assert.ok(m.content.includes('ns/\\[x\\]\\(javascript:alert\\(1\\)\\)'), m.content);
    assert.ok(m.content.includes('ns/a\\|b\\<img src=x onerror=alert\\(1\\)\\>'), m.content);
    for (const row of m.content.split('\n').filter((l) => l.startsWith('| ')))
      assert.equal(row.replace(/\\\|/g, '').split('|').length - 2, 3, row);
  });
});
