// Covered kinds under an apiVersion that is removed (or unknown) in the target Kubernetes version.
// Ingress and IngressClass have their own rule with a migration (ingress-legacy-api).

import { findApiVersion, apiVersionsForKind } from '../model/api-versions';
import { rootDefName } from '../schema/schema';
import type { Rule } from './types';
import { versionAtLeast } from './version';

export const rule: Rule = {
  id: 'api-removed',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['NetworkPolicy', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Service', 'Secret', 'Namespace', 'Pod', 'Ingress', 'IngressClass'],
  description: 'A resource under an apiVersion that the target Kubernetes version no longer serves, or never served.',
  check(ctx) {
    const r = ctx.resource;
    const info = findApiVersion(r.apiVersion, r.kind);
    const current = apiVersionsForKind(r.kind).find((v) => !v.removed && !v.deprecated);
    const n = r.apiVersionNode;
    const fix = current && current.apiVersion !== r.apiVersion
      ? [{ title: `Change apiVersion to ${current.apiVersion}`, edits: [{ start: n.start, end: n.end, newText: current.apiVersion }], preferred: true }]
      : undefined;
    if (!info) {
      if (rootDefName(r.apiVersion, r.kind)) return;
      if (!current) return;
      ctx.report(n, `apiVersion "${r.apiVersion}" does not serve ${r.kind}; use ${current.apiVersion}`, { fixes: fix });
      return;
    }
    if (r.kind === 'Ingress' || r.kind === 'IngressClass') return; // ingress-legacy-api
    const target = ctx.settings.kubernetesVersion;
    if (info.removed && versionAtLeast(target, info.removed)) {
      ctx.report(n, `${r.kind} ${r.apiVersion} is no longer served: removed in Kubernetes ${info.removed}; use ${info.replacement ?? current?.apiVersion ?? 'a current version'}`, { fixes: fix, tags: ['deprecated'] });
    } else if (info.deprecated && versionAtLeast(target, info.deprecated)) {
      ctx.report(n, `${r.kind} ${r.apiVersion} is deprecated since Kubernetes ${info.deprecated}` + (info.removed ? ` and removed in ${info.removed}` : '') + `; use ${info.replacement ?? current?.apiVersion}`, { severity: 'warning', fixes: fix, tags: ['deprecated'] });
    }
  },
};
