// The CLI runs the file-local rules where a file is parsed (a parse thread) and hands their findings
// to the thread that checks it: the findings computed apart, without an index, are those the check
// computes itself, and the check uses what it is handed instead of running the local rules again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseFile } from '../server/src/syntax/file';
import { resourcesOf } from '../server/src/model/resource';
import { WorkspaceIndex } from '../server/src/workspace/index';
import { checkParsedFile, localFindingsOfFile, rememberLocalFindings } from '../server/src/rules/check';
import type { LocalCheckSettings } from '../server/src/rules/check';
import { LOCAL_RULES } from '../server/src/rules/registry';

const RULES_DIR = path.join(__dirname, 'fixtures', 'rules');

function fixtureFiles(): string[] {
  const out: string[] = [];
  for (const folder of readdirSync(RULES_DIR).sort()) {
    const dir = path.join(RULES_DIR, folder);
    if (!folder.includes('.'))
      for (const f of readdirSync(dir).sort()) if (f.endsWith('.yaml')) out.push(path.join(dir, f));
  }
  return out;
}

const LOCAL: LocalCheckSettings = {
  settings: { kubernetesVersion: '1.34', severities: {}, now: Date.UTC(2026, 0, 1) },
  reportSyntax: true,
  defaultNamespace: 'default',
};

/** Every file of the rule fixtures in one index, each parsed twice: one parse for the checking
 * thread, one standing for the parse thread's copy. */
function workspace(files: string[]) {
  const index = new WorkspaceIndex();
  const parsed = new Map<string, ReturnType<typeof parseFile>>();
  for (const f of files) {
    const p = parseFile(readFileSync(f, 'utf8'));
    parsed.set(f, p);
    index.setFile(
      f,
      p.docs.flatMap((d) => resourcesOf(d)),
    );
  }
  return { index, parsed };
}

const options = (uri: string) => ({ settings: LOCAL.settings, reportSyntax: true, uri });

test('file-local findings computed apart (another parse, no index) and handed over give the same check', () => {
  const files = fixtureFiles();
  assert.ok(files.length > 100, `the rule fixtures (${files.length} files)`);
  const plain = workspace(files);
  const handed = workspace(files);
  let localIds = 0;
  for (const f of files) {
    // the parse thread's copy: its own parse of the text
    const apart = parseFile(readFileSync(f, 'utf8'));
    const found = localFindingsOfFile(apart, f, LOCAL);
    assert.ok(
      found.every((x) => x !== undefined),
      `${path.relative(RULES_DIR, f)}: the local rules finish`,
    );
    rememberLocalFindings(handed.parsed.get(f)!, LOCAL, found);
    const expected = checkParsedFile(plain.parsed.get(f)!, plain.index, options(f));
    const got = checkParsedFile(handed.parsed.get(f)!, handed.index, options(f));
    assert.deepEqual(got, expected, `findings of ${path.relative(RULES_DIR, f)}`);
    localIds += expected.filter((x) => LOCAL_RULES.some((r) => r.id === x.ruleId)).length;
  }
  assert.ok(localIds > 100, `the fixtures hold file-local findings (${localIds})`);
});

test('the check uses the file-local findings it is handed instead of running the local rules again', () => {
  const f = path.join(RULES_DIR, 'port-invalid', 'ingress-values.yaml');
  const { index, parsed } = workspace([f]);
  const file = parsed.get(f)!;
  const before = checkParsedFile(parseFile(readFileSync(f, 'utf8')), index, options(f));
  assert.ok(before.some((x) => x.ruleId === 'port-invalid'));
  // a stand-in list: what the check reports must be it, not the rules' own findings
  const marker = {
    ruleId: 'port-invalid',
    severity: 'hint' as const,
    message: 'handed over',
    start: 0,
    end: 1,
  };
  rememberLocalFindings(
    file,
    LOCAL,
    file.docs.map((_, i) => (i === 0 ? [marker] : [])),
  );
  const got = checkParsedFile(file, index, options(f));
  assert.deepEqual(
    got.filter((x) => x.ruleId === 'port-invalid').map((x) => x.message),
    ['handed over'],
  );
  // with other settings the handed findings do not apply: the rules run
  const other = checkParsedFile(file, index, {
    ...options(f),
    settings: { ...LOCAL.settings, kubernetesVersion: '1.30' },
  });
  assert.ok(!other.some((x) => x.message === 'handed over'));
  assert.ok(other.some((x) => x.ruleId === 'port-invalid'));
});
