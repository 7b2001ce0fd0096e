// ingress-nginx annotations that only work together: one that needs another (canary-weight without
// canary: "true"), rewrite-target capture groups without use-regex or without groups in the path, a
// canary weight above its total, regex paths with cookie affinity and no cookie path.

import { annotationSpec, goBool, goInt, NGINX_PREFIX } from '../engine/annotations/index';
import { ingressModel } from '../model/ingress';
import { scalarText } from '../syntax/ast';
import { annotationPairs } from './annotation-pairs';
import type { Rule } from './types';

const K = (name: string) => NGINX_PREFIX + name;

/** Capture groups of a PCRE path: "(" not escaped and not starting a non-capturing "(?" group. */
export function captureGroups(path: string): number {
  let n = 0;
  let inClass = false;
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(' && path[i + 1] !== '?') n++;
    else if (
      c === '(' &&
      path[i + 1] === '?' &&
      (path[i + 2] === '<' || path[i + 2] === 'P' || path[i + 2] === "'") &&
      path[i + 3] !== '=' &&
      path[i + 3] !== '!'
    )
      n++;
  }
  return n;
}

export const rule: Rule = {
  id: 'ingress-annotation-combination',
  scope: 'file',
  defaultSeverity: 'warning',
  kinds: ['Ingress'],
  description:
    'ingress-nginx annotations that only work together: one set without the annotation it needs, rewrite-target capture groups without use-regex or without groups in the path, a canary weight above its total.',
  check(ctx) {
    const r = ctx.resource;
    const pairs = annotationPairs(r);
    const byKey = new Map(pairs.map((a) => [a.key, a]));
    const value = (name: string) => byKey.get(K(name))?.value;
    const isTrue = (key: string) => goBool(byKey.get(key)?.value) === true;

    for (const a of pairs) {
      const spec = annotationSpec(a.key);
      if (!spec || spec.controller !== 'ingress-nginx' || spec.removed) continue;
      for (const needed of spec.requires ?? []) {
        const neededSpec = annotationSpec(needed);
        const present = byKey.get(needed);
        const ok =
          neededSpec?.value.type === 'bool'
            ? isTrue(needed)
            : present !== undefined && (present.value ?? '') !== '';
        if (ok) continue;
        const how = neededSpec?.value.type === 'bool' ? `${needed}: "true"` : needed;
        ctx.report(a.keyNode, `${a.key} has no effect without ${how}`);
        break;
      }
    }

    // rewrite-target capture groups
    const target = byKey.get(K('rewrite-target'));
    if (target?.value !== undefined && target.valueNode) {
      const refs = [...target.value.matchAll(/\$([1-9])/g)].map((m) => Number(m[1]));
      if (refs.length > 0) {
        const highest = Math.max(...refs);
        // (no use-regex needed: a rewrite-target that differs from the path makes ingress-nginx write every
        // location of the host as a regex, `location ~* "^<path>"`, so the path's groups capture either way)
        for (const rule of ingressModel(r).rules) {
          for (const p of rule.paths) {
            const path = scalarText(p.path);
            if (path === undefined) continue;
            const groups = captureGroups(path);
            if (groups < highest) {
              ctx.report(
                target.valueNode,
                `rewrite-target refers to $${highest} but path ${path} has ${groups === 0 ? 'no capture group' : `only ${groups} capture group${groups === 1 ? '' : 's'}`}: $${highest} is empty for its requests`,
                {
                  related: p.path
                    ? [
                        {
                          uri: ctx.uri,
                          start: r.doc.base + p.path.start,
                          end: r.doc.base + p.path.end,
                          message: `path ${path}`,
                        },
                      ]
                    : undefined,
                },
              );
            }
          }
        }
      }
    }

    // canary weight above the total
    const weight = byKey.get(K('canary-weight'));
    const w = weight?.value !== undefined ? goInt(weight.value) : undefined;
    const totalText = value('canary-weight-total');
    const total = totalText !== undefined ? (goInt(totalText) ?? 100) : 100;
    if (weight?.valueNode && w !== undefined && w > total) {
      ctx.report(
        weight.valueNode,
        `canary-weight ${w} is above the total ${total}${totalText === undefined ? ' (the default canary-weight-total)' : ''}: every request goes to the canary`,
      );
    }

    // cookie affinity with regex paths needs an explicit cookie path
    const affinity = byKey.get(K('affinity'));
    if (affinity && goBool(value('use-regex')) === true && !byKey.has(K('session-cookie-path'))) {
      ctx.report(
        affinity.keyNode,
        `with use-regex the paths are regular expressions, which are no cookie path: set ${K('session-cookie-path')} for the affinity cookie`,
      );
    }
  },
};
