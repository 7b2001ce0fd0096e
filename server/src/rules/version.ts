// Kubernetes minor versions ("1.22") compared as numbers, and the one the checks assume by default.

/** The Kubernetes version manifests are checked against unless told otherwise (editor setting
 * kubeNetlens.kubernetesVersion, CLI --kubernetes-version). */
export const DEFAULT_KUBERNETES_VERSION = '1.34';

export function parseVersion(v: string): [number, number] {
  const m = /^v?(\d+)\.(\d+)/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2])] : [1, 99];
}

export function versionAtLeast(v: string, min: string): boolean {
  const [a, b] = parseVersion(v);
  const [c, d] = parseVersion(min);
  return a > c || (a === c && b >= d);
}
