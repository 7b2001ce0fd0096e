// The same host and path claimed twice:
// - twice in one rule, or in two rules of one Ingress for the same host: controllers merge the
//   rules of a host, so the later path is never reached;
// - by two Ingresses one controller merges into one routing table (engine/controller.ts's merge key:
//   the same class for most controllers, the same alb.ingress.kubernetes.io/group.name for the AWS Load
//   Balancer Controller, never for GKE, which gives each Ingress its own load balancer): which one
//   serves it depends on the controller. Ingresses of different controllers or AWS groups never
//   compete. Each other Ingress is named once, however many copies of it or of this one exist. The
//   others in this file make one finding and those in other files another, each naming the first
//   few: thousands of Ingresses on one host and path cost two findings per path, not one per pair.
// Prefix paths compare without their trailing slash (`/foo` and `/foo/` match the same requests).

import { countText } from '../syntax/count';
import { ingressModel } from '../model/ingress';
import type { IngressPathModel } from '../model/ingress';
import { scalarText, stringValue } from '../syntax/ast';
import type { Cluster, IngressInfo } from '../engine/types';
import type { RelatedSpan, Rule } from './types';
import type { ResourceIndex } from '../workspace/index';
import { buildCluster } from '../model/cluster';
import { ingressController } from '../model/ingress';
import { controllerOfIngress, AWS_GROUP_ANNOTATION } from '../engine/controller';
import type { ControllerDecision } from '../engine/controller';
import { goBool, NGINX_PREFIX } from '../engine/annotations/index';
import { annotationPairs } from './annotation-pairs';
import { runToEnd } from '../engine/steps';

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

/** Other Ingresses named in one finding's message; up to MAX_RELATED get a related location. */
const NAMED = 3;
const MAX_RELATED = 20;

type IngressPath = IngressInfo['rules'][number]['paths'][number];
type Claim = { ingress: IngressInfo; path: IngressPath };

const CLAIMS = 'ingress-path-conflict:claims';
const CLAIMS_KINDS = ['Ingress'];
const GROUPS = 'ingress-path-conflict:groups';
const GROUPS_KINDS = ['Ingress', 'IngressClass'];

/** Ingresses or claims looked at between two yields of the steps below. */
const PER_STEP = 100;

/** Every Ingress rule's claim on a host and path, by lower-case host and path key, in cluster order:
 * the first path of each rule with that key (once per workspace revision). */
function hostPathClaims(index: ResourceIndex, ingresses: IngressInfo[]): Map<string, Claim[]> {
  return index.memoKinds(CLAIMS_KINDS, CLAIMS, () => runToEnd(claimSteps(ingresses)));
}

