// Build the engine's plain input (engine/types.ts) from the indexed resources: each part of the
// Cluster from the kinds it is read from, through the per-resource adapters (model/cluster-infos.ts,
// model/cluster-ingress.ts, model/policy-kinds*.ts, model/gateway.ts).

import { getIn, stringValue } from '../syntax/ast';
import type { ResourceStore as ResourceIndex } from './resource-store';
import type { Resource } from './resource';
import { WORKLOAD_KINDS } from './resource';
import {
  ADMIN_KINDS,
  CALICO_KINDS,
  CALICO_NETWORK_SET_KINDS,
  CILIUM_KINDS,
  adminPolicyInfo,
  ANTREA_GROUP_KINDS,
  ANTREA_POLICY_KINDS,
  antreaGroupInfo,
  antreaPolicyInfo,
  antreaTierInfo,
  calicoNetworkSetInfo,
  calicoPolicyInfo,
  calicoTierInfo,
  ciliumPolicyInfos,
  cniHintOf,
  isAdminPolicy,
  isCalicoPolicy,
  isCiliumPolicy,
  isK8sNetworkPolicy,
} from './policy-kinds';
import { ROUTE_RESOURCE_KINDS, isGatewayApi } from './gateway';
import {
  backendTlsPolicyInfo,
  configMapInfo,
  gatewayClassInfo,
  gatewayInfo,
  listenerSetInfo,
  referenceGrantInfo,
} from './gateway-info';
import { routeInfo } from './gateway-route-info';
import {
  namespaceInfo,
  policyInfo,
  secretInfo,
  serviceAccountInfo,
  serviceInfo,
  workloadInfo,
} from './cluster-infos';
import { ingressInfo } from './cluster-ingress';
import { sourceOf, moveSources, trimSources } from './source';
import { arrayMemo, noteReplaced } from '../engine/cluster-index';
import { KUSTOMIZE_KINDS, kustomizePatches } from './kustomize';
import { memoOn, recallAt, remember } from '../engine/memo';
import type { Cluster, NamespaceInfo, PolicyInfo } from '../engine/types';

export { sourceOf, moveSources } from './source';
export { idOf, namespaceInfo, policyInfo, secretInfo, serviceInfo, workloadInfo } from './cluster-infos';
export { ingressClassName, ingressInfo } from './cluster-ingress';

/** Kinds whose objects may show the network plugin (its DaemonSet and config, its own CRDs). */
const CNI_HINT_KINDS = [
  'DaemonSet',
  'ConfigMap',
  'CiliumNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
  'CiliumNode',
  'CiliumEndpoint',
  'CiliumLoadBalancerIPPool',
  'CiliumCIDRGroup',
  'NetworkPolicy',
  'ClusterNetworkPolicy',
  'GlobalNetworkPolicy',
  'Tier',
  'IPPool',
  'NetworkSet',
  'GlobalNetworkSet',
  'HostEndpoint',
  'FelixConfiguration',
  'BGPConfiguration',
  'Installation',
] as const;

/** Per-resource engine infos, reused while the resource object, its file and the default namespace
 * are unchanged (a keystroke in one document leaves the others' untouched); when its document moved,
 * moveSources shifts their positions. */
function cached<T>(part: string, uri: string, r: Resource, index: ResourceIndex, make: () => T): T {
  const key = memoKey(part);
  const hit = recallAt<T>(r, key, uri, index.defaultNamespace);
  if (hit) {
    moveSources(r);
    return hit.value;
  }
  const value = make();
  trimSources(r);
  return remember(r, key, stampOf(uri, index.defaultNamespace), value);
}

/** The last stamp made by `cached`: the resources of one file share it (one array per resource and
 * part was a fifth of what the memo kept for a file of thousands of small documents). */
let lastStamp: readonly [string, string] = ['', ''];
function stampOf(uri: string, namespace: string): readonly [string, string] {
  if (lastStamp[0] !== uri || lastStamp[1] !== namespace) lastStamp = [uri, namespace];
  return lastStamp;
}

