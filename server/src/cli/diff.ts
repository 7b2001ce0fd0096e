// kube-netlens diff: which pairs of Pods/workloads and ports a change opens or closes, and what decides
// each verdict before and after (engine/reach-diff.ts). Two files or folders, or `--git <ref>` to
// compare a git revision with the working tree. Text, JSON, SARIF or Markdown.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { diffReach } from '../engine/reach-diff';
import type { PairChange, ReachDiff } from '../engine/reach-diff';
import { UsageError, parseOptions } from './common';
import { loadForEngine } from './engine-input';
import { locator, parseCniOption, parsePortOption, parseProtocolOption, single } from './reach';
import type { Location } from './reach';
import { printable } from '../protocol/escape';
import { decidedText, diffMarkdown, pairText } from '../features/reach-diff-report';
import { isYamlName } from '../workspace/disk';

export const DIFF_USAGE = `kube-netlens diff <before> <after> [--port <number|name>] [--protocol TCP|UDP|SCTP] [--namespace NS]
                  [--cni NAME] [--format text|json|sarif|markdown] [--fail-on open|change|never]
kube-netlens diff --git <ref> [paths...]  (the same options)

  Which ordered pairs of Pods/workloads may newly reach each other, or no longer, on which port, and
  which tier, policy and rule decides before and after; which policies of any kind were added, removed
  or changed. <before> and <after> are files or folders; --git <ref> compares the revision <ref> (its
  YAML files under the paths, default ".") with the working tree.
  --port number|name   one port for every pair; without it, each destination's declared container ports
  --protocol P         TCP, UDP or SCTP (with --port: default TCP; without: only declared ports of P)
  --cni NAME           the network plugin (see reach)
  --format F           text (default), json (docs/cli.md), sarif, markdown (for a pull-request comment)
  --fail-on W          open (default): exit 1 when a pair newly opens; change: when anything changes;
                       never: exit 0 whatever changed
  Exit status: 0 nothing (per --fail-on) changed, 1 it did, 2 bad usage, unreadable files or invalid YAML.`;

interface Loaded {
  cluster: ReturnType<typeof loadForEngine>['cluster'];
  locate: (s: PairChange['after']['source']) => Location | undefined;
}

function load(paths: string[], ns: string | undefined, rename?: (file: string) => string): Loaded {
  const { files, cluster } = loadForEngine(paths, ns);
  const locate = locator(files);
  return {
    cluster,
    locate: (s) => {
      const l = locate(s);
      return l && rename ? { ...l, file: rename(l.file) } : l;
    },
  };
}

/** Writes the YAML files of `ref` under `paths` into a temporary folder; returns it and the paths inside it. */
function checkoutRef(ref: string, paths: string[]): { dir: string; paths: string[]; top: string } {
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, {
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      const err = e as { stderr?: string; message: string };
      throw new UsageError(
        `--git ${ref}: git ${args[0]} failed: ${(err.stderr || err.message).trim().split('\n')[0]}`,
      );
    }
  };
  const top = git(['rev-parse', '--show-toplevel']).trim();
  git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kube-netlens-diff-'));
  const rels = paths.map((p) => path.relative(top, path.resolve(p)) || '.');
  for (const rel of rels)
    if (rel.startsWith('..')) throw new UsageError(`--git: ${rel} is outside the repository ${top}`);
  const listed = git(['-C', top, 'ls-tree', '-r', '--name-only', '-z', ref, '--', ...rels])
    .split('\0')
    .filter((f) => f && isYamlName(path.basename(f)));
  for (const f of listed) {
    const text = execFileSync('git', ['-C', top, 'show', `${ref}:${f}`], { maxBuffer: 256 * 1024 * 1024 });
    const out = path.join(dir, f);
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, text);
  }
  for (const rel of rels) mkdirSync(path.join(dir, rel === '.' ? '' : rel), { recursive: true });
  return { dir, paths: rels.map((r) => path.join(dir, r)), top };
}

function jsonOf(d: ReachDiff, before: Loaded, after: Loaded, extra: Record<string, unknown>) {
  const change = (c: PairChange) => {
    const b = before.locate(c.before.source);
    const a = after.locate(c.after.source);
    const strip = (s: PairChange['before'], l: Location | undefined) => {
      const { source, ...rest } = s;
      void source;
      return l ? { ...rest, location: l } : rest;
    };
    return {
      from: c.from,
      to: c.to,
      port: c.port,
      ...(c.hairpin !== undefined ? { hairpin: c.hairpin } : {}),
      before: strip(c.before, b),
      after: strip(c.after, a),
    };
  };
  return {
    version: 1,
    ...extra,
    opened: d.opened.map(change),
    closed: d.closed.map(change),
    policies: d.policies.map((p) => {
      const l = (p.change === 'removed' ? before : after).locate(p.source);
      return { kind: p.kind, name: p.name, change: p.change, ...(l ? { location: l } : {}) };
    }),
    workloads: d.workloads,
  };
}

