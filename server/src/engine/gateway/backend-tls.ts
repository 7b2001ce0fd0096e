// BackendTLSPolicy: which policy applies to a Service (port), and the conditions a controller writes
// on it (apis/v1 backendtlspolicy_types.go; conformance tests backendtlspolicy,
// backendtlspolicy-invalid-ca-certificate-ref, backendtlspolicy-invalid-kind,
// backendtlspolicy-conflict-resolution):
//   Accepted     True Accepted | False TargetNotFound (no such Service, or no port named sectionName)
//                | False Conflicted (an older policy, or the first by namespace/name, selects the same
//                  target and sectionName) | False NoValidCACertificate (every caCertificateRef invalid)
//   ResolvedRefs True ResolvedRefs | False InvalidKind (a CA reference that is not a core ConfigMap)
//                | False InvalidCACertificateRef (a ConfigMap that is missing or has no PEM `ca.crt`)
// A ConfigMap is judged missing only when the manifests hold ConfigMaps of the policy's namespace (CA
// bundles are often made by other tooling); otherwise the reference is taken as resolvable.
// Connections through a policy with an invalid CA reference fail: the route resolver answers 5xx.
// When the pods behind a target mount a TLS Secret the manifests hold, its certificate must carry the
// policy's subjectAltNames (or hostname), and its chain must lead to a CA of the caCertificateRefs
// ConfigMaps (the model's CaBundleInfo verifies names and signatures); otherwise the handshake fails
// (5xx) too. wellKnownCACertificates cannot be checked offline: said, not judged.

import type { Cluster, SecretInfo, ServiceInfo, ServicePortInfo } from '../types';
import { clusterMemo } from '../cluster-index';
import type { BackendTlsPolicyInfo, CaBundleInfo, ChainVerdict } from './types';
import type { Condition } from './graph';
import { compareByAge } from './attach';
import { hostCovers } from '../host-name';
import { routeGraph } from '../route/graph';

type Names = NonNullable<SecretInfo['certificate']>;

/** A certificate without any subjectAltName whose Common Name covers the policy's hostname (the policy
 * giving no subjectAltNames). Envoy, under Envoy Gateway, Istio and Contour, matches subjectAltNames
 * only and refuses it; NGINX, under NGINX Gateway Fabric and Kong, verifies with OpenSSL's host check,
 * which falls back to the Common Name when the certificate has no DNS name. */
function commonNameOnly(policy: BackendTlsPolicyInfo, c: Names): boolean {
  const h = policy.hostname?.toLowerCase();
  if (!h || policy.subjectAltNames?.length) return false;
  if (c.dnsNames.length || c.ipAddresses.length || c.uris.length) return false;
  const cn = /(?:^|, )CN=([^,]+)/.exec(c.subject)?.[1]?.trim().toLowerCase();
  return !!cn && hostCovers(cn, h);
}

/** Does a certificate carry what the policy validates? subjectAltNames when given (one must match:
 * Hostname against the DNS names, URI exactly), else the hostname (DNS names, or an IP name). */
function carries(policy: BackendTlsPolicyInfo, c: Names): boolean {
  const sans = policy.subjectAltNames ?? [];
  if (sans.length)
    return sans.some((s) =>
      s.type === 'Hostname'
        ? !!s.hostname && c.dnsNames.some((n) => hostCovers(n.toLowerCase(), s.hostname!))
        : s.type === 'URI'
          ? !!s.uri && c.uris.includes(s.uri)
          : false,
    );
  const h = policy.hostname?.toLowerCase();
  if (!h) return true;
  return c.dnsNames.some((n) => hostCovers(n.toLowerCase(), h)) || c.ipAddresses.includes(h);
}

function expectedText(policy: BackendTlsPolicyInfo): string {
  const sans = policy.subjectAltNames ?? [];
  if (sans.length)
    return `${sans.length === 1 ? 'its subjectAltName' : 'any of its subjectAltNames'} ${sans.map((s) => (s.type === 'URI' ? `URI ${s.uri ?? ''}` : `${s.type} ${s.hostname ?? ''}`)).join(', ')}`;
  return `its hostname ${policy.hostname ?? ''}`;
}

