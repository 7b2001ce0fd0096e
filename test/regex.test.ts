// User regular expressions (engine/regex.ts): linear-time evaluation with a typed verdict, PCRE-only
// constructs named instead of guessed, RE2 dialect, anchoring, case-insensitivity and size limits.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  backtrackingOnlyConstruct,
  compileUserRegex,
  matchUserRegex,
  MAX_PATTERN_LENGTH,
  MAX_SUBJECT_LENGTH,
} from '../server/src/engine/regex';
import type { UserRegexOptions } from '../server/src/engine/regex';

const PCRE_I: UserRegexOptions = { dialect: 'pcre', caseInsensitive: true };

function verdict(pattern: string, subject: string, options: UserRegexOptions = PCRE_I): string {
  const v = matchUserRegex(compileUserRegex(pattern, options), subject);
  return v.outcome === 'cannot-evaluate' ? `cannot-evaluate: ${v.reason}` : v.outcome;
}

test('catastrophic-backtracking shapes get an answer (asserted, not timed)', () => {
  assert.equal(verdict('^/(a+)+$', `/${'a'.repeat(26)}!`), 'no-match');
  assert.equal(verdict('^/(a+)+$', `/${'a'.repeat(10000)}!`), 'no-match');
  assert.equal(verdict('^/(a+)+$', `/${'a'.repeat(10000)}`), 'match');
  assert.equal(verdict('^(a|aa)*b', 'a'.repeat(10000)), 'no-match');
  assert.equal(verdict('^(.*a){12}', 'a'.repeat(5000) + '!'), 'match');
});

test('anchoring: none searches, start needs a prefix, full needs the whole text; a stray ")" is not absorbed', () => {
  const table: [UserRegexOptions['anchor'], string, string][] = [
    ['none', '/x/api', 'match'],
    ['start', '/x/api', 'no-match'],
    ['start', '/api/v1', 'match'],
    ['full', '/api/v1', 'no-match'],
    ['full', '/API', 'match'],
  ];
  for (const [anchor, subject, want] of table)
    assert.equal(verdict('/api', subject, { ...PCRE_I, anchor }), want, `${anchor} ${subject}`);
  // wrapped as ^(?:a|b) for 'start': both alternatives are anchored
  assert.equal(verdict('/a|/b', '/x/b', { ...PCRE_I, anchor: 'start' }), 'no-match');
  assert.equal(verdict('^/a|/b', '/x/b'), 'match');
  const stray = compileUserRegex('a)(b', { ...PCRE_I, anchor: 'start' });
  assert.equal(stray.ok, false);
  assert.equal(!stray.ok && stray.problem, 'invalid');
});

test('case: insensitive only when asked', () => {
  assert.equal(verdict('^/Shop', '/sHOP'), 'match');
  assert.equal(verdict('^/Shop', '/sHOP', { dialect: 'pcre' }), 'no-match');
  assert.equal(verdict('^/Shop', '/Shop', { dialect: 'pcre' }), 'match');
});

