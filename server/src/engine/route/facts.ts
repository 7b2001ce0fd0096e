// Facts along a route that the route resolver (`kube-netlens route`, the URL tester) and the routing
// preview both show, worded and graded once here. The facts that rules report are the route graph's
// problems (service-facts.ts, tls-facts.ts); these are the others, plus the one wording a file-local
// rule shares with the route (a TLS Secret without its keys).

import type { IngressInfo, WorkloadInfo } from '../types';
import { idText } from '../types';
import type { ProblemSeverity } from './graph-types';

export interface RouteFact {
  severity: ProblemSeverity;
  message: string;
}

/** A workload scaled to zero: nothing answers, but an autoscaler (KEDA) or a later rollout may add
 * pods, so it is worth knowing rather than wrong. */
export function zeroReplicas(w: WorkloadInfo): RouteFact {
  return {
    severity: 'information',
    message: `${w.id.kind} ${idText(w.id)} has 0 replicas: no pod serves its routes`,
  };
}

/** A tls entry without secretName: the controller serves its default certificate (ingress-nginx's is
 * self-signed unless --default-ssl-certificate is set). */
export function noSecretName(ing: IngressInfo): RouteFact {
  return {
    severity: 'information',
    message: `the tls entry of Ingress ${idText(ing.id)} names no secretName: the controller's default certificate is used`,
  };
}

/** secret-tls-keys: the API server rejects a kubernetes.io/tls Secret without tls.crt or tls.key. */
export function tlsKeysMissing(missing: string[]): RouteFact {
  return { severity: 'error', message: `A kubernetes.io/tls Secret must contain ${missing.join(' and ')}` };
}
