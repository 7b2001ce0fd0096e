// Every rule, in one list. The server, the CLI and the docs read it.

import type { CrossFileRule, FileRule, Rule, RuleInfo } from './types';
import { schemaRule } from './schema';
import { rule as apiRemoved } from './api-removed';
import { rule as fieldDeprecated } from './field-deprecated';
import { rule as referenceName } from './reference-name-invalid';
import { rule as netpolPeerSelectsNothing } from './netpol-peer-selects-nothing';
import { rule as netpolSelectorEmptyLabels } from './netpol-selector-empty-labels';
import { rule as ingressLegacyApi } from './ingress-legacy-api';
import { rule as metadataName } from './metadata-name-invalid';
import { rule as labelInvalid } from './label-invalid';
import { rule as selectorExpression } from './selector-expression-invalid';
import { rule as ingressHost } from './ingress-host-invalid';
import { rule as ingressPath } from './ingress-path-invalid';
import { rule as ingressBackend } from './ingress-backend-invalid';
import { rule as ingressRuleNoHost } from './ingress-rule-no-host';
import { rule as ingressTlsNoHosts } from './ingress-tls-no-hosts';
import { rule as ingressTlsSecretType } from './ingress-tls-secret-type';
import { rule as portInvalid } from './port-invalid';
import { rule as portNameInvalid } from './port-name-invalid';
import { rule as serviceSpec } from './service-spec-invalid';
import { rule as serviceFieldIgnored } from './service-field-ignored';
import { rule as containerPortConflict } from './container-port-conflict';
import { rule as probePortUnknown } from './probe-port-unknown';
import { rule as podNetworkInvalid } from './pod-network-invalid';
import { rule as endpointsInvalid } from './endpoints-invalid';
import { rule as statefulsetServiceNotHeadless } from './statefulset-service-not-headless';
import { rule as serviceEndpointsPortMismatch } from './service-endpoints-port-mismatch';
import { rule as serviceNoPorts } from './service-no-ports';
import { rule as nodePortRange } from './service-node-port-range';
import { rule as cidrInvalid } from './cidr-invalid';
import { rule as endPort } from './netpol-end-port';
import { rule as netpolSpec } from './netpol-spec-invalid';
import { rule as ingressSpec } from './ingress-spec-invalid';
import { rule as ingressClassInvalid } from './ingressclass-invalid';
import { rule as secretBase64 } from './secret-data-base64';
import { rule as secretTlsKeys } from './secret-tls-keys';
import { rule as workloadSelector } from './workload-selector-mismatch';
import { FILE_RULES } from './file-checks';
import { rule as ingressTlsSecretMissing } from './ingress-tls-secret-missing';
import { rule as ingressTlsSecretConflict } from './ingress-tls-secret-conflict';
import { rule as ingressTlsHostUncovered } from './ingress-tls-host-uncovered';
import { rule as tlsSecretKeysMissing } from './tls-secret-keys-missing';
import { rule as tlsCertificateInvalid } from './tls-certificate-invalid';
import { rule as tlsKeyInvalid } from './tls-key-invalid';
import { rule as tlsKeyMismatch } from './tls-key-mismatch';
import { rule as tlsCertificateHosts } from './tls-certificate-hosts';
import { rule as tlsCertificateExpiry } from './tls-certificate-expiry';
import { rule as backendServiceMissing } from './ingress-backend-service-missing';
import { rule as backendPortMissing } from './ingress-backend-port-missing';
import { rule as serviceSelectorNoMatch } from './service-selector-no-match';
import { rule as serviceTargetPort } from './service-target-port';
import { rule as ingressPathConflict } from './ingress-path-conflict';
import { rule as ingressClassUnknown } from './ingress-class-unknown';
import { rule as ingressClassAnnotation } from './ingress-class-annotation';
import { rule as ingressClassMultipleDefault } from './ingress-class-multiple-default';
import { rule as ingressPathRegex } from './ingress-path-regex';
import { rule as netpolSelectsNothing } from './netpol-selects-nothing';
import { rule as netpolNamespaceSelectorUnmatched } from './netpol-namespace-selector-unmatched';
import { rule as netpolEgressDnsBlocked } from './netpol-egress-dns-blocked';
import { rule as netpolIngressControllerBlocked } from './netpol-ingress-controller-blocked';
import { rule as netpolNamedPortUnknown } from './netpol-named-port-unknown';
import { rule as netpolPeersOrMeantAnd } from './netpol-peers-or-meant-and';
import { rule as netpolPeersAndMeantOr } from './netpol-peers-and-meant-or';
import { rule as resourceDuplicate } from './resource-duplicate';
import { GATEWAY_RULES } from './gateway-rules';
import { rule as ingressAnnotationUnknown } from './ingress-annotation-unknown';
import { rule as ingressAnnotationValue } from './ingress-annotation-value';
import { rule as ingressAnnotationCombination } from './ingress-annotation-combination';
import { rule as ingressAnnotationSnippet } from './ingress-annotation-snippet';
import { rule as ingressNginxHostRegex } from './ingress-nginx-host-regex';
import { rule as ingressNginxCustomHeaders } from './ingress-nginx-custom-headers';
import { rule as ingressNginxRetired } from './ingress-nginx-retired';
import { TIER_RULES } from './tier-rules';

