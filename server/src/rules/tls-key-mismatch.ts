// tls.key must be the private key of the certificate in tls.crt.

import { readTlsSecret } from '../model/tls';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'tls-key-mismatch',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['Secret'],
  description: 'The private key in tls.key does not belong to the certificate in tls.crt.',
  check(ctx) {
    const info = readTlsSecret(ctx.resource);
    if (info.key && info.keyMatches === false) {
      const c = info.certificate!;
      ctx.report(
        info.key.valueSpan,
        `tls.key (${info.keyType}) is not the private key of the certificate in tls.crt (${c.subject}, public key ${c.publicKey}): the controller cannot serve this pair`,
      );
    }
  },
};
