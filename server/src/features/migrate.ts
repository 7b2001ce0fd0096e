// "Migrate to Gateway API": converts the Ingresses of a workspace (all, one file's, or one) with the
// pure converter of engine/migrate/, writes the result as YAML with its notes as comments, and proves
// it: the probe requests are asked of the original Ingresses (route engine) and of a workspace where
// the generated objects replace them (Gateway resolver), and every difference is listed. The CLI
// (`kube-netlens migrate`) and the language server's command both call this.

import type { Cluster, IngressInfo } from '../engine/types';
import { idText } from '../engine/types';
import { migrateToGatewayApi } from '../engine/migrate/gateway-api';
import type { MigrateTarget, MigrationResult } from '../engine/migrate/gateway-api';
import { compareProbes, ingressAnswer, probeRequests } from '../engine/migrate/probes';
import { controllerOfIngress, loadBalancerText, nginxControllerConfig } from '../engine/controller';
import type { Answer, Probe, ProbeReport } from '../engine/migrate/probes';
import { resolveGatewayRoute } from '../engine/gateway';
import { buildCluster } from '../model/cluster';
import { resourcesOf } from '../model/resource';
import type { Resource } from '../model/resource';
import { documentAt, parseFile } from '../syntax/file';
import type { ParsedFile } from '../syntax/file';
import { writeYamlDocuments } from '../syntax/yaml-write';
import { asMap, asScalar, getValue } from '../syntax/ast';
import { WorkspaceIndex } from '../workspace/index';
import type { ResourceIndex } from '../workspace/index';

export interface MigrationRun {
  yaml: string;
  result: MigrationResult;
  /** The probes, and the Gateway they were routed through: the user's (--gateway, when these files
   * define it), the generated one, or a stand-in for a --gateway these files do not define. */
  probes: ProbeReport & {
    gateway: { namespace: string; name: string; source: 'files' | 'generated' | 'stand-in' };
  };
  /** The Ingresses converted ("namespace/name"). */
  ingresses: string[];
}

export interface MigrateOptions {
  target: MigrateTarget;
  /** Only these Ingresses (by "namespace/name"); all when undefined. */
  only?: (ingress: IngressInfo) => boolean;
}

const GENERATED_URI = 'kube-netlens:migrated.yaml';
const STAND_IN_URI = 'kube-netlens:stand-in-gateway.yaml';

/** The Gateway resolver's answer, in the probe's terms. */
function gatewayAnswer(cluster: Cluster, gateway: string, probe: Probe): Answer {
  const r = resolveGatewayRoute(cluster, probe.url, { gateway, headers: probe.headers });
  const m = r.match;
  if (!m) return { kind: 'not-found' };
  if (m.redirect) return { kind: 'redirect', status: m.status, location: m.redirect.location };
  if (m.invalid) return { kind: 'error', status: 500, reason: m.reason ?? 'invalid backend' };
  const live = m.backends.filter((b) => b.weight > 0);
  if (live.length === 0) return { kind: 'error', status: 500, reason: 'no backend' };
  return {
    kind: 'backend',
    backends: live.map((b) => ({
      backend:
        b.kind && b.kind !== 'Service'
          ? `${b.kind} ${b.namespace}/${b.service}`
          : `${b.namespace}/${b.service}`,
      port: b.port,
      percent: b.percent,
    })),
  };
}

/** The string `data` of a ConfigMap of the workspace (its first definition), or undefined. */
function configMapData(
  index: ResourceIndex,
  namespace: string,
  name: string,
): Record<string, string> | undefined {
  const found = index.find('ConfigMap', namespace, name)[0];
  if (!found) return undefined;
  const out: Record<string, string> = {};
  const data = asMap(getValue(found.resource.node, 'data'));
  for (const p of data?.pairs ?? []) {
    const v = asScalar(p.value);
    if (p.keyText !== undefined && v)
      out[p.keyText] = typeof v.value === 'string' ? v.value : String(v.value);
  }
  return out;
}

