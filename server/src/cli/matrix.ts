// kube-netlens matrix: which Pods/workloads may reach which, on one port, under the NetworkPolicies of
// the manifests. Computed by engine/reach-matrix.ts (reachMatrix); printed as a grid, Markdown or JSON.

import { reachMatrix } from '../engine/reach-matrix';
import { reachMatrixDeclaredPorts } from '../engine/reach-matrix-ports';
import type { ReachMatrix } from '../engine/reach-matrix';
import type { DeclaredPortsMatrix } from '../engine/reach-matrix-ports';
import { UsageError, parseOptions } from './common';
import { escapeMarkdown, markdownCode, printable } from '../protocol/escape';
import { loadForEngine } from './engine-input';
import { tierContext } from '../engine/tiers';
import { cniText, parseCniOption, parsePortOption, parseProtocolOption, single } from './reach';

export const MATRIX_USAGE = `kube-netlens matrix <files or folders...> [--port <number|name>] [--protocol TCP|UDP|SCTP] [--namespace NS]
                   [--cni NAME] [--json | --markdown] [--default-namespace NS]

  For every ordered pair of distinct Pods/workloads: may the row reach the column on this port? On the
  diagonal: may a pod reach itself through its own Service (service hairpin), where a Service sends the
  port back to it.
  --port number|name   the destination port (a name resolves on each destination); without it, each
                       destination is tested on every container port it declares (allowed: at least one)
  --protocol P         TCP (default with --port), UDP or SCTP; without --port, only declared ports of P
  --namespace NS       only the Pods and workloads of this namespace
  --cni NAME           the network plugin (auto, generic, none, flannel, calico, canal, cilium, ...: see reach)
  --json               {"port", "protocol", "workloads", "cells": [{"from", "to", "allowed"}], "hairpin"} (docs/cli.md)
  --markdown           a Markdown table, e.g. for a pull request comment
  Exit status: 0 when the matrix was computed, 2 bad usage, unreadable files or invalid YAML.`;

type AnyMatrix = ReachMatrix | DeclaredPortsMatrix;

function portLabel(m: AnyMatrix): string {
  if (m.port === null) return `the ${m.protocol ? m.protocol + ' ' : ''}ports each destination declares`;
  return `${m.port}/${m.protocol}`;
}

function lookup(m: AnyMatrix): (from: number, to: number) => boolean {
  const n = m.workloads.length;
  const pos = new Map(m.workloads.map((w, i) => [w.name, i]));
  const grid = new Uint8Array(n * n);
  for (const c of m.cells) if (c.allowed) grid[pos.get(c.from)! * n + pos.get(c.to)!] = 1;
  return (a, b) => grid[a * n + b] === 1;
}

/** The diagonal: per row, the service hairpin verdict when a Service sends the port back to it. */
function hairpinOf(m: AnyMatrix): (row: number) => boolean | undefined {
  const byName = new Map((m.hairpin ?? []).map((h) => [h.workload, h.allowed]));
  return (row) => byName.get(m.workloads[row].name);
}

function hairpinLines(m: AnyMatrix, code: (s: string) => string): string[] {
  if (!m.hairpin?.length) return [];
  return [
    'Diagonal: the pod reaches itself through its own Service (service hairpin):',
    ...m.hairpin.map(
      (h) =>
        `  ${code(h.workload)} through Service ${code(h.service)}: ${h.allowed ? 'allowed' : 'denied'}${'ports' in h && h.ports.length ? ` (${h.ports.join(', ')})` : ''}${h.tier ? ` [decided in tier ${h.tier}]` : ''}`,
    ),
  ];
}

function summary(m: AnyMatrix): string {
  const allowed = m.cells.filter((c) => c.allowed).length;
  return `${m.workloads.length} workload(s), ${m.cells.length} pair(s): ${allowed} allowed, ${m.cells.length - allowed} denied`;
}

function unresolvedNote(m: AnyMatrix): string[] {
  if (m.port === null) {
    const none = (m as DeclaredPortsMatrix).workloads.filter((w) => w.ports.length === 0).map((w) => w.name);
    return none.length
      ? [
          `${none.join(', ')} declare${none.length === 1 ? 's' : ''} no container ports${m.protocol ? ` of ${m.protocol}` : ''}: nothing to test, shown as denied (give --port to test one).`,
        ]
      : [];
  }
  const missing = (m as ReachMatrix).workloads.filter((w) => w.resolvedPort === null).map((w) => w.name);
  if (!missing.length) return [];
  return [
    `No container port named "${m.port}" (${m.protocol}) on: ${missing.join(', ')}; only rules that allow every port admit traffic to them.`,
  ];
}

