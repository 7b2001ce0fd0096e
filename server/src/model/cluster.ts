// Build the engine's plain input (engine/types.ts) from the indexed resources.

import type { AstNode, MapNode } from '../syntax/ast';
import {
  asMap,
  asScalar,
  asSeq,
  getIn,
  getPair,
  getValue,
  isNullish,
  scalarText,
  stringValue,
  toPlain,
} from '../syntax/ast';
import type { ResourceStore as ResourceIndex } from './resource-store';
import type { Resource } from './resource';
import { WORKLOAD_KINDS } from './resource';
import { podTemplateOf } from './workload';
import { ingressAnnotations, ingressModel } from './ingress';
import {
  ADMIN_KINDS,
  CALICO_KINDS,
  CILIUM_KINDS,
  adminPolicyInfo,
  calicoPolicyInfo,
  calicoTierInfo,
  ciliumPolicyInfos,
  cniHintOf,
  isAdminPolicy,
  isCalicoPolicy,
  isCiliumPolicy,
  isK8sNetworkPolicy,
} from './policy-kinds';

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
import {
  ROUTE_RESOURCE_KINDS,
  backendTlsPolicyInfo,
  configMapInfo,
  gatewayClassInfo,
  gatewayInfo,
  isGatewayApi,
  listenerSetInfo,
  referenceGrantInfo,
  routeInfo,
} from './gateway';
import { isUnsetValue } from './api-defaults';
import type { IngressBackendModel } from './ingress';
import { toLabels, toLabelSelector } from '../engine/selector';
import { arrayMemo } from '../engine/cluster-index';
import { ALB_ACTION_PREFIX } from '../engine/controller';
import type {
  BackendAction,
  BackendInfo,
  Cluster,
  ContainerInfo,
  IngressInfo,
  NamespaceInfo,
  PolicyInfo,
  PolicyPeerInfo,
  PolicyPortInfo,
  PolicyRuleInfo,
  Protocol,
  ResourceId,
  SecretInfo,
  ServiceInfo,
  SourceRef,
  WorkloadInfo,
} from '../engine/types';

export { sourceOf, moveSources } from './source';
import { sourceOf, moveSources } from './source';

function protocolOf(node: AstNode | null | undefined): Protocol {
  const p = stringValue(node);
  return p === 'UDP' || p === 'SCTP' ? p : 'TCP';
}

function num(node: AstNode | null | undefined): number | undefined {
  const s = asScalar(node);
  return s && typeof s.value === 'number' ? s.value : undefined;
}

function intOrString(node: AstNode | null | undefined): number | string | undefined {
  const s = asScalar(node);
  if (!s || s.value === null) return undefined;
  if (typeof s.value === 'number') return s.value;
  return String(s.value);
}

export function idOf(r: Resource, index: ResourceIndex): ResourceId {
  return { kind: r.kind, namespace: index.namespaceOf(r), name: r.name ?? '<unnamed>' };
}

export function workloadInfo(uri: string, r: Resource, index: ResourceIndex): WorkloadInfo | undefined {
  const tpl = podTemplateOf(r);
  if (!tpl) return undefined;
  const labelsNode = getIn(tpl, ['metadata', 'labels']);
  const spec = asMap(getValue(tpl, 'spec'));
  const containers: ContainerInfo[] = [];
  for (const list of ['containers', 'initContainers']) {
    for (const c of asSeq(getValue(spec, list))?.items ?? []) {
      const cm = asMap(c);
      if (!cm) continue;
      // An init container serves traffic only as a sidecar (restartPolicy: Always, Kubernetes 1.28+);
      // the others have exited before the pod is ready, and their ports name nothing.
      if (list === 'initContainers' && stringValue(getValue(cm, 'restartPolicy')) !== 'Always') continue;
      containers.push({
        name: scalarText(getValue(cm, 'name')) ?? '',
        ports: (asSeq(getValue(cm, 'ports'))?.items ?? []).flatMap((p) => {
          const containerPort = num(getValue(p, 'containerPort'));
          if (containerPort === undefined) return [];
          return [
            {
              name: scalarText(getValue(p, 'name')),
              containerPort,
              protocol: protocolOf(getValue(p, 'protocol')),
              source: sourceOf(uri, r, p),
            },
          ];
        }),
      });
    }
  }
  let replicas: number | undefined;
  if (
    r.kind === 'Deployment' ||
    r.kind === 'StatefulSet' ||
    r.kind === 'ReplicaSet' ||
    r.kind === 'ReplicationController'
  ) {
    replicas = num(getIn(r.node, ['spec', 'replicas'])) ?? 1;
  }
  const podIPs: string[] = [];
  if (r.kind === 'Pod') {
    for (const ip of asSeq(getIn(r.node, ['status', 'podIPs']))?.items ?? []) {
      const v = stringValue(getValue(ip, 'ip'));
      if (v) podIPs.push(v);
    }
    const single = stringValue(getIn(r.node, ['status', 'podIP']));
    if (single && !podIPs.includes(single)) podIPs.push(single);
  }
  return {
    id: idOf(r, index),
    podLabels: toLabels(toPlain(labelsNode)),
    containers,
    replicas,
    podIPs,
    source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
    labelsSource: sourceOf(uri, r, labelsNode),
  };
}

