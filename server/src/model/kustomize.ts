// Kustomize patches. A file that a Kustomization (or a kustomize Component) lists as a patch holds
// partial objects: kustomize merges them into the objects of its `resources`, so the fields a patch
// leaves out come from the base. Such a file is checked for what it says (field names, types, values)
// and not for what it leaves out, and its objects are not objects of the cluster: the base is.
//
// The patch fields read (kustomize's kustomization file reference): `patchesStrategicMerge` (paths;
// an entry holding YAML text is an inline patch, not a file), `patches[].path` and
// `patchesJson6902[].path`. Paths are relative to the kustomization file's folder. A kustomization
// file without `apiVersion` and `kind` is not a resource and is not read.

import { asMap, asScalar, asSeq, getPair, getValue, stringValue } from '../syntax/ast';
import type { MapNode, Span } from '../syntax/ast';
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

/** Where a file gets kustomize's common labels on its selectors: the kustomization that sets them
 * and the span of its `commonLabels` (or `labels` entry) key. */
export interface SelectorLabelsListing {
  kustomizationUri: string;
  span: Span;
}

/** The file names kustomize looks for in a folder listed under `resources`. */
const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/**
 * Every file whose objects kustomize gives common labels on their selectors → the kustomization that
 * does. `commonLabels`, and a `labels` entry with `includeSelectors: true`, add their labels to
 * metadata, pod templates and selectors, and create the selector where it is missing (kustomize's
 * commonLabels field specs: a Service's spec.selector, a Deployment's, ReplicaSet's, DaemonSet's or
 * StatefulSet's spec.selector.matchLabels). They apply to every object the kustomization gathers: the
 * files under its `resources`, and those of the folders listed there (each folder's own kustomization,
 * followed the same way). Kept until a Kustomization or Component changes.
 */
export function kustomizeSelectorLabels(index: ResourceStore): Map<string, SelectorLabelsListing> {
  return index.memoKinds(KUSTOMIZE_KINDS, 'kustomize-selector-labels', () => {
    const out = new Map<string, SelectorLabelsListing>();
    const kustomizations = new Map<string, { node: MapNode; base: number }>();
    for (const uri of index.filesOfKinds(KUSTOMIZE_KINDS))
      for (const r of index.resourcesOf(uri))
        if ((KUSTOMIZE_KINDS as readonly string[]).includes(r.kind) && isKustomizeApi(r.apiVersion))
          kustomizations.set(uri, { node: r.node, base: r.doc.base });
    /** The kustomization file of a folder key, if the workspace has one. */
    const inFolder = (folder: string): string | undefined => {
      for (const name of KUSTOMIZATION_FILE_NAMES) {
        const key = resolveRelative(`${folder}/`, name);
        if (key && kustomizations.has(key)) return key;
      }
      return undefined;
    };
    /** Marks every file `uri`'s kustomization gathers (folders followed once each). */
    const gather = (uri: string, listing: SelectorLabelsListing, seen: Set<string>) => {
      if (seen.has(uri)) return;
      seen.add(uri);
      const k = kustomizations.get(uri)!;
      for (const item of asSeq(getValue(k.node, 'resources'))?.items ?? []) {
        const path = stringValue(asScalar(item));
        if (path === undefined || /^[a-z][a-z0-9+.-]*:\/\//i.test(path.trim())) continue;
        const key = resolveRelative(uri, path.trim());
        if (!key) continue;
        const folderKustomization = inFolder(key.replace(/\/+$/, ''));
        if (folderKustomization) gather(folderKustomization, listing, seen);
        else if (!out.has(key)) out.set(key, listing);
      }
    };
    for (const [uri, k] of kustomizations) {
      const node = k.node;
      const common = getPair(node, 'commonLabels');
      let key = common && asMap(common.value)?.pairs.length ? common.key : undefined;
      if (!key)
        for (const entry of asSeq(getValue(node, 'labels'))?.items ?? []) {
          const e = asMap(entry);
          if (e && asScalar(getValue(e, 'includeSelectors'))?.value === true) {
            key = getPair(node, 'labels')!.key;
            break;
          }
        }
      if (!key) continue;
      gather(
        uri,
        { kustomizationUri: uri, span: { start: k.base + key.start, end: k.base + key.end } },
        new Set(),
      );
    }
    return out;
  });
}

/** The files a kustomization with common selector labels gathers: is `uri` one of them? */
export function selectorLabelsListing(index: ResourceStore, uri: string): SelectorLabelsListing | undefined {
  if (index.filesOfKinds(KUSTOMIZE_KINDS).length === 0) return undefined;
  return kustomizeSelectorLabels(index).get(uri);
}