/** The memo key of each part's infos, made once: a key built per call (thousands of resources, each
 * asked for by the cluster and by several rules) was a new string to hash at every lookup. */
const MEMO_KEYS = new Map<string, string>();
function memoKey(part: string): string {
  let key = MEMO_KEYS.get(part);
  if (key === undefined) MEMO_KEYS.set(part, (key = `cluster:${part}`));
  return key;
}

/** A NetworkPolicy's info as the cluster holds it: computed once whether a rule or buildCluster asks
 * first (the policy rules read the same info the cluster is built from). */
export function clusterPolicyInfo(uri: string, r: Resource, index: ResourceIndex): PolicyInfo | undefined {
  return cached('policies', uri, r, index, () => MAKERS.policies(uri, r, index));
}

/** The kinds each part of the cluster is read from: a part is rebuilt only when a resource of its
 * kinds changes (an edit to a Service does not rebuild the workloads, Ingresses or policies). */
const PARTS = {
  namespaces: ['Namespace'],
  workloads: [...WORKLOAD_KINDS],
  services: ['Service'],
  ingresses: ['Ingress'],
  ingressClasses: ['IngressClass'],
  secrets: ['Secret'],
  policies: ['NetworkPolicy'],
  certificates: ['Certificate'],
  adminPolicies: ADMIN_KINDS,
  ciliumPolicies: CILIUM_KINDS,
  calicoPolicies: CALICO_KINDS,
  calicoTiers: ['Tier'],
  calicoNetworkSets: CALICO_NETWORK_SET_KINDS,
  antreaPolicies: ANTREA_POLICY_KINDS,
  antreaTiers: ['Tier'],
  antreaGroups: ANTREA_GROUP_KINDS,
  cniHints: CNI_HINT_KINDS,
  gatewayClasses: ['GatewayClass'],
  gateways: ['Gateway'],
  listenerSets: ['ListenerSet', 'XListenerSet'],
  gatewayRoutes: [...ROUTE_RESOURCE_KINDS],
  referenceGrants: ['ReferenceGrant'],
  backendTlsPolicies: ['BackendTLSPolicy'],
  configMaps: ['ConfigMap'],
  serviceAccounts: ['ServiceAccount'],
} as const;

/** A part as last computed: the revision, its files, each file's share of it, and where each share
 * starts in the part (undefined once a share changed length: counted again when needed). */
interface PartState<T> {
  revision: number;
  namespace: string;
  files: string[];
  shares: Map<string, T[]>;
  starts?: Map<string, number>;
  out: T[];
  /** The namespaces its objects are in, in order of first sight (computed when asked; kept by an
   * update that leaves every object's namespace where it was). */
  namespaces?: string[];
}

const namespaceOfInfo = (x: unknown) => (x as { id?: { namespace?: string } }).id?.namespace;

const partStates = new WeakMap<ResourceIndex, Map<string, PartState<unknown>>>();

/** The engine infos of one part, in workspace order; an object defined twice counts once (the first
 * copy in workspace order; rule resource-duplicate reports the others). After an edit, the part is
 * brought up to date from the files that changed (and the other copies of the objects they added or
 * removed), not read again from every file. */
function part<T>(index: ResourceIndex, name: keyof typeof PARTS, make: Maker<T>): T[] {
  const kinds = PARTS[name];
  return index.memoKinds([...kinds, ...KUSTOMIZE_KINDS], `cluster:${name}`, () => {
    let states = partStates.get(index);
    if (!states) partStates.set(index, (states = new Map()));
    const prior = states.get(name) as PartState<T> | undefined;
    const state = (prior && updatePart(index, name, make, prior)) ?? fullPart(index, name, make);
    states.set(name, state);
    return state.out;
  });
}

