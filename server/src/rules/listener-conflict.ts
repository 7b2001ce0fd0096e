// Two listeners of one Gateway (or ListenerSet) with the same port, protocol and hostname: the CRD's
// CEL rule "Combination of port, protocol and hostname must be unique for each listener" (a listener
// without hostname only collides with another listener without one).

import type { Rule } from './types';
import { isGatewayApi, mapsAt, scalar, text } from './gateway-ast';

export const rule: Rule = {
  id: 'listener-conflict',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['Gateway', 'ListenerSet'],
  description:
    'Two listeners of one Gateway (or ListenerSet) share port, protocol and hostname: the API server rejects the resource.',
  check(ctx) {
    if (!isGatewayApi(ctx.resource)) return;
    const seen = new Map<string, string>();
    for (const { node } of mapsAt(ctx.resource.node, 'spec.listeners[]')) {
      const port = text(node, 'port');
      const protocol = text(node, 'protocol');
      // a ListenerSet listener may leave its port out: the CRD rule then skips it
      if (port === undefined || protocol === undefined) continue;
      const host = text(node, 'hostname');
      const key = `${port}|${protocol}|${host ?? ''}|${host === undefined}`;
      const name = text(node, 'name') ?? '(unnamed)';
      const prev = seen.get(key);
      if (prev === undefined) {
        seen.set(key, name);
        continue;
      }
      const anchor = scalar(node, 'hostname') ?? scalar(node, 'port')!;
      ctx.report(
        anchor,
        `Listener "${name}" has the same port (${port}), protocol (${protocol}) and ${host === undefined ? 'absence of hostname' : `hostname (${host})`} as listener "${prev}": each combination must be unique${host === undefined ? ' (give one of them a hostname, or another port)' : ''}`,
      );
    }
  },
};
