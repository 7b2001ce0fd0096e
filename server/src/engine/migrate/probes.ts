// Proof of a migration: a set of probe requests asked of the original Ingresses (through the route
// engine, with the redirects and canaries of ingress-nginx on top) and of the generated Gateway API
// objects (through the Gateway resolver, passed in), and every request whose answers differ.
//
// Probes, per the migration issue: for every host (a wildcard one and two labels deep), every path's
// boundaries (the path, with and without a trailing slash, one segment deeper, a sibling sharing its
// prefix, upper case), a request with no matching host name, both schemes where TLS is involved, and
// canary headers.

import type { Cluster, IngressInfo, ServiceInfo } from '../types';
import { idText } from '../types';
import { resolveRoute } from '../route';
import { controllerOfIngress } from '../controller';
import { goBool, goInt, NGINX_PREFIX } from '../annotations/index';
import { hostCovers } from '../host-name';
import { VALID_HOST } from './gateway-api';
import { albEntries, albMatches } from './alb-order';

export interface Probe {
  url: string;
  headers: [string, string][];
}

export interface BackendShare {
  /** "namespace/name" of the Service (or "Kind namespace/name" for another backend). */
  backend: string;
  port: number | string | null;
  /** Share of the traffic, percent. */
  percent: number;
}

export type Answer =
  | { kind: 'backend'; backends: BackendShare[] }
  | { kind: 'redirect'; status: number; location: string }
  | { kind: 'not-found' }
  | { kind: 'error'; status: number; reason: string }
  | { kind: 'other'; text: string };

export interface ProbeDifference {
  request: { url: string; headers?: Record<string, string> };
  /** The load balancer asked, when the Ingresses are served by several (controllers, classes, AWS
   * groups or GKE Ingresses): each answers only for its own Ingresses. */
  via?: string;
  ingress: string;
  gateway: string;
}

export interface ProbeReport {
  count: number;
  differences: ProbeDifference[];
}

const N = (name: string) => NGINX_PREFIX + name;

export function answerText(a: Answer): string {
  switch (a.kind) {
    case 'backend':
      return a.backends
        .map(
          (b) =>
            `${b.backend}${b.port === null ? '' : `:${b.port}`}${a.backends.length > 1 ? ` (${b.percent}%)` : ''}`,
        )
        .join(', ');
    case 'redirect':
      return `redirect ${a.status} to ${a.location}`;
    case 'not-found':
      return '404 (no route)';
    case 'error':
      return `${a.status} (${a.reason})`;
    case 'other':
      return a.text;
  }
}

function sameAnswer(a: Answer, b: Answer): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'backend' && b.kind === 'backend') {
    const key = (x: BackendShare[]) =>
      x
        .map((s) => `${s.backend}:${s.port}:${Math.round(s.percent)}`)
        .sort()
        .join('|');
    return key(a.backends) === key(b.backends);
  }
  if (a.kind === 'redirect' && b.kind === 'redirect')
    return a.status === b.status && normalizeLocation(a.location) === normalizeLocation(b.location);
  // no working backend on both sides (ingress-nginx answers 503, a Gateway 500): the same outcome
  if (a.kind === 'error' && b.kind === 'error') return true;
  if (a.kind === 'other' && b.kind === 'other') return a.text === b.text;
  return true;
}

/** scheme://host[:port]/path with the default port left out. */
function normalizeLocation(loc: string): string {
  const m = /^(https?):\/\/([^/:]+)(?::(\d+))?(\/.*)?$/.exec(loc);
  if (!m) return loc;
  const port =
    m[3] && !((m[1] === 'http' && m[3] === '80') || (m[1] === 'https' && m[3] === '443')) ? `:${m[3]}` : '';
  return `${m[1]}://${m[2].toLowerCase()}${port}${m[4] ?? '/'}`;
}

/** The literal start of a path that may be a regular expression (up to its first special character). */
function literalPrefix(path: string): string {
  const i = path.search(/[()*$^[\]|+?{}\\.]/);
  const lit = i < 0 ? path : path.slice(0, i);
  return lit.startsWith('/') ? lit : `/${lit}`;
}

