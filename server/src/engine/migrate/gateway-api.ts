// The migration of Ingresses to the Gateway API: a pure function from the engine's Ingresses (with
// their annotations, their IngressClasses and the Services they name) to Gateway API objects, plus
// everything it could not convert, each with why. Nothing is dropped silently: every annotation that
// is not converted, every path that cannot keep its meaning, and every widened wildcard is listed, and
// the YAML writer puts the notes as comments next to the route they concern.
//
// What it writes (docs/cli.md "kube-netlens migrate"):
// - with a Gateway class: one Gateway named after the class, in the Ingresses' namespace (or
//   "default" when they are in several), with an HTTP listener per host (and one without hostname for
//   rules without host and catch-alls) and an HTTPS listener per host that has TLS;
// - one HTTPRoute per Ingress and host (named after the Ingress, with the host when it has several);
// - ReferenceGrants for certificate Secrets in another namespace than the Gateway;
// - BackendTLSPolicies for backend-protocol HTTPS/GRPCS.

import type {
  BackendInfo,
  Cluster,
  IngressClassInfo,
  IngressInfo,
  IngressPathInfo,
  ServiceInfo,
} from '../types';
import { idText } from '../types';
import { resolveRoute } from '../route';
import { albEntries, albEntryText, albOverlaps, albPathOrder, albVerdicts } from './alb-order';
import type { AlbEntry, AlbVerdict } from './alb-order';
import {
  controllerOfIngress,
  controllerPathMeaning,
  implementationSpecificMeaning,
  loadBalancerText,
  GLOBAL_ALLOWED_RESPONSE_HEADERS,
  NGINX_HEADER_NAME,
} from '../controller';
import type { NginxControllerConfig } from '../controller';
import type { ControllerDecision, ImplementationSpecificMeaning, PathMeaning } from '../controller';
import { annotationSpec, goBool, goInt, NGINX_PREFIX } from '../annotations/index';
import { hostCovers } from '../host-name';
import { compileUserRegex } from '../regex';

export const GATEWAY_API_VERSION = 'gateway.networking.k8s.io/v1';

export type MigrateTarget = { gatewayClass: string } | { gateway: { namespace: string; name: string } };

export interface MigrateInput {
  ingresses: readonly IngressInfo[];
  ingressClasses: readonly IngressClassInfo[];
  services: readonly ServiceInfo[];
  /** The `data` of a ConfigMap the files define (ingress-nginx custom-headers names one); undefined
   * when they do not define it. */
  configMapData?: (namespace: string, name: string) => Readonly<Record<string, string>> | undefined;
  /** ingress-nginx's controller ConfigMap when the files hold it (its global-allowed-response-headers
   * gates custom-headers); undefined: unknown. */
  nginxConfig?: NginxControllerConfig;
}

export interface Unconverted {
  /** "namespace/name" of the Ingress. */
  ingress: string;
  annotation?: string;
  field?: string;
  why: string;
}

/** A generated object and the comments written above it. */
export interface MigratedObject {
  object: Record<string, unknown>;
  comments: string[];
}

export interface MigrationResult {
  objects: MigratedObject[];
  unconverted: Unconverted[];
  /** The Gateway the routes attach to ("namespace/name"). */
  gateway: { namespace: string; name: string };
  /** True when the Gateway is generated (with --gateway-class). */
  gatewayGenerated: boolean;
  /** ingress-nginx Ingresses whose every location the controller denies (it answers 503), with why:
   * custom-headers entries it refuses. */
  deniedIngresses: Record<string, string>;
}

const N = (name: string) => NGINX_PREFIX + name;
/** ingress-nginx annotations the converter writes an equivalent for (or consumes while converting). */
const CONVERTED = new Set(
  [
    'use-regex',
    'rewrite-target',
    'app-root',
    'ssl-redirect',
    'force-ssl-redirect',
    'permanent-redirect',
    'permanent-redirect-code',
    'temporal-redirect',
    'temporal-redirect-code',
    'canary',
    'canary-weight',
    'canary-weight-total',
    'canary-by-header',
    'canary-by-header-value',
    'upstream-vhost',
    'x-forwarded-prefix',
    'connection-proxy-header',
    'enable-cors',
    'cors-allow-origin',
    'cors-allow-methods',
    'cors-allow-headers',
    'cors-expose-headers',
    'cors-allow-credentials',
    'cors-max-age',
    'backend-protocol',
    'custom-headers',
  ].map(N),
);
const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** A DNS-1123 label made of the text (for names derived from host names). */
export function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/^\*\./, 'wildcard.')
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/-+/g, '-');
  return s || 'x';
}

function nameWithin(name: string, max = 253): string {
  if (name.length <= max) return name;
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  return `${name.slice(0, max - 9).replace(/[-.]+$/, '')}-${h.toString(16).padStart(8, '0').slice(0, 8)}`;
}

/** The name of the listener for a host and protocol. */
export function listenerName(protocol: 'http' | 'https', host: string): string {
  return host ? nameWithin(`${protocol}-${slug(host)}`, 63) : protocol;
}

/** PathPrefix/Exact values the Gateway API accepts (its CRD pattern). */
const GATEWAY_PATH = /^\/(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})*$/;

/** A top-level `|` in a regular expression (outside groups and classes). */
function topLevelAlternation(p: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}

/**
 * The RE2 expression, matched against the whole path (as Gateway implementations based on Envoy do),
 * that means what nginx's `location ~* "^<path>"` (or `~` when case-sensitive) means.
 */
export function regexForLocation(path: string, caseInsensitive: boolean): string {
  const flags = caseInsensitive ? '(?i)' : '';
  return topLevelAlternation(path) ? `${flags}.*(?:^${path}).*` : `${flags}${path}.*`;
}

interface HostPlan {
  host: string;
  tls?: { secret: string; namespace: string; tlsHost: string };
}

interface RouteRule {
  matches: Record<string, unknown>[];
  filters?: Record<string, unknown>[];
  backendRefs?: Record<string, unknown>[];
}

