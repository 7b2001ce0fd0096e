// "Migrate to Gateway API" in the editor: the command the code action runs and the request the client
// sends to the server for the migrated YAML. Imported by the server and the client.

export const MIGRATE_COMMAND = 'kubeNetlens.migrateToGateway';
export const MIGRATE_METHOD = 'kubeNetlens/migrateToGateway';

export interface MigrateParams {
  /** ingress: one Ingress of `uri`; file: every Ingress of `uri`; workspace: every Ingress. */
  scope: 'ingress' | 'file' | 'workspace';
  uri?: string;
  /** "namespace/name" for scope ingress. */
  ingress?: string;
  /** The GatewayClass of the generated Gateway (default "gateway"). */
  gatewayClass?: string;
}

export interface MigrateResult {
  yaml: string;
  ingresses: number;
  unconverted: { ingress: string; item: string; why: string }[];
  probes: { count: number; differences: { url: string; ingress: string; gateway: string }[] };
  /** "Migrate to Gateway API: 3 Ingresses, 120 probes, 0 differences". */
  title: string;
}

export function isMigrateParams(p: unknown): p is MigrateParams {
  if (!p || typeof p !== 'object') return false;
  const o = p as Record<string, unknown>;
  if (o.scope !== 'ingress' && o.scope !== 'file' && o.scope !== 'workspace') return false;
  for (const k of ['uri', 'ingress', 'gatewayClass'])
    if (o[k] !== undefined && typeof o[k] !== 'string') return false;
  if (o.scope !== 'workspace' && typeof o.uri !== 'string') return false;
  if (o.scope === 'ingress' && typeof o.ingress !== 'string') return false;
  return true;
}
