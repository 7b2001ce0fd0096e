// Kustomize patches. A file that a Kustomization (or a kustomize Component) lists as a patch holds
// partial objects: kustomize merges them into the objects of its `resources`, so the fields a patch
// leaves out come from the base. Such a file is checked for what it says (field names, types, values)
// and not for what it leaves out, and its objects are not objects of the cluster: the base is.
//
// The patch fields read (kustomize's kustomization file reference): `patchesStrategicMerge` (paths;
// an entry holding YAML text is an inline patch, not a file), `patches[].path` and
// `patchesJson6902[].path`. Paths are relative to the kustomization file's folder. A kustomization
// file without `apiVersion` and `kind` is not a resource and is not read.

import { asMap, asScalar, asSeq, getValue, stringValue } from '../syntax/ast';
import type { Span } from '../syntax/ast';
import type { ResourceStore } from './resource-store';

export const KUSTOMIZE_KINDS = ['Kustomization', 'Component'] as const;

/** Where a patch file is listed: the kustomization's file and the span of the path in it. */
export interface PatchListing {
  kustomizationUri: string;
  /** Offsets in the kustomization's file. */
  span: Span;
  /** The path as written. */
  path: string;
}

function isKustomizeApi(apiVersion: string): boolean {
  return apiVersion.startsWith('kustomize.config.k8s.io/');
}

/** The key a path relative to `fromKey`'s folder has in the workspace (a URI or a file path, like the
 * keys the server and the CLI give files), or undefined when it leaves the scheme's form. */
export function resolveRelative(fromKey: string, relative: string): string | undefined {
  if (relative === '' || /[\n\r]/.test(relative)) return undefined;
  if (/^[a-z][a-z0-9+.-]*:/i.test(fromKey)) {
    try {
      return new URL(relative.split('/').map(encodeURIComponent).join('/'), fromKey).toString();
    } catch {
      return undefined;
    }
  }
  // a plain path (the CLI): '/'-separated, normalised the way the listing writes its keys
  if (relative.startsWith('/')) return normalise(relative);
  const slash = fromKey.lastIndexOf('/');
  return normalise(slash >= 0 ? `${fromKey.slice(0, slash + 1)}${relative}` : relative);
}

function normalise(p: string): string {
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else if (part === '..' && abs) continue;
    else out.push(part);
  }
  return (abs ? '/' : '') + out.join('/');
}

/** Every file the workspace's Kustomizations list as a patch → where it is listed (the first listing
 * in workspace order). Kept until a Kustomization or Component changes. */
export function kustomizePatches(index: ResourceStore): Map<string, PatchListing> {
  return index.memoKinds(KUSTOMIZE_KINDS, 'kustomize-patches', () => {
    const out = new Map<string, PatchListing>();
    const add = (uri: string, base: number, node: unknown) => {
      const scalar = asScalar(node as Parameters<typeof asScalar>[0]);
      const path = stringValue(scalar);
      if (!scalar || path === undefined) return;
      const key = resolveRelative(uri, path.trim());
      if (!key || out.has(key)) return;
      out.set(key, {
        kustomizationUri: uri,
        span: { start: base + scalar.start, end: base + scalar.end },
        path,
      });
    };
    // (by file: a kustomization usually has no metadata.name, and the index keys objects by name)
    for (const uri of index.filesOfKinds(KUSTOMIZE_KINDS))
      for (const r of index.resourcesOf(uri)) {
        if (!(KUSTOMIZE_KINDS as readonly string[]).includes(r.kind) || !isKustomizeApi(r.apiVersion))
          continue;
        const base = r.doc.base;
        for (const item of asSeq(getValue(r.node, 'patchesStrategicMerge'))?.items ?? [])
          add(uri, base, item);
        for (const key of ['patches', 'patchesJson6902'])
          for (const item of asSeq(getValue(r.node, key))?.items ?? [])
            add(uri, base, getValue(asMap(item), 'path'));
      }
    return out;
  });
}

/** Is this file (key) a kustomize patch of some Kustomization in the workspace? */
export function patchListing(index: ResourceStore, uri: string): PatchListing | undefined {
  if (index.filesOfKinds(KUSTOMIZE_KINDS).length === 0) return undefined;
  return kustomizePatches(index).get(uri);
}
