// Severity of a reference to a resource the workspace does not define. Where the workspace defines
// nothing at all in that namespace, the resource most likely lives elsewhere (another repository, a
// chart, a controller), so the finding is information; otherwise it is the rule's own severity.

import type { ResourceIndex } from '../workspace/index';
import type { Severity } from './types';

export function namespaceKnown(index: ResourceIndex, namespace: string, kinds?: string[]): boolean {
  // one pass per list of kinds (and workspace revision) gives every namespace they are known in
  const compute = () => {
    const out = new Set<string>();
    for (const { resource } of index.all()) {
      if (kinds && !kinds.includes(resource.kind)) continue;
      if (resource.kind === 'Namespace') {
        if (resource.name !== undefined) out.add(resource.name);
      } else if (resource.kind !== 'IngressClass') out.add(index.namespaceOf(resource));
    }
    return out;
  };
  const key = `ns-known:${kinds?.join(',') ?? '*'}`;
  const known = kinds ? index.memoKinds(kinds, key, compute) : index.memo(key, compute);
  return known.has(namespace);
}

/** The severity for "X not found in namespace N": `whenKnown` if the workspace defines resources of
 * these kinds in N, information otherwise. */
export function missingSeverity(
  index: ResourceIndex,
  namespace: string,
  kinds: string[],
  whenKnown: Severity,
): Severity {
  return namespaceKnown(index, namespace, kinds) ? whenKnown : 'information';
}
