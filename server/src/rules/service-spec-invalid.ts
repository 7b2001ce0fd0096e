// Service spec consistency the API server enforces: ports present, named when several, unique,
// nodePort only where a node port exists, externalName for ExternalName.

import { asMap, asScalar, asSeq, getPair, getValue, isNullish, scalarText, stringValue } from '../syntax/ast';
import type { Rule } from './types';
import { isUnsetValue } from '../model/api-defaults';

export const rule: Rule = {
  id: 'service-spec-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['Service'],
  description:
    'A Service spec the API server rejects: unnamed ports when there are several, duplicate ports or names, nodePort on a ClusterIP Service, ExternalName without externalName.',
  check(ctx) {
    const r = ctx.resource;
    const specPair = getPair(r.node, 'spec');
    const spec = asMap(specPair?.value);
    if (!spec) return;
    const type = stringValue(getValue(spec, 'type')) ?? 'ClusterIP';
    const clusterIP = stringValue(getValue(spec, 'clusterIP'));
    const headless = clusterIP === 'None';
    const portsPair = getPair(spec, 'ports');
    const ports = asSeq(portsPair?.value)?.items ?? [];
    if (type === 'ExternalName') {
      if (isNullish(getValue(spec, 'externalName')))
        ctx.report(
          specPair!.key,
          'A Service of type ExternalName needs "externalName" (the DNS name it aliases)',
        );
      return;
    }
    const names = new Map<string, number>();
    const numbers = new Map<string, number>();
    ports.forEach((p, i) => {
      const pm = asMap(p);
      if (!pm) return;
      const nameNode = asScalar(getValue(pm, 'name'));
      const name = scalarText(nameNode);
      if (ports.length > 1 && !name) {
        const anchor = pm.pairs[0]?.key ?? pm;
        ctx.report(anchor, 'When a Service has more than one port, every port needs a "name"');
      }
      if (name && nameNode) {
        if (names.has(name))
          ctx.report(nameNode, `Duplicate port name "${name}" (also port #${names.get(name)! + 1})`);
        else names.set(name, i);
      }
      const portNode = asScalar(getValue(pm, 'port'));
      const port = scalarText(portNode);
      if (port && portNode) {
        const protocol = stringValue(getValue(pm, 'protocol')) ?? 'TCP';
        const key = `${port}/${protocol}`;
        if (numbers.has(key))
          ctx.report(portNode, `Duplicate port ${port}/${protocol} (also port #${numbers.get(key)! + 1})`);
        else numbers.set(key, i);
      }
      const nodePortPair = getPair(pm, 'nodePort');
      // nodePort 0 is "not set" (the API only forbids a non-zero one on ClusterIP)
      if (nodePortPair && !isUnsetValue(nodePortPair.value) && type === 'ClusterIP') {
        ctx.report(
          nodePortPair.key,
          'nodePort can only be set on NodePort and LoadBalancer Services (this one is ClusterIP)',
        );
      }
    });
  },
};