export function serviceInfo(uri: string, r: Resource, index: ResourceIndex): ServiceInfo {
  const spec = asMap(getValue(r.node, 'spec'));
  const selNode = asMap(getValue(spec, 'selector'));
  return {
    id: idOf(r, index),
    type: stringValue(getValue(spec, 'type')) ?? 'ClusterIP',
    selector: selNode ? toLabels(toPlain(selNode)) : undefined,
    ports: (asSeq(getValue(spec, 'ports'))?.items ?? []).flatMap((p) => {
      const port = num(getValue(p, 'port'));
      if (port === undefined) return [];
      return [
        {
          name: scalarText(getValue(p, 'name')) || undefined,
          port,
          // targetPort 0 or "" is defaulted to the port, like an absent one
          targetPort: isUnsetValue(getValue(p, 'targetPort'))
            ? port
            : (intOrString(getValue(p, 'targetPort')) ?? port),
          protocol: protocolOf(getValue(p, 'protocol')),
          nodePort: num(getValue(p, 'nodePort')) || undefined,
          source: sourceOf(uri, r, p),
          targetPortSource: sourceOf(
            uri,
            r,
            (isUnsetValue(getValue(p, 'targetPort')) ? undefined : asScalar(getValue(p, 'targetPort'))) ??
              asScalar(getValue(p, 'port')),
          ),
        },
      ];
    }),
    clusterIP: stringValue(getValue(spec, 'clusterIP')),
    externalIPs: (asSeq(getValue(spec, 'externalIPs'))?.items ?? [])
      .map((n) => stringValue(n))
      .filter((x): x is string => !!x),
    externalName: stringValue(getValue(spec, 'externalName')),
    source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
    selectorSource:
      selNode && selNode.pairs.length > 0
        ? sourceOf(uri, r, spec && getPair(spec, 'selector')?.key)
        : undefined,
    selectorLabelSources:
      selNode && selNode.pairs.length > 0
        ? Object.fromEntries(
            selNode.pairs
              .filter((p) => p.keyText !== undefined)
              .map((p) => [p.keyText!, sourceOf(uri, r, p)!]),
          )
        : undefined,
  };
}

/** AWS Load Balancer Controller: a backend with port name `use-annotation` is the action that the
 * annotation `alb.ingress.kubernetes.io/actions.<service name>` defines (JSON with a `type`). */
function albAction(
  service: string,
  port: string | number | undefined,
  annotations: Record<string, string>,
): BackendAction | undefined {
  if (port !== 'use-annotation') return undefined;
  const annotation = `${ALB_ACTION_PREFIX}${service}`;
  const json = annotations[annotation];
  if (json === undefined) return undefined;
  let type: string | undefined;
  try {
    const parsed: unknown = JSON.parse(json);
    if (parsed && typeof parsed === 'object' && typeof (parsed as { type?: unknown }).type === 'string')
      type = (parsed as { type: string }).type;
  } catch {
    // not JSON: still the annotation's action (the annotation diagnostics report the value)
  }
  return { annotation, ...(type ? { type } : {}) };
}

