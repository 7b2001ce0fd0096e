// A regular-expression path with pathType Prefix or Exact: strict controllers reject it, others
// compare it literally. Not where the controller reads every path as a regex whatever its pathType
// (NGINX Inc's nginx.org/path-regex: case_sensitive or case_insensitive). On ingress-nginx with use-regex
// or a rewrite-target the path is read as a regex, but its admission webhook (strict-validate-path-type,
// on by default since 1.12) denies regex characters in Prefix and Exact paths: the message says so.

import { ingressAnnotations, ingressController, ingressModel } from '../model/ingress';
import { controllerPathMeaning } from '../engine/controller';
import { nginxEnforcesRegex } from '../engine/route/nginx-regex';
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
    const controller = ingressController(ctx.resource);
    const annotations = ingressAnnotations(ctx.resource);
    if (controllerPathMeaning(controller, annotations)?.kind === 'regex') return;
    const model = ingressModel(ctx.resource);
    const nginxRegex =
      controller.kind === 'ingress-nginx'
        ? nginxEnforcesRegex(
            annotations,
            model.rules.flatMap((r) => r.paths.map((p) => scalarText(p.path))),
          )
        : undefined;
    for (const rule of model.rules) {
      for (const p of rule.paths) {
        const type = stringValue(p.pathType);
        const path = scalarText(p.path);
        if (!path || !p.pathType || (type !== 'Prefix' && type !== 'Exact')) continue;
        const m = REGEX_CHARS.exec(path);
        if (!m) continue;
        const pathType = p.pathType;
        ctx.report(
          p.path!,
          nginxRegex
            ? `Path "${path}" is a regular expression to ingress-nginx here (${nginxRegex} is set), but pathType is ${type}: ingress-nginx 1.12 and later deny regex characters ("${m[0]}") in ${type} paths at admission (strict-validate-path-type, on by default); use pathType ImplementationSpecific`
            : `Path "${path}" looks like a regular expression ("${m[0]}") but pathType is ${type}, which compares it literally; use pathType ImplementationSpecific for regex paths`,
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
