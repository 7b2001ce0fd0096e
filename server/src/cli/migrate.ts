// kube-netlens migrate: the Ingresses of the manifests as Gateway API objects (YAML on stdout), what
// could not be converted (and why), and the proof: probe requests routed through both. The work is
// features/migrate.ts; this file parses arguments and prints.

import { runMigration } from '../features/migrate';
import type { MigrateTarget } from '../engine/migrate/gateway-api';
import { escapeMarkdown, markdownCode, printable } from '../protocol/escape';
import { idText } from '../engine/types';
import { sarifLog } from './formats';
import type { SarifFinding } from './formats';
import { UsageError, parseOptions } from './common';
import { loadForEngine } from './engine-input';
import { loadPaths } from './common';
import { locator, single } from './reach';

export const MIGRATE_USAGE = `kube-netlens migrate <files or folders...> --to gateway-api
                     (--gateway NAMESPACE/NAME | --gateway-class NAME) [--format text|json|sarif|markdown]
                     [--default-namespace NS]

  The Ingresses of the manifests as Gateway API objects, printed as YAML; everything that could not be
  converted is listed (on stderr, and as a comment next to the route it concerns). Then probe requests
  (every host and path boundary, wildcard depths, no host, both schemes with TLS) are routed through
  the Ingresses and through the generated objects, and every difference is listed.
  --gateway NS/NAME      attach the routes to this existing Gateway (by port: 80 HTTP, 443 HTTPS); the probes
                         go through it as the files define it (else through a stand-in of that name)
  --gateway-class NAME   generate a Gateway of this class, named NAME (after the class) in the Ingresses'
                         namespace ("default" when they are in several), one listener per host and protocol
  --json                 {objects, unconverted: [{ingress, annotation | field, why}], probes: {count, differences}}
  --format sarif         each unconverted item a warning at its Ingress, each probe difference an error
  --format markdown      a pull-request comment: counts, tables of what was not converted and of the
                         differences, the YAML in a code block
  Exit status: 0 every probe routes the same and everything was converted, 1 a probe differs or something
  could not be converted, 2 bad usage, unreadable files or invalid YAML.`;

function headerText(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
}

/** The migration as a pull-request comment: the counts, what was not converted, the probe differences,
 * and the YAML in a fence longer than any run of backticks in it. */
