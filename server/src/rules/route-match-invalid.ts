// Matches of HTTPRoute and GRPCRoute rules that the CRDs reject:
// - a header (or query parameter) named twice in one match (the lists are maps keyed by name); header
//   names that differ only in case are the same header: only the first counts (warning);
// - a GRPCRoute method match gives service or method (or both); with type Exact (the default) the
//   service is a dotted protobuf name and the method an identifier.

import type { Rule, RuleContext } from './types';
import type { AstNode } from '../syntax/ast';
import { asSeq, getValue } from '../syntax/ast';
import { has, isGatewayApi, keyNode, mapsAt, scalar, text } from './gateway-ast';

const GRPC_SERVICE = /^\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$/i;
const GRPC_METHOD = /^[A-Za-z_][A-Za-z_0-9]*$/;

function uniqueNames(
  ctx: RuleContext,
  list: AstNode | null | undefined,
  what: string,
  caseInsensitive: boolean,
): void {
  const exact = new Set<string>();
  const folded = new Map<string, string>();
  for (const item of asSeq(list)?.items ?? []) {
    const n = scalar(item, 'name');
    if (!n) continue;
    const v = String(n.value);
    if (exact.has(v)) {
      ctx.report(
        n,
        `${what} "${v}" is already matched in this match: each name may appear once (list the allowed values in one regular expression, or use two matches)`,
      );
      continue;
    }
    exact.add(v);
    if (!caseInsensitive) continue;
    const prev = folded.get(v.toLowerCase());
    if (prev !== undefined)
      ctx.report(
        n,
        `${what} "${v}" is the same header as "${prev}" (header names are case-insensitive): only the first entry is considered`,
        { severity: 'warning' },
      );
    else folded.set(v.toLowerCase(), v);
  }
}

export const rule: Rule = {
  id: 'route-match-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['HTTPRoute', 'GRPCRoute'],
  description:
    'An HTTPRoute or GRPCRoute match the API server rejects: a header or query parameter named twice, a gRPC method match with neither service nor method, or a service/method name that is not a protobuf name (case-only duplicate header names: warning).',
  check(ctx) {
    const r = ctx.resource;
    if (!isGatewayApi(r)) return;
    for (const { node: match } of mapsAt(r.node, 'spec.rules[].matches[]')) {
      uniqueNames(ctx, getValue(match, 'headers'), 'Header', true);
      if (r.kind === 'HTTPRoute') uniqueNames(ctx, getValue(match, 'queryParams'), 'Query parameter', false);
      if (r.kind !== 'GRPCRoute') continue;
      const method = getValue(match, 'method');
      if (!method || method.type !== 'map') continue;
      const type = text(method, 'type') ?? 'Exact';
      if (!has(method, 'service') && !has(method, 'method')) {
        ctx.report(keyNode(match, 'method')!, "A gRPC method match must give 'service', 'method' or both");
        continue;
      }
      if (type !== 'Exact') continue;
      const service = scalar(method, 'service');
      if (service && !GRPC_SERVICE.test(String(service.value)))
        ctx.report(
          service,
          `gRPC service "${service.value}" must be a fully qualified protobuf service name such as "helloworld.Greeter" (letters, digits, '_' and '.')`,
        );
      const m = scalar(method, 'method');
      if (m && !GRPC_METHOD.test(String(m.value)))
        ctx.report(
          m,
          `gRPC method "${m.value}" must be a protobuf method name such as "SayHello" (letters, digits and '_', not starting with a digit)`,
        );
    }
  },
};
