// HTTPRoute path matches, as the CRD's CEL rules check them for type Exact and PathPrefix (the
// default): an absolute path that starts with "/", only URL path characters (RFC 3986 pchar and "/",
// or %XX escapes), none of "//", "/./", "/../", "%2f", "%2F", "#", not ending in "/." or "/..".
// A RegularExpression path that no regex engine accepts is a warning: its dialect is up to the
// implementation, so only plain syntax errors are reported.

import type { Rule } from './types';
import { isGatewayApi, mapsAt, scalar, text } from './gateway-ast';
import { compileUserRegex } from '../engine/regex';

const PATH_CHARS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$/;
const BAD_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F', '#'];
const BAD_SUFFIXES = ['/..', '/.'];

/** The reason a path value is refused for Exact/PathPrefix, or undefined. */
export function pathValueProblem(v: string): string | undefined {
  if (!v.startsWith('/')) return 'must be an absolute path that starts with "/"';
  const seq = BAD_SEQUENCES.find((s) => v.includes(s));
  if (seq) return `must not contain "${seq}"`;
  const suffix = BAD_SUFFIXES.find((s) => v.endsWith(s));
  if (suffix) return `must not end with "${suffix}"`;
  if (!PATH_CHARS.test(v)) {
    const bad = [...v].find(
      (c, i) =>
        !/[-A-Za-z0-9/._~!$&'()*+,;=:@%]/.test(c) || (c === '%' && !/^%[0-9a-fA-F]{2}/.test(v.slice(i))),
    );
    return bad === '%'
      ? 'must write "%" only as a %XX escape'
      : `must not contain ${JSON.stringify(bad ?? '')} (only URL path characters or %XX escapes)`;
  }
  return undefined;
}

export const rule: Rule = {
  id: 'httproute-path-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['HTTPRoute'],
  description:
    'An HTTPRoute Exact or PathPrefix path the API server rejects: not starting with "/", holding "//", "/./", "/../", "%2f", "#" or characters outside a URL path, or ending in "/." or "/.." (a RegularExpression no engine parses: warning).',
  check(ctx) {
    if (!isGatewayApi(ctx.resource)) return;
    for (const { node } of mapsAt(ctx.resource.node, 'spec.rules[].matches[].path')) {
      const type = text(node, 'type') ?? 'PathPrefix';
      const valueNode = scalar(node, 'value');
      if (!valueNode) continue;
      const v = String(valueNode.value);
      if (type === 'Exact' || type === 'PathPrefix') {
        const problem = pathValueProblem(v);
        if (problem)
          ctx.report(valueNode, `Path "${v}" (type ${type}) ${problem}`, {
            fixes:
              problem.startsWith('must be an absolute') && valueNode.style === 'plain'
                ? () => [
                    {
                      title: `Change to "/${v}"`,
                      edits: [{ start: valueNode.start, end: valueNode.start, newText: '/' }],
                      preferred: true,
                    },
                  ]
                : undefined,
          });
      } else if (type === 'RegularExpression') {
        const re = compileUserRegex(v, { dialect: 'pcre', anchor: 'start' });
        if (!re.ok && re.problem === 'invalid')
          ctx.report(valueNode, `Regular expression "${v}" does not parse: ${re.reason}`, {
            severity: 'warning',
          });
      }
    }
  },
};
