// tls.key must hold an unencrypted PEM private key. The message never quotes the value.

import { readTlsSecret } from '../model/tls';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'tls-key-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['Secret'],
  description: 'A Secret tls.key that is not an unencrypted PEM private key.',
  check(ctx) {
    const info = readTlsSecret(ctx.resource);
    if (info.key && info.keyProblem) ctx.report(info.key.valueSpan, info.keyProblem);
  },
};
