// A StatefulSet's serviceName names the Service that gives its pods their stable DNS names
// (<pod>.<serviceName>.<namespace>.svc): the controller sets each pod's hostname and subdomain, and
// cluster DNS answers for <hostname>.<subdomain> only when a headless Service of that name (clusterIP
// None) in the pod's namespace selects the pod. With a Service that has a cluster IP, or one that does
// not select the StatefulSet's pods, those names never resolve, and peers that find each other by them
// (databases, brokers, consensus members) cannot form their cluster. Information, not a warning: a
// StatefulSet whose pods never use those names (Argo CD's application controller, for one) works the
// same. A serviceName whose Service the workspace does not hold is not reported: it is often created
// elsewhere (or not needed at all).

import { asMap, asScalar, getIn, getValue, stringValue, toPlain } from '../syntax/ast';
import { matchesMap, toLabels } from '../engine/selector';
import { isHeadlessService } from '../model/api-defaults';
import type { CrossFileRule } from './types';

export const rule: CrossFileRule = {
  id: 'statefulset-service-not-headless',
  scope: 'cross-file',
  defaultSeverity: 'information',
  kinds: ['StatefulSet'],
  description:
    "A StatefulSet whose serviceName names a Service of the workspace that is not headless, or that does not select the StatefulSet's pods: the pods' stable DNS names (<pod>.<service>) do not resolve.",
  check(ctx) {
    const r = ctx.resource;
    const nameNode = asScalar(getIn(r.node, ['spec', 'serviceName']));
    const name = nameNode ? stringValue(nameNode) : undefined;
    if (!nameNode || !name) return;
    const ns = ctx.index.namespaceOf(r);
    const services = ctx.index.find('Service', ns, name);
    if (services.length === 0) return;
    const svc = services[0].resource;
    const example = `${r.name ?? '<name>'}-0.${name}.${ns}.svc`;
    if (!isHeadlessService(getValue(svc.node, 'spec'))) {
      ctx.report(
        nameNode,
        `Service "${name}" is not headless (it has a cluster IP): cluster DNS gives the StatefulSet's pods their own names, such as ${example}, only through a headless Service, so those names do not resolve (peers that find each other by them, as database and broker members do, cannot). If the pods rely on them, set clusterIP: None on Service "${name}", or add a headless Service for the StatefulSet and name it here (a second Service with a cluster IP can serve clients)`,
      );
      return;
    }
    const selectorNode = asMap(getIn(svc.node, ['spec', 'selector']));
    const labelsNode = asMap(getIn(r.node, ['spec', 'template', 'metadata', 'labels']));
    // (read as the cluster model reads selectors and pod labels)
    const selector = selectorNode ? toLabels(toPlain(selectorNode)) : undefined;
    const podLabels = labelsNode ? toLabels(toPlain(labelsNode)) : undefined;
    if (selector && Object.keys(selector).length > 0 && podLabels && !matchesMap(selector, podLabels))
      ctx.report(
        nameNode,
        `Headless Service "${name}" does not select the pods of StatefulSet ${r.name ?? ''} (its selector ${Object.entries(
          selector,
        )
          .map(([k, v]) => `${k}=${v}`)
          .join(
            ', ',
          )} is not among their labels): cluster DNS publishes a pod's own name, such as ${example}, only for the pods the Service selects, so those names do not resolve. If the pods rely on them, make the Service's selector match the pod template's labels`,
      );
  },
};
