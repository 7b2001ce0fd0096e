// docs/rules.md documents every rule id that a diagnostic can carry (its codeDescription links there).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { allRuleInfos } from '../server/src/rules/registry';

test('docs/rules.md has a section for every rule id, with its default severity', () => {
  const doc = readFileSync(path.join(__dirname, '..', 'docs', 'rules.md'), 'utf8');
  const missing = allRuleInfos()
    .filter((r) => !doc.includes(`## ${r.id}\n\nDefault severity: **${r.defaultSeverity}**.`))
    .map((r) => r.id);
  assert.deepEqual(missing, [], 'run `npm run docs:rules` to regenerate docs/rules.md');
});

test('rule ids are unique and kebab-case', () => {
  const ids = allRuleInfos().map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
});
