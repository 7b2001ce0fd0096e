// The preview's reachability requests: the matrix of which workloads reach which on a port
// (engine/reach-matrix.ts) and one cell's explanation (engine/reach.ts), mapped to protocol types
// and positions.

import { evaluateReach, workloadName, EndpointError } from '../engine/reach';
import { reachMatrix } from '../engine/reach-matrix';
import type { Cluster, WorkloadInfo } from '../engine/types';
import type {
  ExplainCellParams,
  ExplainCellResult,
  ReachMatrixParams,
  ReachMatrixResult,
} from '../protocol/preview';
import type { PreviewHost } from './preview-graph';
import { toLocation } from './preview-graph';

function fileNamespaces(host: PreviewHost, uri: string): Set<string> {
  const s = new Set<string>();
  for (const { uri: u, resource } of host.index.all()) if (u === uri) s.add(host.index.namespaceOf(resource));
  return s;
}

export function matrix(cluster: Cluster, host: PreviewHost, params: ReachMatrixParams): ReachMatrixResult {
  const m = reachMatrix(cluster, {
    port: params.port,
    protocol: params.protocol,
    cni: host.cni?.(),
    ...(params.namespace ? { namespace: params.namespace } : {}),
  });
  const byName = new Map<string, WorkloadInfo>();
  for (const w of cluster.workloads) byName.set(workloadName(cluster, w), w);
  let rows = m.workloads;
  if (params.scope === 'file' && params.uri && !params.namespace) {
    const nss = fileNamespaces(host, params.uri);
    const inFile = rows.filter((w) => nss.has(w.namespace));
    if (inFile.length) rows = inFile;
  }
  const index = new Map(rows.map((w, i) => [w.name, i]));
  const allowed: (boolean | null)[][] = rows.map((_, i) => rows.map((__, j) => (i === j ? null : false)));
  const tiered = m.cni !== undefined;
  const tiers: (string | null)[][] = tiered ? rows.map(() => rows.map(() => null)) : [];
  const hairpin: (string | null)[] = rows.map(() => null);
  for (const h of m.hairpin ?? []) {
    const i = index.get(h.workload);
    if (i === undefined) continue;
    allowed[i][i] = h.allowed;
    hairpin[i] = h.service;
    if (tiered) tiers[i][i] = h.tier ?? null;
  }
  for (const c of m.cells) {
    const i = index.get(c.from);
    const j = index.get(c.to);
    if (i !== undefined && j !== undefined) {
      allowed[i][j] = c.allowed;
      if (tiered) tiers[i][j] = c.tier ?? null;
    }
  }
  return {
    port: m.port,
    protocol: m.protocol,
    ...(params.namespace ? { namespace: params.namespace } : {}),
    namespaces: [...new Set(cluster.workloads.map((w) => w.id.namespace))].sort(),
    workloads: rows.map((w) => ({
      name: w.name,
      kind: w.kind,
      namespace: w.namespace,
      location: toLocation(host, byName.get(w.name)?.source),
    })),
    allowed,
    ...(tiered ? { tiers } : {}),
    ...(m.hairpin?.length ? { hairpin } : {}),
  };
}

export function explainCell(
  cluster: Cluster,
  host: PreviewHost,
  params: ExplainCellParams,
): ExplainCellResult {
  const base = { from: params.from, to: params.to, port: params.port, protocol: params.protocol };
  try {
    const service = params.service;
    const hairpin = service !== undefined && params.from === params.to;
    const r = evaluateReach(cluster, params.from, params.to, params.port, params.protocol, {
      cni: host.cni?.(),
      ...(service !== undefined ? { service, hairpin } : {}),
    });
    const policies: ExplainCellResult['policies'] = [
      ...r.egress.policies.map((p) => ({
        name: p.name,
        side: 'egress' as const,
        location: toLocation(host, p.source),
      })),
      ...r.ingress.policies.map((p) => ({
        name: p.name,
        side: 'ingress' as const,
        location: toLocation(host, p.source),
      })),
    ];
    return {
      ...base,
      ...(service !== undefined ? { service } : {}),
      allowed: r.allowed,
      reasons: r.reasons.map((x) => ({
        side: x.side,
        message: x.message,
        ...(x.policy ? { policy: x.policy } : {}),
        ...(x.rule ? { rule: x.rule } : {}),
        details: x.details ?? [],
        location: toLocation(host, x.source),
        ...(x.tier && r.cni !== undefined ? { tier: x.tier } : {}),
        ...(x.action ? { action: x.action } : {}),
      })),
      policies,
      ...(r.cni !== undefined
        ? {
            tier: !r.egress.allowed
              ? r.egress.tier
              : !r.ingress.allowed
                ? r.ingress.tier
                : r.ingress.tier !== 'Default'
                  ? r.ingress.tier
                  : r.egress.tier,
            chain: [r.egress, r.ingress].flatMap((s) =>
              (s.chain ?? []).map(
                (c) =>
                  `${s.direction.toLowerCase()}: ${c.tier} ${c.kind} ${c.policy}${c.rule ? ` ${c.rule}` : ''} → ${c.outcome}`,
              ),
            ),
          }
        : {}),
    };
  } catch (e) {
    if (e instanceof EndpointError)
      return { ...base, allowed: false, error: e.message, reasons: [], policies: [] };
    throw e;
  }
}
