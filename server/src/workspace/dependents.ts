// Which files must be re-checked after a change: from the objects a change adds, removes, edits or
// moves, to the files whose cross-file findings can depend on them. Only cross-file findings depend on
// other files (a file-local rule sees one resource), so the question is, per resource of a candidate
// file: can a cross-file rule on it read one of the changed objects?
//
// The answer errs on the safe side. A resource is re-checked when
// - another copy of it (same kind, namespace and name) changed: which copy counts, and the duplicate
//   finding, may change;
// - its kind has cross-file rules and the changed object is of a kind they may read. What each kind's
//   rules read is the table below: by default every kind (a new rule that reads something new is
//   covered); `namespace` where the rules only read objects of that kind in the resource's own
//   namespace (an Ingress backend names a Service of its namespace, and the severity and "did you
//   mean" of a missing one read the Services and workloads there); `never` where no rule on that kind
//   reads it. Moving an object counts as changing it (findings elsewhere point at it).
// Kinds without cross-file rules (workloads but StatefulSet, Namespaces, and the kinds the checker does not cover)
// are only re-checked for their duplicates. test/dependents.test.ts holds the table against the rule
// registry and checks on the multi-file fixtures that every file whose findings change is named.

import type { Resource } from '../model/resource';
import { KUSTOMIZE_KINDS } from '../model/kustomize';
import { COVERED_KINDS, GATEWAY_API_KINDS, WORKLOAD_KINDS } from '../model/resource';
import type { WorkspaceIndex } from './index';
import type { FileChange } from './overlay';

/** How far the cross-file rules of one kind read objects of another kind. */
type Reach = 'namespace' | 'never';

const WORKLOADS = [...WORKLOAD_KINDS];

/** Policy kinds: their rules read pods, namespaces, Services, Ingresses and the other policy kinds
 * (tiers, the network plugin the workspace implies), so they read everything. */
export const POLICY_KINDS = [
  'NetworkPolicy',
  'GlobalNetworkPolicy',
  'CiliumNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
  'ClusterNetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
];

const GATEWAY_FAMILY = [...GATEWAY_API_KINDS, 'XListenerSet'];

function reach(entries: [string[], Reach][]): Map<string, Reach> {
  const m = new Map<string, Reach>();
  for (const [kinds, r] of entries) for (const k of kinds) m.set(k, r);
  return m;
}

/** Per kind with cross-file rules: the kinds its rules read less than everywhere. Kinds not listed
 * (as targets or as read kinds) are read everywhere. */
export const READS: ReadonlyMap<string, ReadonlyMap<string, Reach>> = new Map([
  [
    // backends (Service, port, pods behind it) of its namespace; every Ingress (path conflicts, the
    // controller's merged routing table) and TLS Secret (one host given two certificates by Ingresses
    // of any namespace), IngressClasses, controller kinds
    'Ingress',
    reach([
      [['Service', ...WORKLOADS], 'namespace'],
      [[...POLICY_KINDS, ...GATEWAY_FAMILY], 'never'],
    ]),
  ],
  [
    // selector against the pods of its namespace, named targetPorts, the Ingresses and routes that
    // route to it (Ingresses only from its namespace; routes from anywhere)
    'Service',
    reach([
      [['Ingress', 'Service', ...WORKLOADS], 'namespace'],
      [['Secret', 'IngressClass', ...POLICY_KINDS], 'never'],
    ]),
  ],
  [
    // a TLS Secret's users: Ingresses of its namespace, Gateway listeners of any namespace
    'Secret',
    reach([
      [['Ingress'], 'namespace'],
      [['Service', 'Secret', 'IngressClass', ...WORKLOADS, ...POLICY_KINDS], 'never'],
    ]),
  ],
  [
    // the Service its serviceName names, in its namespace
    'StatefulSet',
    reach([
      [['Service'], 'namespace'],
      [['Ingress', 'Secret', 'IngressClass', ...WORKLOADS, ...POLICY_KINDS, ...GATEWAY_FAMILY], 'never'],
    ]),
  ],
  [
    'IngressClass',
    reach([[['Service', 'Secret', ...WORKLOADS, ...POLICY_KINDS, ...GATEWAY_FAMILY], 'never']]),
  ],
]);