function migrateMarkdown(
  run: ReturnType<typeof runMigration>,
  unconverted: { ingress: string; annotation?: string; field?: string; why: string }[],
): string {
  const objects = run.result.objects.filter((o) => Object.keys(o.object).length > 0).length;
  const out = [
    '### kube-netlens migrate',
    '',
    escapeMarkdown(
      `${run.ingresses.length} Ingress${run.ingresses.length === 1 ? '' : 'es'} → ${objects} Gateway API objects (Gateway ${run.result.gateway.namespace}/${run.result.gateway.name}${run.result.gatewayGenerated ? ', generated' : ''}); probes: ${run.probes.count}, differences: ${run.probes.differences.length}; not converted: ${unconverted.length}`,
    ),
  ];
  if (unconverted.length) {
    out.push('', '#### Not converted', '', '| Ingress | annotation or field | why |', '|---|---|---|');
    for (const u of unconverted)
      out.push(
        `| ${markdownCode(u.ingress)} | ${markdownCode(u.annotation ?? u.field ?? '')} | ${escapeMarkdown(u.why)} |`,
      );
  }
  if (run.probes.differences.length) {
    out.push('', '#### Probe differences', '', '| request | Ingresses | Gateway API |', '|---|---|---|');
    for (const d of run.probes.differences)
      out.push(
        `| ${escapeMarkdown(d.request.url + (d.request.headers ? ` (${headerText(d.request.headers)})` : '') + (d.via ? ` via ${d.via}` : ''))} | ${escapeMarkdown(d.ingress)} | ${escapeMarkdown(d.gateway)} |`,
      );
  }
  const yaml = printable(run.yaml);
  const longest = Math.max(0, ...(yaml.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  out.push('', '#### Gateway API objects', '', `${fence}yaml`, yaml.replace(/\n$/, ''), fence);
  return out.join('\n') + '\n';
}

export function runMigrate(argv: string[]): number {
  const { options, positional } = parseOptions(
    argv,
    ['--to', '--gateway', '--gateway-class', '--default-namespace'],
    ['--json', '--sarif', '--markdown'],
  );
  const to = single(options, '--to');
  if (to === undefined) throw new UsageError('--to is required: --to gateway-api');
  if (to !== 'gateway-api') throw new UsageError(`--to must be gateway-api (got "${to}")`);
  const gatewayRef = single(options, '--gateway');
  const gatewayClass = single(options, '--gateway-class');
  if ((gatewayRef === undefined) === (gatewayClass === undefined))
    throw new UsageError('give exactly one of --gateway NAMESPACE/NAME and --gateway-class NAME');
  let target: MigrateTarget;
  if (gatewayRef !== undefined) {
    const slash = gatewayRef.indexOf('/');
    const namespace = slash >= 0 ? gatewayRef.slice(0, slash) : 'default';
    const name = slash >= 0 ? gatewayRef.slice(slash + 1) : gatewayRef;
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace) || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name))
      throw new UsageError(`--gateway must be NAMESPACE/NAME of a Gateway (got "${gatewayRef}")`);
    target = { gateway: { namespace, name } };
  } else {
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(gatewayClass!))
      throw new UsageError(`--gateway-class must be a GatewayClass name (got "${gatewayClass}")`);
    target = { gatewayClass: gatewayClass! };
  }
  const defaultNamespace = single(options, '--default-namespace');
  // invalid YAML stops the command (exit 2), as for route
  const { files, cluster } = loadForEngine(positional, defaultNamespace);
  const { index } = loadPaths(positional, defaultNamespace ?? 'default');
  const run = runMigration(index, { target });
  const unconverted = run.result.unconverted.map((u) => ({
    ingress: u.ingress,
    ...(u.annotation !== undefined ? { annotation: u.annotation } : { field: u.field ?? '' }),
    why: u.why,
  }));
  if (options['--json']) {
    process.stdout.write(
      JSON.stringify(
        {
          objects: run.result.objects.map((o) => o.object).filter((o) => Object.keys(o).length > 0),
          unconverted,
          probes: run.probes,
        },
        null,
        2,
      ) + '\n',
    );
  } else if (options['--sarif']) {
    const locate = locator(files);
    const ingressAt = (id: string) => locate(cluster.ingresses.find((i) => idText(i.id) === id)?.source);
    const findings: SarifFinding[] = [
      ...unconverted.map((u) => ({
        ruleId: 'migrate-unconverted',
        level: 'warning' as const,
        message: `${'annotation' in u ? u.annotation : u.field}: ${u.why}`,
        location: ingressAt(u.ingress),
      })),
      ...run.probes.differences.map((d) => ({
        ruleId: 'migrate-probe-difference',
        level: 'error' as const,
        message: `${d.request.url}${d.request.headers ? ` (${headerText(d.request.headers)})` : ''}${d.via ? ` via ${d.via}` : ''}: the Ingresses answer ${d.ingress}, the Gateway API objects ${d.gateway}`,
      })),
    ];
    process.stdout.write(sarifLog('migrate', findings));
  } else if (options['--markdown']) {
    process.stdout.write(migrateMarkdown(run, unconverted));
  } else {
    process.stdout.write(printable(run.yaml));
    const lines: string[] = [];
    lines.push(
      `migrated ${run.ingresses.length} Ingress${run.ingresses.length === 1 ? '' : 'es'} to ${run.result.objects.filter((o) => Object.keys(o.object).length > 0).length} Gateway API objects (Gateway ${run.result.gateway.namespace}/${run.result.gateway.name}${run.result.gatewayGenerated ? ', generated' : ''})`,
    );
    for (const u of unconverted)
      lines.push(`unconverted: Ingress ${u.ingress} ${'annotation' in u ? u.annotation : u.field}: ${u.why}`);
    const via =
      run.probes.gateway.source === 'stand-in'
        ? ` (through a stand-in for Gateway ${run.result.gateway.namespace}/${run.result.gateway.name}, which these files do not define: one listener per host and protocol)`
        : run.probes.gateway.source === 'files'
          ? ` (through Gateway ${run.result.gateway.namespace}/${run.result.gateway.name} as these files define it)`
          : '';
    lines.push(`probes: ${run.probes.count}, differences: ${run.probes.differences.length}${via}`);
    for (const d of run.probes.differences)
      lines.push(
        `difference: ${d.request.url}${
          d.request.headers
            ? ` ${Object.entries(d.request.headers)
                .map(([k, v]) => `${k}: ${v}`)
                .join(', ')}`
            : ''
        }${d.via ? ` via ${d.via}` : ''}: Ingress → ${d.ingress}; Gateway → ${d.gateway}`,
      );
    process.stderr.write(printable(lines.map((l) => `kube-netlens: ${l}`).join('\n') + '\n'));
  }
  return run.probes.differences.length === 0 && unconverted.length === 0 ? 0 : 1;
}
