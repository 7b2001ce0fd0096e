// Quick fixes through the protocol: for each test/fixtures/fixes/NAME.yaml, apply the preferred fix
// of the first fixable diagnostic, wait for the new diagnostics, repeat until none is left, and
// compare the text with NAME.fixed.yaml.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { LspClient, ROOT, applyEdits, editsOf } from './support/lsp-client';

const DIR = path.join(ROOT, 'test', 'fixtures', 'fixes');
let client: LspClient;
before(async () => {
  client = await LspClient.start();
});
after(async () => {
  await client.stop();
});

for (const name of readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml') && !f.endsWith('.fixed.yaml'))
  .sort()) {
  test(`quick fixes: ${name}`, async () => {
    const uri = client.uriFor(`fix-${name}`);
    let text = readFileSync(path.join(DIR, name), 'utf8');
    await client.open(uri, text);
    const applied: string[] = [];
    for (let round = 0; round < 30; round++) {
      const diags = await client.diagnostics(uri);
      let done = true;
      for (const d of diags) {
        // quick fixes only (an Ingress also offers its migration to the Gateway API as a refactoring)
        const actions = (await client.codeActions(uri, [d])).filter((a) => a.kind === 'quickfix');
        const fix = actions.find((a) => a.isPreferred) ?? (actions.length === 1 ? actions[0] : undefined);
        if (!fix) continue;
        applied.push(`${d.code}: ${fix.title}`);
        text = applyEdits(text, editsOf(fix, uri));
        await client.change(uri, text);
        done = false;
        break;
      }
      if (done) break;
    }
    const goldenPath = path.join(DIR, name.replace(/\.yaml$/, '.fixed.yaml'));
    if (!existsSync(goldenPath) && process.env.UPDATE_GOLDEN === '1') writeFileSync(goldenPath, text);
    assert.ok(applied.length > 0, 'at least one quick fix applied');
    assert.equal(text, readFileSync(goldenPath, 'utf8'), `after applying:\n${applied.join('\n')}`);
    const remaining = (await client.diagnostics(uri)).filter((d) => d.severity === 1);
    assert.deepEqual(
      remaining.map((d) => d.message),
      [],
      'no error left after the fixes',
    );
  });
}
