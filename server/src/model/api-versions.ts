// apiVersion history of the kinds Kube NetLens understands: when each group/version was first
// served, when it was deprecated and the release that stopped serving it.
// Versions are Kubernetes minor releases ("1.22"). Alpha versions are left out on purpose: they
// were off by default and nobody should be writing them by hand.

export interface ApiVersionInfo {
  apiVersion: string;
  kind: string;
  /** first Kubernetes minor version serving it, e.g. "1.19" */
  introduced: string;
  deprecated?: string;
  removed?: string;
  /** what to use instead */
  replacement?: string;
}

/** Replacement for every pre-GA workload version. */
const APPS_V1 = 'apps/v1';

export const API_VERSIONS: ApiVersionInfo[] = [
  // Ingress
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', introduced: '1.19' },
  {
    apiVersion: 'networking.k8s.io/v1beta1',
    kind: 'Ingress',
    introduced: '1.14',
    deprecated: '1.19',
    removed: '1.22',
    replacement: 'networking.k8s.io/v1',
  },
  {
    apiVersion: 'extensions/v1beta1',
    kind: 'Ingress',
    introduced: '1.1',
    deprecated: '1.14',
    removed: '1.22',
    replacement: 'networking.k8s.io/v1',
  },

  // IngressClass
  { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', introduced: '1.19' },
  {
    apiVersion: 'networking.k8s.io/v1beta1',
    kind: 'IngressClass',
    introduced: '1.18',
    deprecated: '1.19',
    removed: '1.22',
    replacement: 'networking.k8s.io/v1',
  },

  // NetworkPolicy
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', introduced: '1.7' },
  {
    apiVersion: 'extensions/v1beta1',
    kind: 'NetworkPolicy',
    introduced: '1.3',
    deprecated: '1.9',
    removed: '1.16',
    replacement: 'networking.k8s.io/v1',
  },

  // Core kinds
  { apiVersion: 'v1', kind: 'Service', introduced: '1.0' },
  { apiVersion: 'v1', kind: 'Secret', introduced: '1.0' },
  { apiVersion: 'v1', kind: 'Pod', introduced: '1.0' },
  { apiVersion: 'v1', kind: 'Namespace', introduced: '1.0' },

  // EndpointSlice (what Services publish their endpoints through)
  { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', introduced: '1.21' },
  {
    apiVersion: 'discovery.k8s.io/v1beta1',
    kind: 'EndpointSlice',
    introduced: '1.17',
    deprecated: '1.21',
    removed: '1.25',
    replacement: 'discovery.k8s.io/v1',
  },

  // Deployment
  { apiVersion: 'apps/v1', kind: 'Deployment', introduced: '1.9' },
  {
    apiVersion: 'apps/v1beta2',
    kind: 'Deployment',
    introduced: '1.8',
    deprecated: '1.9',
    removed: '1.16',
    replacement: APPS_V1,
  },
  {
    apiVersion: 'apps/v1beta1',
    kind: 'Deployment',
    introduced: '1.6',
    deprecated: '1.9',
    removed: '1.16',
    replacement: APPS_V1,
  },
  {
    apiVersion: 'extensions/v1beta1',
    kind: 'Deployment',
    introduced: '1.2',
    deprecated: '1.9',
    removed: '1.16',
    replacement: APPS_V1,
  },

  // DaemonSet (never part of apps/v1beta1)
  { apiVersion: 'apps/v1', kind: 'DaemonSet', introduced: '1.9' },
  {
    apiVersion: 'apps/v1beta2',
    kind: 'DaemonSet',
    introduced: '1.8',
    deprecated: '1.9',
    removed: '1.16',
    replacement: APPS_V1,
  },
  {
    apiVersion: 'extensions/v1beta1',
    kind: 'DaemonSet',
    introduced: '1.2',
    deprecated: '1.9',
    removed: '1.16',
    replacement: APPS_V1,
  },

  // ReplicaSet (never part of apps/v1beta1)
  { apiVersion: 'apps/v1', kind: 'ReplicaSet', introduced: '1.9' },
  {
    apiVersion: 'apps/v1beta2',
    kind: 'ReplicaSet',
    introduced: '1.8',
    deprecated: '1.9',
    removed: '1.16',
    replacement: APPS_V1,
  },
  {
    apiVersion: 'extensions/v1beta1',
    kind: 'ReplicaSet',
    introduced: '1.2',
    deprecated: '1.9',
    removed: '1.16',
    replacement: APPS_V1,
  },

  // StatefulSet (never part of extensions/v1beta1)
  { apiVersion: 'apps/v1', kind: 'StatefulSet', introduced: '1.9' },
  {
    apiVersion: 'apps/v1beta2',
    kind: 'StatefulSet',
    introduced: '1.8',
    deprecated: '1.9',
    removed: '1.16',
    replacement: APPS_V1,
  },
  {
    apiVersion: 'apps/v1beta1',
    kind: 'StatefulSet',
    introduced: '1.5',
    deprecated: '1.9',
    removed: '1.16',
    replacement: APPS_V1,
  },

  // Job / CronJob
  { apiVersion: 'batch/v1', kind: 'Job', introduced: '1.2' },
  { apiVersion: 'batch/v1', kind: 'CronJob', introduced: '1.21' },
  {
    apiVersion: 'batch/v1beta1',
    kind: 'CronJob',
    introduced: '1.8',
    deprecated: '1.21',
    removed: '1.25',
    replacement: 'batch/v1',
  },

  // PodDisruptionBudget
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', introduced: '1.21' },
  {
    apiVersion: 'policy/v1beta1',
    kind: 'PodDisruptionBudget',
    introduced: '1.5',
    deprecated: '1.21',
    removed: '1.25',
    replacement: 'policy/v1',
  },
];

/** Compares two "major.minor" strings numerically (1.9 < 1.16). */
export function compareKubeVersions(a: string, b: string): number {
  const pa = a.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const BY_KEY = new Map<string, ApiVersionInfo>(API_VERSIONS.map((v) => [`${v.apiVersion}|${v.kind}`, v]));

/** Lookup helper */
export function findApiVersion(apiVersion: string, kind: string): ApiVersionInfo | undefined {
  return BY_KEY.get(`${apiVersion.trim()}|${kind.trim()}`);
}

/** Every apiVersion known for a kind, newest first (for completion and hover). */
export function apiVersionsForKind(kind: string): ApiVersionInfo[] {
  const k = kind.trim();
  return API_VERSIONS.filter((v) => v.kind === k).sort((a, b) => {
    // Still-served versions before removed ones, then by the release that introduced them.
    const removed = Number(a.removed !== undefined) - Number(b.removed !== undefined);
    if (removed !== 0) return removed;
    return compareKubeVersions(b.introduced, a.introduced);
  });
}
