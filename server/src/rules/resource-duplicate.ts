// One object (same kind, namespace and name) defined more than once in the workspace: applied to a
// cluster, the last one applied wins, so which definition is meant depends on the order of `kubectl
// apply`. Each copy is reported, with the others as related locations.
//
// The cross-resource checks of a file see one copy: the one nearest to that file (in the file itself,
// else in its folder or the nearest enclosing one, else one of another branch: a Gateway whose
// listeners carry the file's routes first, then the deepest shared folder, then the first in file path
// order; see workspace/nearest.ts), so a
// folder of alternatives is checked the way its author meant it, and the choice never depends on the
// order in which files were given or read.

import type { Rule } from './types';
import { KUSTOMIZE_KINDS, kustomizePatches } from '../model/kustomize';
import { baseIndexOf } from '../workspace/nearest';
import type { IndexedResource } from '../workspace/index';
import { memoOn } from '../engine/memo';

/** Related locations listed per finding (the count in the message is always exact). */
const MAX_RELATED = 20;

/** The position of each copy's resource in a list of copies, once per list and index revision: each
 * copy of an object defined thousands of times looked for itself in the whole list (8,000 copies of one
 * Service: 64 million steps, about 0.4 s of the file's check). */
function positions(copies: IndexedResource[], revision: number): Map<object, number> {
  return memoOn(copies, 'resource-duplicate:positions', [revision, copies.length], () => {
    const at = new Map<object, number>();
    copies.forEach((c, i) => {
      if (!at.has(c.resource)) at.set(c.resource, i);
    });
    return at;
  });
}

export const rule: Rule = {
  id: 'resource-duplicate',
  scope: 'cross-file',
  defaultSeverity: 'information',
  description:
    'The same object (kind, namespace and name) is defined more than once in the workspace; every copy is reported with the others as related locations. The cross-resource checks of each file use the copy nearest to it: in the same file, else in its folder or the nearest enclosing one, else (copies only in other branches) a Gateway with a listener for the routes of the file first, then the deepest shared folder, then the first in file path order.',
  check(ctx) {
    const r = ctx.resource;
    if (!r.name) return;
    // every copy, whichever this file's checks see
    let copies = baseIndexOf(ctx.index).find(r.kind, ctx.index.namespaceOf(r), r.name);
    if (copies.length < 2) return;
    // a kustomize patch's object is merged into its base, not a second definition of it
    if (ctx.index.filesOfKinds(KUSTOMIZE_KINDS).length) {
      const patches = kustomizePatches(ctx.index);
      copies = copies.filter((c) => !patches.has(c.uri));
      if (copies.length < 2) return;
    }
    const at = positions(copies, ctx.index.revision).get(r);
    const self =
      at !== undefined && copies[at].uri === ctx.uri
        ? at
        : copies.findIndex((c) => c.resource === r && c.uri === ctx.uri);
    if (self < 0) return;
    // (the first MAX_RELATED others: the message counts them all)
    const others: IndexedResource[] = [];
    for (let i = 0; i < copies.length && others.length < MAX_RELATED; i++)
      if (i !== self) others.push(copies[i]);
    const what = `${r.kind} ${ctx.index.namespaceOf(r)}/${r.name}`;
    const times = copies.length === 2 ? 'twice' : `${copies.length} times`;
    const message = `${what} is defined ${times} in this workspace: the checks of each file use the copy nearest to it (this one for this file), and the cluster keeps whichever is applied last`;
    ctx.report(r.nameNode ?? r.kindNode, message, {
      related: others.map((c) => {
        const node = c.resource.nameNode ?? c.resource.kindNode;
        return {
          uri: c.uri,
          start: c.resource.doc.base + node.start,
          end: c.resource.doc.base + node.end,
          message: `another copy of ${what}`,
        };
      }),
    });
  },
};
