// The Gateway API rules, in the order their findings are listed (the registry takes them in one piece).

import type { Rule } from './types';
import { rule as apiVersion } from './gateway-api-version';
import { rule as valueInvalid } from './gateway-value-invalid';
import { rule as limits } from './gateway-limits-exceeded';
import { rule as addressInvalid } from './gateway-address-invalid';
import { rule as listenerName } from './listener-name-duplicate';
import { rule as listenerConflict } from './listener-conflict';
import { rule as listenerHostname } from './listener-hostname-not-allowed';
import { rule as listenerTls } from './listener-tls-invalid';
import { rule as listenerProtocol } from './listener-protocol-invalid';
import { rule as pathInvalid } from './httproute-path-invalid';
import { rule as matchInvalid } from './route-match-invalid';
import { rule as filterInvalid } from './route-filter-invalid';
import { rule as backendPort } from './route-backend-port-missing';
import { rule as parentRefDuplicate } from './route-parent-ref-duplicate';
import { rule as backendTlsPolicy } from './backendtlspolicy-invalid';
import { rule as parentNotAccepted } from './route-parent-not-accepted';
import { rule as backendNotResolved } from './route-backend-not-resolved';
import { rule as classUnknown } from './gateway-class-unknown';
import { rule as grantUnused } from './referencegrant-unused';
import { rule as listenerCertificate } from './listener-certificate-invalid';
import { rule as gatewayTlsRef } from './gateway-tls-ref-invalid';
import { rule as listenerConflicted } from './listener-conflicted';
import { rule as listenerSetNotAccepted } from './listenerset-not-accepted';
import { rule as backendTlsNotAccepted } from './backendtlspolicy-not-accepted';
import { rule as backendTlsCertificate } from './backendtlspolicy-certificate-mismatch';
import { rule as backendTlsCa } from './backendtlspolicy-ca-untrusted';

export const GATEWAY_RULES: Rule[] = [
  apiVersion,
  valueInvalid,
  limits,
  addressInvalid,
  listenerName,
  listenerConflict,
  listenerHostname,
  listenerTls,
  listenerProtocol,
  pathInvalid,
  matchInvalid,
  filterInvalid,
  backendPort,
  parentRefDuplicate,
  backendTlsPolicy,
  // cross-resource: views of the engine's Gateway graph
  parentNotAccepted,
  backendNotResolved,
  classUnknown,
  grantUnused,
  listenerCertificate,
  gatewayTlsRef,
  listenerConflicted,
  listenerSetNotAccepted,
  backendTlsNotAccepted,
  backendTlsCertificate,
  backendTlsCa,
];
