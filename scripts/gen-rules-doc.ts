// Writes docs/rules.md from the rule registry: every diagnostic's code links to its section here.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { allRuleInfos } from '../server/src/rules/registry';

const lines = [
  '# Kube NetLens rules',
  '',
  'Every diagnostic carries its rule id as its code. Change a rule\'s severity (or turn it `off`) with the',
  '`kubeNetlens.rules` setting in VS Code, or `--rule ID=SEVERITY` on the command line.',
  '',
  '| rule | default | what it reports |',
  '|---|---|---|',
];
const infos = allRuleInfos();
for (const r of infos) lines.push(`| [\`${r.id}\`](#${r.id}) | ${r.defaultSeverity} | ${r.description.replace(/\|/g, '\\|')} |`);
lines.push('');
for (const r of infos) {
  lines.push(`## ${r.id}`, '', `Default severity: **${r.defaultSeverity}**.`, '', r.description, '');
}
const out = path.join(process.argv[2] ?? 'docs', 'rules.md');
writeFileSync(out, lines.join('\n'));
console.log(`wrote ${out} (${infos.length} rules)`);