export function runMigration(index: ResourceIndex, options: MigrateOptions): MigrationRun {
  const cluster = buildCluster(index);
  const selected = cluster.ingresses.filter((i) => !options.only || options.only(i));
  const result = migrateToGatewayApi(
    {
      ingresses: selected,
      ingressClasses: cluster.ingressClasses,
      services: cluster.services,
      configMapData: (namespace, name) => configMapData(index, namespace, name),
      nginxConfig: nginxControllerConfig(
        index.ofKind('ConfigMap').map((c) => ({
          namespace: index.namespaceOf(c.resource),
          name: c.resource.name ?? '',
          data: configMapData(index, index.namespaceOf(c.resource), c.resource.name ?? '') ?? {},
        })),
      ),
    },
    options.target,
  );
  const yaml = writeYamlDocuments(result.objects.map((o) => ({ value: o.object, comments: o.comments })));

  // the workspace after the migration: the same files without the converted Ingresses, plus the output
  const after = new WorkspaceIndex();
  after.setDefaultNamespace(index.defaultNamespace);
  const converted = new Set(selected.map((i) => idText(i.id)));
  for (const uri of index.files()) {
    const kept = index
      .resourcesOf(uri)
      .filter(
        (r: Resource) => !(r.kind === 'Ingress' && converted.has(`${index.namespaceOf(r)}/${r.name ?? ''}`)),
      );
    after.setFile(uri, kept);
  }
  after.setFile(
    GENERATED_URI,
    parseFile(yaml).docs.flatMap((d) => resourcesOf(d)),
  );
  // --gateway names a Gateway these files may not define: the probes then go through a stand-in of
  // that name with the listeners --gateway-class would generate (one per host and protocol), so that
  // what is compared is the routes, not a missing Gateway
  const own = (cluster.gateways ?? []).some(
    (g) => g.id.namespace === result.gateway.namespace && g.id.name === result.gateway.name,
  );
  const source = result.gatewayGenerated ? 'generated' : own ? 'files' : 'stand-in';
  if (source === 'stand-in') {
    const generated = migrateToGatewayApi(
      { ingresses: selected, ingressClasses: cluster.ingressClasses, services: cluster.services },
      { gatewayClass: 'stand-in' },
    );
    const gw = generated.objects.find((o) => o.object.kind === 'Gateway')!.object as {
      metadata: { name: string; namespace: string };
    };
    gw.metadata = { name: result.gateway.name, namespace: result.gateway.namespace };
    const certificateGrants = generated.objects
      .filter((o) => o.object.kind === 'ReferenceGrant')
      .map((o) => o.object);
    after.setFile(
      STAND_IN_URI,
      parseFile(
        writeYamlDocuments([gw, ...certificateGrants].map((value) => ({ value, comments: [] }))),
      ).docs.flatMap((d) => resourcesOf(d)),
    );
  }
  const afterCluster = buildCluster(after);
  const gateway = `${result.gateway.namespace}/${result.gateway.name}`;
  // each load balancer answers for its own Ingresses only (a controller's class, an AWS group, one GKE
  // Ingress): the probes of its Ingresses are asked of them alone, never of a merge with another
  // controller's Ingresses on the same host; the Gateway side is the one generated Gateway
  const groups = new Map<string, { label: string; ingresses: IngressInfo[] }>();
  for (const ing of selected) {
    const d = controllerOfIngress(ing, cluster.ingressClasses);
    const g = groups.get(d.mergeKey) ?? { label: loadBalancerText(d, idText(ing.id)), ingresses: [] };
    g.ingresses.push(ing);
    groups.set(d.mergeKey, g);
  }
  const report: ProbeReport = { count: 0, differences: [] };
  for (const g of groups.size ? groups.values() : [{ label: '', ingresses: selected }]) {
    const before: Cluster =
      g.ingresses.length === cluster.ingresses.length ? cluster : { ...cluster, ingresses: g.ingresses };
    const one = compareProbes(
      probeRequests(g.ingresses, cluster.ingressClasses),
      (p) => ingressAnswer(before, p, result.deniedIngresses),
      (p) => gatewayAnswer(afterCluster, gateway, p),
      groups.size > 1 ? g.label : undefined,
    );
    report.count += one.count;
    report.differences.push(...one.differences);
  }
  return {
    yaml,
    result,
    probes: { ...report, gateway: { ...result.gateway, source } },
    ingresses: [...converted],
  };
}

/** The Ingress ("namespace/name") whose manifest holds this offset of a file, for the editor's
 * "Migrate this Ingress to Gateway API" action (offered on every Ingress, notice or not). */
export function ingressAt(file: ParsedFile, offset: number, index: ResourceIndex): string | undefined {
  const d = documentAt(file, offset);
  if (!d) return undefined;
  const at = offset - d.base;
  const r = resourcesOf(d).find((x) => x.kind === 'Ingress' && at >= x.node.start && at <= x.node.end);
  return r ? `${index.namespaceOf(r)}/${r.name ?? ''}` : undefined;
}
