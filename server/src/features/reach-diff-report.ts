// A reachability diff (engine/reach-diff.ts) as Markdown: the table `kube-netlens diff --format markdown`
// prints for a pull-request comment, and, for the editor's "Compare Reachability with HEAD", the
// reasons before and after under each change. Every manifest string is escaped.

import type { DiffSide, PairChange, ReachDiff } from '../engine/reach-diff';
import { escapeMarkdown, markdownCode } from '../protocol/escape';

/** `allowed (NetworkPolicy: shop/allow-web)`. */
export function decidedText(s: DiffSide): string {
  return `${s.allowed ? 'allowed' : 'denied'} (${s.tier}${s.policies.length ? `: ${s.policies.join(', ')}` : ''})`;
}

/** `shop/web → shop/db`, or for service hairpin `shop/web → itself through Service shop/web`. */
export function pairText(c: PairChange): string {
  return `${c.from} → ${c.hairpin !== undefined ? `itself through Service ${c.hairpin} (service hairpin)` : c.to}`;
}

export function diffMarkdown(d: ReachDiff, options: { reasons?: boolean } = {}): string {
  const lines = [
    `**Reachability changes**: ${d.opened.length} newly allowed, ${d.closed.length} newly denied, ${d.policies.length} policy change(s)`,
    '',
  ];
  const groups = [
    ['🔓 opened', d.opened],
    ['🔒 closed', d.closed],
  ] as const;
  if (d.opened.length || d.closed.length) {
    lines.push('| | from | to | port | before | after |', '|---|---|---|---|---|---|');
    for (const [sign, cs] of groups)
      for (const c of cs)
        lines.push(
          `| ${sign} | ${markdownCode(c.from)} | ${c.hairpin !== undefined ? `itself through Service ${markdownCode(c.hairpin)} (service hairpin)` : markdownCode(c.to)} | ${markdownCode(c.port)} | ${escapeMarkdown(decidedText(c.before))} | ${escapeMarkdown(decidedText(c.after))} |`,
        );
    lines.push('');
  }
  for (const p of d.policies) lines.push(`- ${p.change} ${escapeMarkdown(p.kind)} ${markdownCode(p.name)}`);
  if (options.reasons && (d.opened.length || d.closed.length)) {
    if (d.policies.length) lines.push('');
    lines.push('### Why');
    for (const [sign, cs] of groups)
      for (const c of cs) {
        lines.push(
          '',
          `**${sign}** ${markdownCode(c.from)} → ${c.hairpin !== undefined ? `itself through Service ${markdownCode(c.hairpin)}` : markdownCode(c.to)} on ${markdownCode(c.port)}`,
          '',
        );
        for (const m of c.after.because) lines.push(`- now: ${escapeMarkdown(m)}`);
        for (const m of c.before.because) lines.push(`- was: ${escapeMarkdown(m)}`);
      }
  }
  if (options.reasons && d.workloads.added.length)
    lines.push('', `Workloads added: ${d.workloads.added.map(markdownCode).join(', ')}`);
  if (options.reasons && d.workloads.removed.length)
    lines.push('', `Workloads removed: ${d.workloads.removed.map(markdownCode).join(', ')}`);
  return lines.join('\n') + '\n';
}
