// How kube-netlens reach prints one verdict: the version 1 JSON contract (docs/cli.md) and the text
// answer, shared by a connection to a pod and by each backend of a Service.

import type { Endpoint, Reason, ReachResult, SideVerdict } from '../engine/reach';
import type { locator } from './reach-options';

export function endpointKind(e: Endpoint): string {
  return e.kind === 'workload' ? e.workload.id.kind : e.domain !== undefined ? 'Domain' : 'External';
}

export function jsonResult(
  r: ReachResult,
  from: Endpoint,
  to: Endpoint | string,
  locate: ReturnType<typeof locator>,
) {
  const reason = (x: Reason) => {
    const { source, ...rest } = x;
    const location = locate(source);
    return location ? { ...rest, location } : rest;
  };
  const side = (s: SideVerdict) => ({
    direction: s.direction,
    ...(s.pod !== undefined ? { pod: s.pod } : {}),
    allowed: s.allowed,
    isolated: s.isolated,
    policies: s.policies.map((p) => {
      const location = locate(p.source);
      return location ? { name: p.name, location } : { name: p.name };
    }),
    reasons: s.reasons.map(reason),
    ...(s.tier !== undefined ? { tier: s.tier } : {}),
    ...(s.chain
      ? {
          chain: s.chain.map(({ source, ...rest }) => {
            const location = locate(source);
            return location ? { ...rest, location } : rest;
          }),
        }
      : {}),
    ...(s.inert?.length
      ? {
          inert: s.inert.map((p) => {
            const location = locate(p.source);
            return location ? { name: p.name, location } : { name: p.name };
          }),
        }
      : {}),
    ...(s.unevaluated?.length
      ? {
          unevaluated: s.unevaluated.map((p) => {
            const location = locate(p.source);
            return location ? { name: p.name, location } : { name: p.name };
          }),
        }
      : {}),
  });
  return {
    version: 1,
    allowed: r.allowed,
    from: r.from,
    fromKind: endpointKind(from),
    to: r.to,
    toKind: typeof to === 'string' ? to : endpointKind(to),
    port: r.port,
    ...(r.resolvedPort !== undefined ? { resolvedPort: r.resolvedPort } : {}),
    protocol: r.protocol,
    reasons: r.reasons.map(reason),
    egress: side(r.egress),
    ingress: side(r.ingress),
    tier: decidingTier(r),
    ...(r.cni !== undefined ? { cni: r.cni } : {}),
    ...(r.hairpin ? { hairpin: true } : {}),
    ...(r.conditions?.length ? { conditions: r.conditions } : {}),
  };
}

/** The tier that decided the verdict: a denying side's, else the ingress side's unless it is Default. */
export function decidingTier(r: ReachResult): string {
  if (!r.egress.allowed) return r.egress.tier ?? 'NetworkPolicy';
  if (!r.ingress.allowed) return r.ingress.tier ?? 'NetworkPolicy';
  const i = r.ingress.tier ?? 'Default';
  return i !== 'Default' ? i : (r.egress.tier ?? 'Default');
}

export function textResult(r: ReachResult, locate: ReturnType<typeof locator>, cniLine?: string): string {
  const port =
    typeof r.port === 'string' ? `${r.port} (${r.resolvedPort})/${r.protocol}` : `${r.port}/${r.protocol}`;
  const lines: string[] = [];
  const denying = [r.egress, r.ingress]
    .filter((s) => !s.allowed)
    .map((s) => `the ${s.direction.toLowerCase()} side of ${s.pod}`);
  lines.push(
    `${r.allowed ? 'ALLOWED' : 'DENIED'}: ${r.from} → ${r.to} on ${port}${r.allowed ? '' : ` (denied by ${denying.join(' and ')})`}${r.cni !== undefined ? ` [decided in tier ${decidingTier(r)}]` : ''}`,
  );
  if (cniLine) lines.push(cniLine);
  if (r.conditions?.length)
    lines.push(`Conditions the connection must also meet: ${r.conditions.join('; ')}`);
  for (const s of [r.egress, r.ingress]) {
    const who = s.pod ?? (s.direction === 'Egress' ? r.from : r.to);
    const state =
      s.reasons[0]?.kind === 'outside-cluster' ? 'outside the cluster' : s.allowed ? 'allows' : 'denies';
    lines.push(
      '',
      `${s.direction} of ${who}: ${state}${r.cni !== undefined && s.tier ? ` (tier ${s.tier})` : ''}`,
    );
    if (s.chain?.length)
      lines.push(
        `  consulted: ${s.chain.map((c) => `${c.kind} ${c.policy}${c.rule ? ` ${c.rule}` : ''} → ${c.outcome}`).join('; ')}`,
      );
    for (const x of s.reasons) {
      lines.push(`  - ${x.message}`);
      const at = locate(x.source);
      if (at) lines.push(`    at ${at.file}:${at.line}:${at.column}`);
      for (const d of x.details ?? []) lines.push(`    ${d}`);
    }
  }
  return lines.join('\n') + '\n';
}
