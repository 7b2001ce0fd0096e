// BackendTLSPolicy, as the CRD's CEL rules check it: the validation gives caCertificateRefs or
// wellKnownCACertificates (exactly one); a subjectAltNames entry of type Hostname gives hostname (and
// no uri), one of type URI gives uri (and no hostname); targetRefs to the same target tell each other
// apart by sectionName.

import type { MapNode } from '../syntax/ast';
import { asMap, getValue } from '../syntax/ast';
import type { Rule } from './types';
import { has, isGatewayApi, itemAnchor, keyNode, mapsAt, scalar, seqAt, text } from './gateway-ast';

const WELL_KNOWN =
  /^(System|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])$/;

export const rule: Rule = {
  id: 'backendtlspolicy-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['BackendTLSPolicy'],
  description:
    'A BackendTLSPolicy the API server rejects: both or neither of caCertificateRefs and wellKnownCACertificates, a subjectAltNames entry whose type does not match the field it sets, or the same target referenced twice without distinct sectionNames.',
  check(ctx) {
    const r = ctx.resource;
    if (!isGatewayApi(r)) return;
    const validation = asMap(getValue(getValue(r.node, 'spec'), 'validation'));
    if (validation) {
      const refs = (seqAt(validation, 'caCertificateRefs')?.items.length ?? 0) > 0;
      const wellKnown = (text(validation, 'wellKnownCACertificates') ?? '') !== '';
      if (refs && wellKnown)
        ctx.report(
          keyNode(validation, 'wellKnownCACertificates')!,
          'Give either caCertificateRefs or wellKnownCACertificates, not both: the backend certificate is checked against one set of CAs',
        );
      else if (!refs && !wellKnown)
        ctx.report(
          keyNode(getValue(r.node, 'spec'), 'validation')!,
          'The validation must give caCertificateRefs (a ConfigMap with the CA certificate) or wellKnownCACertificates: System',
        );
      const wk = scalar(validation, 'wellKnownCACertificates');
      if (wk && wellKnown && (String(wk.value).length > 317 || !WELL_KNOWN.test(String(wk.value))))
        ctx.report(
          wk,
          `wellKnownCACertificates "${wk.value}" must be System or an implementation-specific domain-prefixed name such as "example.com/ca-set"`,
        );
      for (const { node: san } of mapsAt(validation, 'subjectAltNames[]')) {
        const typeNode = scalar(san, 'type');
        const type = typeNode ? String(typeNode.value) : undefined;
        for (const [t, field] of [
          ['Hostname', 'hostname'],
          ['URI', 'uri'],
        ]) {
          const set = (text(san, field) ?? '') !== '';
          if (type === t && !set && typeNode)
            ctx.report(typeNode, `A subjectAltNames entry of type ${t} must give "${field}"`);
          if (type !== t && set)
            ctx.report(keyNode(san, field)!, `"${field}" needs type ${t}${type ? `, not ${type}` : ''}`);
        }
      }
    }
    const groups = new Map<string, MapNode[]>();
    for (const { node } of mapsAt(r.node, 'spec.targetRefs[]')) {
      const k = [text(node, 'group') ?? '', text(node, 'kind') ?? '', text(node, 'name') ?? ''].join('|');
      groups.set(k, [...(groups.get(k) ?? []), node]);
    }
    for (const list of groups.values()) {
      if (list.length < 2) continue;
      const name = text(list[0], 'name') ?? '';
      if (!list.every((n) => has(n, 'sectionName'))) {
        for (const n of list.slice(1))
          ctx.report(
            scalar(n, 'name') ?? itemAnchor(n),
            `targetRefs name "${name}" ${list.length} times: each reference to the same target must give a sectionName (the Service port name)`,
          );
        continue;
      }
      const seen = new Set<string>();
      for (const n of list) {
        const s = text(n, 'sectionName')!;
        if (seen.has(s))
          ctx.report(scalar(n, 'sectionName')!, `targetRefs name "${name}" with sectionName "${s}" twice`);
        seen.add(s);
      }
    }
  },
};
