// The TLS side of the route graph: each tls entry of an Ingress and its Secret, with the problems of a
// Secret that is missing (or that cert-manager will create) and of a Secret used for TLS that is not
// of type kubernetes.io/tls.

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