/** A part computed from every file of its kinds. */
function fullPart<T>(index: ResourceIndex, name: keyof typeof PARTS, make: Maker<T>): PartState<T> {
  const kinds = PARTS[name];
  // a kustomize patch holds partial objects merged into its base: the base is the cluster's object
  const patches = index.filesOfKinds(KUSTOMIZE_KINDS).length ? kustomizePatches(index) : undefined;
  const files = index.filesOfKinds(kinds);
  const shares = new Map<string, T[]>();
  const out: T[] = [];
  for (const uri of files) {
    const share = shareOf(index, name, make, uri, patches);
    shares.set(uri, share);
    for (const x of share) out.push(x);
  }
  return { revision: index.revision, namespace: index.defaultNamespace, files, shares, out };
}

/** The part brought up to date from the changes since it was computed; undefined when it must be
 * computed in full (changes no longer known, kustomize files, another default namespace). */
function updatePart<T>(
  index: ResourceIndex,
  name: keyof typeof PARTS,
  make: Maker<T>,
  prior: PartState<T>,
): PartState<T> | undefined {
  if (prior.namespace !== index.defaultNamespace) return undefined;
  if (index.filesOfKinds(KUSTOMIZE_KINDS).length) return undefined;
  const changes = index.changesSince(prior.revision);
  if (!changes) return undefined;
  const kinds = PARTS[name] as readonly string[];
  // the files whose share may differ: those changed, and those holding another copy of an object a
  // change added or removed (which copy counts may have moved)
  const touched = new Set<string>();
  for (const c of changes) {
    let mine = false;
    for (const k of c.kinds) if (kinds.includes(k)) mine = true;
    if (!mine) continue;
    touched.add(c.uri);
    for (const o of c.objects)
      if (kinds.includes(o.kind))
        for (const copy of index.find(o.kind, o.namespace, o.name)) touched.add(copy.uri);
  }
  const files = index.filesOfKinds(PARTS[name]);
  // (the prior state is replaced by this one: its maps are updated in place)
  const shares = prior.shares;
  let starts = prior.starts;
  let sameNamespaces = true;
  const pairs: [T, T][] = [];
  let out = prior.out.slice();
  const sameFiles = files === prior.files;
  if (sameFiles && !starts) {
    starts = new Map();
    let at = 0;
    for (const uri of files) {
      starts.set(uri, at);
      at += prior.shares.get(uri)?.length ?? 0;
    }
  }
  // in path order, so that a share that changed length moves only the shares after it
  const ordered = [...touched].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let shift = 0;
  for (const uri of ordered) {
    const old = shares.get(uri);
    const share = index.resourcesOf(uri).length ? shareOf(index, name, make, uri, undefined) : [];
    if (share.length) shares.set(uri, share);
    else shares.delete(uri);
    if (
      sameNamespaces &&
      ((old?.length ?? 0) !== share.length ||
        share.some((x, i) => namespaceOfInfo(x) !== namespaceOfInfo(old![i])))
    )
      sameNamespaces = false;
    if (sameNamespaces) share.forEach((x, i) => x !== old![i] && pairs.push([old![i], x]));
    if (!sameFiles || !starts) continue;
    const start = starts.get(uri);
    if (start === undefined) continue;
    out.splice(start + shift, old?.length ?? 0, ...share);
    shift += share.length - (old?.length ?? 0);
  }
  if (!sameFiles) {
    out = [];
    for (const uri of files) for (const x of shares.get(uri) ?? []) out.push(x);
    starts = undefined;
  } else if (shift !== 0) starts = undefined;
  const namespaces = sameFiles && sameNamespaces ? prior.namespaces : undefined;
  // the same objects at the same places but for the edited ones: groupings by namespace follow
  if (sameFiles && sameNamespaces && shift === 0) noteReplaced(prior.out, out, pairs);
  return {
    revision: index.revision,
    namespace: index.defaultNamespace,
    files,
    shares,
    starts,
    out,
    namespaces,
  };
}

