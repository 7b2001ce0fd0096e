// AdminNetworkPolicy and BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1) were replaced
// by ClusterNetworkPolicy (v1alpha2). Information, with a quick fix that rewrites it as the v1alpha2
// object in place, comments kept (rules/migrate-anp.ts); `kube-netlens migrate-anp` does the same and proves the result equal with
// the engine on the whole workspace.

import { isV1alpha1AdminPolicy, migrateAdminPolicy, migrateAdminPolicyEdits, toYaml } from './migrate-anp';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'anp-v1alpha1',
  scope: 'file',
  defaultSeverity: 'information',
  kinds: ['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'],
  description:
    'An AdminNetworkPolicy or BaselineAdminNetworkPolicy of v1alpha1, replaced by ClusterNetworkPolicy (v1alpha2); a quick fix migrates it.',
  check(ctx) {
    const r = ctx.resource;
    if (!isV1alpha1AdminPolicy(r)) return;
    const tier =
      r.kind === 'AdminNetworkPolicy' ? 'tier Admin, same priority' : 'tier Baseline, priority 1000';
    ctx.report(
      r.apiVersionNode,
      `${r.kind} (policy.networking.k8s.io/v1alpha1) is replaced by ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2, ${tier}; Allow becomes Accept, ports become protocols)`,
      {
        tags: ['deprecated'],
        fixes: () => {
          // in place (comments and layout kept); a whole new document only where that is not possible
          const edits = migrateAdminPolicyEdits(r);
          const title = 'Migrate to ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2)';
          if (edits) return [{ title, edits, preferred: true }];
          if (r.listIndex !== undefined) return [];
          const obj = migrateAdminPolicy(r);
          return obj
            ? [
                {
                  title,
                  edits: [{ start: r.node.start, end: r.node.end, newText: toYaml(obj).replace(/\n$/, '') }],
                  preferred: true,
                },
              ]
            : [];
        },
      },
    );
  },
};
