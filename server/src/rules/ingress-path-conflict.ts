// The same host and path claimed twice:
// - twice in one rule, or in two rules of one Ingress for the same host: controllers merge the
//   rules of a host, so the later path is never reached;
// - by two Ingresses one controller merges into one routing table (engine/controller.ts's merge key:
//   the same class for most controllers, the same alb.ingress.kubernetes.io/group.name for the AWS Load
//   Balancer Controller, never for GKE, which gives each Ingress its own load balancer): which one
//   serves it depends on the controller. Ingresses of different controllers or AWS groups never
//   compete. Each other Ingress is named once, however many copies of it or of this one exist.
// Prefix paths compare without their trailing slash (`/foo` and `/foo/` match the same requests).

import { ingressModel } from '../model/ingress';
import type { IngressPathModel } from '../model/ingress';
import { scalarText, stringValue } from '../syntax/ast';
import type { IngressInfo } from '../engine/types';
import type { Rule } from './types';
import type { ResourceIndex } from '../workspace/index';
import { buildCluster } from '../model/cluster';
import { ingressController } from '../model/ingress';
import { controllerOfIngress, AWS_GROUP_ANNOTATION } from '../engine/controller';
import type { ControllerDecision } from '../engine/controller';
import { goBool, NGINX_PREFIX } from '../engine/annotations/index';
import { annotationPairs } from './annotation-pairs';

const CANARY = `${NGINX_PREFIX}canary`;

function backendText(b: IngressInfo['defaultBackend']): string {
  if (!b) return 'no backend';
  return b.kind === 'service' ? `${b.service}:${b.port ?? '?'}` : `${b.resourceKind} ${b.name}`;
}

/** The requests a path matches, as a comparable key. */
export function pathKey(path: string, type: string): string {
  const p = type === 'Prefix' && path.length > 1 ? path.replace(/\/+$/, '') || '/' : path;
  return `${type} ${p}`;
}

function localBackend(p: IngressPathModel): string {
  const b = p.backend;
  if (!b) return 'no backend';
  if (b.serviceName) return `${scalarText(b.serviceName)}:${b.servicePort ? scalarText(b.servicePort) : '?'}`;
  return b.resource ? 'a resource backend' : 'no backend';
}

/** Findings per host and path naming another Ingress that claims it. */
const MAX_CLAIMS = 20;

type IngressPath = IngressInfo['rules'][number]['paths'][number];
type Claim = { ingress: IngressInfo; path: IngressPath };

/** Every Ingress rule's claim on a host and path, by lower-case host and path key, in cluster order:
 * the first path of each rule with that key (once per workspace revision). */
function hostPathClaims(index: ResourceIndex, ingresses: IngressInfo[]): Map<string, Claim[]> {
  return index.memoKinds(['Ingress'], 'ingress-path-conflict:claims', () => {
    const claims = new Map<string, Claim[]>();
    for (const ingress of ingresses) {
      for (const orule of ingress.rules) {
        const host = (orule.host ?? '').toLowerCase();
        const done = new Set<string>();
        for (const p of orule.paths) {
          const k = `${host} ${pathKey(p.path ?? '', p.pathType)}`;
          if (done.has(k)) continue;
          done.add(k);
          const list = claims.get(k);
          if (list) list.push({ ingress, path: p });
          else claims.set(k, [{ ingress, path: p }]);
        }
      }
    }
    return claims;
  });
}

/** The Ingresses that claim one host and path under one merge key, each once (its first claim), in
 * cluster order: all of them, and those that are not ingress-nginx canaries. */
interface ClaimGroup {
  all: Claim[];
  allKeys: Set<string>;
  notCanary: Claim[];
  notCanaryKeys: Set<string>;
}

const ingressKey = (i: IngressInfo) => `${i.id.namespace}/${i.id.name}`;

/** The claims of every host and path grouped by the merge key of the Ingress that makes them (once
 * per revision of the Ingresses and IngressClasses): an Ingress then visits only the others it could
 * conflict with, and counts the rest without visiting them (thousands of Ingresses on one host and
 * path made this rule quadratic). */
function claimGroups(
  index: ResourceIndex,
  claims: Map<string, Claim[]>,
  keyOf: (i: IngressInfo) => string,
): Map<string, Map<string, ClaimGroup>> {
  return index.memoKinds(['Ingress', 'IngressClass'], 'ingress-path-conflict:groups', () => {
    const out = new Map<string, Map<string, ClaimGroup>>();
    for (const [k, list] of claims) {
      const groups = new Map<string, ClaimGroup>();
      for (const c of list) {
        const mk = keyOf(c.ingress);
        let g = groups.get(mk);
        if (!g)
          groups.set(mk, (g = { all: [], allKeys: new Set(), notCanary: [], notCanaryKeys: new Set() }));
        const id = ingressKey(c.ingress);
        if (!g.allKeys.has(id)) {
          g.allKeys.add(id);
          g.all.push(c);
        }
        if (goBool(c.ingress.annotations?.[CANARY]) !== true && !g.notCanaryKeys.has(id)) {
          g.notCanaryKeys.add(id);
          g.notCanary.push(c);
        }
      }
      out.set(k, groups);
    }
    return out;
  });
}

/** How the two Ingresses end up in one routing table, for the message. */
function togetherText(d: ControllerDecision): string {
  if (d.kind === 'aws-alb' && d.mergeKey.startsWith('aws-alb:group:'))
    return ` in the same AWS load balancer group (${AWS_GROUP_ANNOTATION}: ${d.mergeKey.slice('aws-alb:group:'.length)})`;
  return d.className ? ` of the same class ${d.className}` : '';
}