/** Every resource rule, in the order their findings are listed. Each declares its scope: file-local
 * rules get no index and their findings are cached with the document; cross-file rules re-run when
 * anything changes. */
export const RULES: Rule[] = [
  schemaRule,
  ingressLegacyApi,
  apiRemoved,
  fieldDeprecated,
  metadataName,
  referenceName,
  labelInvalid,
  selectorExpression,
  ingressHost,
  ingressPath,
  ingressBackend,
  ingressSpec,
  ingressClassInvalid,
  ingressRuleNoHost,
  ingressTlsNoHosts,
  portInvalid,
  portNameInvalid,
  containerPortConflict,
  probePortUnknown,
  podNetworkInvalid,
  endpointsInvalid,
  serviceSpec,
  serviceFieldIgnored,
  serviceNoPorts,
  nodePortRange,
  cidrInvalid,
  endPort,
  netpolSpec,
  netpolSelectorEmptyLabels,
  secretBase64,
  secretTlsKeys,
  workloadSelector,
  ingressClassAnnotation,
  ingressPathRegex,
  ingressAnnotationUnknown,
  ingressAnnotationValue,
  ingressAnnotationCombination,
  ingressAnnotationSnippet,
  ingressTlsHostUncovered,
  tlsCertificateInvalid,
  tlsKeyInvalid,
  tlsKeyMismatch,

  ingressTlsSecretType,
  backendServiceMissing,
  backendPortMissing,
  serviceSelectorNoMatch,
  serviceTargetPort,
  ingressPathConflict,
  ingressClassUnknown,
  ingressClassMultipleDefault,
  ingressNginxHostRegex,
  ingressNginxCustomHeaders,
  ingressNginxRetired,
  ingressTlsSecretMissing,
  ingressTlsSecretConflict,
  tlsSecretKeysMissing,
  tlsCertificateHosts,
  tlsCertificateExpiry,
  netpolSelectsNothing,
  netpolPeerSelectsNothing,
  netpolNamespaceSelectorUnmatched,
  netpolEgressDnsBlocked,
  netpolIngressControllerBlocked,
  netpolNamedPortUnknown,
  netpolPeersOrMeantAnd,
  netpolPeersAndMeantOr,
  resourceDuplicate,
  statefulsetServiceNotHeadless,
  serviceEndpointsPortMismatch,
  ...GATEWAY_RULES,
  ...TIER_RULES,
];

/** The file-local rules (`scope: 'file'`). */
export const LOCAL_RULES: FileRule[] = RULES.filter((r): r is FileRule => r.scope === 'file');
/** The cross-file rules (`scope: 'cross-file'`). */
export const CROSS_RULES: CrossFileRule[] = RULES.filter((r): r is CrossFileRule => r.scope === 'cross-file');

/** The rule that reports under an id (its own or one of its extra ids). */
export function ruleFor(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id || r.extraIds?.some((x) => x.id === id));
}

export function allRuleInfos(): RuleInfo[] {
  const out: RuleInfo[] = [...FILE_RULES];
  for (const r of RULES) {
    out.push({ id: r.id, defaultSeverity: r.defaultSeverity, description: r.description });
    for (const x of r.extraIds ?? []) out.push(x);
  }
  return out;
}
