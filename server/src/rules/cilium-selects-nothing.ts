// A CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy whose endpointSelector selects no workload
// (in its namespace, for the namespaced kind), or a fromEndpoints/toEndpoints selector that matches no
// workload: the policy or the peer does nothing for these manifests. Only when the scope holds workloads.

import { asSeq, getPair, asMap, getValue } from '../syntax/ast';
import type { AstNode } from '../syntax/ast';
import { buildCluster } from '../model/cluster';
import { isCiliumPolicy } from '../model/policy-kinds';
import { matchesSelector, toLabelSelector } from '../engine/selector';
import { toPlain } from '../syntax/ast';
import type { LabelSelector, Labels } from '../engine/selector';
import { namespaceLabels } from '../engine/policy-match';
import type { Cluster, WorkloadInfo } from '../engine/types';
import type { Rule, RuleContext } from './types';
import { labelHint } from './tier-shared';

function ciliumLabels(cluster: Cluster, w: WorkloadInfo): Labels {
  const out: Labels = { ...w.podLabels, 'io.kubernetes.pod.namespace': w.id.namespace };
  for (const [k, v] of Object.entries(namespaceLabels(cluster, w.id.namespace)))
    out[`io.cilium.k8s.namespace.labels.${k}`] = v;
  return out;
}

function strip(s: LabelSelector): LabelSelector {
  const key = (k: string) => (k.startsWith('k8s:') || k.startsWith('any:') ? k.slice(4) : k);
  return {
    ...(s.matchLabels
      ? { matchLabels: Object.fromEntries(Object.entries(s.matchLabels).map(([k, v]) => [key(k), v])) }
      : {}),
    ...(s.matchExpressions
      ? { matchExpressions: s.matchExpressions.map((e) => ({ ...e, key: key(e.key) })) }
      : {}),
  };
}

function namesNamespace(s: LabelSelector): boolean {
  return (
    Object.keys(s.matchLabels ?? {}).some(
      (k) => k.replace(/^(k8s|any):/, '') === 'io.kubernetes.pod.namespace',
    ) ||
    (s.matchExpressions ?? []).some((e) => e.key.replace(/^(k8s|any):/, '') === 'io.kubernetes.pod.namespace')
  );
}

/** Reserved and non-k8s label sources (`reserved:host`, `cidr:`...) select no pod by design. */
function podSelector(s: LabelSelector): boolean {
  return [...Object.keys(s.matchLabels ?? {}), ...(s.matchExpressions ?? []).map((e) => e.key)].every(
    (k) => !/^[a-z0-9-]+:/.test(k) || /^(k8s|any):/.test(k),
  );
}

function check(
  ctx: RuleContext,
  cluster: Cluster,
  node: AstNode,
  report: AstNode,
  selector: LabelSelector,
  namespace: string | undefined,
  what: string,
): void {
  if (!podSelector(selector)) return;
  const scope =
    namespace !== undefined && !namesNamespace(selector)
      ? cluster.workloads.filter((w) => w.id.namespace === namespace)
      : cluster.workloads;
  if (!scope.length) return;
  const sel = strip(selector);
  if (scope.some((w) => matchesSelector(sel, ciliumLabels(cluster, w)))) return;
  void node;
  ctx.report(
    report,
    `${what} selects no workload${namespace !== undefined && !namesNamespace(selector) ? ` of namespace ${namespace}` : ''} in the workspace${labelHint(
      sel,
      scope.map((w) => ciliumLabels(cluster, w)),
    )}`,
  );
}

export const rule: Rule = {
  id: 'cilium-selects-nothing',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'],
  description:
    'A Cilium policy whose endpointSelector, or a fromEndpoints/toEndpoints selector, matches no workload of its scope in the workspace (with a did-you-mean on labels).',
  check(ctx) {
    const r = ctx.resource;
    if (!isCiliumPolicy(r)) return;
    const cluster = buildCluster(ctx.index);
    const ns = r.kind === 'CiliumNetworkPolicy' ? ctx.index.namespaceOf(r) : undefined;
    const specs: AstNode[] = [];
    const spec = getValue(r.node, 'spec');
    if (spec) specs.push(spec);
    for (const s of asSeq(getValue(r.node, 'specs'))?.items ?? []) specs.push(s);
    for (const spec of specs) {
      const m = asMap(spec);
      const pair = m && getPair(m, 'endpointSelector');
      if (pair?.value && asMap(pair.value))
        check(
          ctx,
          cluster,
          pair.value,
          pair.key,
          toLabelSelector(toPlain(pair.value)) ?? {},
          ns,
          'endpointSelector',
        );
      for (const [section, key] of [
        ['ingress', 'fromEndpoints'],
        ['ingressDeny', 'fromEndpoints'],
        ['egress', 'toEndpoints'],
        ['egressDeny', 'toEndpoints'],
      ] as const) {
        (asSeq(getValue(spec, section))?.items ?? []).forEach((rule, i) => {
          (asSeq(getValue(rule, key))?.items ?? []).forEach((sel, j) => {
            if (!asMap(sel)) return;
            check(
              ctx,
              cluster,
              sel,
              asMap(sel)?.pairs[0]?.key ?? sel,
              toLabelSelector(toPlain(sel)) ?? {},
              ns,
              `${section}[${i}].${key}[${j}]`,
            );
          });
        });
      }
    }
  },
};
