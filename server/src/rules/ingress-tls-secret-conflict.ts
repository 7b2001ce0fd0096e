// One host, two certificates: two Ingresses of the same class list the same host in their tls
// entries with Secrets that hold different certificates. The controller serves a single certificate
// per host name (SNI), so one of them is ignored, and which one depends on the controller. Two
// Secrets with the same certificate are normal (Ingresses of different namespaces each need their
// own copy), and Secrets the workspace does not hold cannot be compared: both stay quiet.

import { relations } from '../model/relations';
import { ingressModel } from '../model/ingress';
import { scalarText, stringValue } from '../syntax/ast';
import type { IngressInfo, IngressTlsInfo } from '../engine/types';
import type { ResourceIndex } from '../workspace/index';
import type { Rule } from './types';
import { effectiveIngressClass } from '../engine/route';
import { ingressClassName } from '../model/cluster';
import { findTlsSecret, readTlsSecret } from '../model/tls';

type Claim = { ingress: IngressInfo; entry: IngressTlsInfo; secret: string };

/** SHA-256 fingerprint of the leaf certificate of a TLS Secret the workspace defines, if it parses. */
function fingerprint(index: ResourceIndex, namespace: string, name: string, uri: string): string | undefined {
  return index.memo(`tls-fingerprint:${namespace}/${name}:${uri}`, () => {
    const found = findTlsSecret(index, namespace, name, uri);
    return found ? readTlsSecret(found.resource).certificate?.fingerprint256 : undefined;
  });
}

/** class + host → every (Ingress, tls entry) naming that host, built once per index state. */
function tlsClaims(
  index: ResourceIndex,
  ingresses: IngressInfo[],
  classOf: (c: string | undefined) => string,
): Map<string, Claim[]> {
  return index.memoKinds(['Ingress', 'IngressClass'], 'ingress-tls-claims', () => {
    const out = new Map<string, Claim[]>();
    for (const ingress of ingresses) {
      for (const entry of ingress.tls) {
        if (!entry.secretName) continue;
        const secret = `${ingress.id.namespace}/${entry.secretName}`;
        for (const host of new Set(entry.hosts.map((h) => h.toLowerCase()))) {
          const k = `${classOf(ingress.className)}\n${host}`;
          const list = out.get(k);
          if (list) list.push({ ingress, entry, secret });
          else out.set(k, [{ ingress, entry, secret }]);
        }
      }
    }
    return out;
  });
}

export const rule: Rule = {
  id: 'ingress-tls-secret-conflict',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['Ingress'],
  description:
    'Two Ingresses of the same class give one host TLS Secrets that hold different certificates: the controller serves one certificate per host, so one is ignored (information when the Ingresses are in different files).',
  check(ctx) {
    const r = ctx.resource;
    const m = ingressModel(r);
    if (m.tls.length === 0) return;
    const ns = ctx.index.namespaceOf(r);
    const cluster = relations(ctx.index).cluster;
    const classOf = (c: string | undefined) => effectiveIngressClass(cluster, c) ?? '';
    const className = classOf(ingressClassName(r));
    const claims = tlsClaims(ctx.index, cluster.ingresses, classOf);
    const print = (c: Claim) =>
      fingerprint(ctx.index, c.ingress.id.namespace, c.entry.secretName ?? '', c.entry.source?.uri ?? '');
    for (const t of m.tls) {
      const secretName = stringValue(t.secretName);
      if (!secretName) continue;
      const mine = `${ns}/${secretName}`;
      const myPrint = fingerprint(ctx.index, ns, secretName, ctx.uri);
      if (!myPrint) continue;
      for (const hostNode of t.hosts) {
        const host = scalarText(hostNode)?.toLowerCase();
        if (!host) continue;
        // the other claims with another Secret; one in this same file first, then by name (stable)
        const others = (claims.get(`${className}\n${host}`) ?? [])
          .filter(
            (c) => !(c.ingress.id.namespace === ns && c.ingress.id.name === r.name) && c.secret !== mine,
          )
          .filter((c) => {
            const theirs = print(c);
            return theirs !== undefined && theirs !== myPrint;
          })
          .sort(
            (a, b) =>
              Number(b.entry.source?.uri === ctx.uri) - Number(a.entry.source?.uri === ctx.uri) ||
              `${a.ingress.id.namespace}/${a.ingress.id.name}`.localeCompare(
                `${b.ingress.id.namespace}/${b.ingress.id.name}`,
              ),
          );
        const other = others[0];
        if (!other) continue;
        const sameFile = other.entry.source?.uri === ctx.uri;
        ctx.report(
          hostNode,
          `Host "${host}" takes its certificate from Secret ${mine} here, but Ingress ${other.ingress.id.namespace}/${other.ingress.id.name}${className ? ` (same class ${className})` : ''} gives it Secret ${other.secret}, which holds another certificate: the controller serves one certificate per host, so one of them is ignored`,
          {
            severity: sameFile ? undefined : 'information',
            related: other.entry.source
              ? [
                  {
                    ...other.entry.source,
                    message: `Ingress ${other.ingress.id.namespace}/${other.ingress.id.name} names Secret ${other.secret} for ${host} here`,
                  },
                ]
              : undefined,
          },
        );
      }
    }
  },
};
