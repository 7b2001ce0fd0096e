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

import type { Cluster, SecretInfo, ServiceInfo, ServicePortInfo } from '../types';
import { clusterMemo } from '../cluster-index';
import type { BackendTlsPolicyInfo } from './types';
import type { Condition } from './graph';
import { compareByAge } from './attach';
import { hostCovers } from '../host-name';
import { routeGraph } from '../route/graph';

type Names = NonNullable<SecretInfo['certificate']>;

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

/** The certificates the workloads behind a Service serve, checked against the policy; undefined when
 * none of them mounts a TLS Secret the manifests hold with a readable certificate. */
function checkCertificates(
  cluster: Cluster,
  policy: BackendTlsPolicyInfo,
  service: ServiceInfo,
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
      });
    }
  }
  if (!served.length) return undefined;
  const expected = expectedText(policy);
  // a workload may mount several certificates: it fails only when none of them matches
  const byWorkload = new Map<string, boolean>();
  for (const s of served) byWorkload.set(s.workload, (byWorkload.get(s.workload) ?? false) || s.matches);
  const failing = [...byWorkload].filter(([, ok]) => !ok).map(([w]) => w);
  if (failing.length === 0) return { served, mismatch: false, expected };
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
  };
}

export interface CaRefState {
  ref: BackendTlsPolicyInfo['caCertificateRefs'][number];
  valid: boolean;
  reason?: 'InvalidKind' | 'InvalidCACertificateRef';
  message?: string;
  /** True when the ConfigMap is not in the manifests and none of its namespace is (not judged). */
  unknown?: boolean;
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
  served: { workload: string; secret: string; names: string[]; matches: boolean }[];
  /** True when no served certificate carries what the policy validates: the handshake fails. */
  mismatch: boolean;
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
      if (t.service && !t.problem) t.certificate = checkCertificates(cluster, p, t.service);
      const key = targetKey(ns, ref);
      const first = winner.get(key);
      // (the same target twice in one policy is the CRD's to reject: backendtlspolicy-invalid)
      if (first && first !== p) t.conflictedBy = first;
      else if (!first) winner.set(key, p);
      return t;
    });
    const caRefs = p.caCertificateRefs.map((c) => judgeCa(cluster, ns, c));
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
  const ca = st.policy.caCertificateRefs.length
    ? `CA ConfigMap ${st.policy.caCertificateRefs.map((c) => c.name).join(', ')}`
    : `the ${st.policy.wellKnownCACertificates ?? 'System'} CA set`;
  return {
    state: st,
    fails: false,
    message: `${name}: the Gateway connects to this backend over TLS with SNI ${st.policy.hostname ?? '(none)'}, checking its certificate against ${ca}`,
  };
}
