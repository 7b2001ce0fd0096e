// The language server's side of "Migrate to Gateway API": runs features/migrate.ts on the workspace
// index for one Ingress, one file or the workspace, and answers with the YAML and the probe summary.

import { ErrorCodes, ResponseError } from 'vscode-languageserver';
import type { Connection } from 'vscode-languageserver';
import { runMigration } from '../features/migrate';
import { idText } from '../engine/types';
import { MIGRATE_METHOD, isMigrateParams } from '../protocol/migrate';
import type { MigrateParams, MigrateResult } from '../protocol/migrate';
import type { PreviewHost } from './preview-claims';

export function migrateInWorkspace(host: Pick<PreviewHost, 'index'>, p: MigrateParams): MigrateResult {
  const gatewayClass =
    p.gatewayClass && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(p.gatewayClass) ? p.gatewayClass : 'gateway';
  const run = runMigration(host.index, {
    target: { gatewayClass },
    only: (i) =>
      p.scope === 'workspace'
        ? true
        : p.scope === 'file'
          ? i.source?.uri === p.uri
          : i.source?.uri === p.uri && idText(i.id) === p.ingress,
  });
  const n = run.ingresses.length;
  const d = run.probes.differences.length;
  return {
    yaml: run.yaml,
    ingresses: n,
    unconverted: run.result.unconverted.map((u) => ({
      ingress: u.ingress,
      item: u.annotation ?? u.field ?? '',
      why: u.why,
    })),
    probes: {
      count: run.probes.count,
      differences: run.probes.differences.map((x) => ({
        url: x.request.url,
        ingress: x.ingress,
        gateway: x.gateway,
      })),
    },
    title: `Migrate to Gateway API: ${n} Ingress${n === 1 ? '' : 'es'}, ${run.probes.count} probes, ${d} difference${d === 1 ? '' : 's'}`,
  };
}

export function registerMigrate(
  connection: Connection,
  host: PreviewHost,
  log: (message: string) => void,
): void {
  connection.onRequest(MIGRATE_METHOD, (params: unknown): unknown => {
    if (!isMigrateParams(params))
      return new ResponseError(
        ErrorCodes.InvalidParams,
        `${MIGRATE_METHOD}: expected {scope, uri?, ingress?, gatewayClass?}`,
      );
    try {
      host.flush();
      return migrateInWorkspace(host, params);
    } catch (e) {
      log(`${MIGRATE_METHOD} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return new ResponseError(
        ErrorCodes.InternalError,
        `${MIGRATE_METHOD} failed: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  });
}
