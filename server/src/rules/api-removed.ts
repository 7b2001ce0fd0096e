// Resources under an apiVersion that is removed (or unknown) in the target Kubernetes version, for
// every kind of the deprecation guide (model/api-versions.ts), not only the covered ones. Ingress and
// IngressClass have their own rule with a migration (ingress-legacy-api).
// The quick fix changes the apiVersion only where the replacement reads the same fields (the guide's
// "no notable changes", and the fields the replacement requires are present).

import { aKind, findApiVersion, apiVersionsForKind, KINDS_WITH_HISTORY } from '../model/api-versions';
import type { ApiVersionInfo } from '../model/api-versions';
import { COVERED_KINDS } from '../model/resource';
import type { Resource } from '../model/resource';
import { rootDefName } from '../schema/schema';
import { getIn, isNullish } from '../syntax/ast';
import type { QuickFix, Rule } from './types';
import { isK8sNetworkPolicy } from '../model/policy-kinds';
import { versionAtLeast } from './version';

function fixTo(
  r: Resource,
  info: ApiVersionInfo | undefined,
  target: string | undefined,
): QuickFix[] | undefined {
  if (!target || target === r.apiVersion) return undefined;
  if (info?.shapeChanges) return undefined;
  if (info?.requires?.some((path) => isNullish(getIn(r.node, path)))) return undefined;
  const n = r.apiVersionNode;
  return [
    {
      title: `Change apiVersion to ${target}`,
      edits: [{ start: n.start, end: n.end, newText: target }],
      preferred: true,
    },
  ];
}

function advice(r: Resource, info: ApiVersionInfo, current: ApiVersionInfo | undefined): string {
  if (info.noReplacement) return `it has no replacement API: ${info.noReplacement}`;
  const to = info.replacement ?? current?.apiVersion ?? 'a current version';
  if (info.shapeChanges) return `use ${to}, where ${info.shapeChanges}`;
  if (info.requires?.some((path) => isNullish(getIn(r.node, path))))
    return `use ${to}, which requires ${info.requires.map((p) => p.join('.')).join(' and ')}`;
  return `use ${to}`;
}

export const rule: Rule = {
  id: 'api-removed',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: [...new Set([...COVERED_KINDS, ...KINDS_WITH_HISTORY])],
  description:
    'A resource under an apiVersion that the target Kubernetes version no longer serves (every kind of the deprecation guide: PodDisruptionBudget, PodSecurityPolicy, HorizontalPodAutoscaler, flowcontrol, storage, RBAC, webhooks...), or never served; with the replacement, and a quick fix where the fields are unchanged. v1 Endpoints, deprecated for EndpointSlice from 1.33 but still served, is information.',
  check(ctx) {
    const r = ctx.resource;
    if (r.kind === 'NetworkPolicy' && !isK8sNetworkPolicy(r)) return; // Calico's kind of the same name
    const info = findApiVersion(r.apiVersion, r.kind);
    const current = apiVersionsForKind(r.kind).find((v) => !v.removed && !v.deprecated);
    const n = r.apiVersionNode;
    if (!info) {
      // an apiVersion the table does not know: a typo only for the kinds whose schema is known
      if (!COVERED_KINDS.has(r.kind) || rootDefName(r.apiVersion, r.kind) || !current) return;
      ctx.report(n, `apiVersion "${r.apiVersion}" does not serve ${r.kind}; use ${current.apiVersion}`, {
        fixes: () => fixTo(r, undefined, current.apiVersion) ?? [],
      });
      return;
    }
    if (r.kind === 'Ingress' || r.kind === 'IngressClass') return; // ingress-legacy-api
    const target = ctx.settings.kubernetesVersion;
    const to = info.replacement ?? current?.apiVersion;
    if (info.removed && versionAtLeast(target, info.removed)) {
      ctx.report(
        n,
        `${r.kind} ${r.apiVersion} is no longer served: removed in Kubernetes ${info.removed}; ${advice(r, info, current)}`,
        { fixes: () => fixTo(r, info, to) ?? [], tags: ['deprecated'] },
      );
    } else if (info.deprecated && info.replacementKind && versionAtLeast(target, info.deprecated)) {
      // deprecated in favour of another kind, still served: what the API server's warning says, and
      // what to write instead (no removal is planned, so information, and no quick fix: another kind)
      ctx.report(
        n,
        `${r.kind} ${r.apiVersion} is deprecated since Kubernetes ${info.deprecated} in favour of ${info.replacementKind}: ` +
          `the API server still serves it but answers every request for it with a warning. Write ${aKind(info.replacementKind)} ` +
          `(${info.replacement}) labelled kubernetes.io/service-name: ${r.name ?? "<the Service's name>"} instead: ${info.shapeChanges}`,
        { severity: 'information', tags: ['deprecated'] },
      );
    } else if (info.deprecated && versionAtLeast(target, info.deprecated)) {
      ctx.report(
        n,
        `${r.kind} ${r.apiVersion} is deprecated since Kubernetes ${info.deprecated}` +
          (info.removed ? ` and removed in ${info.removed}` : '') +
          `; ${advice(r, info, current)}`,
        { severity: 'warning', fixes: () => fixTo(r, info, to) ?? [], tags: ['deprecated'] },
      );
    }
  },
};
