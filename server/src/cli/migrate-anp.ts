// kube-netlens migrate-anp: AdminNetworkPolicy / BaselineAdminNetworkPolicy (v1alpha1) to
// ClusterNetworkPolicy (v1alpha2), with the result proven equal by the engine: the workspace is
// evaluated before and after on every ordered pair of workloads and every port they declare.

import { diffReach } from '../engine/reach-diff';
import { buildCluster } from '../model/cluster';
import { resourcesOf } from '../model/resource';
import { parseFile } from '../syntax/file';
import { applyOffsetEdits } from '../syntax/yaml-edit';
import { ResourceIndex } from '../workspace/index';
import { isV1alpha1AdminPolicy, migrateAdminPolicyEdits, migratedText } from '../rules/migrate-anp';
import { UsageError, parseOptions } from './common';
import { loadForEngine } from './engine-input';
import { single } from './reach';
import { printable } from '../protocol/escape';

export const MIGRATE_ANP_USAGE = `kube-netlens migrate-anp <files or folders...> [--json] [--default-namespace NS]

  Rewrites every AdminNetworkPolicy and BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1)
  as a ClusterNetworkPolicy (v1alpha2): tier Admin with the same priority, or tier Baseline with
  priority 1000; Allow → Accept; ports → protocols. Comments and layout are kept (except inside a
  rewritten ports block). Prints the new documents, then proves them: every
  ordered pair of Pods/workloads is evaluated on every port they declare, before and after, and each
  difference is listed.
  --json   {"version": 1, "migrated": [{"file", "kind", "name", "yaml"}], "pairs", "equal", "differences"}
  Exit status: 0 migrated and proven equal (or nothing to migrate), 1 the engine found a difference,
  2 bad usage, unreadable files or invalid YAML.`;

export function runMigrateAnp(argv: string[]): number {
  const { options, positional } = parseOptions(argv, ['--default-namespace'], ['--json']);
  const ns = single(options, '--default-namespace');
  const { files, cluster } = loadForEngine(positional, ns);
  const migrated: { file: string; kind: string; name: string; yaml: string }[] = [];
  const after = new ResourceIndex();
  after.setDefaultNamespace(ns ?? 'default');
  for (const f of files) {
    if (!f.parsed) continue;
    let text = f.text;
    const edits: { start: number; end: number; newText: string }[] = [];
    for (const doc of f.parsed.docs) {
      for (const r of resourcesOf(doc)) {
        if (!isV1alpha1AdminPolicy(r)) continue;
        const inPlace = migrateAdminPolicyEdits(r);
        if (inPlace)
          edits.push(...inPlace.map((e) => ({ ...e, start: doc.base + e.start, end: doc.base + e.end })));
        else if (r.listIndex !== undefined) continue;
        const yaml = migratedText(r);
        if (yaml === undefined) continue;
        migrated.push({ file: f.file, kind: r.kind, name: r.name ?? '', yaml: yaml + '\n' });
        if (!inPlace)
          edits.push({ start: doc.base + r.node.start, end: doc.base + r.node.end, newText: yaml });
      }
    }
    text = applyOffsetEdits(text, edits);
    after.setFile(
      f.file,
      parseFile(text).docs.flatMap((d) => resourcesOf(d)),
    );
  }
  if (!migrated.length && !positional.length) throw new UsageError('no files or folders given');
  const d = diffReach(cluster, buildCluster(after), { cni: 'generic' });
  const differences = [...d.opened, ...d.closed].map(
    (c) =>
      `${c.from} → ${c.to} on ${c.port}: before ${c.before.allowed ? 'allowed' : 'denied'} (${c.before.because.join('; ')}), after ${c.after.allowed ? 'allowed' : 'denied'} (${c.after.because.join('; ')})`,
  );
  const pairs = cluster.workloads.length * Math.max(0, cluster.workloads.length - 1);
  if (options['--json']) {
    process.stdout.write(
      JSON.stringify({ version: 1, migrated, pairs, equal: differences.length === 0, differences }, null, 2) +
        '\n',
    );
  } else {
    if (!migrated.length) {
      process.stdout.write('No AdminNetworkPolicy or BaselineAdminNetworkPolicy (v1alpha1) to migrate.\n');
      return 0;
    }
    const out: string[] = [];
    for (const m of migrated) out.push(`# ${m.file}: ${m.kind} ${m.name} → ClusterNetworkPolicy\n${m.yaml}`);
    process.stdout.write(printable(out.join('---\n')));
    process.stderr.write(
      differences.length
        ? `kube-netlens: the migrated policies do NOT decide the same on ${differences.length} pair(s):\n  ${differences.join('\n  ')}\n`
        : `kube-netlens: ${migrated.length} polic${migrated.length === 1 ? 'y' : 'ies'} migrated; the engine gives the same verdict on all ${pairs} ordered pair(s) of workloads and every port they declare\n`,
    );
  }
  return differences.length ? 1 : 0;
}
