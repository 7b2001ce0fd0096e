// A Calico NetworkPolicy (in its namespace) or GlobalNetworkPolicy (in the namespaces its
// namespaceSelector picks) whose selector selects no workload of the workspace: the policy applies to
// nothing here. Only when that scope holds workloads; did-you-mean on `key == 'value'` terms. A
// GlobalNetworkPolicy may be for hosts instead: not when it sets doNotTrack, preDNAT or applyOnForward
// (meaningful for host endpoints only), nor when its selector matches a HostEndpoint of the workspace.

import { getIn, getValue, asScalar, toPlain } from '../syntax/ast';
import { toLabels } from '../engine/selector';
import { buildCluster } from '../model/cluster';
import { isCalicoPolicy } from '../model/policy-kinds';
import { matchesCalico, parseCalicoSelector } from '../engine/calico-selector';
import type { CalicoSelector } from '../engine/calico-selector';
import { namespaceLabels } from '../engine/policy-match';
import { reachIndex } from '../engine/reach-base';
import { calicoLabels } from '../engine/tiers-calico';
import type { Rule } from './types';
import type { AstNode } from '../syntax/ast';
import type { ResourceStore } from '../model/resource-store';
import { labelHint } from './tier-shared';

/** The `key == 'value'` terms of an expression, as matchLabels (for the did-you-mean). */
function equalities(s: CalicoSelector, out: Record<string, string> = {}): Record<string, string> {
  if (s.op === 'eq') out[s.key] = s.value;
  else if (s.op === 'and' || s.op === 'or') for (const a of s.args) equalities(a, out);
  return out;
}

/** Is a GlobalNetworkPolicy written for host endpoints (or does it select one of the workspace)? */
function appliesToHosts(
  index: ResourceStore,
  spec: AstNode | null | undefined,
  sel: CalicoSelector,
): boolean {
  if (['doNotTrack', 'preDNAT', 'applyOnForward'].some((k) => asScalar(getValue(spec, k))?.value === true))
    return true;
  // (a namespace or service account selector keeps it to pods)
  const written = (k: string) => {
    const v = asScalar(getValue(spec, k))?.value;
    return typeof v === 'string' && v.trim() !== '';
  };
  if (written('namespaceSelector') || written('serviceAccountSelector')) return false;
  return index
    .ofKind('HostEndpoint')
    .some(
      ({ resource: h }) =>
        h.apiVersion === 'projectcalico.org/v3' &&
        matchesCalico(sel, toLabels(toPlain(getIn(h.node, ['metadata', 'labels'])))),
    );
}

export const rule: Rule = {
  id: 'calico-selects-nothing',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['NetworkPolicy', 'GlobalNetworkPolicy'],
  description:
    'A Calico NetworkPolicy or GlobalNetworkPolicy whose selector selects no workload of its scope in the workspace (with a did-you-mean on labels).',
  check(ctx) {
    const r = ctx.resource;
    if (!isCalicoPolicy(r)) return;
    const spec = getValue(r.node, 'spec');
    const selNode = asScalar(getValue(spec, 'selector'));
    if (!selNode || typeof selNode.value !== 'string' || selNode.value.trim() === '') return;
    const sel = parseCalicoSelector(selNode.value);
    if (!sel.ok) return; // calico-selector-invalid says why
    if (r.kind === 'GlobalNetworkPolicy' && appliesToHosts(ctx.index, spec, sel.selector)) return;
    const cluster = buildCluster(ctx.index);
    let scope = cluster.workloads;
    if (r.kind === 'NetworkPolicy') {
      const ns = ctx.index.namespaceOf(r);
      scope = scope.filter((w) => w.id.namespace === ns);
    } else {
      const nsText = asScalar(getValue(spec, 'namespaceSelector'))?.value;
      if (typeof nsText === 'string' && nsText.trim()) {
        const nsSel = parseCalicoSelector(nsText);
        if (!nsSel.ok) return;
        scope = scope.filter((w) =>
          matchesCalico(nsSel.selector, {
            ...namespaceLabels(cluster, w.id.namespace),
            'projectcalico.org/name': w.id.namespace,
          }),
        );
      }
    }
    if (!scope.length) return;
    // the labels Calico gives a pod (engine/tiers-calico.ts), its ServiceAccount's among them
    const idx = reachIndex(cluster);
    const labels = (w: (typeof scope)[number]) => calicoLabels(idx, w);
    if (scope.some((w) => matchesCalico(sel.selector, labels(w)))) return;
    const where = r.kind === 'NetworkPolicy' ? ` of namespace ${ctx.index.namespaceOf(r)}` : '';
    ctx.report(
      selNode,
      `selector ${selNode.value} selects no workload${where} in the workspace: the policy applies to nothing here${labelHint({ matchLabels: equalities(sel.selector) }, scope.map(labels))}`,
    );
  },
};
