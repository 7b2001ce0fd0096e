// NetworkPolicy rules through the protocol.
//
// Every test/fixtures/netpol/NAME.yaml is opened on its own in the built server; its diagnostics must
// match the annotations in its comments exactly (a missing and an extra finding both fail). Where a
// NAME.fixed.yaml golden exists, the preferred quick fix of each netpol-* diagnostic is applied
// (then the new diagnostics are awaited) until none is left, and the text must equal the golden.
// The multi-file tests below open several files and follow edits across them.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient, ROOT, applyEdits, editsOf } from './support/lsp-client';
import { compare, parseAnnotations, type ActualLike } from './support/fixture';

const DIR = path.join(ROOT, 'test', 'fixtures', 'netpol');
let client: LspClient;
before(async () => {
  client = await LspClient.start();
});
after(async () => {
  await client.stop();
});

const isNetpol = (d: Diagnostic) => String(d.code).startsWith('netpol-');

const fixtures = readdirSync(DIR).filter((f) => f.endsWith('.yaml') && !f.endsWith('.fixed.yaml')).sort();

for (const name of fixtures) {
  test(`netpol fixture ${name}: diagnostics match the annotations`, async () => {
    const text = readFileSync(path.join(DIR, name), 'utf8');
    const uri = client.uriFor(`netpol-${name}`);
    await client.open(uri, text);
    const actual = await client.diagnostics(uri);
    const diff = compare(parseAnnotations(text), actual as ActualLike[]);
    assert.equal(diff, '', `diagnostics of netpol/${name} differ:\n${diff}`);
    for (const d of actual) {
      assert.equal(d.source, 'kube-netlens');
      assert.match(String(d.codeDescription?.href), new RegExp(`#${d.code}$`));
    }
    await client.close(uri);
  });
}

for (const name of fixtures.filter((f) => existsSync(path.join(DIR, f.replace(/\.yaml$/, '.fixed.yaml'))) || process.env.UPDATE_GOLDEN === '1')) {
  const goldenPath = path.join(DIR, name.replace(/\.yaml$/, '.fixed.yaml'));
  test(`netpol quick fixes ${name}: the text after the fixes equals ${path.basename(goldenPath)}`, async () => {
    const uri = client.uriFor(`netpol-fix-${name}`);
    let text = readFileSync(path.join(DIR, name), 'utf8');
    await client.open(uri, text);
    const applied: string[] = [];
    for (let round = 0; round < 20; round++) {
      const diags = (await client.diagnostics(uri)).filter(isNetpol);
      let changed = false;
      for (const d of diags) {
        const actions = await client.codeActions(uri, [d]);
        const fix = actions.find((a) => a.isPreferred);
        if (!fix) continue;
        applied.push(`${d.code}: ${fix.title}`);
        text = applyEdits(text, editsOf(fix, uri));
        await client.change(uri, text);
        changed = true;
        break;
      }
      if (!changed) break;
    }
    if (process.env.UPDATE_GOLDEN === '1' && !existsSync(goldenPath)) writeFileSync(goldenPath, text);
    assert.ok(applied.length > 0, 'at least one quick fix applied');
    assert.equal(text, readFileSync(goldenPath, 'utf8'), `after applying:\n${applied.join('\n')}`);
    await client.close(uri);
  });
}
