// The certificate of a Gateway (or ListenerSet) listener that terminates TLS, through the project's TLS
// Secret checks: the certificateRef names a Secret (core group), in another namespace only with a
// ReferenceGrant there (the engine's grant check), which exists, is of type kubernetes.io/tls, holds
// tls.crt and tls.key, and whose certificate covers the listener hostname (the same check and wording
// as an Ingress tls host). The certificate's own validity, key match and expiry are reported on the
// Secret by the tls-* rules, whoever uses it.

import type { MapNode } from '../syntax/ast';
import { asScalar, getValue, stringValue } from '../syntax/ast';
import type { Rule } from './types';
import { isGatewayApi, itemAnchor, mapsAt, text } from './gateway-ast';
import { gatewayView } from './gateway-graph-view';
import { findGrant, readsOpaqueCertificate } from '../engine/gateway';
import { readTlsSecret } from '../model/tls';
import { checkHost } from './tls-certificate-hosts';
import { documentNextTo, referenceGrantText } from './route-backend-not-resolved';

export const rule: Rule = {
  id: 'listener-certificate-invalid',
  scope: 'cross-file',
  defaultSeverity: 'error',
  kinds: ['Gateway', 'ListenerSet'],
  description:
    'A listener certificateRef that cannot serve: not a Secret, in another namespace without a ReferenceGrant, missing, not of type kubernetes.io/tls, without tls.crt/tls.key, or whose certificate does not cover the listener hostname.',
  check(ctx) {
    const r = ctx.resource;
    if (!isGatewayApi(r)) return;
    const ns = ctx.index.namespaceOf(r);
    const view = gatewayView(ctx);
    const className = r.kind === 'Gateway' ? text(getValue(r.node, 'spec'), 'gatewayClassName') : undefined;
    const controllerName = view.cluster.gatewayClasses?.find((c) => c.name === className)?.controllerName;
    for (const { node: listener } of mapsAt(r.node, 'spec.listeners[]')) {
      const protocol = text(listener, 'protocol');
      if (protocol !== 'HTTPS' && protocol !== 'TLS') continue;
      if ((text(getValue(listener, 'tls'), 'mode') ?? 'Terminate') !== 'Terminate') continue;
      const hostNode = asScalar(getValue(listener, 'hostname'));
      const host = hostNode && typeof hostNode.value === 'string' ? hostNode.value : undefined;
      for (const { node: ref } of mapsAt(listener, 'tls.certificateRefs[]')) {
        checkRef(ref, hostNode && host ? { node: hostNode, host } : undefined);
      }
    }

    function checkRef(
      ref: MapNode,
      host: { node: NonNullable<ReturnType<typeof asScalar>>; host: string } | undefined,
    ): void {
      const nameNode = asScalar(getValue(ref, 'name'));
      const name = text(ref, 'name');
      if (!name || !nameNode) return;
      const group = text(ref, 'group') ?? '';
      const kind = text(ref, 'kind') ?? 'Secret';
      if ((group !== '' && group !== 'core') || kind !== 'Secret') {
        ctx.report(
          asScalar(getValue(ref, 'kind')) ?? itemAnchor(ref),
          `certificateRef kind ${kind}${group ? ` of group ${group}` : ''} is not a core Secret: only Secrets are portable (the controller marks the listener ResolvedRefs=False, InvalidCertificateRef, unless it supports this kind)`,
          { severity: 'warning' },
        );
        return;
      }
      const secretNs = text(ref, 'namespace') ?? ns;
      if (
        secretNs !== ns &&
        !findGrant(
          view.cluster,
          { group: 'gateway.networking.k8s.io', kind: r.kind, namespace: ns },
          { group: '', kind: 'Secret', namespace: secretNs, name },
        )
      ) {
        ctx.report(
          nameNode,
          `The certificate Secret "${secretNs}/${name}" is in another namespace and no ReferenceGrant in namespace "${secretNs}" permits ${r.kind}s of namespace "${ns}" to use it: the listener has no certificate (ResolvedRefs=False, RefNotPermitted)`,
          {
            fixes: () => [
              documentNextTo(
                ctx,
                'Secret',
                secretNs,
                name,
                `Add a ReferenceGrant in namespace ${secretNs} allowing this ${r.kind}`,
                referenceGrantText(r.kind, ns, 'Secret', secretNs, name),
              ),
            ],
          },
        );
        return;
      }
      const found = ctx.index.find('Secret', secretNs, name).filter((e) => e.resource.apiVersion === 'v1');
      const secret = found.find((e) => e.uri === ctx.uri) ?? found[0];
      if (!secret) {
        // said only when the workspace holds Secrets of that namespace (certificates are often made elsewhere)
        if (!view.cluster.secrets.some((s) => s.id.namespace === secretNs)) return;
        ctx.report(
          nameNode,
          `No Secret "${name}" among the Secrets of namespace "${secretNs}" here: the listener would have no certificate to serve`,
          { severity: 'warning' },
        );
        return;
      }
      const type = stringValue(getValue(secret.resource.node, 'type')) || 'Opaque';
      const keys = new Set<string>();
      for (const field of ['data', 'stringData']) {
        const m = getValue(secret.resource.node, field);
        if (m && m.type === 'map') for (const p of m.pairs) if (p.keyText) keys.add(p.keyText);
      }
      const missing = ['tls.crt', 'tls.key'].filter((k) => !keys.has(k));
      if (missing.length) {
        ctx.report(
          nameNode,
          `Secret "${name}" has no ${missing.join(' and ')}: the listener cannot load a certificate from it`,
        );
        return;
      }
      if (type !== 'kubernetes.io/tls') {
        // implementations differ (engine/gateway/implementations.ts): said as a warning unless the
        // Gateway's class is one that serves an Opaque Secret
        const reader = type === 'Opaque' ? readsOpaqueCertificate(controllerName) : undefined;
        ctx.report(
          nameNode,
          reader
            ? `Secret "${name}" is of type Opaque: ${reader} serves its tls.crt and tls.key whatever the type, but Envoy Gateway and NGINX Gateway Fabric refuse a certificate Secret not of type kubernetes.io/tls; make it kubernetes.io/tls to keep the Gateway portable`
            : `Secret "${name}" is of type ${type}, not kubernetes.io/tls: ${type === 'Opaque' ? 'Envoy Gateway and NGINX Gateway Fabric refuse it (the listener gets ResolvedRefs False, InvalidCertificateRef), while Traefik, Contour, Istio and Kong read its tls.crt and tls.key whatever the type' : 'Envoy Gateway, NGINX Gateway Fabric and Contour refuse it (the listener gets ResolvedRefs False, InvalidCertificateRef)'}; make it type kubernetes.io/tls`,
          { severity: reader ? 'information' : 'warning' },
        );
      }
      if (!host) return;
      const c = readTlsSecret(secret.resource).certificate;
      if (c) checkHost(ctx, name, c, host.node, host.host);
    }
  },
};
