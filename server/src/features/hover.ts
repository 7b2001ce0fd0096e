// Hover: field documentation anywhere in a covered resource; apiVersion history on apiVersion.

import { escapeMarkdown, printable } from '../protocol/escape';
import type { AstNode, PairNode } from '../syntax/ast';
import { nodePathAt } from '../syntax/ast';
import type { ParsedDocument } from '../syntax/parse';
import { resourcesOf } from '../model/resource';
import type { Segment } from './yaml-path';
import { fieldMarkdown, resolvePath, rootTypeFor } from './schema-path';
import { aKind, apiVersionsForKind, findApiVersion } from '../model/api-versions';

export interface HoverResult {
  markdown: string;
  /** Relative to the document. */
  start: number;
  end: number;
}

/** A manifest string as inline code (no backtick closes it early; control characters as escapes). */
function code(s: string): string {
  return '`' + printable(s.replace(/`/g, "'"), true) + '`';
}

function apiVersionMarkdown(apiVersion: string, kind: string): string {
  const info = findApiVersion(apiVersion, kind);
  const lines: string[] = [];
  if (info) {
    let status = `served from Kubernetes ${info.introduced}`;
    if (info.removed)
      status = `served in Kubernetes ${info.introduced}–${previousMinor(info.removed)}, **removed in ${info.removed}**`;
    else if (info.deprecated) status += `, deprecated since ${info.deprecated}`;
    else status += ' onwards (current)';
    lines.push(`**${escapeMarkdown(kind)}** ${code(apiVersion)}: ${status}.`);
    if (info.replacement)
      lines.push(
        info.replacementKind
          ? `Use ${aKind(info.replacementKind)} (\`${info.replacement}\`) instead.`
          : `Use \`${info.replacement}\` instead.`,
      );
  } else {
    lines.push(`${code(apiVersion)} is not a version Kube NetLens knows for ${escapeMarkdown(kind)}.`);
  }
  const all = apiVersionsForKind(kind);
  if (all.length > 1) {
    lines.push(
      '| apiVersion | served |\n|---|---|\n' +
        all
          .map(
            (v) =>
              `| \`${v.apiVersion}\` | ${v.introduced}${v.removed ? `–${previousMinor(v.removed)}` : '+'}${v.deprecated ? ` (deprecated ${v.deprecated})` : ''} |`,
          )
          .join('\n'),
    );
  }
  return lines.join('\n\n');
}

function previousMinor(v: string): string {
  const [a, b] = v.split('.').map(Number);
  return `${a}.${b - 1}`;
}

export function hover(doc: ParsedDocument, offset: number): HoverResult | undefined {
  if (!doc.root) return undefined;
  const resource = resourcesOf(doc).find((r) => offset >= r.node.start && offset <= r.node.end);
  if (!resource) return undefined;
  const chain = nodePathAt(resource.node, offset);
  // Build the schema path from the chain: pairs give keys, sequences give '[]'.
  const path: Segment[] = [];
  let lastPair: PairNode | undefined;
  let onKey = false;
  for (let i = 0; i < chain.length; i++) {
    const n = chain[i];
    if ('keyText' in n) {
      if (n.keyText === undefined) return undefined;
      path.push(n.keyText);
      lastPair = n;
      onKey = chain[i + 1] === n.key;
      if (onKey) break;
    } else if ((n as AstNode).type === 'seq' && i + 1 < chain.length) {
      path.push('[]');
    }
  }
  if (!lastPair) return undefined;
  const span = onKey ? lastPair.key : (lastPair.value ?? lastPair.key);
  if (path.length === 1 && path[0] === 'apiVersion') {
    return {
      markdown: apiVersionMarkdown(resource.apiVersion, resource.kind),
      start: span.start,
      end: span.end,
    };
  }
  if (path.length === 1 && path[0] === 'kind') {
    return {
      markdown: apiVersionMarkdown(resource.apiVersion, resource.kind),
      start: span.start,
      end: span.end,
    };
  }
  // Hovering inside a free-form map (labels) or list value: describe the field that holds it.
  const root = rootTypeFor(resource.apiVersion, resource.kind);
  if (!root) return undefined;
  let resolved = resolvePath(root, path);
  let trimmed = path.slice();
  while (!resolved?.field && trimmed.length > 0) {
    trimmed = trimmed.slice(0, -1);
    resolved = resolvePath(root, trimmed);
  }
  if (!resolved?.field) return undefined;
  // A hover on a map value (a label) or list item names the field that holds it.
  let md = fieldMarkdown(resolved, resource.kind);
  // on an alias: what it stands for
  const alias = doc.aliases?.find((u) => offset >= u.start && offset <= u.end);
  if (alias)
    md += `\n\n${code('*' + alias.name)} stands for the value anchored as ${code('&' + alias.name)} above: kubectl reads that value here.`;
  return { markdown: md, start: span.start, end: span.end };
}
