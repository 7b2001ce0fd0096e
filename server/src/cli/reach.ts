// kube-netlens reach: may one Pod/workload (or address) open a connection to another, and which
// NetworkPolicy rule says so. The verdict comes from engine/reach.ts; this file only parses arguments
// and prints.

import { EndpointError, evaluateReach, resolveEndpoint, resolvePortName } from '../engine/reach';
import type { Endpoint } from '../engine/reach';
import type { Cluster } from '../engine/types';
import { UsageError, parseOptions } from './common';
import { loadForEngine } from './engine-input';
import { printable } from '../protocol/escape';
import { sarifLog, textAnswerMarkdown } from './formats';
import type { SarifFinding } from './formats';
import { jsonResult, textResult } from './reach-format';
import {
  cniText,
  locator,
  parseCniOption,
  parsePortOption,
  parseProtocolOption,
  single,
} from './reach-options';
import { isServiceTarget, runServiceReach } from './reach-service';

// the shared options, for the commands that import them from here
export {
  cniText,
  locator,
  parseCniOption,
  parsePortOption,
  parseProtocolOption,
  single,
} from './reach-options';
export type { Location } from './reach-options';
export { decidingTier } from './reach-format';

export const REACH_USAGE = `kube-netlens reach <files or folders...> --from <ns/name | IP> --to <ns/name | IP | domain | Service/ns/name> --port <number|name>
                   [--protocol TCP|UDP|SCTP] [--cni NAME] [--format F] [--default-namespace NS]

  May --from open a connection to --to on --port under the NetworkPolicies of the manifests, and which
  rule decides? ns/name names a Pod or a workload (Pods first; Kind/ns/name picks one when several
  share a name). An IP address or CIDR is outside the cluster, unless it is a Pod's status.podIPs.
  A domain name (api.example.com, or dns:NAME) is outside the cluster: domain rules decide it by name
  (domainNames, toFQDNs, fqdn, Calico allowedEgressDomains); address rules only when they hold every
  address, since its addresses come from DNS at run time.
  Service/ns/name (or an ns/name that is only a Service): the connection goes to each pod behind it, on
  the target port of the Service port --port; when --from is behind it too, the proxy may send it back
  to the same pod (service hairpin: the admin tiers apply, NetworkPolicy as the plugin does).
  --port number|name   destination port; a name resolves on the destination's container ports
  --protocol P         TCP (default), UDP or SCTP
  --cni NAME           the network plugin that enforces the policies: auto (default: detected from the
                       plugin's resources in the manifests, else every kind is enforced), generic, none,
                       flannel, calico, canal, cilium, kube-network-policies, ovn-kubernetes, antrea, weave
  --format F           text (default), json (--json; contract: docs/cli.md), sarif (a denied connection
                       a result at each policy that decides it), markdown (a PR comment)
  Verdicts go through the admin tier (ClusterNetworkPolicy, AdminNetworkPolicy), NetworkPolicy with the
  Cilium and Calico kinds, then the baseline tier, and name the tier, policy, rule and action that decide.
  Exit status: 0 allowed, 1 denied, 2 bad usage, unreadable files or invalid YAML.`;

function resolve(cluster: Cluster, text: string, option: string): Endpoint {
  try {
    return resolveEndpoint(cluster, text);
  } catch (e) {
    if (e instanceof EndpointError)
      throw new UsageError(`${option}: ${e.message}${serviceHint(cluster, text)}`);
    throw e;
  }
}

