// The same host and path claimed twice: inside one Ingress (the second never wins) or by two
// Ingresses of the same class (which one serves depends on the controller).

import { relations } from '../model/relations';
import { ingressModel } from '../model/ingress';
import { getIn, scalarText, stringValue } from '../syntax/ast';
import type { IngressInfo } from '../engine/types';
import type { Rule } from './types';
import type { ResourceIndex } from '../model/index';

function backendText(b: IngressInfo['defaultBackend']): string {
  if (!b) return 'no backend';
  return b.kind === 'service' ? `${b.service}:${b.port ?? '?'}` : `${b.resourceKind} ${b.name}`;
}

type Claim = { other: IngressInfo; clash: IngressInfo['rules'][number]['paths'][number] };

/** Every (class, host, pathType, path) claimed by the workspace's Ingresses, first claim of each Ingress only. */
function claims(index: ResourceIndex, ingresses: IngressInfo[]): Map<string, Claim[]> {
  return index.memo('ingress-path-claims', () => {
    const out = new Map<string, Claim[]>();
    for (const other of ingresses) {
      const seen = new Set<string>();
      for (const orule of other.rules) {
        for (const op of orule.paths) {
          const k = `${other.className ?? ''}\n${(orule.host ?? '').toLowerCase()}\n${op.pathType}\n${op.path ?? ''}`;
          if (seen.has(k)) continue;
          seen.add(k);
          const list = out.get(k);
          if (list) list.push({ other, clash: op });
          else out.set(k, [{ other, clash: op }]);
        }
      }
    }
    return out;
  });
}

export const rule: Rule = {
  id: 'ingress-path-conflict',
  defaultSeverity: 'warning',
  kinds: ['Ingress'],
  description: 'A host and path (with the same pathType) defined twice in one Ingress, or claimed by two Ingresses of the same class.',
  check(ctx) {
    const r = ctx.resource;
    const m = ingressModel(r);
    const ns = ctx.index.namespaceOf(r);
    const cluster = relations(ctx.index).cluster;
    const className = stringValue(m.className) ?? stringValue(getIn(r.node, ['metadata', 'annotations', 'kubernetes.io/ingress.class'])) ?? '';
    const seen = new Map<string, string>();
    for (const rule of m.rules) {
      const host = (stringValue(rule.host) ?? '').toLowerCase();
      for (const p of rule.paths) {
        const path = scalarText(p.path) ?? '';
        const type = stringValue(p.pathType) ?? 'ImplementationSpecific';
        const k = `${host} ${type} ${path}`;
        const anchor = p.path ?? p.pathType ?? p.node;
        if (seen.has(k)) {
          ctx.report(anchor, `Duplicate path ${path || '(none)'} (${type})${host ? ` for host ${host}` : ''} in this Ingress: only the first entry (${seen.get(k)}) is used`);
          continue;
        }
        seen.set(k, p.backend?.serviceName ? `backend ${scalarText(p.backend.serviceName)}` : 'the first entry');
        // the same host+path in another Ingress of the same class (looked up in a table built once per index state)
        for (const { other, clash } of claims(ctx.index, cluster.ingresses).get(`${className}\n${host}\n${type}\n${path}`) ?? []) {
          // the same Ingress written twice (alternative versions of one object) is not a conflict
          if (other.id.namespace === ns && other.id.name === r.name) continue;
          // Within one file both are applied together: a real conflict. Across files they may
          // belong to different environments or overlays, so it is worth knowing, not more.
          const sameFile = clash.source?.uri === ctx.uri;
          ctx.report(anchor, `Host ${host || '(any)'} path ${path || '(none)'} (${type}) is also claimed by Ingress ${other.id.namespace}/${other.id.name} (backend ${backendText(clash.backend)})${className ? ` of class ${className}` : ''}: which one serves it depends on the controller`, {
            severity: sameFile ? undefined : 'information',
            related: clash.source ? [{ ...clash.source, message: `Ingress ${other.id.namespace}/${other.id.name} claims the same host and path here` }] : undefined,
          });
        }
      }
    }
  },
};
