// An ingress-nginx annotation the controller does not read: misspelt (did you mean), removed from
// current releases, a deprecated alias, or an ingress-nginx name under another prefix. On Ingresses of
// NGINX Inc's controller, an nginx.org/ or nginx.com/ key it does not read (ignored: a warning); on
// Traefik's, a router.* key it has no option for (its decoder fails and the provider skips the whole
// Ingress: an error), and a service.* key, which Traefik reads on the backend Service only (no effect on
// an Ingress: a warning). engine/annotations/known-keys.ts lists what those controllers read.

import {
  aliasOf,
  annotationSpec,
  misplacedIngressNginxKey,
  NGINX_PREFIX,
  suggestIngressNginxKey,
} from '../engine/annotations/index';
import {
  isTraefikServiceKey,
  unknownNginxIncKey,
  unknownTraefikRouterKey,
  unknownTraefikServiceKey,
} from '../engine/annotations/known-keys';
import { ingressController, ingressModel } from '../model/ingress';
import type { Resource } from '../model/resource';
import { annotationPairs } from './annotation-pairs';
import type { Rule } from './types';

/** The Service names an Ingress's backends give, in the order written. */
function ingressServiceNames(r: Resource): string[] {
  const m = ingressModel(r);
  return [m.defaultBackend, ...m.rules.flatMap((rule) => rule.paths.map((p) => p.backend))]
    .map((b) => b?.serviceName?.value)
    .filter((v): v is string => typeof v === 'string' && v !== '');
}

export const rule: Rule = {
  id: 'ingress-annotation-unknown',
  scope: 'file',
  defaultSeverity: 'warning',
  kinds: ['Ingress', 'Service'],
  description:
    "An annotation the controller serving the Ingress does not read, with did-you-mean: an nginx.ingress.kubernetes.io/ key ingress-nginx does not read (misspelt, removed, or an ingress-nginx name under another prefix) or an nginx.org/ or nginx.com/ key NGINX Inc's controller does not read (silently ignored); a traefik.ingress.kubernetes.io/router.* key Traefik has no option for (an error: Traefik skips the whole Ingress); a traefik.ingress.kubernetes.io/service.* key on an Ingress (Traefik reads those on the backend Service only); on a Service, a traefik.ingress.kubernetes.io/service.* key Traefik has no option for (decoding fails and Traefik drops the Ingress routes to that Service).",
  check(ctx) {
    const r = ctx.resource;
    const pairs = annotationPairs(r);
    if (r.kind === 'Service') {
      // Traefik's Ingress provider decodes the Service's traefik.ingress.kubernetes.io/service.* keys
      // (field names without regard to case) when an Ingress routes to it; a key with no field fails the
      // decoding, and the provider skips every Ingress path to this Service
      for (const a of pairs) {
        const unknown = unknownTraefikServiceKey(a.key);
        if (!unknown) continue;
        const keyNode = a.keyNode;
        ctx.report(
          keyNode,
          `Traefik has no service option ${a.key.slice(a.key.indexOf('/') + 1)}: decoding this Service's annotations fails, and Traefik leaves out every Ingress route to this Service` +
            (unknown.suggestion ? `; did you mean ${unknown.suggestion}?` : ''),
          {
            fixes:
              unknown.suggestion && keyNode.type === 'scalar' && keyNode.style === 'plain'
                ? () => [
                    {
                      title: `Change to ${unknown.suggestion}`,
                      edits: [{ start: keyNode.start, end: keyNode.end, newText: unknown.suggestion! }],
                      preferred: true,
                    },
                  ]
                : undefined,
          },
        );
      }
      return;
    }
    let controller: string | undefined;
    for (const a of pairs) {
      const keyNode = a.keyNode;
      const rename = (to: string) => () =>
        keyNode.type === 'scalar' && keyNode.style === 'plain'
          ? [
              {
                title: `Change to ${to}`,
                edits: [{ start: keyNode.start, end: keyNode.end, newText: to }],
                preferred: true,
              },
            ]
          : [];
      if (a.key.startsWith(NGINX_PREFIX)) {
        const spec = annotationSpec(a.key);
        if (spec?.removed) {
          ctx.report(keyNode, `${a.key} is no longer read by ingress-nginx (${spec.removed})`, {
            tags: ['deprecated'],
          });
          continue;
        }
        const alias = aliasOf(a.key);
        if (alias) {
          ctx.report(
            keyNode,
            `${a.key} is the old name of ${alias.key} (still read, but only when ${alias.key} is not set)`,
            { severity: 'information', tags: ['deprecated'], fixes: rename(alias.key) },
          );
          continue;
        }
        if (spec) continue;
        const suggestion = suggestIngressNginxKey(a.key);
        ctx.report(
          keyNode,
          `ingress-nginx reads no annotation ${a.key}, so it has no effect` +
            (suggestion ? `; did you mean ${suggestion}?` : ''),
          { fixes: suggestion ? rename(suggestion) : undefined },
        );
        continue;
      }
      const meant = misplacedIngressNginxKey(a.key);
      controller ??= ingressController(r).kind;
      if (meant) {
        // nginx.org/ keys belong to NGINX Inc's controller: only wrong on an ingress-nginx Ingress
        if (controller === 'ingress-nginx')
          ctx.report(keyNode, `ingress-nginx reads ${meant}, not ${a.key}: this annotation has no effect`, {
            fixes: rename(meant),
          });
        continue;
      }
      if (controller === 'nginx-inc') {
        const unknown = unknownNginxIncKey(a.key);
        if (unknown)
          ctx.report(
            keyNode,
            `NGINX Ingress Controller reads no annotation ${a.key}, so it has no effect` +
              (unknown.suggestion ? `; did you mean ${unknown.suggestion}?` : ''),
            { fixes: unknown.suggestion ? rename(unknown.suggestion) : undefined },
          );
      } else if (controller === 'traefik') {
        if (isTraefikServiceKey(a.key)) {
          const services = [...new Set(ingressServiceNames(r))];
          ctx.report(
            keyNode,
            `Traefik reads ${a.key.slice(a.key.indexOf('/') + 1)} on the backend Service, never on an Ingress: it has no effect here; move it to ${services.length ? `Service ${services.join(', ')}` : 'the backend Service'}`,
          );
          continue;
        }
        const unknown = unknownTraefikRouterKey(a.key);
        if (unknown) {
          ctx.report(
            keyNode,
            `Traefik has no router option ${a.key.slice(a.key.indexOf('/') + 1)}: decoding the annotations fails and Traefik skips this whole Ingress` +
              (unknown.suggestion ? `; did you mean ${unknown.suggestion}?` : ''),
            { severity: 'error', fixes: unknown.suggestion ? rename(unknown.suggestion) : undefined },
          );
        }
      }
    }
  },
};
