// The certificate of a tls entry must cover the entry's hosts, and the rule hosts served through
// it (those its wildcard hosts stand for). Reported on the host in the Ingress.

import type { ScalarNode } from '../syntax/ast';
import { stringValue } from '../syntax/ast';
import { ingressModel } from '../model/ingress';
import type { TlsCertificateInfo } from '../model/tls';
import { certificateCovers, certificateNames, findTlsSecret, isIpHost, readTlsSecret } from '../model/tls';
import { hostCovers, normalizeHost } from '../engine/host-name';
import type { CrossFileRuleContext, Rule } from './types';

function wildcardHint(c: TlsCertificateInfo, host: string): string {
  const h = normalizeHost(host);
  for (const n of c.dnsNames) {
    const p = normalizeHost(n);
    if (!p.startsWith('*.')) continue;
    const base = p.slice(2);
    if (h === base) return ` (${n} does not cover the domain itself)`;
    if (h.endsWith(`.${base}`)) return ` (${n} stands for exactly one label)`;
  }
  return '';
}

/** Reports (under the calling rule) a host the certificate does not cover; true when covered. Also used
 * for Gateway listener hostnames (rule listener-certificate-invalid). */
export function checkHost(
  ctx: CrossFileRuleContext,
  secret: string,
  c: TlsCertificateInfo,
  node: ScalarNode,
  host: string,
): boolean {
  const covered = certificateCovers(c, host);
  const hostText = `host "${host}"`;
  if (c.namesFromCommonName) {
    if (covered) {
      ctx.report(
        node,
        `The certificate in Secret "${secret}" names ${hostText} only in its Common Name and has no subject alternative names: browsers and Go clients ignore the Common Name and reject it (reissue it with a DNS SAN)`,
        { severity: 'warning' },
      );
      return false;
    }
    ctx.report(
      node,
      `The certificate in Secret "${secret}" does not cover ${hostText}: it has no subject alternative names, and its Common Name is "${c.commonName}"`,
    );
    return false;
  }
  if (covered) return true;
  if (c.dnsNames.length === 0 && c.ipAddresses.length === 0) {
    ctx.report(
      node,
      `The certificate in Secret "${secret}" does not cover ${hostText}: it has no subject alternative names and no Common Name`,
    );
    return false;
  }
  const ipNote = isIpHost(host) ? ' (an IP address is covered only by an IP SAN)' : wildcardHint(c, host);
  ctx.report(
    node,
    `The certificate in Secret "${secret}" does not cover ${hostText}: its subject alternative names are ${certificateNames(c)}${ipNote}`,
  );
  return false;
}

export const rule: Rule = {
  id: 'tls-certificate-hosts',
  scope: 'cross-file',
  defaultSeverity: 'error',
  kinds: ['Ingress'],
  description:
    "A host of an Ingress tls entry (or a rule host served through it) that the certificate's subject alternative names do not cover: clients reject the certificate.",
  check(ctx) {
    const r = ctx.resource;
    const ns = ctx.index.namespaceOf(r);
    const model = ingressModel(r);
    for (const t of model.tls) {
      const name = stringValue(t.secretName);
      if (!name || t.hosts.length === 0) continue;
      // a Secret of that name in the same file wins over others in the workspace (as in the hover)
      const found = findTlsSecret(ctx.index, ns, name, ctx.uri);
      if (!found) continue;
      const c = readTlsSecret(found.resource).certificate;
      if (!c) continue;
      const listed = new Set<string>();
      const uncoveredWildcards = new Set<string>();
      for (const h of t.hosts) {
        const host = stringValue(h);
        if (!host) continue;
        listed.add(normalizeHost(host));
        if (!checkHost(ctx, name, c, h, host) && host.startsWith('*.'))
          uncoveredWildcards.add(normalizeHost(host));
      }
      // Rule hosts this entry serves through a wildcard host (a listed host is checked above).
      for (const rule of model.rules) {
        const host = stringValue(rule.host);
        if (!host || !rule.host || listed.has(normalizeHost(host))) continue;
        const via = [...listed].filter((p) => hostCovers(p, host));
        if (via.length === 0 || via.some((p) => uncoveredWildcards.has(p))) continue;
        checkHost(ctx, name, c, rule.host, host);
      }
    }
  },
};