/** The namespaces of a part's objects in order of first sight (once per array of the part). */
function usedNamespaces(index: ResourceIndex, list: readonly { id: { namespace: string } }[]): string[] {
  for (const state of partStates.get(index)?.values() ?? []) {
    if (state.out !== list) continue;
    return (state.namespaces ??= [...new Set(list.map((x) => x.id.namespace))]);
  }
  return arrayMemo(list, 'used-namespaces', () => [...new Set(list.map((x) => x.id.namespace))]);
}

/** One file's share of a part: its objects of the part's kinds, but for copies that do not count. */
function shareOf<T>(
  index: ResourceIndex,
  name: keyof typeof PARTS,
  make: Maker<T>,
  uri: string,
  patches: Map<string, unknown> | undefined,
): T[] {
  const kinds = PARTS[name];
  if (patches?.has(uri)) return [];
  // per file, kept while the file is unchanged: an edit re-reads only the file it is in
  const entries = index.fileMemo(uri, `cluster:${name}`, (resources) => {
    const list: ShareEntry<T>[] = [];
    for (const r of resources) addEntry(list, index, name, make, uri, r);
    return list;
  });
  const out: T[] = [];
  for (const e of entries) {
    if (e.r.name && index.isDuplicated(e.r.kind, e.ns, e.r.name)) {
      const copies = index.find(e.r.kind, e.ns, e.r.name);
      const primary = patches ? copies.find((c) => !patches.has(c.uri)) : copies[0];
      if (primary?.resource !== e.r) continue;
    }
    out.push(e.info);
  }
  return out;
}

type Maker<T> = (uri: string, r: Resource, index: ResourceIndex) => T | undefined;

interface ShareEntry<T> {
  r: Resource;
  info: T;
  ns: string;
}

/** One resource's entry in its file's share of a part, if it has one. */
function addEntry<T>(
  list: ShareEntry<T>[],
  index: ResourceIndex,
  name: keyof typeof PARTS,
  make: Maker<T>,
  uri: string,
  r: Resource,
): void {
  if (!(PARTS[name] as readonly string[]).includes(r.kind)) return;
  // the API server refuses an object without a name (metadata-name-invalid says so): it is in no
  // cluster, so nothing resolves to it and no other finding names it
  if (!r.name) return;
  const info = cached(name, uri, r, index, () => make(uri, r, index));
  if (info !== undefined) list.push({ r, info, ns: index.namespaceOf(r) });
}

/** The entries of these files' shares of a part that are not kept yet (shareOf then finds them), read
 * `perStep` resources between two yields; a file that changes meanwhile is left to shareOf. */
function* warmShares<T>(
  index: ResourceIndex,
  name: keyof typeof PARTS,
  make: Maker<T>,
  files: readonly string[],
  perStep: number,
): Generator<void> {
  const key = `cluster:${name}`;
  let looked = 0;
  for (const uri of files) {
    if (index.hasFileMemo(uri, key)) {
      if (++looked % (perStep * 10) === 0) yield;
      continue;
    }
    const resources = index.resourcesOf(uri);
    const namespace = index.defaultNamespace;
    const list: ShareEntry<T>[] = [];
    let i = 0;
    for (const r of resources) {
      addEntry(list, index, name, make, uri, r);
      if (++i % perStep === 0) {
        yield;
        if (index.resourcesOf(uri) !== resources || index.defaultNamespace !== namespace) break;
      }
    }
    if (
      i === resources.length &&
      index.resourcesOf(uri) === resources &&
      index.defaultNamespace === namespace
    )
      index.fileMemo(uri, key, () => list);
  }
}

