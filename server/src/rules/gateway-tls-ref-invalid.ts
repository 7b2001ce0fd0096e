// The references of a Gateway's spec.tls (apis/v1 gateway_types.go: GatewayBackendTLS,
// FrontendTLSValidation; the conformance tests GatewayInvalidTLSBackendConfiguration,
// GatewayWithInvalidClientCertificateValidation, GatewayInvalidDefaultFrontendClientCertificateValidation):
// - backend.clientCertificateRef, the certificate the Gateway presents to backends that ask for one: a
//   core Secret (another kind is implementation-specific: a warning), in another namespace only with a
//   ReferenceGrant there (else the Gateway's ResolvedRefs is False, RefNotPermitted), holding tls.crt
//   and tls.key (else InvalidClientCertificateRef);
// - frontend.default and frontend.perPort[].tls validation.caCertificateRefs, the CAs the HTTPS
//   listeners (all of them, or those on the port) check client certificates against: a core ConfigMap
//   (another kind: InvalidCACertificateKind unless the implementation supports it, a warning), in
//   another namespace only with a ReferenceGrant (RefNotPermitted), holding a PEM ca.crt
//   (InvalidCACertificateRef). When every reference of a block fails, its listeners are not accepted
//   (NoValidCACertificate).
// An object missing from the manifests is a warning, and said only when the workspace holds others of
// its kind in that namespace (certificates and CA bundles are often made outside them). A CA block no
// HTTPS listener takes (a perPort port without one) is not judged: it changes nothing.

import type { AstNode, MapNode } from '../syntax/ast';
import { asScalar, getIn, getValue } from '../syntax/ast';
import type { Rule } from './types';
import { GATEWAY_GROUP, isGatewayApi, itemAnchor, mapsAt, text } from './gateway-ast';
import { gatewayView } from './gateway-graph-view';
import { findGrant } from '../engine/gateway';
import { documentNextTo, referenceGrantText } from './route-backend-not-resolved';

