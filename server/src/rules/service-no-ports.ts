// A non-headless Service without ports. The API server asks for ports, but manifests written as
// fixtures (external-dns tutorials, status-only examples) leave them out on purpose, so this is
// reported as information by default.

import { asMap, asSeq, getPair, getValue, stringValue } from '../syntax/ast';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'service-no-ports',
  scope: 'file',
  defaultSeverity: 'information',
  kinds: ['Service'],
  description:
    'A Service with no ports that is neither headless nor ExternalName: the API server requires at least one port.',
  check(ctx) {
    const specPair = getPair(ctx.resource.node, 'spec');
    const spec = asMap(specPair?.value);
    if (!spec) return;
    const type = stringValue(getValue(spec, 'type')) || 'ClusterIP';
    if (type === 'ExternalName' || stringValue(getValue(spec, 'clusterIP')) === 'None') return;
    const portsPair = getPair(spec, 'ports');
    if ((asSeq(portsPair?.value)?.items.length ?? 0) > 0) return;
    ctx.report(
      portsPair ? portsPair.key : specPair!.key,
      `This ${type} Service has no ports: the API server requires at least one unless the Service is headless (clusterIP: None)`,
    );
  },
};
