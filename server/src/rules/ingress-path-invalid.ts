// Ingress paths: absolute, and for Exact/Prefix free of sequences the API server refuses.

import { ingressModel } from '../model/ingress';
import type { Rule } from './types';

const BAD_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const BAD_SUFFIXES = ['/..', '/.'];

export const rule: Rule = {
  id: 'ingress-path-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['Ingress'],
  description:
    'An Ingress path that the API server rejects: not starting with "/", missing for Exact/Prefix, or holding "//", "/./", "/../" or an encoded slash.',
  check(ctx) {
    const m = ingressModel(ctx.resource);
    for (const rule of m.rules) {
      for (const p of rule.paths) {
        const type = typeof p.pathType?.value === 'string' ? p.pathType.value : undefined;
        const strict = type === 'Exact' || type === 'Prefix';
        const node = p.path;
        const path = node && node.value !== null ? String(node.value) : undefined;
        if (path === undefined || path === '') {
          if (strict && p.pathType)
            ctx.report(p.pathType, `pathType ${type} needs a "path" that begins with "/"`);
          continue;
        }
        if (!path.startsWith('/')) {
          ctx.report(node!, `Path "${path}" must begin with "/"`, {
            fixes:
              node!.style === 'plain'
                ? () => [
                    {
                      title: `Change to "/${path}"`,
                      edits: [{ start: node!.start, end: node!.start, newText: '/' }],
                      preferred: true,
                    },
                  ]
                : undefined,
          });
          continue;
        }
        if (strict) {
          const seq = BAD_SEQUENCES.find((s) => path.includes(s));
          const suffix = BAD_SUFFIXES.find((s) => path.endsWith(s));
          if (seq) ctx.report(node!, `Path "${path}" must not contain "${seq}" when pathType is ${type}`);
          else if (suffix)
            ctx.report(node!, `Path "${path}" must not end with "${suffix}" when pathType is ${type}`);
        }
      }
    }
  },
};
