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
import type { Cluster, IngressInfo, PolicyInfo, PolicyPeerInfo, WorkloadInfo } from '../engine/types';
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
    const services = ctx.index.memo(
      'netpol-services-by-key',
      () => new Map(cluster.services.map((s) => [`${s.id.namespace}/${s.id.name}`, s])),
    );
    for (const ing of ingressesInNamespace(cluster, ns)) {
      if (reported.has(ing.id.name)) continue;
      const backends = [
        ...(ing.defaultBackend ? [ing.defaultBackend] : []),
        ...ing.rules.flatMap((r) => r.paths.map((p) => p.backend)),
      ];
      for (const b of backends) {
        if (!b || b.kind !== 'service' || reported.has(ing.id.name)) continue;
        const svc = services.get(`${ns}/${b.service}`);
        if (!svc) continue;
        const sp =
          b.port === undefined && svc.ports.length === 1
            ? svc.ports[0]
            : svc.ports.find((p) => (typeof b.port === 'number' ? p.port === b.port : p.name === b.port));
        if (!sp) continue;
        const pods = (rel.serviceWorkloads.get(`${ns}/${svc.id.name}`) ?? []).filter((w) =>
          matchesSelector(info.podSelector, w.podLabels),
        );
        let blocked: { w: WorkloadInfo; target: TargetPort } | undefined;
        const memo = ctx.index.memo(
          `netpol-controller-admitted:${JSON.stringify(ctrl)}`,
          () => new Map<string, boolean>(),
        );
        for (const w of pods) {
          const target = resolveTargetPort(w, sp.targetPort, sp.protocol);
          if (!target) continue;
          // (once per index version, workload and port: every policy selecting the pods asks the same)
          const k = `${w.id.namespace}/${w.id.kind}/${w.id.name}|${target.protocol}/${target.port}/${target.name ?? ''}`;
          let admitted = memo.get(k);
          if (admitted === undefined) {
            admitted = policiesSelecting(cluster, ns, w.podLabels, 'Ingress').some((p) =>
              policyAdmits(cluster, p, target, ctrl),
            );
            memo.set(k, admitted);
          }
          if (!admitted) {
            blocked = { w, target };
            break;
          }
        }
        if (!blocked) continue;
        reported.add(ing.id.name);
        const src = b.serviceSource ?? b.source ?? ing.source;
        found.push({
          ing,
          service: svc.id.name,
          ...blocked,
          related: src
            ? {
                uri: src.uri,
                start: src.start,
                end: src.end,
                message: `Ingress "${ing.id.name}" routes to Service "${svc.id.name}" here`,
              }
            : undefined,
        });
      }
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
