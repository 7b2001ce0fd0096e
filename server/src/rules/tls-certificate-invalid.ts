// tls.crt must hold a PEM certificate (base64 of the PEM under data, the PEM itself under stringData).

import { readTlsSecret } from '../model/tls';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'tls-certificate-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['Secret'],
  description:
    'A Secret tls.crt that is not a PEM certificate (not PEM, truncated, DER, base64 twice, or not X.509).',
  check(ctx) {
    const info = readTlsSecret(ctx.resource);
    if (info.crt && info.certificateProblem) ctx.report(info.crt.valueSpan, info.certificateProblem);
  },
};