/** How one resource becomes the info of each part (undefined: not in that part). */
const MAKERS = {
  namespaces: (uri: string, r: Resource) => (r.apiVersion === 'v1' ? namespaceInfo(uri, r) : undefined),
  workloads: (uri: string, r: Resource, index: ResourceIndex) => workloadInfo(uri, r, index),
  services: (uri: string, r: Resource, index: ResourceIndex) =>
    r.apiVersion === 'v1' ? serviceInfo(uri, r, index) : undefined,
  ingresses: (uri: string, r: Resource, index: ResourceIndex) => ingressInfo(uri, r, index),
  ingressClasses: (uri: string, r: Resource) => ({
    name: r.name ?? '',
    controller: stringValue(getIn(r.node, ['spec', 'controller'])),
    isDefault:
      stringValue(
        getIn(r.node, ['metadata', 'annotations', 'ingressclass.kubernetes.io/is-default-class']),
      ) === 'true',
    source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
  }),
  secrets: (uri: string, r: Resource, index: ResourceIndex) =>
    r.apiVersion === 'v1' ? secretInfo(uri, r, index) : undefined,
  policies: (uri: string, r: Resource, index: ResourceIndex) =>
    isK8sNetworkPolicy(r) ? policyInfo(uri, r, index) : undefined,
  adminPolicies: (uri: string, r: Resource) => (isAdminPolicy(r) ? adminPolicyInfo(uri, r) : undefined),
  ciliumPolicies: (uri: string, r: Resource, index: ResourceIndex) =>
    isCiliumPolicy(r) ? ciliumPolicyInfos(uri, r, index) : undefined,
  calicoPolicies: (uri: string, r: Resource, index: ResourceIndex) =>
    isCalicoPolicy(r) ? calicoPolicyInfo(uri, r, index) : undefined,
  calicoTiers: (_uri: string, r: Resource) => calicoTierInfo(r),
  calicoNetworkSets: (uri: string, r: Resource, index: ResourceIndex) => calicoNetworkSetInfo(uri, r, index),
  antreaPolicies: (uri: string, r: Resource, index: ResourceIndex) => antreaPolicyInfo(uri, r, index),
  antreaTiers: (uri: string, r: Resource) => antreaTierInfo(uri, r),
  antreaGroups: (uri: string, r: Resource, index: ResourceIndex) => antreaGroupInfo(uri, r, index),
  cniHints: (_uri: string, r: Resource) => cniHintOf(r),
  // cert-manager Certificates: the TLS Secrets they create
  certificates: (_uri: string, r: Resource, index: ResourceIndex) => {
    const secretName = r.apiVersion.startsWith('cert-manager.io/')
      ? stringValue(getIn(r.node, ['spec', 'secretName']))
      : undefined;
    return secretName
      ? { namespace: index.namespaceOf(r), name: r.name ?? '<unnamed>', secretName }
      : undefined;
  },
  gatewayClasses: (uri: string, r: Resource) => (isGatewayApi(r) ? gatewayClassInfo(uri, r) : undefined),
  gateways: (uri: string, r: Resource, index: ResourceIndex) =>
    isGatewayApi(r) ? gatewayInfo(uri, r, index) : undefined,
  listenerSets: (uri: string, r: Resource, index: ResourceIndex) =>
    isGatewayApi(r) ? listenerSetInfo(uri, r, index) : undefined,
  gatewayRoutes: (uri: string, r: Resource, index: ResourceIndex) =>
    isGatewayApi(r) ? routeInfo(uri, r, index) : undefined,
  referenceGrants: (uri: string, r: Resource, index: ResourceIndex) =>
    isGatewayApi(r) ? referenceGrantInfo(uri, r, index) : undefined,
  backendTlsPolicies: (uri: string, r: Resource, index: ResourceIndex) =>
    isGatewayApi(r) ? backendTlsPolicyInfo(uri, r, index) : undefined,
  configMaps: (uri: string, r: Resource, index: ResourceIndex) =>
    r.apiVersion === 'v1' ? configMapInfo(uri, r, index) : undefined,
  serviceAccounts: (uri: string, r: Resource, index: ResourceIndex) =>
    r.apiVersion === 'v1' ? serviceAccountInfo(uri, r, index) : undefined,
} satisfies { [K in keyof typeof PARTS]: Maker<unknown> };

type PartName = keyof typeof PARTS;