test('PCRE-only constructs: cannot evaluate (pcre) or invalid (re2), with the construct named', () => {
  const table: [string, string][] = [
    ['^(a)\\1', 'a backreference \\1'],
    ['^(?<n>a)\\k<n>', 'a named backreference \\k'],
    ['^/x(?=y)', 'a lookahead (?=...)'],
    ['^/x(?!y)', 'a negative lookahead (?!...)'],
    ['^(?<=a)b', 'a lookbehind (?<=...)'],
    ['^(?<!a)b', 'a negative lookbehind (?<!...)'],
    ['^(?>a+)b', 'an atomic group (?>...)'],
    ['^a++b', 'a possessive quantifier (++)'],
    ['^a*+b', 'a possessive quantifier (*+)'],
    ['^a{2}+b', 'a possessive quantifier (}+)'],
    ['^(a|b(?R))', 'a recursion (?R) / (?n)'],
    ['^(?(1)a|b)', 'a conditional group (?(...)...)'],
    ['^a\\Kb', 'a match-start reset \\K'],
    ['(*UTF)^a', 'a backtracking control verb (*...)'],
    ['^a\\Z', 'the \\Z anchor'],
  ];
  for (const [pattern, construct] of table) {
    const pcre = compileUserRegex(pattern, PCRE_I);
    assert.deepEqual(
      pcre.ok ? null : [pcre.problem, pcre.reason],
      [
        'unsupported',
        `it uses ${construct}, a PCRE construct that the linear-time matcher used here does not evaluate`,
      ],
      pattern,
    );
    assert.equal(
      verdict(pattern, 'ab'),
      `cannot-evaluate: it uses ${construct}, a PCRE construct that the linear-time matcher used here does not evaluate`,
    );
    const re2 = compileUserRegex(pattern, { dialect: 're2' });
    assert.deepEqual(
      re2.ok ? null : [re2.problem, re2.reason],
      ['invalid', `${construct} is not RE2 syntax`],
      pattern,
    );
  }
});

test('look-alikes of PCRE-only constructs inside classes, \\Q…\\E and lazy quantifiers are ordinary', () => {
  for (const p of [
    '^[(?=]',
    '^[]\\\\]',
    '^\\Q(?=x)\\E',
    '^a+?b',
    '^a*?b',
    '^a??b',
    '^a{2,3}?b',
    '^[[:alpha:]]+',
    '^(?:a)(?i)b',
    '^/api/(?<id>\\d+)',
    '^(?P<n>x)',
  ]) {
    assert.equal(backtrackingOnlyConstruct(p), undefined, p);
    assert.equal(compileUserRegex(p, PCRE_I).ok, true, p);
  }
  assert.equal(verdict('^[(?=]x', '(x'), 'match');
  assert.equal(verdict('^\\Q(?=x)\\E', '(?=X)'), 'match');
});

test('syntax errors are invalid in both dialects; RE2-only rejections under PCRE say PCRE may accept them', () => {
  const bad = compileUserRegex('^/a(b', PCRE_I);
  assert.deepEqual(bad.ok ? null : [bad.problem, bad.reason], ['invalid', 'missing closing ): ^/a(b']);
  const ext = compileUserRegex('^(?x) a b', PCRE_I);
  assert.deepEqual(ext.ok ? null : [ext.problem, ext.reason], [
    'unsupported',
    'the linear-time (RE2) matcher does not accept it (invalid or unsupported Perl syntax: (?x), PCRE may',
  ]);
  const ext2 = compileUserRegex('^(?x) a b', { dialect: 're2' });
  assert.equal(ext2.ok ? null : ext2.problem, 'invalid');
});

test('size limits: long expressions, large repeat counts and long subjects are "cannot evaluate", never slow', () => {
  const long = compileUserRegex('^' + 'a'.repeat(MAX_PATTERN_LENGTH), PCRE_I);
  assert.deepEqual(long.ok ? null : long.problem, 'too-large');
  assert.match(long.ok ? '' : long.reason, /1025 characters long, over the 1024/);
  const counts = compileUserRegex('^((a{30}){30}){30}', PCRE_I);
  assert.deepEqual(counts.ok ? null : [counts.problem, counts.reason], [
    'too-large',
    'a repetition count is too large for the linear-time matcher ({30}; at most 1000, nested counts multiply)',
  ]);
  const re2Count = compileUserRegex('^a{1001}', { dialect: 're2' });
  assert.deepEqual(re2Count.ok ? null : [re2Count.problem, re2Count.reason], [
    'invalid',
    'invalid repeat count: {1001}',
  ]);
  assert.equal(
    verdict('^/a', '/' + 'a'.repeat(MAX_SUBJECT_LENGTH)),
    `cannot-evaluate: the text is ${MAX_SUBJECT_LENGTH + 1} characters long, over the ${MAX_SUBJECT_LENGTH} this matcher evaluates`,
  );
});
