// kube-netlens route: which backend serves a URL under the Ingresses of the manifests, and where the
// route goes from there (Service, port, targetPort, workloads, container port, TLS). The answer comes
// from engine/route.ts; this file only parses arguments and prints.

import { resolveRoute, backendText } from '../engine/route';
import type { ImplementationSpecificMode, PodTarget, RouteResult } from '../engine/route';
import type { SourceRef } from '../engine/types';
import { UsageError, parseOptions } from './common';
import { loadForEngine } from './engine-input';
import { printable } from '../protocol/escape';
import { closest } from '../engine/edit-distance';
import { sarifLevel, sarifLog, textAnswerMarkdown } from './formats';
import type { SarifFinding } from './formats';
import { locator, single } from './reach';
import { parseHeaderArg, resolveGatewayRoute } from '../engine/gateway';
import { gatewayAnswerFacts, gatewayExitCode, gatewayRouteJson, gatewayRouteText } from './route-gateway';
import type { Location } from './reach';

export const ROUTE_USAGE = `kube-netlens route <files or folders...> --url <url> [--ingress-class NAME]
                   [--implementation-specific prefix|exact|regex] [--format F] [--default-namespace NS]
kube-netlens route <files or folders...> --url <url> --gateway <namespace/name>
                   [--method M] [--header "Name: value"]... [--sni NAME] [--format F]

  Which Ingress rule serves --url, and where does the route go: backend Service, Service port,
  targetPort, the workloads the Service selects, their container port; TLS and its Secret.
  --url URL                    e.g. https://shop.example.com/cart (the scheme is optional, the port is ignored)
  --ingress-class NAME         only Ingresses of this class (and class-less ones when it is the default class)
  --implementation-specific M  how ImplementationSpecific paths match: prefix (default), exact, or regex
                               (as ingress-nginx use-regex: "^" + path, case-insensitive; a path using
                               a PCRE-only construct is left out with a note saying so)
  --gateway NS/NAME             resolve against this Gateway (Gateway API): listener by port and hostname,
                               HTTPRoute/GRPCRoute precedence, filters, weighted backends; without it the
                               Ingresses are used (or the only Gateway, when there is no Ingress); with
                               --url tls://SNI[:port], tcp://HOST:PORT or udp://HOST:PORT a connection to
                               its TLS, TCP or UDP listeners (TLSRoute, TCPRoute, UDPRoute)
  --method M                   the request method for Gateway matching (default GET)
  --header "Name: value"       a request header for Gateway matching (repeatable)
  --sni NAME                   with --gateway and an https:// URL: the TLS server name the connection was
                               opened with, when it differs from the URL's host (a reused connection):
                               the SNI picks the listener; a Host that belongs to another listener on the
                               port gets 421 Misdirected Request, one no listener accepts 404
  --format F                   text (default), json (--json; contract: docs/cli.md), sarif (no route, each
                               problem and conflict a result at its place), markdown (a PR comment)
  Exit status: 0 a backend serves the URL and the route is complete (with --gateway: forwarded to a
  valid backend, or redirected), 1 nothing matches or the route breaks (missing Service, port, pods or
  TLS Secret; with --gateway: 404 or 500), 2 bad usage, unreadable files or invalid YAML.`;

const MODES: ImplementationSpecificMode[] = ['prefix', 'exact', 'regex'];

type Locate = (s: SourceRef | undefined) => Location | undefined;

function withLocation<T extends object>(
  value: T,
  source: SourceRef | undefined,
  locate: Locate,
): T & { location?: Location } {
  const location = locate(source);
  return location ? { ...value, location } : value;
}

/** A value without its engine source references (`source`, `ruleSource`, ...), with `location` for `source`. */
function located<T extends { source?: SourceRef }>(
  value: T,
  locate: Locate,
): Omit<T, 'source'> & { location?: Location } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (k !== 'source' && !k.endsWith('Source')) out[k] = v;
  return withLocation(out as Omit<T, 'source'>, value.source, locate);
}

