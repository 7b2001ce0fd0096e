// A certificate that is expired, not yet valid, or expires soon. A cross rule because it depends on
// the clock and on a setting, which the per-document cache of local findings does not key on.

import { DAY, formatDays, formatUtc, readTlsSecret } from '../model/tls';
import type { Rule } from './types';
import { DEFAULT_TLS_EXPIRY_WARNING_DAYS } from './types';

export const rule: Rule = {
  id: 'tls-certificate-expiry',
  scope: 'cross-file',
  defaultSeverity: 'warning',
  kinds: ['Secret'],
  description:
    'A Secret tls.crt certificate that has expired or is not valid yet (error), or expires within the configured number of days, 30 by default (warning).',
  check(ctx) {
    const info = readTlsSecret(ctx.resource);
    const c = info.certificate;
    if (!c || !info.crt) return;
    const now = ctx.settings.now ?? Date.now();
    const days = Math.max(0, ctx.settings.tlsExpiryWarningDays ?? DEFAULT_TLS_EXPIRY_WARNING_DAYS);
    if (c.notAfter <= now) {
      ctx.report(
        info.crt.valueSpan,
        `The certificate expired on ${formatUtc(c.notAfter)} (${formatDays(now - c.notAfter)} ago): clients reject it, renew it`,
        { severity: 'error' },
      );
    } else if (c.notBefore > now) {
      ctx.report(
        info.crt.valueSpan,
        `The certificate is not valid before ${formatUtc(c.notBefore)} (in ${formatDays(c.notBefore - now)}): clients reject it until then`,
        { severity: 'error' },
      );
    } else if (c.notAfter - now <= days * DAY) {
      ctx.report(
        info.crt.valueSpan,
        `The certificate expires on ${formatUtc(c.notAfter)}, in ${formatDays(c.notAfter - now)} (warning threshold: ${days} days): renew it`,
      );
    }
  },
};
