// The backend and TLS rules are views of the engine's route graph: the graph finds the problem and
// words it once; a rule reports it at its own value and, where it can, offers a quick fix.

import type { Span } from '../syntax/ast';
import type { Resource } from '../model/resource';
import { buildCluster, ingressInfo, secretInfo, serviceInfo } from '../model/cluster';
import { routeGraph } from '../engine/route/graph';
import type { RouteGraph, RouteGraphProblem, RouteGraphRuleId } from '../engine/route/graph';
import type { ReportOptions, CrossFileRuleContext as RuleContext } from './types';

/** The route graph's problems of one rule at a value of the resource being checked. */
export function graphProblemsAt(ctx: RuleContext, ruleId: RouteGraphRuleId, node: Span): RouteGraphProblem[] {
  const graph = routeGraph(buildCluster(ctx.index));
  const start = ctx.resource.doc.base + node.start;
  if (ctx.index.isPrimary(ctx.uri, ctx.resource)) return graph.problemsAt(ruleId, ctx.uri, start);
  // A second copy of a duplicated object is not in the cluster: check it against the cluster as it is.
  return copyProblems(ctx, graph).filter((p) => p.ruleId === ruleId && p.at?.uri === ctx.uri && p.at.start === start);
}

const copies = new WeakMap<Resource, { graph: RouteGraph; uri: string; problems: RouteGraphProblem[] }>();

function copyProblems(ctx: RuleContext, graph: RouteGraph): RouteGraphProblem[] {
  const r = ctx.resource;
  const hit = copies.get(r);
  if (hit && hit.graph === graph && hit.uri === ctx.uri) return hit.problems;
  const problems =
    r.kind === 'Ingress' ? graph.problemsOf({ ingress: ingressInfo(ctx.uri, r, ctx.index) })
    : r.kind === 'Service' ? graph.problemsOf({ service: serviceInfo(ctx.uri, r, ctx.index) })
    : r.kind === 'Secret' ? graph.problemsOf({ secret: secretInfo(ctx.uri, r, ctx.index) })
    : [];
  copies.set(r, { graph, uri: ctx.uri, problems });
  return problems;
}

/** Report each graph problem of a rule found at `node`; `fixes` turns its data into quick fixes. */
export function reportGraphProblems(ctx: RuleContext, ruleId: RouteGraphRuleId, node: Span, fixes?: (p: RouteGraphProblem) => ReportOptions['fixes']): void {
  for (const p of graphProblemsAt(ctx, ruleId, node)) ctx.report(node, p.message, { severity: p.severity, fixes: fixes?.(p) });
}
