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

import type { Cluster, ServiceInfo, ServicePortInfo } from '../types';
import { clusterMemo } from '../cluster-index';
import type { BackendTlsPolicyInfo } from './types';
import type { Condition } from './graph';
import { compareByAge } from './attach';

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
  const ca = st.policy.caCertificateRefs.length
    ? `CA ConfigMap ${st.policy.caCertificateRefs.map((c) => c.name).join(', ')}`
    : `the ${st.policy.wellKnownCACertificates ?? 'System'} CA set`;
  return {
    state: st,
    fails: false,
    message: `${name}: the Gateway connects to this backend over TLS with SNI ${st.policy.hostname ?? '(none)'}, checking its certificate against ${ca}`,
  };
}
