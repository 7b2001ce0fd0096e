// Filters of HTTPRoute and GRPCRoute rules (and of their backendRefs), as the CRDs' CEL rules check
// them:
// - `type` agrees with the one configuration field that is set (RequestHeaderModifier with
//   requestHeaderModifier, ...), and a path modifier's type with replaceFullPath/replacePrefixMatch;
// - RequestHeaderModifier, ResponseHeaderModifier, RequestRedirect, URLRewrite and CORS appear at most
//   once per list; RequestRedirect and URLRewrite not both;
// - a rule with RequestRedirect has no backendRefs (the redirect is the answer);
// - a ReplacePrefixMatch needs exactly one match, of type PathPrefix (matches left out default to one
//   PathPrefix "/" match);
// - header modifiers name each header once; a mirror gives percent or fraction, numerator <= denominator;
//   CORS lists "*" alone.

import type { AstNode, MapNode } from '../syntax/ast';
import { asMap, asSeq, getValue } from '../syntax/ast';
import type { Rule, RuleContext } from './types';
import { has, isGatewayApi, itemAnchor, keyNode, mapsAt, scalar, seqAt, text } from './gateway-ast';

/** filter type -> its configuration field. */
const HTTP_FIELDS: Record<string, string> = {
  RequestHeaderModifier: 'requestHeaderModifier',
  ResponseHeaderModifier: 'responseHeaderModifier',
  RequestMirror: 'requestMirror',
  RequestRedirect: 'requestRedirect',
  URLRewrite: 'urlRewrite',
  ExtensionRef: 'extensionRef',
  CORS: 'cors',
  ExternalAuth: 'externalAuth',
};
const GRPC_FIELDS: Record<string, string> = {
  RequestHeaderModifier: 'requestHeaderModifier',
  ResponseHeaderModifier: 'responseHeaderModifier',
  RequestMirror: 'requestMirror',
  ExtensionRef: 'extensionRef',
};
const HTTP_SINGLE = [
  'RequestHeaderModifier',
  'ResponseHeaderModifier',
  'RequestRedirect',
  'URLRewrite',
  'CORS',
];
const GRPC_SINGLE = ['RequestHeaderModifier', 'ResponseHeaderModifier'];

function checkFilterList(ctx: RuleContext, filters: MapNode[], grpc: boolean): void {
  const fields = grpc ? GRPC_FIELDS : HTTP_FIELDS;
  const single = grpc ? GRPC_SINGLE : HTTP_SINGLE;
  const firstOf = new Map<string, number>();
  filters.forEach((f, i) => {
    const typeNode = scalar(f, 'type');
    const type = typeNode ? String(typeNode.value) : undefined;
    // the configuration fields set on this filter (an unknown type is the enum's finding, not ours)
    if (type === undefined || fields[type])
      for (const [t, field] of Object.entries(fields)) {
        if (has(f, field) && t !== type) {
          ctx.report(
            keyNode(f, field)!,
            type
              ? `${field} belongs to filter type ${t}, but this filter's type is ${type}: set type: ${t} or move the settings to the field of ${type}`
              : `${field} is set but the filter has no type: add type: ${t}`,
          );
        }
      }
    if (type && fields[type] && !has(f, fields[type]) && typeNode) {
      ctx.report(typeNode, `Filter type ${type} needs its settings in "${fields[type]}"`);
    }
    if (type && single.includes(type)) {
      const prev = firstOf.get(type);
      if (prev === undefined) firstOf.set(type, i);
      else if (typeNode)
        ctx.report(
          typeNode,
          `Filter ${type} is already given as filter ${prev + 1} of this list: it may appear only once (merge the two)`,
        );
    }
    checkPathModifier(ctx, asMap(getValue(f, 'requestRedirect')));
    checkPathModifier(ctx, asMap(getValue(f, 'urlRewrite')));
    for (const m of ['requestHeaderModifier', 'responseHeaderModifier'])
      checkHeaderModifier(ctx, asMap(getValue(f, m)));
    checkMirror(ctx, asMap(getValue(f, 'requestMirror')));
    checkCors(ctx, asMap(getValue(f, 'cors')));
  });
  if (!grpc && firstOf.has('RequestRedirect') && firstOf.has('URLRewrite')) {
    const t = scalar(filters[firstOf.get('URLRewrite')!], 'type')!;
    ctx.report(
      t,
      'A filter list may hold RequestRedirect or URLRewrite, not both: the redirect answers the request, so nothing is rewritten',
    );
  }
}

function checkPathModifier(ctx: RuleContext, filter: MapNode | undefined): void {
  const path = asMap(getValue(filter, 'path'));
  if (!path) return;
  const typeNode = scalar(path, 'type');
  const type = typeNode ? String(typeNode.value) : undefined;
  for (const [t, field] of [
    ['ReplaceFullPath', 'replaceFullPath'],
    ['ReplacePrefixMatch', 'replacePrefixMatch'],
  ]) {
    if (type === t && !has(path, field)) ctx.report(typeNode!, `Path modifier type ${t} needs "${field}"`);
    if (type !== t && has(path, field))
      ctx.report(keyNode(path, field)!, `"${field}" needs path type ${t}${type ? `, not ${type}` : ''}`);
  }
}

