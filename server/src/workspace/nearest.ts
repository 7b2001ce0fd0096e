// Which copy of a duplicated object the checks of one file see. A folder of alternatives (examples that
// each define `Gateway eg` with their own listeners, `dev/` and `prod/` folders holding the same
// Service) is read the way its author meant it: a reference resolves to the copy nearest to the file
// that makes it. Nearest means: in the same file; else in the file's folder or the nearest folder
// enclosing it; else (the copies are all in other branches of the tree, alternatives of which none is
// the file's own) a Gateway with a listener for the kinds of the file's routes attached to it (an
// HTTPRoute next to folders of TLS-only examples takes an HTTP Gateway), nearest by shared leading
// folders; ties go to the first in workspace order (file path, then document order).
// The result never depends on the order files were read, and a workspace without duplicates (or with
// more than MAX_DUPLICATED of them, where the cost would grow with each file) is checked against the
// index itself, whose first copy is every file's choice.
//
// References resolve per referrer: a route in another folder that attaches to its own copy of a
// duplicated Gateway attaches to a different Gateway than this file's copy, so it is left out of this
// file's view (else the alternatives of a folder of examples would compete on one listener).
//
// The view is the index with two answers changed: `find` lists the chosen copy first and `isPrimary`
// says yes for it, so the cluster, the route and Gateway graphs and every cross-file rule built on the
// view see that copy. Values the view derives (memo, memoKinds) are kept in the index under keys
// naming the choice, so files with the same choice share them and they follow the index's revisions.

import { WorkspaceIndex } from './index';
import type { IndexedResource } from './index';
import type { Resource } from '../model/resource';
import { ROUTE_RESOURCE_KINDS, gatewayModel, isGatewayApi, routeModel } from '../model/gateway';
import { kindsForProtocol } from '../engine/gateway/attach';
import { stringValue } from '../syntax/ast';

const GATEWAY_GROUP = 'gateway.networking.k8s.io';
const bases = new WeakMap<WorkspaceIndex, WorkspaceIndex>();

/** The index a view was made from (the index itself when it is not a view): every copy, in
 * workspace order, for the checks that are about the copies themselves. */
export function baseIndexOf(index: WorkspaceIndex): WorkspaceIndex {
  return bases.get(index) ?? index;
}

/** Above this many duplicated objects, every file uses the first copy. */
export const MAX_DUPLICATED = 256;

/** The index as the checks of file `uri` should see it. */
export function nearestCopies(index: WorkspaceIndex, uri: string): WorkspaceIndex {
  const dups = index.duplicatedObjects();
  if (dups.size === 0 || dups.size > MAX_DUPLICATED) return index;
  return index.memo(`nearest-of:${uri}`, () => {
    const near = nearestCache(index);
    const chosen: [string, IndexedResource][] = [];
    const mine = new Map<string, IndexedResource | undefined>();
    const borrowed = new Set<string>();
    for (const [key, [kind, ns, name]] of dups) {
      const copies = index.find(kind, ns, name);
      const best = near(key, copies, uri);
      mine.set(key, best?.copy);
      if (best && !best.inScope) borrowed.add(key);
      if (best && best.copy !== copies[0]) chosen.push([key, best.copy]);
    }
    // routes elsewhere that attach to another copy of a duplicated Gateway than this file's; and when
    // a copy is borrowed from another branch of the tree, by this file (the routes there belong to
    // that alternative) or by the other (it is nobody's but its own), the two do not meet
    const left: IndexedResource[] = [];
    if ([...dups.values()].some(([kind]) => kind === 'Gateway')) {
      for (const e of index.ofKinds(ROUTE_RESOURCE_KINDS)) {
        if (e.uri === uri || !isGatewayApi(e.resource)) continue;
        for (const key of parentGateways(index, e.resource)) {
          if (!mine.has(key)) continue;
          const [kind, ns, name] = dups.get(key)!;
          const theirs = near(key, index.find(kind, ns, name), e.uri);
          if (borrowed.has(key) || !theirs?.inScope || theirs.copy !== mine.get(key)) {
            left.push(e);
            break;
          }
        }
      }
    }
    if (!chosen.length && !left.length) return index;
    chosen.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const at = (e: IndexedResource) => `${e.uri}#${index.resourcesOf(e.uri).indexOf(e.resource)}`;
    const choice = `${chosen.map(([key, c]) => `${key}@${at(c)}`).join('|')}|without:${left.map(at).join(',')}`;
    return index.memo(`nearest-view:${choice}`, () => view(index, new Map(chosen), left, choice));
  });
}

/** The Gateways (index keys) a route's parentRefs name. */
function parentGateways(index: WorkspaceIndex, r: Resource): string[] {
  const ns = index.namespaceOf(r);
  const out: string[] = [];
  for (const p of routeModel(r).parentRefs) {
    const group = p.group?.value ?? GATEWAY_GROUP;
    const kind = p.kind?.value ?? 'Gateway';
    const name = p.name?.value;
    if (group !== GATEWAY_GROUP || kind !== 'Gateway' || typeof name !== 'string') continue;
    const pns = p.namespace?.value;
    out.push(WorkspaceIndex.key('Gateway', typeof pns === 'string' && pns ? pns : ns, name));
  }
  return out;
}

