// A NetworkPolicy that isolates the pods behind an Ingress backend (Ingress -> Service -> selector ->
// workloads) while no policy selecting those pods admits the ingress controller: the Ingress route
// resolves, and every request on it is dropped at the pod.
//
// The controller is a namespace and pod labels (setting kubeNetlens.ingressController, default
// ingress-nginx). What the workspace cannot tell counts as admitted, to keep the rule quiet when in
// doubt: an ipBlock peer (controllers on the host network come from node addresses), a label the
// controller's namespace or pods are not known to carry or lack (the controller Namespace is often
// not in the repository).

import { buildCluster } from '../model/cluster';
import { relations } from '../model/relations';
import {
  namespaceLabels,
  policiesSelecting,
  portText,
  resolveTargetPort,
  ruleAdmitsPort,
  ruleAllowsAnyPeer,
  selectorText,
  workloadText,
} from '../engine/policy-match';
import type { TargetPort } from '../engine/policy-match';
import { matchesSelector } from '../engine/selector';
import type { LabelSelector, Labels } from '../engine/selector';
import type {
  BackendInfo,
  Cluster,
  IngressInfo,
  PolicyInfo,
  PolicyPeerInfo,
  WorkloadInfo,
} from '../engine/types';
import { DEFAULT_INGRESS_CONTROLLER } from './types';
import type { IngressControllerSetting, RelatedSpan, Rule } from './types';
import { policyNodes, selectorMalformed } from './netpol-shared';
import { ingressesInNamespace, namespaceNamed } from '../engine/cluster-index';
import { isK8sNetworkPolicy } from '../model/policy-kinds';

/** The requirements of a selector on the given label keys only: the rest is unknown, so assumed met. */
function restrictTo(s: LabelSelector, keys: Set<string>): LabelSelector {
  return {
    matchLabels: Object.fromEntries(Object.entries(s.matchLabels ?? {}).filter(([k]) => keys.has(k))),
    matchExpressions: (s.matchExpressions ?? []).filter((e) => keys.has(e.key)),
  };
}

function peerAdmitsController(
  cluster: Cluster,
  policyNamespace: string,
  peer: PolicyPeerInfo,
  ctrl: IngressControllerSetting,
): boolean {
  if (peer.ipBlock) return true;
  if (!peer.podSelector && !peer.namespaceSelector) return false;
  if (peer.namespaceSelector) {
    const named = namespaceNamed(cluster, ctrl.namespace);
    const defined = named && !named.implied ? named : undefined;
    const labels: Labels = namespaceLabels(cluster, ctrl.namespace);
    // a Namespace manifest lists every label; otherwise only the name label is known
    const sel = defined
      ? peer.namespaceSelector
      : restrictTo(peer.namespaceSelector, new Set(Object.keys(labels)));
    if (!matchesSelector(sel, labels)) return false;
  } else if (policyNamespace !== ctrl.namespace) return false;
  if (!peer.podSelector) return true;
  return matchesSelector(restrictTo(peer.podSelector, new Set(Object.keys(ctrl.podLabels))), ctrl.podLabels);
}

function policyAdmits(
  cluster: Cluster,
  p: PolicyInfo,
  target: TargetPort,
  ctrl: IngressControllerSetting,
): boolean {
  return p.ingress.some(
    (r) =>
      ruleAdmitsPort(r, target) &&
      (ruleAllowsAnyPeer(r) ||
        r.peers!.some((peer) => peerAdmitsController(cluster, p.id.namespace, peer, ctrl))),
  );
}

function controllerText(ctrl: IngressControllerSetting): string {
  const labels = selectorText({ matchLabels: ctrl.podLabels });
  return `namespace ${ctrl.namespace}${labels ? `, pods ${labels}` : ''}`;
}

/** Does the Ingress name a class that is evidently not served by the configured controller's kind? */
function otherController(cluster: Cluster, ing: IngressInfo, ctrl: IngressControllerSetting): boolean {
  if (!ing.className) return false;
  const cls = cluster.ingressClasses.find((c) => c.name === ing.className);
  const hint = `${ctrl.namespace} ${Object.values(ctrl.podLabels).join(' ')}`.toLowerCase();
  const word = (cls?.controller ?? ing.className).toLowerCase();
  const family = [
    'nginx',
    'traefik',
    'haproxy',
    'contour',
    'kong',
    'istio',
    'gce',
    'alb',
    'azure',
    'cilium',
    'envoy',
    'ambassador',
    'emissary',
    'skipper',
  ].find((f) => word.includes(f));
  return !!family && !hint.includes(family);
}

/** A Service port an Ingress of the namespace routes to, with the pods behind it and the port each
 * is reached on (pods whose port does not resolve are left out). */
interface ControllerBackend {
  ing: IngressInfo;
  backend: Extract<BackendInfo, { kind: 'service' }>;
  service: string;
  pods: { w: WorkloadInfo; target: TargetPort; key: string }[];
}

/** The backends of a namespace's Ingresses, in Ingress and backend order (a policy reports the first
 * Ingress whose pods it isolates without admitting the controller). */
