// One object (same kind, namespace and name) defined more than once in the workspace: applied to a
// cluster, the last one applied wins, so which definition is meant depends on the order of `kubectl
// apply`. Each copy is reported, with the others as related locations.
//
// The cross-resource checks use one copy, and the choice does not depend on the order in which
// files were given or read: the first in file path order, then document order in the file (see
// workspace/index.ts).

import type { Rule } from './types';
import { KUSTOMIZE_KINDS, kustomizePatches } from '../model/kustomize';

/** Related locations listed per finding (the count in the message is always exact). */
const MAX_RELATED = 20;

export const rule: Rule = {
  id: 'resource-duplicate',
  scope: 'cross-file',
  defaultSeverity: 'information',
  description:
    'The same object (kind, namespace and name) is defined more than once in the workspace; every copy is reported with the others as related locations. The cross-resource checks use the first copy in file path order, then document order.',
  check(ctx) {
    const r = ctx.resource;
    if (!r.name) return;
    let copies = ctx.index.find(r.kind, ctx.index.namespaceOf(r), r.name);
    if (copies.length < 2) return;
    // a kustomize patch's object is merged into its base, not a second definition of it
    if (ctx.index.filesOfKinds(KUSTOMIZE_KINDS).length) {
      const patches = kustomizePatches(ctx.index);
      copies = copies.filter((c) => !patches.has(c.uri));
      if (copies.length < 2) return;
    }
    const self = copies.findIndex((c) => c.resource === r && c.uri === ctx.uri);
    if (self < 0) return;
    const others = copies.filter((_, i) => i !== self);
    const what = `${r.kind} ${ctx.index.namespaceOf(r)}/${r.name}`;
    const times = copies.length === 2 ? 'twice' : `${copies.length} times`;
    const message =
      self === 0
        ? `${what} is defined ${times} in this workspace: the cross-resource checks use this copy (the first in file path order), and the cluster keeps whichever is applied last`
        : `${what} is defined ${times} in this workspace: the cross-resource checks use the first copy in file path order, not this one, and the cluster keeps whichever is applied last`;
    ctx.report(r.nameNode ?? r.kindNode, message, {
      related: others.slice(0, MAX_RELATED).map((c) => {
        const node = c.resource.nameNode ?? c.resource.kindNode;
        const first = copies[0] === c;
        return {
          uri: c.uri,
          start: c.resource.doc.base + node.start,
          end: c.resource.doc.base + node.end,
          message: first ? `the copy the checks use` : `another copy of ${what}`,
        };
      }),
    });
  },
};
