// A probe or lifecycle hook that names a port its container does not declare. The API server checks
// only that the name is a valid port name; the kubelet looks the name up among that container's own
// ports when it runs the probe, and with no such port the probe fails every time ("couldn't find
// port"): a readiness probe keeps the pod out of its Services' endpoints for good, a liveness or
// startup probe has the container killed and restarted over and over. Init containers carry probes
// only as sidecars (restartPolicy Always), so they are checked too.

import type { ScalarNode } from '../syntax/ast';
import { asMap, asScalar, asSeq, getValue } from '../syntax/ast';
import { podTemplateOf } from '../model/workload';
import { closest } from '../engine/edit-distance';
import { probePorts } from './ports';
import { portName } from './k8s-values';
import type { Rule, RuleContext } from './types';

function consequence(what: string): string {
  if (what.startsWith('readinessProbe'))
    return 'the probe fails every time, so the pod never becomes ready and no Service sends it traffic';
  if (what.startsWith('livenessProbe'))
    return 'the probe fails every time, so the kubelet keeps killing and restarting the container';
  if (what.startsWith('startupProbe'))
    return 'the probe fails every time, so the container is killed before it is ever considered started';
  if (what.includes('postStart'))
    return 'the hook fails, and a failing postStart hook gets the container killed';
  return 'the hook fails, and the container is stopped without the shutdown step it was meant to run';
}

function check(ctx: RuleContext, container: unknown, node: ScalarNode, what: string, ports: string[]): void {
  const name = String(node.value);
  const suggestion = closest(name, ports);
  const declared = ports.length > 0 ? `its named ports: ${ports.join(', ')}` : 'it declares no named port';
  ctx.report(
    node,
    `${what} "${name}" is not a port of container${typeof container === 'string' ? ` "${container}"` : ''} (${declared}): the kubelet looks a probe's port name up among its own container's ports only: ${consequence(what)}. ${suggestion ? `Did you mean "${suggestion}"?` : 'Name one of its ports, or give the port number'}`,
    suggestion
      ? {
          fixes: () => [
            {
              title: `Change to ${suggestion}`,
              edits: [{ start: node.start, end: node.end, newText: suggestion }],
              preferred: true,
            },
          ],
        }
      : undefined,
  );
}

export const rule: Rule = {
  id: 'probe-port-unknown',
  scope: 'file',
  defaultSeverity: 'error',
  description:
    'A probe or lifecycle hook (httpGet, tcpSocket) that names a port its container does not declare: the kubelet cannot resolve it, so the probe always fails.',
  check(ctx) {
    const spec = asMap(getValue(podTemplateOf(ctx.resource), 'spec'));
    for (const list of ['initContainers', 'containers']) {
      for (const c of asSeq(getValue(spec, list))?.items ?? []) {
        const ports: string[] = [];
        for (const p of asSeq(getValue(c, 'ports'))?.items ?? []) {
          const n = asScalar(getValue(p, 'name'))?.value;
          if (typeof n === 'string' && n !== '') ports.push(n);
        }
        const container = asScalar(getValue(c, 'name'))?.value;
        for (const at of probePorts(c)) {
          const node = asScalar(at.node);
          // a number, or a quoted number (port-name-invalid explains that one)
          // (and a malformed name is port-name-invalid's)
          if (!node || typeof node.value !== 'string' || node.value === '' || /^\d+$/.test(node.value))
            continue;
          if (portName(node.value)) continue;
          if (!ports.includes(node.value)) check(ctx, container, node, at.what, ports);
        }
      }
    }
  },
};
