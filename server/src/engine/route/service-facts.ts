// The Service side of the route graph: which workloads a Service selects (with the labels that can be
// checked statically), where each Service port's targetPort lands on them, and the problems of a
// backend (Service missing, port missing), a selector (matches nothing) and a targetPort.

import type { BackendInfo, IngressInfo, ServiceInfo, ServicePortInfo, WorkloadInfo } from '../types';
import { idText } from '../types';
import { matchesMap } from '../selector';
import { closest } from '../edit-distance';
import type {
  BackendEdge,
  PodPort,
  ProblemSeverity,
  Report,
  RouteGraphProblem,
  ServiceTarget,
} from './graph-types';

/** Pod labels that controllers add at run time; a selector on them cannot be checked statically. */
export const RUNTIME_LABELS = new Set([
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'pod-template-hash',
  'controller-revision-hash',
  'pod-template-generation',
  'batch.kubernetes.io/job-name',
  'batch.kubernetes.io/controller-uid',
  'job-name',
  'controller-uid',
]);

/** A Service selector with its run-time-only labels removed; undefined when nothing checkable is left. */
export function checkableSelector(selector: Record<string, string>): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  let n = 0;
  for (const [k, v] of Object.entries(selector)) {
    if (RUNTIME_LABELS.has(k)) continue;
    out[k] = v;
    n++;
  }
  return n > 0 ? out : undefined;
}

export function serviceTarget(svc: ServiceInfo, byLabel: Map<string, WorkloadInfo[]>): ServiceTarget {
  const selector = svc.selector ? checkableSelector(svc.selector) : undefined;
  const first = selector ? Object.entries(selector)[0] : undefined;
  const candidates = first ? (byLabel.get(`${svc.id.namespace}\0${first[0]}\0${first[1]}`) ?? []) : [];
  const workloads = selector ? candidates.filter((w) => matchesMap(selector, w.podLabels)) : [];
  const ports = svc.ports.map((port) => ({
    port,
    pods: workloads.map((w) => podPort(w, port)),
    problems: [],
  }));
  return { service: svc, selector, workloads, ports, problems: [] };
}

function podPort(w: WorkloadInfo, sp: ServicePortInfo): PodPort {
  const target = sp.targetPort;
  for (const c of w.containers) {
    const cp = c.ports.find(
      (p) =>
        (typeof target === 'number' ? p.containerPort === target : p.name === target) &&
        p.protocol === sp.protocol,
    );
    if (cp) return { workload: w, container: c.name, containerPort: cp, declared: true };
  }
  return { workload: w, container: null, containerPort: undefined, declared: false };
}

/** A workload whose pods miss the selector by one label: with several labels, every other one matches
 * (the differing one has another value, or is absent); with one label, the pods carry that key with a
 * value one typo away. The first such workload in cluster order. */
function nearMiss(
  selector: Record<string, string>,
  workloads: WorkloadInfo[],
): { workload: WorkloadInfo; key: string; value?: string } | undefined {
  const entries = Object.entries(selector);
  for (const w of workloads) {
    const differing = entries.filter(([k, v]) => w.podLabels[k] !== v);
    if (differing.length !== 1) continue;
    const [k, v] = differing[0];
    const value = w.podLabels[k];
    if (entries.length > 1) return { workload: w, key: k, value };
    if (value !== undefined && closest(v, [value]) === value) return { workload: w, key: k, value };
  }
  return undefined;
}

