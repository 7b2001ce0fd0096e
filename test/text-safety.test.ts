// Hidden characters in manifest text (bidi controls, zero-width characters, C0/C1 controls) are shown as
// visible marks; ordinary names, including non-Latin letters and emoji, pass unchanged.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  hasHiddenCharacters,
  hasUnprintable,
  printable,
  showHiddenCharacters,
  splitHiddenCharacters,
} from '../server/src/protocol/escape';

const SHOWN: Array<[input: string, shown: string]> = [
  ['api\u202Etxt.exe', 'api⟨U+202E⟩txt.exe'], // right-to-left override
  ['\u202Aa\u202Bb\u202Cc\u202Dd', '⟨U+202A⟩a⟨U+202B⟩b⟨U+202C⟩c⟨U+202D⟩d'], // embeddings and overrides
  ['\u2066x\u2067y\u2068z\u2069', '⟨U+2066⟩x⟨U+2067⟩y⟨U+2068⟩z⟨U+2069⟩'], // isolates
  ['a\u200Eb\u200Fc\u061Cd', 'a⟨U+200E⟩b⟨U+200F⟩c⟨U+061C⟩d'], // marks, Arabic letter mark
  ['we\u200Bb', 'we⟨U+200B⟩b'], // zero width space
  ['x\u00ADy\uFEFF', 'x⟨U+00AD⟩y⟨U+FEFF⟩'], // soft hyphen, BOM
  ['\u001B]0;pwned\u0007', '⟨U+001B⟩]0;pwned⟨U+0007⟩'], // terminal title escape
  ['a\tb\nc\r\u0000', 'a⟨U+0009⟩b⟨U+000A⟩c⟨U+000D⟩⟨U+0000⟩'],
  ['\u0085\u009B\u007F', '⟨U+0085⟩⟨U+009B⟩⟨U+007F⟩'], // C1 controls, DEL
  ['l\u2028p\u2029', 'l⟨U+2028⟩p⟨U+2029⟩'], // line and paragraph separators
  ['\u3164name', '⟨U+3164⟩name'], // Hangul filler (default ignorable)
  ['tag\u{E0041}', 'tag⟨U+E0041⟩'], // tag character (astral)
  ['lone\uD800', 'lone⟨U+D800⟩'], // lone surrogate
];

const PLAIN = [
  'shop/api',
  'host:*.shop.example.com',
  'שלום',
  'مرحبا',
  '日本語',
  'naïve café',
  '😀',
  'a b',
  '/<img src=x onerror=alert(1)>',
  '',
];

for (const [input, shown] of SHOWN) {
  test(`shows hidden characters of ${JSON.stringify(input)}`, () => {
    assert.ok(hasHiddenCharacters(input));
    assert.equal(showHiddenCharacters(input), shown);
    const pieces = splitHiddenCharacters(input);
    assert.equal(pieces.map((p) => p.text).join(''), shown);
    assert.ok(
      pieces.every((p) => !hasHiddenCharacters(p.text)),
      'no piece carries a hidden character',
    );
  });
}

test('ordinary text is unchanged and has no marks', () => {
  for (const s of PLAIN) {
    assert.equal(hasHiddenCharacters(s), false, s);
    assert.equal(showHiddenCharacters(s), s);
    assert.deepEqual(splitHiddenCharacters(s), s ? [{ text: s }] : []);
  }
});

test('marks are separate pieces and carry the code point and, for bidi controls, the name', () => {
  assert.deepEqual(splitHiddenCharacters('a\u202Eb\u200Bc'), [
    { text: 'a' },
    { text: '⟨U+202E⟩', hidden: { codePoint: 0x202e, name: 'RIGHT-TO-LEFT OVERRIDE' } },
    { text: 'b' },
    { text: '⟨U+200B⟩', hidden: { codePoint: 0x200b, name: 'ZERO WIDTH SPACE' } },
    { text: 'c' },
  ]);
  assert.deepEqual(splitHiddenCharacters('\u0085'), [{ text: '⟨U+0085⟩', hidden: { codePoint: 0x85 } }]);
});

test('a long run of hidden characters is handled in one pass', () => {
  const s = '\u202E'.repeat(200_000) + 'x';
  const shown = showHiddenCharacters(s);
  assert.equal(shown.length, '⟨U+202E⟩'.length * 200_000 + 1);
  assert.equal(splitHiddenCharacters(s).length, 200_001);
});

test('what the preview marks is what the CLI escapes: one set of characters for every output', () => {
  // every character of the table above and a sample of each range, each on its own between letters
  const probes = [
    ...SHOWN.flatMap(([input]) => [...input]),
    '\u034F',
    '\u180E',
    '\u2060',
    '\uFE0F',
    '\u{1D173}',
    'é',
    '中',
    '😀',
    ' ',
    '/',
  ];
  for (const c of probes) {
    if (c === '\t') continue; // a tab is kept in terminal output (it moves nothing but the column)
    const s = `a${c}b`;
    assert.equal(hasUnprintable(s), hasHiddenCharacters(s), `U+${c.codePointAt(0)!.toString(16)}`);
    assert.equal(
      printable(s, true) !== s,
      showHiddenCharacters(s) !== s,
      `U+${c.codePointAt(0)!.toString(16)}`,
    );
  }
});