/** The CA bundles a policy's certificate check uses: every caCertificateRef's ConfigMap with a readable
 * `ca.crt` (more than one reference is implementation-specific: their CAs are taken together here);
 * undefined when the chain cannot be judged (no reference, or one not in the manifests). */
function caBundlesOf(
  cluster: Cluster,
  policy: BackendTlsPolicyInfo,
  caRefs: CaRefState[],
): { names: string[]; bundles: CaBundleInfo[] } | undefined {
  if (!caRefs.length || caRefs.some((c) => c.unknown)) return undefined;
  const names: string[] = [];
  const bundles: CaBundleInfo[] = [];
  for (const c of caRefs) {
    if (!c.valid) continue;
    const cm = (cluster.configMaps ?? []).find(
      (m) => m.id.namespace === policy.id.namespace && m.id.name === c.ref.name,
    );
    if (!cm?.ca) continue;
    names.push(`ConfigMap ${policy.id.namespace}/${cm.id.name} (${cm.ca.subjects.join('; ')})`);
    bundles.push(cm.ca);
  }
  return bundles.length ? { names, bundles } : undefined;
}

/** The certificates the workloads behind a Service serve, checked against the policy; undefined when
 * none of them mounts a TLS Secret the manifests hold with a readable certificate. */
function checkCertificates(
  cluster: Cluster,
  policy: BackendTlsPolicyInfo,
  service: ServiceInfo,
  cas: { names: string[]; bundles: CaBundleInfo[] } | undefined,
): CertificateCheck | undefined {
  const ns = service.id.namespace;
  const workloads = routeGraph(cluster).services.get(`${ns}/${service.id.name}`)?.workloads ?? [];
  const served: CertificateCheck['served'] = [];
  for (const w of workloads) {
    for (const name of w.secretVolumes ?? []) {
      const secret = cluster.secrets.find((s) => s.id.namespace === ns && s.id.name === name);
      if (!secret?.certificate) continue;
      const c = secret.certificate;
      served.push({
        workload: `${w.id.kind} ${ns}/${w.id.name}`,
        secret: `${ns}/${name}`,
        names: [...c.dnsNames, ...c.ipAddresses, ...c.uris],
        matches: carries(policy, c),
        ...(commonNameOnly(policy, c) ? { commonNameOnly: true } : {}),
        subject: c.subject,
        issuer: c.issuer,
        selfSigned: c.selfSigned,
        ...(cas ? trustOfChain(cas.bundles, c.chain) : {}),
      });
    }
  }
  if (!served.length) return undefined;
  const trust = trustOf(policy, service, served, cas);
  const expected = expectedText(policy);
  // a workload may mount several certificates: it fails only when none of them matches
  const byWorkload = new Map<string, boolean>();
  for (const s of served) byWorkload.set(s.workload, (byWorkload.get(s.workload) ?? false) || s.matches);
  const failing = [...byWorkload].filter(([, ok]) => !ok).map(([w]) => w);
  if (failing.length === 0) return { served, mismatch: false, expected, ...trust };
  // the certificates that miss name the hostname in their Common Name only (no subjectAltName at all):
  // implementations differ, so not a certain failure
  const cnOnly = served.filter((s) => failing.includes(s.workload));
  if (cnOnly.every((s) => s.commonNameOnly))
    return {
      served,
      mismatch: false,
      expected,
      commonNameOnly: true,
      message: `the certificate the Service's pods serve names ${policy.hostname ?? ''} only in its Common Name and has no subjectAltName (${cnOnly.map((s) => `Secret ${s.secret} mounted by ${s.workload} holds "${s.subject}"`).join('; ')})`,
      ...trust,
    };
  const shown = served
    .filter((s) => failing.includes(s.workload))
    .map((s) => `Secret ${s.secret} mounted by ${s.workload} names ${s.names.join(', ') || 'nothing'}`)
    .join('; ');
  const all = failing.length === byWorkload.size;
  return {
    served,
    mismatch: all,
    expected,
    message: `the certificate the Service's pods serve does not carry ${expected} (${shown})${all ? '' : `; the other pods of Service ${ns}/${service.id.name} serve one that does`}`,
    ...trust,
  };
}

