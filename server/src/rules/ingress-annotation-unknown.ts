// An ingress-nginx annotation the controller does not read: misspelt (did you mean), removed from
// current releases, a deprecated alias, or an ingress-nginx name under another prefix.

import { aliasOf, annotationSpec, misplacedIngressNginxKey, NGINX_PREFIX, suggestIngressNginxKey } from '../engine/annotations/index';
import { ingressController } from '../model/ingress';
import { annotationPairs } from './annotation-pairs';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'ingress-annotation-unknown',
  scope: 'file',
  defaultSeverity: 'warning',
  kinds: ['Ingress'],
  description: 'An nginx.ingress.kubernetes.io/ annotation that ingress-nginx does not read (misspelt, removed, or an ingress-nginx name under another prefix): it is silently ignored.',
  check(ctx) {
    const r = ctx.resource;
    const pairs = annotationPairs(r);
    let controller: string | undefined;
    for (const a of pairs) {
      const keyNode = a.keyNode;
      const rename = (to: string) => () => (keyNode.type === 'scalar' && keyNode.style === 'plain' ? [{ title: `Change to ${to}`, edits: [{ start: keyNode.start, end: keyNode.end, newText: to }], preferred: true }] : []);
      if (a.key.startsWith(NGINX_PREFIX)) {
        const spec = annotationSpec(a.key);
        if (spec?.removed) {
          ctx.report(keyNode, `${a.key} is no longer read by ingress-nginx (${spec.removed})`, { tags: ['deprecated'] });
          continue;
        }
        const alias = aliasOf(a.key);
        if (alias) {
          ctx.report(keyNode, `${a.key} is the old name of ${alias.key} (still read, but only when ${alias.key} is not set)`, { severity: 'information', tags: ['deprecated'], fixes: rename(alias.key) });
          continue;
        }
        if (spec) continue;
        const suggestion = suggestIngressNginxKey(a.key);
        ctx.report(keyNode, `ingress-nginx reads no annotation ${a.key}, so it has no effect` + (suggestion ? `; did you mean ${suggestion}?` : ''), { fixes: suggestion ? rename(suggestion) : undefined });
        continue;
      }
      const meant = misplacedIngressNginxKey(a.key);
      if (!meant) continue;
      controller ??= ingressController(r).kind;
      // nginx.org/ keys belong to NGINX Inc's controller: only wrong on an ingress-nginx Ingress
      if (controller !== 'ingress-nginx') continue;
      ctx.report(keyNode, `ingress-nginx reads ${meant}, not ${a.key}: this annotation has no effect`, { fixes: rename(meant) });
    }
  },
};
