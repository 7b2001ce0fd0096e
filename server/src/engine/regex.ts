// Regular expressions written by users in manifests (an ImplementationSpecific path in ingress-nginx's
// regex mode today; Gateway API RegularExpression matches and annotation values next), evaluated in time
// linear in the subject, with a typed verdict that says when the expression could not be evaluated.
//
// Why not `new RegExp`: JavaScript's engine backtracks, so a manifest's `/(a+)+$` takes seconds against
// a 30-character path and doubles with every character. Here every expression runs on re2js, a
// JavaScript port of RE2 (automata, no backtracking). RE2 does not accept the constructs that need a
// backtracking engine: backreferences, lookaround, atomic groups, possessive quantifiers, recursion,
// conditionals, \K, backtracking verbs. A controller that runs PCRE (nginx) accepts them; for such an
// expression the verdict is "cannot evaluate" with the construct named, never a guess.
//
// API:
//   const re = compileUserRegex(pattern, { dialect: 'pcre', caseInsensitive: true, anchor: 'none' });
//   if (!re.ok) ... re.problem ('invalid' | 'unsupported' | 'too-large') and re.reason
//   const v = matchUserRegex(re, subject);   // { outcome: 'match' | 'no-match' } or { outcome: 'cannot-evaluate', reason }
// Compile once per expression and keep the result: compiling is the expensive step.

import { RE2JS, RE2JSSyntaxException } from 're2js';

/** Which engine the controller that reads the expression runs. */
export type RegexDialect =
  /** PCRE (nginx, ingress-nginx): constructs that only a backtracking engine has are "unsupported". */
  | 'pcre'
  /** RE2 (Envoy, Go): the same constructs are errors the controller rejects, so "invalid". */
  | 're2';

export interface UserRegexOptions {
  dialect: RegexDialect;
  caseInsensitive?: boolean;
  /**
   * Where a match must be: 'none' (anywhere in the subject, like nginx's `~` and `~*` and JavaScript's
   * `test`), 'start' (the whole expression matches a prefix of the subject), 'full' (the whole subject).
   * Default 'none'. A caller that mimics a controller which pastes `^` in front of the text (ingress-nginx)
   * passes `'^' + text` with 'none', so that `^/a|/b` keeps nginx's meaning.
   */
  anchor?: 'none' | 'start' | 'full';
}

/** Why an expression cannot be used: a syntax error, a construct the linear-time engine lacks, or size. */
export type RegexProblem = 'invalid' | 'unsupported' | 'too-large';

export type UserRegex =
  | { ok: true; pattern: string; options: UserRegexOptions; program: RE2JS }
  | { ok: false; pattern: string; options: UserRegexOptions; problem: RegexProblem; reason: string };

export type RegexVerdict =
  { outcome: 'match' } | { outcome: 'no-match' } | { outcome: 'cannot-evaluate'; reason: string };

/** Longest expression compiled (characters). Matching costs expression size × subject length. */
export const MAX_PATTERN_LENGTH = 1024;
/** Largest compiled program (RE2 instructions): bounds what repetition counts multiply up to. */
export const MAX_PROGRAM_SIZE = 4096;
/** Longest subject matched (characters); nginx's default request-line buffer is 8 KB, half of this. */
export const MAX_SUBJECT_LENGTH = 16384;

/**
 * Compiles an expression from a manifest. Never throws: a failure is a value with the problem and a
 * reason fit to show a user (e.g. "backreference \1 needs a backtracking engine").
 */
export function compileUserRegex(pattern: string, options: UserRegexOptions): UserRegex {
  const fail = (problem: RegexProblem, reason: string): UserRegex => ({
    ok: false,
    pattern,
    options,
    problem,
    reason,
  });
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return fail(
      'too-large',
      `the expression is ${pattern.length} characters long, over the ${MAX_PATTERN_LENGTH} this matcher evaluates`,
    );
  }
  const construct = backtrackingOnlyConstruct(pattern);
  if (construct) {
    return options.dialect === 'pcre'
      ? fail(
          'unsupported',
          `it uses ${construct}, a PCRE construct that the linear-time matcher used here does not evaluate`,
        )
      : fail('invalid', `${construct} is not RE2 syntax`);
  }
  const anchor = options.anchor ?? 'none';
  const source = anchor === 'none' ? pattern : anchor === 'start' ? `^(?:${pattern})` : `^(?:${pattern})$`;
  try {
    if (anchor !== 'none') RE2JS.compile(pattern); // a stray ")" must not be absorbed by the wrapping group
    const program = RE2JS.compile(source, options.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
    if (program.programSize() > MAX_PROGRAM_SIZE) {
      return fail(
        'too-large',
        `it compiles to ${program.programSize()} instructions, over the ${MAX_PROGRAM_SIZE} this matcher evaluates`,
      );
    }
    return { ok: true, pattern, options, program };
  } catch (e) {
    if (!(e instanceof RE2JSSyntaxException))
      return fail('unsupported', `the matcher could not compile it (${(e as Error).message})`);
    return classifySyntaxError(e, options, fail);
  }
}

/** Matches a subject. A failed compilation or an over-long subject gives "cannot evaluate" with why. */
export function matchUserRegex(regex: UserRegex, subject: string): RegexVerdict {
  if (!regex.ok) return { outcome: 'cannot-evaluate', reason: regex.reason };
  if (subject.length > MAX_SUBJECT_LENGTH) {
    return {
      outcome: 'cannot-evaluate',
      reason: `the text is ${subject.length} characters long, over the ${MAX_SUBJECT_LENGTH} this matcher evaluates`,
    };
  }
  return { outcome: regex.program.test(subject) ? 'match' : 'no-match' };
}

