// Port numbers must be 1-65535.

import type { Rule } from './types';
import { portFields } from './ports';
import { portNumber } from './k8s-values';

export const rule: Rule = {
  id: 'port-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  description: 'A port number outside 1-65535.',
  check(ctx) {
    for (const f of portFields(ctx.resource)) {
      if (f.kind !== 'number' && f.kind !== 'number-or-iana') continue;
      const v = f.node.value;
      if (typeof v !== 'number') continue;
      const problem = portNumber(v);
      if (problem) ctx.report(f.node, `${f.what} ${problem}`);
    }
  },
};