/** The `route --json` document (version 1, see docs/cli.md). */
export function routeJson(r: RouteResult, locate: Locate) {
  return {
    version: 1,
    url: r.url,
    host: r.host,
    path: r.path,
    ingressClass: r.ingressClass,
    implementationSpecific: r.implementationSpecific,
    match: r.match ? located(r.match, locate) : null,
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
    ...(r.match === null ? { nearest: r.nearest ? located(r.nearest, locate) : null } : {}),
    conflicts: r.conflicts.map((c) => ({ ...c, candidates: c.candidates.map((x) => located(x, locate)) })),
    service: r.service
      ? withLocation(
          { name: r.service.name, type: r.service.type, port: r.service.port, selector: r.service.selector },
          r.service.source,
          locate,
        )
      : null,
    tls: r.tls
      ? withLocation(
          { ingress: r.tls.ingress, secretName: r.tls.secretName ?? null, hosts: r.tls.hosts },
          r.tls.source,
          locate,
        )
      : null,
    pods: r.pods.map((p) => located(p, locate)),
    problems: r.problems.map((p) => located(p, locate)),
    notes: r.notes,
  };
}

function at(locate: Locate, s: SourceRef | undefined): string {
  const l = locate(s);
  return l ? `${l.file}:${l.line}:${l.column}` : '';
}

function podText(p: PodTarget): string {
  const replicas = p.replicas === null ? '' : ` (${p.replicas} replica${p.replicas === 1 ? '' : 's'})`;
  if (p.problem) return `${p.workload}${replicas}: ${p.problem}`;
  const port =
    p.containerPort === null
      ? 'no port'
      : `port ${p.containerPort}${p.portName ? ` "${p.portName}"` : ''}/${p.protocol}`;
  return `${p.workload}${replicas} → ${p.container ? `container ${p.container} ` : ''}${port}${p.declared ? '' : ' (not declared by any container)'}`;
}

/** Human-readable route: the decision first, then each step with where it is written. */
export function routeText(r: RouteResult, locate: Locate): string {
  const lines: string[] = [];
  const push = (label: string, text: string, source?: SourceRef) => {
    lines.push(`  ${label.padEnd(9)}${text}`);
    const where = at(locate, source);
    if (where) lines.push(`  ${' '.repeat(9)}at ${where}`);
  };
  const m = r.match;
  if (!m) {
    lines.push(`NO MATCH: ${r.url}`);
    push('reason', r.reason ?? 'no rule matches');
    if (r.nearest) {
      const n = r.nearest;
      const rule = `${n.host ? `host ${n.host}` : 'any host'}${n.path !== null ? `, ${n.pathType} ${n.path}` : ''}`;
      push('nearest', `Ingress ${n.ingress}: ${rule} (${n.why})`, n.source);
    }
  } else {
    lines.push(`${r.url} → ${backendText(m.backend)}`);
    push('ingress', `${m.ingress}${m.ingressClass ? ` (class ${m.ingressClass})` : ''}`);
    if (m.defaultBackend) push('rule', `default backend: ${m.why}`, m.source);
    else {
      const host = m.host ? `host ${m.host} (${m.hostMatch})` : 'any host';
      push('rule', `${host}, ${m.pathType} ${m.path}: ${m.why}`, m.source);
    }
    if (r.service) {
      const p = r.service.port;
      push(
        'service',
        `${r.service.name} (${r.service.type})${p ? ` port ${p.port}${p.name ? ` "${p.name}"` : ''}/${p.protocol} → targetPort ${p.targetPort}` : ''}`,
        r.service.portSource ?? r.service.source,
      );
    }
    r.pods.forEach((p, i) => push(i === 0 ? 'pods' : '', podText(p), p.portSource ?? p.source));
    if (r.tls)
      push(
        'tls',
        `${r.tls.secretName ? `Secret ${r.tls.secretName}` : 'no secretName'} (tls entry of ${r.tls.ingress}${r.tls.hosts.length ? ` for ${r.tls.hosts.join(', ')}` : ', no hosts'})`,
        r.tls.source,
      );
    else push('tls', `none: host ${r.host} is not in a tls entry of ${m.ingress}`);
  }
  for (const c of r.conflicts) {
    push('conflict', c.message);
    for (const x of c.candidates) {
      const where = at(locate, x.source);
      lines.push(
        `  ${' '.repeat(9)}- ${x.ingress} → ${backendText(x.backend)}${where ? ` at ${where}` : ''}`,
      );
    }
  }
  for (const p of r.problems) push('problem', p.message, p.source);
  for (const n of r.notes) push('note', n);
  return lines.join('\n') + '\n';
}

