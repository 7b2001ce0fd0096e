// A BackendTLSPolicy whose CA does not trust the backend: the pods behind the target Service mount a
// TLS Secret the workspace holds, and its certificate chain (tls.crt: the leaf, then intermediates)
// does not lead to a CA certificate of the policy's caCertificateRefs ConfigMaps (`ca.crt`, one or
// more PEM certificates): the Gateway's TLS handshake with the backend fails and requests get a 5xx
// (apis/v1 BackendTLSPolicyValidation: the certificate served by the backend is validated against
// these CAs). Reported at caCertificateRefs, naming the certificate's subject and issuer and the CAs.
// With wellKnownCACertificates instead, the CA set belongs to the implementation and cannot be read
// offline: that is said (information) at wellKnownCACertificates, a warning when every certificate
// served is self-signed and the set is System. The engine (engine/gateway/backend-tls.ts) decides and
// words it.

import { asMap, getIn, getPair } from '../syntax/ast';
import type { Rule } from './types';
import { backendTlsStateOf } from './gateway-graph-view';

export const rule: Rule = {
  id: 'backendtlspolicy-ca-untrusted',
  scope: 'cross-file',
  defaultSeverity: 'error',
  kinds: ['BackendTLSPolicy'],
  description:
    "A BackendTLSPolicy whose caCertificateRefs do not trust the certificate the target Service's pods serve (its chain does not lead to a CA in the ConfigMaps' ca.crt), when the workspace holds the TLS Secret they mount: the Gateway's TLS handshake with the backend fails and requests get a 5xx. With wellKnownCACertificates the chain cannot be checked offline: said as information (a warning when the certificates are self-signed and the set is System).",
  check(ctx) {
    const r = ctx.resource;
    const found = backendTlsStateOf(ctx);
    if (!found) return;
    const { state: st } = found;
    const validation = asMap(getIn(r.node, ['spec', 'validation']));
    const refs = validation ? getPair(validation, 'caCertificateRefs') : undefined;
    const wellKnown = validation ? getPair(validation, 'wellKnownCACertificates') : undefined;
    const said = new Set<string>();
    for (const t of st.targets) {
      const c = t.certificate;
      if (!c || t.conflictedBy) continue;
      if (c.trustMessage && refs) {
        const message = `${t.ref.kind} ${t.ref.name}: ${c.trustMessage}${c.untrusted ? ": the Gateway's TLS handshake with it fails and its requests get a 5xx" : ': requests sent to those pods fail the TLS handshake'}`;
        if (said.has(message)) continue;
        said.add(message);
        ctx.report(refs.key, message, { severity: c.untrusted ? 'error' : 'warning' });
      } else if (c.wellKnown && wellKnown) {
        const message = `${t.ref.kind} ${t.ref.name}: ${c.wellKnown.message}`;
        if (said.has(message)) continue;
        said.add(message);
        ctx.report(wellKnown.key, message, {
          severity: c.wellKnown.likelyUntrusted ? 'warning' : 'information',
        });
      }
    }
  },
};