function backendInfo(
  uri: string,
  r: Resource,
  b: IngressBackendModel | undefined,
  annotations: Record<string, string> = {},
): BackendInfo | undefined {
  if (!b) return undefined;
  const service = scalarText(b.serviceName);
  if (b.resource) {
    return {
      kind: 'resource',
      apiGroup: stringValue(getValue(b.resource, 'apiGroup')),
      resourceKind: stringValue(getValue(b.resource, 'kind')) ?? '',
      name: stringValue(getValue(b.resource, 'name')) ?? '',
      source: sourceOf(uri, r, b.node),
      ...(service
        ? {
            service,
            port: intOrString(b.servicePort),
            serviceSource: sourceOf(uri, r, b.serviceName),
            portSource: sourceOf(uri, r, b.servicePort),
          }
        : {}),
    };
  }
  if (!service) return undefined;
  const port = intOrString(b.servicePort);
  const action = albAction(service, port, annotations);
  return {
    kind: 'service',
    service,
    port,
    ...(action ? { action } : {}),
    source: sourceOf(uri, r, b.node),
    serviceSource: sourceOf(uri, r, b.serviceName),
    portSource: sourceOf(uri, r, b.servicePort),
  };
}

/** The class an Ingress names: spec.ingressClassName, else the deprecated annotation. */
export function ingressClassName(r: Resource): string | undefined {
  return (
    stringValue(ingressModel(r).className) ??
    stringValue(getIn(r.node, ['metadata', 'annotations', 'kubernetes.io/ingress.class']))
  );
}

export function ingressInfo(uri: string, r: Resource, index: ResourceIndex): IngressInfo {
  const m = ingressModel(r);
  const annotations = ingressAnnotations(r);
  return {
    id: idOf(r, index),
    apiVersion: r.apiVersion,
    className: ingressClassName(r),
    ingressClassName: stringValue(m.className),
    annotations,
    rules: m.rules.map((rule) => ({
      host: stringValue(rule.host),
      source: sourceOf(uri, r, rule.node),
      paths: rule.paths.map((p) => ({
        path: scalarText(p.path),
        pathType: stringValue(p.pathType) ?? (m.legacy ? 'ImplementationSpecific' : 'ImplementationSpecific'),
        backend: backendInfo(uri, r, p.backend, annotations),
        source: sourceOf(uri, r, p.node),
      })),
    })),
    defaultBackend: backendInfo(uri, r, m.defaultBackend, annotations),
    tls: m.tls.map((t) => ({
      hosts: t.hosts.map((h) => scalarText(h)).filter((h): h is string => !!h),
      secretName: stringValue(t.secretName),
      source: sourceOf(uri, r, t.node),
      secretNameSource: sourceOf(uri, r, t.secretName),
    })),
    source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
    namespaceSet: r.namespace !== undefined,
    certManager: certManagerAnnotation(r),
  };
}

/** The cert-manager issuer annotation of an Ingress (ClusterIssuer first), if any. */
function certManagerAnnotation(r: Resource): IngressInfo['certManager'] {
  for (const annotation of ['cert-manager.io/cluster-issuer', 'cert-manager.io/issuer']) {
    const issuer = stringValue(getIn(r.node, ['metadata', 'annotations', annotation]));
    if (issuer) return { annotation, issuer };
  }
  return undefined;
}

function selectorOf(node: AstNode | null | undefined) {
  return toLabelSelector(toPlain(node)) ?? {};
}

function policyPorts(node: AstNode | null | undefined): PolicyPortInfo[] | undefined {
  const seq = asSeq(node);
  if (!seq) return undefined;
  return seq.items.map((p) => ({
    protocol: protocolOf(getValue(p, 'protocol')),
    port: intOrString(getValue(p, 'port')),
    endPort: num(getValue(p, 'endPort')),
  }));
}

