// Writes docs/rules.md from the rule registry (every diagnostic's code links to its section here) and
// docs/annotations.md from the annotation table.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { allRuleInfos } from '../server/src/rules/registry';
import { renderAnnotationsDoc } from '../server/src/engine/annotations/doc';

const lines = [
  '# Kube NetLens rules',
  '',
  "Every diagnostic carries its rule id as its code. Change a rule's severity (or turn it `off`) with the",
  '`kubeNetlens.rules` setting in VS Code, or `--rule ID=SEVERITY` on the command line.',
  '',
  '## Severity policy',
  '',
  'A severity says how certain the breakage is, given what the workspace holds:',
  '',
  '- **error**: certain. The API server rejects the object (an invalid value, a name the API refuses, a removed',
  '  apiVersion, a nodePort outside the NodePort range), or a reference points at an object the workspace',
  '  *does* hold but that lacks what is named (a Service without the port an Ingress backend names, a named',
  '  targetPort no selected pod declares): the route is broken whatever else exists.',
  '- **warning**: very likely a mistake, but something outside the workspace could make it right: a reference',
  '  to an object missing from a namespace where the workspace defines others of its kind, a selector that',
  '  nearly matches a workload (the finding sits on the label that differs and says what the pods have), a',
  '  policy that blocks a route, a deprecated API still served.',
  '- **information**: worth knowing, or a reference to something the workspace simply does not hold (its',
  '  namespace has nothing of that kind here: it may be deployed from elsewhere), a deprecated field that',
  '  still works.',
  '- **hint**: style and defaults made explicit.',
  '',
  'Values the API server fills in before it validates (nodePort 0, targetPort 0 or absent, an empty port',
  'name, hostPort 0) are never findings.',
  '',
  '| rule | default | what it reports |',
  '|---|---|---|',
];
const infos = allRuleInfos();
for (const r of infos)
  lines.push(`| [\`${r.id}\`](#${r.id}) | ${r.defaultSeverity} | ${r.description.replace(/\|/g, '\\|')} |`);
lines.push('');
for (const r of infos) {
  lines.push(`## ${r.id}`, '', `Default severity: **${r.defaultSeverity}**.`, '', r.description, '');
}
const out = path.join(process.argv[2] ?? 'docs', 'rules.md');
writeFileSync(out, lines.join('\n'));
console.log(`wrote ${out} (${infos.length} rules)`);

// docs/annotations.md: the annotation table (test/annotations-doc.test.ts keeps it in step)
const annotations = path.join(process.argv[2] ?? 'docs', 'annotations.md');
writeFileSync(annotations, renderAnnotationsDoc());
console.log(`wrote ${annotations}`);
