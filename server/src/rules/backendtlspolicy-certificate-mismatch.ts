// A BackendTLSPolicy whose validation the backend's certificate cannot pass: the pods behind the
// target Service mount a TLS Secret the workspace holds, and its certificate carries neither the
// policy's subjectAltNames (when given: one must match, Hostname against DNS names, URI exactly) nor,
// without them, its hostname. The Gateway's TLS handshake with the backend then fails and requests get
// a 5xx (conformance BackendTLSPolicySANValidation: the mismatched cases must fail). Reported at
// subjectAltNames, or at hostname. A certificate with no subjectAltName whose Common Name is the
// hostname is a warning: Envoy-based Gateways refuse it, NGINX-based ones accept it. The engine
// (engine/gateway/backend-tls.ts) decides and words it.

import type { AstNode } from '../syntax/ast';
import { asMap, getIn, getPair, getValue } from '../syntax/ast';
import type { Rule } from './types';
import { backendTlsStateOf } from './gateway-graph-view';

export const rule: Rule = {
  id: 'backendtlspolicy-certificate-mismatch',
  scope: 'cross-file',
  defaultSeverity: 'error',
  kinds: ['BackendTLSPolicy'],
  description:
    "A BackendTLSPolicy whose hostname (or subjectAltNames) the certificate served by the target Service's pods does not carry, when the workspace holds the TLS Secret they mount: the Gateway's TLS handshake with the backend fails and requests get a 5xx. A warning when the certificate has no subjectAltName and names the hostname in its Common Name: Envoy-based Gateways refuse it, NGINX-based ones accept it.",
  check(ctx) {
    const r = ctx.resource;
    const found = backendTlsStateOf(ctx);
    if (!found) return;
    const { state: st } = found;
    const validation = asMap(getIn(r.node, ['spec', 'validation']));
    const sans = validation ? getPair(validation, 'subjectAltNames') : undefined;
    const hostname = validation ? getValue(validation, 'hostname') : undefined;
    const anchor: AstNode | undefined =
      st.policy.subjectAltNames?.length && sans ? sans.key : (hostname ?? undefined);
    if (!anchor) return;
    const said = new Set<string>();
    for (const t of st.targets) {
      const c = t.certificate;
      if (!c?.message || t.conflictedBy) continue;
      const message = `${t.ref.kind} ${t.ref.name}: ${c.message}${
        c.commonNameOnly
          ? ': Gateways built on Envoy (Envoy Gateway, Istio, Contour) match subjectAltNames only and fail the TLS handshake (5xx), while those built on NGINX (NGINX Gateway Fabric, Kong) fall back to the Common Name; give the certificate a DNS subjectAltName'
          : c.mismatch
            ? ": the Gateway's TLS handshake with it fails and its requests get a 5xx"
            : ': requests sent to those pods fail the TLS handshake'
      }`;
      if (said.has(message)) continue;
      said.add(message);
      ctx.report(anchor, message, { severity: c.mismatch ? 'error' : 'warning' });
    }
  },
};
