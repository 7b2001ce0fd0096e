// docs/annotations.md, rendered from the annotation knowledge table: every annotation the checker
// knows, per controller, with what it does, its value, its default, the Gateway API equivalent and how
// `kube-netlens migrate` treats it. `npm run docs:rules` writes it; test/annotations-doc.test.ts fails
// when the file and the table disagree.

import { CONTROLLER_TITLES } from '../controller';
import type { IngressControllerKind } from '../controller';
import type { AnnotationSpec, MigrationTreatment } from './types';
import { INGRESS_NGINX_ANNOTATIONS, REMOVED_INGRESS_NGINX_ANNOTATIONS } from './ingress-nginx';
import { CLASS_ANNOTATION_SPEC, OTHER_CONTROLLER_ANNOTATIONS } from './other-controllers';
import { describeFormat } from './values';

const TREATMENT: Readonly<Record<MigrationTreatment, string>> = {
  converted: 'converted',
  reported: 'reported',
  'not-applicable': 'not applicable',
};

/** A table cell: one line, pipes escaped. */
function cell(text: string | undefined | null): string {
  return (text ?? '').replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
}

function row(s: AnnotationSpec, withRisk: boolean): string {
  const key = `\`${s.key}\`${s.aliases?.length ? ` (also ${s.aliases.map((k) => `\`${k}\``).join(', ')})` : ''}`;
  const needs = s.requires?.length ? ` Needs ${s.requires.map((k) => `\`${k}\``).join(', ')}.` : '';
  const cells = [
    key,
    cell(s.summary + needs),
    cell(describeFormat(s.value)),
    cell(s.default ?? ''),
    cell(s.gateway ?? 'none'),
    TREATMENT[s.migration],
  ];
  if (withRisk) cells.splice(5, 0, s.risk ?? '');
  return `| ${cells.join(' | ')} |`;
}

function counts(specs: readonly AnnotationSpec[]): string {
  const by = (t: MigrationTreatment) => specs.filter((s) => s.migration === t).length;
  return `${specs.length} annotations: ${by('converted')} converted, ${by('reported')} reported, ${by('not-applicable')} not applicable.`;
}

const byKey = (a: AnnotationSpec, b: AnnotationSpec) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** The whole of docs/annotations.md. */
export function renderAnnotationsDoc(): string {
  const out: string[] = [
    '# Ingress annotations',
    '',
    'Every Ingress annotation Kube NetLens knows: hover shows these entries in the editor,',
    '`ingress-annotation-unknown` and `ingress-annotation-value` check keys and values against them, and',
    '`kube-netlens migrate --to gateway-api` treats each one as its **migration** column says:',
    '',
    '- **converted**: the migration writes the Gateway API equivalent (a filter, a match, weights, a listener',
    '  or a BackendTLSPolicy);',
    '- **reported**: no standard equivalent (or none the migration writes): the annotation is listed as',
    '  unconverted, with why, in the output, the JSON and a comment next to the route it concerns;',
    '- **not applicable**: nothing to carry over (the Gateway implementation has its own setting): listed',
    '  too, saying so.',
    '',
    'Generated from `server/src/engine/annotations/` by `npm run docs:rules`; do not edit by hand.',
    '',
  ];
  const nginx = [...INGRESS_NGINX_ANNOTATIONS].sort(byKey);
  out.push(
    '## ingress-nginx',
    '',
    counts(nginx) +
      " The risk column is ingress-nginx's own grade (its `--annotations-risk-level` refuses annotations above the level set).",
    '',
  );
  out.push(
    '| annotation | what it does | value | default | Gateway API | risk | migration |',
    '|---|---|---|---|---|---|---|',
  );
  for (const s of nginx) out.push(row(s, true));
  out.push(
    '',
    '### Removed from ingress-nginx',
    '',
    'Current releases no longer read these: they are reported as removed, not as misspellings.',
    '',
  );
  out.push('| annotation | what it did | removed |', '|---|---|---|');
  for (const s of [...REMOVED_INGRESS_NGINX_ANNOTATIONS].sort(byKey))
    out.push(`| \`${s.key}\` | ${cell(s.summary)} | ${cell(s.removed)} |`);
  const groups = new Map<IngressControllerKind, AnnotationSpec[]>();
  for (const s of OTHER_CONTROLLER_ANNOTATIONS)
    groups.set(s.controller, [...(groups.get(s.controller) ?? []), s]);
  for (const [controller, specs] of groups) {
    specs.sort(byKey);
    out.push('', `## ${CONTROLLER_TITLES[controller]}`, '', counts(specs), '');
    out.push(
      '| annotation | what it does | value | default | Gateway API | migration |',
      '|---|---|---|---|---|---|',
    );
    for (const s of specs) out.push(row(s, false));
  }
  out.push(
    '',
    '## Every controller',
    '',
    '| annotation | what it does | value | default | Gateway API | migration |',
    '|---|---|---|---|---|---|',
    row(CLASS_ANNOTATION_SPEC, false),
    '',
  );
  return out.join('\n');
}