function checkHeaderModifier(ctx: RuleContext, mod: MapNode | undefined): void {
  if (!mod) return;
  for (const list of ['set', 'add']) {
    const seen = new Set<string>();
    for (const item of asSeq(getValue(mod, list))?.items ?? []) {
      const n = scalar(item, 'name');
      if (!n) continue;
      const v = String(n.value);
      if (seen.has(v))
        ctx.report(n, `Header "${v}" is already listed in ${list}: each header name may appear once`);
      seen.add(v);
    }
  }
  const seen = new Set<string>();
  for (const item of asSeq(getValue(mod, 'remove'))?.items ?? []) {
    if (item.type !== 'scalar' || item.value === null) continue;
    const v = String(item.value);
    if (seen.has(v)) ctx.report(item, `Header "${v}" is already listed in remove: each name may appear once`);
    seen.add(v);
  }
}

function checkMirror(ctx: RuleContext, mirror: MapNode | undefined): void {
  if (!mirror) return;
  if (has(mirror, 'percent') && has(mirror, 'fraction'))
    ctx.report(keyNode(mirror, 'fraction')!, 'A mirror gives either percent or fraction, not both');
  const fraction = asMap(getValue(mirror, 'fraction'));
  const num = scalar(fraction, 'numerator');
  const den = scalar(fraction, 'denominator');
  const d = den && typeof den.value === 'number' ? den.value : 100; // the CRD's default denominator
  if (num && typeof num.value === 'number' && num.value > d)
    ctx.report(num, `numerator (${num.value}) must be less than or equal to denominator (${d})`);
}

function checkCors(ctx: RuleContext, cors: MapNode | undefined): void {
  if (!cors) return;
  for (const list of ['allowOrigins', 'allowMethods', 'allowHeaders']) {
    const items = asSeq(getValue(cors, list))?.items ?? [];
    if (items.length < 2) continue;
    const star = items.find((i) => i.type === 'scalar' && i.value === '*');
    if (star) ctx.report(star, `"*" in ${list} means any: it cannot be listed alongside other values`);
  }
}

/** ReplacePrefixMatch in a filter of this list needs exactly one PathPrefix match in the rule. */
function checkPrefixMatch(ctx: RuleContext, filters: MapNode[], rule: MapNode, where: string): void {
  for (const f of filters) {
    for (const kind of ['requestRedirect', 'urlRewrite']) {
      const path = asMap(getValue(getValue(f, kind), 'path'));
      if (!path || text(path, 'type') !== 'ReplacePrefixMatch' || !has(path, 'replacePrefixMatch')) continue;
      const matches = seqAt(rule, 'matches');
      if (!matches) continue; // defaults to one PathPrefix "/" match
      const name = kind === 'requestRedirect' ? 'RequestRedirect' : 'URLRewrite';
      if (matches.items.length !== 1) {
        ctx.report(
          scalar(path, 'type')!,
          `${where}${name} with path.replacePrefixMatch needs exactly one match of type PathPrefix in the rule (it has ${matches.items.length}): the prefix to replace is that match's path`,
        );
        continue;
      }
      const mtype = text(getValue(matches.items[0], 'path'), 'type');
      if (mtype !== undefined && mtype !== 'PathPrefix') {
        ctx.report(
          scalar(path, 'type')!,
          `${where}${name} with path.replacePrefixMatch needs the rule's match to be of type PathPrefix, not ${mtype}: the prefix to replace is that match's path`,
        );
      }
    }
  }
}

function filterMaps(node: AstNode | null | undefined): MapNode[] {
  return (asSeq(node)?.items ?? []).filter((i): i is MapNode => i.type === 'map');
}

export const rule: Rule = {
  id: 'route-filter-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['HTTPRoute', 'GRPCRoute'],
  description:
    'An HTTPRoute or GRPCRoute filter the API server rejects: type not matching the field set, a filter repeated that may appear once, RequestRedirect with URLRewrite or with backendRefs, ReplacePrefixMatch without exactly one PathPrefix match, a header named twice, mirror percent and fraction together, "*" beside other CORS values.',
  check(ctx) {
    const r = ctx.resource;
    if (!isGatewayApi(r)) return;
    const grpc = r.kind === 'GRPCRoute';
    for (const { node: rule } of mapsAt(r.node, 'spec.rules[]')) {
      const filters = filterMaps(getValue(rule, 'filters'));
      checkFilterList(ctx, filters, grpc);
      const backendRefs = (seqAt(rule, 'backendRefs')?.items ?? []).filter(
        (b): b is MapNode => b.type === 'map',
      );
      if (!grpc) {
        checkPrefixMatch(ctx, filters, rule, '');
        const redirect = filters.find(
          (f) => text(f, 'type') === 'RequestRedirect' || has(f, 'requestRedirect'),
        );
        if (redirect && backendRefs.length > 0) {
          ctx.report(
            itemAnchor(backendRefs[0]),
            'A rule with a RequestRedirect filter must not have backendRefs: the redirect answers the request, so no backend receives it (remove backendRefs, or the redirect)',
          );
        }
      }
      for (const b of backendRefs) {
        const bf = filterMaps(getValue(b, 'filters'));
        checkFilterList(ctx, bf, grpc);
        if (!grpc) checkPrefixMatch(ctx, bf, rule, 'Within backendRefs, ');
      }
    }
  },
};