export const rule: Rule = {
  id: 'ingress-path-conflict',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['Ingress'],
  description:
    'A host and path (same pathType) defined twice in one Ingress, so the later one is never reached, or claimed by two Ingresses that one controller merges (same class; same group.name for the AWS Load Balancer Controller; never for GKE; an ingress-nginx canary never conflicts with its main Ingress), once per other Ingress (information when they are in different files).',
  check(ctx) {
    const r = ctx.resource;
    const m = ingressModel(r);
    const ns = ctx.index.namespaceOf(r);
    const cluster = buildCluster(ctx.index);
    // Which controller serves it and what it merges it with (an Ingress without a class goes to the
    // default IngressClass when exactly one is marked).
    const mine = ingressController(r, cluster.ingressClasses, ns);
    const mergeKeys = ctx.index.memoKinds(
      ['Ingress', 'IngressClass'],
      'ingress-path-conflict:merge-keys',
      () => new Map<IngressInfo, string>(),
    );
    const keyOf = (other: IngressInfo) => {
      let k = mergeKeys.get(other);
      if (k === undefined)
        mergeKeys.set(other, (k = controllerOfIngress(other, cluster.ingressClasses).mergeKey));
      return k;
    };
    // a second copy of this Ingress (resource-duplicate reports it) repeats no conflict with others
    const isCopy =
      r.name !== undefined &&
      ctx.index.isDuplicated('Ingress', ns, r.name) &&
      !ctx.index.isPrimary(ctx.uri, r);
    const together = togetherText(mine);
    const mineIsCanary = goBool(annotationPairs(r).find((a) => a.key === CANARY)?.value) === true;
    /** host + path key → the first path that claims it in this Ingress, and its rule number. */
    const seen = new Map<string, { path: IngressPathModel; rule: number }>();
    const groups = claimGroups(ctx.index, hostPathClaims(ctx.index, cluster.ingresses), keyOf);
    m.rules.forEach((rule, ruleIndex) => {
      const host = (stringValue(rule.host) ?? '').toLowerCase();
      const hostText = host ? `host ${host}` : 'any host';
      for (const p of rule.paths) {
        const path = scalarText(p.path) ?? '';
        const type = stringValue(p.pathType) ?? 'ImplementationSpecific';
        const k = `${host} ${pathKey(path, type)}`;
        const anchor = p.path ?? p.pathType ?? p.node;
        const first = seen.get(k);
        if (first) {
          const firstPath = scalarText(first.path.path) ?? '';
          const same = `path ${path || '(none)'} (${type}${firstPath !== path ? `, the same requests as ${firstPath}` : ''})`;
          const related = [
            {
              uri: ctx.uri,
              start: r.doc.base + (first.path.path ?? first.path.node).start,
              end: r.doc.base + (first.path.path ?? first.path.node).end,
              message: `the ${type} path that wins (backend ${localBackend(first.path)})`,
            },
          ];
          const message =
            first.rule === ruleIndex
              ? `Duplicate ${same} in this rule: only the first one (backend ${localBackend(first.path)}) is used, so this entry is never reached`
              : `This ${same} is never reached: rule ${first.rule + 1} of this Ingress already routes it for ${hostText} (backend ${localBackend(first.path)}), and controllers merge the rules of a host`;
          ctx.report(anchor, message, { related, tags: ['unnecessary'] });
          continue;
        }
        seen.set(k, { path: p, rule: ruleIndex });
        // the same host+path in another Ingress of the same class
        // (at most MAX_CLAIMS findings per path: a host+path claimed by thousands of Ingresses
        // gets a bounded answer, the rest counted in one more finding)
        if (isCopy) continue;
        // ingress-nginx: a canary Ingress (canary: "true") shares its main Ingress's host and path by
        // design; the controller splits the traffic between them instead of choosing one
        const nginx = mine.kind === 'ingress-nginx';
        if (nginx && mineIsCanary) continue;
        const group = groups.get(k)?.get(mine.mergeKey);
        if (!group) continue;
        const others = nginx ? group.notCanary : group.all;
        // the same Ingress written twice (alternative versions of one object) is not a conflict
        const self = r.name !== undefined ? `${ns}/${r.name}` : undefined;
        let reported = 0;
        for (const { ingress: other, path: clash } of others) {
          if (reported === MAX_CLAIMS) break;
          if (ingressKey(other) === self) continue;
          reported++;
          // Within one file both are applied together: a real conflict. Across files they may
          // belong to different environments or overlays, so it is worth knowing, not more.
          const sameFile = clash.source?.uri === ctx.uri;
          ctx.report(
            anchor,
            `${host ? `Host ${host}` : 'Any host'}, path ${path || '(none)'} (${type}) is also claimed by Ingress ${other.id.namespace}/${other.id.name} (backend ${backendText(clash.backend)})${together}: which one serves it depends on the controller`,
            {
              severity: sameFile ? undefined : 'information',
              related: clash.source
                ? [
                    {
                      ...clash.source,
                      message: `Ingress ${other.id.namespace}/${other.id.name} claims the same host and path here`,
                    },
                  ]
                : undefined,
            },
          );
        }
        const selfListed = self !== undefined && (nginx ? group.notCanaryKeys : group.allKeys).has(self);
        const more = others.length - (selfListed ? 1 : 0) - reported;
        if (more > 0) {
          ctx.report(
            anchor,
            `${host ? `Host ${host}` : 'Any host'}, path ${path || '(none)'} (${type}) is also claimed by ${more} more Ingress${more === 1 ? '' : 'es'}${together} (not listed one by one)`,
            { severity: 'information' },
          );
        }
      }
    });
  },
};
