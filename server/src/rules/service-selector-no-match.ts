// A Service whose selector matches no workload's pod labels: no pod will ever serve it.

import { asMap, getPair } from '../syntax/ast';
import { relations, checkableSelector } from '../model/relations';
import { serviceInfo } from '../model/cluster';
import type { Rule } from './types';
import { namespaceKnown } from './refs';
import { closest } from '../engine/edit-distance';
import { workloadsInNamespace } from '../engine/cluster-index';

export const rule: Rule = {
  id: 'service-selector-no-match',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['Service'],
  description: 'A Service selector that matches the pod labels of no workload in its namespace (warning when an Ingress routes to it, information otherwise).',
  check(ctx) {
    const r = ctx.resource;
    if (!r.name) return;
    const spec = asMap(getPair(r.node, 'spec')?.value);
    const selPair = spec ? getPair(spec, 'selector') : undefined;
    if (!selPair || !asMap(selPair.value) || asMap(selPair.value)!.pairs.length === 0) return;
    const svc = serviceInfo('', r, ctx.index);
    if (!svc.selector || !checkableSelector(svc.selector)) return;
    const ns = ctx.index.namespaceOf(r);
    const rel = relations(ctx.index);
    if ((rel.serviceWorkloads.get(`${ns}/${r.name}`) ?? []).length > 0) return;
    const workloadKinds = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'ReplicationController'];
    const routed = rel.serviceUsers.get(`${ns}/${r.name}`) ?? [];
    const shown = Object.entries(svc.selector).map(([k, v]) => `${k}=${v}`).join(', ');
    let severity: 'warning' | 'information' = routed.length > 0 ? 'warning' : 'information';
    if (!namespaceKnown(ctx.index, ns, workloadKinds)) severity = 'information';
    const why = routed.length > 0 ? `; Ingress "${routed[0].ingress.id.name}" routes here, so those requests will fail` : '';
    // A label value no pod carries, close to one that pods of the namespace do carry: a typo.
    const inNs = workloadsInNamespace(rel.cluster, ns);
    let hint = '';
    for (const [k, v] of Object.entries(svc.selector)) {
      const values = [...new Set(inNs.map((w) => w.podLabels[k]).filter((x): x is string => x !== undefined))];
      if (values.length === 0 || values.includes(v)) continue;
      const near = closest(v, values);
      if (near) {
        hint = ` (did you mean ${k}=${near}?)`;
        break;
      }
    }
    ctx.report(selPair.key, `Selector ${shown} matches no workload in namespace "${ns}" in this workspace${hint}: no pod will serve this Service${why}`, { severity });
  },
};
