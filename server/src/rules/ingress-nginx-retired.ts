// Ingresses served by ingress-nginx, which Kubernetes SIG Network retired (best-effort maintenance
// until March 2026, then no releases, bug fixes or security fixes). Information, never for another
// controller; the code action is the migration to the Gateway API. On by default (information: it is
// a fact about the controller, not a mistake in the file); `kubeNetlens.rules` /
// `--rule ingress-nginx-retired=off` turns it off, like any rule.

import { annotationController, CLASS_ANNOTATION, decideController } from '../engine/controller';
import { NGINX_PREFIX } from '../engine/annotations/index';
import { buildCluster } from '../model/cluster';
import { controllerInput, ingressModel } from '../model/ingress';
import { annotationPairs } from './annotation-pairs';
import type { Rule } from './types';
import type { ResourceIndex } from '../workspace/index';

/** NGINX Inc's own kinds (group k8s.nginx.org): their presence says its controller runs. */
const NGINX_INC_KINDS = ['VirtualServer', 'VirtualServerRoute', 'TransportServer', 'GlobalConfiguration'];

type Evidence = 'ingress-nginx' | 'nginx-inc' | undefined;

/**
 * What the workspace says about the controller behind an ambiguous `nginx` class: NGINX Inc's own
 * resources (VirtualServer and the other k8s.nginx.org kinds) or an Ingress of the class with
 * nginx.org/ annotations point at NGINX Inc; an Ingress of the class with ingress-nginx annotations
 * points at ingress-nginx. Both or neither: undefined.
 */
function workspaceNginxEvidence(index: ResourceIndex, className: string | undefined): Evidence {
  const byClass = index.memoKinds(['Ingress', ...NGINX_INC_KINDS], 'ingress-nginx-retired:evidence', () => {
    const incKinds = NGINX_INC_KINDS.some((k) =>
      index.ofKind(k).some((r) => r.resource.apiVersion.startsWith('k8s.nginx.org/')),
    );
    const seen = new Map<string, { inc: boolean; community: boolean }>();
    for (const ir of index.ofKind('Ingress')) {
      const input = controllerInput(ir.resource, index.namespaceOf(ir.resource));
      const cls = input.annotations?.[CLASS_ANNOTATION]?.trim() || input.ingressClassName?.trim() || '';
      const e = seen.get(cls) ?? { inc: incKinds, community: false };
      for (const key of Object.keys(input.annotations ?? {})) {
        if (annotationController(key) === 'nginx-inc') e.inc = true;
        if (key.startsWith(NGINX_PREFIX)) e.community = true;
      }
      seen.set(cls, e);
    }
    const out = new Map<string, Evidence>();
    for (const [cls, e] of seen)
      out.set(cls, e.inc === e.community ? undefined : e.inc ? 'nginx-inc' : 'ingress-nginx');
    return out;
  });
  return byClass.get(className ?? '');
}

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
    // class `nginx` alone: NGINX Inc's controller answers to it too; the workspace may tell them apart
    let soft = false;
    if (decision.alsoPossible?.includes('nginx-inc')) {
      const evidence = workspaceNginxEvidence(ctx.index, decision.className);
      if (evidence === 'nginx-inc') return;
      soft = evidence === undefined;
    }
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
      soft
        ? `If ingress-nginx serves class ${decision.className} (NGINX Inc's controller uses that name too, and nothing here tells which runs): it is retired, no releases or security fixes after March 2026; migrate this Ingress to the Gateway API`
        : `ingress-nginx (${why}) is retired: no releases or security fixes after March 2026; migrate this Ingress to the Gateway API`,
    );
  },
};