/** One served chain against the policy's bundles: trusted by one of them, or where it ends. */
function trustOfChain(
  bundles: CaBundleInfo[],
  chain: readonly string[],
): Pick<CertificateCheck['served'][number], 'trusted' | 'end' | 'sameNameOnly'> {
  let failed: ChainVerdict | undefined;
  for (const b of bundles) {
    const v = b.check(chain);
    if (v.trusted) return { trusted: true };
    if (!failed || v.sameNameOnly) failed = v;
  }
  return {
    trusted: false,
    ...(failed?.end ? { end: failed.end } : {}),
    ...(failed?.sameNameOnly ? { sameNameOnly: true } : {}),
  };
}

/** How a served certificate that no CA trusts is shown: the leaf, where its chain ends, and a CA that
 * only has the issuer's name. */
function untrustedText(s: CertificateCheck['served'][number]): string {
  const head = `Secret ${s.secret} mounted by ${s.workload} holds "${s.subject}"${s.selfSigned ? ' (self-signed)' : ` issued by "${s.issuer}"`}`;
  const end =
    s.end && s.end.subject !== s.subject
      ? `; its chain ends at "${s.end.subject}" issued by "${s.end.issuer}"`
      : '';
  const same = s.sameNameOnly
    ? `; the CA named "${s.end?.issuer ?? s.issuer}" in the ConfigMap did not sign it (another key under the same name)`
    : '';
  return head + end + same;
}

/** The chain check of the served certificates: against the policy's CA ConfigMaps (a workload fails
 * when no certificate it mounts chains to one of their CAs), or, for wellKnownCACertificates, what
 * cannot be known offline. */
function trustOf(
  policy: BackendTlsPolicyInfo,
  service: ServiceInfo,
  served: CertificateCheck['served'],
  cas: { names: string[]; bundles: CaBundleInfo[] } | undefined,
): Pick<CertificateCheck, 'untrusted' | 'trustMessage' | 'wellKnown'> {
  const svc = `${service.id.namespace}/${service.id.name}`;
  if (cas) {
    const byWorkload = new Map<string, boolean>();
    for (const s of served) byWorkload.set(s.workload, (byWorkload.get(s.workload) ?? false) || !!s.trusted);
    const failing = [...byWorkload].filter(([, ok]) => !ok).map(([w]) => w);
    if (!failing.length) return {};
    const all = failing.length === byWorkload.size;
    const shown = served
      .filter((s) => failing.includes(s.workload) && !s.trusted)
      .map(untrustedText)
      .join('; ');
    return {
      untrusted: all,
      trustMessage: `the certificate the Service's pods serve does not chain to a CA of ${cas.names.join(' or ')}: ${shown}${all ? '' : `; the other pods of Service ${svc} serve one that does`}`,
    };
  }
  const wk = policy.wellKnownCACertificates;
  if (!wk || policy.caCertificateRefs.length) return {};
  const selfSigned = served.filter((s) => s.selfSigned);
  const set = wk === 'System' ? "the system's well-known CA certificates" : `the CA set ${wk}`;
  return {
    wellKnown: {
      likelyUntrusted: wk === 'System' && selfSigned.length === served.length,
      message:
        `the certificate the pods of Service ${svc} serve is checked against ${set}, which the Gateway's implementation holds: its chain cannot be checked offline` +
        (selfSigned.length
          ? `; ${selfSigned.map((s) => `Secret ${s.secret} holds a self-signed certificate ("${s.subject}")`).join('; ')}, which no well-known CA issued${wk === 'System' ? ', so the handshake fails unless that implementation trusts it some other way' : ''}`
          : ` (Secret ${served[0].secret} holds "${served[0].subject}" issued by "${served[0].issuer}")`),
    },
  };
}

