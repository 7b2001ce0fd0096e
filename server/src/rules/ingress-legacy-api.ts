// Ingress and IngressClass under a removed apiVersion, with a quick fix for Ingress.

import { migrateLegacyIngressText } from './migrate-legacy-ingress';
import { LEGACY_INGRESS_VERSIONS } from '../model/ingress';
import type { QuickFix, Rule } from './types';
import { versionAtLeast } from './version';

export const rule: Rule = {
  id: 'ingress-legacy-api',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['Ingress', 'IngressClass'],
  description:
    'Ingress or IngressClass under extensions/v1beta1 or networking.k8s.io/v1beta1, which Kubernetes stopped serving in 1.22.',
  check(ctx) {
    const r = ctx.resource;
    if (!LEGACY_INGRESS_VERSIONS.has(r.apiVersion)) return;
    if (r.kind === 'IngressClass' && r.apiVersion !== 'networking.k8s.io/v1beta1') return;
    const removed = versionAtLeast(ctx.settings.kubernetesVersion, '1.22');
    const message = removed
      ? `${r.kind} ${r.apiVersion} is no longer served: removed in Kubernetes 1.22; use networking.k8s.io/v1`
      : `${r.kind} ${r.apiVersion} is deprecated and removed in Kubernetes 1.22; use networking.k8s.io/v1`;
    // The migration re-reads the document: computed only when a code action asks for it.
    let fixes: (() => QuickFix[]) | undefined;
    if (r.kind === 'Ingress' && r.listIndex === undefined) {
      fixes = () => {
        const edits = migrateLegacyIngressText(r.doc.text);
        return edits.length
          ? [{ title: 'Migrate this Ingress to networking.k8s.io/v1', edits, preferred: true }]
          : [];
      };
    } else if (r.kind === 'IngressClass') {
      const n = r.apiVersionNode;
      fixes = () => [
        {
          title: 'Change apiVersion to networking.k8s.io/v1',
          edits: [{ start: n.start, end: n.end, newText: 'networking.k8s.io/v1' }],
          preferred: true,
        },
      ];
    }
    ctx.report(r.apiVersionNode, message, {
      severity: removed ? undefined : 'warning',
      fixes,
      tags: ['deprecated'],
    });
  },
};
