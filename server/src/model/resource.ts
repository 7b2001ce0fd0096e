// Recognise Kubernetes resources in parsed documents by apiVersion + kind.

import type { MapNode, ScalarNode, AstNode } from '../syntax/ast';
import { asMap, asScalar, asSeq, getPair, getValue, stringValue } from '../syntax/ast';
import type { ParsedDocument } from '../syntax/parse';

export interface Resource {
  apiVersion: string;
  kind: string;
  name: string | undefined;
  /** metadata.namespace as written (undefined when omitted). */
  namespace: string | undefined;
  /** The document holding the resource; node offsets are relative to `doc.base`. */
  doc: ParsedDocument;
  node: MapNode;
  apiVersionNode: ScalarNode;
  kindNode: ScalarNode;
  nameNode: ScalarNode | undefined;
  /** Set for items of a `kind: List`. */
  listIndex?: number;
  /** A kustomization file written without apiVersion and kind (kustomize accepts it): apiVersion and
   * kind are implied, and their nodes are the key of its first patch field (model/kustomize.ts). */
  implied?: true;
}

export const WORKLOAD_KINDS = new Set([
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'ReplicationController',
]);

/** Kinds of the Gateway API group gateway.networking.k8s.io (rules check the group too: Istio has a
 * `Gateway` kind of its own). */
export const GATEWAY_API_KINDS = [
  'GatewayClass',
  'Gateway',
  'HTTPRoute',
  'GRPCRoute',
  'TLSRoute',
  'TCPRoute',
  'UDPRoute',
  'ReferenceGrant',
  'BackendTLSPolicy',
  'ListenerSet',
];

export const COVERED_KINDS = new Set([
  'Ingress',
  'IngressClass',
  'Service',
  'Secret',
  'NetworkPolicy',
  'Namespace',
  ...WORKLOAD_KINDS,
  ...GATEWAY_API_KINDS,
  'ClusterNetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'CiliumNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
  'GlobalNetworkPolicy',
]);

function asResource(node: AstNode | null | undefined, doc: ParsedDocument): Resource | undefined {
  const map = asMap(node);
  if (!map) return undefined;
  const apiVersionNode = asScalar(getValue(map, 'apiVersion'));
  const kindNode = asScalar(getValue(map, 'kind'));
  if (!apiVersionNode || !kindNode) return undefined;
  const apiVersion = apiVersionNode.value === null ? undefined : String(apiVersionNode.value);
  const kind = stringValue(kindNode);
  if (!apiVersion || !kind) return undefined;
  const metadata = asMap(getValue(map, 'metadata'));
  const nameNode = asScalar(metadata ? getValue(metadata, 'name') : undefined);
  const nsNode = asScalar(metadata ? getValue(metadata, 'namespace') : undefined);
  return {
    apiVersion,
    kind,
    name: nameNode && nameNode.value !== null ? String(nameNode.value) : undefined,
    namespace: nsNode && nsNode.value !== null ? String(nsNode.value) : undefined,
    doc,
    node: map,
    apiVersionNode,
    kindNode,
    nameNode,
  };
}

const resourceCache = new WeakMap<ParsedDocument, Resource[]>();

/** Every resource of one document: the document itself, or the items of a `kind: List` (or `FooList`).
 * Memoised per document object (documents are reused while their text is unchanged). */
export function resourcesOf(doc: ParsedDocument): Resource[] {
  let r = resourceCache.get(doc);
  if (!r) {
    r = computeResources(doc);
    resourceCache.set(doc, r);
  }
  return r;
}

function computeResources(doc: ParsedDocument): Resource[] {
  const top = asResource(doc.root, doc);
  if (!top) {
    const kustomization = impliedKustomization(doc.root, doc);
    return kustomization ? [kustomization] : [];
  }
  if (top.kind === 'List' || (top.kind.endsWith('List') && getPair(top.node, 'items'))) {
    const items = asSeq(getValue(top.node, 'items'));
    const out: Resource[] = [];
    items?.items.forEach((item, i) => {
      const r = asResource(item, doc);
      if (r) out.push({ ...r, listIndex: i });
    });
    return out;
  }
  return [top];
}

/** The fields of a kustomization file (kustomize's kustomization reference). */
const KUSTOMIZATION_FIELDS = new Set([
  'resources',
  'bases',
  'components',
  'crds',
  'namespace',
  'namePrefix',
  'nameSuffix',
  'commonLabels',
  'commonAnnotations',
  'labels',
  'images',
  'replicas',
  'configMapGenerator',
  'secretGenerator',
  'generatorOptions',
  'generators',
  'transformers',
  'validators',
  'configurations',
  'openapi',
  'vars',
  'replacements',
  'patches',
  'patchesStrategicMerge',
  'patchesJson6902',
  'helmCharts',
  'helmGlobals',
  'helmChartInflationGenerator',
  'buildMetadata',
  'sortOptions',
]);
/** The fields model/kustomize.ts reads: the patch lists, and the labels kustomize also puts on selectors
 * (commonLabels here; a `labels` list of label pairs too, below). */
const KUSTOMIZE_READ_FIELDS = ['patchesStrategicMerge', 'patches', 'patchesJson6902', 'commonLabels'];

/** A kustomization written without apiVersion and kind: a mapping whose keys are all kustomization
 * fields, one of them one that model/kustomize.ts reads (a patch list, commonLabels). */
function impliedKustomization(node: AstNode | null | undefined, doc: ParsedDocument): Resource | undefined {
  const map = asMap(node);
  if (!map || getPair(map, 'apiVersion') || getPair(map, 'kind')) return undefined;
  if (!map.pairs.every((p) => p.keyText !== undefined && KUSTOMIZATION_FIELDS.has(p.keyText)))
    return undefined;
  const patch = map.pairs.find(
    (p) =>
      KUSTOMIZE_READ_FIELDS.includes(p.keyText!) ||
      // (kustomize's labels list: entries of label pairs)
      (p.keyText === 'labels' && !!asSeq(p.value)?.items.some((e) => getValue(e, 'pairs') !== undefined)),
  );
  const key = asScalar(patch?.key);
  if (!key) return undefined;
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    name: undefined,
    namespace: undefined,
    doc,
    node: map,
    apiVersionNode: key,
    kindNode: key,
    nameNode: undefined,
    implied: true,
  };
}

/** Does a document look like it meant to be a Kubernetes object (even if broken)? */
export function looksLikeKubernetes(doc: ParsedDocument): boolean {
  if (resourcesOf(doc).length > 0) return true;
  return /^(apiVersion|kind):/m.test(doc.text);
}

export function displayName(r: Resource): string {
  return `${r.kind} ${r.name ?? '<unnamed>'}`;
}
