// Hover on a BackendTLSPolicy's kind, name or `spec`: what the Gateway does when it connects to the
// target Services (TLS with the SNI of `hostname`, the CA set it validates against), the policy's
// Accepted and ResolvedRefs conditions when they are False, and per target the certificates the pods
// behind it serve, when the workspace holds them: whether each carries the name the policy validates and
// whether its chain leads to the policy's CA (engine/gateway/backend-tls.ts decides; this only words it).

import type { BackendTlsPolicyState, CertificateCheck } from '../engine/gateway';

const esc = (s: string): string => s.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
const code = (s: string): string => '`' + s.replace(/`/g, "'") + '`';

function servedLines(c: CertificateCheck): string[] {
  return c.served.map((s) => {
    const name = s.matches ? `carries ${esc(c.expected)}` : `does **not** carry ${esc(c.expected)}`;
    const chain =
      s.trusted === undefined
        ? ''
        : s.trusted
          ? '; its chain leads to the policy’s CA'
          : `; its chain does **not** lead to the policy’s CA${s.end ? ` (it ends at ${code(s.end.subject)}, issued by ${code(s.end.issuer)})` : ''}`;
    return `  - Secret ${code(s.secret)} mounted by ${esc(s.workload)}: ${code(s.subject)}${s.selfSigned ? ' (self-signed)' : `, issued by ${code(s.issuer)}`}; ${name}${chain}`;
  });
}

/** The summary of one BackendTLSPolicy. */
export function backendTlsMarkdown(st: BackendTlsPolicyState): string {
  const p = st.policy;
  const ca = p.caCertificateRefs.length
    ? `the CA certificates of ${p.caCertificateRefs.map((c) => `${c.kind} ${code(c.name)}`).join(', ')} (key ${code('ca.crt')})`
    : `the CA set ${code(p.wellKnownCACertificates ?? 'System')}, which the Gateway’s implementation holds (not checkable offline)`;
  const validated = p.subjectAltNames?.length
    ? `one of its subjectAltNames (${p.subjectAltNames.map((s) => code(s.hostname ?? s.uri ?? '')).join(', ')})`
    : `the hostname ${code(p.hostname ?? '')}`;
  const lines = [
    `**BackendTLSPolicy ${esc(`${p.id.namespace}/${p.id.name}`)}**: the Gateway connects to its targets over TLS, sending SNI ${code(p.hostname ?? '')}, and accepts a backend certificate that carries ${validated} and chains to ${ca}.`,
  ];
  for (const c of [st.accepted, st.resolvedRefs])
    if (c.status === 'False') lines.push(`- ${c.type}: False (${c.reason}): ${esc(c.message)}`);
  for (const t of st.targets) {
    const target = `${t.ref.kind} ${code(t.ref.name)}${t.ref.sectionName ? ` port ${code(t.ref.sectionName)}` : ''}`;
    if (t.problem) lines.push(`- ${target}: ${esc(t.problem)}`);
    else if (t.conflictedBy)
      lines.push(
        `- ${target}: BackendTLSPolicy ${code(`${t.conflictedBy.id.namespace}/${t.conflictedBy.id.name}`)} applies instead (older, or first by namespace/name)`,
      );
    else if (t.certificate) lines.push(`- ${target}: the pods serve`, ...servedLines(t.certificate));
    else
      lines.push(
        `- ${target}: the certificate its pods serve is not in these manifests (no mounted TLS Secret found), so it is not checked here`,
      );
  }
  return lines.join('\n');
}
