// Completion of Calico rule selectors (projectcalico.org/v3 NetworkPolicy and GlobalNetworkPolicy,
// `source`/`destination` `selector` and `notSelector`): the labels of the NetworkSets and
// GlobalNetworkSets such a rule can match, as `key == 'value'` expressions, each with what the set
// holds. A namespaced policy's rule sees the NetworkSets of its namespace; a GlobalNetworkPolicy's rule
// every set (GlobalNetworkSets from a namespaced policy need `namespaceSelector: global()`).

import type { Resource } from '../model/resource';
import type { ResourceIndex } from '../workspace/index';
import { buildCluster } from '../model/cluster';
import type { Segment } from './yaml-path';

/** The shape of workspace-values.ts's WorkspaceValue (declared here: that file imports this one). */
interface SetValue {
  label: string;
  detail: string;
  group: number;
  source?: { uri: string; offset: number };
}

const ends = (path: readonly Segment[], tail: readonly Segment[]) =>
  path.length >= tail.length && tail.every((s, i) => path[path.length - tail.length + i] === s);

/** Is the cursor on a Calico rule's source/destination selector value? */
export function isCalicoRuleSelector(r: Resource | undefined, path: readonly Segment[]): boolean {
  if (!r || r.apiVersion !== 'projectcalico.org/v3') return false;
  if (r.kind !== 'NetworkPolicy' && r.kind !== 'GlobalNetworkPolicy') return false;
  return ['source', 'destination'].some(
    (role) => ends(path, [role, 'selector']) || ends(path, [role, 'notSelector']),
  );
}

function quote(v: string): string {
  return v.includes("'") ? `"${v}"` : `'${v}'`;
}

export function calicoSetSelectorValues(r: Resource, index: ResourceIndex): SetValue[] {
  const ns = r.kind === 'NetworkPolicy' ? index.namespaceOf(r) : undefined;
  const out = new Map<string, SetValue>();
  for (const set of buildCluster(index).calicoNetworkSets ?? []) {
    const global = set.namespace === undefined;
    // a namespaced policy's rule sees its own namespace's NetworkSets (GlobalNetworkSets through global())
    const group = ns === undefined || set.namespace === ns ? 0 : 1;
    if (ns !== undefined && !global && set.namespace !== ns) continue;
    const holds = [
      set.nets.length ? `nets ${set.nets.slice(0, 3).join(', ')}${set.nets.length > 3 ? ', …' : ''}` : '',
      set.domains?.length
        ? `domains ${set.domains.slice(0, 3).join(', ')}${set.domains.length > 3 ? ', …' : ''}`
        : '',
    ]
      .filter(Boolean)
      .join('; ');
    for (const [k, v] of Object.entries(set.labels)) {
      const label = `${k} == ${quote(v)}`;
      if (out.has(label)) continue;
      out.set(label, {
        label,
        detail: `${set.kind} ${global ? '' : `${set.namespace}/`}${set.name}${holds ? ` (${holds})` : ''}${global && ns !== undefined ? ' — with namespaceSelector: global()' : ''}`,
        group: global && ns !== undefined ? 1 : group,
        ...(set.source ? { source: { uri: set.source.uri, offset: set.source.start } } : {}),
      });
    }
  }
  return [...out.values()];
}
