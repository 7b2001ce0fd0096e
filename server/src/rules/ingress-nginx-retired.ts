// Ingresses served by ingress-nginx, which Kubernetes SIG Network retired (best-effort maintenance
// until March 2026, then no releases, bug fixes or security fixes). Information, never for another
// controller; the code action is the migration to the Gateway API. On by default (information: it is
// a fact about the controller, not a mistake in the file); `kubeNetlens.rules` /
// `--rule ingress-nginx-retired=off` turns it off, like any rule.

import { decideController } from '../engine/controller';
import { NGINX_PREFIX } from '../engine/annotations/index';
import { buildCluster } from '../model/cluster';
import { controllerInput, ingressModel } from '../model/ingress';
import { annotationPairs } from './annotation-pairs';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'ingress-nginx-retired',
  scope: 'cross-file',
  defaultSeverity: 'information',
  kinds: ['Ingress'],
  description:
    'An Ingress served by ingress-nginx, which is retired (no releases or security fixes after March 2026): migrate it to the Gateway API. Turn it off with kubeNetlens.rules or --rule ingress-nginx-retired=off.',
  check(ctx) {
    const r = ctx.resource;
    const cluster = buildCluster(ctx.index);
    const decision = decideController(controllerInput(r, ctx.index.namespaceOf(r)), cluster.ingressClasses);
    if (decision.kind !== 'ingress-nginx') return;
    const pairs = annotationPairs(r);
    const anchor =
      pairs.find((a) => a.key === 'kubernetes.io/ingress.class')?.valueNode ??
      ingressModel(r).className ??
      pairs.find((a) => a.key.startsWith(NGINX_PREFIX))?.keyNode ??
      r.nameNode ??
      r.kindNode;
    const why = decision.controllerName
      ? `IngressClass ${decision.className}: ${decision.controllerName}`
      : decision.className
        ? `class ${decision.className}`
        : 'by its annotations';
    ctx.report(
      anchor,
      `ingress-nginx (${why}) is retired: no releases or security fixes after March 2026; migrate this Ingress to the Gateway API`,
    );
  },
};
