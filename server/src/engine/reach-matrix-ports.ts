// Every ordered pair of Pods/workloads on the ports each destination declares: one matrix per distinct
// declared port (reach-matrix.ts), sharing what does not depend on the port. Used by `matrix` without
// --port and by `diff`.

import type { Cluster, Protocol, WorkloadInfo } from './types';
import { pluginView } from './cni-view';
import { cmp } from './reach';
import { matrixBase, matrixBits, pairAllowed } from './reach-matrix';
import type { MatrixBits, MatrixCell, MatrixWorkload } from './reach-matrix';
import { hairpinVerdict } from './reach-hairpin';
import type { HairpinCell } from './reach-hairpin';

export interface DeclaredPortsMatrixOptions {
  /** Only declared ports of this protocol; all protocols when omitted. */
  protocol?: Protocol;
  namespace?: string;
  cni?: string;
}

export interface DeclaredPortsMatrix {
  /** null: no single port; each destination is tested on the container ports it declares. */
  port: null;
  protocol: Protocol | null;
  namespace?: string;
  /** Rows and columns, with the ports each declares (`8080/TCP`). */
  workloads: (MatrixWorkload & { ports: string[] })[];
  /** Allowed when the row may reach at least one port the column declares; `ports` lists those. */
  cells: (MatrixCell & { ports: string[] })[];
  /** The diagonal (service hairpin) of the rows behind a Service that sends a declared port back to
   * them: allowed on at least one such port; `ports` lists the allowed ones. */
  hairpin?: (HairpinCell & { ports: string[] })[];
}

function declaredPorts(
  w: WorkloadInfo,
  protocol: Protocol | undefined,
): { port: number; protocol: Protocol }[] {
  const seen = new Set<string>();
  const out: { port: number; protocol: Protocol }[] = [];
  for (const c of w.containers) {
    for (const p of c.ports) {
      const k = `${p.containerPort}/${p.protocol}`;
      if ((protocol && p.protocol !== protocol) || seen.has(k)) continue;
      seen.add(k);
      out.push({ port: p.containerPort, protocol: p.protocol });
    }
  }
  return out.sort((a, b) => a.port - b.port || cmp(a.protocol, b.protocol));
}

/** Verdict bits per distinct declared port: the rows and columns, the ports each declares, and for each
 * port (`8080/TCP`) the matrix on it. Shared by the declared-ports matrix and `diff`. */
export interface DeclaredPortBits {
  names: string[];
  workloads: WorkloadInfo[];
  /** Per workload, the ports it declares (`8080/TCP`), sorted by number then protocol. */
  ports: string[][];
  /** May row s reach column t on port key k (which t may or may not declare)? */
  allowedOn(s: number, t: number, key: string): boolean;
  /** Does workload t declare port key k? */
  declares(t: number, key: string): boolean;
  /** Through a Service that sends port key k back to workload t, may its pods reach themselves?
   * undefined: no Service does. */
  hairpinOn(t: number, key: string): { service: string; allowed: boolean } | undefined;
}

export function declaredPortBits(
  cluster: Cluster,
  options: DeclaredPortsMatrixOptions = {},
): DeclaredPortBits {
  cluster = pluginView(cluster, options.cni);
  const { idx, ws, eps } = matrixBase(cluster, options.namespace);
  const declared = ws.map((w) => declaredPorts(w, options.protocol));
  const ports = declared.map((list) => list.map((p) => `${p.port}/${p.protocol}`));
  const sets = ports.map((list) => new Set(list));
  const byKey = new Map<string, MatrixBits>();
  for (const list of declared) {
    for (const p of list) {
      const key = `${p.port}/${p.protocol}`;
      if (!byKey.has(key))
        byKey.set(key, matrixBits(cluster, p.port, p.protocol, options.namespace, options.cni));
    }
  }
  return {
    names: ws.map((w) => idx.labelOf.get(w)!),
    workloads: ws,
    ports,
    allowedOn(s, t, key) {
      const m = byKey.get(key);
      return m !== undefined && pairAllowed(m, s, t);
    },
    declares: (t, key) => sets[t].has(key),
    hairpinOn(t, key) {
      const e = eps[t];
      const i = key.lastIndexOf('/');
      if (e.kind !== 'workload' || i < 0) return undefined;
      const h = hairpinVerdict(
        cluster,
        e,
        Number(key.slice(0, i)),
        key.slice(i + 1) as Protocol,
        options.cni,
      );
      return h && { service: h.service, allowed: h.result.allowed };
    },
  };
}

/** Who may reach whom at all: every ordered pair of distinct Pods/workloads, each destination tested on
 * every container port it declares (one matrix per distinct port, sharing what does not depend on the
 * port). A destination that declares no ports has nothing to test, so no cell towards it is allowed. */
export function reachMatrixDeclaredPorts(
  cluster: Cluster,
  options: DeclaredPortsMatrixOptions = {},
): DeclaredPortsMatrix {
  const d = declaredPortBits(cluster, options);
  const { names, ports, workloads: ws } = d;
  const cells: (MatrixCell & { ports: string[] })[] = [];
  for (let s = 0; s < ws.length; s++) {
    for (let t = 0; t < ws.length; t++) {
      if (s === t) continue;
      const open: string[] = [];
      for (const k of ports[t]) if (d.allowedOn(s, t, k)) open.push(k);
      cells.push({ from: names[s], to: names[t], allowed: open.length > 0, ports: open });
    }
  }
  const hairpin: (HairpinCell & { ports: string[] })[] = [];
  for (let t = 0; t < ws.length; t++) {
    let service: string | undefined;
    const open: string[] = [];
    for (const k of ports[t]) {
      const h = d.hairpinOn(t, k);
      if (!h) continue;
      service ??= h.service;
      if (h.allowed) open.push(k);
    }
    if (service !== undefined)
      hairpin.push({ workload: names[t], service, allowed: open.length > 0, ports: open });
  }
  return {
    port: null,
    protocol: options.protocol ?? null,
    ...(hairpin.length ? { hairpin } : {}),
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
    workloads: ws.map((w, i) => ({
      name: names[i],
      kind: w.id.kind,
      namespace: w.id.namespace,
      ports: ports[i],
    })),
    cells,
  };
}
