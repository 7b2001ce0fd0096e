// Every rule id has a fixture folder, test/fixtures/rules/<rule-id>/, run in-process through the
// language service (the facade the server and the CLI use): the folder's .yaml files are one
// workspace, and each file's diagnostics must match its annotations exactly (a missing finding and
// an extra one both fail). The meta-test fails when a rule has no folder, when its folder holds no
// finding of that rule, or when a folder is named after no rule.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { allRuleInfos } from '../server/src/rules/registry';
import { compare, parseAnnotations, type ActualLike } from './support/fixture';
import { RULE_FIXTURES, fixtureInputs, runRuleFolder } from './support/rule-fixtures';

/** Notices about the cost bound of a document, whose inputs are megabytes or depend on the machine's
 * speed: test/adversarial.test.ts covers them with generated shapes instead of a fixture folder. */
const COVERED_ELSEWHERE = new Set(['document-too-complex', 'document-time-budget']);
const RULE_IDS = allRuleInfos()
  .map((r) => r.id)
  .filter((id) => !COVERED_ELSEWHERE.has(id));
const FOLDERS = readdirSync(RULE_FIXTURES)
  .filter((f) => statSync(path.join(RULE_FIXTURES, f)).isDirectory())
  .sort();

test('every rule id has a fixture folder with at least one finding of that rule', () => {
  const missing = RULE_IDS.filter(
    (id) =>
      !existsSync(path.join(RULE_FIXTURES, id)) || fixtureInputs(path.join(RULE_FIXTURES, id)).length === 0,
  );
  assert.deepEqual(
    missing,
    [],
    `rules without a fixture folder under test/fixtures/rules/: ${missing.join(', ')}`,
  );
  const stray = FOLDERS.filter((f) => !RULE_IDS.includes(f));
  assert.deepEqual(stray, [], 'fixture folders named after no rule');
  const silent = FOLDERS.filter(
    (id) =>
      !runRuleFolder(path.join(RULE_FIXTURES, id)).some((f) =>
        parseAnnotations(f.text).some((e) => e.code === id),
      ),
  );
  assert.deepEqual(silent, [], 'fixture folders whose annotations hold no finding of their rule');
});

for (const id of FOLDERS) {
  test(`rules/${id}: every file's diagnostics match its annotations`, () => {
    for (const f of runRuleFolder(path.join(RULE_FIXTURES, id))) {
      const diff = compare(parseAnnotations(f.text), f.actual as ActualLike[]);
      assert.equal(diff, '', `diagnostics of rules/${id}/${f.name} differ:\n${diff}`);
      for (const d of f.actual) {
        assert.equal(d.source, 'kube-netlens');
        assert.match(String(d.codeDescription?.href), new RegExp(`#${d.code}$`));
      }
    }
  });
}
