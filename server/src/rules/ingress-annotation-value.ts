// An annotation value the controller cannot parse: ingress-nginx then ignores the annotation (and
// with annotation validation, which is on by default, refuses the Ingress); other controllers log and
// fall back to the default.

import { annotationSpec, checkValue, describeFormat } from '../engine/annotations/index';
import { annotationPairs } from './annotation-pairs';
import type { QuickFix, Rule } from './types';

export const rule: Rule = {
  id: 'ingress-annotation-value',
  scope: 'file',
  defaultSeverity: 'warning',
  kinds: ['Ingress'],
  description:
    'An Ingress annotation whose value does not have the format its controller parses (booleans, numbers without units, nginx sizes, CIDR lists, fixed words, JSON).',
  check(ctx) {
    for (const a of annotationPairs(ctx.resource)) {
      if (a.value === undefined || !a.valueNode) continue;
      const spec = annotationSpec(a.key);
      if (!spec || spec.removed) continue;
      const problem = checkValue(spec.value, a.value);
      if (!problem) continue;
      const node = a.valueNode;
      const fixes = (): QuickFix[] => {
        // "60s" for a number of seconds: the number alone
        const m = /^\s*([0-9]+)\s*s\s*$/.exec(a.value!);
        if (spec.value.type === 'int' && spec.value.unit?.startsWith('seconds') && m)
          return [
            {
              title: `Change to "${m[1]}"`,
              edits: [{ start: node.start, end: node.end, newText: `"${m[1]}"` }],
              preferred: true,
            },
          ];
        return [];
      };
      ctx.report(
        node,
        `${a.key} takes ${describeFormat(spec.value)}` +
          (problem.detail ? `: ${problem.detail}` : `, not "${a.value}"`),
        { fixes },
      );
    }
  },
};
