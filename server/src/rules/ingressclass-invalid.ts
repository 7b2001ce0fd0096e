// IngressClass spec rules of the API server (validateIngressClassSpec and
// validateIngressClassParametersReference in pkg/apis/networking/validation): a controller named by a
// domain-prefixed path of at most 250 characters, and a parameters reference whose scope says where
// the referenced object lives. A parameters reference without kind or name is schema-required's.

import type { AstNode } from '../syntax/ast';
import { asMap, asScalar, getPair, getValue, isNullish } from '../syntax/ast';
import type { Rule, RuleContext } from './types';
import { dns1123Label, dns1123Subdomain } from './k8s-values';
import { checkTypedReference } from './typed-reference';

const MAX_CONTROLLER = 250;
// the characters an HTTP path may hold, as IsDomainPrefixedPath accepts them
const HTTP_PATH = /^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/;

/** Why a controller name is not a domain-prefixed path ("example.com/controller"), or undefined. */
export function domainPrefixedPathProblem(v: string): string | undefined {
  const slash = v.indexOf('/');
  if (slash <= 0 || slash === v.length - 1)
    return 'it must be a domain-prefixed path such as "example.com/ingress-controller"';
  const domain = v.slice(0, slash);
  const domainProblem = dns1123Subdomain(domain);
  if (domainProblem) return `its domain "${domain}" ${domainProblem}`;
  const path = v.slice(slash + 1);
  if (!HTTP_PATH.test(path))
    return `its path "${path}" may only hold letters, digits and the characters - . _ ~ % ! $ & ' ( ) * + , ; = : /`;
  return undefined;
}

function text(node: AstNode | null | undefined): string | undefined {
  const s = asScalar(node);
  return s && s.value !== null ? String(s.value) : undefined;
}

function checkParameters(ctx: RuleContext, params: AstNode): void {
  const m = asMap(params);
  if (!m) return;
  checkTypedReference(ctx, m, 'parameters', 'IngressClass');
  const scopePair = getPair(m, 'scope');
  const scopeText = text(scopePair?.value);
  // left out, the API server sets it to Cluster (pkg/apis/networking/v1 defaults.go)
  const scope = scopeText ?? 'Cluster';
  const nsPair = getPair(m, 'namespace');
  const hasNamespace = nsPair !== undefined && !isNullish(nsPair.value);
  if (scope !== 'Namespace' && scope !== 'Cluster') {
    ctx.report(
      scopePair!.value!,
      `parameters.scope "${scope}" is not one of Cluster, Namespace: the API server rejects the IngressClass`,
    );
    return;
  }
  if (scope === 'Namespace') {
    if (!hasNamespace)
      ctx.report(
        scopePair!.key,
        'parameters.scope is Namespace, so parameters.namespace is required: the API server rejects the IngressClass without it. Add the namespace of the parameters object',
        { missing: 'spec.parameters.namespace' },
      );
    else {
      const ns = text(nsPair!.value);
      const problem = ns === undefined ? undefined : dns1123Label(ns);
      if (problem)
        ctx.report(
          nsPair!.value!,
          `parameters.namespace "${ns}" is not a valid namespace name: it ${problem}; the API server rejects the IngressClass`,
        );
    }
  } else if (hasNamespace)
    ctx.report(
      nsPair!.key,
      scopeText
        ? 'parameters.scope is Cluster, so parameters.namespace must not be set: the API server rejects the IngressClass. Remove namespace, or set scope: Namespace if the parameters object is namespaced'
        : 'parameters.namespace is set without parameters.scope, which the API server defaults to Cluster, and a Cluster scope takes no namespace: it rejects the IngressClass. Add scope: Namespace if the parameters object is namespaced, or remove namespace',
      scopeText ? undefined : { missing: 'spec.parameters.scope' },
    );
}

export const rule: Rule = {
  id: 'ingressclass-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['IngressClass'],
  description:
    'An IngressClass the API server rejects: no controller, a controller that is not a domain-prefixed path (such as "k8s.io/ingress-nginx") or is longer than 250 characters, or a parameters reference with an unknown scope, a namespace its scope (Cluster unless set) forbids, or without the namespace a Namespace scope needs.',
  check(ctx) {
    const r = ctx.resource;
    const specPair = getPair(r.node, 'spec');
    const spec = asMap(specPair?.value);
    if (specPair && !isNullish(specPair.value) && !spec) return; // not a map: schema-type
    const controllerNode = asScalar(getValue(spec, 'controller'));
    if (controllerNode && typeof controllerNode.value !== 'string' && controllerNode.value !== null) return; // schema-type
    const controller = text(controllerNode);
    if (!controller) {
      const anchor = spec
        ? (getPair(spec, 'controller')?.key ?? specPair!.key)
        : (specPair?.key ?? r.kindNode);
      ctx.report(
        anchor,
        'This IngressClass names no controller: the API server rejects it (spec.controller is required). Give the name the ingress controller watches for, such as "k8s.io/ingress-nginx"',
        { missing: 'spec.controller' },
      );
    } else if (controller.length > MAX_CONTROLLER)
      ctx.report(
        controllerNode!,
        `spec.controller is ${controller.length} characters long: the API server accepts at most ${MAX_CONTROLLER}`,
      );
    else {
      const problem = domainPrefixedPathProblem(controller);
      if (problem)
        ctx.report(
          controllerNode!,
          `spec.controller "${controller}" is not a controller name the API server accepts: ${problem} (the ingress-nginx controller, for one, is "k8s.io/ingress-nginx")`,
        );
    }
    const params = getValue(spec, 'parameters');
    if (params && !isNullish(params)) checkParameters(ctx, params);
  },
};
