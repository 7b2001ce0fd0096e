// kube-netlens reach: may one Pod/workload (or address) open a connection to another, and which
// NetworkPolicy rule says so. The verdict comes from engine/reach.ts; this file only parses arguments
// and prints.

import { EndpointError, evaluateReach, resolveEndpoint, resolvePortName } from '../engine/reach';
import { evaluateServiceReach, findService } from '../engine/reach-service';
import type { ServiceReachResult } from '../engine/reach-service';
import { CNI_NAMES, isCniName } from '../engine/cni';
import { tierContext } from '../engine/tiers';
import type { Endpoint, Reason, ReachResult, SideVerdict } from '../engine/reach';
import type { Cluster, Protocol, SourceRef } from '../engine/types';
import { UsageError, lineCol, lineStartsOf, parseOptions } from './common';
import type { LoadedFile } from './common';
import { loadForEngine } from './engine-input';
import { printable } from '../protocol/escape';
import { sarifLog, textAnswerMarkdown } from './formats';
import type { SarifFinding } from './formats';

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

const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/;

/** --port: a number 1-65535 or an IANA-style port name. */
export function parsePortOption(v: string | undefined, required: boolean): number | string | undefined {
  if (v === undefined) {
    if (required)
      throw new UsageError(
        '--port is required (a number such as 8080, or a container port name such as http)',
      );
    return undefined;
  }
  if (/^\d+$/.test(v)) {
    const n = Number(v);
    if (n < 1 || n > 65535) throw new UsageError(`--port must be between 1 and 65535 (got ${v})`);
    return n;
  }
  if (!PORT_NAME.test(v))
    throw new UsageError(`--port must be a number 1-65535 or a port name like http (got "${v}")`);
  return v;
}

/** --cni: auto or a plugin name. */
export function parseCniOption(v: string | undefined): string | undefined {
  if (v === undefined || v === 'auto') return undefined;
  const n = v.toLowerCase();
  if (!isCniName(n))
    throw new UsageError(`--cni must be auto or one of ${CNI_NAMES.join(', ')} (got "${v}")`);
  return n;
}

export function parseProtocolOption(v: string | undefined): Protocol {
  const p = (v ?? 'TCP').toUpperCase();
  if (p !== 'TCP' && p !== 'UDP' && p !== 'SCTP')
    throw new UsageError(`--protocol must be TCP, UDP or SCTP (got "${v}")`);
  return p;
}

/** One option given at most once. */
export function single(options: Record<string, string[]>, name: string): string | undefined {
  const v = options[name];
  if (v && v.length > 1) throw new UsageError(`${name} given ${v.length} times; give it once`);
  return v?.[0];
}

