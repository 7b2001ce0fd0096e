// One resource -> the engine's input type, for the Kubernetes core kinds: workloads, Services,
// NetworkPolicies, Namespaces and Secrets (Ingresses: model/cluster-ingress.ts; the policy dialects:
// model/policy-kinds*.ts; Gateway API: model/gateway.ts). model/cluster.ts assembles them into a Cluster.

import type { AstNode, MapNode } from '../syntax/ast';
import {
  asMap,
  asScalar,
  asSeq,
  exactList,
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
import { podTemplateOf } from './workload';
import { isUnsetValue } from './api-defaults';
import { keySourceOf, sourceOf } from './source';
import { podSecretVolumes, secretCertificateNames } from './serving-cert';
import { certificateFingerprint } from './tls';
import { toLabels, toLabelSelector } from '../engine/selector';
import type {
  ContainerInfo,
  NamespaceInfo,
  PolicyInfo,
  PolicyPeerInfo,
  PolicyPortInfo,
  PolicyRuleInfo,
  Protocol,
  ResourceId,
  SecretInfo,
  ServiceAccountInfo,
  ServiceInfo,
  WorkloadInfo,
} from '../engine/types';

export function protocolOf(node: AstNode | null | undefined): Protocol {
  const p = stringValue(node);
  return p === 'UDP' || p === 'SCTP' ? p : 'TCP';
}

export function num(node: AstNode | null | undefined): number | undefined {
  const s = asScalar(node);
  return s && typeof s.value === 'number' ? s.value : undefined;
}

export function intOrString(node: AstNode | null | undefined): number | string | undefined {
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
    secretVolumes: podSecretVolumes(spec),
    ...serviceAccountOf(spec),
    ...(asScalar(getValue(spec, 'hostNetwork'))?.value === true ? { hostNetwork: true } : {}),
  };
}

function serviceAccountOf(spec: MapNode | undefined): { serviceAccount?: string } {
  const sa =
    stringValue(getValue(spec, 'serviceAccountName')) ?? stringValue(getValue(spec, 'serviceAccount'));
  return sa ? { serviceAccount: sa } : {};
}

export function serviceInfo(uri: string, r: Resource, index: ResourceIndex): ServiceInfo {
  const spec = asMap(getValue(r.node, 'spec'));
  const selNode = asMap(getValue(spec, 'selector'));
  return {
    id: idOf(r, index),
    type: stringValue(getValue(spec, 'type')) || 'ClusterIP',
    selector: selNode ? toLabels(toPlain(selNode)) : undefined,
    // (at its size: a list grown by flatMap keeps room for 16 more, and the info lives with its tree)
    ports: exactList(
      (asSeq(getValue(spec, 'ports'))?.items ?? []).flatMap((p) => {
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
    ),
    clusterIP: stringValue(getValue(spec, 'clusterIP')),
    externalIPs: (asSeq(getValue(spec, 'externalIPs'))?.items ?? [])
      .map((n) => stringValue(n))
      .filter((x): x is string => !!x),
    externalName: stringValue(getValue(spec, 'externalName')),
    source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
    selectorSource:
      selNode && selNode.pairs.length > 0
        ? keySourceOf(uri, r, spec ? getPair(spec, 'selector') : undefined)
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

export function serviceAccountInfo(uri: string, r: Resource, index: ResourceIndex): ServiceAccountInfo {
  return {
    namespace: index.namespaceOf(r),
    name: r.name ?? '',
    labels: toLabels(toPlain(getIn(r.node, ['metadata', 'labels']))),
    source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
  };
}

export function secretInfo(uri: string, r: Resource, index: ResourceIndex): SecretInfo {
  const keys: string[] = [];
  for (const field of ['data', 'stringData'])
    for (const p of (asMap(getValue(r.node, field)) as MapNode | undefined)?.pairs ?? [])
      if (p.keyText) keys.push(p.keyText);
  const typeNode = getValue(r.node, 'type');
  return {
    id: idOf(r, index),
    type: stringValue(typeNode) || 'Opaque', // the API server defaults an empty type too
    keys,
    source: sourceOf(uri, r, r.nameNode ?? r.kindNode),
    typeSource: typeNode && typeNode.type === 'scalar' ? sourceOf(uri, r, typeNode) : undefined,
    certificate: secretCertificateNames(r),
    certificateFingerprint: keys.includes('tls.crt') ? certificateFingerprint(r) : undefined,
  };
}
