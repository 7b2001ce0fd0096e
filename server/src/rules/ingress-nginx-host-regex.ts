// ingress-nginx writes the locations of one host into one nginx server block; when any Ingress of that
// host sets use-regex: "true" or a rewrite-target, every location of the server becomes a
// case-insensitive regex anchored at the start (`~* "^<path>"`), the other Ingresses' Exact and Prefix
// paths included (template.go enforceRegexModifier / buildLocation). The finding is at the annotation,
// with the paths of the other Ingresses that change meaning as related information.

import { controllerOfIngress, decideController } from '../engine/controller';
import type { IngressInfo } from '../engine/types';
import { idText } from '../engine/types';
import { NGINX_PREFIX } from '../engine/annotations/index';
import { nginxEnforcesRegex } from '../engine/route/nginx-regex';
import { buildCluster } from '../model/cluster';
import { ingressModel, controllerInput } from '../model/ingress';
import { scalarText, stringValue } from '../syntax/ast';
import { annotationPair } from './annotation-pairs';
import type { ResourceIndex } from '../workspace/index';
import type { Rule } from './types';

const USE_REGEX = `${NGINX_PREFIX}use-regex`;
const REWRITE = `${NGINX_PREFIX}rewrite-target`;

/** The Ingresses of ingress-nginx, by merge key and lower-cased host ('' for rules without host). */
function byHost(index: ResourceIndex): Map<string, IngressInfo[]> {
  return index.memoKinds(['Ingress', 'IngressClass'], 'nginx-host-regex', () => {
    const cluster = buildCluster(index);
    const out = new Map<string, IngressInfo[]>();
    for (const ing of cluster.ingresses) {
      const d = controllerOfIngress(ing, cluster.ingressClasses);
      if (d.kind !== 'ingress-nginx') continue;
      for (const host of new Set(ing.rules.map((r) => (r.host ?? '').toLowerCase()))) {
        const k = `${d.mergeKey}\n${host}`;
        const list = out.get(k);
        if (list) list.push(ing);
        else out.set(k, [ing]);
      }
    }
    return out;
  });
}

/** True when the Ingress makes its host's server regex-enforced (engine/route/nginx-regex.ts). */
export const enforcesRegex = nginxEnforcesRegex;

/** How an Exact or Prefix path reads once it is `~* "^<path>"`, or undefined when nothing changes. */
export function regexChange(pathType: string, path: string): string | undefined {
  const upper = path.toUpperCase() !== path ? ` and ${path.toUpperCase()}` : '';
  const trimmed = path.replace(/\/+$/, '');
  if (pathType === 'Exact') return `now also matches ${trimmed}/x${upper}`;
  if (path === '/' || path === '') return undefined;
  // ingress-nginx never matched /feed for Prefix /feed/ (its prefix location keeps the slash): only the case changes
  if (path.endsWith('/')) return upper ? `now also matches ${path.toUpperCase()}` : undefined;
  return `now also matches ${trimmed}x${upper}`;
}

export const rule: Rule = {
  id: 'ingress-nginx-host-regex',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['Ingress'],
  description:
    'use-regex or rewrite-target on one ingress-nginx Ingress turns every path of its host, in every Ingress, into a case-insensitive regex prefix: Exact and Prefix paths of the other Ingresses change meaning.',
  check(ctx) {
    const r = ctx.resource;
    const m = ingressModel(r);
    const input = controllerInput(r, ctx.index.namespaceOf(r));
    const cause = enforcesRegex(
      input.annotations,
      m.rules.flatMap((x) => x.paths.map((p) => scalarText(p.path))),
    );
    if (!cause) return;
    const cluster = buildCluster(ctx.index);
    const decision = decideController(input, cluster.ingressClasses);
    if (decision.kind !== 'ingress-nginx') return;
    const anchor = annotationPair(r, cause === 'use-regex' ? USE_REGEX : REWRITE);
    if (!anchor) return;
    const groups = byHost(ctx.index);
    const ns = ctx.index.namespaceOf(r);
    for (const host of new Set(m.rules.map((x) => (stringValue(x.host) ?? '').toLowerCase()))) {
      const related = [];
      const examples: string[] = [];
      for (const other of groups.get(`${decision.mergeKey}\n${host}`) ?? []) {
        if (other.id.namespace === ns && other.id.name === r.name) continue;
        for (const rule of other.rules) {
          if ((rule.host ?? '').toLowerCase() !== host) continue;
          for (const p of rule.paths) {
            if (p.pathType !== 'Exact' && p.pathType !== 'Prefix') continue;
            const path = p.path ?? '';
            const change = regexChange(p.pathType, path);
            if (!change) continue;
            const now = change;
            if (examples.length < 2)
              examples.push(`${p.pathType} ${path} of Ingress ${idText(other.id)} ${now}`);
            if (p.source)
              related.push({
                ...p.source,
                message: `${p.pathType} path ${path} of Ingress ${idText(other.id)}: now matched as ~* "^${path}"`,
              });
          }
        }
      }
      if (related.length === 0) continue;
      const what = cause === 'use-regex' ? 'use-regex: "true"' : 'rewrite-target';
      ctx.report(
        anchor.keyNode,
        `${what} makes ingress-nginx match every path of ${host ? `host ${host}` : 'the rules without host'} as a case-insensitive regular expression anchored at the start, in every Ingress of that host: ${related.length} Exact or Prefix path${related.length === 1 ? '' : 's'} of other Ingresses ${related.length === 1 ? 'changes' : 'change'} meaning (${examples.join('; ')})`,
        { related },
      );
    }
  },
};