/** service-selector-no-match: a selector that matches no workload's pod labels. */
export function checkSelector(
  t: ServiceTarget,
  workloadsByNs: Map<string, WorkloadInfo[]>,
  routedBy: Map<string, string>,
  report: Report,
): void {
  const svc = t.service;
  const selector = t.selector;
  if (!selector || svc.id.name === '<unnamed>' || t.workloads.length > 0) return;
  const ns = svc.id.namespace;
  const inNs = workloadsByNs.get(ns) ?? [];
  const routed = routedBy.get(idText(svc.id));
  const why = routed ? `; ${routed} routes here, so those requests will fail` : '';
  const near = nearMiss(svc.selector!, inNs);
  if (near) {
    // one label keeps a workload's pods out: a typo or a renamed label, certainly not intended
    const have = near.value === undefined ? `no label ${near.key}` : `${near.key}=${near.value}`;
    const others =
      Object.keys(svc.selector!).length > 1 ? ' (they match every other label of the selector)' : '';
    report(
      {
        ruleId: 'service-selector-no-match',
        severity: 'warning',
        message: `Selector ${near.key}=${svc.selector![near.key]} matches no pod: the pods of ${near.workload.id.kind} ${near.workload.id.name} have ${have}${others}, so no pod will serve this Service${why}`,
        at: svc.selectorLabelSources?.[near.key] ?? svc.selectorSource ?? svc.source,
      },
      t.problems,
    );
    return;
  }
  const severity: ProblemSeverity = routed && inNs.length > 0 ? 'warning' : 'information';
  // A label value no pod carries, close to one that pods of the namespace do carry: a typo.
  let hint = '';
  for (const [k, v] of Object.entries(svc.selector!)) {
    const values = [...new Set(inNs.map((w) => w.podLabels[k]).filter((x): x is string => x !== undefined))];
    if (values.length === 0 || values.includes(v)) continue;
    const near = closest(v, values);
    if (near) {
      hint = ` (did you mean ${k}=${near}?)`;
      break;
    }
  }
  const shown = Object.entries(svc.selector!)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  report(
    {
      ruleId: 'service-selector-no-match',
      severity,
      message: `Selector ${shown} matches no workload in namespace "${ns}" in this workspace${hint}: no pod will serve this Service${why}`,
      at: svc.selectorSource ?? svc.source,
    },
    t.problems,
  );
}

/** service-target-port: a targetPort the selected pods do not declare, or declare for another protocol. */
export function checkTargetPorts(t: ServiceTarget, report: Report): void {
  if (t.workloads.length === 0 || t.service.id.name === '<unnamed>') return;
  const ports = t.workloads.flatMap((w) => w.containers.flatMap((c) => c.ports));
  // Pods that declare no ports at all cannot be checked: containerPort is informational in Kubernetes.
  if (ports.length === 0) return;
  const names = t.workloads.map((w) => `${w.id.kind} ${w.id.name}`).join(', ');
  for (const pt of t.ports) {
    const sp = pt.port;
    const target = sp.targetPort;
    const anchor = sp.targetPortSource ?? sp.source;
    const protocol = sp.protocol;
    if (typeof target === 'string') {
      const matches = ports.filter((cp) => cp.name === target);
      if (matches.length === 0) {
        const declared =
          [...new Set(ports.filter((cp) => cp.name).map((cp) => `${cp.name} (${cp.containerPort})`))].join(
            ', ',
          ) || 'none';
        report(
          {
            ruleId: 'service-target-port',
            severity: 'error',
            message: `targetPort "${target}" is not a port name declared by the selected pods (${names}); declared names: ${declared}`,
            at: anchor,
          },
          pt.problems,
        );
      } else if (!matches.some((cp) => cp.protocol === protocol)) {
        // endpoints resolve a named port by name and protocol: this one resolves to nothing
        report(
          {
            ruleId: 'service-target-port',
            severity: 'error',
            message: `targetPort "${target}" is declared for ${matches[0].protocol} on the pods but this Service port is ${protocol}: the port name does not resolve, so the Service gets no endpoints`,
            at: anchor,
          },
          pt.problems,
        );
      }
    } else {
      const matches = ports.filter((cp) => cp.containerPort === target);
      if (matches.length === 0) {
        const exposed = [...new Set(ports.map((cp) => cp.containerPort))].join(', ');
        report(
          {
            ruleId: 'service-target-port',
            severity: 'information',
            message: `No container of the selected pods (${names}) declares port ${target} (they declare ${exposed}); the traffic only arrives if the process listens there anyway`,
            at: anchor,
          },
          pt.problems,
        );
      } else if (!matches.some((cp) => cp.protocol === protocol)) {
        // Container ports are informational: published manifests often leave out `protocol: UDP`
        // on the container while the process does listen on UDP, so this is worth knowing only.
        report(
          {
            ruleId: 'service-target-port',
            severity: 'information',
            message: `Port ${target} is declared for ${matches[0].protocol} on the selected pods (${names}) but this Service port is ${protocol}: the traffic only arrives if the process also listens on ${protocol} ${target}`,
            at: anchor,
          },
          pt.problems,
        );
      }
    }
  }
}