/** The parts each kind is read into. */
const PARTS_OF_KIND = new Map<string, PartName[]>();
for (const name of Object.keys(PARTS) as PartName[])
  for (const kind of PARTS[name]) {
    const list = PARTS_OF_KIND.get(kind);
    if (list) list.push(name);
    else PARTS_OF_KIND.set(kind, [name]);
  }

/** Resource lists (as the store holds them per file) whose infos were all computed, with the default
 * namespace they were computed under. */
const warmed = new WeakMap<Resource[], string>();

/**
 * Build the cluster of this revision in steps: first the per-resource infos, `perStep` computed
 * between two yields, then (when `whole`) each part of the cluster (gathering those infos), one part
 * a step, then the cluster from its parts. (A keystroke's check, whose rules may not need the cluster
 * at all, asks for the infos only.) The server runs this before a file's rules; its caller gives other
 * requests a turn between steps (a step is cheap: yielding is, too), so that opening a file of
 * thousands of resources (or the first check after indexing a large folder) never holds the thread
 * for the whole build. Nothing is done when the cluster of this revision exists; files whose
 * resources were warmed already are skipped. What it computes is exactly what buildCluster would (the
 * same caches: each part is kept under the kinds it is read from).
 */
export function* warmCluster(index: ResourceIndex, whole = true, perStep = 25): Generator<void> {
  if (index.hasMemo('cluster')) return;
  // after the first pass only the files changed since the last one can hold resources not warmed yet
  const since = lastWarmed.get(index);
  const changes =
    since && since.namespace === index.defaultNamespace ? index.changesSince(since.revision) : undefined;
  const changed = changes ? [...new Set(changes.map((c) => c.uri))] : undefined;
  yield* warmInfos(index, changed ?? index.files(), perStep);
  if (!whole) return;
  // the changed files holding resources of each part (a keystroke visits the file it is in, not
  // every file of the workspace)
  let filesOfPart: Map<PartName, string[]> | undefined;
  if (changed) {
    filesOfPart = new Map();
    for (const uri of changed) {
      const names = new Set<PartName>();
      for (const r of index.resourcesOf(uri))
        for (const name of PARTS_OF_KIND.get(r.kind) ?? []) names.add(name);
      for (const name of names) filesOfPart.set(name, [...(filesOfPart.get(name) ?? []), uri]);
    }
  }
  // then the parts, one a step (each gathers what was computed above), and the cluster from them
  for (const name of Object.keys(PARTS) as PartName[]) {
    if (index.hasMemo('cluster')) return;
    const files = filesOfPart ? (filesOfPart.get(name) ?? []) : index.filesOfKinds(PARTS[name]);
    yield* warmShares(index, name, MAKERS[name] as Maker<unknown>, files, SHARE_ENTRIES_PER_STEP);
    part(index, name, MAKERS[name] as Maker<unknown>);
    yield;
  }
  buildCluster(index);
}

/** Resources read into a share of a part between two yields (their infos are computed already). */
const SHARE_ENTRIES_PER_STEP = 500;

/** The per-resource infos of warmCluster, `perStep` computed between two yields. */
function* warmInfos(index: ResourceIndex, files: readonly string[], perStep: number): Generator<void> {
  const revision = index.revision;
  let made = 0;
  for (const uri of files) {
    const resources = index.resourcesOf(uri);
    if (warmed.get(resources) === index.defaultNamespace) continue;
    const stamp = `${uri}\n${index.defaultNamespace}`;
    // (an indexed loop: in the generator, which runs unoptimized at first, a for-of over the file's
    // resources allocated a result per step, once per keystroke)
    for (let i = 0; i < resources.length; i++) {
      const r = resources[i];
      if (!r.name) continue;
      // (an edit of one document of a large file leaves the others' resources warm)
      if (warmedResources.get(r) === stamp) continue;
      warmedResources.set(r, stamp);
      for (const name of PARTS_OF_KIND.get(r.kind) ?? []) {
        let computed = false;
        cached(name, uri, r, index, () => {
          computed = true;
          return (MAKERS[name] as Maker<unknown>)(uri, r, index);
        });
        if (computed && ++made % perStep === 0) yield;
      }
    }
    warmed.set(resources, index.defaultNamespace);
  }
  // (changes made while this pass yielded are looked at by the next one)
  lastWarmed.set(index, { revision, namespace: index.defaultNamespace });
}

