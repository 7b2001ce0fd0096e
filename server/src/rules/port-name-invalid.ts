// Port names: IANA service names (at most 15 characters) for container ports and references to
// them; DNS labels for Service port names.

import type { Rule, RuleContext } from './types';
import { portFields } from './ports';
import { asMap, asScalar, asSeq, getValue } from '../syntax/ast';
import { podTemplateOf } from '../model/workload';
import { dns1123Label, portName } from './k8s-values';

export const rule: Rule = {
  id: 'port-name-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  description:
    'A port name the API server rejects: container port names and named ports must be IANA service names (at most 15 characters, lowercase letters, digits and "-", with a letter), and two ports of one container may not share a name.',
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
    checkDuplicateNames(ctx);
  },
};

/** Two ports of one container with the same name (validateContainerPorts: "Duplicate value"). The
 * same name in two containers of a pod is accepted. */
function checkDuplicateNames(ctx: RuleContext): void {
  const spec = asMap(getValue(podTemplateOf(ctx.resource), 'spec'));
  for (const list of ['initContainers', 'containers']) {
    for (const c of asSeq(getValue(spec, list))?.items ?? []) {
      const container = asScalar(getValue(c, 'name'))?.value;
      const first = new Map<string, number>();
      (asSeq(getValue(c, 'ports'))?.items ?? []).forEach((p, i) => {
        const node = asScalar(getValue(p, 'name'));
        if (!node || typeof node.value !== 'string' || node.value === '') return;
        const before = first.get(node.value);
        if (before === undefined) first.set(node.value, i);
        else
          ctx.report(
            node,
            `Port name "${node.value}" is used twice in container${typeof container === 'string' ? ` "${container}"` : ''} (also ports[${before}]): the API server rejects the pod ("Duplicate value"), since a Service targetPort or a probe that names a port must find one. Give each port its own name`,
          );
      });
    }
  }
}