function policyPeers(
  uri: string,
  r: Resource,
  node: AstNode | null | undefined,
): PolicyPeerInfo[] | undefined {
  const seq = asSeq(node);
  if (!seq) return undefined;
  return seq.items.map((p) => {
    const peer: PolicyPeerInfo = { source: sourceOf(uri, r, p) };
    const pm = asMap(p);
    if (!pm) return peer;
    // `namespaceSelector:` with no value is null, which the API reads as omitted (a nil pointer):
    // with a podSelector it means "the policy's namespace", not "every namespace".
    if (!isNullish(getValue(pm, 'podSelector'))) peer.podSelector = selectorOf(getValue(pm, 'podSelector'));
    if (!isNullish(getValue(pm, 'namespaceSelector')))
      peer.namespaceSelector = selectorOf(getValue(pm, 'namespaceSelector'));
    const block = asMap(getValue(pm, 'ipBlock'));
    if (block) {
      peer.ipBlock = {
        cidr: stringValue(getValue(block, 'cidr')) ?? '',
        except: (asSeq(getValue(block, 'except'))?.items ?? [])
          .map((e) => stringValue(e))
          .filter((x): x is string => !!x),
      };
    }
    return peer;
  });
}

function policyRules(
  uri: string,
  r: Resource,
  node: AstNode | null | undefined,
  peersKey: 'from' | 'to',
): PolicyRuleInfo[] {
  return (asSeq(node)?.items ?? []).map((item) => ({
    peers: policyPeers(uri, r, getValue(item, peersKey)),
    ports: policyPorts(getValue(item, 'ports')),
    source: sourceOf(uri, r, item),
  }));
}

export function policyInfo(uri: string, r: Resource, index: ResourceIndex): PolicyInfo {
  const spec = asMap(getValue(r.node, 'spec'));
  // API defaulting (SetDefaults_NetworkPolicySpec): when policyTypes is omitted or empty, Ingress,
  // plus Egress when there is at least one egress rule (`egress: []` does not count).
  const typesNode = asSeq(getValue(spec, 'policyTypes'));
  const explicit = !!typesNode && typesNode.items.length > 0;
  const hasEgressRules = (asSeq(getValue(spec, 'egress'))?.items.length ?? 0) > 0;
  let policyTypes: ('Ingress' | 'Egress')[];
  if (explicit) {
    policyTypes = [
      ...new Set(
        typesNode.items
          .map((n) => stringValue(n))
          .filter((t): t is 'Ingress' | 'Egress' => t === 'Ingress' || t === 'Egress'),
      ),
    ];
  } else {
    policyTypes = hasEgressRules ? ['Ingress', 'Egress'] : ['Ingress'];
  }
  return {
    id: idOf(r, index),
    podSelector: selectorOf(getValue(spec, 'podSelector')),
    policyTypes,
    policyTypesExplicit: explicit,
    ingress: policyRules(uri, r, getValue(spec, 'ingress'), 'from'),
    egress: policyRules(uri, r, getValue(spec, 'egress'), 'to'),
    source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
  };
}

export function namespaceInfo(uri: string, r: Resource): NamespaceInfo {
  const labels = toLabels(toPlain(getIn(r.node, ['metadata', 'labels'])));
  if (r.name) labels['kubernetes.io/metadata.name'] = r.name;
  return { name: r.name ?? '', labels, source: sourceOf(uri, r, r.nameNode ?? r.kindNode) };
}

export function secretInfo(uri: string, r: Resource, index: ResourceIndex): SecretInfo {
  const keys: string[] = [];
  for (const field of ['data', 'stringData'])
    for (const p of (asMap(getValue(r.node, field)) as MapNode | undefined)?.pairs ?? [])
      if (p.keyText) keys.push(p.keyText);
  const typeNode = getValue(r.node, 'type');
  return {
    id: idOf(r, index),
    type: stringValue(typeNode) ?? 'Opaque',
    keys,
    source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
    typeSource: typeNode && typeNode.type === 'scalar' ? sourceOf(uri, r, typeNode) : undefined,
  };
}

/** Per-resource engine infos, reused while the resource object, its file and the default namespace
 * are unchanged (when its document moves, moveSources shifts their positions) (a keystroke in one document leaves the others' untouched). */
const infoCache = new WeakMap<Resource, Map<string, { key: string; info: unknown }>>();

function cached<T>(part: string, uri: string, r: Resource, index: ResourceIndex, make: () => T): T {
  const key = `${uri}\n${index.defaultNamespace}`;
  let perPart = infoCache.get(r);
  if (!perPart) infoCache.set(r, (perPart = new Map()));
  const hit = perPart.get(part);
  if (hit && hit.key === key) {
    moveSources(r);
    return hit.info as T;
  }
  const info = make();
  perPart.set(part, { key, info });
  return info;
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