/** Reads a redirect annotation's URL into RequestRedirect fields (undefined: it cannot be expressed). */
function redirectFields(url: string): Record<string, unknown> | undefined {
  const m = /^(https?):\/\/([^/:?#]+)(?::([0-9]{1,5}))?(\/[^?#]*)?$/.exec(url.trim());
  if (!m || url.includes('$')) return undefined;
  const out: Record<string, unknown> = { scheme: m[1], hostname: m[2].toLowerCase() };
  if (m[3]) out.port = Number(m[3]);
  out.path = { type: 'ReplaceFullPath', replaceFullPath: m[4] || '/' };
  return out;
}

const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);

/** The filters a GRPCRoute rule takes (GRPCRouteFilterType). */
const GRPC_FILTERS = new Set([
  'RequestHeaderModifier',
  'ResponseHeaderModifier',
  'RequestMirror',
  'ExtensionRef',
]);
/** Which ingress-nginx annotation an HTTPRoute filter comes from, for messages. */
const FILTER_ORIGIN: Readonly<Record<string, string>> = {
  URLRewrite: 'rewrite-target (a gRPC method path rewritten)',
  CORS: 'enable-cors',
  RequestRedirect: 'a redirect annotation',
};

/** A host name an Ingress rule may hold: DNS-1123 subdomain, or one with a leading `*.` label. */
export const VALID_HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A simple rewrite: `P(/|$)(.*)` with `<x>/$N` (N the last group) is PathPrefix P + ReplacePrefixMatch. */
export function simpleRewrite(path: string, target: string): { prefix: string; replace: string } | undefined {
  const m =
    /^(\/[-A-Za-z0-9._~/]*?)\(\/\|\$\)\(\.\*\)$/.exec(path) ?? /^(\/[-A-Za-z0-9._~/]*\/)\(\.\*\)$/.exec(path);
  if (!m) return undefined;
  const groups = path.endsWith('(/|$)(.*)') ? 2 : 1;
  const t = /^(\/?[-A-Za-z0-9._~/]*?)\/?\$([1-9])$/.exec(target);
  if (!t || Number(t[2]) !== groups) return undefined;
  const replace = t[1] === '' ? '/' : t[1].endsWith('/') ? t[1] : `${t[1]}/`;
  return { prefix: m[1], replace };
}

export function migrateToGatewayApi(input: MigrateInput, target: MigrateTarget): MigrationResult {
  const unconverted: Unconverted[] = [];
  const deniedIngresses: Record<string, string> = {};
  /** Comments for the routes of the Ingress being converted (what is not an unconverted item). */
  let ingressComments: string[] = [];
  const ingresses = [...input.ingresses].sort((a, b) =>
    idText(a.id) < idText(b.id) ? -1 : idText(a.id) > idText(b.id) ? 1 : 0,
  );
  const decisions = new Map<IngressInfo, ControllerDecision>();
  for (const ing of ingresses) decisions.set(ing, controllerOfIngress(ing, input.ingressClasses));
  const isNginx = (ing: IngressInfo) => decisions.get(ing)!.kind === 'ingress-nginx';
  const ann = (ing: IngressInfo, name: string) => ing.annotations?.[N(name)];
  const report = (ing: IngressInfo, what: { annotation?: string; field?: string }, why: string) =>
    unconverted.push({ ingress: idText(ing.id), ...what, why });

  // canary Ingresses (ingress-nginx) join the main Ingress of the same host and path
  const canaries = ingresses.filter((i) => isNginx(i) && goBool(ann(i, 'canary')) === true);
  const mains = ingresses.filter((i) => !canaries.includes(i));

  const namespaces = [...new Set(ingresses.map((i) => i.id.namespace))];
  const gateway =
    'gateway' in target
      ? target.gateway
      : { namespace: namespaces.length === 1 ? namespaces[0] : 'default', name: slug(target.gatewayClass) };
  const generated = 'gatewayClass' in target;

  // hosts: each rule host (lower-cased; '' for rules without host) and its certificate
  const tlsEntries = ingresses.flatMap((ing) =>
    ing.tls.flatMap((t) => t.hosts.map((h) => ({ host: h.toLowerCase(), secret: t.secretName, ing }))),
  );
  const hostPlans = new Map<string, HostPlan>();
  const planFor = (host: string): HostPlan => {
    let p = hostPlans.get(host);
    if (!p) {
      const exact = tlsEntries.find((t) => t.host === host && t.secret);
      const wild =
        exact ??
        tlsEntries.find((t) => t.secret && host && !host.startsWith('*.') && hostCovers(t.host, host));
      p = {
        host,
        ...(wild
          ? { tls: { secret: wild.secret!, namespace: wild.ing.id.namespace, tlsHost: wild.host } }
          : {}),
      };
      hostPlans.set(host, p);
    }
    return p;
  };
  // a rule host that is no DNS name (a port, a placeholder) cannot be a listener or route hostname
  const invalidHost = (h: string) => h !== '' && !VALID_HOST.test(h);
  for (const ing of mains) {
    ing.rules.forEach((r, ri) => {
      const h = (r.host ?? '').toLowerCase();
      if (invalidHost(h))
        report(
          ing,
          { field: `spec.rules[${ri}].host` },
          `host "${r.host}" is not a DNS name (the API server refuses it): no route is written for it`,
        );
      else planFor(h);
    });
  }
  for (const ing of ingresses) {
    ing.tls.forEach((t, i) => {
      if (t.hosts.length === 0)
        report(
          ing,
          { field: `spec.tls[${i}]` },
          'a tls entry without hosts binds its certificate to no host name: write the hosts it covers, they become HTTPS listeners',
        );
      else if (!t.secretName)
        report(
          ing,
          { field: `spec.tls[${i}].secretName` },
          "a tls entry without secretName uses the controller's default certificate: an HTTPS listener needs certificateRefs",
        );
    });
  }
  // Ingresses of different load balancers (controllers, classes, AWS groups, GKE Ingresses) that serve
  // one host: each load balancer routed its own; on one Gateway their routes share the host and compete
  const hostServers = new Map<string, IngressInfo[]>();
  const sharedHosts = new Map<IngressInfo, string[]>();
  for (const ing of mains) {
    // a catch-all (defaultBackend, no rules) answers the requests no host matches: host ''
    const own =
      ing.rules.length === 0 && ing.defaultBackend
        ? ['']
        : ing.rules.map((r) => (r.host ?? '').toLowerCase());
    for (const h of new Set(own))
      if (!invalidHost(h)) hostServers.set(h, [...(hostServers.get(h) ?? []), ing]);
  }
  for (const [h, list] of hostServers) {
    const first = list[0];
    const firstKey = decisions.get(first)!.mergeKey;
    for (const ing of list.slice(1)) {
      const key = decisions.get(ing)!.mergeKey;
      if (
        key === firstKey ||
        list.slice(1, list.indexOf(ing)).some((o) => decisions.get(o)!.mergeKey === key)
      )
        continue;
      sharedHosts.set(ing, [
        ...(sharedHosts.get(ing) ?? []),
        `${h ? `host ${h}` : 'the rules without host'} is also served by Ingress ${idText(first.id)} through ${loadBalancerText(decisions.get(first)!, idText(first.id))}, another load balancer than this Ingress's (${loadBalancerText(decisions.get(ing)!, idText(ing.id))}): on one Gateway the routes of both share the host and compete; give them separate Gateways (or listeners) to keep them apart`,
      ]);
    }
  }
  const catchAlls = mains.filter((i) => i.rules.length === 0 && i.defaultBackend);
  if (catchAlls.length) planFor('');

  // ingress-nginx: a host whose server is regex-enforced (use-regex or a rewrite-target anywhere on it)
  const regexHosts = new Set<string>();
  for (const ing of mains) {
    if (!isNginx(ing)) continue;
    const target = ann(ing, 'rewrite-target');
    const paths = ing.rules.flatMap((r) => r.paths.map((p) => p.path ?? ''));
    if (goBool(ann(ing, 'use-regex')) === true || (target && paths.some((p) => p !== target)))
      for (const r of ing.rules)
        regexHosts.add(`${decisions.get(ing)!.mergeKey}\n${(r.host ?? '').toLowerCase()}`);
  }

  // which hosts have a path that matches everything (a catch-all there would tie with it, or, on a
  // regex host, outrank it: a Gateway ranks PathPrefix before RegularExpression)
  const coversAll = new Set<string>();
  for (const ing of mains) {
    for (const r of ing.rules) {
      const h = (r.host ?? '').toLowerCase();
      const regexHost = isNginx(ing) && regexHosts.has(`${decisions.get(ing)!.mergeKey}\n${h}`);
      for (const p of r.paths) {
        const own =
          p.pathType === 'ImplementationSpecific' && p.path
            ? implementationSpecificMeaning(decisions.get(ing)!, p.path)
            : undefined;
        if (own) {
          if (own.kind === 'pattern' && own.literalPrefix === '/' && own.trailingStarOnly) coversAll.add(h);
        } else if (
          (regexHost || p.pathType === 'Prefix' || p.pathType === 'ImplementationSpecific') &&
          (p.path ?? '/').replace(/\/+$/, '') === ''
        )
          coversAll.add(h);
      }
    }
  }
  const isRegexHost = (h: string) => [...regexHosts].some((k) => k.endsWith(`\n${h}`));

  const objects: MigratedObject[] = [];
  const grants = new Map<string, Set<string>>();
  const backendTls = new Map<string, MigratedObject>();

  // the Gateway
  if (generated) {
    const listeners: Record<string, unknown>[] = [];
    for (const plan of [...hostPlans.values()].sort((a, b) =>
      a.host < b.host ? -1 : a.host > b.host ? 1 : 0,
    )) {
      const hostname = plan.host ? { hostname: plan.host } : {};
      listeners.push({
        name: listenerName('http', plan.host),
        ...hostname,
        port: 80,
        protocol: 'HTTP',
        allowedRoutes: { namespaces: { from: 'All' } },
      });
      if (plan.tls) {
        const ref: Record<string, unknown> = { kind: 'Secret', name: plan.tls.secret };
        if (plan.tls.namespace !== gateway.namespace) {
          ref.namespace = plan.tls.namespace;
          const set = grants.get(plan.tls.namespace) ?? new Set<string>();
          set.add(plan.tls.secret);
          grants.set(plan.tls.namespace, set);
        }
        listeners.push({
          name: listenerName('https', plan.host),
          ...hostname,
          port: 443,
          protocol: 'HTTPS',
          tls: { mode: 'Terminate', certificateRefs: [ref] },
          allowedRoutes: { namespaces: { from: 'All' } },
        });
      }
    }
    const comments = [
      `Generated by kube-netlens migrate from ${ingresses.length} Ingress${ingresses.length === 1 ? '' : 'es'}: one HTTP listener per host, one HTTPS listener per host with TLS.`,
    ];
    objects.push({
      object: {
        apiVersion: GATEWAY_API_VERSION,
        kind: 'Gateway',
        metadata: { name: gateway.name, namespace: gateway.namespace },
        spec: { gatewayClassName: 'gatewayClass' in target ? target.gatewayClass : '', listeners },
      },
      comments,
    });
  }

  const parentRefs = (host: string, scheme: 'http' | 'https'): Record<string, unknown>[] => {
    const ref: Record<string, unknown> = { name: gateway.name, namespace: gateway.namespace };
    if (generated) ref.sectionName = listenerName(scheme, host);
    else ref.port = scheme === 'https' ? 443 : 80;
    return [ref];
  };

  const servicePort = (ing: IngressInfo, b: BackendInfo, where: string): number | undefined => {
    if (b.kind !== 'service') return undefined;
    if (typeof b.port === 'number') return b.port;
    const svc = input.services.find((s) => s.id.namespace === ing.id.namespace && s.id.name === b.service);
    const port = svc?.ports.find((p) => p.name === b.port);
    if (port) return port.port;
    report(
      ing,
      { field: `${where}.service.port.name` },
      `port name "${b.port ?? ''}" of Service ${b.service}: a backendRef needs the port number and ${svc ? 'the Service has no port of that name' : 'these files do not define the Service'}`,
    );
    return undefined;
  };

  const backendRef = (
    ing: IngressInfo,
    b: BackendInfo,
    where: string,
    weight?: number,
  ): Record<string, unknown> | undefined => {
    if (b.kind === 'service' && b.action) {
      report(
        ing,
        { annotation: b.action.annotation },
        'an AWS Load Balancer Controller action: write it as HTTPRoute filters (RequestRedirect) or weighted backendRefs by hand',
      );
      return undefined;
    }
    if (b.kind === 'resource') {
      report(
        ing,
        { field: `${where}.resource` },
        `a ${b.resourceKind} resource backend: a backendRef to a non-Service kind is implementation-specific`,
      );
      return {
        ...(b.apiGroup ? { group: b.apiGroup } : {}),
        kind: b.resourceKind,
        name: b.name,
        ...(weight !== undefined ? { weight } : {}),
      };
    }
    const port = servicePort(ing, b, where);
    return {
      name: b.service,
      ...(port !== undefined ? { port } : {}),
      ...(weight !== undefined ? { weight } : {}),
    };
  };

  const pathMatch = (
    ing: IngressInfo,
    p: IngressPathInfo,
    host: string,
    meaning: PathMeaning | undefined,
    where: string,
  ): Record<string, unknown> | undefined => {
    const path = p.path === undefined || p.path === '' ? '/' : p.path;
    const regexHost = isNginx(ing) && regexHosts.has(`${decisions.get(ing)!.mergeKey}\n${host}`);
    if (regexHost || meaning?.kind === 'regex') {
      const ci = regexHost ? true : meaning?.kind === 'regex' && meaning.caseInsensitive;
      const value = regexForLocation(path, ci);
      const re = compileUserRegex(value, { dialect: 're2', anchor: 'full' });
      if (!re.ok) {
        report(
          ing,
          { field: `${where}.path` },
          `path ${path} is a PCRE regular expression (${re.reason}) with no RE2 equivalent for a Gateway RegularExpression match: rewrite it by hand`,
        );
        return undefined;
      }
      return { path: { type: 'RegularExpression', value } };
    }
    const own =
      !meaning && p.pathType === 'ImplementationSpecific'
        ? implementationSpecificMeaning(decisions.get(ing)!, path)
        : undefined;
    if (own) return controllerPathMatch(ing, p, host, own, where);
    if (meaning?.kind === 'exact' || p.pathType === 'Exact') {
      if (!GATEWAY_PATH.test(path)) {
        report(
          ing,
          { field: `${where}.path` },
          `path ${path} holds characters a Gateway Exact match does not accept`,
        );
        return undefined;
      }
      return { path: { type: 'Exact', value: path } };
    }
    if (p.pathType !== 'Prefix' && p.pathType !== 'ImplementationSpecific') {
      report(
        ing,
        { field: `${where}.pathType` },
        `pathType ${p.pathType} is not Exact, Prefix or ImplementationSpecific`,
      );
      return undefined;
    }
    if (!GATEWAY_PATH.test(path)) {
      report(
        ing,
        { field: `${where}.path` },
        `path ${path} holds characters a Gateway PathPrefix match does not accept (a regular expression? then it needs use-regex: "true")`,
      );
      return undefined;
    }
    return { path: { type: 'PathPrefix', value: path } };
  };

  /** The backend the Ingresses of this Ingress's load balancer send a request path of the host to when
   * this one path is left out (undefined: none, the controller's default answers, a 404). */
  const fallbackFor = (
    ing: IngressInfo,
    host: string,
    p: IngressPathInfo,
    requestPath: string,
  ): { ingress: IngressInfo; backend: BackendInfo } | undefined => {
    const key = decisions.get(ing)!.mergeKey;
    const group = mains
      .filter((i) => decisions.get(i)!.mergeKey === key)
      .map((i) =>
        i !== ing
          ? i
          : { ...i, rules: i.rules.map((r) => ({ ...r, paths: r.paths.filter((x) => x !== p) })) },
      );
    const cluster: Cluster = {
      namespaces: [],
      workloads: [],
      services: [...input.services],
      ingresses: group,
      ingressClasses: [...input.ingressClasses],
      secrets: [],
      policies: [],
    };
    const name = host === '' ? '192.0.2.10' : host.startsWith('*.') ? `probe.${host.slice(2)}` : host;
    const m = resolveRoute(cluster, `http://${name}${requestPath}`).match;
    if (!m) return undefined;
    const owner = group.find((i) => idText(i.id) === m.ingress);
    if (!owner) return undefined;
    const backend = m.defaultBackend
      ? owner.defaultBackend
      : owner.rules
          .filter((r) => (r.host ?? '').toLowerCase() === (m.host ?? ''))
          .flatMap((r) => r.paths)
          .find((x) => (x.path ?? null) === m.path && x.pathType === m.pathType)?.backend;
    // the copy without the path stands for `ing` itself
    return backend ? { ingress: owner.id === ing.id ? ing : owner, backend } : undefined;
  };

  /** An ImplementationSpecific path of GKE or the AWS Load Balancer Controller as a Gateway match. */
  const controllerPathMatch = (
    ing: IngressInfo,
    p: IngressPathInfo,
    host: string,
    m: ImplementationSpecificMeaning,
    where: string,
  ): Record<string, unknown> | undefined => {
    const who = m.controller === 'gke' ? 'GKE' : 'the AWS Load Balancer Controller';
    if (m.kind === 'invalid') {
      report(ing, { field: `${where}.path` }, `${m.why}: no route is written for it`);
      return undefined;
    }
    const alb = m.controller === 'aws-alb' ? albVerdictOf(ing, host, p) : undefined;
    if (m.kind === 'exact') {
      if (GATEWAY_PATH.test(m.path)) return { path: { type: 'Exact', value: m.path } };
      report(
        ing,
        { field: `${where}.path` },
        `path ${m.path} (exact for ${who}) holds characters a Gateway Exact match does not accept`,
      );
      return undefined;
    }
    const lit = m.literalPrefix;
    // an ALB pattern that an earlier rule of the listener partly takes stays a RegularExpression: the
    // Gateway ranks those after every Exact and PathPrefix match, as the ALB ranks these paths
    if (m.trailingStarOnly && lit.endsWith('/') && GATEWAY_PATH.test(lit) && !alb?.overlappedBy.length) {
      if (lit === '/') return { path: { type: 'PathPrefix', value: '/' } };
      const prefix = lit.replace(/\/+$/, '');
      // the controller does not take `prefix` itself with this path: it goes where the other paths (or
      // the default backend) send it, and an Exact rule keeps it there
      const fallback = fallbackFor(ing, host, p, prefix);
      if (fallback && p.backend && sameService(fallback.backend, p.backend))
        return { path: { type: 'PathPrefix', value: prefix } };
      const ref = fallback && backendRef(fallback.ingress, fallback.backend, `${where}.backend`);
      if (ref) {
        extraRules.set(p, {
          matches: [{ path: { type: 'Exact', value: prefix } }],
          backendRefs: [ref],
        });
        pathNotes.push(
          `${p.path} takes ${lit} and deeper for ${who}, not ${prefix}: PathPrefix ${prefix} with an Exact ${prefix} rule that sends ${prefix} where ${who} does (${fallback.backend.kind === 'service' ? `Service ${fallback.backend.service}` : 'the same backend'}).`,
        );
        return { path: { type: 'PathPrefix', value: prefix } };
      }
      report(
        ing,
        { field: `${where}.path` },
        `ImplementationSpecific path ${m.path} matches ${lit} and deeper for ${who}, not ${prefix}, which ${m.controller === 'gke' ? "GKE answers from the load balancer's default backend (404)" : "the ALB answers with the listener's default action (404)"}; it becomes PathPrefix ${prefix}, which also takes ${prefix} itself (the Gateway API has no prefix match that keeps the trailing slash, and no rule that answers 404)`,
      );
      return { path: { type: 'PathPrefix', value: prefix } };
    }
    const re = compileUserRegex(m.regex, { dialect: 're2', anchor: 'full' });
    if (!re.ok) {
      report(ing, { field: `${where}.path` }, `path pattern ${m.path}: ${re.reason}`);
      return undefined;
    }
    report(
      ing,
      { field: `${where}.path` },
      `ImplementationSpecific path ${m.path} is a wildcard pattern for ${who}: it becomes the RegularExpression ${m.regex}, whose support is implementation-specific in the Gateway API${alb?.overlappedBy.length ? ` (kept a RegularExpression so that it ranks after Exact and PathPrefix matches, as on the ALB, where ${albEntryText(alb.overlappedBy[0], ing)} comes first)` : ''}`,
    );
    return { path: { type: 'RegularExpression', value: m.regex } };
  };

  /** Exact rules written next to a controller path that does not take its own prefix (GKE `/v1/*`). */
  const extraRules = new Map<IngressPathInfo, RouteRule>();
  /** Comments for the route being written. */
  let pathNotes: string[] = [];

  // AWS Load Balancer Controller: the listener order of each load balancer and host, computed once
  const albCache = new Map<string, Map<IngressPathInfo, AlbVerdict>>();
  const albAnyHostCache = new Map<string, AlbEntry[]>();
  const albVerdictOf = (ing: IngressInfo, host: string, p: IngressPathInfo): AlbVerdict | undefined => {
    const key = `${decisions.get(ing)!.mergeKey}\n${host}`;
    let byPath = albCache.get(key);
    if (!byPath) {
      const group = mains.filter((i) => decisions.get(i)!.mergeKey === decisions.get(ing)!.mergeKey);
      byPath = new Map(
        albVerdicts(albEntries(group, host, (i) => decisions.get(i)!)).map((v) => [v.entry.path, v]),
      );
      albCache.set(key, byPath);
    }
    return byPath.get(p);
  };
  /** How the migration writes an ALB rule, as the Gateway ranks it. */
  const gatewayRank = (v: AlbVerdict): { kind: 0 | 1 | 2; length: number } => {
    const e: AlbEntry = v.entry;
    if (e.kind === 'exact') return { kind: 0, length: e.key.length };
    if (e.kind === 'prefix') return { kind: 1, length: e.key.length };
    if (e.trailingStar && e.key.endsWith('/') && v.overlappedBy.length === 0)
      return { kind: 1, length: Math.max(1, e.key.replace(/\/+$/, '').length) };
    return { kind: 2, length: 0 };
  };
  /**
   * ALB rules the Gateway cannot order as the listener does: a path that an earlier rule of the
   * listener never lets through is not written (reported); an earlier rule that the Gateway ranks
   * below this one, for requests both take, is reported.
   */
  const albOrderCheck = (ing: IngressInfo, host: string, p: IngressPathInfo, where: string): boolean => {
    const v = albVerdictOf(ing, host, p);
    if (!v) return true;
    if (v.shadowedBy) {
      report(
        ing,
        { field: `${where}.path` },
        `the ALB never reaches ${albEntryText(v.entry)}: ${albEntryText(v.shadowedBy, ing)} comes first in the listener (Exact, then Prefix longest first, then ImplementationSpecific as listed; Ingresses by group.order) and takes every request it matches; no rule is written for it, so that the Gateway routes these requests as the ALB does`,
      );
      return false;
    }
    // a rule without host that comes first on the listener takes this host's requests there; on the
    // Gateway the listener of the host wins over the one without hostname
    if (host !== '') {
      const key = `${decisions.get(ing)!.mergeKey}\n${host}\nany`;
      let all = albAnyHostCache.get(key);
      if (!all) {
        const group = mains.filter((i) => decisions.get(i)!.mergeKey === decisions.get(ing)!.mergeKey);
        all = albEntries(group, host, (i) => decisions.get(i)!, true);
        albAnyHostCache.set(key, all);
      }
      const at = all.findIndex((e) => e.path === p);
      const before = all.slice(0, Math.max(0, at)).find((e) => e.anyHost && albOverlaps(e, all![at]));
      if (at >= 0 && before)
        report(
          ing,
          { field: `${where}.path` },
          `on the ALB ${albEntryText(before, ing)}, in a rule without host, comes before ${albEntryText(v.entry, ing)} of host ${host} and takes the requests both match; on a Gateway the listener of ${host} wins over the one without hostname, so those requests change backend`,
        );
    }
    const mine = gatewayRank(v);
    for (const e of v.overlappedBy) {
      const theirs = gatewayRank(albVerdictOf(e.ingress, host, e.path)!);
      const gatewayFirst =
        theirs.kind < mine.kind ||
        (theirs.kind === mine.kind && mine.kind === 1 && theirs.length > mine.length) ||
        (theirs.kind === 2 && mine.kind === 2 && e.ingress === ing);
      if (gatewayFirst) continue;
      report(
        ing,
        { field: `${where}.path` },
        mine.kind === 2 && theirs.kind === 2
          ? `on the ALB ${albEntryText(e, ing)} comes before ${albEntryText(v.entry)} and takes the requests both match; a Gateway orders the RegularExpression rules of two HTTPRoutes by creation time, then namespace/name, not by group.order`
          : `on the ALB ${albEntryText(e, ing)} comes before ${albEntryText(v.entry)} and takes the requests both match; a Gateway ranks ${mine.kind === 0 ? 'an Exact' : 'a PathPrefix'} match before ${theirs.kind === 2 ? 'a RegularExpression' : theirs.kind === 1 ? 'a shorter PathPrefix' : 'it'}, so those requests change backend`,
      );
      break;
    }
    return true;
  };

  // canary of a main path: same host, path and pathType in a canary Ingress of the same merge key
  const canaryFor = (ing: IngressInfo, host: string, p: IngressPathInfo) =>
    canaries.filter(
      (c) =>
        decisions.get(c)!.mergeKey === decisions.get(ing)!.mergeKey &&
        c.rules.some(
          (r) =>
            (r.host ?? '').toLowerCase() === host &&
            r.paths.some((cp) => cp.path === p.path && cp.pathType === p.pathType),
        ),
    );

  const filtersOf = (ing: IngressInfo): Record<string, unknown>[] => {
    if (!isNginx(ing)) return [];
    const out: Record<string, unknown>[] = [];
    const set: { name: string; value: string }[] = [];
    const vhost = ann(ing, 'upstream-vhost');
    if (vhost) set.push({ name: 'Host', value: vhost });
    const xfp = ann(ing, 'x-forwarded-prefix');
    if (xfp) set.push({ name: 'X-Forwarded-Prefix', value: xfp });
    const conn = ann(ing, 'connection-proxy-header');
    if (conn) set.push({ name: 'Connection', value: conn });
    if (set.length) out.push({ type: 'RequestHeaderModifier', requestHeaderModifier: { set } });
    const response = customHeaders(ing);
    if (response?.length)
      out.push({ type: 'ResponseHeaderModifier', responseHeaderModifier: { set: response } });
    if (goBool(ann(ing, 'enable-cors')) === true) {
      const list = (v: string | undefined, dflt: string) =>
        (v ?? dflt)
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean);
      const cors: Record<string, unknown> = {
        allowOrigins: list(ann(ing, 'cors-allow-origin'), '*'),
        allowMethods: list(ann(ing, 'cors-allow-methods'), 'GET, PUT, POST, DELETE, PATCH, OPTIONS').map(
          (m) => m.toUpperCase(),
        ),
        allowHeaders: list(
          ann(ing, 'cors-allow-headers'),
          'DNT,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,Range,Authorization',
        ),
        allowCredentials: goBool(ann(ing, 'cors-allow-credentials')) ?? true,
        maxAge: goInt(ann(ing, 'cors-max-age') ?? '') ?? 1728000,
      };
      const expose = ann(ing, 'cors-expose-headers');
      if (expose) cors.exposeHeaders = list(expose, '');
      out.push({ type: 'CORS', cors });
    }
    return out;
  };

  /**
   * ingress-nginx custom-headers: "namespace/name" of a ConfigMap whose data are headers set on every
   * response (more_set_headers) of the Ingress's locations. Converted when the files define the
   * ConfigMap and ingress-nginx would accept it; otherwise reported with why (the annotation stays
   * listed as not converted).
   */
  const customHeaders = (ing: IngressInfo): { name: string; value: string }[] | undefined => {
    const value = ann(ing, 'custom-headers')?.trim();
    if (value === undefined) return undefined;
    const fail = (why: string) => {
      report(ing, { annotation: N('custom-headers') }, why);
      return undefined;
    };
    const m = /^([a-z0-9][-a-z0-9]*)\/([a-z0-9][-a-z0-9.]*)$/.exec(value);
    if (!m)
      return fail(
        `"${value}" is not namespace/name: ingress-nginx looks the ConfigMap up by namespace/name and finds none; no header is written`,
      );
    const data = input.configMapData?.(m[1], m[2]);
    if (!data)
      return fail(
        `ConfigMap ${value} is not in these files: its entries are the response headers; add it to the migrated files (or write them as a ResponseHeaderModifier by hand)`,
      );
    const headers = Object.entries(data).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    // ingress-nginx's own checks (annotations/customheaders): the location is refused when one fails
    const badName = headers.find(([k]) => !NGINX_HEADER_NAME.test(k));
    if (badName) {
      deniedIngresses[idText(ing.id)] =
        `custom-headers: ConfigMap ${value} holds the header name "${badName[0]}"`;
      return fail(
        `ConfigMap ${value} holds "${badName[0]}", which ingress-nginx refuses as a header name (it denies the locations of this Ingress): fix the ConfigMap first`,
      );
    }
    const badValue = headers.find(([, v]) => !/^[a-zA-Z\d_ :;.,\\/"'?!(){}[\]@<>=\-+*#$&`|~^%]+$/.test(v));
    if (badValue) {
      deniedIngresses[idText(ing.id)] =
        `custom-headers: ConfigMap ${value} gives ${badValue[0]} a value ingress-nginx refuses`;
      return fail(
        `ConfigMap ${value} gives header ${badValue[0]} a value ingress-nginx refuses (it denies the locations of this Ingress): fix the ConfigMap first`,
      );
    }
    // ingress-nginx 1.12+: every header must be listed in global-allowed-response-headers of the
    // controller ConfigMap (empty by default), or the controller denies the Ingress's locations
    const cfg = input.nginxConfig;
    if (cfg) {
      const refused = headers.map(([k]) => k).filter((k) => !cfg.allowedResponseHeaders.includes(k));
      if (refused.length) {
        const list = cfg.keySet
          ? `lists only ${cfg.allowedResponseHeaders.join(', ') || 'nothing'} in ${GLOBAL_ALLOWED_RESPONSE_HEADERS}`
          : `does not set ${GLOBAL_ALLOWED_RESPONSE_HEADERS} (no header is allowed)`;
        deniedIngresses[idText(ing.id)] =
          `custom-headers: ${refused.join(', ')} not in ${GLOBAL_ALLOWED_RESPONSE_HEADERS} of ${cfg.id}`;
        report(
          ing,
          { annotation: N('custom-headers') },
          `ingress-nginx refuses ${refused.join(', ')} of ConfigMap ${value}: its controller ConfigMap ${cfg.id} ${list}, so every path of this Ingress answers 503; the ResponseHeaderModifier sets the headers as the ConfigMap writes them (list them in ${GLOBAL_ALLOWED_RESPONSE_HEADERS} to make ingress-nginx agree)`,
        );
      }
    } else
      ingressComments.push(
        `custom-headers: ingress-nginx (1.12 and later) sets these only when its controller ConfigMap lists them in ${GLOBAL_ALLOWED_RESPONSE_HEADERS}, and otherwise answers 503 on every path of this Ingress; these files do not hold that ConfigMap, so it was not checked.`,
      );
    // nginx expands variables in the values ($msec, ${request_id}); a Gateway sets the text as written
    for (const [name, v] of headers)
      if (/\$(\{?[A-Za-z_])/.test(v))
        report(
          ing,
          { annotation: N('custom-headers') },
          `header ${name} of ConfigMap ${value} is "${v}", with an nginx variable that ingress-nginx fills in per request: a ResponseHeaderModifier sets text as written, so this header is left out`,
        );
    return headers.filter(([, v]) => !/\$(\{?[A-Za-z_])/.test(v)).map(([name, v]) => ({ name, value: v }));
  };

  /** The redirect an ingress-nginx Ingress answers every request with (temporal before permanent). */
  const fixedRedirect = (ing: IngressInfo): Record<string, unknown> | undefined => {
    if (!isNginx(ing)) return undefined;
    for (const [name, codeName, dflt] of [
      ['temporal-redirect', 'temporal-redirect-code', 302],
      ['permanent-redirect', 'permanent-redirect-code', 301],
    ] as const) {
      const url = ann(ing, name);
      if (!url) continue;
      const fields = redirectFields(url);
      if (!fields) {
        report(
          ing,
          { annotation: N(name) },
          `the redirect URL "${url}" uses nginx variables or is not an absolute http(s) URL: RequestRedirect takes fixed scheme, hostname, port and path`,
        );
        return undefined;
      }
      const code = goInt(ann(ing, codeName) ?? '') ?? dflt;
      return {
        type: 'RequestRedirect',
        requestRedirect: { ...fields, statusCode: REDIRECT_CODES.has(code) ? code : dflt },
      };
    }
    return undefined;
  };

  /** Whether plain-HTTP requests to this Ingress's paths on the host are redirected to HTTPS (308). */
  const sslRedirect = (ing: IngressInfo, plan: HostPlan): boolean => {
    if (!isNginx(ing)) return false;
    if (goBool(ann(ing, 'force-ssl-redirect')) === true) return true;
    return !!plan.tls && goBool(ann(ing, 'ssl-redirect')) !== false;
  };

  const routeObject = (
    ns: string,
    name: string,
    host: string,
    refs: Record<string, unknown>[],
    rules: RouteRule[],
    comments: string[],
  ): MigratedObject => ({
    object: {
      apiVersion: GATEWAY_API_VERSION,
      kind: 'HTTPRoute',
      metadata: { name, namespace: ns },
      spec: { parentRefs: refs, ...(host ? { hostnames: [host] } : {}), rules },
    },
    comments,
  });

  /**
   * Turns the HTTPRoutes written for a gRPC Ingress into GRPCRoutes, in place; returns why it could not
   * (nothing changed then). A path maps to a method match: `/` to every method, `/<service>` (Prefix or
   * ImplementationSpecific) to every method of the service, `/<service>/<method>` to one method. The
   * plain-HTTP redirect route (ssl-redirect) stays an HTTPRoute on the HTTP listener.
   */
  const grpcRoutes = (
    ing: IngressInfo,
    decision: ControllerDecision,
    hosts: string[],
    created: MigratedObject[],
  ): string | undefined => {
    const sharing = mains.find(
      (o) =>
        o !== ing &&
        decisions.get(o)!.mergeKey === decision.mergeKey &&
        o.rules.some((r) => hosts.includes((r.host ?? '').toLowerCase())),
    );
    if (sharing)
      return `Ingress ${idText(sharing.id)} serves the same host, and a GRPCRoute may not share a host name with its HTTPRoute on one listener`;
    const GRPC_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;
    const plans: { obj: MigratedObject; rules: Record<string, unknown>[] }[] = [];
    for (const obj of created) {
      const spec = obj.object.spec as { rules: RouteRule[] };
      const isRedirect = spec.rules.every((r) => r.filters?.some((f) => f.type === 'RequestRedirect'));
      if (isRedirect) continue;
      const rules: Record<string, unknown>[] = [];
      for (const r of spec.rules) {
        // GRPCRouteFilter types: RequestHeaderModifier, ResponseHeaderModifier, RequestMirror, ExtensionRef
        const refused = r.filters?.find((f) => !GRPC_FILTERS.has(String(f.type)));
        if (refused)
          return `${FILTER_ORIGIN[String(refused.type)] ?? String(refused.type)} needs the HTTPRoute filter ${String(refused.type)}, and a GRPCRoute takes only RequestHeaderModifier, ResponseHeaderModifier, RequestMirror and ExtensionRef filters`;
        const matches: Record<string, unknown>[] = [];
        let all = false;
        for (const m of r.matches) {
          const path = m.path as { type: string; value: string } | undefined;
          if (!path || Object.keys(m).length > 1)
            return 'a path match has conditions a GRPCRoute cannot express';
          const parts = path.value.split('/').slice(1);
          if (path.type === 'PathPrefix' && path.value === '/') all = true;
          else if (path.type === 'PathPrefix' && parts.length === 1 && GRPC_NAME.test(parts[0]))
            matches.push({ method: { type: 'Exact', service: parts[0] } });
          else if (
            (path.type === 'PathPrefix' || path.type === 'Exact') &&
            parts.length === 2 &&
            GRPC_NAME.test(parts[0]) &&
            /^[A-Za-z_][A-Za-z0-9_]*$/.test(parts[1])
          )
            matches.push({ method: { type: 'Exact', service: parts[0], method: parts[1] } });
          else
            return `path ${path.value} (${path.type}) names no gRPC service or method (/<package.Service>[/<Method>])`;
        }
        rules.push({
          ...(all || matches.length === 0 ? {} : { matches }),
          ...(r.filters?.length ? { filters: r.filters } : {}),
          backendRefs: r.backendRefs,
        });
      }
      plans.push({ obj, rules });
    }
    if (plans.length === 0) return 'no route of it carries the gRPC paths';
    for (const { obj, rules } of plans) {
      obj.object.kind = 'GRPCRoute';
      (obj.object.spec as Record<string, unknown>).rules = rules;
      obj.comments.push(
        'backend-protocol GRPC(S): a GRPCRoute, so the Gateway speaks HTTP/2 (gRPC) to the backend; each path is a method match.',
      );
    }
    return undefined;
  };

  // the default backend a host falls back to (the engine's rule: its own Ingresses', else a catch-all)
  const hostDefault = new Map<string, IngressInfo>();
  for (const ing of mains) {
    if (!ing.defaultBackend) continue;
    for (const r of ing.rules) {
      const h = (r.host ?? '').toLowerCase();
      if (!hostDefault.has(h)) hostDefault.set(h, ing);
    }
  }

  for (const ing of mains) {
    const decision = decisions.get(ing)!;
    const meaning = controllerPathMeaning(decision, ing.annotations);
    const before = unconverted.length;
    for (const why of sharedHosts.get(ing) ?? []) report(ing, { field: 'spec.rules[].host' }, why);
    const hosts = [...new Set(ing.rules.map((r) => (r.host ?? '').toLowerCase()))].filter(
      (h) => !invalidHost(h),
    );
    const routeName = (host: string) =>
      nameWithin(
        hosts.length > 1 || (hosts.length === 1 && ing.rules.length === 0)
          ? `${ing.id.name}-${host ? slug(host) : 'any-host'}`
          : ing.id.name,
      );
    const redirectAll = fixedRedirect(ing);
    ingressComments = [];
    const filters = filtersOf(ing);
    const target = isNginx(ing) ? ann(ing, 'rewrite-target') : undefined;
    const appRoot = isNginx(ing) ? ann(ing, 'app-root') : undefined;
    const created: MigratedObject[] = [];

    for (const host of hosts) {
      const plan = planFor(host);
      const rules: RouteRule[] = [];
      pathNotes = [];
      if (appRoot && /^\/[-A-Za-z0-9._~/]*$/.test(appRoot))
        rules.push({
          matches: [{ path: { type: 'Exact', value: '/' } }],
          filters: [
            {
              type: 'RequestRedirect',
              requestRedirect: {
                path: { type: 'ReplaceFullPath', replaceFullPath: appRoot },
                statusCode: 302,
              },
            },
          ],
        });
      else if (appRoot)
        report(ing, { annotation: N('app-root') }, `app-root "${appRoot}" is not a plain path`);
      ing.rules.forEach((rule, ri) => {
        if ((rule.host ?? '').toLowerCase() !== host) return;
        // the AWS controller writes a rule's paths Exact, Prefix (longest first), ImplementationSpecific
        const ordered = decision.kind === 'aws-alb' ? albPathOrder(rule.paths) : rule.paths;
        ordered.forEach((p) => {
          const pi = rule.paths.indexOf(p);
          const where = `spec.rules[${ri}].http.paths[${pi}]`;
          if (decision.kind === 'aws-alb' && !albOrderCheck(ing, host, p, where)) return;
          let match = pathMatch(ing, p, host, meaning, where);
          if (!match || !p.backend) return;
          const extra = extraRules.get(p);
          if (extra) rules.push(extra);
          const ruleFilters = [...filters];
          if (target !== undefined && p.path !== target) {
            const simple = simpleRewrite(p.path ?? '', target);
            if (!target.includes('$'))
              ruleFilters.push({
                type: 'URLRewrite',
                urlRewrite: { path: { type: 'ReplaceFullPath', replaceFullPath: target } },
              });
            else if (simple) {
              match = {
                path: {
                  type: 'PathPrefix',
                  value: simple.prefix.length > 1 ? simple.prefix.replace(/\/$/, '') : simple.prefix,
                },
              };
              ruleFilters.push({
                type: 'URLRewrite',
                urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: simple.replace } },
              });
              if (regexHosts.has(`${decision.mergeKey}\n${host}`))
                report(
                  ing,
                  { annotation: N('rewrite-target'), field: `${where}.path` },
                  `path ${p.path} becomes PathPrefix ${String((match.path as { value: string }).value)} with ReplacePrefixMatch: PathPrefix is case-sensitive where ingress-nginx's regex location was not`,
                );
            } else
              report(
                ing,
                { annotation: N('rewrite-target'), field: `${where}.path` },
                `rewrite-target "${target}" uses capture groups of path ${p.path}: ingress-nginx runs \`rewrite "(?i)${p.path}" ${target} break;\` in \`location ~* "^${p.path}"\`, and the Gateway API rewrites only a fixed prefix or the full path; the route matches the path but forwards it unrewritten`,
              );
          }
          if (redirectAll) {
            rules.push({ matches: [match], filters: [redirectAll] });
            return;
          }
          const cans = canaryFor(ing, host, p);
          const main = backendRef(ing, p.backend, `${where}.backend`);
          if (!main) return;
          if (cans.length === 0) {
            rules.push({
              matches: [match],
              ...(ruleFilters.length ? { filters: ruleFilters } : {}),
              backendRefs: [main],
            });
            return;
          }
          const c = cans[0];
          const cp = c.rules
            .flatMap((r) => r.paths)
            .find((x) => x.path === p.path && x.pathType === p.pathType)!;
          const canaryRef = cp.backend
            ? backendRef(c, cp.backend, 'spec.rules[].http.paths[].backend')
            : undefined;
          if (!canaryRef) return;
          const header = ann(c, 'canary-by-header');
          if (header) {
            const value = ann(c, 'canary-by-header-value') ?? 'always';
            rules.push({
              matches: [{ ...match, headers: [{ name: header, value }] }],
              ...(ruleFilters.length ? { filters: ruleFilters } : {}),
              backendRefs: [canaryRef],
            });
            if (!ann(c, 'canary-by-header-value'))
              report(
                c,
                { annotation: N('canary-by-header') },
                `the value "never" (always the main backend) has no equivalent; "always" became a header match`,
              );
          }
          if (ann(c, 'canary-by-cookie'))
            report(c, { annotation: N('canary-by-cookie') }, 'HTTPRoute has no cookie match');
          if (ann(c, 'canary-by-header-pattern'))
            report(
              c,
              { annotation: N('canary-by-header-pattern') },
              'a PCRE header pattern: a RegularExpression header match is implementation-specific; not converted',
            );
          const total = goInt(ann(c, 'canary-weight-total') ?? '') ?? 100;
          const weight = Math.min(Math.max(goInt(ann(c, 'canary-weight') ?? '') ?? 0, 0), total);
          rules.push({
            matches: [match],
            ...(ruleFilters.length ? { filters: ruleFilters } : {}),
            backendRefs:
              weight > 0
                ? [
                    { ...main, weight: total - weight },
                    { ...canaryRef, weight },
                  ]
                : [main],
          });
          if (cans.length > 1)
            report(
              cans[1],
              { field: 'metadata.name' },
              `a second canary for the same path: ingress-nginx uses one canary per path; ${idText(c.id)} was used`,
            );
        });
      });
      // this host's default backend (from this Ingress when it is the first with one for the host),
      // unless a path of the host already matches everything
      if (ing.defaultBackend && hostDefault.get(host) === ing && !coversAll.has(host)) {
        const ref = backendRef(ing, ing.defaultBackend, 'spec.defaultBackend');
        // on a regex host the fallback must rank below the RegularExpression paths: the shortest regex
        const all = isRegexHost(host)
          ? { path: { type: 'RegularExpression', value: '.*' } }
          : { path: { type: 'PathPrefix', value: '/' } };
        if (ref)
          rules.push({
            matches: [all],
            ...(redirectAll ? { filters: [redirectAll] } : { backendRefs: [ref] }),
          });
      }
      if (rules.length === 0) continue;
      const name = routeName(host);
      const notes: string[] = [...pathNotes];
      const usesRegex = rules.some((r) =>
        r.matches.some((m) => (m.path as { type?: string } | undefined)?.type === 'RegularExpression'),
      );
      if (usesRegex && isNginx(ing) && regexHosts.has(`${decision.mergeKey}\n${host}`))
        notes.push(
          `On ${host || 'the rules without host'} ingress-nginx reads every path as a case-insensitive regular expression anchored at the start (use-regex or rewrite-target on that host): the paths are RegularExpression matches "(?i)<path>.*".`,
        );
      if (usesRegex && meaning?.kind === 'regex')
        notes.push(`nginx.org/path-regex ${meaning.value}: the paths are RegularExpression matches.`);
      // permanent/temporal-redirect answer before the HTTPS redirect (nginx `return` runs first)
      const redirect = sslRedirect(ing, plan) && !redirectAll;
      if (redirect && !plan.tls) {
        // force-ssl-redirect without TLS here: TLS is terminated in front of the controller
        report(
          ing,
          { annotation: N('force-ssl-redirect') },
          'TLS is terminated before ingress-nginx (no tls entry for this host): the Gateway must terminate it; add an HTTPS listener with a certificate and an HTTP redirect route',
        );
      }
      if (redirect && plan.tls) {
        created.push(routeObject(ing.id.namespace, name, host, parentRefs(host, 'https'), rules, notes));
        // app-root's redirect of `/` answers on plain HTTP too (it runs before the HTTPS redirect)
        const redirectRules = rules.map((r) =>
          r.filters?.some((f) => f.type === 'RequestRedirect')
            ? r
            : {
                matches: r.matches,
                filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 308 } }],
              },
        );
        created.push(
          routeObject(
            ing.id.namespace,
            nameWithin(`${name}-https-redirect`),
            host,
            parentRefs(host, 'http'),
            redirectRules,
            ['Plain HTTP is redirected to HTTPS (ingress-nginx ssl-redirect, 308).'],
          ),
        );
      } else {
        created.push(
          routeObject(
            ing.id.namespace,
            name,
            host,
            plan.tls ? [...parentRefs(host, 'http'), ...parentRefs(host, 'https')] : parentRefs(host, 'http'),
            rules,
            notes,
          ),
        );
      }
      if (host.startsWith('*.')) {
        report(
          ing,
          { field: 'spec.rules[].host' },
          `the Ingress host ${host} covers exactly one DNS label; a Gateway API wildcard covers any number (a.b.${host.slice(2)} is routed too) and no standard match narrows it`,
        );
      }
    }

    // catch-all Ingress (defaultBackend, no rules): one route for every host without a default of its own
    const firstCatchAll = catchAlls.find((c) => decisions.get(c)!.mergeKey === decisions.get(ing)!.mergeKey);
    if (ing.rules.length === 0 && ing.defaultBackend && firstCatchAll === ing) {
      const ref = backendRef(ing, ing.defaultBackend, 'spec.defaultBackend');
      if (ref) {
        const refs: Record<string, unknown>[] = [];
        for (const plan of hostPlans.values()) {
          if (hostDefault.has(plan.host) || coversAll.has(plan.host)) continue;
          // only the hosts of its own load balancer (and the listener without hostname): another
          // controller's hosts never reached this default backend
          if (
            plan.host !== '' &&
            !(hostServers.get(plan.host) ?? []).some(
              (o) => decisions.get(o)!.mergeKey === decisions.get(ing)!.mergeKey,
            )
          )
            continue;
          const planRefs = [
            ...parentRefs(plan.host, 'http'),
            ...(plan.tls ? parentRefs(plan.host, 'https') : []),
          ];
          if (isRegexHost(plan.host) && generated) {
            // below the host's RegularExpression paths: a route of its own with the shortest regex
            const rule: RouteRule = {
              matches: [{ path: { type: 'RegularExpression', value: '.*' } }],
              ...(redirectAll ? { filters: [redirectAll] } : { backendRefs: [ref] }),
            };
            created.push(
              routeObject(
                ing.id.namespace,
                nameWithin(`${ing.id.name}-${plan.host ? slug(plan.host) : 'any-host'}`),
                plan.host,
                planRefs,
                [rule],
                [
                  `The catch-all default backend for ${plan.host || 'the rules without host'}, whose paths are regular expressions.`,
                ],
              ),
            );
            continue;
          }
          refs.push(...planRefs);
        }
        if (!generated) refs.splice(0, refs.length, { name: gateway.name, namespace: gateway.namespace });
        const rule: RouteRule = {
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          ...(redirectAll ? { filters: [redirectAll] } : { backendRefs: [ref] }),
        };
        if (refs.length)
          created.push(
            routeObject(
              ing.id.namespace,
              ing.id.name,
              '',
              dedupeRefs(refs),
              [rule],
              ['The default backend of an Ingress without rules: every request no other route takes.'],
            ),
          );
      }
    } else if (ing.rules.length === 0 && ing.defaultBackend) {
      report(
        ing,
        { field: 'spec.defaultBackend' },
        `another Ingress without rules of the same load balancer (${idText(firstCatchAll!.id)}) already provides the catch-all; the controller uses one`,
      );
    }

    // annotations: everything not converted is listed, with why
    for (const [key] of Object.entries(ing.annotations ?? {})) {
      if (key === CLASS_ANNOTATION) continue;
      if (isNginx(ing) && CONVERTED.has(key)) continue;
      if (decision.kind === 'nginx-inc' && key === 'nginx.org/path-regex') continue;
      if (key.startsWith('alb.ingress.kubernetes.io/actions.')) continue;
      const spec = annotationSpec(key);
      let why: string;
      if (spec?.removed) why = `no longer read by ingress-nginx (${spec.removed})`;
      else if (spec && spec.controller !== decision.kind && spec.controller !== 'unknown')
        why = `an annotation of ${spec.controller}, which does not serve this Ingress: it had no effect`;
      else if (spec?.migration === 'not-applicable')
        why = 'nothing to carry over: the Gateway implementation has its own setting for this';
      else if (spec)
        why =
          !spec.gateway || /^(none|no )/.test(spec.gateway)
            ? `the Gateway API has no equivalent${spec.gateway && spec.gateway !== 'none' ? ` (${spec.gateway})` : ''}`
            : `no standard conversion; nearest: ${spec.gateway}`;
      else if (key.startsWith('cert-manager.io/'))
        why =
          "cert-manager reads this annotation on the Gateway for its listeners' certificates: move it there";
      else
        why =
          'not an Ingress controller annotation that the converter knows: copy it where its tool expects it';
      report(ing, { annotation: key }, why);
    }

    // backend-protocol GRPC/GRPCS: the routes become GRPCRoutes when every path names a gRPC service or
    // method (or is `/`) and no other Ingress shares the host (an HTTPRoute and a GRPCRoute may not share
    // a host name on one listener); otherwise the HTTPRoute stays and the backend needs h2c
    const grpcProtocol = isNginx(ing) ? ann(ing, 'backend-protocol')?.trim().toUpperCase() : undefined;
    if (grpcProtocol === 'GRPC' || grpcProtocol === 'GRPCS') {
      const why = grpcRoutes(ing, decision, hosts, created);
      if (why)
        report(
          ing,
          { annotation: N('backend-protocol') },
          `${grpcProtocol === 'GRPC' ? 'gRPC over cleartext' : 'gRPC over TLS'}: ${why}; the HTTPRoute is kept: set appProtocol: ${grpcProtocol === 'GRPC' ? 'kubernetes.io/h2c' : 'kubernetes.io/h2c (with the BackendTLSPolicy below)'} on the Service port so the Gateway speaks HTTP/2 to it`,
        );
    }

    // comments next to the routes of this Ingress: what of it was not converted
    const notes = [
      ...unconverted.slice(before).map((u) => `unconverted ${u.annotation ?? u.field}: ${u.why}`),
      ...ingressComments,
    ];
    const withNotes = created.length ? created : [];
    if (withNotes.length) withNotes[0].comments.unshift(`From Ingress ${idText(ing.id)}.`, ...notes);
    else if (notes.length)
      objects.push({
        object: {},
        comments: [`From Ingress ${idText(ing.id)} (no route written).`, ...notes],
      });
    objects.push(...withNotes);

    // backend-protocol HTTPS/GRPCS: the backend speaks TLS
    const protocol = isNginx(ing) ? ann(ing, 'backend-protocol')?.trim().toUpperCase() : undefined;
    if (protocol === 'HTTPS' || protocol === 'GRPCS') {
      for (const b of [ing.defaultBackend, ...ing.rules.flatMap((r) => r.paths.map((p) => p.backend))]) {
        if (b?.kind !== 'service' || b.action) continue;
        const key = `${ing.id.namespace}/${b.service}`;
        if (backendTls.has(key)) continue;
        const hostname = ann(ing, 'proxy-ssl-name') ?? `${b.service}.${ing.id.namespace}.svc.cluster.local`;
        const secret = ann(ing, 'proxy-ssl-secret');
        const validation: Record<string, unknown> = { hostname };
        if (secret)
          validation.caCertificateRefs = [
            {
              group: '',
              kind: 'ConfigMap',
              name: secret.includes('/') ? secret.slice(secret.indexOf('/') + 1) : secret,
            },
          ];
        else validation.wellKnownCACertificates = 'System';
        backendTls.set(key, {
          object: {
            apiVersion: GATEWAY_API_VERSION,
            kind: 'BackendTLSPolicy',
            metadata: { name: nameWithin(`${b.service}-tls`), namespace: ing.id.namespace },
            spec: { targetRefs: [{ group: '', kind: 'Service', name: b.service }], validation },
          },
          comments: [
            `backend-protocol ${protocol} of Ingress ${idText(ing.id)}: the Gateway speaks TLS to Service ${b.service}.${secret ? ' The CA must be in a ConfigMap (ingress-nginx read it from a Secret).' : ' ingress-nginx did not verify its certificate unless proxy-ssl-verify was on; this policy verifies it.'}`,
          ],
        });
      }
    } else if (protocol === 'FCGI') {
      report(ing, { annotation: N('backend-protocol') }, 'FastCGI backends have no Gateway API equivalent');
    }
  }

  // canary Ingresses that joined no main path
  for (const c of canaries) {
    const joined = mains.some((m) =>
      m.rules.some((r) => r.paths.some((p) => canaryFor(m, (r.host ?? '').toLowerCase(), p).includes(c))),
    );
    if (!joined)
      report(
        c,
        { annotation: N('canary') },
        'a canary Ingress whose host and path no main Ingress has: ingress-nginx ignores it',
      );
  }

  for (const [ns, secrets] of [...grants].sort()) {
    objects.push({
      object: {
        apiVersion: 'gateway.networking.k8s.io/v1beta1',
        kind: 'ReferenceGrant',
        metadata: { name: nameWithin(`${gateway.name}-certificates`), namespace: ns },
        spec: {
          from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: gateway.namespace }],
          to: [...secrets].sort().map((name) => ({ group: '', kind: 'Secret', name })),
        },
      },
      comments: [`Lets Gateway ${gateway.namespace}/${gateway.name} use the TLS Secrets of namespace ${ns}.`],
    });
  }
  objects.push(...backendTls.values());
  return {
    objects: objects.filter((o) => Object.keys(o.object).length > 0 || o.comments.length > 0),
    unconverted,
    gateway,
    gatewayGenerated: generated,
    deniedIngresses,
  };
}

/** The same Service and port (or the same resource). */
function sameService(a: BackendInfo, b: BackendInfo): boolean {
  if (a.kind === 'service' && b.kind === 'service') return a.service === b.service && a.port === b.port;
  if (a.kind === 'resource' && b.kind === 'resource')
    return a.resourceKind === b.resourceKind && a.name === b.name && a.apiGroup === b.apiGroup;
  return false;
}

function dedupeRefs(refs: Record<string, unknown>[]): Record<string, unknown>[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const k = JSON.stringify(r);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
