// Text from manifests is made safe wherever it is shown: terminal escapes for control and bidi
// characters (CLI), Markdown escapes for link, image, HTML, code and table syntax (CLI matrix
// --markdown, the webview's Markdown export, hovers). The functions live in server/src/protocol/escape.ts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeMarkdown, markdownCode, printable } from '../server/src/protocol/escape';
import { parseFile } from '../server/src/syntax/file';
import { resourcesOf } from '../server/src/model/resource';
import { WorkspaceIndex } from '../server/src/workspace/index';
import { explainHover } from '../server/src/features/hover-explain';
import { hover } from '../server/src/features/hover';

test('printable: C0, DEL, C1 and bidi controls become escapes; tab stays; newline stays unless one line is asked for', () => {
  assert.equal(printable('a\x1b]0;t\x07b'), 'a\\x1b]0;t\\x07b');
  assert.equal(printable('\x00\x7f\x9b\x85'), '\\x00\\x7f\\x9b\\x85');
  assert.equal(
    printable('\u202egnp.exe\u2066x\u2069\u200e\u200f\u061c'),
    '\\u{202e}gnp.exe\\u{2066}x\\u{2069}\\u{200e}\\u{200f}\\u{61c}',
  );
  assert.equal(printable('a\tb\nc'), 'a\tb\nc');
  assert.equal(printable('a\nb\rc', true), 'a\\nb\\rc');
  assert.equal(printable('plain café ✓ 名前'), 'plain café ✓ 名前');
  // invisible characters that make one name look like another are escaped too (the set the webview marks)
  assert.equal(printable('we\u200bb\u00ad\ufeff\u2060'), 'we\\u{200b}b\\xad\\u{feff}\\u{2060}');
  assert.equal(printable('lone \ud800 surrogate'), 'lone \\u{d800} surrogate');
});

test('escapeMarkdown: links, images, autolinks, HTML, entities, code spans and pipes stay literal', () => {
  assert.equal(escapeMarkdown('[x](javascript:alert(1))'), '\\[x\\]\\(javascript:alert\\(1\\)\\)');
  assert.equal(escapeMarkdown('![i](http://e/x.png)'), '\\!\\[i\\]\\(http://e/x.png\\)');
  assert.equal(escapeMarkdown('<img src=x onerror=alert(1)>'), '\\<img src=x onerror=alert\\(1\\)\\>');
  assert.equal(escapeMarkdown('a|b `c` &amp; \\'), 'a\\|b \\`c\\` \\&amp; \\\\');
  assert.equal(escapeMarkdown('two\nlines'), 'two lines');
  assert.equal(escapeMarkdown('web-frontend_1.example.com'), 'web-frontend_1.example.com');
  assert.equal(markdownCode('web-frontend'), '`web-frontend`');
  assert.equal(markdownCode('a`b'), 'a\\`b');
});

function indexOf(files: Record<string, string>) {
  const index = new WorkspaceIndex();
  const parsed = new Map<string, ReturnType<typeof parseFile>>();
  for (const [uri, text] of Object.entries(files)) {
    const p = parseFile(text);
    parsed.set(uri, p);
    index.setFile(
      uri,
      p.docs.flatMap((d) => resourcesOf(d)),
    );
  }
  return { index, parsed };
}

const LINK = '[x](javascript:alert(1))';

test('hovers: workload names, a Service type and a kind from the manifest never become links, HTML or raw escapes', () => {
  const deployment = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${JSON.stringify(LINK + '\x1b[2J')}\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: c\n        image: x\n        ports:\n        - containerPort: 80\n`;
  const service = `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: "<img src=x onerror=alert(1)>"\n  selector:\n    app: web\n  ports:\n  - port: 80\n`;
  const { index, parsed } = indexOf({ 'file:///d.yaml': deployment, 'file:///s.yaml': service });
  const doc = parsed.get('file:///s.yaml')!.docs[0];
  const h = explainHover(doc, service.indexOf('name: web') + 6, 'file:///s.yaml', index);
  assert.ok(h, 'a hover on the Service name');
  assert.ok(!h.markdown.includes('[x](javascript:'), h.markdown);
  assert.doesNotMatch(h.markdown, /(^|[^\\])<img/, 'no HTML');
  assert.doesNotMatch(h.markdown, /[\x00-\x09\x0b-\x1f\x7f-\x9f]/, 'no raw control character');
  assert.ok(h.markdown.includes('Deployment \\[x\\]\\(javascript:alert\\(1\\)\\)\\\\x1b\\[2J'), h.markdown);
  assert.ok(h.markdown.includes('(\\<img src=x onerror=alert\\(1\\)\\>)'), h.markdown);

  const kindText = `apiVersion: "v1\`<b>"\nkind: "Service ${LINK}"\nmetadata:\n  name: x\n`;
  const kindDoc = parseFile(kindText).docs[0];
  const k = hover(kindDoc, kindText.indexOf('kind') + 1);
  assert.ok(k, 'a hover on kind');
  // the backtick cannot end the code span early: the HTML stays inside it, as text
  assert.equal(
    k.markdown,
    "`v1'<b>` is not a version Kube NetLens knows for Service \\[x\\]\\(javascript:alert\\(1\\)\\).",
  );
});
