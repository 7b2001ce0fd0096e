// The backend and TLS rules are views of the engine's route graph: the graph finds the problem and
// words it once; a rule reports it at its own value and, where it can, offers a quick fix.

import type { Span } from '../syntax/ast';
import type { Resource } from '../model/resource';
import { buildCluster, ingressInfo, secretInfo, serviceInfo } from '../model/cluster';
import { routeGraph } from '../engine/route/graph';
import { graphSliceInSteps } from '../engine/route/graph-slice';
import type { RouteGraphProblem, RouteGraphRuleId } from '../engine/route/graph';
import type { ResourceIndex } from '../workspace/index';
import type { QuickFix, CrossFileRuleContext as RuleContext } from './types';

/** The route graph's problems of one rule at a value of the resource being checked. */
export function graphProblemsAt(ctx: RuleContext, ruleId: RouteGraphRuleId, node: Span): RouteGraphProblem[] {
  return graphProblemsOfValue(ctx.index, ctx.uri, ctx.resource, ruleId, node);
}

/** The same outside a rule (a hover): the problems of `ruleId` at a value of resource `r` of file `uri`. */
export function graphProblemsOfValue(
  index: ResourceIndex,
  uri: string,
  r: Resource,
  ruleId: RouteGraphRuleId,
  node: Span,
): RouteGraphProblem[] {
  const graph = routeGraph(buildCluster(index));
  const start = r.doc.base + node.start;
  if (index.isPrimary(uri, r)) return graph.problemsAt(ruleId, uri, start, index.namespaceOf(r));
  // A second copy of a duplicated object is not in the cluster: check it against the cluster as it is.
  return copyProblems(index, uri, r).filter(
    (p) => p.ruleId === ruleId && p.at?.uri === uri && p.at.start === start,
  );
}

/** The route graph's problems of a second copy, once per workspace revision and copy. */
function copyProblems(index: ResourceIndex, uri: string, r: Resource): RouteGraphProblem[] {
  const graph = routeGraph(buildCluster(index));
  const perCopy = index.memo('route-graph-copies', () => new Map<Resource, RouteGraphProblem[]>());
  let problems = perCopy.get(r);
  if (!problems) {
    problems =
      r.kind === 'Ingress'
        ? graph.problemsOf({ ingress: ingressInfo(uri, r, index) })
        : r.kind === 'Service'
          ? graph.problemsOf({ service: serviceInfo(uri, r, index) })
          : r.kind === 'Secret'
            ? graph.problemsOf({ secret: secretInfo(uri, r, index) })
            : [];
    perCopy.set(r, problems);
  }
  return problems;
}

/** Report each graph problem of a rule found at `node`; `fixes` turns its data into quick fixes (called
 * only when a code action asks for them). */
export function reportGraphProblems(
  ctx: RuleContext,
  ruleId: RouteGraphRuleId,
  node: Span,
  fixes?: (p: RouteGraphProblem) => QuickFix[] | undefined,
): void {
  for (const p of graphProblemsAt(ctx, ruleId, node))
    ctx.report(node, p.message, {
      severity: p.severity,
      related: p.related,
      fixes: fixes ? () => fixes(p) ?? [] : undefined,
    });
}

/** Kinds whose rules read the route graph's slice of their own namespace. */
const SLICE_READERS = new Set(['Service', 'Ingress', 'Secret']);

/**
 * Build, in steps, the route graph's slices that the rules will read for these resources (those of
 * the namespaces their Services, Ingresses and Secrets are in), so that the first rule asking for one
 * finds it ready instead of building it in one go (thousands of Ingresses in one namespace took a
 * few hundred milliseconds). The slices are the ones the rules would build (kept the same way).
 */
export function* warmRouteGraph(index: ResourceIndex, resources: Iterable<Resource>): Generator<void> {
  const namespaces = new Set<string>();
  for (const r of resources) if (SLICE_READERS.has(r.kind)) namespaces.add(index.namespaceOf(r));
  if (namespaces.size === 0) return;
  const cluster = buildCluster(index);
  for (const ns of namespaces) yield* graphSliceInSteps(cluster, ns);
}
