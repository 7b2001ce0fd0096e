// Snippet annotations: raw nginx configuration copied into the controller's configuration.

import { annotationSpec } from '../engine/annotations/index';
import { annotationPairs } from './annotation-pairs';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'ingress-annotation-snippet',
  scope: 'file',
  defaultSeverity: 'warning',
  kinds: ['Ingress'],
  description:
    'A snippet annotation (configuration-snippet, server-snippet, ...): raw nginx configuration that recent controller releases refuse by default and that lets whoever writes an Ingress inject configuration.',
  check(ctx) {
    for (const a of annotationPairs(ctx.resource)) {
      const spec = annotationSpec(a.key);
      if (spec?.value.type !== 'snippet') continue;
      const message =
        spec.controller === 'ingress-nginx'
          ? `${a.key} copies raw nginx configuration into the controller: by default ingress-nginx refuses it (allow-snippet-annotations is off since v1.9, annotations-risk-level below Critical since v1.12), and it lets whoever writes an Ingress inject configuration (CVE-2021-25742); the Gateway API has no equivalent`
          : `${a.key} copies raw nginx configuration into the controller: it only works when snippets are enabled (-enable-snippets, off by default) and lets anyone who can write an Ingress inject configuration`;
      ctx.report(a.keyNode, message);
    }
  },
};
