// Document outline: one entry per resource, "Kind name (namespace)".

import type { ParsedFile } from '../syntax/file';
import { resourcesOf } from '../model/resource';

export interface SymbolEntry {
  name: string;
  detail: string;
  kind: string;
  /** Offsets in the file. */
  start: number;
  end: number;
  selectionStart: number;
  selectionEnd: number;
}

export function documentSymbols(file: ParsedFile, defaultNamespace: string): SymbolEntry[] {
  const out: SymbolEntry[] = [];
  for (const doc of file.docs) {
    for (const r of resourcesOf(doc)) {
      if (r.implied) {
        // a kustomization without apiVersion/kind: named by its kind only (it has no name or namespace)
        const sel = r.kindNode;
        out.push({
          name: r.kind,
          detail: 'kustomize (apiVersion and kind implied)',
          kind: r.kind,
          start: doc.base + r.node.start,
          end: doc.base + r.node.end,
          selectionStart: doc.base + sel.start,
          selectionEnd: doc.base + sel.end,
        });
        continue;
      }
      const ns =
        r.kind === 'Namespace' || r.kind === 'IngressClass' ? undefined : (r.namespace ?? defaultNamespace);
      let sel: { start: number; end: number } = r.nameNode ?? r.kindNode;
      // a name or kind merged in (`<<: *base`) is written outside the object: the editor wants the
      // selection inside the symbol's range
      if (sel.start < r.node.start || sel.end > r.node.end) sel = { start: r.node.start, end: r.node.start };
      out.push({
        name: `${r.kind} ${r.name ?? '(no metadata.name)'}${ns ? ` (${ns})` : ''}`,
        detail: r.apiVersion,
        kind: r.kind,
        start: doc.base + r.node.start,
        end: doc.base + r.node.end,
        selectionStart: doc.base + sel.start,
        selectionEnd: doc.base + sel.end,
      });
    }
  }
  return out;
}
