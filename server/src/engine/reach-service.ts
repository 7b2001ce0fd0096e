// Reachability through a Service: the connection goes to each pod the Service's selector matches, on
// the target port of the Service port asked; when the source is itself behind the Service, the proxy
// may send it back to the same pod (service hairpin), which evaluateReach answers with `hairpin`.

import type { Cluster, Protocol, ServiceInfo } from './types';
import { idText } from './types';
import { pluginView } from './cni-view';
import { EndpointError, reachIndex, resolveEndpoint } from './reach-base';
import type { Endpoint, ReachResult } from './reach-base';
import { evaluateReach } from './reach';
import { serviceSelects } from './reach-hairpin';
import type { ReachOptions } from './reach';

export interface ServiceBackendVerdict {
  /** The backend Pod or workload, as evaluateReach names it. */
  backend: string;
  backendKind: string;
  /** The proxy sends the connection back to the source pod itself (service hairpin). */
  hairpin: boolean;
  result: ReachResult;
}

export interface ServiceReachResult {
  /** Allowed to every backend the proxy may choose. */
  allowed: boolean;
  from: string;
  /** `ns/name` of the Service. */
  service: string;
  /** The Service port as asked, and the target port it maps to. */
  port: number | string;
  servicePort: number;
  targetPort: number | string;
  protocol: Protocol;
  backends: ServiceBackendVerdict[];
}

/** A Pod or workload may open `from` → Service `ns/name` on a Service port (number or name): the proxy
 * picks one of the pods its selector matches, so the connection is evaluated to each backend on the
 * target port. When the source is itself a backend, the proxy may send it back to the same pod (service
 * hairpin: the admin tiers apply, NetworkPolicy as the plugin does); a workload with several pods may
 * also land on another of its pods. */
export function evaluateServiceReach(
  cluster: Cluster,
  from: Endpoint | string,
  service: string,
  port: number | string,
  protocol: Protocol = 'TCP',
  options: ReachOptions = {},
): ServiceReachResult {
  cluster = pluginView(cluster, options.cni);
  const idx = reachIndex(cluster);
  const src = typeof from === 'string' ? resolveEndpoint(cluster, from) : from;
  const svc = findService(cluster, service);
  const sp = svc.ports.find((p) =>
    typeof port === 'number' ? p.port === port && p.protocol === protocol : p.name === port,
  );
  if (!sp) {
    const list = svc.ports.map((p) => `${p.name ? `${p.name}=` : ''}${p.port}/${p.protocol}`).join(', ');
    throw new EndpointError(
      `Service ${idText(svc.id)} has no ${typeof port === 'number' ? `${protocol} port ${port}` : `port named "${port}"`}${list ? ` (its ports: ${list})` : ' (it declares no ports)'}`,
    );
  }
  const selector = svc.selector;
  const backends = idx.workloads.filter((w) => serviceSelects(svc, w));
  if (!backends.length)
    throw new EndpointError(
      selector && Object.keys(selector).length
        ? `the selector of Service ${idText(svc.id)} matches no Pod or workload of the manifests`
        : `Service ${idText(svc.id)} has no selector: its endpoints are not in the manifests`,
    );
  const out: ServiceBackendVerdict[] = [];
  for (const w of backends) {
    const dst: Endpoint = { kind: 'workload', name: idx.labelOf.get(w)!, workload: w };
    const same = src.kind === 'workload' && src.workload === w;
    const target = sp.targetPort;
    const siblings = w.id.kind !== 'Pod' && (w.replicas === undefined || w.replicas > 1);
    if (same) {
      out.push({
        backend: dst.name,
        backendKind: w.id.kind,
        hairpin: true,
        result: evaluateReach(cluster, src, dst, target, sp.protocol, {
          ...options,
          hairpin: true,
          service: idText(svc.id),
        }),
      });
      if (!siblings) continue;
    }
    out.push({
      backend: dst.name,
      backendKind: w.id.kind,
      hairpin: false,
      result: evaluateReach(cluster, src, dst, target, sp.protocol, { ...options, service: idText(svc.id) }),
    });
  }
  return {
    allowed: out.every((b) => b.result.allowed),
    from: src.name,
    service: idText(svc.id),
    port,
    servicePort: sp.port,
    targetPort: sp.targetPort,
    protocol: sp.protocol,
    backends: out,
  };
}

/** `ns/name`, `Service/ns/name` or a bare name unique across namespaces. */
export function findService(cluster: Cluster, text: string): ServiceInfo {
  const parts = text.trim().split('/');
  if (parts.length === 3 && parts[0].toLowerCase() === 'service') parts.shift();
  const name = parts[parts.length - 1];
  const ns = parts.length === 2 ? parts[0] : undefined;
  const found = cluster.services.filter(
    (s) => s.id.name === name && (ns === undefined || s.id.namespace === ns),
  );
  const unique = [...new Map(found.map((s) => [idText(s.id), s])).values()];
  if (unique.length === 1) return unique[0];
  if (unique.length > 1)
    throw new EndpointError(
      `"${text}" names Services in several namespaces; say which with ns/name: ${unique.map((s) => idText(s.id)).join(', ')}`,
      unique.map((s) => idText(s.id)),
    );
  throw new EndpointError(`no Service "${text}" in the manifests`);
}
