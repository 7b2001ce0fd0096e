// The annotation knowledge table: lookups by key, did-you-mean for misspelt keys, and the keys an
// ingress-nginx Ingress may carry.

import { closest } from '../edit-distance';
import type { AnnotationSpec } from './types';
import { INGRESS_NGINX_ANNOTATIONS, NGINX_PREFIX, REMOVED_INGRESS_NGINX_ANNOTATIONS } from './ingress-nginx';
import { CLASS_ANNOTATION_SPEC, OTHER_CONTROLLER_ANNOTATIONS } from './other-controllers';

export type { AnnotationSpec, MigrationTreatment, ValueFormat } from './types';
export { INGRESS_NGINX_ANNOTATIONS, NGINX_PREFIX, REMOVED_INGRESS_NGINX_ANNOTATIONS } from './ingress-nginx';
export { OTHER_CONTROLLER_ANNOTATIONS } from './other-controllers';
export { checkValue, describeFormat, goBool, goInt } from './values';

const byKey = new Map<string, AnnotationSpec>();
for (const spec of [
  ...INGRESS_NGINX_ANNOTATIONS,
  ...REMOVED_INGRESS_NGINX_ANNOTATIONS,
  ...OTHER_CONTROLLER_ANNOTATIONS,
  CLASS_ANNOTATION_SPEC,
]) {
  byKey.set(spec.key, spec);
  for (const alias of spec.aliases ?? []) byKey.set(alias, spec);
}
const NGINX_NAMES = INGRESS_NGINX_ANNOTATIONS.flatMap((s) => [s.key, ...(s.aliases ?? [])]).map((k) =>
  k.slice(NGINX_PREFIX.length),
);

/** What the table knows of a key (aliases lead to their annotation). */
export function annotationSpec(key: string): AnnotationSpec | undefined {
  return byKey.get(key);
}

/** The key an annotation is read under when `key` is a deprecated alias of it. */
export function aliasOf(key: string): AnnotationSpec | undefined {
  const spec = byKey.get(key);
  return spec && spec.key !== key ? spec : undefined;
}

/** For a key under the ingress-nginx prefix that the controller does not read: the nearest key it does
 * read (by name), if one is close. */
export function suggestIngressNginxKey(key: string): string | undefined {
  if (!key.startsWith(NGINX_PREFIX)) return undefined;
  const name = key.slice(NGINX_PREFIX.length);
  const found = closest(name, NGINX_NAMES);
  return found === undefined ? undefined : NGINX_PREFIX + found;
}

/** ingress-nginx annotation names written under a wrong prefix (`ingress.kubernetes.io/`, `nginx.org/`
 * for a community-controller annotation): the key it most likely meant. */
export function misplacedIngressNginxKey(key: string): string | undefined {
  const slash = key.indexOf('/');
  if (slash < 0 || key.startsWith(NGINX_PREFIX)) return undefined;
  const prefix = key.slice(0, slash + 1);
  if (!/nginx|^ingress\.kubernetes\.io\/$/.test(prefix)) return undefined;
  const name = key.slice(slash + 1);
  return NGINX_NAMES.includes(name) && !byKey.has(key) ? NGINX_PREFIX + name : undefined;
}

/** Every known annotation, for completion-style listings and the docs table. */
export function allAnnotationSpecs(): AnnotationSpec[] {
  return [...new Set(byKey.values())];
}