export interface CaRefState {
  ref: BackendTlsPolicyInfo['caCertificateRefs'][number];
  valid: boolean;
  reason?: 'InvalidKind' | 'InvalidCACertificateRef';
  message?: string;
  /** True when the ConfigMap is not in the manifests and none of its namespace is, or when the
   * reference names a core Secret (which only some implementations read): not judged. */
  unknown?: boolean;
  /** The reference names a core Secret (implementation-specific support). */
  secretKind?: true;
  /** True when the ConfigMap is absent from manifests that hold others of its namespace: judged
   * invalid, though it may be created outside them (a CA bundle is often made by a tool or a script). */
  missing?: boolean;
}

export interface TargetState {
  ref: BackendTlsPolicyInfo['targetRefs'][number];
  service?: ServiceInfo;
  /** The Service port sectionName names (a port name). */
  port?: ServicePortInfo;
  /** Why the target is not found (undefined when found, or not judged: a kind other than Service). */
  problem?: string;
  /** The policy that takes precedence for this target and sectionName, when another one does. */
  conflictedBy?: BackendTlsPolicyInfo;
  /** The certificates the target Service's pods serve, checked against the policy (undefined when the
   * manifests hold no certificate those pods mount). */
  certificate?: CertificateCheck;
}

/** The certificates the pods behind a target mount (TLS Secrets with a readable certificate), each
 * checked against the policy's subjectAltNames, or its hostname when it has none. */
export interface CertificateCheck {
  served: {
    workload: string;
    secret: string;
    names: string[];
    matches: boolean;
    /** The leaf's subject and issuer. */
    subject: string;
    issuer: string;
    selfSigned: boolean;
    /** Whether its chain leads to a CA of the policy's ConfigMaps (undefined: not judged). */
    trusted?: boolean;
    /** Not trusted: where its chain ends, and whether a CA only has the issuer's name. */
    end?: { subject: string; issuer: string };
    sameNameOnly?: boolean;
    /** It misses only for want of a subjectAltName: its Common Name covers the hostname. */
    commonNameOnly?: boolean;
  }[];
  /** True when no served certificate chains to a CA of the policy's caCertificateRefs. */
  untrusted?: boolean;
  /** Why (some of) the pods' certificates are not trusted, naming subjects and issuers. */
  trustMessage?: string;
  /** wellKnownCACertificates: not checkable offline (and, for System, whether the certificates are all
   * self-signed, which no well-known CA trusts). */
  wellKnown?: { likelyUntrusted: boolean; message: string };
  /** True when no served certificate carries what the policy validates: the handshake fails. */
  mismatch: boolean;
  /** The certificates that miss carry the hostname in their Common Name only: whether the handshake
   * fails depends on the implementation (message says which). */
  commonNameOnly?: boolean;
  /** What the policy validates, for messages ("hostname abc.example.com"). */
  expected: string;
  /** Why the handshake fails (undefined when some certificate matches). */
  message?: string;
}

export interface BackendTlsPolicyState {
  policy: BackendTlsPolicyInfo;
  targets: TargetState[];
  caRefs: CaRefState[];
  accepted: Condition;
  resolvedRefs: Condition;
}

export interface BackendTlsGraph {
  policies: BackendTlsPolicyState[];
  byPolicy: Map<BackendTlsPolicyInfo, BackendTlsPolicyState>;
}

function sameGroupCore(g: string): boolean {
  return g === '' || g === 'core';
}

function targetKey(ns: string, t: BackendTlsPolicyInfo['targetRefs'][number]): string {
  return `${ns}\0${t.group === 'core' ? '' : t.group}\0${t.kind}\0${t.name}\0${t.sectionName ?? ''}`;
}