/** Resources whose infos were all computed, with the file and default namespace they were made for. */
const warmedResources = new WeakMap<Resource, string>();

/** The revision (and default namespace) of each index's last complete warming pass. */
const lastWarmed = new WeakMap<ResourceIndex, { revision: number; namespace: string }>();

export function buildCluster(index: ResourceIndex): Cluster {
  index.onMoved(moveSources);
  return index.memo('cluster', () => {
    const defined = part(index, 'namespaces', MAKERS.namespaces);
    const c: Cluster = {
      namespaces: [],
      workloads: part(index, 'workloads', MAKERS.workloads),
      services: part(index, 'services', MAKERS.services),
      ingresses: part(index, 'ingresses', MAKERS.ingresses),
      ingressClasses: part(index, 'ingressClasses', MAKERS.ingressClasses),
      secrets: part(index, 'secrets', MAKERS.secrets),
      policies: part(index, 'policies', MAKERS.policies),
      adminPolicies: part(index, 'adminPolicies', MAKERS.adminPolicies),
      ciliumPolicies: part(index, 'ciliumPolicies', MAKERS.ciliumPolicies).flat(),
      calicoPolicies: part(index, 'calicoPolicies', MAKERS.calicoPolicies),
      calicoTiers: part(index, 'calicoTiers', MAKERS.calicoTiers),
      calicoNetworkSets: part(index, 'calicoNetworkSets', MAKERS.calicoNetworkSets),
      antreaPolicies: part(index, 'antreaPolicies', MAKERS.antreaPolicies),
      antreaTiers: part(index, 'antreaTiers', MAKERS.antreaTiers),
      antreaGroups: part(index, 'antreaGroups', MAKERS.antreaGroups),
      cniHints: part(index, 'cniHints', MAKERS.cniHints),
      certificates: part(index, 'certificates', MAKERS.certificates),
      gatewayClasses: part(index, 'gatewayClasses', MAKERS.gatewayClasses),
      gateways: part(index, 'gateways', MAKERS.gateways),
      listenerSets: part(index, 'listenerSets', MAKERS.listenerSets),
      gatewayRoutes: part(index, 'gatewayRoutes', MAKERS.gatewayRoutes),
      referenceGrants: part(index, 'referenceGrants', MAKERS.referenceGrants),
      backendTlsPolicies: part(index, 'backendTlsPolicies', MAKERS.backendTlsPolicies),
      configMaps: part(index, 'configMaps', MAKERS.configMaps),
      serviceAccounts: part(index, 'serviceAccounts', MAKERS.serviceAccounts),
      // the same object for every revision of this workspace (until the default namespace changes)
      lineage: index.memoKinds([], 'cluster:lineage', () => ({})),
    };
    // Namespaces that resources use but no manifest defines are added (with only the implied name
    // label), as a cluster would have them.
    const namespaces = new Map<string, NamespaceInfo>();
    for (const ns of defined) if (ns.name && !namespaces.has(ns.name)) namespaces.set(ns.name, ns);
    // (the namespaces of a part are collected once per part, not on every change; the list is the
    // same array while they are the same)
    const used = [
      c.workloads,
      c.services,
      c.ingresses,
      c.secrets,
      c.policies,
      c.gateways!,
      c.gatewayRoutes!,
      c.referenceGrants!,
    ].map((list) => usedNamespaces(index, list));
    c.namespaces = memoOn(c.lineage!, 'cluster:namespaces', [defined, ...used], () => {
      for (const list of used)
        for (const ns of list) {
          if (!namespaces.has(ns))
            namespaces.set(ns, { name: ns, labels: { 'kubernetes.io/metadata.name': ns }, implied: true });
        }
      return [...namespaces.values()];
    });
    return c;
  });
}
