// Ingress backends: exactly one of service/resource, a service port given by number or by name, and
// a resource reference the API server can read (validateIngressBackend).

import type { AstNode } from '../syntax/ast';
import { asMap, getPair, getValue, isNullish } from '../syntax/ast';
import { ingressModel } from '../model/ingress';
import { isUnsetValue } from '../model/api-defaults';
import type { IngressBackendModel } from '../model/ingress';
import type { Rule, RuleContext } from './types';
import { checkTypedReference } from './typed-reference';

function checkV1(ctx: RuleContext, b: IngressBackendModel, anchor: AstNode): void {
  const hasService = !isNullish(getValue(b.node, 'service'));
  const hasResource = !isNullish(getValue(b.node, 'resource'));
  if (hasService && hasResource) {
    ctx.report(getPair(b.node, 'resource')!.key, 'A backend takes either "service" or "resource", not both');
    return;
  }
  if (!hasService && !hasResource) {
    // legacy fields under v1: the schema rule explains those
    if (getPair(b.node, 'serviceName') || getPair(b.node, 'servicePort')) return;
    ctx.report(anchor, 'This backend names no target: add "service" (name and port) or "resource"');
    return;
  }
  if (!hasService) {
    const resource = asMap(getValue(b.node, 'resource'));
    if (resource) checkTypedReference(ctx, resource, 'resource', 'Ingress');
    return;
  }
  const servicePair = getPair(b.node, 'service')!;
  const service = asMap(servicePair.value);
  if (!service) return;
  const portPair = getPair(service, 'port');
  const port = asMap(portPair?.value);
  if (!portPair || !port) {
    if (!portPair)
      ctx.report(servicePair.key, 'The service backend needs a "port" with a "number" or a "name"');
    return;
  }
  // 0 and "" are the API's "not set" (model/api-defaults.ts)
  const hasNumber = !isUnsetValue(getValue(port, 'number'));
  const hasName = !isUnsetValue(getValue(port, 'name'));
  if (hasNumber && hasName)
    ctx.report(getPair(port, 'name')!.key, 'Give the service port as "number" or "name", not both');
  else if (!hasNumber && !hasName) ctx.report(portPair.key, 'The service port needs a "number" or a "name"');
}

function checkLegacy(ctx: RuleContext, b: IngressBackendModel, anchor: AstNode): void {
  // v1 fields under a legacy apiVersion: the schema rule explains those
  if (getPair(b.node, 'service')) return;
  const hasName = !isNullish(getValue(b.node, 'serviceName'));
  const hasPort = !isNullish(getValue(b.node, 'servicePort'));
  const hasResource = !isNullish(getValue(b.node, 'resource'));
  if (hasResource && (hasName || hasPort))
    ctx.report(
      getPair(b.node, 'resource')!.key,
      'A backend takes either serviceName/servicePort or "resource", not both',
    );
  else if (hasName && !hasPort)
    ctx.report(getPair(b.node, 'serviceName')!.key, 'serviceName needs a servicePort');
  else if (!hasName && hasPort)
    ctx.report(getPair(b.node, 'servicePort')!.key, 'servicePort needs a serviceName');
  else if (!hasName && !hasResource)
    ctx.report(anchor, 'This backend names no target: add serviceName and servicePort');
}

export const rule: Rule = {
  id: 'ingress-backend-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['Ingress'],
  description:
    'An Ingress backend without a target, with both a service and a resource, with a service port that is neither a number nor a name, or with a resource reference whose apiGroup, kind or name the API server refuses.',
  check(ctx) {
    const m = ingressModel(ctx.resource);
    const all: [IngressBackendModel, AstNode][] = [];
    if (m.defaultBackend && m.defaultBackendKey) all.push([m.defaultBackend, m.defaultBackendKey]);
    for (const r of m.rules)
      for (const p of r.paths) {
        const key = getPair(p.node, 'backend')?.key;
        if (p.backend && key) all.push([p.backend, key]);
      }
    for (const [b, anchor] of all) (m.legacy ? checkLegacy : checkV1)(ctx, b, anchor);
  },
};
