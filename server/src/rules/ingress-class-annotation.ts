// The deprecated kubernetes.io/ingress.class annotation, with a quick fix to spec.ingressClassName.
// Not for GKE Ingress: its controller reads only the annotation (`gce`, `gce-internal`) and ignores
// spec.ingressClassName, so there the annotation is the one correct way and must stay.

import { asMap, getIn, getPair, getValue, stringValue } from '../syntax/ast';
import { LEGACY_INGRESS_VERSIONS, ingressController } from '../model/ingress';
import type { OffsetEdit, QuickFix, Rule } from './types';

export const rule: Rule = {
  id: 'ingress-class-annotation',
  scope: 'file',
  defaultSeverity: 'information',
  kinds: ['Ingress'],
  description:
    'The kubernetes.io/ingress.class annotation is deprecated: spec.ingressClassName replaces it (except for GKE Ingress, which reads only the annotation).',
  check(ctx) {
    const r = ctx.resource;
    const annotations = asMap(getIn(r.node, ['metadata', 'annotations']));
    const pair = annotations ? getPair(annotations, 'kubernetes.io/ingress.class') : undefined;
    if (!pair || !annotations) return;
    if (ingressController(r).kind === 'gke') return;
    const value = stringValue(pair.value);
    const spec = asMap(getValue(r.node, 'spec'));
    const hasClassName = spec ? getPair(spec, 'ingressClassName') : undefined;
    const message = hasClassName
      ? 'The kubernetes.io/ingress.class annotation is deprecated and spec.ingressClassName is also set: remove the annotation'
      : `The kubernetes.io/ingress.class annotation is deprecated: use spec.ingressClassName${value ? `: ${value}` : ''}`;
    const fixes = (): QuickFix[] => {
      const fixes: QuickFix[] = [];
      const text = r.doc.text;
      const lineStart = (o: number) => text.lastIndexOf('\n', o - 1) + 1;
      const lineEnd = (o: number) => {
        const i = text.indexOf('\n', o);
        return i < 0 ? text.length : i + 1;
      };
      const blockAnnotations =
        !annotations.flow && text.slice(lineStart(pair.start), pair.start).trim() === '';
      if (
        blockAnnotations &&
        value &&
        !LEGACY_INGRESS_VERSIONS.has(r.apiVersion) &&
        spec &&
        !spec.flow &&
        spec.pairs.length > 0
      ) {
        const edits: OffsetEdit[] = [];
        // remove the annotation line (and the annotations key if it was the only one)
        if (annotations.pairs.length === 1) {
          const keyPair = getPair(asMap(getValue(r.node, 'metadata'))!, 'annotations')!;
          edits.push({ start: lineStart(keyPair.start), end: lineEnd(pair.end), newText: '' });
        } else {
          edits.push({ start: lineStart(pair.start), end: lineEnd(pair.end), newText: '' });
        }
        const first = spec.pairs[0];
        const indent = text.slice(lineStart(first.start), first.start);
        if (/^\s*$/.test(indent)) {
          edits.push({
            start: lineStart(first.start),
            end: lineStart(first.start),
            newText: `${indent}ingressClassName: ${value}\n`,
          });
          fixes.push({
            title: `Replace the annotation with spec.ingressClassName: ${value}`,
            edits,
            preferred: true,
          });
        }
      } else if (blockAnnotations && hasClassName) {
        fixes.push({
          title: 'Remove the deprecated annotation',
          edits: [{ start: lineStart(pair.start), end: lineEnd(pair.end), newText: '' }],
          preferred: true,
        });
      }
      return fixes;
    };
    ctx.report(pair.key, message, { fixes, tags: ['deprecated'] });
  },
};
