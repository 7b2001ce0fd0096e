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
  /** The replacement is another kind (under `replacement`), not this kind under another version. */
  replacementKind?: string;
  /** The replacement reads some fields differently (from the deprecation guide's "notable changes"):
   * changing only the apiVersion is not enough, so no quick fix does it. */
  shapeChanges?: string;
  /** Removed without a replacement API: what to do instead. */
  noReplacement?: string;
  /** The replacement requires these fields (paths under the resource) that the old version did not:
   * the quick fix is offered only when they are there. */
  requires?: string[][];
}

const PSP_GONE =
  'use Pod Security Admission (the pod-security.kubernetes.io/enforce label on the Namespace) or a policy admission webhook';

/** A removed beta version whose replacement appeared in `since`; the deprecation guide's rows. */
function removedBeta(
  kind: string,
  apiVersion: string,
  replacement: string,
  deprecated: string,
  removed: string,
  extra: Partial<ApiVersionInfo> = {},
): ApiVersionInfo {
  return {
    apiVersion,
    kind,
    introduced: extra.introduced ?? '1.0',
    deprecated,
    removed,
    replacement,
    ...extra,
  };
}

function served(kind: string, apiVersion: string, introduced: string): ApiVersionInfo {
  return { apiVersion, kind, introduced };
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
  // Endpoints: deprecated in favour of EndpointSlice from 1.33 (KEP-4974: the API server answers every
  // request for v1 Endpoints with a warning); still served, and no removal is planned
  {
    apiVersion: 'v1',
    kind: 'Endpoints',
    introduced: '1.0',
    deprecated: '1.33',
    replacement: 'discovery.k8s.io/v1',
    replacementKind: 'EndpointSlice',
    shapeChanges:
      'the addresses go under endpoints[].addresses and the ports under ports, one address family per slice',
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
    requires: [['spec', 'selector']],
  },
  {
    apiVersion: 'apps/v1beta1',
    kind: 'Deployment',
    introduced: '1.6',
    deprecated: '1.9',
    removed: '1.16',
    replacement: APPS_V1,
    requires: [['spec', 'selector']],
  },
  {
    apiVersion: 'extensions/v1beta1',
    kind: 'Deployment',
    introduced: '1.2',
    deprecated: '1.9',
    removed: '1.16',
    replacement: APPS_V1,
    requires: [['spec', 'selector']],
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
    requires: [['spec', 'selector']],
  },
  {
    apiVersion: 'extensions/v1beta1',
    kind: 'DaemonSet',
    introduced: '1.2',
    deprecated: '1.9',
    removed: '1.16',
    replacement: APPS_V1,
    requires: [['spec', 'selector']],
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
    requires: [['spec', 'selector']],
  },
  {
    apiVersion: 'extensions/v1beta1',
    kind: 'ReplicaSet',
    introduced: '1.2',
    deprecated: '1.9',
    removed: '1.16',
    replacement: APPS_V1,
    requires: [['spec', 'selector']],
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
    requires: [['spec', 'selector']],
  },
  {
    apiVersion: 'apps/v1beta1',
    kind: 'StatefulSet',
    introduced: '1.5',
    deprecated: '1.9',
    removed: '1.16',
    replacement: APPS_V1,
    requires: [['spec', 'selector']],
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
    // same fields; only an empty selector ({}) now selects every pod of the namespace
  },

  // Kinds outside networking, from the deprecation guide (kubernetes/website
  // content/en/docs/reference/using-api/deprecation-guide.md): the version each stopped serving.
  // PodSecurityPolicy has no successor API
  {
    apiVersion: 'policy/v1beta1',
    kind: 'PodSecurityPolicy',
    introduced: '1.10',
    deprecated: '1.21',
    removed: '1.25',
    noReplacement: PSP_GONE,
  },
  {
    apiVersion: 'extensions/v1beta1',
    kind: 'PodSecurityPolicy',
    introduced: '1.3',
    deprecated: '1.11',
    removed: '1.16',
    noReplacement: PSP_GONE,
  },
  served('HorizontalPodAutoscaler', 'autoscaling/v1', '1.2'),
  served('HorizontalPodAutoscaler', 'autoscaling/v2', '1.23'),
  removedBeta('HorizontalPodAutoscaler', 'autoscaling/v2beta1', 'autoscaling/v2', '1.22', '1.25', {
    introduced: '1.8',
    shapeChanges:
      'metric targets moved: targetAverageUtilization becomes target.averageUtilization with target.type Utilization, targetAverageValue becomes target.averageValue',
  }),
  removedBeta('HorizontalPodAutoscaler', 'autoscaling/v2beta2', 'autoscaling/v2', '1.23', '1.26', {
    introduced: '1.12',
  }),
  served('Event', 'events.k8s.io/v1', '1.19'),
  removedBeta('Event', 'events.k8s.io/v1beta1', 'events.k8s.io/v1', '1.19', '1.25', {
    introduced: '1.8',
    shapeChanges:
      'involvedObject is renamed regarding; firstTimestamp, lastTimestamp, count and source become eventTime, series and reportingComponent/reportingInstance; type is Normal or Warning',
  }),
  served('RuntimeClass', 'node.k8s.io/v1', '1.20'),
  removedBeta('RuntimeClass', 'node.k8s.io/v1beta1', 'node.k8s.io/v1', '1.20', '1.25', {
    introduced: '1.14',
  }),
  ...['FlowSchema', 'PriorityLevelConfiguration'].flatMap((kind) => [
    served(kind, 'flowcontrol.apiserver.k8s.io/v1', '1.29'),
    // v1beta1 and v1beta2 were replaced by betas that are gone too: no replacement field, the rule
    // names the version served today (v1)
    {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1',
      kind,
      introduced: '1.20',
      deprecated: '1.23',
      removed: '1.26',
      ...(kind === 'PriorityLevelConfiguration'
        ? {
            shapeChanges:
              'spec.limited.assuredConcurrencyShares is renamed spec.limited.nominalConcurrencyShares',
          }
        : {}),
    },
    {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2',
      kind,
      introduced: '1.23',
      deprecated: '1.26',
      removed: '1.29',
      ...(kind === 'PriorityLevelConfiguration'
        ? {
            shapeChanges:
              'spec.limited.assuredConcurrencyShares is renamed spec.limited.nominalConcurrencyShares',
          }
        : {}),
    },
    removedBeta(
      kind,
      'flowcontrol.apiserver.k8s.io/v1beta3',
      'flowcontrol.apiserver.k8s.io/v1',
      '1.29',
      '1.32',
      { introduced: '1.26' },
    ),
  ]),
  served('CSIStorageCapacity', 'storage.k8s.io/v1', '1.24'),
  removedBeta('CSIStorageCapacity', 'storage.k8s.io/v1beta1', 'storage.k8s.io/v1', '1.24', '1.27', {
    introduced: '1.21',
  }),
  ...['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'].flatMap((kind) => [
    served(
      kind,
      'storage.k8s.io/v1',
      { CSIDriver: '1.19', CSINode: '1.17', StorageClass: '1.6', VolumeAttachment: '1.13' }[kind]!,
    ),
    removedBeta(
      kind,
      'storage.k8s.io/v1beta1',
      'storage.k8s.io/v1',
      { CSIDriver: '1.19', CSINode: '1.17', StorageClass: '1.19', VolumeAttachment: '1.19' }[kind]!,
      '1.22',
    ),
  ]),
  ...['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'].flatMap((kind) => [
    served(kind, 'rbac.authorization.k8s.io/v1', '1.8'),
    removedBeta(kind, 'rbac.authorization.k8s.io/v1beta1', 'rbac.authorization.k8s.io/v1', '1.17', '1.22', {
      introduced: '1.6',
    }),
  ]),
  served('PriorityClass', 'scheduling.k8s.io/v1', '1.14'),
  removedBeta('PriorityClass', 'scheduling.k8s.io/v1beta1', 'scheduling.k8s.io/v1', '1.14', '1.22', {
    introduced: '1.11',
  }),
  served('Lease', 'coordination.k8s.io/v1', '1.14'),
  removedBeta('Lease', 'coordination.k8s.io/v1beta1', 'coordination.k8s.io/v1', '1.19', '1.22', {
    introduced: '1.12',
  }),
  served('APIService', 'apiregistration.k8s.io/v1', '1.10'),
  removedBeta('APIService', 'apiregistration.k8s.io/v1beta1', 'apiregistration.k8s.io/v1', '1.19', '1.22', {
    introduced: '1.7',
  }),
  served('CertificateSigningRequest', 'certificates.k8s.io/v1', '1.19'),
  removedBeta(
    'CertificateSigningRequest',
    'certificates.k8s.io/v1beta1',
    'certificates.k8s.io/v1',
    '1.19',
    '1.22',
    {
      introduced: '1.4',
      shapeChanges:
        'spec.signerName and spec.usages are required (and kubernetes.io/legacy-unknown is refused)',
    },
  ),
  served('CustomResourceDefinition', 'apiextensions.k8s.io/v1', '1.16'),
  removedBeta(
    'CustomResourceDefinition',
    'apiextensions.k8s.io/v1beta1',
    'apiextensions.k8s.io/v1',
    '1.16',
    '1.22',
    {
      introduced: '1.7',
      shapeChanges:
        'spec.version, spec.validation, spec.subresources and spec.additionalPrinterColumns move under spec.versions[*], every version needs a structural openAPIV3Schema and spec.scope is required',
    },
  ),
  ...['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'].flatMap((kind) => [
    served(kind, 'admissionregistration.k8s.io/v1', '1.16'),
    removedBeta(
      kind,
      'admissionregistration.k8s.io/v1beta1',
      'admissionregistration.k8s.io/v1',
      '1.16',
      '1.22',
      {
        introduced: '1.9',
        shapeChanges:
          'webhooks[*].sideEffects and admissionReviewVersions are required, and failurePolicy, matchPolicy and timeoutSeconds default differently',
      },
    ),
  ]),
];