/** The copy a file sees, and whether it is of the file's own scope (its file, folder or an enclosing
 * folder) rather than borrowed from another branch of the tree. */
interface Nearest {
  copy: IndexedResource;
  inScope: boolean;
}

/** nearestOf, remembered per object and file for this revision. */
function nearestCache(index: WorkspaceIndex) {
  const cache = index.memo('nearest-cache', () => new Map<string, Nearest | undefined>());
  return (key: string, copies: readonly IndexedResource[], uri: string) => {
    const k = `${key}\n${uri}`;
    if (cache.has(k)) return cache.get(k);
    const wanted = copies[0]?.resource.kind === 'Gateway' ? attachingKinds(index, key, uri) : undefined;
    const best = nearestOf(copies, uri, wanted);
    cache.set(k, best);
    return best;
  };
}

/** The kinds of the routes of file `uri` that attach to Gateway `key`. */
function attachingKinds(index: WorkspaceIndex, key: string, uri: string): Set<string> | undefined {
  let kinds: Set<string> | undefined;
  for (const r of index.resourcesOf(uri)) {
    if (!(ROUTE_RESOURCE_KINDS as readonly string[]).includes(r.kind) || !isGatewayApi(r)) continue;
    if (parentGateways(index, r).includes(key)) (kinds ??= new Set()).add(r.kind);
  }
  return kinds;
}

/** Does a Gateway have a listener that carries one of these route kinds? */
function carriesAny(r: Resource, kinds: ReadonlySet<string>): boolean {
  return gatewayModel(r).listeners.some((l) => {
    const protocol = stringValue(l.protocol);
    const carried: readonly string[] = protocol ? kindsForProtocol(protocol, stringValue(l.tlsMode)) : [];
    const allowed = l.kinds?.map((k) => stringValue(k.kind)).filter((k) => k !== undefined);
    return [...kinds].some((k) => carried.includes(k) && (!allowed || allowed.includes(k)));
  });
}

/** The copy nearest to `uri` (copies in workspace order):
 * 1. a copy of the file's own scope: the file itself, else its folder or the nearest enclosing one;
 * 2. else (only copies in other branches of the tree: alternatives, none of them the file's) a Gateway
 *    that carries one of `wanted` (the kinds of the file's routes attached to it), nearest first;
 * 3. else the copy sharing the most leading folders; ties to the first. */
function nearestOf(
  copies: readonly IndexedResource[],
  uri: string,
  wanted?: ReadonlySet<string>,
): Nearest | undefined {
  let best: IndexedResource | undefined;
  let bestRank: readonly number[] = [];
  const folders = foldersOf(uri);
  for (const c of copies) {
    const theirs = foldersOf(c.uri);
    const shared = sharedFolders(folders, theirs);
    const rank =
      c.uri === uri
        ? [2, 0, 0]
        : shared === theirs.length
          ? [1, shared, 0]
          : [0, wanted && carriesAny(c.resource, wanted) ? 1 : 0, shared];
    if (!best || greater(rank, bestRank)) {
      best = c;
      bestRank = rank;
    }
  }
  return best && { copy: best, inScope: bestRank[0] > 0 };
}

function greater(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return false;
}

function foldersOf(uri: string): string[] {
  const parts = uri.split('/');
  parts.pop();
  return parts;
}

function sharedFolders(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

function view(
  index: WorkspaceIndex,
  chosen: ReadonlyMap<string, IndexedResource>,
  left: readonly IndexedResource[],
  choice: string,
): WorkspaceIndex {
  const v = Object.create(index) as WorkspaceIndex;
  bases.set(v, index);
  const leftOut = new Set(left.map((e) => e.resource));
  const leftKeys = new Set(
    left
      .filter((e) => e.resource.name)
      .map((e) => WorkspaceIndex.key(e.resource.kind, index.namespaceOf(e.resource), e.resource.name!)),
  );
  const listed = new Map<string, IndexedResource[]>();
  const tag = `nearest:${choice}:`;
  v.find = (kind, namespace, name) => {
    const list = index.find(kind, namespace, name);
    const key = WorkspaceIndex.key(kind, namespace, name);
    const first = chosen.get(key);
    if (!first && !leftKeys.has(key)) return list;
    let out = listed.get(key);
    if (!out) {
      const rest = list.filter((e) => e !== first && !leftOut.has(e.resource));
      listed.set(key, (out = first ? [first, ...rest] : rest));
    }
    return out;
  };
  // a route left out counts as a copy that is not the one used (the cluster skips those)
  v.isDuplicated = (kind, namespace, name) =>
    leftKeys.has(WorkspaceIndex.key(kind, namespace, name)) || index.isDuplicated(kind, namespace, name);
  v.isPrimary = (uri, r) => {
    if (leftOut.has(r)) return false;
    if (!r.name) return true;
    const first = v.find(r.kind, index.namespaceOf(r), r.name)[0];
    return !first || (first.resource === r && first.uri === uri);
  };
  v.memo = (key, compute) => index.memo(tag + key, compute);
  v.hasMemo = (key) => index.hasMemo(tag + key);
  v.memoKinds = (kinds, key, compute) => index.memoKinds(kinds, tag + key, compute);
  return v;
}