function judgeCa(
  cluster: Cluster,
  ns: string,
  ref: BackendTlsPolicyInfo['caCertificateRefs'][number],
): CaRefState {
  // a core Secret holding the CA: implementation-specific support (apis/v1 BackendTLSPolicyValidation:
  // "other kinds of resources"), read by some controllers; not judged
  if (sameGroupCore(ref.group) && ref.kind === 'Secret')
    return { ref, valid: true, unknown: true, secretKind: true };
  if (!sameGroupCore(ref.group) || ref.kind !== 'ConfigMap') {
    return {
      ref,
      valid: false,
      reason: 'InvalidKind',
      message: `the caCertificateRef ${ref.kind || '(no kind)'}${ref.group ? ` of group ${ref.group}` : ''} "${ref.name}" is not a core ConfigMap (the only kind every implementation reads)`,
    };
  }
  const maps = cluster.configMaps ?? [];
  const cm = maps.find((c) => c.id.namespace === ns && c.id.name === ref.name);
  if (!cm) {
    if (!maps.some((c) => c.id.namespace === ns)) return { ref, valid: true, unknown: true };
    return {
      ref,
      valid: false,
      reason: 'InvalidCACertificateRef',
      missing: true,
      message: `ConfigMap ${ns}/${ref.name} does not exist in these manifests`,
    };
  }
  if (cm.caCrt === 'missing')
    return {
      ref,
      valid: false,
      reason: 'InvalidCACertificateRef',
      message: `ConfigMap ${ns}/${ref.name} has no key ca.crt${cm.keys.length ? ` (its keys: ${cm.keys.join(', ')})` : ' (it is empty)'}`,
    };
  if (cm.caCrt === 'not-pem')
    return {
      ref,
      valid: false,
      reason: 'InvalidCACertificateRef',
      message: `the ca.crt of ConfigMap ${ns}/${ref.name} is not a PEM certificate (-----BEGIN CERTIFICATE----- ...)`,
    };
  return { ref, valid: true };
}

export function backendTlsGraph(cluster: Cluster): BackendTlsGraph {
  return clusterMemo(cluster, 'backend-tls-graph', () => buildBackendTlsGraph(cluster));
}

function buildBackendTlsGraph(cluster: Cluster): BackendTlsGraph {
  const all = [...(cluster.backendTlsPolicies ?? [])].sort(compareByAge);
  const winner = new Map<string, BackendTlsPolicyInfo>();
  const policies: BackendTlsPolicyState[] = [];
  const byPolicy = new Map<BackendTlsPolicyInfo, BackendTlsPolicyState>();
  for (const p of all) {
    const ns = p.id.namespace;
    const caRefs = p.caCertificateRefs.map((c) => judgeCa(cluster, ns, c));
    const cas = caBundlesOf(cluster, p, caRefs);
    const targets: TargetState[] = p.targetRefs.map((ref) => {
      const t: TargetState = { ref };
      if (sameGroupCore(ref.group) && ref.kind === 'Service') {
        t.service = cluster.services.find((s) => s.id.namespace === ns && s.id.name === ref.name);
        if (!t.service) t.problem = `Service ${ns}/${ref.name} does not exist in these manifests`;
        else if (ref.sectionName !== undefined) {
          t.port = t.service.ports.find((x) => x.name === ref.sectionName);
          if (!t.port) {
            const names = t.service.ports.map((x) => x.name).filter((x): x is string => !!x);
            t.problem = `Service ${ns}/${ref.name} has no port named "${ref.sectionName}" (${names.length ? `its port names: ${names.join(', ')}` : 'its ports have no names'})`;
          }
        }
      }
      if (t.service && !t.problem) t.certificate = checkCertificates(cluster, p, t.service, cas);
      const key = targetKey(ns, ref);
      const first = winner.get(key);
      // (the same target twice in one policy is the CRD's to reject: backendtlspolicy-invalid)
      if (first && first !== p) t.conflictedBy = first;
      else if (!first) winner.set(key, p);
      return t;
    });
    const badCa = caRefs.filter((c) => !c.valid);
    const resolvedRefs: Condition = badCa.length
      ? {
          type: 'ResolvedRefs',
          status: 'False',
          reason: badCa[0].reason!,
          message: badCa.map((c) => c.message).join('; '),
        }
      : { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: 'all references resolved' };
    let accepted: Condition = {
      type: 'Accepted',
      status: 'True',
      reason: 'Accepted',
      message: 'policy accepted',
    };
    const conflicted = targets.filter((t) => t.conflictedBy);
    const missing = targets.filter((t) => t.problem);
    if (caRefs.length > 0 && badCa.length === caRefs.length) {
      accepted = {
        type: 'Accepted',
        status: 'False',
        reason: 'NoValidCACertificate',
        message: `no caCertificateRef is valid: ${badCa.map((c) => c.message).join('; ')}`,
      };
    } else if (targets.length > 0 && conflicted.length === targets.length) {
      const by = conflicted[0].conflictedBy!;
      accepted = {
        type: 'Accepted',
        status: 'False',
        reason: 'Conflicted',
        message: `BackendTLSPolicy ${by.id.namespace}/${by.id.name} selects the same target${conflicted[0].ref.sectionName ? ` and sectionName "${conflicted[0].ref.sectionName}"` : ''} and takes precedence (the older one, then the first by namespace/name)`,
      };
    } else if (targets.length > 0 && missing.length === targets.length) {
      accepted = {
        type: 'Accepted',
        status: 'False',
        reason: 'TargetNotFound',
        message: missing.map((t) => t.problem).join('; '),
      };
    }
    const st = { policy: p, targets, caRefs, accepted, resolvedRefs };
    policies.push(st);
    byPolicy.set(p, st);
  }
  return { policies, byPolicy };
}

