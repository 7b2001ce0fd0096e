// Which ingress controller serves an Ingress, and why: the class it names (spec.ingressClassName, read
// through the IngressClass's spec.controller when the workspace defines it), the deprecated
// kubernetes.io/ingress.class annotation, and the annotation families only one controller reads.
// Rules ask this instead of assuming ingress-nginx: the same YAML means different things to different
// controllers (a Prefix path is a regex under nginx.org/path-regex; an AWS `use-annotation` backend is an
// action, not a Service; GKE reads only the class annotation).

export type IngressControllerKind = 'ingress-nginx' | 'nginx-inc' | 'aws-alb' | 'gke' | 'traefik' | 'unknown';

/** What the decision needs of an Ingress (model/ingress.ts builds it from a resource). */
export interface ControllerInput {
  namespace?: string;
  name?: string;
  /** spec.ingressClassName as written. */
  ingressClassName?: string;
  /** metadata.annotations with string values (the class annotation among them). */
  annotations?: Readonly<Record<string, string>>;
}

/** An IngressClass of the workspace (engine/types.ts IngressClassInfo has this shape). */
export interface ControllerClass {
  name: string;
  controller?: string;
  isDefault: boolean;
}

export type ControllerEvidence =
  /** spec.ingressClassName named an IngressClass of the workspace; its spec.controller decided. */
  | 'ingress-class'
  /** the class annotation named an IngressClass of the workspace; its spec.controller decided. */
  | 'ingress-class-annotation'
  /** the kubernetes.io/ingress.class value is one a controller answers to by convention. */
  | 'class-annotation'
  /** spec.ingressClassName is a conventional class name, the workspace not defining it. */
  | 'class-name'
  /** no class: the workspace's default IngressClass. */
  | 'default-class'
  /** no class (or an unknown one): annotations that only one controller reads. */
  | 'annotations'
  /** no class and no annotations of any controller: GKE's rule for class-less Ingresses may apply. */
  | 'none';

export interface ControllerDecision {
  kind: IngressControllerKind;
  /** How it was decided. */
  evidence: ControllerEvidence;
  /** The class the Ingress belongs to (annotation value, else spec.ingressClassName, else the default class). */
  className?: string;
  /** IngressClass.spec.controller when a workspace IngressClass decided. */
  controllerName?: string;
  /** Ingresses with equal keys are merged by their controller into one routing table (one host's paths
   * compete only within a key): the class for most controllers, `group.name` for the AWS controller
   * (each Ingress alone without one), each Ingress alone for GKE. */
  mergeKey: string;
  /** The controller ignores spec.ingressClassName (GKE) although the Ingress sets it. */
  ignoresIngressClassName?: boolean;
  /** Set when the decision rests on a class name several controllers answer to by default (`nginx`:
   * ingress-nginx and NGINX Inc's controller) with no IngressClass or annotation to tell them apart:
   * the other controllers it could be. */
  alsoPossible?: IngressControllerKind[];
}

export const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
export const AWS_GROUP_ANNOTATION = 'alb.ingress.kubernetes.io/group.name';

/** IngressClass spec.controller values of the known controllers. */
export const CONTROLLER_NAMES: Readonly<Record<string, IngressControllerKind>> = {
  'k8s.io/ingress-nginx': 'ingress-nginx',
  'nginx.org/ingress-controller': 'nginx-inc',
  'ingress.k8s.aws/alb': 'aws-alb',
  'traefik.io/ingress-controller': 'traefik',
};

/** Class names the controllers answer to by default (their --ingress-class flags and Helm charts). */
const CONVENTIONAL_CLASSES: Readonly<Record<string, IngressControllerKind>> = {
  nginx: 'ingress-nginx',
  alb: 'aws-alb',
  gce: 'gke',
  'gce-internal': 'gke',
  traefik: 'traefik',
};

/** GKE's values of the class annotation (the only way to select GKE Ingress). */
export const GKE_CLASSES = new Set(['gce', 'gce-internal']);

/** Annotation key prefixes (or whole keys) only one controller reads. */
const ANNOTATION_FAMILIES: readonly {
  kind: IngressControllerKind;
  prefixes: readonly string[];
  keys?: readonly string[];
}[] = [
  { kind: 'ingress-nginx', prefixes: ['nginx.ingress.kubernetes.io/'] },
  {
    kind: 'nginx-inc',
    prefixes: ['nginx.org/', 'nginx.com/', 'appprotect.f5.com/', 'appprotectdos.f5.com/'],
  },
  { kind: 'aws-alb', prefixes: ['alb.ingress.kubernetes.io/'] },
  {
    kind: 'gke',
    prefixes: ['ingress.gcp.kubernetes.io/', 'networking.gke.io/'],
    keys: [
      'kubernetes.io/ingress.global-static-ip-name',
      'kubernetes.io/ingress.regional-static-ip-name',
      'kubernetes.io/ingress.allow-http',
    ],
  },
  { kind: 'traefik', prefixes: ['traefik.ingress.kubernetes.io/'] },
];

