// A CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy whose endpointSelector selects no workload
// (in its namespace, for the namespaced kind), or a fromEndpoints/toEndpoints selector that matches no
// workload: the policy or the peer does nothing for these manifests. Selectors match the labels Cilium
// gives a pod (engine/tiers-cilium.ts: its namespace and the namespace's labels, its ServiceAccount) and
// keep to the policy's namespace where Cilium keeps them. Only when the workspace holds workloads in
// every namespace the selector looks in.

import { asSeq, getPair, asMap, getValue } from '../syntax/ast';
import type { AstNode } from '../syntax/ast';
import { buildCluster } from '../model/cluster';
import { isCiliumPolicy } from '../model/policy-kinds';
import { matchesSelector, toLabelSelector } from '../engine/selector';
import { toPlain } from '../syntax/ast';
import type { LabelSelector } from '../engine/selector';
import { reachIndex } from '../engine/reach-base';
import { ciliumEndpointSelector, ciliumKeepsToNamespace, ciliumLabels } from '../engine/tiers-cilium';
import type { Cluster } from '../engine/types';
import type { Rule, RuleContext } from './types';
import { labelHint } from './tier-shared';

const NS_KEY = 'io.kubernetes.pod.namespace';
const NS_LABELS = 'io.cilium.k8s.namespace.labels.';

/** Reserved and non-k8s label sources (`reserved:host`, `cidr:`...) select no pod by design. */
function podSelector(s: LabelSelector): boolean {
  return [...Object.keys(s.matchLabels ?? {}), ...(s.matchExpressions ?? []).map((e) => e.key)].every(
    (k) => !/^[a-z0-9-]+:/.test(k) || /^(k8s|any):/.test(k),
  );
}

/** The namespaces a selector names (io.kubernetes.pod.namespace: X, or In [X, Y]); undefined: any. */
function namedNamespaces(sel: LabelSelector): string[] | undefined {
  const label = sel.matchLabels?.[NS_KEY];
  if (label !== undefined) return [label];
  const inExpr = sel.matchExpressions?.find((e) => e.key === NS_KEY && e.operator === 'In');
  return inExpr ? [...(inExpr.values ?? [])] : undefined;
}

/** The part of a (normalised) selector about the pod's namespace. */
function namespacePart(sel: LabelSelector): LabelSelector {
  const about = (k: string) => k === NS_KEY || k.startsWith(NS_LABELS);
  return {
    matchLabels: Object.fromEntries(Object.entries(sel.matchLabels ?? {}).filter(([k]) => about(k))),
    matchExpressions: (sel.matchExpressions ?? []).filter((e) => about(e.key)),
  };
}

function check(
  ctx: RuleContext,
  cluster: Cluster,
  report: AstNode,
  selector: LabelSelector,
  namespace: string | undefined,
  what: string,
): void {
  if (!podSelector(selector)) return;
  const idx = reachIndex(cluster);
  const sel = ciliumEndpointSelector(selector, namespace);
  const own = namespace !== undefined && ciliumKeepsToNamespace(selector);
  // only when the workspace holds workloads in every namespace the selector names (kube-system's
  // kube-dns is seldom among a project's manifests)
  const named = namedNamespaces(sel);
  if (named?.some((ns) => !cluster.workloads.some((w) => w.id.namespace === ns))) return;
  // the workloads of the namespaces it looks in: those its namespace part (the namespace, the
  // namespace's labels) holds; none in the workspace: nothing to say
  const nsPart = namespacePart(sel);
  const scope = cluster.workloads.filter((w) => matchesSelector(nsPart, ciliumLabels(idx, w)));
  if (!scope.length) return;
  if (scope.some((w) => matchesSelector(sel, ciliumLabels(idx, w)))) return;
  const shown = ciliumEndpointSelector(selector, undefined);
  ctx.report(
    report,
    `${what} selects no workload${own ? ` of namespace ${namespace}` : ''} in the workspace${labelHint(
      shown,
      scope.map((w) => ciliumLabels(idx, w)),
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
        check(ctx, cluster, pair.key, toLabelSelector(toPlain(pair.value)) ?? {}, ns, 'endpointSelector');
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
