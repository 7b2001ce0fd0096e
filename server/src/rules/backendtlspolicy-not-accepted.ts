// What a controller would report on a BackendTLSPolicy, before apply (engine/gateway/backend-tls.ts):
// a target Service that is not there (a warning, and only when the workspace holds Services of that
// namespace) or has no port named by sectionName; a policy that another one for the same target and
// sectionName outranks (Conflicted: the older, then the first by namespace/name); a CA reference that is
// not a core ConfigMap (InvalidKind: a warning, since other kinds are implementation-specific support;
// a core Secret, which some controllers read, is information only), or a ConfigMap without a PEM `ca.crt` (InvalidCACertificateRef:
// connections to the backend fail with 5xx; a warning when the ConfigMap is absent from manifests that
// hold others of its namespace, since it may be created outside them); a wellKnownCACertificates other than System, which only
// some implementations know.

import type { AstNode } from '../syntax/ast';
import { asMap, asScalar, getIn, getValue } from '../syntax/ast';
import type { Rule } from './types';
import { itemAnchor, mapsAt } from './gateway-ast';
import { backendTlsStateOf } from './gateway-graph-view';

export const rule: Rule = {
  id: 'backendtlspolicy-not-accepted',
  scope: 'cross-file',
  defaultSeverity: 'error',
  kinds: ['BackendTLSPolicy'],
  description:
    'A BackendTLSPolicy a controller would not apply as written: its target Service or port (sectionName) is missing, another policy for the same target takes precedence (Conflicted), or a CA reference is not a ConfigMap or names one without a PEM ca.crt (connections to the backend then fail with 5xx). A missing target Service or CA ConfigMap is a warning (said only when the manifests hold others of its namespace): it may be created outside them; so is a CA reference of another kind, which some controllers support (a core Secret: information).',
  check(ctx) {
    const r = ctx.resource;
    const found = backendTlsStateOf(ctx);
    if (!found) return;
    const { state: st, view } = found;
    const ns = st.policy.id.namespace;
    const targetNodes = mapsAt(r.node, 'spec.targetRefs[]').map((l) => l.node);
    st.targets.forEach((t, i) => {
      const node = targetNodes[i];
      if (!node) return;
      const nameNode: AstNode = asScalar(getValue(node, 'name')) ?? itemAnchor(node);
      const core = t.ref.group === '' || t.ref.group === 'core';
      if (!(core && t.ref.kind === 'Service') && /^[a-zA-Z][-a-zA-Z0-9]*$/.test(t.ref.kind)) {
        // Service is the kind every implementation supports; the others are implementation-specific
        ctx.report(
          asScalar(getValue(node, 'kind')) ?? nameNode,
          `The policy targets ${t.ref.kind}${t.ref.group && !core ? ` (${t.ref.group})` : ''} "${t.ref.name}", not a core Service: only implementations that support this kind as a target apply the policy to it; the others leave connections to it without this TLS configuration`,
          { severity: 'information' },
        );
        return;
      }
      if (t.conflictedBy) {
        const by = t.conflictedBy;
        ctx.report(
          nameNode,
          `BackendTLSPolicy "${by.id.namespace}/${by.id.name}" also selects ${t.ref.kind} "${t.ref.name}"${t.ref.sectionName ? ` port "${t.ref.sectionName}"` : ''} and takes precedence (the older one, then the first by namespace/name): this policy is not applied to it (Accepted: False, Conflicted)`,
          {
            severity: 'warning',
            related: by.source
              ? [
                  {
                    uri: by.source.uri,
                    start: by.source.start,
                    end: by.source.end,
                    message: 'the policy that takes precedence',
                  },
                ]
              : undefined,
          },
        );
        return;
      }
      if (!t.problem) return;
      if (!t.service) {
        // said only when the workspace holds Services of that namespace (the Service may live elsewhere)
        if (!view.cluster.services.some((s) => s.id.namespace === ns)) return;
        ctx.report(
          nameNode,
          `The policy's target is missing: ${t.problem} (Accepted: False, TargetNotFound)`,
          { severity: 'warning' },
        );
        return;
      }
      ctx.report(
        asScalar(getValue(node, 'sectionName')) ?? nameNode,
        `The policy's target is missing: ${t.problem}; a Service's sectionName is the name of one of its ports (Accepted: False, TargetNotFound)`,
      );
    });
    const caNodes = mapsAt(r.node, 'spec.validation.caCertificateRefs[]').map((l) => l.node);
    const allBad = st.caRefs.length > 0 && st.caRefs.every((c) => !c.valid);
    st.caRefs.forEach((c, i) => {
      const node = caNodes[i];
      if (!node) return;
      if (c.secretKind) {
        ctx.report(
          asScalar(getValue(node, 'kind')) ?? itemAnchor(node),
          `The CA is read from Secret "${c.ref.name}": only a ConfigMap (with the CA under ca.crt) is portable; some controllers read a Secret, others refuse the reference (ResolvedRefs: False, InvalidKind) and connections to the backends then fail`,
          { severity: 'information' },
        );
        return;
      }
      if (c.valid) return;
      const anchor: AstNode =
        c.reason === 'InvalidKind'
          ? (asScalar(getValue(node, 'kind')) ?? itemAnchor(node))
          : (asScalar(getValue(node, 'name')) ?? itemAnchor(node));
      const outcome = allBad
        ? 'the policy has no valid CA (Accepted: False, NoValidCACertificate) and connections to its backends fail with 5xx'
        : 'connections through this reference fail with 5xx';
      const msg = c.message ?? '';
      // a ConfigMap absent from the manifests may still be created outside them (as a missing Service
      // or certificate Secret is): a warning, as those are
      // another kind is implementation-specific support: a controller may read it (a warning)
      const kind = c.reason === 'InvalidKind';
      ctx.report(
        anchor,
        `${msg.charAt(0).toUpperCase()}${msg.slice(1)}: ${kind ? 'unless the controller supports this kind, ' : ''}${outcome} (ResolvedRefs: False, ${c.reason})${c.missing ? '; unless it is created outside these manifests, add it with the CA certificate under the key ca.crt' : ''}`,
        c.missing || kind ? { severity: 'warning' } : undefined,
      );
    });
    const wk = asScalar(getIn(r.node, ['spec', 'validation', 'wellKnownCACertificates']));
    // (a value outside the CRD's pattern is backendtlspolicy-invalid's)
    if (
      wk &&
      typeof wk.value === 'string' &&
      wk.value !== 'System' &&
      /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(
        wk.value,
      ) &&
      asMap(getIn(r.node, ['spec', 'validation']))
    ) {
      ctx.report(
        wk,
        `wellKnownCACertificates "${wk.value}" is an implementation's own CA set: a controller that does not know it rejects the policy (Accepted: False, Invalid); "System" is the portable value`,
        { severity: 'information' },
      );
    }
  },
};