/** Covered kinds that no cross-file rule looks at (besides the duplicate check). */
export const KEY_ONLY_KINDS: ReadonlySet<string> = new Set([
  ...WORKLOADS.filter((k) => k !== 'StatefulSet'),
  'Namespace',
  'GatewayClass',
]);

/** The objects of some changes, summarised for the question "does this resource read one of them". */
export class ChangeSummary {
  /** kind/namespace/name of every changed object. */
  readonly keys = new Set<string>();
  /** kind → namespaces in which an object of that kind changed. */
  readonly namespaces = new Map<string, Set<string>>();
  /** The files the changes were in. */
  readonly files = new Set<string>();
  /** A kustomization changed: which files are patches (and so which checks they get) may change. */
  private kustomize = false;

  constructor(
    private readonly index: WorkspaceIndex,
    changes: Iterable<FileChange>,
  ) {
    for (const c of changes) this.add(c);
  }

  get empty(): boolean {
    return this.namespaces.size === 0 && !this.kustomize;
  }

  add(change: FileChange): void {
    this.files.add(change.uri);
    for (const r of change.removed) this.object(r);
    for (const r of change.added) this.object(r);
    for (const r of change.moved) this.object(r);
  }

  private object(r: Resource): void {
    if ((KUSTOMIZE_KINDS as readonly string[]).includes(r.kind)) this.kustomize = true;
    const ns = this.index.namespaceOf(r);
    let set = this.namespaces.get(r.kind);
    if (!set) this.namespaces.set(r.kind, (set = new Set()));
    set.add(ns);
    if (r.name !== undefined) this.keys.add(`${r.kind}/${ns}/${r.name}`);
  }

  /** Can the findings of `r` (a resource of another file) depend on one of the changed objects? */
  affects(r: Resource): boolean {
    // a kustomization lists patch files: their checks, and the duplicates and cluster of every file
    // with an object of the same name, change with it (rare edits: every file is re-checked)
    if (this.kustomize) return true;
    const ns = this.index.namespaceOf(r);
    if (r.name !== undefined && this.keys.has(`${r.kind}/${ns}/${r.name}`)) return true;
    // cross-file rules run on the covered kinds only, and on named objects only
    if (!COVERED_KINDS.has(r.kind) || KEY_ONLY_KINDS.has(r.kind) || r.name === undefined) return false;
    const reads = READS.get(r.kind);
    for (const [kind, where] of this.namespaces) {
      const how = reads?.get(kind);
      if (how === undefined) return true;
      if (how === 'namespace' && where.has(ns)) return true;
    }
    return false;
  }
}

/** Do the changes of files other than `uri` affect its objects? */
function affectedByOthers(index: WorkspaceIndex, changes: readonly FileChange[], uri: string): boolean {
  const others = new ChangeSummary(
    index,
    changes.filter((c) => c.uri !== uri),
  );
  return !others.empty && index.resourcesOf(uri).some((r) => others.affects(r));
}

/**
 * The candidate files (in their order) whose findings may change after `changes`: a candidate whose
 * resources read one of the changed objects. The files the changes were in are not named (their
 * owner re-checks them anyway) unless `includeChanged`, or unless the change of another of them
 * affects them.
 */
export function filesToRecheck(
  index: WorkspaceIndex,
  changes: Iterable<FileChange> | ChangeSummary,
  candidates: Iterable<string>,
  includeChanged = false,
): string[] {
  // (the summary is made when a candidate other than the changed files asks: typing in one big open
  // file moves thousands of objects, and no other file may be open)
  const list = changes instanceof ChangeSummary ? undefined : [...changes];
  const files = changes instanceof ChangeSummary ? changes.files : new Set(list!.map((c) => c.uri));
  let summary = changes instanceof ChangeSummary ? changes : undefined;
  const out: string[] = [];
  for (const uri of candidates) {
    if (files.has(uri)) {
      if (includeChanged) out.push(uri);
      // A changed file was checked after its own change, but maybe before another file's change that
      // came in the same window (two files opened together: the first one's check ran before the
      // second was in the index): it is checked again when another file's change affects it.
      else if (list && files.size > 1 && affectedByOthers(index, list, uri)) out.push(uri);
      continue;
    }
    summary ??= new ChangeSummary(index, list!);
    if (summary.empty) continue;
    if (index.resourcesOf(uri).some((r) => summary!.affects(r))) out.push(uri);
  }
  return out;
}
