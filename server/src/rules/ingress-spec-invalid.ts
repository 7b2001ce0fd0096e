// Ingress spec rules of the API server's validation (ValidateIngressSpec, validateHTTPIngressRuleValue
// and ValidateIngressCreate in pkg/apis/networking/validation): an Ingress needs rules or a default
// backend, a rule's `http` needs paths, and on create the kubernetes.io/ingress.class annotation must
// agree with spec.ingressClassName when both are set. Hosts, paths and backends have their own rules
// (ingress-host-invalid, ingress-path-invalid, ingress-backend-invalid).

import { asMap, asScalar, asSeq, getIn, getPair, getValue, isNullish } from '../syntax/ast';
import { LEGACY_INGRESS_VERSIONS } from '../model/ingress';
import type { Rule } from './types';

const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

export const rule: Rule = {
  id: 'ingress-spec-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['Ingress'],
  description:
    'An Ingress the API server rejects: neither rules nor a default backend, a rule whose http has no paths, or a kubernetes.io/ingress.class annotation that differs from spec.ingressClassName.',
  check(ctx) {
    const r = ctx.resource;
    const legacy = LEGACY_INGRESS_VERSIONS.has(r.apiVersion);
    const backendKey = legacy ? 'backend' : 'defaultBackend';
    const specPair = getPair(r.node, 'spec');
    const spec = asMap(specPair?.value);
    const rulesNode = asSeq(getValue(spec, 'rules'));
    const rules = rulesNode?.items ?? [];
    if (rules.length === 0 && isNullish(getValue(spec, backendKey))) {
      // a spec that is not a map is the schema rule's to explain
      if (!specPair || isNullish(specPair.value) || spec)
        ctx.report(
          specPair ? specPair.key : r.kindNode,
          `This Ingress has neither "rules" nor "${backendKey}": the API server rejects it ("either \`defaultBackend\` or \`rules\` must be specified"). Add a rule (host and paths) or a ${backendKey}`,
          { missing: 'spec.rules' },
        );
    }
    for (const item of rules) {
      const ruleMap = asMap(item);
      if (!ruleMap) continue;
      const http = asMap(getValue(ruleMap, 'http'));
      if (!http) continue;
      // paths left out or null: schema-required says so; not a list: schema-type
      const pathsPair = getPair(http, 'paths');
      const paths = asSeq(pathsPair?.value);
      if (pathsPair && paths && paths.items.length === 0)
        ctx.report(
          pathsPair.key,
          `This rule's "http" has no paths: the API server rejects it (http.paths is required). Add at least one path with a backend, or remove "http"`,
        );
    }
    const annotations = asMap(getIn(r.node, ['metadata', 'annotations']));
    const annotation = annotations ? getPair(annotations, CLASS_ANNOTATION) : undefined;
    const annotationValue = asScalar(annotation?.value);
    const classNode = asScalar(getValue(spec, 'ingressClassName'));
    if (
      annotationValue &&
      annotationValue.value !== null &&
      classNode &&
      classNode.value !== null &&
      String(annotationValue.value) !== String(classNode.value)
    )
      ctx.report(
        annotationValue,
        `The ${CLASS_ANNOTATION} annotation says "${annotationValue.value}" but spec.ingressClassName says "${classNode.value}": the API server refuses to create an Ingress where both are set and differ ("must match \`ingressClassName\` when both are specified"). Remove the annotation (spec.ingressClassName replaces it) or make the two agree`,
      );
  },
};