/** SARIF of an Ingress answer: no route (error), each problem on the way (its rule id and severity),
 * each conflict between Ingresses (warning). */
function routeSarif(r: RouteResult, locate: ReturnType<typeof locator>): string {
  const findings: SarifFinding[] = [];
  if (!r.match)
    findings.push({
      ruleId: 'route-no-match',
      level: 'error',
      message: `nothing serves ${r.url}${r.reason ? `: ${r.reason}` : ''}`,
    });
  for (const p of r.problems)
    findings.push({
      ruleId: p.ruleId ?? `route-${p.step}`,
      level: sarifLevel(p.severity ?? 'warning'),
      message: p.message,
      location: locate(p.source),
    });
  for (const c of r.conflicts)
    findings.push({
      ruleId: 'ingress-path-conflict',
      level: 'warning',
      message: c.message,
      location: locate(c.candidates[0]?.source),
    });
  return sarifLog('route', findings);
}

export function runRoute(argv: string[]): number {
  const { options, positional } = parseOptions(
    argv,
    [
      '--url',
      '--ingress-class',
      '--implementation-specific',
      '--default-namespace',
      '--gateway',
      '--method',
      '--header',
      '--sni',
    ],
    ['--json', '--sarif', '--markdown'],
  );
  const format = options['--json']
    ? 'json'
    : options['--sarif']
      ? 'sarif'
      : options['--markdown']
        ? 'markdown'
        : 'text';
  const url = single(options, '--url');
  if (url === undefined) throw new UsageError('--url is required, e.g. --url https://shop.example.com/cart');
  const gatewayArg = single(options, '--gateway');
  if (gatewayArg === '') throw new UsageError('--gateway needs a Gateway, e.g. --gateway infra/public');
  const method = single(options, '--method');
  if (method !== undefined && !/^[A-Za-z]+$/.test(method))
    throw new UsageError(`--method must be an HTTP method such as GET or POST (got "${method}")`);
  const headers = (options['--header'] ?? []).map((h) => {
    const parsed = parseHeaderArg(h);
    if (!parsed) throw new UsageError(`--header must be "Name: value" (got "${h}")`);
    return parsed;
  });
  const sni = single(options, '--sni');
  if (sni !== undefined) {
    if (gatewayArg === undefined)
      throw new UsageError('--sni is for a Gateway answer: give --gateway NAMESPACE/NAME too');
    if (!/^https:\/\//i.test(url.trim()))
      throw new UsageError(
        `--sni is the TLS server name of an https:// request (got --url ${url}); for a TLSRoute write --url tls://SNI`,
      );
    if (!/^[A-Za-z0-9*]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/.test(sni))
      throw new UsageError(`--sni must be a host name such as shop.example.com (got "${sni}")`);
  }
  const modeText = single(options, '--implementation-specific') ?? 'prefix';
  const mode = modeText.toLowerCase() as ImplementationSpecificMode;
  if (!MODES.includes(mode))
    throw new UsageError(`--implementation-specific must be prefix, exact or regex (got "${modeText}")`);
  const ingressClass = single(options, '--ingress-class');
  if (ingressClass === '') throw new UsageError('--ingress-class needs a class name');
  const { files, cluster } = loadForEngine(positional, single(options, '--default-namespace'));
  const gateways = cluster.gateways ?? [];
  // Without --gateway: the Ingresses, unless there is none and exactly one Gateway (then that one).
  const gatewayName =
    gatewayArg ??
    (cluster.ingresses.length === 0 && gateways.length === 1
      ? `${gateways[0].id.namespace}/${gateways[0].id.name}`
      : undefined);
  if (gatewayName === undefined && cluster.ingresses.length === 0 && gateways.length > 1) {
    throw new UsageError(
      `these manifests define no Ingress and ${gateways.length} Gateways: pick one with --gateway (${gateways
        .slice(0, 10)
        .map((g) => `${g.id.namespace}/${g.id.name}`)
        .join(', ')})`,
    );
  }
  if (gatewayName !== undefined) {
    const r = resolveGatewayRoute(cluster, url, {
      gateway: gatewayName,
      method,
      headers,
      ...(sni !== undefined ? { sni } : {}),
    });
    if (r.error?.startsWith('invalid URL: '))
      throw new UsageError(`--url: ${r.error.replace(/^invalid URL: /, '')}`);
    if (r.error) {
      // a Gateway these files do not define: the nearest ns/name they do define, if one is close
      const names = gateways.map((g) => `${g.id.namespace}/${g.id.name}`);
      const near = names.includes(gatewayName) ? undefined : closest(gatewayName, names);
      throw new UsageError(`--gateway: ${r.error}${near ? `; did you mean ${near}?` : ''}`);
    }
    if (gatewayArg === undefined)
      r.notes.unshift(
        `no --gateway given and no Ingress in these manifests: resolved against the only Gateway, ${gatewayName}`,
      );
    const locate = locator(files);
    if (format === 'json')
      process.stdout.write(JSON.stringify(gatewayRouteJson(cluster, r, locate), null, 2) + '\n');
    else if (format === 'sarif') {
      const findings: SarifFinding[] = [];
      const m = r.match;
      if (!m && r.misdirected)
        findings.push({
          ruleId: 'route-misdirected',
          level: 'error',
          message: `Gateway ${r.gateway ?? gatewayName} answers ${r.url} (SNI ${r.sni}) with ${r.reason}`,
        });
      else if (!m)
        findings.push({
          ruleId: 'route-no-match',
          level: 'error',
          message: `nothing on Gateway ${r.gateway ?? gatewayName} serves ${r.url}${r.reason ? `: ${r.reason}` : ''}`,
        });
      else if (m.invalid)
        findings.push({
          ruleId: 'route-backend-invalid',
          level: 'error',
          message: `${r.url}: ${m.reason ?? 'the matched rule has no working backend'}`,
          location: locate(m.source),
        });
      for (const p of gatewayAnswerFacts(cluster, r).problems)
        findings.push({
          ruleId: p.ruleId ?? `route-${p.step}`,
          level: sarifLevel(p.severity ?? 'warning'),
          message: p.message,
          location: locate(p.source),
        });
      for (const x of r.refused)
        findings.push({
          ruleId: `route-refused-${x.reason}`,
          level: 'warning',
          message: `${x.route}: ${x.message}`,
        });
      process.stdout.write(sarifLog('route', findings));
    } else if (format === 'markdown')
      process.stdout.write(textAnswerMarkdown('route', gatewayRouteText(cluster, r, locate)));
    else process.stdout.write(printable(gatewayRouteText(cluster, r, locate)));
    return gatewayExitCode(r);
  }
  const result = resolveRoute(cluster, url, { ingressClass, implementationSpecific: mode });
  if (gateways.length > 0) {
    result.notes.push(
      `these manifests also define Gateway${gateways.length === 1 ? '' : 's'} ${gateways
        .slice(0, 5)
        .map((g) => `${g.id.namespace}/${g.id.name}`)
        .join(
          ', ',
        )}${gateways.length > 5 ? ', ...' : ''}: this answer uses the Ingresses only; pass --gateway NAMESPACE/NAME to resolve against a Gateway`,
    );
  }
  if (method !== undefined || headers.length)
    result.notes.push(
      'Ingress rules match on host and path only: --method and --header are used with --gateway',
    );
  if (result.problems.some((p) => p.step === 'url'))
    throw new UsageError(`--url: ${result.reason?.replace(/^invalid URL: /, '')}`);
  const locate = locator(files);
  if (format === 'json') process.stdout.write(JSON.stringify(routeJson(result, locate), null, 2) + '\n');
  else if (format === 'sarif') process.stdout.write(routeSarif(result, locate));
  else if (format === 'markdown')
    process.stdout.write(textAnswerMarkdown('route', routeText(result, locate)));
  else process.stdout.write(printable(routeText(result, locate)));
  return result.match && result.problems.length === 0 ? 0 : 1;
}
