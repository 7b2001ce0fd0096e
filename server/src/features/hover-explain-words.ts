// The words the plain-language hovers share: how a manifest string is shown (inline code that no
// backtick can close, Markdown text that can never become a link), lists cut at MAX_LISTED, workload
// names.

import { escapeMarkdown, printable } from '../protocol/escape';
import type { WorkloadInfo } from '../engine/types';

export const MAX_LISTED = 8;

/** A manifest string as inline code: no backtick can close the span, control and bidi characters are
 * shown as escapes. */
export function code(s: string): string {
  return '`' + printable(s.replace(/`/g, "'").replace(/[\r\n]+/g, ' ')) + '`';
}

/** A manifest string in plain Markdown text: it can never become a link, an image or HTML. */
export const text = escapeMarkdown;

export function cmpText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function listText(items: string[]): string {
  if (items.length <= MAX_LISTED) return items.join(', ');
  return `${items.slice(0, MAX_LISTED).join(', ')} and ${items.length - MAX_LISTED} more`;
}

export function workloadName(w: WorkloadInfo, namespace: string): string {
  return `${w.id.kind} ${text(w.id.name)}${w.id.namespace !== namespace ? ` (namespace ${text(w.id.namespace)})` : ''}`;
}