/** Kinds whose apiVersion history is known here (api-removed looks at them, covered or not). */
export const KINDS_WITH_HISTORY: string[] = [...new Set(API_VERSIONS.map((v) => v.kind))];

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
/** A kind with its indefinite article, as a sentence names it ("an EndpointSlice", "a Service"). */
export function aKind(kind: string): string {
  return `${/^[AEIOU]/.test(kind) ? 'an' : 'a'} ${kind}`;
}

export function findApiVersion(apiVersion: string, kind: string): ApiVersionInfo | undefined {
  return BY_KEY.get(`${apiVersion.trim()}|${kind.trim()}`);
}

/** Every apiVersion known for a kind, newest first (for completion, hover and api-removed, which
 * asks for each resource it checks: worked out once per kind; the list is shared, never changed). */
export function apiVersionsForKind(kind: string): readonly ApiVersionInfo[] {
  const k = kind.trim();
  let list = FOR_KIND.get(k);
  if (!list) {
    list = API_VERSIONS.filter((v) => v.kind === k).sort((a, b) => {
      // Still-served versions before removed ones, then by the release that introduced them.
      const removed = Number(a.removed !== undefined) - Number(b.removed !== undefined);
      if (removed !== 0) return removed;
      return compareKubeVersions(b.introduced, a.introduced);
    });
    // (kinds the table does not know are not kept: any text can be a kind)
    if (list.length) FOR_KIND.set(k, list);
  }
  return list;
}

const FOR_KIND = new Map<string, readonly ApiVersionInfo[]>();