// RE2's own messages, sorted by whether PCRE rejects the same text too.
const ALSO_INVALID_IN_PCRE = [
  'missing closing )',
  'unexpected )',
  'missing closing ]',
  'invalid character class range',
  'trailing backslash at end of expression',
  'missing argument to repetition operator',
  'invalid nested repetition operator',
  'bad repetition operator',
];

function classifySyntaxError(
  e: RE2JSSyntaxException,
  options: UserRegexOptions,
  fail: (p: RegexProblem, r: string) => UserRegex,
): UserRegex {
  const input = e.input?.replace(/^\(\?i\)/, ''); // RE2 reports the case flag as part of the text
  const what = input ? `${e.error}: ${input}` : e.error;
  if (e.error === 'invalid repeat count') {
    // RE2 allows counts up to 1000 and limits how far nested counts multiply; PCRE allows 65535.
    return options.dialect === 'pcre'
      ? fail(
          'too-large',
          `a repetition count is too large for the linear-time matcher (${input}; at most 1000, nested counts multiply)`,
        )
      : fail('invalid', what);
  }
  if (e.error === 'expression too large')
    return fail('too-large', 'the expression is too large for the linear-time matcher');
  if (options.dialect === 're2' || ALSO_INVALID_IN_PCRE.includes(e.error)) return fail('invalid', what);
  return fail('unsupported', `the linear-time (RE2) matcher does not accept it (${what}), PCRE may`);
}

const GROUP_CONSTRUCTS: [RegExp, string][] = [
  [/^\?=/, 'a lookahead (?=...)'],
  [/^\?!/, 'a negative lookahead (?!...)'],
  [/^\?<=/, 'a lookbehind (?<=...)'],
  [/^\?<!/, 'a negative lookbehind (?<!...)'],
  [/^\?>/, 'an atomic group (?>...)'],
  [/^\?\|/, 'a branch-reset group (?|...)'],
  [/^\?#/, 'a comment group (?#...)'],
  [/^\?\(/, 'a conditional group (?(...)...)'],
  [/^\?(?:R|[+-]?\d)/, 'a recursion (?R) / (?n)'],
  [/^\?(?:&|P>)/, 'a subroutine call'],
  [/^\?P=/, 'a named backreference (?P=name)'],
  [/^\?C/, 'a callout (?C)'],
  [/^\*/, 'a backtracking control verb (*...)'],
];

const ESCAPES: Record<string, string> = {
  g: 'a backreference \\g',
  k: 'a named backreference \\k',
  K: 'a match-start reset \\K',
  G: 'the \\G anchor',
  Z: 'the \\Z anchor',
  R: 'the newline sequence \\R',
  X: 'the grapheme cluster \\X',
  h: 'the horizontal-space class \\h',
  H: 'the class \\H',
  v: 'the vertical-space class \\v',
  V: 'the class \\V',
  N: 'the escape \\N',
  e: 'the escape \\e',
  c: 'a control escape \\c',
  o: 'an octal escape \\o',
};

/**
 * The first construct of the expression that only a backtracking engine (PCRE) evaluates, described for a
 * user, or undefined. A single left-to-right scan that knows escapes, \Q...\E, character classes
 * (including a leading "]" and POSIX [:name:]), groups and quantifiers, so `[(?=]` is not a lookahead.
 */
export function backtrackingOnlyConstruct(p: string): string | undefined {
  let inClass = false;
  let afterQuantifier = false;
  for (let i = 0; i < p.length;) {
    const c = p[i];
    if (c === '\\') {
      const n = p[i + 1] ?? '';
      if (n === 'Q') {
        const end = p.indexOf('\\E', i + 2);
        i = end < 0 ? p.length : end + 2;
        afterQuantifier = false;
        continue;
      }
      if (n >= '1' && n <= '9') return inClass ? `an octal escape \\${n}` : `a backreference \\${n}`;
      if (ESCAPES[n]) return ESCAPES[n];
      i += 2;
      afterQuantifier = false;
      continue;
    }
    if (inClass) {
      if (c === '[' && p[i + 1] === ':') {
        const end = p.indexOf(':]', i + 2);
        if (end >= 0) {
          i = end + 2;
          continue;
        }
      }
      if (c === ']') inClass = false;
      i++;
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      if (p[j] === '^') j++;
      if (p[j] === ']') j++; // "]" first in a class is a literal
      inClass = true;
      afterQuantifier = false;
      i = j;
      continue;
    }
    if (c === '(') {
      const rest = p.slice(i + 1, i + 4);
      for (const [re, name] of GROUP_CONSTRUCTS) if (re.test(rest)) return name;
      afterQuantifier = false;
      i += p[i + 1] === '?' ? 2 : 1; // "(?" opens a group, the "?" is no quantifier
      continue;
    }
    if (c === '*' || c === '+' || c === '?') {
      if (afterQuantifier && c === '+') return `a possessive quantifier (${p[i - 1]}+)`;
      afterQuantifier = !afterQuantifier; // "?" after a quantifier makes it lazy and ends it
      i++;
      continue;
    }
    if (c === '{') {
      const m = /^\{\d+(?:,\d*)?\}/.exec(p.slice(i, i + 24));
      if (m) {
        afterQuantifier = true;
        i += m[0].length;
        continue;
      }
    }
    afterQuantifier = false;
    i++;
  }
  return undefined;
}