function textOf(d: ReachDiff): string {
  const lines: string[] = [];
  const list = (title: string, sign: string, cs: PairChange[]) => {
    lines.push(`${title} (${cs.length}):`);
    for (const c of cs) {
      lines.push(
        `  ${sign} ${pairText(c)} on ${c.port}: before ${decidedText(c.before)}, after ${decidedText(c.after)}`,
      );
      for (const m of c.after.because) lines.push(`      now: ${m}`);
      for (const m of c.before.because) lines.push(`      was: ${m}`);
    }
  };
  list('Newly allowed', '+', d.opened);
  lines.push('');
  list('Newly denied', '-', d.closed);
  lines.push('', `Policy changes (${d.policies.length}):`);
  for (const p of d.policies)
    lines.push(
      `  ${p.change === 'added' ? '+' : p.change === 'removed' ? '-' : '~'} ${p.kind} ${p.name} (${p.change})`,
    );
  if (d.workloads.added.length) lines.push(`Workloads added: ${d.workloads.added.join(', ')}`);
  if (d.workloads.removed.length) lines.push(`Workloads removed: ${d.workloads.removed.join(', ')}`);
  return lines.join('\n') + '\n';
}

function sarifOf(d: ReachDiff, before: Loaded, after: Loaded): string {
  const rules = [
    {
      id: 'reach-opened',
      shortDescription: { text: 'A pair of workloads may newly connect on a port.' },
      defaultConfiguration: { level: 'warning' },
    },
    {
      id: 'reach-closed',
      shortDescription: { text: 'A pair of workloads may no longer connect on a port.' },
      defaultConfiguration: { level: 'note' },
    },
  ];
  const result = (c: PairChange, opened: boolean) => {
    const l = opened
      ? after.locate(c.after.source)
      : (after.locate(c.after.source) ?? before.locate(c.before.source));
    return {
      ruleId: opened ? 'reach-opened' : 'reach-closed',
      ruleIndex: opened ? 0 : 1,
      level: opened ? 'warning' : 'note',
      message: {
        text: `${pairText(c)} on ${c.port}: before ${decidedText(c.before)}, after ${decidedText(c.after)}`,
      },
      ...(l
        ? {
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: l.file.split(path.sep).map(encodeURIComponent).join('/') },
                  region: {
                    startLine: l.line,
                    startColumn: l.column,
                    endLine: l.endLine,
                    endColumn: l.endColumn,
                  },
                },
              },
            ],
          }
        : {}),
    };
  };
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kube-netlens diff',
            informationUri: 'https://github.com/kube-netlens/kube-netlens',
            version: '0.1.0',
            rules,
          },
        },
        results: [...d.opened.map((c) => result(c, true)), ...d.closed.map((c) => result(c, false))],
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

export function runDiff(argv: string[]): number {
  const { options, positional } = parseOptions(
    argv,
    ['--port', '--protocol', '--namespace', '--default-namespace', '--cni', '--format', '--fail-on', '--git'],
    [],
  );
  const format = single(options, '--format') ?? 'text';
  if (!['text', 'json', 'sarif', 'markdown'].includes(format))
    throw new UsageError(`--format must be text, json, sarif or markdown (got "${format}")`);
  const failOn = single(options, '--fail-on') ?? 'open';
  if (!['open', 'change', 'never'].includes(failOn))
    throw new UsageError(`--fail-on must be open, change or never (got "${failOn}")`);
  const port = parsePortOption(single(options, '--port'), false);
  const protocolText = single(options, '--protocol');
  const protocol = protocolText === undefined ? undefined : parseProtocolOption(protocolText);
  const cni = parseCniOption(single(options, '--cni'));
  const ns = single(options, '--default-namespace');
  const ref = single(options, '--git');
  let before: Loaded;
  let after: Loaded;
  let cleanup: string | undefined;
  try {
    if (ref !== undefined) {
      const paths = positional.length ? positional : ['.'];
      const co = checkoutRef(ref, paths);
      cleanup = co.dir;
      before = load(co.paths, ns, (f) => `${ref}:${path.relative(co.dir, f)}`);
      after = load(paths, ns);
    } else {
      if (positional.length !== 2)
        throw new UsageError(
          `diff takes two files or folders, <before> and <after> (got ${positional.length}), or --git <ref>`,
        );
      before = load([positional[0]], ns);
      after = load([positional[1]], ns);
    }
  } finally {
    if (cleanup) rmSync(cleanup, { recursive: true, force: true });
  }
  const d = diffReach(before.cluster, after.cluster, {
    port,
    protocol: port !== undefined ? (protocol ?? 'TCP') : protocol,
    namespace: single(options, '--namespace'),
    cni,
  });
  const extra = {
    port: port ?? null,
    protocol: port !== undefined ? (protocol ?? 'TCP') : (protocol ?? null),
    ...(ref !== undefined ? { git: ref } : {}),
  };
  if (format === 'json')
    process.stdout.write(JSON.stringify(jsonOf(d, before, after, extra), null, 2) + '\n');
  else if (format === 'sarif') process.stdout.write(sarifOf(d, before, after));
  else if (format === 'markdown') process.stdout.write(diffMarkdown(d));
  else process.stdout.write(printable(textOf(d)));
  const changed = d.opened.length > 0 || d.closed.length > 0 || d.policies.length > 0;
  if (failOn === 'never') return 0;
  if (failOn === 'change') return changed ? 1 : 0;
  return d.opened.length > 0 ? 1 : 0;
}