/** When the name given is a Service's (reach takes Pods and workloads): the workloads it selects. */
function serviceHint(cluster: Cluster, text: string): string {
  const parts = text.trim().split('/');
  const name = parts[parts.length - 1];
  const ns = parts.length >= 2 ? parts[parts.length - 2] : undefined;
  const services = cluster.services.filter(
    (s) => s.id.name === name && (ns === undefined || s.id.namespace === ns),
  );
  if (services.length === 1) {
    const svc = services[0];
    const selector = svc.selector;
    const selected = selector
      ? cluster.workloads.filter(
          (w) =>
            w.id.namespace === svc.id.namespace &&
            Object.keys(selector).length > 0 &&
            Object.entries(selector).every(([k, v]) => w.podLabels?.[k] === v),
        )
      : [];
    const list = selected
      .slice(0, 5)
      .map((w) => `${w.id.kind}/${w.id.namespace}/${w.id.name}`)
      .join(', ');
    return `; ${svc.id.namespace}/${svc.id.name} is a Service, and reach takes the pods behind it${list ? `: ${list}` : ' (its selector matches no workload of these files)'}`;
  }
  return '';
}

export function runReach(argv: string[]): number {
  const { options, positional } = parseOptions(
    argv,
    ['--from', '--to', '--port', '--protocol', '--default-namespace', '--cni'],
    ['--json', '--sarif', '--markdown'],
  );
  const cni = parseCniOption(single(options, '--cni'));
  const fromText = single(options, '--from');
  const toText = single(options, '--to');
  if (fromText === undefined)
    throw new UsageError('--from is required (ns/name of a Pod or workload, or an IP address)');
  if (toText === undefined)
    throw new UsageError('--to is required (ns/name of a Pod or workload, or an IP address)');
  const port = parsePortOption(single(options, '--port'), true)!;
  const protocol = parseProtocolOption(single(options, '--protocol'));
  const { files, cluster } = loadForEngine(positional, single(options, '--default-namespace'));
  const from = resolve(cluster, fromText, '--from');
  if (isServiceTarget(cluster, toText))
    return runServiceReach(cluster, files, from, toText, port, protocol, cni, options);
  const to = resolve(cluster, toText, '--to');
  if (from.kind === 'external' && to.kind === 'external') {
    throw new UsageError(
      `neither ${from.name} nor ${to.name} is a Pod or workload: NetworkPolicies only decide traffic to or from pods`,
    );
  }
  if (typeof port === 'string') {
    if (to.kind !== 'workload')
      throw new UsageError(
        `--port ${port}: a port name resolves on the destination pod, and ${to.name} is outside the cluster; give a number`,
      );
    if (resolvePortName(to.workload, port, protocol) === undefined) {
      const declared = to.workload.containers.flatMap((c) =>
        c.ports.filter((p) => p.name).map((p) => `${p.name}=${p.containerPort}/${p.protocol}`),
      );
      throw new UsageError(
        `--port ${port}: ${to.name} declares no ${protocol} container port named "${port}"${declared.length ? ` (it declares ${declared.join(', ')})` : ' (it declares no named ports)'}`,
      );
    }
  }
  const result = evaluateReach(cluster, from, to, port, protocol, { cni });
  const locate = locator(files);
  const text = () => textResult(result, locate, result.cni !== undefined ? cniText(cluster, cni) : undefined);
  if (options['--json'])
    process.stdout.write(JSON.stringify(jsonResult(result, from, to, locate), null, 2) + '\n');
  else if (options['--sarif']) {
    // a denied connection is the finding, at each policy that decides it; an allowed one has none
    const what = `${result.from} → ${result.to} on ${result.protocol} ${result.port}`;
    const findings: SarifFinding[] = result.allowed
      ? []
      : result.reasons.length
        ? result.reasons.map((x) => ({
            ruleId: 'reach-denied',
            level: 'error' as const,
            message: `${what} is denied (${x.side}): ${x.message}`,
            location: locate(x.source),
          }))
        : [{ ruleId: 'reach-denied', level: 'error', message: `${what} is denied` }];
    process.stdout.write(sarifLog('reach', findings));
  } else if (options['--markdown']) process.stdout.write(textAnswerMarkdown('reach', text()));
  else process.stdout.write(printable(text()));
  return result.allowed ? 0 : 1;
}