export const CONTROLLER_TITLES: Readonly<Record<IngressControllerKind, string>> = {
  'ingress-nginx': 'ingress-nginx',
  'nginx-inc': "NGINX Inc's NGINX Ingress Controller",
  'aws-alb': 'AWS Load Balancer Controller',
  gke: 'GKE Ingress',
  traefik: 'Traefik',
  unknown: 'an unknown controller',
};

/** The controller whose annotation family a key belongs to, if any. */
export function annotationController(key: string): IngressControllerKind | undefined {
  for (const f of ANNOTATION_FAMILIES) {
    if (f.keys?.includes(key) || f.prefixes.some((p) => key.startsWith(p))) return f.kind;
  }
  return undefined;
}

/** The controller the annotations point at: the family with the most keys (none on a tie). */
function byAnnotations(annotations: Readonly<Record<string, string>>): IngressControllerKind | undefined {
  const counts = new Map<IngressControllerKind, number>();
  for (const key of Object.keys(annotations)) {
    const kind = annotationController(key);
    if (kind) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  let best: IngressControllerKind | undefined;
  let bestCount = 0;
  let tie = false;
  for (const [kind, n] of counts) {
    if (n > bestCount) [best, bestCount, tie] = [kind, n, false];
    else if (n === bestCount) tie = true;
  }
  return tie ? undefined : best;
}

/** The kind an IngressClass spec.controller value stands for. */
export function controllerKindOf(controllerName: string | undefined): IngressControllerKind {
  return (controllerName !== undefined && CONTROLLER_NAMES[controllerName]) || 'unknown';
}

/** A conventional class name's controller; "nginx" is also NGINX Inc's default class, told apart by its
 * annotations. */
function conventional(
  name: string,
  annotations: Readonly<Record<string, string>>,
): IngressControllerKind | undefined {
  const kind = CONVENTIONAL_CLASSES[name];
  if (kind === 'ingress-nginx' && byAnnotations(annotations) === 'nginx-inc') return 'nginx-inc';
  return kind;
}

/** Decides the controller of one Ingress; `classes` are the workspace's IngressClasses (none known: pass []). */
export function decideController(
  ingress: ControllerInput,
  classes: readonly ControllerClass[] = [],
): ControllerDecision {
  const annotations = ingress.annotations ?? {};
  const annotationClass = nonEmpty(annotations[CLASS_ANNOTATION]);
  const specClass = nonEmpty(ingress.ingressClassName);
  const self = `${ingress.namespace ?? ''}/${ingress.name ?? ''}`;
  const finish = (d: Omit<ControllerDecision, 'mergeKey'>): ControllerDecision => {
    let mergeKey: string;
    if (d.kind === 'gke') mergeKey = `gke:${self}`;
    else if (d.kind === 'aws-alb') {
      const group = nonEmpty(annotations[AWS_GROUP_ANNOTATION]);
      mergeKey = group ? `aws-alb:group:${group}` : `aws-alb:ingress:${self}`;
    } else mergeKey = `${d.kind}:${d.className ?? ''}`;
    return { ...d, mergeKey };
  };
  const fromClass = (name: string, via: 'ingress-class' | 'ingress-class-annotation') => {
    const cls = classes.find((c) => c.name === name);
    if (!cls) return undefined;
    return {
      kind: controllerKindOf(cls.controller),
      evidence: via,
      className: name,
      controllerName: cls.controller,
    } as const;
  };

  // The annotation wins where both are set: ingress-nginx reads it first, GKE reads only it (and the API
  // server requires the two to agree when both are set on create).
  if (annotationClass) {
    if (GKE_CLASSES.has(annotationClass)) {
      return finish({
        kind: 'gke',
        evidence: 'class-annotation',
        className: annotationClass,
        ...(specClass ? { ignoresIngressClassName: true } : {}),
      });
    }
    const decided = fromClass(annotationClass, 'ingress-class-annotation');
    if (decided) return finish(decided);
    const kind = conventional(annotationClass, annotations);
    if (kind)
      return finish({
        kind,
        evidence: 'class-annotation',
        className: annotationClass,
        ...ambiguity(kind, annotations),
      });
    const hinted = byAnnotations(annotations);
    return finish({
      kind: hinted ?? 'unknown',
      evidence: hinted ? 'annotations' : 'class-annotation',
      className: annotationClass,
    });
  }
  if (specClass) {
    const decided = fromClass(specClass, 'ingress-class');
    if (decided) return finish(decided);
    const kind = conventional(specClass, annotations);
    // GKE never serves an Ingress through spec.ingressClassName (it needs the annotation)
    if (kind && kind !== 'gke')
      return finish({ kind, evidence: 'class-name', className: specClass, ...ambiguity(kind, annotations) });
    const hinted = byAnnotations(annotations);
    return finish({
      kind: hinted && hinted !== 'gke' ? hinted : 'unknown',
      evidence: hinted && hinted !== 'gke' ? 'annotations' : 'class-name',
      className: specClass,
    });
  }
  const defaults = classes.filter((c) => c.isDefault);
  if (defaults.length === 1) {
    return finish({
      kind: controllerKindOf(defaults[0].controller),
      evidence: 'default-class',
      className: defaults[0].name,
      controllerName: defaults[0].controller,
    });
  }
  const hinted = byAnnotations(annotations);
  if (hinted) return finish({ kind: hinted, evidence: 'annotations' });
  return finish({ kind: 'unknown', evidence: 'none' });
}

/** `nginx` is the default class of both ingress-nginx and NGINX Inc's controller: only annotations of
 * ingress-nginx make the conventional reading certain. */
function ambiguity(
  kind: IngressControllerKind,
  annotations: Readonly<Record<string, string>>,
): { alsoPossible?: IngressControllerKind[] } {
  if (kind !== 'ingress-nginx' || byAnnotations(annotations) === 'ingress-nginx') return {};
  return { alsoPossible: ['nginx-inc'] };
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s.trim() === '' ? undefined : s.trim();
}

/** The controller of an Ingress of the engine's cluster (its IngressClasses passed as `classes`). */
export function controllerOfIngress(
  ingress: {
    id: { namespace: string; name: string };
    ingressClassName?: string;
    annotations?: Readonly<Record<string, string>>;
  },
  classes: readonly ControllerClass[],
): ControllerDecision {
  return decideController(
    {
      namespace: ingress.id.namespace,
      name: ingress.id.name,
      ingressClassName: ingress.ingressClassName,
      annotations: ingress.annotations,
    },
    classes,
  );
}

/** The load balancer a decision stands for, in words: Ingresses with one merge key share it. */
export function loadBalancerText(d: ControllerDecision, ingress: string): string {
  if (d.kind === 'gke') return `the GKE load balancer of Ingress ${ingress}`;
  if (d.kind === 'aws-alb')
    return d.mergeKey.startsWith('aws-alb:group:')
      ? `the ALB of group ${d.mergeKey.slice('aws-alb:group:'.length)}`
      : `the ALB of Ingress ${ingress}`;
  return `${CONTROLLER_TITLES[d.kind]} (class ${d.className ?? 'none'})`;
}

/** AWS Load Balancer Controller: `actions.<name>` annotations define the action behind a backend named
 * `<name>` whose port name is `use-annotation`. */
export const ALB_ACTION_PREFIX = 'alb.ingress.kubernetes.io/actions.';
export const ALB_USE_ANNOTATION = 'use-annotation';

export const NGINX_INC_PATH_REGEX = 'nginx.org/path-regex';

/** How a controller reads the paths of one Ingress when its annotations change the pathType meaning. */
export type PathMeaning =
  | { kind: 'regex'; caseInsensitive: boolean; annotation: string; value: string }
  | { kind: 'exact'; annotation: string; value: string };

/**
 * The path meaning an Ingress's own annotations give all its paths, whatever their pathType:
 * NGINX Inc's `nginx.org/path-regex` writes each path as `location ~ "^<path>"` (case_sensitive),
 * `location ~* "^<path>"` (case_insensitive) or `location = <path>` (exact).
 */
export function controllerPathMeaning(
  decision: ControllerDecision,
  annotations: Readonly<Record<string, string>> | undefined,
): PathMeaning | undefined {
  if (decision.kind !== 'nginx-inc' || !annotations) return undefined;
  const value = annotations[NGINX_INC_PATH_REGEX]?.trim();
  if (value === 'case_sensitive' || value === 'case_insensitive')
    return {
      kind: 'regex',
      caseInsensitive: value === 'case_insensitive',
      annotation: NGINX_INC_PATH_REGEX,
      value,
    };
  if (value === 'exact') return { kind: 'exact', annotation: NGINX_INC_PATH_REGEX, value };
  return undefined;
}

/**
 * What an ImplementationSpecific path means to the controller that serves it, when that controller
 * documents it (undefined: the caller's default applies, ingress-nginx's prefix or regex reading):
 * - GKE Ingress: a path ending in `/*` matches every path that starts with the text before the `*`
 *   (`/*` matches everything; `/v1/*` matches `/v1/` and `/v1/x`, not `/v1`); a path without `*` matches
 *   only itself. A `*` anywhere else is refused by the load balancer's URL map.
 * - AWS Load Balancer Controller: the path is an ALB path pattern matched against the whole path,
 *   case-sensitively, `*` for any run of characters (`/` included) and `?` for one character; a path
 *   without wildcards matches only itself. The controller orders these rules after every Exact and
 *   Prefix path of the load balancer, in the order they are listed (v2.4.3 and later).
 */
export type ImplementationSpecificMeaning =
  | { kind: 'exact'; path: string; controller: 'gke' | 'aws-alb' }
  | {
      kind: 'pattern';
      /** The path as written. */
      path: string;
      /** RE2 source matching the whole request path. */
      regex: string;
      /** The literal text every match starts with (GKE's `/v1/*`: `/v1/`). */
      literalPrefix: string;
      /** Only a trailing `*` (GKE `/x/*`, ALB `/x*`, `/x/*`): a plain string prefix. */
      trailingStarOnly: boolean;
      controller: 'gke' | 'aws-alb';
    }
  | { kind: 'invalid'; path: string; controller: 'gke' | 'aws-alb'; why: string };

const RE2_SPECIAL = /[\\^$.|?*+()[\]{}]/g;

export function implementationSpecificMeaning(
  decision: ControllerDecision,
  path: string,
): ImplementationSpecificMeaning | undefined {
  if (decision.kind === 'gke') {
    const star = path.indexOf('*');
    if (star < 0) return { kind: 'exact', path, controller: 'gke' };
    if (star !== path.length - 1 || !path.endsWith('/*'))
      return {
        kind: 'invalid',
        path,
        controller: 'gke',
        why: `GKE accepts "*" only as the last character, after a "/" (like /v1/*): the load balancer refuses ${path}`,
      };
    const literal = path.slice(0, -1);
    return {
      kind: 'pattern',
      path,
      regex: `${literal.replace(RE2_SPECIAL, '\\$&')}.*`,
      literalPrefix: literal,
      trailingStarOnly: true,
      controller: 'gke',
    };
  }
  if (decision.kind === 'aws-alb') {
    if (!/[*?]/.test(path)) return { kind: 'exact', path, controller: 'aws-alb' };
    let regex = '';
    for (const c of path) regex += c === '*' ? '.*' : c === '?' ? '.' : c.replace(RE2_SPECIAL, '\\$&');
    const first = path.search(/[*?]/);
    return {
      kind: 'pattern',
      path,
      regex,
      literalPrefix: path.slice(0, first),
      trailingStarOnly: first === path.length - 1 && path.endsWith('*'),
      controller: 'aws-alb',
    };
  }
  return undefined;
}

/** The ingress-nginx controller ConfigMap key listing the response headers custom-headers may set. */
export const GLOBAL_ALLOWED_RESPONSE_HEADERS = 'global-allowed-response-headers';

/** What the migration and the checks need of ingress-nginx's own ConfigMap (its --configmap). */
export interface NginxControllerConfig {
  /** "namespace/name". */
  id: string;
  /** global-allowed-response-headers, split on commas (invalid names dropped, as the controller does);
   * empty when the key is absent: then custom-headers may set no header at all. */
  allowedResponseHeaders: string[];
  /** The key is set in the ConfigMap. */
  keySet: boolean;
}

/** A header name ingress-nginx accepts (annotations/customheaders: `^[a-zA-Z\d\-_]+$`). */
export const NGINX_HEADER_NAME = /^[a-zA-Z\d\-_]+$/;

/**
 * The ingress-nginx controller ConfigMap among the workspace's ConfigMaps: one that sets
 * global-allowed-response-headers, else the installation's default name (`ingress-nginx-controller`,
 * `<release>-ingress-nginx-controller` from the Helm chart, `nginx-configuration` from old manifests).
 * Undefined when the workspace holds none: the allow-list is then unknown.
 */
export function nginxControllerConfig(
  configMaps: readonly { namespace: string; name: string; data: Readonly<Record<string, string>> }[],
): NginxControllerConfig | undefined {
  const byName = (n: string) =>
    n === 'ingress-nginx-controller' ||
    n.endsWith('-ingress-nginx-controller') ||
    n === 'nginx-configuration';
  const sorted = [...configMaps].sort((a, b) =>
    `${a.namespace}/${a.name}` < `${b.namespace}/${b.name}` ? -1 : 1,
  );
  const found =
    sorted.find((c) => GLOBAL_ALLOWED_RESPONSE_HEADERS in c.data) ?? sorted.find((c) => byName(c.name));
  if (!found) return undefined;
  const value = found.data[GLOBAL_ALLOWED_RESPONSE_HEADERS];
  return {
    id: `${found.namespace}/${found.name}`,
    allowedResponseHeaders: (value ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter((h) => NGINX_HEADER_NAME.test(h)),
    keySet: value !== undefined,
  };
}