export const rule: Rule = {
  id: 'gateway-tls-ref-invalid',
  scope: 'cross-file',
  defaultSeverity: 'error',
  kinds: ['Gateway'],
  description:
    "A reference of a Gateway's spec.tls a controller cannot resolve: the client certificate it presents to backends (backend.clientCertificateRef) or a CA that validates client certificates (frontend default or perPort caCertificateRefs) that is in another namespace without a ReferenceGrant or lacks its keys (tls.crt and tls.key, a PEM ca.crt). A kind other than Secret or ConfigMap, or an object missing from manifests that hold others of its namespace, is a warning.",
  check(ctx) {
    const r = ctx.resource;
    if (!isGatewayApi(r, 'Gateway')) return;
    const ns = ctx.index.namespaceOf(r);
    const view = gatewayView(ctx);
    const grantFix = (kind: string, toNs: string, name: string) => () => [
      documentNextTo(
        ctx,
        kind,
        toNs,
        name,
        `Add a ReferenceGrant in namespace ${toNs} allowing this Gateway`,
        referenceGrantText('Gateway', ns, kind, toNs, name),
      ),
    ];
    const permitted = (kind: string, toNs: string, name: string) =>
      toNs === ns ||
      !!findGrant(
        view.cluster,
        { group: GATEWAY_GROUP, kind: 'Gateway', namespace: ns },
        { group: '', kind, namespace: toNs, name },
      );

    // the client certificate presented to backends
    const client = getIn(r.node, ['spec', 'tls', 'backend', 'clientCertificateRef']);
    if (client && client.type === 'map') checkClientCertificate(client);

    // the CAs that validate client certificates, per block
    const listeners = mapsAt(r.node, 'spec.listeners[]')
      .map((l) => ({
        name: text(l.node, 'name') ?? '(unnamed)',
        port: text(l.node, 'port'),
        protocol: text(l.node, 'protocol'),
      }))
      .filter((l) => l.protocol === 'HTTPS');
    const perPort = mapsAt(r.node, 'spec.tls.frontend.perPort[]');
    const overridden = new Set(perPort.map((p) => text(p.node, 'port')));
    const frontend = getIn(r.node, ['spec', 'tls', 'frontend', 'default', 'validation']);
    if (frontend)
      checkCaBlock(
        frontend,
        listeners.filter((l) => !overridden.has(l.port)).map((l) => l.name),
      );
    for (const p of perPort) {
      const v = getIn(p.node, ['tls', 'validation']);
      const port = text(p.node, 'port');
      if (v)
        checkCaBlock(
          v,
          listeners.filter((l) => l.port === port).map((l) => l.name),
        );
    }

    function checkClientCertificate(ref: MapNode): void {
      const nameNode = asScalar(getValue(ref, 'name'));
      const name = text(ref, 'name');
      if (!name || !nameNode) return;
      const group = text(ref, 'group') ?? '';
      const kind = text(ref, 'kind') ?? 'Secret';
      const outcome =
        'the Gateway presents no client certificate to backends that ask for one (ResolvedRefs: False';
      if ((group !== '' && group !== 'core') || kind !== 'Secret') {
        ctx.report(
          asScalar(getValue(ref, group !== '' && group !== 'core' ? 'group' : 'kind')) ?? itemAnchor(ref),
          `clientCertificateRef kind ${kind}${group ? ` of group ${group}` : ''} is not a core Secret: only Secrets are portable, so unless the controller supports this kind ${outcome}, InvalidClientCertificateRef)`,
          { severity: 'warning' },
        );
        return;
      }
      const secretNs = text(ref, 'namespace') ?? ns;
      if (!permitted('Secret', secretNs, name)) {
        ctx.report(
          nameNode,
          `The client certificate Secret "${secretNs}/${name}" is in another namespace and no ReferenceGrant in namespace "${secretNs}" permits Gateways of namespace "${ns}" to use it: ${outcome}, RefNotPermitted)`,
          { fixes: grantFix('Secret', secretNs, name) },
        );
        return;
      }
      const secret = view.cluster.secrets.find((s) => s.id.namespace === secretNs && s.id.name === name);
      if (!secret) {
        if (!view.cluster.secrets.some((s) => s.id.namespace === secretNs)) return;
        ctx.report(
          nameNode,
          `No Secret "${name}" among the Secrets of namespace "${secretNs}" here: unless it is made outside these manifests, ${outcome}, InvalidClientCertificateRef)`,
          { severity: 'warning' },
        );
        return;
      }
      const missing = ['tls.crt', 'tls.key'].filter((k) => !secret.keys.includes(k));
      if (missing.length)
        ctx.report(
          nameNode,
          `Secret "${name}" has no ${missing.join(' and ')}: ${outcome}, InvalidClientCertificateRef); a client certificate Secret holds tls.crt and tls.key (type kubernetes.io/tls)`,
        );
    }

    function checkCaBlock(validation: AstNode, targets: string[]): void {
      // a block no HTTPS listener takes (a port without one) changes nothing now
      if (!targets.length) return;
      const found = mapsAt(validation, 'caCertificateRefs[]').map((l) => judgeCa(l.node));
      // would every reference fail (those missing from the manifests counted as failing)?
      const allBad = found.length > 0 && found.every((f) => f);
      const who = `the HTTPS listener${targets.length > 1 ? 's' : ''} ${targets.map((t) => `"${t}"`).join(', ')}`;
      for (const f of found) {
        if (!f) continue;
        const outcome = allBad
          ? `${who} cannot validate client certificates and ${targets.length === 1 ? 'is' : 'are'} not accepted (ResolvedRefs: False, ${f.reason}; Accepted: False, NoValidCACertificate)`
          : `${who} leave${targets.length === 1 ? 's' : ''} this CA out (ResolvedRefs: False, ${f.reason})`;
        ctx.report(f.node, `${f.what}: ${f.unless ? `unless ${f.unless}, ` : ''}${outcome}`, {
          severity: f.severity,
          fixes: f.fix,
        });
      }
    }

    /** What is wrong with one caCertificateRef (undefined: nothing found wrong); `unless` says what
     * would make it right when that may lie outside the manifests. */
    function judgeCa(ref: MapNode):
      | {
          node: AstNode;
          what: string;
          reason: string;
          severity?: 'warning';
          unless?: string;
          fix?: ReturnType<typeof grantFix>;
        }
      | undefined {
      const nameNode = asScalar(getValue(ref, 'name'));
      const name = text(ref, 'name');
      if (!name || !nameNode) return undefined;
      const group = text(ref, 'group') ?? '';
      const kind = text(ref, 'kind') ?? '';
      if ((group !== '' && group !== 'core') || kind !== 'ConfigMap')
        return {
          node:
            asScalar(getValue(ref, group !== '' && group !== 'core' ? 'group' : 'kind')) ?? itemAnchor(ref),
          what: `caCertificateRef kind ${kind || '(none)'}${group ? ` of group ${group}` : ''} "${name}" is not a core ConfigMap (only ConfigMaps, with the CA under ca.crt, are portable)`,
          reason: 'InvalidCACertificateKind',
          severity: 'warning',
          unless: 'the controller supports this kind',
        };
      const cmNs = text(ref, 'namespace') ?? ns;
      if (!permitted('ConfigMap', cmNs, name))
        return {
          node: nameNode,
          what: `The CA ConfigMap "${cmNs}/${name}" is in another namespace and no ReferenceGrant in namespace "${cmNs}" permits Gateways of namespace "${ns}" to use it`,
          reason: 'RefNotPermitted',
          fix: grantFix('ConfigMap', cmNs, name),
        };
      const maps = view.cluster.configMaps ?? [];
      const cm = maps.find((c) => c.id.namespace === cmNs && c.id.name === name);
      if (!cm) {
        if (!maps.some((c) => c.id.namespace === cmNs)) return undefined;
        return {
          node: nameNode,
          what: `No ConfigMap "${name}" among the ConfigMaps of namespace "${cmNs}" here`,
          reason: 'InvalidCACertificateRef',
          severity: 'warning',
          unless: 'it is made outside these manifests',
        };
      }
      if (cm.caCrt !== 'pem')
        return {
          node: nameNode,
          what:
            cm.caCrt === 'missing'
              ? `ConfigMap "${cmNs}/${name}" has no key ca.crt${cm.keys.length ? ` (its keys: ${cm.keys.join(', ')})` : ' (it is empty)'}`
              : `The ca.crt of ConfigMap "${cmNs}/${name}" is not a PEM certificate (-----BEGIN CERTIFICATE----- ...)`,
          reason: 'InvalidCACertificateRef',
        };
      return undefined;
    }
  },
};