/** The path variants around one rule path. */
export function pathVariants(path: string): string[] {
  // a path no URL can hold (spaces, controls): the request line could not carry it
  if (/[\s\x00-\x1f\x7f]/.test(path)) return [];
  const p = literalPrefix(path || '/');
  const trimmed = p.length > 1 ? p.replace(/\/+$/, '') : p;
  const out = new Set<string>([
    p,
    trimmed,
    trimmed === '/' ? '/' : `${trimmed}/`,
    `${trimmed === '/' ? '' : trimmed}/x`,
    trimmed === '/' ? '/x' : `${trimmed}x`,
    p.toUpperCase(),
  ]);
  if (trimmed !== '/') out.add(`${trimmed}/deeper/x`);
  return [...out];
}

/** A request path a GKE or ALB wildcard pattern takes (each `*` and `?` an "x"), for patterns whose
 * literal start the other variants already probe. */
function patternSample(path: string): string[] {
  return /[*?]/.test(path) && !path.endsWith('/*') ? [path.replace(/[*?]/g, 'x')] : [];
}

/** Probe requests for a set of Ingresses (`classes`: the workspace's IngressClasses, to tell which
 * paths are GKE or ALB wildcard patterns). */
export function probeRequests(
  ingresses: readonly IngressInfo[],
  classes: Cluster['ingressClasses'] = [],
): Probe[] {
  const hosts = new Map<string, Set<string>>();
  const tlsHosts = ingresses.flatMap((i) => i.tls.flatMap((t) => t.hosts));
  const add = (host: string, paths: Iterable<string>) => {
    const set = hosts.get(host) ?? new Set<string>();
    for (const p of paths) set.add(p);
    hosts.set(host, set);
  };
  const canaryHeaders: [string, string][] = [];
  for (const ing of ingresses) {
    const paths = ing.rules.flatMap((r) => r.paths.map((p) => p.path ?? '/'));
    const kind = controllerOfIngress(ing, classes).kind;
    const patterns = kind === 'gke' || kind === 'aws-alb';
    for (const r of ing.rules)
      if (r.host === undefined || r.host === '' || VALID_HOST.test(r.host.toLowerCase()))
        add((r.host ?? '').toLowerCase(), [
          ...r.paths.flatMap((p) => pathVariants(p.path ?? '/')),
          ...r.paths.flatMap((p) =>
            patterns && p.pathType === 'ImplementationSpecific' ? patternSample(p.path ?? '/') : [],
          ),
          '/',
          '/not-a-route',
        ]);
    if (ing.rules.length === 0) add('', ['/', '/not-a-route', ...paths.flatMap(pathVariants)]);
    const header = ing.annotations?.[N('canary-by-header')];
    if (header)
      canaryHeaders.push(
        [header, ing.annotations?.[N('canary-by-header-value')] ?? 'always'],
        [header, 'never'],
      );
  }
  const probes: Probe[] = [];
  const seen = new Set<string>();
  const push = (url: string, headers: [string, string][] = []) => {
    const k = `${url}\n${headers.map((h) => h.join(':')).join('\n')}`;
    if (seen.has(k)) return;
    seen.add(k);
    probes.push({ url, headers });
  };
  const sorted = [...hosts.keys()].sort();
  const unknownHostPaths = new Set<string>(['/', '/not-a-route']);
  for (const host of sorted) for (const p of hosts.get(host)!) unknownHostPaths.add(p);
  for (const host of sorted) {
    const names =
      host === ''
        ? ['192.0.2.10']
        : host.startsWith('*.')
          ? [`probe.${host.slice(2)}`, `a.probe.${host.slice(2)}`]
          : [host];
    const schemes =
      host !== '' &&
      tlsHosts.some(
        (t) =>
          hostCovers(t, host.startsWith('*.') ? `probe.${host.slice(2)}` : host) || t.toLowerCase() === host,
      )
        ? ['http', 'https']
        : ['http'];
    const paths = host === '' ? unknownHostPaths : hosts.get(host)!;
    for (const name of names) {
      for (const scheme of schemes) {
        for (const p of [...paths].sort()) {
          push(`${scheme}://${name}${p}`);
          for (const h of canaryHeaders) push(`${scheme}://${name}${p}`, [h]);
        }
      }
    }
  }
  // a request with no host name the rules know
  for (const p of ['/', '/not-a-route']) push(`http://192.0.2.10${p}`);
  return probes;
}