export function backendEdge(
  ing: IngressInfo,
  b: BackendInfo,
  services: Map<string, ServiceTarget>,
  servicesByNs: Map<string, ServiceInfo[]>,
  workloadsByNs: Map<string, WorkloadInfo[]>,
  report: Report,
): BackendEdge {
  const ns = ing.id.namespace;
  const edge: BackendEdge = { backend: b, namespace: ns, problems: [] };
  // A resource backend that also names a Service (invalid, reported by ingress-backend-invalid) still
  // has that Service checked; it is not followed.
  if (b.service === undefined) return edge;
  if (b.kind === 'service' && b.action) {
    // the controller answers from the annotation: there is no Service to look for
    edge.action = b.action;
    return edge;
  }
  const target = services.get(`${ns}/${b.service}`);
  if (!target) {
    const inNs = servicesByNs.get(ns) ?? [];
    const known = inNs.filter((s) => s.id.name !== '<unnamed>').map((s) => s.id.name);
    const suggestion = closest(b.service, known);
    // An Ingress that names its namespace while the workspace defines no Service or workload there
    // most likely routes to resources deployed from elsewhere: information. One that leaves the
    // namespace to kubectl is applied with the rest of the workspace, so a missing Service is a warning.
    const severity: ProblemSeverity =
      !ing.namespaceSet || inNs.length > 0 || (workloadsByNs.get(ns) ?? []).length > 0
        ? 'warning'
        : 'information';
    report(
      {
        ruleId: 'ingress-backend-service-missing',
        severity,
        message:
          `Service "${b.service}" is not defined in namespace "${ns}" in this workspace` +
          (suggestion
            ? `; did you mean "${suggestion}"?`
            : severity === 'information'
              ? ` (it defines no Service or workload there: they may be deployed from elsewhere)`
              : ''),
        at: b.serviceSource ?? b.source,
        ...(suggestion ? { data: { suggestion } } : {}),
      },
      edge.problems,
    );
    return edge;
  }
  if (b.kind === 'service') edge.target = target;
  const svc = target.service;
  const p = b.port;
  if (p === undefined) return edge;
  const byNumber = typeof p === 'number';
  const port = target.ports.find((x) => (byNumber ? x.port.port === p : x.port.name === p));
  if (b.kind === 'service') edge.port = port;
  if (port || svc.type === 'ExternalName') return edge;
  const available =
    svc.ports.map((x) => (x.name ? `${x.port} (${x.name})` : String(x.port))).join(', ') || 'none';
  // A frequent mix-up: the backend names the container port (targetPort) instead of the Service port.
  const viaTarget = byNumber ? svc.ports.find((x) => x.targetPort === p) : undefined;
  if (viaTarget) {
    report(
      {
        ruleId: 'ingress-backend-port-missing',
        severity: 'error',
        message: `Service "${b.service}" has no port ${p}: ${p} is the targetPort (container port) behind its port ${viaTarget.port}, and an Ingress backend names the Service port`,
        at: b.portSource ?? b.source,
        data: { viaTargetPort: viaTarget.port },
      },
      edge.problems,
    );
    return edge;
  }
  const data: RouteGraphProblem['data'] = {};
  if (!byNumber) {
    const byNum = svc.ports.find((x) => String(x.port) === p);
    if (byNum) data.portNumber = byNum.port;
  } else if (svc.ports.length === 1) data.onlyPort = svc.ports[0].port;
  report(
    {
      ruleId: 'ingress-backend-port-missing',
      severity: 'error',
      message: `Service "${b.service}" has no port ${byNumber ? p : `named "${p}"`}; its ports: ${available}`,
      at: b.portSource ?? b.source,
      data,
    },
    edge.problems,
  );
  return edge;
}
