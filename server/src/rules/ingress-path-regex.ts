// A regular-expression path with pathType Prefix or Exact: strict controllers reject it, others
// compare it literally. Not where the controller reads every path as a regex whatever its pathType
// (NGINX Inc's nginx.org/path-regex: case_sensitive or case_insensitive).

import { ingressAnnotations, ingressController, ingressModel } from '../model/ingress';
import { controllerPathMeaning } from '../engine/controller';
import { scalarText, stringValue } from '../syntax/ast';
import type { Rule } from './types';

const REGEX_CHARS = /[()*$^[\]|+?{}\\]/;

export const rule: Rule = {
  id: 'ingress-path-regex',
  scope: 'file',
  defaultSeverity: 'warning',
  kinds: ['Ingress'],
  description:
    'A path holding regular-expression characters with pathType Prefix or Exact: matched literally, and rejected by controllers that validate path types (ingress-nginx 1.12+).',
  check(ctx) {
    if (
      controllerPathMeaning(ingressController(ctx.resource), ingressAnnotations(ctx.resource))?.kind ===
      'regex'
    )
      return;
    for (const rule of ingressModel(ctx.resource).rules) {
      for (const p of rule.paths) {
        const type = stringValue(p.pathType);
        const path = scalarText(p.path);
        if (!path || !p.pathType || (type !== 'Prefix' && type !== 'Exact')) continue;
        const m = REGEX_CHARS.exec(path);
        if (!m) continue;
        const pathType = p.pathType;
        ctx.report(
          p.path!,
          `Path "${path}" looks like a regular expression ("${m[0]}") but pathType is ${type}, which compares it literally; use pathType ImplementationSpecific for regex paths`,
          {
            fixes: () => [
              {
                title: 'Change pathType to ImplementationSpecific',
                edits: [{ start: pathType.start, end: pathType.end, newText: 'ImplementationSpecific' }],
                preferred: true,
              },
            ],
          },
        );
      }
    }
  },
};
