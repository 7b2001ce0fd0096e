// The TLS side of the route graph: each tls entry of an Ingress and its Secret, with the problems of a
// Secret that is missing (or that cert-manager will create), of a Secret used for TLS that is not
// of type kubernetes.io/tls, and of one host given two certificates by Ingresses of one class.

import type { IngressInfo, IngressTlsInfo, SecretInfo } from '../types';
import { idText } from '../types';
import type { ProblemSeverity, Report, RouteGraphProblem, TlsEntryCoverage } from './graph-types';

export function tlsCoverage(
  ing: IngressInfo,
  entry: IngressTlsInfo,
  secrets: Map<string, SecretInfo>,
  secretsByNs: Map<string, SecretInfo[]>,
  certificates: Map<string, string>,
  report: Report,
): TlsEntryCoverage {
  const ns = ing.id.namespace;
  const cov: TlsEntryCoverage = {
    ingress: ing,
    entry,
    hosts: entry.hosts.map((h) => h.toLowerCase()),
    secretName: entry.secretName,
    problems: [],
  };
  const name = entry.secretName;
  if (!name) return cov;
  cov.secret = secrets.get(`${ns}/${name}`);
  if (cov.secret) return cov;
  const certificate = certificates.get(`${ns}/${name}`);
  const creator = ing.certManager
    ? `the Ingress annotation ${ing.certManager.annotation}: ${ing.certManager.issuer}`
    : certificate
      ? `the cert-manager Certificate "${certificate}"`
      : undefined;
  if (creator) {
    report(
      {
        ruleId: 'ingress-tls-secret-missing',
        severity: 'information',
        message: `Secret "${name}" is not in the workspace: cert-manager will create it in namespace "${ns}" (${creator})`,
        at: entry.secretNameSource ?? entry.source,
      },
      cov.problems,
    );
    return cov;
  }
  const severity: ProblemSeverity = (secretsByNs.get(ns) ?? []).length > 0 ? 'warning' : 'information';
  const why =
    severity === 'information'
      ? ` (the workspace defines no Secrets in "${ns}": it may be created elsewhere)`
      : '';
  report(
    {
      ruleId: 'ingress-tls-secret-missing',
      severity,
      message: `Secret "${name}" is not defined in namespace "${ns}": without it the controller serves its default certificate for this entry${why}`,
      at: entry.secretNameSource ?? entry.source,
    },
    cov.problems,
  );
  return cov;
}

/** The first Ingress naming each Secret ("namespace/name") in a tls entry. */
export function tlsUsers(cluster: { ingresses: IngressInfo[] }): Map<string, IngressInfo> {
  const users = new Map<string, IngressInfo>();
  for (const ing of cluster.ingresses) {
    for (const entry of ing.tls) {
      if (entry.secretName && !users.has(`${ing.id.namespace}/${entry.secretName}`))
        users.set(`${ing.id.namespace}/${entry.secretName}`, ing);
    }
  }
  return users;
}

/** ingress-tls-secret-type: a Secret an Ingress names for TLS whose type is not kubernetes.io/tls. */
export function secretTypeProblem(
  s: SecretInfo,
  users: Map<string, IngressInfo>,
): RouteGraphProblem | undefined {
  if (s.type === 'kubernetes.io/tls' || s.id.name === '<unnamed>') return undefined;
  const user = users.get(idText(s.id));
  if (!user) return undefined;
  return {
    ruleId: 'ingress-tls-secret-type',
    severity: 'warning',
    message: `Secret "${s.id.name}" is used for TLS by Ingress "${user.id.name}" but its type is ${s.type}: make it type kubernetes.io/tls (with tls.crt and tls.key)`,
    at: s.typeSource ?? s.source,
  };
}

