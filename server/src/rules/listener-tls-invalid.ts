// The TLS block of a listener, as the CRD's CEL rules and the Listener API define it:
// - HTTP, TCP and UDP listeners take no `tls`;
// - an HTTPS listener terminates TLS: mode Terminate (the default), never Passthrough;
// - a TLS listener states its mode;
// - mode Terminate needs certificateRefs (or implementation options);
// - an HTTPS listener without `tls` passes the API server, but has no certificate to serve: the
//   Listener API requires `tls` for HTTPS and TLS, and controllers mark such a listener invalid
//   (warning). Not on a Gateway of the AWS Load Balancer Controller (its infrastructure.parametersRef
//   names a LoadBalancerConfiguration), which takes certificates from that configuration or ACM.

import type { Rule } from './types';
import { has, isGatewayApi, keyNode, mapsAt, scalar, seqAt, text } from './gateway-ast';
import { asMap, getIn, getValue } from '../syntax/ast';
import { AWS_GATEWAY_PARAMETERS_GROUP } from '../engine/gateway';

export const rule: Rule = {
  id: 'listener-tls-invalid',
  scope: 'file',
  defaultSeverity: 'error',
  kinds: ['Gateway', 'ListenerSet'],
  description:
    'A listener whose tls block does not fit its protocol: tls on HTTP/TCP/UDP, HTTPS with mode Passthrough or without tls, TLS without a mode, or mode Terminate without certificateRefs.',
  check(ctx) {
    if (!isGatewayApi(ctx.resource)) return;
    const certificatesFromAwsConfiguration =
      ctx.resource.kind === 'Gateway' &&
      text(getIn(ctx.resource.node, ['spec', 'infrastructure', 'parametersRef']), 'group') ===
        AWS_GATEWAY_PARAMETERS_GROUP;
    for (const { node } of mapsAt(ctx.resource.node, 'spec.listeners[]')) {
      const protocol = text(node, 'protocol');
      const name = text(node, 'name') ?? '(unnamed)';
      const tlsKey = keyNode(node, 'tls');
      const tls = asMap(getValue(node, 'tls'));
      if (protocol === 'HTTP' || protocol === 'TCP' || protocol === 'UDP') {
        if (has(node, 'tls'))
          ctx.report(
            tlsKey!,
            `Listener "${name}" uses protocol ${protocol}, which takes no tls block: use HTTPS (or TLS) to terminate TLS, or remove tls`,
          );
        continue;
      }
      if (protocol !== 'HTTPS' && protocol !== 'TLS') continue;
      if (!tls) {
        const protocolNode = scalar(node, 'protocol')!;
        // the API server accepts it; the Listener API requires tls for HTTPS and controllers refuse the listener
        if (protocol === 'HTTPS') {
          if (certificatesFromAwsConfiguration) continue;
          ctx.report(
            protocolNode,
            `HTTPS listener "${name}" has no tls block: it needs tls.certificateRefs naming the certificate to serve (mode Terminate), or the controller marks the listener invalid (unless the controller takes certificates from its own configuration, as the AWS Load Balancer Controller does from a LoadBalancerConfiguration)`,
            { severity: 'warning' },
          );
        } else
          ctx.report(
            protocolNode,
            `TLS listener "${name}" needs tls.mode: Passthrough (forward the TLS stream to a TLSRoute backend) or Terminate (with certificateRefs)`,
          );
        continue;
      }
      const modeNode = scalar(tls, 'mode');
      const mode = modeNode ? String(modeNode.value) : undefined;
      if (protocol === 'HTTPS' && mode !== undefined && mode !== '' && mode !== 'Terminate') {
        ctx.report(
          modeNode!,
          `HTTPS listener "${name}" must use tls.mode Terminate, not ${mode}: an HTTPS listener decrypts the request to route it (for ${mode}, use protocol TLS with a TLSRoute)`,
        );
        continue;
      }
      // a tls block without mode gets the default Terminate; an explicit empty mode stays empty
      if (protocol === 'TLS' && mode === '') {
        ctx.report(
          tlsKey!,
          `TLS listener "${name}" needs tls.mode: Passthrough (forward the TLS stream to a TLSRoute backend) or Terminate (with certificateRefs)`,
        );
        continue;
      }
      const effective = mode === undefined || mode === '' ? 'Terminate' : mode;
      if (effective !== 'Terminate') continue;
      const refs = seqAt(tls, 'certificateRefs');
      const options = asMap(getValue(tls, 'options'));
      if ((refs?.items.length ?? 0) > 0 || (options?.pairs.length ?? 0) > 0) continue;
      ctx.report(
        keyNode(tls, 'certificateRefs') ?? tlsKey!,
        `Listener "${name}" terminates TLS (mode Terminate${mode === undefined ? ', the default' : ''}) but names no certificate: add tls.certificateRefs with the Secret holding the certificate`,
      );
    }
  },
};
