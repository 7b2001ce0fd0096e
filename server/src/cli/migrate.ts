// kube-netlens migrate: the Ingresses of the manifests as Gateway API objects (YAML on stdout), what
// could not be converted (and why), and the proof: probe requests routed through both. The work is
// features/migrate.ts; this file parses arguments and prints.

import { runMigration } from '../features/migrate';
import type { MigrateTarget } from '../engine/migrate/gateway-api';
import { printable } from '../protocol/escape';
import { UsageError, parseOptions } from './common';
import { loadForEngine } from './engine-input';
import { loadPaths } from './common';
import { single } from './reach';

export const MIGRATE_USAGE = `kube-netlens migrate <files or folders...> --to gateway-api
                     (--gateway NAMESPACE/NAME | --gateway-class NAME) [--json] [--default-namespace NS]

  The Ingresses of the manifests as Gateway API objects, printed as YAML; everything that could not be
  converted is listed (on stderr, and as a comment next to the route it concerns). Then probe requests
  (every host and path boundary, wildcard depths, no host, both schemes with TLS) are routed through
  the Ingresses and through the generated objects, and every difference is listed.
  --gateway NS/NAME      attach the routes to this existing Gateway (by port: 80 HTTP, 443 HTTPS); the probes
                         go through it as the files define it (else through a stand-in of that name)
  --gateway-class NAME   generate a Gateway of this class, named NAME (after the class) in the Ingresses'
                         namespace ("default" when they are in several), one listener per host and protocol
  --json                 {objects, unconverted: [{ingress, annotation | field, why}], probes: {count, differences}}
  Exit status: 0 every probe routes the same and everything was converted, 1 a probe differs or something
  could not be converted, 2 bad usage, unreadable files or invalid YAML.`;

export function runMigrate(argv: string[]): number {
  const { options, positional } = parseOptions(
    argv,
    ['--to', '--gateway', '--gateway-class', '--default-namespace'],
    ['--json'],
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
  loadForEngine(positional, defaultNamespace);
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
        }: Ingress → ${d.ingress}; Gateway → ${d.gateway}`,
      );
    process.stderr.write(printable(lines.map((l) => `kube-netlens: ${l}`).join('\n') + '\n'));
  }
  return run.probes.differences.length === 0 && unconverted.length === 0 ? 0 : 1;
}