function controllerBackends(
  cluster: Cluster,
  rel: ReturnType<typeof relations>,
  ns: string,
  index: { memo: <T>(key: string, compute: () => T) => T },
): ControllerBackend[] {
  const services = index.memo(
    'netpol-services-by-key',
    () => new Map(cluster.services.map((s) => [`${s.id.namespace}/${s.id.name}`, s])),
  );
  const out: ControllerBackend[] = [];
  for (const ing of ingressesInNamespace(cluster, ns)) {
    const backends = [
      ...(ing.defaultBackend ? [ing.defaultBackend] : []),
      ...ing.rules.flatMap((r) => r.paths.map((p) => p.backend)),
    ];
    for (const b of backends) {
      if (!b || b.kind !== 'service') continue;
      const svc = services.get(`${ns}/${b.service}`);
      if (!svc) continue;
      const sp =
        b.port === undefined && svc.ports.length === 1
          ? svc.ports[0]
          : svc.ports.find((p) => (typeof b.port === 'number' ? p.port === b.port : p.name === b.port));
      if (!sp) continue;
      const pods: ControllerBackend['pods'] = [];
      for (const w of rel.serviceWorkloads.get(`${ns}/${svc.id.name}`) ?? []) {
        const target = resolveTargetPort(w, sp.targetPort, sp.protocol);
        if (!target) continue;
        const key = `${w.id.namespace}/${w.id.kind}/${w.id.name}|${target.protocol}/${target.port}/${target.name ?? ''}`;
        pods.push({ w, target, key });
      }
      out.push({ ing, backend: b, service: svc.id.name, pods });
    }
  }
  return out;
}

export const rule: Rule = {
  id: 'netpol-ingress-controller-blocked',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['NetworkPolicy'],
  applies: isK8sNetworkPolicy,
  description:
    'A NetworkPolicy isolates the pods behind an Ingress backend but no policy selecting them admits the ingress controller (setting kubeNetlens.ingressController, default namespace ingress-nginx): the route exists but its traffic is dropped.',
  check(ctx) {
    const policy = policyNodes(ctx.resource, ctx.index);
    const info = policy.info;
    const at = policy.podSelectorPair;
    if (!at || !info.policyTypes.includes('Ingress') || selectorMalformed(at.value)) return;
    const configured = ctx.settings.ingressController;
    const ctrl = configured ?? DEFAULT_INGRESS_CONTROLLER;
    const cluster = buildCluster(ctx.index);
    const rel = relations(ctx.index);
    const ns = info.id.namespace;
    const reported = new Set<string>();
    const found: {
      ing: IngressInfo;
      service: string;
      w: WorkloadInfo;
      target: TargetPort;
      related?: RelatedSpan;
    }[] = [];
    // once per index version and namespace: the Service ports the namespace's Ingresses route to and
    // the pods behind each, with the port each pod is reached on (every policy there asks the same)
    const byNamespace = ctx.index.memo(
      'netpol-controller-backends',
      () => new Map<string, ControllerBackend[]>(),
    );
    let backends = byNamespace.get(ns);
    if (!backends) byNamespace.set(ns, (backends = controllerBackends(cluster, rel, ns, ctx.index)));
    // (once per index version, workload and port: every policy selecting the pods asks the same)
    const memo = ctx.index.memo(
      `netpol-controller-admitted:${JSON.stringify(ctrl)}`,
      () => new Map<string, boolean>(),
    );
    for (const e of backends) {
      if (reported.has(e.ing.id.name)) continue;
      let blocked: { w: WorkloadInfo; target: TargetPort } | undefined;
      for (const p of e.pods) {
        if (!matchesSelector(info.podSelector, p.w.podLabels)) continue;
        let admitted = memo.get(p.key);
        if (admitted === undefined) {
          admitted = policiesSelecting(cluster, ns, p.w.podLabels, 'Ingress').some((q) =>
            policyAdmits(cluster, q, p.target, ctrl),
          );
          memo.set(p.key, admitted);
        }
        if (!admitted) {
          blocked = { w: p.w, target: p.target };
          break;
        }
      }
      if (!blocked) continue;
      reported.add(e.ing.id.name);
      const src = e.backend.serviceSource ?? e.backend.source ?? e.ing.source;
      found.push({
        ing: e.ing,
        service: e.service,
        ...blocked,
        related: src
          ? {
              uri: src.uri,
              start: src.start,
              end: src.end,
              message: `Ingress "${e.ing.id.name}" routes to Service "${e.service}" here`,
            }
          : undefined,
      });
    }
    if (found.length === 0) return;
    // one finding per policy (they share its podSelector): the first route, the others counted
    const first = found[0];
    const route = (f: (typeof found)[number]) =>
      `Service "${f.service}" (${workloadText(f.w)}, ${portText({ protocol: f.target.protocol, port: f.target.port })})`;
    let message: string;
    if (found.length === 1) message = `Ingress "${first.ing.id.name}" routes to ${route(first)}`;
    else {
      const rest = found.slice(1).map((f) => `"${f.ing.id.name}"`);
      message = `${found.length} Ingresses route to pods this policy isolates ("${first.ing.id.name}" to ${route(first)}; also ${rest.slice(0, 3).join(', ')}${rest.length > 3 ? ', ...' : ''})`;
    }
    message += `, but no NetworkPolicy selecting these pods admits the ingress controller (${controllerText(ctrl)}): the route exists but its traffic will be dropped`;
    // softer when every such Ingress names the class of another controller than the assumed default
    const other = !configured && found.every((f) => otherController(cluster, f.ing, ctrl));
    if (other)
      message += `. Set kubeNetlens.ingressController if the controller of class "${first.ing.className}" runs elsewhere`;
    const related = found.slice(0, 20).flatMap((f) => (f.related ? [f.related] : []));
    ctx.report(at.key, message, { severity: other ? 'information' : rule.defaultSeverity, related });
  },
};
