// TLS of a matched route: the tls entry that covers the host and the state of its Secret.

import type { Cluster, IngressInfo } from '../types';
import { idText } from '../types';
import type { RouteResult } from './types';
import { hostCovers } from '../host-name';
import type { RouteIndex } from './index-types';
import { compareIngress } from './rule-index';
import { routeGraph } from './graph';
import { noSecretName, tlsKeysMissing } from './facts';

/** The tls entry of an Ingress for a host: one that names it wins over one that lists no hosts (any host). */
export function tlsEntryFor(ing: IngressInfo, host: string): IngressInfo['tls'][number] | undefined {
  let anyHost: IngressInfo['tls'][number] | undefined;
  for (const t of ing.tls) {
    if (t.hosts.length === 0) anyHost ??= t;
    else for (const h of t.hosts) if (hostCovers(h, host)) return t;
  }
  return anyHost;
}

export function tlsFor(
  cluster: Cluster,
  idx: RouteIndex,
  ing: IngressInfo,
  host: string,
  result: RouteResult,
): void {
  const entry = tlsEntryFor(ing, host);
  if (!entry) {
    const dot = host.indexOf('.');
    const exact = idx.tlsExact.get(host);
    const wild = dot > 0 ? idx.tlsWildcard.get(host.slice(dot + 1)) : undefined;
    if (!exact && !wild) return;
    const other = [...(exact ?? []), ...(wild ?? [])].filter((i) => i !== ing).sort(compareIngress)[0];
    if (other)
      result.notes.push(
        `host ${host} is not in a tls entry of ${idText(ing.id)}, but Ingress ${idText(other.id)} has one (secret ${tlsEntryFor(other, host)?.secretName ?? 'none'}); controllers that merge hosts (like ingress-nginx) serve it over TLS`,
      );
    return;
  }
  result.tls = {
    ingress: idText(ing.id),
    secretName: entry.secretName,
    hosts: entry.hosts,
    source: entry.source,
  };
  if (entry.hosts.length === 0)
    result.notes.push(
      `the tls entry of ${idText(ing.id)} lists no hosts: it covers whatever host the controller's wildcard setting allows`,
    );
  if (!entry.secretName) {
    result.notes.push(noSecretName(ing).message);
    return;
  }
  // The Secret's problems (missing, not a TLS Secret) are the route graph's, worded once there.
  const cov = routeGraph(cluster).coverageOf(ing, entry);
  for (const p of cov?.problems ?? [])
    result.problems.push({
      step: 'tls',
      message: p.message,
      ruleId: p.ruleId,
      severity: p.severity,
      source: p.ruleId === 'ingress-tls-secret-missing' ? entry.source : cov?.secret?.source,
    });
  const secret = cov?.secret;
  if (secret && secret.type === 'kubernetes.io/tls') {
    const missing = ['tls.crt', 'tls.key'].filter((k) => !secret.keys.includes(k));
    if (missing.length) {
      // the finding of rule secret-tls-keys, in its words and severity
      const fact = tlsKeysMissing(missing);
      result.problems.push({
        step: 'tls',
        message: fact.message,
        ruleId: 'secret-tls-keys',
        severity: fact.severity,
        source: secret.source,
      });
    }
  }
}