export interface Location {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Turns engine SourceRefs (file + offsets) into 1-based lines and columns. */
export function locator(files: LoadedFile[]): (s: SourceRef | undefined) => Location | undefined {
  const texts = new Map(files.map((f) => [f.file, f.text]));
  const starts = new Map<string, number[]>();
  return (s) => {
    if (!s) return undefined;
    const text = texts.get(s.uri);
    if (text === undefined) return undefined;
    let ls = starts.get(s.uri);
    if (!ls) starts.set(s.uri, (ls = lineStartsOf(text)));
    const a = lineCol(s.start, ls);
    const b = lineCol(s.end, ls);
    return { file: s.uri, line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
  };
}

function endpointKind(e: Endpoint): string {
  return e.kind === 'workload' ? e.workload.id.kind : e.domain !== undefined ? 'Domain' : 'External';
}

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

function jsonResult(
  r: ReachResult,
  from: Endpoint,
  to: Endpoint | string,
  locate: ReturnType<typeof locator>,
) {
  const reason = (x: Reason) => {
    const { source, ...rest } = x;
    const location = locate(source);
    return location ? { ...rest, location } : rest;
  };
  const side = (s: SideVerdict) => ({
    direction: s.direction,
    ...(s.pod !== undefined ? { pod: s.pod } : {}),
    allowed: s.allowed,
    isolated: s.isolated,
    policies: s.policies.map((p) => {
      const location = locate(p.source);
      return location ? { name: p.name, location } : { name: p.name };
    }),
    reasons: s.reasons.map(reason),
    ...(s.tier !== undefined ? { tier: s.tier } : {}),
    ...(s.chain
      ? {
          chain: s.chain.map(({ source, ...rest }) => {
            const location = locate(source);
            return location ? { ...rest, location } : rest;
          }),
        }
      : {}),
    ...(s.inert?.length
      ? {
          inert: s.inert.map((p) => {
            const location = locate(p.source);
            return location ? { name: p.name, location } : { name: p.name };
          }),
        }
      : {}),
    ...(s.unevaluated?.length
      ? {
          unevaluated: s.unevaluated.map((p) => {
            const location = locate(p.source);
            return location ? { name: p.name, location } : { name: p.name };
          }),
        }
      : {}),
  });
  return {
    version: 1,
    allowed: r.allowed,
    from: r.from,
    fromKind: endpointKind(from),
    to: r.to,
    toKind: typeof to === 'string' ? to : endpointKind(to),
    port: r.port,
    ...(r.resolvedPort !== undefined ? { resolvedPort: r.resolvedPort } : {}),
    protocol: r.protocol,
    reasons: r.reasons.map(reason),
    egress: side(r.egress),
    ingress: side(r.ingress),
    tier: decidingTier(r),
    ...(r.cni !== undefined ? { cni: r.cni } : {}),
    ...(r.hairpin ? { hairpin: true } : {}),
    ...(r.conditions?.length ? { conditions: r.conditions } : {}),
  };
}

/** The tier that decided the verdict: a denying side's, else the ingress side's unless it is Default. */
export function decidingTier(r: ReachResult): string {
  if (!r.egress.allowed) return r.egress.tier ?? 'NetworkPolicy';
  if (!r.ingress.allowed) return r.ingress.tier ?? 'NetworkPolicy';
  const i = r.ingress.tier ?? 'Default';
  return i !== 'Default' ? i : (r.egress.tier ?? 'Default');
}

function textResult(r: ReachResult, locate: ReturnType<typeof locator>, cniLine?: string): string {
  const port =
    typeof r.port === 'string' ? `${r.port} (${r.resolvedPort})/${r.protocol}` : `${r.port}/${r.protocol}`;
  const lines: string[] = [];
  const denying = [r.egress, r.ingress]
    .filter((s) => !s.allowed)
    .map((s) => `the ${s.direction.toLowerCase()} side of ${s.pod}`);
  lines.push(
    `${r.allowed ? 'ALLOWED' : 'DENIED'}: ${r.from} → ${r.to} on ${port}${r.allowed ? '' : ` (denied by ${denying.join(' and ')})`}${r.cni !== undefined ? ` [decided in tier ${decidingTier(r)}]` : ''}`,
  );
  if (cniLine) lines.push(cniLine);
  if (r.conditions?.length)
    lines.push(`Conditions the connection must also meet: ${r.conditions.join('; ')}`);
  for (const s of [r.egress, r.ingress]) {
    const who = s.pod ?? (s.direction === 'Egress' ? r.from : r.to);
    const state =
      s.reasons[0]?.kind === 'outside-cluster' ? 'outside the cluster' : s.allowed ? 'allows' : 'denies';
    lines.push(
      '',
      `${s.direction} of ${who}: ${state}${r.cni !== undefined && s.tier ? ` (tier ${s.tier})` : ''}`,
    );
    if (s.chain?.length)
      lines.push(
        `  consulted: ${s.chain.map((c) => `${c.kind} ${c.policy}${c.rule ? ` ${c.rule}` : ''} → ${c.outcome}`).join('; ')}`,
      );
    for (const x of s.reasons) {
      lines.push(`  - ${x.message}`);
      const at = locate(x.source);
      if (at) lines.push(`    at ${at.file}:${at.line}:${at.column}`);
      for (const d of x.details ?? []) lines.push(`    ${d}`);
    }
  }
  return lines.join('\n') + '\n';
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

/** One line saying which network plugin the verdict assumes and why. */
export function cniText(cluster: Cluster, cni: string | undefined): string {
  const { choice, inert, unevaluated } = tierContext(cluster, cni);
  const how =
    choice.how === 'given'
      ? 'given with --cni'
      : choice.how === 'detected'
        ? `detected from ${choice.evidence.slice(0, 3).join(', ')}`
        : choice.evidence.length
          ? `several plugins' resources found (${choice.evidence.slice(0, 3).join(', ')}): every kind is enforced`
          : 'no plugin resources found: every kind is enforced';
  const notEvaluated = unevaluated.length
    ? `; ${unevaluated.length} ${unevaluated[0].plugin}-native polic${unevaluated.length === 1 ? 'y is' : 'ies are'} not evaluated (they may decide first)`
    : '';
  return `Network plugin: ${choice.caps.label} (${how})${inert.length ? `; ${inert.length} polic${inert.length === 1 ? 'y is' : 'ies are'} inert under it` : ''}${notEvaluated}`;
}

/** `Service/ns/name`, or a name that resolves to no Pod or workload but to a Service. */
function isServiceTarget(cluster: Cluster, text: string): boolean {
  if (/^service\//i.test(text.trim())) return true;
  try {
    resolveEndpoint(cluster, text);
    return false;
  } catch (e) {
    if (!(e instanceof EndpointError)) throw e;
    try {
      findService(cluster, text);
      return true;
    } catch {
      return false;
    }
  }
}

function runServiceReach(
  cluster: Cluster,
  files: LoadedFile[],
  from: Endpoint,
  toText: string,
  port: number | string,
  protocol: Protocol,
  cni: string | undefined,
  options: Record<string, string[]>,
): number {
  let r: ServiceReachResult;
  try {
    r = evaluateServiceReach(cluster, from, toText, port, protocol, { cni });
  } catch (e) {
    if (e instanceof EndpointError) throw new UsageError(`--to: ${e.message}`);
    throw e;
  }
  const locate = locator(files);
  const portText = `${typeof r.port === 'string' ? `${r.port} (${r.servicePort})` : r.servicePort}/${r.protocol}`;
  const head = `${r.allowed ? 'ALLOWED' : 'DENIED'}: ${r.from} → Service ${r.service} on ${portText} (target port ${r.targetPort}; ${r.backends.length} backend${r.backends.length === 1 ? '' : 's'}${r.allowed ? '' : `, denied to ${r.backends.filter((b) => !b.result.allowed).length}`})`;
  const text = () => {
    const cniLine = r.backends.some((b) => b.result.cni !== undefined) ? cniText(cluster, cni) : undefined;
    const parts = [head + '\n'];
    for (const b of r.backends) {
      parts.push(
        `\n== backend ${b.backend}${b.hairpin ? ' (service hairpin: the proxy sends the connection back to the same pod)' : ''} ==\n`,
        textResult(b.result, locate, cniLine),
      );
    }
    return parts.join('');
  };
  if (options['--json'])
    process.stdout.write(
      JSON.stringify(
        {
          version: 1,
          allowed: r.allowed,
          from: r.from,
          fromKind: endpointKind(from),
          service: r.service,
          port: r.port,
          servicePort: r.servicePort,
          targetPort: r.targetPort,
          protocol: r.protocol,
          backends: r.backends.map((b) => ({
            backend: b.backend,
            hairpin: b.hairpin,
            ...jsonResult(b.result, from, b.backendKind, locate),
          })),
        },
        null,
        2,
      ) + '\n',
    );
  else if (options['--sarif']) {
    const findings: SarifFinding[] = r.backends
      .filter((b) => !b.result.allowed)
      .flatMap((b) => {
        const what = `${r.from} → Service ${r.service} (backend ${b.backend}${b.hairpin ? ', service hairpin' : ''}) on ${r.protocol} ${r.servicePort}`;
        return b.result.reasons.map((x) => ({
          ruleId: 'reach-denied',
          level: 'error' as const,
          message: `${what} is denied (${x.side}): ${x.message}`,
          location: locate(x.source),
        }));
      });
    process.stdout.write(sarifLog('reach', findings));
  } else if (options['--markdown']) process.stdout.write(textAnswerMarkdown('reach', text()));
  else process.stdout.write(printable(text()));
  return r.allowed ? 0 : 1;
}
