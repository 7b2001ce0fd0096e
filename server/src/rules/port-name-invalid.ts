// Port names: IANA service names (at most 15 characters) for container ports and references to
// them; DNS labels for Service port names.

import type { Rule } from './types';
import { portFields } from './ports';
import { dns1123Label, portName } from './k8s-values';

export const rule: Rule = {
  id: 'port-name-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  description:
    'A port name the API server rejects: container port names and named ports must be IANA service names (at most 15 characters, lowercase letters, digits and "-", with a letter).',
  check(ctx) {
    for (const f of portFields(ctx.resource)) {
      const v = f.node.value;
      if (typeof v !== 'string') continue;
      if (f.kind === 'number') continue;
      if (f.kind === 'number-or-iana' && /^\d+$/.test(v)) {
        ctx.report(
          f.node,
          `${f.what} "${v}" is a quoted number: write it without quotes, or it is read as a port name (and a port name needs a letter)`,
          {
            fixes: () => [
              {
                title: `Change to ${v}`,
                edits: [{ start: f.node.start, end: f.node.end, newText: v }],
                preferred: true,
              },
            ],
          },
        );
        continue;
      }
      const problem = f.kind === 'dns-label-name' ? dns1123Label(v) : portName(v);
      if (problem) ctx.report(f.node, `${f.what} "${v}" is not a valid port name: it ${problem}`);
    }
  },
};
