// Values the API server treats as "not set". Several fields are plain Go values (int32, string,
// IntOrString) rather than pointers, so 0 and "" cannot be told apart from an omitted field: the
// defaulting code (pkg/apis/core/v1/defaults.go) fills some of them in (a Service targetPort of 0
// or "" becomes the port) and the validation code skips the others (a nodePort or hostPort of 0, an
// empty port name, an Ingress backend port number of 0 next to a name). Rules ask this module
// before calling such a value wrong.

import type { AstNode } from '../syntax/ast';
import { asScalar, asSeq, getValue } from '../syntax/ast';

/** Is this value the Go zero value of an int/string field (0 or ""), or absent/null? */
export function isUnsetValue(node: AstNode | null | undefined): boolean {
  if (!node) return true;
  const s = asScalar(node);
  if (!s) return false;
  return s.value === null || s.value === 0 || s.value === '';
}

/** Enumerated string fields whose empty value ("") the API server's defaulting replaces before it
 * validates, so that `""` is as good as leaving the field out: schema definition name → field names.
 * Read in kubernetes/kubernetes: pkg/apis/core/v1/defaults.go (SetDefaults_Service: type, sessionAffinity,
 * each port's protocol, and externalTrafficPolicy where the Service is reachable from outside and is
 * otherwise left empty, which validation asks for; SetDefaults_Container: imagePullPolicy,
 * terminationMessagePolicy; SetDefaults_PodSpec: dnsPolicy, restartPolicy; SetDefaults_HTTPGetAction:
 * scheme), the `+default="TCP"` of ContainerPort.protocol in
 * k8s.io/api core/v1 types.go, pkg/apis/apps/v1/defaults.go (the strategy types, StatefulSet
 * podManagementPolicy) and pkg/apis/batch/v1/defaults.go (CronJob concurrencyPolicy). A pointer field
 * (Ingress pathType, NetworkPolicy port protocol, internalTrafficPolicy, ipFamilyPolicy) is defaulted
 * only when absent: its "" is refused, so it is not listed. */
const EMPTY_MEANS_DEFAULT: Readonly<Record<string, readonly string[]>> = {
  'io.k8s.api.core.v1.ServiceSpec': ['type', 'sessionAffinity', 'externalTrafficPolicy'],
  'io.k8s.api.core.v1.ServicePort': ['protocol'],
  'io.k8s.api.core.v1.ContainerPort': ['protocol'],
  'io.k8s.api.core.v1.Container': ['imagePullPolicy', 'terminationMessagePolicy'],
  'io.k8s.api.core.v1.EphemeralContainer': ['imagePullPolicy', 'terminationMessagePolicy'],
  'io.k8s.api.core.v1.PodSpec': ['dnsPolicy', 'restartPolicy'],
  'io.k8s.api.core.v1.HTTPGetAction': ['scheme'],
  'io.k8s.api.apps.v1.DeploymentStrategy': ['type'],
  'io.k8s.api.apps.v1.DaemonSetUpdateStrategy': ['type'],
  'io.k8s.api.apps.v1.StatefulSetUpdateStrategy': ['type'],
  'io.k8s.api.apps.v1.StatefulSetSpec': ['podManagementPolicy'],
  'io.k8s.api.batch.v1.CronJobSpec': ['concurrencyPolicy'],
};

/** Does the API server replace an empty value of this field (of this schema definition) with its
 * default before validating? */
export function emptyMeansDefault(defName: string, field: string): boolean {
  return EMPTY_MEANS_DEFAULT[defName]?.includes(field) ?? false;
}

/** A Service's type as the API server reads it: ClusterIP when left out or "" (defaults.go). */
export function serviceTypeOf(spec: AstNode | null | undefined): string {
  const t = asScalar(getValue(spec, 'type'))?.value;
  return typeof t === 'string' && t !== '' ? t : 'ClusterIP';
}

/** A headless Service: of type ClusterIP with the cluster IP "None" (the first of clusterIPs when
 * given, as the API server keeps clusterIP and clusterIPs[0] the same). */
export function isHeadlessService(spec: AstNode | null | undefined): boolean {
  const ips = asSeq(getValue(spec, 'clusterIPs'))?.items ?? [];
  const first = asScalar(ips.length > 0 ? ips[0] : getValue(spec, 'clusterIP'))?.value;
  return serviceTypeOf(spec) === 'ClusterIP' && first === 'None';
}
