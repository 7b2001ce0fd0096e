// Which channel of the Gateway API serves a resource's apiVersion (release v1.6; v1.4 and v1.5 serve a
// subset of the same versions). The standard channel is what most clusters install; an apiVersion
// that only the experimental channel serves is information (it works where those CRDs are installed),
// one that no current release serves is a warning (the API server has no such version to store it in).

import type { Rule } from './types';
import { GATEWAY_GROUP, isGatewayApi } from './gateway-ast';

/** kind -> versions the standard channel serves (v1.6), newest first. */
export const STANDARD_VERSIONS: Record<string, string[]> = {
  GatewayClass: ['v1', 'v1beta1'],
  Gateway: ['v1', 'v1beta1'],
  HTTPRoute: ['v1', 'v1beta1'],
  GRPCRoute: ['v1'],
  ReferenceGrant: ['v1', 'v1beta1'],
  BackendTLSPolicy: ['v1'],
  ListenerSet: ['v1'],
  TLSRoute: ['v1'],
  TCPRoute: ['v1'],
  UDPRoute: ['v1'],
};

/** kind -> versions only the experimental channel serves (deprecated there, kept for upgrades). */
export const EXPERIMENTAL_VERSIONS: Record<string, string[]> = {
  TLSRoute: ['v1alpha2', 'v1alpha3'],
  TCPRoute: ['v1alpha2'],
  UDPRoute: ['v1alpha2'],
  BackendTLSPolicy: ['v1alpha3'],
};

export const rule: Rule = {
  id: 'gateway-api-version',
  scope: 'file',
  defaultSeverity: 'information',
  description:
    'A Gateway API apiVersion outside the standard channel: served only by the experimental-channel CRDs (information), or by no current release (warning).',
  check(ctx) {
    const r = ctx.resource;
    if (!isGatewayApi(r)) return;
    const version = r.apiVersion.slice(GATEWAY_GROUP.length + 1);
    const standard = STANDARD_VERSIONS[r.kind];
    if (!standard || standard.includes(version)) return;
    const target = `${GATEWAY_GROUP}/${standard[0]}`;
    const fixes = () => [
      {
        title: `Change apiVersion to ${target}`,
        edits: [{ start: r.apiVersionNode.start, end: r.apiVersionNode.end, newText: target }],
      },
    ];
    if (EXPERIMENTAL_VERSIONS[r.kind]?.includes(version)) {
      ctx.report(
        r.apiVersionNode,
        `${r.kind} ${r.apiVersion} is served only by the experimental-channel CRDs (where it is deprecated): the standard channel serves ${r.kind} as ${target}`,
        { fixes },
      );
      return;
    }
    ctx.report(
      r.apiVersionNode,
      `${r.kind} ${r.apiVersion} is not served by any current Gateway API release (the standard channel serves ${standard.map((v) => `${GATEWAY_GROUP}/${v}`).join(' and ')}): the API server cannot store it`,
      { severity: 'warning', fixes },
    );
  },
};