function portNumber(
  services: readonly ServiceInfo[],
  ns: string,
  service: string,
  port: number | string | undefined,
): number | string | null {
  if (port === undefined) return null;
  if (typeof port === 'number') return port;
  const svc = services.find((s) => s.id.namespace === ns && s.id.name === service);
  return svc?.ports.find((p) => p.name === port)?.port ?? port;
}

/** What the Ingresses answer a probe: the route engine's match, with ingress-nginx's redirects
 * (permanent/temporal-redirect and app-root before the HTTPS redirect) and canaries on top. */
export function ingressAnswer(
  cluster: Cluster,
  probe: Probe,
  /** ingress-nginx Ingresses whose locations the controller denies (503), with why. */
  denied: Readonly<Record<string, string>> = {},
): Answer {
  const canaries = new Set(
    cluster.ingresses.filter(
      (i) =>
        goBool(i.annotations?.[N('canary')]) === true &&
        controllerOfIngress(i, cluster.ingressClasses).kind === 'ingress-nginx',
    ),
  );
  const main: Cluster = canaries.size
    ? { ...cluster, ingresses: cluster.ingresses.filter((i) => !canaries.has(i)) }
    : cluster;
  const r = resolveRoute(main, probe.url);
  if (!r.match) return { kind: 'not-found' };
  const ing = main.ingresses.find((i) => idText(i.id) === r.match!.ingress);
  if (!ing) return { kind: 'not-found' };
  const decision = controllerOfIngress(ing, cluster.ingressClasses);
  if (decision.kind === 'ingress-nginx' && denied[idText(ing.id)])
    return { kind: 'error', status: 503, reason: denied[idText(ing.id)] };
  // an ALB takes the first rule of its listener that matches (Ingresses by group.order; Exact, Prefix
  // longest first, ImplementationSpecific as listed), not the most specific one
  if (decision.kind === 'aws-alb' && !r.match.defaultBackend) {
    const group = main.ingresses.filter(
      (i) => controllerOfIngress(i, cluster.ingressClasses).mergeKey === decision.mergeKey,
    );
    const first = albEntries(
      group,
      r.match.host ?? '',
      (i) => controllerOfIngress(i, cluster.ingressClasses),
      true,
    ).find((e) => albMatches(e, r.path));
    const fb = first?.path.backend;
    const same =
      first !== undefined &&
      idText(first.ingress.id) === r.match.ingress &&
      (first.path.path ?? null) === r.match.path &&
      first.path.pathType === r.match.pathType;
    if (first && fb && !same) {
      if (fb.kind === 'resource')
        return { kind: 'other', text: `${fb.resourceKind} ${first.ingress.id.namespace}/${fb.name}` };
      if (fb.action) return { kind: 'other', text: `AWS action ${fb.service}` };
      const ns = first.ingress.id.namespace;
      if (!cluster.services.some((s) => s.id.namespace === ns && s.id.name === fb.service))
        return { kind: 'error', status: 503, reason: `Service ${ns}/${fb.service} is not in the files` };
      return {
        kind: 'backend',
        backends: [
          {
            backend: `${ns}/${fb.service}`,
            port: portNumber(cluster.services, ns, fb.service, fb.port),
            percent: 100,
          },
        ],
      };
    }
  }
  const scheme = probe.url.startsWith('https:') ? 'https' : 'http';
  const nginx = decision.kind === 'ingress-nginx';
  const ann = (name: string) => (nginx ? ing.annotations?.[N(name)] : undefined);
  if (nginx) {
    for (const [name, codeName, dflt] of [
      ['temporal-redirect', 'temporal-redirect-code', 302],
      ['permanent-redirect', 'permanent-redirect-code', 301],
    ] as const) {
      const url = ann(name);
      if (!url) continue;
      const code = goInt(ann(codeName) ?? '') ?? dflt;
      return {
        kind: 'redirect',
        status: [301, 302, 303, 307, 308].includes(code) ? code : dflt,
        location: url,
      };
    }
    const appRoot = ann('app-root');
    if (appRoot && r.path === '/')
      return { kind: 'redirect', status: 302, location: `${scheme}://${r.host}${appRoot}` };
    const hostTls = cluster.ingresses.some((i) =>
      i.tls.some((t) => t.secretName && t.hosts.some((h) => hostCovers(h, r.host))),
    );
    if (
      scheme === 'http' &&
      (goBool(ann('force-ssl-redirect')) === true || (hostTls && goBool(ann('ssl-redirect')) !== false))
    ) {
      return { kind: 'redirect', status: 308, location: `https://${r.host}${r.path}` };
    }
  }
  const b = r.match.backend;
  if ('resource' in b)
    return { kind: 'other', text: `${b.resource.kind} ${ing.id.namespace}/${b.resource.name}` };
  const matchedBackend = [
    ing.defaultBackend,
    ...ing.rules.flatMap((x) => x.paths.map((p) => p.backend)),
  ].find((x) => x?.source && x.source === r.match!.backendSource);
  if (matchedBackend?.kind === 'service' && matchedBackend.action)
    return { kind: 'other', text: `AWS action ${matchedBackend.service}` };
  // a Service or port the manifests do not define: nginx has no endpoint to send to
  const broken = r.problems.find((p) => p.step === 'service' || p.step === 'port');
  if (broken) return { kind: 'error', status: 503, reason: broken.message };
  const mainShare: BackendShare = {
    backend: `${ing.id.namespace}/${b.service}`,
    port: portNumber(cluster.services, ing.id.namespace, b.service, b.port ?? undefined),
    percent: 100,
  };
  // a canary of the matched path (same host, path and pathType)
  if (!r.match.defaultBackend) {
    const canary = [...canaries].find(
      (c) =>
        controllerOfIngress(c, cluster.ingressClasses).mergeKey ===
          controllerOfIngress(ing, cluster.ingressClasses).mergeKey &&
        c.rules.some(
          (cr) =>
            (cr.host ?? '').toLowerCase() === (r.match!.host ?? '') &&
            cr.paths.some((cp) => cp.path === r.match!.path && cp.pathType === r.match!.pathType),
        ),
    );
    const cb = canary?.rules
      .flatMap((cr) => cr.paths)
      .find((cp) => cp.path === r.match!.path && cp.pathType === r.match!.pathType)?.backend;
    if (canary && cb?.kind === 'service') {
      const canaryShare: BackendShare = {
        backend: `${canary.id.namespace}/${cb.service}`,
        port: portNumber(cluster.services, canary.id.namespace, cb.service, cb.port),
        percent: 100,
      };
      const cann = (name: string) => canary.annotations?.[N(name)];
      const header = cann('canary-by-header');
      if (header) {
        const sent = probe.headers.find(([k]) => k.toLowerCase() === header.toLowerCase())?.[1];
        const wanted = cann('canary-by-header-value') ?? 'always';
        if (sent !== undefined && sent === wanted) return { kind: 'backend', backends: [canaryShare] };
        if (sent === 'never' && !cann('canary-by-header-value'))
          return { kind: 'backend', backends: [mainShare] };
      }
      const total = goInt(cann('canary-weight-total') ?? '') ?? 100;
      const weight = Math.min(Math.max(goInt(cann('canary-weight') ?? '') ?? 0, 0), total);
      if (weight > 0 && total > 0) {
        if (weight === total) return { kind: 'backend', backends: [canaryShare] };
        return {
          kind: 'backend',
          backends: [
            { ...mainShare, percent: (100 * (total - weight)) / total },
            { ...canaryShare, percent: (100 * weight) / total },
          ],
        };
      }
    }
  }
  return { kind: 'backend', backends: [mainShare] };
}

/** Ask every probe of both sides and list the differences (`via`: the load balancer asked). */
export function compareProbes(
  probes: readonly Probe[],
  ingress: (p: Probe) => Answer,
  gateway: (p: Probe) => Answer,
  via?: string,
): ProbeReport {
  const differences: ProbeDifference[] = [];
  for (const p of probes) {
    const a = ingress(p);
    const b = gateway(p);
    if (!sameAnswer(a, b))
      differences.push({
        request: { url: p.url, ...(p.headers.length ? { headers: Object.fromEntries(p.headers) } : {}) },
        ...(via ? { via } : {}),
        ingress: answerText(a),
        gateway: answerText(b),
      });
  }
  return { count: probes.length, differences };
}
