// TCP and UDP listeners carry no host name (there is no Host header or SNI to match): the CRD's CEL
// rule "hostname must not be specified for protocols ['TCP', 'UDP']".

import type { Rule } from './types';
import { isGatewayApi, keyNode, mapsAt, text } from './gateway-ast';

export const rule: Rule = {
  id: 'listener-hostname-not-allowed',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['Gateway', 'ListenerSet'],
  description:
    'A TCP or UDP listener with a hostname: the API server rejects it (these protocols carry no host name to match).',
  check(ctx) {
    if (!isGatewayApi(ctx.resource)) return;
    for (const { node } of mapsAt(ctx.resource.node, 'spec.listeners[]')) {
      const protocol = text(node, 'protocol');
      if (protocol !== 'TCP' && protocol !== 'UDP') continue;
      const host = text(node, 'hostname');
      if (host === undefined || host === '') continue;
      const key = keyNode(node, 'hostname')!;
      const valueEnd = (node.pairs.find((p) => p.keyText === 'hostname')?.value ?? key).end;
      ctx.report(
        { start: key.start, end: valueEnd },
        `A ${protocol} listener must not have a hostname ("${host}"): ${protocol} carries no host name to match; remove it (a TLS listener matches SNI host names)`,
      );
    }
  },
};
