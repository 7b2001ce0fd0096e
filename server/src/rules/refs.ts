// Severity of a reference to a resource the workspace does not define. Where the workspace defines
// nothing at all in that namespace, the resource most likely lives elsewhere (another repository, a
// chart, a controller), so the finding is information; otherwise it is the rule's own severity.

import type { ResourceIndex } from '../model/index';
import type { Severity } from './types';

export function namespaceKnown(index: ResourceIndex, namespace: string, kinds?: string[]): boolean {
  return index.memo(`ns-known:${namespace}:${kinds?.join(',') ?? '*'}`, () => {
    for (const { resource } of index.all()) {
      if (kinds && !kinds.includes(resource.kind)) continue;
      if (resource.kind === 'Namespace' && resource.name === namespace) return true;
      if (resource.kind !== 'Namespace' && resource.kind !== 'IngressClass' && index.namespaceOf(resource) === namespace) {
        if (!kinds || kinds.includes(resource.kind)) return true;
      }
    }
    return false;
  });
}

/** The severity for "X not found in namespace N": `whenKnown` if the workspace defines resources of
 * these kinds in N, information otherwise. */
export function missingSeverity(index: ResourceIndex, namespace: string, kinds: string[], whenKnown: Severity): Severity {
  return namespaceKnown(index, namespace, kinds) ? whenKnown : 'information';
}
