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
  ANTREA_POLICY_KINDS,
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
import { namespaceInfo, policyInfo, secretInfo, serviceInfo, workloadInfo } from './cluster-infos';
import { ingressInfo } from './cluster-ingress';
import { sourceOf, moveSources } from './source';
import { arrayMemo } from '../engine/cluster-index';
import { recall, remember } from '../engine/memo';
import type { Cluster, NamespaceInfo } from '../engine/types';

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
  const stamp = [uri, index.defaultNamespace];
  const hit = recall<T>(r, `cluster:${part}`, stamp);
  if (hit) {
    moveSources(r);
    return hit.value;
  }
  return remember(r, `cluster:${part}`, stamp, make());
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
  cniHints: CNI_HINT_KINDS,
  gatewayClasses: ['GatewayClass'],
  gateways: ['Gateway'],
  listenerSets: ['ListenerSet', 'XListenerSet'],
  gatewayRoutes: [...ROUTE_RESOURCE_KINDS],
  referenceGrants: ['ReferenceGrant'],
  backendTlsPolicies: ['BackendTLSPolicy'],
  configMaps: ['ConfigMap'],
} as const;

/** The engine infos of one part, in workspace order; an object defined twice counts once (the first
 * copy in workspace order; rule resource-duplicate reports the others). */
function part<T>(
  index: ResourceIndex,
  name: keyof typeof PARTS,
  make: (uri: string, r: Resource) => T | undefined,
): T[] {
  const kinds = PARTS[name];
  return index.memoKinds(kinds, `cluster:${name}`, () => {
    const out: T[] = [];
    for (const uri of index.filesOfKinds(kinds)) {
      // per file, kept while the file is unchanged: an edit re-reads only the file it is in
      const entries = index.fileMemo(uri, `cluster:${name}`, (resources) =>
        resources.flatMap((r) => {
          if (!(kinds as readonly string[]).includes(r.kind)) return [];
          // the API server refuses an object without a name (metadata-name-invalid says so): it is
          // in no cluster, so nothing resolves to it and no other finding names it
          if (!r.name) return [];
          const info = cached(name, uri, r, index, () => make(uri, r));
          return info === undefined ? [] : [{ r, info, ns: index.namespaceOf(r) }];
        }),
      );
      for (const e of entries) {
        if (e.r.name && index.isDuplicated(e.r.kind, e.ns, e.r.name) && !index.isPrimary(uri, e.r)) continue;
        out.push(e.info);
      }
    }
    return out;
  });
}

export function buildCluster(index: ResourceIndex): Cluster {
  index.onMoved(moveSources);
  return index.memo('cluster', () => {
    const defined = part(index, 'namespaces', (uri, r) =>
      r.apiVersion === 'v1' ? namespaceInfo(uri, r) : undefined,
    );
    const c: Cluster = {
      namespaces: [],
      workloads: part(index, 'workloads', (uri, r) => workloadInfo(uri, r, index)),
      services: part(index, 'services', (uri, r) =>
        r.apiVersion === 'v1' ? serviceInfo(uri, r, index) : undefined,
      ),
      ingresses: part(index, 'ingresses', (uri, r) => ingressInfo(uri, r, index)),
      ingressClasses: part(index, 'ingressClasses', (uri, r) => ({
        name: r.name ?? '',
        controller: stringValue(getIn(r.node, ['spec', 'controller'])),
        isDefault:
          stringValue(
            getIn(r.node, ['metadata', 'annotations', 'ingressclass.kubernetes.io/is-default-class']),
          ) === 'true',
        source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
      })),
      secrets: part(index, 'secrets', (uri, r) =>
        r.apiVersion === 'v1' ? secretInfo(uri, r, index) : undefined,
      ),
      policies: part(index, 'policies', (uri, r) =>
        isK8sNetworkPolicy(r) ? policyInfo(uri, r, index) : undefined,
      ),
      adminPolicies: part(index, 'adminPolicies', (uri, r) =>
        isAdminPolicy(r) ? adminPolicyInfo(uri, r) : undefined,
      ),
      ciliumPolicies: part(index, 'ciliumPolicies', (uri, r) =>
        isCiliumPolicy(r) ? ciliumPolicyInfos(uri, r, index) : undefined,
      ).flat(),
      calicoPolicies: part(index, 'calicoPolicies', (uri, r) =>
        isCalicoPolicy(r) ? calicoPolicyInfo(uri, r, index) : undefined,
      ),
      calicoTiers: part(index, 'calicoTiers', (_uri, r) => calicoTierInfo(r)),
      calicoNetworkSets: part(index, 'calicoNetworkSets', (uri, r) => calicoNetworkSetInfo(uri, r, index)),
      antreaPolicies: part(index, 'antreaPolicies', (uri, r) => antreaPolicyInfo(uri, r, index)),
      antreaTiers: part(index, 'antreaTiers', (uri, r) => antreaTierInfo(uri, r)),
      cniHints: part(index, 'cniHints', (_uri, r) => cniHintOf(r)),
      // cert-manager Certificates: the TLS Secrets they create
      certificates: part(index, 'certificates', (_uri, r) => {
        const secretName = r.apiVersion.startsWith('cert-manager.io/')
          ? stringValue(getIn(r.node, ['spec', 'secretName']))
          : undefined;
        return secretName
          ? { namespace: index.namespaceOf(r), name: r.name ?? '<unnamed>', secretName }
          : undefined;
      }),
      gatewayClasses: part(index, 'gatewayClasses', (uri, r) =>
        isGatewayApi(r) ? gatewayClassInfo(uri, r) : undefined,
      ),
      gateways: part(index, 'gateways', (uri, r) =>
        isGatewayApi(r) ? gatewayInfo(uri, r, index) : undefined,
      ),
      listenerSets: part(index, 'listenerSets', (uri, r) =>
        isGatewayApi(r) ? listenerSetInfo(uri, r, index) : undefined,
      ),
      gatewayRoutes: part(index, 'gatewayRoutes', (uri, r) =>
        isGatewayApi(r) ? routeInfo(uri, r, index) : undefined,
      ),
      referenceGrants: part(index, 'referenceGrants', (uri, r) =>
        isGatewayApi(r) ? referenceGrantInfo(uri, r, index) : undefined,
      ),
      backendTlsPolicies: part(index, 'backendTlsPolicies', (uri, r) =>
        isGatewayApi(r) ? backendTlsPolicyInfo(uri, r, index) : undefined,
      ),
      configMaps: part(index, 'configMaps', (uri, r) =>
        r.apiVersion === 'v1' ? configMapInfo(uri, r, index) : undefined,
      ),
    };
    // Namespaces that resources use but no manifest defines are added (with only the implied name
    // label), as a cluster would have them.
    const namespaces = new Map<string, NamespaceInfo>();
    for (const ns of defined) if (ns.name && !namespaces.has(ns.name)) namespaces.set(ns.name, ns);
    for (const list of [
      c.workloads,
      c.services,
      c.ingresses,
      c.secrets,
      c.policies,
      c.gateways!,
      c.gatewayRoutes!,
      c.referenceGrants!,
    ]) {
      // (the namespaces of a part are collected once per part, not on every change)
      const used = arrayMemo(list, 'used-namespaces', () => [
        ...new Set(list.map((x: { id: { namespace: string } }) => x.id.namespace)),
      ]);
      for (const ns of used) {
        if (!namespaces.has(ns))
          namespaces.set(ns, { name: ns, labels: { 'kubernetes.io/metadata.name': ns }, implied: true });
      }
    }
    c.namespaces = [...namespaces.values()];
    return c;
  });
}