export interface AppliedBackendTls {
  state: BackendTlsPolicyState;
  /** Connections fail (5xx) when the policy's CA references are invalid. */
  fails: boolean;
  message: string;
}

/** How a resolved backend reports the policy that applies to it. */
export function backendTlsSummary(bt: AppliedBackendTls): {
  policy: string;
  hostname: string | null;
  invalid: boolean;
  message: string;
} {
  return {
    policy: `${bt.state.policy.id.namespace}/${bt.state.policy.id.name}`,
    hostname: bt.state.policy.hostname ?? null,
    invalid: bt.fails,
    message: bt.message,
  };
}

/** The BackendTLSPolicy that applies to a Service port (a policy naming the port by sectionName wins
 * over one for the whole Service; among policies for the same target the precedence above), or
 * undefined when none does. */
export function backendTlsFor(
  cluster: Cluster,
  service: ServiceInfo,
  port: ServicePortInfo | undefined,
): AppliedBackendTls | undefined {
  const g = backendTlsGraph(cluster);
  let best: { st: BackendTlsPolicyState; specific: boolean } | undefined;
  for (const st of g.policies) {
    if (st.accepted.status === 'False' && st.accepted.reason !== 'NoValidCACertificate') continue;
    for (const t of st.targets) {
      if (t.service !== service || t.conflictedBy) continue;
      if (t.ref.sectionName !== undefined && (!port || t.port !== port)) continue;
      const specific = t.ref.sectionName !== undefined;
      if (!best || (specific && !best.specific)) best = { st, specific };
    }
  }
  if (!best) return undefined;
  const st = best.st;
  const name = `BackendTLSPolicy ${st.policy.id.namespace}/${st.policy.id.name}`;
  if (st.resolvedRefs.status === 'False') {
    return {
      state: st,
      fails: true,
      message: `${name} validates this backend's certificate against an invalid CA reference (${st.resolvedRefs.reason}: ${st.resolvedRefs.message}): connections to it fail and the Gateway answers 5xx`,
    };
  }
  const cert = st.targets.find((t) => t.service === service && t.certificate)?.certificate;
  if (cert?.mismatch) {
    return {
      state: st,
      fails: true,
      message: `${name}: ${cert.message}: the Gateway's TLS handshake with this backend fails and it answers 5xx`,
    };
  }
  if (cert?.untrusted) {
    return {
      state: st,
      fails: true,
      message: `${name}: ${cert.trustMessage}: the Gateway's TLS handshake with this backend fails and it answers 5xx`,
    };
  }
  const ca = st.policy.caCertificateRefs.length
    ? `CA ConfigMap ${st.policy.caCertificateRefs.map((c) => c.name).join(', ')}`
    : `the ${st.policy.wellKnownCACertificates ?? 'System'} CA set`;
  return {
    state: st,
    fails: false,
    message: `${name}: the Gateway connects to this backend over TLS with SNI ${st.policy.hostname ?? '(none)'}, checking its certificate against ${ca}`,
  };
}
