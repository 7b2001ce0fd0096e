// Secret data values are base64; stringData is where plain text goes.

import { asMap, getValue } from '../syntax/ast';
import type { Rule } from './types';
import { base64Problem } from './k8s-values';

export const rule: Rule = {
  id: 'secret-data-base64',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['Secret'],
  description: 'A Secret `data` value that is not valid base64 (plain text belongs in `stringData`).',
  check(ctx) {
    const data = asMap(getValue(ctx.resource.node, 'data'));
    if (!data) return;
    for (const p of data.pairs) {
      const v = p.value;
      if (!v || v.type !== 'scalar' || typeof v.value !== 'string') continue;
      const problem = base64Problem(v.value);
      if (problem) {
        ctx.report(
          v,
          `Secret data "${p.keyText}" is not valid base64: it ${problem}. Encode the value, or move it under stringData to give it as plain text`,
        );
      }
    }
  },
};