function formatText(m: AnyMatrix): string {
  const ws = m.workloads;
  const scope = m.namespace !== undefined ? ` in namespace ${m.namespace}` : '';
  if (ws.length === 0) return `No Pods or workloads${scope}: nothing to compare.\n`;
  const allowed = lookup(m);
  const hairpin = hairpinOf(m);
  const self = (s: number) => {
    const h = hairpin(s);
    return h === undefined ? '·' : h ? '✓' : '✗';
  };
  const num = (i: number) => String(i + 1);
  const numWidth = String(ws.length).length;
  const nameWidth = Math.max(...ws.map((w) => w.name.length));
  const col = Math.max(2, numWidth + 1);
  const lead = ' '.repeat(numWidth + 1 + nameWidth + 1);
  const lines = [
    `Reachability on ${portLabel(m)}${scope}: row → column (✓ allowed, ✗ denied, · same workload${m.hairpin?.length ? '; ✓ or ✗ on the diagonal: through its own Service' : ''})`,
    '',
    lead + ws.map((_, i) => num(i).padStart(col)).join(''),
  ];
  ws.forEach((w, s) => {
    const cells = ws.map((_, t) => (s === t ? self(s) : allowed(s, t) ? '✓' : '✗').padStart(col)).join('');
    lines.push(`${num(s).padStart(numWidth)} ${w.name.padEnd(nameWidth)} ${cells}`);
  });
  lines.push('', 'Columns are numbered as the rows:');
  const kindWidth = Math.max(...ws.map((w) => w.kind.length));
  ws.forEach((w, i) => {
    const ports = (w as { ports?: string[] }).ports;
    const declared = ports ? `  ${ports.length ? ports.join(', ') : 'no ports'}` : '';
    lines.push(
      `${num(i).padStart(numWidth)} ${w.name.padEnd(nameWidth)}  ${declared ? w.kind.padEnd(kindWidth) : w.kind}${declared}`,
    );
  });
  const hp = hairpinLines(m, (x) => x);
  lines.push('', ...unresolvedNote(m), ...hp, summary(m));
  return lines.join('\n') + '\n';
}

function formatMarkdown(m: AnyMatrix): string {
  const ws = m.workloads;
  const scope = m.namespace !== undefined ? ` in namespace ${markdownCode(m.namespace)}` : '';
  if (ws.length === 0) return `No Pods or workloads${scope}: nothing to compare.\n`;
  const allowed = lookup(m);
  const hairpin = hairpinOf(m);
  const self = (s: number) => {
    const h = hairpin(s);
    return h === undefined ? '—' : h ? '✓ (hairpin)' : '✗ (hairpin)';
  };
  const lines = [
    `**NetworkPolicy reachability on ${portLabel(m)}**${scope} — row → column: ✓ allowed, ✗ denied`,
    '',
    `| from ↓ to → | ${ws.map((w) => markdownCode(w.name)).join(' | ')} |`,
    `|---|${ws.map(() => ':-:').join('|')}|`,
  ];
  ws.forEach((w, s) => {
    lines.push(
      `| ${markdownCode(w.name)} | ${ws.map((_, t) => (s === t ? self(s) : allowed(s, t) ? '✓' : '✗')).join(' | ')} |`,
    );
  });
  const hp = hairpinLines(m, markdownCode);
  lines.push(
    '',
    ...unresolvedNote(m).map(escapeMarkdown),
    ...hp.map((l, i) => (i === 0 ? l : `- ${l.trim()}`)),
    summary(m),
  );
  return lines.join('\n') + '\n';
}

export function runMatrix(argv: string[]): number {
  const { options, positional } = parseOptions(
    argv,
    ['--port', '--protocol', '--namespace', '--default-namespace', '--cni'],
    ['--json', '--markdown'],
  );
  const cni = parseCniOption(single(options, '--cni'));
  if (options['--json'] && options['--markdown'])
    throw new UsageError('give either --json or --markdown, not both');
  const port = parsePortOption(single(options, '--port'), false);
  const protocolText = single(options, '--protocol');
  const protocol = parseProtocolOption(protocolText);
  const namespace = single(options, '--namespace');
  const { cluster } = loadForEngine(positional, single(options, '--default-namespace'));
  if (namespace !== undefined && !cluster.workloads.some((w) => w.id.namespace === namespace)) {
    const known = [...new Set(cluster.workloads.map((w) => w.id.namespace))].sort();
    throw new UsageError(
      `--namespace ${namespace}: no Pods or workloads in that namespace${known.length ? ` (namespaces with workloads: ${known.join(', ')})` : ''}`,
    );
  }
  const m: AnyMatrix =
    port === undefined
      ? reachMatrixDeclaredPorts(cluster, {
          protocol: protocolText === undefined ? undefined : protocol,
          namespace,
          cni,
        })
      : reachMatrix(cluster, { port, protocol, namespace, cni });
  const tiered = tierContext(cluster, cni).tiered;
  const extra = tiered ? { cni: tierContext(cluster, cni).caps.name } : {};
  const note = tiered ? cniText(cluster, cni) + tierSummary(m) : undefined;
  if (options['--json']) process.stdout.write(JSON.stringify({ version: 1, ...m, ...extra }, null, 2) + '\n');
  else if (options['--markdown'])
    process.stdout.write(formatMarkdown(m) + (note ? `\n${escapeMarkdown(note)}\n` : ''));
  else process.stdout.write(printable(formatText(m) + (note ? `${note}\n` : '')));
  return 0;
}

/** How many pairs each tier decided (cells carry `tier` when policies beyond NetworkPolicy apply). */
function tierSummary(m: AnyMatrix): string {
  const count = new Map<string, number>();
  for (const c of m.cells as { tier?: string }[]) if (c.tier) count.set(c.tier, (count.get(c.tier) ?? 0) + 1);
  if (!count.size) return '';
  return `\nDeciding tier per pair: ${[...count.entries()].map(([t, n]) => `${t} ${n}`).join(', ')}`;
}