function* claimSteps(ingresses: IngressInfo[]): Generator<void, Map<string, Claim[]>> {
  const claims = new Map<string, Claim[]>();
  let n = 0;
  for (const ingress of ingresses) {
    if (++n % PER_STEP === 0) yield;
    {
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
  }
  return claims;
}

/** The Ingresses that claim one host and path under one merge key, each once (its first claim), in
 * cluster order, and the same by the file that makes the claim ('' when unknown). Most host and path
 * keys have one claim: the lookups are built with the second (a workspace of 20,000 files held about
 * 40 MB of maps of one entry). */
interface ClaimSide {
  list: Claim[];
  byKey?: Map<string, Claim>;
  byUri?: Map<string, Claim[]>;
}

/** All of them, and those that are not ingress-nginx canaries (the same side while none is). */
interface ClaimGroup {
  all: ClaimSide;
  notCanary: ClaimSide;
}

const ingressKey = (i: IngressInfo) => `${i.id.namespace}/${i.id.name}`;
const claimUri = (c: Claim) => c.path.source?.uri ?? '';

/** The claim of the Ingress `id` (namespace/name). */
function claimOf(side: ClaimSide, id: string): Claim | undefined {
  if (side.byKey) return side.byKey.get(id);
  const only = side.list[0];
  return only && ingressKey(only.ingress) === id ? only : undefined;
}

/** The claims made from the file `uri`. */
function claimsFrom(side: ClaimSide, uri: string): Claim[] | undefined {
  if (side.byUri) return side.byUri.get(uri);
  return side.list.length > 0 && claimUri(side.list[0]) === uri ? side.list : undefined;
}

function addClaim(side: ClaimSide, id: string, c: Claim): void {
  if (claimOf(side, id)) return;
  if (side.list.length === 1 && !side.byKey) {
    const only = side.list[0];
    side.byKey = new Map([[ingressKey(only.ingress), only]]);
    side.byUri = new Map([[claimUri(only), [only]]]);
  }
  side.list.push(c);
  if (!side.byKey || !side.byUri) return;
  side.byKey.set(id, c);
  const u = claimUri(c);
  const list = side.byUri.get(u);
  if (list) list.push(c);
  else side.byUri.set(u, [c]);
}

const emptySide = (): ClaimSide => ({ list: [] });

const copySide = (side: ClaimSide): ClaimSide => ({
  list: [...side.list],
  byKey: side.byKey && new Map(side.byKey),
  byUri: side.byUri && new Map([...side.byUri].map(([u, list]) => [u, [...list]])),
});

/** The claims of every host and path grouped by the merge key of the Ingress that makes them (once
 * per revision of the Ingresses and IngressClasses): an Ingress then visits only the others it could
 * conflict with, and counts the rest without visiting them (thousands of Ingresses on one host and
 * path made this rule quadratic). */
function claimGroups(
  index: ResourceIndex,
  claims: Map<string, Claim[]>,
  keyOf: (i: IngressInfo) => string,
): Map<string, Map<string, ClaimGroup>> {
  return index.memoKinds(GROUPS_KINDS, GROUPS, () => runToEnd(groupSteps(claims, keyOf)));
}

function* groupSteps(
  claims: Map<string, Claim[]>,
  keyOf: (i: IngressInfo) => string,
): Generator<void, Map<string, Map<string, ClaimGroup>>> {
  let n = 0;
  {
    const out = new Map<string, Map<string, ClaimGroup>>();
    for (const [k, list] of claims) {
      const groups = new Map<string, ClaimGroup>();
      for (const c of list) {
        if (++n % PER_STEP === 0) yield;
        const mk = keyOf(c.ingress);
        let g = groups.get(mk);
        if (!g) {
          const side = emptySide();
          groups.set(mk, (g = { all: side, notCanary: side }));
        }
        const id = ingressKey(c.ingress);
        const canary = goBool(c.ingress.annotations?.[CANARY]) === true;
        // (the sides part at the first canary)
        if (canary && g.notCanary === g.all) g.notCanary = copySide(g.all);
        addClaim(g.all, id, c);
        if (!canary && g.notCanary !== g.all) addClaim(g.notCanary, id, c);
      }
      out.set(k, groups);
    }
    return out;
  }
}

/** The merge key of each Ingress (controllerOfIngress), once per revision of the Ingresses and
 * IngressClasses. */
function mergeKeyOf(index: ResourceIndex, cluster: Cluster): (i: IngressInfo) => string {
  const mergeKeys = index.memoKinds(
    GROUPS_KINDS,
    'ingress-path-conflict:merge-keys',
    () => new Map<IngressInfo, string>(),
  );
  return (other: IngressInfo) => {
    let k = mergeKeys.get(other);
    if (k === undefined)
      mergeKeys.set(other, (k = controllerOfIngress(other, cluster.ingressClasses).mergeKey));
    return k;
  };
}

/** The other Ingresses of `side` that claim from the file `uri` (here) or from other files (not
 * here): how many, and the first MAX_RELATED of them in cluster order, visiting no more than that. */
function othersOf(side: ClaimSide, uri: string, self: string | undefined, here: boolean) {
  const selfClaim = self !== undefined ? claimOf(side, self) : undefined;
  const selfHere = selfClaim !== undefined && claimUri(selfClaim) === uri;
  const inFile = claimsFrom(side, uri)?.length ?? 0;
  const count = here
    ? inFile - (selfHere ? 1 : 0)
    : side.list.length - inFile - (selfClaim && !selfHere ? 1 : 0);
  const first: Claim[] = [];
  const take = (list: Claim[]) => {
    for (const c of list) {
      if (first.length === MAX_RELATED) return;
      if (c !== selfClaim) first.push(c);
    }
  };
  if (here) take(claimsFrom(side, uri) ?? []);
  else if (!side.byUri) {
    if (side.list.length > 0 && claimUri(side.list[0]) !== uri) take(side.list);
  } else
    for (const [u, list] of side.byUri) {
      if (first.length === MAX_RELATED) break;
      if (u !== uri) take(list);
    }
  return { count, first };
}

/** The related location naming a claim, one object per claim while its place holds: thousands of
 * findings naming the same few claims share them (and their conversion to positions, once per check). */
const claimRelatedSpans = new WeakMap<Claim, RelatedSpan>();

function claimRelated(c: Claim): RelatedSpan {
  const source = c.path.source!;
  const hit = claimRelatedSpans.get(c);
  // (positions move in place when a document above grows: then a new object)
  if (hit && hit.uri === source.uri && hit.start === source.start && hit.end === source.end) return hit;
  const span = {
    ...source,
    message: `Ingress ${c.ingress.id.namespace}/${c.ingress.id.name} claims the same host and path here`,
  };
  claimRelatedSpans.set(c, span);
  return span;
}

/** "a, b and c" */
function listText(items: string[]): string {
  return items.length <= 1
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
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
    'A host and path (same pathType) defined twice in one Ingress, so the later one is never reached, or claimed by two Ingresses that one controller merges (same class; same group.name for the AWS Load Balancer Controller; never for GKE; an ingress-nginx canary never conflicts with its main Ingress): one finding naming the other Ingresses of the same file, and one (information) naming those of other files.',
  // The claims of every Ingress and their groups, built in steps before the first Ingress is checked
  // (2,000 Ingresses on one host: a tenth of a second in one go otherwise).
  *prepare(index) {
    const revision = index.revision;
    const cluster = buildCluster(index);
    if (!index.hasMemoKinds(CLAIMS_KINDS, CLAIMS)) {
      const claims = yield* claimSteps(cluster.ingresses);
      if (index.revision !== revision) return;
      index.memoKinds(CLAIMS_KINDS, CLAIMS, () => claims);
    }
    if (!index.hasMemoKinds(GROUPS_KINDS, GROUPS)) {
      const groups = yield* groupSteps(hostPathClaims(index, cluster.ingresses), mergeKeyOf(index, cluster));
      if (index.revision !== revision) return;
      index.memoKinds(GROUPS_KINDS, GROUPS, () => groups);
    }
  },
  check(ctx) {
    const r = ctx.resource;
    const m = ingressModel(r);
    const ns = ctx.index.namespaceOf(r);
    const cluster = buildCluster(ctx.index);
    // Which controller serves it and what it merges it with (an Ingress without a class goes to the
    // default IngressClass when exactly one is marked).
    const mine = ingressController(r, cluster.ingressClasses, ns);
    const keyOf = mergeKeyOf(ctx.index, cluster);
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
        // the same host+path in other Ingresses of the same class
        if (isCopy) continue;
        // ingress-nginx: a canary Ingress (canary: "true") shares its main Ingress's host and path by
        // design; the controller splits the traffic between them instead of choosing one
        const nginx = mine.kind === 'ingress-nginx';
        if (nginx && mineIsCanary) continue;
        const group = groups.get(k)?.get(mine.mergeKey);
        if (!group) continue;
        const side = nginx ? group.notCanary : group.all;
        // the same Ingress written twice (alternative versions of one object) is not a conflict
        const self = r.name !== undefined ? `${ns}/${r.name}` : undefined;
        // One finding for the others in this file (applied together: a real conflict) and one for
        // those in other files (they may belong to other environments or overlays: worth knowing,
        // not more). Each names its first Ingresses and points at up to MAX_RELATED of them;
        // thousands of Ingresses on one host and path cost two findings, not one per pair.
        for (const here of [true, false]) {
          const { count, first } = othersOf(side, ctx.uri, self, here);
          if (count === 0) continue;
          const named = first
            .slice(0, NAMED)
            .map(
              (c) =>
                `${c.ingress.id.namespace}/${c.ingress.id.name} (backend ${backendText(c.path.backend)})`,
            );
          const rest = count - named.length;
          const others =
            count === 1
              ? `Ingress ${named[0]}${together}: which one`
              : `${countText(count)} Ingresses${together}: ${rest > 0 ? `${named.join(', ')} and ${countText(rest)} more` : listText(named)}. Which one`;
          const related = first.filter((c) => c.path.source).map(claimRelated);
          ctx.report(
            anchor,
            `${host ? `Host ${host}` : 'Any host'}, path ${path || '(none)'} (${type}) is also claimed by ${others} serves it depends on the controller`,
            { severity: here ? undefined : 'information', related: related.length ? related : undefined },
          );
        }
      }
    });
  },
};
