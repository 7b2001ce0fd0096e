// Hover on an Ingress annotation: what it does, the value it takes and its default, the Gateway API
// equivalent (or that there is none) and how the migration treats it, from the annotation table.

import { escapeMarkdown, printable } from '../protocol/escape';
import {
  annotationSpec,
  checkValue,
  describeFormat,
  suggestIngressNginxKey,
  NGINX_PREFIX,
} from '../engine/annotations/index';
import { CONTROLLER_TITLES } from '../engine/controller';
import { resourcesOf } from '../model/resource';
import { asMap, getIn } from '../syntax/ast';
import type { ParsedDocument } from '../syntax/parse';
import type { HoverResult } from './hover';

const MIGRATION: Record<string, string> = {
  converted: 'converted by "Migrate to Gateway API"',
  reported:
    'listed as unconverted by "Migrate to Gateway API" (with why), and written as a comment next to the route',
  'not-applicable': 'nothing to carry over to the Gateway API',
};

function code(s: string): string {
  return '`' + printable(s.replace(/`/g, "'"), true) + '`';
}

export function annotationHover(doc: ParsedDocument, offset: number): HoverResult | undefined {
  if (!doc.root) return undefined;
  const resource = resourcesOf(doc).find((r) => offset >= r.node.start && offset <= r.node.end);
  if (!resource || resource.kind !== 'Ingress') return undefined;
  const map = asMap(getIn(resource.node, ['metadata', 'annotations']));
  const pair = map?.pairs.find((p) => offset >= p.start && offset <= p.end && p.keyText !== undefined);
  if (!pair || pair.keyText === undefined) return undefined;
  const key = pair.keyText;
  const onKey = offset >= pair.key.start && offset <= pair.key.end;
  const spec = annotationSpec(key);
  const span = onKey || !pair.value ? pair.key : pair.value;
  if (!spec) {
    if (!key.startsWith(NGINX_PREFIX)) return undefined;
    const meant = suggestIngressNginxKey(key);
    return {
      markdown: `${code(key)}: ingress-nginx reads no annotation of this name, so it has no effect.${meant ? `\n\nDid you mean ${code(meant)}?` : ''}`,
      start: span.start,
      end: span.end,
    };
  }
  const lines: string[] = [];
  const owner =
    spec.controller === 'unknown' ? 'every Ingress controller' : CONTROLLER_TITLES[spec.controller];
  lines.push(
    `**${escapeMarkdown(spec.key)}** (${escapeMarkdown(owner)})${spec.key !== key ? ` — ${code(key)} is its old name` : ''}`,
  );
  lines.push(escapeMarkdown(spec.summary));
  if (spec.removed) {
    lines.push(`**No longer read**: ${escapeMarkdown(spec.removed)}.`);
    return { markdown: lines.join('\n\n'), start: span.start, end: span.end };
  }
  const facts = [`Value: ${escapeMarkdown(describeFormat(spec.value))}`];
  if (spec.default) facts.push(`Default: ${code(spec.default)}`);
  if (spec.requires?.length) facts.push(`Needs: ${spec.requires.map(code).join(', ')}`);
  if (spec.risk)
    facts.push(
      `Risk grade: ${spec.risk}${spec.risk === 'Critical' ? ' (refused unless annotations-risk-level is Critical)' : ''}`,
    );
  facts.push(`Gateway API: ${spec.gateway ? escapeMarkdown(spec.gateway) : 'no equivalent'}`);
  facts.push(`Migration: ${MIGRATION[spec.migration]}`);
  lines.push(facts.map((f) => `- ${f}`).join('\n'));
  const value =
    pair.value && pair.value.type === 'scalar' && typeof pair.value.value === 'string'
      ? pair.value.value
      : undefined;
  if (value !== undefined) {
    const problem = checkValue(spec.value, value);
    if (problem)
      lines.push(`This value does not fit${problem.detail ? `: ${escapeMarkdown(problem.detail)}` : ''}.`);
  }
  return { markdown: lines.join('\n\n'), start: span.start, end: span.end };
}