export function checkSecretTypes(
  cluster: { secrets: SecretInfo[] },
  users: Map<string, IngressInfo>,
  tls: TlsEntryCoverage[],
  report: Report,
): void {
  const coverageOf = new Map<SecretInfo, TlsEntryCoverage[]>();
  for (const t of tls) {
    if (!t.secret) continue;
    const list = coverageOf.get(t.secret);
    if (list) list.push(t);
    else coverageOf.set(t.secret, [t]);
  }
  for (const s of cluster.secrets) {
    const problem = secretTypeProblem(s, users);
    if (!problem) continue;
    report(problem, []);
    for (const t of coverageOf.get(s) ?? []) t.problems.push(problem);
  }
}

/** A tls entry that gives a host a certificate the workspace holds. */
export interface TlsClaim {
  cov: TlsEntryCoverage;
  /** "namespace/name" of the Secret. */
  secret: string;
  fingerprint: string;
}

/** Effective class + "\n" + host (lower-cased) → the tls entries giving that host a certificate. */
export function tlsClaims(
  tls: TlsEntryCoverage[],
  classOf: (ing: IngressInfo) => string,
): Map<string, TlsClaim[]> {
  const out = new Map<string, TlsClaim[]>();
  for (const cov of tls) {
    const fingerprint = cov.secret?.certificateFingerprint;
    if (!fingerprint || !cov.secretName) continue;
    const secret = `${cov.ingress.id.namespace}/${cov.secretName}`;
    for (const host of new Set(cov.hosts)) {
      const k = `${classOf(cov.ingress)}\n${host}`;
      const list = out.get(k);
      if (list) list.push({ cov, secret, fingerprint });
      else out.set(k, [{ cov, secret, fingerprint }]);
    }
  }
  return out;
}

/**
 * ingress-tls-secret-conflict: a host of this tls entry that another Ingress of the same class gives
 * another Secret holding another certificate. The controller serves one certificate per host (SNI),
 * so one of them is ignored; which one depends on the controller. Two Secrets holding the same
 * certificate are normal (each namespace needs its own copy), and a Secret the workspace does not
 * hold cannot be compared: both are quiet. The other entry named is one in the same file first,
 * then the first by Ingress namespace/name (a warning in the same file, information across files).
 */
export function checkTlsConflicts(
  cov: TlsEntryCoverage,
  claims: Map<string, TlsClaim[]>,
  classOf: (ing: IngressInfo) => string,
  report: Report,
): void {
  const ing = cov.ingress;
  const fingerprint = cov.secret?.certificateFingerprint;
  if (!fingerprint || !cov.secretName) return;
  const mine = `${ing.id.namespace}/${cov.secretName}`;
  const className = classOf(ing);
  const uri = cov.entry.source?.uri;
  cov.hosts.forEach((host, i) => {
    const others = (claims.get(`${className}\n${host}`) ?? [])
      .filter(
        (c) =>
          !(c.cov.ingress.id.namespace === ing.id.namespace && c.cov.ingress.id.name === ing.id.name) &&
          c.secret !== mine &&
          c.fingerprint !== fingerprint,
      )
      .sort(
        (a, b) =>
          Number(b.cov.entry.source?.uri === uri) - Number(a.cov.entry.source?.uri === uri) ||
          idText(a.cov.ingress.id).localeCompare(idText(b.cov.ingress.id)),
      );
    const other = others[0];
    if (!other) return;
    const theirs = idText(other.cov.ingress.id);
    const where = other.cov.entry.source;
    report(
      {
        ruleId: 'ingress-tls-secret-conflict',
        severity: where?.uri === uri ? 'warning' : 'information',
        message: `Host "${host}" takes its certificate from Secret ${mine} here, but Ingress ${theirs}${className ? ` (same class ${className})` : ''} gives it Secret ${other.secret}, which holds another certificate: the controller serves one certificate per host, so one of them is ignored`,
        at: cov.entry.hostSources?.[i],
        related: where
          ? [{ ...where, message: `Ingress ${theirs} names Secret ${other.secret} for ${host} here` }]
          : undefined,
        data: { host },
      },
      cov.problems,
    );
  });
}
