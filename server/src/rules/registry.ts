// Every rule, in one list. The server, the CLI and the docs read it.

import type { Rule, Severity } from './types';
import { schemaRule } from './schema';
import { rule as apiRemoved } from './api-removed';
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
import { rule as serviceNoPorts } from './service-no-ports';
import { rule as nodePortRange } from './service-node-port-range';
import { rule as cidrInvalid } from './cidr-invalid';
import { rule as endPort } from './netpol-end-port';
import { rule as secretBase64 } from './secret-data-base64';
import { rule as secretTlsKeys } from './secret-tls-keys';
import { rule as workloadSelector } from './workload-selector-mismatch';
import { FILE_RULES } from './file-checks';

/** Rules that look at one resource only: their findings are cached with the document. */
export const LOCAL_RULES: Rule[] = [
  schemaRule,
  ingressLegacyApi,
  apiRemoved,
  metadataName,
  labelInvalid,
  selectorExpression,
  ingressHost,
  ingressPath,
  ingressBackend,
  ingressRuleNoHost,
  ingressTlsNoHosts,
  portInvalid,
  portNameInvalid,
  serviceSpec,
  serviceNoPorts,
  nodePortRange,
  cidrInvalid,
  endPort,
  secretBase64,
  secretTlsKeys,
  workloadSelector,
];

/** Rules that read other resources through the index: re-run when anything changes. */
export const CROSS_RULES: Rule[] = [ingressTlsSecretType];

export interface RuleInfo {
  id: string;
  defaultSeverity: Severity;
  description: string;
}

export function allRuleInfos(): RuleInfo[] {
  const out: RuleInfo[] = [...FILE_RULES];
  for (const r of [...LOCAL_RULES, ...CROSS_RULES]) {
    out.push({ id: r.id, defaultSeverity: r.defaultSeverity, description: r.description });
    for (const x of r.extraIds ?? []) out.push(x);
  }
  return out;
}
